"""The full crash battery: random SIGKILLs during every writing command (tests/core/crash_harness.py).

    .venv/bin/python scripts/crash_battery.py --kills 300 [--seed 0] [--dir /tmp/dossier-crash] [--only set,attach]

Prints one JSON line per workload and the total; exit 1 if any project was damaged, any
acknowledged edit lost, or any output under its final name incomplete.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.crash_harness import WORKLOADS, run_battery, summary  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--only", default="", help="comma-separated workload names")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    work = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="dossier-crash-"))
    if work.exists() and a.dir:
        shutil.rmtree(work)
    classes = [c for c in WORKLOADS if not a.only or c.name in a.only.split(",")]
    t0 = time.perf_counter()
    results = run_battery(a.kills, work, a.seed, classes, log=print if a.verbose else None)
    print(summary(results))
    print(f"{time.perf_counter() - t0:.0f} s; work folder {work}")
    bad = any(r.problems for r in results)
    if not bad and not a.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
