"""The expert's window: keyboard-only scoring, the indicators beside the rubric, recusal,
switching packages, submitting; what is typed is saved at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.panel.assign import assign
from desktop.panel.sheet import ExpertSheet
from desktop.review import Review


@pytest.fixture
def sheet_path(review, tmp_path):
    with Review.open(review) as rv:
        return assign(rv, "张明", "all", tmp_path / "zhang.dsheet").path


@pytest.fixture
def win(ui, qtbot, sheet_path):
    from desktop.ui.panel.sheet_window import SheetWindow

    w = SheetWindow(sheet_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _key(qtbot, widget, key, text=""):
    qtbot.keyClick(widget, key) if not text else qtbot.keyClicks(widget, text)


def test_keyboard_only_scoring_of_a_package(win, qtbot, sheet_path):
    p = win.current
    assert win.progress_label.text() == "0 of 3 packages scored"
    coi = win.panel.coi
    coi.setFocus()
    qtbot.keyClick(coi, Qt.Key.Key_N)  # no conflict of interest
    for g in win.panel.gates:
        g.setFocus()
        qtbot.keyClick(g, Qt.Key.Key_1)  # met
    for c in win.panel.criteria:
        if c.criterion.id not in p.applicable:
            continue
        c.setFocus()
        assert c.criterion.indicators[0] in win.view.toPlainText()  # the indicators beside the criterion
        qtbot.keyClick(c, Qt.Key.Key_3)
        assert c.buttons[3].isChecked() and "Good" in c.descriptor.text()
    c0 = win.panel.criteria[0]
    c0.comment.setFocus()
    c0.comment.setText("数据翔实")  # (QTest types Latin keys only)
    qtbot.keyClick(c0.comment, Qt.Key.Key_Return)
    ov = win.panel.overall
    ov.score.setFocus()
    ov.score.lineEdit().selectAll()
    qtbot.keyClicks(ov.score, "86")
    qtbot.keyClick(ov.score, Qt.Key.Key_Tab)
    ov.conf.setCurrentIndex(1)
    ov.conf.activated.emit(1)
    assert win.progress_label.text() == "1 of 3 packages scored"
    with ExpertSheet.open(sheet_path, readonly=True) as sh:
        w = sh.work(p.id)
        assert sh.status(p.id) == "scored" and w.scores[c0.criterion.id].comment == "数据翔实" and w.overall == 86
    # the next package: Ctrl+PgDown
    qtbot.keyClick(win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert win.current.id != p.id and not win.panel.criteria[0].buttons[3].isChecked()
    assert not win.panel.criteria[0].isEnabled()  # nothing can be scored before the declaration


def test_recusal_in_the_window(win, qtbot, sheet_path, monkeypatch):
    p = win.current
    coi = win.panel.coi
    coi.conflict.click()
    assert coi.reason.hasFocus() or coi.reason.isEnabled()
    coi.reason.setText("本人为该校兼职教授")
    coi.reason.editingFinished.emit()
    assert not win.panel.criteria[0].isEnabled()
    assert "⊘" in win.list.item(0).text() and "recused" in win.list.item(0).text()
    with ExpertSheet.open(sheet_path, readonly=True) as sh:
        assert sh.status(p.id) == "recused"


def test_evidence_link_points_the_comment_at_a_file(win, qtbot, sheet_path):
    coi = win.panel.coi
    coi.none.click()
    box = next(c for c in win.panel.criteria if c.evidence.count() > 1)
    box.setFocus()
    n = box.evidence.itemData(1)
    from PySide6.QtCore import QUrl

    win._link(QUrl(f"evidence:{n}"))
    with ExpertSheet.open(sheet_path, readonly=True) as sh:
        s = sh.work(win.current.id).scores[box.criterion.id]
    assert s.evidence and s.evidence["name"] == box.evidence.itemText(1)


def test_submit_from_the_window(win, qtbot, sheet_path, tmp_path, monkeypatch, messages):
    from desktop.ui.panel import sheet_window
    from tests.panel.conftest import score_all

    score_all(sheet_path)
    w2 = sheet_window.SheetWindow(sheet_path)
    qtbot.addWidget(w2)
    assert w2.progress_label.text() == "3 of 3 packages scored"
    out = tmp_path / "z.dscores"
    monkeypatch.setattr(sheet_window.SubmitDialog, "exec", lambda self: sheet_window.QDialog.DialogCode.Accepted)
    monkeypatch.setattr(sheet_window.SubmitDialog, "values", lambda self: (out, False, False))
    res = w2.submit_dialog()
    assert res is not None and out.exists() and "coordinator" in messages[-1][1]
    assert not w2.banner.isHidden() and "final" in w2.banner.text()
    assert not w2.panel.coi.isEnabled()
