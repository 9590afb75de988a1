"""PDF inspection helpers for the export tests (pikepdf for structure, pdfminer.six for text)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pikepdf

BASE14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
          "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
          "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def _fonts_in(res, seen: set) -> list:
    out = []
    if not isinstance(res, pikepdf.Dictionary):
        return out
    fonts = res.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        out += list(fonts.values())
    xobjs = res.get("/XObject")
    if isinstance(xobjs, pikepdf.Dictionary):
        for x in xobjs.values():
            key = x.objgen
            if key in seen or x.get("/Subtype") != "/Form":
                continue
            seen.add(key)
            out += _fonts_in(x.get("/Resources"), seen)
    return out


def assert_fonts_embedded(path: Path) -> set[str]:
    """Every font referenced anywhere (pages, form XObjects, annotation appearances) is embedded
    and none is a base-14 font. Returns the font names."""
    names = set()
    with pikepdf.open(path) as pdf:
        seen: set = set()
        fonts = []
        for page in pdf.pages:
            fonts += _fonts_in(page.obj.get("/Resources"), seen)
            for annot in page.obj.get("/Annots", []) or []:
                ap = annot.get("/AP")
                if isinstance(ap, pikepdf.Dictionary):
                    for stream in ap.values():
                        if isinstance(stream, pikepdf.Stream):
                            fonts += _fonts_in(stream.get("/Resources"), seen)
        acro = pdf.Root.get("/AcroForm")
        if isinstance(acro, pikepdf.Dictionary):
            fonts += _fonts_in(acro.get("/DR"), seen)
        assert fonts, "no fonts found"
        for f in fonts:
            sub = f.get("/Subtype")
            base = str(f.get("/BaseFont", ""))[1:]
            names.add(base)
            plain = base.split("+", 1)[-1]
            assert plain not in BASE14, f"base-14 font {base} is used"
            if sub == "/Type3":
                continue
            desc = f.DescendantFonts[0].get("/FontDescriptor") if sub == "/Type0" else f.get("/FontDescriptor")
            assert desc is not None, f"{base} has no font descriptor (not embedded)"
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{base} is not embedded"
            assert "/ToUnicode" in f, f"{base} has no ToUnicode map (text would not extract)"
    return names


def page_texts(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    text = extract_text(str(path))
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def page_lines(path: Path, page_numbers: list[int]) -> list[str]:
    """The text lines of the given pages (0-based) as they read across the page: pieces on one
    baseline joined left to right (a table-of-contents entry's page number is drawn apart from its
    title, when the document is saved)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    out: list[str] = []
    for page in extract_pages(str(path), page_numbers=page_numbers, laparams=LAParams(line_margin=0.1)):
        pieces: list[tuple[float, float, str]] = []

        def walk(o):
            if isinstance(o, LTTextLine):
                pieces.append((round(o.y0), o.x0, o.get_text().strip()))
            elif isinstance(o, LTTextContainer) or hasattr(o, "__iter__"):
                for c in o:
                    walk(c)

        walk(page)
        rows: dict[int, list[tuple[float, str]]] = {}
        for y, x, t in pieces:
            key = next((k for k in rows if abs(k - y) <= 2), y)
            rows.setdefault(key, []).append((x, t))
        for y in sorted(rows, reverse=True):
            out.append(" ".join(t for _x, t in sorted(rows[y]) if t))
    return out


def squash(s: str) -> str:
    """Text without whitespace, NFC: line breaks inside wrapped Chinese vanish."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s))
