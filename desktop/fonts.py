"""Fonts shipped in resources/fonts, registered with ReportLab (all TrueType, embedded as subsets).

The submission PDF is set like a 申报书: a Song/Ming (宋体-like) body face and 黑体-like bold
headings, both in black.

- ``SERIF_FONT`` — Dossier Serif SC: Noto Serif CJK SC Regular converted to TrueType outlines and
  subset to GB 2312 + the characters of the bundled programs (scripts/build_fonts.py). Body text,
  Chinese and Latin.
- ``HEAD_FONT`` — Dossier Sans SC Bold: Noto Sans CJK SC Bold, the same conversion and coverage.
  Headings, labels of the cover, table heads.
- ``CJK_FONT`` — WenQuanYi Micro Hei (sans, GBK and beyond): the fallback for every Chinese
  character outside the subset, and the face of small print (footer, header, seal box).
- ``LATIN_FONT``/``LATIN_BOLD`` — Noto Sans: Latin with Vietnamese and other diacritics, digests.
- Noto Sans Thai/Khmer/Lao/Myanmar — those scripts, shaped by HarfBuzz (reportlab[shaping]).

A character none of them has is never dropped: desktop/export/text.py draws a visible
substitute and keeps the true character in the text layer (ActualText).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .paths import resources_dir

SERIF_FONT = "DossierSerifSC"
HEAD_FONT = "DossierSansSC-Bold"
CJK_FONT = "WenQuanYi"
LATIN_FONT = "NotoSans"
LATIN_BOLD = "NotoSans-Bold"
SCRIPT_FONTS = {
    "thai": ("NotoSansThai", "NotoSansThai-Regular.ttf", re.compile(r"[\u0E00-\u0E7F]")),
    "lao": ("NotoSansLao", "NotoSansLao-Regular.ttf", re.compile(r"[\u0E80-\u0EFF]")),
    "khmer": ("NotoSansKhmer", "NotoSansKhmer-Regular.ttf", re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")),
    "myanmar": ("NotoSansMyanmar", "NotoSansMyanmar-Regular.ttf", re.compile(r"[\u1000-\u109F\uAA60-\uAA7F]")),
}
_VIETNAMESE = re.compile(r"[\u0100-\u024F\u1E00-\u1EFF]")  # Latin extended (Vietnamese, Bahasa diacritics)

FILES = {
    SERIF_FONT: "DossierSerifSC-Regular.ttf",
    HEAD_FONT: "DossierSansSC-Bold.ttf",
    CJK_FONT: "WenQuanYiMicroHei.ttf",
    LATIN_FONT: "NotoSans-Regular.ttf",
    LATIN_BOLD: "NotoSans-Bold.ttf",
    **{name: file for name, file, _rx in SCRIPT_FONTS.values()},
}


def font_path(name: str):
    return resources_dir() / "fonts" / name


# the faces every submission PDF uses; the others (WenQuanYi, the four script fonts) are parsed
# only when a text needs them — parsing a TrueType font costs ReportLab ~0.1 s per MB
CORE = (SERIF_FONT, HEAD_FONT, LATIN_FONT, LATIN_BOLD)
_registered: set[str] = set()


def ensure_font(name: str) -> None:
    """Register one shipped font with ReportLab (once)."""
    if name in _registered:
        return
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    # Every Dossier PDF registers its fonts here before it writes, so this is where ReportLab is
    # told to deflate streams only, not ASCII85-encode them on top: qpdf decoded the two filters
    # and deflated every page of the submission PDF again while finishing it (with deflate alone,
    # its filter named plainly in desktop/export/pdfa.py, qpdf keeps ReportLab's bytes: 7 of a
    # re-render check's 100 ms, issue #10). Set here, not in one module, so that no document's
    # bytes depend on which modules were imported first.
    rl_config.useA85 = 0

    from .export.ttface import tt_font  # ReportLab's TTFont, its glyph tables read in bulk (faster)

    pdfmetrics.registerFont(tt_font(name, str(font_path(FILES[name]))))
    # <b> in Paragraph markup: the body face maps to the heading face, the others to themselves,
    # so ReportLab never falls back to Helvetica
    bold = {SERIF_FONT: HEAD_FONT, LATIN_FONT: LATIN_BOLD}.get(name, name)
    if bold != name:
        ensure_font(bold)
    for b in (0, 1):
        for i in (0, 1):
            addMapping(name, b, i, bold if b else name)
    _registered.add(name)


def register_core_fonts() -> None:
    for name in CORE:
        ensure_font(name)


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register every shipped font (callers that draw with any of them directly)."""
    for name in FILES:
        ensure_font(name)


@lru_cache(maxsize=32)
def cmap(font: str) -> frozenset[int]:
    """The code points a registered font has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    ensure_font(font)
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def font_for_text(text: str) -> tuple[str, bool]:
    """(font name, needs shaping) for a run of text: a South-East Asian script font when the text
    uses one, otherwise WenQuanYi (which covers Chinese and basic Latin) or Noto Sans for
    Vietnamese/extended Latin."""
    for name, _f, rx in SCRIPT_FONTS.values():
        if rx.search(text):
            return name, True
    if _VIETNAMESE.search(text) and not re.search(r"[\u4e00-\u9fff]", text):
        return LATIN_FONT, False
    return CJK_FONT, False
