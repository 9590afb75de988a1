"""Two ways to run out of disk in tests.

- `small_fs(size)`: a real tmpfs of `size` bytes (needs root and mount(8): skipped cleanly
  elsewhere, e.g. on CI runners);
- `run_cli_limited(args, limit)`: the `dossier` CLI in a child process whose file-size limit
  (RLIMIT_FSIZE) makes any write past `limit` bytes fail as on a full disk (works for any user on
  Linux/macOS: the kernel refuses the write with EFBIG, SQLite sees an I/O error, Python an OSError).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def small_fs(size: int):
    if os.name != "posix" or not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root and mount(8)")
    d = Path(tempfile.mkdtemp(prefix="dossier-test-fs-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(d)], capture_output=True, text=True)
    if r.returncode != 0:
        d.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield d
    finally:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)
        with contextlib.suppress(OSError):
            d.rmdir()


def _limit(limit: int):
    def pre():
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def run_cli_limited(args: list, limit: int | None, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    if sys.platform == "win32":
        pytest.skip("RLIMIT_FSIZE is POSIX")
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "desktop.cli", *map(str, args)], capture_output=True, text=True,
                          env=e, timeout=timeout, preexec_fn=_limit(limit) if limit else None)
