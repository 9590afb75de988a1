"""Lead side: merge a return into the project — a three-way merge per field against the base.

The common ancestor is what the partner received (or, after a merged return, the partner's state
as of that return); the two sides are the lead's project now and the partner's state rebuilt from
the return. Changed only by the partner → taken; only by the lead → kept; by both to the same
value → fine; by both differently → a conflict the lead decides. Tables merge by row (diff.py).
Evidence links merge by (content, indicator): new files are added (content deduplicated by
SHA-256), removals are applied unless the lead changed that link.

Everything is applied in ONE transaction (history records each edit as made by the partner); the
result carries what is needed to revert it as one undo step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DossierError, ValueProblem
from ..project import Project, utcnow
from ..values import coerce
from .diff import LEAD, PARTNER, Conflict, FieldMerge, apply_table_diff, merge_scalar, merge_table, rows_of
from .marker import HandoffRecord, add_event, ev_key, load_records, save_record
from .returnfile import ReturnFile
from .share import ChunkReader, evidence_links


def _err(en: str, zh: str, key: str) -> DossierError:
    return DossierError(en, zh, key=key)


def _attrs(link: dict | None) -> tuple | None:
    return None if link is None else (link.get("slot"), link.get("note", ""))


@dataclass
class EvidenceMerge:
    key: str
    indicator: str
    sha256: str
    name: str
    action: str  # add | remove | change | keep | same | conflict
    partner: dict | None
    lead: dict | None
    base: dict | None
    reason: str = ""
    conflict: Conflict | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "sha256": self.sha256, "name": self.name, "action": self.action,
                **({"reason": self.reason} if self.reason else {})}


@dataclass
class OutOfScope:
    path: str
    base: Any
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "base": self.base, "value": self.value}


@dataclass
class MergePlan:
    record: HandoffRecord
    return_id: str
    return_sha256: str
    partner: str
    made_at: str
    seq: int
    message: str
    fields: list[FieldMerge] = field(default_factory=list)
    evidence: list[EvidenceMerge] = field(default_factory=list)
    out_of_scope: list[OutOfScope] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    signature: dict[str, Any] = field(default_factory=lambda: {"status": "unsigned"})
    signer_mismatch: bool = False
    already_merged: str = ""  # why this return is a no-op (merged before, older than one merged)
    partner_state: dict[str, Any] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[Conflict]:
        out = [c for f in self.fields for c in f.conflicts]
        out += [e.conflict for e in self.evidence if e.conflict is not None]
        return out

    @property
    def taken(self) -> list[FieldMerge]:
        return [f for f in self.fields if f.changes_lead]

    def summary(self) -> dict[str, int]:
        ev = self.evidence
        return {"fields_taken": sum(1 for f in self.fields if f.outcome == "take"),
                "tables_merged": sum(1 for f in self.fields if f.outcome == "merged"),
                "kept": sum(1 for f in self.fields if f.outcome == "keep"),
                "same": sum(1 for f in self.fields if f.outcome == "same"),
                "conflicts": len(self.conflicts),
                "evidence_added": sum(1 for e in ev if e.action == "add"),
                "evidence_removed": sum(1 for e in ev if e.action == "remove"),
                "evidence_changed": sum(1 for e in ev if e.action == "change"),
                "evidence_kept": sum(1 for e in ev if e.action == "keep"),
                "out_of_scope": len(self.out_of_scope)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "handoff": self.record.id, "partner": self.partner, "return": self.return_id, "made_at": self.made_at,
            "message": self.message, "already_merged": self.already_merged or None, "summary": self.summary(),
            "fields": [{"path": f.path, "outcome": f.outcome} for f in self.fields if f.outcome != "same"],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "evidence": [e.to_dict() for e in self.evidence],
            "out_of_scope": [o.to_dict() for o in self.out_of_scope],
            "warnings": [{"en": en, "zh": zh} for en, zh in self.warnings],
            "signature": {k: v for k, v in self.signature.items() if k in ("status", "fingerprint", "signer", "message")},
            "signer_mismatch": self.signer_mismatch,
        }


# ---------------------------------------------------------------------------- plan


def plan_merge(project: Project, rf: ReturnFile, *, trust_fingerprint: str | None = None) -> MergePlan:
    """Everything the merge would do, decided except for the conflicts. Changes nothing."""
    doc = rf.doc
    prog = project.program
    if doc["source_project_uuid"] != project.uuid:
        raise _err(f"This return belongs to another project (project id {doc['source_project_uuid']}), not to "
                   f"{project.path.name}: open the project the part was shared from",
                   f"此回传文件属于另一个项目（项目标识 {doc['source_project_uuid']}），不属于 {project.path.name}：请打开分发该部分的项目",
                   "return.other_project")
    recs = load_records(project.conn, doc["handoff_id"])
    if not recs:
        raise _err(f"This project has no hand-off {doc['handoff_id']}: the return does not answer a part shared from it",
                   f"本项目中没有编号为 {doc['handoff_id']} 的分工：该回传文件不对应本项目分发的任何部分", "return.unknown_handoff")
    rec = recs[0]
    prog_id = str(doc.get("program", "")).split("@", 1)[0]
    if prog_id and prog_id != prog.id:
        raise _err(f"The return is for program {prog_id}, the project uses {prog.id}",
                   f"回传文件对应程序 {prog_id}，项目使用的是 {prog.id}", "return.other_program")
    plan = MergePlan(rec, doc["return_id"], rf.sha256, rec.partner, doc["made_at"], doc["seq"], doc.get("message", ""),
                     signature=rf.signature)
    info = rec.info
    if doc["return_id"] in info.get("merged_returns", []):
        at = next((e["at"] for e in rec.events if e["event"] == "merged" and e["detail"].get("return") == doc["return_id"]), "")
        plan.already_merged = "merged"
        plan.warnings.append((f"This return was already merged{' on ' + at if at else ''}: nothing to do",
                              f"此回传文件已于{at or '此前'}合并：无需再次合并"))
        return plan
    if "last_seq" in info and doc["seq"] <= info["last_seq"]:
        plan.already_merged = "older"
        plan.warnings.append(("This return is older than one already merged from this partner: nothing to do",
                              "此回传文件早于已合并的回传文件：无需合并"))
        return plan
    _check_signature(plan, trust_fingerprint)
    if rec.state == "superseded":
        plan.warnings.append((
            f"This return was made from an earlier hand-off ({rec.created_at}) that was re-shared later "
            f"({info.get('superseded_by', '')}); it is merged against the base that hand-off was made from",
            f"此回传文件来自较早的分工（{rec.created_at}），该部分后来已重新分发（{info.get('superseded_by', '')}）；将以当时的基准进行合并"))

    base_values = rec.base.get("values", {})
    scope = rec.scope
    assigned = scope.field_paths(prog)
    partner = {p: base_values.get(p) for p in assigned}
    for f in doc.get("fields", []):
        path = f["path"]
        fld = prog.field(path)
        if fld is None or fld.type == "table":
            raise _err(f"The return changes an unknown or mistyped field {path!r}", f"回传文件修改了未知或类型不符的字段 {path!r}",
                       "return.malformed")
        if not scope.assigns_field(path):
            plan.out_of_scope.append(OutOfScope(path, f.get("base"), f["value"]))
            continue
        if f.get("base") != base_values.get(path):
            raise _base_mismatch(path)
        partner[path] = _checked(fld, f["value"])
    for t in doc.get("tables", []):
        path = t["path"]
        fld = prog.field(path)
        if fld is None or fld.type != "table":
            raise _err(f"The return changes an unknown table {path!r}", f"回传文件修改了未知的表格 {path!r}", "return.malformed")
        if not scope.assigns_field(path):
            plan.out_of_scope.append(OutOfScope(path, None, {k: t.get(k, []) for k in ("added", "changed", "deleted")}))
            continue
        base_rows = {r["_id"]: r for r in rows_of(base_values.get(path))}
        for d in t.get("deleted", []):
            if d["_id"] not in base_rows:
                raise _base_mismatch(path)
        for ch in t.get("changed", []):
            b = base_rows.get(ch["_id"])
            if b is None or any(b.get(col) != cv.get("base") for col, cv in ch["cells"].items()):
                raise _base_mismatch(path)
        partner[path] = _checked(fld, apply_table_diff(base_values.get(path), t))
    ancestor = rec.ancestor.get("values", {})
    lead = project.answers()
    for path in assigned:
        fld = prog.field(path)
        a, l, p = ancestor.get(path), lead.get(path), partner.get(path)
        fm = merge_table(path, a, l, p) if fld.type == "table" else merge_scalar(path, a, l, p)
        eq = (lambda x, y: rows_of(x) == rows_of(y)) if fld.type == "table" else (lambda x, y: x == y)
        if not (eq(a, l) and eq(a, p)):
            plan.fields.append(fm)  # someone changed it since the ancestor
    plan.partner_state["values"] = {p: v for p, v in partner.items() if v is not None}
    _plan_evidence(plan, project, rf)
    return plan


def _base_mismatch(path: str) -> DossierError:
    return _err(f"The return was made from another base than the one shared for {path}: it was changed, or made "
                "from another copy of the hand-off. Nothing was merged.",
                f"回传文件中 {path} 的基准与分发时不同：文件已被改动，或来自另一份分工文件。未合并任何内容。", "return.base_mismatch")


def _checked(fld, value: Any) -> Any:
    try:
        return coerce(fld, value)
    except ValueProblem as e:
        raise _err(f"The return holds a value that does not fit {fld.path}: {e.en}",
                   f"回传文件中 {fld.path} 的值不符合要求：{e.zh}", "return.bad_value") from None


def _check_signature(plan: MergePlan, trust_fingerprint: str | None) -> None:
    from ..identity.model import normalize_fingerprint

    sig = plan.signature
    info = plan.record.info
    if sig.get("status") == "invalid":
        raise _err(f"The return's signature is invalid ({sig.get('reason', '')}): it was changed after signing. Nothing was merged.",
                   f"回传文件的签章无效（{sig.get('message', {}).get('zh', '')}）：签章后被改动。未合并任何内容。", "return.bad_signature")
    expected = normalize_fingerprint(trust_fingerprint) if trust_fingerprint else (
        info.get("expect_fingerprint") or info.get("signer_fingerprint"))
    fp = sig.get("fingerprint")
    if sig.get("status") == "unsigned":
        if expected:
            plan.signer_mismatch = True
            plan.warnings.append(("The return is not signed, but a signature by the partner's identity was expected "
                                  f"(fingerprint {expected[:16]}…)",
                                  f"回传文件未签章，但应有合作单位身份的签章（指纹 {expected[:16]}…）"))
        return
    if expected and fp != expected:
        plan.signer_mismatch = True
        plan.warnings.append((f"The return is signed by {sig.get('signer')} (fingerprint {sig.get('display_fingerprint')}), "
                              f"not by the identity expected for this partner (fingerprint {expected[:16]}…). "
                              "Check with the partner before merging.",
                              f"回传文件由 {sig.get('signer')}（指纹 {sig.get('display_fingerprint')}）签章，"
                              f"不是该合作单位预期的身份（指纹 {expected[:16]}…）。合并前请与合作单位核实。"))
    elif not expected:
        plan.warnings.append((f"Signed by {sig.get('signer')} (fingerprint {sig.get('display_fingerprint')}); "
                              "later returns of this hand-off must be signed by the same identity",
                              f"由 {sig.get('signer')}（指纹 {sig.get('display_fingerprint')}）签章；此分工以后的回传须由同一身份签章"))


def _plan_evidence(plan: MergePlan, project: Project, rf: ReturnFile) -> None:
    rec = plan.record
    scope = rec.scope
    doc = rf.doc
    ev = doc.get("evidence", {})
    partner = {k: dict(v) for k, v in rec.partner_base_evidence.items()}
    for kind in ("removed", "changed", "added"):
        for e in ev.get(kind, []):
            k = ev_key(e["sha256"], e["indicator"])
            if not scope.assigns_indicator(e["indicator"]):
                plan.out_of_scope.append(OutOfScope(f"{e['indicator']}/#{e.get('name', '')}", None, {kind: e.get("name", "")}))
                continue
            if kind == "removed":
                partner.pop(k, None)
            else:
                if kind == "added" and f"evidence/{e['sha256']}" not in rf.manifest and not _stored(project, e["sha256"]):
                    raise _err(f"The return lacks the content of “{e.get('name', '')}”", f"回传文件缺少“{e.get('name', '')}”的内容",
                               "return.tampered")
                if kind == "added" and project.program.indicator(e["indicator"]) is None:
                    raise _err(f"The return adds evidence to an unknown indicator {e['indicator']!r}",
                               f"回传文件向未知指标 {e['indicator']!r} 添加了证明材料", "return.malformed")
                cur = partner.get(k, {})
                partner[k] = {**cur, "sha256": e["sha256"], "indicator": e["indicator"], "slot": e.get("slot"),
                              "name": e.get("name") or cur.get("name", ""), "note": e.get("note", ""),
                              **({"size": e["size"]} if "size" in e else {})}
    ancestor = rec.ancestor.get("evidence", {})
    lead = evidence_links(project, scope.indicators)
    for k in dict.fromkeys([*ancestor, *partner]):
        a, p, l = ancestor.get(k), partner.get(k), lead.get(k)
        if _attrs(a) == _attrs(p):
            continue
        ref = p or a
        m = EvidenceMerge(k, ref["indicator"], ref["sha256"], ref.get("name", ""), "", p, l, a)
        if a is None:  # the partner added it
            if l is None:
                m.action = "add"
            elif _attrs(l) == _attrs(p):
                m.action = "same"
            else:
                m.action = "conflict"
        elif p is None:  # the partner removed it
            if l is None:
                m.action = "same"
            elif _attrs(l) == _attrs(a):
                m.action = "remove"
            else:
                m.action, m.reason = "keep", "changed_by_lead"
        else:  # the partner changed its note or slot
            if l is None:
                m.action, m.reason = "keep", "removed_by_lead"
            elif _attrs(l) == _attrs(a):
                m.action = "change"
            elif _attrs(l) == _attrs(p):
                m.action = "same"
            else:
                m.action = "conflict"
        if m.action == "conflict":
            m.conflict = Conflict(f"ev:{k}", f"{m.indicator}/#{m.name}", "evidence",
                                  _link_view(a), _link_view(l), _link_view(p), detail="note")
        plan.evidence.append(m)
    plan.partner_state["evidence"] = partner


def _link_view(link: dict | None) -> Any:
    return None if link is None else {"slot": link.get("slot"), "note": link.get("note", "")}


def _stored(project: Project, sha: str) -> bool:
    return project.conn.execute("SELECT 1 FROM blobs WHERE sha256=?", (sha,)).fetchone() is not None


# ---------------------------------------------------------------------------- apply


@dataclass
class MergeResult:
    handoff_id: str
    return_id: str
    noop: str = ""
    values_before: dict[str, Any] = field(default_factory=dict)  # path -> lead value before the merge
    values_after: dict[str, Any] = field(default_factory=dict)
    added_links: list[dict] = field(default_factory=list)
    removed_links: list[dict] = field(default_factory=list)  # with "content_removed"
    changed_links: list[dict] = field(default_factory=list)  # {"link": before, "after": after}
    record_before: dict[str, Any] = field(default_factory=dict)
    skipped_out_of_scope: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"handoff": self.handoff_id, "return": self.return_id, "noop": self.noop or None,
                "fields_changed": sorted(self.values_after), "evidence_added": len(self.added_links),
                "evidence_removed": len(self.removed_links), "evidence_changed": len(self.changed_links),
                "out_of_scope_skipped": self.skipped_out_of_scope}


class MergeRefused(DossierError):
    """The merge needs a decision first (conflicts, edits outside the assignment, an unexpected signer)."""

    exit_code = 1


def apply_merge(project: Project, plan: MergePlan, rf: ReturnFile, choices: dict[str, str] | None = None, *,
                prefer: str | None = None, skip_out_of_scope: bool = False, accept_signer: bool = False,
                task=None) -> MergeResult:
    """Apply the plan in one transaction. Every conflict needs a side (`choices` by key, or `prefer`
    for all); edits outside the assignment are never merged, and the rest only with
    `skip_out_of_scope`; an unexpected signer needs `accept_signer`."""
    rec = plan.record
    if plan.already_merged:
        return MergeResult(rec.id, plan.return_id, noop=plan.already_merged)
    choices = dict(choices or {})
    for c in plan.conflicts:
        if c.key not in choices:
            if prefer in (LEAD, PARTNER):
                choices[c.key] = prefer
            else:
                raise MergeRefused(f"{len(plan.conflicts)} conflict(s) need a decision: nothing was changed",
                                   f"有 {len(plan.conflicts)} 处冲突需要决定：未做任何修改", key="merge.conflicts")
    if plan.out_of_scope and not skip_out_of_scope:
        raise MergeRefused(f"The return changes {len(plan.out_of_scope)} item(s) outside the assignment: nothing was changed",
                           f"回传文件修改了分工范围以外的 {len(plan.out_of_scope)} 项内容：未做任何修改", key="merge.out_of_scope")
    if plan.signer_mismatch and not accept_signer:
        raise MergeRefused(plan.warnings[0][0] if plan.warnings else "Unexpected signer",
                           plan.warnings[0][1] if plan.warnings else "签章人与预期不符", key="merge.signer")
    prog = project.program
    actor = plan.partner
    res = MergeResult(rec.id, plan.return_id, skipped_out_of_scope=len(plan.out_of_scope))
    res.record_before = {"state": rec.state, "info": json.loads(json.dumps(rec.info)), "updated_at": rec.updated_at}
    with project.transaction() as c:
        now = utcnow()
        for fm in plan.fields:
            if not fm.changes_lead:
                continue
            fld = prog.field(fm.path)
            value = coerce(fld, fm.result(choices))
            old = fm.lead
            if value == old or (fld.type == "table" and rows_of(value) == rows_of(old)):
                continue
            stored = project._write_value(c, fm.path, value, now, actor=actor)
            res.values_before[fm.path] = old
            res.values_after[fm.path] = stored
        for em in plan.evidence:
            side = choices.get(em.conflict.key) if em.conflict else None
            if em.action == "add":
                res.added_links.append(_add_link(project, c, rf, em.partner, now, actor, task))
            elif em.action == "remove":
                res.removed_links.append(_remove_link(c, em.lead, now, actor))
            elif em.action == "change" or (em.action == "conflict" and side == PARTNER):
                if em.lead is None:
                    res.added_links.append(_add_link(project, c, rf, em.partner, now, actor, task))
                else:
                    res.changed_links.append(_change_link(c, em.lead, em.partner, now, actor))
        info = rec.info
        info["ancestor"] = plan.partner_state
        info.setdefault("merged_returns", []).append(plan.return_id)
        info["last_seq"] = plan.seq
        info["returns_merged"] = int(info.get("returns_merged", 0)) + 1
        info["last_return"] = {"return": plan.return_id, "made_at": plan.made_at, "merged_at": now,
                               "sha256": plan.return_sha256}
        sig = plan.signature
        if sig.get("status") in ("trusted", "unknown_signer") and not info.get("signer_fingerprint"):
            info["signer_fingerprint"] = sig.get("fingerprint")  # later returns must come from the same identity
        if rec.state == "outstanding":
            rec.state = "merged"
        rec.updated_at = now
        save_record(c, rec)
        add_event(c, rec.id, now, "merged", {
            "return": plan.return_id, "sha256": plan.return_sha256, "made_at": plan.made_at,
            "fields": sorted(res.values_after), "conflicts": {k: v for k, v in choices.items()},
            "evidence_added": len(res.added_links), "evidence_removed": len(res.removed_links),
            "out_of_scope_skipped": len(plan.out_of_scope), "signer": sig.get("fingerprint")})
    return res


def _add_link(project: Project, c, rf: ReturnFile, link: dict, now: str, actor: str, task) -> dict:
    sha = link["sha256"]
    row = c.execute("SELECT id, size, mime FROM blobs WHERE sha256=?", (sha,)).fetchone()
    if row is None:
        from ..evidence_types import detect_type

        head = b""
        for chunk in rf.evidence_chunks(sha):
            head = bytes(chunk[:4096])
            break
        size = int(link.get("size", 0))
        blob_id, got = project._store_blob(c, ChunkReader(lambda: rf.evidence_chunks(sha)), size,
                                           detect_type(head, link.get("name", "")), task)
        if got != sha:
            raise _err("Evidence content in the return does not match its checksum", "回传文件中的证明材料与校验值不符",
                       "return.tampered")
    else:
        blob_id = row[0]
    ev = c.execute("SELECT id FROM evidence WHERE blob_id=? ORDER BY id LIMIT 1", (blob_id,)).fetchone()
    if ev is None:
        eid = c.execute("INSERT INTO evidence(blob_id, name, note, added_at) VALUES (?, ?, ?, ?)",
                        (blob_id, link.get("name") or sha[:12], link.get("note", ""), now)).lastrowid
    else:  # the content is already an evidence item here: its note is the lead's, unless it has none
        eid = ev[0]
        if link.get("note"):
            c.execute("UPDATE evidence SET note=? WHERE id=? AND note=''", (link["note"], eid))
    c.execute("INSERT OR IGNORE INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
              (eid, link["indicator"], link.get("slot"), now))
    c.execute("INSERT INTO history(at, action, path, old, new, actor) VALUES (?, 'attach', ?, NULL, ?, ?)",
              (now, f"{link['indicator']}/#{link.get('slot') or ''}",
               json.dumps({"evidence": eid, "name": link.get("name", ""), "sha256": sha}, ensure_ascii=False), actor))
    return {**link, "evidence_id": eid}


def _remove_link(c, link: dict, now: str, actor: str) -> dict:
    eid = link["evidence_id"]
    c.execute("DELETE FROM links WHERE evidence_id=? AND indicator_id=?", (eid, link["indicator"]))
    removed = False
    if not c.execute("SELECT 1 FROM links WHERE evidence_id=?", (eid,)).fetchone():
        blob_id = c.execute("SELECT blob_id FROM evidence WHERE id=?", (eid,)).fetchone()[0]
        c.execute("DELETE FROM evidence WHERE id=?", (eid,))
        if not c.execute("SELECT 1 FROM evidence WHERE blob_id=?", (blob_id,)).fetchone():
            c.execute("DELETE FROM chunks WHERE blob_id=?", (blob_id,))
            c.execute("DELETE FROM blobs WHERE id=?", (blob_id,))
            removed = True
    c.execute("INSERT INTO history(at, action, path, old, new, actor) VALUES (?, 'detach', ?, ?, NULL, ?)",
              (now, f"{link['indicator']}/#", json.dumps(link, ensure_ascii=False), actor))
    return {**link, "content_removed": removed}


def _change_link(c, lead: dict, partner: dict, now: str, actor: str) -> dict:
    eid = lead["evidence_id"]
    c.execute("UPDATE evidence SET note=? WHERE id=?", (partner.get("note", ""), eid))
    c.execute("UPDATE links SET slot_id=? WHERE evidence_id=? AND indicator_id=?", (partner.get("slot"), eid, lead["indicator"]))
    c.execute("INSERT INTO history(at, action, path, old, new, actor) VALUES (?, 'note', ?, ?, ?, ?)",
              (now, f"#{eid}", json.dumps(lead.get("note", ""), ensure_ascii=False),
               json.dumps(partner.get("note", ""), ensure_ascii=False), actor))
    return {"link": lead, "after": {**lead, "slot": partner.get("slot"), "note": partner.get("note", "")}}


# ---------------------------------------------------------------------------- undo


def revert_merge(project: Project, res: MergeResult, stash: dict[str, Path] | None = None) -> None:
    """Undo a merge in one transaction: values back, added links removed, removed links restored
    (from `stash` {sha256: file} when their content had left the project), the record as before."""
    stash = stash or {}
    for link in res.removed_links:
        if link.get("content_removed") and link["sha256"] not in stash:
            raise _err(f"The content of “{link.get('name', '')}” is no longer available: the merge cannot be undone",
                       f"“{link.get('name', '')}”的内容已不可用：无法撤销合并", "merge.undo_unavailable")
    with project.transaction() as c:
        now = utcnow()
        for path, old in res.values_before.items():
            project._write_value(c, path, old, now)
        for link in res.added_links:
            _remove_link(c, link, now, "")
        for ch in res.changed_links:
            _change_link(c, ch["after"], ch["link"], now, "")
        for link in res.removed_links:
            _restore_link(project, c, link, stash, now)
        recs = load_records(c, res.handoff_id)
        if recs:
            rec = recs[0]
            rec.state = res.record_before["state"]
            rec.info = res.record_before["info"]
            rec.updated_at = now
            save_record(c, rec)
            add_event(c, rec.id, now, "merge_undone", {"return": res.return_id})


def _restore_link(project: Project, c, link: dict, stash: dict[str, Path], now: str) -> None:
    sha = link["sha256"]
    row = c.execute("SELECT id FROM blobs WHERE sha256=?", (sha,)).fetchone()
    if row is None:
        from ..evidence_types import detect_type

        src = stash[sha]
        with open(src, "rb") as fh:
            head = fh.read(4096)
            fh.seek(0)
            blob_id, _sha = project._store_blob(c, fh, src.stat().st_size, detect_type(head, link.get("name", "")), None)
    else:
        blob_id = row[0]
    ev = c.execute("SELECT id FROM evidence WHERE blob_id=? ORDER BY id LIMIT 1", (blob_id,)).fetchone()
    eid = ev[0] if ev else c.execute("INSERT INTO evidence(blob_id, name, note, added_at) VALUES (?, ?, ?, ?)",
                                     (blob_id, link.get("name", ""), link.get("note", ""), now)).lastrowid
    c.execute("INSERT OR IGNORE INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
              (eid, link["indicator"], link.get("slot"), now))
