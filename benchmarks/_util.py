"""Shared helpers for benchmark scripts: timing, peak RSS of a child process, test data."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Measure what a user runs: an installed Dossier has its bytecode compiled (pip compiles on
# install, the frozen app ships .pyc). A shell with PYTHONDONTWRITEBYTECODE set (this development
# machine has it) would make every child process compile the app's modules from source, ≈ 0.1 s
# of each command's start-up that no user pays.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS MiB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)},
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        sys.exit(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: run the measured child first
    return dt, max(after, before) / 1024


def make_files(directory: Path, count: int, size: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    block = os.urandom(1 << 20)
    for n in range(count):
        p = directory / f"证明材料-{n:04d}.bin"
        if not p.exists() or p.stat().st_size != size:
            with open(p, "wb") as fh:
                left = size
                salt = n.to_bytes(8, "little")
                while left > 0:
                    chunk = (salt + block)[: min(left, len(block))]
                    fh.write(chunk)
                    left -= len(chunk)
        files.append(p)
    return files


def drop_caches_hint() -> str:
    return "(page cache warm: every contender reads the same files right after each other)"
