"""The submission PDF's table flowable (desktop/export/grid.py): measuring, splitting across
pages (between rows with a repeated header, inside a tall row), styles by whole-table row, the
operators it draws, and what it refuses."""

from __future__ import annotations

import io

import pytest
from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, TableStyle

from desktop.export.grid import MIN_SPLIT_ROW, Grid
from desktop.export.pdf_style import RULE, grid_style, styles
from desktop.export.text import para


@pytest.fixture(scope="module")
def st():
    return styles()


def _rows(st, n: int, head: bool = True):
    rows = [[para("#", st["cellhead"]), para("名称 Name", st["cellhead"])]] if head else []
    rows += [[para(str(i), st["cell"]), para(f"单位{i:04d}", st["cell"])] for i in range(1, n + 1)]
    return rows


def _texts(grid: Grid) -> list[str]:
    return [row.cells[1][0].layout.text if row.cells[1] else "" for row in grid._rows]


def _build(story) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(400, 300), leftMargin=20, rightMargin=20, topMargin=20, bottomMargin=20,
                          invariant=1)
    doc.addPageTemplates([PageTemplate("p", [Frame(20, 20, 360, 260, id="f", leftPadding=0, rightPadding=0,
                                                    topPadding=0, bottomPadding=0)])])
    doc.build(story)
    return buf.getvalue()


def test_height_is_the_tallest_cell_plus_its_paddings(st):
    one = para("一行", st["cell"])
    two = [para("上", st["cell"]), para("下", st["cell"])]
    g = Grid([[one, two]], colWidths=(100, 100), hAlign="LEFT")
    g.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    w, h = g.wrap(500, 500)
    assert w == 200
    assert h == pytest.approx(2 * st["cell"].leading + 5)


def test_between_rows_with_the_header_repeated_on_every_part(st):
    g = Grid(_rows(st, 60), colWidths=(40, 200), repeatRows=1, hAlign="LEFT", splitInRow=1)
    g.setStyle(grid_style())
    _w, total = g.wrap(360, 1e6)
    parts, rest = [], g
    while True:
        _w, h = rest.wrap(360, 200)
        if h <= 200:
            parts.append(rest)
            break
        first, rest = rest.split(360, 200)
        assert first.wrap(360, 200)[1] <= 200
        parts.append(first)
    assert len(parts) > 3
    seen = []
    for p in parts:
        texts = _texts(p)
        assert texts[0] == "名称 Name" and p._rows[0].index == 0  # the header, styled as row 0
        seen += texts[1:]
    assert seen == [f"单位{i:04d}" for i in range(1, 61)]  # every row once, in order


def test_a_tall_row_splits_inside_its_cell_and_a_short_one_moves_whole(st):
    long = para("长文本。" * 400, st["cell"])
    g = Grid([[para("说明", st["cell"]), long]], colWidths=(60, 300), hAlign="LEFT", splitInRow=1)
    _w, h = g.wrap(360, 1e6)
    assert h > MIN_SPLIT_ROW
    top, bottom = g.split(360, 150)
    assert top.wrap(360, 150)[1] <= 150
    # the label stays in the top half, the text runs on; no line is lost
    assert top._rows[0].cells[0] and not bottom._rows[0].cells[0]
    lines = lambda b: len(b._lines)  # noqa: E731
    assert lines(top._rows[0].cells[1][0]) + lines(bottom._rows[0].cells[1][0]) == len(long.layout.lines(300 - 12, 0))
    short = Grid([[para("标签", st["cell"]), [para("值", st["cell"]), para("value", st["tiny"])]]],
                 colWidths=(60, 300), hAlign="LEFT", splitInRow=1)
    _w, h = short.wrap(360, 1e6)
    assert short.split(360, h - 5) == []  # not split: it goes to the next page whole
    no_split = Grid([[para("说明", st["cell"]), para("长文本。" * 400, st["cell"])]], colWidths=(60, 300))
    no_split.wrap(360, 1e6)
    assert no_split.split(360, 150) == []  # splitInRow off: rows never split


