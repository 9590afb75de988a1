"""data/answers.json: the answers in a stable, documented schema (docs/answers-json.md).

The document is written with sorted-free, fixed key order, 2-space indentation, UTF-8 without
escapes, LF line ends and a final newline, so the same project always gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from typing import TYPE_CHECKING

from .. import __version__
from .renderer_id import renderer_id

if TYPE_CHECKING:  # verify reads answers.json without the project layer: import it lazily
    from .collect import Snapshot

FORMAT = "dossier-answers"
FORMAT_VERSION = 2  # 2 adds "package" {id} and "project" {uuid}; version 1 is still read
READABLE_VERSIONS = (1, 2)

_LABEL = {"type": "object", "required": ["zh", "en"], "additionalProperties": False,
          "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}
_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_VALUE = {"oneOf": [
    {"type": "string"}, {"type": "number"}, {"type": "boolean"},
    {"type": "array", "items": {"type": "string"}},
    {"type": "array", "items": {"type": "object", "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}}},
]}

SCHEMA_V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Dossier answers.json, format_version 1",
    "type": "object",
    "required": ["format", "format_version", "generator", "program", "applicant", "sealed_at", "status",
                 "completeness", "problems", "sealer", "answers", "evidence"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": 1},
        "generator": {"type": "object", "required": ["name", "version"],
                      "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
        "program": {
            "type": "object",
            "required": ["id", "version", "title", "issuer", "source", "definition", "definition_sha256"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"}, "version": {"type": "string"}, "title": _LABEL, "issuer": _LABEL,
                "source": {"type": "object", "required": ["number", "date", "title"], "additionalProperties": False,
                           "properties": {"number": {"type": "string"}, "date": {"type": "string"}, "title": _LABEL}},
                "definition": {"const": "data/program.yaml"},
                "definition_sha256": _SHA,
            },
        },
        "applicant": _LABEL,
        "sealed_at": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"},
        "status": {"enum": ["final", "draft"]},
        "completeness": {"type": "number", "minimum": 0, "maximum": 100},
        "problems": {"type": "array", "items": {
            "type": "object", "required": ["code", "severity", "indicator", "path", "rows", "message"],
            "properties": {"code": {"type": "string"}, "severity": {"enum": ["blocking", "warning"]},
                           "indicator": {"type": ["string", "null"]}, "path": {"type": ["string", "null"]},
                           "rows": {"type": "array", "items": {"type": "integer"}}, "message": _LABEL}}},
        "sealer": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["name", "fingerprint"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "fingerprint": {"type": "string", "pattern": "^[0-9a-f]+$"}}}]},
        "answers": {"type": "object", "propertyNames": {"pattern": "^[^/]+/[^/]+$"}, "additionalProperties": _VALUE},
        # the cover of the submission document (desktop/cover.py) and its language; optional, so
        # packages made before them still read
        "cover": {"type": "object", "additionalProperties": False,
                  "properties": {k: {"type": "string", "maxLength": 200} for k in
                                 ("recommender", "contact_name", "contact_phone", "fill_date", "period")}},
        "language": {"enum": ["zh", "en"]},
        "evidence": {"type": "array", "items": {
            "type": "object",
            "required": ["path", "name", "indicator", "slot", "size", "sha256", "type", "note", "added_at"],
            "additionalProperties": False,
            "properties": {
                "path": {"type": "string", "pattern": "^data/evidence/[^/]+/[^/]+$"},
                "name": {"type": "string"}, "indicator": {"type": "string"}, "slot": {"type": ["string", "null"]},
                "size": {"type": "integer", "minimum": 0}, "sha256": _SHA, "type": {"type": "string"},
                "note": {"type": "string"}, "added_at": {"type": "string"},
            }}},
    },
}


_UUID = {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}
SCHEMA: dict[str, Any] = {
    **SCHEMA_V1,
    "title": "Dossier answers.json, format_version 2",
    "required": SCHEMA_V1["required"][:2] + ["package", "project"] + SCHEMA_V1["required"][2:],
    "properties": {
        **SCHEMA_V1["properties"],
        "format_version": {"const": 2},
        "generator": {"type": "object", "required": ["name", "version"],
                      "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                     "renderer": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}},
        # one id per sealed package (a re-export of unchanged content is the same package), and the
        # project it came from (meta project_uuid): the reviewer's desk links resubmissions by them
        "package": {"type": "object", "required": ["id"], "additionalProperties": False, "properties": {"id": _UUID}},
        "project": {"type": "object", "required": ["uuid"], "additionalProperties": False, "properties": {"uuid": _UUID}},
    },
}
_SCHEMAS = {1: SCHEMA_V1, 2: SCHEMA}


def build(snap: "Snapshot", *, sealed_at: str, draft: bool, sealer: Any = None, program_sha256: str,
          lang: str = "zh", package_id: str = "", project_uuid: str = "") -> dict[str, Any]:
    from ..cover import PACKAGE_KEYS

    prog = snap.program
    rep = snap.report
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "package": {"id": package_id},
        "project": {"uuid": project_uuid or snap.meta.get("project_uuid", "")},
        # renderer: what decides the PDF's bytes (desktop/export/renderer_id.py); verify re-renders only for the same one
        "generator": {"name": "Dossier", "version": __version__, "renderer": renderer_id()},
        "program": {
            "id": prog.id,
            "version": prog.version,
            "title": prog.title.to_dict(),
            "issuer": prog.issuer.to_dict(),
            "source": {"number": prog.source.number, "date": prog.source.date, "title": prog.source.title.to_dict()},
            "definition": "data/program.yaml",
            "definition_sha256": program_sha256,
        },
        "applicant": {"zh": snap.applicant, "en": snap.applicant_en},
        "sealed_at": sealed_at,
        "status": "draft" if draft else "final",
        "completeness": round(rep.completeness * 100, 1),
        "problems": [p.to_dict() for p in rep.problems],
        "sealer": ({"name": str(sealer.name), "fingerprint": str(sealer.fingerprint).lower()} if sealer is not None else None),
        "answers": dict(snap.answers),
        "evidence": [e.to_dict() for e in snap.all_files],
        "cover": {k: snap.meta[k] for k in PACKAGE_KEYS if snap.meta.get(k)},
        "language": "en" if lang == "en" else "zh",
    }


def dumps(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@functools.lru_cache(maxsize=4)
def _checker(version: int):
    from ..schema_check import Checker

    return Checker(_SCHEMAS[version], "answers" if version == FORMAT_VERSION else f"answers-v{version}")


def value_ok(v: Any) -> bool:
    """Exactly what the schema's _VALUE (a oneOf) accepts, decided in plain Python: jsonschema tries
    every branch of the oneOf for every answer, ~45 ms a package — at the desk's intake of 200
    packages that was the largest piece of work besides hashing. tests/export check it against
    jsonschema on the schema itself."""
    if isinstance(v, (str, int, float)):  # string, number or boolean (bool is an int): one branch each
        return True
    if isinstance(v, list):
        if not v:
            return False  # [] matches both array branches: oneOf wants exactly one
        if all(isinstance(x, str) for x in v):
            return True
        return all(isinstance(x, dict) and all(isinstance(y, (str, int, float)) for y in x.values()) for x in v)
    return False


@functools.lru_cache(maxsize=None)
def _light_checker(version: int):
    """The schema with the answers' values left to value_ok (their names are still checked)."""
    from ..schema_check import Checker

    schema = _SCHEMAS[version]
    answers = {k: v for k, v in schema["properties"]["answers"].items() if k != "additionalProperties"}
    light = {**schema, "properties": {**schema["properties"], "answers": answers}}
    return Checker(light, "answers-light" if version == FORMAT_VERSION else f"answers-light-v{version}")


