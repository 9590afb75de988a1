"""Table models of the desk: the packages list and the comparison table.

Both keep their rows as plain Python data prepared once (texts, sort keys); `sort()` reorders an
index list with the core's typed keys (desktop.review.table), so sorting 500 rows is a list sort
plus one layout change, not thousands of data() calls through a proxy.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from ...review import STATE_LABELS, VERDICT_LABELS
from ...review.table import ComparisonTable
from ..i18n import lang

_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_HORIZONTAL = Qt.Orientation.Horizontal
_BRUSHES: dict[str, QBrush] = {}


def _brush(key: str) -> QBrush:
    if key not in _BRUSHES:
        _BRUSHES[key] = QBrush(QColor(VERDICT_COLORS.get(key, "#202124")))
    return _BRUSHES[key]


VERDICT_COLORS = {
    "intact": "#1e8e3e", "unsigned": "#b06000", "untrusted": "#b06000", "tampered": "#c5221f",
    "unreadable": "#c5221f", "duplicate": "#80868b", "superseded": "#80868b", "wrong_program": "#80868b",
    "awaiting_basis": "#b06000",
}
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_ICONS: dict[str, QIcon] = {}


def verdict_icon(key: str) -> QIcon:
    if key not in _ICONS:
        pm = QPixmap(28, 28)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(VERDICT_COLORS.get(key, "#80868b"))))
        if key in ("tampered", "unreadable"):
            p.drawRect(4, 4, 20, 20)  # a square: told apart without colour
        elif key in ("unsigned", "untrusted", "awaiting_basis"):
            from PySide6.QtCore import QPointF

            p.drawPolygon([QPointF(14, 3), QPointF(26, 25), QPointF(2, 25)])
        else:
            p.drawEllipse(3, 3, 22, 22)
        p.end()
        _ICONS[key] = QIcon(pm)
    return _ICONS[key]


class PackagesModel(QAbstractTableModel):
    """One row per package: ID, applicant, verdict, state, sealed at, signer, file."""

    HEADERS = 7

    def __init__(self, parent=None):
        super().__init__(parent)
        self.records: list = []
        self.verdicts: dict[int, object] = {}

    def set_packages(self, records, verdicts) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.verdicts = dict(verdicts)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else self.HEADERS

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._header(section)
        return None

    def _header(self, n: int) -> str:
        if n == 0:
            return QCoreApplication.translate("PackagesModel", "ID")
        if n == 1:
            return QCoreApplication.translate("PackagesModel", "Applicant")
        if n == 2:
            return QCoreApplication.translate("PackagesModel", "Verdict")
        if n == 3:
            return QCoreApplication.translate("PackagesModel", "State")
        if n == 4:
            return QCoreApplication.translate("PackagesModel", "Sealed at")
        if n == 5:
            return QCoreApplication.translate("PackagesModel", "Signed by")
        return QCoreApplication.translate("PackagesModel", "File")

    def record(self, row: int):
        return self.records[row]

    def row_of(self, pid: int) -> int:
        for i, r in enumerate(self.records):
            if r.id == pid:
                return i
        return -1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.records[index.row()]
        v = self.verdicts[r.id]
        col = index.column()
        L = lang()
        if role == ID_ROLE:
            return r.id
        if role == SORT_ROLE:  # numbers as numbers, verdicts and states by seriousness / order
            from ...review import STATES, VERDICTS

            if col == 0:
                return r.id
            if col == 2:
                return VERDICTS.index(v.key)
            if col == 3:
                return STATES.index(r.state)
            return self.data(index, Qt.ItemDataRole.DisplayRole) or ""
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(r.id)
            if col == 1:
                return r.applicant or r.source_name
            if col == 2:
                text = VERDICT_LABELS[v.key].get(L)
                target = r.duplicate_of or r.superseded_by
                return f"{text} → #{target}" if target else text
            if col == 3:
                return STATE_LABELS[r.state].get(L)
            if col == 4:
                return (r.sealed_at or "").replace("T", " ")[:16]
            if col == 5:
                return r.signer
            if col == 6:
                return r.source_name
        if role == Qt.ItemDataRole.DecorationRole and col == 2:
            return verdict_icon(v.key)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return QBrush(QColor(VERDICT_COLORS.get(v.key, "#202124")))
        if role == Qt.ItemDataRole.ToolTipRole:
            flags = ", ".join(VERDICT_LABELS[f].get(L) for f in v.flags) or VERDICT_LABELS["intact"].get(L)
            return f"{r.applicant or r.source_name}\n{flags}\n{r.source_path}"
        return None


class ComparisonModel(QAbstractTableModel):
    """The comparison table, sortable by any column (typed keys) and filterable by text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: ComparisonTable | None = None
        self.order: list[int] = []  # rows of `table` shown, in this order
        self._shown: list[list[str]] = []  # their texts, in that order
        self._align: list = []
        self._verdict_col = -1
        self._labels: list[str] = []
        self.filter_text = ""
        self.sort_col = -1
        self.sort_desc = False

    def set_table(self, table: ComparisonTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._recompute()
        self.endResetModel()

    def _recompute(self) -> None:
        t = self.table
        if t is None:
            self.order = []
            self._shown = []
            self._align = []
            self._verdict_col = -1
            self._labels = []
            return
        keep = t.matching(self.filter_text)
        if self.sort_col >= 0:
            allowed = set(keep)
            self.order = [i for i in t.sort_order(self.sort_col, self.sort_desc) if i in allowed]
        else:
            self.order = keep
        self._shown = [t.texts[i] for i in self.order]
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._align = [right if c.kind in ("int", "num", "percent") else None for c in t.columns]
        self._verdict_col = next((n for n, c in enumerate(t.columns) if c.kind == "verdict"), -1)
        self._labels = [c.label.get(lang()) for c in t.columns]

    def _relayout(self, change) -> None:
        """Re-order rows keeping selections and the current cell on the same packages."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        rows = [self.order[i.row()] if 0 <= i.row() < len(self.order) else None for i in old]
        change()
        self._recompute()
        where = {r: n for n, r in enumerate(self.order)}
        new = [self.index(where[r], i.column()) if r in where else QModelIndex() for r, i in zip(rows, old)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def set_filter(self, text: str) -> None:
        self._relayout(lambda: setattr(self, "filter_text", text))

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        def change():
            self.sort_col = column
            self.sort_desc = order == Qt.SortOrder.DescendingOrder

        self._relayout(change)

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        # asked a thousand times per sort (every section, several roles): precomputed, common case first
        if orientation == _HORIZONTAL and self.table is not None:
            if role == _DISPLAY:
                return self._labels[section]
            if role == _TOOLTIP:
                c = self.table.columns[section]
                return f"{c.label.zh}\n{c.label.en}"
        return None

    def package_id(self, row: int) -> int:
        return self.table.ids[self.order[row]]

    def data(self, index, role=_DISPLAY):
        # called a few thousand times per repaint: the common roles first, everything precomputed
        if role == _DISPLAY:
            return self._shown[index.row()][index.column()]
        if role == _ALIGN:
            return self._align[index.column()]
        if index.column() == self._verdict_col and (role == _DECORATION or role == _FOREGROUND):
            key = self.table.rows[self.order[index.row()]][self._verdict_col]
            return verdict_icon(key) if role == _DECORATION else _brush(key)
        if role == ID_ROLE:
            return self.table.ids[self.order[index.row()]]
        return None
