"""Text layout of the PDF (desktop/export/textblock.py, linebreak.py): 禁则, South-East Asian word
boundaries, no lone last character, fonts that never drop a character, content-sized columns."""

from __future__ import annotations

import random

import pytest
from reportlab.lib.styles import ParagraphStyle

from desktop.export.linebreak import NO_END, NO_START, sea_words
from desktop.export.pdf_style import auto_widths, styles
from desktop.export.text import SHAPED_FONTS, clean, para, segment
from desktop.export.textblock import MISSING
from desktop.fonts import CJK_FONT, HEAD_FONT, LATIN_FONT, SERIF_FONT, register_fonts

ZH = ("围绕区域主导产业，联合行业龙头企业、职业院校和科研机构，共建市域产教联合体。建立理事会领导下的运行机制，"
      "明确各方权责，形成“共建、共享、共管”的格局（详见附件）：人才培养、技术攻关、成果转化；“双师型”教师！"
      "《职业教育法》规定？【重点】『示范』「基地」本单位承担相应责任。")


def _style(size=10.5, font=SERIF_FONT) -> ParagraphStyle:
    register_fonts()
    return ParagraphStyle("t", fontName=font, fontSize=size, leading=size * 1.6)


def _lines(text: str, width: float, style=None) -> list[str]:
    blk = para(text, style or _style())
    blk.wrap(width, 10_000)
    return [blk.layout.text[s:e] for s, e, _f in blk._lines]


@pytest.mark.parametrize("width", [float(w) for w in range(60, 420, 7)])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    text = ZH * 3
    lines = [ln.strip() for ln in _lines(text, width)]
    assert "".join(lines) == text  # nothing lost, nothing added
    for ln in lines[1:]:
        assert ln[0] not in NO_START, (width, ln)
    for ln in lines[:-1]:
        assert ln[-1] not in NO_END, (width, ln)


def test_dash_and_ellipsis_pairs_are_never_split():
    text = "甲乙丙丁——戊己庚辛……壬癸" * 20
    for w in range(40, 300, 3):
        lines = _lines(text, float(w))
        for a, b in zip(lines, lines[1:]):
            assert not (a.endswith("—") and b.startswith("—")), w
            assert not (a.endswith("…") and b.startswith("…")), w


def test_a_last_line_never_holds_one_character():
    # at this width greedy filling leaves "任。" alone; the line before gives it a companion
    text = "本单位郑重承诺：本申报书所填报的内容及所附证明材料真实、准确、完整，如有不实，本单位愿承担相应责任。"
    hits = 0
    for w in range(80, 400):
        lines = _lines(text, float(w))
        if len(lines) < 2:
            continue
        body = [c for c in lines[-1] if c not in "。，"]
        assert len(body) >= 2, (w, lines)
        hits += 1
    assert hits > 100


THAI = "ภาษาไทยเป็นภาษาราชการของประเทศไทย อุตสาหกรรมการผลิตร่วมมือกับมหาวิทยาลัยเทคโนโลยีพระจอมเกล้าธนบุรีเพื่อพัฒนาบุคลากร"


def test_thai_breaks_only_at_word_boundaries():
    allowed = set()
    pos = 0
    for chunk in THAI.split(" "):
        for w in sea_words(chunk):
            allowed.add(pos)
            pos += len(w)
        allowed.add(pos)
        pos += 1  # the space
    assert "อุตสาหกร" + "รม" in THAI
    forbidden = THAI.index("อุตสาหกรรม") + len("อุตสาหกร")  # the "อุตสาหกร|รม"
    assert forbidden not in allowed
    narrowest = para(THAI, _style()).layout.min_width()  # below it a word must be cut (at clusters)
    for w in range(int(narrowest) + 1, 400, 5):
        blk = para(THAI, _style())
        blk.wrap(float(w), 10_000)
        for s, e, _f in blk._lines[1:]:
            assert s in allowed or s - 1 in allowed, (w, THAI[s - 5:s + 5])


