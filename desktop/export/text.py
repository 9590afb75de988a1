"""Mixed-script text for ReportLab paragraphs.

Every run of text gets a font that has its glyphs: WenQuanYi Micro Hei for Chinese and CJK
punctuation, Noto Sans for Latin (with Vietnamese diacritics), Noto Sans Thai/Khmer/Lao/Myanmar
for those scripts. All are TrueType and embedded as subsets — no base-14 font is ever named.

Two paragraph modes:

- **CJK mode** (no South-East Asian script): ``wordWrap="CJK"``, Chinese breaks between any two
  characters; Latin words stay whole where possible.
- **Shaped mode** (Thai, Khmer, Lao or Myanmar present): ReportLab's HarfBuzz shaping
  (``shaping=1``) forms the clusters (Khmer subscripts, Myanmar medials, Thai marks). ReportLab
  only shapes whole space-separated words and cannot split a shaped word, so a word longer than
  the line is cut here, at grapheme-cluster boundaries, into pieces that fit; a font change inside
  a word gets a space (ReportLab shapes a word with one font).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from ..fonts import CJK_FONT, LATIN_BOLD, LATIN_FONT, SCRIPT_FONTS, register_fonts

def _fix_reportlab_rise() -> None:
    """Work around a ReportLab bug that leaves shaped text raised.

    `PDFTextObject.setRise` merges two consecutive `Ts` operators but then forgets to record the
    new rise, so after two adjacent HarfBuzz clusters with vertical offsets (Khmer subscripts,
    Thai tone marks) the baseline is never reset and the rest of the line floats. The fix is
    installed only when the bug is present."""
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfgen.textobject import PDFTextObject

    probe = PDFTextObject.__new__(PDFTextObject)
    probe._code, probe._rise, probe._y = ["BT"], 0, 0
    probe.setRise(1)
    probe.setRise(2)
    if probe._rise == 2 and probe._y == -2:
        return

    def setRise(self, rise):  # noqa: N802 - ReportLab's name
        v = f"{fp_str(rise)} Ts"
        if self._code and self._code[-1].endswith(" Ts"):
            self._y += self._rise  # undo the rise being replaced
            self._code[-1] = v
        else:
            self._code.append(v)
        self._rise = rise
        self._y -= rise

    PDFTextObject.setRise = setRise


_fix_reportlab_rise()

SHAPED_FONTS = tuple(name for name, _f, _rx in SCRIPT_FONTS.values())  # ordered: output must not depend on hashing
_SCRIPTS = [(name, rx) for name, _f, rx in SCRIPT_FONTS.values()]
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F\u02B0-\u02FF]")
_NEUTRAL = re.compile(r"[\s0-9!-/:-@\[-`{-~\u00A0-\u00BF\u2000-\u206F]")
# leading vowels of Thai and Lao are written before the consonant they follow in speech:
# never break after them
_NO_BREAK_AFTER = re.compile(r"[\u0E40-\u0E44\u0EC0-\u0EC4\u17D2\u1039\u200D]")


@lru_cache(maxsize=16)
def _cmap(font: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def _font_of(ch: str, bold: bool) -> str | None:
    """Font for one character; None for neutral characters (spaces, digits, ASCII punctuation)."""
    for name, rx in _SCRIPTS:
        if rx.match(ch):
            return name
    if _LATIN.match(ch):
        return LATIN_BOLD if bold else LATIN_FONT
    if _NEUTRAL.match(ch):
        return None
    return CJK_FONT


def _covering(ch: str, preferred: str) -> str:
    o = ord(ch)
    if o in _cmap(preferred) or ch in "\n\t ":
        return preferred
    for f in (CJK_FONT, LATIN_FONT, *SHAPED_FONTS):
        if o in _cmap(f):
            return f
    return preferred


def segment(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split text into (font, text) runs. Neutral characters join the run before them (or the
    first real run when the text starts with them)."""
    text = unicodedata.normalize("NFC", text)
    fonts: list[str | None] = [_font_of(ch, bold) for ch in text]
    first = next((f for f in fonts if f), LATIN_BOLD if bold else LATIN_FONT)
    runs: list[tuple[str, str]] = []
    cur = first
    buf: list[str] = []
    for ch, f in zip(text, fonts):
        f = f or cur
        f = _covering(ch, f)
        if f != cur and buf:
            runs.append((cur, "".join(buf)))
            buf = []
        cur = f
        buf.append(ch)
    if buf:
        runs.append((cur, "".join(buf)))
    return runs


