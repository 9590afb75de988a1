"""Where a line may break: Chinese line-breaking rules (禁则) and South-East Asian word boundaries.

The text is cut into *pieces* that never break inside: one Chinese character (or punctuation
mark), one Latin word, one run of white space, or one word/syllable of a South-East Asian script.
Between two pieces a break is allowed or not:

- **Chinese (GB/T 15834, as in JIS X 4051)**: no line starts with closing punctuation
  (，。、：；！？）」』】》”’ …), none ends with opening punctuation (（「『【《“‘ …), and the two-em
  dash "——" and the ellipsis "……" are never split.
- **Latin**: between words, at white space (a word longer than the line is cut by the layout).
- **Thai**: at the phrase boundaries of BudouX (Google's maintained segmenter; its Thai model is
  ~33 KB), which fall between words; its rare slips are mended (no cut before a following vowel
  or mark, after a preposed vowel, or after a lone consonant: "ม|หาวิทยาลัย").
- **Khmer and Myanmar**: between orthographic syllables (a consonant or independent vowel not
  joined to the one before by a coeng/virama/asat), **Lao**: before a preposed vowel
  (ເ ແ ໂ ໄ ໃ), which always starts a syllable, and after ະ, which always ends one. No small maintained dictionary segmenter exists
  for these three on PyPI (ICU's wheels weigh 16 MB), so lines break between syllables, never
  inside one; a piece longer than the line is cut at grapheme clusters.

Speed: one pass over the text, no measuring of prefixes (a 1,000,000-character answer is cut in
well under a second).
"""

from __future__ import annotations

import re
from functools import lru_cache

# 行首禁则 — may not start a line
NO_START = frozenset(
    "，。、：；！？）」』】》〉〕］｝〗〙”’・·‧…—～％‰℃"
    ",.;:!?)]}%"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々〻"
)
# 行尾禁则 — may not end a line
NO_END = frozenset("（「『【《〈〔［｛〖〘“‘([{￥$＄£€#＃")
# pairs that must stay together ("——", "……")
NO_SPLIT = frozenset("—…")

WS = frozenset(" \t\u2002\u2003\u2009\u3000\u200b")  # U+00A0 is no break opportunity
NEWLINE = "\n"

CJK_CLASS = (
    "[\u1100-\u11FF\u2E80-\u2FFF\u3000-\u303F\u3040-\u30FF\u3100-\u312F\u3130-\u318F\u3190-\u31FF"
    "\u3200-\u32FF\u3300-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7FF\uF900-\uFAFF"
    "\uFE10-\uFE1F\uFE30-\uFE4F\uFF00-\uFFEF\U00020000-\U0003FFFF\u2014\u2026\u201C\u201D\u2018\u2019\u00B7]"
)
_CJK_RE = re.compile(CJK_CLASS)


def is_cjk(ch: str) -> bool:
    return _CJK_RE.match(ch) is not None


# ---------------------------------------------------------------------------- South-East Asian scripts

_THAI = re.compile(r"[\u0E00-\u0E7F]")
_LAO = re.compile(r"[\u0E80-\u0EFF]")
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_MYANMAR = re.compile(r"[\u1000-\u109F\uAA60-\uAA7F]")

# Myanmar syllables (after Ye Kyaw Thu's sylbreak): a break before a consonant that is neither
# stacked (preceded by the virama U+1039) nor killed (followed by asat U+103A or virama), and
# before independent vowels, symbols and a number; never before the section marks ၊ ။.
_MY_BREAK = re.compile(
    r"(?<!\u1039)[\u1000-\u1021](?![\u103A\u1039])|[\u1023-\u102A\u103F\u104C-\u104F]|(?<![\u1040-\u1049])[\u1040-\u1049]"
)
# Khmer: a break before a consonant or independent vowel not subscripted by the coeng U+17D2
_KM_BREAK = re.compile(r"(?<!\u17D2)[\u1780-\u17B3]")
# Lao: a break before a preposed vowel, and after the short vowel ະ (it always closes a syllable)
_LO_BREAK = re.compile(r"[\u0EC0-\u0EC4]|(?<=\u0EB0)[\u0E81-\u0EAE\u0EDC-\u0EDF]")


