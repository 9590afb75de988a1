"""Editors for choices: choice (a drop-down with "not answered"), multichoice (check boxes),
boolean (Yes / No radio buttons; neither = not answered). Each change commits at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QRadioButton

from .field_base import FieldEditor
from .i18n import lang


class ChoiceEditor(FieldEditor):
    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.addItem("", None)
        for c in field.choices:
            self.combo.addItem(c.label.get(lang()), c.value)
        lay.addWidget(self.combo)
        lay.addStretch(1)
        self.setFocusProxy(self.combo)
        self._loading = False
        self.combo.currentIndexChanged.connect(self._changed)
        self.watch(self.combo)
        self.retranslate()
        self.load()

    def _changed(self, _i: int) -> None:
        if not self._loading:
            self.commit()

    def retranslate(self) -> None:
        self.combo.setItemText(0, self.tr("— not answered —"))
        for n, c in enumerate(self.field.choices, 1):
            self.combo.setItemText(n, c.label.get(lang()))

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, v: Any) -> None:
        self._loading = True
        try:
            i = self.combo.findData(v) if v is not None else 0
            self.combo.setCurrentIndex(max(i, 0))
        finally:
            self._loading = False

    def focus_target(self):
        return self.combo


class MultiChoiceEditor(FieldEditor):
    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setHorizontalSpacing(18)
        self.boxes: list[QCheckBox] = []
        cols = 2 if len(field.choices) > 6 else 1
        rows = (len(field.choices) + cols - 1) // cols
        for n, c in enumerate(field.choices):
            box = QCheckBox(c.label.get(lang()), self)
            box.setProperty("choice", c.value)
            box.toggled.connect(self._changed)
            self.watch(box)
            lay.addWidget(box, n % rows, n // rows)  # column-major: reading order goes down
            self.boxes.append(box)
        self.limits = QLabel(self)
        self.limits.setObjectName("hint")
        lay.addWidget(self.limits, rows, 0, 1, cols)
        if self.boxes:
            self.setFocusProxy(self.boxes[0])
        self._loading = False
        self.retranslate()
        self.load()

    def _changed(self, _on: bool) -> None:
        if not self._loading:
            if not self.commit():
                self.set_value(self.session.value(self.path))  # e.g. too many chosen: undo the tick

    def retranslate(self) -> None:
        for box, c in zip(self.boxes, self.field.choices):
            box.setText(c.label.get(lang()))
        f = self.field
        parts = []
        if f.min_selected:
            parts.append(self.tr("choose at least {n}").format(n=f.min_selected))
        if f.max_selected:
            parts.append(self.tr("choose at most {n}").format(n=f.max_selected))
        self.limits.setText(" · ".join(parts))
        self.limits.setVisible(bool(parts))

    def value(self) -> Any:
        return [b.property("choice") for b in self.boxes if b.isChecked()]

    def set_value(self, v: Any) -> None:
        chosen = set(v or [])
        self._loading = True
        try:
            for b in self.boxes:
                b.setChecked(b.property("choice") in chosen)
        finally:
            self._loading = False

    def focus_target(self):
        return self.boxes[0] if self.boxes else self

    def tab_widgets(self):
        return list(self.boxes) or [self]

    def set_readonly(self, ro: bool) -> None:
        for b in self.boxes:
            b.setEnabled(not ro)


class BooleanEditor(FieldEditor):
    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.yes = QRadioButton(self)
        self.no = QRadioButton(self)
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        lay.addWidget(self.yes)
        lay.addWidget(self.no)
        lay.addStretch(1)
        for b in (self.yes, self.no):
            self.watch(b)
            b.toggled.connect(self._changed)
        self.setFocusProxy(self.yes)
        self._loading = False
        self.retranslate()
        self.load()

    def _changed(self, on: bool) -> None:
        if on and not self._loading:
            self.commit()

    def retranslate(self) -> None:
        self.yes.setText(self.tr("Yes"))
        self.no.setText(self.tr("No"))
        name = self.field.label.get(lang())
        self.yes.setAccessibleName(f"{name}: {self.yes.text()}")
        self.no.setAccessibleName(f"{name}: {self.no.text()}")

    def value(self) -> Any:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def set_value(self, v: Any) -> None:
        self._loading = True
        try:
            self.group.setExclusive(False)
            self.yes.setChecked(v is True)
            self.no.setChecked(v is False)
            self.group.setExclusive(True)
        finally:
            self._loading = False

    def focus_target(self):
        return self.yes

    def tab_widgets(self):
        return [self.yes, self.no]

    def set_readonly(self, ro: bool) -> None:
        self.yes.setEnabled(not ro)
        self.no.setEnabled(not ro)
