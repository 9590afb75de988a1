"""The official 观测点 text of the current indicator (Chinese is official; English is our rendering)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from .i18n import lang


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


class OfficialTextPanel(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.iid: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setObjectName("panelTitle")
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 2 + 12)
        lay.addWidget(self.caption)
        lay.addWidget(self.text)
        self.retranslate()

    def set_indicator(self, iid: str) -> None:
        self.iid = iid
        self._render()

    def _render(self) -> None:
        ind = self.session.program.indicator(self.iid) if self.iid else None
        if ind is None:
            self.text.clear()
            return
        parts = [f"<p style='font-size: 11pt'>{_esc(ind.official.zh)}</p>"]
        if lang() == "en" and ind.official.en and ind.official.en != ind.official.zh:
            parts.append(f"<p style='color:#5f6368'><i>{_esc(self.tr('English rendering (the Chinese text is official):'))}</i>"
                         f"<br>{_esc(ind.official.en)}</p>")
        if ind.observation_points and ind.observation_points > 1:
            parts.append(f"<p style='color:#5f6368'>{_esc(self.tr('Observation points: {n}').format(n=ind.observation_points))}</p>")
        sec = self.session.program.section_of(ind.id)
        if sec and sec.official:
            parts.append(f"<hr><p style='color:#5f6368'>{_esc(self.tr('Section:'))} {_esc(sec.official.get(lang()))}</p>")
        self.text.setHtml("".join(parts))

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Official text (观测点)"))
        self.text.setAccessibleName(self.tr("Official text of the indicator"))
        self._render()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
