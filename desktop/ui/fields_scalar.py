"""Editors for single values: text, longtext (with a character count), integer/number/percent
(with unit and bounds), date (typed or picked from a calendar)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidgetAction,
)

from .field_base import FieldEditor
from .i18n import lang
from .icons import calendar_icon
from .text_limits import LengthLimit


def _num_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class LimitTexts(QObject):
    """Texts of _EditBacked (PySide's tr() takes its context from the object's own class, so a base
    class's strings live in a class of their own)."""

    def cut(self, lost: int, limit: int) -> str:
        return self.tr("Only {limit} characters fit here: %n character(s) at the end of what you pasted were not "
                       "kept.", "", lost).format(limit=limit)


class _EditBacked(FieldEditor):
    """Editors built around one text widget `self.edit`: it takes the focus and goes read-only."""

    def focus_target(self):
        return self.edit

    def set_readonly(self, ro: bool) -> None:
        self.edit.setReadOnly(ro)

    # -- a max_length that says so (desktop.ui.text_limits): the limit shown, a cut paste reported
    def _limit(self) -> None:
        self.cut_note = QLabel(self)
        self.cut_note.setObjectName("notice")
        self.cut_note.setWordWrap(True)
        self.cut_note.hide()
        self.limiter = LengthLimit(self.edit, self.field.max_length) if self.field.max_length else None
        if self.limiter is not None:
            self.limiter.cut.connect(self._cut)

    def _cut(self, lost: int, limit: int) -> None:
        self.cut_note.setText(LimitTexts().cut(lost, limit))
        self.cut_note.show()
        self._note_fresh = True  # the edit that caused the cut must not hide its own note

    def _hide_cut_note(self) -> None:
        if getattr(self, "_note_fresh", False):
            self._note_fresh = False
        elif not self.cut_note.isHidden():
            self.cut_note.hide()


class TextEditor(_EditBacked):
    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.counter = QLabel(self)
        self.counter.setObjectName("counter")
        self.counter.setVisible(bool(field.max_length))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.counter)
        lay.setDirection(QVBoxLayout.Direction.TopToBottom)
        lay.setSpacing(2)
        lay.addLayout(row)
        self._limit()
        lay.addWidget(self.cut_note)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._edited)
        self.edit.textChanged.connect(lambda _t: self._count())
        self.edit.editingFinished.connect(self.flush)
        self.watch(self.edit)
        self.retranslate()
        self.load()

    def _edited(self, _t: str) -> None:
        self._hide_cut_note()
        self.schedule()

    def _count(self) -> None:
        f = self.field
        if f.max_length:
            n = len(self.edit.text())
            self.counter.setText(self.tr("{n} / {max}").format(n=n, max=f.max_length))
            self.counter.setStyleSheet("color: #9a6700" if n >= f.max_length else "color: #5f6368")

    def retranslate(self) -> None:
        if self.field.max_length:
            tip = self.tr("at most {n} characters").format(n=self.field.max_length)
            self.counter.setToolTip(tip)
            self.edit.setPlaceholderText(tip)
            self.counter.setAccessibleName(tip)
        self._count()

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, v: Any) -> None:
        self.edit.setText("" if v is None else str(v))


