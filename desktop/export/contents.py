"""The PDF's table of contents (目录), laid out in one pass.

ReportLab's TableOfContents needs the page of every heading before it can draw itself, so a
document with one is built twice (multiBuild), each entry a ReportLab Paragraph parsed from markup
on every pass. Here each entry is a `ContentsEntry`: its title is a TextBlock (the document's own
line breaking), its height does not depend on the page number (the number sits in a fixed column
at the right), so the pagination of the first and only pass is final. The page number is the one
thing not known while the entry is drawn — its heading comes later in the story — so the entry
records where its number goes, and the document's canvas draws the numbers when it saves, with
the page footers (desktop/export/pdf.py: NumberedCanvas), when every heading has its page.

Issue #17/#10: the second layout pass was a third of the time of every export's and every
re-render check's PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from .text import para
from .textblock import emit_text, plain_width

NUMBER_W = 11 * mm  # the page-number column
GAP = 3 * mm  # between the title and its number column


@dataclass(frozen=True)
class PendingNumber:
    page: int  # the canvas page the entry is on (1-based)
    x_right: float  # right edge of the number, page coordinates
    baseline: float
    key: str  # the heading's bookmark key: its page is known once the document is laid out
    font: str
    size: float
    color: object


class ContentsEntry(Flowable):
    """One entry: title (wrapping onto more lines when long), dot leaders, the page number at the
    right, and a link to the heading. `pending`: the document's list the entry adds its number to."""

    def __init__(self, level: int, title: str, key: str, style: ParagraphStyle, number_font: str,
                 pending: list[PendingNumber]):
        super().__init__()
        self.level, self.key = level, key
        self.block = para(title, style, bold=level == 0)
        self.style = style
        self.number_font = number_font
        self.pending = pending
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._at = (0.0, 0.0)

    def wrap(self, aw, ah):
        _w, h = self.block.wrap(max(aw - NUMBER_W - GAP, 1.0), ah)
        self.width, self.height = aw, h
        return aw, h

    def split(self, aw, ah):
        return []  # an entry moves to the next page whole

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - ReportLab's name
        self._at = (x, y)  # the frame places top-level flowables in page coordinates
        super().drawOn(canvas, x, y, _sW)

    def draw(self):
        c = self.canv
        blk = self.block
        blk.drawOn(c, 0, 0)
        size = self.style.fontSize
        leading = blk.leading
        n = max(len(blk._lines), 1)
        baseline = self.height - (leading - size) / 2 - size * 0.88 - (n - 1) * leading
        end = blk.last_line_end()
        dots_from, dots_to = end + 1.5 * mm, self.width - NUMBER_W + 1 * mm
        if dots_to > dots_from:
            c.saveState()
            c.setStrokeColor(self.style.textColor)
            c.setLineCap(1)  # round dots
            c.setLineWidth(1.1 if self.level == 0 else 0.8)
            c.setDash([0, 3.2 if self.level == 0 else 2.8])
            c.line(dots_from, baseline + 0.9, dots_to, baseline + 0.9)
            c.restoreState()
        c.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)
        x, y = self._at
        self.pending.append(PendingNumber(c.getPageNumber(), x + self.width, y + baseline, self.key, self.number_font,
                                          size, self.style.textColor))


def draw_numbers(canv, page: int, pending: list[PendingNumber], pages: dict[str, int]) -> None:
    """Draw the page numbers of the entries on canvas page `page` (the canvas's page being saved)."""
    for p in pending:
        if p.page != page or p.key not in pages:
            continue
        s = str(pages[p.key])
        canv.saveState()
        canv.setFillColor(p.color)
        emit_text(canv, p.x_right - plain_width(s, p.font, p.size), p.baseline, s, p.font, p.size)
        canv.restoreState()
