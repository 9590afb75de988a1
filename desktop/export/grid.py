"""A table flowable for the submission PDF: fixed column widths, flowables in the cells.

ReportLab's `Table` is general (spans, string cells, rounded corners, shadows, nine kinds of
line command) and re-derives all of it at every wrap, split and draw; in a re-render check that
was a third of the time (issue #10). The submission PDF needs a small part of it, and `Grid` is
that part:

- rows of cells; a cell is a flowable, a list of flowables, or "" (empty);
- the style commands the document uses, with TableStyle's names and cell ranges (negative
  indices count from the end of the whole table): VALIGN (TOP / MIDDLE / BOTTOM), the four
  paddings, BACKGROUND, GRID, BOX, LINEBEFORE, and FONTNAME (accepted and ignored: a cell holds
  flowables, which carry their fonts). Anything else is refused, so a new use cannot silently
  look wrong;
- splitting across pages between rows, with `repeatRows` header rows on every part; with
  `splitInRow`, a row taller than what is left of the page is split inside its cells (each
  cell's flowables are split at the room left, so a very long answer runs over many pages);
- every part is a table of its own: its GRID and BOX are closed at the page foot and head.

A style applies to a row by its index in the whole table, so a repeated header keeps its shading
on every page. Row heights are computed once per row and shared by the split parts (a
10,000-row table splits 300 times). Drawing writes the PDF operators itself (one path for the
lines, one for the fills) and draws each cell's flowables at their absolute position, without
a saved and translated graphics state per cell.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from reportlab.lib.rl_accel import fp_str
from reportlab.rl_config import _FUZZ
from reportlab.platypus import Flowable

from .inplace import DrawnInPlace, rgb_operator

# a row is split inside its cells only when it is tall and enough of it fits: a short row (a
# label and a value) moves to the next page whole, rather than leaving a line or two behind
MIN_SPLIT_ROW = 96.0
MIN_SPLIT_ROOM = 36.0
_BIG = 1e7  # the height offered to a cell's flowables while measuring (they are not limited in a cell)
_DEFAULT = (6.0, 6.0, 3.0, 3.0, "BOTTOM")  # ReportLab's CellStyle: left, right, top, bottom padding, valign
_PAD = {"LEFTPADDING": 0, "RIGHTPADDING": 1, "TOPPADDING": 2, "BOTTOMPADDING": 3}
_LINES = ("GRID", "BOX", "LINEBEFORE")
_IGNORED = ("FONTNAME",)


def _colour(c: Any, op: str) -> str:
    s = rgb_operator(c, op)
    if s is None:
        raise ValueError(f"Grid: colour {c!r} is not an opaque RGB colour")
    return s


class _Spec:
    """What the parts of one table share: columns, cell styles, fills and lines (by whole-table row)."""

    def __init__(self, nrows: int, col_widths: Sequence[float], repeat_rows: int, split_in_row: bool):
        self.nrows = nrows
        self.ncols = len(col_widths)
        self.col_widths = [float(w) for w in col_widths]
        self.col_x = [0.0]
        for w in self.col_widths:
            self.col_x.append(self.col_x[-1] + w)
        self.repeat_rows = repeat_rows
        self.split_in_row = split_in_row
        self.cell: list[list[tuple]] | None = None  # [row][col] -> (l, r, t, b, valign); None: all default
        self.fills: list[tuple[int, int, int, int, str]] = []  # (c0, r0, c1, r1, colour operator)
        self.lines: list[tuple[str, int, int, int, int, float, str]] = []  # (op, c0, r0, c1, r1, weight, colour)

    def _range(self, start: Sequence[int], stop: Sequence[int]) -> tuple[int, int, int, int]:
        c0, r0 = start
        c1, r1 = stop
        c0, c1 = (c + self.ncols if c < 0 else c for c in (c0, c1))
        r0, r1 = (r + self.nrows if r < 0 else r for r in (r0, r1))
        return c0, r0, min(c1, self.ncols - 1), min(r1, self.nrows - 1)

    def apply(self, commands: Iterable[Sequence[Any]]) -> None:
        for cmd in commands:
            op = cmd[0]
            if op in _IGNORED:
                continue
            c0, r0, c1, r1 = self._range(cmd[1], cmd[2])
            if op in _PAD or op == "VALIGN":
                if self.cell is None:
                    self.cell = [[_DEFAULT] * self.ncols for _ in range(self.nrows)]
                value: Any = float(cmd[3]) if op in _PAD else str(cmd[3]).upper()
                if op == "VALIGN" and value not in ("TOP", "MIDDLE", "BOTTOM"):
                    raise ValueError(f"Grid: VALIGN {cmd[3]!r} is not TOP, MIDDLE or BOTTOM")
                k = _PAD.get(op, 4)
                for r in range(r0, r1 + 1):
                    row = self.cell[r]
                    for c in range(c0, c1 + 1):
                        s = list(row[c])
                        s[k] = value
                        row[c] = tuple(s)
            elif op == "BACKGROUND":
                self.fills.append((c0, r0, c1, r1, _colour(cmd[3], "rg")))
            elif op in _LINES:
                self.lines.append((op, c0, r0, c1, r1, float(cmd[3]), _colour(cmd[4], "RG")))
            else:
                raise ValueError(f"Grid: the style command {op!r} is not supported")

    def style(self, row: int, col: int) -> tuple:
        return _DEFAULT if self.cell is None else self.cell[row][col]


class _Row:
    """One row of a part: its whole-table index, its cells, and (once measured) its height and
    each cell's content height and flowable heights."""

    __slots__ = ("index", "cells", "height", "geom")

    def __init__(self, index: int, cells: list[list[Flowable]]):
        self.index = index
        self.cells = cells
        self.height: float | None = None
        self.geom: list[tuple[float, list[float]]] = []


