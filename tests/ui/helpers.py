"""Driving the form like a user: type, pick, tick, paste — through the widgets, never the core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.ui.fields_choice import BooleanEditor, ChoiceEditor, MultiChoiceEditor
from desktop.ui.fields_scalar import DateEditor, LongTextEditor, NumberEditor, TextEditor
from desktop.ui.table_editor import TableEditor


def _cell_text(col, v: Any) -> str:
    if v is None:
        return ""
    if col.type == "boolean":
        return "是" if v else "否"
    if col.type == "choice":
        lab = col.choice_label(v)
        return lab.zh if lab else str(v)  # paste by the label, as copied from a spreadsheet
    return str(v)


def fill(qtbot, editor, value: Any) -> None:
    """Enter `value` into a field editor the way a user would."""
    if isinstance(editor, (TextEditor, NumberEditor, DateEditor)):
        edit: QLineEdit = editor.edit
        edit.setFocus()
        edit.selectAll()
        text = "" if value is None else str(value)
        if len(text) <= 40 and text.isascii():  # QTest types ASCII only
            qtbot.keyClicks(edit, text)
        else:  # long text: paste-like insert, still through the widget's editing signals
            edit.insert(text)
            edit.textEdited.emit(edit.text())
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        editor.flush()
    elif isinstance(editor, LongTextEditor):
        editor.edit.setFocus()
        editor.edit.selectAll()
        editor.edit.insertPlainText(str(value))
        editor.flush()
    elif isinstance(editor, ChoiceEditor):
        i = editor.combo.findData(value)
        assert i > 0, value
        editor.combo.setCurrentIndex(i)
    elif isinstance(editor, MultiChoiceEditor):
        want = set(value or [])
        for box in editor.boxes:  # untick first, then tick: max_selected is never exceeded
            if box.isChecked() and box.property("choice") not in want:
                box.click()
        for box in editor.boxes:
            if not box.isChecked() and box.property("choice") in want:
                box.click()
    elif isinstance(editor, BooleanEditor):
        (editor.yes if value else editor.no).click()
    elif isinstance(editor, TableEditor):
        cols = editor.field.columns
        lines = ["\t".join(c.label.zh for c in cols)]  # a header row, as copied from a spreadsheet
        for row in value or []:
            lines.append("\t".join(_cell_text(c, row.get(c.id)) for c in cols))
        editor.view.clearSelection()
        editor.view.setCurrentIndex(editor.model.index(-1, -1))
        assert editor.paste_text("\n".join(lines) + "\n"), "paste refused"
    else:  # pragma: no cover
        raise AssertionError(type(editor))


def drop_files(target, paths: list[Path], pos: QPoint | None = None) -> None:
    """A real drag-enter + drop event carrying file URLs, delivered to `target`."""
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    if pos is None:
        pos = target.rect().center()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "drag refused"
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted(), "drop refused"
