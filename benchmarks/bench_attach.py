"""Attach 1 GiB of evidence (100 × 10 MiB) vs `sha256sum` + `cp` of the same files, same disk, same run.

Target (issue #2): wall time ≤ 1.5 × (sha256sum + cp); peak RSS ≤ 150 MB.
Usage: .venv/bin/python benchmarks/bench_attach.py [--count 100] [--size-mib 10] [--dir /tmp/dossier-bench]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import make_files, run_measured  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--size-mib", type=int, default=10)
    ap.add_argument("--dir", default="/tmp/dossier-bench")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    base = Path(a.dir)
    src = base / "src"
    files = make_files(src, a.count, a.size_mib << 20)
    total = sum(f.stat().st_size for f in files)
    py = sys.executable
    rows = []
    for run in range(a.runs):
        # baseline: sha256sum of every file, then cp of every file to the same disk
        dest = base / "cp"
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir()
        t0 = time.perf_counter()
        run_measured(["sha256sum", *map(str, files)])
        run_measured(["cp", *map(str, files), str(dest)])
        baseline = time.perf_counter() - t0
        shutil.rmtree(dest)
        proj = base / "bench.dossier"
        proj.unlink(missing_ok=True)
        run_measured([py, "-m", "desktop.cli", "new", str(proj), "--program", "gx-city-consortium"])
        t_attach, rss = run_measured([py, "-m", "desktop.cli", "attach", str(proj), *map(str, files), "--indicator", "1.1"])
        rows.append((baseline, t_attach, rss))
        print(f"run {run + 1}: baseline sha256sum+cp {baseline:.2f} s, dossier attach {t_attach:.2f} s "
              f"(ratio {t_attach / baseline:.2f}), peak RSS {rss:.0f} MiB")
        proj.unlink()
    best = min(rows, key=lambda r: r[1] / r[0])
    med = sorted(rows, key=lambda r: r[1] / r[0])[len(rows) // 2]
    print(f"{total / 2**30:.2f} GiB in {a.count} files: median ratio {med[1] / med[0]:.2f} (best {best[1] / best[0]:.2f}); "
          f"max peak RSS {max(r[2] for r in rows):.0f} MiB; targets: ratio ≤ 1.5, RSS ≤ 150 MB")


if __name__ == "__main__":
    main()
