"""The table field editor: a QTableView over TableModel with typed cell editors (delegate), add /
remove / move rows, paste rows from a spreadsheet (tab-separated, Excel/WPS quoting understood),
copy cells. Every change is one core transaction and one undo step.

Keys inside the table, as in Excel/WPS: arrows move, typing replaces the cell, F2 edits it, Enter
confirms and moves down (Shift+Enter up), Tab / Shift+Tab confirm and move right / left (to the
next row at the end of one), Delete clears the selected cells, Ctrl+Enter adds a row (and goes to
it), Ctrl+Delete removes the selected rows, Alt+↑/↓ moves a row, Ctrl+V pastes, Ctrl+C copies.
Ctrl+Tab / Ctrl+Shift+Tab leave the table (to the row buttons / the field before).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
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
from .table_model import TableModel, reason_text
from .text_limits import LengthLimit

_WIDTHS = {"text": 200, "longtext": 300, "integer": 90, "number": 100, "percent": 80, "date": 110, "choice": 150,
           "boolean": 70}
MIN_VISIBLE_ROWS = 5  # an empty table still looks like a table to fill in
HEADER_LINES = 4  # column titles wrap up to this many lines (then elide; the tooltip has them whole)


class WrappingHeader(QHeaderView):
    """Column titles that wrap onto several lines instead of being cut ("ocational t")."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        self.sectionResized.connect(lambda *_a: self._refresh())

    def _refresh(self) -> None:
        m = self.model()
        if m is not None and m.columnCount():
            self.headerDataChanged(Qt.Orientation.Horizontal, 0, m.columnCount() - 1)  # recompute the height

    def sectionSizeFromContents(self, logical):  # noqa: N802 - Qt API
        size = super().sectionSizeFromContents(logical)
        m = self.model()
        if m is None:
            return size
        text = str(m.headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        fm = self.fontMetrics()
        width = max(24, self.sectionSize(logical) - 12)
        r = fm.boundingRect(QRect(0, 0, width, fm.lineSpacing() * HEADER_LINES),
                            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter), text)
        size.setHeight(max(size.height(), min(r.height(), fm.lineSpacing() * HEADER_LINES) + 10))
        return size


