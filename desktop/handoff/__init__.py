"""Joint filling (issue #9): hand part of a project to a partner, take it back, merge it.

    from desktop import handoff
    res = handoff.share_part("lead.dossier", scope, "Rayong Technical College", "part.dossier")
    handoff.make_return("part.dossier", "part.dossier-return", sealer=None)   # on the partner's side
    with handoff.open_return("part.dossier-return") as rf, Project.open("lead.dossier") as p:
        plan = handoff.plan_merge(p, rf)            # changes nothing; plan.conflicts to decide
        handoff.apply_merge(p, plan, rf, choices)   # one transaction
    handoff.list_handoffs("lead.dossier")

Modules: `scope` (what is assigned), `marker` (the hand-off file's mark, the lead's records),
`share` (lead: the hand-off file), `giveback` (partner: the return), `returnfile` (the return
format: writer and checking reader), `diff` (table diffs, three-way merges), `merge` (lead: plan,
apply, revert). Formats: docs/handoff.md.
"""

from __future__ import annotations

import os

from .diff import LEAD, PARTNER, Conflict, FieldMerge
from .giveback import ReturnSummary, collect_changes, make_return, out_of_scope, require_mark
from .marker import HandoffMark, HandoffRecord, load_records, read_mark
from .merge import MergePlan, MergeRefused, MergeResult, apply_merge, plan_merge, revert_merge
from .returnfile import SUFFIX as RETURN_SUFFIX, ReturnError, ReturnFile, open_return
from .scope import Scope, ScopeRequest, resolve_scope
from .share import ShareResult, overlaps, share_part

__all__ = ["LEAD", "PARTNER", "Conflict", "FieldMerge", "ReturnSummary", "collect_changes", "make_return",
           "out_of_scope", "require_mark", "HandoffMark", "HandoffRecord", "load_records", "read_mark", "MergePlan",
           "MergeRefused", "MergeResult", "apply_merge", "plan_merge", "revert_merge", "RETURN_SUFFIX", "ReturnError",
           "ReturnFile", "open_return", "Scope", "ScopeRequest", "resolve_scope", "ShareResult", "overlaps",
           "share_part", "list_handoffs", "merge_return"]


def list_handoffs(project_path: str | os.PathLike) -> list[HandoffRecord]:
    from ..project import Project

    with Project.open(project_path, readonly=True) as p:
        return load_records(p.conn)


def merge_return(project_path: str | os.PathLike, return_path: str | os.PathLike, choices: dict[str, str] | None = None,
                 **kw) -> tuple[MergePlan, MergeResult]:
    """Plan and apply in one go (CLI, scripts). Raises MergeRefused when a decision is needed."""
    from ..project import Project

    trust = kw.pop("trust_fingerprint", None)
    with open_return(return_path) as rf, Project.open(project_path) as p:
        plan = plan_merge(p, rf, trust_fingerprint=trust)
        return plan, apply_merge(p, plan, rf, choices, **kw)
