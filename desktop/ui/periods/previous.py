"""The previous period's figure and the change, under a numeric per-period field of the form
("上期 1,850.6 → 本期 2,010.0（+8.6%）"). The text comes from the core (desktop.periods.compare),
so the form, the PDF and the CLI say the same thing."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel

from ...models.program import Field
from ...periods.compare import describe, numeric_per_period, previous_values
from ..i18n import lang


class PreviousValueLabel(QLabel):
    def __init__(self, session, field: Field, previous, parent=None):
        super().__init__(parent)
        self.session = session
        self.field = field
        self.previous = previous
        self.setObjectName("previousValue")
        self.setWordWrap(True)
        self.setStyleSheet("color: #245c8f; font-size: 9pt;")  # beside the figure, quieter than it
        session.valueChanged.connect(self._changed)
        self.refresh()

    def _changed(self, path: str) -> None:
        if path == self.field.path:
            self.refresh()

    def refresh(self) -> None:
        text = describe(self.field, self.previous, self.session.value(self.field.path)).get(lang())
        self.setText(text)
        self.setAccessibleName(text)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(ev)


def previous_value_label(session, field: Field, parent=None) -> PreviousValueLabel | None:
    """A label for `field` when the project was started from a previous period and the field is one
    of its numeric per-period figures; None otherwise (nothing is added to the form)."""
    if field.type not in ("integer", "number", "percent") or not field.per_period:
        return None
    prev = previous_values(session.project.meta())
    if prev is None or field.path not in {f.path for f in numeric_per_period(session.program)}:
        return None
    return PreviousValueLabel(session, field, prev.get(field.path), parent)
