"""Entry point of the desktop app (`dossier gui [FILE]`, and the README's run command).

`main(argv)` sets up the QApplication (names, style, translators and the fonts of the language) and the
AppController, which owns the windows: the start window and one MainWindow per open project.
Opening a file never crashes: a bad file gets a dialog saying what happened and what to do.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from .. import __version__
from ..errors import DossierError
from ..paths import resources_dir
from . import i18n
from .dialogs import message, open_error, show_error
from .settings import Settings

STYLE = """
QLabel#appTitle { font-size: 22pt; font-weight: 600; color: #1a3d6d; }
QLabel#hint { color: #5f6368; }
QLabel#error { color: #b3261e; }
QLabel#counter { font-size: 9pt; }
QLabel#sectionLabel { color: #5f6368; }
QLabel#indicatorTitle { font-size: 14pt; font-weight: 600; color: #1a3d6d; padding-bottom: 6px; }
QLabel#panelTitle { font-weight: 600; color: #1a3d6d; padding: 4px 0 2px 0; }
QLabel#fieldLabel { font-weight: 600; }
QLabel#readonlyBanner { background: #fff4ce; color: #5c3c00; padding: 8px 12px; border-bottom: 1px solid #e0c36a; }
QLabel#notice { background: #eef3fb; color: #1a3d6d; padding: 8px; border-radius: 4px; }
QLabel#preview { background: #f1f3f4; border: 1px solid #dadce0; color: #5f6368; }
QWidget#formBody { background: palette(base); }
"""


def set_app_icon(app: QApplication) -> None:
    """The window and task-bar icon (resources/icons, rendered from dossier.svg), and the desktop
    entry the windows belong to (Linux: dossier.desktop, so docks show its name and icon)."""
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("dossier-*.png")):
        icon.addFile(str(png))
    if not icon.isNull():
        app.setWindowIcon(icon)
    app.setDesktopFileName("dossier")


class FileOpenFilter(QObject):
    """macOS sends a double-clicked document as an event, not as an argument: open it."""

    def __init__(self, controller: "AppController"):
        super().__init__(controller)
        self.controller = controller

    def eventFilter(self, obj, ev):  # noqa: N802
        if ev.type() == QEvent.Type.FileOpen and ev.file():
            self.controller.open_path(ev.file())
            return True
        return False


def setup_app(app: QApplication) -> None:
    if app.property("dossier_ready"):
        return
    app.setApplicationName("Dossier")
    app.setOrganizationName("Dossier")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("Dossier")
    set_app_icon(app)  # the bundled fonts are registered by i18n.set_language (desktop.ui.fonts)
    app.setStyleSheet(STYLE)
    saved = Settings().language()
    i18n.set_language(saved or i18n.system_lang())
    app.setProperty("dossier_ready", True)



class AppController(QObject):
    """Opens, creates and closes projects; keeps the start window and the project windows."""

    def __init__(self, app: QApplication | None = None):
        super().__init__()
        self.app = app or QApplication.instance()
        self.settings = Settings()
        self.start = None
        self.windows: list = []

    # ------------------------------------------------------------ windows

    def show_start(self):
        from .start_window import StartWindow

        if self.start is None:
            self.start = StartWindow()
            self.start.createRequested.connect(lambda prog, name: self.create_project(prog, name, self.start))
            self.start.openRequested.connect(self._open_from_start)
            self.start.installRequested.connect(lambda: self.install_program(self.start))
            self.start.packageRequested.connect(lambda: self.open_package_dialog(self.start))
            self.start.reviewRequested.connect(self.open_review_desk)
            self.start.languageRequested.connect(self.set_language)
            for seq, fn in ((QKeySequence.StandardKey.Open, lambda: self.open_dialog(self.start)),
                            (QKeySequence.StandardKey.New, lambda: self.new_project(self.start)),
                            (QKeySequence.StandardKey.Quit, self.quit)):
                sc = QShortcut(QKeySequence(seq), self.start)
                sc.activated.connect(fn)
            geo = self.settings.geometry("start")
            if geo is not None:
                self.start.restoreGeometry(geo)
        self.start.reload_recent()
        self.start.show()
        self.start.raise_()
        self.start.activateWindow()
        return self.start

    def _hide_start(self) -> None:
        if self.start is not None and self.start.isVisible():
            self.settings.set_geometry("start", self.start.saveGeometry())
            self.start.hide()

    def _open_from_start(self, path: str) -> None:
        if path:
            self.open_path(path, self.start)
        else:
            self.open_dialog(self.start)

    def window_for(self, path) -> object | None:
        p = Path(path).resolve()
        for w in self.windows:
            if w.session.path.resolve() == p:
                return w
        return None

    def open_window(self, project):
        from .main_window import MainWindow
        from .session import ProjectSession

        session = ProjectSession(project)
        win = MainWindow(session, self)
        self.windows.append(win)
        self.settings.add_recent(project.path)
        win.show()
        self._hide_start()
        return win

    def window_closed(self, win) -> None:
        if win in self.windows:
            self.windows.remove(win)
        if not self.windows and not getattr(self, "_quitting", False):
            self.show_start()

    # ------------------------------------------------------------ create / open

    def new_project(self, parent=None) -> None:
        st = self.show_start()
        st.program_list.setFocus()

    def create_project(self, program, applicant: str, parent=None):
        from ..project import Project

        folder = Path(self.settings.last_folder())
        safe = "".join(c for c in (applicant or program.title.zh) if c not in '<>:"/\\|?*').strip() or program.id
        suggested = folder / f"{safe}_{program.id}.dossier"
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("AppController", "Save the new project as"), str(suggested),
                                              QCoreApplication.translate("AppController", "Dossier projects (*.dossier)"))
        if not path:
            return None
        p = Path(path)
        if p.suffix.lower() != ".dossier":
            p = p.with_name(p.name + ".dossier")
        self.settings.set_last_folder(p.parent)
        try:
            project = Project.create(p, program, applicant=applicant)
        except DossierError as e:
            show_error(parent, QCoreApplication.translate("AppController", "Cannot create the project"), e)
            return None
        if self.start is not None:
            self.start.applicant.clear()  # the next application is someone else's: start empty
        return self.open_window(project)

    def open_dialog(self, parent=None):
        path, _ = QFileDialog.getOpenFileName(parent, QCoreApplication.translate("AppController", "Open a project"), self.settings.last_folder(),
                                              QCoreApplication.translate("AppController", "Dossier projects (*.dossier);;All files (*)"))
        if not path:
            return None
        self.settings.set_last_folder(Path(path).parent)
        return self.open_path(path, parent)

    def open_path(self, path, parent=None):
        from ..project import Project

        path = Path(path)
        existing = self.window_for(path) if path.exists() else None
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return existing
        if path.suffix.lower() == ".zip":
            return self.open_package(path, parent)
        if path.suffix.lower() == ".dreview":
            return self.open_review_desk(path)
        if path.suffix.lower() == ".dsheet":  # an expert sheet (desktop.ui.panel)
            from .panel.sheet_window import open_sheet

            return open_sheet(path, parent)
        try:
            project = Project.open(path)
        except DossierError as e:
            open_error(parent, path, e)
            if e.key == "project.missing":
                self.settings.remove_recent(path)
                if self.start is not None:
                    self.start.reload_recent()
            return None
        except Exception as e:  # noqa: BLE001 - never crash on a bad file
            open_error(parent, path, e)
            return None
        return self.open_window(project)

    def install_program(self, parent=None) -> None:
        from ..programs import import_program

        path, _ = QFileDialog.getOpenFileName(parent, QCoreApplication.translate("AppController", "Install a program definition"), self.settings.last_folder(),
                                              QCoreApplication.translate("AppController", "Program definitions (*.yaml *.yml *.xlsx);;All files (*)"))
        if not path:
            return
        try:
            prog = import_program(path)
        except DossierError as e:
            show_error(parent, QCoreApplication.translate("AppController", "Cannot install the program definition"), e)
            return
        except Exception as e:  # noqa: BLE001
            show_error(parent, QCoreApplication.translate("AppController", "Cannot install the program definition"), e)
            return
        message(parent, "info", QCoreApplication.translate("AppController", "Program installed"),
                QCoreApplication.translate("AppController", "“{title}” (version {version}) is installed and can be chosen for new projects.")
                .format(title=prog.title.get(i18n.lang()), version=prog.version))
        if self.start is not None:
            self.start.reload_programs(select=prog.key)

    # ------------------------------------------------------------ export / packages (desktop.export)

    @staticmethod
    def can_export() -> bool:
        try:
            return importlib.util.find_spec("desktop.export") is not None
        except (ImportError, ValueError):
            return False

    def export_dialog(self, window) -> None:
        if not self.can_export():
            message(window, "info", QCoreApplication.translate("AppController", "Seal & export"), QCoreApplication.translate("AppController", "Export is not available in this version yet."))
            return
        from .export_dialog import ExportDialog

        ExportDialog(window.session, window).exec()

    def open_package_dialog(self, parent=None):
        if not self.can_export():
            message(parent, "info", QCoreApplication.translate("AppController", "Open package"), QCoreApplication.translate("AppController", "Checking packages is not available in this version yet."))
            return None
        # several files: the volumes of a split package (issue #12); .age: an encrypted one
        paths, _ = QFileDialog.getOpenFileNames(parent, QCoreApplication.translate("AppController", "Open a submitted package"), self.settings.last_folder(),
                                                QCoreApplication.translate("AppController", "Dossier packages (*.zip *.age);;All files (*)"))
        if not paths:
            return None
        return self.open_package([Path(p) for p in paths] if len(paths) > 1 else Path(paths[0]), parent)

    def open_package(self, path: Path, parent=None):
        if not self.can_export():
            message(parent, "info", QCoreApplication.translate("AppController", "Open package"), QCoreApplication.translate("AppController", "Checking packages is not available in this version yet."))
            return None
        from .export_dialog import PackageDialog

        dlg = PackageDialog(path, parent)
        dlg.show()
        self._package_dialogs = getattr(self, "_package_dialogs", []) + [dlg]
        return dlg

    def open_review_desk(self, path=None):
        """The reviewer's desk (desktop.ui.review), in its own window."""
        from .review.desk import DeskWindow

        desk = DeskWindow(path)
        desk.show()
        self.desks = [d for d in getattr(self, "desks", []) if d.isVisible()] + [desk]
        return desk

    # ------------------------------------------------------------ misc

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        files = self.settings.recent_files()
        for f in files:
            info = self.settings.recent_info(f)
            who = info.get("applicant") or ""
            act = menu.addAction(f"{Path(f).name} — {who}" if who else Path(f).name)
            act.setToolTip(f)
            act.triggered.connect(lambda _c=False, f=f: self.open_path(f, menu.parentWidget()))
        if not files:
            a = menu.addAction(QCoreApplication.translate("AppController", "(none)"))
            a.setEnabled(False)

    def set_language(self, code: str) -> None:
        i18n.set_language(code)
        self.settings.set_language(code)

    def quit(self) -> None:
        self._quitting = True
        for w in list(self.windows):
            w.close()
        if self.start is not None:
            self.settings.set_geometry("start", self.start.saveGeometry())
            self.start.close()
        self.settings.sync()
        self.app.quit()


