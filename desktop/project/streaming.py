"""Moving evidence bytes at the speed of the disk: a second thread reads and hashes while the
caller writes, and dirty pages are sent to the disk while the work goes on, not all at the end.

Why: attaching or exporting is one read, one SHA-256 (≈ 1.5 GB/s on one core), one write. Done in
sequence on one core the hash alone costs as much as the copy; hashlib, zlib, file reads and
SQLite all release the GIL, so a reader thread that reads and hashes the next chunk while the
caller stores the previous one puts the two cores to work. And the kernel keeps freshly written
pages in memory until the final fsync, which then waits for all of them: starting write-back
every few tens of megabytes lets the disk write while the CPU works, so the fsync that makes the
commit durable finds little left to do. (Starting write-back early is always safe: the kernel may
write dirty pages whenever it likes; durability still comes only from the fsync at commit.)
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from typing import BinaryIO, Iterator

CHUNK = 1 << 20
KICK_EVERY = 32 << 20  # start write-back of each 32 MiB written


class HashingReader:
    """Iterate over a file's bytes in `chunk`-sized memoryviews, read and SHA-256-hashed on a second
    thread `depth` chunks ahead. A view is valid until the next one is requested (its buffer is then
    reused). `sha256` is the hex digest once the iteration is complete; `n` the bytes read.
    Errors while reading are raised in the iterating thread. Always `close()` (or use `with`)."""

    _END = object()

    def __init__(self, fh: BinaryIO, chunk: int = CHUNK, depth: int = 3, hasher=None):
        self.fh = fh
        self.chunk = chunk
        self.h = hasher or hashlib.sha256()
        self.n = 0
        self.sha256: str | None = None
        self._free: queue.Queue = queue.Queue()
        for _ in range(depth + 1):
            self._free.put(bytearray(chunk))
        self._full: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dossier-read-hash", daemon=True)
        self._started = False

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                buf = self._free.get()
                if buf is None:
                    break
                n = self.fh.readinto(buf)
                if not n:
                    self._full.put(self._END)
                    return
                view = memoryview(buf)[:n]
                self.h.update(view)  # releases the GIL for large buffers
                self._full.put((buf, view))
        except BaseException as e:  # noqa: BLE001 - handed to the consumer
            self._full.put(e)

    def __iter__(self) -> Iterator[memoryview]:
        self._thread.start()
        self._started = True
        prev = None
        while True:
            item = self._full.get()
            if prev is not None:
                prev[1].release()
                self._free.put(prev[0])
                prev = None
            if item is self._END:
                self.sha256 = self.h.hexdigest()
                return
            if isinstance(item, BaseException):
                raise item
            prev = item
            self.n += len(item[1])
            yield item[1]

    def close(self) -> None:
        """Stop the reader (it finishes at most the read it is in) and wait for it."""
        self._stop.set()
        self._free.put(None)  # wakes a reader waiting for a buffer
        if self._started:
            self._thread.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Prefetch:
    """Run an iterator of bytes on a second thread, `depth` items ahead (reading evidence out of
    SQLite while the caller hashes/zips/writes the previous piece)."""

    _END = object()

    def __init__(self, it, depth: int = 3):
        self._it = it
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dossier-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for item in self._it:
                while not self._stop.is_set():
                    try:
                        self._q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._q.put(self._END)
        except BaseException as e:  # noqa: BLE001 - handed to the consumer
            self._q.put(e)

    def __iter__(self):
        while True:
            item = self._q.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._q.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(timeout=0.05)
        close = getattr(self._it, "close", None)
        if close is not None:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class HashedPrefetch(Prefetch):
    """Prefetch that also SHA-256-hashes every item on its thread; `sha256` once exhausted."""

    def __init__(self, it, depth: int = 3):
        self.h = hashlib.sha256()
        self.sha256: str | None = None
        self.n = 0
        super().__init__(self._hashing(it), depth)

    def _hashing(self, it):
        for item in it:
            self.h.update(item)
            self.n += len(item)
            yield item
        self.sha256 = self.h.hexdigest()


class WritebackKicker:
    """Ask the kernel to start writing a growing file's new pages to the disk every KICK_EVERY bytes
    (Linux: posix_fadvise(DONTNEED) starts asynchronous write-back of dirty pages in the range and
    leaves them cached). Elsewhere a no-op. Never raises."""

    def __init__(self, fd: int | None, start: int | None = None, every: int = KICK_EVERY):
        self.fd = fd if fd is not None and hasattr(os, "posix_fadvise") else None
        self.every = every
        self._pending = 0
        self._from = 0
        if self.fd is not None:
            try:
                self._from = os.fstat(self.fd).st_size if start is None else start
            except OSError:
                self.fd = None

    def advance(self, n: int) -> None:
        if self.fd is None:
            return
        self._pending += n
        if self._pending >= self.every:
            self._pending = 0
            self.kick()

    def kick(self) -> None:
        if self.fd is None:
            return
        try:
            end = os.fstat(self.fd).st_size
            if end > self._from:
                os.posix_fadvise(self.fd, self._from, end - self._from, os.POSIX_FADV_DONTNEED)
                self._from = end
        except OSError:
            self.fd = None