def _cell(value: Any) -> list[Flowable]:
    if isinstance(value, Flowable):
        return [value]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, Flowable) for v in value):
            raise TypeError("Grid: a cell list holds flowables only")
        return list(value)
    if value == "" or value is None:
        return []
    raise TypeError(f"Grid: a cell is a flowable, a list of flowables or empty, not {type(value).__name__}")


class Grid(DrawnInPlace):
    """A table (see the module doc). The arguments are ReportLab Table's names for the same things."""

    def __init__(self, data: Sequence[Sequence[Any]], colWidths: Sequence[float], *,  # noqa: N803 - Table's names
                 hAlign: str = "CENTER", repeatRows: int = 0, splitInRow: int = 0,  # noqa: N803
                 _spec: _Spec | None = None, _rows: list[_Row] | None = None):
        super().__init__()
        self.hAlign = hAlign
        if _spec is not None and _rows is not None:
            self._spec, self._rows = _spec, _rows
        else:
            ncols = len(colWidths)
            rows = []
            for i, r in enumerate(data):
                if len(r) != ncols:
                    raise ValueError(f"Grid: row {i} has {len(r)} cells for {ncols} columns")
                rows.append(_Row(i, [_cell(v) for v in r]))
            self._spec = _Spec(len(rows), colWidths, int(repeatRows or 0), bool(splitInRow))
            self._rows = rows
        self.width = self._spec.col_x[-1]
        self.height = 0.0

    def setStyle(self, style: Any) -> None:  # noqa: N802 - Table's name
        """A TableStyle or a list of its commands."""
        cmds = style.getCommands() if hasattr(style, "getCommands") else style
        self._spec.apply(cmds)

    # -- measuring

    def _measure(self, row: _Row) -> float:
        if row.height is not None:
            return row.height
        spec = self._spec
        canv = getattr(self, "canv", None)
        tallest = 0.0
        geom = []
        for c, flows in enumerate(row.cells):
            lp, rp, tp, bp, _v = spec.style(row.index, c)
            inner = spec.col_widths[c] - lp - rp
            hs = []
            total = 0.0
            for f in flows:
                _w, h = f.wrapOn(canv, inner, _BIG)
                hs.append(h)
                total += h + f.getSpaceBefore() + f.getSpaceAfter()
            if flows:  # ReportLab's cell: no space before the first flowable nor after the last
                total -= flows[0].getSpaceBefore() + flows[-1].getSpaceAfter()
            geom.append((total, hs))
            tallest = max(tallest, total + tp + bp)
        row.geom = geom
        row.height = tallest
        return tallest

    def wrap(self, aw, ah):
        self.height = sum(self._measure(r) for r in self._rows)
        return self.width, self.height

    # -- splitting

    def _part(self, rows: list[_Row]) -> "Grid":
        g = Grid((), (), hAlign=self.hAlign, _spec=self._spec, _rows=rows)
        for k in ("spaceBefore", "spaceAfter"):
            if hasattr(self, k):
                setattr(g, k, getattr(self, k))
        return g

    def _header(self) -> list[_Row]:
        n = self._spec.repeat_rows
        return [r for r in self._rows[:n] if r.index < n]

    def split(self, aw, ah):
        heights = [self._measure(r) for r in self._rows]
        head = self._header()
        n, used = 0, 0.0
        for h in heights:
            if used + h > ah + _FUZZ:  # the frame's tolerance: what it would place, fits
                break
            used += h
            n += 1
        if n == len(self._rows):
            return [self]
        if n > len(head):  # between rows: the rest (under the same header) goes on
            return [self._part(self._rows[:n]), self._part(head + self._rows[n:])]
        if n < len(head):
            return []
        # at the top of an empty frame a row that does not fit never will: it is split whatever
        # the table says (a 20,000-character evidence note would stop the export otherwise)
        frame = getattr(self, "_frame", None)
        if not (frame is not None and frame._atTop):
            if not self._spec.split_in_row:
                return []
            if heights[n] < MIN_SPLIT_ROW or ah - used < MIN_SPLIT_ROOM:
                return []
        halves = self._split_row(self._rows[n], ah - used)
        if halves is None:
            return []
        top, bottom = halves
        return [self._part(self._rows[:n] + [top]), self._part(head + [bottom] + self._rows[n + 1:])]

    def _split_row(self, row: _Row, room: float) -> tuple[_Row, _Row] | None:
        """The row cut at `room` points: each cell keeps what fits and passes on the rest."""
        spec = self._spec
        canv = getattr(self, "canv", None)
        tops, bottoms = [], []
        progress = False
        for c, flows in enumerate(row.cells):
            lp, rp, tp, bp, _v = spec.style(row.index, c)
            inner = spec.col_widths[c] - lp - rp
            left = room - tp - bp
            top: list[Flowable] = []
            rest: list[Flowable] = []
            used = 0.0
            for i, (f, h) in enumerate(zip(flows, row.geom[c][1])):
                before = f.getSpaceBefore() if top else 0.0
                if used + before + h <= left:
                    top.append(f)
                    used += before + h + f.getSpaceAfter()
                    continue
                avail = left - used - before
                parts = f.splitOn(canv, inner, avail) if avail > 0 else []
                if len(parts) >= 2:
                    top.append(parts[0])
                    rest = list(parts[1:]) + flows[i + 1:]
                else:
                    rest = flows[i:]
                break
            progress = progress or bool(top)
            tops.append(top)
            bottoms.append(rest)
        if not progress or not any(bottoms):
            return None
        return _Row(row.index, tops), _Row(row.index, bottoms)

    # -- drawing

    def _draw_at(self, x0: float, y0: float) -> None:
        spec = self._spec
        canv = self.canv
        rows = self._rows
        heights = [self._measure(r) for r in rows]
        tops = []  # the y of each row's top edge, and (last) the table's bottom
        y = y0 + sum(heights)
        for h in heights:
            tops.append(y)
            y -= h
        tops.append(y)
        col_x = [x0 + cx for cx in spec.col_x]
        code = canv._code
        # fills first, then the cells' content, then the lines over them (as ReportLab's Table)
        if spec.fills:
            ops = ["q"]
            for c0, r0, c1, r1, colour in spec.fills:
                for a, b in _runs(rows, r0, r1):
                    ops.append(f"{colour} {fp_str(col_x[c0], tops[b + 1], col_x[c1 + 1] - col_x[c0], tops[a] - tops[b + 1])} re f")
            ops.append("Q")
            code.append(" ".join(ops))
        for k, row in enumerate(rows):
            rh = heights[k]
            bottom = tops[k + 1]
            for c, flows in enumerate(row.cells):
                if not flows:
                    continue
                lp, _rp, tp, bp, valign = spec.style(row.index, c)
                content, hs = row.geom[c]
                if valign == "TOP":
                    cy = bottom + rh - tp
                elif valign == "BOTTOM":
                    cy = bottom + bp + content
                else:
                    cy = bottom + (rh + bp - tp + content) / 2.0
                cy += flows[0].getSpaceBefore()
                cx = col_x[c] + lp
                for f, h in zip(flows, hs):
                    cy -= f.getSpaceBefore() + h
                    f.drawOn(canv, cx, cy)
                    cy -= f.getSpaceAfter()
        if spec.lines:
            ops = ["q 1 J"]
            for op, c0, r0, c1, r1, weight, colour in spec.lines:
                segs = []
                for a, b in _runs(rows, r0, r1):
                    top, bot = tops[a], tops[b + 1]
                    left, right = col_x[c0], col_x[c1 + 1]
                    if op == "LINEBEFORE":
                        segs.append((left, top, left, bot))
                        continue
                    segs += [(left, top, right, top), (left, bot, right, bot), (left, top, left, bot),
                             (right, top, right, bot)]
                    if op == "GRID":
                        segs += [(left, tops[i], right, tops[i]) for i in range(a + 1, b + 1)]
                        segs += [(col_x[c], top, col_x[c], bot) for c in range(c0 + 1, c1 + 1)]
                if segs:
                    ops.append(f"{colour} {fp_str(weight)} w " + " ".join(f"{fp_str(a, b)} m {fp_str(c, d)} l" for a, b, c, d in segs)
                               + " S")
            ops.append("Q")
            code.append(" ".join(ops))


def _runs(rows: list[_Row], r0: int, r1: int) -> list[tuple[int, int]]:
    """(first, last) positions in `rows` of each run of consecutive rows whose whole-table index
    is within r0..r1 (a part's repeated header and its body rows are one run when both are)."""
    out = []
    start = None
    for k, row in enumerate(rows):
        inside = r0 <= row.index <= r1
        if inside and start is None:
            start = k
        elif not inside and start is not None:
            out.append((start, k - 1))
            start = None
    if start is not None:
        out.append((start, len(rows) - 1))
    return out


__all__ = ["Grid"]
