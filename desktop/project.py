"""The `.dossier` project file: one SQLite database per applicant.

- `PRAGMA application_id` marks the file as ours; `PRAGMA user_version` is the schema version,
  upgraded by the ladder in desktop.migrations inside one exclusive transaction.
- Rollback-journal mode (not WAL): a closed project is exactly one file, safe to copy on a USB
  stick; after a crash SQLite rolls the hot journal back on next open, so the file holds every
  committed edit and nothing half-done.
- Every write is one transaction (`_tx`). Evidence is streamed in chunks inside the attach's
  transaction, so a full disk or a cancel rolls the whole attach back.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .errors import DossierError, ProjectError, ValueProblem
from .evidence_types import detect_type
from .fsutil import atomic_output, temp_path_beside
from .migrations import CURRENT_VERSION, migrate
from .models.program import Label, Program
from .models.report import Report
from .programs import load_definition_text
from .rules import evaluate
from .tasks import TaskState
from .values import coerce

APPLICATION_ID = 0x444F5353  # "DOSS"
CHUNK_SIZE = 1 << 20  # 1 MiB: big enough for speed, small enough to keep memory flat
SQLITE_MAGIC = b"SQLite format 3\x00"
STAMP_INDICATOR = "_stamp"  # the stamp page (盖章页) scan slot, outside the program's indicators


def utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class EvidenceLink:
    indicator_id: str
    slot_id: str | None


@dataclass
class Evidence:
    id: int
    name: str
    size: int
    sha256: str
    mime: str
    note: str
    added_at: str
    blob_id: int
    links: list[EvidenceLink] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "size": self.size, "sha256": self.sha256, "type": self.mime,
            "note": self.note, "added_at": self.added_at,
            "links": [{"indicator": l.indicator_id, "slot": l.slot_id} for l in self.links],
        }


@dataclass
class HistoryEntry:
    id: int
    at: str
    action: str
    path: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "action": self.action, "path": self.path, "old": self.old, "new": self.new}


def _err(en: str, zh: str, key: str) -> ProjectError:
    return ProjectError(en, zh, key=key)


def _check_header(path: Path) -> None:
    """Refuse files that are not SQLite, or are truncated, before SQLite touches them."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except IsADirectoryError:
        raise _err(f"{path} is a folder, not a Dossier project", f"{path} 是文件夹，不是 Dossier 项目文件", "project.not_file") from None
    except PermissionError:
        raise _err(f"No permission to read {path}", f"没有读取 {path} 的权限", "project.unreadable") from None
    except OSError as e:
        raise _err(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", "project.unreadable") from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise _err(
            f"{path.name} is not a Dossier project file",
            f"{path.name} 不是 Dossier 项目文件",
            "project.not_dossier",
        )
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    n_pages = int.from_bytes(head[28:32], "big")
    change, valid_for = head[24:28], head[92:96]
    size = path.stat().st_size
    if n_pages and change == valid_for and size < n_pages * page_size:
        raise _err(
            f"{path.name} is damaged (the file is shorter than it should be: it may have been copied incompletely). "
            "Use an earlier copy of the project.",
            f"{path.name} 已损坏（文件不完整，可能复制时中断）。请使用该项目较早的副本。",
            "project.corrupt",
        )


def _remove_stale_journal(conn: sqlite3.Connection, path: Path) -> None:
    """After a crash SQLite rolls a *hot* journal back on first read and deletes it; a journal that
    was not hot (the crash came before it was valid) stays beside the file. Holding the write lock
    (so no other writer can own it), remove it: a closed project is one file again."""
    journal = path.with_name(path.name + "-journal")
    if not journal.exists():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        with contextlib.suppress(FileNotFoundError):
            journal.unlink()
    finally:
        conn.execute("COMMIT")


def _is_writable(path: Path) -> bool:
    # rollback journals are created beside the file, so the folder must be writable too
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return False
    try:
        return (path.stat().st_mode & stat.S_IWUSR) != 0
    except OSError:
        return False


