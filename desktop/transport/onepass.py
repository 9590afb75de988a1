"""Volumes straight from an export's entries (desktop.export.writer.PackageContents), in one pass.

`split_package(contents, …)` plans the volumes exactly as for a finished zip (desktop.transport.
volumes: same plan, same index, same bytes) and takes each volume item from here. The plan puts
every file's pieces in consecutive volumes, in the package's order, so each evidence file is read
from the project once, front to back, and cut into its pieces on the way.

Threads, for a file cut into pieces (2 cores: the SHA-256 passes are most of the CPU):
  1. the project read and the whole file's SHA-256 (HashedPrefetch), checked against the
     project's record at the end of the file (EvidenceChanged, as an unsplit export);
  2. cutting at the piece boundaries and each piece's SHA-256, for its volume's manifest;
  3. (the caller) CRC-32 and the write into the volume.
A piece's hash cannot be derived from the whole file's, nor the other way round, so a cut file
costs two SHA-256 passes; they run beside each other. A file that fits whole in its volume takes
one pass (its piece hash is the whole file's), as in an unsplit export.
"""

from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

from ..errors import DossierError
from ..export.bag import BagZipWriter, EvidenceChanged
from ..export.verify import bag_info_fields
from ..export.writer import PackageContents, PackageEntry
from ..project.streaming import HashedPrefetch, Prefetch
from .layout import Entry, Layout


class _PieceDigest:
    """What BagZipWriter.add_stream reads as `hashed.sha256` for piece `k`: set by the cutting
    thread before it hands over the piece's last bytes."""

    def __init__(self, digests: list[str], k: int):
        self.digests, self.k = digests, k

    @property
    def sha256(self) -> str | None:
        return self.digests[self.k] if len(self.digests) > self.k else None


class _CutFile:
    """One evidence file being written as pieces: its streams and where it has got to."""

    def __init__(self, entry: PackageEntry, sizes: list[int]):
        self.entry = entry
        self.sizes = sizes
        self.digests: list[str] = []
        self.k = 0  # the next piece
        self.offset = 0
        self.whole = HashedPrefetch(entry.open_chunks())
        try:
            self.cut = Prefetch(self._cut(self.whole))
        except BaseException:
            self.whole.close()
            raise
        self.it = iter(self.cut)

    def _cut(self, chunks: Iterable[bytes]) -> Iterator[memoryview]:
        """(thread 2) The file's bytes cut at the piece boundaries, each piece hashed."""
        sizes, e = self.sizes, self.entry
        k, left, h = 0, sizes[0], hashlib.sha256()
        for chunk in chunks:
            mv = memoryview(chunk).cast("B")
            while mv.nbytes:
                if k == len(sizes):
                    raise EvidenceChanged(e.path, e.sha256, "")  # longer than recorded
                part = mv[:left]
                h.update(part)
                left -= part.nbytes
                mv = mv[part.nbytes:]
                if not left:
                    self.digests.append(h.hexdigest())
                    k += 1
                    if k < len(sizes):
                        left, h = sizes[k], hashlib.sha256()
                yield part
        # the whole file, hashed on thread 1, against the project's record
        if k != len(sizes) or self.whole.sha256 != e.sha256:
            raise EvidenceChanged(e.path, e.sha256, self.whole.sha256 or "")

    def take(self, n: int) -> Iterator[memoryview]:
        """The next `n` bytes (one piece; the cutting never lets a part straddle two pieces)."""
        while n > 0:
            part = next(self.it, None)
            if part is None:
                return  # short: add_stream's size check names it
            n -= part.nbytes
            yield part

    def finish(self) -> None:
        """After the last piece: the end of the file, where the whole file's hash is checked."""
        for _extra in self.it:
            raise EvidenceChanged(self.entry.path, self.entry.sha256, "")

    def close(self) -> None:
        self.cut.close()
        self.whole.close()


class ContentsSource:
    """An export's entries as the source of its volumes (desktop.transport.volumes._write_set)."""

    def __init__(self, contents: PackageContents):
        self.contents = contents
        self.layout = Layout(contents.root, contents.date_time, [Entry(e.path, e.size, e.sha256) for e in contents.entries])
        self.info = bag_info_fields(contents.bag_info) or {}
        self.by_path = {e.path: e for e in contents.entries}
        self.pieces: dict[str, list[int]] = {}
        self.cur: _CutFile | None = None

    def fallback_id(self) -> str:
        return self.contents.package_id

    def prepare(self, vols) -> None:
        """Each cut file's piece sizes, in the order they are written."""
        order = []
        for vol in vols:
            for it in vol.items:
                if it["size"] != it["entry"].size:
                    self.pieces.setdefault(it["entry"].path, []).append(it["size"])
                order.append((it["entry"].path, it["offset"]))
        # one read per file, front to back: the plan's order must be the files' order
        seen, last = set(), None
        for path, off in order:
            if path != last:
                if path in seen or off != 0:
                    raise DossierError("internal error: the volume plan does not follow the package's order",
                                       "内部错误：分卷计划与数据包的顺序不一致", key="transport.volume_order")
                seen.add(path)
                last = path

    def tag_bytes(self, path: str) -> bytes:
        data = self.by_path[path].data
        assert data is not None
        return data

    def write_item(self, zw: BagZipWriter, it: dict, task, kick) -> str:
        e = self.by_path[it["entry"].path]
        off, size = it["offset"], it["size"]
        if e.data is not None:  # a document (cut into pieces only when larger than a volume)
            return zw.add_bytes(it["path"], e.data if size == e.size else e.data[off:off + size])
        if size == e.size:  # whole: one SHA-256 pass, the record's check (as BagZipWriter in an unsplit export)
            with HashedPrefetch(e.open_chunks()) as src:
                return zw.add_stream(it["path"], size, src, expected_sha256=e.sha256, task=task, hashed=src, kick=kick)
        try:
            if off == 0:
                self.close()
                self.cur = _CutFile(e, self.pieces[e.path])
            cur = self.cur
            if cur is None or cur.entry is not e or cur.offset != off:
                raise DossierError("internal error: a piece out of order", "内部错误：分片顺序有误", key="transport.volume_order")
            sha = zw.add_stream(it["path"], size, cur.take(size), task=task, hashed=_PieceDigest(cur.digests, cur.k), kick=kick)
            cur.k += 1
            cur.offset += size
            if cur.offset == e.size:
                cur.finish()
                self.close()
            return sha
        except EvidenceChanged as x:  # named by the evidence file, not the piece
            raise EvidenceChanged(e.path, e.sha256, x.actual) from None

    def close(self) -> None:
        if self.cur is not None:
            cur, self.cur = self.cur, None
            cur.close()
