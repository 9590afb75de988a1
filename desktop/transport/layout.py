"""What a sealed package zip is made of, and writing it back from parts (volumes, deltas).

A package zip (desktop.export.bag) is a BagIt bag under one root folder, entries stored, in a
fixed order. `read_layout` lists its entries (path from the bag root, size, SHA-256) in that
order; `write_package` writes a zip with exactly those entries, pulling each entry's bytes from
a callback and checking them against the recorded size and SHA-256 on the way. Because the
writer is the export's own (BagZipWriter, same root, same time stamp, same order), a package
put back together from volumes or from a delta and its basis comes out byte-identical to the
one that was exported, on the same Dossier version; its verdict never depends on that.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import DossierError


@dataclass
class Entry:
    path: str  # from the bag root: "bagit.txt", "data/evidence/1.1/x.pdf"
    size: int
    sha256: str

    def to_dict(self) -> dict:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass
class Layout:
    root: str  # the bag's folder inside the zip
    date_time: tuple[int, int, int, int, int, int]
    entries: list[Entry]

    def get(self, path: str) -> Entry | None:
        return next((e for e in self.entries if e.path == path), None)


class PartMismatch(DossierError):
    def __init__(self, path: str, where: str, en: str, zh: str):
        super().__init__(en, zh, key="transport.part_mismatch")
        self.path, self.where = path, where


def open_zip(path: Path):
    """A hostile-safe reader for a zip (desktop.export.verify's checks run first)."""
    from ..export.verify import Unreadable, _ZipSource, check_source_path

    try:
        check_source_path(path)
        return _ZipSource(path)
    except Unreadable as e:
        raise DossierError(e.en, e.zh, key="transport.unreadable") from None


def read_layout(src) -> Layout:
    """The layout of a package zip this process just made (one root folder, every entry under it);
    not for untrusted zips: SHA-256s are taken from the zip's own manifests."""
    names = src.names()
    roots = {n.split("/", 1)[0] for n in names}
    if len(roots) != 1 or any("/" not in n for n in names):
        raise DossierError("not a Dossier package zip (one folder holding the bag)", "不是 Dossier 数据包（应为一个包含数据包的文件夹）",
                           key="transport.not_package")
    root = roots.pop()
    # the package's own manifests give every SHA-256 but theirs and the signature files': reading
    # them instead of hashing 1 GiB again halves the cost of a split (the caller made this zip a
    # moment ago in its private folder; the writer still checks each whole file against it)
    known: dict[str, str] = {}
    from ..export.digest import parse_listing

    for man in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        name = f"{root}/{man}"
        if name in src.entries and src.size(name) <= 64 << 20:
            try:
                known.update(parse_listing(b"".join(bytes(c) for c in src.chunks(name))))
            except (ValueError, UnicodeDecodeError):
                pass
    entries = []
    for n in names:
        rel = n[len(root) + 1:]
        if rel in known:
            entries.append(Entry(rel, src.size(n), known[rel]))
        else:
            sha, size = src.hash_entry(n)
            entries.append(Entry(rel, size, sha))
    zi = src.entries[names[0]]
    return Layout(root, tuple(zi.date_time), entries)


def write_package(layout: Layout, target: Path, chunks_for: Callable[[Entry], Iterable[bytes]],
                  *, task=None) -> None:
    """Write `layout` as a package zip at `target` (a temporary path the caller renames). Raises
    PartMismatch when an entry's bytes are not the recorded ones (size and SHA-256 are checked)."""
    from ..export.bag import BagZipWriter, EvidenceChanged, physical_order

    by_path = {e.path: e for e in layout.entries}
    with open(target, "wb") as fh:
        zw = BagZipWriter(fh, layout.root, layout.date_time)
        try:
            # laid out as the export lays out every package zip (evidence first), listed in its order
            for e in (by_path[p] for p in physical_order([e.path for e in layout.entries])):
                if task is not None:
                    task.check()
                try:
                    zw.add_stream(e.path, e.size, _bounded(chunks_for(e), e.size), expected_sha256=e.sha256, task=task)
                except EvidenceChanged:
                    raise PartMismatch(e.path, "", f"{e.path}: its parts do not add up to the recorded file (SHA-256 differs)",
                                       f"{e.path}：各部分合并后与记录的文件不一致（SHA-256 不同）") from None
            zw.close([e.path for e in layout.entries])
        except BaseException:
            zw.abort()
            raise
        fh.flush()
        os.fsync(fh.fileno())


def _bounded(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Never more than `size` bytes (a too-long part is cut here and caught by the size check)."""
    left = size + 1
    for c in chunks:
        if len(c) >= left:
            yield c[:left]
            return
        left -= len(c)
        yield c


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for c in iter(lambda: fh.read(1 << 20), b""):
            h.update(c)
    return h.hexdigest()


STALE_AFTER = 24 * 3600  # seconds: no export or intake runs that long; anything older was left by a killed run


def remove_stale(folder: Path, prefix: str) -> None:
    """Remove this app's temporary folders `<folder>/<prefix>*` left behind by a killed run. Only
    our own naming, only folders untouched for a day (a running instance's folder is younger)."""
    import shutil
    import time

    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return
    now = time.time()
    for d in entries:
        try:
            if d.name.startswith(prefix) and d.is_dir() and not d.is_symlink() and now - d.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            continue
