"""The one helper for long work off the UI thread (attaching big files, extracting, exporting).

    job = Job(fn, project_path=path)          # fn(task: TaskState, project: Project | None) -> result
    job.succeeded.connect(...); job.failed.connect(...); job.cancelled.connect(...)
    job.start(parent_widget, label)           # shows a window-modal progress dialog with Cancel

- The work runs in a QThread with its OWN Project connection (opened and closed in that thread);
  it never touches widgets. Results and errors come back as queued signals on the UI thread.
- Progress comes from desktop.tasks.TaskState (throttled to one report every 50 ms) as a signal.
- Cancel is cooperative: TaskState.cancel(); the core raises Cancelled at its next chunk and
  rolls its transaction back, so the project is left as before.
- `run_blocking` runs a job while a local event loop keeps the UI alive (for undo/redo commands,
  which must finish before they return).
"""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..tasks import Cancelled, TaskState


class _Thread(QThread):
    def __init__(self, job: "Job"):
        super().__init__()
        self.job = job

    def run(self) -> None:  # worker thread: no widgets here
        job = self.job
        project = None
        try:
            if job.project_path is not None:
                from ..project import Project

                project = Project.open(job.project_path, readonly=job.readonly)
            job.result = job.fn(job.state, project)
            job.outcome = "ok"
        except Cancelled:
            job.outcome = "cancelled"
        except BaseException as e:  # noqa: BLE001 - reported to the UI thread, never lost
            job.outcome = "failed"
            job.error = e
        finally:
            if project is not None:
                try:
                    project.close()
                except Exception:  # pragma: no cover
                    pass


class Job(QObject):
    progress = Signal(int, int, str)  # done, total, status (throttled)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal(str)  # "ok" | "failed" | "cancelled", after the specific signal

    _active: set["Job"] = set()  # keep running jobs alive even if the caller drops its reference

    def __init__(self, fn: Callable[[TaskState, Any], Any], *, project_path=None, readonly: bool = False,
                 parent: QObject | None = None, status_text: Callable[[str], str] | None = None):
        super().__init__(parent)
        self.status_text = status_text  # turns a TaskState status into the dialog's label
        self.fn = fn
        self.project_path = project_path
        self.readonly = readonly
        self.state = TaskState(on_progress=self._emit_progress, min_interval=0.05)
        self.result: Any = None
        self.error: BaseException | None = None
        self.outcome = ""
        self.done = False  # True once the outcome signals have been emitted (UI thread)
        self.dialog: QProgressDialog | None = None
        self.started_at = 0.0
        self._thread = _Thread(self)
        self._thread.finished.connect(self._on_thread_finished, Qt.ConnectionType.QueuedConnection)

    # worker thread → queued to the UI thread by Qt (the Job lives in the UI thread)
    def _emit_progress(self, done: int, total: int, status: str) -> None:
        self.progress.emit(done, total, status)

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def start(self, parent: QWidget | None = None, label: str = "", *, show_after_ms: int = 400) -> "Job":
        if parent is not None:
            dlg = QProgressDialog(label, self.tr("Cancel"), 0, 1000, parent)
            dlg.setWindowTitle(self.tr("Please wait"))
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(show_after_ms)
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            dlg.setValue(0)
            dlg.canceled.connect(self.cancel)
            self.progress.connect(self._update_dialog)
            self.dialog = dlg
        Job._active.add(self)
        self.started_at = time.monotonic()
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.state.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("Cancelling…"))

    def _update_dialog(self, done: int, total: int, status: str) -> None:
        dlg = self.dialog
        if dlg is None:
            return
        if status and not self.state.cancelled:
            dlg.setLabelText(self.status_text(status) if self.status_text else status)
        if total > 0:
            dlg.setValue(min(999, int(done * 1000 / total)))  # may process events (modal dialog)

    def _on_thread_finished(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        Job._active.discard(self)
        self.done = True
        if self.outcome == "ok":
            self.succeeded.emit(self.result)
        elif self.outcome == "cancelled":
            self.cancelled.emit()
        else:
            self.failed.emit(self.error)
        self.finished.emit(self.outcome)

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Block until the thread ends (tests and shutdown only; UI code uses signals)."""
        return self._thread.wait(timeout_ms)


def run_blocking(fn: Callable[[TaskState, Any], Any], *, project_path=None, parent: QWidget | None = None,
                 label: str = "") -> tuple[str, Any]:
    """Run a job and wait for it while a local event loop keeps the UI painting.

    Returns ("ok", result) | ("cancelled", None) | ("failed", exception)."""
    job = Job(fn, project_path=project_path)
    loop = QEventLoop()
    job.finished.connect(lambda _o: loop.quit())
    job.start(parent, label)
    if not job.done:
        loop.exec()
    if job.outcome == "ok":
        return "ok", job.result
    if job.outcome == "cancelled":
        return "cancelled", None
    return "failed", job.error
