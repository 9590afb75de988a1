"""Seal & export benchmarks (issue #4). A script, not a test: prints figures and targets.

1. Export of a project with 0.25 GiB and 1 GiB of evidence vs (`sha256sum` + `zip -0 -r`) of the
   same files, same disk, same run; peak RSS of the exporting process (os.wait4).
   Targets: export ≤ 2 × baseline; peak RSS ≤ 300 MB; RSS growth 0.25 → 1 GiB ≤ 30 MB.
2. The PDF of a 28-indicator program with 2,000 Chinese characters per indicator.
   Targets: ≤ 3 s, ≤ 1.5 MB.
3. One 1,000,000-character Chinese answer (issue #16 §2: ReportLab's Paragraph was quadratic).
   Target: the whole export ≤ 10 s. Also 200,000 and 400,000 characters, to show it is linear.

Usage: .venv/bin/python benchmarks/bench_export.py [--sizes 0.25,1] [--file-mib 16] [--runs 3]
                                                   [--dir /tmp/dossier-bench-export] [--only big|pdf|long]
The 1 GiB project is kept in --dir for bench_verify.py (which uses its package).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import ROOT, make_files  # noqa: E402

sys.path.insert(0, str(ROOT))


def run_child(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a command; (wall seconds, peak RSS MiB of exactly that process, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _pid, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return dt, ru.ru_maxrss / 1024, out.decode(errors="replace")


EXPORT_CHILD = (
    "import sys, json; from desktop.export import export_project; "
    "r = export_project(sys.argv[1], sys.argv[2]); print(json.dumps({'zip': str(r.zip_path), 'pdf': str(r.pdf_path)}))"
)


def bench_big(base: Path, sizes: list[float], file_mib: int, runs: int) -> list[dict]:
    py = sys.executable
    results = []
    for gib in sizes:
        count = max(1, round(gib * 1024 / file_mib))
        src = base / f"src-{gib:g}GiB"
        files = make_files(src, count, file_mib << 20)
        total = sum(f.stat().st_size for f in files)
        proj = base / f"bench-{gib:g}GiB.dossier"
        if not proj.exists():
            tmp = proj.with_suffix(".tmp")
            tmp.unlink(missing_ok=True)
            run_child([py, "-m", "desktop.cli", "demo", "gx-city-consortium", str(tmp)])
            run_child([py, "-m", "desktop.cli", "attach", str(tmp), *map(str, files), "--indicator", "1.1"])
            tmp.rename(proj)
        rows = []
        for run in range(runs):
            work = base / "baseline"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            t0 = time.perf_counter()
            subprocess.run(["sha256sum", *map(str, files)], stdout=subprocess.DEVNULL, check=True)
            subprocess.run(["zip", "-0", "-r", "-q", str(work / "base.zip"), src.name], cwd=src.parent, check=True)
            baseline = time.perf_counter() - t0
            shutil.rmtree(work)
            out = base / f"out-{gib:g}GiB"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            t_exp, rss, stdout = run_child([py, "-c", EXPORT_CHILD, str(proj), str(out)])
            rows.append((baseline, t_exp, rss))
            print(f"  {gib:g} GiB run {run + 1}: baseline sha256sum + zip -0 -r {baseline:.2f} s, "
                  f"export {t_exp:.2f} s (ratio {t_exp / baseline:.2f}), peak RSS {rss:.0f} MiB", flush=True)
        med = sorted(rows, key=lambda r: r[1] / r[0])[len(rows) // 2]
        results.append({"gib": gib, "bytes": total, "files": count, "baseline_s": med[0], "export_s": med[1],
                        "ratio": med[1] / med[0], "ratios": [r[1] / r[0] for r in rows],
                        "peak_rss_mib": max(r[2] for r in rows)})
    return results


# ---------------------------------------------------------------------------- the PDF benchmark


def _corpus() -> str:
    """Real Chinese text: every official / description text of the bundled programs."""
    import yaml

    out = []

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("zh"), str):
                out.append(x["zh"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for p in sorted((ROOT / "resources" / "programs").glob("*.yaml")):
        walk(yaml.safe_load(p.read_text(encoding="utf-8")))
    return "".join(s for s in out if len(s) > 20)


def _program_yaml(n_sections: int = 6, n_ind: int = 28) -> str:
    import yaml

    per = [n_ind // n_sections + (1 if i < n_ind % n_sections else 0) for i in range(n_sections)]
    corpus = _corpus()
    sections = []
    k = 0
    for s, n in enumerate(per, 1):
        inds = []
        for i in range(1, n + 1):
            off = (k * 97) % max(1, len(corpus) - 200)
            inds.append({
                "id": f"{s}.{i}", "title": {"zh": f"观测点{s}.{i}", "en": f"Observation point {s}.{i}"},
                "official": {"zh": corpus[off:off + 120], "en": "Official text (benchmark)."},
                "fields": [{"id": "narrative", "type": "longtext", "required": True, "max_length": 5000,
                            "label": {"zh": "建设情况说明", "en": "Description"}}],
            })
            k += 1
        sections.append({"id": str(s), "title": {"zh": f"一级指标{s}", "en": f"Level-1 indicator {s}"}, "indicators": inds})
    doc = {"format": 1, "id": "bench-28", "version": "1.0.0",
           "title": {"zh": "基准测试项目（28个观测点）", "en": "Benchmark program (28 observation points)"},
           "issuer": {"zh": "基准测试", "en": "Benchmark"},
           "source": {"number": "", "date": "2024-01-01", "title": {"zh": "基准", "en": "Benchmark"}},
           "sections": sections}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def bench_pdf(base: Path, runs: int) -> dict:
    from desktop.export import export_project
    from desktop.export import package as pkg
    from desktop.programs import load_definition_text
    from desktop.project import Project

    prog = load_definition_text(_program_yaml(), "bench-28.yaml")
    corpus = _corpus()
    proj_path = base / "bench-28.dossier"
    proj_path.unlink(missing_ok=True)
    with Project.create(proj_path, prog, "广西某职业技术学院", "A vocational college in Guangxi") as proj:
        values = {}
        for n, f in enumerate(prog.fields.values()):
            start = (n * 2000) % max(1, len(corpus) - 2000)
            text = corpus[start:start + 2000]
            while len(text) < 2000:
                text += corpus[: 2000 - len(text)]
            values[f.path] = text
        proj.set_many(values)
    # time the PDF itself (inside the export), the whole export, and the size
    timings = {"pdf": [], "pdf_cpu": [], "export": []}
    real_render = pkg.render

    def timed_render(*a, **k):
        t0, c0 = time.perf_counter(), time.process_time()
        r = real_render(*a, **k)
        timings["pdf"].append(time.perf_counter() - t0)
        timings["pdf_cpu"].append(time.process_time() - c0)
        return r

    pkg.render = timed_render
    try:
        res = None
        for _ in range(runs):
            out = base / "out-pdf"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            t0 = time.perf_counter()
            res = export_project(proj_path, out)
            timings["export"].append(time.perf_counter() - t0)
    finally:
        pkg.render = real_render
    size = res.pdf_path.stat().st_size
    chars = sum(len(v) for v in values.values())
    r = {"indicators": len(values), "chinese_chars": chars, "distinct_chars": len(set("".join(values.values()))),
         "pages": res.pages, "pdf_bytes": size, "pdf_s": statistics.median(timings["pdf"]),
         "export_s": statistics.median(timings["export"]), "pdf_runs": timings["pdf"],
         "pdf_cpu_s": statistics.median(timings["pdf_cpu"]), "pdf_cpu_runs": timings["pdf_cpu"], "load": os.getloadavg()[0]}
    return r


def bench_long(base: Path, runs: int, sizes=(200_000, 400_000, 1_000_000)) -> list[dict]:
    """One longtext answer of n Chinese characters in a one-indicator program; each export in a
    fresh process (what a user runs), timed from outside."""
    import yaml

    py = sys.executable
    corpus = _corpus()
    doc = yaml.safe_load(_program_yaml(1, 1))
    doc["id"] = "bench-long"
    doc["sections"][0]["indicators"][0]["fields"][0]["max_length"] = 1_000_000
    results = []
    for n in sizes:
        text = (corpus * (n // len(corpus) + 1))[:n]
        proj = base / f"bench-long-{n}.dossier"
        proj.unlink(missing_ok=True)
        from desktop.programs import load_definition_text
        from desktop.project import Project

        prog = load_definition_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "bench-long.yaml")
        with Project.create(proj, prog, "广西某职业技术学院", "A vocational college in Guangxi") as p:
            p.set_many({next(iter(prog.fields)): text})
        times: list[float] = []
        cpus: list[float] = []  # CPU seconds of the exporting process: what wall time is on an idle machine
        pages = size = 0
        for _ in range(runs):
            out = base / f"out-long-{n}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            t0 = os.times()
            t, _rss, stdout = run_child([py, "-c", EXPORT_CHILD, str(proj), str(out)])
            t1 = os.times()
            times.append(t)
            cpus.append((t1.children_user - t0.children_user) + (t1.children_system - t0.children_system))
            pdf = Path(json.loads(stdout)["pdf"])
            size = pdf.stat().st_size
            import pikepdf

            with pikepdf.open(pdf) as f:
                pages = len(f.pages)
        results.append({"chars": n, "export_s": statistics.median(times), "runs": times, "cpu_s": statistics.median(cpus),
                        "cpu_runs": cpus, "pages": pages, "pdf_bytes": size, "load": os.getloadavg()[0]})
        print(f"  {n:,} characters: export {statistics.median(times):.2f} s wall (median of {runs}, range "
              f"{min(times):.2f}–{max(times):.2f}), {statistics.median(cpus):.2f} s CPU (range {min(cpus):.2f}–{max(cpus):.2f}), "
              f"{pages} pages, PDF {size / 1e6:.1f} MB; load average {os.getloadavg()[0]:.1f}", flush=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0.25,1")
    ap.add_argument("--file-mib", type=int, default=16)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/dossier-bench-export")
    ap.add_argument("--only", choices=["big", "pdf", "long"], default=None)
    a = ap.parse_args()
    if a.only in (None, "big") and not shutil.which("zip"):
        sys.exit("the baseline needs `zip` (apt-get install -y zip)")
    base = Path(a.dir)
    base.mkdir(parents=True, exist_ok=True)
    report: dict = {}
    if a.only in (None, "pdf"):
        print("PDF: 28 indicators × 2,000 Chinese characters", flush=True)
        r = bench_pdf(base, a.runs)
        report["pdf"] = r
        print(f"  {r['pages']} pages, {r['chinese_chars']} characters ({r['distinct_chars']} distinct): "
              f"PDF {r['pdf_s']:.2f} s wall (median of {a.runs}, range {min(r['pdf_runs']):.2f}–{max(r['pdf_runs']):.2f}), "
              f"{r['pdf_cpu_s']:.2f} s CPU (range {min(r['pdf_cpu_runs']):.2f}–{max(r['pdf_cpu_runs']):.2f}), "
              f"whole export {r['export_s']:.2f} s, size {r['pdf_bytes'] / 1e6:.2f} MB — targets ≤ 3 s, ≤ 1.5 MB; "
              f"load average {r['load']:.1f}", flush=True)
    if a.only in (None, "long"):
        print("One long Chinese answer (the whole export, a fresh process each) — target 1,000,000 characters ≤ 10 s",
              flush=True)
        report["long"] = bench_long(base, a.runs)
    if a.only in (None, "big"):
        sizes = [float(x) for x in a.sizes.split(",")]
        print(f"Export vs sha256sum + zip -0 -r ({a.file_mib} MiB files, {a.runs} runs each)", flush=True)
        rs = bench_big(base, sizes, a.file_mib, a.runs)
        report["export"] = rs
        for r in rs:
            print(f"  {r['gib']:g} GiB ({r['files']} files): baseline {r['baseline_s']:.2f} s, export {r['export_s']:.2f} s, "
                  f"median ratio {r['ratio']:.2f}; peak RSS {r['peak_rss_mib']:.0f} MiB")
        if len(rs) >= 2:
            growth = rs[-1]["peak_rss_mib"] - rs[0]["peak_rss_mib"]
            print(f"  RSS growth {rs[0]['gib']:g} → {rs[-1]['gib']:g} GiB: {growth:+.1f} MiB "
                  f"— targets: ratio ≤ 2, RSS ≤ 300 MB, growth ≤ 30 MB")
    (base / "bench_export.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
