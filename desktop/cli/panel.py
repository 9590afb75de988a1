"""The expert panel's commands (issue #11): the coordinator's actions under `dossier review …`
(added to the review CLI's sub-parsers by desktop.cli.review) and the expert's `dossier sheet …`.

Coordinator (a review file):
    dossier review rubric REVIEW [--weight C=W …] [--levels LEVELS.json] [--import RUBRIC.json]
                                 [--export RUBRIC.json] [--note TEXT] [--json]
    dossier review round REVIEW [--new --reason TEXT] [--json]
    dossier review assign REVIEW --expert NAME (--packages IDS | --all) --out SHEET [--no-files] [--json]
    dossier review sheets REVIEW [--json]                         sheets issued: waiting, merged, outdated
    dossier review merge REVIEW SCORES… [--require-signed] [--json]
    dossier review settings REVIEW [--threshold X] [--normalise on|off] [--gate-rule any|majority] [--json]
    dossier review results REVIEW [--package ID] [--normalise | --raw] [--threshold X] [--json]
    dossier review decide REVIEW --package ID (--recommend | --not-recommend) --reason TEXT [--json]
    dossier review summary REVIEW --out 汇总表.xlsx [--recommended-only]
    dossier review publicity REVIEW --out 公示.xlsx|公示.csv
    dossier review report REVIEW --out 报告.pdf [--anonymise]

Expert (an expert sheet):
    dossier review submit SHEET --out SCORES [--sign] [--allow-incomplete] [--json]
    dossier sheet show SHEET [--package ID] [--json]
    dossier sheet coi SHEET --package ID (--none | --conflict --reason TEXT)
    dossier sheet score SHEET --package ID --criterion C --level V [--comment TEXT] [--evidence NAME]
    dossier sheet gate SHEET --package ID --gate G (--met | --not-met --reason TEXT)
    dossier sheet confirm SHEET --package ID        accept the gates the rules found met
    dossier sheet overall SHEET --package ID [--score X] [--confidence ID] [--comment TEXT]

Exit codes: 0 ok, 2 refused or bad input (one line on stderr, nothing changed); `merge` with
several files merges each one that passes and exits 2 if any was refused.
"""

from __future__ import annotations

import json
import sys

from ..errors import DossierError
from .common import command, emit_json, lang, out, parsers, progress, warn


def _L(label) -> str:
    return label.get(lang())


def _review(path: str, readonly: bool = False):
    from ..review import Review

    return Review.open(path, readonly=readonly)


def _n(v, d: int = 2) -> str:
    if v is None:
        return "-"
    v = round(float(v), d)
    return str(int(v)) if v.is_integer() else f"{v:.{d}f}".rstrip("0").rstrip(".")


def _progress():
    return progress()


def _json_file(path: str, what_en: str, what_zh: str):
    try:
        with open(path, "rb") as fh:
            raw = fh.read(8 << 20)
        return json.loads(raw.decode("utf-8-sig"))
    except FileNotFoundError:
        raise DossierError(f"File not found: {path}", f"找不到文件：{path}", key="file.missing") from None
    except OSError as e:
        raise DossierError(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}", key="file.unreadable") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise DossierError(f"{path} is not a valid {what_en} (JSON: {str(e)[:120]})", f"{path} 不是有效的{what_zh}（JSON 有误）",
                           key="panel.bad_json") from None


# ---------------------------------------------------------------------------- coordinator


def _print_rubric(info) -> None:
    rub = info.rubric
    L = lang()
    state = (("已冻结 " if L == "zh" else "frozen ") + info.frozen_at) if info.frozen else ("可修改" if L == "zh" else "editable")
    out(f"round {info.round}\trubric version {info.version}\t{state}\tsha256:{info.sha256}")
    wsum = sum(c.weight for c in rub.criteria)
    for c in rub.criteria:
        out(f"{c.id}\tweight {_n(c.weight)} ({_n(c.weight / wsum * rub.total, 1)} of {_n(rub.total)})\t{_L(c.label)}"
            f"\t[{', '.join(c.indicators)}]\tlevels {'/'.join(_n(lv.value) for lv in c.levels)}")
    for g in rub.gates:
        out(f"gate {g.id}\t{_L(g.label)}\trules: {', '.join(g.rules) or '-'}")
    if rub.overall:
        out(f"overall\t{_n(rub.overall.min)}–{_n(rub.overall.max)}\t{_L(rub.overall.label)}")
    if rub.confidence:
        out("confidence\t" + ", ".join(f"{c.id} ({_L(c.label)})" for c in rub.confidence))


