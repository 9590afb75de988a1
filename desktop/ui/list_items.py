"""Items of several lines in lists (the start window's programs and recent projects): a bold first
line and grey lines under it, each elided to the width it gets — the end of a long title, the
middle of a long folder path — never a line silently cut off by the row's height. The full text
is the item's tooltip.

The lines are stored in LINES_ROLE (a list of str); DisplayRole holds them joined for
accessibility and keyboard search."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

LINES_ROLE = Qt.ItemDataRole.UserRole + 40
MUTED_ROLE = Qt.ItemDataRole.UserRole + 41  # True: the item is greyed (a recent file that is gone)
PAD = 6


class LinesDelegate(QStyledItemDelegate):
    def __init__(self, parent=None, *, middle_elide_last: bool = False):
        super().__init__(parent)
        self.middle_elide_last = middle_elide_last  # the last line is a path: keep its start and its end

    def _fonts(self, option) -> tuple[QFont, QFont]:
        first = QFont(option.font)
        first.setWeight(QFont.Weight.DemiBold)
        rest = QFont(option.font)
        rest.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.92))
        return first, rest

    def sizeHint(self, option, index):  # noqa: N802 - Qt API
        lines = index.data(LINES_ROLE) or [index.data(Qt.ItemDataRole.DisplayRole) or ""]
        first, rest = self._fonts(option)
        from PySide6.QtGui import QFontMetrics

        h = QFontMetrics(first).lineSpacing() + QFontMetrics(rest).lineSpacing() * (len(lines) - 1)
        return QSize(200, h + 2 * PAD)

    def paint(self, painter, option, index):  # noqa: N802 - Qt API
        lines = index.data(LINES_ROLE) or [index.data(Qt.ItemDataRole.DisplayRole) or ""]
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text_backup = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text_backup
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        main = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = main if selected else QColor("#5f6368")
        if index.data(MUTED_ROLE):
            main = muted = QColor("#9aa0a6") if not selected else main
        first, rest = self._fonts(option)
        r = option.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        y = r.top()
        painter.save()
        for n, line in enumerate(lines):
            font = first if n == 0 else rest
            painter.setFont(font)
            painter.setPen(main if n == 0 else muted)
            fm = painter.fontMetrics()
            mode = Qt.TextElideMode.ElideMiddle if (self.middle_elide_last and n == len(lines) - 1 and n) \
                else Qt.TextElideMode.ElideRight
            shown = fm.elidedText(line, mode, r.width())
            painter.drawText(QRect(r.left(), y, r.width(), fm.lineSpacing()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
            y += fm.lineSpacing()
        painter.restore()
