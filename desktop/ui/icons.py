"""Small icons drawn with QPainter (no image files, no emoji: a glyph such as "📅" is an empty box
wherever no emoji font is installed). Drawn at 2× and cached, so they stay sharp at 125 %/150 %."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

_CACHE: dict[str, QIcon] = {}
INK = QColor("#1a3d6d")


def _canvas(size: int = 32) -> tuple[QPixmap, QPainter]:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pm, p


def calendar_icon() -> QIcon:
    """A wall calendar: two rings, a coloured header, a grid of days."""
    if "calendar" in _CACHE:
        return _CACHE["calendar"]
    pm, p = _canvas()
    p.setPen(QPen(INK, 2))
    p.setBrush(QColor("white"))
    p.drawRoundedRect(QRectF(4, 6, 24, 22), 3, 3)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#c5221f"))
    p.drawRect(QRectF(5, 7, 22, 6))
    p.setBrush(INK)
    for x in (10, 22):
        p.drawRoundedRect(QRectF(x - 1.5, 3, 3, 7), 1.5, 1.5)
    for row in range(3):
        for col in range(4):
            p.drawRect(QRectF(8 + col * 4.6, 16 + row * 3.8, 2.6, 2.4))
    p.end()
    _CACHE["calendar"] = QIcon(pm)
    return _CACHE["calendar"]
