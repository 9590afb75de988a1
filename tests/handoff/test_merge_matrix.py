"""The three-way merge: every combination of unchanged / changed / both changed for scalars,
tables (by row and cell) and evidence links, through real hand-off and return files."""

from __future__ import annotations

import pytest

from desktop.handoff import LEAD, PARTNER, MergeRefused, apply_merge, open_return, plan_merge, read_mark
from desktop.project import Project
from tests.handoff.helpers import give_back, new_lead, share

BASE = {"2.1/teachers": 5, "2.1/note": "base note", "2.2/area": 100.0, "2.2/address": "Rayong",
        "2.1/staff": [{"name": "Somchai", "subject": "welding", "years": 3},
                      {"name": "Anan", "subject": "CNC", "years": 5},
                      {"name": "Niran", "subject": "electrics", "years": 2}]}


@pytest.fixture
def pair(tmp_path):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    res = share(lead, part, sections=["2"])
    return lead, part, res


def merge(lead, ret, choices=None, **kw):
    with open_return(ret) as rf, Project.open(lead) as p:
        plan = plan_merge(p, rf)
        return plan, apply_merge(p, plan, rf, choices, **kw)


def plan_of(lead, ret):
    with open_return(ret) as rf, Project.open(lead) as p:
        return plan_merge(p, rf)


def answers(path):
    with Project.open(path, readonly=True) as p:
        return p.answers()


def edit(path, values):
    with Project.open(path) as p:
        p.set_many(values)


@pytest.mark.parametrize("lead_v,partner_v,expect,outcome", [
    (None, None, 5, None),  # nobody changed it
    (7, None, 7, "keep"),  # only the lead
    (None, 9, 9, "take"),  # only the partner
    (8, 8, 8, "same"),  # both, to the same value
])
def test_scalar_matrix(pair, tmp_path, lead_v, partner_v, expect, outcome):
    lead, part, _ = pair
    if lead_v is not None:
        edit(lead, {"2.1/teachers": lead_v})
    if partner_v is not None:
        edit(part, {"2.1/teachers": partner_v})
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, res = merge(lead, ret)
    got = {f.path: f.outcome for f in plan.fields}
    assert got.get("2.1/teachers") == outcome
    assert answers(lead)["2.1/teachers"] == expect
    assert not plan.conflicts


@pytest.mark.parametrize("prefer,expect", [("lead", 7), ("partner", 9)])
def test_scalar_conflict_refused_then_resolved(pair, tmp_path, prefer, expect):
    lead, part, _ = pair
    edit(lead, {"2.1/teachers": 7, "2.1/note": "lead's"})
    edit(part, {"2.1/teachers": 9, "2.2/address": "Rayong, Thailand"})
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    before = answers(lead)
    with pytest.raises(MergeRefused) as e:
        merge(lead, ret)
    assert e.value.exit_code == 1
    assert answers(lead) == before  # nothing changed
    plan = plan_of(lead, ret)
    (c,) = plan.conflicts
    assert (c.path, c.base, c.lead, c.partner) == ("2.1/teachers", 5, 7, 9)
    merge(lead, ret, prefer=prefer)
    a = answers(lead)
    assert a["2.1/teachers"] == expect
    assert a["2.2/address"] == "Rayong, Thailand"  # the partner's other change is taken
    assert a["2.1/note"] == "lead's"  # the lead's other change is kept


def test_per_conflict_choices_and_history_actor(pair, tmp_path):
    lead, part, _ = pair
    edit(lead, {"2.1/teachers": 7, "2.2/area": 120.0})
    edit(part, {"2.1/teachers": 9, "2.2/area": 130.0})
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret, {"2.1/teachers": PARTNER, "2.2/area": LEAD})
    a = answers(lead)
    assert a["2.1/teachers"] == 9 and a["2.2/area"] == 120.0
    with Project.open(lead, readonly=True) as p:
        h = [e for e in p.history() if e.path == "2.1/teachers"]
        assert h[-1].actor == "Rayong Technical College" and h[-1].new == 9
        assert all(e.actor == "" for e in p.history() if e.path == "2.2/area")  # kept: no partner edit recorded


def _rows(path):
    return {r["name"]: r for r in answers(path)["2.1/staff"]}


def _set_rows(path, fn):
    with Project.open(path) as p:
        rows = p.get("2.1/staff")
        p.set("2.1/staff", fn(rows))


