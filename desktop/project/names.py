"""Safe file names for files written out of a project or a package."""

from __future__ import annotations


def clean_name(name: str) -> str:
    """A name as text that can be stored and shown: bytes that were not valid UTF-8 in a file name
    (Python keeps them as lone surrogates) become U+FFFD "�"."""
    if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        return name
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in name)


def safe_file_name(name: str, max_bytes: int = 200) -> str:
    """A name any file system accepts (Windows too): no separators or reserved characters, at most
    `max_bytes` of UTF-8 (ext4 allows 255 bytes; a 200-character Chinese name is 600), extension kept."""
    bad = '<>:"/\\|?*'
    name = clean_name(name)
    s = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in name).strip(" .")
    if not s:
        s = "file"
    if s.split(".")[0].upper() in ("CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))):
        s = "_" + s
    if len(s.encode("utf-8")) <= max_bytes:
        return s
    stem, dot, ext = s.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = s, ""
    room = max_bytes - (len(ext.encode()) + 1 if ext else 0)
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
    return f"{cut}.{ext}" if ext else cut
