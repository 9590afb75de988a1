"""`dossier handoff …` (issue #9): joint filling. Listed in desktop.cli.MODULES.

    dossier handoff create PROJECT (--indicators 4.1,4.2 | --sections 4 | --part ID)… --to PARTNER --out FILE
                           [--include-evidence] [--context 2.1,3] [--expect-fingerprint HEX] [--json]
    dossier handoff return PART --out FILE [--sign] [--message TEXT] [--json]
    dossier handoff merge PROJECT RETURN [--prefer lead|partner] [--skip-out-of-scope] [--accept-signer]
                          [--trust-fingerprint HEX] [--dry-run] [--json]
    dossier handoff list PROJECT [--json]
    dossier handoff show FILE [--json]        (a hand-off file or a return file)

merge exit codes: 0 merged (or nothing to do: already merged); 1 a decision is needed — conflicts
(each listed: path, base, lead, partner), edits outside the assignment, an unexpected signer —
and nothing was changed; 2 error (another project, unknown hand-off, tampered return…).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .common import PARSERS, command, emit_json, lang, out, warn
from ..errors import DossierError


def _t(en: str, zh: str) -> str:
    return zh if lang() == "zh" else en


def _v(value: Any) -> str:
    if value is None:
        return "∅"
    s = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    s = s.replace("\n", "⏎").replace("\t", " ")
    return s if len(s) <= 80 else s[:77] + "…"


def _default_out(out_arg: str, stem: str, suffix: str) -> Path:
    p = Path(out_arg)
    if p.is_dir():
        from ..project import safe_file_name

        p = p / safe_file_name(f"{stem}{suffix}")
    return p


@command("handoff")
def cmd_handoff(a) -> int:
    return {"create": _create, "return": _return, "merge": _merge, "list": _list, "show": _show}[a.handoff_cmd](a)


def _create(a) -> int:
    from ..handoff import ScopeRequest, resolve_scope, share_part
    from ..project import Project

    with Project.open(a.project) as p:  # writable: an older file is upgraded first
        prog = p.program
        applicant = p.applicant
    req = ScopeRequest(indicators=a.indicators or [], sections=a.sections or [], part=a.part, context=a.context or [])
    if not (req.indicators or req.sections or req.part):
        raise DossierError("Say what to share: --indicators, --sections or --part",
                           "请用 --indicators、--sections 或 --part 指定要分发的内容", key="handoff.empty_scope")
    scope = resolve_scope(prog, req)
    dest = _default_out(a.out, f"{applicant or prog.id}-{a.to}", ".dossier")
    res = share_part(a.project, scope, a.to, dest, include_evidence=a.include_evidence,
                     expect_fingerprint=a.expect_fingerprint)
    for o in res.overlaps:
        warn(f"{len(o.paths)} of these fields are also assigned to {o.partner} (hand-off {o.handoff_id[:8]}, still out): "
             f"{', '.join(o.paths[:6])}{'…' if len(o.paths) > 6 else ''}",
             f"其中 {len(o.paths)} 个字段也已分给 {o.partner}（分工 {o.handoff_id[:8]}，尚未合并）：{'、'.join(o.paths[:6])}")
    for hid in res.superseded:
        warn(f"hand-off {hid[:8]} to the same partner is superseded by this one (a return from it still merges against its own base)",
             f"发给同一单位的分工 {hid[:8]} 已被本次分发取代（其回传文件仍按原基准合并）")
    if a.json:
        emit_json(res.to_dict())
        return 0
    out(str(res.path))
    out(_t(f"hand-off {res.handoff_id}: {res.fields} fields of {scope.describe()} for {a.to}"
           f"{f', {res.evidence} evidence files' if res.evidence else ''}",
           f"分工 {res.handoff_id}：{scope.describe()} 共 {res.fields} 个字段，发给 {a.to}"
           f"{f'，含 {res.evidence} 个证明材料' if res.evidence else ''}"))
    return 0


def _return(a) -> int:
    from ..handoff import make_return
    from ..project import Project
    from ..handoff.giveback import require_mark

    with Project.open(a.part, readonly=True) as p:
        mark = require_mark(p)
    dest = _default_out(a.out, f"{mark.partner}-return", ".dossier-return")
    sealer = None
    if a.sign:
        from .seal import _get_sealer

        sealer = _get_sealer()
    res = make_return(a.part, dest, sealer=sealer, message=a.message or "")
    if res.out_of_scope:
        warn(f"{len(res.out_of_scope)} change(s) are outside your assignment; the lead will be asked about them: "
             f"{', '.join(res.out_of_scope[:6])}",
             f"有 {len(res.out_of_scope)} 处修改超出了分工范围，牵头单位将另行决定：{'、'.join(res.out_of_scope[:6])}")
    if a.json:
        emit_json(res.to_dict())
        return 0
    out(str(res.path))
    out(_t(f"{res.fields} fields, {res.tables} tables, {res.evidence_added} evidence files added, "
           f"{res.evidence_removed} removed; {res.size} bytes{', signed by ' + res.signed_by if res.signed_by else ''}",
           f"{res.fields} 个字段、{res.tables} 个表格，新增 {res.evidence_added} 个证明材料，移除 {res.evidence_removed} 个；"
           f"{res.size} 字节{'，签章：' + res.signed_by if res.signed_by else ''}"))
    return 0


def _merge(a) -> int:
    from ..handoff import MergeRefused, apply_merge, open_return, plan_merge
    from ..project import Project

    L = lang()
    with open_return(a.ret) as rf, Project.open(a.project, readonly=a.dry_run) as p:
        plan = plan_merge(p, rf, trust_fingerprint=a.trust_fingerprint)
        for en, zh in plan.warnings:
            if not plan.already_merged:
                warn(en, zh)
        if plan.already_merged:
            if a.json:
                emit_json({"ok": True, "noop": plan.already_merged, **plan.to_dict()})
            else:
                out(plan.warnings[0][1] if L == "zh" else plan.warnings[0][0])
            return 0
        blocked = []
        if plan.conflicts and a.prefer is None:
            blocked.append("conflicts")
        if plan.out_of_scope and not a.skip_out_of_scope:
            blocked.append("out_of_scope")
        if plan.signer_mismatch and not a.accept_signer:
            blocked.append("signer")
        if blocked or a.dry_run:
            if a.json:
                emit_json({"ok": not blocked, "dry_run": a.dry_run, "blocked": blocked, **plan.to_dict()})
            else:
                _print_plan(plan, blocked)
            return 1 if blocked else 0
        try:
            res = apply_merge(p, plan, rf, prefer=a.prefer, skip_out_of_scope=a.skip_out_of_scope,
                              accept_signer=a.accept_signer)
        except MergeRefused:
            raise
    if a.json:
        emit_json({"ok": True, **plan.to_dict(), "result": res.to_dict()})
        return 0
    s = plan.summary()
    out(_t(f"merged the return of {plan.partner}: {len(res.values_after)} fields changed, "
           f"{s['conflicts']} conflicts resolved ({a.prefer or '-'}), {len(res.added_links)} evidence files added, "
           f"{len(res.removed_links)} removed" + (f", {res.skipped_out_of_scope} edits outside the assignment left out"
                                                 if res.skipped_out_of_scope else ""),
           f"已合并 {plan.partner} 的回传：修改 {len(res.values_after)} 个字段，解决 {s['conflicts']} 处冲突（{a.prefer or '-'}），"
           f"新增 {len(res.added_links)} 个证明材料，移除 {len(res.removed_links)} 个"
           + (f"，{res.skipped_out_of_scope} 处分工范围外的修改未合并" if res.skipped_out_of_scope else "")))
    return 0


def _print_plan(plan, blocked: list[str]) -> None:
    s = plan.summary()
    out(_t(f"return of {plan.partner} (made {plan.made_at}): {s['fields_taken']} fields to take, "
           f"{s['tables_merged']} tables merged by row, {s['kept']} kept (changed only here), {s['conflicts']} conflicts, "
           f"evidence +{s['evidence_added']} −{s['evidence_removed']}",
           f"{plan.partner} 的回传（{plan.made_at}）：采纳 {s['fields_taken']} 个字段，按行合并 {s['tables_merged']} 个表格，"
           f"保留 {s['kept']} 个（仅本方修改），冲突 {s['conflicts']} 处，证明材料 +{s['evidence_added']} −{s['evidence_removed']}"))
    if plan.conflicts:
        out(_t("CONFLICT\tpath\tbase\tlead\tpartner", "冲突\t路径\t基准\t本方\t合作方"))
        for c in plan.conflicts:
            where = c.path + (f"#{c.row}" if c.row else "") + (f".{c.column}" if c.column else "")
            out(f"{_t('CONFLICT', '冲突')}\t{where}\t{_v(c.base)}\t{_v(c.lead)}\t{_v(c.partner)}")
    for o in plan.out_of_scope:
        out(f"{_t('OUTSIDE', '范围外')}\t{o.path}\t{_v(o.base)}\t{_v(o.value)}")
    if "conflicts" in blocked:
        sys.stderr.write(_t("dossier: nothing was changed; decide the conflicts with --prefer lead|partner "
                            "(or in the desktop app: File → Merge returned part…)\n",
                            "dossier: 未做任何修改；请用 --prefer lead|partner 决定冲突（或在桌面程序中：文件 → 合并回传部分…）\n"))
    if "out_of_scope" in blocked:
        sys.stderr.write(_t("dossier: the return changes things outside the assignment (listed OUTSIDE); they are never "
                            "merged — add --skip-out-of-scope to merge the rest\n",
                            "dossier: 回传文件修改了分工范围以外的内容（标为“范围外”），这些内容不会合并；如需合并其余内容，请加 --skip-out-of-scope\n"))
    if "signer" in blocked:
        sys.stderr.write(_t("dossier: check the signer with the partner; add --accept-signer to merge anyway\n",
                            "dossier: 请与合作单位核实签章人；如仍要合并，请加 --accept-signer\n"))


def _list(a) -> int:
    from ..handoff import list_handoffs

    recs = list_handoffs(a.project)
    if a.json:
        emit_json([r.to_dict() for r in recs])
        return 0
    if not recs:
        out(_t("no hand-offs", "没有分工记录"))
        return 0
    states = {"outstanding": _t("outstanding", "待回传"), "merged": _t("merged", "已合并"),
              "superseded": _t("superseded", "已被取代")}
    out(_t("id\tpartner\tshared\tstate\treturned\tmerged\tassigned", "编号\t合作单位\t分发时间\t状态\t回传时间\t合并时间\t分工范围"))
    for r in recs:
        out(f"{r.id[:8]}\t{r.partner}\t{r.created_at}\t{states.get(r.state, r.state)}\t{r.last_returned_at or '-'}\t"
            f"{r.merged_at or '-'}\t{r.scope.describe()}")
    return 0


def _show(a) -> int:
    from ..handoff import open_return, read_mark
    from ..handoff.returnfile import MIMETYPE
    from ..project import Project

    head = b""
    try:
        if Path(a.file).is_file():  # never open a FIFO or device: it would block
            with open(a.file, "rb") as fh:
                head = fh.read(38 + len(MIMETYPE))
    except OSError:
        pass
    if head[30:38] == b"mimetype":
        with open_return(a.file) as rf:
            doc = rf.doc
            info = {"kind": "return", "return": doc["return_id"], "handoff": doc["handoff_id"], "partner": doc["partner"],
                    "made_at": doc["made_at"], "message": doc.get("message", ""),
                    "fields": [f["path"] for f in doc.get("fields", [])], "tables": [t["path"] for t in doc.get("tables", [])],
                    "evidence": {k: len(v) for k, v in doc.get("evidence", {}).items()},
                    "signature": {k: rf.signature.get(k) for k in ("status", "signer", "fingerprint")}}
    else:
        with Project.open(a.file, readonly=True) as p:
            mark = read_mark(p)
            if mark is None:
                raise DossierError(f"{Path(a.file).name} is neither a hand-off file nor a return file",
                                   f"{Path(a.file).name} 既不是分工文件也不是回传文件", key="handoff.not_handoff")
            info = {"kind": "handoff", "handoff": mark.handoff_id, "from": mark.source_applicant, "partner": mark.partner,
                    "created_at": mark.created_at, "scope": mark.scope.to_dict(),
                    "fields": mark.scope.field_paths(p.program), "include_evidence": mark.include_evidence}
    if a.json:
        emit_json(info)
        return 0
    for k, v in info.items():
        out(f"{k}\t{v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}")
    return 0


def _parsers(sub) -> None:
    s = sub.add_parser("handoff", help="joint filling: share a part with a partner, return it, merge it")
    hs = s.add_subparsers(dest="handoff_cmd", metavar="ACTION", required=True)
    c = hs.add_parser("create", help="lead: write a hand-off file with part of the project for a partner")
    c.add_argument("project")
    c.add_argument("--indicators", action="append", metavar="LIST", help="indicator ids (or field paths), comma-separated")
    c.add_argument("--sections", action="append", metavar="LIST", help="section ids, comma-separated")
    c.add_argument("--part", default=None, help="a part the program defines (parts: in its definition; an unknown id lists them)")
    c.add_argument("--to", required=True, metavar="PARTNER", help="the partner institution's name")
    c.add_argument("--out", required=True, help="the hand-off file to write (or a folder)")
    c.add_argument("--include-evidence", action="store_true", help="copy the evidence attached to the assigned indicators")
    c.add_argument("--context", action="append", metavar="LIST", help="indicators or sections shown read-only (default: none)")
    c.add_argument("--expect-fingerprint", default=None, metavar="HEX",
                   help="the partner identity's fingerprint: returns signed otherwise are flagged")
    c.add_argument("--json", action="store_true")
    r = hs.add_parser("return", help="partner: write the return file (what changed since the hand-off)")
    r.add_argument("part")
    r.add_argument("--out", required=True, help="the return file to write (or a folder)")
    r.add_argument("--sign", action="store_true", help="sign with this computer's institution identity")
    r.add_argument("--message", default="", help="a note to the lead")
    r.add_argument("--json", action="store_true")
    m = hs.add_parser("merge", help="lead: merge a return file (exit 1 when a decision is needed; nothing changed)")
    m.add_argument("project")
    m.add_argument("ret", metavar="RETURN")
    m.add_argument("--prefer", choices=["lead", "partner"], default=None, help="decide every conflict for one side")
    m.add_argument("--skip-out-of-scope", action="store_true", help="merge the rest when the return changes things outside the assignment")
    m.add_argument("--accept-signer", action="store_true", help="merge although the return is not signed by the expected identity")
    m.add_argument("--trust-fingerprint", default=None, metavar="HEX", help="the identity the return must be signed by")
    m.add_argument("--dry-run", action="store_true", help="show what would be merged; change nothing")
    m.add_argument("--json", action="store_true")
    li = hs.add_parser("list", help="the hand-offs of a project: to whom, since when, returned, merged")
    li.add_argument("project")
    li.add_argument("--json", action="store_true")
    sh = hs.add_parser("show", help="what a hand-off file or a return file holds")
    sh.add_argument("file")
    sh.add_argument("--json", action="store_true")


PARSERS.append(_parsers)
