"""The reviewer's desk (issue #10): intake of many packages, and sorting the comparison table.

1. Intake of N packages (default 200 × ~50 MiB ≈ 10 GiB) into a new review file, against
   `openssl dgst -sha256` over the same files (hashing is the floor), in the same run, paired and
   interleaved: openssl, intake with --link (verify + hash, no copy), intake copying the packages
   in (verify + copy), and `cp` of the same files into one folder on the same disk + `sync` (the
   physical floor of any copy). Target: intake ≤ 1.3 × openssl, peak RSS ≤ 300 MB.
2. The comparison table of 500 packages: building it, sorting it by every column in the core, and
   sorting it through the Qt view (QTableView.sortByColumn on the desk's model). Target ≤ 100 ms.

Usage: .venv/bin/python benchmarks/bench_review.py [--dir /tmp/dossier-bench-review] [--packages 200]
           [--mib 50] [--runs 3] [--only intake|table] [--modes link,copy]
A mode `link+cachedefs` (or `copy+cachedefs`) runs the same intake with a what-if patch: the parsed
program.yaml cached across packages (verify parses it once per package today). A mode `link+norender`
runs every check but the PDF re-render (what-if, not shipped): what the intake costs beyond it.
Peak RSS is the desk's process's; "all processes together" adds its re-render processes (sampled
from /proc every 0.1 s: RSS counts shared pages in each process, PSS shares them out).
Packages are generated once with the real export (each a different applicant) and reused.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as benchmarks/_util.py: measure compiled bytecode, as users run it
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, time
if os.environ.get("BENCH_CACHE_DEFINITIONS"):
    # what-if (not the shipped behaviour): verify parses the same program.yaml once per package;
    # cache the parsed YAML by its text to see what that costs
    import functools, copy
    from desktop.programs import yaml_io, loader
    cached = functools.lru_cache(maxsize=8)(yaml_io.load_yaml)
    loader.load_yaml = lambda text: copy.deepcopy(cached(text))
if os.environ.get("BENCH_NO_RERENDER"):
    # what-if (not the shipped behaviour): every check of verify but the PDF re-render, to show
    # what the intake costs beyond it
    import desktop.export.verify as _verify
    _orig = _verify.verify_package
    _verify.verify_package = lambda p, **kw: _orig(p, **{**kw, "rerender": False})
peak = {"rss": 0, "pss": 0}
def _sample():
    # the desk's process and its re-render processes together (Linux /proc), every 0.1 s
    import threading
    def kb(pid, key):
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0
    def loop():
        me = os.getpid()
        while True:
            pids = [me]
            try:
                for tid in os.listdir(f"/proc/{me}/task"):
                    pids += [int(x) for x in open(f"/proc/{me}/task/{tid}/children").read().split()]
            except OSError:
                pass
            peak["rss"] = max(peak["rss"], sum(kb(p, "Rss:") for p in pids))
            peak["pss"] = max(peak["pss"], sum(kb(p, "Pss:") for p in pids))
            time.sleep(0.1)
    if os.path.exists("/proc/self/smaps_rollup"):
        threading.Thread(target=loop, daemon=True).start()
_sample()
from desktop.review import Review, add_packages
t0 = time.perf_counter()
rv = Review.create(sys.argv[1], "bench", "gx-city-consortium")
res = add_packages(rv, [sys.argv[2]], link=sys.argv[3] == "link")
rv.close()
ru = resource.getrusage(resource.RUSAGE_SELF)
rc = resource.getrusage(resource.RUSAGE_CHILDREN)  # the re-render worker processes (desktop/review/renderpool.py)
print(json.dumps({"seconds": time.perf_counter() - t0, "added": len(res.added), "refused": len(res.refused),
                  "rss_mib": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime + rc.ru_utime + rc.ru_stime,
                  "render_rss_mib": rc.ru_maxrss / 1024, "all_rss_mib": peak["rss"] / 1024,
                  "all_pss_mib": peak["pss"] / 1024}))
"""


def _big_pdf(path: Path, size: int, seed: int) -> None:
    """A PDF-looking file of `size` bytes (a valid header and trailer around incompressible bytes)."""
    block = os.urandom(1 << 20)
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        left = size - 64
        salt = seed.to_bytes(8, "little")
        while left > 0:
            chunk = (salt + block)[: min(left, 1 << 20)]
            fh.write(chunk)
            left -= len(chunk)
        fh.write(b"\n%%EOF\n")


