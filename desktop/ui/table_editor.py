"""The table field editor: a QTableView over TableModel with typed cell editors (delegate), add /
remove / move rows, paste rows from a spreadsheet (tab-separated, Excel/WPS quoting understood),
copy cells. Every change is one core transaction and one undo step.

Keys inside the table: arrows move, F2 or typing edits, Enter confirms, Delete clears the selected
cells, Ctrl+Enter adds a row, Ctrl+Delete removes the selected rows, Alt+↑/↓ moves a row,
Ctrl+V pastes, Ctrl+C copies. Tab leaves the table (the form stays keyboard-navigable).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

from ..errors import DossierError
from ..models.program import Column
from .field_base import FieldEditor, route_undo_to_window
from .i18n import lang
from .table_model import TableModel

_WIDTHS = {"text": 200, "longtext": 300, "integer": 90, "number": 100, "percent": 80, "date": 110, "choice": 150,
           "boolean": 70}
MAX_VISIBLE_ROWS = 12


class CellDelegate(QStyledItemDelegate):
    """Typed cell editors: choices and yes/no as drop-downs, numbers right-aligned, dates typed."""

    def _col(self, index: QModelIndex) -> Column:
        return index.model().column(index.column())

    def createEditor(self, parent, option, index):  # noqa: N802
        col = self._col(index)
        if col.type in ("choice", "boolean"):
            w = QComboBox(parent)
            w.addItem("", None)
            if col.type == "choice":
                for c in col.choices:
                    w.addItem(c.label.get(lang()), c.value)
            else:
                w.addItem(QGuiApplication.translate("TableEditor", "Yes"), True)
                w.addItem(QGuiApplication.translate("TableEditor", "No"), False)
            w.setAccessibleName(col.label.get(lang()))
            return w
        w = QLineEdit(parent)
        if col.type in ("integer", "number", "percent"):
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if col.type == "date":
            w.setPlaceholderText("YYYY-MM-DD")
        if col.max_length:
            w.setMaxLength(col.max_length)
        w.setAccessibleName(col.label.get(lang()))
        route_undo_to_window(w)
        return w

    def setEditorData(self, editor, index):  # noqa: N802
        v = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            i = editor.findData(v) if v is not None else 0
            editor.setCurrentIndex(max(0, i))
            return
        editor.setText("" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from clipboard text (Excel, WPS, LibreOffice: tab-separated, quoted cells)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    if '"' in text:
        rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))
    else:
        rows = [line.split("\t") for line in text.split("\n")]
    return [r for r in rows if any(c.strip() for c in r)]


class TableEditor(FieldEditor):
    def __init__(self, session, field, parent=None):
        super().__init__(session, field, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.model = TableModel(field, self._commit_rows, self)
        self.model.refused.connect(self.problem.emit)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(CellDelegate(self.view))
        self.view.setTabKeyNavigation(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setAlternatingRowColors(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        hh = self.view.horizontalHeader()
        hh.setStretchLastSection(True)
        for n, col in enumerate(field.columns):
            hh.resizeSection(n, _WIDTHS.get(col.type, 150))
        self.view.installEventFilter(self)
        self.watch(self.view)

        buttons = QHBoxLayout()
        self.add_btn = QPushButton(self)
        self.remove_btn = QPushButton(self)
        self.up_btn = QPushButton(self)
        self.down_btn = QPushButton(self)
        self.paste_btn = QPushButton(self)
        for b in (self.add_btn, self.remove_btn, self.up_btn, self.down_btn, self.paste_btn):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        buttons.addWidget(self.count)
        self.add_btn.clicked.connect(self.add_row)
        self.remove_btn.clicked.connect(self.remove_selected_rows)
        self.up_btn.clicked.connect(lambda: self.move_current(-1))
        self.down_btn.clicked.connect(lambda: self.move_current(+1))
        self.paste_btn.clicked.connect(self.paste)
        lay.addWidget(self.view)
        lay.addLayout(buttons)
        self.setFocusProxy(self.view)

        ctx = Qt.ShortcutContext.WidgetShortcut
        for seq, fn in ((QKeySequence.StandardKey.Paste, self.paste), (QKeySequence.StandardKey.Copy, self.copy),
                        ("Ctrl+Return", self.add_row), ("Ctrl+Enter", self.add_row),
                        ("Ctrl+Delete", self.remove_selected_rows),
                        ("Alt+Up", lambda: self.move_current(-1)), ("Alt+Down", lambda: self.move_current(+1))):
            sc = QShortcut(QKeySequence(seq), self.view)
            sc.setContext(ctx)
            sc.activated.connect(fn)
        self.model.modelReset.connect(self._rows_changed)
        self.model.rowsInserted.connect(self._rows_changed)
        self.model.rowsRemoved.connect(self._rows_changed)
        self.retranslate()
        self.load()

    # ------------------------------------------------------------ FieldEditor

    def _commit_rows(self, rows: list[dict]) -> list[dict] | None:
        self.session.edit(self.path, rows)  # raises ValueProblem / ProjectError with the reason
        return self.session.value(self.path)

    def value(self) -> Any:
        return self.model.rows

    def set_value(self, v: Any) -> None:
        self.model.set_rows(v)

    def sync_from_session(self) -> None:
        stored = self.session.value(self.path) or []
        if stored != self.model.rows:
            self.model.set_rows(stored)

    def focus_target(self):
        return self.view

    def tab_widgets(self):
        return [self.view, self.add_btn, self.remove_btn, self.up_btn, self.down_btn, self.paste_btn]

    def set_readonly(self, ro: bool) -> None:
        self.model.readonly = ro
        for b in (self.add_btn, self.remove_btn, self.up_btn, self.down_btn, self.paste_btn):
            b.setEnabled(not ro)

    def retranslate(self) -> None:
        self.add_btn.setText(self.tr("Add row"))
        self.add_btn.setToolTip(self.tr("Add a row below the current one (Ctrl+Enter)"))
        self.remove_btn.setText(self.tr("Remove rows"))
        self.remove_btn.setToolTip(self.tr("Remove the selected rows (Ctrl+Delete)"))
        self.up_btn.setText(self.tr("Move up"))
        self.up_btn.setToolTip(self.tr("Move the current row up (Alt+Up)"))
        self.down_btn.setText(self.tr("Move down"))
        self.down_btn.setToolTip(self.tr("Move the current row down (Alt+Down)"))
        self.paste_btn.setText(self.tr("Paste rows"))
        self.paste_btn.setToolTip(self.tr("Paste rows copied from Excel, WPS or LibreOffice (Ctrl+V)"))
        self.view.setAccessibleName(self.field.label.get(lang()))
        self.model.retranslate()
        self._rows_changed()

    def _rows_changed(self, *_a) -> None:
        n = len(self.model.rows)
        f = self.field
        text = self.tr("{n} rows").format(n=n)
        if f.min_rows:
            text += " · " + self.tr("at least {n}").format(n=f.min_rows)
        if f.max_rows:
            text += " · " + self.tr("at most {n}").format(n=f.max_rows)
        self.count.setText(text)
        rh = self.view.verticalHeader().defaultSectionSize()
        head = self.view.horizontalHeader().sizeHint().height()
        shown = max(3, min(n + 1, MAX_VISIBLE_ROWS))
        self.view.setFixedHeight(head + rh * shown + 2 * self.view.frameWidth() + self.view.horizontalScrollBar().sizeHint().height())

    # ------------------------------------------------------------ row operations

    def _current_row(self) -> int:
        idx = self.view.currentIndex()
        return idx.row() if idx.isValid() else -1

    def add_row(self) -> None:
        r = self._current_row()
        at = r + 1 if r >= 0 else len(self.model.rows)
        if self.model.insert_row(at):
            col = max(0, self.view.currentIndex().column())
            idx = self.model.index(at, col)
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self._current_row() >= 0:
            rows = {self._current_row()}
        return sorted(rows)

    def remove_selected_rows(self) -> None:
        rows = self.selected_rows()
        if rows and self.model.remove_rows(rows):
            n = min(rows[0], len(self.model.rows) - 1)
            if n >= 0:
                self.view.setCurrentIndex(self.model.index(n, 0))

    def move_current(self, delta: int) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return
        dst = idx.row() + delta
        if self.model.move_row(idx.row(), dst):
            self.view.setCurrentIndex(self.model.index(dst, idx.column()))

    def clear_selected_cells(self) -> None:
        cells = [(i.row(), i.column(), None) for i in self.view.selectionModel().selectedIndexes()]
        if cells:
            self.model.set_cells(cells)

    # ------------------------------------------------------------ clipboard

    def _header_row(self, cells: list[str], start_col: int) -> bool:
        labels = {(c.label.zh.strip(), c.label.en.strip().lower()) for c in self.model.columns}
        names = {x for pair in labels for x in pair} | {c.id for c in self.model.columns}
        hits = sum(1 for c in cells if c.strip().rstrip("*").strip() in names or c.strip().lower() in names)
        return hits >= max(1, len([c for c in cells if c.strip()]) // 2 + 1)

    def paste_text(self, text: str) -> bool:
        """Paste tab-separated rows at the current cell (overwriting, adding rows as needed), or
        after the last row when no cell is current. All or nothing: one bad cell refuses the paste."""
        if self.session.readonly:
            return False
        rows = parse_tsv(text)
        if not rows:
            return False
        idx = self.view.currentIndex()
        start_row = idx.row() if idx.isValid() else len(self.model.rows)
        start_col = idx.column() if idx.isValid() else 0
        if self._header_row(rows[0], start_col):
            rows = rows[1:]
        new = list(self.model.rows)
        problems = []
        for i, cells in enumerate(rows):
            r = start_row + i
            while r >= len(new):
                new.append({})
            row = dict(new[r])
            for j, raw in enumerate(cells):
                c = start_col + j
                if c >= len(self.model.columns):
                    break
                col = self.model.columns[c]
                try:
                    v = self.model.check_cell(col, raw)
                except DossierError as e:
                    problems.append(self.tr("Row {r}, “{col}”: {msg}").format(
                        r=r + 1, col=col.label.get(lang()), msg=e.text(lang())))
                    continue
                if v is None:
                    row.pop(col.id, None)
                else:
                    row[col.id] = v
            new[r] = row
        if problems:
            more = len(problems) - 5
            msg = self.tr("Nothing was pasted:") + " " + "; ".join(problems[:5])
            if more > 0:
                msg += " " + self.tr("(and {n} more)").format(n=more)
            self.problem.emit(msg)
            return False
        ok = self.model.replace_rows(new)
        if ok:
            self.view.setCurrentIndex(self.model.index(start_row, start_col))
        return ok

    def paste(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def copy(self) -> None:
        idxs = self.view.selectionModel().selectedIndexes()
        if not idxs:
            return
        rows = sorted({i.row() for i in idxs})
        cols = sorted({i.column() for i in idxs})
        out = io.StringIO()
        w = csv.writer(out, delimiter="\t", lineterminator="\n")
        for r in rows:
            w.writerow([self.model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "" for c in cols])
        QGuiApplication.clipboard().setText(out.getvalue())

    def eventFilter(self, obj, ev):  # noqa: N802
        if obj is self.view and ev.type() == QEvent.Type.KeyPress and self.view.state() != QAbstractItemView.State.EditingState:
            if ev.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and ev.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.clear_selected_cells()
                return True
        return super().eventFilter(obj, ev)
