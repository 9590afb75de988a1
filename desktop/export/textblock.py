"""TextBlock: a paragraph flowable for user and program text, laid out in linear time.

ReportLab's Paragraph measures every prefix of a word it cannot break (a long Chinese text is one
"word"), which makes export quadratic (a 400,000-character answer took 139 s); it shapes South-East
Asian text word by word and maps the glyphs to private-use code points, so copy and search return
garbage; and its CJK mode lets lines start with "，". TextBlock does the layout itself:

- the text is segmented once into font runs (desktop/export/text.py) and unbreakable pieces
  (desktop/export/linebreak.py: 禁则, Thai words, Khmer/Lao/Myanmar syllables, Latin words), each
  measured once — O(n) for the whole paragraph;
- lines are filled greedily; a last line holding a single character ("任。") takes one piece from
  the line before; lines of Chinese text are justified (两端对齐) by letter spacing, other lines are
  ragged-right; the first line of a paragraph can be indented by two characters (首行缩进);
- every shaped run (Thai, Lao, Khmer, Myanmar) is wrapped in a marked-content span with
  /ActualText, so copying and searching (pdftotext, Acrobat, pdf.js) return the text as typed, in
  logical order; a character no shipped font has is drawn as a visible "[U+XXXX]" with the true
  character as its ActualText — nothing silently vanishes;
- split() hands the rest of the already laid-out lines to the next page (no re-layout), and keeps
  at least two lines on each side of a page break (no widows or orphans) where it can.
"""

from __future__ import annotations

import bisect
import re
import weakref
from array import array
from functools import lru_cache
from itertools import accumulate, groupby
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from ..fonts import ensure_font
from .cidfont import FACES as CID_FACES, glyph_codes
from .inplace import DrawnInPlace, rgb_operator
from .linebreak import CJK_CLASS, NEWLINE, NO_END, NO_SPLIT, NO_START, WS, clusters, is_cjk, may_break, sea_words

MISSING = "?missing"  # the pseudo-font of characters no shipped font has
# a text run cut into newline | white space | Chinese characters | a Latin word
_TOKEN = re.compile(
    "(\n)|([" + "".join(sorted(WS)) + "]+)|(" + CJK_CLASS + "+)|([^\n" + "".join(sorted(WS)) + "]+?(?=[\n"
    + "".join(sorted(WS)) + "]|" + CJK_CLASS + "|$))")


_NO_BEFORE = re.compile("[" + re.escape("".join(sorted(NO_START))) + "]")
_NO_AFTER = re.compile("[" + re.escape("".join(sorted(NO_END))) + "]")
_PAIRS = re.compile("——|……")
_CJK_ALL = re.compile(CJK_CLASS)
_HARD_RE = re.compile(b"[\x04-\x07\x0c-\x0f]")  # piece flags with HARD set


def _cjk_break(x: str, y: str) -> bool:
    """A line may break between two adjacent Chinese characters x and y."""
    return not (y in NO_START or x in NO_END or (x in NO_SPLIT and y == x))


BREAK = 1  # a line may break after this piece
SPACE = 2  # white space: dropped at the end and the start of a line
HARD = 4  # a forced line break (the newline itself)
SHAPED = 8

_SUBST_FONT = "NotoSans"
# zero-width characters: no glyph is drawn for them outside shaped runs (HarfBuzz uses ZWJ/ZWNJ)
INVISIBLE = frozenset("\u200B\u200C\u200D\u2060\uFEFF\uFE0E\uFE0F")


def substitute(ch: str) -> str:
    return f"[U+{ord(ch):04X}]"


@lru_cache(maxsize=64)
def _widths(font: str) -> tuple[dict[int, float], float]:
    ensure_font(font)
    f = pdfmetrics.getFont(font)
    face = f.face
    return face.charWidths, face.defaultWidth


@lru_cache(maxsize=64)
def _table(font: str) -> list[float]:
    """Advance widths (1/1000 em) of the Basic Multilingual Plane, indexed by code point: a
    C-speed `map` over a text instead of a dict lookup per character."""
    cw, dw = _widths(font)
    tbl = [float(dw)] * 0x10000
    for cp, w in cw.items():
        if cp < 0x10000:
            tbl[cp] = float(w)
    for ch in INVISIBLE:
        tbl[ord(ch)] = 0.0
    return tbl


