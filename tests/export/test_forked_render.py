"""verify's PDF re-render in a forked child (desktop/export/forked_render.py, issue #17): its verdict
is used only for the very bytes the parent hashed; a child that dies, lies or is not needed any
more leaves the parent to decide, and is never left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import zipfile

import pytest

from desktop.export import forked_render
from desktop.export import verify as verify_mod
from desktop.export.verify import verify_package

from .conftest import rewrite_zip

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork is used on Linux only")


@pytest.fixture
def forking(monkeypatch):
    """Fork even though pytest runs helper threads (the child only renders); record the parent's
    own re-renders and every child forked."""
    monkeypatch.setattr(forked_render, "available", lambda: True)
    parent_renders: list[str] = []
    children: list[forked_render.ForkedRender] = []
    real = verify_mod._rerender

    def spy(*a, **k):
        if os.getpid() == me:
            parent_renders.append(threading.current_thread().name)
        return real(*a, **k)

    real_init = forked_render.ForkedRender.__init__

    def init(self, path):
        real_init(self, path)
        children.append(self)

    me = os.getpid()
    monkeypatch.setattr(verify_mod, "_rerender", spy)
    monkeypatch.setattr(forked_render.ForkedRender, "__init__", init)
    return parent_renders, children


def _reaped(child: forked_render.ForkedRender) -> bool:
    try:
        os.waitpid(child.pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _rerender_check(v):
    return next(c for c in v.checks if c.name == "PDF re-render")


def test_the_childs_verdict_is_used_and_the_child_is_reaped(exported, forking):
    parent_renders, children = forking
    v = verify_package(exported.zip_path)
    assert v.status == "intact"
    assert "exactly the rendering" in _rerender_check(v).detail
    assert len(children) == 1 and children[0].report["status"] == "match"
    assert parent_renders == []  # the parent never laid the PDF out
    assert _reaped(children[0])
    assert not any(t.name == "dossier-verify-forked-render" for t in threading.enumerate())


def test_an_edited_pdf_is_caught_by_the_child(exported, tmp_path, forking):
    from .test_document import edited_pdf_package

    parent_renders, children = forking
    bad = edited_pdf_package(exported, tmp_path / "bad.zip")
    v = verify_package(bad)
    assert v.status == "tampered"
    assert any(f.path == "data/submission.pdf" and "does not match its data" in f.detail for f in v.findings)
    assert children and children[0].report["status"] == "mismatch" and parent_renders == []


def test_a_report_for_other_bytes_is_not_trusted(exported, forking, monkeypatch):
    """The child says "match" for documents the parent did not hash: the parent renders itself."""
    parent_renders, children = forking
    real = forked_render._child_report

    def lying(path):
        rep = real(path)
        rep["docs"] = {k: "0" * 64 for k in rep["docs"]}
        return rep

    monkeypatch.setattr(forked_render, "_child_report", lying)  # the child is forked with it
    v = verify_package(exported.zip_path)
    assert children and children[0].report["status"] == "match"
    assert parent_renders == ["MainThread"]
    assert v.status == "intact" and "exactly the rendering" in _rerender_check(v).detail


def test_a_child_that_dies_leaves_the_render_to_the_parent(exported, forking, monkeypatch):
    parent_renders, children = forking
    monkeypatch.setattr(forked_render, "_child_report", lambda path: os._exit(3))
    v = verify_package(exported.zip_path)
    assert children and children[0].report is None
    assert parent_renders == ["MainThread"]
    assert v.status == "intact" and "exactly the rendering" in _rerender_check(v).detail
    assert _reaped(children[0])


def test_a_failed_package_ends_the_child(exported, tmp_path, forking, monkeypatch):
    """An evidence file that does not match: no re-render is needed, so a child still at work
    (here: one that would never finish) is killed and reaped before verify returns."""
    parent_renders, children = forking
    ev = next(n for n in zipfile.ZipFile(exported.zip_path).namelist() if "/data/evidence/" in n)
    bad = rewrite_zip(exported.zip_path, tmp_path / "bad.zip",
                      lambda items: [(zi, d[:-1] + bytes([d[-1] ^ 1]) if zi.filename == ev else d) for zi, d in items])
    monkeypatch.setattr(forked_render, "_child_report", lambda path: signal.pause())
    v = verify_package(bad)
    assert v.status == "tampered"
    assert children and _reaped(children[0]) and parent_renders == []


def test_no_fork_beside_other_threads_or_when_turned_off(monkeypatch):
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert forked_render.available() is False  # a fork beside running threads is not safe
    finally:
        stop.set()
        t.join()
    monkeypatch.setenv("DOSSIER_NO_FORK", "1")
    assert forked_render.available() is False


def test_the_cli_forks_and_reports_the_rerender(exported, tmp_path):
    """A fresh `dossier verify` runs one thread when it starts: the re-render is forked."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    probe = ("import sys; from desktop.export import forked_render as f; r = f.ForkedRender.__init__\n"
             "def init(self, p):\n    r(self, p); print('forked', file=sys.stderr)\n"
             "f.ForkedRender.__init__ = init\nfrom desktop.cli import main; sys.exit(main(sys.argv[1:]))")
    p = subprocess.run([sys.executable, "-c", probe, "verify", str(exported.zip_path)], capture_output=True,
                       text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "forked" in p.stderr
    assert "exactly the rendering" in p.stdout
