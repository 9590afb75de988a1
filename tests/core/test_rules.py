"""The rule engine: conditions, operands, every rule kind, visibility and completeness."""

from __future__ import annotations

import pytest

from desktop.rules import evaluate
from tests.core.helpers import L, program

MSG = L("规则信息", "rule message")


def problems(prog, answers, ev=None):
    return evaluate(prog, answers, {"1.1/proof": 1} if ev is None else ev)


def codes(prog, answers, ev=None):
    return [p.code for p in problems(prog, answers, ev).problems]


FULL = {"1.1/name": "甲单位", "1.1/kind": "enterprise"}


def test_required_and_completeness():
    p = program()
    rep = problems(p, {}, {})
    assert sorted(c.code for c in rep.problems) == ["evidence_min", "required", "required"]
    assert rep.completeness == 0
    assert rep.indicators["1.1"].status == "empty"
    rep = problems(p, {"1.1/name": "x"}, {})
    assert rep.indicators["1.1"].status == "problems"
    assert rep.completeness == pytest.approx(1 / 3)
    rep = problems(p, FULL)
    assert rep.problems == [] and rep.completeness == 1.0
    assert rep.indicators["1.1"].status == "complete"


def test_visible_if_hides_and_unhides_required_field():
    p = program()
    assert codes(p, FULL) == []
    rep = problems(p, {**FULL, "1.1/kind": "school"})
    assert [(x.code, x.path) for x in rep.problems] == [("required", "1.1/school_only")]
    assert "1.1/school_only" in rep.visible_fields
    # a value stored while visible is ignored once hidden
    rep = problems(p, {**FULL, "1.1/school_only": "x"})
    assert "1.1/school_only" not in rep.visible_fields


def test_required_if():
    p = program(extra_fields=[{"id": "why", "type": "text", "label": L("原因"), "required_if": {"field": "ok", "equals": False}}])
    assert codes(p, {**FULL, "1.1/ok": True}) == []
    assert codes(p, {**FULL, "1.1/ok": False}) == ["required"]


def test_threshold_blocking_and_warning():
    rules = [
        {"id": "r-max", "kind": "threshold", "expr": {"field": "count"}, "lte": 10, "message": MSG},
        {"id": "r-warn", "kind": "threshold", "expr": {"field": "share"}, "gte": 50, "severity": "warning", "message": MSG},
    ]
    p = program(rules)
    assert codes(p, FULL) == []  # unanswered: rules do not fire
    rep = problems(p, {**FULL, "1.1/count": 11, "1.1/share": 20})
    assert [(x.code, x.severity) for x in rep.problems] == [("r-max", "blocking"), ("r-warn", "warning")]
    assert rep.problems[0].message.en == "rule message"
    assert codes(p, {**FULL, "1.1/count": 10, "1.1/share": 50}) == []


def test_ratio_and_arithmetic():
    rules = [{"id": "r-ratio", "kind": "threshold", "expr": {"ratio": [{"field": "count"}, {"field": "money"}]}, "lte": 30, "message": MSG},
             {"id": "r-avg", "kind": "threshold",
              "expr": {"mul": [{"add": [{"field": "count"}, {"field": "money"}]}, 0.5]}, "gte": 10, "message": MSG}]
    p = program(rules)
    assert codes(p, {**FULL, "1.1/count": 3, "1.1/money": 10}) == ["r-avg"]  # 30 % ok; avg 6.5 < 10
    assert codes(p, {**FULL, "1.1/count": 4, "1.1/money": 20}) == []  # 20 %; avg 12
    assert codes(p, {**FULL, "1.1/count": 8, "1.1/money": 20}) == ["r-ratio"]  # 40 %; avg 14
    assert codes(p, {**FULL, "1.1/count": 8, "1.1/money": 0}) == ["r-avg"]  # ratio undefined (÷0): no fire


def test_at_least_and_at_most():
    of = [{"field": "ok", "equals": True}, {"field": "kind", "equals": "enterprise"}, {"field": "tags", "contains": "a"}]
    p = program([{"id": "r-k", "kind": "at_least", "k": 2, "of": of, "message": MSG},
                 {"id": "r-m", "kind": "at_most", "k": 2, "of": of, "message": MSG}])
    assert codes(p, FULL) == ["r-k"]
    assert codes(p, {**FULL, "1.1/ok": True}) == []
    assert codes(p, {**FULL, "1.1/ok": True, "1.1/tags": ["a"]}) == ["r-m"]


UNITS = [
    {"name": "甲", "role": "lead", "province": "广西", "months": 7},
    {"name": "乙", "role": "member", "province": "广西", "months": 3},
    {"name": "丙", "role": "member", "province": " 广西 ", "months": 12},
]