class SpreadsheetView(QTableView):
    """A QTableView that moves like a spreadsheet: Tab and Enter confirm and move on WITHOUT opening
    the next cell's editor (typing there replaces it, F2 edits it); Ctrl+Tab leaves the table."""

    def closeEditor(self, editor, hint):  # noqa: N802 - Qt API
        H = QAbstractItemDelegate.EndEditHint
        if hint in (H.EditNextItem, H.EditPreviousItem):
            super().closeEditor(editor, H.NoHint)
            self.step(QAbstractItemView.CursorAction.MoveNext if hint == H.EditNextItem
                      else QAbstractItemView.CursorAction.MovePrevious)
        elif hint == H.SubmitModelCache:  # Enter in the editor: confirmed, one row down
            super().closeEditor(editor, H.NoHint)
            self.step(QAbstractItemView.CursorAction.MoveDown)
        else:
            super().closeEditor(editor, hint)

    def step(self, action) -> None:
        idx = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if idx.isValid():
            self.setCurrentIndex(idx)

    def leave(self, forward: bool) -> None:
        """Focus the next (previous) widget outside the table."""
        w = self.nextInFocusChain() if forward else self.previousInFocusChain()
        seen = 0
        while w is not None and w is not self and seen < 500:
            if (w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.isVisible() and w.isEnabled() \
                    and not self.isAncestorOf(w):
                w.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return
            w = w.nextInFocusChain() if forward else w.previousInFocusChain()
            seen += 1

    def keyPressEvent(self, ev):  # noqa: N802
        key, mods = ev.key(), ev.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and ctrl:
            self.leave(forward=key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not ctrl and self.state() != QAbstractItemView.State.EditingState:
            up = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            self.step(QAbstractItemView.CursorAction.MoveUp if up else QAbstractItemView.CursorAction.MoveDown)
            return
        super().keyPressEvent(ev)

    def event(self, ev):  # Ctrl+Tab arrives as a shortcut override in some styles: claim it
        if ev.type() == QEvent.Type.ShortcutOverride and ev.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
                and ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            ev.accept()
            return True
        return super().event(ev)


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
        if col.max_length:  # enforced, but never silently: a cut paste is reported under the table
            limit = LengthLimit(w, col.max_length)
            model, row = index.model(), index.row()
            limit.cut.connect(lambda lost, n, col=col: model.refused.emit(self.cut_message(row, col, lost, n)))
            w.setPlaceholderText(self.tr("at most {n} characters").format(n=col.max_length))
        w.setAccessibleName(col.label.get(lang()))
        route_undo_to_window(w)
        return w

    def cut_message(self, row: int, col: Column, lost: int, limit: int) -> str:
        return self.tr("Row {row}, “{col}”: only {limit} characters fit; %n character(s) at the end of the paste "
                       "were not kept.", "", lost).format(row=row + 1, col=col.label.get(lang()), limit=limit)

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
        self.view = SpreadsheetView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(CellDelegate(self.view))
        self.view.setTabKeyNavigation(True)  # Tab moves between cells; Ctrl+Tab leaves
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setAlternatingRowColors(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.setHorizontalHeader(WrappingHeader(self.view))
        hh = self.view.horizontalHeader()
        hh.setSectionsClickable(True)
        hh.setHighlightSections(True)
        hh.setStretchLastSection(True)
        fm = hh.fontMetrics()
        for n, col in enumerate(field.columns):  # wide enough for the title in at most three lines
            title = str(self.model.headerData(n, Qt.Orientation.Horizontal) or "")
            hh.resizeSection(n, min(320, max(_WIDTHS.get(col.type, 150), fm.horizontalAdvance(title) // 3 + 24)))
        hh.sectionResized.connect(lambda *_a: QTimer.singleShot(0, self.fit_height))  # wrapped titles: taller
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
        # cells a rule names are highlighted; the report changes inside a commit, before the model
        # shows the new rows, so the highlighting follows a moment later
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.setInterval(0)
        self._problems_timer.timeout.connect(self.show_problems)
        session.reportChanged.connect(self._problems_timer.start)
        self.retranslate()
        self.load()
        self.show_problems()

    def show_problems(self) -> None:
        st = self.session.report.indicators.get(self.field.indicator_id)
        self.model.set_problems([p for p in (st.problems if st else []) if p.path == self.path and p.rows])

    # ------------------------------------------------------------ FieldEditor

    def _commit_rows(self, rows: list[dict]) -> list[dict] | None:
        self._committing = True  # the model shows the stored rows itself: no reset from sync_from_session
        try:
            self.session.edit(self.path, rows)  # raises ValueProblem / ProjectError with the reason
        finally:
            self._committing = False
        return self.session.value(self.path)

    def value(self) -> Any:
        return self.model.rows

    def set_value(self, v: Any) -> None:
        self.model.set_rows(v)

    def sync_from_session(self) -> None:
        if getattr(self, "_committing", False):
            return  # our own commit (a reset here would close the editor and lose the current cell)
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
        self.fit_height()

    def fit_height(self) -> None:
        """Show every row, up to the height of the form's visible area: a long table then scrolls
        itself with its column titles in view, never a table scrolling inside the scrolling form
        while its titles scroll away. At least MIN_VISIBLE_ROWS rows (an empty table too)."""
        n = len(self.model.rows)
        rh = self.view.verticalHeader().defaultSectionSize()
        head = self.view.horizontalHeader().sizeHint().height()
        chrome = 2 * self.view.frameWidth() + self.view.horizontalScrollBar().sizeHint().height() + head
        room = self._form_room()
        fit = max(MIN_VISIBLE_ROWS, (room - chrome) // rh) if room else 12
        shown = max(MIN_VISIBLE_ROWS, min(n + 1, fit))
        h = chrome + rh * shown
        if self.view.height() != h or self.view.minimumHeight() != h:
            self.view.setFixedHeight(h)

    def _form_room(self) -> int:
        """Height of the scrolling form's visible area, less room for the label and the row buttons."""
        from PySide6.QtWidgets import QScrollArea

        w = self.parentWidget()
        while w is not None and not isinstance(w, QScrollArea):
            w = w.parentWidget()
        if w is None:
            return 0
        return w.viewport().height() - self.add_btn.sizeHint().height() - 3 * self.fontMetrics().lineSpacing() - 24

    # ------------------------------------------------------------ row operations

    def _current_row(self) -> int:
        idx = self.view.currentIndex()
        return idx.row() if idx.isValid() else -1

    def add_row(self) -> None:
        r = self._current_row()
        at = r + 1 if r >= 0 else len(self.model.rows)
        if self.model.insert_row(at):
            idx = self.model.index(at, 0)  # the new row's first cell, ready for typing
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

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
                    problems.append(self.tr("row {r}, “{col}”: {msg}").format(
                        r=r + 1, col=col.label.get(lang()), msg=reason_text(e)))
                    continue
                if v is None:
                    row.pop(col.id, None)
                else:
                    row[col.id] = v
            new[r] = row
        if problems:
            more = len(problems) - 5
            msg = self.tr("Nothing was pasted:") + " " + self.tr("; ").join(problems[:5])
            if more > 0:
                msg += " " + self.tr("(and %n more)", "", more)
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
