"""The package writer seam: what a sealed package is made of, handed to whatever writes it.

`export_project` builds a `PackageContents` — the bag's root folder, its zip time stamp and its
entries in the package's fixed order (tag files and documents as bytes; evidence as path, size,
recorded SHA-256 and a way to stream it from the project's blob) — and gives it to a package
writer: any object with `write(contents, task=None) -> list[Path]` returning the files it made.

The default, `ZipPackageWriter`, writes the one package zip (desktop.export.bag: the same bytes
as ever, so exports stay deterministic). desktop.transport.volumes.VolumeWriter writes the
volumes of a split package straight from the same entries, without writing the whole zip first.
A writer leaves nothing half-written behind when it fails or is cancelled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..project.streaming import HashedPrefetch, Prefetch, WritebackKicker
from ..tasks import TaskState
from .bag import BagZipWriter, EvidenceChanged, dos_date_time


@dataclass(frozen=True)
class PackageEntry:
    path: str  # from the bag root: "bagit.txt", "data/evidence/1.1/x.pdf"
    size: int
    sha256: str  # for evidence: the project's record, checked while the bytes are written
    data: bytes | None = None  # tag files and documents
    open_chunks: Callable[[], Iterable[bytes]] | None = None  # evidence: a fresh stream of its bytes

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
    # desktop.export.precheck.EvidencePrecheck (or None): evidence already checked against its SHA-256
    # while the documents were made. Writers that do not use it hash every file as they write it.
    precheck: Any = None

    def __post_init__(self) -> None:
        self.date_time = dos_date_time(self.date_time)


class ZipPackageWriter:
    """The package as one zip at `path` (a temporary name the caller renames). `sync`: fsync it
    (False when the caller only reads it to write something else, and syncs that)."""

    def __init__(self, path: Path, *, sync: bool = True):
        self.path = Path(path)
        self.sync = sync

    def write(self, contents: PackageContents, task: TaskState | None = None) -> list[Path]:
        precheck = contents.precheck
        with open(self.path, "wb") as fh:
            kick = WritebackKicker(fh.fileno(), start=0)  # the disk writes while we read and hash
            zw = BagZipWriter(fh, contents.root, contents.date_time)
            try:
                for e in contents.entries:
                    if e.data is not None:
                        zw.add_bytes(e.path, e.data)
                        continue
                    if task is not None:
                        task.check()
                    checked = precheck.result(e.path) if precheck is not None else None
                    if checked is not None:
                        if checked.sha256 != e.sha256 or checked.size != e.size:
                            raise EvidenceChanged(e.path, e.sha256, checked.sha256)
                        # read on a second thread, write (and zipfile's CRC-32) on this one
                        with Prefetch(e.open_chunks()) as src:
                            zw.add_stream(e.path, e.size, src, expected_sha256=e.sha256, task=task, kick=kick,
                                          checked_crc=checked.crc)
                        continue
                    if precheck is not None:
                        precheck.stop()  # the writer caught up with it: from here on it only competes for a core
                        precheck = None
                    # read + SHA-256 on a second thread, CRC-32 + write on this one
                    with HashedPrefetch(e.open_chunks()) as src:
                        zw.add_stream(e.path, e.size, src, expected_sha256=e.sha256, task=task, hashed=src, kick=kick)
                zw.close()
            except BaseException:
                zw.abort()
                raise
            finally:
                if precheck is not None:
                    precheck.stop()
            fh.flush()
            if self.sync:
                os.fsync(fh.fileno())
        return [self.path]
