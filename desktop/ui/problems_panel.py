"""Problems, live: every problem of the project (the bottom panel) or of one indicator (beside the
form). Activating a problem (click, Enter) asks the window to jump to its field or evidence slot."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .i18n import lang
from .nav_tree import status_icon


class ProblemsPanel(QWidget):
    problemActivated = Signal(str, str)  # indicator id, path ("" when none)
    countChanged = Signal(int, int)  # blocking, warnings

    def __init__(self, session, scope: str | None = None, parent=None, *, show_caption: bool = False):
        super().__init__(parent)
        self.session = session
        self.scope = scope  # None: the whole project
        self._all = scope is None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setObjectName("panelTitle")
        self.caption.setVisible(show_caption)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)  # one line each, elided; the full text is the tooltip
        self.tree.setColumnCount(3 if self._all else 1)
        self.tree.setHeaderHidden(not self._all)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.empty = QLabel(self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self.caption)
        lay.addWidget(self.tree)
        lay.addWidget(self.empty)
        session.reportChanged.connect(self.refresh)
        self.retranslate()

    def set_scope(self, iid: str | None) -> None:
        self.scope = iid
        self.refresh()

    def problems(self):
        rep = self.session.report
        if self._all:
            return [p for p in rep.problems if self.session.concerns(p)]  # a partner: only its part
        if self.scope is None:
            return []
        st = rep.indicators.get(self.scope)
        return [p for p in st.problems if self.session.concerns(p)] if st else []

    def refresh(self, force: bool = False) -> None:
        probs = self.problems()
        key = (lang(), tuple((p.code, p.severity, p.indicator_id, p.path, p.message) for p in probs))
        if key == getattr(self, "_shown", None) and not force:
            return
        self._shown = key
        self.tree.clear()
        L = lang()
        items = []
        for p in probs:
            it = QTreeWidgetItem()
            icon = status_icon("problems" if p.blocking else "empty")
            sev = self.tr("Blocking") if p.blocking else self.tr("Warning")
            if self._all:
                ind = self.session.program.indicator(p.indicator_id) if p.indicator_id else None
                it.setIcon(0, icon)
                it.setText(0, sev)
                it.setText(1, f"{ind.id} {ind.title.get(L)}" if ind else self.tr("Whole application"))
                it.setText(2, p.message.get(L))
                it.setToolTip(2, p.message.get(L))
            else:
                it.setIcon(0, icon)
                it.setText(0, p.message.get(L))
                it.setToolTip(0, f"{sev}: {p.message.get(L)}")
            if not p.blocking:
                for c in range(self.tree.columnCount()):
                    it.setForeground(c, QBrush(QColor("#7a5a00")))
            it.setData(0, Qt.ItemDataRole.UserRole, (p.indicator_id or "", p.path or ""))
            it.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{sev}: {p.message.get(L)}")
            items.append(it)
        self.tree.addTopLevelItems(items)
        blocking = sum(1 for p in probs if p.blocking)
        warnings = len(probs) - blocking
        self.empty.setVisible(not probs)
        self.tree.setVisible(bool(probs))
        self.countChanged.emit(blocking, warnings)

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        iid, path = item.data(0, Qt.ItemDataRole.UserRole)
        if iid or path:
            self.problemActivated.emit(iid, path)

    def retranslate(self) -> None:
        if self._all:
            self.tree.setHeaderLabels([self.tr("Severity"), self.tr("Indicator"), self.tr("Problem")])
            self.tree.setColumnWidth(0, 110)
            self.tree.setColumnWidth(1, 260)
            self.tree.setAccessibleName(self.tr("All problems of the application"))
            self.empty.setText(self.tr("No problems: everything required is filled in."))
        else:
            self.tree.setAccessibleName(self.tr("Problems of this indicator"))
            self.empty.setText(self.tr("No problems in this indicator."))
        self.caption.setText(self.tr("Problems"))
        self.refresh(force=True)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
