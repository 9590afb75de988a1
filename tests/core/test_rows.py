"""Stable row identities (schema v2): a row keeps its id through edits, inserts, moves and re-sets."""

from __future__ import annotations

import pytest

from desktop.errors import ValueProblem
from desktop.models.rows import ROW_ID, assign_row_ids, strip_row_ids
from desktop.project import Project
from tests.core.helpers import program


@pytest.fixture
def proj(tmp_path):
    with Project.create(tmp_path / "rows.dossier", program(), "甲") as p:
        yield p


def test_every_stored_row_gets_a_unique_id(proj):
    rows = proj.set("1.1/units", [{"name": "甲"}, {"name": "乙"}, {}])
    ids = [r[ROW_ID] for r in rows]
    assert len(set(ids)) == 3 and all(len(i) == 12 for i in ids)
    assert proj.get("1.1/units") == rows


def test_ids_survive_edit_insert_move_and_delete(proj):
    a, b = proj.set("1.1/units", [{"name": "甲"}, {"name": "乙"}])
    edited = {**b, "months": 3}
    rows = proj.set("1.1/units", [{"name": "新"}, edited, a])  # insert on top, move a down, edit b
    assert [r[ROW_ID] for r in rows[1:]] == [b[ROW_ID], a[ROW_ID]]
    assert rows[0][ROW_ID] not in (a[ROW_ID], b[ROW_ID])
    rows = proj.set("1.1/units", [rows[2]])
    assert rows == [a]


def test_setting_the_same_content_without_ids_keeps_them(proj):
    first = proj.set("1.1/units", '[{"name": "甲", "months": 7}, {"name": "乙"}]')
    again = proj.set("1.1/units", '[{"name": "甲", "months": 7}, {"name": "乙"}]')
    assert again == first
    assert len(proj.history("1.1/units")) == 1  # no spurious change


def test_duplicate_or_bad_ids_are_handled():
    rows = assign_row_ids([{ROW_ID: "x1", "a": 1}, {ROW_ID: "x1", "a": 2}], None)
    assert rows[0][ROW_ID] == "x1" and rows[1][ROW_ID] != "x1"
    with pytest.raises(ValueProblem):
        from desktop.values import coerce

        coerce(program().field("1.1/units"), [{ROW_ID: "../../etc", "name": "x"}])


def test_strip_leaves_other_lists_alone():
    assert strip_row_ids(["a", "b"]) == ["a", "b"]
    assert strip_row_ids([{ROW_ID: "r", "x": 1}]) == [{"x": 1}]
    assert strip_row_ids(None) is None