class LongTextEditor(_EditBacked):
    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)  # Tab moves on; the form stays keyboard-navigable
        lines = 6 if not field.suggested_length else max(4, min(14, field.suggested_length // 60 + 2))
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * lines + 12)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.counter = QLabel(self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.counter.setObjectName("counter")
        lay.addWidget(self.edit)
        lay.addWidget(self.counter)
        self._limit()
        lay.addWidget(self.cut_note)
        self.setFocusProxy(self.edit)
        self._loading = False
        self.edit.textChanged.connect(self._changed)
        self.watch(self.edit)
        self.load()

    def _changed(self) -> None:
        self.update_counter()
        if not self._loading:
            self._hide_cut_note()
            self.schedule()

    def update_counter(self) -> None:
        n = len(self.edit.toPlainText())
        f = self.field
        if f.max_length:
            text = self.tr("{n} / {max} characters").format(n=n, max=f.max_length)
        else:
            text = self.tr("{n} characters").format(n=n)
        if f.suggested_length:
            text += " · " + self.tr("suggested about {s}").format(s=f.suggested_length)
        over_max = bool(f.max_length and n > f.max_length)
        over = bool(f.suggested_length and n > f.suggested_length * 1.2)
        color = "#b3261e" if over_max else ("#9a6700" if over else "#5f6368")
        self.counter.setStyleSheet(f"color: {color}")
        self.counter.setText(text)
        self.counter.setAccessibleName(text)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, v: Any) -> None:
        self._loading = True
        if self.limiter is not None:
            self.limiter.enabled = False  # a stored value is shown as it is
        try:
            self.edit.setPlainText("" if v is None else str(v))
        finally:
            self._loading = False
            if self.limiter is not None:
                self.limiter.enabled = True
        self.update_counter()


    def retranslate(self) -> None:
        self.update_counter()


class NumberEditor(_EditBacked):
    """integer / number / percent: typed freely (1,234 and 85% are understood), checked by the core."""

    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.edit.setMaximumWidth(180)
        self.unit = QLabel(self)
        self.bounds = QLabel(self)
        self.bounds.setObjectName("hint")
        lay.addWidget(self.edit)
        lay.addWidget(self.unit)
        lay.addSpacing(12)
        lay.addWidget(self.bounds)
        lay.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(lambda _t: self.schedule())
        self.edit.editingFinished.connect(self._finished)
        self.watch(self.edit)
        self.retranslate()
        self.load()

    def _finished(self) -> None:
        if self.pending:
            self.flush()
        # show the stored, normalised number (1,234 → 1234) once the user has left the field
        stored = self.session.value(self.path)
        try:
            mine = self.session.check(self.path, self.value())
        except Exception:  # noqa: BLE001 - an invalid entry stays as typed, with its message
            return
        if mine == stored:
            self.set_value(stored)

    def retranslate(self) -> None:
        f = self.field
        unit = "%" if f.type == "percent" else (f.unit.get(lang()) if f.unit else "")
        self.unit.setText(unit)
        lo, hi = f.min, f.max
        if f.type == "percent":
            lo = 0 if lo is None else lo
            hi = 100 if hi is None else hi
        if lo is not None and hi is not None:
            b = self.tr("from {min} to {max}").format(min=lo, max=hi)
        elif lo is not None:
            b = self.tr("at least {min}").format(min=lo)
        elif hi is not None:
            b = self.tr("at most {max}").format(max=hi)
        else:
            b = ""
        if f.type == "integer":
            b = (b + " · " if b else "") + self.tr("whole number")
        self.bounds.setText(b)
        self.edit.setPlaceholderText(self.tr("number"))
        self.edit.setAccessibleDescription(" ".join(x for x in (unit, b) if x))

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, v: Any) -> None:
        self.edit.setText(_num_text(v))


class DateEditor(_EditBacked):
    """A date typed as YYYY-MM-DD (2024/3/1 and 2024年3月1日 are understood) or picked (Alt+↓)."""

    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setMaximumWidth(160)
        self.button = QToolButton(self)
        self.button.setIcon(calendar_icon())  # an icon, not "📅": no emoji font needed
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.calendar = QCalendarWidget(self.menu)
        self.calendar.setGridVisible(True)
        if field.min:
            self.calendar.setMinimumDate(QDate.fromString(field.min, "yyyy-MM-dd"))
        if field.max:
            self.calendar.setMaximumDate(QDate.fromString(field.max, "yyyy-MM-dd"))
        act = QWidgetAction(self.menu)
        act.setDefaultWidget(self.calendar)
        self.menu.addAction(act)
        self.menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(self.menu)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        lay.addWidget(self.edit)
        lay.addWidget(self.button)
        lay.addSpacing(12)
        lay.addWidget(self.hint)
        lay.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(lambda _t: self.schedule())
        self.edit.editingFinished.connect(self._finished)
        self.watch(self.edit)
        self.edit.installEventFilter(self)
        self.retranslate()
        self.load()

    def eventFilter(self, obj, ev):  # noqa: N802 - Alt+Down / F4 opens the calendar, as in a combo box
        if obj is self.edit and ev.type() == ev.Type.KeyPress:
            if (ev.key() == Qt.Key.Key_Down and ev.modifiers() & Qt.KeyboardModifier.AltModifier) or ev.key() == Qt.Key.Key_F4:
                self.button.showMenu()
                return True
        return super().eventFilter(obj, ev)

    def _sync_calendar(self) -> None:
        d = QDate.fromString(self.edit.text().strip(), "yyyy-MM-dd")
        self.calendar.setSelectedDate(d if d.isValid() else QDate.currentDate())
        self.calendar.setFocus()

    def _picked(self, d: QDate) -> None:
        self.menu.close()
        self.edit.setText(d.toString("yyyy-MM-dd"))
        self.commit()
        self.edit.setFocus()

    def _finished(self) -> None:
        if self.pending:
            self.flush()
        stored = self.session.value(self.path)
        try:
            mine = self.session.check(self.path, self.value())
        except Exception:  # noqa: BLE001
            return
        if mine == stored:
            self.set_value(stored)

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.button.setToolTip(self.tr("Pick a date (Alt+Down)"))
        self.button.setAccessibleName(self.tr("Pick a date"))
        f = self.field
        if f.min and f.max:
            self.hint.setText(self.tr("from {min} to {max}").format(min=f.min, max=f.max))
        elif f.min:
            self.hint.setText(self.tr("not before {min}").format(min=f.min))
        elif f.max:
            self.hint.setText(self.tr("not after {max}").format(max=f.max))

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, v: Any) -> None:
        self.edit.setText("" if v is None else str(v))

    def tab_widgets(self):
        return [self.edit, self.button]

    def set_readonly(self, ro: bool) -> None:
        super().set_readonly(ro)
        self.button.setEnabled(not ro)
