"""The desk's re-renders run in worker processes (desktop/review/renderpool.py) and give exactly
the verdict verify gives in-process: a match for an honest package, TAMPERED for a PDF edited
with its manifests recomputed; a pool that cannot run falls back to rendering in the thread."""

from __future__ import annotations

import os

import pytest

from desktop.export.verify import render_in_process, verify_package
from desktop.review import Review, add_packages
from desktop.review import renderpool
from tests.export.test_document import _black_box, _recompute_manifests
from tests.export.conftest import rewrite_zip


def _spy(monkeypatch):
    calls = []
    real = renderpool.RenderPool.__call__

    def spy(self, path, listing, expect):
        res = real(self, path, listing, expect)
        calls.append((os.path.basename(str(path)), res))
        return res

    monkeypatch.setattr(renderpool.RenderPool, "__call__", spy)
    return calls


def _check(rec):
    return next(c for c in rec.verdict["checks"] if c["name"] == "PDF re-render")


def test_intake_renders_in_worker_processes(packages, review_path, tmp_path, monkeypatch):
    calls = _spy(monkeypatch)
    root = None

    def mutate(items):
        nonlocal root
        root = items[0][0].filename.split("/", 1)[0]
        items = [(zi, _black_box(d) if zi.filename == f"{root}/data/submission.pdf" else d) for zi, d in items]
        return _recompute_manifests(items)

    forged = rewrite_zip(packages.a, tmp_path / "forged.zip", mutate)
    with Review.open(review_path) as rv:
        res = add_packages(rv, [packages.a, forged])
        by = {p.source_name: p for p in res.added}
    assert {n for n, _r in calls} == {"a.zip", "forged.zip"}
    assert all(r is not None for _n, r in calls), calls  # rendered there, not in the fallback
    assert by["a.zip"].status == "intact" and _check(by["a.zip"])["ok"]
    assert by["forged.zip"].status == "tampered" and not _check(by["forged.zip"])["ok"]
    # what the worker said is what verify says in-process
    assert _check(by["a.zip"]) == next(c.__dict__ for c in verify_package(packages.a).checks if c.name == "PDF re-render")


def test_a_worker_that_cannot_read_the_same_bytes_declines(packages, tmp_path):
    v = verify_package(packages.a, rerender=lambda *a: None)  # declines: rendered in the thread
    assert v.status == "intact"
    assert render_in_process(str(tmp_path / "gone.zip"), b"", {"data/answers.json": "0" * 64}) is None
    assert render_in_process(str(packages.a), b"", {"data/answers.json": "0" * 64}) is None  # other bytes


def test_a_broken_pool_falls_back_to_the_thread(packages, review_path, monkeypatch):
    def broken(self):
        self._broken = True
        return None

    monkeypatch.setattr(renderpool.RenderPool, "_get", broken)
    with Review.open(review_path) as rv:
        (p,) = add_packages(rv, [packages.a]).added
    assert p.status == "intact" and _check(p)["ok"]


def test_packages_this_build_cannot_render_start_no_worker(packages, tmp_path, monkeypatch):
    """A package of another build says "cannot re-render" at once: no process is started for it."""
    import desktop.export.rerender as rr

    calls = _spy(monkeypatch)
    monkeypatch.setattr(rr, "made_here", lambda answers: False)
    pool = renderpool.RenderPool(1)
    try:
        v = verify_package(packages.a, rerender=pool)
    finally:
        pool.close()
    assert v.status == "intact" and calls == [] and pool._pool is None


@pytest.mark.skipif(os.name == "nt", reason="kill -9 of the parent: POSIX")
def test_workers_end_when_the_desk_is_killed(tmp_path):
    """A crash of the desk (kill -9) must not leave workers behind: they would hold its pipes open
    and whoever reads them to the end (a terminal, a supervisor, the crash tests) would hang."""
    import signal
    import subprocess
    import sys

    code = ("import os, sys\n"
            "from desktop.review.renderpool import RenderPool\n"
            "p = RenderPool(1)\n"
            "print(p._get().submit(os.getpid).result(), flush=True)\n"
            "sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    worker = int(proc.stdout.readline())
    assert worker != proc.pid
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # the worker's copies of the pipes are closed: it has ended


def test_packages_are_read_ahead_while_the_processes_lay_out(packages, review_path, tmp_path, monkeypatch):
    """With one re-render process, PIPELINE more packages are opened and hashed meanwhile: with one
    package per process, the process waited for the next package to be opened (issue #10)."""
    import shutil
    import threading

    from desktop.review import intake

    copies = []
    for i in range(1 + intake.PIPELINE):  # one per thread (a copy is a duplicate, verified all the same)
        copies.append(tmp_path / f"c{i}.zip")
        shutil.copyfile(packages.a, copies[-1])
    lock = threading.Lock()
    now = peak = 0
    real = intake.check_one

    def counting(*a, **k):
        nonlocal now, peak
        with lock:
            now += 1
            peak = max(peak, now)
        try:
            return real(*a, **k)
        finally:
            with lock:
                now -= 1

    monkeypatch.setattr(intake, "check_one", counting)
    started = threading.Barrier(1 + intake.PIPELINE, timeout=30)
    real_call = renderpool.RenderPool.__call__

    def render_when_all_are_in(self, *a, **k):
        started.wait()  # every package in flight has reached its re-render before the first one runs
        return real_call(self, *a, **k)

    monkeypatch.setattr(renderpool.RenderPool, "__call__", render_when_all_are_in)
    with Review.open(review_path) as rv:
        res = add_packages(rv, copies, workers=1)
    assert len(res.added) == len(copies)
    assert peak == 1 + intake.PIPELINE  # (with one package per process the barrier would break)
