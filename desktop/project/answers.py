"""Answers and their history: every edit is one transaction with its history entry (old → new)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import ProjectError, ValueProblem
from ..values.incremental import RowJson, coerce_known, stored_rows
from .file import utcnow


@dataclass
class HistoryEntry:
    id: int
    at: str
    action: str
    path: str
    old: Any
    new: Any
    actor: str = ""  # who made the edit when it was not this seat (a partner's merged return)

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "at": self.at, "action": self.action, "path": self.path, "old": self.old, "new": self.new}
        if self.actor:
            d["actor"] = self.actor
        return d


def _dump(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


class _Raw(str):
    """Stored text that is not JSON (the file was edited outside Dossier), kept as it is."""


def _loads(raw: str | None) -> Any:
    """A history value: JSON, or the raw text when it is not (never an exception)."""
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return _Raw(raw)


def bad_answer(path: str, e: Exception) -> ProjectError:
    msg = getattr(e, "msg", str(e))
    return ProjectError(
        f"The stored answer for {path} is not valid JSON ({msg}): the project file was edited outside Dossier. "
        f"Clear it with `dossier set FILE {path} --clear` (or set a new value); every other answer is intact.",
        f"字段 {path} 保存的答案不是有效的 JSON（{msg}）：项目文件曾在 Dossier 之外被修改。请用 "
        f"`dossier set 文件 {path} --clear` 清空（或设置新值）；其他答案均完好。",
        key="project.bad_answer")


def load_answer(path: str, raw: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, TypeError) as e:
        raise bad_answer(path, e) from None


class AnswersMixin:
    """Mixed into Project: reads and writes answers (`path` = "<indicator>/<field>")."""

    def _field(self, path: str):
        f = self.program.field(path)
        if f is None:
            raise ValueProblem(
                f"Unknown field path {path!r} in program {self.program.id} (see `dossier program show {self.program.id}`)",
                f"程序 {self.program.id} 中没有字段 {path!r}（可用 `dossier program show {self.program.id}` 查看）",
                key="field.unknown",
            )
        return f

    def get(self, path: str) -> Any:
        self._field(path)
        row = self.conn.execute("SELECT value FROM answers WHERE path=?", (path,)).fetchone()
        return load_answer(path, row[0]) if row else None

    def answers(self) -> dict[str, Any]:
        return {p: load_answer(p, v) for p, v in self.conn.execute("SELECT path, value FROM answers")}

    def set(self, path: str, value: Any) -> Any:
        """Store a value (None clears it) in one transaction with its history entry. Returns the stored value."""
        f = self._field(path)
        new = coerce_known(f, value, self._recent_value(path))
        with self._tx() as c:
            return self._write_value(c, path, new, utcnow())

    def set_many(self, values: dict[str, Any], *, actor: str = "") -> dict[str, Any]:
        """Several values in ONE transaction (demo fill, pasted rows, imports, merges). Returns the stored values."""
        checked = {p: coerce_known(self._field(p), v, self._recent_value(p)) for p, v in values.items()}
        stored = {}
        with self._tx() as c:
            now = utcnow()
            for path, new in checked.items():
                stored[path] = self._write_value(c, path, new, now, actor=actor)
        return stored

    # What this connection last stored per path (its JSON text, the value with FrozenRow rows, the
    # per-row JSON pieces), so that the next edit of a large table neither reads and decodes the old
    # value again nor re-checks and re-encodes its unchanged rows. Valid while no other connection
    # has committed (PRAGMA data_version), updated only once a transaction has committed
    # (desktop.project.file: ProjectFile._tx).

    def _recent_value(self, path: str) -> Any:
        rec = self._stored.get(path)
        return rec[1] if rec is not None else None

    def _old_value(self, c: sqlite3.Connection, path: str) -> tuple[str | None, Any, RowJson | None]:
        dv = c.execute("PRAGMA data_version").fetchone()[0]
        if dv != self._stored_version:
            self._stored.clear()
            self._stored_version = dv
        rec = self._pending_stored.get(path) or self._stored.get(path)
        if rec is not None:
            return rec
        row = c.execute("SELECT value FROM answers WHERE path=?", (path,)).fetchone()
        if row is None:
            return None, None, None
        return row[0], _loads(row[0]), None  # an unreadable old value can still be replaced or cleared

    def _write_value(self, c: sqlite3.Connection, path: str, new: Any, now: str, *, actor: str = "") -> Any:
        """Upsert (or delete) one answer and record old → new in the history, inside the caller's
        transaction. Table rows get stable ids. Returns the stored value."""
        old_raw, old, rowjson = self._old_value(c, path)
        f = self.program.field(path)
        table = f is not None and f.type == "table" and isinstance(new, list)
        if table:
            new = stored_rows(new, old)
        if old == new and not isinstance(old, _Raw):
            return new
        if new is None:
            c.execute("DELETE FROM answers WHERE path=?", (path,))
            text = None
        else:
            if table:
                rowjson = rowjson or RowJson()
                text = rowjson.dumps(new)
            else:
                rowjson = None
                text = json.dumps(new, ensure_ascii=False)
            c.execute("INSERT INTO answers(path, value, updated_at) VALUES (?, ?, ?) "
                      "ON CONFLICT(path) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                      (path, text, now))
        c.execute("INSERT INTO history(at, action, path, old, new, actor) VALUES (?, 'set', ?, ?, ?, ?)",
                  (now, path, old_raw, text, actor))
        self._pending_stored[path] = (text, new, rowjson) if text is not None else (None, None, None)
        return new

    def history(self, path: str | None = None, limit: int | None = None) -> list[HistoryEntry]:
        sql = "SELECT id, at, action, path, old, new, actor FROM history"
        args: tuple = ()
        if path:
            sql += " WHERE path=?"
            args = (path,)
        sql += " ORDER BY id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [HistoryEntry(i, at, a, p, _loads(o), _loads(n), actor or "")
                for i, at, a, p, o, n, actor in self.conn.execute(sql, args)]
