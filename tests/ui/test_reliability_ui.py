"""A full disk in the desktop app: adding evidence or editing a field shows a dialog that says what
happened, the project on disk stays the last committed state, and the window stays usable."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3

import pytest

from desktop.errors import ProjectError
from desktop.programs import find_program
from desktop.project import Project
from tests.core.diskfull import small_fs


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _open(controller, path):
    win = controller.open_path(path)
    assert win is not None
    s = win.session
    ind = next(i for i in s.program.indicators() if i.evidence)
    win.show_indicator(ind.id)
    return win, s, ind


def _usable(win, s, path):
    """The window still edits and saves, and the file copied alone is sound."""
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "text")
    s.edit(fld.path, "磁盘满之后")
    assert s.value(fld.path) == "磁盘满之后"
    assert not os.path.exists(str(path) + "-journal")
    c = sqlite3.connect(path)
    try:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        c.close()
    with Project.open(path, readonly=True) as p:
        assert p.get(fld.path) == "磁盘满之后"


def test_real_full_disk_attach_and_edit(controller, qtbot, tmp_path, messages, monkeypatch):
    import desktop.project.evidence as ev_mod

    with small_fs(8 << 20) as fs:
        path = fs / "p.dossier"
        Project.create(path, find_program("gx-city-consortium"), "甲").close()
        win, s, ind = _open(controller, path)
        big = tmp_path / "big.pdf"
        big.write_bytes(b"%PDF-1.4\n" + os.urandom(12_000_000))
        before = _sha(path)
        # refused before anything is read, with the figures
        with qtbot.waitSignal(s.attachFinished, timeout=30000):
            win.evidence.add_files([big])
        assert messages and re.search(r"needs 12\.\d MB, \d\.\d MB free", messages[-1][1]), messages
        assert _sha(path) == before
        # the write itself fails in the worker: rolled back on disk, explained
        monkeypatch.setattr(ev_mod, "ensure_free_space", lambda *a, **k: None)
        n = len(messages)
        with qtbot.waitSignal(s.attachFinished, timeout=60000):
            win.evidence.add_files([big])
        assert len(messages) == n + 1 and "disk is full" in messages[-1][1] and "nothing was changed" in messages[-1][1]
        assert _sha(path) == before and s.evidence(ind.id) == []
        _usable(win, s, path)


def test_simulated_full_disk_attach_shows_a_dialog_and_the_window_stays_usable(controller, qtbot, tmp_path, messages,
                                                                                  monkeypatch):
    from desktop.project.evidence import EvidenceStore

    path = tmp_path / "p.dossier"
    Project.create(path, find_program("gx-city-consortium"), "甲").close()
    win, s, ind = _open(controller, path)
    real = EvidenceStore._store_blob

    def full(self, c, fh, size, mime, task):
        real(self, c, fh, size, mime, task)  # everything written into the transaction, then:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(EvidenceStore, "_store_blob", full)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"%PDF-1.4\n" + os.urandom(3_000_000))
    before = _sha(path)
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        win.evidence.add_files([f])
    assert messages and "disk is full" in messages[-1][1]
    assert _sha(path) == before and s.evidence(ind.id) == []
    monkeypatch.setattr(EvidenceStore, "_store_blob", real)
    _usable(win, s, path)
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        win.evidence.add_files([f])
    assert [e.name for e in s.evidence(ind.id)] == ["scan.pdf"]


def test_simulated_full_disk_edit_shows_a_dialog_and_keeps_the_old_value(controller, tmp_path, messages, monkeypatch):
    from desktop.project.answers import AnswersMixin

    path = tmp_path / "p.dossier"
    Project.create(path, find_program("gx-city-consortium"), "甲").close()
    win, s, _ind = _open(controller, path)
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "text")
    s.edit(fld.path, "已保存")
    real = AnswersMixin._write_value

    def full(self, *a, **k):
        real(self, *a, **k)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(AnswersMixin, "_write_value", full)
    before = _sha(path)
    with pytest.raises(ProjectError) as ei:
        s.edit(fld.path, "写不进去")
    assert ei.value.key == "disk.full"
    assert messages and "disk is full" in messages[-1][1]
    assert s.value(fld.path) == "已保存" and _sha(path) == before
    monkeypatch.setattr(AnswersMixin, "_write_value", real)
    _usable(win, s, path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_opening_a_fifo_shows_a_dialog_at_once(controller, tmp_path, messages):
    fifo = tmp_path / "x.dossier"
    os.mkfifo(fifo)
    assert controller.open_path(fifo) is None
    assert messages and "pipe (FIFO)" in messages[-1][1]
