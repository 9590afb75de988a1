"""Temp files and folders a killed run left behind are removed on a later run — only ours, only
stale, never one another running instance still holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from desktop import housekeeping
from desktop.fsutil import HeldTemp, HeldTempDir, TEMP_SUFFIX
from desktop.project import Project
from tests.core.helpers import program

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock-based holding is POSIX (Windows: open files cannot be deleted)")


@pytest.fixture(autouse=True)
def fresh_scan(monkeypatch):
    """As in a process that has just started (the test process may be running for minutes)."""
    housekeeping.forget()
    monkeypatch.setattr(housekeeping, "PROCESS_START", time.time())
    yield
    housekeeping.forget()


def _age(p: Path, seconds: float) -> Path:
    t = time.time() - seconds
    os.utime(p, (t, t))
    return p


def _holder(path: Path) -> subprocess.Popen:
    """Another process that holds `path` the way a running Dossier holds its temp file."""
    code = textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(path)!r}, os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep(60)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_stale_temp_files_beside_a_project_are_removed_on_open(tmp_path):
    path = tmp_path / "p.dossier"
    Project.create(path, program(), "甲").close()
    stale = tmp_path / f".p.dossier.abcd1234{TEMP_SUFFIX}"
    stale.write_bytes(b"half a project")
    _age(stale, 10)
    stale_journal = tmp_path / f".q.dossier.zzzz9999{TEMP_SUFFIX}-journal"  # its temp project is gone
    stale_journal.write_bytes(b"j")
    _age(stale_journal, 10)
    legacy_old = tmp_path / ".report.pdf.k2j4h5g6.part"
    legacy_old.write_bytes(b"x")
    _age(legacy_old, 2 * 3600)
    legacy_young = tmp_path / ".report.pdf.a1b2c3d4.part"
    legacy_young.write_bytes(b"x")
    _age(legacy_young, 60)
    fresh = tmp_path / f".p.dossier.fresh123{TEMP_SUFFIX}"
    fresh.write_bytes(b"x")  # written after this process started: may belong to a run that began after us
    os.utime(fresh, (housekeeping.PROCESS_START + 1, housekeeping.PROCESS_START + 1))
    held_file = tmp_path / f".out.zip.held1234{TEMP_SUFFIX}"
    held_file.write_bytes(b"being written")
    _age(held_file, 10)
    not_ours = [tmp_path / ".firefox.part", tmp_path / "movie.mp4.part", tmp_path / ".notes.txt.swp"]
    for p in not_ours:
        p.write_bytes(b"x")
        _age(p, 2 * 3600)
    h = _holder(held_file)
    housekeeping.forget()  # (creating the project scanned the folder already; once per process is enough)
    try:
        Project.open(path).close()
    finally:
        h.kill()
        h.wait()
    assert not stale.exists() and not stale_journal.exists() and not legacy_old.exists()
    assert legacy_young.exists() and fresh.exists() and held_file.exists()
    assert all(p.exists() for p in not_ours)
    assert path.exists()


def test_temp_files_this_process_holds_are_never_removed(tmp_path):
    t = HeldTemp(tmp_path / "out.zip")
    _age(t.path, 10)
    try:
        assert housekeeping.clean_folder(tmp_path) == []
        assert t.path.exists()
    finally:
        t.release(remove=True)
    assert not t.path.exists()


def test_stale_private_temp_folders_are_removed_at_start(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = HeldTempDir("verify")
    (dead.path / "submission.pdf").write_bytes(b"%PDF private copy")
    dead._fd and os.close(dead._fd)  # its process died: nobody holds the lock any more
    dead._fd = None
    for p in dead.path.iterdir():
        _age(p, 10)
    _age(dead.path, 10)
    alive = HeldTempDir("verify")  # this process: still verifying
    (alive.path / "submission.pdf").write_bytes(b"%PDF")
    for p in [*alive.path.iterdir(), alive.path]:
        _age(p, 10)
    legacy = tmp_path / "dossier-seal-q1w2e3r4"
    legacy.mkdir()
    (legacy / "font.ttf").write_bytes(b"x")
    for p in [legacy / "font.ttf", legacy]:
        _age(p, 2 * 3600)
    other = tmp_path / "dossierish-stuff"
    other.mkdir()
    try:
        removed = housekeeping.clean_temp_root()
    finally:
        alive.cleanup()
    assert dead.path in removed and not dead.path.exists()
    assert not legacy.exists()
    assert other.exists()


def test_a_killed_export_leaves_a_temp_file_that_the_next_run_removes(tmp_path, demo_copy):
    """SIGKILL an export while it writes its zip; the temp file it leaves is gone after the next command."""
    from desktop.project import Project as P

    with P.open(demo_copy) as p:
        big = tmp_path / "big.pdf"
        big.write_bytes(b"%PDF-1.4\n" + os.urandom(60 << 20))
        p.attach(big, "1.1")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", "export", str(demo_copy), "--out", str(out),
                             "--allow-incomplete"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        parts = [p for p in out.iterdir() if ".zip." in p.name and p.name.endswith(TEMP_SUFFIX)]
        if parts and parts[0].stat().st_size > (8 << 20):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    left = [p for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert left, "the kill came too late to leave a temp file"
    assert not [p for p in out.iterdir() if p.suffix in (".zip", ".pdf")]  # nothing under a final name
    for p in left:
        _age(p, 5)
    r = subprocess.run([sys.executable, "-m", "desktop.cli", "export", str(demo_copy), "--out", str(out),
                        "--allow-incomplete"], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert len([p for p in out.iterdir() if p.suffix == ".zip"]) == 1