class _Scaled(dict):
    """code point -> advance width in points at one size, each computed on its first lookup.

    A whole list per (font, size) cost 5 ms each, 0.1 s of every fresh process (22 of them in a
    submission PDF), for the few hundred characters a text uses. Lookups of a character seen
    before stay C-level (`map(tbl.__getitem__, …)`), and the float object exists once; a
    character beyond the BMP raises IndexError, as the list did."""

    __slots__ = ("_k", "_tbl")

    def __init__(self, k: float, tbl: list[float]) -> None:
        super().__init__()
        self._k, self._tbl = k, tbl

    def __missing__(self, cp: int) -> float:
        w = self[cp] = self._k * self._tbl[cp]  # the same product as the list's k * w
        return w


@lru_cache(maxsize=32)
def _scaled_table(font: str, size: float) -> _Scaled:
    """Advance widths in points at one size (the float objects exist once: measuring a text is
    then a C-level lookup per character, creating nothing)."""
    return _Scaled(size / 1000, _table(font))


def _sum_widths(text: str, font: str) -> float:
    """Sum of advance widths in 1/1000 em."""
    tbl = _table(font)
    try:
        return sum(map(tbl.__getitem__, map(ord, text)))
    except IndexError:  # a character beyond the BMP
        cw, dw = _widths(font)
        return sum(cw.get(ord(c), dw) for c in text if c not in INVISIBLE)


_shape_cache: dict[tuple[str, str], float] = {}


def shaped_width(text: str, font: str, size: float) -> float:
    """Width of a shaped string (HarfBuzz), per 1 pt of font size, cached."""
    key = (font, text)
    w = _shape_cache.get(key)
    if w is None:
        from reportlab.pdfgen.textobject import bidiShapedText

        ensure_font(font)
        _t, w1000 = bidiShapedText(text, None, fontName=font, fontSize=1000, shaping=True)
        w = _shape_cache[key] = w1000 / 1000
        if len(_shape_cache) > 200_000:
            _shape_cache.clear()
    return w * size


def plain_width(text: str, font: str, size: float) -> float:
    if font == MISSING:
        ensure_font(_SUBST_FONT)
        return pdfmetrics.stringWidth("".join(substitute(c) for c in text), _SUBST_FONT, size * 0.8)
    return _sum_widths(text, font) * size / 1000


_subset_names: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # doc -> {(font, subset): "/F3+1"}