def test_segmenters_keep_syllables_whole():
    assert "มหาวิทยาลัย" in sea_words("ร่วมมือกับมหาวิทยาลัย")  # BudouX's "ม|หาวิทยาลัย" is mended
    my = sea_words("မြန်မာနိုင်ငံ၏ပညာရေးစနစ်။")
    assert "".join(my) == "မြန်မာနိုင်ငံ၏ပညာရေးစနစ်။"
    assert all(not w.startswith(("\u103a", "\u1039", "\u102c", "\u104b")) for w in my)  # no mark starts a piece
    km = sea_words("ព្រះរាជាណាចក្រកម្ពុជា")
    assert all(not w.startswith("\u17d2") and w[0] not in "\u17b6\u17bb\u17c1" for w in km)
    lo = sea_words("ສາທາລະນະລັດປະຊາທິປະໄຕ")
    assert "".join(lo) == "ສາທາລະນະລັດປະຊາທິປະໄຕ" and len(lo) > 2


def test_fonts_are_chosen_per_character_and_nothing_is_dropped():
    text = clean("申报 Dossier Việt Nam กรุงเทพฯ ພາສາລາວ ភាសាខ្មែរ မြန်မာ 📅 𠀀")
    runs = segment(text, "body")
    assert runs[0][0] == 0 and runs[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(runs, runs[1:]))  # contiguous
    fonts = {text[s:e].strip(): f for s, e, f in runs}
    assert fonts.get("申报 Dossier") == SERIF_FONT
    assert any(f == LATIN_FONT and "Việt" in t for t, f in fonts.items())
    assert {f for f in fonts.values() if f in SHAPED_FONTS} == set(SHAPED_FONTS)
    assert any(f == MISSING for f in fonts.values())  # the emoji: drawn as a visible substitute
    heads = segment(clean("申报单位 Applicant"), "head")
    assert {f for _s, _e, f in heads} == {HEAD_FONT}


def test_rare_characters_fall_back_to_wenquanyi():
    ch = "䶮"  # outside GB 2312 and the bundled programs, inside WenQuanYi (GBK)
    runs = segment(clean("姓名：王" + ch), "body")
    assert runs[-1][2] in (CJK_FONT, MISSING)
    assert runs[0][2] == SERIF_FONT


def test_long_text_layout_is_linear():
    """The quadratic case of issue #16: 200,000 characters are cut into pieces once; laying them
    out at two widths touches each piece a bounded number of times (no prefix measuring)."""
    rnd = random.Random(3)
    text = "".join(rnd.choice(ZH) for _ in range(200_000))
    blk = para(text, _style())
    lay = blk.layout
    assert len(lay.pw) <= len(text) + 1
    lines = lay.lines(420.0)
    assert sum(e - s for s, e, _f in lines) == len(text)
    assert 200_000 / 45 < len(lines) < 200_000 / 30


def test_split_hands_over_lines_without_new_layout_and_keeps_two_lines():
    blk = para(ZH * 10, _style())
    blk.wrap(300, 10_000)
    n = len(blk._lines)
    lead = blk.leading
    parts = blk.split(300, lead * 1.5)  # room for one line: no orphan
    assert parts == []
    head, tail = blk.split(300, lead * (n - 1) + 1)  # all but one: no widow either
    assert len(tail._lines) == 2 and len(head._lines) == n - 2
    assert tail.layout is blk.layout
    assert tail._lines[0] == blk._lines[n - 2]


def test_content_sized_columns_keep_english_words_whole():
    st = styles()
    rows = [[para("#", st["cellhead"]), para("Highest qualification", st["cellhead"]), para("Name", st["cellhead"]),
             para("Remarks on the practice in enterprises over the last five years", st["cellhead"])],
            [para("1", st["cell"]), para("master", st["cell"]), para("王小明", st["cell"]),
             para("在企业实践累计十二个月，参与生产线改造项目两项。" * 3, st["cell"])]]
    widths = auto_widths(rows, 480, 6)
    assert abs(sum(widths) - 480) < 1e-6
    word = para("qualification", st["cellhead"]).layout.natural_width()
    assert widths[1] >= word + 6  # "qualif|ication" cannot happen
    assert widths[0] < widths[1] < widths[3]