def test_a_document_with_long_tables_keeps_every_row(st, tmp_path):
    from tests.export.pdfcheck import page_texts

    g = Grid(_rows(st, 120), colWidths=(40, 200), repeatRows=1, hAlign="LEFT", splitInRow=1)
    g.setStyle(grid_style())
    tall = Grid([[para("说明", st["cell"]), para("第一句。" + "长文本。" * 300 + "最后一句。", st["cell"])]],
                colWidths=(60, 300), hAlign="LEFT", splitInRow=1)
    tall.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out = tmp_path / "g.pdf"
    out.write_bytes(_build([g, tall]))
    pages = page_texts(out)
    text = "".join(pages)
    for i in range(1, 121):
        assert text.count(f"单位{i:04d}") == 1
    assert sum(p.count("名称 Name") for p in pages) >= 4  # the header on every page of the table
    assert "第一句" in text and "最后一句" in text


def test_draws_fills_then_content_then_one_path_of_lines(st):
    from reportlab.pdfgen.canvas import Canvas

    g = Grid(_rows(st, 3), colWidths=(40, 200), repeatRows=1, hAlign="LEFT")
    g.setStyle(grid_style())
    g.setStyle([("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor("#000000"))])
    c = Canvas(io.BytesIO())
    g.wrap(360, 1000)
    start = len(c._code)
    g.drawOn(c, 10, 20)
    code = c._code[start:]
    fills = [k for k, op in enumerate(code) if " re f" in op]
    lines = [k for k, op in enumerate(code) if op.endswith(" S Q")]
    texts = [k for k, op in enumerate(code) if " Tj" in op]
    assert len(fills) == 1 and len(lines) == 1 and texts
    assert fills[0] < min(texts) and max(texts) < lines[0]
    assert code[fills[0]].count(" re f") == 1  # the header row's shading only
    # the grid: 4 box edges + 3 lines between the 4 rows + 1 between the 2 columns; LINEBEFORE: 1
    assert code[lines[0]].count(" m ") == 4 + 3 + 1 + 1
    # the cells' text is drawn where it stands: no saved, translated state per cell
    assert not any(" cm" in op for op in code)


def test_refuses_what_it_does_not_draw(st):
    g = Grid([[para("a", st["cell"])]], colWidths=(100,))
    with pytest.raises(ValueError, match="SPAN"):
        g.setStyle([("SPAN", (0, 0), (-1, -1))])
    with pytest.raises(ValueError, match="RGB"):
        g.setStyle([("BACKGROUND", (0, 0), (-1, -1), colors.CMYKColor(0, 0, 0, 1))])
    with pytest.raises(ValueError, match="VALIGN"):
        g.setStyle([("VALIGN", (0, 0), (-1, -1), "SIDEWAYS")])
    with pytest.raises(TypeError, match="flowable"):
        Grid([["plain text"]], colWidths=(100,))
    with pytest.raises(ValueError, match="cells for"):
        Grid([[para("a", st["cell"]), para("b", st["cell"])]], colWidths=(100,))
    g.setStyle([("FONTNAME", (0, 0), (-1, -1), "Whatever")])  # accepted, nothing to do


def test_a_row_taller_than_a_page_is_split_even_where_rows_never_split(st, tmp_path):
    """The evidence table keeps each file's row whole (splitInRow off); a 20,000-character note
    made the row taller than a page, and the export stopped with ReportLab's LayoutError."""
    from tests.export.pdfcheck import page_texts

    head = [para("#", st["cellhead"]), para("文件 File", st["cellhead"])]
    note = "开头。" + "很长的备注。" * 600 + "结尾。"
    rows = [head, [para("1", st["cell"]), [para("a.pdf", st["cell"]), para(note, st["tiny"])]],
            [para("2", st["cell"]), para("b.pdf", st["cell"])]]
    g = Grid(rows, colWidths=(30, 300), repeatRows=1, hAlign="LEFT", splitInRow=0)
    g.setStyle(grid_style())
    out = tmp_path / "n.pdf"
    out.write_bytes(_build([para("前文", st["base"]), g]))
    pages = page_texts(out)
    text = "".join(pages)
    assert len(pages) > 3 and "开头" in text and "结尾" in text and "b.pdf" in text
    assert "文件 File" not in pages[0]  # the row moved off the first page whole, then ran on
    assert all("文件 File" in p for p in pages[1:])  # with the header on every page
