"""The banner a partner sees on a hand-off file: who shared it, when, what is assigned, how to
return it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from ..i18n import lang


class PartnerBanner(QFrame):
    returnRequested = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("handoffBanner")
        self.setStyleSheet("QFrame#handoffBanner { background: #e8f0fe; border-bottom: 1px solid #aecbfa; }")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.returnRequested)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.button)
        self.retranslate()

    def assigned_text(self) -> str:
        m = self.session.handoff
        prog = self.session.program
        names = [f"{i} {prog.indicator(i).title.get(lang())}" for i in m.scope.indicators]
        names += [f"{prog.field(p).indicator_id} {prog.field(p).label.get(lang())}" for p in m.scope.fields]
        return "; ".join(names)

    def retranslate(self) -> None:
        m = self.session.handoff
        date = m.created_at[:10]
        self.text.setText(self.tr(
            "Shared by {lead} on {date} for {partner}. You fill in: {assigned}. Everything else is the lead's "
            "(shown read-only or hidden). When you are done, use “Return to lead…” and send the return file back.")
            .format(lead=m.source_applicant or self.tr("the lead"), date=date, partner=m.partner,
                    assigned=self.assigned_text()))
        self.button.setText(self.tr("Return to lead…"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
