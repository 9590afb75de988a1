"""Merging a score sheet into the review file.

    res = merge(rv, "张明.dscores")

Everything is checked before anything is written, and the scores go in as one transaction, so a
refused sheet leaves the review file exactly as it was. Refused, each with a clear message:

- not a score sheet, a newer format, a damaged one (desktop.panel.scores_file);
- tampered: contents that do not match the manifest, a signature that does not verify, an expert,
  round, rubric or package that is not what the sheet was issued with, a level that is not on the
  rubric's scale, a failed gate without a reason;
- foreign: made for another review file, or for a sheet this review file never issued;
- duplicate: the scores of this sheet were merged before;
- outdated: from an earlier round, or from a sheet issued before the rubric was changed;
- unsigned, when the caller requires a signature.

The first sheet merged into a round freezes the round's rubric.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..review.file import ReviewError, utcnow
from ..review.packages import add_event
from . import scores_file
from .experts import name_key
from .rounds import current_round, freeze


@dataclass
class MergeResult:
    sheet_id: str
    expert: str
    round: int
    scored: int
    recused: int
    complete: bool
    signed: bool
    fingerprint: str
    trusted: bool
    froze: bool
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["warnings"] = [{"en": en, "zh": zh} for en, zh in self.warnings]
        return d


def _refuse(kind: str, en: str, zh: str) -> ReviewError:
    labels = {"tampered": ("Refused (tampered)", "已拒绝（被改动）"), "foreign": ("Refused (not for this review)", "已拒绝（不属于本次评审）"),
              "duplicate": ("Refused (duplicate)", "已拒绝（重复）"), "outdated": ("Refused (outdated)", "已拒绝（已过期）"),
              "unsigned": ("Refused (not signed)", "已拒绝（未签名）")}
    a, b = labels[kind]
    return ReviewError(f"{a}: {en}. Nothing was changed.", f"{b}：{zh}。未做任何修改。", key=f"panel.merge_{kind}")


def check(rv, sf: scores_file.ScoresFile, name: str, *, require_signed: bool = False):
    """Every check a merge makes; returns (sheet row, expert id, round info) or raises."""
    doc = sf.doc
    if doc["review"]["uuid"] != rv.uuid:
        raise _refuse("foreign", f"{name} was made for another review (“{doc['review']['title']}”), not “{rv.title}”",
                      f"{name} 属于另一次评审（“{doc['review']['title']}”），不是“{rv.title}”")
    row = rv.conn.execute("SELECT s.id, s.round, s.rubric_sha256, s.expert, e.name, e.key, s.merged_at, s.issued_at"
                          " FROM panel_sheets s JOIN panel_experts e ON e.id=s.expert WHERE s.id=?",
                          (doc["sheet"]["id"],)).fetchone()
    if row is None:
        raise _refuse("foreign", f"{name} answers an expert sheet this review file never issued",
                      f"{name} 对应的专家评分表并非由本评审文件发出")
    sid, rnd, rub_sha, eid, ename, ekey, merged_at, issued_at = row
    if name_key(doc["expert"]["name"]) != ekey:
        raise _refuse("tampered", f"{name} names the expert “{doc['expert']['name']}”, but the sheet was issued to “{ename}”",
                      f"{name} 中的专家为“{doc['expert']['name']}”，但该评分表发给的是“{ename}”")
    if merged_at:
        raise _refuse("duplicate", f"the scores of {ename}'s sheet (issued {issued_at}) were merged on {merged_at}",
                      f"{ename} 的评分表（发出于 {issued_at}）已于 {merged_at} 合并")
    if doc["round"] != rnd or doc["rubric_sha256"] != rub_sha:
        raise _refuse("tampered", f"{name} claims another round or rubric than its sheet was issued with",
                      f"{name} 声明的评审轮次或评审量表与发出的评分表不一致")
    cur = current_round(rv)
    if cur is None or rnd < cur.round:
        raise _refuse("outdated", f"{name} is from round {rnd}; the panel is now in round {cur.round if cur else '?'}",
                      f"{name} 属于第 {rnd} 轮，当前为第 {cur.round if cur else '?'} 轮")
    if rub_sha != cur.sha256:
        raise _refuse("outdated", f"the rubric was changed after {ename}'s sheet was issued (now version {cur.version}); "
                      "issue a new sheet to the expert",
                      f"{ename} 的评分表发出后评审量表已修改（现为第 {cur.version} 版）；请重新向该专家发出评分表")
    if require_signed and not sf.signed:
        raise _refuse("unsigned", f"{name} is not signed, and this merge requires a signature",
                      f"{name} 未签名，而本次合并要求签名")
    assigned = {p: (uid, digest) for p, uid, digest in rv.conn.execute(
        "SELECT p.id, p.uid, p.content_digest FROM panel_assignments a JOIN packages p ON p.id=a.package WHERE a.sheet=?",
        (sid,))}
    seen: set[int] = set()
    rub = cur.rubric
    for e in doc["packages"]:
        pid = e["package"]
        if pid not in assigned or pid in seen:
            raise _refuse("tampered", f"{name} holds scores for package {pid}, which was not on the sheet (or twice)",
                          f"{name} 含有数据包 {pid} 的评分，而该数据包不在评分表中（或重复出现）")
        seen.add(pid)
        if (e["uid"], e["content_digest"]) != assigned[pid]:
            raise _refuse("tampered", f"{name}: package {pid} is not the package the sheet held",
                          f"{name}：数据包 {pid} 与评分表中的数据包不一致")
        if e["recused"]:
            if not e["coi_reason"].strip() or e["gates"] or e["criteria"] or e["overall"] is not None:
                raise _refuse("tampered", f"{name}: package {pid} is recused but carries scores (or no reason)",
                              f"{name}：数据包 {pid} 已回避却带有评分（或没有回避理由）")
            continue
        _check_entry(name, pid, e, rub)
    return row, eid, cur


def _check_entry(name: str, pid: int, e: dict, rub) -> None:
    def bad(en: str, zh: str):
        raise _refuse("tampered", f"{name}: package {pid}: {en}", f"{name}：数据包 {pid}：{zh}")

    gates = {g["id"]: g for g in e["gates"]}
    if len(gates) != len(e["gates"]) or set(gates) != {g.id for g in rub.gates}:
        bad("the gates are not the rubric's", "门槛条件与评审量表不一致")
    for g in e["gates"]:
        if not g["passed"] and not g["reason"].strip():
            bad(f"gate {g['id']} is failed without a reason", f"门槛条件 {g['id']} 未满足却没有理由")
    crit = {c["id"]: c for c in e["criteria"]}
    if len(crit) != len(e["criteria"]) or not crit:
        bad("no scores, or a criterion twice", "没有评分，或某项评分标准重复")
    for cid, c in crit.items():
        rc = rub.criterion(cid)
        if rc is None:
            bad(f"criterion {cid!r} is not on the rubric", f"评分标准 {cid!r} 不在评审量表中")
        if rc.level(c["value"]) is None:
            bad(f"{c['value']} is not a level of {cid}", f"{c['value']} 不是 {cid} 的等级")
    if rub.overall is not None:
        o = e["overall"]
        if o is None or not rub.overall.min <= o <= rub.overall.max:
            bad("the overall score is missing or out of range", "总体评价分缺失或超出范围")
    elif e["overall"] is not None:
        bad("an overall score the rubric does not have", "评审量表没有总体评价分")
    if rub.confidence and e["confidence"] not in {c.id for c in rub.confidence}:
        bad("the confidence is not one of the rubric's", "评审把握程度不在评审量表的选项中")


def merge(rv, path: str | os.PathLike, *, require_signed: bool = False) -> MergeResult:
    path = Path(path)
    sf = scores_file.read(path)
    (sid, rnd, _sha, _eid, ename, _key, _m, _i), eid, cur = check(rv, sf, path.name, require_signed=require_signed)
    doc = sf.doc
    now = utcnow()
    warnings: list[tuple[str, str]] = []
    trusted = bool(sf.fingerprint) and sf.fingerprint in rv.trusted()
    if not sf.signed:
        warnings.append((f"{path.name} is not signed: make sure it came from {ename}",
                         f"{path.name} 未签名：请确认确实来自 {ename}"))
    elif not trusted:
        warnings.append((f"{path.name} is signed by {sf.signature.get('signer') or '?'} (fingerprint "
                         f"{sf.signature.get('display_fingerprint')}), who is not in the review's trust list",
                         f"{path.name} 的签名人 {sf.signature.get('signer') or '?'}（指纹 {sf.signature.get('display_fingerprint')}）"
                         "不在本评审的信任列表中"))
    froze = cur.frozen_at is None
    scored = recused = 0
    with rv.transaction() as c:
        # the same checks again under the write lock: another window may have merged or changed meanwhile
        if c.execute("SELECT merged_at FROM panel_sheets WHERE id=?", (sid,)).fetchone()[0]:
            raise _refuse("duplicate", f"the scores of {ename}'s sheet were merged meanwhile", f"{ename} 的评分表刚刚已被合并")
        latest = c.execute("SELECT MAX(round) FROM panel_rounds").fetchone()[0]
        if latest != rnd:
            raise _refuse("outdated", f"a new round started meanwhile (round {latest})", f"期间已开始新一轮评审（第 {latest} 轮）")
        for e in doc["packages"]:
            pid = e["package"]
            c.execute("INSERT INTO panel_coi(round, expert, package, recused, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                      (rnd, eid, pid, int(e["recused"]), e["coi_reason"], now))
            if e["recused"]:
                recused += 1
                add_event(c, pid, "panel", None, {"round": rnd, "expert": ename, "recused": True}, e["coi_reason"], ename, at=now)
                continue
            scored += 1
            c.executemany("INSERT INTO panel_scores(round, expert, package, criterion, value, comment, evidence, at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          [(rnd, eid, pid, x["id"], float(x["value"]), x["comment"],
                            json.dumps(x["evidence"], ensure_ascii=False) if x["evidence"] else None, now)
                           for x in e["criteria"]])
            c.executemany("INSERT INTO panel_gates(round, expert, package, gate, passed, reason, prefilled, at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          [(rnd, eid, pid, g["id"], int(g["passed"]), g["reason"],
                            None if g["prefilled"] is None else int(g["prefilled"]), now) for g in e["gates"]])
            c.execute("INSERT INTO panel_overall(round, expert, package, score, confidence, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (rnd, eid, pid, e["overall"], e["confidence"], e["comment"], now))
            add_event(c, pid, "panel", None, {"round": rnd, "expert": ename, "scored": True}, "", ename, at=now)
        c.execute("UPDATE panel_sheets SET merged_at=?, scores_id=?, scores_sha256=?, signer_fingerprint=? WHERE id=?",
                  (now, doc["scores_id"], sf.sha256, sf.fingerprint, sid))
        freeze(c, rnd, cur.version, now)
    return MergeResult(sid, ename, rnd, scored, recused, doc["complete"], sf.signed, sf.fingerprint, trusted, froze, warnings)
