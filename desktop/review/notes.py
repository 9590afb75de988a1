"""The reviewer's notes on a package: per indicator ("补充…证明材料"), optionally per evidence file
("数据与附件不一致"), or on the package as a whole. Notes are drafts until a review notes file is
issued (desktop.review.notes_file); the notes it carried then record which file they went out in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from .file import ReviewError, utcnow

MAX_NOTE = 20_000


@dataclass
class Note:
    id: str
    package: int
    indicator_id: str | None
    evidence_path: str | None
    evidence_name: str | None
    evidence_sha256: str | None
    text: str
    author: str
    created_at: str
    updated_at: str
    notes_file: str | None  # the notes file it went out in (None: not sent yet)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_COLS = ("id, package, indicator_id, evidence_path, evidence_name, evidence_sha256, text, author, created_at, "
         "updated_at, notes_file")


class NotesMixin:
    def notes(self, pid: int | None = None, *, unsent_only: bool = False) -> list[Note]:
        sql = f"SELECT {_COLS} FROM notes"
        where, args = [], []
        if pid is not None:
            where.append("package=?")
            args.append(pid)
        if unsent_only:
            where.append("notes_file IS NULL")
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [Note(*r) for r in self.conn.execute(sql + " ORDER BY created_at, rowid", args)]

    def note(self, note_id: str) -> Note:
        row = self.conn.execute(f"SELECT {_COLS} FROM notes WHERE id=?", (note_id,)).fetchone()
        if row is None:
            raise ReviewError(f"There is no note {note_id}", f"没有编号为 {note_id} 的意见", key="review.no_note")
        return Note(*row)

    def _evidence_entry(self, rec, evidence: str) -> dict[str, Any]:
        docs = (rec.answers or {}).get("evidence") or []
        hits = [e for e in docs if evidence in (e.get("path"), e.get("name"), e.get("sha256"))]
        if not hits:
            names = ", ".join(e.get("name", "") for e in docs[:10]) or "(none)"
            raise ReviewError(f"Package {rec.id} has no evidence file {evidence!r}; its files: {names}",
                              f"数据包 {rec.id} 中没有证明材料 {evidence!r}；现有：{names}", key="review.no_evidence")
        return hits[0]

    def add_note(self, pid: int | str, text: str, *, indicator: str | None = None, evidence: str | None = None,
                 author: str = "") -> Note:
        rec = self.package(pid)  # type: ignore[attr-defined]
        text = (text or "").strip()
        if not text:
            raise ReviewError("A note needs some text", "意见内容不能为空", key="review.empty_note")
        if len(text) > MAX_NOTE:
            raise ReviewError(f"A note can hold up to {MAX_NOTE} characters", f"每条意见最多 {MAX_NOTE} 个字符",
                              key="review.note_too_long")
        ev = None
        if evidence:
            ev = self._evidence_entry(rec, evidence)
            indicator = indicator or ev.get("indicator")
        if indicator:
            from .recheck import installed_program

            prog, _why = installed_program(rec.program_id, rec.program_version)
            known = {i.id for i in prog.indicators()} if prog is not None else None
            if known is not None and indicator not in known and indicator != "_stamp":
                raise ReviewError(f"Program {rec.program_id} has no indicator {indicator!r}",
                                  f"程序 {rec.program_id} 中没有指标 {indicator!r}", key="review.no_indicator")
        now = utcnow()
        nid = uuid.uuid4().hex[:12]
        with self._tx() as c:  # type: ignore[attr-defined]
            c.execute(f"INSERT INTO notes({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                      (nid, rec.id, indicator or None, ev and ev.get("path"), ev and ev.get("name"),
                       ev and ev.get("sha256"), text, author, now, now))
            if rec.state == "received":  # writing notes means the package is being reviewed
                from .packages import add_event

                c.execute("UPDATE packages SET state='in_review', state_at=? WHERE id=?", (now, rec.id))
                add_event(c, rec.id, "state", "received", "in_review", "", at=now)
        return self.note(nid)

    def edit_note(self, note_id: str, text: str) -> Note:
        n = self.note(note_id)
        if n.notes_file:
            raise ReviewError("This note was already sent in a review notes file; write a new note instead",
                              "该意见已随评审意见文件发出，不能修改；请另写一条", key="review.note_sent")
        text = (text or "").strip()
        if not text:
            raise ReviewError("A note needs some text", "意见内容不能为空", key="review.empty_note")
        with self._tx() as c:  # type: ignore[attr-defined]
            c.execute("UPDATE notes SET text=?, updated_at=? WHERE id=?", (text[:MAX_NOTE], utcnow(), note_id))
        return self.note(note_id)

    def delete_note(self, note_id: str) -> None:
        n = self.note(note_id)
        if n.notes_file:
            raise ReviewError("This note was already sent in a review notes file and is kept",
                              "该意见已随评审意见文件发出，将予以保留", key="review.note_sent")
        with self._tx() as c:  # type: ignore[attr-defined]
            c.execute("DELETE FROM notes WHERE id=?", (note_id,))