def test_distinct_row_count_sum_each_row():
    rules = [
        {"id": "r-prov", "kind": "distinct_count", "table": "units", "column": "province", "gte": 2, "message": MSG},
        {"id": "r-lead", "kind": "row_count", "table": "units", "where": {"column": "role", "equals": "lead"}, "equals": 1, "message": MSG},
        {"id": "r-sum", "kind": "threshold", "expr": {"sum": "units", "column": "months"}, "gte": 20, "message": MSG},
        {"id": "r-row", "kind": "each_row", "table": "units", "where": {"column": "role", "equals": "member"},
         "check": {"column": "months", "gte": 6}, "message": MSG},
    ]
    p = program(rules)
    rep = problems(p, {**FULL, "1.1/units": UNITS})
    assert [x.code for x in rep.problems] == ["r-prov", "r-row"]
    row = rep.problems[1]
    assert row.rows == [2] and "(row 2)" in row.message.en and "第 2 行" in row.message.zh
    units = [dict(u) for u in UNITS]
    units[1].update(province="云南", months=6)
    units.append({"name": "丁", "role": "lead"})
    assert codes(p, {**FULL, "1.1/units": units}) == ["r-lead"]
    assert codes(p, {**FULL, "1.1/units": units[:1]}) == ["r-prov", "r-sum"]


def test_months_between_in_rows_and_dates():
    rules = [{"id": "r-dur", "kind": "each_row", "table": "units",
              "check": {"expr": {"months_between": [{"column": "start"}, {"column": "end"}]}, "gte": 6}, "message": MSG},
             {"id": "r-date", "kind": "threshold", "expr": {"field": "since"}, "lt": {"date": "2024-01-01"}, "message": MSG}]
    p = program(rules)
    rows = [{"name": "a", "start": "2023-01-15", "end": "2023-07-15"}, {"name": "b", "start": "2023-01-15", "end": "2023-07-14"}]
    rep = problems(p, {**FULL, "1.1/units": rows, "1.1/since": "2024-05-01"})
    assert [(x.code, x.rows) for x in rep.problems] == [("r-dur", [2]), ("r-date", [])]


def test_cell_required_and_min_rows():
    p = program(mutate=lambda d: d["sections"][0]["indicators"][0]["fields"][-1].update(min_rows=2))
    rep = problems(p, {**FULL, "1.1/units": [{"province": "x"}]})
    assert sorted(x.code for x in rep.problems) == ["cell_required", "min_rows"]


def test_when_and_assert_and_any_not():
    rules = [{"id": "r-a", "kind": "assert", "when": {"field": "kind", "equals": "school"},
              "check": {"any": [{"field": "ok", "equals": True}, {"not": {"field": "count", "lt": 5}}]}, "message": MSG}]
    p = program(rules)
    assert codes(p, {**FULL, "1.1/count": 1}) == []  # when is false
    school = {**FULL, "1.1/kind": "school", "1.1/school_only": "x"}
    assert codes(p, {**school, "1.1/count": 1}) == ["r-a"]
    assert codes(p, {**school, "1.1/count": 6}) == []
    assert codes(p, {**school, "1.1/count": 1, "1.1/ok": True}) == []


def test_section_visibility_excludes_indicators():
    def mut(d):
        d["sections"].append({"id": "2", "title": L("二"), "visible_if": {"field": "1.1/kind", "equals": "school"},
                              "indicators": [{"id": "2.1", "title": L("二一"), "official": L("官方"),
                                              "fields": [{"id": "x", "type": "text", "label": L("x"), "required": True}]}]})
    p = program(mutate=mut)
    rep = problems(p, FULL)
    assert rep.indicators["2.1"].status == "hidden" and rep.problems == []
    rep = problems(p, {**FULL, "1.1/kind": "school", "1.1/school_only": "y"})
    assert [x.path for x in rep.problems] == ["2.1/x"]


def test_program_level_rule_is_anchored_to_its_field():
    def mut(d):
        d["rules"] = [{"id": "r-g", "kind": "threshold", "expr": {"field": "1.1/count"}, "gte": 3, "message": MSG}]
    p = program(mutate=mut)
    rep = problems(p, {**FULL, "1.1/count": 1})
    assert [(x.code, x.indicator_id, x.path) for x in rep.problems] == [("r-g", "1.1", "1.1/count")]
    assert rep.indicators["1.1"].status == "problems"


def test_date_parts_and_plain_date_strings():
    rules = [{"id": "r-q1", "kind": "threshold", "expr": {"month_of": {"field": "since"}}, "lte": 3, "message": MSG},
             {"id": "r-year", "kind": "threshold", "expr": {"year_of": {"field": "since"}}, "equals": 2024, "message": MSG},
             {"id": "r-before", "kind": "assert", "when": {"field": "since", "answered": True},
              "check": {"field": "since", "lte": "2024-12-15"}, "message": MSG}]
    p = program(rules)
    assert codes(p, {**FULL, "1.1/since": "2024-03-31"}) == []
    assert codes(p, {**FULL, "1.1/since": "2024-04-01"}) == ["r-q1"]
    assert codes(p, {**FULL, "1.1/since": "2023-02-01"}) == ["r-year"]
    assert codes(p, {**FULL, "1.1/since": "2024-12-16"}) == ["r-q1", "r-before"]


def test_script_latin_for_english_answers():
    def mut(d):
        f = d["sections"][0]["indicators"][0]["fields"]
        f[0]["script"] = "latin"
        f[-1]["columns"][0]["script"] = "latin"
    p = program(mutate=mut)
    assert codes(p, {**FULL, "1.1/name": "Bangkok Technical College"}) == []
    rep = problems(p, {**FULL, "1.1/units": [{"name": "Ok"}, {"name": "曼谷学院"}]})
    assert [(x.code, x.rows) for x in rep.problems] == [("script", []), ("script", [2])]
