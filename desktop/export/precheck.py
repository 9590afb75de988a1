"""Check the evidence against its recorded SHA-256 on a second core while the documents are made.

An export builds its documents (the workbook, the Word copy, the PDF: pure Python, one core) before
the first evidence byte can go into the zip — the zip's fixed order puts the manifest and the PDF
first, and both depend on those documents. The evidence check, SHA-256 of every stored file
(hashlib releases the GIL), needs nothing of them, so `EvidencePrecheck` does it meanwhile on a
thread with its own read-only connection, in the package's order, and keeps on while the zip is
written until the writer catches up (issue #17: the check overlapped with the documents instead of
with the writing).

What the writer gets for each file the pre-check finished: the CRC-32 of the bytes whose SHA-256
matched the project's record. The writer then streams the file again (from the page cache) and
compares the CRC-32 zipfile computes of the bytes it writes with that one: a stored file that
changed between the two reads is refused as before (EvidenceChanged), and the SHA-256 of the bytes
in the zip is the recorded one. A file the pre-check did not finish is hashed while written, as
without it. A file whose SHA-256 does not match stops the export before the zip is begun.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..project.evidence import read_blob
from ..fastzlib import crc32
from ..gil import quick_switches


@dataclass(frozen=True)
class Checked:
    sha256: str  # what the stored bytes hash to
    crc: int  # their CRC-32, as the zip will record it
    size: int


@dataclass(frozen=True)
class _Item:
    path: str
    blob_id: int


class EvidencePrecheck:
    """Hash `files` (objects with `.path` and `.blob_id`, in the package's order) from the project
    at `project_path` on a thread of its own. `result(path)` is the file's Checked once the thread
    finished it, else None; `stop()` ends the thread (at the next chunk) and is idempotent."""

    def __init__(self, project_path: str | Path, files):
        self._items = [_Item(f.path, f.blob_id) for f in files]
        self._path = Path(project_path)
        self._done: dict[str, Checked] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.error: BaseException | None = None  # an unreadable project: the writer's own read will say so
        self._thread = threading.Thread(target=self._run, name="dossier-precheck", daemon=True)
        quick_switches(+1)  # it hashes beside the documents' pure Python (desktop.gil); -1 when it ends
        try:
            self._thread.start()
        except BaseException:
            quick_switches(-1)
            raise

    def _run(self) -> None:
        try:
            self._check()
        finally:
            quick_switches(-1)

    def _check(self) -> None:
        try:
            conn = sqlite3.connect(self._path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
        except (sqlite3.Error, OSError) as e:
            self.error = e
            return
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            for item in self._items:
                h = hashlib.sha256()
                crc = 0
                n = 0
                for chunk in read_blob(conn, item.blob_id):
                    if self._stop.is_set():
                        return
                    h.update(chunk)
                    crc = crc32(chunk, crc)
                    n += len(chunk)
                with self._lock:
                    self._done[item.path] = Checked(h.hexdigest(), crc, n)
        except (sqlite3.Error, OSError) as e:
            self.error = e
        finally:
            conn.close()

    def result(self, path: str) -> Checked | None:
        with self._lock:
            return self._done.get(path)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> "EvidencePrecheck":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