@lru_cache(maxsize=1)
def _thai_parser():
    import budoux

    return budoux.load_default_thai_parser()


# Thai characters that cannot start a syllable (following vowels, marks, ฯ ๆ) and ones that
# cannot end one (preposed vowels)
_TH_NO_START = re.compile(r"[\u0E2F\u0E30-\u0E3A\u0E45-\u0E4E]")
_TH_CONSONANT = re.compile(r"[\u0E01-\u0E2E]")


def _mend_thai(parts: list[str]) -> list[str]:
    """Guard BudouX's cuts: never before a following vowel or mark, never after a preposed vowel,
    and never leave one bare consonant alone (BudouX cuts "ม|หาวิทยาลัย")."""
    out: list[str] = []
    for p in parts:
        if out and (_TH_NO_START.match(p) or out[-1][-1] in _PREPOSED
                    or (len(out[-1]) == 1 and _TH_CONSONANT.match(out[-1]))):
            out[-1] += p
        else:
            out.append(p)
    return out


def _split_at(text: str, rx: re.Pattern) -> list[str]:
    cuts = [m.start() for m in rx.finditer(text) if m.start() > 0]
    out, prev = [], 0
    for c in cuts:
        if c > prev:
            out.append(text[prev:c])
            prev = c
    out.append(text[prev:])
    return [s for s in out if s]


def sea_words(text: str) -> list[str]:
    """A run of one South-East Asian script (no white space) cut where a line may break."""
    if not text:
        return []
    if _THAI.search(text):
        return _mend_thai([p for p in _thai_parser().parse(text) if p])
    if _MYANMAR.search(text):
        return _split_at(text, _MY_BREAK)
    if _KHMER.search(text):
        return _split_at(text, _KM_BREAK)
    if _LAO.search(text):
        return _split_at(text, _LO_BREAK)
    return [text]


def may_break(prev_last: str, next_first: str, prev_cjk: bool, next_cjk: bool, script_change: bool) -> bool:
    """Whether a line may break between two pieces (no white space between them)."""
    if next_first in NO_START or prev_last in NO_END:
        return False
    if prev_last in NO_SPLIT and next_first == prev_last:
        return False
    return prev_cjk or next_cjk or script_change


# ---------------------------------------------------------------------------- grapheme clusters

_MARK_RE = re.compile(r"[\u0300-\u036F\u0E31\u0E34-\u0E3A\u0E47-\u0E4E\u0EB1\u0EB4-\u0EBC\u0EC8-\u0ECD"
                      r"\u102B-\u103E\u1056-\u1059\u105E-\u1060\u1062-\u1064\u1067-\u106D\u1071-\u1074"
                      r"\u1082-\u108D\u108F\u109A-\u109D\u17B4-\u17D3\u17DD\u200C\u200D\uFE00-\uFE0F]")
_JOINERS = frozenset("\u17D2\u1039\u200D")
_PREPOSED = frozenset("\u0E40\u0E41\u0E42\u0E43\u0E44\u0EC0\u0EC1\u0EC2\u0EC3\u0EC4")


def clusters(s: str) -> list[str]:
    """Grapheme-like clusters: a base with its combining marks, a stacked consonant with the one
    it hangs under, a preposed vowel with its consonant. Used only to cut a piece longer than a
    line (never between a mark and its base)."""
    out: list[str] = []
    for ch in s:
        if out and (_MARK_RE.match(ch) or out[-1][-1] in _JOINERS or out[-1][-1] in _PREPOSED):
            out[-1] += ch
        else:
            out.append(ch)
    return out
