"""Large tables at the speed of one row (issue #17): the incremental paths give exactly what the
full ones give — checking, ids, JSON text, rule results — and stored rows cannot be changed in
place behind the cache's back."""

from __future__ import annotations

import json
import random

import pytest

from desktop.errors import ValueProblem
from desktop.models.rows import assign_row_ids
from desktop.project import Project
from desktop.rules import engine, evaluate
from desktop.values import coerce
from desktop.values.incremental import FrozenRow, RowJson, coerce_known, freeze_rows, stored_rows
from tests.core.helpers import program

TABLE = "1.1/units"


def rows(n: int, seed: int = 0) -> list[dict]:
    rnd = random.Random(seed)
    return [{"name": f"单位{k:05d}", "role": rnd.choice(["lead", "member"]), "months": rnd.randint(1, 40),
             "start": "2024-01-01"} for k in range(n)]


@pytest.fixture
def proj(tmp_path):
    prog = program(mutate=lambda d: d["sections"][0]["indicators"][0]["fields"][-1].update(max_rows=50_000))
    with Project.create(tmp_path / "t.dossier", prog, "甲") as p:
        yield p


def test_frozen_rows_refuse_changes_in_place():
    r = FrozenRow({"a": 1})
    for bad in (lambda: r.__setitem__("a", 2), lambda: r.pop("a"), lambda: r.update(b=1), lambda: r.clear(),
                lambda: r.setdefault("c", 3), lambda: r.__delitem__("a"), lambda: r.popitem()):
        with pytest.raises(TypeError, match="read-only"):
            bad()
    assert r == {"a": 1} and dict(r) == {"a": 1} and {**r, "b": 2} == {"a": 1, "b": 2}
    assert json.dumps(r) == '{"a": 1}'
    import copy
    import pickle

    assert type(copy.deepcopy(r)) is dict and pickle.loads(pickle.dumps(r)) == {"a": 1}


def test_row_json_is_byte_identical_to_json_dumps():
    rj = RowJson()
    value = freeze_rows(assign_row_ids(rows(300), None))
    assert rj.dumps(value) == json.dumps(value, ensure_ascii=False)
    for k in range(40):  # edits, inserts, deletes, moves
        value = list(value)
        op = k % 4
        n = (k * 37) % len(value)
        if op == 0:
            value[n] = FrozenRow({**value[n], "name": f"改{k}"})
        elif op == 1:
            value.insert(n, FrozenRow({"_id": f"new{k:03d}", "name": "新"}))
        elif op == 2:
            del value[n]
        else:
            value.insert(0, value.pop(n))
        assert rj.dumps(value) == json.dumps(value, ensure_ascii=False), k


def test_coerce_known_equals_coerce(proj):
    fld = proj.program.field(TABLE)
    stored = proj.set(TABLE, rows(500))
    assert all(type(r) is FrozenRow for r in stored)
    cases = []
    edited = list(stored)
    edited[7] = {**stored[7], "months": "12"}  # a string to be made a number
    cases.append(edited)
    cases.append(stored[:100] + [{"name": "插入", "months": 3}] + stored[100:])
    cases.append(stored[1:])
    cases.append(list(reversed(stored)))
    cases.append([dict(r) for r in stored])  # equal content, other objects
    for v in cases:
        assert coerce_known(fld, v, stored) == coerce(fld, v)
    bad = list(stored)
    bad[41] = {**stored[41], "months": "很多"}
    with pytest.raises(ValueProblem) as a:
        coerce_known(fld, bad, stored)
    with pytest.raises(ValueProblem) as b:
        coerce(fld, bad)
    assert a.value.en == b.value.en and "row 42" in a.value.en


def test_a_cell_edit_keeps_ids_and_stores_the_same_as_the_full_path(proj, tmp_path):
    stored = proj.set(TABLE, rows(2000))
    ids = [r["_id"] for r in stored]
    for k in range(20):
        new = list(stored)
        n = (k * 131) % len(new)
        new[n] = {**new[n], "name": f"第{k}次"}
        stored = proj.set(TABLE, new)
        assert [r["_id"] for r in stored] == ids
        assert stored[n]["name"] == f"第{k}次"
    # what is on disk is what a fresh connection reads, and equals what set() returned
    with Project.open(proj.path) as q:
        assert q.get(TABLE) == stored
        raw = q.conn.execute("SELECT value FROM answers WHERE path=?", (TABLE,)).fetchone()[0]
        assert raw == json.dumps(stored, ensure_ascii=False)
        hist = q.history(TABLE)
        assert len(hist) == 21 and hist[-1].new == stored and hist[-1].old[131 * 19 % 2000]["name"] != "第19次"


