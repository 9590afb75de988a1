"""The merge of a return as ONE undo step. Redo plans and applies the merge in the worker (its own
connection, one transaction); undo reverts it in one transaction. Content of evidence the merge
removes from the project is first copied to the session's stash, so the undo can restore it."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ...errors import DossierError
from ...handoff import apply_merge, open_return, plan_merge, revert_merge
from ...project import safe_file_name
from ..undo import _Command


def _stash_removed(proj, plan, root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for em in plan.evidence:
        if em.action != "remove" or em.lead is None:
            continue
        ev = proj.evidence_item(em.lead["evidence_id"])
        if len(ev.links) <= 1 and ev.sha256 not in out:
            folder = root / uuid.uuid4().hex
            folder.mkdir(parents=True)
            out[ev.sha256] = proj.extract(ev.id, folder / safe_file_name(ev.name))
    return out


class MergeCommand(_Command):
    def __init__(self, session, return_path: Path, partner: str, choices: dict[str, str], *,
                 skip_out_of_scope: bool = False, accept_signer: bool = False):
        super().__init__(session, QCoreApplication.translate("Undo", "Merge the part returned by {partner}").format(partner=partner))
        self.path = Path(return_path)
        self.choices = dict(choices)
        self.skip = skip_out_of_scope
        self.accept_signer = accept_signer
        self.result = None
        self.stash: dict[str, Path] = {}

    def _after(self, paths) -> None:
        s = self.session
        s.reload_answers(paths)
        s.reload_evidence()

    def _apply(self) -> None:
        s = self.session
        root = s.stash_dir()

        def work(task, proj):
            with open_return(self.path) as rf:
                plan = plan_merge(proj, rf)
                if plan.already_merged:
                    raise DossierError("This return was already merged: nothing to do", "此回传文件已合并：无需再次合并",
                                       key="merge.already")
                stash = _stash_removed(proj, plan, root)
                res = apply_merge(proj, plan, rf, self.choices, skip_out_of_scope=self.skip,
                                  accept_signer=self.accept_signer, task=task)
            return res, stash

        outcome, r = s.run_job(work, QCoreApplication.translate("Undo", "Merging the returned part…"))
        if outcome == "cancelled":
            raise DossierError("Cancelled: nothing was changed", "已取消：未做任何修改", key="cancelled")
        if outcome == "failed":
            raise r
        self.result, self.stash = r
        self._after(list(self.result.values_after))

    def _revert(self) -> None:
        s = self.session
        res, stash = self.result, self.stash

        def work(_task, proj):
            revert_merge(proj, res, stash)

        outcome, r = s.run_job(work, QCoreApplication.translate("Undo", "Undoing the merge…"))
        if outcome == "failed":
            raise r
        self._after(list(res.values_before))

    def redo(self) -> None:
        self._guard(self._apply)

    def undo(self) -> None:
        self._guard(self._revert)
