"""The review notes file (`.dossier-notes`): a reviewer's notes addressed to one package.

A small zip, readable and checkable without Dossier (docs/review-notes.md)::

    mimetype              "application/vnd.dossier.review-notes" — first, stored, no extra field:
                          bytes 30–37 of the file are "mimetype" and the type follows at byte 38
                          (the magic, as in ODF and EPUB)
    notes.json            the notes (format "dossier-review-notes", format_version 1)
    manifest-sha256.txt   `<sha256>  <name>` for mimetype and notes.json (sha256sum -c reads it)
    signature.p7s         optional: a detached CMS signature over manifest-sha256.txt (openssl cms)
    signer-cert.pem       with the signature: the reviewer's certificate

notes.json is addressed to the package it answers: program id and version, applicant, the
project's UUID and the package id when the package carries them, its content digest and seal
time; and it records what the package held (a SHA-256 per answer, the evidence files) so the
applicant's next export can say what changed since.

The reader refuses what it does not know: another magic, a newer format_version, unknown or
missing entries, oversized entries; and reports tampering: a manifest that does not match, a
signature that does not verify.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from .. import signedzip
from ..errors import DossierError
from ..fsutil import atomic_output

MIMETYPE = b"application/vnd.dossier.review-notes"
FORMAT = "dossier-review-notes"
FORMAT_VERSION = 1
SUFFIX = ".dossier-notes"
MANIFEST = "manifest-sha256.txt"
REQUIRED = ("mimetype", "notes.json", MANIFEST)
OPTIONAL = ("signature.p7s", "signer-cert.pem")
MAX_FILE = 16 << 20
MAX_ENTRY = 8 << 20

_LABEL = {"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}
_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_STR_OR_NULL = {"type": ["string", "null"]}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Dossier review notes, format_version 1",
    "type": "object",
    "required": ["format", "format_version", "notes_id", "created_at", "generator", "reviewer", "review",
                 "addressed_to", "message", "items"],
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "notes_id": {"type": "string", "minLength": 8, "maxLength": 64},
        "created_at": {"type": "string"},
        "generator": {"type": "object", "required": ["name", "version"]},
        "reviewer": {"type": "object", "required": ["name", "fingerprint"],
                     "properties": {"name": {"type": "string"}, "fingerprint": _STR_OR_NULL}},
        "review": {"type": "object", "required": ["uuid", "title"],
                   "properties": {"uuid": {"type": "string"}, "title": {"type": "string"}}},
        "addressed_to": {
            "type": "object",
            "required": ["program", "applicant", "project_uuid", "package_id", "content_digest", "sealed_at",
                         "answers_sha256", "evidence"],
            "properties": {
                "program": {"type": "object", "required": ["id", "version"],
                            "properties": {"id": {"type": "string"}, "version": {"type": "string"}}},
                "applicant": _LABEL,
                "project_uuid": _STR_OR_NULL, "package_id": _STR_OR_NULL,
                "content_digest": _SHA, "sealed_at": {"type": "string"},
                "answers_sha256": {"type": "object", "additionalProperties": _SHA},
                "evidence": {"type": "array", "items": {
                    "type": "object", "required": ["indicator", "name", "sha256"],
                    "properties": {"indicator": {"type": "string"}, "name": {"type": "string"}, "sha256": _SHA}}},
            },
        },
        "message": {"type": "string"},
        "items": {"type": "array", "maxItems": 5000, "items": {
            "type": "object", "required": ["id", "indicator", "evidence", "note", "created_at"],
            "properties": {
                "id": {"type": "string", "minLength": 1, "maxLength": 64},
                "indicator": _STR_OR_NULL,
                "evidence": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["name", "path", "sha256"],
                    "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "sha256": _SHA}}]},
                "note": {"type": "string", "maxLength": 20000},
                "created_at": {"type": "string"},
            }}},
    },
}


class NotesFileError(DossierError):
    """Not a notes file, one this version cannot read, or a tampered one."""


def value_sha256(value: Any) -> str:
    """The SHA-256 of an answer value in a canonical JSON form (keys sorted, no spaces, UTF-8), so
    the applicant's project and the reviewer's package hash the same value the same way."""
    from ..models.rows import strip_row_ids

    if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        value = strip_row_ids(value)
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    return signedzip.manifest_bytes(files, ("mimetype", "notes.json"))


def build_bytes(doc: dict[str, Any], sealer=None) -> bytes:
    """The notes file's bytes (deterministic for a given document and signature)."""
    notes = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files = {"mimetype": MIMETYPE, "notes.json": notes}
    files[MANIFEST] = manifest_bytes(files)
    if sealer is not None:
        files.update(sealer.sign_bytes(files[MANIFEST]))
    return signedzip.build(files, REQUIRED + OPTIONAL, doc.get("created_at", ""))


