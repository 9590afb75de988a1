"""TableModel: the rows of one table field for a QTableView (model/view: no widget per cell).

The model never edits its rows in place: every change builds the new row list and hands it to
`commit` (the editor's: ProjectSession.edit → one core transaction, one undo step). Only when the
core accepted it does the model show it, so what you see is what is stored. Cells are typed:
`setData` checks a cell with the core's coerce_scalar and refuses a bad value with its reason.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ..errors import DossierError
from ..models.program import Column, Field
from ..values import coerce_scalar, display, is_answered
from .i18n import lang

_NUMERIC = ("integer", "number", "percent")


def reason_text(e: DossierError) -> str:
    """The refusal without the field's name (a cell or pasted value is already placed by row and
    column): the core's `reason` when it gives one."""
    reason = getattr(e, "reason", None)
    if reason:
        return reason[1] if lang() == "zh" else reason[0]
    return e.text(lang())
_EMPTY_REQUIRED = QColor(253, 236, 234)
_RULE_CELL = QColor(250, 210, 205)  # a cell a rule names (column and row)
_RULE_ROW = QColor(255, 243, 224)  # a row a rule names, no column given


class TableModel(QAbstractTableModel):
    refused = Signal(str)  # a cell value or row change the core refused, with its reason

    def __init__(self, field: Field, commit: Callable[[list[dict]], list[dict] | None], parent: QObject | None = None):
        super().__init__(parent)
        self.field = field
        self.columns: list[Column] = list(field.columns)
        self.rows: list[dict] = []
        self._commit = commit
        self.readonly = False
        self.cell_problems: dict[tuple[int, str | None], list[str]] = {}  # (row, column id or None) -> messages
        self._row_problems: dict[int, list[str]] = {}  # row -> messages (the row header's icon and tooltip)

    # ---------------------------------------------------------------- read

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def column(self, c: int) -> Column:
        return self.columns[c]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        v = self.rows[index.row()].get(col.id)
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            if col.type in _NUMERIC and v is not None:
                return f"{v}%" if col.type == "percent" else str(v)
            return display(col, v, lang())
        if role == Qt.ItemDataRole.EditRole:
            return v
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.type in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if (index.row(), col.id) in self.cell_problems:
                return _RULE_CELL
            if (index.row(), None) in self.cell_problems:
                return _RULE_ROW
            if col.required and not is_answered(v):
                return _EMPTY_REQUIRED
        if role == Qt.ItemDataRole.ToolTipRole:
            msgs = self.cell_problems.get((index.row(), col.id), []) + self.cell_problems.get((index.row(), None), [])
            tip = "\n".join(msgs)
            if col.type == "longtext" and v:
                tip = f"{v}\n\n{tip}" if tip else str(v)
            return tip or None
        return None

    def set_problems(self, problems) -> None:
        """Highlight the cells (or rows) the report's problems name (1-based `rows`, `column`)."""
        cells: dict[tuple[int, str | None], list[str]] = {}
        for p in problems:
            for r in p.rows or ():
                if 1 <= r <= len(self.rows):
                    cells.setdefault((r - 1, getattr(p, "column", None)), []).append(p.message.get(lang()))
        if cells == self.cell_problems:
            return
        self.cell_problems = cells
        by_row: dict[int, list[str]] = {}
        for (r, _c), msgs in cells.items():
            by_row.setdefault(r, []).extend(msgs)
        self._row_problems = by_row
        if self.rows and self.columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self.rows) - 1)

    def row_problems(self, row: int) -> list[str]:
        return self._row_problems.get(row, [])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole) and self.row_problems(section):
                if role == Qt.ItemDataRole.ToolTipRole:
                    return "\n".join(self.row_problems(section))
                from .nav_tree import status_icon

                return status_icon("problems")
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        col = self.columns[section]
        text = col.label.get(lang())
        if col.type in ("integer", "number") and col.unit:
            text += f" ({col.unit.get(lang())})"
        elif col.type == "percent":
            text += " (%)"
        if col.required:
            text += " *"
        if role == Qt.ItemDataRole.ToolTipRole and col.help:
            return col.help.get(lang())
        return text

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.readonly:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def retranslate(self) -> None:
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    # ---------------------------------------------------------------- changes

    def set_rows(self, rows: list[dict] | None) -> None:
        """Show what is stored (load, undo/redo)."""
        self.beginResetModel()
        self.rows = list(rows or [])
        self.endResetModel()

    def check_cell(self, col: Column, value: Any) -> Any:
        if isinstance(value, str) and col.type not in ("text", "longtext"):
            value = value.strip()
        return coerce_scalar(col, value)

    def _try(self, rows: list[dict]) -> list[dict] | None:
        try:
            stored = self._commit(rows)
        except DossierError as e:
            self.refused.emit(e.text(lang()))
            return None
        self.refused.emit("")
        return list(stored or [])

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.readonly:
            return False
        col = self.columns[index.column()]
        try:
            v = self.check_cell(col, value)
        except DossierError as e:
            self.refused.emit(self.tr("Row {n}, “{col}”: {msg}").format(n=index.row() + 1, col=col.label.get(lang()),
                                                                        msg=reason_text(e)))
            return False
        row = dict(self.rows[index.row()])
        if v is None:
            row.pop(col.id, None)
        else:
            row[col.id] = v
        if row == self.rows[index.row()]:
            return True
        new = list(self.rows)
        new[index.row()] = row
        stored = self._try(new)
        if stored is None:
            return False
        if len(stored) != len(self.rows):  # should not happen: reset to be safe
            self.set_rows(stored)
            return True
        self.rows = stored
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.columns) - 1))
        return True

    def set_cells(self, cells: list[tuple[int, int, Any]]) -> bool:
        """Several cells in one commit (clearing a selection). cells: (row, column, raw value)."""
        new = list(self.rows)
        for r, c, value in cells:
            col = self.columns[c]
            try:
                v = self.check_cell(col, value)
            except DossierError as e:
                self.refused.emit(self.tr("Row {n}, “{col}”: {msg}").format(n=r + 1, col=col.label.get(lang()),
                                                                            msg=reason_text(e)))
                return False
            row = dict(new[r])
            if v is None:
                row.pop(col.id, None)
            else:
                row[col.id] = v
            new[r] = row
        return self.replace_rows(new)

    def replace_rows(self, new: list[dict]) -> bool:
        stored = self._try(new)
        if stored is None:
            return False
        if len(stored) == len(self.rows) and self.rows:
            self.rows = stored
            self.dataChanged.emit(self.index(0, 0), self.index(len(stored) - 1, len(self.columns) - 1))
        else:
            self.set_rows(stored)
        return True

    def insert_row(self, at: int) -> bool:
        at = max(0, min(at, len(self.rows)))
        new = self.rows[:at] + [{}] + self.rows[at:]
        stored = self._try(new)
        if stored is None:
            return False
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows = stored
        self.endInsertRows()
        return True

    def remove_rows(self, which: list[int]) -> bool:
        which = sorted(set(r for r in which if 0 <= r < len(self.rows)))
        if not which:
            return False
        gone = set(which)
        new = [r for n, r in enumerate(self.rows) if n not in gone]
        stored = self._try(new)
        if stored is None:
            return False
        self.set_rows(stored)
        return True

    def move_row(self, src: int, dst: int) -> bool:
        if not (0 <= src < len(self.rows)) or not (0 <= dst < len(self.rows)) or src == dst:
            return False
        new = list(self.rows)
        row = new.pop(src)
        new.insert(dst, row)
        stored = self._try(new)
        if stored is None:
            return False
        self.beginMoveRows(QModelIndex(), src, src, QModelIndex(), dst + 1 if dst > src else dst)
        self.rows = stored
        self.endMoveRows()
        return True