def _rubric(a) -> int:
    from ..panel import rounds
    from ..panel.rubric import Rubric, RubricError, with_changes

    changing = a.weight or a.levels or a.import_ or a.overall_range
    with _review(a.file, readonly=not changing) as rv:
        info = rounds.ensure_round(rv) if changing else rounds.rubric_of(rv)
        if changing:
            try:
                if a.import_:
                    rub = Rubric.from_dict(_json_file(a.import_, "rubric", "评审量表"))
                else:
                    weights = {}
                    for w in a.weight or []:
                        cid, sep, val = w.partition("=")
                        try:
                            weights[cid.strip()] = float(val)
                        except ValueError:
                            sep = ""
                        if not sep:
                            raise DossierError(f"--weight takes CRITERION=NUMBER, not {w!r}", f"--weight 的格式为 评分标准=数值，而不是 {w!r}",
                                               key="panel.usage")
                    levels = _json_file(a.levels, "levels file", "等级文件") if a.levels else None
                    if levels is not None and not isinstance(levels, dict):
                        raise DossierError('A levels file maps criteria (or "*" for all) to lists of levels',
                                           '等级文件应将评分标准（或 "*" 表示全部）映射到等级列表', key="panel.usage")
                    overall = None
                    if a.overall_range:
                        lo, _s, hi = a.overall_range.partition("-")
                        try:
                            overall = {"min": float(lo), "max": float(hi)}
                        except ValueError:
                            raise DossierError("--overall takes MIN-MAX, e.g. 0-100", "--overall 的格式为 最小值-最大值，例如 0-100",
                                               key="panel.usage") from None
                    rub = with_changes(info.rubric, weights=weights, levels=levels, overall=overall)
            except RubricError as e:
                raise DossierError(e.en, e.zh, key=e.key) from None
            info, outdated = rounds.set_rubric(rv, rub, a.note or "")
            if outdated:
                warn(f"{len(outdated)} sheet(s) issued with the earlier rubric are now outdated: issue new sheets to those experts",
                     f"{len(outdated)} 份按旧评审量表发出的评分表已过期：请重新向这些专家发出评分表")
        if a.export:
            from ..fsutil import atomic_write_bytes

            atomic_write_bytes(a.export, (json.dumps(info.rubric.to_dict(), ensure_ascii=False, indent=2) + "\n").encode())
        if a.json:
            emit_json({**info.to_dict(), "stored": info.stored})
        else:
            _print_rubric(info)
    return 0


def _round(a) -> int:
    from ..panel import rounds

    if a.new:
        with _review(a.file) as rv:
            rounds.new_round(rv, a.reason or "")
    with _review(a.file, readonly=True) as rv:
        rs = rounds.rounds(rv)
        if a.json:
            emit_json({"rounds": rs, "rubric_versions": rounds.rubric_versions(rv)})
            return 0
        if not rs:
            out("the panel has not started (round 1 starts with the first sheet or rubric change)" if lang() != "zh"
                else "专家评审尚未开始（第 1 轮在首次分发评分表或修改评审量表时开始）")
        for r in rs:
            out(f"round {r['round']}\tstarted {r['started_at']}\t" + (f"frozen {r['frozen_at']}" if r["frozen_at"] else "editable")
                + (f"\t{r['reason']}" if r["reason"] else ""))
    return 0


def _assign(a) -> int:
    from ..panel.assign import assign, parse_ids

    if bool(a.all) == bool(a.packages):
        raise DossierError("Give --packages IDS (e.g. 1,2,5-8) or --all", "请指定 --packages（例如 1,2,5-8）或 --all", key="panel.usage")
    task = None if a.json else _progress()
    with _review(a.file) as rv:
        try:
            res = assign(rv, a.expert, "all" if a.all else parse_ids(a.packages), a.out, task=task, with_files=not a.no_files)
        finally:
            if task is not None:
                sys.stderr.write("\r" + " " * 70 + "\r")
    if a.json:
        emit_json(res.to_dict())
    else:
        out(str(res.path))
        out(f"{res.expert}\tround {res.round}\t{len(res.packages)} packages ({', '.join(map(str, res.packages))})"
            f"\t{res.size:,} bytes\tsha256:{res.sha256}")
    return 0


