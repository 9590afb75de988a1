"""The desk's PDF re-renders, in processes of their own.

Verify lays the PDF of every package this build made out again and compares it byte for byte
(desktop/export/rerender.py). That is pure Python: at intake, with the packages verified on
threads, every re-render shared one core through the GIL (about 0.6 s a package, one at a time)
while the hashing had the other. Here each re-render goes to a pool of worker processes (spawned,
never forked: the GUI has Qt's threads), one per core, so N cores lay out N packages at once.

A worker that cannot be started or dies (a broken pool) is not an error: verify then renders in
its own thread, as before — the verdict is the same either way, only slower.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
from pathlib import Path
from typing import Any


def _follow_parent(parent: int) -> None:
    """In each worker: end when the desk's process is gone. A worker left behind by a crash (or a
    pulled plug on the parent, kill -9) would otherwise wait for work forever, holding the
    terminal's or the caller's pipes open (a caller reading them to the end would hang)."""

    def watch() -> None:
        import time

        if os.name == "nt":  # the parent's handle signals when it ends
            proc = multiprocessing.parent_process()
            if proc is not None:
                proc.join()
            os._exit(0)
        while os.getppid() == parent:  # an orphan is re-parented (to init or a subreaper)
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="dossier-render-parent", daemon=True).start()


class RenderPool:
    """A callable for verify_package(rerender=…): (zip path, listing, {entry: sha256}) → result."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or (os.cpu_count() or 1))
        self._pool: cf.ProcessPoolExecutor | None = None
        self._broken = False
        self._lock = threading.Lock()

    def _get(self) -> cf.ProcessPoolExecutor | None:
        with self._lock:
            if self._pool is None and not self._broken:
                try:
                    self._pool = cf.ProcessPoolExecutor(max_workers=self.workers,
                                                        mp_context=multiprocessing.get_context("spawn"),
                                                        initializer=_follow_parent, initargs=(os.getpid(),))
                except (OSError, ValueError, RuntimeError):
                    self._broken = True
            return self._pool

    def __call__(self, path: Path, listing: bytes, expect: dict[str, str]) -> Any:
        from ..export.verify import render_in_process

        pool = self._get()
        if pool is None:
            return None
        try:
            return pool.submit(render_in_process, str(path), listing, expect).result()
        except cf.process.BrokenProcessPool:
            self._broken = True  # render in verify's own thread from now on
            return None
        except Exception:  # noqa: BLE001 - whatever failed there is rendered (and reported) here again
            return None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
