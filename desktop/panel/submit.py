"""Submitting an expert sheet: its scores as a signed score sheet (desktop.panel.scores_file).

    submit("张明.dsheet", "张明.dscores", sealer=get_sealer())

Every assigned package must be scored or recused (or `allow_incomplete`: only those that are go
out). The sheet then records the submission and is final: submitting again writes the same
scores (the same scores_id), e.g. when the first file was lost on the way.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..review.file import utcnow
from .scores_file import SUFFIX, write
from .sheet import ExpertSheet, SheetError


@dataclass
class Submitted:
    path: Path
    scores_id: str
    sha256: str
    packages: int
    scored: int
    recused: int
    complete: bool
    signed: bool
    fingerprint: str

    def to_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def scores_document(sh: ExpertSheet, *, allow_incomplete: bool = False, fingerprint: str | None = None,
                    created_at: str | None = None, scores_id: str | None = None) -> dict:
    rub = sh.rubric
    entries = []
    todo = []
    for pkg in sh.packages():
        w = sh.work(pkg.id)
        missing = sh.missing(pkg.id, w, pkg)
        if missing:
            todo.append((pkg, missing))
            continue
        entry = {"package": pkg.id, "uid": pkg.uid, "content_digest": pkg.content_digest, "recused": w.recused,
                 "coi_reason": w.coi[1] if w.recused else "", "gates": [], "criteria": [], "overall": None,
                 "confidence": None, "comment": ""}
        if not w.recused:
            entry["gates"] = [{"id": g.id, "passed": w.gates[g.id].passed, "reason": w.gates[g.id].reason,
                               "prefilled": (pkg.prefill.get(g.id) or {}).get("passed")} for g in rub.gates]
            entry["criteria"] = [{"id": c.id, "value": _num(w.scores[c.id].value), "comment": w.scores[c.id].comment,
                                  "evidence": w.scores[c.id].evidence}
                                 for c in rub.criteria if c.id in pkg.applicable]
            entry["overall"] = _num(w.overall)
            entry["confidence"] = w.confidence
            entry["comment"] = w.overall_comment
        entries.append(entry)
    if todo and not allow_incomplete:
        first, miss = todo[0]
        more = f" (and {len(todo) - 1} more package(s))" if len(todo) > 1 else ""
        more_zh = f"（另有 {len(todo) - 1} 个数据包未完成）" if len(todo) > 1 else ""
        raise SheetError(f"Package {first.id} ({first.applicant}) is not finished: {miss[0].en}{more}. Finish every package, "
                         "or submit what is done (--allow-incomplete / “Submit what is done”).",
                         f"数据包 {first.id}（{first.applicant}）尚未完成：{miss[0].zh}{more_zh}。请完成所有数据包，"
                         "或只提交已完成的部分（--allow-incomplete /“提交已完成部分”）。", key="sheet.incomplete")
    if not entries and todo:  # some packages may be partly scored: say what the first one still needs
        first, miss = todo[0]
        raise SheetError(f"No package is finished yet (only finished packages are submitted): package {first.id} "
                         f"({first.applicant}) still needs you to {miss[0].en}. Finish at least one package, then submit.",
                         f"尚无已完成的数据包（只提交已完成的数据包）：数据包 {first.id}（{first.applicant}）尚未完成：{miss[0].zh}。"
                         "请至少完成一个数据包后再提交。", key="sheet.none_finished")
    if not entries:
        raise SheetError("Nothing is scored yet: there is nothing to submit", "尚未完成任何评分：没有可提交的内容", key="sheet.empty")
    m = sh.meta()
    return {"format": "dossier-panel-scores", "format_version": 1, "scores_id": scores_id or uuid.uuid4().hex,
            "created_at": created_at or utcnow(), "generator": {"name": "Dossier", "version": __version__},
            "sheet": {"id": sh.sheet_id, "issued_at": m.get("issued_at", "")},
            "review": {"uuid": m.get("review_uuid", ""), "title": m.get("review_title", "")},
            "round": sh.round, "rubric_version": int(m.get("rubric_version", "1")), "rubric_sha256": m["rubric_sha256"],
            "expert": {"name": sh.expert, "fingerprint": fingerprint}, "complete": not todo, "packages": entries}


def _num(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def submit(sheet: str | os.PathLike | ExpertSheet, out: str | os.PathLike, *, sealer=None,
           allow_incomplete: bool = False) -> Submitted:
    own = not isinstance(sheet, ExpertSheet)
    sh = ExpertSheet.open(sheet) if own else sheet
    try:
        out = Path(out)
        if not out.name.lower().endswith(SUFFIX):
            out = out.with_name(out.name + SUFFIX)
        if not out.parent.is_dir():
            raise SheetError(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", key="sheet.no_folder")
        fp = getattr(sealer, "fingerprint", None)
        m = sh.meta()
        if m.get("submitted_at"):  # final: the same scores again (re-signed if asked)
            doc = json.loads(m["scores_doc"])
            doc["expert"]["fingerprint"] = fp
        else:
            doc = scores_document(sh, allow_incomplete=allow_incomplete, fingerprint=fp)
        path, sha = write(out, doc, sealer)
        if not m.get("submitted_at"):
            try:
                with sh._tx() as c:
                    for k, v in (("submitted_at", doc["created_at"]), ("scores_id", doc["scores_id"]),
                                 ("scores_doc", json.dumps(doc, ensure_ascii=False))):
                        c.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (k, v))
            except BaseException:
                path.unlink(missing_ok=True)
                raise
        n_rec = sum(1 for e in doc["packages"] if e["recused"])
        return Submitted(path, doc["scores_id"], sha, len(sh.packages()), len(doc["packages"]) - n_rec, n_rec,
                         doc["complete"], sealer is not None, fp or "")
    finally:
        if own:
            sh.close()
