"""Recurring reports in the app: File → Start next period from this one…, and the previous period's
figure with the change beside each numeric per-period field of the new project's form."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.project import Project

from .conftest import demo_project


@pytest.fixture
def wf(tmp_path) -> Path:
    return demo_project("wf-city-consortium", tmp_path / "潍坊高新区_2024.dossier")


def test_the_menu_entry_follows_the_program(controller, wf, tmp_path):
    win = controller.open_path(wf)
    a = win.actions_.next_period
    assert a in win.actions_.file_menu.actions() and a.isEnabled()
    assert a.text() == "Start &next period from this one…"
    other = controller.open_path(demo_project("moe-core-course", tmp_path / "course.dossier"))
    assert not other.actions_.next_period.isEnabled()
    assert "not a recurring report" in other.actions_.next_period.statusTip()


def test_the_dialog_proposes_the_next_period_and_says_what_carries_over(controller, wf, qtbot, messages):
    from desktop.ui.periods.dialog import NextPeriodDialog

    win = controller.open_path(wf)
    dlg = NextPeriodDialog(win.session, win, controller)
    qtbot.addWidget(dlg)
    assert "2024" in dlg.this_period.text() and dlg.previous_edit.isHidden()
    assert dlg.period_edit.text() == "2025"
    assert Path(dlg.out_edit.text()).name == "潍坊高新区_2025.dossier"  # the period in the name follows
    assert "Answers carried over" in dlg.summary.text() and dlg.create_btn.isEnabled()
    dlg.period_edit.setText("2025-13")
    assert not dlg.create_btn.isEnabled() and "12 months" in dlg.problem.text() and not dlg.problem.isHidden()
    dlg.period_edit.setText("2023")
    assert not dlg.create_btn.isEnabled() and "ends before" in dlg.problem.text()
    dlg.period_edit.setText("2025-01")
    assert Path(dlg.out_edit.text()).name == "潍坊高新区_2025-01.dossier" and dlg.create_btn.isEnabled()
    job = dlg.start()
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert job.outcome == "ok", job.error
    out = Path(dlg.out_edit.text())
    assert dlg.created == out and out.is_file()
    assert messages and "ready for January 2025" in messages[-1][1]
    with Project.open(out) as proj:
        assert proj.meta()["period"] == "2025-01" and proj.get("4.3/month") == 1
    with Project.open(wf) as proj:
        assert "period" not in proj.meta()  # the previous project is not changed


def test_open_the_new_project_when_asked(controller, wf, qtbot, monkeypatch):
    from desktop.ui.periods.dialog import NextPeriodDialog

    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Open)
    win = controller.open_path(wf)
    dlg = NextPeriodDialog(win.session, win, controller)
    qtbot.addWidget(dlg)
    job = dlg.start()
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    qtbot.waitUntil(lambda: controller.window_for(dlg.created) is not None, timeout=20_000)


def test_the_form_shows_the_previous_figure_and_the_change(controller, wf, tmp_path, qtbot):
    from desktop.periods import start_next_period
    from desktop.ui import i18n

    out = tmp_path / "2025-Q1.dossier"
    start_next_period(wf, out, "2025-Q1")
    win = controller.open_path(out)
    form = win.forms.show_indicator("3.3")
    row = form.rows["3.3/releases"]
    assert row.previous is not None and not row.previous.isHidden() or row.isHidden()
    assert row.previous.text() == "Previous period: 36"
    win.session.edit("3.3/releases", "40")
    assert row.previous.text() == "Previous period 36 → now 40 (+11.1 %)"
    assert form.rows["3.3/status"].previous is None  # not a figure
    assert form.rows["3.3/progress"].previous is None
    i18n.set_language("zh")
    try:
        assert row.previous.text() == "上期 36 → 本期 40（+11.1%）"
    finally:
        i18n.set_language("en")
    # a project not started from a previous period shows nothing of the kind
    other = controller.open_path(demo_project("wf-city-consortium", tmp_path / "fresh.dossier"))
    assert other.forms.show_indicator("3.3").rows["3.3/releases"].previous is None
