"""SIGTERM/SIGHUP while the desktop app runs: the windows close and the app quits, with no error
dialog (the CLI's own handler raises to roll a command back, which in a Qt slot became one)."""

from __future__ import annotations

import signal

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import controller, messages, ui  # noqa: F401 - fixtures


def test_sigterm_closes_the_windows_and_quits(controller, qtbot, demo_copy, messages):  # noqa: F811
    from desktop.ui.app import quit_on_signals

    app = QApplication.instance()
    old = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    quits = []
    try:
        handler = quit_on_signals(app, quit=lambda: quits.append(1))
        assert signal.getsignal(signal.SIGTERM) is handler and signal.getsignal(signal.SIGHUP) is handler
        win = controller.open_path(demo_copy)
        assert win is not None and win.isVisible()
        handler(signal.SIGTERM, None)
        # the closed window may already be deleted (deleteLater ran) by the time this looks
        qtbot.waitUntil(lambda: (not shiboken6.isValid(win) or not win.isVisible()) and quits == [1])
        assert messages == []  # no "unexpected error" dialog, no question
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        for t in app.findChildren(QTimer, "signalTick"):
            t.stop()
            t.deleteLater()
