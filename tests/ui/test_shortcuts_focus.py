"""Keys a new user presses: F1 for help, Tab through every option of a field, the table like a
spreadsheet (Tab/Shift+Tab/Enter between cells, Ctrl+Tab out), the focus after "Add row"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from desktop.programs import find_program
from desktop.project import Project


@pytest.fixture(autouse=True)
def _release_modifiers(qapp):
    """Qt keeps the modifiers of the last simulated key (Shift, Ctrl) as the keyboard state: a
    later test's setCurrentIndex would extend a selection. One plain key event resets it."""
    yield
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    QTest.keyClick(w, Qt.Key.Key_A)
    w.deleteLater()


def _new(controller, tmp_path, program_id="gx-city-consortium"):
    p = tmp_path / f"{program_id}.dossier"
    Project.create(p, find_program(program_id), applicant="测试单位").close()
    win = controller.open_path(p)
    assert win is not None
    return win, win.session


def _activate(qtbot, win):
    win.show()
    win.activateWindow()
    win.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)


def test_every_shortcut_is_bound_once(controller, tmp_path, messages):
    win, _s = _new(controller, tmp_path)
    seen: dict[str, str] = {}
    for a in win.actions():
        keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in a.shortcuts()]
        assert len(keys) == len(set(keys)), (a.text(), keys)
        for k in keys:
            assert k not in seen, f"{k} bound to both {seen[k]!r} and {a.text()!r}"
            seen[k] = a.text()
    assert "F1" in seen and "Ctrl+Q" in seen


def test_f1_opens_help_in_the_main_window(controller, qtbot, tmp_path, messages, monkeypatch):
    from desktop.ui import dialogs

    shown = []
    monkeypatch.setattr(dialogs.HelpDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    win, _s = _new(controller, tmp_path)
    _activate(qtbot, win)
    focus = QApplication.focusWidget() or win
    qtbot.keyClick(focus, Qt.Key.Key_F1)
    assert shown == ["Help"]


def _tab_walk(qtbot, start, steps, key=Qt.Key.Key_Tab, mod=Qt.KeyboardModifier.NoModifier):
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [QApplication.focusWidget()]
    for _ in range(steps):
        qtbot.keyClick(QApplication.focusWidget(), key, mod)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_visits_every_option_of_a_multiple_choice(controller, qtbot, tmp_path, messages):
    win, s = _new(controller, tmp_path)
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "multichoice" and len(f.choices) > 3)
    win.go_to(fld.indicator_id, fld.path)
    _activate(qtbot, win)
    ed = win.forms.current_form().editor(fld.path)
    seen = _tab_walk(qtbot, ed.boxes[0], len(ed.boxes))
    assert seen[:len(ed.boxes)] == ed.boxes  # down the first column, then the next, as displayed
    assert seen[len(ed.boxes)] not in ed.boxes  # then on to the next field
    back = _tab_walk(qtbot, ed.boxes[-1], len(ed.boxes) - 1, mod=Qt.KeyboardModifier.ShiftModifier)
    assert back == ed.boxes[::-1]
    # Space ticks the focused option: the whole field is usable without a mouse
    qtbot.keyClick(ed.boxes[2], Qt.Key.Key_Space)
    assert s.value(fld.path) == [ed.boxes[2].property("choice")]


def _table(controller, qtbot, tmp_path):
    from .conftest import demo_project

    path = demo_project("gx-city-consortium", tmp_path / "t.dossier")
    win = controller.open_path(path)
    s = win.session
    fld = next(f for i in s.program.indicators() for f in i.fields
               if f.type == "table" and len(f.columns) >= 3 and s.field_visible(f.path)
               and f.columns[0].type == "text")
    win.go_to(fld.indicator_id, fld.path)
    _activate(qtbot, win)
    return win, s, fld, win.forms.editor(fld.path)


def _type(qtbot, text):
    for ch in text:
        qtbot.keyClicks(QApplication.focusWidget(), ch)


def test_table_moves_like_a_spreadsheet(controller, qtbot, tmp_path, messages):
    win, s, fld, ed = _table(controller, qtbot, tmp_path)
    view = ed.view
    n0 = len(s.value(fld.path))
    # "Add row": the focus goes to the new row's first cell, not the button
    view.setCurrentIndex(ed.model.index(n0 - 1, 1))
    ed.add_btn.setFocus()
    qtbot.mouseClick(ed.add_btn, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is view
    assert (view.currentIndex().row(), view.currentIndex().column()) == (n0, 0)
    # typing fills the cell; Tab confirms it and moves right, without leaving the table
    _type(qtbot, "Row A")  # the first key opens the cell's editor, which takes the rest
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert s.value(fld.path)[n0][fld.columns[0].id] == "Row A"
    assert QApplication.focusWidget() is view and view.currentIndex().column() == 1
    assert view.state() != view.State.EditingState  # the next cell is not opened: typing replaces it
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.currentIndex().column() == 0
    # Enter moves down (Shift+Enter up)
    view.setCurrentIndex(ed.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.currentIndex().row() == 0
    # an edit confirmed with Enter moves down too
    view.setCurrentIndex(ed.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not view
    editor.selectAll()
    qtbot.keyClicks(editor, "Renamed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on the next turn of the event loop
    qtbot.waitUntil(lambda: s.value(fld.path)[0][fld.columns[0].id] == "Renamed", timeout=3000)
    assert view.currentIndex().row() == 1 and QApplication.focusWidget() is view
    # Ctrl+Tab leaves the table (to its row buttons), Ctrl+Shift+Tab to the field before
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is ed.add_btn
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is not view and not ed.isAncestorOf(QApplication.focusWidget())
