"""Flowables drawn at their absolute position.

ReportLab's `Flowable.drawOn` saves the graphics state, translates to the flowable's corner,
draws, and restores: one `q 1 0 0 1 x y cm … Q` and two copies of the canvas state per flowable.
A submission PDF draws about a thousand text blocks and a hundred tables, most blocks inside
table cells, so the desk's re-render checks spent a tenth of their time there (issue #10). A
`DrawnInPlace` flowable is handed its position instead and writes its operators there.
"""

from __future__ import annotations

from reportlab.platypus.flowables import Flowable


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
