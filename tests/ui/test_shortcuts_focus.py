"""Keys a new user presses: F1 for help, Tab through every option of a field, the table like a
spreadsheet (Tab/Shift+Tab/Enter between cells, Ctrl+Tab out), the focus after "Add row"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from desktop.programs import find_program
from desktop.project import Project


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
    assert shown == ["Dossier help"]


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
