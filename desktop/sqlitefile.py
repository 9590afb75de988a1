"""Opening the desk's single-file SQLite formats: the review file and the expert sheet.

Each is an SQLite file with its own `PRAGMA application_id` and a `user_version` ladder
(docs/review.md, docs/panel-files.md). Before SQLite reads a byte, the header says whether the
file is SQLite at all and whether it was cut short (a copy interrupted on its way from a USB
stick). The application_id then says which Dossier file it is — a project, a review file and an
expert sheet are never read as one another — and the version whether this build can read it.
The messages name the format (`Kind`), so each refusal tells the user what the file is and what
to do. The project file (desktop/project/file.py) opens its own way, with its recovery ladder.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import DossierError

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Kind:
    """One file format, for the messages: `key` prefixes the message keys ("review.corrupt")."""

    application_id: int
    key: str
    en: str  # "review file"
    zh: str  # "评审文件"
    error: Callable[..., DossierError]  # error(en, zh, key=…)
    again_en: str  # what to do about a damaged file: "Use an earlier copy."
    again_zh: str
    not_kind: str  # the key of "not this kind of file": "review.not_review"
    newest: int  # the newest format version this build reads
    others: tuple[tuple[int, str, str, str], ...] = ()  # (application_id, en, zh, key) of the other Dossier files

    def err(self, en: str, zh: str, key: str) -> DossierError:
        return self.error(en, zh, key=f"{self.key}.{key}")


def check_header(path: Path, kind: Kind) -> None:
    """Refuse what is not an SQLite file, or is cut short, before SQLite touches it."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise kind.err(f"{path} is a folder, not a {kind.en}", f"{path} 是文件夹，不是{kind.zh}", "not_file")
        if not stat.S_ISREG(st.st_mode):
            raise kind.err(f"{path} is not a regular file", f"{path} 不是普通文件", "not_file")
        with open(path, "rb") as fh:
            head = fh.read(100)
    except PermissionError:
        raise kind.err(f"No permission to read {path}", f"没有读取 {path} 的权限", "unreadable") from None
    except FileNotFoundError:
        raise kind.err(f"File not found: {path}", f"找不到文件：{path}", "missing") from None
    except OSError as e:
        raise kind.err(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", "unreadable") from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise kind.error(f"{path.name} is not a Dossier {kind.en}", f"{path.name} 不是 Dossier {kind.zh}", key=kind.not_kind)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    n_pages = int.from_bytes(head[28:32], "big")
    # the page count is trusted only when written by a current SQLite (its change counter matches)
    if n_pages and head[24:28] == head[92:96] and st.st_size < n_pages * page_size:
        raise kind.err(f"{path.name} is damaged (shorter than it should be: copied incompletely?). {kind.again_en}",
                       f"{path.name} 已损坏（文件不完整，可能复制时中断）。{kind.again_zh}", "corrupt")


def is_writable(path: Path) -> bool:
    # the rollback journal is created beside the file, so its folder must be writable too
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return False
    try:
        return (path.stat().st_mode & stat.S_IWUSR) != 0
    except OSError:
        return False


def remove_stale_journal(conn: sqlite3.Connection, path: Path) -> None:
    """A journal that was never hot (a crash before it became valid) stays beside the file after
    SQLite's recovery; remove it while holding the write lock, so the file is one file again."""
    journal = path.with_name(path.name + "-journal")
    if not journal.exists():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        with contextlib.suppress(FileNotFoundError):
            journal.unlink()
    finally:
        conn.execute("COMMIT")


def open_raw(path: Path, readonly: bool) -> tuple[sqlite3.Connection, int, int]:
    """(connection in autocommit mode, application_id, user_version) of an SQLite file; raises
    sqlite3.DatabaseError (the connection closed) when SQLite cannot read those."""
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except BaseException:
        conn.close()
        raise
    return conn, app_id, version


def connect(path: Path, kind: Kind, readonly: bool = False) -> tuple[sqlite3.Connection, int, bool]:
    """(connection, format version, opened read-only) of a file of `kind`, refused with a message
    when it is not one, is damaged, or is newer than this build reads. Read-only when asked, or
    when the file or its folder cannot be written (a CD, a write-protected stick)."""
    check_header(path, kind)
    ro = readonly or not is_writable(path)
    try:
        conn, app_id, version = open_raw(path, ro)
    except sqlite3.DatabaseError as e:
        raise kind.err(f"{path.name} is damaged or not a Dossier {kind.en} ({e})",
                       f"{path.name} 已损坏或不是 Dossier {kind.zh}（{e}）", "corrupt") from None
    refusal: DossierError | None = None
    if app_id != kind.application_id:
        refusal = next((kind.err(en.format(name=path.name), zh.format(name=path.name), key)
                        for other, en, zh, key in kind.others if other == app_id), None)
        refusal = refusal or kind.error(f"{path.name} is an SQLite database but not a Dossier {kind.en}",
                                        f"{path.name} 是 SQLite 数据库，但不是 Dossier {kind.zh}", key=kind.not_kind)
    elif version < 1:
        refusal = kind.error(f"{path.name} is not a Dossier {kind.en} (it is empty)",
                             f"{path.name} 不是 Dossier {kind.zh}（内容为空）", key=kind.not_kind)
    elif version > kind.newest:
        refusal = kind.err(f"{path.name} was saved by a newer version of Dossier ({kind.en} format {version}, this "
                           f"version reads up to {kind.newest}). Update Dossier to open it.",
                           f"{path.name} 由更新版本的 Dossier 保存（{kind.zh}格式 {version}，本版本最高支持 {kind.newest}）。"
                           "请升级 Dossier 后再打开。", "too_new")
    if refusal is not None:
        conn.close()
        raise refusal
    return conn, version, ro


def use_for_writing(conn: sqlite3.Connection, path: Path) -> None:
    """A writable file: every commit durable before it returns, one file again after a crash."""
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    remove_stale_journal(conn, path)
