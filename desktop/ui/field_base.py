"""FieldEditor: what every field widget shares.

- `load()` shows the stored value; `value()` is what the widget holds now (raw, unchecked).
- Typing schedules a commit (debounced); leaving the widget commits at once; choices commit at
  once. A commit goes through ProjectSession.edit (checked by the core's coerce, stored by the
  core in one transaction, one undo step; consecutive typing merges into one step).
- A refused value shows its bilingual reason through `problem` (the form row displays it); the
  widget keeps what the user typed so it can be corrected.
- Ctrl+Z / Ctrl+Shift+Z inside an editor go to the window's undo stack, not the widget's own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from ..errors import DossierError
from ..models.program import Field
from .i18n import lang

TYPING_DELAY_MS = 500


class _UndoRouter(QObject):
    """Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) typed in an editor run the window's undo/redo (the project's
    undo stack), never the widget's private text undo. The key is claimed at ShortcutOverride and
    handled at KeyPress, so it works the same whatever the window's shortcut state."""

    @staticmethod
    def _kind(ev) -> str | None:
        if ev.matches(QKeySequence.StandardKey.Undo):
            return "undo"
        if ev.matches(QKeySequence.StandardKey.Redo) or ev.keyCombination() == QKeySequence("Ctrl+Shift+Z")[0]:
            return "redo"
        return None

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt API
        t = ev.type()
        if t not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        kind = self._kind(ev)
        if kind is None:
            return False
        ev.accept()
        if t == QEvent.Type.KeyPress:
            fn = getattr(obj.window(), kind, None)
            if callable(fn):
                fn()
        return True


_router: _UndoRouter | None = None


def route_undo_to_window(widget: QWidget) -> None:
    global _router
    if _router is None:
        _router = _UndoRouter()
    widget.installEventFilter(_router)


class _FocusOut(QObject):
    def __init__(self, editor: "FieldEditor"):
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, obj, ev):  # noqa: N802
        if ev.type() == QEvent.Type.FocusOut:
            self.editor.flush()
        return False


class FieldEditor(QWidget):
    problem = Signal(str)  # "" clears

    def __init__(self, session, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.field = field
        self.path = field.path
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(lambda: self.commit(typing=True))
        self._focus_out = _FocusOut(self)
        session.flushRequested.connect(self.flush)

    # -- to implement
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, v: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def tab_widgets(self) -> list[QWidget]:
        """Every widget of this editor that Tab stops at, in reading order (the form chains them:
        chaining only the first would make Tab skip the rest, e.g. all but one check box)."""
        return [self.focus_target()]

    def set_readonly(self, ro: bool) -> None:
        self.setEnabled(not ro)

    def retranslate(self) -> None:
        """Texts that depend on the UI language (program labels and our own strings)."""

    # -- shared behaviour
    def watch(self, w: QWidget) -> None:
        """Route undo keys and commit on focus-out for an inner widget."""
        route_undo_to_window(w)
        w.installEventFilter(self._focus_out)

    def load(self) -> None:
        self.set_value(self.session.value(self.path))

    def sync_from_session(self) -> None:
        """The stored value changed (undo/redo, another editor): show it unless it is what we hold."""
        stored = self.session.value(self.path)
        try:
            mine = self.session.check(self.path, self.value())
        except DossierError:
            mine = object()
        if mine != stored:
            self._timer.stop()
            self.set_value(stored)
            self.problem.emit("")

    def schedule(self) -> None:
        if not self.session.readonly:
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def flush(self) -> None:
        if self._timer.isActive():
            self.commit(typing=True)

    def commit(self, typing: bool = False) -> bool:
        self._timer.stop()
        if self.session.readonly:
            return False
        try:
            self.session.edit(self.path, self.value(), typing=typing)
        except DossierError as e:
            self.problem.emit(e.text(lang()))
            return False
        self.problem.emit("")
        return True

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
