"""The score sheet (`.dscores`): one expert's scores, signed, on their way back to the coordinator.

A small zip, readable and checkable without Dossier (docs/panel-files.md)::

    mimetype              "application/vnd.dossier.panel-scores" — first, stored, no extra field:
                          bytes 30–37 of the file are "mimetype" and the type follows at byte 38
    scores.json           the scores (format "dossier-panel-scores", format_version 1)
    manifest-sha256.txt   `<sha256>  <name>` for mimetype and scores.json (sha256sum -c reads it)
    signature.p7s         optional: a detached CMS signature over manifest-sha256.txt (openssl cms)
    signer-cert.pem       with the signature: the signer's certificate

The reader refuses what it does not know (another magic, a newer format_version, unknown,
missing or oversized entries, a document that does not follow the schema) and reports tampering
(a manifest that does not match, a signature that does not verify, an expert named who is not
the one who signed).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import signedzip
from ..errors import DossierError
from ..fsutil import atomic_output

MIMETYPE = b"application/vnd.dossier.panel-scores"
FORMAT = "dossier-panel-scores"
FORMAT_VERSION = 1
SUFFIX = ".dscores"
MANIFEST = "manifest-sha256.txt"
REQUIRED = ("mimetype", "scores.json", MANIFEST)
OPTIONAL = ("signature.p7s", "signer-cert.pem")
MAX_FILE = 64 << 20
MAX_ENTRY = 48 << 20

_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_TEXT = {"type": "string", "maxLength": 20000}
_NUM = {"type": "number"}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Dossier panel score sheet, format_version 1",
    "type": "object",
    "required": ["format", "format_version", "scores_id", "created_at", "generator", "sheet", "review", "round",
                 "rubric_version", "rubric_sha256", "expert", "complete", "packages"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "scores_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "created_at": {"type": "string"},
        "generator": {"type": "object", "required": ["name", "version"]},
        "sheet": {"type": "object", "required": ["id", "issued_at"], "additionalProperties": False,
                  "properties": {"id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}, "issued_at": {"type": "string"}}},
        "review": {"type": "object", "required": ["uuid", "title"], "additionalProperties": False,
                   "properties": {"uuid": {"type": "string"}, "title": {"type": "string"}}},
        "round": {"type": "integer", "minimum": 1},
        "rubric_version": {"type": "integer", "minimum": 1},
        "rubric_sha256": _SHA,
        "expert": {"type": "object", "required": ["name", "fingerprint"], "additionalProperties": False,
                   "properties": {"name": {"type": "string", "minLength": 1},
                                  "fingerprint": {"type": ["string", "null"]}}},
        "complete": {"type": "boolean"},
        "packages": {"type": "array", "maxItems": 10000, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["package", "uid", "content_digest", "recused", "coi_reason", "gates", "criteria", "overall",
                         "confidence", "comment"],
            "properties": {
                "package": {"type": "integer", "minimum": 1},
                "uid": {"type": "string"},
                "content_digest": {"type": "string"},
                "recused": {"type": "boolean"},
                "coi_reason": _TEXT,
                "gates": {"type": "array", "maxItems": 500, "items": {
                    "type": "object", "required": ["id", "passed", "reason", "prefilled"], "additionalProperties": False,
                    "properties": {"id": {"type": "string"}, "passed": {"type": "boolean"}, "reason": _TEXT,
                                   "prefilled": {"type": ["boolean", "null"]}}}},
                "criteria": {"type": "array", "maxItems": 500, "items": {
                    "type": "object", "required": ["id", "value", "comment", "evidence"], "additionalProperties": False,
                    "properties": {"id": {"type": "string"}, "value": _NUM, "comment": _TEXT,
                                   "evidence": {"oneOf": [{"type": "null"}, {
                                       "type": "object", "required": ["name", "sha256", "indicator"],
                                       "additionalProperties": False,
                                       "properties": {"name": {"type": "string"}, "sha256": {"type": "string"},
                                                      "indicator": {"type": "string"}}}]}}}},
                "overall": {"type": ["number", "null"]},
                "confidence": {"type": ["string", "null"]},
                "comment": _TEXT,
            }}},
    },
}


class ScoresFileError(DossierError):
    """Not a score sheet, one this version cannot read, or a tampered one."""


def _refuse(en: str, zh: str, key: str) -> ScoresFileError:
    return ScoresFileError(en, zh, key=key)


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    return signedzip.manifest_bytes(files, ("mimetype", "scores.json"))


def build_bytes(doc: dict[str, Any], sealer=None) -> bytes:
    """The score sheet's bytes (deterministic for a given document and signature)."""
    body = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files = {"mimetype": MIMETYPE, "scores.json": body}
    files[MANIFEST] = manifest_bytes(files)
    if sealer is not None:
        files.update(sealer.sign_bytes(files[MANIFEST]))
    return signedzip.build(files, REQUIRED + OPTIONAL, doc.get("created_at", ""),
                           deflate=REQUIRED + OPTIONAL)  # all but the stored mimetype


