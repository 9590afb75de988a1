"""The applicant's side of reviewer notes: import a review notes file into the project, list the
notes beside each indicator, reply and mark them resolved.

Notes live in the project's `review_notes` table (project schema v2), one row per note; the notes
file itself in `review_notes_files`, whose `info` keeps what it said about itself and about the
package it answered (reviewer, signature, the package's digest and seal time, its answers' hashes
and evidence) — what desktop.review.response needs to say what changed since. Importing is one transaction; the same notes file imported twice changes
nothing. A notes file for another project, or a tampered one, is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import DossierError
from ..project import utcnow
from . import notes_file


class NotesImportError(DossierError):
    pass


@dataclass
class ProjectNote:
    id: str
    notes_id: str
    indicator_id: str | None
    evidence_sha256: str | None
    evidence_name: str | None
    text: str
    author: str
    created_at: str
    state: str  # open | resolved
    reply: str
    replied_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ImportResult:
    notes_id: str
    added: int
    already: bool
    signed: bool
    signer: str
    fingerprint: str
    warnings: list[tuple[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {"notes_id": self.notes_id, "added": self.added, "already_imported": self.already, "signed": self.signed,
                "signer": self.signer, "fingerprint": self.fingerprint, "warnings": [w[0] for w in self.warnings]}


def _foreign(en: str, zh: str) -> NotesImportError:
    return NotesImportError(en, zh, key="notes.foreign")


def check_addressed(proj, doc: dict[str, Any]) -> list[tuple[str, str]]:
    """Refuse notes addressed to another project; return warnings (en, zh) for softer mismatches."""
    to = doc["addressed_to"]
    prog = proj.program
    if to["program"]["id"] != prog.id:
        raise _foreign(f"These notes are for program {to['program']['id']}, but this project is for {prog.id}",
                       f"这些意见针对程序 {to['program']['id']}，而此项目属于 {prog.id}")
    if to.get("project_uuid"):
        if to["project_uuid"] != proj.uuid:
            raise _foreign("These notes are for another project (a different project UUID): open the project the "
                           "package was exported from",
                           "这些意见针对另一个项目（项目 UUID 不同）：请打开导出该数据包的项目")
    elif to["applicant"]["zh"] != proj.applicant:
        raise _foreign(f"These notes are for “{to['applicant']['zh']}”, but this project's applicant is “{proj.applicant}”",
                       f"这些意见针对“{to['applicant']['zh']}”，而此项目的申报单位是“{proj.applicant}”")
    warnings: list[tuple[str, str]] = []
    exported = {r[0] for r in proj.conn.execute("SELECT content_digest FROM exports")}
    if exported and to["content_digest"] not in exported:
        warnings.append(("the reviewed package is not in this project's export history (was it exported from a copy?)",
                         "被评审的数据包不在此项目的导出记录中（是否从副本导出？）"))
    return warnings


def import_notes(proj, path) -> ImportResult:
    nf = notes_file.read(path)
    doc = nf.doc
    warnings = check_addressed(proj, doc)
    sig = nf.signature
    signer = str(sig.get("signer") or doc["reviewer"]["name"] or "")
    fp = str(sig.get("fingerprint") or "")
    if not nf.signed:
        warnings.append(("the notes file is not signed: check with the reviewer that it is theirs",
                         "评审意见文件未签名：请与评审方确认来源"))
    # a note keeps its id across notes files (the reviewer re-issuing the notes of a package, with
    # one more): it is imported once, and then belongs to the newest file that carried it
    prefix = f"{doc['review']['uuid']}:"
    have = {r[0] for r in proj.conn.execute("SELECT id FROM review_notes WHERE id LIKE ?", (prefix + "%",))}
    rows, carried = [], []
    info_common = {"reviewer": doc["reviewer"]["name"], "signer": signer, "fingerprint": fp, "signed": nf.signed,
                   "review": doc["review"], "file_sha256": nf.sha256, "message": doc["message"],
                   "reviewed_package": {"digest": doc["addressed_to"]["content_digest"],
                                        "sealed_at": doc["addressed_to"]["sealed_at"],
                                        "package_id": doc["addressed_to"].get("package_id")},
                   "notes_created_at": doc["created_at"]}
    for it in doc["items"]:
        rid = prefix + it["id"]
        if rid in have:
            carried.append(rid)
            continue
        ev = it.get("evidence") or {}
        rows.append((rid, nf.notes_id, it.get("indicator"), ev.get("sha256"), it["note"], doc["reviewer"]["name"],
                     it["created_at"], json.dumps({"evidence_name": ev.get("name"), "evidence_path": ev.get("path")},
                                                  ensure_ascii=False)))
    known = proj.conn.execute("SELECT 1 FROM review_notes_files WHERE notes_id=?", (nf.notes_id,)).fetchone()
    already = known is not None
    if not already:
        now = utcnow()
        with proj.transaction() as c:
            c.execute("INSERT INTO review_notes_files(notes_id, imported_at, created_at, reviewer, info)"
                      " VALUES (?, ?, ?, ?, ?)",
                      (nf.notes_id, now, doc["created_at"], doc["reviewer"]["name"],
                       json.dumps({**info_common, "answers_sha256": doc["addressed_to"]["answers_sha256"],
                                   "evidence": doc["addressed_to"]["evidence"]}, ensure_ascii=False)))
            for r in rows:
                c.execute("INSERT INTO review_notes(id, notes_id, indicator_id, evidence_sha256, text, author, created_at,"
                          " state, info) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)", r)
            for rid in carried:  # replies and states stay; the note now answers this file
                c.execute("UPDATE review_notes SET notes_id=? WHERE id=?", (nf.notes_id, rid))
            c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'review_notes', '', NULL, ?)",
                      (now, json.dumps({"notes_id": nf.notes_id, "items": len(rows), "carried": len(carried),
                                        "reviewer": doc["reviewer"]["name"]}, ensure_ascii=False)))
    else:
        rows = []
    return ImportResult(nf.notes_id, len(rows), already, nf.signed, signer, fp, warnings)


_COLS = "id, notes_id, indicator_id, evidence_sha256, info, text, author, created_at, state, reply, replied_at"


def _note(row) -> ProjectNote:
    nid, notes_id, ind, ev_sha, info, text, author, at, state, reply, replied = row
    name = (json.loads(info or "{}") or {}).get("evidence_name")
    return ProjectNote(nid, notes_id, ind, ev_sha, name, text, author, at, state, reply, replied)


def project_notes(proj, indicator_id: str | None = None, *, all_indicators: bool = True) -> list[ProjectNote]:
    sql = f"SELECT {_COLS} FROM review_notes"
    args: tuple = ()
    if not all_indicators:
        sql += " WHERE indicator_id IS ?" if indicator_id is None else " WHERE indicator_id=?"
        args = (indicator_id,)
    return [_note(r) for r in proj.conn.execute(sql + " ORDER BY created_at, id", args)]


def open_counts(proj) -> dict[str | None, int]:
    """Open notes per indicator (None: notes on the whole package) — the tree's badges."""
    return {ind: n for ind, n in proj.conn.execute(
        "SELECT indicator_id, COUNT(*) FROM review_notes WHERE state='open' GROUP BY indicator_id")}


