"""Fonts of the desktop UI: the bundled faces registered with Qt, the fallback order per UI
language, and what to show for characters no font can draw.

- Every script Dossier's users write is drawable without any installed font: WenQuanYi Micro Hei
  (Chinese), Noto Sans (Latin, Vietnamese), Noto Sans Thai / Lao / Khmer / Myanmar. They are
  registered with Qt and appended to the application font's families, which is Qt's per-character
  fallback list (fontconfig would find them on Linux anyway; on Windows and macOS only this list does).
- English quotes: when the system's UI font draws “ ” full-width (a CJK UI font, e.g. Noto Sans
  CJK as Linux's default sans-serif), English messages read “ Host country ” with wide gaps. In the
  English UI Noto Sans then comes first, so Latin text and its punctuation are proportional.
- `visible(text)`: the text with characters that no font here can draw replaced by "[U+XXXX]"
  (desktop.values.unsupported holds the rule, shared with the PDF). Whether a character can be
  drawn is asked from Qt itself (a text layout with the real fallback: glyph 0 is the empty box)
  and cached per character, so a list of 2,000 file names costs a few dictionary lookups.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetricsF, QTextLayout
from PySide6.QtWidgets import QApplication

from ..paths import resources_dir
from ..values.unsupported import substitute

# the bundled faces the UI uses, in fallback order (after the system UI font)
UI_FONT_FILES = ("WenQuanYiMicroHei.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansThai-Regular.ttf",
                 "NotoSansLao-Regular.ttf", "NotoSansKhmer-Regular.ttf", "NotoSansMyanmar-Regular.ttf")
CJK_FAMILY = "WenQuanYi Micro Hei"
LATIN_FAMILY = "Noto Sans"

_registered: list[str] = []
_system_family: str | None = None
_drawable: dict[str, bool] = {}
_drawn: set[str] = set(map(chr, range(128)))  # the drawable ones as a set: one C-level test per name (visible)


def register_fonts() -> list[str]:
    """Register the bundled UI faces with Qt (once); their family names, in fallback order."""
    if _registered:
        return list(_registered)
    folder = resources_dir() / "fonts"
    for name in UI_FONT_FILES:
        f = folder / name
        if not f.is_file():
            continue
        fid = QFontDatabase.addApplicationFont(str(f))
        for fam in QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []:
            if fam not in _registered:
                _registered.append(fam)
    return list(_registered)


def quotes_full_width(font: QFont) -> bool:
    """Does `font` draw the English quote “ as wide as a Chinese character?"""
    m = QFontMetricsF(font)
    return m.horizontalAdvance("\u201c") >= 0.9 * m.horizontalAdvance("\u4e2d")


def apply_families(app: QApplication, lang: str) -> QFont:
    """Set the application font's families for the UI language: the system UI font first (native
    look), then the bundled faces; in English, Noto Sans first if the system font has wide quotes."""
    global _system_family
    if _system_family is None:
        # the family the system font RESOLVES to (before ours are registered, which fontconfig would
        # then prefer): "Sans Serif" is an alias, not a family, and as the first of several families
        # Qt skips it — the whole UI would be in the CJK face, with its full-width quotes and "…"
        _system_family = QFontInfo(app.font()).family()
    fams = register_fonts()
    base = QFont(app.font())
    system = QFont(base)
    system.setFamilies([_system_family])
    order = [_system_family] + [f for f in fams if f != _system_family]
    if lang == "en" and LATIN_FAMILY in fams and quotes_full_width(system):
        order = [LATIN_FAMILY] + [f for f in order if f != LATIN_FAMILY]
    if app.font().families() == order:
        return app.font()  # unchanged: no FontChange through every widget
    base.setFamilies(order)
    app.setFont(base)
    _drawable.clear()  # another font: ask again
    _drawn.clear()
    _drawn.update(map(chr, range(128)))
    return base


def can_draw(ch: str) -> bool:
    """Whether Qt draws `ch` with a real glyph in the application font (or its fallbacks)."""
    hit = _drawable.get(ch)
    if hit is None:
        layout = QTextLayout(ch, QApplication.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs = layout.glyphRuns()
        hit = bool(runs) and all(0 not in list(r.glyphIndexes()) for r in runs)
        del runs, layout  # drop the glyph runs before the layout (they point into it)
        _drawable[ch] = hit
        if hit:
            _drawn.add(ch)
    return hit


def visible(text: str) -> str:
    """`text` as the UI shows it: characters no font can draw become [U+XXXX] (see module doc).
    Fast for the usual case (an evidence list of 2,000 names): when every character is already
    known to be drawable, a dictionary lookup per character and nothing else."""
    if not text or text.isascii():
        return text
    if _drawn.issuperset(text) or all(ch.isascii() or _drawable.get(ch) for ch in text):
        return text
    return substitute(text, can_draw)
