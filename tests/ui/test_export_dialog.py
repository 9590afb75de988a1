"""Seal & export from the window, and opening a package to see the verify verdict."""

from __future__ import annotations

import importlib.util
import zipfile

import pytest
from PySide6.QtGui import QDesktopServices

from desktop.programs import find_program
from desktop.project import Project

from .conftest import demo_project

pytestmark = pytest.mark.skipif(importlib.util.find_spec("desktop.export") is None, reason="desktop.export not present")


def test_export_complete_project_and_verify(controller, qtbot, tmp_path, monkeypatch, messages):
    from desktop.ui.export_dialog import ExportDialog, PackageDialog

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    path = demo_project("moe-core-course", tmp_path / "x.dossier")
    win = controller.open_path(path)
    assert win.actions_.export.isEnabled()
    out = tmp_path / "out"
    out.mkdir()
    dlg = ExportDialog(win.session, win)
    qtbot.addWidget(dlg)
    assert dlg.blocking == 0 and dlg.export_btn.isEnabled() and dlg.draft.isHidden()
    dlg.folder.setText(str(out))
    job = dlg.start_export()
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert job.outcome == "ok", job.error
    res = dlg.result
    assert res.pdf_path.is_file() and res.zip_path.is_file() and not res.draft
    assert str(res.zip_path) in dlg.outcome.text()
    dlg.open_folder_btn.click()
    assert opened == [str(out)]
    # the package, opened from the app: intact
    pd = controller.open_package(res.zip_path, win)
    qtbot.addWidget(pd)
    with qtbot.waitSignal(pd.job.finished, timeout=120_000):
        pass
    assert pd.verdict.status == "intact"
    assert "Intact" in pd.status.text()
    # a tampered copy: the verdict names the file
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(res.zip_path) as zin, zipfile.ZipFile(bad, "w") as zout:
        for zi in zin.infolist():
            data = zin.read(zi)
            if zi.filename.endswith("answers.xlsx"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            zout.writestr(zi, data)
    pd2 = PackageDialog(bad, win)
    qtbot.addWidget(pd2)
    with qtbot.waitSignal(pd2.job.finished, timeout=120_000):
        pass
    assert pd2.verdict.status == "tampered"
    assert any("answers.xlsx" in pd2.findings.topLevelItem(i).text(1) for i in range(pd2.findings.topLevelItemCount()))
    assert not messages, messages


def test_blocking_problems_need_an_explicit_draft(controller, qtbot, tmp_path, messages):
    from desktop.ui.export_dialog import ExportDialog

    p = tmp_path / "empty.dossier"
    Project.create(p, find_program("moe-core-course"), applicant="草稿单位").close()
    win = controller.open_path(p)
    dlg = ExportDialog(win.session, win)
    qtbot.addWidget(dlg)
    assert dlg.blocking > 0
    assert dlg.problems.tree.topLevelItemCount() == len(win.session.report.problems)  # the problem list first
    assert not dlg.export_btn.isEnabled()
    assert dlg.start_export() is None  # refused without the explicit draft choice
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    dlg.draft.setChecked(True)
    assert dlg.export_btn.isEnabled()
    job = dlg.start_export()
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert job.outcome == "ok", job.error
    assert dlg.result.draft
    assert "DRAFT" in dlg.result.zip_path.name.upper()
