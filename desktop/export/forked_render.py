"""`dossier verify`'s PDF re-render in a forked process of its own (issue #17).

Why: verify hashes the payload on a pool of threads (hashlib runs without the GIL) while the PDF is
laid out again from the package's data (pure Python). On a thread, the re-render and the hashing
threads hand the GIL to one another after every step: each waits for the other, and a 1 GiB
package took 1.2–1.3 × `openssl dgst` where the hashing alone takes 0.8 ×. A process has a GIL
of its own: the re-render runs beside the hashing instead of between its steps.

When: only where a fork is safe — on Linux, and while the calling process runs one thread (counted
in /proc/self/task, so threads that Qt or a library started count too). The child is forked before
verify starts its pool; it opens the package itself, reads the documents, and renders exactly as the
thread would (`verify._rerender`). It reports the verdict with the SHA-256 of every document it read
and of the listing it rendered from; the parent uses the verdict only when those are the bytes its
own checks hashed (otherwise, or when the child fails or dies, the re-render runs again in the
parent, as before). Elsewhere (the GUI, Windows, macOS) the thread is used.

The child never returns into the caller's code: it leaves by os._exit, so nothing of the parent
(temporary folders, open files, atexit handlers) is run or removed twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from ..tasks import DoneCallbacks

MAX_REPORT = 1 << 20  # the child's report is a few hundred bytes; more is not from our child


def available() -> bool:
    """A fork is safe here: Linux, and this process runs a single thread."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or os.environ.get("DOSSIER_NO_FORK"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _child_report(path: Path) -> dict[str, Any]:
    """Everything the re-render needs, read by the child from the package itself."""
    from . import verify as V
    from .rerender import made_here

    src = V._ZipSource(path)
    try:
        got = V.rerender_documents(src, (V.PDF_PATH, "data/answers.json", "data/program.yaml", *V.RERENDER_DOCS))
        if got is None:
            return {}
        rel, docs = got
        if V.PDF_PATH not in docs or "data/answers.json" not in docs or not made_here(docs["data/answers.json"]):
            return {}
        listing = V._read_pdf(io.BytesIO(docs[V.PDF_PATH]))[0]
        if listing is None:
            return {}
        pdf_bytes = docs.pop(V.PDF_PATH)
        res = V._rerender(src.chunks, rel, docs, pdf_bytes, listing)
        return {"status": res.status, "detail": res.detail, "listing": _sha(listing),
                "docs": {V.PDF_PATH: _sha(pdf_bytes), **{r: _sha(d) for r, d in docs.items()}}}
    finally:
        src.close()


class ForkedRender(DoneCallbacks):
    """The re-render of the package at `path`, in a child forked now. The same face as
    verify._Render: when_done(fn), stop(), result(listing, hashes)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.report: dict[str, Any] | None = None
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            raise
        if pid == 0:  # the child: render, report, leave
            code = 0
            try:
                os.close(r)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # a Ctrl-C ends it at once, as the parent
                data = json.dumps(_child_report(path)).encode("utf-8")
                view = memoryview(data)
                while view:
                    view = view[os.write(w, view):]
            except BaseException:  # noqa: BLE001 - the parent sees no report and renders itself
                code = 1
            finally:
                os._exit(code)
        os.close(w)
        self.pid = pid
        self._fd = r
        self._reaped = False
        self._pid_lock = threading.Lock()
        self._thread = threading.Thread(target=self._wait, name="dossier-verify-forked-render", daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        parts: list[bytes] = []
        got = 0
        try:
            while got <= MAX_REPORT:
                b = os.read(self._fd, 65536)  # releases the GIL while the child works
                if not b:
                    break
                parts.append(b)
                got += len(b)
            if parts and got <= MAX_REPORT:
                rep = json.loads(b"".join(parts).decode("utf-8"))
                self.report = rep if isinstance(rep, dict) else None
        except (OSError, ValueError):
            self.report = None
        finally:
            os.close(self._fd)
            with self._pid_lock:  # stop() never signals a pid once it is reaped (it may be another process's by then)
                ended_well = self._reap()
            if not ended_well:  # a child that did not end well reported nothing to rely on
                self.report = None
            self.finished()

    def _reap(self) -> bool:
        """Wait for the child to end; whether it exited with status 0."""
        if self._reaped:
            return False
        self._reaped = True
        try:
            _pid, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return False
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    def stop(self) -> None:
        """Not needed any more (another check failed, or verify failed): end the child and wait."""
        with self._pid_lock:
            if not self._reaped:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._thread.join()

    def result(self, listing: bytes, hashes: dict[str, str]):
        """The verdict, if the child rendered from `listing` and read exactly the documents whose
        SHA-256 the parent verified (`hashes`: the parent's, by path in the bag); else None."""
        from .rerender import RerenderResult

        self._thread.join()
        rep = self.report
        if not rep or rep.get("listing") != _sha(listing) or rep.get("status") not in ("match", "mismatch", "not_checked"):
            return None
        docs = rep.get("docs")
        if not isinstance(docs, dict) or not docs or any(hashes.get(r) != h for r, h in docs.items()):
            return None
        return RerenderResult(str(rep["status"]), str(rep.get("detail", "")))
