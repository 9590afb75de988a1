"""Is this `.dossier` file sound? Cheap checks, run before a file is trusted.

A project is damaged, for example, when it was copied alone while an unfinished write had grown it
(its `-journal`, which SQLite needs to undo that write, stayed behind), when a copy was cut short,
or when a disk went bad. Such a file can still open, but must never be validated or sealed as if
sound. The checks, from cheapest:

1. the 100-byte header (before SQLite touches the file): the file size must be exactly the page
   count the header records (shorter: cut short; longer: an unfinished write, journal missing);
2. after opening: `PRAGMA integrity_check(<table>)` on every table but the evidence chunks (the
   small tables: answers, history, metadata, evidence lists), a walk of the chunk table and its
   index that reads every B-tree page but not the evidence bytes themselves, and each stored
   file's chunk lengths against its recorded size;
3. the evidence bytes are hashed against their recorded SHA-256 whenever they are read out
   (extract, export), so damage inside a stored file is caught where it would matter.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import DossierError, ProjectError
from ..fsutil import open_regular

SQLITE_MAGIC = b"SQLite format 3\x00"


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def has_journal(path: Path) -> bool:
    """A non-empty rollback journal beside the file: an unfinished write (a crash, or a write in
    progress in another process)."""
    try:
        return journal_path(path).stat().st_size > 0
    except OSError:
        return False


def damaged(path: Path, why_en: str, why_zh: str) -> ProjectError:
    return ProjectError(
        f"{path.name} is damaged ({why_en}). It was not changed. Use an earlier copy of the project; if this is a "
        "copy, copy the original again after opening it once in Dossier (which repairs an unfinished write).",
        f"{path.name} 已损坏（{why_zh}）。文件未被修改。请使用该项目较早的副本；如果这是复制来的文件，请先在 Dossier 中打开一次"
        "原文件（可修复未完成的写入），再重新复制。",
        key="project.corrupt",
    )


def read_header(path: Path) -> bytes:
    """The first 100 bytes; refuses folders, FIFOs, devices and unreadable files without blocking."""
    try:
        with open_regular(path, key="project.not_file") as fh:
            return fh.read(100)
    except DossierError as e:  # a folder, FIFO, socket or device: refused before any open
        raise ProjectError(e.en, e.zh, key="project.not_file") from None
    except IsADirectoryError:
        raise ProjectError(f"{path} is a folder, not a Dossier project", f"{path} 是文件夹，不是 Dossier 项目文件",
                           key="project.not_file") from None
    except PermissionError:
        raise ProjectError(f"No permission to read {path}", f"没有读取 {path} 的权限", key="project.unreadable") from None
    except OSError as e:
        raise ProjectError(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}",
                           key="project.unreadable") from None


def check_header(path: Path, *, sizes: bool = True) -> None:
    """Refuse files that are not SQLite, or whose size disagrees with their header, before SQLite
    touches them. `sizes=False` while a journal is beside the file (SQLite undoes it first)."""
    head = read_header(path)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise ProjectError(f"{path.name} is not a Dossier project file", f"{path.name} 不是 Dossier 项目文件",
                           key="project.not_dossier")
    if sizes:
        check_size(path, head)


def check_size(path: Path, head: bytes | None = None, conn: sqlite3.Connection | None = None) -> None:
    """The file must be exactly as long as its page count says. From the header bytes before
    SQLite opens the file, or from an open connection's own view (no second file descriptor: in
    the same process, closing one would drop SQLite's POSIX locks on the file)."""
    if conn is not None:
        n_pages = conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    else:
        head = head if head is not None else read_header(path)
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        n_pages = int.from_bytes(head[28:32], "big")
        change, valid_for = head[24:28], head[92:96]
        if not n_pages or change != valid_for:
            return  # the header's page count is not maintained (an old writer): SQLite uses the file size
    size = os.stat(path).st_size
    expected = n_pages * page_size
    if size < expected:
        raise damaged(path, "the file is shorter than it should be: it may have been copied incompletely",
                      "文件不完整，可能复制时中断")
    if size > expected:
        raise damaged(path, f"{size - expected} bytes of an unfinished write are in it, and the journal that would "
                      "undo them is missing", "其中有未完成写入的数据，而用于撤销它的日志文件不在")


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """Problems found by the cheap structural checks (empty when the file is sound)."""
    problems: list[str] = []
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        for t in tables:
            if t == "chunks":
                continue
            for (msg,) in conn.execute(f'PRAGMA integrity_check("{t}")'):
                msg = " ".join(str(msg).replace("*** in database main ***", "").split())
                if msg and msg != "ok":
                    problems.append(f"{t}: {msg}")
        if "chunks" in tables:
            # B-tree walks without the payload: every table and index page is read, the evidence bytes
            # (overflow pages) are not: length() of a BLOB column does not load it. (Grouped in index
            # order: a sorter would copy every row, blob and all, into a temp file.)
            n_table = conn.execute("SELECT COUNT(*) FROM chunks NOT INDEXED").fetchone()[0]
            n_index = conn.execute("SELECT COUNT(*) FROM chunks INDEXED BY chunks_blob_seq WHERE blob_id > -1").fetchone()[0]
            if n_table != n_index:
                problems.append(f"chunks: {n_table} rows but {n_index} index entries")
            bad = conn.execute(
                "SELECT b.id, b.size, COALESCE(c.n, 0), COALESCE(c.total, 0), COALESCE(c.last, -1) FROM blobs b LEFT JOIN "
                "(SELECT blob_id, COUNT(*) AS n, SUM(length(data)) AS total, MAX(seq) AS last FROM chunks "
                "INDEXED BY chunks_blob_seq GROUP BY blob_id) c ON c.blob_id = b.id "
                "WHERE b.sha256 IS NULL OR COALESCE(c.total, 0) != b.size OR COALESCE(c.last, -1) + 1 != COALESCE(c.n, 0) "
                "LIMIT 5").fetchall()
            for bid, size, n, total, _last in bad:
                problems.append(f"stored file {bid}: {total} of {size} bytes in {n} chunks")
            orphans = conn.execute("SELECT COUNT(*) FROM (SELECT DISTINCT blob_id FROM chunks NOT INDEXED) "
                                   "WHERE blob_id NOT IN (SELECT id FROM blobs)").fetchone()[0]
            if orphans:
                problems.append(f"chunks of {orphans} unknown stored files")
    except sqlite3.DatabaseError as e:
        problems.append(str(e))
    return problems
