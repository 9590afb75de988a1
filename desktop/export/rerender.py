"""Re-render the submission PDF from a package's own files, and compare (issue #16 §4).

The PDF is built from `PdfInput`, and `build_input` makes that input from the package's files
only — data/answers.json (answers, applicant, cover details, seal time, status, the sealer's name
and fingerprint, the document language, the evidence list), data/program.yaml (the definition),
the evidence bytes (thumbnails, the stamp-page scan), the documents other capabilities add
(data/review-response.json, data/previous-period.json) and the content listing (recomputed from
the payload). The export itself calls `build_input` on the files it is about to package, so by
construction the PDF shows nothing that is not in the package.

Export is deterministic, so `dossier verify` can prove that the PDF shows exactly the package's
data: when the package was made by this very version of Dossier, it renders the PDF again and
compares the bytes (a signed PDF is an incremental update of the unsigned one, so the rendering
must be a prefix of it). A different version cannot promise the same bytes: verify then says
"made by Dossier X.Y; cannot re-render" and does not judge (docs/package.md).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .. import __version__
from ..project import STAMP_INDICATOR
from . import answers_json
from .collect import EvidenceEntry
from .digest import content_digest

REVIEW_RESPONSE = "data/review-response.json"
PREVIOUS_PERIOD = "data/previous-period.json"
EXTRA_DOCS = {REVIEW_RESPONSE: "review_response", PREVIOUS_PERIOD: "previous_period"}
MAX_EXTRA = 16 << 20


class RerenderError(ValueError):
    """The package's files cannot make a PDF input (the reason is the message)."""


# ---------------------------------------------------------------------------- the extras documents


def _check_review_response(d: Any) -> dict:
    if not isinstance(d, dict) or d.get("format") != "dossier-review-response":
        raise RerenderError("review-response.json: not a dossier-review-response document")
    if d.get("format_version") != 1:
        raise RerenderError(f"review-response.json: format_version {d.get('format_version')!r} is not 1")
    rp = d.get("reviewed_package")
    if not isinstance(rp, dict) or not all(isinstance(rp.get(k), str) for k in ("digest", "sealed_at")):
        raise RerenderError("review-response.json: reviewed_package needs digest and sealed_at")
    if not isinstance(d.get("items"), list):
        raise RerenderError("review-response.json: items must be a list")
    for i, it in enumerate(d["items"]):
        if not isinstance(it, dict):
            raise RerenderError(f"review-response.json: items[{i}] is not an object")
        for k in ("note", "reply"):
            if not isinstance(it.get(k, ""), str):
                raise RerenderError(f"review-response.json: items[{i}].{k} is not text")
        for k in ("indicator", "evidence"):
            if it.get(k) is not None and not isinstance(it[k], str):
                raise RerenderError(f"review-response.json: items[{i}].{k} is not text or null")
        if it.get("state", "open") not in ("open", "resolved"):
            raise RerenderError(f"review-response.json: items[{i}].state is not open or resolved")
        ch = it.get("changed", {})
        if not isinstance(ch, dict) or not all(isinstance(ch.get(k, []), list) and all(isinstance(x, str) for x in ch.get(k, []))
                                               for k in ("answers", "evidence_added", "evidence_removed")):
            raise RerenderError(f"review-response.json: items[{i}].changed is malformed")
    return d


def _check_previous_period(d: Any) -> dict:
    if not isinstance(d, dict) or d.get("format") != "dossier-previous-period":
        raise RerenderError("previous-period.json: not a dossier-previous-period document")
    if d.get("format_version") != 1:
        raise RerenderError(f"previous-period.json: format_version {d.get('format_version')!r} is not 1")
    if not isinstance(d.get("values"), dict):
        raise RerenderError("previous-period.json: values must be an object")
    for k, v in d["values"].items():
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise RerenderError(f"previous-period.json: values[{k!r}] is not a number or null")
    for k in ("period", "previous_period"):
        if not isinstance(d.get(k, ""), str):
            raise RerenderError(f"previous-period.json: {k} is not text")
    return d


_CHECKS = {REVIEW_RESPONSE: _check_review_response, PREVIOUS_PERIOD: _check_previous_period}


def parse_extra(path: str, data: bytes) -> tuple[str, dict]:
    """(PdfInput.extras key, parsed document) of one extras document of the package."""
    if len(data) > MAX_EXTRA:
        raise RerenderError(f"{path} is larger than {MAX_EXTRA >> 20} MB")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RerenderError(f"{path} is not valid UTF-8 JSON ({e})") from None
    return EXTRA_DOCS[path], _CHECKS[path](doc)


# ---------------------------------------------------------------------------- the input


def _sealer(doc: dict):
    from .pdf import SealerInfo

    s = doc.get("sealer")
    if not s:
        return None
    fp = str(s["fingerprint"])
    try:
        from ..identity.model import format_fingerprint

        shown = format_fingerprint(fp)
    except Exception:  # noqa: BLE001 - identity not available, or an odd fingerprint: group it plainly
        shown = " ".join(fp.upper()[i:i + 4] for i in range(0, len(fp), 4))
    return SealerInfo(str(s["name"]), shown)


