"""Typography of the submission PDF: page geometry, type styles, colours, small flowables, tables.

申报书 conventions: a Song (宋体-like) body face, 黑体-like bold headings, everything in black;
grey only for secondary English lines and small print. Tables size their columns from their
content (the CSS "auto" table algorithm: each column gets at least its longest unbreakable word,
the rest is shared by how much more each column wants), so English headers never break letter
by letter.
"""

from __future__ import annotations

from typing import Any, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle

from ..fonts import HEAD_FONT, LATIN_FONT, SERIF_FONT, register_core_fonts
from .textblock import TextBlock

PAGE_W, PAGE_H = A4
ML = MR = 22 * mm
MT = 24 * mm
MB = 20 * mm
BODY_W = PAGE_W - ML - MR
FOOTER_Y = 10 * mm

INK = colors.HexColor("#000000")
GREY = colors.HexColor("#595959")
LIGHT = colors.HexColor("#F2F2F2")
RULE = colors.HexColor("#7F7F7F")
RED = colors.HexColor("#B42318")
SEAL = colors.HexColor("#404040")


def styles() -> dict[str, ParagraphStyle]:
    register_core_fonts()
    base = ParagraphStyle("base", fontName=SERIF_FONT, fontSize=10.5, leading=17, textColor=INK)
    s = {"base": base}

    def add(name, **kw):
        s[name] = ParagraphStyle(name, parent=base, **kw)

    add("body", alignment=TA_JUSTIFY)
    add("small", fontSize=8, leading=11.5, textColor=GREY)
    add("tiny", fontSize=7, leading=9.5, textColor=GREY)
    add("cell", fontSize=9, leading=13.5)
    add("cellhead", fontName=HEAD_FONT, fontSize=8.5, leading=12.5)
    add("hex", fontName=LATIN_FONT, fontSize=6.6, leading=8.6)
    add("label", fontName=HEAD_FONT, fontSize=9, leading=14, spaceBefore=2)
    add("en", fontSize=9, leading=13.5, textColor=GREY)
    add("h1", fontName=HEAD_FONT, fontSize=16, leading=24, spaceBefore=0, spaceAfter=4, keepWithNext=1)
    add("h1en", fontSize=10, leading=14, textColor=GREY, spaceAfter=8, keepWithNext=1)
    add("h2", fontName=HEAD_FONT, fontSize=12.5, leading=19, spaceBefore=10, spaceAfter=1, keepWithNext=1)
    add("h2en", fontSize=9, leading=13, textColor=GREY, spaceAfter=4, keepWithNext=1)
    add("h3", fontName=HEAD_FONT, fontSize=10.5, leading=16, spaceBefore=6, spaceAfter=2, keepWithNext=1)
    add("official", fontSize=10, leading=16.5, alignment=TA_JUSTIFY)
    add("officialen", fontSize=8.5, leading=12.5, textColor=GREY)
    add("title", fontName=HEAD_FONT, fontSize=22, leading=32, alignment=TA_CENTER)
    add("apply", fontName=HEAD_FONT, fontSize=30, leading=42, alignment=TA_CENTER)
    add("subtitle", fontSize=11, leading=16, alignment=TA_CENTER, textColor=GREY)
    add("center", alignment=TA_CENTER)
    add("right", alignment=TA_RIGHT)
    add("coverlabel", fontName=HEAD_FONT, fontSize=13, leading=20)
    add("covervalue", fontSize=13, leading=20)
    add("coveren", fontSize=8.5, leading=12, textColor=GREY)
    add("coverfoot", fontSize=12, leading=19, alignment=TA_CENTER)
    add("long", alignment=TA_JUSTIFY)
    add("problem", fontSize=8.5, leading=12, textColor=RED)
    add("empty", fontSize=9.5, leading=14, textColor=GREY)
    add("digest", fontName=LATIN_FONT, fontSize=11, leading=15)
    return s


def _cell_extent(cell: Any) -> tuple[float, float]:
    """(min, natural) width of a cell's content."""
    items = cell if isinstance(cell, (list, tuple)) else [cell]
    lo = hi = 0.0
    for f in items:
        if isinstance(f, TextBlock):
            lo = max(lo, f.minWidth())
            hi = max(hi, f.natural_width())
        elif isinstance(f, Flowable):
            w = getattr(f, "width", 0) or getattr(f, "drawWidth", 0) or 0
            lo, hi = max(lo, w), max(hi, w)
    return lo, hi


