"""Returning a package for revision: the reviewer's notes on it go out in a review notes file
(desktop.review.notes_file), signed when the reviewer has an institution identity, and the
package becomes "returned for revision" — one transaction with the file written beside it."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import notes_file
from .file import ReviewError, utcnow
from .packages import TRANSITIONS, add_event


@dataclass
class IssuedNotes:
    path: Path
    notes_id: str
    sha256: str
    items: int
    signed: bool
    signer_fingerprint: str

    def to_dict(self) -> dict:
        return {"path": str(self.path), "notes_id": self.notes_id, "sha256": self.sha256, "items": self.items,
                "signed": self.signed, "signer_fingerprint": self.signer_fingerprint}


def issue_notes(rv, pid, out: str | os.PathLike, *, sealer=None, reviewer: str | None = None,
                message: str = "") -> IssuedNotes:
    """Write the notes of package `pid` to `out` and mark the package returned for revision."""
    rec = rv.package(pid)
    if rec.answers is None:
        raise ReviewError(f"Package {rec.id} could not be read; there is nothing to address notes to",
                          f"数据包 {rec.id} 无法读取，无法向其发出评审意见", key="review.no_answers")
    if rec.state != "returned" and "returned" not in TRANSITIONS[rec.state]:
        raise ReviewError(f"Package {rec.id} is {rec.state}; reopen it (state “in_review”) before returning it",
                          f"数据包 {rec.id} 已有结论；请先重新打开（改为“审核中”）再退回修改", key="review.bad_transition")
    items = rv.notes(rec.id)
    if not items and not message.strip():
        raise ReviewError(f"Package {rec.id} has no notes yet: write at least one note first",
                          f"数据包 {rec.id} 还没有意见：请先填写至少一条意见", key="review.no_notes")
    out = Path(out)
    if not out.name.lower().endswith(notes_file.SUFFIX):
        out = out.with_name(out.name + notes_file.SUFFIX)
    if not out.parent.is_dir():
        raise ReviewError(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", key="review.no_folder")
    name = reviewer if reviewer is not None else (getattr(sealer, "name", None) or rv.meta().get("reviewer", ""))
    now = utcnow()
    doc = notes_file.new_document(
        reviewer=name or "", fingerprint=getattr(sealer, "fingerprint", None), review_uuid=rv.uuid,
        review_title=rv.title, package_answers=rec.answers, package_id=rec.package_id, project_uuid=rec.project_uuid,
        content_digest=rec.content_digest, message=message.strip(), created_at=now,
        items=[{"id": n.id, "indicator": n.indicator_id,
                "evidence": ({"name": n.evidence_name or "", "path": n.evidence_path or "", "sha256": n.evidence_sha256}
                             if n.evidence_sha256 else None),
                "note": n.text, "created_at": n.created_at} for n in items])
    written: Path | None = None
    try:
        with rv._tx() as c:
            written, sha = notes_file.write(out, doc, sealer)
            fp = getattr(sealer, "fingerprint", "") or ""
            c.execute("INSERT INTO notes_files(id, package, created_at, path, sha256, signed, signer_fingerprint, items, info)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (doc["notes_id"], rec.id, now, str(written), sha, int(sealer is not None), fp, len(items),
                       json.dumps({"message": doc["message"], "reviewer": name}, ensure_ascii=False)))
            c.execute("UPDATE notes SET notes_file=? WHERE package=?", (doc["notes_id"], rec.id))
            add_event(c, rec.id, "notes", None, {"notes_id": doc["notes_id"], "file": str(written), "items": len(items)},
                      at=now)
            if rec.state != "returned":
                c.execute("UPDATE packages SET state='returned', state_at=? WHERE id=?", (now, rec.id))
                add_event(c, rec.id, "state", rec.state, "returned", written.name, at=now)  # the notes file says why
    except BaseException:
        if written is not None:
            with contextlib.suppress(OSError):
                written.unlink()
        raise
    return IssuedNotes(written, doc["notes_id"], sha, len(items), sealer is not None, getattr(sealer, "fingerprint", "") or "")
