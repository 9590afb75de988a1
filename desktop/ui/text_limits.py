"""Length limits that say so. A field's `max_length` is enforced while typing and pasting, but never
silently (Qt's own setMaxLength cuts a paste without a word): what would go over the limit is
not inserted, the cut is reported through `cut(lost, limit)`, and the editor shows it.

The characters dropped are the END of what was just inserted (before the cursor), which is what a
user expects from a paste that does not fit; text typed earlier is never touched.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit


class LengthLimit(QObject):
    cut = Signal(int, int)  # characters not kept, the limit

    def __init__(self, edit: QLineEdit | QPlainTextEdit, limit: int):
        super().__init__(edit)
        self.edit = edit
        self.limit = limit
        self.enabled = True  # off while the editor loads a stored value
        self._busy = False
        if isinstance(edit, QLineEdit):
            edit.textEdited.connect(self._line_edited)  # user edits only (not setText)
        else:
            edit.document().contentsChange.connect(self._doc_changed)

    def _line_edited(self, text: str) -> None:
        over = len(text) - self.limit
        if over <= 0 or self._busy or not self.enabled:
            return
        pos = self.edit.cursorPosition()
        start = max(0, pos - over)
        self._busy = True
        try:
            self.edit.setText(text[:start] + text[pos:])
            self.edit.setCursorPosition(start)
        finally:
            self._busy = False
        self.cut.emit(over, self.limit)

    def _doc_changed(self, pos: int, _removed: int, added: int) -> None:
        if self._busy or not self.enabled:
            return
        doc = self.edit.document()
        over = doc.characterCount() - 1 - self.limit  # characterCount counts the final paragraph mark
        if over <= 0:
            return
        end = pos + added
        start = max(pos, end - over)
        lost = end - start
        if lost <= 0:
            return
        self._busy = True
        try:
            c = QTextCursor(doc)
            c.setPosition(start)
            c.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            c.removeSelectedText()
            self.edit.setTextCursor(c)
        finally:
            self._busy = False
        self.cut.emit(lost, self.limit)
