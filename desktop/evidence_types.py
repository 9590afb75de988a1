"""An evidence file's type from its content (first bytes; no libmagic needed), and whether its name
agrees with it.

The content decides: random bytes named `scan.pdf` are not `application/pdf` (they would be shown,
listed and packaged as a PDF nobody can open). For an extension whose format has a signature
(PDF, PNG, JPEG, Office, ZIP, …) content without that signature is `application/octet-stream`;
only formats without a signature (text, CSV…) fall back to the name. `name_mismatch` says, in both
languages, when the name claims one format and the content is another (the UI and the CLI warn;
the file is still attached: the user may know better, and nothing is lost).
"""

from __future__ import annotations

import mimetypes

_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .doc/.xls/.ppt
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b", "application/gzip"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"SQLite format 3\x00", "application/vnd.sqlite3"),
]

_OOXML = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".ofd": "application/ofd",
}
_OLE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint"}

# extensions whose format starts with a signature: the types their content may be, and its name
_PDF = "application/pdf"
_SIGNED_EXT: dict[str, tuple[frozenset, str, str]] = {
    ".pdf": (frozenset({_PDF}), "a PDF document", "PDF 文档"),
    ".png": (frozenset({"image/png"}), "a PNG image", "PNG 图片"),
    ".jpg": (frozenset({"image/jpeg"}), "a JPEG image", "JPEG 图片"),
    ".jpeg": (frozenset({"image/jpeg"}), "a JPEG image", "JPEG 图片"),
    ".gif": (frozenset({"image/gif"}), "a GIF image", "GIF 图片"),
    ".bmp": (frozenset({"image/bmp"}), "a BMP image", "BMP 图片"),
    ".tif": (frozenset({"image/tiff"}), "a TIFF image", "TIFF 图片"),
    ".tiff": (frozenset({"image/tiff"}), "a TIFF image", "TIFF 图片"),
    ".webp": (frozenset({"image/webp"}), "a WebP image", "WebP 图片"),
    ".docx": (frozenset({_OOXML[".docx"]}), "a Word document", "Word 文档"),
    ".xlsx": (frozenset({_OOXML[".xlsx"]}), "an Excel workbook", "Excel 工作簿"),
    ".pptx": (frozenset({_OOXML[".pptx"]}), "a PowerPoint presentation", "PowerPoint 演示文稿"),
    ".ofd": (frozenset({_OOXML[".ofd"]}), "an OFD document", "OFD 文档"),
    ".zip": (frozenset({"application/zip"}), "a ZIP archive", "ZIP 压缩包"),
    ".doc": (frozenset({_OLE[".doc"]}), "a Word document", "Word 文档"),
    ".xls": (frozenset({_OLE[".xls"]}), "an Excel workbook", "Excel 工作簿"),
    ".ppt": (frozenset({_OLE[".ppt"]}), "a PowerPoint presentation", "PowerPoint 演示文稿"),
    ".rar": (frozenset({"application/vnd.rar"}), "a RAR archive", "RAR 压缩包"),
    ".7z": (frozenset({"application/x-7z-compressed"}), "a 7-Zip archive", "7-Zip 压缩包"),
    ".gz": (frozenset({"application/gzip"}), "a gzip file", "gzip 文件"),
    ".mp4": (frozenset({"video/mp4"}), "an MP4 video", "MP4 视频"),
}
_DESCRIBED = {m: (en, zh) for mimes, en, zh in _SIGNED_EXT.values() for m in mimes}

UNKNOWN = "application/octet-stream"


def _ext(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _from_content(head: bytes, ext: str) -> str | None:
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            if mime == "application/x-ole-storage":
                return _OLE.get(ext, mime)
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"PK\x03\x04"):
        return _OOXML.get(ext, "application/zip")
    return None


def detect_type(head: bytes, name: str) -> str:
    ext = _ext(name)
    found = _from_content(head, ext)
    if found:
        return found
    if not head:
        return "application/x-empty"
    if ext in _SIGNED_EXT:
        return UNKNOWN  # the name claims a format whose signature is not there: the content decides
    guess = mimetypes.guess_type(name)[0]
    if guess:
        return guess
    try:
        head.decode("utf-8")
        return "text/plain"
    except UnicodeDecodeError:
        return UNKNOWN


def _what(mime: str) -> tuple[str, str]:
    if mime in _DESCRIBED:
        return _DESCRIBED[mime]
    if mime.startswith("text/"):
        return "text", "文本"
    if mime.startswith("image/"):
        return "an image of another kind", "其他格式的图片"
    return "data of an unknown kind", "未知类型的数据"


def name_mismatch(name: str, mime: str) -> tuple[str, str] | None:
    """(en, zh) when `name`'s extension claims a format its content (`mime`, from detect_type) is not;
    None when they agree, when the file is empty, or when the extension claims nothing a signature
    could back (.txt, .csv, no extension)."""
    ext = _ext(name)
    claim = _SIGNED_EXT.get(ext)
    if claim is None or mime == "application/x-empty":
        return None
    mimes, en, zh = claim
    if mime in mimes:
        return None
    got_en, got_zh = _what(mime)
    return (f"{name} is named {ext}, but its content is not {en} (it is {got_en}): check that it is the right file",
            f"{name} 的扩展名是 {ext}，但内容不是{zh}（而是{got_zh}）：请确认文件无误")
