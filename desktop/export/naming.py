"""File and folder names for outputs and for evidence inside the package.

Names keep Chinese (and every other script) but are safe on Windows, macOS and Linux file
systems and inside `manifest-sha256.txt` (which `sha256sum -c` and bagit-python both read):

- Unicode NFC (macOS hands out NFD names);
- no path separators, no characters Windows refuses (``<>:"/\\|?*``), no control or format
  characters (this also removes bidi overrides that disguise extensions), no ``%`` (BagIt
  manifests percent-encode it, `sha256sum` would not): it becomes the full-width ``％``;
- no leading or trailing dots and spaces, no Windows device names (CON, NUL, COM1…);
- at most `max_bytes` UTF-8 bytes per component, the extension kept;
- unique within a folder, ignoring case (Windows and macOS file systems are case-insensitive):
  the second ``报告.pdf`` becomes ``报告 (2).pdf``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

_WINDOWS_BAD = set('<>:"/\\|?*')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_COMPONENT_BYTES = 150  # far below the 255-byte limit of ext4/NTFS, leaves room for deep unzip folders


def _clean_char(ch: str) -> str:
    if ch == "%":
        return "％"
    if ch in _WINDOWS_BAD:
        return "_"
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return "_"
    if ch.isspace():
        return " "
    return ch


def _truncate_utf8(s: str, limit: int) -> str:
    if len(s.encode("utf-8")) <= limit:
        return s
    out = []
    used = 0
    for ch in s:
        n = len(ch.encode("utf-8"))
        if used + n > limit:
            break
        out.append(ch)
        used += n
    # never end on a combining mark cut off from its base
    while out and unicodedata.combining(out[-1]):
        out.pop()
    return "".join(out)


def safe_component(name: str, *, max_bytes: int = MAX_COMPONENT_BYTES, default: str = "file", keep_ext: bool = True) -> str:
    """One safe path component (file or folder name) for `name`; `keep_ext`: truncation keeps the extension."""
    s = unicodedata.normalize("NFC", name or "")
    s = "".join(_clean_char(ch) for ch in s)
    s = re.sub(r" {2,}", " ", s).strip(" .")
    if not s:
        s = default
    stem, dot, ext = s.rpartition(".")
    if not keep_ext or not dot or not stem or len(ext.encode("utf-8")) > 16 or " " in ext:
        stem, ext = s, ""
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = "_" + stem
    suffix = f".{ext}" if ext else ""
    stem = _truncate_utf8(stem, max_bytes - len(suffix.encode("utf-8"))).rstrip(" .") or default
    return stem + suffix


def _numbered(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    tag = f" ({n})"
    stem = _truncate_utf8(stem, MAX_COMPONENT_BYTES - len(tag.encode()) - len(ext.encode()) - 1)
    return f"{stem}{tag}" + (f".{ext}" if ext else "")


class UniqueNames:
    """Hands out collision-free names within one folder (case-insensitive, NFC)."""

    def __init__(self, taken: Iterable[str] = ()):
        self._taken = {self._key(t) for t in taken}

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def claim(self, name: str) -> str:
        cand = name
        n = 1
        while self._key(cand) in self._taken:
            n += 1
            cand = _numbered(name, n)
        self._taken.add(self._key(cand))
        return cand


def output_base_name(program_id: str, applicant: str, date_yyyymmdd: str, *, draft: bool = False) -> str:
    """`<program-id>_<applicant>_<YYYYMMDD>` (drafts get `_DRAFT`), safe as a file name."""
    who = safe_component(applicant, max_bytes=120, default="applicant", keep_ext=False)
    who = who.replace(" ", "-")
    pid = safe_component(program_id, max_bytes=64, default="program", keep_ext=False)
    base = f"{pid}_{who}_{date_yyyymmdd}"
    return base + ("_DRAFT" if draft else "")