def _fast_valid(version: int, doc: Any) -> bool:
    """True when `doc` is valid against the schema of `version` (the light schema plus value_ok
    for every answer: together exactly the full schema). False: check with the full schema, which
    finds the reason."""
    answers = doc.get("answers") if isinstance(doc, dict) else None
    if not isinstance(answers, dict) or not all(value_ok(v) for v in answers.values()):
        return False
    return _light_checker(version).first_problem(doc, remember=False) is None


class AnswersFormatError(ValueError):
    pass


def loads(data: bytes) -> dict[str, Any]:
    """Parse and check against SCHEMA; raises AnswersFormatError with the reason."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise AnswersFormatError(f"not valid UTF-8 JSON: {e}") from None
    if isinstance(doc, dict) and doc.get("format") == FORMAT and isinstance(doc.get("format_version"), int) \
            and doc["format_version"] > FORMAT_VERSION:
        raise AnswersFormatError(f"format_version {doc['format_version']} is newer than this Dossier reads ({FORMAT_VERSION})")
    version = doc.get("format_version") if isinstance(doc, dict) else None
    # an older package is checked against the schema of its own format version
    version = version if isinstance(version, int) and version in _SCHEMAS else FORMAT_VERSION
    # a package is checked once per process: verify parses its answers.json on the main thread and
    # again where the PDF is re-rendered (build_input); the second parse skips the schema check
    key = (version, hashlib.sha256(data).digest())
    if key in _valid:
        return doc
    problem = None if _fast_valid(version, doc) else _checker(version).first_problem(doc, remember=False)
    if problem is not None:
        raise AnswersFormatError(f"{problem.where}: {problem.message[:200]}")
    if len(_valid) >= 64:
        _valid.clear()
    _valid.add(key)
    return doc


_valid: set[tuple[int, bytes]] = set()  # (format version, sha256 of the bytes) that passed the schema


# desktop.project.STAMP_INDICATOR, spelled out so that reading a package does not import the project
# layer (SQLite, the evidence store); tests/export/test_verify_contract.py checks they agree
STAMP_INDICATOR = "_stamp"



def check_against_program(doc: dict[str, Any], program) -> list[str]:
    """Problems (as sentences) where answers.json does not fit the program definition."""
    from ..errors import ValueProblem
    from ..values import coerce

    out: list[str] = []
    if doc["program"]["id"] != program.id or doc["program"]["version"] != program.version:
        out.append(f"answers.json is for {doc['program']['id']}@{doc['program']['version']} "
                   f"but program.yaml defines {program.id}@{program.version}")
    for path, value in doc["answers"].items():
        f = program.field(path)
        if f is None:
            out.append(f"answers.json: {path} is not a field of {program.id}")
            continue
        try:
            if coerce(f, value) != value:
                out.append(f"answers.json: {path} does not hold a normalised {f.type} value")
        except ValueProblem as e:
            out.append(f"answers.json: {path}: {e.en}")
    for ev in doc["evidence"]:
        ind = ev["indicator"]
        if ind != STAMP_INDICATOR and program.indicator(ind) is None:
            out.append(f"answers.json: evidence {ev['path']} belongs to unknown indicator {ind}")
        elif ind != STAMP_INDICATOR and ev["slot"] is not None and program.slot(ind, ev["slot"]) is None:
            out.append(f"answers.json: evidence {ev['path']} names unknown slot {ind}/{ev['slot']}")
    return out
