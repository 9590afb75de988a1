"""What the single value gate says when it refuses: labels, not internal ids; the choices by their
labels; dates that do not exist called so; day-first dates accepted when unambiguous."""

from __future__ import annotations

import pytest

from desktop.errors import ValueProblem
from desktop.models.program import Choice, Column, Field, Label
from desktop.values import coerce, coerce_scalar

DATE = Column("since", "date", Label("成立日期", "Founding date"))
OUTPUT = Field("park_output", "number", Label("园区上一年度总产值", "Park output last year"), min=0,
               unit=Label("亿元", "100 million yuan"), indicator_id="1.1")
KIND = Column("kind", "choice", Label("办学类型", "Kind of programme"),
              choices=[Choice("degree", Label("学历教育", "Degree education")), Choice("training", Label("培训", "Training")),
                       Choice("both", Label("两者兼有", "Both"))])
YES = Column("ok", "boolean", Label("是否签约", "Agreement signed"))


def _refused(col, value) -> ValueProblem:
    with pytest.raises(ValueProblem) as e:
        coerce_scalar(col, value)
    return e.value


def test_messages_name_the_label_not_the_id():
    e = _refused(OUTPUT, "-5")
    assert e.en.startswith("Park output last year: ") and "park_output" not in e.en
    assert e.zh.startswith("园区上一年度总产值：") and "park_output" not in e.zh
    assert e.reason[0] == "-5 is below the minimum 0 100 million yuan"
    e = _refused(OUTPUT, "lots")
    assert "“lots” is not a number" in e.en and "'lots'" not in e.en  # typographic quotes, not Python's repr


@pytest.mark.parametrize("typed,iso", [
    ("2026-06-30", "2026-06-30"), ("2026/6/30", "2026-06-30"), ("2026.06.30", "2026-06-30"),
    ("2026年6月30日", "2026-06-30"), (" 2026 - 6 - 30 ", "2026-06-30"),
    ("30/06/2026", "2026-06-30"), ("30.06.2026", "2026-06-30"), ("30-6-2026", "2026-06-30"),  # day first (ASEAN)
    ("05/05/2026", "2026-05-05"),  # day = month: one reading
    ("06/30/2026", "2026-06-30"),  # month first: no other reading
    ("30 June 2026", "2026-06-30"), ("30 Jun 2026", "2026-06-30"), ("June 30, 2026", "2026-06-30"),
    ("1st March 2024", "2024-03-01"), ("2024-02-29", "2024-02-29"),
])
def test_dates_understood(typed, iso):
    assert coerce_scalar(DATE, typed) == iso


def test_a_day_that_does_not_exist_is_called_so():
    e = _refused(DATE, "2026-02-30")
    assert e.reason[0] == "“2026-02-30” is not a date: February 2026 has 28 days"
    assert "2026 年 2 月只有 28 天" in e.zh and "格式" not in e.zh
    assert "April 2026 has 30 days" in _refused(DATE, "31/04/2026").en
    assert "February 2025 has 28 days" in _refused(DATE, "2025-02-29").en
    assert "there is no month 13" in _refused(DATE, "2026-13-01").en


def test_ambiguous_day_and_month_are_spelled_out():
    e = _refused(DATE, "03/04/2026")
    assert "3 April or 4 March" in e.en and "2026-04-03" in e.en and "2026-03-04" in e.en
    assert "2026 年 4 月 3 日" in e.zh and "2026 年 3 月 4 日" in e.zh


def test_not_a_date_says_how_to_write_one():
    e = _refused(DATE, "next week")
    assert "is not a date" in e.en and "2026-06-30" in e.en


def test_choices_by_their_labels():
    e = _refused(KIND, "diploma")
    assert e.reason[0] == "“diploma” is not a choice; choose one of: Degree education, Training, Both"
    assert "学历教育、培训、两者兼有" in e.zh and "degree" not in e.zh and "(degree)" not in e.en
    assert coerce_scalar(KIND, "degree education") == "degree"  # a label typed or pasted, any case
    assert coerce_scalar(KIND, "培训") == "training"


def test_yes_no_in_words():
    e = _refused(YES, "maybe")
    assert e.reason == ("“maybe” is not yes/no: answer Yes or No", "“maybe”不是“是/否”：请填写“是”或“否”")
    assert coerce_scalar(YES, "是") is True and coerce_scalar(YES, "No") is False


def test_table_cells_carry_their_row_and_column():
    table = Field("members", "table", Label("成员单位", "Members"), indicator_id="1.1", columns=[KIND, DATE])
    with pytest.raises(ValueProblem) as e:
        coerce(table, [{"kind": "degree"}, {"kind": "x", "since": "2026-01-01"}])
    err = e.value
    assert err.row == 2 and err.column == "kind"
    assert err.en.startswith("Members, row 2: Kind of programme: “x” is not a choice")


def test_english_counts_have_plural_forms():
    from desktop.values import plural

    assert plural(1, "file", "files") == "1 file" and plural(0, "file", "files") == "0 files"
    from desktop.demo import make_demo  # noqa: F401 - the bundled programs load
    from desktop.programs import find_program
    from desktop.rules import evaluate

    prog = find_program("moe-core-course")
    msgs = [p.message.en for p in evaluate(prog, {}, {}).problems]
    assert any("needs at least 1 file (has 0)" in m for m in msgs), msgs[:5]
    assert not any("(s)" in m for m in msgs)
