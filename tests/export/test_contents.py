"""The PDF's table of contents in one layout pass (desktop/export/contents.py)."""

from __future__ import annotations

import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from desktop.export.contents import NUMBER_W, ContentsEntry, draw_numbers
from desktop.fonts import SERIF_FONT, register_fonts


def _entry(title: str, pending: list) -> ContentsEntry:
    register_fonts()
    style = ParagraphStyle("t", fontName=SERIF_FONT, fontSize=10, leading=15, leftIndent=18)
    return ContentsEntry(1, title, "k1", style, SERIF_FONT, pending)


def test_a_long_title_wraps_and_its_number_sits_on_the_last_line():
    pending: list = []
    e = _entry("校企合作共建产业学院与实训基地的建设情况、运行机制、成果转化和社会服务成效" * 3, pending)
    w, h = e.wrap(300, 1000)
    assert w == 300 and h >= 3 * 15  # several lines of 15 pt
    c = Canvas(io.BytesIO())
    e.drawOn(c, 50, 400)
    (p,) = pending
    assert p.page == 1 and p.key == "k1" and p.x_right == 350
    assert 400 <= p.baseline < 400 + 15  # the last line's baseline, not the first's
    assert e.block.width <= 300 - NUMBER_W  # the title never runs into the number column


def test_a_short_title_is_one_line_and_the_number_is_drawn_for_its_page_only():
    pending: list = []
    e = _entry("1.1　依托园区", pending)
    _w, h = e.wrap(300, 1000)
    assert h == 15
    c = Canvas(io.BytesIO())
    e.drawOn(c, 50, 400)
    before = len(c._code)
    draw_numbers(c, 2, pending, {"k1": 7})  # another page: nothing
    assert len(c._code) == before
    draw_numbers(c, 1, pending, {"k1": 7})
    assert len(c._code) > before
    draw_numbers(c, 1, pending, {})  # a heading that never came: no number, no error