def needs_shaping(runs: list[tuple[str, str]]) -> str | None:
    for f, _t in runs:
        if f in SHAPED_FONTS:
            return f
    return None


def _clusters(s: str) -> list[str]:
    out: list[str] = []
    for ch in s:
        if out and (unicodedata.category(ch) in ("Mn", "Mc", "Me") or _NO_BREAK_AFTER.match(out[-1][-1])
                    or ch in "\u200C\u200D"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _fit_pieces(word: str, font: str, size: float, width: float) -> list[str]:
    if pdfmetrics.stringWidth(word, font, size) <= width:
        return [word]
    pieces: list[str] = []
    cur = ""
    for cl in _clusters(word):
        if cur and pdfmetrics.stringWidth(cur + cl, font, size) > width:
            pieces.append(cur)
            cur = cl
        else:
            cur += cl
    if cur:
        pieces.append(cur)
    return pieces


def _prepare_shaped(runs: list[tuple[str, str]], size: float, width: float) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, (font, t) in enumerate(runs):
        # a font change inside a word: separate the words (ReportLab shapes a word with one font)
        if i + 1 < len(runs) and t and not t[-1].isspace() and runs[i + 1][1] and not runs[i + 1][1][0].isspace():
            t = t + " "
        parts = re.split(r"(\s+)", t)
        fixed = []
        for p in parts:
            if p and not p.isspace():
                p = " ".join(_fit_pieces(p, font, size, width * 0.92))
            fixed.append(p)
        out.append((font, "".join(fixed)))
    return out


def to_markup(runs: list[tuple[str, str]]) -> str:
    parts = []
    for font, t in runs:
        t = escape(t).replace("\r\n", "\n").replace("\n", "<br/>").replace("\t", "    ")
        parts.append(f'<font face="{font}">{t}</font>')
    return "".join(parts)


def _shaped(style: ParagraphStyle, font: str) -> ParagraphStyle:
    variants = style.__dict__.setdefault("_dossier_shaped", {})  # cached on the style itself
    st = variants.get(font)
    if st is None:
        st = variants[font] = ParagraphStyle(
            f"{style.name}-shaped", parent=style, fontName=font, wordWrap=None, shaping=1, splitLongWords=0,
            leading=max(style.leading, style.fontSize * 1.75),
        )
    return st


def para(text: str, style: ParagraphStyle, width: float, *, bold: bool = False) -> Paragraph:
    """A Paragraph for arbitrary user text (escaped), each script in its font. `width` is the
    width the paragraph will be laid out in (needed to cut over-long shaped words)."""
    text = "" if text is None else str(text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))
    runs = segment(text, bold)
    shaped_font = needs_shaping(runs)
    if shaped_font:
        return Paragraph(to_markup(_prepare_shaped(runs, style.fontSize, width - style.leftIndent - style.rightIndent)),
                         _shaped(style, shaped_font))
    return Paragraph(to_markup(runs), style)


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup (escaped, fonts chosen) for short labels in CJK-mode paragraphs."""
    return to_markup(segment(str(text or ""), bold))


def font_for(text: str) -> tuple[str, bool]:
    """(font, shaping) for a short single-line string drawn straight on the canvas."""
    runs = segment(text)
    sf = needs_shaping(runs)
    if sf:
        return sf, True
    fonts = {f for f, _ in runs}
    if fonts <= {LATIN_FONT, LATIN_BOLD}:
        return LATIN_FONT, False
    return CJK_FONT, False


def fit_text(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
