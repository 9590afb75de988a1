"""Build the two CJK faces of the submission PDF from the OFL Noto CJK fonts (run by hand).

ReportLab embeds TrueType (glyf) outlines only, and Noto Serif/Sans CJK ship CFF outlines, so
this script converts them with fontTools (cff → quadratic curves, cu2qu) and subsets them:

    resources/fonts/DossierSerifSC-Regular.ttf   Noto Serif CJK SC Regular (宋体-like body face)
    resources/fonts/DossierSansSC-Bold.ttf       Noto Sans CJK SC Bold     (黑体-like headings)

Coverage kept (docs/pdf.md, "Fonts"): every GB 2312 character (6,763 hanzi and 682 symbols),
every character used in the bundled program definitions and in the app's own strings, ASCII and
Latin-1, general punctuation, CJK symbols and punctuation, full-width forms, enclosed numbers.
Anything else falls back to WenQuanYi Micro Hei (GBK and more) in the PDF, and a character no
shipped font has is drawn as a visible [U+XXXX] substitute, never dropped (desktop/export/text.py).

    apt-get install fonts-noto-cjk          # the sources (Debian; OFL-1.1)
    python scripts/build_fonts.py [--src /usr/share/fonts/opentype/noto]

The font names inside are changed (OFL Reserved Font Names: a modified font must not keep "Noto").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts"

FACES = [
    # (source collection, font number in it (SC), output file, family, style)
    ("NotoSerifCJK-Regular.ttc", 2, "DossierSerifSC-Regular.ttf", "Dossier Serif SC", "Regular"),
    ("NotoSansCJK-Bold.ttc", 2, "DossierSansSC-Bold.ttf", "Dossier Sans SC", "Bold"),
]

RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF),  # ASCII, Latin-1
    (0x2010, 0x2027), (0x2030, 0x203B), (0x2160, 0x216B),  # dashes, quotes, ‰, ※, Roman numerals
    (0x2190, 0x2193), (0x2460, 0x2473), (0x2474, 0x249B),  # arrows, ①–⑳, ⑴–⒇
    (0x25A0, 0x25CF), (0x2605, 0x2606), (0x2713, 0x2714),  # □■○●, ★☆, ✓✔
    (0x3000, 0x303F), (0x3200, 0x3229),  # CJK symbols and punctuation, ㈠–㈩
    (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5),  # full-width forms
]


def gb2312() -> set[int]:
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes([hi, lo]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.add(ord(ch))
    return out


def used_in_repo() -> set[int]:
    out = set()
    for pattern in ("resources/programs/*.yaml", "desktop/**/*.py", "resources/translations/*.ts"):
        for p in ROOT.glob(pattern):
            out.update(ord(c) for c in p.read_text("utf-8") if ord(c) >= 0x2E80)
    return out


def codepoints() -> set[int]:
    cps = gb2312() | used_in_repo()
    for a, b in RANGES:
        cps.update(range(a, b + 1))
    return cps


def build(src: Path, number: int, out: Path, family: str, style: str, cps: set[int]) -> None:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(src), fontNumber=number, lazy=False)
    opts = subset.Options()
    opts.layout_features = []  # ReportLab applies no OpenType layout to CJK: alternates would only add glyphs
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "DSIG"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False  # CFF hints do not carry over; TrueType instructions would only add bytes
    opts.desubroutinize = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(cps))
    sub.subset(font)

    # CFF → glyf: quadratic splines within 1.5/1000 em of the cubic originals
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        gs[name].draw(Cu2QuPen(pen, max_err=1.5, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: smaller, and ReportLab does not need them
    font.sfntVersion = "\x00\x01\x00\x00"

    name = font["name"]
    full = f"{family} {style}" if style != "Regular" else family
    ps = f"{family.replace(' ', '')}-{style}"
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            name.removeNames(nameID=rec.nameID)
    for nid, val in ((1, family), (2, style), (3, f"{ps};Dossier;from Noto CJK 2.004"), (4, full), (6, ps)):
        name.setName(val, nid, 3, 1, 0x409)
        name.setName(val, nid, 1, 0, 0)
    name.setName("Modified by the Dossier project from Noto CJK (subset, TrueType outlines). "
                 "Licensed under the SIL Open Font License 1.1.", 10, 3, 1, 0x409)
    font.save(str(out))
    print(f"{out.name}: {len(order)} glyphs, {out.stat().st_size:,} bytes")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default="/usr/share/fonts/opentype/noto")
    a = ap.parse_args(argv)
    cps = codepoints()
    print(f"{len(cps)} code points requested")
    for src, number, out, family, style in FACES:
        build(Path(a.src) / src, number, OUT / out, family, style, cps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
