"""Every bundled program: loads, matches its source's counts, its demo validates clean, and every
rule has a fill that breaks it (data in tests/programs/cases/<id>.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from desktop.demo import demo_answers
from desktop.programs import bundled_programs, load_errors
from desktop.rules import Evaluator, evaluate
from desktop.values import coerce

CASES = Path(__file__).parent / "cases"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

EXPECTED = {
    "gx-city-consortium", "gx-industry-community", "asean-tech-innovation-college", "asean-craftsman-college",
    "moe-city-consortium", "moe-industry-community", "moe-open-practice-center", "moe-resource-library",
    "moe-it-benchmark-school", "moe-virtual-sim-base", "moe-core-course", "moe-quality-textbook",
    "moe-production-practice-project", "sx-platform-base", "xj12-integration", "wf-city-consortium",
}


def _programs():
    return {p.id: p for p in bundled_programs()}


def _case_ids():
    return sorted(p.stem for p in CASES.glob("*.yaml"))


def test_every_bundled_definition_loads():
    assert [str(e) for e in load_errors()] == []


def test_all_sixteen_programs_are_bundled():
    assert EXPECTED <= set(_programs())


def test_every_program_has_a_cases_file():
    assert set(_programs()) <= set(_case_ids())


def _case(pid):
    return yaml.safe_load((CASES / f"{pid}.yaml").read_text("utf-8"))


def _evidence_counts(program, answers):
    ev = Evaluator(program, answers)
    counts = {}
    for ind in program.indicators():
        for slot in ind.evidence:
            need = slot.min_count if (slot.required_if is None or ev.cond(slot.required_if)) else 0
            counts[slot.key] = need
    return counts


@pytest.mark.parametrize("pid", _case_ids())
def test_counts_match_source(pid):
    case = _case(pid)
    prog = _programs()[pid]
    ours = {s.id: sum(i.observation_points for i in s.indicators) for s in prog.sections}
    expected = {str(k): v for k, v in case["counts"].items()}
    assert {k: ours.get(k, 0) for k in expected} == expected, "observation points per section differ from the counts"
    assert sum(ours.values()) == sum(expected.values())
    seed = case.get("seed")
    if seed:
        text = (SEEDS / seed["file"]).read_text("utf-8")
        start = -1
        for _ in range(seed.get("start_occurrence", 1)):
            start = text.index(seed["start"], start + 1)
        end = text.index(seed["end"], start) if seed.get("end") else len(text)
        counted: dict[str, int] = {}
        seen = set()
        for line in text[start:end].splitlines():
            m = re.match(seed["pattern"], line)
            if m:
                key = line.strip()[:12]
                if key in seen:
                    continue
                seen.add(key)
                counted[m.group(1)] = counted.get(m.group(1), 0) + 1
        assert counted == expected, "the seed text recount differs from the counts"


@pytest.mark.parametrize("pid", _case_ids())
def test_demo_fill_validates_clean(pid):
    prog = _programs()[pid]
    answers = demo_answers(prog)
    rep = evaluate(prog, answers, _evidence_counts(prog, answers))
    assert [(p.code, p.path, p.message.en) for p in rep.problems] == []
    assert rep.completeness == 1.0


@pytest.mark.parametrize("pid", _case_ids())
def test_every_rule_has_a_breaking_case(pid):
    prog = _programs()[pid]
    case = _case(pid)
    covered = {c["rule"] for c in case.get("cases", [])}
    missing = [r.id for r in prog.all_rules() if r.id not in covered]
    assert missing == [], f"rules without a breaking case: {missing}"


def _breaking_cases():
    for pid in _case_ids():
        for n, c in enumerate(_case(pid).get("cases", []) or []):
            yield pytest.param(pid, c, id=f"{pid}-{c['rule']}-{n}")


@pytest.mark.parametrize("pid,case", list(_breaking_cases()))
def test_breaking_case_fails_with_the_rule_message(pid, case):
    prog = _programs()[pid]
    answers = demo_answers(prog)
    for path, value in (case.get("set") or {}).items():
        fld = prog.field(path)
        assert fld is not None, f"unknown field {path}"
        answers[path] = coerce(fld, value)
    counts = _evidence_counts(prog, answers)
    rep = evaluate(prog, answers, counts)
    rule = next(r for r in prog.all_rules() if r.id == case["rule"])
    hits = [p for p in rep.problems if p.code == rule.id]
    assert hits, f"rule {rule.id} did not fire; problems: {[p.code for p in rep.problems]}"
    assert hits[0].message.zh.startswith(rule.message.zh) and hits[0].message.en.startswith(rule.message.en)
    assert hits[0].severity == rule.severity
