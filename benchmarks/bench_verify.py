"""`dossier verify` of a 1 GiB package vs `sha256sum -c manifest-sha256.txt` in the unpacked bag.

Target (issue #4): verify ≤ 1.5 × sha256sum -c of the same files, same run (page cache warm).
Both the zip (read straight from the archive) and the unpacked folder are verified.

Usage: .venv/bin/python benchmarks/bench_verify.py [--dir /tmp/dossier-bench-export] [--runs 3]
Needs the 1 GiB package made by bench_export.py (it is made here if missing).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_export import bench_big, run_child  # noqa: E402

CHILD = ("import sys; from desktop.export.verify import verify_package; v = verify_package(sys.argv[1]); "
         "print(v.status); sys.exit(v.exit_code)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/dossier-bench-export")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gib", type=float, default=1.0)
    a = ap.parse_args()
    base = Path(a.dir)
    base.mkdir(parents=True, exist_ok=True)
    out = base / f"out-{a.gib:g}GiB"
    zips = sorted(out.glob("*.zip")) if out.exists() else []
    if not zips:
        print("making the package with bench_export.py …", flush=True)
        bench_big(base, [a.gib], 16, 1)
        zips = sorted(out.glob("*.zip"))
    pkg = zips[0]
    unpacked = base / f"unpacked-{a.gib:g}GiB"
    if not unpacked.exists():
        with zipfile.ZipFile(pkg) as z:
            z.extractall(unpacked)
    (bag,) = [p for p in unpacked.iterdir() if p.is_dir()]
    size = sum(p.stat().st_size for p in (bag / "data").rglob("*") if p.is_file())
    py = sys.executable
    rows = []
    for run in range(a.runs):
        t0 = time.perf_counter()
        subprocess.run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=bag, check=True)
        base_s = time.perf_counter() - t0
        t_zip, rss_zip, o1 = run_child([py, "-c", CHILD, str(pkg)])
        t_dir, rss_dir, o2 = run_child([py, "-c", CHILD, str(bag)])
        assert o1.strip() == o2.strip() == "intact", (o1, o2)
        rows.append((base_s, t_zip, t_dir, max(rss_zip, rss_dir)))
        print(f"  run {run + 1}: sha256sum -c {base_s:.2f} s; verify zip {t_zip:.2f} s (ratio {t_zip / base_s:.2f}), "
              f"verify folder {t_dir:.2f} s (ratio {t_dir / base_s:.2f}); peak RSS {max(rss_zip, rss_dir):.0f} MiB", flush=True)
    r_zip = statistics.median(r[1] / r[0] for r in rows)
    r_dir = statistics.median(r[2] / r[0] for r in rows)
    print(f"{size / 2**30:.2f} GiB payload: median ratio zip {r_zip:.2f}, folder {r_dir:.2f}; "
          f"max peak RSS {max(r[3] for r in rows):.0f} MiB — target ≤ 1.5")
    shutil.rmtree(unpacked, ignore_errors=True) if "--clean" in sys.argv else None


if __name__ == "__main__":
    main()
