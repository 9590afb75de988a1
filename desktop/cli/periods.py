"""`dossier next-period PROJECT --period P --out NEW`: start the next period of a recurring report."""

from __future__ import annotations

import sys

from ..values import plural
from .common import command, emit_json, lang, out, parsers, progress


def _progress():
    return progress("copying evidence")


def _report(plan, dry_run: bool) -> None:
    L = lang()
    s = plan.summary()
    mb = s["evidence_bytes"] / 1e6
    if L == "zh":
        head = "将创建" if dry_run else "已创建"
        out(f"{head} {plan.out}：报告期 {plan.period.label().zh}（上期 {plan.previous_period.label().zh}）")
        out(f"  沿用答案 {s['answers_carried']} 项；按期填报的答案 {s['answers_emptied']} 项留空；报告期字段 {len(s['period_fields'])} 项已设置")
        out(f"  复制证明材料 {s['evidence_copied']} 个（{mb:.1f} MB）；不沿用 {s['evidence_left_behind']} 个（上期专用材料、盖章页）")
    else:
        head = "would create" if dry_run else "created"
        out(f"{head} {plan.out}: period {plan.period} (previous {plan.previous_period})")
        out(f"  {plural(s['answers_carried'], 'answer', 'answers')} carried over; "
            f"{plural(s['answers_emptied'], 'per-period answer', 'per-period answers')} left empty; "
            f"{plural(len(s['period_fields']), 'period field', 'period fields')} set")
        out(f"  {plural(s['evidence_copied'], 'evidence file', 'evidence files')} copied ({mb:.1f} MB); {s['evidence_left_behind']} left behind "
            "(files of the previous period, the stamp-page scan)")


@command("next-period")
def cmd_next_period(a) -> int:
    from ..periods import open_previous, plan_next_period, start_next_period

    if a.dry_run:
        with open_previous(a.file) as proj:
            plan = plan_next_period(proj, a.period, a.out, a.previous_period)
    else:
        task = None if a.json else _progress()
        try:
            plan = start_next_period(a.file, a.out, a.period, previous_period=a.previous_period, task=task)
        finally:
            if task is not None:
                sys.stderr.write("\n")
    if a.json:
        emit_json({**plan.summary(), "created": not a.dry_run})
    else:
        _report(plan, a.dry_run)
    return 0


@parsers
def _parsers(sub) -> None:
    s = sub.add_parser("next-period", help="start the next period of a recurring report from this project")
    s.add_argument("file", help="the previous period's project (only read)")
    s.add_argument("--period", required=True, help="the new period: 2026, 2026-H1, 2026-Q4 or 2026-12")
    s.add_argument("--out", required=True, help="the new project file to create")
    s.add_argument("--previous-period", default=None,
                   help="the period of FILE, when neither its meta nor its form says (e.g. 2026-11)")
    s.add_argument("--dry-run", action="store_true", help="say what would be carried over; write nothing")
    s.add_argument("--json", action="store_true")
