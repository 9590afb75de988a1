"""Expert panel benchmarks (a script, not a test): python benchmarks/bench_panel.py [--runs N]

1. aggregation: 200 packages × 7 experts × 30 criteria (one (expert, package) pair in ten
   recused, so about 37,500 of the 42,000 possible scores; gates, overall scores, a comment on
   one score in five): (a) the computation alone (desktop.panel.aggregate.compute), (b) from a
   review file on disk, freshly opened (aggregate(rv): the SQLite reads included), raw and
   z-score normalised.
   Target (issue #11): ≤ 0.5 s.
2. the expert's window switching packages: a sheet of 30 packages of the asean-craftsman-college
   demo (its bundled rubric: 8 criteria, 5 gates) and the same with a 30-criterion rubric;
   time from the switch to the window repainted (show_package + repaint), offscreen.
   Target: ≤ 100 ms.

Every figure is the median of --runs runs (default 7) with the range; runs are interleaved.
The machine is shared (2 cores, other sessions running): say so with the figures.
"""

from __future__ import annotations

import argparse
import json
import os

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as benchmarks/_util.py: measure compiled bytecode, as users run it
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DOSSIER_HOME", tempfile.mkdtemp(prefix="dossier-bench-home-"))

from desktop.panel.rubric import STANDARD_LEVELS, Rubric  # noqa: E402 - after the path and DOSSIER_HOME are set

N_PKG, N_EXP, N_CRIT = 200, 7, 30


def rubric(n_crit: int, indicators: list[str] | None = None) -> Rubric:
    inds = indicators or [str(i) for i in range(1, n_crit + 1)]
    return Rubric.from_dict({
        "format": "dossier-rubric", "format_version": 1, "program": {"id": "bench", "version": "1"}, "total": 100,
        "criteria": [{"id": f"c{i}", "label": {"zh": f"评分标准{i}", "en": f"Criterion {i}"}, "weight": 1 + i % 3,
                      "indicators": [inds[i % len(inds)]], "levels": STANDARD_LEVELS} for i in range(n_crit)],
        "gates": [{"id": f"g{i}", "label": {"zh": f"门槛{i}", "en": f"Gate {i}"}} for i in range(3)],
        "overall": {"min": 0, "max": 100, "label": {"zh": "总体", "en": "Overall"}},
        "confidence": [{"id": "high", "label": {"zh": "高", "en": "high"}}]})


def rows(rub: Rubric, seed: int = 1):
    rnd = random.Random(seed)
    scores, recusals, gates, overall = [], [], [], []
    for p in range(1, N_PKG + 1):
        for e in range(1, N_EXP + 1):
            if rnd.random() < 0.1:
                recusals.append((e, p, "利益相关"))
                continue
            lenient = (e - 4) * 0.2
            for c in rub.criteria:
                v = min(4, max(0, round(rnd.gauss(2.5 + lenient, 1))))
                scores.append((e, p, c.id, float(v), "意见" if rnd.random() < 0.2 else "", None))
            for g in rub.gates:
                ok = rnd.random() > 0.02
                gates.append((e, p, g.id, ok, "" if ok else "不满足", 1))
            overall.append((e, p, float(rnd.randint(50, 95)), "high", ""))
    return scores, recusals, gates, overall


def make_review(path: Path, rub: Rubric, data) -> None:
    """A review file with 200 package rows and the panel's tables filled as merges would."""
    from desktop.review import Review
    from desktop.review.file import utcnow

    scores, recusals, gates, overall = data
    now = utcnow()
    with Review.create(path, "bench", "") as rv, rv.transaction() as c:
        c.executemany("INSERT INTO packages(id, uid, added_at, source_path, source_name, file_sha256, size, storage, status,"
                      " applicant, state_at) VALUES (?, ?, ?, '', ?, ?, 0, 'none', 'intact', ?, ?)",
                      [(p, f"u{p}", now, f"p{p}.zip", f"{p:064x}", f"申报单位{p}", now) for p in range(1, N_PKG + 1)])
        c.execute("INSERT INTO panel_rounds(round, started_at) VALUES (1, ?)", (now,))
        c.execute("INSERT INTO panel_rubrics(round, version, created_at, rubric, sha256) VALUES (1, 1, ?, ?, ?)",
                  (now, json.dumps(rub.to_dict(), ensure_ascii=False), rub.sha256))
        c.executemany("INSERT INTO panel_experts(id, name, key, added_at) VALUES (?, ?, ?, ?)",
                      [(e, f"专家{e}", f"e{e}", now) for e in range(1, N_EXP + 1)])
        c.executemany("INSERT INTO panel_coi(round, expert, package, recused, reason, at) VALUES (1, ?, ?, 1, ?, ?)",
                      [(e, p, r, now) for e, p, r in recusals])
        c.executemany("INSERT INTO panel_scores(round, expert, package, criterion, value, comment, evidence, at)"
                      " VALUES (1, ?, ?, ?, ?, ?, NULL, ?)", [(e, p, cid, v, cm, now) for e, p, cid, v, cm, _ev in scores])
        c.executemany("INSERT INTO panel_gates(round, expert, package, gate, passed, reason, prefilled, at)"
                      " VALUES (1, ?, ?, ?, ?, ?, ?, ?)", [(e, p, g, int(ok), r, pre, now) for e, p, g, ok, r, pre in gates])
        c.executemany("INSERT INTO panel_overall(round, expert, package, score, confidence, comment, at)"
                      " VALUES (1, ?, ?, ?, ?, ?, ?)", [(e, p, s, conf, cm, now) for e, p, s, conf, cm in overall])