def _sheets(a) -> int:
    from ..panel.experts import sheets
    from ..panel.rounds import current_round

    with _review(a.file, readonly=True) as rv:
        cur = current_round(rv)
        recs = sheets(rv)

    def state(s) -> str:
        if s.merged_at:
            return "merged"
        if cur is None or s.round < cur.round or s.rubric_sha256 != cur.sha256:
            return "outdated"
        return "waiting"

    if a.json:
        emit_json([{**s.to_dict(), "state": state(s)} for s in recs])
        return 0
    for s in recs:
        out(f"{s.id[:8]}\t{s.expert}\tround {s.round}\t{state(s)}\t{len(s.packages)} packages\tissued {s.issued_at}\t{s.path}")
    return 0


def _merge(a) -> int:
    from ..panel.merge import merge

    L = lang()
    results, refused = [], 0
    for path in a.scores:
        try:
            with _review(a.file) as rv:
                res = merge(rv, path, require_signed=a.require_signed)
        except DossierError as e:
            refused += 1
            sys.stderr.write(f"dossier: {path}: {e.text(L)}\n")
            results.append({"file": path, "refused": True, "reason": e.en, "reason_zh": e.zh, "key": e.key})
            continue
        for en, zh in res.warnings:
            warn(en, zh)
        results.append({"file": path, **res.to_dict()})
        if not a.json:
            out(f"{path}\t{res.expert}\tround {res.round}\tscored {res.scored}\trecused {res.recused}"
                + ("" if res.complete else "\t(incomplete)") + ("\tsigned" if res.signed else "\tunsigned")
                + ("\trubric frozen" if res.froze else ""))
    if a.json:
        emit_json(results)
    return 2 if refused else 0


def _settings(a) -> int:
    from ..panel.aggregate import save_settings, settings_of

    if a.threshold is not None or a.normalise is not None or a.gate_rule is not None:
        with _review(a.file) as rv:
            st = save_settings(rv, threshold=a.threshold, normalise=None if a.normalise is None else a.normalise == "on",
                               gate_rule=a.gate_rule)
    else:
        with _review(a.file, readonly=True) as rv:
            st = settings_of(rv)
    if a.json:
        emit_json(st.to_dict())
    else:
        out(f"threshold {st.threshold}\tnormalise {'on' if st.normalise else 'off'}\tgate rule {st.gate_rule}")
    return 0


def _results(a) -> int:
    from ..panel.aggregate import aggregate, settings_of
    from ..panel.decisions import DECISION_LABELS, current_all

    with _review(a.file, readonly=True) as rv:
        st = settings_of(rv)
        if a.normalise:
            st.normalise = True
        if a.raw:
            st.normalise = False
        if a.threshold is not None:
            if not 0 < a.threshold <= 1:
                raise DossierError("--threshold is a fraction of the scale, above 0 and at most 1", "--threshold 应大于 0 且不超过 1",
                                   key="panel.bad_threshold")
            st.threshold = a.threshold
        res = aggregate(rv, settings=st)
        if res is None:
            raise DossierError("The panel has not started: assign packages to experts first (`dossier review assign`)",
                               "专家评审尚未开始：请先向专家分配数据包（`dossier review assign`）", key="panel.not_started")
        decisions = current_all(rv)
        recs = {r.id: r for r in rv.packages()}
        if a.package is not None:
            pid = rv.package(a.package).id
            p = res.by_package().get(pid)
            if p is None:
                raise DossierError(f"Package {pid} is not in the panel (not assigned to any expert)",
                                   f"数据包 {pid} 不在专家评审中（尚未分配给任何专家）", key="panel.not_in_panel")
            if a.json:
                emit_json({**p.to_dict(res.experts), "decision": decisions[pid].to_dict() if pid in decisions else None})
                return 0
            _print_package(res, p, recs[pid], decisions.get(pid))
            return 0
    if a.json:
        d = res.to_dict()
        for row in d["packages"]:
            dec = decisions.get(row["package"])
            row["applicant"] = recs[row["package"]].applicant
            row["decision"] = dec.to_dict() if dec else None
        emit_json(d)
        return 0
    out("\t".join(("rank", "#", "applicant", "score", "sd", "range", "experts", "gates", "split", "decision")))
    for p in res.packages:
        gates = "FAILED" if p.gate_failed else ("met" if p.gates else "-")
        dec = decisions.get(p.package)
        out("\t".join((p.rank_text or "-", str(p.package), recs[p.package].applicant, _n(p.score),
                       _n(p.total.sd) if p.total else "-", _n(p.total.range) if p.total else "-",
                       f"{len(p.experts)}" + (f" (+{len(p.recused)} recused)" if p.recused else ""), gates,
                       "yes" if p.disagreement else "", _L(DECISION_LABELS[dec.decision if dec else ""]))))
    return 0


