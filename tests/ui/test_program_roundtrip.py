"""For each bundled program: create a project from the start window, fill every field type
through the widgets, attach by drag and drop, undo and redo, switch language, close, reopen and
find the same values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.models.rows import strip_row_ids
from desktop.demo import demo_answers, sample_file
from desktop.programs import bundled_programs
from desktop.project import Project
from desktop.rules import Evaluator
from desktop.ui import i18n

from .helpers import drop_files, fill

PROGRAMS = sorted({p.id for p in bundled_programs()})


def fill_all(qtbot, win, target: dict) -> dict:
    """Fill every field that is (or becomes) visible; returns what was entered, by path."""
    s = win.session
    entered: dict = {}
    for _pass in range(4):
        progress = False
        for iid in win.nav.indicator_ids():
            st = s.report.indicators.get(iid)
            if st is not None and not st.visible:
                continue
            win.nav.select(iid)
            assert win.current_indicator() == iid
            form = win.forms.current_form()
            for path, row in form.rows.items():
                if path in entered or path not in target or row.isHidden():
                    continue
                fill(qtbot, row.editor, target[path])
                assert not row.error.isVisible(), (path, row.error.text())
                entered[path] = target[path]
                progress = True
        if not progress:
            break
    return entered


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_program_roundtrip(program_id, controller, qtbot, tmp_path, file_dialogs, messages):
    prog = next(p for p in bundled_programs() if p.id == program_id)
    start = controller.show_start()
    qtbot.addWidget(start)
    # choose the program and the applicant on the start window, then Create… (save dialog answered)
    for i in range(start.program_list.topLevelItemCount()):
        it = start.program_list.topLevelItem(i)
        if it.data(0, Qt.ItemDataRole.UserRole) == prog.key:
            start.program_list.setCurrentItem(it)
    start.applicant.setText("测试学校 Test School")
    target_file = tmp_path / "app.dossier"
    file_dialogs["save"].append(target_file)
    start.create_btn.click()
    assert controller.windows, messages
    win = controller.windows[-1]
    assert "测试学校 Test School" in win.windowTitle()
    assert prog.title.en in win.windowTitle()
    s = win.session

    # -- every field type through the widgets
    answers = demo_answers(prog)
    ev = Evaluator(prog, answers)
    target = {p: v for p, v in answers.items() if ev.field_visible(p)}  # what applies once all is filled
    entered = fill_all(qtbot, win, target)
    assert entered, "nothing to fill"
    for path, v in entered.items():
        assert strip_row_ids(s.value(path)) == strip_row_ids(s.check(path, v)), path
    types = {prog.field(p).type for p in entered}
    assert types == {prog.field(p).type for p in target}  # every field type the program uses
    assert not set(target) - set(entered), set(target) - set(entered)

    # -- evidence: drop onto a slot, and onto the window
    ind = next(i for i in prog.indicators() if i.evidence and s.report.indicators[i.id].visible)
    win.nav.select(ind.id)
    slot = ind.evidence[0]
    f1 = sample_file(tmp_path, "drop-slot", slot.accept, 0, "拖放到栏目")
    tree = win.evidence.tree
    slot_item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                     if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == slot.id)
    with qtbot.waitSignal(s.attachFinished, timeout=30000) as sig:
        drop_files(tree.viewport(), [f1], tree.visualItemRect(slot_item).center())
    assert sig.args[1] == [], [e.en for e in sig.args[1]]
    names = [e.name for e in s.evidence(ind.id)]
    assert f1.name in names
    assert any(l.slot_id == slot.id for e in s.evidence(ind.id) if e.name == f1.name for l in e.links)
    f2 = sample_file(tmp_path, "drop-window", slot.accept, 1, "拖放到窗口")
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        drop_files(win, [f2])
    assert f2.name in [e.name for e in s.evidence(ind.id)]

    # -- undo / redo: the attach, then a field edit
    win.undo()
    assert f2.name not in [e.name for e in s.evidence(ind.id)]
    win.redo()
    assert f2.name in [e.name for e in s.evidence(ind.id)]
    some_path = next(p for p in entered if prog.field(p).type in ("text", "longtext"))
    stored = s.value(some_path)
    win.go_to(prog.field(some_path).indicator_id, some_path)
    fill(qtbot, win.forms.editor(some_path), "改过的文字")
    assert s.value(some_path) == "改过的文字"
    win.undo()
    assert s.value(some_path) == stored
    assert win.forms.editor(some_path).value() == stored
    win.redo()
    assert s.value(some_path) == "改过的文字"
    win.undo()
    assert s.value(some_path) == stored

    # -- language switch, live
    i18n.set_language("zh")
    assert prog.title.zh in win.windowTitle()
    assert win.nav.caption.text() == "章节与指标"
    i18n.set_language("en")
    assert win.nav.caption.text() == "Sections and indicators"

    # -- close, reopen, same values and files
    answers = s.answers()
    ev_names = sorted(e.name for e in s.evidence())
    path = s.path
    win.close()
    assert not controller.windows
    with Project.open(path) as p:
        assert p.answers() == answers
        assert sorted(e.name for e in p.evidence()) == ev_names
        for k, v in entered.items():
            if k != some_path:
                assert strip_row_ids(p.get(k)) == strip_row_ids(s.check(k, v)), k
    win2 = controller.open_path(path)
    assert win2 is not None
    assert win2.session.answers() == answers
    ed = win2.forms.editor(some_path)
    assert ed.value() == stored
    assert not messages, messages


def test_bundled_programs_cover_every_field_type():
    from desktop.models.program import FIELD_TYPES

    used = {f.type for p in bundled_programs() for i in p.indicators() for f in i.fields}
    assert used == set(FIELD_TYPES)
