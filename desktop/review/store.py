"""Package bytes inside the review file: streamed in 1 MiB chunks, hashed while streaming,
stored once per SHA-256 — and read back as a file for verify and the reader.

Copying happens inside the caller's transaction (the intake's), so a cancel, an error or a full
disk rolls the copy back with everything else.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from ..fsutil import atomic_output, hash_buffer
from .file import ReviewError

CHUNK_SIZE = 1 << 20
HASH_CHUNK = 1 << 20  # read and hashed while still in the CPU's cache (larger reads cost more CPU)


def _changed(path) -> ReviewError:
    return ReviewError(f"{path} changed while it was being read; take it in again",
                       f"读取过程中 {path} 发生了变化，请重新添加", key="review.source_changed")


def hash_file(fh: BinaryIO, progress: Callable[[int], None] | None = None) -> tuple[str, int]:
    """SHA-256 and size of an open file, read in chunks (hashlib releases the GIL on big chunks)."""
    h = hashlib.sha256()
    n = 0
    view = memoryview(hash_buffer(HASH_CHUNK))
    while True:
        k = fh.readinto(view)
        if not k:
            break
        h.update(view[:k])
        n += k
        if progress:
            progress(k)
    return h.hexdigest(), n


def store_blob(c: sqlite3.Connection, fh: BinaryIO, size: int,
               progress: Callable[[int], None] | None = None) -> tuple[int, str, bool]:
    """Copy `fh` into blobs/chunks inside the caller's transaction: (blob id, sha256, new?).

    Bytes already stored are not written twice: when a blob of the same size exists, the file is
    hashed first (a duplicate usually has the same size; a different size cannot be a duplicate)."""
    if c.execute("SELECT 1 FROM blobs WHERE size=? LIMIT 1", (size,)).fetchone():
        sha, n = hash_file(fh, progress)
        if n != size:
            raise _changed(getattr(fh, "name", "the package"))
        row = c.execute("SELECT id FROM blobs WHERE sha256=?", (sha,)).fetchone()
        if row:
            return row[0], sha, False
        fh.seek(0)
        progress = None  # already counted once
    blob_id = c.execute("INSERT INTO blobs(sha256, size, chunk_size) VALUES (NULL, ?, ?)", (size, CHUNK_SIZE)).lastrowid
    h = hashlib.sha256()
    seq = written = 0
    buf = bytearray(CHUNK_SIZE)
    view = memoryview(buf)
    while True:
        k = fh.readinto(buf)
        if not k:
            break
        part = view[:k]
        h.update(part)
        c.execute("INSERT INTO chunks(blob_id, seq, data) VALUES (?, ?, ?)", (blob_id, seq, part))
        seq += 1
        written += k
        if progress:
            progress(k)
    if written != size:
        raise _changed(getattr(fh, "name", "the package"))
    sha = h.hexdigest()
    dup = c.execute("SELECT id FROM blobs WHERE sha256=?", (sha,)).fetchone()
    if dup:  # same bytes, other size on record? impossible; kept as a guard against a changing source
        raise _changed(getattr(fh, "name", "the package"))
    c.execute("UPDATE blobs SET sha256=? WHERE id=?", (sha, blob_id))
    return blob_id, sha, True


def read_chunks(conn: sqlite3.Connection, blob_id: int) -> Iterator[bytes]:
    seq = 0
    while True:
        row = conn.execute("SELECT data FROM chunks WHERE blob_id=? AND seq=?", (blob_id, seq)).fetchone()
        if row is None:
            return
        yield row[0]
        seq += 1


def extract_blob(conn: sqlite3.Connection, blob_id: int, out: Path) -> Path:
    """Write a stored package to `out` (temporary name, renamed when complete), checking its hash."""
    sha, size = conn.execute("SELECT sha256, size FROM blobs WHERE id=?", (blob_id,)).fetchone()
    h = hashlib.sha256()
    n = 0
    with atomic_output(out) as (fh, _tmp):
        for chunk in read_chunks(conn, blob_id):
            h.update(chunk)
            fh.write(chunk)
            n += len(chunk)
        if n != size or h.hexdigest() != sha:
            raise ReviewError("A package stored in the review file is damaged (its SHA-256 does not match); "
                              "use an earlier copy of the review file",
                              "评审文件中保存的数据包已损坏（SHA-256 不一致）；请使用评审文件较早的副本",
                              key="review.blob_damaged")
    return out


@contextlib.contextmanager
def package_file(conn: sqlite3.Connection, storage: str, blob_id: int | None, source_path: str,
                 file_sha256: str, name: str = "package.zip", fingerprint: str | None = None) -> Iterator[Path]:
    """A path to the package's bytes for as long as the block runs: the stored copy written to a
    private temporary folder, or the linked file on disk (checked against the recorded
    fingerprint — or, for packages taken in before review file v3, the recorded SHA-256)."""
    if storage == "stored" and blob_id is not None:
        tmp = Path(tempfile.mkdtemp(prefix="dossier-review-"))
        try:
            safe = "".join(ch for ch in name if ch not in '<>:"/\\|?*\x00')[-120:] or "package.zip"
            yield extract_blob(conn, blob_id, tmp / safe)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    if storage == "linked":
        p = Path(source_path)
        try:
            if fingerprint:
                from .fingerprint import fingerprint_file

                same = fingerprint_file(p) == fingerprint
            else:
                with open(p, "rb") as fh:
                    same = hash_file(fh)[0] == file_sha256
        except OSError as e:
            raise ReviewError(f"The linked package {p} cannot be read ({e.strerror}); is the USB stick or CD inserted?",
                              f"无法读取链接的数据包 {p}（{e.strerror}）；U盘或光盘是否已插入？", key="review.link_missing") from None
        if not same:
            raise ReviewError(f"The linked package {p} has changed since it was taken in (SHA-256 differs)",
                              f"链接的数据包 {p} 在添加之后被改动（SHA-256 不一致）", key="review.link_changed")
        yield p
        return
    raise ReviewError("This package could not be read when it was taken in; no copy of it exists",
                      "该数据包在添加时无法读取，评审文件中没有它的副本", key="review.no_copy")


def record_file(conn: sqlite3.Connection, rec) -> contextlib.AbstractContextManager[Path]:
    """package_file for a PackageRecord."""
    return package_file(conn, rec.storage, rec.blob_id, rec.source_path, rec.file_sha256, rec.source_name,
                        fingerprint=rec.fingerprint)


def free_space_ok(folder: Path, need: int) -> bool:
    """Room for `need` more bytes (and a margin for the journal and pages)? Unknown counts as yes:
    SQLite still reports a full disk, and the transaction rolls back."""
    try:
        return shutil.disk_usage(folder).free > need + need // 50 + (64 << 20)
    except OSError:
        return True