def test_table_rows_added_on_both_sides_are_both_kept(pair, tmp_path):
    lead, part, _ = pair
    _set_rows(lead, lambda rows: rows + [{"name": "Lead new", "years": 1}])
    _set_rows(part, lambda rows: rows + [{"name": "Partner new", "years": 4}])
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret)
    assert not plan.conflicts
    names = [r["name"] for r in answers(lead)["2.1/staff"]]
    assert names == ["Somchai", "Anan", "Niran", "Partner new", "Lead new"]


def test_table_same_row_different_cells_merge(pair, tmp_path):
    lead, part, _ = pair

    def lead_fn(rows):
        rows[1]["years"] = 6
        return rows

    def partner_fn(rows):
        rows[1]["subject"] = "CNC machining"
        return rows

    _set_rows(lead, lead_fn)
    _set_rows(part, partner_fn)
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret)
    assert not plan.conflicts
    assert _rows(lead)["Anan"] == {**_rows(lead)["Anan"], "subject": "CNC machining", "years": 6}


@pytest.mark.parametrize("prefer,expect", [("lead", 6), ("partner", 8)])
def test_table_same_cell_conflicts(pair, tmp_path, prefer, expect):
    lead, part, _ = pair

    def set_years(v):
        def fn(rows):
            rows[1]["years"] = v
            return rows
        return fn

    _set_rows(lead, set_years(6))
    _set_rows(part, set_years(8))
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan = plan_of(lead, ret)
    (c,) = plan.conflicts
    assert (c.kind, c.column, c.base, c.lead, c.partner) == ("cell", "years", 5, 6, 8)
    merge(lead, ret, prefer=prefer)
    assert _rows(lead)["Anan"]["years"] == expect


def test_table_deleted_on_one_side_edited_on_the_other(pair, tmp_path):
    lead, part, _ = pair

    def lead_fn(rows):  # lead edits Somchai, deletes Niran
        rows[0]["years"] = 4
        return [r for r in rows if r["name"] != "Niran"]

    def partner_fn(rows):  # partner deletes Somchai, edits Niran
        rows[2]["years"] = 9
        return [r for r in rows if r["name"] != "Somchai"]

    _set_rows(lead, lead_fn)
    _set_rows(part, partner_fn)
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan = plan_of(lead, ret)
    kinds = sorted((c.kind, c.detail) for c in plan.conflicts)
    assert kinds == [("row", "deleted_by_lead"), ("row", "deleted_by_partner")]
    merge(lead, ret, prefer="partner")  # Somchai deleted, Niran back with the partner's edit
    assert set(_rows(lead)) == {"Anan", "Niran"} and _rows(lead)["Niran"]["years"] == 9


def test_table_deleted_by_partner_unchanged_by_lead_is_deleted(pair, tmp_path):
    lead, part, _ = pair
    _set_rows(part, lambda rows: rows[1:])
    _set_rows(lead, lambda rows: [r for r in rows if r["name"] != "Niran"])  # both delete something
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret)
    assert not plan.conflicts
    assert list(_rows(lead)) == ["Anan"]


def _attach(path, name, data, indicator="2.1", slot=None, tmp=None):
    src = tmp / name
    src.write_bytes(data)
    with Project.open(path) as p:
        return p.attach(src, indicator, slot)


def _links(path, indicator="2.1"):
    with Project.open(path, readonly=True) as p:
        return {(e.name, e.note) for e in p.evidence(indicator)}


def test_evidence_added_deduplicated_and_removed(tmp_path):
    lead = new_lead(tmp_path, BASE)
    _attach(lead, "cv-somchai.txt", b"CV of Somchai", tmp=tmp_path)
    _attach(lead, "plan.txt", b"site plan", indicator="2.2", tmp=tmp_path)
    _attach(lead, "shared.txt", b"shared bytes", indicator="1.1", tmp=tmp_path)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"], include_evidence=True)
    with Project.open(part) as p:
        assert {e.name for e in p.evidence()} == {"cv-somchai.txt", "plan.txt"}
        p.detach(next(e.id for e in p.evidence() if e.name == "plan.txt"))
    _attach(part, "cv-anan.txt", b"CV of Anan", tmp=tmp_path)
    _attach(part, "copy.txt", b"shared bytes", tmp=tmp_path)  # same content the lead holds on 1.1
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, res = merge(lead, ret)
    acts = sorted((e.name, e.action) for e in plan.evidence)
    assert acts == [("copy.txt", "add"), ("cv-anan.txt", "add"), ("plan.txt", "remove")]
    assert {n for n, _ in _links(lead)} == {"cv-somchai.txt", "cv-anan.txt", "shared.txt"}
    assert _links(lead, "2.2") == set()
    with Project.open(lead, readonly=True) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM blobs WHERE sha256 IN (SELECT sha256 FROM blobs)").fetchone()[0] == 3
        shared = [e for e in p.evidence() if e.name == "shared.txt"][0]
        assert {l.indicator_id for l in shared.links} == {"1.1", "2.1"}  # stored once, linked twice