def make_packages(base: Path, n: int, mib: int) -> list[Path]:
    out = base / f"packages-{n}x{mib}MiB"
    have = sorted(out.glob("*.zip")) if out.exists() else []
    if len(have) >= n:
        return have[:n]
    from desktop.demo import make_demo
    from desktop.export import export_project
    from desktop.programs import find_program
    from desktop.project import Project

    out.mkdir(parents=True, exist_ok=True)
    proj_path = base / "bench-project.dossier"
    if proj_path.exists():
        proj_path.unlink()
    prog = find_program("gx-city-consortium")
    proj = make_demo(prog, proj_path)
    try:
        big = base / "large-evidence.pdf"
        _big_pdf(big, mib << 20, 1)
        ind = next(i for i in prog.indicators() if any("pdf" in (s.accept or ["pdf"]) for s in i.evidence))
        slot = next(s for s in ind.evidence if "pdf" in (s.accept or ["pdf"]))
        proj.attach(big, ind.id, slot.id, name="园区产值统计（扫描件）.pdf")
        big.unlink()
    finally:
        proj.close()
    t0 = _dt.datetime(2025, 3, 1, 9, 0, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
    for i in range(len(have), n):
        with Project.open(proj_path) as p:
            p.set_applicant(f"申报单位{i:03d}", f"Applicant {i:03d}")
        when = t0 + _dt.timedelta(minutes=i)
        export_project(proj_path, out, clock=lambda when=when: when)
        for pdf in out.glob("*.pdf"):
            pdf.unlink()
        if (i + 1) % 10 == 0:
            print(f"  made {i + 1}/{n} packages", flush=True)
    proj_path.unlink()
    return sorted(out.glob("*.zip"))[:n]


def _free(path: Path) -> int:
    return shutil.disk_usage(path).free


def _warm(files: list[Path]) -> None:
    for f in files:
        with open(f, "rb") as fh:
            while fh.read(8 << 20):
                pass


def bench_intake(base: Path, n: int, mib: int, runs: int, modes: list[str]) -> None:
    print(subprocess.run(["df", "-h", "/tmp", str(base)], capture_output=True, text=True).stdout)
    need = n * (mib + 1) << 20
    if _free(base) < need * (2.2 if "copy" in modes else 1.1):
        sys.exit(f"not enough free space in {base}: need about {need * 2.2 / 2**30:.1f} GiB")
    files = make_packages(base, n, mib)
    folder = files[0].parent
    total = sum(f.stat().st_size for f in files)
    print(f"{len(files)} packages, {total / 2**30:.2f} GiB in {folder}", flush=True)
    work = base / "run"
    results: dict[str, list] = {"openssl": [], "cp": [], **{m: [] for m in modes}}
    rss: dict[str, list] = {m: [] for m in modes}
    all_rss: dict[str, list] = {m: [] for m in modes}
    cpu: dict[str, list] = {m: [] for m in modes}
    cpu["openssl"] = []
    for run in range(runs):
        _warm(files)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(["openssl", "dgst", "-sha256", *map(str, files)], check=True, stdout=subprocess.DEVNULL)
        results["openssl"].append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu["openssl"].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        line = [f"run {run + 1}: openssl {results['openssl'][-1]:.1f} s (CPU {cpu['openssl'][-1]:.1f} s)"]
        for m in modes:
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            mode, _, what_if = m.partition("+")
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            if what_if == "cachedefs":
                env["BENCH_CACHE_DEFINITIONS"] = "1"
            elif what_if == "norender":
                env["BENCH_NO_RERENDER"] = "1"
            r = subprocess.run([sys.executable, "-c", CHILD, str(work / "bench.dreview"), str(folder), mode],
                               env=env, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(r.stderr)
            d = json.loads(r.stdout.strip().splitlines()[-1])
            assert d["added"] == len(files) and d["refused"] == 0, d
            results[m].append(d["seconds"])
            rss[m].append(d["rss_mib"])
            cpu[m].append(d["cpu"])
            line.append(f"intake {m} {d['seconds']:.1f} s ({d['seconds'] / results['openssl'][-1]:.2f}×, "
                        f"CPU {d['cpu']:.1f} s with the re-render processes, RSS {d['rss_mib']:.0f} MiB"
                        + (f", largest re-render process {d['render_rss_mib']:.0f} MiB" if d.get("render_rss_mib") else "")
                        + (f"; all processes together: RSS {d['all_rss_mib']:.0f} MiB, PSS {d['all_pss_mib']:.0f} MiB"
                           if d.get("all_rss_mib") else "")
                        + ")")
            all_rss[m].append(d.get("all_rss_mib") or 0)
        shutil.rmtree(work, ignore_errors=True)
        if "copy" in modes:
            work.mkdir()
            t = time.perf_counter()
            subprocess.run(["cp", *map(str, files), str(work)], check=True)
            subprocess.run(["sync"], check=True)
            results["cp"].append(time.perf_counter() - t)
            line.append(f"cp+sync {results['cp'][-1]:.1f} s")
            shutil.rmtree(work, ignore_errors=True)
        print("  " + "; ".join(line), flush=True)
    o = results["openssl"]
    print(f"openssl dgst -sha256: median {statistics.median(o):.1f} s (range {min(o):.1f}–{max(o):.1f}); "
          f"CPU median {statistics.median(cpu['openssl']):.1f} s")
    for m in modes:
        ratios = [a / b for a, b in zip(results[m], o)]
        cratios = [a / b for a, b in zip(cpu[m], cpu["openssl"])]
        print(f"intake ({m}): median {statistics.median(results[m]):.1f} s (range {min(results[m]):.1f}–"
              f"{max(results[m]):.1f}); ratio to openssl median {statistics.median(ratios):.2f} "
              f"(range {min(ratios):.2f}–{max(ratios):.2f}); CPU {statistics.median(cpu[m]):.1f} s = "
              f"{statistics.median(cratios):.2f}× openssl's CPU; peak RSS max {max(rss[m]):.0f} MiB"
              + (f" (all processes together {max(all_rss[m]):.0f} MiB)" if max(all_rss[m]) else ""))
    if results["cp"]:
        c = results["cp"]
        ratios = [a / b for a, b in zip(results["copy"], c)]
        print(f"cp + sync: median {statistics.median(c):.1f} s (range {min(c):.1f}–{max(c):.1f}); "
              f"intake (copy) / cp+sync median {statistics.median(ratios):.2f}")


def bench_table(base: Path, rows: int, runs: int) -> None:
    """500 packages in a review file: one real package's record, cloned with varied values."""
    import json as _json
    import random
    import sqlite3

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.review import Review, add_packages
    from desktop.review.table import comparison

    files = make_packages(base, 1, 1)
    path = base / "table.dreview"
    if path.exists():
        path.unlink()
    with Review.create(path, "table", "gx-city-consortium") as rv:
        add_packages(rv, files[:1])
        (rec,) = rv.packages(full=True)
        prog_fields = None
        from desktop.review.recheck import installed_program

        prog, _ = installed_program(rec.program_id, rec.program_version)
        prog_fields = [f for f in prog.fields.values() if f.type in ("integer", "number", "percent")]
    c = sqlite3.connect(path)
    cols = [r[1] for r in c.execute("PRAGMA table_info(packages)")][1:]
    row = c.execute(f"SELECT {', '.join(cols)} FROM packages WHERE id=1").fetchone()
    rnd = random.Random(1)
    states = ["received", "in_review", "returned", "accepted", "not_accepted"]
    c.execute("BEGIN")
    for i in range(2, rows + 1):
        d = dict(zip(cols, row))
        doc = _json.loads(d["answers"])
        for f in prog_fields:
            doc["answers"][f.path] = round(rnd.uniform(0, 5000), 1) if f.type != "integer" else rnd.randint(0, 500)
        d.update(uid=f"u{i}", applicant=f"申报单位{i:03d}", answers=_json.dumps(doc, ensure_ascii=False),
                 file_sha256=f"{i:064x}", state=rnd.choice(states), signature_status=rnd.choice(["unsigned", "trusted"]))
        c.execute(f"INSERT INTO packages({', '.join(d)}) VALUES ({', '.join('?' * len(d))})", list(d.values()))
    c.execute("COMMIT")
    c.close()
    with Review.open(path, readonly=True) as rv:
        t = time.perf_counter()
        table = comparison(rv, lang="zh")
        build = time.perf_counter() - t
        core = []
        for _ in range(runs):
            for col in range(len(table.columns)):
                t = time.perf_counter()
                table.sort_order(col, bool(col % 2))
                core.append(time.perf_counter() - t)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop.ui.review.models import ComparisonModel

    app = QApplication.instance() or QApplication([])
    model = ComparisonModel()
    model.set_table(table)
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.verticalHeader().setVisible(False)  # as on the desk
    view.resize(1366, 700)
    view.show()
    app.processEvents()
    qt = []
    for _ in range(runs):
        for col in range(len(table.columns)):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                t = time.perf_counter()
                view.sortByColumn(col, order)
                app.processEvents()  # the repaint of the visible rows is part of what the user waits for
                qt.append(time.perf_counter() - t)
    paint = []
    for _ in range(runs * 20):
        t = time.perf_counter()
        view.viewport().repaint()  # the same repaint without a sort: what drawing the visible cells costs
        paint.append(time.perf_counter() - t)
    print(f"comparison table: {len(table.rows)} rows × {len(table.columns)} columns, built in {build * 1000:.0f} ms")
    print(f"sort in the core: median {statistics.median(core) * 1000:.2f} ms, max {max(core) * 1000:.2f} ms "
          f"({len(core)} sorts)")
    print(f"sort in the view (sortByColumn + repaint): median {statistics.median(qt) * 1000:.1f} ms, "
          f"max {max(qt) * 1000:.1f} ms ({len(qt)} sorts); a repaint alone: median {statistics.median(paint) * 1000:.1f} ms")
    path.unlink()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/dossier-bench-review")
    ap.add_argument("--packages", type=int, default=200)
    ap.add_argument("--mib", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--only", choices=["intake", "table"], default=None)
    ap.add_argument("--modes", default="link,copy")
    a = ap.parse_args()
    base = Path(a.dir)
    base.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DOSSIER_HOME", str(base / "home"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (shared machine)", flush=True)
    if a.only in (None, "table"):
        bench_table(base, a.rows, a.runs)
    if a.only in (None, "intake"):
        bench_intake(base, a.packages, a.mib, a.runs, [m for m in a.modes.split(",") if m])


if __name__ == "__main__":
    main()
