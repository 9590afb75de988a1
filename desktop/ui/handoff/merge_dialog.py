"""File → Merge returned part…: what the partner's return would change, and the side-by-side
conflict dialog (base / ours / theirs) to choose per field, with "Take all of theirs" and "Keep
all of ours". The merge itself is one undo step (MergeCommand)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from ...handoff import LEAD, PARTNER, MergePlan
from ..i18n import lang

COL_FIELD, COL_BASE, COL_OURS, COL_THEIRS, COL_USE = range(5)
CHOSEN = QColor("#e6f4ea")


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class MergeDialog(QDialog):
    def __init__(self, session, plan: MergePlan, parent=None):
        super().__init__(parent)
        self.session = session
        self.plan = plan
        self.setObjectName("mergeDialog")
        self.setMinimumSize(900, 560)
        lay = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(bool(plan.message))
        lay.addWidget(self.message_label)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("error")
        self.warnings.setWordWrap(True)
        lay.addWidget(self.warnings)
        self.conflict_caption = QLabel(self)
        self.conflict_caption.setObjectName("panelTitle")
        lay.addWidget(self.conflict_caption)
        self.table = QTableWidget(0, 5, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        for c in (COL_FIELD, COL_BASE, COL_OURS, COL_THEIRS):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(COL_USE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellClicked.connect(self._cell_clicked)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.take_all = QPushButton(self)
        self.keep_all = QPushButton(self)
        self.take_all.clicked.connect(lambda: self.set_all(PARTNER))
        self.keep_all.clicked.connect(lambda: self.set_all(LEAD))
        row.addWidget(self.take_all)
        row.addWidget(self.keep_all)
        row.addStretch(1)
        lay.addLayout(row)
        self.oos_caption = QLabel(self)
        self.oos_caption.setWordWrap(True)
        self.oos_list = QListWidget(self)
        self.oos_list.setMaximumHeight(110)
        self.skip_oos = QCheckBox(self)
        for w in (self.oos_caption, self.oos_list, self.skip_oos):
            w.setVisible(bool(plan.out_of_scope))
            lay.addWidget(w)
        self.accept_signer = QCheckBox(self)
        self.accept_signer.setVisible(plan.signer_mismatch)
        lay.addWidget(self.accept_signer)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.skip_oos.toggled.connect(self._update)
        self.accept_signer.toggled.connect(self._update)
        self.combos: dict[str, QComboBox] = {}
        self._fill()
        self.retranslate()
        self._update()

    # ------------------------------------------------------------ conflicts

    def _where(self, c) -> str:
        prog = self.session.program
        if c.kind == "evidence":
            ind = prog.indicator(c.path.split("/#", 1)[0])
            return self.tr("{indicator} evidence “{name}”").format(indicator=ind.id if ind else "", name=c.path.split("/#", 1)[1])
        f = prog.field(c.path)
        name = f"{f.indicator_id} {f.label.get(lang())}" if f else c.path
        if c.kind == "cell":
            col = f.column(c.column) if f else None
            return self.tr("{field}, row “{row}”, {column}").format(
                field=name, row=self._row_name(c), column=col.label.get(lang()) if col else c.column)
        if c.kind == "row":
            what = self.tr("deleted by you, changed by the partner") if c.detail == "deleted_by_lead" else \
                self.tr("changed by you, deleted by the partner")
            return self.tr("{field}, row “{row}” ({what})").format(field=name, row=self._row_name(c), what=what)
        return name

    @staticmethod
    def _row_name(c) -> str:
        for side in (c.lead, c.partner, c.base):
            if isinstance(side, dict):
                for v in side.values():
                    if isinstance(v, str) and v.strip():
                        return v[:40]
        return c.row or ""

    def _render(self, c, value) -> str:
        """A value as the user knows it: a row as "Column: value; …", a deleted row as "(deleted)"."""
        if c.kind == "row":
            if value is None:
                return self.tr("(deleted)")
            f = self.session.program.field(c.path)
            parts = []
            for k, v in value.items():
                col = f.column(k) if f else None
                parts.append(f"{col.label.get(lang()) if col else k}: {_text(v)}")
            return "; ".join(parts)
        if c.kind == "evidence" and isinstance(value, dict):
            return value.get("note") or self.tr("(no note)")
        return _text(value)

    def _fill(self) -> None:
        cs = self.plan.conflicts
        self.table.setRowCount(len(cs))
        for n, c in enumerate(cs):
            vals = {COL_FIELD: self._where(c), COL_BASE: self._render(c, c.base), COL_OURS: self._render(c, c.lead),
                    COL_THEIRS: self._render(c, c.partner)}
            for col, text in vals.items():
                it = QTableWidgetItem(text)
                it.setToolTip(text)
                it.setData(Qt.ItemDataRole.UserRole, c.key)
                self.table.setItem(n, col, it)
            combo = QComboBox(self.table)
            combo.addItem("", LEAD)
            combo.addItem("", PARTNER)
            combo.currentIndexChanged.connect(lambda _i, row=n: self._paint(row))
            self.table.setCellWidget(n, COL_USE, combo)
            self.combos[c.key] = combo
            self._paint(n)
        self.table.resizeRowsToContents()

    def _cell_clicked(self, row: int, col: int) -> None:
        key = self.table.item(row, COL_FIELD).data(Qt.ItemDataRole.UserRole)
        if col == COL_OURS:
            self.choose(key, LEAD)
        elif col == COL_THEIRS:
            self.choose(key, PARTNER)

    def choose(self, key: str, side: str) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(combo.findData(side))

    def set_all(self, side: str) -> None:
        for key in self.combos:
            self.choose(key, side)

    def choices(self) -> dict[str, str]:
        return {k: c.currentData() for k, c in self.combos.items()}

    def _paint(self, row: int) -> None:
        key = self.table.item(row, COL_FIELD).data(Qt.ItemDataRole.UserRole)
        side = self.combos[key].currentData() if key in self.combos else LEAD
        for col, who in ((COL_OURS, LEAD), (COL_THEIRS, PARTNER)):
            it = self.table.item(row, col)
            it.setBackground(QBrush(CHOSEN) if side == who else QBrush())

    def _update(self) -> None:
        ok = (not self.plan.out_of_scope or self.skip_oos.isChecked()) and \
             (not self.plan.signer_mismatch or self.accept_signer.isChecked())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    # ------------------------------------------------------------ language

    def retranslate(self) -> None:
        p = self.plan
        s = p.summary()
        self.setWindowTitle(self.tr("Merge the part returned by {partner}").format(partner=p.partner))
        self.summary.setText(self.tr(
            "Return of {partner}, made {date}. {taken} fields to take from the partner, {tables} tables merged row by "
            "row, {kept} kept as you changed them, {conflicts} conflicts; evidence: {added} to add, {removed} to remove.")
            .format(partner=p.partner, date=p.made_at.replace("T", " ").rstrip("Z"), taken=s["fields_taken"],
                    tables=s["tables_merged"], kept=s["kept"], conflicts=s["conflicts"], added=s["evidence_added"],
                    removed=s["evidence_removed"]))
        self.message_label.setText(self.tr("The partner's note: {message}").format(message=p.message))
        w = [zh if lang() == "zh" else en for en, zh in p.warnings]
        self.warnings.setText("\n".join(w))
        self.warnings.setVisible(bool(w))
        self.conflict_caption.setText(
            self.tr("Changed on both sides — choose per field which value to keep:") if p.conflicts
            else self.tr("No conflicts: nothing was changed on both sides."))
        self.table.setVisible(bool(p.conflicts))
        self.take_all.setVisible(bool(p.conflicts))
        self.keep_all.setVisible(bool(p.conflicts))
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Base (when shared)"), self.tr("Ours (this project)"),
                                              self.tr("Theirs (the partner)"), self.tr("Use")])
        for combo in self.combos.values():
            combo.setItemText(0, self.tr("Keep ours"))
            combo.setItemText(1, self.tr("Take theirs"))
        self.take_all.setText(self.tr("Take all of theirs"))
        self.keep_all.setText(self.tr("Keep all of ours"))
        self.oos_caption.setText(self.tr("The return also changes things that were not assigned to the partner. "
                                         "They are never merged:"))
        self.oos_list.clear()
        for o in p.out_of_scope:
            self.oos_list.addItem(o.path)
        self.skip_oos.setText(self.tr("Merge the rest without them"))
        self.accept_signer.setText(self.tr("I checked the signer with the partner: merge anyway"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Merge"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