def bench_aggregation(runs: int, work: Path) -> dict:
    from desktop.panel.aggregate import Settings, aggregate, compute
    from desktop.review import Review

    rub = rubric(N_CRIT)
    data = rows(rub)
    scores, recusals, gates, overall = data
    path = work / "bench.dreview"
    make_review(path, rub, data)
    out: dict[str, list[float]] = {"compute raw": [], "compute z": [], "file raw": [], "file z": []}
    for _ in range(runs):
        for norm in (False, True):
            t0 = time.perf_counter()
            res = compute(rub, scores=scores, recusals=recusals, gates=gates, overall=overall,
                          settings=Settings(normalise=norm))
            out["compute z" if norm else "compute raw"].append(time.perf_counter() - t0)
            assert len(res.packages) == N_PKG
            with Review.open(path, readonly=True) as rv:
                t0 = time.perf_counter()
                res = aggregate(rv, settings=Settings(normalise=norm))
                out["file z" if norm else "file raw"].append(time.perf_counter() - t0)
            assert len(res.packages) == N_PKG
    print(f"aggregation: {N_PKG} packages × {N_EXP} experts × {N_CRIT} criteria = {len(scores):,} scores "
          f"({len(recusals)} recusals)")
    return out


def make_sheet(path: Path, program_id: str, rub: Rubric | None, n: int = 30) -> Path:
    from desktop.panel.prefill import prefill
    from desktop.panel.rubric import resolve
    from desktop.panel.sheet import new_sheet_connection
    from desktop.programs import find_program

    prog = find_program(program_id)
    rub = rub or resolve(prog)
    answers = dict(prog.demo.get("answers") or {})
    meta = {"sheet_id": "b" * 32, "review_uuid": "bench", "review_title": "bench", "round": "1", "rubric_version": "1",
            "rubric": json.dumps(rub.to_dict(), ensure_ascii=False), "rubric_sha256": rub.sha256, "expert": "专家",
            "issued_at": "2025-01-01T00:00:00Z", "program_id": prog.id}
    conn = new_sheet_connection(path, meta)
    key = f"{prog.id}@{prog.version}"
    conn.execute("INSERT INTO programs(key, text) VALUES (?, ?)", (key, prog.text))
    for i in range(1, n + 1):
        doc = {"program": {"id": prog.id, "version": prog.version}, "applicant": {"zh": f"申报单位{i}", "en": f"A{i}"},
               "answers": answers, "evidence": [{"indicator": ind.id, "name": f"证明{ind.id}.pdf", "sha256": "0" * 64,
                                                  "size": 1000, "path": f"data/evidence/{ind.id}.pdf"}
                                                 for ind in list(prog.indicators())[:10]]}
        gates, app = prefill(rub, prog, doc)
        conn.execute(
            "INSERT INTO packages(id, position, uid, applicant, applicant_en, project_name, program_key, program_id,"
            " program_version, sealed_at, content_digest, file_sha256, size, source_name, answers, prefill, applicable)"
            " VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, '', '', '', 0, ?, ?, ?, ?)",
            (i, i, f"u{i}", f"申报单位{i}", f"A{i}", key, prog.id, prog.version, f"p{i}.zip",
             json.dumps(doc, ensure_ascii=False), json.dumps(gates), json.dumps(app)))
    conn.execute("COMMIT")
    conn.close()
    return path


def bench_switch(runs: int, work: Path) -> dict:
    from PySide6.QtWidgets import QApplication

    from desktop.programs import find_program
    from desktop.ui.app import setup_app
    from desktop.ui.panel.sheet_window import SheetWindow

    app = QApplication.instance() or QApplication(["bench"])
    setup_app(app)
    prog = find_program("asean-craftsman-college")
    inds = [i.id for i in prog.indicators()]
    sheets = {"bundled rubric (8 criteria, 5 gates)": make_sheet(work / "a.dsheet", prog.id, None),
              "30 criteria": make_sheet(work / "b.dsheet", prog.id, rubric(30, inds))}
    out: dict[str, list[float]] = {k: [] for k in sheets}
    wins = {}
    for k, p in sheets.items():
        w = SheetWindow(p)
        w.resize(1366, 768)
        w.show()
        app.processEvents()
        wins[k] = w
    for _ in range(runs):
        for k, w in wins.items():
            times = []
            for _j in range(len(w.pkgs)):
                t0 = time.perf_counter()
                w.step(1)
                w.repaint()
                times.append(time.perf_counter() - t0)
                app.processEvents()
            out[k].append(statistics.median(times))
            out[k + " (slowest switch)"] = out.get(k + " (slowest switch)", []) + [max(times)]
    for w in wins.values():
        w.close()
    return out


def report(name: str, vals: list[float], target: float) -> None:
    med = statistics.median(vals)
    ok = "ok" if med <= target else "OVER TARGET"
    print(f"  {name:<48} median {med * 1000:8.1f} ms   range {min(vals) * 1000:.1f}–{max(vals) * 1000:.1f} ms"
          f"   (target ≤ {target * 1000:.0f} ms: {ok})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-bench-panel-") as tmp:
        work = Path(tmp)
        agg = bench_aggregation(a.runs, work)
        for k, v in agg.items():
            report(k, v, 0.5)
        print("expert window, switching packages (30 packages):")
        for k, v in bench_switch(a.runs, work).items():
            report(k, v, 0.1)


if __name__ == "__main__":
    main()
