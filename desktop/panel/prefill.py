"""Gate items pre-filled from the rule engine's result, and the criteria that apply to a package.

The rules of the program run over the package's answers (the definition installed here, as the
desk's recomputed checks do). A gate lists the rules that express it: it is pre-filled "met"
when none of them reports a problem, "not met" (with the rules' messages) when one does, and
left open when it names no rule or the rules cannot be run. The expert confirms or overturns it.

A criterion applies when at least one of its indicators is part of the application (visible
under the package's answers: e.g. the online-course conditions do not apply to an offline course).
"""

from __future__ import annotations

from typing import Any

from ..errors import DossierError
from ..models.program import Program
from ..review.recheck import evidence_counts
from .rubric import Rubric


def evaluate_package(program: Program, doc: dict[str, Any]):
    from ..rules import evaluate

    try:
        return evaluate(program, doc.get("answers") or {}, evidence_counts(doc))
    except (DossierError, TypeError, ValueError, KeyError, RecursionError):
        return None


def prefill(rubric: Rubric, program: Program, doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """({gate id: {"passed": True|False|None, "problems": [{"code", "message"}]}}, applicable criteria)."""
    rep = evaluate_package(program, doc)
    gates: dict[str, Any] = {}
    for g in rubric.gates:
        if rep is None or not g.rules:
            gates[g.id] = {"passed": None, "problems": []}
            continue
        hits = [p for p in rep.problems if p.code in g.rules]
        gates[g.id] = {"passed": not hits,
                       "problems": [{"code": p.code, "indicator": p.indicator_id, "message": p.message.to_dict()} for p in hits]}
    if rep is None:
        applicable = [c.id for c in rubric.criteria]
    else:
        applicable = [c.id for c in rubric.criteria
                      if any(rep.indicators.get(i) is None or rep.indicators[i].visible for i in c.indicators)]
    return gates, applicable
