"""Fonts shipped in resources/fonts, registered with ReportLab (all embedded, subset).

WenQuanYi Micro Hei (TrueType outlines; ReportLab cannot embed the CFF Noto CJK fonts) carries
Chinese and Latin; Noto Sans carries Latin with Vietnamese diacritics; Noto Sans Thai/Khmer/Lao/
Myanmar carry those scripts and are shaped by HarfBuzz (reportlab[shaping]).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .paths import resources_dir

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


def font_path(name: str):
    return resources_dir() / "fonts" / name


@lru_cache(maxsize=1)
def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.fonts import addMapping

    pdfmetrics.registerFont(TTFont(CJK_FONT, str(font_path("WenQuanYiMicroHei.ttf"))))
    pdfmetrics.registerFont(TTFont(LATIN_FONT, str(font_path("NotoSans-Regular.ttf"))))
    pdfmetrics.registerFont(TTFont(LATIN_BOLD, str(font_path("NotoSans-Bold.ttf"))))
    for name, file, _rx in SCRIPT_FONTS.values():
        pdfmetrics.registerFont(TTFont(name, str(font_path(file))))
    # WenQuanYi has no bold face: map bold/italic to itself so <b> never falls back to Helvetica
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK_FONT, bold, italic, CJK_FONT)
            addMapping(LATIN_FONT, bold, italic, LATIN_BOLD if bold else LATIN_FONT)
    for name, _f, _rx in SCRIPT_FONTS.values():
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)


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
