"""The reviewer's desk window: a review file's packages with their verdicts, one package's details,
the comparison table; intake in the background with progress and Cancel (the window stays usable);
opening a package read-only in the applicant's own window; notes, states, returning for revision.

While an intake runs, its worker holds the review file's write lock: the window then shows what it
had loaded and reads the file again when the intake ends (so the UI never waits for the lock).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...review import Review
from ..dialogs import message, show_error
from ..i18n import lang
from ..settings import Settings
from ..worker import Job
from .models import ID_ROLE, SORT_ROLE, ComparisonModel, PackagesModel

RECENT_KEY = "review/recent"


def recent_reviews() -> list[str]:
    v = Settings().q.value(RECENT_KEY) or []
    return [str(x) for x in ([v] if isinstance(v, str) else v) if x]


def add_recent_review(path) -> None:
    st = Settings()
    p = str(Path(path).resolve())
    st.q.setValue(RECENT_KEY, ([p] + [f for f in recent_reviews() if f != p])[:10])
    st.q.sync()


class DeskWindow(QMainWindow):
    def __init__(self, path=None, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewDesk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path: Path | None = None
        self.rv: Review | None = None
        self.job: Job | None = None
        self.readers: list = []  # read-only package windows kept alive
        self._full: dict[int, object] = {}  # full records (with answers), loaded on selection

        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self._build_welcome()
        self._build_desk()
        self._build_actions()
        self._build_intake_bar()
        from ..panel.desk_panel import install_panel  # the expert panel (issue #11): a Panel menu and tab

        self.panel = install_panel(self)

        geo = Settings().geometry("review")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1320, 800)
        self.retranslate()
        if path:
            self.open_review(path)
        else:
            self._show_welcome()

    # ------------------------------------------------------------ building

    def _build_welcome(self) -> None:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(40, 30, 40, 30)
        self.welcome_title = QLabel(w)
        self.welcome_title.setObjectName("appTitle")
        self.welcome_text = QLabel(w)
        self.welcome_text.setWordWrap(True)
        self.welcome_text.setObjectName("hint")
        row = QHBoxLayout()
        self.new_btn = QPushButton(w)
        self.new_btn.clicked.connect(self.new_review)
        self.open_btn = QPushButton(w)
        self.open_btn.clicked.connect(self.open_dialog)
        row.addWidget(self.new_btn)
        row.addWidget(self.open_btn)
        row.addStretch(1)
        self.recent_label = QLabel(w)
        self.recent = QListWidget(w)
        self.recent.itemActivated.connect(lambda it: self.open_review(it.data(Qt.ItemDataRole.UserRole)))
        self.recent_label.setBuddy(self.recent)
        lay.addWidget(self.welcome_title)
        lay.addWidget(self.welcome_text)
        lay.addLayout(row)
        lay.addSpacing(12)
        lay.addWidget(self.recent_label)
        lay.addWidget(self.recent, 1)
        self.welcome = w
        self.stack.addWidget(w)

    def _build_desk(self) -> None:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(8, 6, 8, 6)
        self.banner = QLabel(w)
        self.banner.setObjectName("readonlyBanner")
        self.banner.setWordWrap(True)
        self.header = QLabel(w)
        self.header.setObjectName("indicatorTitle")
        self.summary = QLabel(w)
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        lay.addWidget(self.banner)
        lay.addWidget(self.header)
        lay.addWidget(self.summary)

        self.tabs = QTabWidget(w)
        # -- packages
        pk = QWidget(self.tabs)
        pl = QVBoxLayout(pk)
        pl.setContentsMargins(0, 4, 0, 0)
        self.split = QSplitter(Qt.Orientation.Horizontal, pk)
        self.model = PackagesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self.split)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.table.doubleClicked.connect(lambda _i: self.open_package())
        right = QWidget(self.split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        self.detail = QTextBrowser(right)
        self.detail.setOpenLinks(False)
        btns = QHBoxLayout()
        self.read_btn = QPushButton(right)
        self.read_btn.clicked.connect(self.open_package)
        self.state_btn = QPushButton(right)
        self.state_btn.clicked.connect(self.change_state)
        self.return_btn = QPushButton(right)
        self.return_btn.clicked.connect(self.return_for_revision)
        for b in (self.read_btn, self.state_btn, self.return_btn):
            btns.addWidget(b)
        btns.addStretch(1)
        rl.addWidget(self.detail, 1)
        rl.addLayout(btns)
        self.split.addWidget(self.table)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([760, 540])
        self.split.setChildrenCollapsible(False)
        pl.addWidget(self.split)
        self.tabs.addTab(pk, "")
        # -- comparison
        cmp_ = QWidget(self.tabs)
        cl = QVBoxLayout(cmp_)
        cl.setContentsMargins(0, 4, 0, 0)
        crow = QHBoxLayout()
        self.filter_label = QLabel(cmp_)
        self.filter = QLineEdit(cmp_)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda t: self.cmp_model.set_filter(t))
        self.filter_label.setBuddy(self.filter)
        self.current_only = QCheckBox(cmp_)
        self.current_only.toggled.connect(lambda _c: self.reload_comparison())
        self.xlsx_btn = QPushButton(cmp_)
        self.xlsx_btn.clicked.connect(self.export_table)
        crow.addWidget(self.filter_label)
        crow.addWidget(self.filter, 1)
        crow.addWidget(self.current_only)
        crow.addWidget(self.xlsx_btn)
        self.cmp_model = ComparisonModel(self)
        self.cmp_view = QTableView(cmp_)
        self.cmp_view.setModel(self.cmp_model)
        self.cmp_view.setSortingEnabled(True)
        self.cmp_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.cmp_view.verticalHeader().setVisible(False)  # the ID column numbers the rows
        self.cmp_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cmp_view.setWordWrap(False)
        self.cmp_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.cmp_view.horizontalHeader().setDefaultSectionSize(120)
        self.cmp_view.horizontalHeader().setMaximumSectionSize(320)
        self.cmp_view.doubleClicked.connect(self._compare_activated)
        cl.addLayout(crow)
        cl.addWidget(self.cmp_view, 1)
        self.tabs.addTab(cmp_, "")
        self.tabs.currentChanged.connect(lambda i: self.reload_comparison() if i == 1 and self.cmp_model.table is None else None)
        lay.addWidget(self.tabs, 1)
        self.desk = w
        self.stack.addWidget(w)

    def _build_actions(self) -> None:
        def act(slot, shortcut=None) -> QAction:
            a = QAction(self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        S = QKeySequence.StandardKey
        self.a_new = act(self.new_review, S.New)
        self.a_open = act(self.open_dialog, S.Open)
        self.a_add = act(self.add_files_dialog, "Ctrl+I")
        self.a_add_folder = act(self.add_folder_dialog, "Ctrl+Shift+I")
        self.a_xlsx = act(self.export_table)
        self.a_close = act(self.close, S.Close)
        self.a_read = act(self.open_package, "Return")
        self.a_read.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.a_read)
        self.a_state = act(self.change_state)
        self.a_return = act(self.return_for_revision)
        self.a_trust = act(self.trust_dialog)
        bar = self.menuBar()
        self.m_file = bar.addMenu("")
        for a in (self.a_new, self.a_open, None, self.a_add, self.a_add_folder, None, self.a_xlsx, None, self.a_close):
            self.m_file.addSeparator() if a is None else self.m_file.addAction(a)
        self.m_pkg = bar.addMenu("")
        for a in (self.a_read, self.a_state, self.a_return):
            self.m_pkg.addAction(a)
        self.m_review = bar.addMenu("")
        self.m_review.addAction(self.a_trust)

    def _build_intake_bar(self) -> None:
        w = QWidget(self)
        row = QHBoxLayout(w)
        row.setContentsMargins(8, 2, 8, 2)
        self.intake_label = QLabel(w)
        self.intake_bar = QProgressBar(w)
        self.intake_bar.setRange(0, 1000)
        self.cancel_btn = QPushButton(w)
        self.cancel_btn.clicked.connect(self.cancel_intake)
        row.addWidget(self.intake_label, 1)
        row.addWidget(self.intake_bar, 2)
        row.addWidget(self.cancel_btn)
        self.intake_widget = w
        self.statusBar().addPermanentWidget(w, 1)
        w.hide()

    # ------------------------------------------------------------ review file

    def _show_welcome(self) -> None:
        self.recent.clear()
        for f in recent_reviews():
            it = QListWidgetItem(f"{Path(f).name}\n{Path(f).parent}")
            it.setData(Qt.ItemDataRole.UserRole, f)
            it.setToolTip(f)
            self.recent.addItem(it)
        self.stack.setCurrentWidget(self.welcome)
        self._update_actions()
        self.update_title()

    def new_review(self) -> None:
        from .dialogs import NewReviewDialog

        dlg = NewReviewDialog(self)
        if dlg.exec() != NewReviewDialog.DialogCode.Accepted:
            return
        title, program, reviewer, path = dlg.values()
        try:
            with Review.create(path, title, program) as rv:
                if reviewer:
                    rv.set_meta("reviewer", reviewer)
        except Exception as e:  # noqa: BLE001 - exists, read-only folder… : the core's message
            show_error(self, self.tr("New review file"), e)
            return
        Settings().set_last_folder(path.parent)
        self.open_review(path)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a review file"), Settings().last_folder(),
                                              self.tr("Review files (*.dreview);;All files (*)"))
        if path:
            Settings().set_last_folder(Path(path).parent)
            self.open_review(path)

    def open_review(self, path) -> bool:
        if self.job is not None and self.job.running:
            return False
        try:
            rv = Review.open(path)
        except Exception as e:  # noqa: BLE001 - newer, damaged, not a review file: say so, keep what is open
            show_error(self, self.tr("Cannot open the review file"), e)
            return False
        if self.rv is not None:
            self.rv.close()
        self.rv = rv
        self.path = Path(path)
        self._full.clear()
        add_recent_review(self.path)
        self.stack.setCurrentWidget(self.desk)
        self.cmp_model.set_table(None)
        self.reload()
        return True

    def reload(self, select: int | None = None) -> None:
        rv = self.rv
        if rv is None:
            return
        cur = select if select is not None else self.current_id()
        recs = rv.packages()
        trusted = rv.trusted()
        self.model.set_packages(recs, {r.id: rv.verdict(r, trusted) for r in recs})
        self.table.resizeColumnsToContents()
        for col, width in ((1, 240), (5, 200), (6, 220)):
            if self.table.columnWidth(col) > width:
                self.table.setColumnWidth(col, width)
        self._full.clear()
        notice = rv.readonly_notice
        self.banner.setText(notice.get(lang()) if notice else "")
        self.banner.setVisible(notice is not None)
        self._summary()
        if self.tabs.currentIndex() == 1:
            self.reload_comparison()
        else:
            self.cmp_model.set_table(None)  # rebuilt when the tab is shown
        if cur is not None and self.select(cur):
            pass
        elif recs:
            self.select(recs[0].id)
        else:
            self._show_current()
        self._update_actions()
        self.update_title()
        if getattr(self, "panel", None) is not None:
            self.panel.invalidate()

    def _summary(self) -> None:
        from ...review import VERDICT_LABELS

        rv = self.rv
        s = rv.summary()
        L = lang()
        count = s["packages"]
        parts = [self.tr("Packages: {n}").format(n=count)]
        parts += [f"{VERDICT_LABELS[k].get(L)} {n}" for k, n in sorted(s["verdicts"].items(), key=lambda kv: kv[0])]
        prog = rv.program_id
        self.header.setText(rv.title)
        if prog:
            parts.append(self.tr("program: {id}").format(id=prog))
        self.summary.setText(" · ".join(parts))

    def reload_comparison(self) -> None:
        from ...review.table import comparison

        if self.rv is None or self.busy:
            return
        t = comparison(self.rv, lang=lang(), current_only=self.current_only.isChecked())
        self.cmp_model.set_table(t)
        self.cmp_view.resizeColumnsToContents()

    @property
    def busy(self) -> bool:
        return self.job is not None and not self.job.done

    # ------------------------------------------------------------ selection

    def current_id(self) -> int | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.proxy.data(idx, ID_ROLE)

    def select(self, pid: int) -> bool:
        row = self.model.row_of(pid)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)
        return True

    def current_record(self):
        pid = self.current_id()
        if pid is None or self.rv is None:
            return None
        if pid not in self._full:
            if self.busy:
                return None
            self._full[pid] = self.rv.package(pid)
        return self._full[pid]

    def _show_current(self) -> None:
        from ...review.diff import compare
        from ...review.recheck import installed_program
        from .detail import package_html

        if self.rv is None:
            return
        pid = self.current_id()
        if pid is None:
            self.detail.setHtml(f"<p>{self.tr('Add packages: File → Add packages… or Add a folder / USB stick…')}</p>")
            self._update_actions()
            return
        if self.busy and pid not in self._full:
            self.detail.setHtml(f"<p>{self.tr('Details are shown when the intake has finished.')}</p>")
            self._update_actions()
            return
        rec = self.current_record()
        rv = self.rv
        prev = rv.package(rec.previous) if rec.previous else None
        changes = compare(prev.answers or {}, rec.answers or {}, _order(rec)) if prev and prev.answers and rec.answers else []
        program, _why = installed_program(rec.program_id, rec.program_version) if rec.program_id else (None, "")
        self.detail.setHtml(package_html(rec, rv.verdict(rec), previous=prev, changes=changes, notes=rv.notes(rec.id),
                                         events=rv.events(rec.id), program=program))
        self._update_actions()

    def _compare_activated(self, idx) -> None:
        pid = self.cmp_model.package_id(idx.row())
        self.tabs.setCurrentIndex(0)
        self.select(pid)

    def _update_actions(self) -> None:
        has = self.rv is not None
        ro = has and self.rv.readonly
        busy = self.busy
        rec_id = self.current_id() if has else None
        for a in (self.a_add, self.a_add_folder):
            a.setEnabled(has and not ro and not busy)
        self.a_xlsx.setEnabled(has and not busy)
        self.a_trust.setEnabled(has and not busy)
        self.xlsx_btn.setEnabled(has and not busy)
        for a, b in ((self.a_read, self.read_btn), (self.a_state, self.state_btn), (self.a_return, self.return_btn)):
            ok = has and rec_id is not None and not busy and (a is self.a_read or not ro)
            a.setEnabled(ok)
            b.setEnabled(ok)
        self.a_open.setEnabled(not busy)
        self.a_new.setEnabled(not busy)

    # ------------------------------------------------------------ intake

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add packages"), Settings().last_folder(),
                                                self.tr("Dossier packages (*.zip);;All files (*)"))
        if files:
            Settings().set_last_folder(Path(files[0]).parent)
            self.add_paths(files)

    def add_folder_dialog(self) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("Add every package in a folder, USB stick or CD"),
                                             Settings().last_folder())
        if d:
            self.add_paths([d])

    def add_paths(self, paths, *, link: bool = False) -> Job | None:
        from ...review import add_packages

        if self.rv is None or self.busy:
            return None
        if self.rv.readonly:
            message(self, "info", self.tr("Add packages"), self.rv.readonly_notice.get(lang()))
            return None
        path = self.path
        plist = [str(p) for p in paths]

        def work(task, _proj):
            with Review.open(path) as rv:
                return add_packages(rv, plist, link=link, task=task)

        job = Job(work, status_text=lambda s: s)
        job.progress.connect(self._intake_progress)
        job.succeeded.connect(self._intake_done)
        job.failed.connect(lambda e: show_error(self, self.tr("Add packages"), e))
        job.cancelled.connect(lambda: self.statusBar().showMessage(
            self.tr("Cancelled: the review file is as it was before."), 8000))
        job.finished.connect(self._intake_finished)
        self.job = job
        self.intake_label.setText(self.tr("Verifying packages…"))
        self.intake_bar.setValue(0)
        self.cancel_btn.setEnabled(True)
        self.intake_widget.show()
        job.start(None)  # no modal dialog: the bar below shows progress, the window stays usable
        self._update_actions()
        return job

    def _intake_progress(self, done: int, total: int, status: str) -> None:
        if total:
            self.intake_bar.setValue(min(1000, int(done * 1000 / total)))
        if status and not (self.job and self.job.state.cancelled):
            n, _sp, name = status.partition(" ")
            self.intake_label.setText(self.tr("Verifying and copying {n}: {name}").format(n=n, name=name))

    def cancel_intake(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.cancel_btn.setEnabled(False)
            self.intake_label.setText(self.tr("Cancelling…"))

    def _intake_done(self, result) -> None:
        from .dialogs import intake_report

        self.last_intake = result
        self.reload(select=result.added[-1].id if result.added else None)
        n = len(result.added)
        msg = self.tr("Packages taken in: {n}.").format(n=n)
        if result.resolved:  # deltas waiting from an earlier intake, linked to the basis this one brought
            msg += " " + self.tr("Resubmission deltas linked to their basis: {n}.").format(n=len(result.resolved))
        self.statusBar().showMessage(msg, 8000)
        if result.refused or not result.added:
            intake_report(self, result)

    def _intake_finished(self) -> None:
        self.intake_widget.hide()
        self.job = None
        self._update_actions()
        if self.rv is not None:
            self.reload()

    # ------------------------------------------------------------ package actions

    def open_package(self):
        """The package in the applicant's own window, read-only, with this review's notes beside it."""
        from ...review.reader import materialize

        rec = self.current_record()
        if rec is None or self.busy:
            return None
        path = self.path

        def work(task, _proj):
            with Review.open(path, readonly=True) as rv:
                return materialize(rv, rec.id, task)

        job = Job(work)
        job.succeeded.connect(lambda p: self._show_reader(rec, p))
        job.failed.connect(lambda e: show_error(self, self.tr("Open the package"), e))
        job.start(self, self.tr("Opening the package…"))
        self._reader_job = job
        return job

    def _show_reader(self, rec, project_path):
        from ...project import Project
        from ...review import VERDICT_LABELS
        from ..main_window import MainWindow
        from ..session import ProjectSession
        from .notes_panel import ReviewNotesSource, install_notes_panel

        try:
            proj = Project.open(project_path, readonly=True)
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Open the package"), e)
            return None
        win = MainWindow(ProjectSession(proj), None)
        v = self.rv.verdict(rec)
        win.banner.setText(self.tr("Package {id} from {applicant}, as submitted — verdict: {verdict}. This is a "
                                   "read-only copy; notes you write here are kept in the review file.")
                           .format(id=rec.id, applicant=rec.applicant, verdict=VERDICT_LABELS[v.key].get(lang())))
        win.banner.show()
        if not self.rv.readonly:
            panel = install_notes_panel(win, ReviewNotesSource(self.path, rec.id))
            panel.changed.connect(lambda: self._notes_changed(rec.id))
        win.setWindowTitle(f"#{rec.id} {rec.applicant} — {self.rv.title} — Dossier")
        win.show()
        self.readers.append(win)
        win.destroyed.connect(lambda *_a, w=win: self.readers.remove(w) if w in self.readers else None)
        return win

    def _notes_changed(self, pid: int) -> None:
        self._full.pop(pid, None)
        if not self.busy:
            self.reload(select=self.current_id())

    def change_state(self) -> None:
        from .dialogs import StateDialog

        rec = self.current_record()
        if rec is None:
            return
        dlg = StateDialog(rec, self)
        if dlg.exec() != StateDialog.DialogCode.Accepted:
            return
        state, reason = dlg.values()
        try:
            self.rv.set_state(rec.id, state, reason)
        except Exception as e:  # noqa: BLE001 - reason missing, transition not allowed: the core says why
            show_error(self, self.tr("Review state"), e)
            return
        self.reload(select=rec.id)

    def return_for_revision(self):
        from ...review.returns import issue_notes
        from ..identity_dialog import obtain_sealer
        from .dialogs import ReturnDialog

        rec = self.current_record()
        if rec is None:
            return None
        n = len(self.rv.notes(rec.id))
        if n == 0:
            message(self, "info", self.tr("Return for revision"),
                    self.tr("Write the notes first: open the package (Enter) and add notes beside its indicators."))
            return None
        dlg = ReturnDialog(rec, n, self)
        if dlg.exec() != ReturnDialog.DialogCode.Accepted:
            return None
        msg, out, sign = dlg.values()
        sealer = obtain_sealer(self) if sign else None
        if sign and sealer is None:
            return None
        try:
            res = issue_notes(self.rv, rec.id, out, sealer=sealer, message=msg)
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Return for revision"), e)
            return None
        finally:
            sealer = None  # let go of the private key
        Settings().set_last_folder(res.path.parent)
        message(self, "info", self.tr("Return for revision"),
                self.tr("The review notes were written to {path}. Send this file to the applicant.").format(path=res.path),
                self.tr("SHA-256 of the file: {sha}").format(sha=res.sha256))
        self.reload(select=rec.id)
        return res

    def trust_dialog(self) -> None:
        from .dialogs import TrustDialog

        if self.rv is None:
            return
        dlg = TrustDialog(self.path, self)
        dlg.exec()
        if dlg.changed:
            self.reload()

    def export_table(self):
        from ...review.table import comparison, write_xlsx

        if self.rv is None or self.busy:
            return None
        safe = "".join(c for c in self.rv.title if c not in '<>:"/\\|?*').strip() or "review"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the comparison table"),
                                              str(Path(Settings().last_folder()) / f"{safe}.xlsx"),
                                              self.tr("Excel workbooks (*.xlsx)"))
        if not path:
            return None
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            t = self.cmp_model.table or comparison(self.rv, lang=lang(), current_only=self.current_only.isChecked())
            from ...review.table import ComparisonTable

            order = self.cmp_model.order if self.cmp_model.table is t else list(range(len(t.rows)))
            sub = ComparisonTable(t.columns, [t.rows[i] for i in order], [t.ids[i] for i in order], t.program,
                                  [t.texts[i] for i in order], t.lang)
            out = write_xlsx(sub, path, title=self.rv.title)
        except Exception as e:  # noqa: BLE001 - read-only folder, full disk: nothing half-written stays
            show_error(self, self.tr("Export the comparison table"), e)
            return None
        self.statusBar().showMessage(self.tr("Written: {path}").format(path=out), 8000)
        return out

    # ------------------------------------------------------------ language, title, closing

    def update_title(self) -> None:
        if self.rv is None:
            self.setWindowTitle(self.tr("Review packages — Dossier"))
        else:
            t = f"{self.rv.title} — {self.tr('Review packages')} — Dossier"
            if self.rv.readonly:
                t += " " + self.tr("[read-only]")
            self.setWindowTitle(t)
            self.setWindowFilePath(str(self.path))

    def retranslate(self) -> None:
        self.welcome_title.setText(self.tr("Review packages"))
        self.welcome_text.setText(self.tr("A review file collects the packages applicants send you — from USB sticks, "
                                          "CDs and e-mail. Each is verified, can be read as the applicant filled it "
                                          "in, compared with the others, and returned for revision with your notes. "
                                          "Everything stays on this computer."))
        self.new_btn.setText(self.tr("&New review file…"))
        self.open_btn.setText(self.tr("&Open review file…"))
        self.recent_label.setText(self.tr("&Recent review files:"))
        self.tabs.setTabText(0, self.tr("&Packages"))
        self.tabs.setTabText(1, self.tr("&Comparison"))
        self.read_btn.setText(self.tr("&Open package (read-only)"))
        self.state_btn.setText(self.tr("Set &state…"))
        self.return_btn.setText(self.tr("&Return for revision…"))
        self.filter_label.setText(self.tr("&Filter:"))
        self.filter.setPlaceholderText(self.tr("applicant, verdict, any value…"))
        self.current_only.setText(self.tr("Current packages &only"))
        self.xlsx_btn.setText(self.tr("Export &XLSX…"))
        self.cancel_btn.setText(self.tr("Cancel"))
        self.table.setAccessibleName(self.tr("Packages"))
        self.cmp_view.setAccessibleName(self.tr("Comparison table"))
        self.a_new.setText(self.tr("&New review file…"))
        self.a_open.setText(self.tr("&Open review file…"))
        self.a_add.setText(self.tr("&Add packages…"))
        self.a_add_folder.setText(self.tr("Add a &folder / USB stick / CD…"))
        self.a_xlsx.setText(self.tr("&Export comparison table (XLSX)…"))
        self.a_close.setText(self.tr("&Close"))
        self.a_read.setText(self.tr("&Open package (read-only)"))
        self.a_state.setText(self.tr("Set &state…"))
        self.a_return.setText(self.tr("&Return for revision…"))
        self.a_trust.setText(self.tr("&Trusted signers…"))
        self.m_file.setTitle(self.tr("&File"))
        self.m_pkg.setTitle(self.tr("&Package"))
        self.m_review.setTitle(self.tr("&Review"))
        self.update_title()
        if self.rv is not None:
            self.reload()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def closeEvent(self, ev):  # noqa: N802
        if self.busy:
            self.job.cancel()
            self.job.wait(120000)
        Settings().set_geometry("review", self.saveGeometry())
        Settings().sync()
        for w in list(self.readers):
            w.close()
        if self.rv is not None:
            self.rv.close()
            self.rv = None
        super().closeEvent(ev)


def _order(rec) -> list[str]:
    from ...review.recheck import installed_program

    prog, _why = installed_program(rec.program_id, rec.program_version)
    return [i.id for i in prog.indicators()] if prog is not None else []
