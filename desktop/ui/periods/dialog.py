"""File → Start next period from this one…: the dialog that makes the next period's project.

It shows the period of this project, asks for the new period (the next one is proposed) and where to
save the new project, and says — before anything is written — what carries over and what starts
empty. The work runs off the UI thread (desktop.ui.worker.Job, with progress and Cancel); the core
(desktop.periods) builds the new file under a temporary name, so a cancel leaves nothing behind.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import DossierError
from ...periods import Period, default_next, plan_next_period, previous_period_of, start_next_period
from ..dialogs import message, show_error
from ..i18n import lang
from ..worker import Job


def _suggested_name(source: Path, previous: Period | None, new: Period) -> Path:
    """"潍坊_2026-11.dossier" → "潍坊_2026-12.dossier"; otherwise the period is appended."""
    stem = source.stem
    if previous is not None and str(previous) in stem:
        stem = stem.replace(str(previous), str(new))
    else:
        stem = re.sub(r"[_ -]*$", "", stem) + f"_{new}"
    return source.with_name(stem + ".dossier")


def _size(n: int) -> str:
    if n < 1 << 20:
        return f"{max(1, round(n / 1024)) if n else 0} KB"
    if n < 1 << 30:
        return f"{n / (1 << 20):.1f} MB"
    return f"{n / (1 << 30):.2f} GB"


class NextPeriodDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None, controller=None):
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.setObjectName("nextPeriodDialog")
        self.setMinimumWidth(560)
        self.job: Job | None = None
        self.created: Path | None = None
        prog = session.program
        try:
            self.previous = previous_period_of(session.project)
        except DossierError:
            self.previous = None
        self._name_was_suggested = True

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.this_period = QLabel(self)
        self.this_period.setWordWrap(True)
        self.previous_edit = QLineEdit(self)  # only when this project's period is not known
        self.previous_edit.setObjectName("previousPeriod")
        self.period_edit = QLineEdit(self)
        self.period_edit.setObjectName("newPeriod")
        self.period_edit.setText(str(default_next(self.previous, prog)))
        self.out_edit = QLineEdit(self)
        self.out_edit.setObjectName("outPath")
        self.browse = QPushButton(self)
        row = QHBoxLayout()
        row.addWidget(self.out_edit, 1)
        row.addWidget(self.browse)
        self.summary = QLabel(self)
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel(self)
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.previous_label = QLabel(self)
        self.period_label = QLabel(self)
        self.out_label = QLabel(self)
        self.form.addRow(self.previous_label, self.previous_edit)
        self.form.addRow(self.period_label, self.period_edit)
        self.form.addRow(self.out_label, row)
        self.previous_label.setVisible(self.previous is None)
        self.previous_edit.setVisible(self.previous is None)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_btn.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        self.create_btn.clicked.connect(self.start)
        self.browse.clicked.connect(self._browse)
        self.period_edit.textChanged.connect(self._period_changed)
        self.previous_edit.textChanged.connect(self._period_changed)
        self.out_edit.textEdited.connect(self._name_edited)
        self.out_edit.textChanged.connect(lambda _t: self.update_plan())

        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.this_period)
        lay.addLayout(self.form)
        lay.addWidget(self.summary)
        lay.addWidget(self.problem)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.plan = None
        self._period_changed()  # proposes the file name, then says what will be done
        self.retranslate()

    # ------------------------------------------------------------ inputs

    def _name_edited(self, _t: str) -> None:
        self._name_was_suggested = False

    def _new_period(self) -> Period:
        return Period.parse(self.period_edit.text())

    def _previous_period(self) -> Period | None:
        if self.previous is not None:
            return self.previous
        t = self.previous_edit.text().strip()
        return Period.parse(t) if t else None

    def _period_changed(self) -> None:
        if self._name_was_suggested:
            try:
                p = self._new_period()
            except DossierError:
                p = None
            if p is not None:
                self.out_edit.blockSignals(True)
                self.out_edit.setText(str(_suggested_name(self.session.path, self._safe_previous(), p)))
                self.out_edit.blockSignals(False)
        self.update_plan()

    def _safe_previous(self) -> Period | None:
        try:
            return self._previous_period()
        except DossierError:
            return None

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the next period's project as"), self.out_edit.text(),
                                              self.tr("Dossier projects (*.dossier)"))
        if path:
            p = Path(path)
            if p.suffix.lower() != ".dossier":
                p = p.with_name(p.name + ".dossier")
            self._name_was_suggested = False
            self.out_edit.setText(str(p))

    def out_path(self) -> Path:
        text = self.out_edit.text().strip()
        if not text:
            raise DossierError("Choose where to save the new project", "请选择新项目的保存位置", key="project.no_folder")
        p = Path(text)
        return p if p.suffix.lower() == ".dossier" else p.with_name(p.name + ".dossier")

    # ------------------------------------------------------------ what will be done

    def update_plan(self) -> None:
        """Say what carries over, or why it cannot be done yet; the Create button follows."""
        self.plan = None
        try:
            self.session.flush()
            self.plan = plan_next_period(self.session.project, self._new_period(), self.out_path(), self._previous_period())
        except DossierError as e:
            self.problem.setText(e.text(lang()))
            self.summary.setText("")
        else:
            self.problem.setText("")
            s = self.plan.summary()
            lines = [
                self.tr("Answers carried over: {n}. Answers of this period, left empty: {m}.")
                .format(n=s["answers_carried"], m=s["answers_emptied"]),
                self.tr("Evidence files copied into the new project: {n} ({size}). Files of this period, not carried over: {k}.")
                .format(n=s["evidence_copied"], size=_size(s["evidence_bytes"]), k=s["evidence_left_behind"]),
                self.tr("The new project shows this period's figures beside each figure of the new one."),
            ]
            self.summary.setText("\n".join(lines))
        self.problem.setVisible(bool(self.problem.text()))
        self.create_btn.setEnabled(self.plan is not None and self.job is None)

    # ------------------------------------------------------------ doing it

    def start(self) -> Job | None:
        self.update_plan()
        if self.plan is None:
            return None
        source, out = self.session.path, self.plan.out
        new, prev = self.plan.period, self.plan.previous_period

        def work(task, _project):
            return start_next_period(source, out, new, previous_period=prev, task=task)

        job = Job(work)
        job.succeeded.connect(self._done)
        job.failed.connect(lambda e: show_error(self, self.tr("Could not start the next period"), e))
        job.cancelled.connect(lambda: self.update_plan())
        job.finished.connect(self._finished)
        self.job = job
        self.create_btn.setEnabled(False)
        job.start(self, self.tr("Copying into the new project…"), show_after_ms=200)
        return job

    def _finished(self, _outcome: str) -> None:
        self.job = None
        self.update_plan()

    def _done(self, plan) -> None:
        self.created = plan.out
        from PySide6.QtWidgets import QMessageBox

        answer = message(self, "question", self.tr("Next period"),
                         self.tr("{file} is ready for {period}.").format(file=plan.out.name, period=plan.period.label().get(lang())),
                         self.tr("Open it now?"),
                         buttons=QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
                         default=QMessageBox.StandardButton.Open)
        self.accept()
        if answer == QMessageBox.StandardButton.Open and self.controller is not None:
            self.controller.open_path(plan.out, self.parent())

    # ------------------------------------------------------------ language

    def retranslate(self) -> None:
        prog = self.session.program
        self.setWindowTitle(self.tr("Start the next period"))
        self.intro.setText(self.tr("“{program}” is reported again every period. A new project is made for the next "
                                   "period: the answers that stay the same and their evidence are copied from this one, "
                                   "the figures of the period start empty, and this project is not changed.")
                           .format(program=prog.title.get(lang())))
        if self.previous is not None:
            self.this_period.setText(self.tr("This project reports on: {period}").format(period=self.previous.label().get(lang())))
        else:
            self.this_period.setText(self.tr("The period of this project is not recorded: give it below."))
        self.previous_label.setText(self.tr("Period of this project:"))
        self.period_label.setText(self.tr("New period:"))
        self.out_label.setText(self.tr("Save as:"))
        hint = self.tr("e.g. 2026-12 (month), 2026-Q4 (quarter), 2026-H2 (half-year) or 2026 (year)")
        self.period_edit.setPlaceholderText(hint)
        self.previous_edit.setPlaceholderText(hint)
        self.period_edit.setToolTip(hint)
        self.browse.setText(self.tr("Browse…"))
        self.create_btn.setText(self.tr("Create"))
        self.update_plan()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
