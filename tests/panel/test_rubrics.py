"""Rubrics are data: the `review:` block of a definition (schema and cross-reference checks with the
YAML line), the rubric shipped with each of the 16 programs, the stored rubric document, changes."""

from __future__ import annotations

import pytest

from desktop.errors import DefinitionError
from desktop.panel.rubric import STANDARD_LEVELS, Rubric, RubricError, derived, resolve, with_changes
from desktop.programs import bundled_programs
from tests.core.helpers import program


def _block(**kw):
    b = {"levels": STANDARD_LEVELS, "criteria": [{"id": "c1", "section": "1"}],
         "gates": [{"id": "g1", "label": {"zh": "门槛", "en": "gate"}, "rules": ["r-count"]}]}
    b.update(kw)
    return b


RULE = {"id": "r-count", "kind": "threshold", "expr": {"field": "count"}, "gte": 1,
        "message": {"zh": "数量至少为1", "en": "count ≥ 1"}}


def _prog(block):
    def mutate(d):
        d["review"] = block
    return program(rules=[RULE], mutate=mutate)


def test_every_bundled_program_ships_a_rubric():
    progs = bundled_programs()
    assert len(progs) == 16
    for p in progs:
        assert p.review, p.id
        r = resolve(p)
        assert not r.derived and r.criteria and r.gates, p.id
        assert len({c.weight for c in r.criteria}) == 1, f"{p.id}: the documents give no weights: equal weights"
        for c in r.criteria:
            assert c.levels and len(c.levels) == 5 and all(lv.descriptor.zh and lv.descriptor.en for lv in c.levels)
            if c.section:
                assert set(c.indicators) == {i.id for i in p.sections[[s.id for s in p.sections].index(c.section)].indicators}
        rules = {x.id: x for x in p.all_rules()}
        for g in r.gates:
            assert g.rules and all(rules[x].severity == "blocking" for x in g.rules), (p.id, g.id)
        assert r.overall is not None and [c.id for c in r.confidence] == ["high", "medium", "low"]
        if r.project_name:
            assert p.field(r.project_name).type == "text"


def test_the_demo_of_every_program_passes_its_gates():
    from desktop.panel.prefill import prefill

    for p in bundled_programs():
        r = resolve(p)
        gates, applicable = prefill(r, p, {"answers": (p.demo or {}).get("answers") or {}, "evidence": []})
        assert all(g["passed"] is True for g in gates.values()), (p.id, gates)
        assert applicable, p.id


def test_core_course_online_criteria_do_not_apply_to_an_offline_course():
    from desktop.panel.prefill import prefill

    p = next(x for x in bundled_programs() if x.id == "moe-core-course")
    r = resolve(p)
    answers = dict(p.demo["answers"])
    _g, offline = prefill(r, p, {"answers": answers, "evidence": []})
    answers["0.1/course_form"] = "online"
    _g, online = prefill(r, p, {"answers": answers, "evidence": []})
    assert all(c.startswith("off") for c in offline) and all(c.startswith("on") for c in online)


def test_a_failing_rule_prefills_its_gate_as_not_met():
    from desktop.panel.prefill import prefill

    p = _prog(_block())
    r = resolve(p)
    gates, _a = prefill(r, p, {"answers": {"1.1/count": 0}, "evidence": []})
    assert gates["g1"]["passed"] is False and gates["g1"]["problems"][0]["code"] == "r-count"
    gates, _a = prefill(r, p, {"answers": {"1.1/count": 3}, "evidence": []})
    assert gates["g1"]["passed"] is True


@pytest.mark.parametrize("block, where, why", [
    (_block(criteria=[{"id": "c1", "section": "9"}]), "review.criteria", "unknown section"),
    (_block(criteria=[{"id": "c1", "indicators": ["9.9"], "label": {"zh": "x", "en": "x"}}]), "review.criteria", "unknown indicator"),
    (_block(criteria=[{"id": "c1", "section": "1"}, {"id": "c1", "section": "1"}]), "review.criteria", "duplicate criterion"),
    (_block(criteria=[{"id": "c1", "section": "1", "indicators": ["1.1"]}]), "review.criteria", "either a section"),
    (_block(gates=[{"id": "g1", "label": {"zh": "门槛", "en": "g"}, "rules": ["r-nope"]}]), "review.gates", "unknown rule"),
    (_block(levels=[STANDARD_LEVELS[0], STANDARD_LEVELS[0]]), "review.levels", "same value"),
    (_block(project_name="1.1/count"), "review.project_name", "text field"),
    (_block(criteria=[{"id": "c1", "section": "1", "weight": 0}]), "review.criteria", "0"),
    (_block(levels=[{"value": 1, "label": {"zh": "好", "en": "ok"}, "descriptor": {"zh": "好", "en": "ok"}}]),
     "review.levels", "too short"),
    (_block(extra=1), "review", "extra"),
])
def test_bad_review_blocks_are_refused_with_their_location(block, where, why):
    with pytest.raises(DefinitionError) as e:
        _prog(block)
    assert where in e.value.location and why in e.value.reason, (e.value.location, e.value.reason)
    assert "line" in e.value.location


def test_a_program_without_review_block_gets_a_derived_rubric():
    p = program()
    r = resolve(p)
    assert r.derived and [c.section for c in r.criteria] == ["1"] and not r.gates and r.overall is not None


def test_rubric_document_round_trip_and_refusals():
    p = _prog(_block(project_name="1.1/name"))
    r = resolve(p)
    d = r.to_dict()
    again = Rubric.from_dict(d)
    assert again.sha256 == r.sha256 and again.project_name == "1.1/name"
    for bad, key in (({**d, "format_version": 2}, "newer"), ({**d, "format": "x"}, "not a Dossier rubric"),
                     ({**d, "criteria": []}, "criteria"), ("nope", "not a Dossier rubric")):
        with pytest.raises(RubricError) as e:
            Rubric.from_dict(bad)
        assert key in e.value.en


def test_with_changes_and_the_digest():
    r = resolve(_prog(_block()))
    w = with_changes(r, weights={"c1": 3})
    assert w.criteria[0].weight == 3 and w.sha256 != r.sha256
    assert with_changes(r, weights={"c1": 1}).sha256 == r.sha256  # 1 and 1.0 are the same rubric
    three = [dict(lv) for lv in STANDARD_LEVELS[:3]]
    assert [lv.value for lv in with_changes(r, levels={"*": three}).criteria[0].levels] == [4, 3, 2]
    with pytest.raises(RubricError):
        with_changes(r, weights={"zz": 2})
    with pytest.raises(RubricError):
        with_changes(r, weights={"c1": -1})
    assert with_changes(r, overall={"min": 0, "max": 10}).overall.max == 10


def test_derived_rubric_of_a_bundled_program_has_one_criterion_per_section():
    p = next(x for x in bundled_programs() if x.id == "gx-city-consortium")
    assert [c.section for c in derived(p).criteria] == [s.id for s in p.sections]
