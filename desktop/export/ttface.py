"""ReportLab's TrueType faces, with the per-glyph tables read in bulk.

ReportLab's `TTFontFile.extractInfo` reads the cmap, hmtx and loca tables two bytes at a time
through Python method calls (`read_ushort`): for the four faces every PDF uses that was ≈0.2 s of
each fresh process — a fifth of `dossier verify`'s re-render. `Face` lets ReportLab read
everything else itself (`extractInfo(charInfo=0)`: names, head, OS/2, post, hhea, maxp), then
fills the same attributes from those three tables with `struct.unpack_from` over whole arrays.

The result is meant to be exactly ReportLab's, attribute for attribute and in the same dict
order (tests/export/test_ttface.py compares them for every shipped font): charToGlyph,
glyphToChar, charWidths (also for the no-break space), defaultWidth, hmetrics (with ReportLab's
quirk: past numberOfHMetrics the advance is the scaled one), glyphPos and the read position.
Any cmap format other than 4 and 12, or anything odd, is left to ReportLab's own parse.
"""

from __future__ import annotations

import struct

from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace, TTFontFile


class _Unusual(Exception):
    """Something the bulk reader does not handle: ReportLab's parse decides (and raises)."""


class Face(TTFontFace):
    def extractInfo(self, charInfo=1):  # noqa: N802 - ReportLab's name
        if not charInfo:
            return TTFontFile.extractInfo(self, 0)
        TTFontFile.extractInfo(self, 0)  # everything but cmap, hmtx and loca; raises as ReportLab does
        try:
            self._bulk_tables()
        except (_Unusual, struct.error, KeyError, IndexError):
            TTFontFile.extractInfo(self, 1)  # ReportLab's parse from the start: its values, its errors

    def _bulk_tables(self) -> None:
        data = self._ttf_data
        head = self.get_table_pos("head")[0]
        index_to_loc, glyph_data_format = struct.unpack_from(">hH", data, head + 50)
        if glyph_data_format != 0 or index_to_loc not in (0, 1) or "loca" not in self.table:
            raise _Unusual
        (nhm,) = struct.unpack_from(">H", data, self.get_table_pos("hhea")[0] + 34)
        n = self.numGlyphs
        scale = self._pdfScale

        # cmap: the subtable ReportLab's loop picks (the last that qualifies)
        cmap_offset = self.get_table_pos("cmap")[0]
        version, count = struct.unpack_from(">HH", data, cmap_offset)
        if count == 0 and version != 0:
            count = version
        encoffs = None
        enc = 0
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", data, cmap_offset + 4 + 8 * i)
            if platform == 3:
                enc, encoffs = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, encoffs = 2, offset
            elif platform == 1 and encoding == 1:
                enc, encoffs = 1, offset
            elif platform == 0 and encoding != 5:
                enc, encoffs = 1, offset
        if encoffs is None:
            raise _Unusual
        encoffs += cmap_offset
        (fmt,) = struct.unpack_from(">H", data, encoffs)
        pairs: list[tuple[int, int]] = []  # (code point, glyph) in ReportLab's order
        if fmt == 4:
            (length,) = struct.unpack_from(">H", data, encoffs + 2)
            limit = encoffs + length
            seg = struct.unpack_from(">H", data, encoffs + 6)[0] // 2
            p = encoffs + 14
            ends = struct.unpack_from(f">{seg}H", data, p)
            starts = struct.unpack_from(f">{seg}H", data, p + 2 * seg + 2)
            deltas = struct.unpack_from(f">{seg}h", data, p + 4 * seg + 2)
            ro_start = p + 6 * seg + 2
            ranges = struct.unpack_from(f">{seg}H", data, ro_start)
            for k in range(seg):
                s, e, d, ro = starts[k], ends[k], deltas[k], ranges[k]
                if e < s:
                    continue
                if ro == 0:
                    if 0 <= s + d and e + d <= 0xFFFF:
                        pairs += zip(range(s, e + 1), range(s + d, e + d + 1))
                    else:
                        pairs += ((u, (u + d) & 0xFFFF) for u in range(s, e + 1))
                    continue
                first = ro_start + 2 * k + ro
                last = first + 2 * (e - s)
                if last >= limit or first < 0:
                    raise _Unusual  # ReportLab's workaround for broken fonts: leave it to ReportLab
                raw = struct.unpack_from(f">{e - s + 1}H", data, first)
                pairs += zip(range(s, e + 1), [(g + d) & 0xFFFF if g else 0 for g in raw])
        elif fmt == 12:
            (groups,) = struct.unpack_from(">L", data, encoffs + 12)
            flat = struct.unpack_from(f">{3 * groups}L", data, encoffs + 16)
            for k in range(0, 3 * groups, 3):
                s, e, g0 = flat[k], flat[k + 1], flat[k + 2]
                pairs += zip(range(s, e + 1), range(g0, g0 + e - s + 1))
        else:
            raise _Unusual
        char_to_glyph = dict(pairs)
        glyph_to_char: dict[int, list[int]] = {}
        for u, g in pairs:
            glyph_to_char.setdefault(g, []).append(u)

        # hmtx: advance widths; ReportLab stores the raw advance in hmetrics for the long
        # metrics and the last *scaled* advance for the glyphs after them
        hmtx = self.get_table_pos("hmtx")[0]
        if nhm == 0:
            raise _Unusual
        long = struct.unpack_from(f">{2 * nhm}H", data, hmtx)
        advances = long[0::2]
        hmetrics = list(zip(advances, long[1::2]))
        widths = [scale(a) for a in advances]
        if n > nhm:
            lsbs = struct.unpack_from(f">{n - nhm}H", data, hmtx + 4 * nhm)
            last = widths[-1]
            hmetrics += [(last, lsb) for lsb in lsbs]
            widths += [last] * (n - nhm)
        char_widths: dict[int, float] = {}
        for g in sorted(glyph_to_char):
            if g >= n:
                break
            w = widths[g]
            for u in glyph_to_char[g]:
                char_widths[u] = w

        # loca
        loca = self.get_table_pos("loca")[0]
        if index_to_loc == 0:
            glyph_pos = [2 * v for v in struct.unpack_from(f">{n + 1}H", data, loca)]
            end = loca + 2 * (n + 1)
        else:
            glyph_pos = list(struct.unpack_from(f">{n + 1}L", data, loca))
            end = loca + 4 * (n + 1)

        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        # the same values as ReportLab's (and the same order inside each table)
        self.charToGlyph = char_to_glyph
        self.glyphToChar = glyph_to_char
        self.charWidths = char_widths
        self.hmetrics = hmetrics
        self.defaultWidth = widths[0]
        self.glyphPos = glyph_pos
        self._pos = end


def tt_font(name: str, filename: str) -> TTFont:
    """`TTFont(name, filename)`, its face a `Face` (the same steps as ReportLab's __init__)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab.rl_config import unShapedFontGlob

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = Face(filename, validate=0, subfontIndex=0)
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in unShapedFontGlob)
    return font
