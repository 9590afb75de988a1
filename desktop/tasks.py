"""Cooperative cancel and throttled progress for long work (no Qt).

Core services take a TaskState; the UI's worker helper (desktop.ui.worker) wraps one and turns its
progress into throttled Qt signals. Work checks `state.check()` between chunks; a cancel raises
Cancelled, which callers treat as "roll back and leave everything as before".
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class Cancelled(Exception):
    """The user cancelled; the operation rolled back."""


class TaskState:
    def __init__(self, on_progress: Callable[[int, int, str], None] | None = None, min_interval: float = 0.05):
        self._cancel = threading.Event()
        self._on_progress = on_progress
        self._min_interval = min_interval
        self._last = 0.0
        self._lock = threading.Lock()  # advance() may be called from two threads (an export's evidence and documents)
        self.done = 0
        self.total = 0
        self.status = ""

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def set_total(self, total: int) -> None:
        self.total = total

    def advance(self, n: int, status: str | None = None, force: bool = False) -> None:
        """Add `n` units of work; report at most every `min_interval` seconds (throttled)."""
        with self._lock:
            self.done += n
            if status is not None:
                self.status = status
            report = False
            if self._on_progress:
                now = time.monotonic()
                if force or now - self._last >= self._min_interval or self.done >= self.total:
                    self._last = now
                    report = True
            done, total, st = self.done, self.total, self.status
        self.check()
        if report:
            self._on_progress(done, total, st)


class DoneCallbacks:
    """Functions to call once a piece of background work has finished: `when_done(fn)` calls `fn`
    at once if it has, else when the worker calls `finished()` (on the worker's thread). Used by
    verify's re-render, on a thread or in a forked child (desktop/export/verify.py, forked_render.py)."""

    def __init__(self) -> None:
        self._done_lock = threading.Lock()
        self._finished = False
        self._on_done: list[Callable[[], object]] = []

    def finished(self) -> None:
        with self._done_lock:
            self._finished = True
            todo, self._on_done = self._on_done, []
        for fn in todo:
            fn()

    def when_done(self, fn: Callable[[], object]) -> None:
        with self._done_lock:
            if not self._finished:
                self._on_done.append(fn)
                return
        fn()
