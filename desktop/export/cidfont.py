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

Deterministic: the subset tag is derived from the glyph set; fontTools output is stable.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

from ..fonts import FILES, HEAD_FONT, SERIF_FONT, font_path

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


@lru_cache(maxsize=4)
def _code_table(font: str) -> dict[int, str]:
    """code point -> the two bytes of its glyph id, as two latin-1 characters (for str.translate)."""
    return {cp: chr(g >> 8) + chr(g & 0xFF) for cp, g in _cmap(font).items()}


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
    return font_path(FILES[font]).read_bytes()


def _subset(font: str, gids: list[int]) -> tuple[bytes, dict[int, int], tuple, int]:
    """(font program, gid -> advance width in 1/1000 em, bbox, units per em).

    The glyphs not used are emptied in place (glyph ids kept): the outlines of the used ones are
    copied byte for byte from the glyf table and loca is rebuilt. (fontTools' Subsetter would
    decompile every glyph first: 30 s for a face of 7,700 glyphs on a loaded machine.) Our faces
    have simple glyphs only (scripts/build_fonts.py draws them through a pen), so no composite
    glyph can point at an emptied one — checked below all the same."""
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    tt = TTFont(io.BytesIO(_font_bytes(font)), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    n = tt["maxp"].numGlyphs
    loca = list(tt["loca"].locations)
    raw = tt.reader["glyf"]
    keep = set(gids)
    out = bytearray()
    offsets = [0]
    for g in range(n):
        if g in keep:
            seg = raw[loca[g]:loca[g + 1]]
            if len(seg) >= 10 and int.from_bytes(seg[:2], "big", signed=True) < 0:
                raise ValueError(f"{font}: glyph {g} is a composite glyph")
            out += seg
            if len(out) % 4:
                out += b"\0" * (4 - len(out) % 4)
        offsets.append(len(out))
    glyf = DefaultTable("glyf")
    glyf.data = bytes(out)
    new_loca = newTable("loca")
    new_loca.locations = offsets
    tt["head"].indexToLocFormat = 1
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "DSIG", "hdmx", "LTSH", "VDMX"):
        if tag in tt:
            del tt[tag]
    tt["glyf"] = glyf
    tt["loca"] = new_loca
    upem = tt["head"].unitsPerEm
    hmtx = tt["hmtx"].metrics
    order = tt.getGlyphOrder()
    widths = {g: round(hmtx[order[g]][0] * 1000 / upem) for g in gids if g < n}
    head = tt["head"]
    bbox = tuple(round(v * 1000 / upem) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    buf = io.BytesIO()
    tt.save(buf, reorderTables=False)
    return buf.getvalue(), widths, bbox, upem


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
        ff = pdf.make_stream(program)
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
