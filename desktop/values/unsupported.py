"""The rule for characters no available font can draw (an emoji in a file name, a rare symbol).

Shown as an empty box, or a blank gap, such a character silently changes what a name looks like:
the printed or displayed name no longer matches the file. So wherever Dossier SHOWS text it
cannot draw — the desktop UI, and the same rule is meant for the PDF — it substitutes each such
character by its code point, visibly and the same way everywhere:

    报告📅.pdf  →  报告[U+1F4C5].pdf

- Only visible characters are checked (letters, marks, numbers, punctuation, symbols, and the
  unassigned / private-use / lone-surrogate code points, which no font draws). Spaces, controls
  and format characters are left as they are.
- A variation selector (U+FE00–FE0F, U+E0100–E01EF) or a zero-width joiner right after a
  substituted character is dropped: "❤️" is one symbol, shown as "[U+2764]", not two.
- The TRUE text is never changed: names are stored, packaged and exported exactly as given;
  tooltips and copies carry the real name. This module is only about display.

`substitute(text, can_draw)` applies the rule; the caller says what its fonts can draw (the UI
asks Qt's font fallback, a PDF writer asks its fonts' character maps). No Qt here.
"""

from __future__ import annotations

import unicodedata
from typing import Callable

_CHECKED = ("L", "M", "N", "P", "S")  # general category initials of visible characters
_NEVER_DRAWN = ("Cn", "Co", "Cs")  # unassigned, private use, lone surrogates (surrogateescape'd bytes)
_JOINERS = {"\u200d"}


def placeholder(ch: str) -> str:
    """The visible stand-in for one character: [U+XXXX] (at least four hex digits)."""
    return f"[U+{ord(ch):04X}]"


def _is_selector(ch: str) -> bool:
    o = ord(ch)
    return 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF or ch in _JOINERS


def needs_check(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in _CHECKED or cat in _NEVER_DRAWN


def substitute(text: str, can_draw: Callable[[str], bool]) -> str:
    """`text` with every character `can_draw` refuses replaced by placeholder(ch) (see module doc)."""
    if not text:
        return text
    out: list[str] = []
    after_substitute = False
    for ch in text:
        if after_substitute and _is_selector(ch):
            continue
        if ch.isascii() or not needs_check(ch):
            out.append(ch)
            after_substitute = False
        elif unicodedata.category(ch) in _NEVER_DRAWN or not can_draw(ch):
            out.append(placeholder(ch))
            after_substitute = True
        else:
            out.append(ch)
            after_substitute = False
    return "".join(out)