def write(path: str | os.PathLike, doc: dict[str, Any], sealer=None) -> tuple[Path, str]:
    data = build_bytes(doc, sealer)
    path = Path(path)
    with atomic_output(path) as (fh, _tmp):
        fh.write(data)
    return path, hashlib.sha256(data).hexdigest()


@dataclass
class ScoresFile:
    doc: dict[str, Any]
    sha256: str
    signature: dict[str, Any] = field(default_factory=lambda: {"status": "unsigned"})

    @property
    def signed(self) -> bool:
        return self.signature.get("status") not in (None, "unsigned")

    @property
    def fingerprint(self) -> str:
        return (self.signature.get("fingerprint") or "").lower() if self.signed else ""


def read(path: str | os.PathLike) -> ScoresFile:
    path = Path(path)
    name = path.name
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _refuse(f"File not found: {path}", f"找不到文件：{path}", "scores.missing") from None
    except OSError as e:
        raise _refuse(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", "scores.unreadable") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(f"{name} is not a regular file", f"{name} 不是普通文件", "scores.not_scores")
    if st.st_size > MAX_FILE:
        raise _refuse(f"{name} is too large to be a score sheet ({st.st_size} bytes)",
                      f"{name} 过大，不是评分文件（{st.st_size} 字节）", "scores.not_scores")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE + 1)
    except OSError as e:
        raise _refuse(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", "scores.unreadable") from None
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str = "scores") -> ScoresFile:
    not_ours = _refuse(f"{name} is not a Dossier score sheet", f"{name} 不是 Dossier 专家评分文件", "scores.not_scores")
    if len(data) > MAX_FILE:
        raise not_ours
    if not (data[:4] == b"PK\x03\x04" and data[30:38] == b"mimetype"):
        if data[:16] == b"SQLite format 3\x00":
            raise _refuse(f"{name} is an SQLite file — an expert sheet? Submit it first (“Submit scores”), then merge "
                          "the score sheet that writes", f"{name} 是 SQLite 文件（专家评分表？）：请先“提交评分”，再合并生成的评分文件",
                          "scores.not_scores")
        raise not_ours
    kind = signedzip.Kind(MIMETYPE, FORMAT, FORMAT_VERSION, "scores.json", SCHEMA, MAX_ENTRY, "scores",
                          "score sheet format", "评分文件格式", "Update Dossier to merge it.", "请升级 Dossier 后再合并。")
    doc, signature = signedzip.read(data, kind, name, _refuse, not_ours)
    sf = ScoresFile(doc, hashlib.sha256(data).hexdigest(), signature)
    claimed = doc["expert"].get("fingerprint")
    if sf.signed and claimed and claimed.lower() != sf.fingerprint:
        raise _refuse(f"{name} has been altered: it names another signer than the one who signed it",
                      f"{name} 已被改动：其中的签名人与实际签名人不一致", "scores.tampered")
    return sf
