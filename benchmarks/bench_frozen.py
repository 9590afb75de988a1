"""Frozen app start-up (issue #14): time to the start window, the frozen bundle beside the venv.

    python benchmarks/bench_frozen.py [--dist dist/dossier] [--runs 7]

Each run is a new process: `dossier --self-check --startup-time` (installer/selfcheck.py: set up
Qt and the app, show the start window, paint it, print the time, quit) for the frozen app, and the
same code from the checkout for the venv, interleaved (frozen, venv, frozen, …) so that a change
in the machine's load hits both. Reported: the median and range of (a) the process age when the
start window was shown (Linux: from the exec of the process, so the bootloader counts) and (b)
the wall time from spawn to exit, measured here. One unmeasured run of each first fills the
caches a user's first start fills (compiled translations, checked definitions). Target ≤ 2 s.
"""

from __future__ import annotations

import argparse
import json
import os

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as benchmarks/_util.py: measure compiled bytecode, as users run it
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one(cmd: list[str], env: dict) -> tuple[float, float | None]:
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    line = [x for x in r.stdout.splitlines() if x.startswith("{")][-1]
    data = json.loads(line)
    return wall, data.get("process_s") or data["start_window_s"]


def fmt(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.2f} s (min {min(xs):.2f}, max {max(xs):.2f}, {len(xs)} runs)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", default=str(ROOT / "dist" / "dossier"))
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    exe = Path(a.dist) / ("dossier.exe" if sys.platform == "win32" else "dossier")
    if not exe.is_file():
        sys.exit(f"no frozen app at {exe}: build it first (python installer/build_linux.py, or pyinstaller installer/dossier.spec)")
    home = Path(tempfile.mkdtemp(prefix="bench-frozen-"))
    env = {**os.environ, "DOSSIER_HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "PYTHONPATH": str(ROOT)}
    frozen = [str(exe), "--self-check", "--startup-time"]
    venv = [sys.executable, str(ROOT / "installer" / "dossier_entry.py"), "--self-check", "--startup-time"]
    print(f"# frozen start-up — {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          f"(other jobs share this machine), QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}")
    for name, cmd in (("frozen", frozen), ("venv", venv)):
        # the first start in a new user folder fills the caches (definitions checked and parsed,
        # desktop/schema_check.py and desktop/programs/yaml_cache.py): reported, not counted
        wall, shown = one(cmd, env)
        print(f"{name:6}  first start in an empty user folder: start window shown {shown:.2f} s, spawn → exit {wall:.2f} s")
    res = {"frozen": ([], []), "venv": ([], [])}
    for _ in range(a.runs):
        for name, cmd in (("frozen", frozen), ("venv", venv)):
            wall, shown = one(cmd, env)
            res[name][0].append(shown)
            res[name][1].append(wall)
    for name in ("frozen", "venv"):
        shown, wall = res[name]
        print(f"{name:6}  start window shown: {fmt(shown)};  spawn → exit: {fmt(wall)}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
