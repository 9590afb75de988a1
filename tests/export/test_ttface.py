"""desktop/export/ttface.py reads the glyph tables of a TrueType face in bulk: the face it makes
must be ReportLab's own, attribute for attribute (layout, embedding and so the PDF's bytes depend
on every one of them)."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from desktop.export.ttface import Face, tt_font
from desktop.fonts import FILES, font_path


def _same(a, b, where: str) -> None:
    assert type(a) is type(b), where
    if callable(a):  # ReportLab's scale function (a lambda): the same results
        assert [a(v) for v in (0, 1, 517, 1000, 2048, 65535)] == [b(v) for v in (0, 1, 517, 1000, 2048, 65535)], where
        return
    assert a == b, where
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: order"
        for k in a:
            assert type(a[k]) is type(b[k]), f"{where}[{k!r}]"
    elif isinstance(a, list):
        assert [type(x) for x in a] == [type(x) for x in b], where


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_bulk_face_is_reportlabs_face(name):
    path = str(font_path(FILES[name]))
    ours, theirs = tt_font(name, path), TTFont(name, path)
    assert type(ours.face) is Face
    a, b = vars(ours.face), vars(theirs.face)
    assert a.keys() == b.keys()
    for k in a:
        _same(a[k], b[k], k)
    fa = {k: v for k, v in vars(ours).items() if k not in ("face", "encoding", "state")}
    fb = {k: v for k, v in vars(theirs).items() if k not in ("face", "encoding", "state")}
    assert fa == fb
    assert ours.encoding.name == theirs.encoding.name


def test_anything_unusual_is_left_to_reportlab(monkeypatch):
    """A table the bulk reader does not handle: ReportLab's own parse fills the face."""
    from desktop.export import ttface
    from desktop.fonts import LATIN_FONT

    def unusual(self):
        raise ttface._Unusual

    monkeypatch.setattr(Face, "_bulk_tables", unusual)
    path = str(font_path(FILES[LATIN_FONT]))
    ours, theirs = tt_font(LATIN_FONT, path), TTFont(LATIN_FONT, path)
    assert ours.face.charWidths == theirs.face.charWidths and ours.face.glyphPos == theirs.face.glyphPos