def notes_files(proj) -> list[dict[str, Any]]:
    """The imported notes files, newest first, with what they said about themselves."""
    out = []
    for nid, imported, info in proj.conn.execute(
            "SELECT notes_id, imported_at, info FROM review_notes_files ORDER BY created_at DESC, rowid DESC"):
        d = json.loads(info or "{}")
        d["notes_id"] = nid
        d["imported_at"] = imported
        out.append(d)
    return out


def reply(proj, note_id: str, text: str, *, resolved: bool | None = True) -> ProjectNote:
    """Reply to a note; `resolved` True/False sets the state, None keeps it."""
    row = proj.conn.execute(f"SELECT {_COLS} FROM review_notes WHERE id=?", (note_id,)).fetchone()
    if row is None:
        # let people type the short form they see in listings (the part after the colon)
        rows = proj.conn.execute(f"SELECT {_COLS} FROM review_notes WHERE id LIKE ?",
                                 (f"%:{note_id}",)).fetchall()
        if len(rows) != 1:
            raise NotesImportError(f"There is no reviewer note {note_id} in this project",
                                   f"此项目中没有编号为 {note_id} 的评审意见", key="notes.no_note")
        row = rows[0]
    n = _note(row)
    state = n.state if resolved is None else ("resolved" if resolved else "open")
    text = (text or "").strip()
    if state == "resolved" and not text and not n.reply:
        raise NotesImportError("Say how the note was resolved (a reply is sent back with the next export)",
                               "请说明如何处理了该意见（答复将随下次导出一并提交）", key="notes.reply_required")
    now = utcnow()
    with proj.transaction() as c:
        c.execute("UPDATE review_notes SET reply=?, state=?, replied_at=? WHERE id=?", (text or n.reply, state, now, n.id))
        c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'review_reply', ?, ?, ?)",
                  (now, n.indicator_id or "", json.dumps({"state": n.state, "reply": n.reply}, ensure_ascii=False),
                   json.dumps({"note": n.id, "state": state, "reply": text or n.reply}, ensure_ascii=False)))
    return _note(proj.conn.execute(f"SELECT {_COLS} FROM review_notes WHERE id=?", (n.id,)).fetchone())
