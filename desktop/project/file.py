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
import errno
import json
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..errors import DossierError, ProjectError
from ..fsutil import HeldTemp, default_file_mode, disk_full_error, fsync_dir, is_disk_full, require_regular
from ..models.program import Label, Program
from ..programs import load_definition_text
from ..sqlitefile import is_writable as _is_writable  # a module name of its own: tests stand in for it
# after a crash SQLite rolls a *hot* journal back and deletes it; one that was never hot stays beside
# the file: removed under the write lock, so a closed project is one file again
from ..sqlitefile import open_raw, remove_stale_journal as _remove_stale_journal
from .integrity import check_header, check_size, damaged, has_journal, journal_path, quick_check
from .schema import CURRENT_VERSION, migrate

APPLICATION_ID = 0x444F5353  # "DOSS"
PAGE_SIZE = 65536  # new files (v2); existing files keep theirs. Evidence is overflow pages: 64 KiB ones mean a quarter of the page writes


def utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _err(en: str, zh: str, key: str) -> ProjectError:
    return ProjectError(en, zh, key=key)


def _recover_journal(path: Path) -> None:
    """An unfinished write left a journal beside the file (a crash, a full disk, a killed process):
    let SQLite undo it now, before anything else reads the file. Needs write access; a read-only
    place gets a message saying what to do."""
    if not _is_writable(path):
        raise _err(
            f"{path.name} was not closed cleanly: an unfinished change must be undone first, which needs write access. "
            f"Copy {path.name} together with {journal_path(path).name} to a writable folder and open it there.",
            f"{path.name} 上次未正常关闭：需要先撤销未完成的修改，这需要写入权限。请将 {path.name} 与 {journal_path(path).name} "
            "一起复制到可写的文件夹后再打开。",
            "project.hot_journal")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # plays a hot journal back
            _remove_stale_journal(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise _err(f"{path.name} is damaged or not a Dossier project ({e})",
                   f"{path.name} 已损坏或不是 Dossier 项目文件（{e}）", "project.corrupt") from None


# (st_dev, st_ino) of every project file this process has open, with a count: see ProjectFile.open
_OPEN: dict[tuple[int, int], int] = {}
# a read-only descriptor per open project file, for starting write-back (desktop.project.streaming).
# Closed only when the last Project of that file in this process has closed its connection: closing
# any descriptor of a file drops every POSIX lock this process holds on it, SQLite's included.
_WRITEBACK_FD: dict[tuple[int, int], int] = {}


def _settle_file(path: Path) -> None:
    """After a connection closed in an error state: undo its hot journal now (best effort)."""
    if has_journal(path):
        with contextlib.suppress(DossierError, OSError):
            _recover_journal(path)


def _initialise(tmp: Path, program: Program, applicant: str, applicant_en: str, extra_meta: dict[str, str] | None) -> None:
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


def _place(tmp: Path, path: Path) -> None:
    """Move a finished new file to its name without ever replacing a file someone else created
    there meanwhile: a hard link fails if the name exists. File systems without hard links (FAT
    and exFAT sticks) get a rename after a last check."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(tmp, path)
    else:
        os.unlink(tmp)
    fsync_dir(path.parent)


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
        self._inode: tuple[int, int] | None = None
        # desktop.project.answers: what this connection last stored (committed / in the open transaction)
        self._stored: dict[str, tuple] = {}
        self._pending_stored: dict[str, tuple] = {}
        self._stored_version: int | None = None

    # ------------------------------------------------------------------ open / create

    @classmethod
    def create(cls, path: str | os.PathLike, program: Program, applicant: str = "", applicant_en: str = "",
               *, extra_meta: dict[str, str] | None = None):
        """A new project file, built under a temporary name and renamed when complete.
        `extra_meta` adds meta keys in the same first transaction (hand-offs, next period)."""
        with cls.building(path, program, applicant, applicant_en, extra_meta=extra_meta):
            pass
        return cls.open(path)

    @classmethod
    @contextlib.contextmanager
    def building(cls, path: str | os.PathLike, program: Program, applicant: str = "", applicant_en: str = "",
                 *, extra_meta: dict[str, str] | None = None) -> Iterator["ProjectFile"]:
        """A new project, open for filling under a temporary name beside `path`; it appears under
        `path` only when the block completes (a demo, a hand-off's return file, a next period).
        An error or a kill inside the block leaves nothing under `path`."""
        path = Path(path)
        if os.path.lexists(path):
            raise _err(f"{path} already exists; choose another name", f"{path} 已存在，请换一个文件名", "project.exists")
        if not path.parent.is_dir():
            raise _err(f"Folder {path.parent} does not exist", f"文件夹 {path.parent} 不存在", "project.no_folder")
        if not os.access(path.parent, os.W_OK):
            raise _err(f"Folder {path.parent} is read-only; save the project elsewhere",
                       f"文件夹 {path.parent} 是只读的，请保存到其他位置", "project.readonly_folder")
        try:
            held = HeldTemp(path)
        except OSError as e:
            raise cls._create_error(path, e) from None
        done = False
        try:
            try:
                _initialise(held.path, program, applicant, applicant_en, extra_meta)
                os.chmod(held.path, default_file_mode())  # an ordinary file, not the temp's private mode
            except (sqlite3.Error, OSError) as e:
                raise cls._create_error(path, e) from None
            proj = cls.open(held.path)
            try:
                yield proj
            finally:
                proj.close()
            held.before_rename()
            try:
                _place(held.path, path)
            except OSError as e:
                raise cls._create_error(path, e) from None
            done = True
        finally:
            held.release(remove=not done)

    @staticmethod
    def _create_error(path: Path, e: BaseException) -> DossierError:
        if is_disk_full(e) or "full" in str(e):
            return disk_full_error(cls=ProjectError)
        if isinstance(e, OSError) and e.errno == errno.ENAMETOOLONG:
            return _err(f"The file name is too long for this disk: {path.name}", f"文件名对此磁盘而言过长：{path.name}",
                        "project.name_too_long")
        if isinstance(e, FileExistsError):
            return _err(f"{path} already exists; choose another name", f"{path} 已存在，请换一个文件名", "project.exists")
        msg = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return _err(f"Could not create {path}: {msg}", f"无法创建 {path}：{msg}", "project.create_failed")

    @classmethod
    def open(cls, path: str | os.PathLike, readonly: bool = False):
        path = Path(path)
        try:
            st = require_regular(path, key="project.not_file")
        except FileNotFoundError:
            raise _err(f"File not found: {path}", f"找不到文件：{path}", "project.missing") from None
        except DossierError as e:
            raise ProjectError(e.en, e.zh, key="project.not_file") from None
        except OSError as e:
            raise _err(f"Cannot open {path}: {e.strerror}", f"无法打开 {path}：{e.strerror}", "project.unreadable") from None
        inode = (st.st_dev, st.st_ino)
        if inode not in _OPEN:
            # (skipped when this process has the file open already: it was checked then, SQLite undoes a
            # journal itself, and a file descriptor of ours closed on it would drop SQLite's locks)
            if has_journal(path):
                _recover_journal(path)  # undo an unfinished write before the file is read or checked
            check_header(path, sizes=not has_journal(path))  # a journal still there: another process is writing
        writable = _is_writable(path)
        ro = readonly or not writable
        try:
            conn, app_id, version = open_raw(path, ro)
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
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                migrate(conn, version)
            except sqlite3.DatabaseError as e:
                conn.close()
                _settle_file(path)
                if "full" in str(e):
                    raise disk_full_error(cls=ProjectError) from None
                raise _err(f"Could not upgrade {path.name}: {e}", f"无法升级 {path.name}：{e}", "project.upgrade_failed") from None
        proj = cls(path, conn, ro)
        proj._inode = inode
        _OPEN[inode] = _OPEN.get(inode, 0) + 1
        try:
            if not ro:
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                _remove_stale_journal(conn, path)
            if conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() is None:
                raise sqlite3.DatabaseError("no project metadata")
            proj.program  # noqa: B018 - loads and validates the embedded definition now, not later
        except sqlite3.DatabaseError as e:
            proj.close()
            raise _err(f"{path.name} is damaged ({e}). Use an earlier copy of the project.",
                       f"{path.name} 已损坏（{e}）。请使用该项目较早的副本。", "project.corrupt") from None
        except BaseException:
            proj.close()
            raise
        if not ro:
            from ..housekeeping import clean_folder

            with contextlib.suppress(Exception):
                clean_folder(path.parent)  # temp files a killed run left beside the project
        return proj

    def _writeback_fd(self) -> int | None:
        """A descriptor of this file for starting write-back early (None where that is not possible)."""
        if self.readonly or self._inode is None or not hasattr(os, "posix_fadvise"):
            return None
        fd = _WRITEBACK_FD.get(self._inode)
        if fd is None:
            try:
                fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return None
            if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != self._inode:
                os.close(fd)
                return None
            _WRITEBACK_FD[self._inode] = fd
        return fd

    def check_integrity(self) -> None:
        """Refuse a damaged file (ProjectError key project.corrupt) before it is validated or sealed:
        the cheap checks of desktop.project.integrity (milliseconds even for 10 GiB of evidence)."""
        if not has_journal(self.path):
            check_size(self.path, conn=self.conn)
        problems = quick_check(self.conn)
        if problems:
            raise damaged(self.path, "; ".join(problems[:3]), "; ".join(problems[:3]))

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
            self._db = None
        if self._inode is not None:
            n = _OPEN.get(self._inode, 1) - 1
            if n > 0:
                _OPEN[self._inode] = n
            else:
                _OPEN.pop(self._inode, None)
                fd = _WRITEBACK_FD.pop(self._inode, None)
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                if not self.readonly:
                    _settle_file(self.path)  # never leave a hot journal behind
            self._inode = None

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
        self._pending_stored.clear()
        try:
            yield c
            c.execute("UPDATE meta SET value=? WHERE key='modified_at'", (utcnow(),))
            c.execute("UPDATE meta SET value=? WHERE key='saved_with'", (__version__,))
            c.execute("COMMIT")
        except BaseException as e:
            self._meta_cache = None
            self._pending_stored.clear()
            self._stored.clear()
            self._settle_after_failed_write()
            if isinstance(e, sqlite3.DatabaseError):
                raise self._os_error(e) from None
            if is_disk_full(e):
                raise disk_full_error(cls=ProjectError) from None
            raise
        self._meta_cache = None
        self._stored.update(self._pending_stored)  # committed: what set() wrote is now what is stored
        self._pending_stored.clear()

    def _settle_after_failed_write(self) -> None:
        """Make the file on disk the last committed state again, now — not at some later open.

        After an I/O error (a full disk, a removed stick) SQLite's pager is left in its error state:
        the automatic rollback has *not* been written back to the file, which may have grown by the
        pages it spilled, with a hot journal beside it. SQLite plays that journal back on the next
        read; do that read here, then check that no journal is left and the size is right. A file
        copied right after the command returns is then sound."""
        c = self.conn
        if c.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
        try:
            c.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if journal_path(self.path).exists():
                _remove_stale_journal(c, self.path)
            if not has_journal(self.path):
                check_size(self.path, conn=c)
            return
        except (sqlite3.Error, OSError, ProjectError):
            pass
        # the connection cannot recover by itself: close it, undo the journal with a fresh one
        with contextlib.suppress(sqlite3.Error):
            c.close()
        self.conn = None
        try:
            _recover_journal(self.path)
            self.conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None,
                                        check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout=10000")
            self.conn.execute("PRAGMA journal_mode=DELETE")
            self.conn.execute("PRAGMA synchronous=FULL")
            self._db = None
            check_size(self.path, conn=self.conn)
        except (sqlite3.Error, OSError, DossierError):
            self.conn = None
            raise _err(
                f"A write to {self.path.name} failed and could not be undone yet. Do not copy the file now; close "
                "Dossier, make the disk writable (free space, reinsert the stick) and open the project again: the "
                "unfinished change is undone then and every saved edit is kept.",
                f"对 {self.path.name} 的写入失败，暂时无法撤销。请勿现在复制该文件；关闭 Dossier，使磁盘恢复可写（释放空间、重新插入U盘）后"
                "再打开项目：届时会撤销未完成的修改，所有已保存的内容都会保留。",
                "project.unsettled") from None

    def transaction(self):
        """One transaction for a caller outside this package (merge, notes import): everything inside
        is committed together or not at all."""
        self._stored.clear()  # it may change answers with its own SQL
        return self._tx()

    def _os_error(self, e: sqlite3.Error) -> DossierError:
        msg = str(e)
        name = getattr(e, "sqlite_errorname", "") or ""
        if "full" in msg or name == "SQLITE_FULL":
            return disk_full_error(cls=ProjectError)
        if "readonly" in msg or "read-only" in msg:
            return _err("The project file cannot be written (read-only media?): nothing was changed.",
                        "无法写入项目文件（只读介质？）：未做任何修改。", "project.readonly")
        if "locked" in msg or "busy" in msg:
            return _err("The project is busy in another window or program; try again in a moment.",
                        "项目正被其他窗口或程序使用，请稍后重试。", "project.busy")
        if name.startswith("SQLITE_IOERR") or "disk I/O" in msg:
            return _err("The project file could not be written (disk I/O error): nothing was changed. The disk may be "
                        "full, removed or failing; check it and try again.",
                        "无法写入项目文件（磁盘读写错误）：未做任何修改。磁盘可能已满、已被移除或出现故障；请检查后重试。",
                        "project.io_error")
        if "malformed" in msg or name == "SQLITE_CORRUPT":
            return damaged(self.path, msg, msg)
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
