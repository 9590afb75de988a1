"""Boundary tests generated from the definitions: for every rule with a numeric (or date) threshold,
the limit itself and one step past it (tests/programs/boundaries.py explains the probes).

- every probed comparison gives, in the engine, the truth its operator promises at the limit and one
  step past it, and the rule reports a problem exactly when its structure says it must;
- every such rule has at least one probe that moves its outcome (passes at the limit, fails one step
  past — or the reverse for a strict comparison), so an off-by-one (`<` for `≤`) cannot pass unnoticed;
- every built-in hard limit of a field (min / max, max_length, min/max_rows, min/max_selected) holds
  at the limit and refuses one step past it;
- where a rule's message states its limit in words (不超过N, 不少于N, 至少N, N以上, a date "M月D日"
  of a window, inclusive in these documents), the comparison's operator agrees with the words.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pytest

from desktop.errors import DossierError
from desktop.programs import bundled_programs
from desktop.rules import Evaluator, evaluate
from desktop.values import coerce
from desktop.values.coerce import coerce_scalar

from .boundaries import EXPECT, NUMERIC_OPS, Runner, Unsupported, field_limits, probes, step_of

PROGRAMS = {p.id: p for p in bundled_programs()}


@lru_cache(maxsize=None)
def _runner(pid: str) -> Runner:
    return Runner(PROGRAMS[pid])


@lru_cache(maxsize=None)
def _probes(pid: str):
    return probes(PROGRAMS[pid])


def _rules_with_thresholds():
    for pid in sorted(PROGRAMS):
        seen = []
        for pr in _probes(pid):
            if pr.rule.id not in seen:
                seen.append(pr.rule.id)
        for rid in seen:
            yield pytest.param(pid, rid, id=f"{pid}:{rid}")


def _numeric_comparisons(x) -> int:
    """Every comparison with gt/gte/lt/lte anywhere in a rule (to prove none escapes the probes)."""
    n = 0
    if isinstance(x, dict):
        if any(op in x for op in NUMERIC_OPS) and any(k in x for k in ("field", "column", "expr")):
            n += 1
        for v in x.values():
            n += _numeric_comparisons(v)
    elif isinstance(x, list):
        n += sum(_numeric_comparisons(v) for v in x)
    return n


def test_every_numeric_comparison_is_probed():
    missed = []
    for pid, prog in PROGRAMS.items():
        by_rule: dict[str, int] = {}
        for pr in _probes(pid):
            if pr.region in ("check", "where", "when", "of"):
                by_rule[pr.rule.id] = by_rule.get(pr.rule.id, 0) + 1
        for r in prog.all_rules():
            if _numeric_comparisons(r.spec) != by_rule.get(r.id, 0):
                missed.append(f"{pid}:{r.id}")
    assert missed == [], "numeric comparisons the probes do not reach (nested in an operand?)"


def test_the_probes_cover_the_bundled_rules():
    n_rules = sum(1 for _ in _rules_with_thresholds())
    n_probes = sum(len(_probes(pid)) for pid in PROGRAMS)
    # a floor, so that a refactoring of the generator cannot quietly probe nothing
    assert n_rules >= 230 and n_probes >= 330, (n_rules, n_probes)


@pytest.mark.parametrize("pid,rid", list(_rules_with_thresholds()))
def test_rule_at_its_limit_and_one_step_past(pid, rid):
    runner = _runner(pid)
    failures, moved = [], []
    for pr in (p for p in _probes(pid) if p.rule.id == rid):
        try:
            outcomes = runner.run(pr)
        except Unsupported as e:
            pytest.fail(f"{pr.name}: the generator cannot realise this threshold ({e}); extend tests/programs/boundaries.py")
        for o in outcomes:
            if not o.reachable:
                continue
            if o.atom_engine != o.atom_expected:
                failures.append(f"{pr.name} {o.point}: the comparison is {o.atom_engine}, expected {o.atom_expected} "
                                f"(measured {o.measured!r}, limit {o.limit!r})")
            if o.fires_engine != o.fires_expected:
                failures.append(f"{pr.name} {o.point}: the rule {'fires' if o.fires_engine else 'is silent'}, expected "
                                f"{'a problem' if o.fires_expected else 'none'} (measured {o.measured!r}, limit {o.limit!r})")
        at = next(o for o in outcomes if o.point == "at")
        for o in outcomes:
            if o.point != "at" and at.reachable and o.reachable and at.fires_expected != o.fires_expected:
                moved.append(pr.name)
    assert failures == []
    assert moved, f"{rid}: no probe moves the rule's outcome between the limit and one step past it"


@pytest.mark.parametrize("pid", sorted(PROGRAMS))
def test_field_limits_hold_at_the_limit_and_refuse_one_step_past(pid):
    prog = PROGRAMS[pid]
    runner = _runner(pid)
    bad = []
    for lim in field_limits(prog):
        col = lim.column or lim.field
        gate = (lambda v, c=col: coerce_scalar(c, v)) if lim.column is not None else (lambda v, f=lim.field: coerce(f, v))

        def ok(v) -> bool:
            try:
                gate(v)
                return True
            except DossierError:
                return False

        if lim.key in ("min", "max"):
            sign = -1 if lim.key == "min" else +1
            if col.type == "date":
                past = (dt.date.fromisoformat(lim.limit) + dt.timedelta(days=sign)).isoformat()
            else:
                past = lim.limit + sign * step_of(col)
            at_ok, past_ok = ok(lim.limit), ok(past)
        elif lim.key == "max_length":
            at_ok, past_ok = ok("字" * lim.limit), ok("字" * (lim.limit + 1))
        elif lim.key == "max_rows":
            row = (runner.demo.get(lim.field.path) or [{}])[0]
            at_ok, past_ok = ok([dict(row)] * lim.limit), ok([dict(row)] * (lim.limit + 1))
        elif lim.key == "max_selected":
            if lim.limit >= len(lim.field.choices):
                continue  # one more than every choice cannot be chosen at all
            values = [c.value for c in lim.field.choices]
            at_ok, past_ok = ok(values[:lim.limit]), ok(values[:lim.limit + 1])
        else:  # min_rows, min_selected: a blocking problem, not a refusal
            code = lim.key
            if lim.key == "min_rows":
                row = (runner.demo.get(lim.field.path) or [{}])[0]
                values = ([dict(row)] * lim.limit, [dict(row)] * (lim.limit - 1))
            else:
                values = ([c.value for c in lim.field.choices[:lim.limit]], [c.value for c in lim.field.choices[:lim.limit - 1]])
            outcome = []
            for v in values:
                answers = dict(runner.demo)
                answers[lim.field.path] = coerce(lim.field, v) if v else None
                ev = Evaluator(prog, answers)
                if not ev.field_visible(lim.field.path):
                    break
                outcome.append(any(p.code == code and p.path == lim.field.path for p in evaluate(prog, answers).problems))
            if len(outcome) < 2 or lim.limit - 1 < 1:
                continue  # hidden in the demo, or one step past is an unanswered field (covered by `required`)
            at_ok, past_ok = not outcome[0], not outcome[1]
        if not at_ok or past_ok:
            bad.append(f"{lim.name}={lim.limit!r}: at the limit {'accepted' if at_ok else 'REFUSED'}, "
                       f"one step past {'ACCEPTED' if past_ok else 'refused'}")
    assert bad == []


# ---------------------------------------------------------------------------- the words agree

INCLUSIVE_HI = r"(?:不超过|不高于|不多于|不大于|不得超过|最多|至多)$"
INCLUSIVE_LO = r"(?:不少于|不低于|不小于|至少)$"
STRICT_HI = r"(?<!不)(?:少于|低于|小于|不足)$"
STRICT_LO = r"(?<!不)(?:超过|高于|多于|大于)$"


def _worded_ops(zh: str, number: str) -> set[str]:
    ops = set()
    for m in re.finditer(r"(?<![\d.])" + re.escape(number) + r"(?![\d.])", zh):
        before, after = zh[max(0, m.start() - 4):m.start()], zh[m.end():m.end() + 6]
        if re.search(INCLUSIVE_HI, before) or re.match(r"[^\d,，。;；]{0,3}(?:以下|以内)", after):
            ops.add("lte")
        if re.search(INCLUSIVE_LO, before) or re.match(r"[^\d,，。;；]{0,4}以上", after):
            ops.add("gte")
        if re.search(STRICT_HI, before):
            ops.add("lt")
        if re.search(STRICT_LO, before):
            ops.add("gt")
    return ops


def test_the_operator_agrees_with_the_words_of_the_message():
    checked, wrong = 0, []
    for pid in sorted(PROGRAMS):
        for pr in _probes(pid):
            zh = pr.rule.message.zh
            limit, m = pr.limit, pr.measured
            if isinstance(limit, (int, float)) and not isinstance(limit, bool) and pr.region != "k":
                ops = _worded_ops(zh, "%g" % limit)
                if ops:
                    checked += 1
                    if pr.op not in ops and pr.op != "equals":
                        wrong.append(f"{pid}:{pr.name}: {pr.op} but the message says {sorted(ops)}: {zh}")
            # a window "M月D日" of these documents includes its first and last day
            form = None
            if isinstance(limit, dict) and "date" in limit:
                d = dt.date.fromisoformat(limit["date"])
                form = f"{d.month}月{d.day}日"
            elif isinstance(m, dict) and "month_of" in m and isinstance(limit, int):
                form = f"{limit}月"
            elif isinstance(m, dict) and "day_of" in m and isinstance(limit, int):
                form = f"{limit}日"
            if form and re.search(r"(?<!\d)" + re.escape(form), zh):
                checked += 1
                if pr.op not in ("lte", "gte"):
                    wrong.append(f"{pid}:{pr.name}: {pr.op} excludes the day the message names ({form}): {zh}")
    assert wrong == []
    assert checked >= 60, checked


def test_a_ratio_exactly_at_its_limit_is_at_the_limit():
    """29 / 100 × 100 is 28.999999999999996 in binary floating point: the engine must not let that
    decide a "≥ 29 %" rule (probes only meet the limits the bundled programs happen to use)."""
    prog = PROGRAMS["moe-resource-library"]
    ev = Evaluator(prog, {"4.1.3/total": 100, "4.1.3/original": 29, "4.1.3/text_graphic": 7})
    assert ev.operand({"ratio": [{"field": "4.1.3/original"}, {"field": "4.1.3/total"}]}) == 29
    assert ev.operand({"ratio": [{"field": "4.1.3/text_graphic"}, {"field": "4.1.3/total"}]}) == 7
    assert ev.operand({"add": [0.1, 0.2]}) == 0.3
    assert EXPECT["lte"] == (+1, True, False)
