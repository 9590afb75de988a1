"""The File-menu entry "Start next period from this one…" (added by desktop.ui.actions)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction


def make_action(window) -> QAction:
    """The action for a main window; enabled when its program is a recurring report."""
    a = QAction(window)
    window.addAction(a)
    session = getattr(window, "session", None)
    a.setEnabled(session is not None and session.program.recurring)
    a.triggered.connect(lambda: open_dialog(window))
    retranslate(a)
    return a


def retranslate(a: QAction) -> None:
    a.setText(QCoreApplication.translate("NextPeriod", "Start &next period from this one…"))
    if a.isEnabled():
        a.setStatusTip(QCoreApplication.translate(
            "NextPeriod", "A new project for the next month, quarter or year: what stays the same is carried over, "
                          "the figures of the period start empty"))
    else:
        a.setStatusTip(QCoreApplication.translate("NextPeriod", "This program is not a recurring report"))


def open_dialog(window):
    from .dialog import NextPeriodDialog

    dlg = NextPeriodDialog(window.session, window, getattr(window, "controller", None))
    dlg.exec()
    return dlg