def write(path: str | os.PathLike, doc: dict[str, Any], sealer=None) -> tuple[Path, str]:
    """Write the notes file atomically; (path, SHA-256 of the file)."""
    data = build_bytes(doc, sealer)
    path = Path(path)
    with atomic_output(path) as (fh, _tmp):
        fh.write(data)
    return path, hashlib.sha256(data).hexdigest()


def new_document(*, reviewer: str, fingerprint: str | None, review_uuid: str, review_title: str,
                 package_answers: dict[str, Any], package_id: str | None, project_uuid: str | None,
                 content_digest: str, message: str, items: list[dict[str, Any]], created_at: str) -> dict[str, Any]:
    doc = package_answers or {}
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "notes_id": uuid.uuid4().hex, "created_at": created_at,
        "generator": {"name": "Dossier", "version": __version__},
        "reviewer": {"name": reviewer, "fingerprint": fingerprint},
        "review": {"uuid": review_uuid, "title": review_title},
        "addressed_to": {
            "program": {"id": doc.get("program", {}).get("id", ""), "version": doc.get("program", {}).get("version", "")},
            "applicant": {"zh": doc.get("applicant", {}).get("zh", ""), "en": doc.get("applicant", {}).get("en", "")},
            "project_uuid": project_uuid, "package_id": package_id, "content_digest": content_digest,
            "sealed_at": doc.get("sealed_at", ""),
            "answers_sha256": {p: value_sha256(v) for p, v in (doc.get("answers") or {}).items()},
            "evidence": [{"indicator": e["indicator"], "name": e["name"], "sha256": e["sha256"]}
                         for e in doc.get("evidence") or ()],
        },
        "message": message,
        "items": items,
    }


# ---------------------------------------------------------------------------- reading


@dataclass
class NotesFile:
    doc: dict[str, Any]
    sha256: str
    signature: dict[str, Any] = field(default_factory=lambda: {"status": "unsigned"})

    @property
    def signed(self) -> bool:
        return self.signature.get("status") not in (None, "unsigned")

    @property
    def notes_id(self) -> str:
        return self.doc["notes_id"]


def _refuse(en: str, zh: str, key: str) -> NotesFileError:
    return NotesFileError(en, zh, key=key)


def read(path: str | os.PathLike) -> NotesFile:
    """Read and check a notes file; NotesFileError says why one is refused."""
    path = Path(path)
    name = path.name
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _refuse(f"File not found: {path}", f"找不到文件：{path}", "notes.missing") from None
    except OSError as e:
        raise _refuse(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", "notes.unreadable") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(f"{name} is not a regular file", f"{name} 不是普通文件", "notes.not_notes")
    if st.st_size > MAX_FILE:
        raise _refuse(f"{name} is too large to be a review notes file ({st.st_size} bytes)",
                      f"{name} 过大，不是评审意见文件（{st.st_size} 字节）", "notes.not_notes")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _refuse(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", "notes.unreadable") from None
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str = "notes") -> NotesFile:
    not_notes = _refuse(f"{name} is not a Dossier review notes file", f"{name} 不是 Dossier 评审意见文件", "notes.not_notes")
    if len(data) > MAX_FILE:
        raise not_notes
    if not (data[:4] == b"PK\x03\x04" and data[30:38] == b"mimetype"):
        if data[:4] == b"PK\x03\x04":
            raise _refuse(f"{name} is a zip file but not a review notes file (is it a data package? Use "
                          "“Verify a package” for that)",
                          f"{name} 是 zip 文件，但不是评审意见文件（是数据包吗？数据包请用“验证数据包”）", "notes.not_notes")
        raise not_notes
    kind = signedzip.Kind(MIMETYPE, FORMAT, FORMAT_VERSION, "notes.json", SCHEMA, MAX_ENTRY, "notes", "notes format",
                          "意见文件格式", "Update Dossier to read it.", "请升级 Dossier 后再打开。")
    doc, signature = signedzip.read(data, kind, name, _refuse, not_notes)
    fp = (signature.get("fingerprint") or "").lower() or None
    claimed = doc["reviewer"].get("fingerprint")
    if signature.get("status") != "unsigned" and claimed and claimed.lower() != fp:
        raise _refuse(f"{name} has been altered: it names another reviewer than the one who signed it",
                      f"{name} 已被改动：其中的评审人与签名人不一致", "notes.tampered")
    return NotesFile(doc, hashlib.sha256(data).hexdigest(), signature)
