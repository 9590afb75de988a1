"""Navigation: sections → indicators, each with its status, and the overall completeness bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHeaderView, QLabel, QProgressBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .i18n import lang

STATUS_COLORS = {
    "complete": QColor("#1e8e3e"),
    "problems": QColor("#e37400"),
    "empty": QColor("#9aa0a6"),
    "hidden": QColor("#dadce0"),
}
_ICONS: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """Small drawn icons (no image files): ✓ complete, ! problems, ○ empty, – not applicable."""
    if status in _ICONS:
        return _ICONS[status]
    pm = QPixmap(32, 32)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = STATUS_COLORS[status]
    if status == "empty":
        p.setPen(QPen(c, 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(5, 5, 22, 22)
    elif status == "hidden":
        p.setPen(QPen(c, 4))
        p.drawLine(8, 16, 24, 16)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(c))
        p.drawEllipse(3, 3, 26, 26)
        p.setPen(QPen(Qt.GlobalColor.white, 3.5))
        if status == "complete":
            p.drawPolyline([_pt(9, 16), _pt(14, 21), _pt(23, 11)])
        else:
            p.drawLine(16, 8, 16, 18)
            p.drawPoint(16, 23)
    p.end()
    _ICONS[status] = QIcon(pm)
    return _ICONS[status]


def _pt(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


class NavTree(QWidget):
    indicatorSelected = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.caption = QLabel(self)
        self.caption.setObjectName("hint")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(16, 16))
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)  # cut titles end in "…" (full text: tooltip)
        # titles take the width (never a horizontal scroll that shows "ocational t"); a section's
        # done/total count has its own column, so eliding the title never hides it
        self.tree.setColumnCount(2)
        hh = self.tree.header()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.caption)
        lay.addWidget(self.bar)
        lay.addWidget(self.tree, 1)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.section_items: dict[str, QTreeWidgetItem] = {}
        for sec in session.program.sections:
            si = QTreeWidgetItem(self.tree)
            si.setData(0, Qt.ItemDataRole.UserRole, None)
            si.setFlags(Qt.ItemFlag.ItemIsEnabled)
            f = si.font(0)
            f.setBold(True)
            si.setFont(0, f)
            self.section_items[sec.id] = si
            for ind in sec.indicators:
                it = QTreeWidgetItem(si)
                it.setData(0, Qt.ItemDataRole.UserRole, ind.id)
                self.items[ind.id] = it
        for sid, si in self.section_items.items():  # a partner's hand-off shows only its part
            for n in range(si.childCount()):
                it = si.child(n)
                it.setHidden(not session.shown(it.data(0, Qt.ItemDataRole.UserRole)))
            si.setHidden(all(si.child(n).isHidden() for n in range(si.childCount())))
        self.tree.expandAll()
        self.tree.currentItemChanged.connect(self._current_changed)
        session.reportChanged.connect(self.update_report)
        self.retranslate()
        self.update_report()

    def _current_changed(self, cur: QTreeWidgetItem | None, _prev) -> None:
        if cur is None:
            return
        iid = cur.data(0, Qt.ItemDataRole.UserRole)
        if iid:
            self.indicatorSelected.emit(iid)

    def select(self, iid: str) -> None:
        it = self.items.get(iid)
        if it is not None and self.tree.currentItem() is not it:
            self.tree.setCurrentItem(it)

    def current(self) -> str | None:
        it = self.tree.currentItem()
        return it.data(0, Qt.ItemDataRole.UserRole) if it else None

    def indicator_ids(self) -> list[str]:
        return [i for i, it in self.items.items() if not it.isHidden()]

    def _status_text(self, status: str) -> str:
        return {
            "complete": self.tr("complete"),
            "problems": self.tr("has problems"),
            "empty": self.tr("not started"),
            "hidden": self.tr("does not apply"),
        }[status]

    def update_report(self) -> None:
        share = self.session.completeness()  # a partner's hand-off file: of the assigned part
        self.bar.setValue(int(round(share * 1000)))
        pct = int(share * 100)
        if self.session.handoff is not None:
            self.bar.setFormat(self.tr("{pct}% of your part complete").format(pct=pct))
        else:
            self.bar.setFormat(self.tr("{pct}% complete").format(pct=pct))
        self.bar.setAccessibleName(self.tr("Completeness: {pct}%").format(pct=pct))
        for iid, it in self.items.items():
            status = self.session.indicator_status(iid)  # a partner's: of its part
            if it.data(0, Qt.ItemDataRole.UserRole + 1) == status:
                continue
            it.setData(0, Qt.ItemDataRole.UserRole + 1, status)
            it.setIcon(0, status_icon(status))
            it.setForeground(0, QBrush(QColor("#9aa0a6")) if status == "hidden" else QBrush())
            self._set_tips(it, iid, status)
        for sid, si in self.section_items.items():
            sec = next(s for s in self.session.program.sections if s.id == sid)
            done, total = self.session.section_counts(sec)
            title = f"{sec.id} {sec.title.get(lang())}"
            si.setText(0, title)
            si.setText(1, f"{done}/{total}")
            si.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = self.tr("{title}: {done} of {total} required answers given").format(title=title, done=done, total=total)
            si.setToolTip(0, tip)
            si.setToolTip(1, tip)
            si.setData(0, Qt.ItemDataRole.AccessibleTextRole, tip)

    def _set_tips(self, it: QTreeWidgetItem, iid: str, status: str) -> None:
        ind = self.session.program.indicator(iid)
        text = f"{ind.id} {ind.title.get(lang())}"
        it.setText(0, text)
        it.setToolTip(0, f"{text} — {self._status_text(status)}")
        it.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{text}, {self._status_text(status)}")

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Sections and indicators"))
        self.tree.setAccessibleName(self.tr("Sections and indicators"))
        for iid, it in self.items.items():
            st = it.data(0, Qt.ItemDataRole.UserRole + 1) or "empty"
            self._set_tips(it, iid, st)
        self.update_report()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