def build_input(*, answers_bytes: bytes, program_yaml: bytes, listing: bytes,
                read: Callable[[EvidenceEntry], Iterator[bytes]], extras_docs: dict[str, bytes] | None = None):
    """The PdfInput of a package, from its files only (see the module doc)."""
    from ..errors import DossierError
    from ..programs import shared_definition
    from ..rules.engine import evaluate
    from .pdf import PdfInput

    try:
        doc = answers_json.loads(answers_bytes)
    except answers_json.AnswersFormatError as e:
        raise RerenderError(f"answers.json: {e}") from None
    try:
        # the PDF only reads it: one parse per program.yaml for all the packages a process renders
        program = shared_definition(program_yaml.decode("utf-8"), "program.yaml")
    except (DossierError, UnicodeDecodeError, RecursionError, ValueError) as e:
        raise RerenderError(f"program.yaml: {str(e)[:200]}") from None
    entries: list[EvidenceEntry] = []
    for e in doc["evidence"]:
        entries.append(EvidenceEntry(0, 0, e["name"], e["size"], e["sha256"], e["type"], e["note"], e["added_at"],
                                     e["indicator"], e["slot"], e["path"]))
    evidence = [e for e in entries if e.indicator_id != STAMP_INDICATOR]
    stamp = [e for e in entries if e.indicator_id == STAMP_INDICATOR]
    counts: dict[str, int] = {}
    for e in entries:
        if e.slot_id:
            k = f"{e.indicator_id}/{e.slot_id}"
            counts[k] = counts.get(k, 0) + 1
    answers = {p: v for p, v in doc["answers"].items()}
    report = evaluate(program, answers, counts)
    try:
        sealed_at = _dt.datetime.fromisoformat(doc["sealed_at"].replace("Z", "+00:00"))
    except ValueError:
        raise RerenderError(f"answers.json: sealed_at {doc['sealed_at']!r} is not a time") from None
    extras: dict[str, Any] = {}
    for path, data in sorted((extras_docs or {}).items()):
        if path in EXTRA_DOCS:
            key, value = parse_extra(path, data)
            extras[key] = value
    cover = {k: str(v) for k, v in (doc.get("cover") or {}).items()}
    return PdfInput(
        program=program, report=report, answers=answers, evidence=evidence, stamp=stamp,
        applicant=doc["applicant"]["zh"], applicant_en=doc["applicant"]["en"], sealed_at=sealed_at,
        digest=content_digest(listing), listing=listing, answers_json=answers_bytes, draft=doc["status"] == "draft",
        read_blob=read, sealer=_sealer(doc), lang=doc.get("language") or "zh", extras=extras, cover=cover,
    )


# ---------------------------------------------------------------------------- the check


@dataclass
class RerenderResult:
    status: str  # "match" | "mismatch" | "not_checked"
    detail: str

    @property
    def ok(self) -> bool:
        return self.status != "mismatch"


def _cannot(answers_bytes: bytes) -> str | None:
    """Why this build cannot re-render the package (None: answers.json says this very build made it)."""
    try:
        gen = json.loads(answers_bytes.decode("utf-8")).get("generator") or {}
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return "answers.json is not readable; the PDF cannot be re-rendered"
    made = f"{gen.get('name', '?')} {gen.get('version', '?')}" if isinstance(gen, dict) else "?"
    if not isinstance(gen, dict) or gen.get("name") != "Dossier" or gen.get("version") != __version__:
        return f"made by {made}; cannot re-render (this is Dossier {__version__})"
    from .renderer_id import renderer_id

    if gen.get("renderer") != renderer_id():
        # same version, other libraries, fonts or export code: other bytes for the same data, so no verdict
        return (f"made by another build of {made} (renderer {str(gen.get('renderer') or 'not recorded')[:12]}, "
                f"this one {renderer_id()[:12]}); cannot re-render")
    return None


def made_here(answers_bytes: bytes) -> bool:
    """Whether answers.json says this very build made the package (so `check` would render)."""
    return _cannot(answers_bytes) is None


def check(*, pdf_bytes: bytes, answers_bytes: bytes, program_yaml: bytes, listing: bytes,
          read: Callable[[str], Iterator[bytes]], extras_docs: dict[str, bytes] | None = None,
          task=None) -> RerenderResult:
    """Re-render the PDF from the package's files and compare it with `pdf_bytes`.

    `read(path)` yields the bytes of a payload file (evidence) by its path in the bag. `task`
    (desktop.tasks.TaskState) can cancel the layout (desktop.tasks.Cancelled)."""
    why = _cannot(answers_bytes)
    if why is not None:
        return RerenderResult("not_checked", why)
    from .pdf import render

    try:
        inp = build_input(answers_bytes=answers_bytes, program_yaml=program_yaml, listing=listing,
                          read=lambda e: read(e.path), extras_docs=extras_docs)
        again = render(inp, task).data
    except RerenderError as e:
        return RerenderResult("mismatch", f"PDF does not match its data: {e}")
    if pdf_bytes == again:
        return RerenderResult("match", "the PDF is exactly the rendering of the package's data")
    if pdf_bytes.startswith(again) and _signature_tail(pdf_bytes, len(again)):
        return RerenderResult("match", "the PDF is the rendering of the package's data plus its signature")
    return RerenderResult("mismatch", "PDF does not match its data (a page was changed after sealing)")


_BYTERANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _signature_tail(pdf: bytes, start: int) -> bool:
    """What follows the re-rendered bytes is one signature revision, and that signature covers
    the file to its end (nothing was appended after signing; the signature itself is checked by
    the PDF-signature check of verify)."""
    tail = pdf[start:]
    ranges = _BYTERANGE.findall(tail)
    if len(ranges) != 1:
        return False
    a, b, c, d = (int(x) for x in ranges[0])
    return a == 0 and c + d == len(pdf) and b <= c