class Project:
    """An open `.dossier` file. Not thread-safe: each thread opens its own Project (own connection)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool):
        self.path = path
        self.conn = conn
        self._db = None
        self.readonly = readonly
        self._program: Program | None = None
        self._meta_cache: dict[str, str] | None = None

    # ------------------------------------------------------------------ open / create

    @classmethod
    def create(cls, path: str | os.PathLike, program: Program, applicant: str = "", applicant_en: str = "") -> "Project":
        path = Path(path)
        if path.exists():
            raise _err(f"{path} already exists; choose another name", f"{path} 已存在，请换一个文件名", "project.exists")
        if not path.parent.is_dir():
            raise _err(f"Folder {path.parent} does not exist", f"文件夹 {path.parent} 不存在", "project.no_folder")
        if not os.access(path.parent, os.W_OK):
            raise _err(f"Folder {path.parent} is read-only; save the project elsewhere",
                       f"文件夹 {path.parent} 是只读的，请保存到其他位置", "project.readonly_folder")
        # build the new file under a temporary name, rename when complete
        tmp = temp_path_beside(path)
        tmp.unlink()
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA page_size=16384")
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                migrate(conn, 0)
                now = utcnow()
                meta = {
                    "format": "dossier",
                    "program_id": program.id,
                    "program_version": program.version,
                    "program_yaml": program.text,
                    "applicant": applicant,
                    "applicant_en": applicant_en,
                    "created_at": now,
                    "modified_at": now,
                    "created_with": __version__,
                    "saved_with": __version__,
                }
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(meta.items()))
                conn.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'create', '', NULL, ?)",
                             (now, json.dumps({"program": program.key, "applicant": applicant}, ensure_ascii=False)))
                conn.execute("COMMIT")
            finally:
                conn.close()
            os.replace(tmp, path)
        except sqlite3.Error as e:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise _err(f"Could not create {path}: {e}", f"无法创建 {path}：{e}", "project.create_failed") from None
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return cls.open(path)

    @classmethod
    def open(cls, path: str | os.PathLike, readonly: bool = False) -> "Project":
        path = Path(path)
        if not path.exists():
            raise _err(f"File not found: {path}", f"找不到文件：{path}", "project.missing")
        _check_header(path)
        writable = _is_writable(path)
        ro = readonly or not writable
        uri = path.resolve().as_uri() + ("?mode=ro" if ro else "?mode=rw")
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=10000")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise _err(f"{path.name} is damaged or not a Dossier project ({e})",
                       f"{path.name} 已损坏或不是 Dossier 项目文件（{e}）", "project.corrupt") from None
        if app_id != APPLICATION_ID:
            conn.close()
            raise _err(f"{path.name} is an SQLite database but not a Dossier project",
                       f"{path.name} 是 SQLite 数据库，但不是 Dossier 项目文件", "project.not_dossier")
        if version > CURRENT_VERSION:
            conn.close()
            raise _err(
                f"{path.name} was saved by a newer version of Dossier (file format {version}, this version reads up to "
                f"{CURRENT_VERSION}). Update Dossier to open it.",
                f"{path.name} 由更新版本的 Dossier 保存（文件格式 {version}，本版本最高支持 {CURRENT_VERSION}）。请升级 Dossier 后再打开。",
                "project.too_new",
            )
        if version < CURRENT_VERSION:
            if ro:
                conn.close()
                raise _err(
                    f"{path.name} was made by an older Dossier and must be upgraded, but it is read-only. "
                    "Copy it to a writable folder and open the copy.",
                    f"{path.name} 由旧版 Dossier 创建，需要升级，但文件是只读的。请复制到可写的文件夹后打开副本。",
                    "project.needs_upgrade",
                )
            try:
                migrate(conn, version)
            except sqlite3.DatabaseError as e:
                conn.close()
                raise _err(f"Could not upgrade {path.name}: {e}", f"无法升级 {path.name}：{e}", "project.upgrade_failed") from None
        proj = cls(path, conn, ro)
        try:
            if not ro:
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                _remove_stale_journal(conn, path)
            if conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() is None:
                raise sqlite3.DatabaseError("no project metadata")
            proj.program  # noqa: B018 - loads and validates the embedded definition now, not later
        except sqlite3.DatabaseError as e:
            conn.close()
            raise _err(f"{path.name} is damaged ({e}). Use an earlier copy of the project.",
                       f"{path.name} 已损坏（{e}）。请使用该项目较早的副本。", "project.corrupt") from None
        return proj

    @property
    def db(self):
        """The connection as a sqlite-utils Database (schema introspection, ad-hoc queries, export)."""
        if self._db is None:
            import sqlite_utils  # imported on demand: it costs ~50 ms at start-up

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def readonly_notice(self) -> Label | None:
        if not self.readonly:
            return None
        return Label(
            "此项目以只读方式打开（文件或所在文件夹不可写，例如光盘或写保护的U盘）。如需修改，请先复制到可写的位置。",
            "This project is open read-only (the file or its folder cannot be written, e.g. a CD or a locked USB stick). "
            "Copy it to a writable place to edit it.",
        )

    # ------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise _err("The project is open read-only; copy it to a writable place to edit it",
                       "项目以只读方式打开；如需修改，请先复制到可写的位置", "project.readonly")
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise self._os_error(e) from None
        try:
            yield c
            c.execute("UPDATE meta SET value=? WHERE key='modified_at'", (utcnow(),))
            c.execute("UPDATE meta SET value=? WHERE key='saved_with'", (__version__,))
            c.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
            self._meta_cache = None
            if isinstance(e, sqlite3.OperationalError):
                raise self._os_error(e) from None
            raise
        self._meta_cache = None

    def _os_error(self, e: sqlite3.Error) -> DossierError:
        msg = str(e)
        if "full" in msg:
            return _err("The disk is full: nothing was changed. Free some space and try again.",
                        "磁盘空间已满：未做任何修改。请释放空间后重试。", "disk.full")
        if "readonly" in msg or "read-only" in msg:
            return _err("The project file cannot be written (read-only media?): nothing was changed.",
                        "无法写入项目文件（只读介质？）：未做任何修改。", "project.readonly")
        if "locked" in msg or "busy" in msg:
            return _err("The project is busy in another window or program; try again in a moment.",
                        "项目正被其他窗口或程序使用，请稍后重试。", "project.busy")
        return _err(f"Could not write the project: {msg}", f"无法写入项目：{msg}", "project.write_failed")

    # ------------------------------------------------------------------ meta & program

    def meta(self) -> dict[str, str]:
        if self._meta_cache is None:
            self._meta_cache = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        return self._meta_cache

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as c:
            c.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    @property
    def program(self) -> Program:
        if self._program is None:
            m = self.meta()
            prog = load_definition_text(m["program_yaml"], f"{self.path.name} (embedded {m['program_id']}@{m['program_version']})")
            prog.origin = "project"
            self._program = prog
        return self._program

    @property
    def applicant(self) -> str:
        return self.meta().get("applicant", "")

    def set_applicant(self, name: str, name_en: str | None = None) -> None:
        old = self.applicant
        with self._tx() as c:
            c.execute("UPDATE meta SET value=? WHERE key='applicant'", (name,))
            if name_en is not None:
                c.execute("INSERT INTO meta(key, value) VALUES ('applicant_en', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (name_en,))
            c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'applicant', '', ?, ?)",
                      (utcnow(), json.dumps(old, ensure_ascii=False), json.dumps(name, ensure_ascii=False)))

    # ------------------------------------------------------------------ answers

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
        return json.loads(row[0]) if row else None

    def answers(self) -> dict[str, Any]:
        return {p: json.loads(v) for p, v in self.conn.execute("SELECT path, value FROM answers")}

    def set(self, path: str, value: Any) -> Any:
        """Store a value (None clears it) in one transaction with its history entry. Returns the stored value."""
        new = coerce(self._field(path), value)
        with self._tx() as c:
            self._write_value(c, path, new, utcnow())
        return new

    def set_many(self, values: dict[str, Any]) -> None:
        """Several values in ONE transaction (demo fill, pasted rows, imports)."""
        checked = {p: coerce(self._field(p), v) for p, v in values.items()}
        with self._tx() as c:
            now = utcnow()
            for path, new in checked.items():
                self._write_value(c, path, new, now)

    @staticmethod
    def _write_value(c: sqlite3.Connection, path: str, new: Any, now: str) -> None:
        """Upsert (or delete) one answer and record old → new in the history, inside the caller's transaction."""
        row = c.execute("SELECT value FROM answers WHERE path=?", (path,)).fetchone()
        old = json.loads(row[0]) if row else None
        if old == new:
            return
        if new is None:
            c.execute("DELETE FROM answers WHERE path=?", (path,))
        else:
            c.execute("INSERT INTO answers(path, value, updated_at) VALUES (?, ?, ?) "
                      "ON CONFLICT(path) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                      (path, json.dumps(new, ensure_ascii=False), now))
        c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'set', ?, ?, ?)",
                  (now, path, None if old is None else json.dumps(old, ensure_ascii=False),
                   None if new is None else json.dumps(new, ensure_ascii=False)))

    def history(self, path: str | None = None, limit: int | None = None) -> list[HistoryEntry]:
        sql = "SELECT id, at, action, path, old, new FROM history"
        args: tuple = ()
        if path:
            sql += " WHERE path=?"
            args = (path,)
        sql += " ORDER BY id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [HistoryEntry(i, at, a, p, json.loads(o) if o else None, json.loads(n) if n else None)
                for i, at, a, p, o, n in self.conn.execute(sql, args)]

    # ------------------------------------------------------------------ evidence

    def _slot_for(self, indicator_id: str, slot_id: str | None, name: str) -> str | None:
        if indicator_id == STAMP_INDICATOR:
            return "scan"
        ind = self.program.indicator(indicator_id)
        if ind is None:
            known = ", ".join(i.id for i in self.program.indicators())
            raise ValueProblem(f"Unknown indicator {indicator_id!r}; indicators are: {known}",
                               f"未知的指标 {indicator_id!r}；可用指标：{known}", key="indicator.unknown")
        ext = Path(name).suffix.lower().lstrip(".")
        if slot_id:
            slot = self.program.slot(indicator_id, slot_id)
            if slot is None:
                known = ", ".join(s.id for s in ind.evidence) or "(none)"
                raise ValueProblem(f"Indicator {indicator_id} has no evidence slot {slot_id!r}; slots: {known}",
                                   f"指标 {indicator_id} 没有证明材料栏目 {slot_id!r}；可用：{known}", key="slot.unknown")
            if slot.accept and ext not in slot.accept:
                raise ValueProblem(
                    f"{name}: slot “{slot.label.en}” accepts {', '.join(slot.accept)} files, not .{ext or '(none)'}",
                    f"{name}：“{slot.label.zh}”只接受 {'、'.join(slot.accept)} 文件，不接受 .{ext or '（无扩展名）'}",
                    key="slot.type",
                )
            return slot.id
        for slot in ind.evidence:  # first slot that accepts the file type
            if not slot.accept or ext in slot.accept:
                return slot.id
        return None

    def attach(self, src: str | os.PathLike, indicator_id: str, slot_id: str | None = None, note: str = "",
               task: TaskState | None = None, name: str | None = None) -> Evidence:
        """Stream a file into the project (one transaction) and link it to an indicator.

        Identical bytes are stored once. Attaching the same content to the same indicator twice is
        refused. Empty (0-byte) files are accepted (the CLI and UI warn); a cancel or a full disk
        rolls everything back.
        """
        src = Path(src)
        name = name or src.name
        try:
            st = src.stat()
        except FileNotFoundError:
            raise _err(f"Evidence file not found: {src}", f"找不到证明材料文件：{src}", "evidence.missing") from None
        except OSError as e:
            raise _err(f"Cannot read {src}: {e.strerror}", f"无法读取 {src}：{e.strerror}", "evidence.unreadable") from None
        if src.is_dir():
            raise _err(f"{src} is a folder; attach the files inside it instead",
                       f"{src} 是文件夹；请添加其中的文件", "evidence.is_dir")
        if not src.is_file():
            raise _err(f"{src} is not a regular file", f"{src} 不是普通文件", "evidence.not_file")
        slot = self._slot_for(indicator_id, slot_id, name)
        size = st.st_size
        try:
            fh = open(src, "rb")
        except OSError as e:
            raise _err(f"Cannot read {src}: {e.strerror}", f"无法读取 {src}：{e.strerror}", "evidence.unreadable") from None
        with fh:
            head = fh.read(4096)
            fh.seek(0)
            mime = detect_type(head, name)
            if task:
                task.set_total(task.total + size)
            with self._tx() as c:
                blob_id, sha = self._store_blob(c, fh, size, mime, task)
                existing = c.execute("SELECT e.id FROM evidence e WHERE e.blob_id=?", (blob_id,)).fetchone()
                now = utcnow()
                if existing:
                    ev_id = existing[0]
                    dup = c.execute("SELECT 1 FROM links WHERE evidence_id=? AND indicator_id=?", (ev_id, indicator_id)).fetchone()
                    if dup:
                        other = c.execute("SELECT name FROM evidence WHERE id=?", (ev_id,)).fetchone()[0]
                        raise _err(
                            f"{name}: the same file is already attached to {indicator_id} as #{ev_id} “{other}”",
                            f"{name}：相同内容的文件已作为 #{ev_id}“{other}”添加到指标 {indicator_id}",
                            "evidence.duplicate",
                        )
                else:
                    ev_id = c.execute("INSERT INTO evidence(blob_id, name, note, added_at) VALUES (?, ?, ?, ?)",
                                      (blob_id, name, note, now)).lastrowid
                c.execute("INSERT INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
                          (ev_id, indicator_id, slot, now))
                c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'attach', ?, NULL, ?)",
                          (now, f"{indicator_id}/#{slot or ''}",
                           json.dumps({"evidence": ev_id, "name": name, "sha256": sha, "size": size}, ensure_ascii=False)))
        return self.evidence_item(ev_id)

    def _store_blob(self, c: sqlite3.Connection, fh, size: int, mime: str, task: TaskState | None) -> tuple[int, str]:
        # Same size as a stored blob? Then hash first, so duplicates are never written at all.
        if c.execute("SELECT 1 FROM blobs WHERE size=? LIMIT 1", (size,)).fetchone():
            h = hashlib.sha256()
            while chunk := fh.read(CHUNK_SIZE):
                h.update(chunk)
            row = c.execute("SELECT id FROM blobs WHERE sha256=?", (h.hexdigest(),)).fetchone()
            if row:
                if task:
                    task.advance(size)
                return row[0], h.hexdigest()
            fh.seek(0)
        blob_id = c.execute("INSERT INTO blobs(sha256, size, mime, chunk_size) VALUES (NULL, ?, ?, ?)",
                            (size, mime, CHUNK_SIZE)).lastrowid
        h = hashlib.sha256()
        seq = 0
        written = 0
        buf = bytearray(CHUNK_SIZE)
        view = memoryview(buf)
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            part = view[:n]
            h.update(part)
            c.execute("INSERT INTO chunks(blob_id, seq, data) VALUES (?, ?, ?)", (blob_id, seq, part))
            seq += 1
            written += n
            if task:
                task.advance(n)
        if written != size:
            raise _err("The evidence file changed while it was being read; try again",
                       "读取过程中证明材料文件发生了变化，请重试", "evidence.changed")
        sha = h.hexdigest()
        c.execute("UPDATE blobs SET sha256=? WHERE id=?", (sha, blob_id))
        return blob_id, sha

    _EV_SQL = ("SELECT e.id, e.name, b.size, b.sha256, b.mime, e.note, e.added_at, e.blob_id, l.indicator_id, l.slot_id "
               "FROM evidence e JOIN blobs b ON b.id=e.blob_id LEFT JOIN links l ON l.evidence_id=e.id")

    def _evidence_rows(self, where: str = "", args: tuple = ()) -> list[Evidence]:
        rows = self.conn.execute(f"{self._EV_SQL} {where} ORDER BY e.id, l.rowid", args).fetchall()
        out: dict[int, Evidence] = {}
        for eid, name, size, sha, mime, note, at, bid, ind, slot in rows:
            ev = out.get(eid)
            if ev is None:
                ev = out[eid] = Evidence(eid, name, size, sha, mime, note or "", at, bid)
            if ind is not None:
                ev.links.append(EvidenceLink(ind, slot))
        return list(out.values())

    def evidence(self, indicator_id: str | None = None) -> list[Evidence]:
        if indicator_id is None:
            return self._evidence_rows()
        return self._evidence_rows("WHERE e.id IN (SELECT evidence_id FROM links WHERE indicator_id=?)", (indicator_id,))

    def evidence_item(self, eid: int) -> Evidence:
        items = self._evidence_rows("WHERE e.id=?", (eid,))
        if items:
            return items[0]
        raise _err(f"No evidence #{eid} in this project", f"本项目中没有编号为 #{eid} 的证明材料", "evidence.unknown")

    def evidence_counts(self) -> dict[str, int]:
        return {f"{i}/{s}": n for i, s, n in self.conn.execute(
            "SELECT indicator_id, slot_id, COUNT(*) FROM links WHERE slot_id IS NOT NULL GROUP BY indicator_id, slot_id")}

    def evidence_totals(self) -> tuple[int, int]:
        n, b = self.conn.execute("SELECT COUNT(*), COALESCE(SUM(b.size), 0) FROM evidence e JOIN blobs b ON b.id=e.blob_id").fetchone()
        return n, b

    def set_note(self, eid: int, note: str) -> None:
        ev = self.evidence_item(eid)
        with self._tx() as c:
            c.execute("UPDATE evidence SET note=? WHERE id=?", (note, eid))
            c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'note', ?, ?, ?)",
                      (utcnow(), f"#{eid}", json.dumps(ev.note, ensure_ascii=False), json.dumps(note, ensure_ascii=False)))

    def detach(self, eid: int, indicator_id: str | None = None) -> None:
        """Remove an evidence link (or all links); content no longer referenced is deleted."""
        ev = self.evidence_item(eid)
        with self._tx() as c:
            if indicator_id is None:
                c.execute("DELETE FROM links WHERE evidence_id=?", (eid,))
            else:
                c.execute("DELETE FROM links WHERE evidence_id=? AND indicator_id=?", (eid, indicator_id))
            if not c.execute("SELECT 1 FROM links WHERE evidence_id=?", (eid,)).fetchone():
                c.execute("DELETE FROM evidence WHERE id=?", (eid,))
                if not c.execute("SELECT 1 FROM evidence WHERE blob_id=?", (ev.blob_id,)).fetchone():
                    c.execute("DELETE FROM chunks WHERE blob_id=?", (ev.blob_id,))
                    c.execute("DELETE FROM blobs WHERE id=?", (ev.blob_id,))
            c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'detach', ?, ?, NULL)",
                      (utcnow(), f"{indicator_id or '*'}/#", json.dumps(ev.to_dict(), ensure_ascii=False)))

    def relink(self, eid: int, links: list[tuple[str, str | None]]) -> None:
        """Restore an evidence item's links (undo of a detach when the content is still stored)."""
        with self._tx() as c:
            for ind, slot in links:
                c.execute("INSERT OR IGNORE INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
                          (eid, ind, slot, utcnow()))

    def read_chunks(self, blob_id: int) -> Iterator[bytes]:
        """Stream a blob's bytes chunk by chunk (memory stays flat for multi-GB evidence)."""
        last = -1
        while True:
            rows = self.conn.execute("SELECT seq, data FROM chunks WHERE blob_id=? AND seq>? ORDER BY seq LIMIT 8",
                                     (blob_id, last)).fetchall()
            if not rows:
                return
            for seq, data in rows:
                last = seq
                yield data

    def extract(self, eid: int, out: str | os.PathLike, task: TaskState | None = None) -> Path:
        """Write evidence `eid` to `out` (a file, or a folder to put it in by its original name)."""
        ev = self.evidence_item(eid)
        out = Path(out)
        if out.is_dir():
            out = out / _safe_name(ev.name)
        if not out.parent.is_dir():
            raise _err(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", "extract.no_folder")
        if task:
            task.set_total(ev.size)
        h = hashlib.sha256()
        try:
            with atomic_output(out) as (fh, _tmp):
                for data in self.read_chunks(ev.blob_id):
                    h.update(data)
                    fh.write(data)
                    if task:
                        task.advance(len(data))
                if h.hexdigest() != ev.sha256:
                    raise _err(f"Evidence #{eid} is damaged inside the project (checksum mismatch)",
                               f"项目中的证明材料 #{eid} 已损坏（校验值不符）", "evidence.corrupt")
        except OSError as e:
            if e.errno == 28:
                raise _err("The disk is full; nothing was written", "磁盘空间已满，未写入任何内容", "disk.full") from None
            raise _err(f"Cannot write {out}: {e.strerror}", f"无法写入 {out}：{e.strerror}", "extract.failed") from None
        return out

    # ------------------------------------------------------------------ validation

    def report(self) -> Report:
        return evaluate(self.program, self.answers(), self.evidence_counts())

    def info(self) -> dict[str, Any]:
        m = self.meta()
        rep = self.report()
        n, b = self.evidence_totals()
        prog = self.program
        return {
            "file": str(self.path),
            "program": {"id": prog.id, "version": prog.version, "title": prog.title.to_dict()},
            "applicant": m.get("applicant", ""),
            "applicant_en": m.get("applicant_en", ""),
            "created_at": m.get("created_at"),
            "modified_at": m.get("modified_at"),
            "created_with": m.get("created_with"),
            "saved_with": m.get("saved_with"),
            "readonly": self.readonly,
            "completeness": round(rep.completeness * 100, 1),
            "problems": {"blocking": len(rep.blocking), "warning": len(rep.warnings)},
            "evidence": {"count": n, "bytes": b},
            "schema_version": CURRENT_VERSION,
        }


def safe_file_name(name: str, max_bytes: int = 200) -> str:
    """A name any file system accepts (Windows too): no separators or reserved characters, at most
    `max_bytes` of UTF-8 (ext4 allows 255 bytes; a 200-character Chinese name is 600), extension kept."""
    bad = '<>:"/\\|?*'
    s = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in name).strip(" .")
    if not s:
        s = "file"
    if s.split(".")[0].upper() in ("CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))):
        s = "_" + s
    if len(s.encode("utf-8")) <= max_bytes:
        return s
    stem, dot, ext = s.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = s, ""
    room = max_bytes - (len(ext.encode()) + 1 if ext else 0)
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
    return f"{cut}.{ext}" if ext else cut


_safe_name = safe_file_name
