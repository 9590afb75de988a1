"""UI test helpers: one QApplication (pytest-qt's qapp) set up like the real app, English at the
start of every test, message boxes and file dialogs captured instead of blocking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox


@pytest.fixture
def ui(qapp, monkeypatch):
    from desktop.ui import i18n
    from desktop.ui.app import setup_app

    setup_app(qapp)
    i18n.set_language("en")
    yield qapp
    i18n.set_language("en")


@pytest.fixture
def messages(monkeypatch):
    """Every QMessageBox shown: (title, text, informative text). Answers Ok (or Yes)."""
    shown: list[tuple[str, str, str]] = []

    def fake_exec(self):
        shown.append((self.windowTitle(), self.text(), self.informativeText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def file_dialogs(monkeypatch):
    """Queue answers for QFileDialog: answers['save'] / ['open'] / ['open_many'] / ['dir'] lists."""
    answers: dict[str, list] = {"save": [], "open": [], "open_many": [], "dir": []}

    def pop(kind, default):
        return answers[kind].pop(0) if answers[kind] else default

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(pop("save", "")), "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(pop("open", "")), "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(p) for p in pop("open_many", [])], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(pop("dir", ""))))
    return answers


@pytest.fixture
def controller(ui, qtbot):
    from desktop.ui.app import AppController

    ctl = AppController(ui)
    yield ctl
    ctl._quitting = True
    for w in list(ctl.windows):
        w.close()
    if ctl.start is not None:
        ctl.start.close()
        ctl.start.deleteLater()


def demo_project(program_id: str, path: Path) -> Path:
    from desktop.demo import make_demo
    from desktop.programs import find_program

    make_demo(find_program(program_id), path).close()
    return path