def emit_text(canv, x: float, y: float, text: str, font_name: str, size: float, char_space: float = 0.0) -> None:
    """Draw one run of plain (unshaped) text in a TrueType font: the same operators ReportLab's
    drawString writes, without its per-call text-object machinery (a 1,000,000-character answer
    is 22,000 lines). The characters are assigned to the font's 256-glyph subsets by ReportLab
    itself (splitString), so embedding and ToUnicode stay ReportLab's."""
    if not text:
        return
    from reportlab.lib.rl_accel import fp_str

    usage = getattr(canv, "_dossier_cid", None)
    if usage is not None and font_name in CID_FACES:
        # a composite font (desktop/export/cidfont.py): two-byte glyph ids, no subset switching
        text = text.replace("\xa0", " ")
        codes = glyph_codes(font_name, text)
        if codes is not None:
            usage.setdefault(font_name, set()).update(text)
            cs = f" {fp_str(char_space)} Tc" if char_space else ""
            canv._code.append(f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm{cs} /{CID_FACES[font_name]} {fp_str(size)} Tf "
                              f"<{codes.hex()}> Tj{' 0 Tc' if char_space else ''} ET")
            return
        # a character the face lacks (cannot happen after segment()): ReportLab's path below
    font = pdfmetrics.getFont(font_name)
    doc = canv._doc
    text = text.replace("\xa0", " ")  # ReportLab draws a no-break space as a space
    state = font.state.get(doc)
    assigned = state.assignments if state is not None else {}
    new = [ch for ch in set(text) if ord(ch) not in assigned]
    if new:
        font.splitString("".join(sorted(new)), doc)  # assigns subset codes to the new characters
        assigned = font.state[doc].assignments
    try:
        codes = list(map(assigned.__getitem__, map(ord, text)))
    except KeyError:  # a character the font has no glyph for: let ReportLab decide (it draws .notdef)
        canv.setFont(font_name, size)
        canv.drawString(x, y, text, charSpace=char_space)
        return
    cache = _subset_names.get(doc)
    if cache is None:
        cache = _subset_names[doc] = {}
    out = [f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm"]
    if char_space:
        out.append(f"{fp_str(char_space)} Tc")
    esc = canv._escape
    sz = fp_str(size)
    low = bytes(map((0xFF).__and__, codes))  # the byte of each character in its subset
    pos = 0
    for sub, grp in groupby(map((8).__rrshift__, codes)):  # runs of one 256-glyph subset
        n = sum(1 for _ in grp)
        name = cache.get((font_name, sub))
        if name is None:
            name = cache[(font_name, sub)] = font.getSubsetInternalName(sub, doc)
        out.append(f"{name} {sz} Tf ({esc(low[pos:pos + n])}) Tj")
        pos += n
    if char_space:
        out.append("0 Tc")
    out.append("ET")
    canv._code.append(" ".join(out))


def _utf16_hex(s: str) -> str:
    return "FEFF" + s.encode("utf-16-be").hex().upper()


class Layout:
    """Runs and pieces of one text at one font size (shared by a block and its split parts)."""

    def __init__(self, text: str, runs: list[tuple[int, int, str]], size: float, shaped_fonts: frozenset[str]):
        self.text = text
        self.size = size
        self.runs = runs
        self.run_starts = [r[0] for r in runs]
        self.shaped_fonts = shaped_fonts
        self.ps = array("l")  # piece start offsets
        self.pw = array("d")  # piece widths
        self.pf = bytearray()  # piece flags
        self._pieces()
        self._lines: dict[float, list[tuple[int, int, int]]] = {}  # width -> [(start, end, flags)]
        self._cum: array | None = None
        self._hards: list[int] = []

    # -- pieces

    def _pieces(self) -> None:
        text, size = self.text, self.size
        ps, pw, pf = self.ps, self.pw, self.pf
        prev_last = ""
        prev_cjk = False
        prev_font = None
        for start, end, font in self.runs:
            shaped = font in self.shaped_fonts
            if font == MISSING:
                for i in range(start, end):
                    self._add(i, plain_width(text[i], font, size), 0, prev_last, text[i], prev_cjk, True, True)
                    prev_last, prev_cjk, prev_font = text[i], True, font
                continue
            if shaped:
                prev_last, prev_cjk, prev_font = self._shaped_run(start, end, font, prev_last, prev_cjk, prev_font)
                continue
            tbl = _scaled_table(font, size)
            for m in _TOKEN.finditer(text, start, end):
                a, b = m.span()
                kind = m.lastindex
                if kind == 1:  # newline
                    self._add(a, 0.0, HARD | SPACE | BREAK, prev_last, "\n", prev_cjk, False, False)
                    prev_last, prev_cjk = "", False
                elif kind == 2:  # white space
                    self._add(a, plain_width(text[a:b], font, size), SPACE | BREAK, prev_last, " ", prev_cjk, False, False)
                    prev_last, prev_cjk = "", False
                elif kind == 3:  # Chinese: one piece per character, breaks by the rules, in bulk
                    run = text[a:b]
                    self._add(a, tbl[ord(run[0])] if ord(run[0]) < 0x10000 else plain_width(run[0], font, size),
                              0, prev_last, run[0], prev_cjk, True, prev_font != font)
                    if b - a > 1:
                        ps.extend(range(a + 1, b))
                        try:  # C-speed: no Python-level step per character
                            pw.extend(map(tbl.__getitem__, map(ord, run[1:])))
                        except IndexError:
                            pw.extend(plain_width(c, font, size) for c in run[1:])
                        # each piece's flag says whether a line may break after it: yes, except
                        # before closing and after opening punctuation and inside "——" / "……"
                        flags = bytearray(b"\x01") * (b - a - 1) + b"\x00"
                        for m in _NO_BEFORE.finditer(run, 1):
                            flags[m.start() - 1] = 0
                        for m in _NO_AFTER.finditer(run):
                            flags[m.start()] = 0
                        for m in _PAIRS.finditer(run):
                            flags[m.start()] = 0
                        pf[-1] |= flags[0]
                        pf.extend(flags[1:])
                    prev_last, prev_cjk, prev_font = run[-1], True, font
                else:  # a Latin word (letters, digits, ASCII punctuation)
                    w = text[a:b]
                    self._add(a, plain_width(w, font, size), 0, prev_last, w[0], prev_cjk, False, prev_font != font)
                    prev_last, prev_cjk, prev_font = w[-1], False, font
        ps.append(len(text))

    def _shaped_run(self, start: int, end: int, font: str, prev_last: str, prev_cjk: bool, prev_font):
        text, size = self.text, self.size
        i = start
        while i < end:
            ch = text[i]
            if ch == NEWLINE:
                self._add(i, 0.0, HARD | SPACE | BREAK, prev_last, ch, prev_cjk, False, False)
                prev_last, prev_cjk = "", False
                i += 1
                continue
            if ch in WS:
                j = i + 1
                while j < end and text[j] in WS:
                    j += 1
                self._add(i, shaped_width(text[i:j], font, size), SPACE | BREAK, prev_last, ch, prev_cjk, False, False)
                prev_last, prev_cjk = "", False
                i = j
                continue
            j = i + 1
            while j < end and text[j] not in WS and text[j] != NEWLINE:
                j += 1
            first = True
            for w in sea_words(text[i:j]):
                self._add(i, shaped_width(w, font, size), SHAPED, prev_last, w[0], prev_cjk, False,
                          (first and prev_font != font) or not first)
                prev_last, prev_cjk, first = w[-1], False, False
                i += len(w)
            prev_font = font
        return prev_last, prev_cjk, font

    def _add(self, start: int, width: float, flags: int, prev_last: str, first: str, prev_cjk: bool, cjk: bool,
             script_change: bool) -> None:
        # whether the line may break BEFORE this piece is a property of the piece before it
        if self.pf and not (self.pf[-1] & BREAK) and prev_last and not (flags & (SPACE | HARD)):
            if may_break(prev_last, first, prev_cjk, cjk, script_change):
                self.pf[-1] |= BREAK
        elif self.pf and self.pf[-1] & SPACE and not self.pf[-1] & HARD and first in NO_START:
            self.pf[-1] &= ~BREAK & 0xFF  # "abc ）": the closing mark stays on the line
        self.ps.append(start)
        self.pw.append(width)
        self.pf.append(flags)

    # -- lines

    def lines(self, width: float, indent: float = 0.0) -> list[tuple[int, int, int]]:
        """[(start, end, flags)] character ranges of each line; flags: 1 = ends a paragraph
        (forced break or end of text), 2 = starts a paragraph."""
        key = (round(width, 3), round(indent, 3))
        got = self._lines.get(key)
        if got is None:
            got = self._lines[key] = self._break(width, indent)
        return got

    def _break(self, width: float, indent: float) -> list[tuple[int, int, int]]:
        ps, pw, pf, text = self.ps, self.pw, self.pf, self.text
        n = len(pw)
        # prefix sums of the widths, and where the forced breaks are: a line is found by bisection,
        # not by walking its pieces one by one
        cum = self._cum
        if cum is None:
            cum = self._cum = array("d", accumulate(pw, initial=0.0))
            self._hards = [m.start() for m in _HARD_RE.finditer(pf)]
        hards = self._hards
        out: list[tuple[int, int, int]] = []
        i = 0  # current piece
        cstart = 0  # the current line starts at this character (may be inside piece i)
        para_start = True
        width = max(width, 1.0)
        while i < n:
            # white space at the start of a line (after a soft break) is dropped
            if not para_start:
                while i < n and pf[i] & SPACE and not pf[i] & HARD:
                    i += 1
                    cstart = ps[i]
                if i >= n:
                    break
            avail = width - (indent if para_start else 0.0)
            end_flags = 0
            cut = None
            if ps[i] < cstart:  # the rest of a piece that was cut: walk it
                j, end_flags, cut = self._fill_slow(i, cstart, avail)
            else:
                k = bisect.bisect_left(hards, i)
                h = hards[k] if k < len(hards) else n  # the next forced break (or the end)
                e = bisect.bisect_right(cum, cum[i] + avail + 1e-6, i + 1, h + 1) - 1  # pieces i..e-1 fit
                if e >= h:
                    j = h
                    end_flags = 1 if h < n else 0
                else:
                    while e < h and pf[e] & SPACE:  # white space may hang over the margin
                        e += 1
                    if e >= h:
                        j = h
                        end_flags = 1 if h < n else 0
                    else:
                        b = e - 1
                        while b >= i and not pf[b] & BREAK:
                            b -= 1
                        if b >= i:
                            j = b + 1
                        elif e > i:
                            j = e  # no break opportunity on the whole line: break where it is full
                        else:
                            j, cut = i, self._cut(i, cstart, avail)  # one piece wider than the line
            if cut is not None:
                out.append((cstart, cut, 2 if para_start else 0))
                cstart = cut
                para_start = False
                continue
            cend = ps[j] if j < n else len(text)
            if j >= n:
                end_flags = 1
            out.append((cstart, cend, end_flags | (2 if para_start else 0)))
            if j < n and pf[j] & HARD:
                j += 1  # the newline itself
                para_start = True
            else:
                para_start = end_flags == 1
            i = j
            cstart = ps[i] if i < n else len(text)
        self._no_lone_last_char(out, width, indent)
        return out

    def _fill_slow(self, i: int, cstart: int, avail: float) -> tuple[int, int, int | None]:
        """One line from inside piece i, piece by piece: (end piece, end flags, cut position)."""
        ps, pw, pf = self.ps, self.pw, self.pf
        n = len(pw)
        x = 0.0
        last_break = -1
        j = i
        while j < n:
            f = pf[j]
            if f & HARD:
                return j, 1, None
            w = pw[j] if ps[j] >= cstart else self._partial_width(j, cstart)
            if x + w > avail + 1e-6 and not (f & SPACE):
                if last_break >= i and last_break < j:
                    return last_break + 1, 0, None
                if j == i:
                    return j, 0, self._cut(j, cstart, avail)
                return j, 0, None
            x += w
            if f & BREAK:
                last_break = j
            j += 1
        return j, 1, None

    def _partial_width(self, j: int, cstart: int) -> float:
        s = self.text[cstart:self.ps[j + 1]]
        return self._measure(s, self._font_at(cstart))

    def _cut(self, j: int, cstart: int, avail: float) -> int:
        """Cut piece j (from cstart) at the last grapheme cluster that fits; at least one."""
        s = self.text[cstart:self.ps[j + 1]]
        font = self._font_at(cstart)
        pos = cstart
        acc = ""
        for cl in clusters(s):
            if acc and self._measure(acc + cl, font) > avail:
                break
            acc += cl
            pos += len(cl)
        return pos

    def _measure(self, s: str, font: str) -> float:
        if font in self.shaped_fonts:
            return shaped_width(s, font, self.size)
        return plain_width(s, font, self.size)

    def _font_at(self, c: int) -> str:
        k = bisect.bisect_right(self.run_starts, c) - 1
        return self.runs[max(k, 0)][2]

    def _no_lone_last_char(self, out: list[tuple[int, int, int]], width: float, indent: float) -> None:
        """A paragraph's last line with one character (plus closing punctuation) takes the last
        piece of the line before, when that line has a break opportunity to give."""
        if len(out) < 2:
            return
        text = self.text
        for k in range(len(out) - 1, 0, -1):
            s, e, fl = out[k]
            ps_, pe_, pfl = out[k - 1]
            if not fl & 1 or pfl & 1:
                continue
            body = [c for c in text[s:e].strip() if not (c in "，。、：；！？）」』】》”’.,;:!?)")]
            if len(body) != 1 or not is_cjk(body[0]):
                continue
            # the piece boundaries on the previous line where it may break
            a = bisect.bisect_left(self.ps, ps_)
            b = bisect.bisect_left(self.ps, pe_)
            cand = None
            for p in range(b - 2, a, -1):
                if self.pf[p] & BREAK and not self.pf[p] & SPACE:
                    cand = self.ps[p + 1]
                    break
            if cand is None or cand <= ps_ or cand >= pe_:
                continue
            new_last = self._measure_range(cand, e)
            if new_last > width - (indent if fl & 2 else 0):
                continue
            out[k - 1] = (ps_, cand, pfl)
            out[k] = (cand, e, fl)

    def range_width(self, s: int, e: int, font: str) -> float:
        """Width of text[s:e] in one font: from the prefix sums when s and e are piece bounds."""
        ps = self.ps
        a = bisect.bisect_left(ps, s)
        b = bisect.bisect_left(ps, e)
        if self._cum is not None and a < len(ps) and b < len(ps) and ps[a] == s and ps[b] == e:
            return self._cum[b] - self._cum[a]
        return self._measure(self.text[s:e], font)

    def _measure_range(self, s: int, e: int) -> float:
        total = 0.0
        for rs, re_, font in self.runs_in(s, e):
            total += self._measure(self.text[rs:re_], font)
        return total

    def runs_in(self, s: int, e: int):
        k = max(bisect.bisect_right(self.run_starts, s) - 1, 0)
        runs = self.runs
        while k < len(runs) and runs[k][0] < e:
            rs, re_, font = runs[k]
            a, b = max(rs, s), min(re_, e)
            if a < b:
                yield a, b, font
            k += 1

    def natural_width(self) -> float:
        """Width of the longest forced line (the width the text wants)."""
        best = cur = 0.0
        for w, f in zip(self.pw, self.pf):
            if f & HARD:
                best, cur = max(best, cur), 0.0
            else:
                cur += w
        return max(best, cur)

    def min_width(self) -> float:
        """Width of the widest piece that cannot break (the narrowest the text can be)."""
        best = cur = 0.0
        for w, f in zip(self.pw, self.pf):
            if f & SPACE:
                best, cur = max(best, cur), 0.0
                continue
            cur += w
            if f & BREAK:
                best, cur = max(best, cur), 0.0
        return max(best, cur)


class TextBlock(DrawnInPlace):
    """A paragraph of plain text (see the module doc). Build it with desktop.export.text.para()."""

    def __init__(self, layout: Layout, style: ParagraphStyle, *, first_indent: float = 0.0, justify: bool | None = None,
                 line_from: int = 0, leading: float | None = None, color: Any = None):
        super().__init__()
        self.layout = layout
        self.style = style
        self.first_indent = first_indent
        self.justify = style.alignment == TA_JUSTIFY if justify is None else justify
        self.line_from = line_from
        self.leading = leading or style.leading
        self.color = color if color is not None else style.textColor
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._aw = None
        self._lines: list[tuple[int, int, int]] = []
        self.width = self.height = 0

    # -- platypus protocol

    def _inner(self, aw: float) -> float:
        return max(aw - self.style.leftIndent - self.style.rightIndent, 1.0)

    def _layout(self, aw: float) -> list[tuple[int, int, int]]:
        if self._aw != aw:
            lines = self.layout.lines(self._inner(aw), self.first_indent)
            self._lines = lines[self.line_from:] if self.line_from else lines
            self._aw = aw
        return self._lines

    def wrap(self, aw, ah):
        lines = self._layout(aw)
        self.width = aw
        self.height = len(lines) * self.leading
        return aw, self.height

    def split(self, aw, ah):
        lines = self._layout(aw)
        fit = int((ah + 1e-6) // self.leading)
        n = len(lines)
        if fit >= n:
            return []  # it fits after all (rounding): nothing to split, let the frame place it
        if n >= 4 and fit < 2:
            return []  # never one orphan line at a page foot
        if n >= 4 and n - fit < 2:
            fit = n - 2  # nor one widow line at the top of the next page
        if fit <= 0:
            return []
        head = TextBlock(self.layout, self.style, first_indent=self.first_indent, justify=self.justify,
                         line_from=self.line_from, leading=self.leading, color=self.color)
        head._aw, head._lines = aw, lines[:fit]
        head.spaceAfter = 0
        tail = TextBlock(self.layout, self.style, first_indent=self.first_indent, justify=self.justify,
                         line_from=self.line_from + fit, leading=self.leading, color=self.color)
        tail.spaceBefore = 0
        # the tail's lines are the same objects (same width): no second layout
        tail._aw, tail._lines = aw, lines[fit:]
        return [head, tail]

    def minWidth(self):  # noqa: N802 - ReportLab's name
        return self.layout.min_width() + self.style.leftIndent + self.style.rightIndent

    def natural_width(self) -> float:
        return self.layout.natural_width() + self.style.leftIndent + self.style.rightIndent + self.first_indent

    def _draw_at(self, ox: float, oy: float) -> None:
        c = self.canv
        lay = self.layout
        st = self.style
        size = lay.size
        text = lay.text
        inner = self._inner(self.width or 1)
        fill = rgb_operator(self.color, "rg") if c._enforceColorSpace is None and c._extgstate.getValue("ca") == 1 else None
        if fill is None:
            c.saveState()
            c.setFillColor(self.color)
        else:
            # the colour inside q … Q; what ReportLab tracks of the font is put back after
            # (the shaped and substitute runs set it), as its restoreState would
            c._code.append("q " + fill)
            tracked = c._fontname, c._fontsize, c._leading
        # the first baseline: the line box centred on the glyphs (ascent ~0.88 em)
        y = oy + self.height - (self.leading - size) / 2 - size * 0.88
        for s, e, fl in self._lines:
            # drop trailing white space (and the newline) from what is drawn
            while e > s and (text[e - 1] in WS or text[e - 1] == NEWLINE):
                e -= 1
            x = ox + st.leftIndent + (self.first_indent if fl & 2 else 0.0)
            avail = inner - (self.first_indent if fl & 2 else 0.0)
            segs = [(a, b, font) for a, b, font in lay.runs_in(s, e)]
            widths = self._widths(segs)
            natural = sum(widths)
            cs = 0.0
            if st.alignment == TA_CENTER:
                x += (avail - natural) / 2
            elif st.alignment == TA_RIGHT:
                x += avail - natural
            elif self.justify and not fl & 1 and segs:
                cs = self._char_space(segs, avail - natural, size)
            for (a, b, font), w in zip(segs, widths):
                seg = text[a:b]
                if font == MISSING:
                    self._draw_substitute(x, y, seg, size)
                elif font in lay.shaped_fonts:
                    c._code.append(f"/Span <</ActualText <{_utf16_hex(seg)}>>> BDC")
                    c.setFont(font, size)
                    c.drawString(x, y, seg, shaping=True)
                    c._code.append("EMC")
                else:
                    if INVISIBLE.intersection(seg):
                        seg = "".join(ch for ch in seg if ch not in INVISIBLE)
                    emit_text(c, x, y, seg, font, size, cs)
                    if cs:
                        w += cs * len(seg)
                x += w
            y -= self.leading
        if fill is None:
            c.restoreState()
        else:
            c._code.append("Q")
            c._fontname, c._fontsize, c._leading = tracked

    def _widths(self, segs) -> list[float]:
        lay = self.layout
        return [lay._measure(lay.text[a:b], font) if font in lay.shaped_fonts or font == MISSING
                else lay.range_width(a, b, font) for a, b, font in segs]

    def last_line_end(self) -> float:
        """Where the last line of left-aligned text ends, from the block's left edge (after wrap):
        a table-of-contents entry starts its dot leaders there (desktop/export/contents.py)."""
        if not self._lines:
            return self.style.leftIndent
        text = self.layout.text
        s, e, fl = self._lines[-1]
        while e > s and (text[e - 1] in WS or text[e - 1] == NEWLINE):
            e -= 1
        return (self.style.leftIndent + (self.first_indent if fl & 2 else 0.0)
                + sum(self._widths(list(self.layout.runs_in(s, e)))))

    def _char_space(self, segs, slack: float, size: float) -> float:
        """Letter spacing that justifies a line of Chinese text: only lines with no shaped run,
        with Chinese characters, and a slack below a third of an em per character."""
        lay = self.layout
        if slack <= 0.01:
            return 0.0
        n = 0
        spaces = 0
        cjk = False
        text = lay.text
        for a, b, font in segs:
            if font in lay.shaped_fonts or font == MISSING:
                return 0.0
            n += b - a
            spaces += text.count(" ", a, b)
            cjk = cjk or _CJK_ALL.search(text, a, b) is not None
        # Chinese lines only: an English line (a space every few letters) stays ragged-right
        if n < 2 or not cjk or spaces * 8 > n:
            return 0.0
        cs = slack / (n - 1)
        return cs if cs < size / 3 else 0.0

    def _draw_substitute(self, x: float, y: float, seg: str, size: float) -> None:
        c = self.canv
        shown = "".join(substitute(ch) for ch in seg)
        c._code.append(f"/Span <</ActualText <{_utf16_hex(seg)}>>> BDC")
        c.setFont(_SUBST_FONT, size * 0.8)
        c.drawString(x, y, shown)
        c._code.append("EMC")
