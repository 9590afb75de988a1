"""The package writer seam: what a sealed package is made of, handed to whatever writes it.

`export_project` builds a `PackageContents` — the bag's root folder, its zip time stamp and its
entries in the package's fixed order (tag files and documents as bytes; evidence as path, size,
recorded SHA-256 and a way to stream it from the project's blob) — and gives it to a package
writer: any object with `write(contents, task=None) -> list[Path]` returning the files it made.

The default, `ZipPackageWriter`, writes the one package zip (desktop.export.bag: entries laid out
by `physical_order`, evidence first, the central directory in the package's order; exports stay
deterministic). Its `start` begins the zip with the evidence on a thread of its own while the
export makes the documents — the evidence needs nothing of them — and `write` then adds the tag
files and the documents (issue #17: the disk and the hashing were idle while the documents were
made). desktop.transport.volumes.VolumeWriter writes the volumes of a split package straight from
the same entries, without writing the whole zip first. A writer leaves nothing half-written
behind when it fails or is cancelled.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..project.evidence import read_blob
from ..project.streaming import HashedPrefetch, WritebackKicker
from ..tasks import TaskState
from .bag import BagZipWriter, Stopped, dos_date_time, is_evidence, physical_order


@dataclass(frozen=True)
class PackageEntry:
    path: str  # from the bag root: "bagit.txt", "data/evidence/1.1/x.pdf"
    size: int
    sha256: str  # for evidence: the project's record, checked while the bytes are written
    data: bytes | None = None  # tag files and documents
    open_chunks: Callable[[], Iterable[bytes]] | None = None  # evidence: a fresh stream of its bytes
    blob_id: int | None = None  # evidence: the project's stored file (ZipPackageWriter.start reads it itself)
    crc32: int | None = None  # evidence: the project's record (schema v3), checked instead of the SHA-256

    @property
    def streamed(self) -> bool:
        return self.data is None


@dataclass
class PackageContents:
    root: str  # the bag's folder inside the zip (the package's base name)
    date_time: tuple[int, int, int, int, int, int]  # as the zip stores it (dos_date_time)
    entries: list[PackageEntry]  # in the package's order
    package_id: str
    bag_info: bytes

    def __post_init__(self) -> None:
        self.date_time = dos_date_time(self.date_time)


def _write_streamed(zw: BagZipWriter, e: PackageEntry, chunks: Iterable[bytes], task, kick, stop=None) -> None:
    if e.crc32 is not None:
        # checked by the zip's own CRC-32 against the project's record: the SHA-256 of every byte
        # again was a third of a 1 GiB export's CPU, and it slowed the documents beside it (#17)
        zw.add_stream(e.path, e.size, chunks, expected_sha256=e.sha256, expected_crc32=e.crc32, task=task,
                      kick=kick, stop=stop)
        return
    # recorded before schema v3: read + SHA-256 on a second thread, CRC-32 + write on this one
    with HashedPrefetch(chunks) as src:
        zw.add_stream(e.path, e.size, src, expected_sha256=e.sha256, task=task, hashed=src, kick=kick, stop=stop)


class _EarlyEvidence:
    """The evidence entries of a zip being begun, written on a thread of their own from the
    project at `project` (a read-only connection of its own: the export's stays on its thread)."""

    def __init__(self, path: Path, project: Path, root: str, date_time, entries: list[PackageEntry],
                 task: TaskState | None):
        self.fh = open(path, "wb")
        self.kick = WritebackKicker(self.fh.fileno(), start=0)  # the disk writes while we read and hash
        self.zw = BagZipWriter(self.fh, root, date_time)
        self.written: list[str] = []
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self._project = project
        self._thread = threading.Thread(target=self._run, args=(entries, task), name="dossier-evidence", daemon=True)
        self._thread.start()

    def _run(self, entries: list[PackageEntry], task: TaskState | None) -> None:
        conn = None
        try:
            conn = sqlite3.connect(self._project.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=10000")
            for e in entries:
                if self.stop.is_set():
                    return
                if task is not None:
                    task.check()
                chunks = read_blob(conn, e.blob_id)
                try:
                    _write_streamed(self.zw, e, chunks, task, self.kick, self.stop)
                finally:
                    chunks.close()  # its blob handle, before the connection closes (not when collected)
                self.written.append(e.path)
        except Stopped:
            pass
        except BaseException as ex:  # noqa: BLE001 - handed to the export's thread (join)
            self.error = ex
        finally:
            if conn is not None:
                conn.close()

    def bytes_written(self) -> int:
        try:
            return os.fstat(self.fh.fileno()).st_size
        except (OSError, ValueError):
            return 0

    def join(self) -> None:
        """Wait for the evidence; raise what stopped it (EvidenceChanged, OSError, Cancelled…)."""
        self._thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        self.stop.set()
        self._thread.join()
        self.zw.abort()
        self.fh.close()


class ZipPackageWriter:
    """The package as one zip at `path` (a temporary name the caller renames). `sync`: fsync it
    (False when the caller only reads it to write something else, and syncs that)."""

    def __init__(self, path: Path, *, sync: bool = True):
        self.path = Path(path)
        self.sync = sync
        self._early: _EarlyEvidence | None = None

    def start(self, project: Path, root: str, date_time, evidence: list[PackageEntry], task: TaskState | None = None) -> None:
        """Begin the zip with `evidence` (entries with their blob_id, in the package's order) on a
        thread of its own; `write` finishes it with the same entries and the rest. `abort` ends it."""
        self._early = _EarlyEvidence(self.path, Path(project), root, dos_date_time(date_time), list(evidence), task)

    def bytes_written(self) -> int:
        return self._early.bytes_written() if self._early is not None else 0

    def abort(self) -> None:
        early, self._early = self._early, None
        if early is not None:
            early.abort()

    def write(self, contents: PackageContents, task: TaskState | None = None) -> list[Path]:
        order = [e.path for e in contents.entries]
        by_path = {e.path: e for e in contents.entries}
        early = self._early
        if early is not None:
            try:
                early.join()
            except BaseException:
                self.abort()
                raise
            self._early = None
            fh, zw, kick = early.fh, early.zw, early.kick
            if early.written != [p for p in order if is_evidence(p)]:  # the rule every zip is laid out by
                early.zw.abort()
                fh.close()
                raise RuntimeError("the evidence written first is not the package's evidence")
            done = set(early.written)
        else:
            fh = open(self.path, "wb")
            kick = WritebackKicker(fh.fileno(), start=0)
            zw = BagZipWriter(fh, contents.root, contents.date_time)
            done = set()
        with fh:
            try:
                for path in physical_order(order):
                    if path in done:
                        continue
                    e = by_path[path]
                    if e.data is not None:
                        zw.add_bytes(e.path, e.data)
                        continue
                    if task is not None:
                        task.check()
                    _write_streamed(zw, e, e.open_chunks(), task, kick)
                zw.close(order)
            except BaseException:
                zw.abort()
                raise
            fh.flush()
            if self.sync:
                os.fsync(fh.fileno())
        return [self.path]