def auto_widths(rows: Sequence[Sequence[Any]], total: float, pad: float, *, fixed: dict[int, float] | None = None,
                cap: float | None = None) -> list[float]:
    """Column widths from the content (see the module doc). `fixed` pins some columns; `cap`
    limits how wide one column may want to be (a long text should not starve the others)."""
    fixed = fixed or {}
    ncol = max(len(r) for r in rows)
    lo = [0.0] * ncol
    hi = [0.0] * ncol
    for r in rows:
        for c, cell in enumerate(r):
            a, b = _cell_extent(cell)
            lo[c] = max(lo[c], a)
            hi[c] = max(hi[c], b)
    lo = [v + pad for v in lo]
    hi = [max(v + pad, lo[c]) for c, v in enumerate(hi)]
    if cap:
        hi = [min(h, max(cap, lo[c])) for c, h in enumerate(hi)]
    free = [c for c in range(ncol) if c not in fixed]
    room = total - sum(fixed.values())
    widths = [fixed.get(c, 0.0) for c in range(ncol)]
    want_lo = sum(lo[c] for c in free)
    want_hi = sum(hi[c] for c in free)
    if want_hi <= room:  # everything fits on one line: share the rest by the natural widths
        extra = room - want_hi
        for c in free:
            widths[c] = hi[c] + extra * (hi[c] / want_hi if want_hi else 1 / len(free))
    elif want_lo <= room:  # every word fits: share the rest by how much more each column wants
        extra = room - want_lo
        spread = sum(hi[c] - lo[c] for c in free) or 1.0
        for c in free:
            widths[c] = lo[c] + extra * (hi[c] - lo[c]) / spread
    else:  # not even the longest words fit: proportional to them (words will be cut)
        for c in free:
            widths[c] = room * lo[c] / want_lo
    return widths


def grid_style(head_rows: int = 1) -> TableStyle:
    return TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, head_rows - 1), LIGHT),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])


class CheckBox(Flowable):
    """☑ / ☐ drawn as vector boxes (the fonts have no ballot-box glyphs); a checked box carries a
    real ✓ character so the state is also in the text layer."""

    def __init__(self, checked: bool, size: float = 8.0):
        super().__init__()
        self.checked = checked
        self.width = self.height = size

    def draw(self):
        c = self.canv
        s = self.width
        c.setLineWidth(0.7)
        c.setStrokeColor(INK)
        c.rect(0, 0, s, s, stroke=1, fill=0)
        if self.checked:
            c.setFillColor(INK)
            c.setFont(SERIF_FONT, s * 1.1)
            c.drawCentredString(s / 2, s * 0.1, "✓")


class Anchor(Flowable):
    """A zero-size flowable that adds a TOC entry / outline bookmark where it lands."""

    def __init__(self, level: int, text: str, key: str, plain: str):
        super().__init__()
        self._toc = (level, text, key, plain)
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class PageMarker(Flowable):
    """Records on which page it was drawn (stamp page, scan pages)."""

    def __init__(self, kind: str, index: int = 0):
        super().__init__()
        self.kind, self.index = kind, index
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class Rule(Flowable):
    """A horizontal line (the cover's fill-in lines, section rules)."""

    def __init__(self, width: float, weight: float = 0.6, color=INK, space: float = 1.5):
        super().__init__()
        self.width, self.weight, self.color, self.space = width, weight, color, space
        self.height = weight + space

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.setStrokeColor(self.color)
        c.setLineWidth(self.weight)
        c.line(0, self.height - self.weight / 2, self.width, self.height - self.weight / 2)


class QrCode(Flowable):
    """A QR code drawn as vector squares (ReportLab's Drawing renderer would name Helvetica)."""

    def __init__(self, data: str, size: float):
        super().__init__()
        import qrcode

        # a fixed mask pattern (any of the eight is valid; readers decode each): choosing the best
        # one tries all eight, four fifths of the QR code's cost on every render (issue #10)
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=0)
        qr.add_data(data)
        qr.make(fit=True)
        self.matrix = qr.get_matrix()
        self.width = self.height = size

    def draw(self):
        c = self.canv
        n = len(self.matrix)
        cell = self.width / n
        c.setFillColor(colors.black)
        p = c.beginPath()
        for r, row in enumerate(self.matrix):
            y = self.height - (r + 1) * cell
            x = 0
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    p.rect(start * cell, y, (x - start) * cell, cell)
                else:
                    x += 1
        c.drawPath(p, stroke=0, fill=1)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    f = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        f /= 1024
        if f < 1024 or unit == "TB":
            return f"{f:.1f} {unit}"
    return str(n)


def when(t) -> str:
    """The one format of a time in the document — the same as the digital seal's ("2025-03-01
    10:15:00 +0800"): local time with its UTC offset."""
    return t.strftime("%Y-%m-%d %H:%M:%S %z").strip()


def zh_date(iso: str) -> str:
    """'2025-03-01' → '2025年3月1日' (the cover's 填报日期)."""
    try:
        y, m, d = (int(x) for x in iso[:10].split("-"))
    except ValueError:
        return iso
    return f"{y}年{m}月{d}日"


def hex_lines(h: str, group: int = 16) -> str:
    return "\n".join(" ".join(h[i:i + 4] for i in range(j, min(j + group, len(h)), 4)) for j in range(0, len(h), group))