def _print_package(res, p, rec, dec) -> None:
    from ..panel.decisions import DECISION_LABELS

    rub = res.rubric
    names = res.experts
    out(f"#{p.package}  {rec.applicant}\trank {p.rank_text or '-'}\tscore {_n(p.score)}\t"
        f"decision {_L(DECISION_LABELS[dec.decision if dec else ''])}" + (f" — {dec.reason}" if dec else ""))
    out("  totals: " + ", ".join(f"{names.get(e, e)} {_n(t)}" for e, t in p.totals.items()))
    for e, why in p.recused:
        out(f"  recused: {names.get(e, e)} — {why}")
    for g in p.gates.values():
        gate = rub.gate(g.id)
        out(f"  gate {g.id}\t{_L(gate.label) if gate else ''}\tmet {g.met} / not met {g.not_met}" + ("\tFAILED" if g.failed else "")
            + "".join(f"\n    {names.get(e, e)}: {why}" for e, why in g.reasons))
    for cid, cr in p.criteria.items():
        c = rub.criterion(cid)
        s = cr.stats
        out(f"  {cid}\t{_L(c.label) if c else ''}\tmean {_n(s.mean)}\tmedian {_n(s.median)}\tsd {_n(s.sd)}\t"
            f"range {_n(s.low)}–{_n(s.high)}" + ("\tDISAGREE" if cr.disagreement else "")
            + "\t" + " ".join(f"{names.get(e, e)}={_n(v)}" for e, v in cr.values.items()))
        for e, text, ev in cr.comments:
            out(f"    {names.get(e, e)}: {text}" + (f"  [{ev.get('name')}]" if ev else ""))
    if p.overall:
        out(f"  overall\tmean {_n(p.overall.mean)}\trange {_n(p.overall.low)}–{_n(p.overall.high)}\t"
            + ", ".join(f"{k} {v}" for k, v in p.confidence.items()))


def _decide(a) -> int:
    from ..panel.decisions import DECISION_LABELS, decide, history

    if a.history:
        with _review(a.file, readonly=True) as rv:
            hs = history(rv, rv.package(a.package).id)
        if a.json:
            emit_json([h.to_dict() for h in hs])
        else:
            for h in hs:
                out(f"{h.at}\t{_L(DECISION_LABELS[h.decision])}\t{h.reason}")
        return 0
    if bool(a.recommend) == bool(a.not_recommend):
        raise DossierError("Give --recommend or --not-recommend (and --reason)", "请指定 --recommend 或 --not-recommend（以及 --reason）",
                           key="panel.usage")
    with _review(a.file) as rv:
        d = decide(rv, a.package, "recommended" if a.recommend else "not_recommended", a.reason or "",
                   actor=rv.meta().get("reviewer", ""))
    if a.json:
        emit_json(d.to_dict())
    else:
        out(f"#{d.package}\t{_L(d.label)}\t{d.reason}")
    return 0


def _summary(a) -> int:
    from ..panel.outputs import write_summary

    with _review(a.file, readonly=True) as rv:
        out(str(write_summary(rv, a.out, recommended_only=a.recommended_only)))
    return 0


def _publicity(a) -> int:
    from ..panel.outputs import write_publicity

    with _review(a.file, readonly=True) as rv:
        out(str(write_publicity(rv, a.out)))
    return 0


