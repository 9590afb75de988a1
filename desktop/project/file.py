"""The `.dossier` file itself: create, open, check, transactions, metadata.

- `PRAGMA application_id` marks the file as ours; `PRAGMA user_version` is the schema version,
  upgraded by the ladder in desktop.project.schema inside one exclusive transaction.
- Rollback-journal mode (not WAL): a closed project is exactly one file, safe to copy on a USB
  stick; after a crash SQLite rolls the hot journal back on next open, so the file holds every
  committed edit and nothing half-done.
- Every write is one transaction (`_tx`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..errors import DossierError, ProjectError
from ..fsutil import temp_path_beside
from ..models.program import Label, Program
from ..programs import load_definition_text
from .schema import CURRENT_VERSION, migrate

APPLICATION_ID = 0x444F5353  # "DOSS"
SQLITE_MAGIC = b"SQLite format 3\x00"
PAGE_SIZE = 16384


def utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _err(en: str, zh: str, key: str) -> ProjectError:
    return ProjectError(en, zh, key=key)


def check_header(path: Path) -> None:
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


def new_project_meta(program: Program, applicant: str, applicant_en: str, now: str) -> dict[str, str]:
    return {
        "format": "dossier",
        "project_uuid": str(uuid.uuid4()),
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


class ProjectFile:
    """The file, its connection and its transactions. Not thread-safe: each thread opens its own
    Project (own connection)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool):
        self.path = path
        self.conn = conn
        self._db = None
        self.readonly = readonly
        self._program: Program | None = None
        self._meta_cache: dict[str, str] | None = None

    # ------------------------------------------------------------------ open / create

    @classmethod
    def create(cls, path: str | os.PathLike, program: Program, applicant: str = "", applicant_en: str = "",
               *, extra_meta: dict[str, str] | None = None):
        """A new project file, built under a temporary name and renamed when complete.
        `extra_meta` adds meta keys in the same first transaction (hand-offs, next period)."""
        path = Path(path)
        if path.exists():
            raise _err(f"{path} already exists; choose another name", f"{path} 已存在，请换一个文件名", "project.exists")
        if not path.parent.is_dir():
            raise _err(f"Folder {path.parent} does not exist", f"文件夹 {path.parent} 不存在", "project.no_folder")
        if not os.access(path.parent, os.W_OK):
            raise _err(f"Folder {path.parent} is read-only; save the project elsewhere",
                       f"文件夹 {path.parent} 是只读的，请保存到其他位置", "project.readonly_folder")
        tmp = temp_path_beside(path)
        tmp.unlink()
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                migrate(conn, 0)
                now = utcnow()
                meta = new_project_meta(program, applicant, applicant_en, now)
                meta.update(extra_meta or {})
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value=excluded.value", list(meta.items()))
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
    def open(cls, path: str | os.PathLike, readonly: bool = False):
        path = Path(path)
        if not path.exists():
            raise _err(f"File not found: {path}", f"找不到文件：{path}", "project.missing")
        check_header(path)
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
        if version < 1:
            # a file is renamed into place only after its first migration: version 0 was never a
            # project (an empty file tagged by hand, or a copy cut short). Refuse it without writing.
            conn.close()
            raise _err(f"{path.name} is not a Dossier project (it has no project data)",
                       f"{path.name} 不是 Dossier 项目文件（其中没有项目数据）", "project.not_dossier")
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

    def __enter__(self):
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

    def transaction(self):
        """One transaction for a caller outside this package (merge, notes import): everything inside
        is committed together or not at all."""
        return self._tx()

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
    def uuid(self) -> str:
        """The project's identity (schema v2): stable across copies, hand-offs and exports."""
        return self.meta().get("project_uuid", "")

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
