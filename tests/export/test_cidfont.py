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


def _reference_subset_program(font: str, gids: list[int]) -> bytes:
    """The font program as the first version wrote it (every glyph visited, every table and then
    the whole file summed word by word): the faster code must write the very same bytes, or every
    package's PDF would change for no reason."""
    tables, n, loca, _adv, _bbox, _upem = cidfont._parsed(font)
    raw = tables[b"glyf"]
    keep = set(gids)
    out = bytearray()
    offsets = [0]
    for g in range(n):
        if g in keep:
            out += raw[loca[g]:loca[g + 1]]
            out += b"\0" * (-len(out) % 4)
        offsets.append(len(out))
    head = bytearray(tables[b"head"])
    head[50:52] = struct.pack(">h", 1)
    new = {t: bytes(d) for t, d in tables.items() if t not in cidfont.DROPPED}
    new.update({b"glyf": bytes(out), b"loca": struct.pack(f">{n + 1}I", *offsets), b"head": bytes(head)})

    def checksum(b: bytes) -> int:
        b += b"\0" * (-len(b) % 4)
        return sum(struct.unpack(f">{len(b) // 4}I", b)) & 0xFFFFFFFF

    tags = sorted(new)
    head = bytearray(new[b"head"])
    head[8:12] = b"\0\0\0\0"
    new[b"head"] = bytes(head)
    es = len(tags).bit_length() - 1
    sr = 16 << es
    directory = bytearray(struct.pack(">IHHHH", 0x00010000, len(tags), sr, es, len(tags) * 16 - sr))
    body = bytearray()
    off = 12 + 16 * len(tags)
    for t in tags:
        directory += struct.pack(">4sIII", t, checksum(new[t]), off + len(body), len(new[t]))
        body += new[t] + b"\0" * (-len(new[t]) % 4)
    whole = bytearray(directory + body)
    adj = (0xB1B0AFBA - checksum(bytes(whole))) & 0xFFFFFFFF
    h = off + sum(len(new[t]) + (-len(new[t]) % 4) for t in tags[:tags.index(b"head")])
    whole[h + 8:h + 12] = struct.pack(">I", adj)
    return bytes(whole)


@pytest.mark.parametrize("font", [SERIF_FONT, HEAD_FONT])
def test_the_subset_bytes_are_those_of_the_reference(font):
    import random

    n = cidfont._parsed(font)[1]
    rng = random.Random(26)
    sets = [[0], [0, 1], [0, n - 1], [0, n - 2, n - 1, n + 5], list(range(0, n, 3)),
            *[sorted({0, *rng.sample(range(n), k)}) for k in (1, 7, 300, 2000)]]
    for gids in sets:
        assert cidfont._subset(font, gids)[0] == _reference_subset_program(font, gids), gids[:10]


@pytest.mark.parametrize("font", [SERIF_FONT, HEAD_FONT])
def test_the_face_is_held_once_in_memory(font):
    """The subset reads the tables out of the very bytes ReportLab's parser holds, as views: three
    copies of each face (≈ 9 MiB in every re-render process of the desk, issue #10) were one too
    many, twice."""
    from reportlab.pdfbase import pdfmetrics

    from desktop.fonts import ensure_font

    ensure_font(font)
    cidfont._font_bytes.cache_clear()
    cidfont._parsed.cache_clear()
    held = pdfmetrics.getFont(font).face._ttf_data
    assert cidfont._font_bytes(font) is held
    tables = cidfont._parsed(font)[0]
    assert all(isinstance(t, memoryview) and t.obj is held for t in tables.values())
