"""The previous figure and the change, as the form, the PDF and the CLI say it."""

from __future__ import annotations

from desktop.models.program import Field, Label
from desktop.periods.compare import Change, describe, previous_values


def _f(typ, decimals=None):
    return Field(id="x", type=typ, label=Label("数", "n"), indicator_id="1.1", decimals=decimals, per_period=True)


def test_numbers():
    d = describe(_f("number", 1), 1850.6, 2010.0)
    assert d.zh == "上期 1,850.6 → 本期 2,010.0（+8.6%）"
    assert d.en == "Previous period 1,850.6 → now 2,010.0 (+8.6 %)"
    assert describe(_f("integer"), 36, 30).zh == "上期 36 → 本期 30（−16.7%）"
    assert describe(_f("integer"), 12, 12).zh == "上期 12 → 本期 12（±0.0%）"


def test_percent_changes_by_points_and_zero_by_the_difference():
    assert describe(_f("percent", 1), 92.5, 95.0).zh == "上期 92.5% → 本期 95.0%（+2.5 个百分点）"
    assert describe(_f("percent", 1), 92.5, 95.0).en.endswith("(+2.5 points)")
    assert describe(_f("integer"), 0, 4).zh == "上期 0 → 本期 4（+4）"


def test_missing_values():
    assert describe(_f("integer"), None, 5).zh == "上期未填报"
    assert describe(_f("integer"), 7, None).en == "Previous period: 7"
    assert Change(None, 3).delta is None and Change(3, None).relative is None


def test_previous_values_from_meta_are_checked():
    assert previous_values({}) is None
    assert previous_values({"previous_period": "2024", "previous_values": '{"a/b": 3, "a/c": "x", "a/d": true}'}) == \
        {"a/b": 3, "a/c": None, "a/d": None}
    assert previous_values({"previous_period": "2024", "previous_values": "not json"}) == {}
