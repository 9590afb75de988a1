"""Periods: the four forms, their calendar, successors, and how a definition's `period:` block
writes a period into the form and reads it back."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.errors import DossierError
from desktop.periods import Period, default_next
from desktop.programs import find_program


@pytest.mark.parametrize("text,canon,start,end", [
    ("2026", "2026", "2026-01-01", "2026-12-31"),
    ("2026-H2", "2026-H2", "2026-07-01", "2026-12-31"),
    ("2026h1", "2026-H1", "2026-01-01", "2026-06-30"),
    ("2026-Q1", "2026-Q1", "2026-01-01", "2026-03-31"),
    ("2026Q4", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("2026-2", "2026-02", "2026-02-01", "2026-02-28"),
    (" 2024-02 ", "2024-02", "2024-02-01", "2024-02-29"),
    ("2026-12", "2026-12", "2026-12-01", "2026-12-31"),
])
def test_forms_and_calendar(text, canon, start, end):
    p = Period.parse(text)
    assert str(p) == canon and Period.parse(str(p)) == p
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


@pytest.mark.parametrize("bad", ["", "26", "2026-13", "2026-00", "2026-Q5", "2026-H3", "12/2026", "二〇二六", "2026-12-01", "1800"])
def test_bad_periods_are_refused_with_the_forms(bad):
    with pytest.raises(DossierError) as e:
        Period.parse(bad)
    assert e.value.key == "period.invalid" and "2026" in e.value.en and "2026" in e.value.zh


def test_successor_and_labels():
    assert str(Period.parse("2026-12").successor()) == "2027-01"
    assert str(Period.parse("2026-Q4").successor()) == "2027-Q1"
    assert str(Period.parse("2026-H1").successor()) == "2026-H2"
    assert str(Period.parse("2026").successor()) == "2027"
    assert Period.parse("2026-12").label().zh == "2026年12月" and Period.parse("2026-12").label().en == "December 2026"
    assert Period.parse("2026-Q3").label().zh == "2026年第三季度"
    assert Period.parse("2026-H2").label().zh == "2026年下半年"


def test_the_form_of_a_recurring_report_names_its_period():
    wf = find_program("wf-city-consortium")
    assert Period.parse("2026-12").answers(wf) == {"4.3/period_type": "month", "4.3/year": 2026, "4.3/month": 12}
    assert Period.parse("2026-Q3").answers(wf) == {"4.3/period_type": "quarter", "4.3/year": 2026, "4.3/quarter": "q3"}
    assert Period.parse("2026").answers(wf) == {"4.3/period_type": "year", "4.3/year": 2026}
    for text in ("2026-12", "2026-Q3", "2026"):
        assert Period.from_answers(wf, Period.parse(text).answers(wf)) == Period.parse(text)
    with pytest.raises(DossierError):
        Period.parse("2026-H1").check_allowed(wf)  # Weifang reports per month, quarter and year
    moe = find_program("moe-industry-community")
    assert Period.parse("2025").answers(moe) == {"2.2/work_year": 2025}
    with pytest.raises(DossierError) as e:
        Period.parse("2025-12").check_allowed(moe)
    assert "year" in e.value.en and "年度" in e.value.zh


def test_default_next():
    wf = find_program("wf-city-consortium")
    assert str(default_next(Period.parse("2026-11"), wf)) == "2026-12"
    assert str(default_next(None, wf, dt.date(2026, 5, 20))) == "2026-05"
    moe = find_program("moe-resource-library")
    assert str(default_next(None, moe, dt.date(2026, 5, 20))) == "2026"
    assert str(default_next(Period.parse("2024"), moe)) == "2025"


def test_a_definition_period_block_is_checked():
    from desktop.errors import DefinitionError
    from desktop.programs.loader import load_definition_text

    text = find_program("wf-city-consortium").text
    for old, new, reason in (
        ('  month: "4.3/month"', '  month: "4.3/reporter"', "must be an integer field"),
        ('  quarter: "4.3/quarter"', '  quarter: "4.3/reporter"', "exactly 4 choices"),
        ('  kinds: [year, quarter, month]', '  kinds: [year, quarter]', "not one of the period's kinds"),
        ('  kind: "4.3/period_type"\n', '', "needs a `kind` field"),
        ('  year: "4.3/year"', '  year: year', "must be absolute"),
        ('  kinds: [year, quarter, month]', '  kinds: [year, quarter, month, half]', "no choice for the period kind"),
    ):
        assert old in text
        with pytest.raises(DefinitionError) as e:
            load_definition_text(text.replace(old, new), "wf.yaml")
        assert reason in e.value.reason and "period" in e.value.location
