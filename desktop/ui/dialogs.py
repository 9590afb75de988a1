"""Dialogs that explain: what happened and what to do (bad files, errors), help (F1), about.

Every message box goes through `message()` (one QMessageBox, exec'd), so tests can capture them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from .. import __version__
from ..errors import DossierError
from .i18n import lang
from .sizing import fit_to_screen, keep_fitting



def message(parent: QWidget | None, kind: str, title: str, text: str, informative: str = "",
            details: str = "", buttons=QMessageBox.StandardButton.Ok,
            default=QMessageBox.StandardButton.NoButton) -> QMessageBox.StandardButton:
    icon = {"error": QMessageBox.Icon.Critical, "warning": QMessageBox.Icon.Warning,
            "info": QMessageBox.Icon.Information, "question": QMessageBox.Icon.Question}[kind]
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # paths and errors can be copied
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
    r = box.exec()
    return QMessageBox.StandardButton(r) if isinstance(r, int) else r


def warn(parent, title: str, text: str, informative: str = "") -> None:
    message(parent, "warning", title, text, informative)


def open_with_system(parent, path, *, folder: bool = False) -> bool:
    """Open a file (or a folder) with the program the system uses for it. When there is none (no
    viewer installed, no file manager), say so and where the file is, instead of doing nothing."""
    from pathlib import Path

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    p = Path(path)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(p))):
        return True
    if folder:
        text = QCoreApplication.translate("Dialogs", "This computer has no program to show the folder {path}.").format(path=p)
        todo = QCoreApplication.translate("Dialogs", "Open it with your file manager; the path can be selected and copied here.")
    else:
        text = QCoreApplication.translate("Dialogs", "No program on this computer opens {name}.").format(name=p.name)
        todo = QCoreApplication.translate("Dialogs", "A copy was saved as {path}: open it with a suitable program, or install a "
                                          "viewer for this type of file. The preview in Dossier shows images, PDFs and "
                                          "text.").format(path=p)
    message(parent, "warning", QCoreApplication.translate("Dialogs", "Cannot open"), text, todo)
    return False


def what_to_do(key: str) -> str:
    """Advice for an error key from the core (the core's message says what happened)."""
    advice = {
        "project.missing": QCoreApplication.translate("Dialogs", "The file may have been moved, renamed or deleted, or it is on a USB stick or network "
                               "drive that is not connected. Connect the drive, or choose the file again with Open."),
        "project.not_file": QCoreApplication.translate("Dialogs", "Choose the project file itself (it ends in .dossier), not the folder that holds it."),
        "project.unreadable": QCoreApplication.translate("Dialogs", "Check that you may read the file (ask whoever gave it to you), or copy it to "
                                  "your Documents folder and open the copy."),
        "project.not_dossier": QCoreApplication.translate("Dialogs", "Dossier opens project files ending in .dossier made with Dossier. To look at a "
                                   "submitted package (.zip), use File › Open package. Nothing was changed."),
        "project.corrupt": QCoreApplication.translate("Dialogs", "Open an earlier copy of the project (a backup, or the copy you sent by e-mail or "
                               "saved on another drive). Dossier did not change this file."),
        "project.too_new": QCoreApplication.translate("Dialogs", "Install the newest version of Dossier, then open the file again. Nothing was changed."),
        "project.needs_upgrade": QCoreApplication.translate("Dialogs", "Copy the file to a writable folder (for example Documents) and open the copy: "
                                     "Dossier will upgrade the copy."),
        "project.upgrade_failed": QCoreApplication.translate("Dialogs", "Nothing was changed. Open an earlier copy, or report the problem with the file."),
        "definition.invalid": QCoreApplication.translate("Dialogs", "The program definition inside this project cannot be read. Nothing was changed."),
        "project.exists": QCoreApplication.translate("Dialogs", "Choose another name, or open the existing project instead."),
        "project.no_folder": QCoreApplication.translate("Dialogs", "Choose a folder that exists."),
        "project.readonly_folder": QCoreApplication.translate("Dialogs", "Choose a folder you can write to, for example Documents."),
        "project.readonly": QCoreApplication.translate("Dialogs", "Copy the project to a writable place (for example Documents) and open the copy."),
        "disk.full": QCoreApplication.translate("Dialogs", "Free some space on the disk, then try again."),
        "project.busy": QCoreApplication.translate("Dialogs", "Close the other window or program using this project, then try again."),
    }
    return advice.get(key, "")


def show_error(parent, title: str, err: BaseException, *, todo: str = "") -> None:
    if isinstance(err, DossierError):
        text = err.text(lang())
        todo = todo or what_to_do(err.key)
        message(parent, "error", title, text, todo)
    else:  # an unexpected error: say so plainly, keep the details for a report
        import traceback

        details = "".join(traceback.format_exception(type(err), err, err.__traceback__))
        message(parent, "error", title, QCoreApplication.translate("Dialogs", "Something unexpected went wrong: {error}").format(error=str(err) or type(err).__name__),
                QCoreApplication.translate("Dialogs", "Your work is saved up to the last change. Please report this problem with the details below."),
                details)


def open_error(parent, path, err: BaseException) -> None:
    show_error(parent, QCoreApplication.translate("Dialogs", "Cannot open the project"), err)


class HelpDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setOpenExternalLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.text)
        lay.addWidget(self.buttons)
        keep_fitting(self, 480)
        fit_to_screen(self, QSize(680, 560), margin=40, center=False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Help"))  # the platform adds " — Dossier"
        self.text.setAccessibleName(self.tr("Help text"))
        parts = [
            ("<h2>{}</h2>", self.tr("How Dossier works")),
            ("<p>{}</p>", self.tr("Each application is one project file (.dossier). Everything you type and every file you "
                                  "attach is saved in it at once: there is no Save button. Ctrl+S only confirms.")),
            ("<h3>{}</h3>", self.tr("Filling in")),
            ("<p>{}</p>", self.tr("On the left are the sections and indicators of the program, each with its status: a "
                                  "green tick when complete, an orange mark when something is missing or wrong, an empty "
                                  "circle when not started. The bar above shows how complete the application is.")),
            ("<p>{}</p>", self.tr("In the middle is the form of the selected indicator. Fields marked * are required. "
                                  "Some fields appear only when an earlier answer makes them apply.")),
            ("<p>{}</p>", self.tr("On the right are the official text of the indicator (the Chinese text is official), "
                                  "its evidence files and its problems. Click a problem to go to the field.")),
            ("<h3>{}</h3>", self.tr("Evidence files")),
            ("<p>{}</p>", self.tr("Drag files onto a slot, or anywhere on the window, or use Add…. Large files are copied "
                                  "into the project in the background; Cancel leaves the project as it was.")),
            ("<p>{}</p>", self.tr("Double-click a file (or press Enter) to preview it in Dossier: pictures, PDFs and "
                                  "text files. Open shows it in the program your computer uses for that type.")),
            ("<h3>{}</h3>", self.tr("Keyboard")),
            ("<p>{}</p>", self.tr("Tab and Shift+Tab move between fields. Ctrl+Z undoes, Ctrl+Shift+Z redoes, Ctrl+N "
                                  "creates a project, Ctrl+O opens one, Ctrl+Page Down / Ctrl+Page Up go to the next / "
                                  "previous indicator, F6 moves between the panels, F1 shows this help.")),
            ("<p>{}</p>", self.tr("In a table, as in a spreadsheet: typing replaces the cell, F2 edits it, Enter and "
                                  "Tab confirm and move down / right (Shift: up / left), Ctrl+Tab leaves the table, "
                                  "Ctrl+Enter adds a row, Ctrl+V pastes rows copied from Excel, WPS or LibreOffice.")),
            ("<p>{}</p>", self.tr("Dates: 2026-06-30, 2026/6/30, 2026年6月30日, 30/06/2026 or 30 June 2026. A date "
                                  "such as 03/04/2026, which could be read either way, is asked for again.")),
            ("<h3>{}</h3>", self.tr("Language")),
            ("<p>{}</p>", self.tr("View › Language switches between Chinese and English at once. Program texts follow; "
                                  "where a program has no English text the Chinese is shown.")),
        ]
        self.text.setHtml("".join(tpl.format(_esc(t)) for tpl, t in parts))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def about(parent) -> None:
    message(parent, "info", QCoreApplication.translate("Dialogs", "About Dossier"),
            QCoreApplication.translate("Dialogs", "Dossier {version}").format(version=__version__),
            QCoreApplication.translate("Dialogs", "Applications to China's industry–education programs, prepared offline: forms, evidence and a "
                "sealed submission package."))
