"""Mixed-script text for the PDF: which font draws which character, and paragraphs of it.

Every character gets a font that has its glyph, chosen in this order:

1. Thai, Lao, Khmer, Myanmar → Noto Sans of that script (shaped by HarfBuzz);
2. the face of the role — ``body``: Dossier Serif SC (宋体-like), ``head``: Dossier Sans SC Bold
   (黑体-like), ``sans``: WenQuanYi Micro Hei (small print);
3. a Latin word the role face cannot set whole (Vietnamese diacritics…) → Noto Sans (Bold);
4. any other character → WenQuanYi Micro Hei, then Noto Sans, then the script fonts;
5. none has it (an emoji, a rare ideograph beyond GBK) → a visible "[U+XXXX]" substitute whose
   text layer is the true character (desktop/export/textblock.py). Nothing silently vanishes.

`para()` returns a TextBlock (linear-time layout, 禁则, ActualText; see textblock.py) for user
and program text; `markup()` gives ReportLab Paragraph markup for short fixed labels.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from ..fonts import CJK_FONT, HEAD_FONT, LATIN_BOLD, LATIN_FONT, SCRIPT_FONTS, SERIF_FONT, cmap, ensure_font, register_core_fonts
from .linebreak import is_cjk
from .textblock import MISSING, Layout, TextBlock


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

SHAPED_FONTS = frozenset(name for name, _f, _rx in SCRIPT_FONTS.values())
_SCRIPTS = [(name, rx) for name, _f, rx in SCRIPT_FONTS.values()]
ROLE_FONTS = {"body": SERIF_FONT, "head": HEAD_FONT, "sans": CJK_FONT}  # "sans": the UI's face, for callers outside the PDF
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F\u02B0-\u02FF]+")
from .textblock import INVISIBLE as _INVISIBLE  # noqa: E402 - zero-width characters join the run they are in
_FALLBACK = (CJK_FONT, LATIN_FONT, LATIN_BOLD, SERIF_FONT, *sorted(SHAPED_FONTS))


def role_of(font_name: str) -> str:
    if font_name in (HEAD_FONT, LATIN_BOLD):
        return "head"
    if font_name == CJK_FONT:
        return "sans"
    return "body"


def clean(text) -> str:
    """NFC, without control characters (but newlines and tabs) and lone surrogates."""
    text = "" if text is None else str(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _CONTROL.search(text) is None:  # the usual case, at C speed
        return text
    return "".join(" " if ch == "\t" else ch for ch in text
                   if ch == "\n" or ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # Cc (but the newline) and Cs


def _script_font(ch: str) -> str | None:
    for name, rx in _SCRIPTS:
        if rx.match(ch):
            return name
    return None


def _specials(text: str, font: str) -> list[int]:
    """Positions of the characters `font` does not have (the newline counts as had). The set
    difference runs at C speed; a regex is built only from the few characters missing (a class
    of the face's whole cmap took 0.1 s to compile on every start)."""
    missing = set(text).difference(_had(font))
    if not missing:
        return []
    rx = re.compile("[" + "".join(f"\\U{ord(c):08x}" for c in sorted(missing)) + "]")
    return [m.start() for m in rx.finditer(text)]


@lru_cache(maxsize=8)
def _had(font: str) -> frozenset[str]:
    return frozenset(map(chr, cmap(font))) | {"\n"}


def _special_font(ch: str) -> str:
    """The font of a character the role face does not have."""
    if ch in _INVISIBLE:
        return ""  # joins the run it is in
    sf = _script_font(ch)
    if sf is not None:
        ensure_font(sf)
        return sf
    o = ord(ch)
    return next((f for f in _FALLBACK if o in cmap(f)), MISSING)


def segment(text: str, role: str = "body") -> list[tuple[int, int, str]]:
    """(start, end, font) runs covering `text` (which must be clean()ed)."""
    register_core_fonts()
    main = ROLE_FONTS[role]
    if not text:
        return []
    specials = _specials(text, main)
    if not specials:
        return [(0, len(text), main)]
    font_at = {i: _special_font(text[i]) for i in specials}
    # a Latin word the role face cannot set whole goes to Noto Sans whole (no mixed faces in a word)
    latin = LATIN_BOLD if role == "head" else LATIN_FONT
    lat = cmap(latin)
    for m in _LATIN_WORD.finditer(text):
        a, b = m.span()
        k = bisect.bisect_left(specials, a)
        if k < len(specials) and specials[k] < b and all(ord(text[j]) in lat for j in range(a, b)):
            for j in range(a, b):
                font_at[j] = latin
    # runs: the special characters in order, the role face in the gaps between them
    runs: list[list] = []

    def add(a: int, b: int, f: str) -> None:
        if a >= b:
            return
        if not f:  # an invisible character: part of the run before (or after, at the start)
            if runs:
                runs[-1][1] = b
            else:
                runs.append([a, b, ""])
            return
        if runs and (runs[-1][2] == f or runs[-1][2] == ""):
            runs[-1][1] = b
            runs[-1][2] = f
        else:
            runs.append([a, b, f])

    pos = 0
    for i in sorted(font_at):
        add(pos, i, main)
        add(i, i + 1, font_at[i])
        pos = i + 1
    add(pos, len(text), main)
    if runs and runs[0][2] == "":
        runs[0][2] = main
    # neutral characters between two runs of one shaped script (spaces, digits, punctuation it
    # has) stay in it: "ภาษา ไทย 2566 ปี" is one run, shaped as a whole
    out: list[list] = []
    for r in runs:
        if (len(out) >= 2 and out[-2][2] == r[2] and r[2] in SHAPED_FONTS and out[-1][2] == main
                and all(not c.isalpha() and ord(c) in cmap(r[2]) for c in text[out[-1][0]:out[-1][1]])):
            gap = out.pop()
            out[-1][1] = r[1]
            del gap
            continue
        out.append(r)
    return [(a, b, f) for a, b, f in out]


_layout_cache: dict[tuple, Layout] = {}


def layout(text: str, style: ParagraphStyle, role: str | None = None) -> Layout:
    """The Layout of a text in a style (cached: the same cell text is measured once)."""
    role = role or role_of(style.fontName)
    key = (text, style.fontSize, role)
    lay = _layout_cache.get(key)
    if lay is None:
        lay = Layout(text, segment(text, role), style.fontSize, SHAPED_FONTS)
        if len(text) < 2000:  # long texts are laid out once anyway; keep the cache small
            if len(_layout_cache) > 20_000:
                _layout_cache.clear()
            _layout_cache[key] = lay
    return lay


def has_shaped(lay: Layout) -> str | None:
    for _s, _e, f in lay.runs:
        if f in SHAPED_FONTS:
            return f
    return None


def para(text, style: ParagraphStyle, width: float | None = None, *, bold: bool = False,
         indent_first: bool = False) -> TextBlock:
    """A paragraph of arbitrary user or program text in `style`. `bold` sets it in the heading
    face; `indent_first` indents the first line of each paragraph that starts with Chinese by two
    characters (首行缩进). `width` is accepted for the callers' convenience (layout happens when
    the block is wrapped)."""
    text = clean(text)
    lay = layout(text, style, "head" if bold else None)
    leading = style.leading
    sf = has_shaped(lay)
    if sf is not None:
        # tall stacks (Myanmar medials, Khmer subscripts, Thai tone marks) need air
        leading = max(leading, style.fontSize * (1.75 if sf in ("NotoSansMyanmar", "NotoSansKhmer") else 1.55))
    first = 2 * style.fontSize if indent_first and text[:1] and is_cjk(text[:1]) else 0.0
    return TextBlock(lay, style, first_indent=first, leading=leading,
                     justify=style.alignment == TA_JUSTIFY)


# ---------------------------------------------------------------------------- short labels


def escape(t: str) -> str:
    """xml.sax.saxutils.escape, the same three replacements in the same order (importing that
    module imports urllib.request and http.client: 20 ms of every fresh process)."""
    return t.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def markup(text, bold: bool = False) -> str:
    """Paragraph markup (escaped, each script in its font) for short labels in a Paragraph."""
    text = clean(text)
    parts = []
    for s, e, font in segment(text, "head" if bold else "body"):
        t = text[s:e]
        if font == MISSING:
            t = "".join(f"[U+{ord(c):04X}]" for c in t)
            font = LATIN_FONT
        t = escape(t).replace("\n", "<br/>")
        parts.append(f'<font face="{font}">{t}</font>')
    return "".join(parts)


def font_for(text: str) -> tuple[str, bool]:
    """(font, shaping) for a short single-line string drawn straight on the canvas (small print)."""
    text = clean(text)
    runs = segment(text, "sans")
    for _s, _e, f in runs:
        if f in SHAPED_FONTS:
            return f, True
    fonts = {f for _s, _e, f in runs}
    if fonts <= {LATIN_FONT, LATIN_BOLD}:
        return LATIN_FONT, False
    return CJK_FONT, False


def fit_text(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