def test_evidence_removal_kept_when_lead_changed_the_link(tmp_path):
    lead = new_lead(tmp_path, BASE)
    ev = _attach(lead, "cv.txt", b"CV", tmp=tmp_path)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"], include_evidence=True)
    with Project.open(lead) as p:
        p.set_note(ev.id, "checked by the lead")
    with Project.open(part) as p:
        p.detach(p.evidence()[0].id)
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret)
    (m,) = plan.evidence
    assert (m.action, m.reason) == ("keep", "changed_by_lead")
    assert _links(lead) == {("cv.txt", "checked by the lead")}


def test_evidence_note_changes_and_conflict(tmp_path):
    lead = new_lead(tmp_path, BASE)
    a = _attach(lead, "a.txt", b"A", tmp=tmp_path)
    b = _attach(lead, "b.txt", b"B", tmp=tmp_path)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"], include_evidence=True)
    with Project.open(part) as p:
        for e in p.evidence():
            p.set_note(e.id, f"partner on {e.name}")
    with Project.open(lead) as p:
        p.set_note(b.id, "lead on b")
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan = plan_of(lead, ret)
    assert sorted((e.name, e.action) for e in plan.evidence) == [("a.txt", "change"), ("b.txt", "conflict")]
    merge(lead, ret, prefer="lead")
    assert _links(lead) == {("a.txt", "partner on a.txt"), ("b.txt", "lead on b")}
    del a


def test_lead_removed_evidence_stays_removed_and_lead_keeps_editing(tmp_path):
    lead = new_lead(tmp_path, BASE)
    ev = _attach(lead, "old.txt", b"old", tmp=tmp_path)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"], include_evidence=True)
    with Project.open(lead) as p:  # the lead keeps working on the whole project meanwhile
        p.detach(ev.id)
        p.set_many({"1.1/name": "甲", "2.1/teachers": 6})
    edit(part, {"2.2/area": 150.0})
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    merge(lead, ret)
    a = answers(lead)
    assert _links(lead) == set()
    assert (a["1.1/name"], a["2.1/teachers"], a["2.2/area"]) == ("甲", 6, 150.0)


def test_second_return_merges_against_the_first(pair, tmp_path):
    lead, part, _ = pair
    edit(part, {"2.1/teachers": 9, "2.2/area": 130.0})
    r1 = tmp_path / "r1.dossier-return"
    give_back(part, r1)
    edit(lead, {"2.1/teachers": 7})
    merge(lead, r1, prefer="lead")
    edit(part, {"2.2/area": 140.0, "2.1/note": "more"})
    r2 = tmp_path / "r2.dossier-return"
    give_back(part, r2)
    plan, _ = merge(lead, r2)
    assert not plan.conflicts  # teachers: the partner did not change it again; the lead's choice stands
    a = answers(lead)
    assert (a["2.1/teachers"], a["2.2/area"], a["2.1/note"]) == (7, 140.0, "more")
    # the older return, arriving late, is a no-op
    plan, res = merge(lead, r1)
    assert res.noop == "merged"
    assert answers(lead) == a


def test_partner_sees_only_the_assignment_and_marker(pair):
    lead, part, res = pair
    with Project.open(part, readonly=True) as p:
        m = read_mark(p)
        assert m.handoff_id == res.handoff_id and m.partner == "Rayong Technical College"
        with Project.open(lead, readonly=True) as lp:
            assert m.source_project_uuid == lp.uuid
            assert p.uuid != lp.uuid
        assert set(p.answers()) == set(BASE)  # only the assigned fields' values
        assert m.base["2.1/staff"] == p.get("2.1/staff")  # with the same row ids
