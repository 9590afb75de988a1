"""The table editor: typed cells through the delegate, add / remove / move rows, paste rows from a
spreadsheet (header row skipped, labels understood, all-or-nothing), copy, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyleOptionViewItem

from desktop.ui.table_editor import parse_tsv

from .conftest import demo_project


def _table(controller, tmp_path, program="gx-city-consortium"):
    path = demo_project(program, tmp_path / "t.dossier")
    win = controller.open_path(path)
    s = win.session
    fld = next(f for i in s.program.indicators() for f in i.fields
               if f.type == "table" and any(c.type == "choice" for c in f.columns) and s.field_visible(f.path))
    win.go_to(fld.indicator_id, fld.path)
    return win, s, fld, win.forms.editor(fld.path)


def _edit_cell(ed, row, col, text_or_data):
    """Edit one cell exactly as the view does: delegate editor → setModelData."""
    idx = ed.model.index(row, col)
    delegate = ed.view.itemDelegate()
    w = delegate.createEditor(ed.view.viewport(), QStyleOptionViewItem(), idx)
    delegate.setEditorData(w, idx)
    if isinstance(w, QComboBox):
        w.setCurrentIndex(w.findData(text_or_data))
    else:
        assert isinstance(w, QLineEdit)
        w.setText(text_or_data)
    delegate.setModelData(w, ed.model, idx)
    w.deleteLater()


def test_rows_and_cells(controller, tmp_path, messages):
    win, s, fld, ed = _table(controller, tmp_path)
    n0 = len(s.value(fld.path))
    ed.view.setCurrentIndex(ed.model.index(0, 0))
    ed.add_btn.click()
    assert len(s.value(fld.path)) == n0 + 1
    assert list(s.value(fld.path)[1]) == ["_id"]  # a new, empty row with its stable id
    text_col = next(n for n, c in enumerate(fld.columns) if c.type == "text")
    choice_col = next(n for n, c in enumerate(fld.columns) if c.type == "choice")
    _edit_cell(ed, 1, text_col, "新增单位")
    col = fld.columns[choice_col]
    _edit_cell(ed, 1, choice_col, col.choices[-1].value)
    row = s.value(fld.path)[1]
    assert row[fld.columns[text_col].id] == "新增单位"
    assert row[col.id] == col.choices[-1].value
    assert ed.model.index(1, choice_col).data() == col.choices[-1].label.en
    # move the new row down, then remove it
    ed.view.setCurrentIndex(ed.model.index(1, 0))
    ed.down_btn.click()
    assert s.value(fld.path)[2][fld.columns[text_col].id] == "新增单位"
    ed.view.setCurrentIndex(ed.model.index(2, 0))
    ed.remove_btn.click()
    assert len(s.value(fld.path)) == n0
    # undo brings the row back, redo removes it again
    win.undo()
    assert len(s.value(fld.path)) == n0 + 1
    assert ed.model.rowCount() == n0 + 1
    win.redo()
    assert ed.model.rowCount() == n0
    assert not messages


def test_typed_cell_refused_with_reason(controller, tmp_path, messages):
    win, s, _fld, _ed = _table(controller, tmp_path, "moe-city-consortium")
    date = next(((f, n) for i in s.program.indicators() for f in i.fields if f.type == "table" and s.field_visible(f.path)
                 and s.value(f.path) for n, c in enumerate(f.columns) if c.type == "date"), None)
    assert date is not None
    f, n = date
    win.go_to(f.indicator_id, f.path)
    ed = win.forms.editor(f.path)
    before = s.value(f.path)
    row = win.forms.current_form().rows[f.path]
    _edit_cell(ed, 0, n, "不是日期")
    assert s.value(f.path) == before
    assert not row.error.isHidden()
    assert "not a date" in row.error.text()
    _edit_cell(ed, 0, n, "2024/3/5")
    assert s.value(f.path)[0][f.columns[n].id] == "2024-03-05"
    assert row.error.isHidden()


def test_paste_rows_from_spreadsheet(controller, tmp_path, messages, qtbot):
    win, s, fld, ed = _table(controller, tmp_path)
    n0 = len(s.value(fld.path))
    cols = fld.columns
    header = "\t".join(c.label.zh for c in cols)

    def cell(c, k):
        if c.type == "choice":
            return c.choices[k % len(c.choices)].label.zh
        if c.type == "boolean":
            return "是"
        if c.type in ("integer", "number", "percent"):
            return "1,200" if c.type != "percent" else "50%"
        if c.type == "date":
            return "2024年3月1日"
        return f'"单位{k}\t甲"' if c.type == "text" and k == 0 else f"单位{k}"

    lines = [header] + ["\t".join(cell(c, k) for c in cols) for k in range(3)]
    QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")
    ed.view.clearSelection()
    ed.view.setCurrentIndex(ed.model.index(-1, -1))
    ed.paste_btn.click()
    rows = s.value(fld.path)
    assert len(rows) == n0 + 3
    first = rows[n0]
    tcol = next(c for c in cols if c.type == "text")
    assert first[tcol.id] == "单位0\t甲"  # a quoted cell keeps its tab
    ccol = next(c for c in cols if c.type == "choice")
    assert first[ccol.id] == ccol.choices[0].value  # label pasted, value stored
    win.undo()  # one paste = one undo step
    assert len(s.value(fld.path)) == n0
    # a bad cell refuses the whole paste, with the reason
    bad = [header, "\t".join("不是选项" if c.type == "choice" else "x" for c in cols)]
    assert ed.paste_text("\n".join(bad)) is False
    assert len(s.value(fld.path)) == n0
    err = win.forms.current_form().rows[fld.path].error
    assert "Nothing was pasted" in err.text()


def test_copy_and_clear(controller, tmp_path, messages):
    win, s, fld, ed = _table(controller, tmp_path)
    sm = ed.view.selectionModel()
    ed.view.setCurrentIndex(ed.model.index(0, 0))
    sm.select(ed.model.index(0, 0), sm.SelectionFlag.ClearAndSelect)
    ed.copy()
    assert QGuiApplication.clipboard().text().strip() == ed.model.index(0, 0).data()
    first_col = fld.columns[0]
    if not first_col.required:
        ed.clear_selected_cells()
        assert first_col.id not in s.value(fld.path)[0]


def test_parse_tsv():
    assert parse_tsv("a\tb\r\nc\td\r\n") == [["a", "b"], ["c", "d"]]
    assert parse_tsv('"x\ny"\tz\n') == [["x\ny", "z"]]
    assert parse_tsv("\n\n") == []


def test_thousand_rows_model_view(controller, tmp_path, messages):
    win, s, fld, ed = _table(controller, tmp_path)
    tcol = next(c for c in fld.columns if c.type == "text")
    rows = [{tcol.id: f"第{n}行"} for n in range(1000)]
    if fld.max_rows is not None and fld.max_rows < 1000:
        return
    ed.model.replace_rows(rows)
    assert ed.model.rowCount() == 1000
    # one view, no widget per cell
    assert len(ed.view.findChildren(QLineEdit)) <= 1
    ed.view.scrollToBottom()
    _edit_cell(ed, 999, fld.columns.index(tcol), "最后一行")
    assert s.value(fld.path)[999][tcol.id] == "最后一行"
    _ = Qt


def test_paste_errors_use_the_labels_on_screen(controller, tmp_path, messages):
    win, s, fld, ed = _table(controller, tmp_path, "asean-craftsman-college")
    assert fld.path == "2.3/majors"
    before = s.value(fld.path)
    cols = [c.label.en for c in fld.columns]
    form_col = next(n for n, c in enumerate(fld.columns) if c.id == "form")
    bool_col = next(n for n, c in enumerate(fld.columns) if c.type == "boolean")
    cells = [""] * len(cols)
    cells[form_col] = "diploma"
    cells[bool_col] = "maybe"
    ed.view.setCurrentIndex(ed.model.index(-1, -1))
    problems = []
    ed.problem.connect(problems.append)
    assert not ed.paste_text("\t".join(cells) + "\n")
    msg = problems[-1]
    assert s.value(fld.path) == before  # all or nothing
    form = fld.columns[form_col]
    labels = ", ".join(c.label.en for c in form.choices)
    assert f"“{form.label.en}”: “diploma” is not a choice; choose one of: {labels}" in msg
    assert "answer Yes or No" in msg
    for internal in ("degree, training", "true or false", "(form)", f"{form.label.en}: {form.label.en}"):
        assert internal not in msg, internal


def test_a_cell_that_breaks_a_rule_is_highlighted(controller, qtbot, tmp_path, messages):
    from desktop.ui.table_model import _RULE_CELL

    win, s, fld, ed = _table(controller, tmp_path, "asean-craftsman-college")
    col = next(n for n, c in enumerate(fld.columns) if c.script == "latin")
    _edit_cell(ed, 1, col, "机电一体化")  # must be written in English
    qtbot.waitUntil(lambda: (1, fld.columns[col].id) in ed.model.cell_problems, timeout=3000)
    idx = ed.model.index(1, col)
    assert idx.data(Qt.ItemDataRole.BackgroundRole) == _RULE_CELL
    assert "English" in idx.data(Qt.ItemDataRole.ToolTipRole)
    assert ed.model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert ed.model.index(0, col).data(Qt.ItemDataRole.BackgroundRole) != _RULE_CELL
    _edit_cell(ed, 1, col, "Mechatronics")
    qtbot.waitUntil(lambda: not ed.model.cell_problems, timeout=3000)
    assert idx.data(Qt.ItemDataRole.BackgroundRole) != _RULE_CELL
