"""The review file itself (`.dreview`): create, open, check, transactions, metadata.

The same rules as the project file (desktop.project.file):
- `PRAGMA application_id` marks the file as a review file ("DRVW"); `PRAGMA user_version` is its
  schema version, upgraded by the ladder in desktop.review.schema in one exclusive transaction.
- Rollback-journal mode, synchronous=FULL: a closed review file is exactly one file (safe to hand
  to a colleague on a USB stick); after a crash the hot journal is rolled back on the next open.
- Every write is one transaction (`_tx`); a cancel, an error or a full disk rolls it back whole.
- A file (or folder) that cannot be written opens read-only: reading works, writing says why not.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..errors import DossierError
from ..fsutil import temp_path_beside
from ..models.program import Label
from ..sqlitefile import Kind, connect, use_for_writing
from .schema import CURRENT_VERSION, migrate

APPLICATION_ID = 0x44525657  # "DRVW"
PAGE_SIZE = 16384
SUFFIX = ".dreview"
FORMAT = "dossier-review"


class ReviewError(DossierError):
    """The review file cannot be opened or written, or a review action is refused."""


def _err(en: str, zh: str, key: str) -> ReviewError:
    return ReviewError(en, zh, key=key)


def utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


_KIND = Kind(APPLICATION_ID, "review", "review file", "评审文件", ReviewError, "Use an earlier copy.", "请使用较早的副本。",
             "review.not_review", CURRENT_VERSION,
             ((0x444F5353, "{name} is a Dossier project, not a review file: open it with “Open project”",
               "{name} 是 Dossier 项目文件，不是评审文件：请用“打开项目”打开", "is_project"),))


def os_error(e: sqlite3.Error, what_en: str = "the review file", what_zh: str = "评审文件") -> ReviewError:
    """A write that failed, as a message a user can act on (nothing was changed: it rolled back)."""
    msg = str(e)
    if "full" in msg:
        return _err("The disk is full: nothing was changed. Free some space and try again.",
                    "磁盘空间已满：未做任何修改。请释放空间后重试。", "disk.full")
    if "readonly" in msg or "read-only" in msg:
        return _err(f"{what_en.capitalize()} cannot be written (read-only media?): nothing was changed.",
                    f"无法写入{what_zh}（只读介质？）：未做任何修改。", "review.readonly")
    if "locked" in msg or "busy" in msg:
        return _err(f"{what_en.capitalize()} is busy in another window or program; try again in a moment.",
                    f"{what_zh}正被其他窗口或程序使用，请稍后重试。", "review.busy")
    if "malformed" in msg or "not a database" in msg:
        return _err(f"{what_en.capitalize()} is damaged ({msg}). Use an earlier copy.",
                    f"{what_zh}已损坏（{msg}）。请使用较早的副本。", "review.corrupt")
    return _err(f"Could not write {what_en}: {msg}", f"无法写入{what_zh}：{msg}", "review.write_failed")


class ReviewFile:
    """The file, its connection and its transactions. Not thread-safe: each thread opens its own."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool):
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self._meta_cache: dict[str, str] | None = None

    # ------------------------------------------------------------------ create / open

    @classmethod
    def create(cls, path: str | os.PathLike, title: str, program_id: str = "", *, program_version: str = ""):
        """A new review file, built under a temporary name and renamed into place when complete."""
        path = Path(path)
        if path.exists():
            raise _err(f"{path} already exists; choose another name", f"{path} 已存在，请换一个文件名", "review.exists")
        if not path.parent.is_dir():
            raise _err(f"Folder {path.parent} does not exist", f"文件夹 {path.parent} 不存在", "review.no_folder")
        if not os.access(path.parent, os.W_OK):
            raise _err(f"Folder {path.parent} is read-only; save the review file elsewhere",
                       f"文件夹 {path.parent} 是只读的，请保存到其他位置", "review.readonly_folder")
        if not title.strip():
            raise _err("Give the review a title (e.g. “2025 城市产教联合体 推荐”)",
                       "请填写评审标题（例如“2025 城市产教联合体 推荐”）", "review.no_title")
        tmp = temp_path_beside(path)
        tmp.unlink()
        now = utcnow()
        meta = {
            "format": FORMAT, "review_uuid": str(uuid.uuid4()), "title": title.strip(),
            "program_id": program_id, "program_version": program_version,
            "created_at": now, "modified_at": now, "created_with": __version__, "saved_with": __version__,
        }
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                migrate(conn, 0)
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(meta.items()))
                conn.execute("COMMIT")
            finally:
                conn.close()
            os.replace(tmp, path)
        except sqlite3.Error as e:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise os_error(e) from None
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return cls.open(path)

    @classmethod
    def open(cls, path: str | os.PathLike, readonly: bool = False):
        path = Path(path)
        conn, version, ro = connect(path, _KIND, readonly)
        if version < CURRENT_VERSION:
            if ro:
                conn.close()
                raise _err(f"{path.name} was made by an older Dossier and must be upgraded, but it is read-only. "
                           "Copy it to a writable folder and open the copy.",
                           f"{path.name} 由旧版 Dossier 创建，需要升级，但文件是只读的。请复制到可写的文件夹后打开副本。",
                           "review.needs_upgrade")
            try:
                migrate(conn, version)
            except sqlite3.DatabaseError as e:
                conn.close()
                raise os_error(e) from None
        rf = cls(path, conn, ro)
        try:
            if not ro:
                use_for_writing(conn, path)
            fmt = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if fmt is None or fmt[0] != FORMAT:
                raise sqlite3.DatabaseError("no review metadata")
        except sqlite3.DatabaseError as e:
            conn.close()
            raise _err(f"{path.name} is damaged ({e}). Use an earlier copy.", f"{path.name} 已损坏（{e}）。请使用较早的副本。",
                       "review.corrupt") from None
        return rf

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
        return Label("此评审文件以只读方式打开（文件或所在文件夹不可写，例如光盘）。如需添加数据包或填写意见，请先复制到可写的位置。",
                     "This review file is open read-only (the file or its folder cannot be written, e.g. a CD). "
                     "Copy it to a writable place to add packages or write notes.")

    # ------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise _err("The review file is open read-only; copy it to a writable place to change it",
                       "评审文件以只读方式打开；如需修改，请先复制到可写的位置", "review.readonly")
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise os_error(e) from None
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
                raise os_error(e) from None
            raise
        self._meta_cache = None

    def transaction(self):
        """One transaction for callers outside this module (the panel's tables, merges)."""
        return self._tx()

    # ------------------------------------------------------------------ meta

    def meta(self) -> dict[str, str]:
        if self._meta_cache is None:
            self._meta_cache = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        return self._meta_cache

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as c:
            c.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                      (key, value))

    @property
    def uuid(self) -> str:
        return self.meta().get("review_uuid", "")

    @property
    def title(self) -> str:
        return self.meta().get("title", "")

    @property
    def program_id(self) -> str:
        return self.meta().get("program_id", "")
