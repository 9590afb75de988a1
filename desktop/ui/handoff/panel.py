"""File → Hand-offs…: the parts given out — to whom, since when, returned, merged."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...handoff import load_records


class HandoffsPanel(QWidget):
    shareRequested = Signal()
    mergeRequested = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(6)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.share_btn = QPushButton(self)
        self.merge_btn = QPushButton(self)
        self.share_btn.clicked.connect(self.shareRequested)
        self.merge_btn.clicked.connect(self.mergeRequested)
        row.addWidget(self.share_btn)
        row.addWidget(self.merge_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self.retranslate()

    def records(self):
        return load_records(self.session.project.conn)

    def refresh(self) -> None:
        self.tree.clear()
        states = {"outstanding": self.tr("outstanding"), "merged": self.tr("merged"), "superseded": self.tr("re-shared")}
        for r in self.records():
            it = QTreeWidgetItem(self.tree, [r.partner, r.scope.describe(), r.created_at.replace("T", " ").rstrip("Z"),
                                             states.get(r.state, r.state),
                                             (r.last_returned_at or "—").replace("T", " ").rstrip("Z"),
                                             (r.merged_at or "—").replace("T", " ").rstrip("Z")])
            it.setToolTip(1, r.scope.describe())
            it.setToolTip(0, r.id)
        self.caption.setText(self.tr("Parts of this project given to partners. You can keep editing everything while "
                                     "they are out; a return is merged field by field.") if self.tree.topLevelItemCount()
                             else self.tr("No part of this project has been shared yet."))

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Partner"), self.tr("Assigned"), self.tr("Shared on"), self.tr("State"),
                                   self.tr("Returned (made on)"), self.tr("Merged on")])
        self.share_btn.setText(self.tr("Share part with a partner…"))
        self.merge_btn.setText(self.tr("Merge returned part…"))
        self.refresh()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


class HandoffsDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("handoffsDialog")
        self.resize(860, 380)
        lay = QVBoxLayout(self)
        self.panel = HandoffsPanel(session, self)
        lay.addWidget(self.panel)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)
        self.setWindowTitle(self.tr("Hand-offs"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Hand-offs"))
        super().changeEvent(ev)
