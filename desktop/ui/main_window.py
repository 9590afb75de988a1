"""The main window: composition only. Navigation (left), the form (centre), the official text,
the indicator's problems and its evidence (right), every problem of the project (bottom dock).
Behaviour lives in the panels and in ProjectSession; this module wires them together."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from .actions import WindowActions
from .dialogs import HelpDialog, about, show_error
from .evidence_panel import EvidencePanel, local_files
from .form_view import FormStack
from .i18n import lang
from .nav_tree import NavTree
from .official_text import OfficialTextPanel
from .problems_panel import ProblemsPanel
from .session import ProjectSession
from .settings import Settings
from .sizing import fit_to_screen, fits_screen


class MainWindow(QMainWindow):
    def __init__(self, session: ProjectSession, controller=None):
        super().__init__()
        self.session = session
        self.controller = controller
        self.last_field = ""  # the field edited last: where a reopened project continues
        # where the user is, written a moment after they stop moving (a QSettings write is a file
        # write: not on every Ctrl+PgDown), and at once on close
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(1500)
        self._place_timer.timeout.connect(self._remember_place)
        session.dialog_parent = self
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAcceptDrops(not session.readonly)
        self.setObjectName("mainWindow")

        # -- panels
        self.nav = NavTree(session, self)
        self.forms = FormStack(session, self)
        self.official = OfficialTextPanel(session, self)
        self.ind_problems = ProblemsPanel(session, scope="", parent=self, show_caption=True)
        self.evidence = EvidencePanel(session, self)
        self.problems = ProblemsPanel(session, scope=None, parent=self)

        # panes: every divider can be dragged; the defaults give the official text and the evidence
        # room to read (the sizes are proportions, scaled to the window), and are remembered
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.setObjectName("sideSplitter")
        side.addWidget(self.official)
        side.addWidget(self.ind_problems)
        side.addWidget(self.evidence)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 1)
        side.setStretchFactor(2, 5)
        side.setSizes([34, 14, 52])
        side.setChildrenCollapsible(False)
        self.side = side

        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("mainSplitter")
        self.split.addWidget(self.nav)
        self.split.addWidget(self.forms)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 5)
        self.split.setStretchFactor(2, 3)
        self.split.setSizes([22, 48, 30])
        self.split.setChildrenCollapsible(False)

        self.banner = QLabel(self)
        self.banner.setObjectName("readonlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(session.readonly)
        central = QWidget(self)
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.banner)
        cl.addWidget(self.split, 1)
        self.setCentralWidget(central)

        self.problems_dock = QDockWidget(self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.problems_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                       | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self.completeness = QLabel(self)
        self.saved = QLabel(self)
        self.statusBar().addPermanentWidget(self.completeness)
        self.statusBar().addWidget(self.saved)

        # -- actions
        self.actions_ = WindowActions(self)
        self.actions_.build_menus(self.menuBar())
        a = self.actions_
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        a.save.triggered.connect(self.confirm_saved)
        a.next_indicator.triggered.connect(lambda: self.step_indicator(+1))
        a.prev_indicator.triggered.connect(lambda: self.step_indicator(-1))
        a.next_panel.triggered.connect(self.next_panel)
        a.show_problems.triggered.connect(self.show_all_problems)
        a.help.triggered.connect(self.show_help)
        a.about.triggered.connect(lambda: about(self))
        a.identity.triggered.connect(self.show_identity)
        a.cover.triggered.connect(self.show_cover)
        a.close.triggered.connect(self.close)
        a.lang_zh.triggered.connect(lambda: self._set_language("zh"))
        a.lang_en.triggered.connect(lambda: self._set_language("en"))
        if controller is not None:
            a.new.triggered.connect(lambda: controller.new_project(self))
            a.open.triggered.connect(lambda: controller.open_dialog(self))
            a.open_package.triggered.connect(lambda: controller.open_package_dialog(self))
            a.quit.triggered.connect(controller.quit)
            a.export.triggered.connect(lambda: controller.export_dialog(self))
            a.recent_menu.aboutToShow.connect(lambda: controller.fill_recent_menu(a.recent_menu))
        a.export.setEnabled(controller is not None and controller.can_export())
        from .handoff import install as install_handoff  # File → share / return / merge (issue #9)

        install_handoff(self)
        stack = session.undo_stack
        stack.canUndoChanged.connect(lambda ok: a.undo.setEnabled(ok and not session.readonly))
        stack.canRedoChanged.connect(lambda ok: a.redo.setEnabled(ok and not session.readonly))
        stack.undoTextChanged.connect(lambda _t: self._undo_texts())
        stack.redoTextChanged.connect(lambda _t: self._undo_texts())

        # -- wiring
        self.nav.indicatorSelected.connect(self.show_indicator)
        self.problems.problemActivated.connect(self.go_to)
        self.ind_problems.problemActivated.connect(self.go_to)
        self.problems.countChanged.connect(self._problem_count)
        session.reportChanged.connect(self._report_changed)
        session.navigateRequested.connect(self.go_to)
        session.errorRaised.connect(lambda e: show_error(self, self.tr("Could not change the project"), e))
        session.valueChanged.connect(self._edited)
        session.evidenceChanged.connect(self._saved_now)
        # reviewer notes (desktop.ui.review): a panel beside each indicator, badges in the tree
        from .review.notes_panel import import_notes_dialog, install_notes_panel

        install_notes_panel(self)
        a.import_notes.triggered.connect(lambda: import_notes_dialog(self))

        self._restore_layout(Settings())

        self.retranslate()
        self._report_changed()
        self._reopen_where_left_off()
        self.record_recent()
        # the recent list's completeness follows the edits (not only a clean close): a little later
        self._recent_timer = QTimer(self)
        self._recent_timer.setSingleShot(True)
        self._recent_timer.setInterval(2000)
        self._recent_timer.timeout.connect(self.record_recent)
        session.reportChanged.connect(self._recent_timer.start)

    # ------------------------------------------------------------ where the user left off

    def _visible(self, iid: str) -> bool:
        st = self.session.report.indicators.get(iid)
        return st is None or st.visible

    @property
    def place_key(self) -> str:
        """The project's identity (its UUID, which copies keep; else its path)."""
        return self.session.project.uuid or str(self.session.path.resolve())

    def _reopen_where_left_off(self) -> None:
        place = Settings().place(self.place_key)
        ids = self.nav.indicator_ids()
        iid = place.get("indicator")
        if iid not in ids or not self._visible(iid):
            iid = next((i for i in ids if self._visible(i)), None)
        if iid:
            self.nav.select(iid)
            fld = place.get("field") or ""
            f = self.forms.current_form()
            if fld and f is not None and fld in f.rows:
                self.last_field = fld
                f.focus_field(fld)

    def _remember_place(self) -> None:
        iid = self.current_indicator()
        if iid:
            fld = self.last_field if self.last_field.startswith(iid + "/") else ""
            Settings().set_place(self.place_key, iid, fld)

    def record_recent(self) -> None:
        """What the start window's recent list shows for this project (and the File › Recent menu)."""
        import datetime as _dt

        s = self.session
        info = {"program_zh": s.program.title.zh, "program_en": s.program.title.en, "applicant": s.applicant,
                "completeness": int(s.completeness() * 100),
                "seen": _dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        Settings().set_recent_info(s.path, info)

    def _edited(self, path: str) -> None:
        self.last_field = path
        self._saved_now()

    # ------------------------------------------------------------ size and layout

    def _restore_layout(self, st: Settings) -> None:
        """The size the user left the window at, if it still fits this screen (laptops change
        screens); else the preferred size within the available area (1366×768, 125 %/150 %)."""
        geo = st.geometry("main")
        if geo is None or not self.restoreGeometry(geo) or not fits_screen(self):
            fit_to_screen(self, QSize(1320, 820))
        w, h = self.width(), self.height()
        self.split.setSizes([int(w * 0.22), int(w * 0.48), int(w * 0.30)])
        self.side.setSizes([int(h * 0.30), int(h * 0.12), int(h * 0.45)])
        self.resizeDocks([self.problems_dock], [max(80, h // 7)], Qt.Orientation.Vertical)
        state = st.state("main")
        if state is not None:
            self.restoreState(state)
        for sp in (self.split, self.side):
            saved = st.state(sp.objectName())
            if saved is not None:
                sp.restoreState(saved)

    def _save_layout(self, st: Settings) -> None:
        st.set_geometry("main", self.saveGeometry())
        st.set_state("main", self.saveState())
        for sp in (self.split, self.side):
            st.set_state(sp.objectName(), sp.saveState())

    # ------------------------------------------------------------ navigation

    def show_indicator(self, iid: str) -> None:
        self.session.flush()
        self.forms.show_indicator(iid)
        self.official.set_indicator(iid)
        self.ind_problems.set_scope(iid)
        self.evidence.set_indicator(iid)
        self.nav.select(iid)
        self._place_timer.start()

    def current_indicator(self) -> str | None:
        return self.forms.current_id

    def go_to(self, iid: str, path: str = "") -> None:
        if not iid and path and self.session.program.field(path):
            iid = self.session.program.field(path).indicator_id
        if not iid:
            return
        if self.current_indicator() != iid:
            self.show_indicator(iid)
        if path and "/#" in path:
            self.evidence.select_slot(path.split("/#", 1)[1] or None)
        elif path:
            f = self.forms.current_form()
            if f is not None:
                f.focus_field(path)

    def step_indicator(self, delta: int) -> None:
        ids = [i for i in self.nav.indicator_ids()
               if self.session.report.indicators.get(i) is None or self.session.report.indicators[i].visible]
        if not ids:
            return
        cur = self.current_indicator()
        n = ids.index(cur) if cur in ids else -1
        self.show_indicator(ids[(n + delta) % len(ids)])
        f = self.forms.current_form()
        if f is not None:
            f.first_focus()

    def next_panel(self) -> None:
        panels = [self.nav.tree, self.forms, self.official.text, self.evidence.tree, self.problems.tree]
        fw = self.focusWidget()
        idx = 0
        for n, p in enumerate(panels):
            if fw is not None and (fw is p or p.isAncestorOf(fw)):
                idx = n + 1
                break
        for k in range(len(panels)):
            p = panels[(idx + k) % len(panels)]
            if p.isVisible():
                if p is self.forms:
                    f = self.forms.current_form()
                    if f is not None:
                        f.first_focus()
                        return
                    continue
                p.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def show_all_problems(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.problems.tree.setFocus()

    # ------------------------------------------------------------ edits

    def undo(self) -> None:
        s = self.session
        if s.busy or s.in_command:
            return
        s.flush()
        s.undo_stack.undo()

    def redo(self) -> None:
        s = self.session
        if s.busy or s.in_command:
            return
        s.flush()
        s.undo_stack.redo()

    def _undo_texts(self) -> None:
        st = self.session.undo_stack
        a = self.actions_
        a.undo.setText(self.tr("&Undo {what}").format(what=st.undoText()).strip() if st.canUndo() else self.tr("&Undo"))
        a.redo.setText(self.tr("&Redo {what}").format(what=st.redoText()).strip() if st.canRedo() else self.tr("&Redo"))

    def confirm_saved(self) -> None:
        self.session.flush()
        self.statusBar().showMessage(
            self.tr("Everything is saved: each change was written to {file} as you made it.").format(file=self.session.path.name),
            6000)

    def _saved_now(self) -> None:
        self.saved.setText(self.tr("All changes saved"))

    # ------------------------------------------------------------ drops anywhere on the window

    def dragEnterEvent(self, ev):  # noqa: N802
        if not self.session.readonly and local_files(ev.mimeData()):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dragMoveEvent(self, ev):  # noqa: N802
        self.dragEnterEvent(ev)

    def dropEvent(self, ev):  # noqa: N802
        files = local_files(ev.mimeData())
        if self.session.readonly or not files:
            ev.ignore()
            return
        ev.acceptProposedAction()
        self.evidence.add_files(files, None)

    # ------------------------------------------------------------ status, language, title

    def _report_changed(self) -> None:
        pct = int(self.session.completeness() * 100)
        if self.session.handoff is not None:
            self.completeness.setText(self.tr("{pct}% of your part complete").format(pct=pct))
        else:
            self.completeness.setText(self.tr("{pct}% complete").format(pct=pct))

    def _problem_count(self, blocking: int, warnings: int) -> None:
        self.problems_dock.setWindowTitle(self.tr("Problems: {blocking}, {warnings}").format(
            blocking=self.tr("%n blocking", "", blocking), warnings=self.tr("%n warning(s)", "", warnings)))

    def _set_language(self, code: str) -> None:
        if self.controller is not None:
            self.controller.set_language(code)
        else:
            from . import i18n

            i18n.set_language(code)

    def update_title(self) -> None:
        """"柳州市人民政府 — 市域产教联合体申报 — Dossier": the platform adds the application's name
        itself (QGuiApplication.applicationDisplayName), so it is not part of the title here."""
        s = self.session
        applicant = s.applicant or self.tr("(no applicant name)")
        title = f"{applicant} — {s.program.title.get(lang())}"
        if s.readonly:
            title += " " + self.tr("[read-only]")
        self.setWindowTitle(title)
        self.setWindowFilePath(str(s.path))

    def retranslate(self) -> None:
        self.actions_.retranslate()
        self._undo_texts()
        self.update_title()
        notice = self.session.project.readonly_notice
        self.banner.setText(notice.get(lang()) if notice else "")
        self.problems_dock.setWindowTitle(self.tr("Problems"))
        self.problems.refresh(force=True)
        self._report_changed()
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.saved.setText(self.tr("All changes are saved automatically"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def show_help(self) -> None:
        HelpDialog(self).exec()

    def show_cover(self) -> None:
        from .cover import CoverDialog

        CoverDialog(self.session, self).exec()

    def show_identity(self) -> None:
        from .identity_dialog import IdentityDialog

        IdentityDialog(self, applicant=self.session.applicant_names()).exec()

    # ------------------------------------------------------------ closing

    def closeEvent(self, ev):  # noqa: N802
        self.session.flush()
        if self.session.busy:
            self.session.wait_idle()
        self._place_timer.stop()
        self._remember_place()
        self._recent_timer.stop()
        self.record_recent()
        st = Settings()
        self._save_layout(st)
        st.sync()
        self.session.close()
        super().closeEvent(ev)
        if self.controller is not None:
            self.controller.window_closed(self)