def _excepthook(exc_type, exc, tb):  # pragma: no cover - interactive safety net
    sys.__excepthook__(exc_type, exc, tb)
    try:
        exc.__traceback__ = tb
        show_error(QApplication.activeWindow(), QCoreApplication.translate("AppController", "Unexpected error"), exc)
    except Exception:  # noqa: BLE001
        pass


def quit_on_signals(app: QApplication, quit=None):
    """SIGTERM/SIGHUP (logout, shutdown, `kill`): close the windows as the user would and quit.
    Every edit is already committed, so nothing is lost; without this, the CLI's handler (which
    unwinds a command so its transaction rolls back) would raise inside whatever Qt slot runs and
    the app would show an "unexpected error" dialog instead of quitting. Returns the handler."""
    quit = quit or app.quit

    def handler(signum, _frame) -> None:
        QTimer.singleShot(0, app.closeAllWindows)
        QTimer.singleShot(0, quit)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread, or not allowed here
                pass
    # Python runs signal handlers only when it gets control: a light timer gives it that in Qt's loop
    tick = QTimer(app)
    tick.setObjectName("signalTick")
    tick.timeout.connect(lambda: None)
    tick.start(300)
    return handler


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dossier"] + argv)
    setup_app(app)
    sys.excepthook = _excepthook
    from ..housekeeping import at_start

    at_start()  # temp folders a killed run left behind (desktop.housekeeping)
    ctl = AppController(app)
    app.installEventFilter(FileOpenFilter(ctl))
    files = [a for a in argv if not a.startswith("-")]
    shown = ctl.open_path(files[0]) if files else None
    if shown is None:
        ctl.show_start()
    app.setQuitOnLastWindowClosed(True)
    quit_on_signals(app)
    return app.exec()

