"""A package's fingerprint: one SHA-256-based name for its exact bytes, built from what verify hashed.

Why not simply the SHA-256 of the file: at intake verify already hashes every entry of a package
(the bag's manifests name each file's SHA-256). A SHA-256 of the whole file on top of that hashed
every byte a second time — twice the CPU, and the desk's intake of 200 packages ran at 1.86 × the
time of `openssl dgst` over the same bytes. The fingerprint reads and hashes only what lies
between the entries (zip headers, the central directory: kilobytes) and takes each stored entry's
SHA-256 from verify.

Version 1 (docs/review.md, "Package fingerprint"):

    F = SHA-256( b"dossier-package-fingerprint/1\\n" || segment || segment || … )

The file is cut into consecutive segments that cover it exactly, in file order: the data of each
zip entry (from the end of its local header, as long as its compressed size) and the bytes between
them (headers, data descriptors, the central directory; a file that is not a zip is one such gap).

    gap:    b"G" || length (8 bytes, little-endian) || the bytes themselves
    entry:  b"E" || length (8 bytes, little-endian) || SHA-256 of the entry's bytes (32 bytes)

Every segment carries its kind and length and the segments tile the file, so two files with the
same fingerprint have the same bytes (short of a SHA-256 collision). Where the layout is odd
(entries that overlap or run past the end) the odd entry is simply part of a gap: still exact.

The fingerprint is the desk's identity of a package: duplicates, the link check (a linked file
must still be the file that was taken in) and the reader's cache key. It is not what `sha256sum`
prints; a stored package's plain SHA-256 is kept beside it (blobs.sha256).
"""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable

from ..fsutil import hash_buffer

PREFIX = b"dossier-package-fingerprint/1\n"
_CHUNK = 1 << 20


def layout(fh: BinaryIO, size: int) -> list[tuple[int, int]]:
    """[(data offset, length)] of the file's zip entries, sorted, non-overlapping, inside the file;
    [] for a file that is not a readable zip. Reads only the central directory and local headers."""
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, struct.error):
        return []
    spans: list[tuple[int, int]] = []
    for zi in infos:
        if not zi.compress_size:
            continue
        try:
            fh.seek(zi.header_offset)
            head = fh.read(30)
        except (OSError, ValueError):
            continue
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            continue
        nlen, xlen = struct.unpack("<HH", head[26:30])
        start = zi.header_offset + 30 + nlen + xlen
        spans.append((start, zi.compress_size))
    spans.sort()
    out: list[tuple[int, int]] = []
    pos = 0
    for start, n in spans:
        if start < pos or start + n > size:
            continue  # overlapping or cut short: its bytes stay in a gap
        out.append((start, n))
        pos = start + n
    return out


def segments(spans: list[tuple[int, int]], size: int) -> list[tuple[bool, int, int]]:
    """[(is_entry, start, length)] covering [0, size) exactly, in order (empty gaps left out)."""
    out: list[tuple[bool, int, int]] = []
    pos = 0
    for start, n in spans:
        if start > pos:
            out.append((False, pos, start - pos))
        out.append((True, start, n))
        pos = start + n
    if size > pos:
        out.append((False, pos, size - pos))
    return out


def _head(is_entry: bool, n: int) -> bytes:
    return (b"E" if is_entry else b"G") + struct.pack("<Q", n)


class Stream:
    """The fingerprint of a file's bytes fed in order (while they are copied somewhere else)."""

    def __init__(self, spans: list[tuple[int, int]], size: int):
        self.h = hashlib.sha256(PREFIX)
        self.segs = segments(spans, size)
        self.size = size
        self.i = -1
        self.left = 0  # bytes still to come in the open segment
        self.entry = None  # the open entry segment's hash (None: a gap, fed straight into self.h)
        self.fed = 0

    def _next(self) -> None:
        if self.entry is not None:
            self.h.update(self.entry.digest())
            self.entry = None
        self.i += 1
        is_entry, _start, n = self.segs[self.i]
        self.left = n
        self.h.update(_head(is_entry, n))
        if is_entry:
            self.entry = hashlib.sha256()

    def update(self, data) -> None:
        view = memoryview(data).cast("B")
        if self.fed + len(view) > self.size:
            raise ValueError("more bytes than the file had")
        self.fed += len(view)
        while len(view):
            if not self.left:
                self._next()
            take = min(self.left, len(view))
            (self.entry or self.h).update(view[:take])
            self.left -= take
            view = view[take:]

    def hexdigest(self) -> str:
        if self.fed != self.size:
            raise ValueError("fewer bytes than the file had")
        if self.entry is not None:
            self.h.update(self.entry.digest())
            self.entry = None
        return self.h.hexdigest()


class TeeReader:
    """A binary file whose bytes, the first time each is read, also go to a Stream — so a copy
    loop that reads a file (and perhaps rewinds and reads it again) fingerprints it on the way."""

    def __init__(self, fh: BinaryIO, stream: Stream):
        self.fh, self.stream, self.name = fh, stream, getattr(fh, "name", "")

    def readinto(self, buf) -> int:
        pos = self.fh.tell()
        n = self.fh.readinto(buf)
        if n and pos + n > self.stream.fed:
            if pos > self.stream.fed:
                raise ValueError("read past bytes not yet fingerprinted")
            self.stream.update(memoryview(buf)[self.stream.fed - pos:n])
        return n

    def seek(self, *a) -> int:
        return self.fh.seek(*a)

    def tell(self) -> int:
        return self.fh.tell()


def stream_for(fh: BinaryIO) -> Stream:
    """A Stream for the open file `fh` (its layout read first; `fh` is left at its start)."""
    size = os.fstat(fh.fileno()).st_size
    spans = layout(fh, size)
    fh.seek(0)
    return Stream(spans, size)


def fingerprint_file(path: str | os.PathLike, known: dict[int, tuple[int, str]] | None = None, *,
                     expect_size: int | None = None, progress: Callable[[int], None] | None = None) -> str:
    """The fingerprint of the file at `path`. `known` ({data offset: (length, sha256 hex)}, verify's
    Verdict.entry_ranges) names entries already hashed: only the rest is read. Raises OSError when
    the file cannot be read, ValueError when its size is not `expect_size` (it changed)."""
    known = known or {}
    with open(Path(path), "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if expect_size is not None and size != expect_size:
            raise ValueError("the file changed size")
        spans = layout(fh, size)
        h = hashlib.sha256(PREFIX)
        buf = None
        for is_entry, start, n in segments(spans, size):
            h.update(_head(is_entry, n))
            k = known.get(start) if is_entry else None
            if k is not None and k[0] == n:
                h.update(bytes.fromhex(k[1]))
                if progress:
                    progress(n)
                continue
            target = hashlib.sha256() if is_entry else h
            if buf is None:
                buf = memoryview(hash_buffer(_CHUNK))
            fh.seek(start)
            left = n
            while left:
                got = fh.readinto(buf[:min(_CHUNK, left)])
                if not got:
                    raise ValueError("the file is shorter than it was")
                target.update(buf[:got])
                left -= got
                if progress:
                    progress(got)
            if is_entry:
                h.update(target.digest())
        return h.hexdigest()
