"""Every script shows in the UI without installed fonts (the bundled Noto faces are registered with
Qt); characters no font draws are substituted visibly and consistently; icons, not emoji."""

from __future__ import annotations

import io

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QTextLayout
from PySide6.QtWidgets import QApplication

from desktop.values.unsupported import placeholder, substitute

from .conftest import demo_project

SAMPLES = {
    "thai": "รายงานการฝึกงาน.pdf",
    "khmer": "របាយការណ៍.pdf",
    "lao": "ບົດລາຍງານ.pdf",
    "myanmar": "အစီရင်ခံစာ.pdf",
    "vietnamese": "Báo cáo thực tập.pdf",
    "chinese": "实训基地照片.png",
}


def _glyphs(text: str, font: QFont) -> list[tuple[str, list[int]]]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    out = [(r.rawFont().familyName(), list(r.glyphIndexes())) for r in runs]
    del runs, layout
    return out


def test_bundled_faces_are_registered(ui):
    fams = set(QFontDatabase.families())
    for fam in ("Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans Myanmar", "WenQuanYi Micro Hei", "Noto Sans"):
        assert fam in fams, fam
    assert {"Noto Sans Thai", "Noto Sans Myanmar"} <= set(QApplication.font().families())
    # the first family is a real one (an alias like "Sans Serif" would be skipped: all in the CJK face)
    first = QApplication.font().families()[0]
    assert first in fams and QFontInfo(QApplication.font()).family() == first


@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_every_script_has_real_glyphs(ui, script):
    runs = _glyphs(SAMPLES[script], QApplication.font())
    assert runs
    for fam, glyphs in runs:
        assert 0 not in glyphs, (script, fam, glyphs)  # glyph 0 is the empty box


def test_unsupported_characters_rule():
    never = lambda ch: False  # noqa: E731 - a font that draws nothing beyond ASCII
    assert substitute("报告📅.pdf", lambda ch: ch != "📅") == "报告[U+1F4C5].pdf"
    assert substitute("❤️ ok", never) == "[U+2764] ok"  # the variation selector goes with it
    assert substitute("👍🏽", never) == "[U+1F44D][U+1F3FD]"
    assert substitute("a\u200bb", never) == "a\u200bb"  # format characters are left alone
    assert substitute("\udcff.pdf", lambda ch: True) == "[U+DCFF].pdf"  # a byte that was not UTF-8
    assert placeholder("\U000E0001") == "[U+E0001]"
    assert substitute("plain.txt", never) == "plain.txt"


def test_evidence_names_show_what_cannot_be_drawn(controller, qtbot, tmp_path, messages):
    from desktop.ui import fonts

    name = "实训📅照片.png"
    drawable = fonts.can_draw("📅")  # an emoji font may be installed on this machine
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    f = tmp_path / name
    f.write_bytes(buf.getvalue())
    path = demo_project("moe-core-course", tmp_path / "e.dossier")
    win = controller.open_path(path)
    s = win.session
    ind = next(i for i in s.program.indicators() if i.evidence and any(not sl.accept or "png" in sl.accept for sl in i.evidence))
    win.show_indicator(ind.id)
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        win.evidence.add_files([f], None)
    ev = next(e for e in s.evidence(ind.id) if e.name == name)
    assert ev.name == name  # the true name is kept in the project (and so in the package)
    tree = win.evidence.tree
    items = [tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
             for j in range(tree.topLevelItem(i).childCount())]
    it = next(x for x in items if x.toolTip(0).startswith(name))
    if drawable:
        assert it.text(0) == name
    else:
        assert it.text(0) == "实训[U+1F4C5]照片.png"
        assert "[U+1F4C5]" in it.toolTip(0)
    for fam, glyphs in _glyphs(it.text(0), tree.font()):
        assert 0 not in glyphs, (fam, glyphs)


def test_calendar_button_is_an_icon(controller, tmp_path, messages):
    from desktop.ui.fields_scalar import DateEditor

    path = demo_project("asean-craftsman-college", tmp_path / "d.dossier")
    win = controller.open_path(path)
    fld = next(f for i in win.session.program.indicators() for f in i.fields if f.type == "date")
    win.go_to(fld.indicator_id, fld.path)
    ed = win.forms.current_form().editor(fld.path)
    assert isinstance(ed, DateEditor)
    assert ed.button.text() == "" and not ed.button.icon().isNull()
    assert ed.button.accessibleName()


def test_english_quotes_are_not_full_width(ui, monkeypatch):
    """A CJK system UI font draws “ ” as wide as 中: the English UI then puts Noto Sans first."""
    from desktop.ui import fonts, i18n

    monkeypatch.setattr(fonts, "_system_family", fonts.CJK_FAMILY)
    try:
        i18n.set_language("zh")
        assert QApplication.font().families()[0] == fonts.CJK_FAMILY
        i18n.set_language("en")
        f = QApplication.font()
        assert f.families()[0] == fonts.LATIN_FAMILY
        assert not fonts.quotes_full_width(f)
        text = "Required: “Host country” is empty"
        assert all(fam == fonts.LATIN_FAMILY for fam, _g in _glyphs(text, f))
    finally:
        monkeypatch.undo()
        i18n.set_language("en")


def test_every_character_of_our_strings_is_in_a_bundled_font():
    """No UI string (English source or Chinese translation) needs a font that may be missing."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    from fontTools.ttLib import TTFont

    from desktop.paths import resources_dir
    from desktop.ui.fonts import UI_FONT_FILES

    cmaps = [TTFont(resources_dir() / "fonts" / f).getBestCmap() for f in UI_FONT_FILES
             if (resources_dir() / "fonts" / f).is_file()]
    texts = []
    for ts in Path(resources_dir() / "translations").glob("*.ts"):
        for m in ET.parse(ts).getroot().iter("message"):
            texts.append(m.findtext("source") or "")
            tr = m.find("translation")
            texts += [tr.text or ""] + [f.text or "" for f in tr.findall("numerusform")]
    missing = {ch for t in texts for ch in t if not ch.isspace() and not any(ord(ch) in c for c in cmaps)}
    assert not missing, sorted(missing)
