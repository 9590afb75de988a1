"""Over-long text: the limit is shown, typing stops at it, and a paste that does not fit is cut
at its end with a message — never silently."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.programs import find_program
from desktop.project import Project


def _win(controller, tmp_path, program="gx-city-consortium"):
    p = tmp_path / f"{program}.dossier"
    Project.create(p, find_program(program), applicant="测试单位").close()
    return controller.open_path(p)


def test_a_paste_that_does_not_fit_is_cut_and_said(controller, qtbot, tmp_path, messages):
    win = _win(controller, tmp_path)
    s = win.session
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "text" and f.max_length
               and s.field_visible(f.path))
    win.go_to(fld.indicator_id, fld.path)
    ed = win.forms.current_form().editor(fld.path)
    n = fld.max_length
    assert ed.counter.text() == f"0 / {n}" and ed.edit.placeholderText() == f"at most {n} characters"
    ed.edit.setFocus()
    QGuiApplication.clipboard().setText("甲" * (n - 3) + "ABCDEFGH")
    ed.edit.paste()
    assert ed.edit.text() == "甲" * (n - 3) + "ABC"  # the END of the paste is what did not fit
    assert ed.cut_note.isVisibleTo(ed) and "5 characters" in ed.cut_note.text() and str(n) in ed.cut_note.text()
    assert ed.counter.text() == f"{n} / {n}"
    ed.flush()
    assert s.value(fld.path) == "甲" * (n - 3) + "ABC"
    # the note goes with the next edit
    ed.edit.backspace()
    ed.edit.textEdited.emit(ed.edit.text())
    assert not ed.cut_note.isVisibleTo(ed)
    # in Chinese: "100 字以内"
    from desktop.ui import i18n

    i18n.set_language("zh")
    try:
        assert ed.edit.placeholderText() == f"{n} 字以内"
        ed.edit.setText("")
        ed.edit.textEdited.emit("")
        ed.edit.paste()
        assert ed.cut_note.text() == f"此处最多只能填 {n} 字：粘贴内容末尾的 5 个字未保留。"
    finally:
        i18n.set_language("en")


def _limited(controller, tmp_path):
    """A small program whose long text and table column have hard limits (no bundled one has)."""
    from tests.core.helpers import program

    def mutate(d):
        fields = d["sections"][0]["indicators"][0]["fields"]
        next(f for f in fields if f["id"] == "intro")["max_length"] = 30
        units = next(f for f in fields if f["id"] == "units")
        next(c for c in units["columns"] if c["id"] == "province")["max_length"] = 8

    p = tmp_path / "limits.dossier"
    Project.create(p, program(mutate=mutate), applicant="测试").close()
    win = controller.open_path(p)
    win.go_to("1.1", "1.1/intro")
    return win, win.session


def test_longtext_limit(controller, qtbot, tmp_path, messages):
    win, s = _limited(controller, tmp_path)
    ed = win.forms.current_form().editor("1.1/intro")
    assert ed.counter.text().startswith("0 / 30")
    ed.edit.setFocus()
    ed.edit.insertPlainText("长" * 25)
    ed.edit.insertPlainText("0123456789")  # 35 in all: the last 5 do not fit
    assert ed.edit.toPlainText() == "长" * 25 + "01234"
    assert ed.cut_note.isVisibleTo(ed) and "5 characters" in ed.cut_note.text()
    ed.flush()
    assert s.value("1.1/intro") == "长" * 25 + "01234"


def test_a_cell_paste_that_does_not_fit_is_said(controller, qtbot, tmp_path, messages):
    win, s = _limited(controller, tmp_path)
    win.go_to("1.1", "1.1/units")
    ed = win.forms.editor("1.1/units")
    n = next(i for i, c in enumerate(ed.field.columns) if c.id == "province")
    ed.add_btn.click()
    problems = []
    ed.problem.connect(problems.append)
    w = ed.view.itemDelegate().createEditor(ed.view.viewport(), QStyleOptionViewItem(), ed.model.index(0, n))
    assert w.placeholderText() == "at most 8 characters"
    QGuiApplication.clipboard().setText("广西壮族自治区柳州市柳北区")  # 13 characters
    w.paste()
    assert w.text() == "广西壮族自治区柳"
    assert problems and problems[-1] == "Row 1, “Province”: only 8 characters fit; 5 characters at the end of the paste were not kept."
    w.deleteLater()
    _ = Qt
