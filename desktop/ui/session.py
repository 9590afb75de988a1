"""ProjectSession: one open project as the UI sees it.

It owns the core Project (UI-thread connection), caches what the widgets read often (answers,
evidence, evidence counts) and the current Report, which it re-evaluates after every committed
edit (the rule engine over cached answers: a few milliseconds, no database read). Every change
goes through the QUndoStack (desktop.ui.undo); each redo/undo calls the core, which commits at once.

Long evidence work runs through desktop.ui.worker with its own connection. While such a job runs
the session is `busy`: edits wait for it (the job holds the database's write lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtGui import QUndoStack

from ..errors import DossierError, ProjectError
from ..models.program import Field, Program
from ..models.report import Report
from ..project import Evidence, Project
from ..rules import evaluate
from ..tasks import Cancelled
from ..values import coerce  # noqa: F401 - kept for callers of this module
from ..values.coerce import is_answered
from ..values.incremental import coerce_known
from .worker import Job


@dataclass(eq=False)
class EvidenceHandle:
    """A stable identity for an evidence item across undo/redo (database ids may be reused)."""

    eid: int
    name: str
    sha256: str
    size: int
    note: str = ""
    alive: bool = True
    stash: Path | None = None  # a copy kept for undo when the project no longer holds the content


class ProjectSession(QObject):
    valueChanged = Signal(str)  # field path
    evidenceChanged = Signal()
    reportChanged = Signal()
    flushRequested = Signal()  # editors with pending typing commit now
    errorRaised = Signal(object)  # a DossierError from an undo/redo or a background job
    navigateRequested = Signal(str, str)  # indicator id, path: show what an undo/redo changed
    busyChanged = Signal(bool)
    attachFinished = Signal(list, list)  # attached Evidence list, errors (DossierError list)

    def __init__(self, project: Project, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.program: Program = project.program
        self.undo_stack = QUndoStack(self)
        self.dialog_parent = None  # the window progress dialogs belong to
        self._answers: dict[str, Any] = project.answers()
        self._handles: dict[int, EvidenceHandle] = {}
        self._evidence: list[Evidence] = []
        self._by_indicator: dict[str, list[Evidence]] = {}
        self._counts: dict[str, int] = {}
        self._stash_dir: Path | None = None
        self._busy = 0
        self.in_command = False
        self._load_evidence()
        self.report: Report = evaluate(self.program, self._answers, self._counts)
        self.handoff = _handoff_mark(project)  # a partner's hand-off file: only its assignment is editable

    # ------------------------------------------------------------------ hand-off (desktop.handoff)

    def editable(self, indicator_id: str | None) -> bool:
        """The indicator is wholly the user's to fill (its fields and evidence)."""
        return self.handoff is None or (indicator_id is not None and self.handoff.scope.assigns_indicator(indicator_id))

    def completeness(self) -> float:
        """The share of required items done: of the whole application, or, in a partner's hand-off
        file, of the part assigned to the partner (the rest is the lead's)."""
        if self.handoff is None:
            return self.report.completeness
        return self.report.completeness_of(self.handoff.scope.assigns_field)

    def indicator_status(self, iid: str) -> str:
        """complete / problems / empty / hidden — in a partner's hand-off file, of the assigned part
        of an indicator given in part (the lead's fields there are not the partner's to finish)."""
        st = self.report.indicators.get(iid)
        if st is None:
            return "empty"
        if self.handoff is None or self.handoff.scope.assigns_indicator(iid) or not self.handoff.scope.touches_indicator(iid):
            return st.status  # wholly the partner's, or the lead's (read-only context): as it is
        if not st.visible:
            return "hidden"
        mine = [p for p in self.report.required if p.split("/", 1)[0] == iid and self.handoff.scope.assigns_field(p)]
        answered = any(is_answered(self._answers.get(p)) for p in self.handoff.scope.fields if p.split("/", 1)[0] == iid)
        if not answered:
            return "empty"
        if all(self.report.required[p] for p in mine) and not any(pr.blocking and self.concerns(pr) for pr in st.problems):
            return "complete"
        return "problems"

    def section_counts(self, section) -> tuple[int, int]:
        """(done, total) required items of a section: all of them, or in a partner's hand-off file
        those of the assigned part."""
        if self.handoff is None:
            return self.report.sections.get(section.id, (0, 0))
        ids = {i.id for i in section.indicators}
        mine = [d for p, d in self.report.required.items()
                if p.split("/", 1)[0] in ids and self.handoff.scope.assigns_field(p)]
        return sum(mine), len(mine)

    def field_editable(self, path: str) -> bool:
        return self.handoff is None or self.handoff.scope.assigns_field(path)

    def shown(self, indicator_id: str | None) -> bool:
        """Shown at all: a partner sees only the assigned indicators and the read-only context."""
        return self.handoff is None or (indicator_id is not None and self.handoff.scope.visible_indicator(indicator_id))

    def concerns(self, problem) -> bool:
        """The problem is the user's to fix (a partner: in the assigned fields and indicators)."""
        if self.handoff is None:
            return True
        path = problem.path
        if path and "/#" in path:
            return self.editable(path.split("/#", 1)[0])
        if path:
            return self.field_editable(path)
        return self.editable(problem.indicator_id)

    def _refuse_unassigned(self, path: str | None = None, indicator_id: str | None = None) -> None:
        if (path is not None and not self.field_editable(path)) or (indicator_id is not None and not self.editable(indicator_id)):
            raise ProjectError("This part of the form was not assigned to you; the lead fills it in",
                               "这部分不在分配给您的范围内，由牵头单位填写", key="handoff.not_assigned")

    def reload_answers(self, paths) -> None:
        """Values changed underneath (a merge or its undo): refresh the cache, the editors, the report."""
        self._answers = self.project.answers()
        for p in paths:
            self.valueChanged.emit(p)
        self.refresh_report()

    # ------------------------------------------------------------------ read

    @property
    def path(self) -> Path:
        return self.project.path

    @property
    def readonly(self) -> bool:
        return self.project.readonly

    @property
    def busy(self) -> bool:
        return self._busy > 0

    @property
    def applicant(self) -> str:
        return self.project.applicant

    def applicant_names(self) -> tuple[str, str]:
        """(the applicant's name, its English name if recorded)."""
        return self.project.applicant, self.project.meta().get("applicant_en", "")

    def value(self, path: str) -> Any:
        return self._answers.get(path)

    def answers(self) -> dict[str, Any]:
        return dict(self._answers)

    def field(self, path: str) -> Field:
        f = self.program.field(path)
        if f is None:
            raise KeyError(path)
        return f

    def evidence(self, indicator_id: str | None = None) -> list[Evidence]:
        if indicator_id is None:
            return list(self._evidence)
        return list(self._by_indicator.get(indicator_id, ()))

    def handle(self, eid: int) -> EvidenceHandle:
        return self._handles[eid]

    def evidence_count(self, indicator_id: str, slot_id: str) -> int:
        return self._counts.get(f"{indicator_id}/{slot_id}", 0)

    def field_visible(self, path: str) -> bool:
        return path in self.report.visible_fields

    # ------------------------------------------------------------------ edits

    def check(self, path: str, value: Any) -> Any:
        """The value as the core would store it, or ValueProblem (nothing stored). Rows of a table
        that are the stored rows are not checked again (a 10,000-row table: one row per cell edit)."""
        return coerce_known(self.field(path), value, self._answers.get(path))

    def _refuse_readonly(self) -> None:
        if self.readonly:
            raise ProjectError("The project is open read-only; copy it to a writable place to edit it",
                               "项目以只读方式打开；如需修改，请先复制到可写的位置", key="project.readonly")

    def edit(self, path: str, value: Any, *, typing: bool = False) -> Any:
        """A user edit: checked, then pushed on the undo stack (whose redo stores it). Returns the
        stored value. Raises ValueProblem (wrong value) or ProjectError (cannot write)."""
        from .undo import SetValueCommand

        self._refuse_readonly()
        self._refuse_unassigned(path)
        new = self.check(path, value)
        old = self._answers.get(path)
        if new == old:
            return new
        self.wait_idle()
        cmd = SetValueCommand(self, path, old, new, typing=typing)
        self.undo_stack.push(cmd)
        if cmd.error is not None:
            raise cmd.error
        return self._answers.get(path)

    def store(self, path: str, value: Any) -> Any:
        """Write through the core (one transaction) and refresh caches and the report."""
        stored = self.project.set(path, value)
        if stored is None:
            self._answers.pop(path, None)
        else:
            self._answers[path] = stored
        self.valueChanged.emit(path)
        self.refresh_report()
        return stored

    def refresh_report(self) -> None:
        self.report = evaluate(self.program, self._answers, self._counts)
        self.reportChanged.emit()

    def flush(self) -> None:
        """Ask editors to commit what is being typed (before undo, navigation, close)."""
        self.flushRequested.emit()

    def set_note(self, eid: int, note: str) -> None:
        from .undo import NoteCommand

        self._refuse_readonly()
        h = self._handles[eid]
        if h.note == note:
            return
        self.wait_idle()
        cmd = NoteCommand(self, h, h.note, note)
        self.undo_stack.push(cmd)
        if cmd.error is not None:
            raise cmd.error

    # ------------------------------------------------------------------ evidence

    def _load_evidence(self) -> None:
        items = self.project.evidence()
        handles: dict[int, EvidenceHandle] = {}
        by_ind: dict[str, list[Evidence]] = {}
        for ev in items:
            h = self._handles.get(ev.id)
            if h is None or not h.alive or h.sha256 != ev.sha256:
                h = EvidenceHandle(ev.id, ev.name, ev.sha256, ev.size, ev.note)
            h.note = ev.note
            h.name = ev.name
            handles[ev.id] = h
            for link in ev.links:
                by_ind.setdefault(link.indicator_id, []).append(ev)
        for eid, h in self._handles.items():
            if handles.get(eid) is not h:
                h.alive = False
        self._handles = handles
        self._evidence = items
        self._by_indicator = by_ind
        self._counts = self.project.evidence_counts()

    def reload_evidence(self) -> None:
        self._load_evidence()
        self.evidenceChanged.emit()
        self.refresh_report()

    def adopt(self, h: EvidenceHandle) -> None:
        """Keep `h` as the identity of evidence h.eid (after an undo/redo re-created it)."""
        self._handles[h.eid] = h

    def stash_dir(self) -> Path:
        if self._stash_dir is None:
            from ..fsutil import HeldTempDir

            # held while the window is open; a crashed session's folder is removed on a later start
            self._stash_held = HeldTempDir("undo")
            self._stash_dir = self._stash_held.path
        return self._stash_dir

    def attach_files(self, paths: list[str | Path], indicator_id: str, slot_id: str | None = None,
                     label: str = "") -> Job:
        """Attach files in the background (progress + Cancel); one undo step for all of them.

        This is the single code path for drag and drop and the Add dialog. A cancel rolls back the
        file being stored and detaches those stored before it, so the project is left as before."""
        from .undo import AttachCommand

        self._refuse_readonly()
        self._refuse_unassigned(indicator_id=indicator_id)
        self.wait_idle()
        paths = [Path(p) for p in paths]

        def work(task, proj: Project):
            sizes = []
            for p in paths:
                try:
                    sizes.append(p.stat().st_size)
                except OSError:
                    sizes.append(0)
            task.set_total(sum(sizes))
            done: list[Evidence] = []
            errors: list[DossierError] = []
            try:
                for p, size in zip(paths, sizes):
                    task.check()
                    task.set_total(task.total - size)  # attach adds the size back itself
                    task.status = p.name
                    total0, done0 = task.total, task.done
                    try:
                        done.append(proj.attach(p, indicator_id, slot_id, task=task))
                    except DossierError as e:
                        errors.append(e)
                        if task.total == total0:  # refused before reading: count the file as done
                            task.set_total(total0 + size)
                        task.advance(max(0, size - (task.done - done0)))
            except Cancelled:
                for ev in reversed(done):
                    proj.detach(ev.id, indicator_id)
                raise
            return done, errors

        job = Job(work, project_path=self.project.path, status_text=lambda name: self.tr("Adding {name}…").format(name=name))

        def ok(result):
            done, errors = result
            self.reload_evidence()
            if done:
                items = [(self._handles[ev.id], indicator_id, _slot_of(ev, indicator_id)) for ev in done]
                self.undo_stack.push(AttachCommand(self, items))
            self.attachFinished.emit(done, errors)

        def cancelled():
            self.reload_evidence()
            self.attachFinished.emit([], [])

        def failed(err):
            self.reload_evidence()
            if not isinstance(err, DossierError):
                err = DossierError(f"Could not attach the files: {err}", f"无法添加文件：{err}", key="evidence.failed")
            self.attachFinished.emit([], [err])

        job.succeeded.connect(ok)
        job.cancelled.connect(cancelled)
        job.failed.connect(failed)
        self._track(job)
        job.start(self.dialog_parent, label or self.tr("Adding evidence files…"))
        return job

    def run_job(self, fn: Callable, label: str = "") -> tuple[str, Any]:
        """Run background work on the project and wait for it (UI stays alive). Used by undo."""
        from .worker import run_blocking

        self._busy += 1
        self.busyChanged.emit(True)
        try:
            return run_blocking(fn, project_path=self.project.path, parent=self.dialog_parent, label=label)
        finally:
            self._busy -= 1
            self.busyChanged.emit(self.busy)

    def _track(self, job: Job) -> None:
        self._busy += 1
        self.busyChanged.emit(True)

        def done(_outcome):
            self._busy -= 1
            self.busyChanged.emit(self.busy)

        job.finished.connect(done)

    def wait_idle(self) -> None:
        """Wait (event loop running) until background work on this project has finished."""
        while self._busy and not self.in_command:
            loop = QEventLoop()
            self.busyChanged.connect(loop.quit)
            loop.exec()
            self.busyChanged.disconnect(loop.quit)

    # ------------------------------------------------------------------ close

    def close(self) -> None:
        self.flush()
        self.wait_idle()
        self.undo_stack.clear()
        self.project.close()
        if self._stash_dir is not None:
            self._stash_held.cleanup()
            self._stash_dir = None


def _handoff_mark(project: Project):
    from ..handoff.marker import read_mark

    try:
        return read_mark(project)
    except DossierError:
        return None


def _slot_of(ev: Evidence, indicator_id: str) -> str | None:
    for link in ev.links:
        if link.indicator_id == indicator_id:
            return link.slot_id
    return None
