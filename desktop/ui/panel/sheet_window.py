"""The expert's window: one expert sheet — the assigned packages on the left, the applicant's
indicators in the middle (for the part of the rubric in focus), the rubric on the right.

Every choice is saved in the sheet at once (one transaction each: a crash loses nothing).
Keyboard-only scoring: Tab moves through the rubric (declaration, gates, criteria, overall), digits
choose a level, Ctrl+PgDown / Ctrl+PgUp move to the next / previous package, F8 to the next
package not finished, Ctrl+G accepts the gates the rules found met, Ctrl+Shift+O opens the whole
package read-only, Ctrl+Return submits.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...panel.sheet import ExpertSheet
from ..dialogs import message, show_error
from ..i18n import lang
from ..settings import Settings
from .html import indicators_html
from .scoring import CriterionBox, GateBox, RubricPanel

STATUS_MARK = {"scored": "✓", "recused": "⊘", "in_progress": "◐", "not_started": "○"}


class SheetWindow(QMainWindow):
    def __init__(self, path, parent=None):
        super().__init__(parent)
        self.setObjectName("expertSheet")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path = Path(path)
        self.sheet = ExpertSheet.open(path)
        self.rubric = self.sheet.rubric
        self.pkgs = self.sheet.packages()
        self.current = None  # the SheetPackage shown (with answers)
        self.work = None
        self.focused_box = None
        self.readers: list = []
        self._build()
        self._build_actions()
        geo = Settings().geometry("sheet")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1366, 768)
        self.retranslate()
        self._fill_list()
        if self.pkgs:
            st = self.sheet.statuses()
            first = next((p for p in self.pkgs if st[p.id] not in ("scored", "recused")), self.pkgs[0])
            self.show_package(first.id)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(8, 6, 8, 6)
        self.banner = QLabel(w)
        self.banner.setObjectName("readonlyBanner")
        self.banner.setWordWrap(True)
        head = QHBoxLayout()
        self.header = QLabel(w)
        self.header.setObjectName("indicatorTitle")
        self.progress_label = QLabel(w)
        self.progress = QProgressBar(w)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.submit_btn = QPushButton(w)
        self.submit_btn.clicked.connect(self.submit_dialog)
        head.addWidget(self.header, 1)
        head.addWidget(self.progress_label)
        head.addWidget(self.progress)
        head.addWidget(self.submit_btn)
        lay.addWidget(self.banner)
        lay.addLayout(head)
        split = QSplitter(Qt.Orientation.Horizontal, w)
        self.list = QListWidget(split)
        self.list.currentItemChanged.connect(self._list_changed)
        mid = QWidget(split)
        ml = QVBoxLayout(mid)
        ml.setContentsMargins(0, 0, 0, 0)
        self.view = QTextBrowser(mid)
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(self._link)
        self.open_btn = QPushButton(mid)
        self.open_btn.clicked.connect(self.open_package)
        orow = QHBoxLayout()
        orow.addWidget(self.open_btn)
        orow.addStretch(1)
        ml.addWidget(self.view, 1)
        ml.addLayout(orow)
        self.scroll = QScrollArea(split)
        self.scroll.setWidgetResizable(True)
        self.panel = RubricPanel(self.rubric, self.scroll)
        self.scroll.setWidget(self.panel)
        split.addWidget(self.list)
        split.addWidget(mid)
        split.addWidget(self.scroll)
        split.setSizes([230, 540, 580])
        split.setChildrenCollapsible(False)
        lay.addWidget(split, 1)
        self.setCentralWidget(w)
        # what the boxes report
        p = self.panel
        p.coi.declared.connect(self._declare)
        for g in p.gates:
            g.answered.connect(self._gate)
        for c in p.criteria:
            c.scored.connect(self._score)
            c.commented.connect(self._comment)
            c.evidence_chosen.connect(self._evidence)
        p.overall.changed.connect(self._overall)
        for b in p.boxes():
            b.focused.connect(self._box_focused)

    def _build_actions(self) -> None:
        def act(slot, keys=None) -> QAction:
            a = QAction(self)
            if keys:
                a.setShortcuts([QKeySequence(k) for k in keys])
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.a_next = act(lambda: self.step(1), ["Ctrl+PgDown", "Alt+Down"])
        self.a_prev = act(lambda: self.step(-1), ["Ctrl+PgUp", "Alt+Up"])
        self.a_unfinished = act(self.next_unfinished, ["F8"])
        self.a_gates = act(self.accept_gates, ["Ctrl+G"])
        self.a_open = act(self.open_package, ["Ctrl+Shift+O"])
        self.a_submit = act(self.submit_dialog, ["Ctrl+Return"])
        self.a_close = act(self.close, [QKeySequence.StandardKey.Close])
        bar = self.menuBar()
        self.m_sheet = bar.addMenu("")
        for a in (self.a_submit, None, self.a_close):
            self.m_sheet.addSeparator() if a is None else self.m_sheet.addAction(a)
        self.m_pkg = bar.addMenu("")
        for a in (self.a_next, self.a_prev, self.a_unfinished, None, self.a_gates, self.a_open):
            self.m_pkg.addSeparator() if a is None else self.m_pkg.addAction(a)

    # ------------------------------------------------------------------ packages

    def _fill_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        st = self.sheet.statuses()
        for p in self.pkgs:
            it = QListWidgetItem()
            it.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(it)
            self._item_text(it, p, st[p.id])
        self.list.blockSignals(False)
        self._progress()

    def _item_text(self, it, p, status: str) -> None:
        words = {"scored": self.tr("scored"), "recused": self.tr("recused"), "in_progress": self.tr("in progress"),
                 "not_started": self.tr("not started")}
        it.setText(f"{STATUS_MARK[status]} #{p.id} {p.applicant}\n    {p.project_name or ''} · {words[status]}".rstrip())
        it.setToolTip(f"{p.applicant_en}\n{p.sealed_at}")

    def _row(self, pid: int) -> int:
        return next((i for i, p in enumerate(self.pkgs) if p.id == pid), -1)

    def _list_changed(self, cur, _prev) -> None:
        if cur is not None:
            pid = cur.data(Qt.ItemDataRole.UserRole)
            if self.current is None or pid != self.current.id:
                self.show_package(pid)

    def show_package(self, pid: int) -> None:
        """Fill the window with package `pid` (what switching packages costs: see benchmarks/panel_bench.py)."""
        sh = self.sheet
        self.current = sh.package(pid)
        self.work = sh.work(pid)
        row = self._row(pid)
        if self.list.currentRow() != row:
            self.list.blockSignals(True)
            self.list.setCurrentRow(row)
            self.list.blockSignals(False)
        self._refill()
        shown = self.focused_box if self.focused_box is not None else (self.panel.criteria[0] if self.panel.criteria else None)
        self._show_indicators(shown)

    def _refill(self) -> None:
        p, w = self.current, self.work
        panel = self.panel
        panel.coi.set_state(w.coi)
        names = [(n, e.get("name", "")) for n, e in enumerate(p.answers.get("evidence") or [])]
        for g in panel.gates:
            g.set_state(p.prefill.get(g.gate.id) or {}, w.gates.get(g.gate.id))
        for c in panel.criteria:
            inds = set(c.criterion.indicators)
            ev = [(n, name) for n, name in names if (p.answers["evidence"][n].get("indicator") in inds)]
            c.set_state(w.scores.get(c.criterion.id), c.criterion.id in p.applicable, ev)
        panel.overall.set_state(w.overall, w.confidence, w.overall_comment)
        editable = not self.sheet.readonly and not self.sheet.submitted_at
        panel.coi.setEnabled(editable)
        panel.set_scoring_enabled(editable and w.coi is not None and not w.recused)
        self._status_changed()

    def step(self, d: int) -> None:
        if not self.pkgs or self.current is None:
            return
        row = (self._row(self.current.id) + d) % len(self.pkgs)
        self.show_package(self.pkgs[row].id)

    def next_unfinished(self) -> None:
        if self.current is None:
            return
        start = self._row(self.current.id)
        st = self.sheet.statuses()
        for k in range(1, len(self.pkgs) + 1):
            p = self.pkgs[(start + k) % len(self.pkgs)]
            if st[p.id] not in ("scored", "recused"):
                self.show_package(p.id)
                self.panel.coi.setFocus()
                return
        self.statusBar().showMessage(self.tr("Every package is scored or recused: submit the scores (Ctrl+Return)."), 8000)

    def _status_changed(self) -> None:
        if self.current is None:
            return
        it = self.list.item(self._row(self.current.id))
        if it is not None:
            self._item_text(it, self.current, self.sheet.status(self.current.id))
        self._progress()

    def _progress(self) -> None:
        pr = self.sheet.progress()
        self.progress_label.setText(pr.label().get(lang()))
        self.progress.setRange(0, max(1, pr.total))
        self.progress.setValue(pr.done)

    # ------------------------------------------------------------------ the indicators beside

    def _box_focused(self, box) -> None:
        self.focused_box = box
        self._show_indicators(box)
        self.scroll.ensureWidgetVisible(box, 0, 20)

    def _show_indicators(self, box) -> None:
        if self.current is None:
            return
        prog = self.sheet.program(self.current.program_key)
        L = lang()
        if isinstance(box, CriterionBox):
            c = box.criterion
            ids, heading, focus = c.indicators, c.label.get(L), c.focus.get(L) if c.focus else ""
        elif isinstance(box, GateBox):
            g = box.gate
            ids = g.indicators or [i for c in self.rubric.criteria for i in c.indicators][:3]
            heading, focus = g.label.get(L), g.help.get(L) if g.help else ""
        else:
            ids = [i.id for i in prog.indicators()] if prog is not None else []
            heading, focus = self.current.applicant, self.current.project_name
        self.view.setHtml(indicators_html(prog, self.current.answers, ids, L, heading=heading, focus=focus))

    def _link(self, url: QUrl) -> None:
        s = url.toString()
        if s.startswith("evidence:") and isinstance(self.focused_box, CriterionBox) and self.current is not None:
            n = int(s.split(":", 1)[1])
            box = self.focused_box
            i = box.evidence.findData(n)
            if i >= 0:
                box.evidence.setCurrentIndex(i)
                self._evidence(box.criterion.id, n)

    # ------------------------------------------------------------------ saving (each one transaction)

    def _save(self, fn) -> bool:
        if self.sheet is None or self.current is None:  # closed: the last edit was saved by closeEvent
            return False
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - refused by the core (recused, no reason, read-only…): say why
            show_error(self, self.tr("Scoring"), e)
            self.work = self.sheet.work(self.current.id)
            self._refill()
            return False
        self.work = self.sheet.work(self.current.id)
        return True

    def _declare(self, recused: bool, reason: str) -> None:
        p = self.current
        if self.sheet is None or p is None or self.work.coi == (recused, reason.strip() if recused else ""):
            return
        if recused and (self.work.scores or self.work.gates or self.work.overall is not None):
            from ..identity_dialog import confirm

            if not confirm(self, self.tr("Recuse yourself"), self.tr("Recuse yourself from {name}?").format(name=p.applicant),
                           self.tr("What you scored for this package will be removed: a recused package is never scored."),
                           self.tr("Recuse")):
                self._refill()
                return
        if self._save(lambda: self.sheet.declare(p.id, recused, reason)):
            self._refill()

    def _gate(self, gid: str, passed: bool, reason: str) -> None:
        old = self.work.gates.get(gid) if self.work is not None else None
        if old is not None and (old.passed, old.reason) == (passed, reason.strip()):
            return
        if self._save(lambda: self.sheet.set_gate(self.current.id, gid, passed, reason)):
            self._status_changed()

    def _score(self, cid: str, value) -> None:
        if self._save(lambda: self.sheet.set_score(self.current.id, cid, value)):
            self._status_changed()

    def _comment(self, cid: str, text: str) -> None:
        old = self.work.scores.get(cid) if self.work is not None else None
        if (old.comment if old else "") == text.strip():
            return
        self._save(lambda: self.sheet.set_score(self.current.id, cid, self._value_of(cid), comment=text))

    def _evidence(self, cid: str, n) -> None:
        p = self.current
        ev = None
        if n is not None:
            e = p.answers["evidence"][n]
            ev = {"name": e.get("name", ""), "sha256": e.get("sha256", ""), "indicator": e.get("indicator", "")}
        self._save(lambda: self.sheet.set_score(p.id, cid, self._value_of(cid), evidence=ev))

    def _value_of(self, cid: str):
        s = self.work.scores.get(cid)
        return s.value if s is not None else None

    def _overall(self, score, confidence, comment: str) -> None:
        if self._save(lambda: self.sheet.set_overall(self.current.id, score, confidence=confidence, comment=comment)):
            self._status_changed()

    def accept_gates(self) -> None:
        if self.current is None:
            return
        if self._save(lambda: self.sheet.confirm_prefilled(self.current.id)):
            self._refill()

    # ------------------------------------------------------------------ the whole package, read-only

    def open_package(self):
        from ...panel.sheet import ReaderSource
        from ...review.reader import materialize
        from ..worker import Job

        if self.current is None:
            return None
        if self.current.blob_id is None:
            message(self, "info", self.tr("Open the package"),
                    self.tr("This sheet holds the answers only, not the packages' files: the answers are shown here."))
            return None
        path, pid = self.path, self.current.id

        def work(task, _proj):
            with ExpertSheet.open(path, readonly=True) as sh:
                return materialize(ReaderSource(sh), pid, task)

        job = Job(work)
        job.succeeded.connect(self._show_reader)
        job.failed.connect(lambda e: show_error(self, self.tr("Open the package"), e))
        job.start(self, self.tr("Opening the package…"))
        self._reader_job = job
        return job

    def _show_reader(self, project_path):
        from ...project import Project
        from ..main_window import MainWindow
        from ..session import ProjectSession

        try:
            proj = Project.open(project_path, readonly=True)
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Open the package"), e)
            return None
        win = MainWindow(ProjectSession(proj), None)
        win.banner.setText(self.tr("Package {id} from {applicant}, as submitted. A read-only copy: score it in the expert "
                                   "sheet's window.").format(id=self.current.id, applicant=self.current.applicant))
        win.banner.show()
        win.setWindowTitle(f"#{self.current.id} {self.current.applicant} — {self.sheet.review_title} — Dossier")
        win.show()
        self.readers.append(win)
        win.destroyed.connect(lambda *_a, w=win: self.readers.remove(w) if w in self.readers else None)
        return win

    # ------------------------------------------------------------------ submitting

    def submit_dialog(self):
        from ...panel.submit import submit
        from ..identity_dialog import obtain_sealer

        pr = self.sheet.progress()
        dlg = SubmitDialog(self.sheet, pr, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        out, sign, partial = dlg.values()
        sealer = obtain_sealer(self) if sign else None
        if sign and sealer is None:
            return None
        try:
            res = submit(self.sheet, out, sealer=sealer, allow_incomplete=partial)
        except Exception as e:  # noqa: BLE001 - unfinished packages, read-only folder, full disk: the core says why
            show_error(self, self.tr("Submit the scores"), e)
            return None
        finally:
            sealer = None  # let go of the private key
        Settings().set_last_folder(res.path.parent)
        self.sheet._meta = None
        self._update_banner()
        self._refill()
        message(self, "info", self.tr("Submit the scores"),
                self.tr("Your scores were written to {path}. Send this file to the panel's coordinator.").format(path=res.path),
                self.tr("SHA-256 of the file: {sha}").format(sha=res.sha256))
        return res

    # ------------------------------------------------------------------ language, closing

    def _update_banner(self) -> None:
        sh = self.sheet
        if sh.readonly:
            self.banner.setText(self.tr("This sheet is open read-only (a CD or a read-only folder?): copy it to a writable "
                                        "place to score."))
        elif sh.submitted_at:
            self.banner.setText(self.tr("Submitted on {when}: these scores are final. “Submit” writes the same score sheet "
                                        "again if the first one was lost.").format(when=sh.submitted_at))
        self.banner.setVisible(sh.readonly or bool(sh.submitted_at))

    def retranslate(self) -> None:
        sh = self.sheet
        self.setWindowTitle(self.tr("{expert} — expert sheet — {title} — Dossier").format(expert=sh.expert, title=sh.review_title))
        self.header.setText(self.tr("{title} · round {round} · expert: {expert}").format(
            title=sh.review_title, round=sh.round, expert=sh.expert))
        self.submit_btn.setText(self.tr("&Submit scores…"))
        self.open_btn.setText(self.tr("&Open the whole package (read-only)…"))
        self.list.setAccessibleName(self.tr("Packages to score"))
        self.view.setAccessibleName(self.tr("The applicant's indicators"))
        self.a_next.setText(self.tr("&Next package"))
        self.a_prev.setText(self.tr("&Previous package"))
        self.a_unfinished.setText(self.tr("Next &unfinished package"))
        self.a_gates.setText(self.tr("Accept the &gates the rules found met"))
        self.a_open.setText(self.tr("&Open the whole package (read-only)…"))
        self.a_submit.setText(self.tr("&Submit scores…"))
        self.a_close.setText(self.tr("&Close"))
        self.m_sheet.setTitle(self.tr("&Sheet"))
        self.m_pkg.setTitle(self.tr("&Package"))
        self.panel.retranslate()
        self._update_banner()
        if self.current is not None:
            self._fill_list()
            self._show_indicators(self.focused_box)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def closeEvent(self, ev):  # noqa: N802
        from PySide6.QtWidgets import QAbstractSpinBox

        fw = self.focusWidget()  # a comment or a score being typed is saved, not lost
        if isinstance(fw, QLineEdit) and isinstance(fw.parent(), QAbstractSpinBox):
            fw.parent().editingFinished.emit()
        elif isinstance(fw, QLineEdit):
            fw.editingFinished.emit()
        Settings().set_geometry("sheet", self.saveGeometry())
        Settings().sync()
        for w in list(self.readers):
            w.close()
        if self.sheet is not None:
            self.sheet.close()
            self.sheet = None
        super().closeEvent(ev)


class SubmitDialog(QDialog):
    def __init__(self, sheet, progress, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Submit the scores"))
        lay = QVBoxLayout(self)
        info = QLabel(self)
        info.setWordWrap(True)
        info.setText(progress.label().get(lang()) + ". " + self.tr(
            "The score sheet holds your scores only; the coordinator merges it into the review file."))
        lay.addWidget(info)
        form = QFormLayout()
        row = QHBoxLayout()
        safe = "".join(c for c in sheet.expert if c not in '<>:"/\\|?*').strip() or "scores"
        self.out = QLineEdit(str(Path(Settings().last_folder()) / f"{safe}.dscores"), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row.addWidget(self.out, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Save as:"), row)
        lay.addLayout(form)
        self.sign = QCheckBox(self.tr("&Sign with my institution identity"), self)
        from ...identity import load_identity

        try:
            has = load_identity() is not None
        except Exception:  # noqa: BLE001 - a damaged identity: signing is offered, get_sealer explains
            has = True
        self.sign.setChecked(has)
        self.sign.setEnabled(has)
        if not has:
            self.sign.setToolTip(self.tr("No institution identity on this computer (Settings → Institution identity)"))
        lay.addWidget(self.sign)
        self.partial = QCheckBox(self.tr("Submit what is &done (some packages are not finished)"), self)
        self.partial.setVisible(progress.done < progress.total and not sheet.submitted_at)
        lay.addWidget(self.partial)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        bb.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Submit"))
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)

    def _browse(self) -> None:
        p, _ = QFileDialog.getSaveFileName(self, self.tr("Save the score sheet"), self.out.text(),
                                           self.tr("Score sheets (*.dscores)"))
        if p:
            self.out.setText(p)

    def values(self) -> tuple[Path, bool, bool]:
        return Path(self.out.text().strip()), self.sign.isChecked(), self.partial.isChecked()


_open_windows: list = []  # expert sheets opened from elsewhere stay alive until closed


def open_sheet(path, parent=None) -> SheetWindow | None:
    """The expert sheet at `path` in its window (a clear message when it cannot be opened)."""
    from PySide6.QtCore import QCoreApplication

    try:
        win = SheetWindow(path)
    except Exception as e:  # noqa: BLE001 - not a sheet, newer, damaged: say so
        show_error(parent, QCoreApplication.translate("SheetWindow", "Open an expert sheet"), e)
        return None
    win.show()
    _open_windows[:] = [w for w in _open_windows if _alive(w)] + [win]
    return win


def _alive(w) -> bool:
    import shiboken6

    return shiboken6.isValid(w) and w.isVisible()


def open_sheet_dialog(parent=None) -> SheetWindow | None:
    from PySide6.QtCore import QCoreApplication

    path, _ = QFileDialog.getOpenFileName(parent, QCoreApplication.translate("SheetWindow", "Open an expert sheet"),
                                          Settings().last_folder(),
                                          QCoreApplication.translate("SheetWindow", "Expert sheets (*.dsheet);;All files (*)"))
    if not path:
        return None
    Settings().set_last_folder(Path(path).parent)
    return open_sheet(path, parent)
