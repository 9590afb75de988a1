"""Attach and export against the physical baseline, `cp` + `sync` of the same files (issue #17).

    .venv/bin/python benchmarks/bench_io.py attach [--gib 1] [--runs 5] [--tree before=/path/to/main] ...
    .venv/bin/python benchmarks/bench_io.py export [--gib 1,4] [--runs 3] [--tree ...]

Targets: attach ≤ 1.5 × cp+sync, peak RSS ≤ 150 MB; export of 1 GiB ≤ 2 ×, of 4 GiB ≤ 1.5 ×
cp+sync, peak RSS ≤ 300 MB and flat.

Method: evidence in 100 MiB files of random bytes (incompressible, like scans); the page cache is
warm for every contender (each reads the same files right after the others). Each run times the
baseline and every tree (`--tree NAME=PATH`: a checkout of Dossier, default this one) in rotating
order, each in a fresh child process: wall time, CPU time (user + sys) and peak RSS of that child
(os.wait4). The baseline is `cp FILES DEST/ && sync DEST/*` (GNU cp copies in the kernel with
copy_file_range; `sync FILE…` fsyncs exactly the copies, like Dossier fsyncs exactly its file). Ratios
are per run (contender / baseline of the same run); the medians and ranges are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import ROOT, make_files  # noqa: E402

FILE_MIB = 100


def run_child(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    """(wall s, CPU s, peak RSS MiB) of exactly that child."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read()
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss / 1024}


def cp_sync(files: list[Path], dest: Path) -> dict:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    r = run_child(["sh", "-c", 'cp "$@" "$D"/ && sync "$D"/*', "sh", *map(str, files)], env={"D": str(dest)})
    shutil.rmtree(dest)
    return r


def dossier(tree: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); from desktop.cli import main; "
            f"sys.exit(main())", *args]


def tree_env(tree: Path, home: Path) -> dict:
    return {"PYTHONPATH": str(tree), "DOSSIER_HOME": str(home)}


def fmt(rows: list[float]) -> str:
    return f"{statistics.median(rows):.2f} ({min(rows):.2f}–{max(rows):.2f})"


def summarise(name: str, results: dict[str, list[dict]], target: float, rss_target: float) -> dict:
    base = results["cp+sync"]
    out = {"baseline_wall": [r["wall"] for r in base], "contenders": {}}
    print(f"  cp+sync: wall {fmt([r['wall'] for r in base])} s, CPU {fmt([r['cpu'] for r in base])} s")
    for k, rows in results.items():
        if k == "cp+sync":
            continue
        ratios = [r["wall"] / b["wall"] for r, b in zip(rows, base)]
        out["contenders"][k] = {"wall": [r["wall"] for r in rows], "cpu": [r["cpu"] for r in rows],
                                "rss": [r["rss"] for r in rows], "ratios": ratios}
        print(f"  {name} [{k}]: wall {fmt([r['wall'] for r in rows])} s, CPU {fmt([r['cpu'] for r in rows])} s, "
              f"ratio to cp+sync {fmt(ratios)} (target ≤ {target}), peak RSS {max(r['rss'] for r in rows):.0f} MiB "
              f"(target ≤ {rss_target:.0f})")
    return out


def bench_attach(a, trees: dict[str, Path], base: Path) -> dict:
    n = max(1, round(a.gib * 1024 / FILE_MIB))
    files = make_files(base / f"src-{n}", n, FILE_MIB << 20)
    home = base / "home"
    home.mkdir(exist_ok=True)
    results: dict[str, list[dict]] = {"cp+sync": [], **{k: [] for k in trees}}
    names = ["cp+sync", *trees]
    for run in range(a.runs):
        order = names[run % len(names):] + names[: run % len(names)]
        for who in order:
            if who == "cp+sync":
                results[who].append(cp_sync(files, base / "cp"))
                continue
            tree = trees[who]
            proj = base / f"attach-{who}.dossier"
            proj.unlink(missing_ok=True)
            run_child(dossier(tree, "new", str(proj), "--program", "gx-city-consortium"), tree_env(tree, home))
            results[who].append(run_child(dossier(tree, "attach", str(proj), *map(str, files), "--indicator", "1.1"),
                                          tree_env(tree, home)))
            proj.unlink()
        line = ", ".join(f"{k} {results[k][-1]['wall']:.2f} s" for k in names)
        print(f"  run {run + 1}: {line}", flush=True)
    print(f"attach {n} × {FILE_MIB} MiB = {n * FILE_MIB / 1024:.2f} GiB:")
    return summarise("attach", results, 1.5, 150)


def bench_export(a, trees: dict[str, Path], base: Path) -> dict:
    report = {}
    home = base / "home"
    home.mkdir(exist_ok=True)
    for gib in [float(x) for x in str(a.gib).split(",")]:
        n = max(1, round(gib * 1024 / FILE_MIB))
        files = make_files(base / f"src-{n}", n, FILE_MIB << 20)
        projects = {}
        for who, tree in trees.items():
            proj = base / f"export-{who}-{n}.dossier"
            if not proj.exists():
                tmp = proj.with_name(proj.name + ".building")
                tmp.unlink(missing_ok=True)
                print(f"  building the {gib:g} GiB project with {who}…", flush=True)
                run_child(dossier(tree, "demo", "gx-city-consortium", str(tmp)), tree_env(tree, home))
                run_child(dossier(tree, "attach", str(tmp), *map(str, files), "--indicator", "1.1"), tree_env(tree, home))
                tmp.rename(proj)
            projects[who] = proj
        results: dict[str, list[dict]] = {"cp+sync": [], **{k: [] for k in trees}}
        names = ["cp+sync", *trees]
        for run in range(a.runs):
            order = names[run % len(names):] + names[: run % len(names)]
            for who in order:
                if who == "cp+sync":
                    results[who].append(cp_sync(files, base / "cp"))
                    continue
                out = base / "out"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                tree = trees[who]
                results[who].append(run_child(dossier(tree, "export", str(projects[who]), "--out", str(out)),
                                              tree_env(tree, home)))
                shutil.rmtree(out)
            line = ", ".join(f"{k} {results[k][-1]['wall']:.2f} s" for k in names)
            print(f"  {gib:g} GiB run {run + 1}: {line}", flush=True)
        print(f"export of a {gib:g} GiB project ({n} × {FILE_MIB} MiB):")
        report[gib] = summarise("export", results, 2.0 if gib < 2 else 1.5, 300)
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["attach", "export"])
    ap.add_argument("--gib", default="1")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tree", action="append", default=[], help="NAME=PATH of a Dossier checkout (repeatable)")
    ap.add_argument("--dir", default="/tmp/dossier-bench-io")
    ap.add_argument("--keep", action="store_true", help="keep the projects for another run")
    a = ap.parse_args()
    trees = dict(t.split("=", 1) for t in a.tree) if a.tree else {"this": str(ROOT)}
    trees = {k: Path(v).resolve() for k, v in trees.items()}
    base = Path(a.dir)
    base.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    if a.what == "attach":
        a.gib = float(a.gib)
        bench_attach(a, trees, base)
    else:
        bench_export(a, trees, base)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if not a.keep:
        for p in base.glob("*.dossier"):
            p.unlink()


if __name__ == "__main__":
    main()
