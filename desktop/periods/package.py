"""`data/previous-period.json` in a sealed package: the previous period's figures of a recurring
report, for the PDF ("上期 … → 本期 …") and for anyone who checks it (docs/previous-period.md).

An export extras provider (desktop.export.extras): a project started from a previous period
contributes the document and, under `PdfInput.extras["previous_period"]`, the same data parsed.
`read_document` is the reader: it refuses what it does not know (another format, a newer version,
wrong types, an oversized file).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import DossierError
from .compare import numeric_per_period, previous_values
from .period import period_of

PATH = "data/previous-period.json"
FORMAT = "dossier-previous-period"
FORMAT_VERSION = 1
PDF_KEY = "previous_period"
MAX_BYTES = 4 << 20  # a few thousand figures at most; anything bigger is not ours


def document(meta: dict[str, str], program, answers: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The document for a project, or None when it was not started from a previous period. The period
    is the one the form states when the definition names it there, else meta `period` (period_of)."""
    prev = previous_values(meta)
    if prev is None:
        return None
    period = period_of(program, meta, answers or {})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "period": str(period) if period is not None else meta.get("period", ""),
        "previous_period": meta.get("previous_period", ""),
        "previous_package_digest": meta.get("previous_package_digest") or None,
        # every numeric per-period field of the definition, in its order (null: not reported)
        "values": {f.path: prev.get(f.path) for f in numeric_per_period(program)},
    }


def encode(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def package_documents(proj, snap) -> list:
    from ..export.extras import Contribution  # late: the export package is optional at run time

    doc = document(snap.meta, snap.program, snap.answers)
    if doc is None:
        return []
    return [Contribution(path=PATH, data=encode(doc), pdf_key=PDF_KEY, pdf_value=doc)]


def _bad(why: str, why_zh: str) -> DossierError:
    return DossierError(f"{PATH}: {why}", f"{PATH}：{why_zh}", key="previous_period.invalid")


def read_document(data: bytes) -> dict[str, Any]:
    """Parse and check a previous-period document (from a package)."""
    if len(data) > MAX_BYTES:
        raise _bad(f"{len(data)} bytes is too large for this document", f"{len(data)} 字节，超出此文件的大小上限")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise _bad(f"not valid UTF-8 JSON ({e})", f"不是有效的 UTF-8 JSON（{e}）") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(f"not a {FORMAT} document", f"不是 {FORMAT} 文件")
    v = doc.get("format_version")
    if not isinstance(v, int) or isinstance(v, bool):
        raise _bad("format_version must be a whole number", "format_version 应为整数")
    if v > FORMAT_VERSION:
        raise _bad(f"format version {v} is newer than this Dossier reads ({FORMAT_VERSION}); update Dossier",
                   f"格式版本 {v} 高于本版本 Dossier 支持的版本（{FORMAT_VERSION}），请升级 Dossier")
    if v < 1:
        raise _bad(f"unknown format version {v}", f"未知的格式版本 {v}")
    for key in ("period", "previous_period"):
        if not isinstance(doc.get(key), str):
            raise _bad(f"{key} must be text", f"{key} 应为文本")
    digest = doc.get("previous_package_digest")
    if digest is not None and not isinstance(digest, str):
        raise _bad("previous_package_digest must be text or null", "previous_package_digest 应为文本或 null")
    values = doc.get("values")
    if not isinstance(values, dict):
        raise _bad("values must be an object {field path: number or null}", "values 应为对象 {字段路径: 数值或 null}")
    for k, x in values.items():
        if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))):
            raise _bad(f"values[{k!r}] must be a number or null", f"values[{k!r}] 应为数值或 null")
    return doc
