"""Live form behaviour: visible_if, completeness as you type, typing merged into one undo step,
refused values explained, longtext counter, problems panel jumps, Ctrl+S, keyboard and
accessibility, remembered settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.programs import find_program
from desktop.project import Project
from desktop.ui.settings import Settings


def _new(controller, tmp_path, program_id):
    p = tmp_path / f"{program_id}.dossier"
    Project.create(p, find_program(program_id), applicant="测试单位").close()
    win = controller.open_path(p)
    assert win is not None
    return win, win.session


def test_visible_if_live(controller, tmp_path, messages):
    win, s = _new(controller, tmp_path, "gx-city-consortium")
    win.go_to("4.2", "4.2/platform")
    form = win.forms.current_form()
    row = form.rows["4.2/platform_url"]
    assert row.isHidden()
    form.rows["4.2/platform"].editor.yes.click()
    assert s.value("4.2/platform") is True
    assert not row.isHidden()
    form.rows["4.2/platform"].editor.no.click()
    assert row.isHidden()
    win.undo()
    assert not row.isHidden()


def test_completeness_updates_as_you_type(controller, qtbot, tmp_path, messages):
    win, s = _new(controller, tmp_path, "moe-core-course")
    before = win.nav.bar.value()
    form = win.forms.current_form()
    iid = form.indicator.id
    assert win.nav.items[iid].data(0, Qt.ItemDataRole.UserRole + 1) == "empty"
    row = next(r for r in form.rows.values() if r.field.type == "text" and r.field.required)
    row.editor.edit.setFocus()
    qtbot.keyClicks(row.editor.edit, "Robot programming")
    # no Enter, no focus change: the pause in typing commits (debounced)
    qtbot.waitUntil(lambda: s.value(row.field.path) == "Robot programming", timeout=3000)
    assert win.nav.bar.value() > before
    assert win.nav.items[iid].data(0, Qt.ItemDataRole.UserRole + 1) == "problems"
    # more typing in the same field is the same undo step
    qtbot.keyClicks(row.editor.edit, " II")
    row.editor.flush()
    assert s.value(row.field.path) == "Robot programming II"
    win.undo()
    assert s.value(row.field.path) is None
    assert row.editor.edit.text() == ""
    assert win.nav.bar.value() == before


def test_refused_value_is_explained_and_kept(controller, qtbot, tmp_path, messages):
    win, s = _new(controller, tmp_path, "gx-city-consortium")
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "integer" and f.min is not None)
    win.go_to(fld.indicator_id, fld.path)
    row = win.forms.current_form().rows[fld.path]
    row.editor.edit.setText(str(fld.min - 1))
    assert row.editor.commit() is False
    assert s.value(fld.path) is None
    assert "below the minimum" in row.error.text() and not row.error.isHidden()
    assert row.editor.edit.text() == str(fld.min - 1)  # kept, to be corrected
    row.editor.edit.setText(f"{fld.min:,}")
    assert row.editor.commit() is True
    assert row.error.isHidden()
    assert s.value(fld.path) == fld.min


def test_longtext_counter(controller, tmp_path, messages):
    win, s = _new(controller, tmp_path, "moe-core-course")
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "longtext" and f.suggested_length)
    win.go_to(fld.indicator_id, fld.path)
    ed = win.forms.current_form().rows[fld.path].editor
    ed.edit.setPlainText("字" * 123)
    assert "123" in ed.counter.text()
    assert str(fld.suggested_length) in ed.counter.text()


def test_problem_click_jumps_to_field(controller, qtbot, tmp_path, messages):
    win, s = _new(controller, tmp_path, "moe-core-course")
    win.show()
    tree = win.problems.tree
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    iid, path = last.data(0, Qt.ItemDataRole.UserRole)
    tree.itemClicked.emit(last, 0)
    assert win.current_indicator() == iid
    if path and "/#" not in path:
        ed = win.forms.current_form().editor(path)
        qtbot.waitUntil(lambda: ed.focus_target().hasFocus() or QWidget.focusWidget(ed.focus_target()) is not None)


def test_ctrl_s_confirms(controller, tmp_path, messages):
    win, s = _new(controller, tmp_path, "moe-core-course")
    win.actions_.save.trigger()
    assert "saved" in win.statusBar().currentMessage()
    assert not messages


def test_keyboard_and_accessibility(controller, qtbot, tmp_path, messages):
    win, s = _new(controller, tmp_path, "sx-platform-base")
    shortcuts = {a.shortcut().toString() for a in win.actions()}
    for key in ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+O", "Ctrl+N", "Ctrl+S", "F1"):
        assert key in shortcuts, key
    for iid in win.nav.indicator_ids():
        win.show_indicator(iid)
        form = win.forms.current_form()
        targets = []
        for row in form.rows.values():
            t = row.editor.focus_target()
            assert t.accessibleName(), row.field.path
            assert t.focusPolicy() & Qt.FocusPolicy.TabFocus, row.field.path
            assert row.label.buddy() is t
            targets.append(t)
        # tab order follows the form, top to bottom
        for a, b in zip(targets, targets[1:]):
            w = a.nextInFocusChain()
            seen = 0
            while w is not b and seen < 200:
                w = w.nextInFocusChain()
                seen += 1
            assert w is b
    # Ctrl+PgDown moves through indicators
    first = win.current_indicator()
    win.actions_.next_indicator.trigger()
    assert win.current_indicator() != first


def test_settings_remembered(controller, tmp_path, messages):
    from desktop.ui import i18n

    win, s = _new(controller, tmp_path, "moe-core-course")
    win.resize(701, 503)  # fits the offscreen screen (800×600), so restoring is not clamped
    controller.set_language("zh")
    path = s.path
    win.close()
    st = Settings()
    assert st.language() == "zh"
    assert str(path.resolve()) == st.recent_files()[0]
    assert st.geometry("main") is not None
    win2 = controller.open_path(path)
    assert win2.width() == 701
    assert i18n.lang() == "zh"
    # nothing secret: only these groups are ever written
    keys = set(Settings().q.allKeys())
    assert all(k.split("/")[0] in ("ui", "geometry", "state", "recent", "recent_info", "place") for k in keys), keys


def test_ctrl_z_in_a_field_is_the_window_undo(controller, qtbot, tmp_path, messages):
    win, s = _new(controller, tmp_path, "moe-core-course")
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    form = win.forms.current_form()
    row = next(r for r in form.rows.values() if r.field.type == "text")
    ed = row.editor.edit
    ed.setFocus()
    qtbot.keyClicks(ed, "abc")
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    assert s.value(row.field.path) == "abc"
    qtbot.keyClicks(ed, "def")  # still pending (debounced): Ctrl+Z first commits it, then undoes
    # the whole typing burst in this field (one undo step), through the project's undo stack
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert s.value(row.field.path) is None
    assert ed.text() == ""
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert s.value(row.field.path) == "abcdef"
