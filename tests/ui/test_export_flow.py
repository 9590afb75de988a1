"""The export dialog as a user goes through it twice: a missing folder is offered to be created,
a second export asks before it replaces the first, the buttons stay where they were, and the PDF
stage shows activity instead of sitting at the same per cent."""

from __future__ import annotations

import importlib.util

import pytest
from PySide6.QtWidgets import QMessageBox

from .conftest import demo_project

pytestmark = pytest.mark.skipif(importlib.util.find_spec("desktop.export") is None, reason="desktop.export not present")


@pytest.fixture
def answered(monkeypatch):
    """Message boxes: recorded; questions answered from `answers` (default Yes)."""
    rec = {"shown": [], "answers": []}

    def fake_exec(self):
        rec["shown"].append((self.windowTitle(), self.text(), self.informativeText()))
        if self.button(QMessageBox.StandardButton.Yes) is not None:
            yes = rec["answers"].pop(0) if rec["answers"] else True
            return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.Cancel
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return rec


def _dialog(controller, qtbot, tmp_path):
    from desktop.ui.export_dialog import ExportDialog

    path = demo_project("moe-core-course", tmp_path / "x.dossier")
    win = controller.open_path(path)
    dlg = ExportDialog(win.session, win)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _run(qtbot, dlg):
    job = dlg.start_export()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert job.outcome == "ok", job.error
    return job


def test_missing_folder_is_offered_and_created(controller, qtbot, tmp_path, answered):
    dlg = _dialog(controller, qtbot, tmp_path)
    out = tmp_path / "提交" / "第一批"
    dlg.folder.setText(str(out))
    answered["answers"].append(False)  # "Create it?" — no: nothing happens, nothing is created
    assert dlg.start_export() is None and not out.exists()
    assert "does not exist" in answered["shown"][-1][1]
    _run(qtbot, dlg)  # yes (the default answer): created, then exported there
    assert dlg.result.zip_path.parent == out


def test_second_export_asks_before_replacing(controller, qtbot, tmp_path, answered):
    dlg = _dialog(controller, qtbot, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    _run(qtbot, dlg)
    first = dlg.result
    stamp = first.zip_path.stat().st_mtime_ns
    assert not answered["shown"]  # nothing to replace the first time
    answered["answers"].append(False)
    assert dlg.start_export() is None  # Cancel keeps the first export
    title, text, todo = answered["shown"][-1]
    assert first.zip_path.name in text and first.pdf_path.name in text and "Replace" in todo
    assert first.zip_path.stat().st_mtime_ns == stamp
    _run(qtbot, dlg)  # Yes: replaced
    assert dlg.result.zip_path == first.zip_path


def test_buttons_stay_put_after_an_export(controller, qtbot, tmp_path, answered):
    dlg = _dialog(controller, qtbot, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    before = {b.text(): b.mapTo(dlg, b.rect().center()) for b in (dlg.export_btn, dlg.open_folder_btn, dlg.close_btn)}
    size = dlg.size()
    assert dlg.open_folder_btn.isVisible() and not dlg.open_folder_btn.isEnabled()
    _run(qtbot, dlg)
    qtbot.wait(10)
    after = {b.text(): b.mapTo(dlg, b.rect().center()) for b in (dlg.export_btn, dlg.open_folder_btn, dlg.close_btn)}
    assert after == before and dlg.size() == size
    assert dlg.open_folder_btn.isEnabled() and str(dlg.result.zip_path) in dlg.outcome.text()


def test_pdf_stage_shows_activity(controller, qtbot, tmp_path, answered):
    dlg = _dialog(controller, qtbot, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    seen = []
    job = dlg.start_export()
    job.dialog.setMinimumDuration(0)
    job.progress.connect(lambda d, t, s: seen.append((s, job.dialog.maximum() if job.dialog else None,
                                                      job.dialog.labelText() if job.dialog else "")))
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    stages = {s for s, _m, _l in seen}
    assert "pdf" in stages
    assert all(m == 0 for s, m, _l in seen if s == "pdf")  # busy, not a frozen percentage
    assert any("Step 2 of 3" in label for s, _m, label in seen if s == "pdf")
    assert all(m == 1000 for s, m, _l in seen if s == "package")
