r"""Every bundled program: loads, matches its source's counts, its demo validates clean, and every
rule has a fill that breaks it (data in tests/programs/cases/<id>.yaml).

`counts` in a cases file is the number of observation points (conditions, tasks…) per section id as counted
by hand. The optional `seed:` part lets test_counts_match_source recount them in the seed text
(shared/seeds/<file>, see tests/programs/seeds.py), so that the counts are checked against the source and not against our YAML.
`seed:` is one block (a mapping) or a list of blocks; each block counts into one or more section ids, the
counts of all blocks add up per section, and the sum must equal `counts` exactly (a section counted 0 may
be left out of the recount; a section the recount finds must be in `counts`). Keys of a block:

  file              seed file name (required)
  start             text at which counting starts (required); the block is text[start:end]
  start_occurrence  which occurrence of `start` (1-based, default 1)
  after             optional: look for `start` only after the first occurrence of this text (a unique
                    anchor, e.g. the title of the part, when `start` is a heading repeated in every part)
  end               text before which counting stops: its first occurrence after `start` (default: the end
                    of the file)
  split             optional regex: cut the block into pieces with re.split(split, block) instead of into
                    lines (for seeds where a whole article is one physical line; use a lookahead or a
                    separator without capture groups, e.g. '\s+' where paragraphs are separated by spaces)
  pattern           regex matched (re.match) at the start of each piece / line; every match is one point. It
                    must match the document's own markers ("1.1", "1.", "(一)"), never our indicator texts,
                    and it must match at least once in its block
  section           optional: the section id every match of the block counts for; without it, the id is
                    the pattern's group 1 (e.g. '^\s*(\d+)\.\d+' -> "1" for "1.3…")
  unmarked          optional, with `section`: a number of points of that section that the document does not
                    mark (an unnumbered paragraph or sentence the transcriber made a point of), declared by
                    hand for the text between start and end. Say in a YAML comment which text they are; a
                    block may have `unmarked` with or without `pattern`
  dedupe            optional, default false: count pieces whose first 12 characters repeat only once (for a
                    seed that repeats a numbered line, e.g. at a page break; no bundled block needs it)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from desktop.demo import demo_answers
from desktop.programs import bundled_programs, load_errors
from desktop.rules import Evaluator, evaluate
from desktop.values import coerce

from .seeds import seed_text

CASES = Path(__file__).parent / "cases"

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
        counted = _recount(seed)
        keys = set(expected) | set(counted)
        assert {k: counted.get(k, 0) for k in sorted(keys)} == {k: expected.get(k, 0) for k in sorted(keys)}, \
            "the seed text recount differs from the counts"


SEED_KEYS = {"file", "start", "start_occurrence", "after", "end", "split", "pattern", "section", "unmarked", "dedupe"}


def _recount(seed) -> dict[str, int]:
    """Recount the points of the `seed:` part of a cases file (see the module docstring)."""
    counted: dict[str, int] = {}
    for n, block in enumerate(seed if isinstance(seed, list) else [seed]):
        where = f"seed block {n} ({block.get('start')!r})"
        assert set(block) <= SEED_KEYS, f"{where}: unknown keys {sorted(set(block) - SEED_KEYS)}"
        assert "pattern" in block or "unmarked" in block, f"{where}: needs a pattern or unmarked"
        text = seed_text(block["file"])
        if block.get("after"):
            assert text.count(block["after"]) == 1, f"{where}: `after` must occur exactly once in the seed"
        # the search for `start` begins after `after` (after its last character), or at the top
        start = text.index(block["after"]) + len(block["after"]) - 1 if block.get("after") else -1
        for _ in range(block.get("start_occurrence", 1)):
            start = text.index(block["start"], start + 1)
        end = text.index(block["end"], start + len(block["start"])) if block.get("end") else len(text)
        chunk = text[start:end]
        if "unmarked" in block:
            assert "section" in block, f"{where}: unmarked needs a section"
            section = str(block["section"])
            counted[section] = counted.get(section, 0) + int(block["unmarked"])
        if "pattern" not in block:
            continue
        pieces = re.split(block["split"], chunk) if block.get("split") else chunk.splitlines()
        seen = set()
        matched = 0
        for piece in pieces:
            m = re.match(block["pattern"], piece)
            if not m:
                continue
            if block.get("dedupe"):
                key = piece.strip()[:12]
                if key in seen:
                    continue
                seen.add(key)
            section = str(block["section"]) if "section" in block else m.group(1)
            counted[section] = counted.get(section, 0) + 1
            matched += 1
        assert matched, f"{where}: the pattern matches nothing between start and end"
    return counted


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
