"""The main window: composition only. Navigation (left), the form (centre), the official text,
the indicator's problems and its evidence (right), every problem of the project (bottom dock).
Behaviour lives in the panels and in ProjectSession; this module wires them together."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
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


class MainWindow(QMainWindow):
    def __init__(self, session: ProjectSession, controller=None):
        super().__init__()
        self.session = session
        self.controller = controller
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

        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(self.official)
        side.addWidget(self.ind_problems)
        side.addWidget(self.evidence)
        side.setStretchFactor(0, 2)
        side.setStretchFactor(1, 1)
        side.setStretchFactor(2, 4)
        side.setChildrenCollapsible(False)
        self.side = side

        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.nav)
        self.split.addWidget(self.forms)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 5)
        self.split.setStretchFactor(2, 3)
        self.split.setSizes([280, 640, 380])
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
        self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)

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
        session.valueChanged.connect(lambda _p: self._saved_now())
        session.evidenceChanged.connect(self._saved_now)

        st = Settings()
        geo = st.geometry("main")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1320, 820)
        state = st.state("main")
        if state is not None:
            self.restoreState(state)

        self.retranslate()
        self._report_changed()
        first = next((i for i in self.nav.indicator_ids()
                      if session.report.indicators.get(i) is None or session.report.indicators[i].visible), None)
        if first:
            self.nav.select(first)

    # ------------------------------------------------------------ navigation

    def show_indicator(self, iid: str) -> None:
        self.session.flush()
        self.forms.show_indicator(iid)
        self.official.set_indicator(iid)
        self.ind_problems.set_scope(iid)
        self.evidence.set_indicator(iid)
        self.nav.select(iid)

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
        rep = self.session.report
        self.completeness.setText(self.tr("{pct}% complete").format(pct=int(rep.completeness * 100)))

    def _problem_count(self, blocking: int, warnings: int) -> None:
        self.problems_dock.setWindowTitle(
            self.tr("Problems: {b} blocking, {w} warnings").format(b=blocking, w=warnings))

    def _set_language(self, code: str) -> None:
        if self.controller is not None:
            self.controller.set_language(code)
        else:
            from . import i18n

            i18n.set_language(code)

    def update_title(self) -> None:
        s = self.session
        applicant = s.applicant or self.tr("(no applicant name)")
        title = f"{applicant} — {s.program.title.get(lang())} — Dossier"
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

        IdentityDialog(self).exec()

    # ------------------------------------------------------------ closing

    def closeEvent(self, ev):  # noqa: N802
        self.session.flush()
        if self.session.busy:
            self.session.wait_idle()
        st = Settings()
        st.set_geometry("main", self.saveGeometry())
        st.set_state("main", self.saveState())
        st.sync()
        self.session.close()
        super().closeEvent(ev)
        if self.controller is not None:
            self.controller.window_closed(self)