def test_another_connection_writing_invalidates_the_cache(proj):
    stored = proj.set(TABLE, rows(50))
    with Project.open(proj.path) as other:
        other.set(TABLE, rows(10, seed=3))
    new = list(stored)
    new[0] = {**new[0], "name": "这边"}
    got = proj.set(TABLE, new)
    assert got[0]["name"] == "这边" and len(got) == 50
    with Project.open(proj.path) as q:
        h = q.history(TABLE)
        assert len(h[-1].old) == 10  # the old value is the other connection's, not our stale copy


def test_stored_rows_matches_assign_row_ids():
    old = freeze_rows(assign_row_ids(rows(100), None))
    new = list(old)
    new[5] = {**old[5], "name": "x"}
    new[9] = {k: v for k, v in old[9].items() if k != "_id"} | {"_id": old[9]["_id"]}  # id not first
    got = stored_rows(new, old)
    assert got == freeze_rows(assign_row_ids(new, old)) and all(type(r) is FrozenRow for r in got)
    assert [r["_id"] for r in got] == [r["_id"] for r in old]
    assert list(got[9])[0] == "_id"
    dup = list(old)
    dup[3] = {**old[3], "_id": old[4]["_id"]}  # a duplicated id: the full path renews it
    got = stored_rows(dup, old)
    assert len({r["_id"] for r in got}) == 100


def test_compiled_row_conditions_equal_the_interpreter():
    ev = engine.Evaluator(program(), {})
    sample = [{}, {"a": None}, {"a": ""}, {"a": " "}, {"a": "x"}, {"a": 0}, {"a": 1}, {"a": True}, {"a": False},
              {"a": 2.5}, {"a": [1]}, {"a": []}, {"a": "2024-01-01"}, {"a": 3, "b": 5}, {"a": 7, "b": 5}]
    conds = [{"column": "a", "equals": "x"}, {"column": "a", "equals": 1}, {"column": "a", "equals": ""},
             {"column": "a", "not_equals": "x"}, {"column": "a", "in": ["x", 1]}, {"column": "a", "answered": True},
             {"column": "a", "answered": False}, {"column": "a", "contains": 1}, {"column": "a", "gt": 2},
             {"column": "a", "lte": {"column": "b"}}, {"column": "a", "gte": "2023-12-31"},
             {"all": [{"column": "a", "answered": True}, {"not": {"column": "a", "equals": "x"}}]},
             {"any": [{"column": "a", "equals": 0}, {"column": "b", "gt": 4}]}, {"column": "a"}]
    for c in conds:
        fn = engine._row_fn(c)
        assert fn is not None, c
        for r in sample:
            assert fn(r) == ev.cond(c, r), (c, r)
    assert engine._row_fn({"field": "1.1/name", "equals": "x"}) is None  # reads the form: interpreted


def test_rules_over_a_large_table_are_unchanged():
    rules = [{"id": "n_lead", "kind": "row_count", "table": "units", "where": {"column": "role", "equals": "lead"},
              "gte": 1, "message": {"zh": "需要牵头单位", "en": "a lead is needed"}}]
    prog = program(rules=rules)
    value = rows(3000)
    for r in value[:10]:
        r["role"] = "member"
    fast = evaluate(prog, {TABLE: value})
    engine._ROW_FNS.clear()
    slow_ev = engine.Evaluator(prog, {TABLE: value})
    slow_ev._rows = lambda table, where: [r for r in (slow_ev.value(table) or []) if where is None or slow_ev.cond(where, r)]
    slow = slow_ev.report()
    assert [(p.code, p.path, p.rows) for p in fast.problems] == [(p.code, p.path, p.rows) for p in slow.problems]
