"""The two CJK faces of the PDF as composite fonts (Type0 / CIDFontType2, Identity-H).

ReportLab embeds TrueType as simple fonts of 256 glyphs each: Chinese text, drawn from thousands
of characters, switches between a dozen such subsets almost every character (a 1,000,000-character
answer needed 550,000 font switches — seconds of Python and megabytes of operators). The body and
heading faces (Dossier Serif SC, Dossier Sans SC Bold) are therefore written as one composite font
each: text is drawn with two-byte glyph ids (`emit` in desktop/export/textblock.py), the used
characters are recorded on the canvas, and `embed` adds, when the document is finished:

- the font program: the face with every glyph not used emptied, glyph ids kept (so
  CIDToGIDMap is /Identity), TrueType outlines;
- the widths (/W, from the subset's hmtx: they match the embedded program, as PDF/A requires);
- a ToUnicode CMap, so copy, search and pdftotext return the text as typed.

Deterministic: the subset tag is derived from the glyph set; the font program is written from the
raw tables, in tag order.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from functools import lru_cache

from .. import fastzlib
from ..fonts import FILES, HEAD_FONT, SERIF_FONT, font_path

assert array("I").itemsize == 4  # the checksums and loca are arrays of 32-bit words

# ReportLab font name -> the PDF resource name its composite font gets on every page
FACES = {SERIF_FONT: "DCFSerif", HEAD_FONT: "DCFSans"}


@lru_cache(maxsize=4)
def _cmap(font: str) -> dict[int, int]:
    """code point -> glyph id of a face (ReportLab's parse of the same file)."""
    from reportlab.pdfbase import pdfmetrics

    from ..fonts import ensure_font

    ensure_font(font)
    return dict(pdfmetrics.getFont(font).face.charToGlyph)


def glyph_ids(font: str, text: str) -> list[int]:
    cm = _cmap(font)
    return list(map(cm.__getitem__, map(ord, text)))


class _Codes(dict):
    """code point -> the two bytes of its glyph id, as two latin-1 characters (for str.translate),
    each made on its first lookup: the whole table (7,700 entries a face) was 10 ms of every fresh
    process, for the few hundred characters a document uses. A character the face lacks raises
    LookupError, which str.translate takes as "not in the table" (it stays as it is)."""

    __slots__ = ("_cm",)

    def __init__(self, cm: dict[int, int]) -> None:
        super().__init__()
        self._cm = cm

    def __missing__(self, cp: int) -> str:
        g = self._cm[cp]  # KeyError (a LookupError) when the face lacks it
        code = self[cp] = chr(g >> 8) + chr(g & 0xFF)
        return code


@lru_cache(maxsize=4)
def _code_table(font: str) -> dict[int, str]:
    """code point -> the two bytes of its glyph id, as two latin-1 characters (for str.translate)."""
    return _Codes(_cmap(font))


def glyph_codes(font: str, text: str) -> bytes | None:
    """The Identity-H string of a text (two bytes per character, big-endian glyph ids), or None
    when the face lacks a character. C speed: one str.translate."""
    coded = text.translate(_code_table(font))
    if len(coded) != 2 * len(text):
        return None
    try:
        return coded.encode("latin-1")
    except UnicodeEncodeError:  # an untranslated character beyond latin-1
        return None


@lru_cache(maxsize=4)
def _font_bytes(font: str) -> bytes:
    """The face's file. When ReportLab has registered the font, the bytes its parser holds: the
    same file, so one copy in memory where there were three (its copy, ours and our tables
    sliced out of ours: ≈ 9 MiB in each of the desk's re-render processes, issue #10)."""
    path = font_path(FILES[font])
    from reportlab.pdfbase import pdfmetrics

    try:
        face = pdfmetrics.getFont(font).face
    except (KeyError, AttributeError):
        face = None
    data = getattr(face, "_ttf_data", None)
    if isinstance(data, bytes) and getattr(face, "filename", None) == str(path) and len(data) == path.stat().st_size:
        return data
    return path.read_bytes()


DROPPED = frozenset({b"GSUB", b"GPOS", b"GDEF", b"BASE", b"vhea", b"vmtx", b"DSIG", b"hdmx", b"LTSH", b"VDMX"})


def _tables(data: bytes) -> dict[bytes, memoryview]:
    """The tables of a TrueType file (our own shipped faces), by tag, in directory order: views
    into `data`, not copies (the glyf table alone is megabytes)."""
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not a TrueType font (glyf outlines)")
    (n,) = struct.unpack_from(">H", data, 4)
    view = memoryview(data)
    out = {}
    for i in range(n):
        tag, _sum, off, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if off + length > len(data):
            raise ValueError(f"table {tag!r} runs past the end of the font")
        out[tag] = view[off:off + length]
    return out


def _checksum(b: bytes) -> int:
    """The OpenType table checksum: the sum of the big-endian 32-bit words, zero-padded."""
    words = array("I")  # 4-byte items on every platform CPython supports (checked at import)
    words.frombytes(b if not len(b) % 4 else bytes(b) + b"\0" * (-len(b) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


_known_sums: dict[int, tuple[bytes, int]] = {}  # id(table) -> (the table, its checksum): the face's own tables


def _table_checksum(data: bytes) -> int:
    """_checksum, remembered for the tables of the parsed faces (the same objects in every
    subset: only glyf, loca and head change), computed for the others."""
    hit = _known_sums.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    return _checksum(data)


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType file of `tables`: directory sorted by tag, tables 4-byte aligned, head's
    checkSumAdjustment set as the OpenType spec says. The whole file's checksum is the sum of
    the directory's and the tables' (each starts 4-byte aligned and is zero-padded), so the
    file is not summed a second time."""
    tags = sorted(tables)
    n = len(tags)
    es = n.bit_length() - 1
    sr = 16 << es
    head = bytearray(tables[b"head"])
    head[8:12] = b"\0\0\0\0"
    tables = {**tables, b"head": bytes(head)}
    directory = bytearray(struct.pack(">IHHHH", 0x00010000, n, sr, es, n * 16 - sr))
    parts = []
    total = 0
    off = 12 + 16 * n
    pos = off
    for t in tags:
        data = tables[t]
        ck = _table_checksum(data)
        total += ck
        directory += struct.pack(">4sIII", t, ck, pos, len(data))
        parts.append(data)
        pad = -len(data) % 4
        if pad:
            parts.append(b"\0" * pad)
        pos += len(data) + pad
    adj = (0xB1B0AFBA - (_checksum(bytes(directory)) + total)) & 0xFFFFFFFF
    font = bytearray(directory)
    for part in parts:
        font += part
    h = off + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[:tags.index(b"head")])
    font[h + 8:h + 12] = struct.pack(">I", adj)
    return bytes(font)


@lru_cache(maxsize=4)
def _parsed(font: str) -> tuple[dict[bytes, bytes], int, list[int], list[int], tuple, int]:
    """(tables, glyph count, loca offsets, advance widths by glyph id, bbox in 1/1000 em, units per em)."""
    tables = _tables(_font_bytes(font))
    head, maxp, hhea = tables[b"head"], tables[b"maxp"], tables[b"hhea"]
    (n,) = struct.unpack_from(">H", maxp, 4)
    (upem,) = struct.unpack_from(">H", head, 18)
    x0, y0, x1, y1 = struct.unpack_from(">hhhh", head, 36)
    (long_loca,) = struct.unpack_from(">h", head, 50)
    raw_loca = tables[b"loca"]
    if long_loca:
        loca = list(struct.unpack_from(f">{n + 1}I", raw_loca))
    else:
        loca = [2 * v for v in struct.unpack_from(f">{n + 1}H", raw_loca)]
    for data in tables.values():  # their checksums, once (desktop/export/cidfont._table_checksum)
        _known_sums[id(data)] = (data, _checksum(data))
    (nh,) = struct.unpack_from(">H", hhea, 34)
    adv = list(struct.unpack_from(f">{2 * nh}H", tables[b"hmtx"])[0::2])
    adv += [adv[-1]] * (n - nh)  # glyphs past numberOfHMetrics share the last advance
    bbox = tuple(round(v * 1000 / upem) for v in (x0, y0, x1, y1))
    return tables, n, loca, adv, bbox, upem


def _subset(font: str, gids: list[int]) -> tuple[bytes, dict[int, int], tuple, int]:
    """(font program, gid -> advance width in 1/1000 em, bbox, units per em).

    The glyphs not used are emptied in place (glyph ids kept): the outlines of the used ones are
    copied byte for byte from the glyf table, loca is rebuilt (long offsets) and the other
    tables are kept as they are, but the layout tables PDF text never uses. Done on the raw
    tables: fontTools took 0.5 s to load and rewrite a face on every start (and its Subsetter,
    which decompiles every glyph, 30 s for 7,700 glyphs on a loaded machine). Our faces have
    simple glyphs only (scripts/build_fonts.py draws them through a pen), so no composite glyph
    can point at an emptied one — checked below all the same."""
    tables, n, loca, adv, bbox, upem = _parsed(font)
    raw = tables[b"glyf"]
    out = bytearray()
    # loca: glyph g's outline is out[offsets[g]:offsets[g + 1]], empty for the glyphs not kept.
    # Only the kept glyphs are visited (a face has 7,700; a document uses a few hundred).
    offsets = array("I", bytes(4 * (n + 1)))
    filled = 1  # offsets[filled:] are not set yet (offsets[0] is 0)
    for g in sorted(set(gids)):
        if g >= n:
            continue
        seg = raw[loca[g]:loca[g + 1]]
        if len(seg) >= 10 and int.from_bytes(seg[:2], "big", signed=True) < 0:
            raise ValueError(f"{font}: glyph {g} is a composite glyph")
        if g + 1 > filled:  # the emptied glyphs before g end where the outlines so far end
            offsets[filled:g + 1] = array("I", [len(out)]) * (g + 1 - filled)
        out += seg
        out += b"\0" * (-len(out) % 4)
        offsets[g + 1] = len(out)
        filled = g + 2
    if filled <= n:
        offsets[filled:] = array("I", [len(out)]) * (n + 1 - filled)
    if sys.byteorder == "little":
        offsets.byteswap()
    head = bytearray(tables[b"head"])
    head[50:52] = struct.pack(">h", 1)  # indexToLocFormat: long offsets
    new = {t: d for t, d in tables.items() if t not in DROPPED}
    new.update({b"glyf": bytes(out), b"loca": offsets.tobytes(), b"head": bytes(head)})
    widths = {g: round(adv[g] * 1000 / upem) for g in gids if g < n}
    return _sfnt(new), widths, bbox, upem


def _tounicode(pairs: list[tuple[int, str]]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(pairs), 100):
        chunk = pairs[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, ch in chunk:
            lines.append(f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def _widths_array(widths: dict[int, int]):
    """/W as runs of consecutive glyph ids: [g [w1 w2 …] g2 [ … ] …]."""
    import pikepdf

    out = []
    run_start = None
    run: list[int] = []
    prev = None
    for g in sorted(widths):
        if prev is not None and g == prev + 1:
            run.append(widths[g])
        else:
            if run_start is not None:
                out += [run_start, pikepdf.Array(run)]
            run_start, run = g, [widths[g]]
        prev = g
    if run_start is not None:
        out += [run_start, pikepdf.Array(run)]
    return pikepdf.Array(out)


def embed(pdf, usage: dict[str, set[str]]) -> None:
    """Add the composite fonts used by the document's text to every page (pikepdf)."""
    import pikepdf
    from pikepdf import Name
    from reportlab.pdfbase import pdfmetrics

    fonts = {}
    for font, chars in sorted(usage.items()):
        if not chars or font not in FACES:
            continue
        cm = _cmap(font)
        by_gid: dict[int, str] = {}
        for ch in sorted(chars):
            g = cm.get(ord(ch))
            if g is not None and g not in by_gid:
                by_gid[g] = ch
        gids = sorted(set(by_gid) | {0})
        program, widths, bbox, _upem = _subset(font, gids)
        face = pdfmetrics.getFont(font).face
        tag = "".join(chr(ord("A") + b % 26) for b in hashlib.sha256(repr(gids).encode()).digest()[:6])
        base = Name("/" + f"{tag}+{face.name.decode('latin-1')}")
        # compressed here with zlib-ng (≈ 2× the speed of the zlib pikepdf would use at save: the
        # font programs are most of what a render compresses); zlib-ng's version is part of the
        # renderer id (renderer_id.LIBRARIES), as its output bytes are part of the PDF's
        ff = pdf.make_stream(fastzlib.deflate(program))
        ff.Filter = Name.FlateDecode
        ff.Length1 = len(program)
        desc = pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.FontDescriptor, FontName=base, Flags=4, FontBBox=pikepdf.Array(list(bbox)), ItalicAngle=0,
            Ascent=int(face.ascent), Descent=int(face.descent), CapHeight=int(face.capHeight), StemV=int(face.stemV),
            FontFile2=ff))
        cid = pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=base,
            CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
            FontDescriptor=desc, DW=1000, W=_widths_array(widths), CIDToGIDMap=Name.Identity))
        tu = pdf.make_stream(_tounicode(sorted(by_gid.items())))
        fonts[Name("/" + FACES[font])] = pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=base, Encoding=Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([cid]), ToUnicode=tu))
    if not fonts:
        return
    for page in pdf.pages:
        res = page.obj.get("/Resources")
        if res is None:
            page.obj.Resources = res = pikepdf.Dictionary()
        if "/Font" not in res:
            res.Font = pikepdf.Dictionary()
        for name, obj in fonts.items():
            res.Font[name] = obj
