"""The coordinator's Panel on the desk: rubric dialog, assigning (in the background), merging score
sheets (refusals reported, the rest merged), results with gate failures first, decisions, outputs."""

from __future__ import annotations

import pytest

from desktop.panel.assign import assign
from desktop.panel.submit import submit
from desktop.review import Review
from tests.panel.conftest import score_all


@pytest.fixture
def desk(ui, qtbot, review):
    from desktop.ui.review.desk import DeskWindow

    w = DeskWindow(review)
    qtbot.addWidget(w)
    w.show()
    yield w
    if w.busy:
        w.job.cancel()
        w.job.wait()


def _sheets(review, tmp_path):
    with Review.open(review) as rv:
        a = assign(rv, "张明", "all", tmp_path / "a.dsheet")
        b = assign(rv, "李华", "all", tmp_path / "b.dsheet")
    ids = sorted(a.packages)
    score_all(a.path, {ids[0]: 4, ids[1]: 3, ids[2]: 2})
    score_all(b.path, {ids[1]: 1, ids[2]: 2}, recuse={ids[0]}, gate_fail={(ids[2], "g-council")})
    return submit(a.path, tmp_path / "a.dscores").path, submit(b.path, tmp_path / "b.dscores").path, ids


def test_panel_tab_before_the_panel_starts(desk):
    tab = desk.panel.tab
    desk.tabs.setCurrentWidget(tab)
    assert "has not started" in tab.status.text() and tab.table.rowCount() == 0
    assert not tab.summary_btn.isEnabled()


def test_merge_results_decide_and_export(desk, qtbot, review, tmp_path, file_dialogs, messages, monkeypatch):
    a, b, ids = _sheets(review, tmp_path)
    bogus = tmp_path / "bogus.dscores"
    bogus.write_bytes(b"not a score sheet")
    file_dialogs["open_many"].append([a, b, bogus])
    done = desk.panel.actions.merge()
    assert len(done) == 2
    title, text, info = messages[-1]
    assert "Merged: 2 of 3" in text and "bogus.dscores" in info and "not a Dossier score sheet" in info
    tab = desk.panel.tab
    desk.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 3
    # the package whose gate 李华 failed is listed first, unranked
    assert tab.table.item(0, 1).text() == f"#{ids[2]}" and tab.table.item(0, 7).text() == "failed"
    assert tab.table.item(1, 0).text() == "1" and tab.table.item(1, 1).text() == f"#{ids[0]}"
    tab.select(ids[0])
    assert "Recused" in tab.detail.toPlainText() and "李华" in tab.detail.toPlainText()
    # normalisation and the threshold are settings of the review file
    tab.normalise.setChecked(True)
    with Review.open(review, readonly=True) as rv:
        from desktop.panel.aggregate import settings_of

        assert settings_of(rv).normalise
    # decide through the dialog
    from desktop.ui.panel import dialogs

    monkeypatch.setattr(dialogs.DecisionDialog, "exec", lambda self: dialogs.QDialog.DialogCode.Accepted)
    d = tab.decide(True)
    assert d.decision == "recommended" and "rank 1" in d.reason
    assert tab.table.item(1, 9).text() == "recommended"
    out = tmp_path / "汇总表.xlsx"
    file_dialogs["save"].append(out)
    assert tab.export_summary() == out and out.exists()
    pub = tmp_path / "公示.csv"
    file_dialogs["save"].append(pub)
    assert tab.export_publicity() == pub and "\ufeff序号" in pub.read_text("utf-8")
    rep = tmp_path / "报告.pdf"
    file_dialogs["save"].append(rep)
    tab.anonymise.setChecked(True)
    assert tab.export_report() == rep and rep.read_bytes().startswith(b"%PDF")


def test_assign_in_the_background(desk, qtbot, tmp_path, monkeypatch, messages):
    from desktop.ui.panel import dialogs

    out = tmp_path / "王芳.dsheet"
    monkeypatch.setattr(dialogs.AssignDialog, "exec", lambda self: dialogs.QDialog.DialogCode.Accepted)
    monkeypatch.setattr(dialogs.AssignDialog, "values", lambda self: ("王芳", self.packages(), out, False))
    job = desk.panel.actions.assign()
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    assert out.exists() and "王芳" in messages[-1][1]
    assert "sheets issued: 1" in desk.panel.tab.status.text() or not desk.panel.tab.isVisible()


def test_rubric_dialog_changes_weights_until_frozen(desk, qtbot, review, tmp_path, messages):
    from desktop.panel.rounds import current_round
    from desktop.ui.panel.dialogs import RubricDialog

    dlg = RubricDialog(desk.rv, desk)
    first = next(iter(dlg.spins))
    dlg.spins[first].setValue(3)
    dlg.note.setText("第一项加权")
    dlg.save()
    assert dlg.changed
    with Review.open(review, readonly=True) as rv:
        info = current_round(rv)
        assert info.version == 2 and info.rubric.criterion(first).weight == 3
    a, b, _ids = _sheets(review, tmp_path)
    from desktop.panel.merge import merge

    merge(desk.rv, a)
    dlg = RubricDialog(desk.rv, desk)
    assert "frozen" in dlg.state.text() and not dlg.spins[first].isEnabled() and dlg.round_btn.isVisibleTo(dlg)
