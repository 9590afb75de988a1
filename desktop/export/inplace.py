"""Flowables drawn at their absolute position.

ReportLab's `Flowable.drawOn` saves the graphics state, translates to the flowable's corner,
draws, and restores: one `q 1 0 0 1 x y cm … Q` and two copies of the canvas state per flowable.
A submission PDF draws about a thousand text blocks and a hundred tables, most blocks inside
table cells, so the desk's re-render checks spent a tenth of their time there (issue #10). A
`DrawnInPlace` flowable is handed its position instead and writes its operators there.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus.flowables import Flowable

_ops: dict[tuple[float, float, float, str], str] = {}


def rgb_operator(color: Any, op: str) -> str | None:
    """"r g b rg" (op "rg", fill) or "r g b RG" (stroke) for an opaque RGB colour, written as
    ReportLab writes it; None for anything else (CMYK, transparency, a name), which the caller
    leaves to ReportLab or refuses. The document uses DeviceRGB only (PDF/A)."""
    if type(color) is not Color or color.alpha != 1:  # CMYKColor is a subclass: not this type
        return None
    key = (color.red, color.green, color.blue, op)
    s = _ops.get(key)
    if s is None:
        from reportlab.lib.rl_accel import fp_str

        s = _ops[key] = f"{fp_str(key[:3])} {op}"
    return s


class DrawnInPlace(Flowable):
    """Subclasses implement `_draw_at(x, y)`: draw with the lower-left corner at (x, y)."""

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - ReportLab's name
        x = self._hAlignAdjust(x, _sW)
        self.canv = canvas
        try:
            self._draw_at(x, y)
        finally:
            del self.canv

    def draw(self):
        self._draw_at(0.0, 0.0)

    def _draw_at(self, x: float, y: float) -> None:
        raise NotImplementedError