def _report(a) -> int:
    from ..panel.report import write_report

    with _review(a.file, readonly=True) as rv:
        out(str(write_report(rv, a.out, anonymise=a.anonymise)))
    return 0


def _submit(a) -> int:
    from ..panel.submit import submit

    sealer = None
    if a.sign:
        from .seal import _get_sealer

        sealer = _get_sealer()
    res = submit(a.sheet, a.out, sealer=sealer, allow_incomplete=a.allow_incomplete)
    sealer = None  # noqa: F841 - let go of the private key
    if a.json:
        emit_json(res.to_dict())
    else:
        out(str(res.path))
        out(f"scored {res.scored}\trecused {res.recused}\tof {res.packages}" + ("" if res.complete else "\t(incomplete)")
            + ("\tsigned " + res.fingerprint if res.signed else "\tunsigned") + f"\tsha256:{res.sha256}")
    return 0


REVIEW_ACTIONS = {"rubric": _rubric, "round": _round, "assign": _assign, "sheets": _sheets, "merge": _merge,
                  "settings": _settings, "results": _results, "decide": _decide, "summary": _summary,
                  "publicity": _publicity, "report": _report, "submit": _submit}


def add_review_parsers(rs) -> None:
    """The panel's actions under `dossier review` (called by desktop.cli.review)."""
    s = rs.add_parser("rubric", help="the panel's rubric: show, change weights or levels (before the first score)")
    s.add_argument("file")
    s.add_argument("--weight", action="append", metavar="CRITERION=NUMBER", help="a criterion's (relative) weight")
    s.add_argument("--levels", metavar="LEVELS.json", help='levels for criteria: {"*": [{"value", "label", "descriptor"}, …]}')
    s.add_argument("--overall", dest="overall_range", metavar="MIN-MAX", help="the overall score's range")
    s.add_argument("--import", dest="import_", metavar="RUBRIC.json", help="replace the rubric with this rubric document")
    s.add_argument("--export", metavar="RUBRIC.json", help="write the rubric document (to edit and --import)")
    s.add_argument("--note", default=None, help="why the rubric was changed (kept with the version)")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("round", help="the panel's rounds; --new starts the next (a changed rubric after scoring)")
    s.add_argument("file")
    s.add_argument("--new", action="store_true")
    s.add_argument("--reason", default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("assign", help="write an expert sheet: packages and the rubric for one expert")
    s.add_argument("file")
    s.add_argument("--expert", required=True)
    s.add_argument("--packages", default=None, metavar="IDS", help="e.g. 1,2,5-8")
    s.add_argument("--all", action="store_true", help="every readable, intact, current package of the program")
    s.add_argument("--out", required=True, metavar="SHEET")
    s.add_argument("--no-files", action="store_true", help="answers only, without the packages' files (a smaller sheet)")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("sheets", help="the expert sheets issued: waiting, merged or outdated")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("submit", help="(expert) write the signed score sheet of an expert sheet")
    s.add_argument("sheet")
    s.add_argument("--out", required=True, metavar="SCORES")
    s.add_argument("--sign", action="store_true", help="sign with the institution identity on this computer")
    s.add_argument("--allow-incomplete", action="store_true", help="submit the packages that are done")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("merge", help="take an expert's score sheet(s) into the review file")
    s.add_argument("file")
    s.add_argument("scores", nargs="+")
    s.add_argument("--require-signed", action="store_true")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("settings", help="aggregation settings: disagreement threshold, z-score normalisation, gate rule")
    s.add_argument("file")
    s.add_argument("--threshold", type=float, default=None, help="range ≥ THRESHOLD × scale flags a disagreement (0.5)")
    s.add_argument("--normalise", choices=["on", "off"], default=None)
    s.add_argument("--gate-rule", choices=["any", "majority"], default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("results", help="the aggregated scores and the ranking (or one package in detail)")
    s.add_argument("file")
    s.add_argument("--package", default=None)
    g = s.add_mutually_exclusive_group()
    g.add_argument("--normalise", action="store_true", help="per-expert z-scores (this time only)")
    g.add_argument("--raw", action="store_true", help="raw scores (this time only)")
    s.add_argument("--threshold", type=float, default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("decide", help="recommend a package or not, with a reason (history kept)")
    s.add_argument("file")
    s.add_argument("--package", required=True)
    g = s.add_mutually_exclusive_group()
    g.add_argument("--recommend", action="store_true")
    g.add_argument("--not-recommend", action="store_true")
    g.add_argument("--history", action="store_true")
    s.add_argument("--reason", default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("summary", help="the 推荐名单汇总表 (XLSX)")
    s.add_argument("file")
    s.add_argument("--out", required=True)
    s.add_argument("--recommended-only", action="store_true")

    s = rs.add_parser("publicity", help="the 公示 list of recommended applicants (XLSX or CSV)")
    s.add_argument("file")
    s.add_argument("--out", required=True)

    s = rs.add_parser("report", help="the review report PDF")
    s.add_argument("file")
    s.add_argument("--out", required=True)
    s.add_argument("--anonymise", "--anonymize", action="store_true", help="experts as 专家A, 专家B, …")


# ---------------------------------------------------------------------------- expert


def _sheet(path: str, readonly: bool = False):
    from ..panel.sheet import ExpertSheet

    return ExpertSheet.open(path, readonly=readonly)


@command("sheet")
def cmd_sheet(a) -> int:
    return _SHEET[a.sheet_cmd](a)


def _show(a) -> int:
    with _sheet(a.sheet, readonly=True) as sh:
        rub = sh.rubric
        if a.package is None:
            pr = sh.progress()
            st = sh.statuses()
            pk = [(p, st[p.id]) for p in sh.packages()]
            if a.json:
                emit_json({"sheet": sh.sheet_id, "expert": sh.expert, "review": sh.review_title, "round": sh.round,
                           "submitted_at": sh.submitted_at or None, "progress": pr.to_dict(), "rubric": rub.to_dict(),
                           "packages": [{"package": p.id, "applicant": p.applicant, "project": p.project_name, "status": s}
                                        for p, s in pk]})
                return 0
            out(f"{sh.review_title}\t{sh.expert}\tround {sh.round}\t{_L(pr.label())}"
                + (f"\tsubmitted {sh.submitted_at}" if sh.submitted_at else ""))
            for p, s in pk:
                out(f"#{p.id}\t{s}\t{p.applicant}\t{p.project_name}")
            return 0
        p = sh.package(a.package)
        w = sh.work(p.id)
        miss = sh.missing(p.id, w, p)
        if a.json:
            emit_json({"package": p.id, "applicant": p.applicant, "status": sh.status(p.id),
                       "coi": None if w.coi is None else {"recused": w.coi[0], "reason": w.coi[1]},
                       "prefill": p.prefill, "applicable": p.applicable,
                       "gates": {k: {"passed": v.passed, "reason": v.reason} for k, v in w.gates.items()},
                       "scores": {k: {"value": v.value, "comment": v.comment, "evidence": v.evidence} for k, v in w.scores.items()},
                       "overall": w.overall, "confidence": w.confidence, "comment": w.overall_comment,
                       "missing": [m.to_dict() for m in miss],
                       "evidence": [{"name": e.get("name"), "indicator": e.get("indicator")} for e in p.answers.get("evidence") or []]})
            return 0
        coi = "not declared" if w.coi is None else (f"RECUSED: {w.coi[1]}" if w.coi[0] else "no conflict")
        out(f"#{p.id}\t{p.applicant}\t{p.project_name}\tconflict of interest: {coi}")
        for g in rub.gates:
            pre = (p.prefill.get(g.id) or {}).get("passed")
            mine = w.gates.get(g.id)
            out(f"  gate {g.id}\t{_L(g.label)}\trules: {({True: 'met', False: 'NOT met', None: '-'})[pre]}\tyou: "
                + ("-" if mine is None else ("met" if mine.passed else f"NOT met ({mine.reason})")))
        for c in rub.criteria:
            if c.id not in p.applicable:
                out(f"  {c.id}\t{_L(c.label)}\t(does not apply)")
                continue
            s = w.scores.get(c.id)
            out(f"  {c.id}\t{_L(c.label)}\tlevels {'/'.join(_n(lv.value) for lv in c.levels)}\tyou: "
                + ("-" if s is None or s.value is None else _n(s.value)) + (f"\t{s.comment}" if s and s.comment else ""))
        if rub.overall:
            out(f"  overall\t{_n(rub.overall.min)}–{_n(rub.overall.max)}\tyou: {_n(w.overall)}\tconfidence: {w.confidence or '-'}")
        for m in miss:
            out(f"  to do: {_L(m)}")
    return 0


def _coi(a) -> int:
    if bool(a.none) == bool(a.conflict):
        raise DossierError("Give --none (no conflict of interest) or --conflict --reason …", "请指定 --none（无利益冲突）或 --conflict --reason …",
                           key="panel.usage")
    with _sheet(a.sheet) as sh:
        sh.declare(_pid(a.package), bool(a.conflict), a.reason or "")
    return 0


def _pid(v) -> int:
    s = str(v).lstrip("#")
    if not s.isdigit():
        raise DossierError(f"--package takes a package number, not {v!r}", f"--package 应为数据包编号，而不是 {v!r}", key="panel.usage")
    return int(s)


def _score(a) -> int:
    with _sheet(a.sheet) as sh:
        sh.set_score(_pid(a.package), a.criterion, a.level, comment=a.comment,
                     evidence=False if a.evidence is None else (None if a.evidence == "" else a.evidence))
    return 0


def _gate(a) -> int:
    if bool(a.met) == bool(a.not_met):
        raise DossierError("Give --met or --not-met --reason …", "请指定 --met 或 --not-met --reason …", key="panel.usage")
    with _sheet(a.sheet) as sh:
        sh.set_gate(_pid(a.package), a.gate, bool(a.met), a.reason or "")
    return 0


def _confirm(a) -> int:
    with _sheet(a.sheet) as sh:
        done = sh.confirm_prefilled(_pid(a.package))
    out(", ".join(done) if done else ("(nothing to confirm)" if lang() != "zh" else "（没有可确认的门槛条件）"))
    return 0


def _overall(a) -> int:
    with _sheet(a.sheet) as sh:
        sh.set_overall(_pid(a.package), False if a.score is None else a.score,
                       confidence=False if a.confidence is None else a.confidence, comment=a.comment)
    return 0


_SHEET = {"show": _show, "coi": _coi, "score": _score, "gate": _gate, "confirm": _confirm, "overall": _overall}


@parsers
def _parsers(sub) -> None:
    p = sub.add_parser("sheet", help="(expert) score the packages of an expert sheet")
    ps = p.add_subparsers(dest="sheet_cmd", metavar="ACTION", required=True)
    s = ps.add_parser("show", help="progress and packages, or one package's rubric and your scores")
    s.add_argument("sheet")
    s.add_argument("--package", default=None)
    s.add_argument("--json", action="store_true")
    s = ps.add_parser("coi", help="declare a conflict of interest (recusal) or none, per package")
    s.add_argument("sheet")
    s.add_argument("--package", required=True)
    g = s.add_mutually_exclusive_group()
    g.add_argument("--none", action="store_true")
    g.add_argument("--conflict", action="store_true")
    s.add_argument("--reason", default=None)
    s = ps.add_parser("score", help="choose a criterion's level (and a comment, an evidence file)")
    s.add_argument("sheet")
    s.add_argument("--package", required=True)
    s.add_argument("--criterion", required=True)
    s.add_argument("--level", type=float, required=True)
    s.add_argument("--comment", default=None)
    s.add_argument("--evidence", default=None, metavar="NAME", help="the evidence file the comment is about ('' clears)")
    s = ps.add_parser("gate", help="confirm or overturn a gate item")
    s.add_argument("sheet")
    s.add_argument("--package", required=True)
    s.add_argument("--gate", required=True)
    g = s.add_mutually_exclusive_group()
    g.add_argument("--met", action="store_true")
    g.add_argument("--not-met", action="store_true")
    s.add_argument("--reason", default=None)
    s = ps.add_parser("confirm", help="accept the gates the rule engine found met")
    s.add_argument("sheet")
    s.add_argument("--package", required=True)
    s = ps.add_parser("overall", help="the overall score, your confidence and an overall comment")
    s.add_argument("sheet")
    s.add_argument("--package", required=True)
    s.add_argument("--score", type=float, default=None)
    s.add_argument("--confidence", default=None)
    s.add_argument("--comment", default=None)
