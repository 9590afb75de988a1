"""The CJK font programs embedded in the PDF (desktop/export/cidfont.py): written from the raw
TrueType tables, they must be fonts another tool reads, with the used glyphs intact."""

from __future__ import annotations

import io
import struct

import pytest

from desktop.export import cidfont
from desktop.fonts import HEAD_FONT, SERIF_FONT

TTFont = pytest.importorskip("fontTools.ttLib").TTFont


@pytest.mark.parametrize("font", [SERIF_FONT, HEAD_FONT])
def test_the_subset_is_a_valid_font_with_the_used_glyphs_intact(font):
    gids = [0, 1, 5, 100, 2000, 5000]
    prog, widths, bbox, upem = cidfont._subset(font, gids)
    # every table's checksum, and the whole file's (head.checkSumAdjustment), as the spec asks
    sub = TTFont(io.BytesIO(prog), checkChecksums=2)
    assert sum(struct.unpack(f">{len(prog) // 4}I", prog)) & 0xFFFFFFFF == 0xB1B0AFBA
    orig = TTFont(io.BytesIO(cidfont._font_bytes(font)))
    order = orig.getGlyphOrder()
    assert sub["maxp"].numGlyphs == orig["maxp"].numGlyphs  # glyph ids kept (CIDToGIDMap /Identity)
    for g in gids:
        assert sub["glyf"][order[g]].compile(sub["glyf"]) == orig["glyf"][order[g]].compile(orig["glyf"])
        assert sub["hmtx"][order[g]] == orig["hmtx"][order[g]]
        assert widths[g] == round(orig["hmtx"][order[g]][0] * 1000 / upem)
    assert sub["glyf"][order[3]].numberOfContours == 0  # not used: emptied
    assert "GSUB" not in sub and "GPOS" not in sub
    assert upem == orig["head"].unitsPerEm
    assert bbox == tuple(round(v * 1000 / upem) for v in (orig["head"].xMin, orig["head"].yMin,
                                                           orig["head"].xMax, orig["head"].yMax))
    assert sub["head"].indexToLocFormat == 1
    assert len(prog) < len(cidfont._font_bytes(font)) / 10


def test_the_subset_is_deterministic():
    a = cidfont._subset(SERIF_FONT, [0, 10, 20])[0]
    cidfont._parsed.cache_clear()
    assert cidfont._subset(SERIF_FONT, [20, 10, 0])[0] == a
