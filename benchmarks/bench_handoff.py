"""Hand-off benchmarks (issue #9). A script, not a test: prints figures and targets.

1. Size of the return file for a text-only partner part: the ASEAN partner's part of
   asean-craftsman-college (7 indicators + 4 fields) filled with the demo's answers, and the same
   part with every text answer 2,000 characters long. Target: ≤ 50 KB. For scale, the size of the
   hand-off file (the .dossier a partner would otherwise mail back whole) is printed beside it.
2. Merge of a 1,000-row table changed on both sides: the lead and the partner each edit 300 rows
   (100 of them the same rows, other cells), add 50 and delete 20; plus one cell changed on both
   sides (a conflict, decided with prefer=partner). Timed: open the return + plan + apply (one
   transaction, fsync), in process; and the whole `dossier handoff merge --prefer partner` command
   (Python start-up included), with `dossier info` on the same project as the fixed-cost baseline of
   any command, interleaved in the same run. Target: ≤ 1 s.

Usage: .venv/bin/python benchmarks/bench_handoff.py [--runs 5] [--dir /tmp/dossier-bench-handoff]
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.handoff import ScopeRequest, apply_merge, make_return, open_return, plan_merge, resolve_scope, share_part  # noqa: E402
from desktop.programs import find_program, load_definition_text  # noqa: E402
from desktop.project import Project  # noqa: E402


def return_size(d: Path, long_text: bool) -> tuple[int, int, int]:
    prog = find_program("asean-craftsman-college")
    lead = d / f"lead-{long_text}.dossier"
    Project.create(lead, prog, "广西机电职业技术学院").close()
    with Project.open(lead) as p:
        scope = resolve_scope(p.program, ScopeRequest(part="partner"))
    part = d / f"part-{long_text}.dossier"
    share_part(lead, scope, "Rayong Technical College", part)
    demo = prog.demo.get("answers", {})
    values = {}
    for path in scope.field_paths(prog):
        if path not in demo:
            continue
        v = copy.deepcopy(demo[path])
        f = prog.field(path)
        if long_text and f.type in ("longtext",):  # varied text (no easy compression): random CJK characters
            rnd = random.Random(path)
            v = "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(2000))
        values[path] = v
    with Project.open(part) as p:
        p.set_many(values)
    ret = d / f"r-{long_text}.dossier-return"
    make_return(part, ret)
    return ret.stat().st_size, part.stat().st_size, len(values)


TABLE_PROG = """
format: 1
id: bench-table
version: "1.0.0"
title: {zh: 基准, en: Bench}
issuer: {zh: 基准, en: Bench}
source: {number: "1", date: "2024-01-01", title: {zh: 基准, en: Bench}}
sections:
  - id: "1"
    title: {zh: 一, en: One}
    indicators:
      - id: "1.1"
        title: {zh: 成员, en: Members}
        official: {zh: 成员, en: Members}
        fields:
          - id: rows
            type: table
            label: {zh: 行, en: Rows}
            columns:
              - {id: name, type: text, label: {zh: 名称, en: Name}}
              - {id: city, type: text, label: {zh: 城市, en: City}}
              - {id: count, type: integer, label: {zh: 数量, en: Count}}
              - {id: note, type: text, label: {zh: 备注, en: Note}}
"""


def table_case(d: Path, n: int) -> tuple[Path, Path]:
    prog = load_definition_text(TABLE_PROG, "bench.yaml")
    lead = d / f"t-lead-{n}.dossier"
    with Project.create(lead, prog, "甲") as p:
        p.set("1.1/rows", [{"name": f"单位{i}", "city": "南宁", "count": i, "note": ""} for i in range(1000)])
        scope = resolve_scope(p.program, ScopeRequest(indicators=["1.1"]))
    part = d / f"t-part-{n}.dossier"
    share_part(lead, scope, "乙", part)

    def change(path, start, col, val, add_prefix, delete_from):
        with Project.open(path) as p:
            rows = p.get("1.1/rows")
            for i in range(start, start + 300):
                rows[i][col] = val(i)
            rows = [r for k, r in enumerate(rows) if not (delete_from <= k < delete_from + 20)]
            rows += [{"name": f"{add_prefix}{i}", "city": "曼谷", "count": i} for i in range(50)]
            p.set("1.1/rows", rows)

    change(lead, 0, "count", lambda i: i + 10_000, "lead-new-", 900)  # rows 0–299, count
    change(part, 200, "note", lambda i: f"partner note {i}", "partner-new-", 950)  # rows 200–499 (100 shared), note
    with Project.open(lead) as p:  # one cell changed on both sides: a conflict
        rows = p.get("1.1/rows")
        rows[600]["city"] = "柳州"
        p.set("1.1/rows", rows)
    with Project.open(part) as p:
        rows = p.get("1.1/rows")
        rows[600]["city"] = "清迈"
        p.set("1.1/rows", rows)
    ret = d / f"t-{n}.dossier-return"
    make_return(part, ret)
    return lead, ret


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/dossier-bench-handoff")
    a = ap.parse_args()
    d = Path(a.dir)
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for long_text in (False, True):
        size, part_size, n = return_size(d, long_text)
        what = "every longtext 2,000 characters" if long_text else "demo answers"
        print(f"return size, asean partner part ({n} fields, {what}): {size / 1024:.1f} KB "
              f"(hand-off .dossier: {part_size / 1024:.0f} KB) — target ≤ 50 KB")
    inproc, cli, base, rows = [], [], [], None
    for n in range(a.runs):
        lead, ret = table_case(d, n)
        lead2 = lead.with_name(lead.stem + "-cli.dossier")
        shutil.copyfile(lead, lead2)
        t0 = time.perf_counter()
        with open_return(ret) as rf, Project.open(lead) as p:
            plan = plan_merge(p, rf)
            apply_merge(p, plan, rf, prefer="partner")
        inproc.append(time.perf_counter() - t0)
        with Project.open(lead, readonly=True) as p:
            rows = len(p.get("1.1/rows"))
            conflicts = len(plan.conflicts)
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "desktop.cli", "handoff", "merge", str(lead2), str(ret), "--prefer",
                            "partner"], cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
        cli.append(time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit(r.stderr)
        t0 = time.perf_counter()  # the fixed cost of any command on that project: start-up, open, report
        subprocess.run([sys.executable, "-m", "desktop.cli", "info", str(lead2)], cwd=ROOT, capture_output=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": ""}, check=True)
        base.append(time.perf_counter() - t0)
    print(f"merge of a 1,000-row table changed on both sides ({conflicts} conflict, {rows} rows after): "
          f"in process median {statistics.median(inproc):.3f} s (min {min(inproc):.3f}, max {max(inproc):.3f}); "
          f"whole CLI command median {statistics.median(cli):.3f} s (min {min(cli):.3f}, max {max(cli):.3f}), "
          f"{a.runs} runs; baseline `dossier info` on the same project median {statistics.median(base):.3f} s "
          f"(min {min(base):.3f}, max {max(base):.3f}) — target ≤ 1 s")


if __name__ == "__main__":
    main()
