"""A full disk never tears the project: after a failed write the file on disk is the last committed
state *before the command returns* (no hot journal left beside it, a copy of the file alone is
sound); large writes are refused early with the figures; a damaged file is never validated or
exported as if sound.

Two kinds of full disk: a real small tmpfs (where the runner may mount; skipped elsewhere) and a
file-size limit on a child process (everywhere on POSIX; see tests/core/diskfull.py)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.errors import DossierError, ProjectError
from desktop.project import Project
from tests.core.diskfull import ROOT, run_cli_limited, small_fs
from tests.core.helpers import program

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file-size limits and mounts")


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("dossier: "), err
    assert "Traceback" not in err and "unexpected" not in err, err
    return err


def sound_alone(path: Path, tmp: Path) -> None:
    """The file copied alone (the USB-stick case) is a sound project."""
    assert not Path(str(path) + "-journal").exists(), "a journal was left beside the file"
    copy = tmp / ("copy-" + path.name)
    shutil.copyfile(path, copy)
    c = sqlite3.connect(copy)
    try:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        c.close()
    with Project.open(copy) as p:
        p.check_integrity()
    copy.unlink()


def rand_file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


@pytest.fixture
def proj_path(tmp_path) -> Path:
    p = tmp_path / "p.dossier"
    with Project.create(p, program(), "甲") as proj:
        proj.set("1.1/name", "已保存")
        proj.attach(rand_file(tmp_path / "first.pdf", 300_000), "1.1")
    return p


# ------------------------------------------------------------------ simulated: a file-size limit


def test_attach_with_disk_full_leaves_the_file_exactly_as_committed(proj_path, tmp_path):
    before = sha(proj_path)
    big = rand_file(tmp_path / "big.pdf", 8_000_000)
    r = run_cli_limited(["attach", proj_path, big, "--indicator", "1.1"], limit=proj_path.stat().st_size + 2_000_000)
    assert r.returncode == 2
    assert "nothing was changed" in one_line(r.stderr)
    assert sha(proj_path) == before  # rolled back on disk before the command returned
    sound_alone(proj_path, tmp_path)
    with Project.open(proj_path) as p:
        assert [e.name for e in p.evidence()] == ["first.pdf"] and p.get("1.1/name") == "已保存"


def test_set_with_disk_full_leaves_the_file_exactly_as_committed(proj_path, tmp_path):
    before = sha(proj_path)
    r = run_cli_limited(["set", proj_path, "1.1/intro", "长" * 40_000], limit=proj_path.stat().st_size + 30_000)
    assert r.returncode == 2
    assert "nothing was changed" in one_line(r.stderr)
    assert sha(proj_path) == before
    sound_alone(proj_path, tmp_path)


def test_export_with_disk_full_writes_nothing_and_keeps_the_project(proj_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with Project.open(proj_path) as p:
        p.attach(rand_file(tmp_path / "second.pdf", 4_000_000), "1.1")
    before = sha(proj_path)
    r = run_cli_limited(["export", proj_path, "--out", out, "--allow-incomplete"], limit=2_000_000)
    assert r.returncode == 2
    assert "disk" in one_line(r.stderr).lower() and "nothing was written" in r.stderr
    assert os.listdir(out) == []  # no output, no temp file
    assert sha(proj_path) == before
    sound_alone(proj_path, tmp_path)


def test_extract_with_disk_full_writes_nothing(proj_path, tmp_path):
    with Project.open(proj_path) as p:
        eid = p.attach(rand_file(tmp_path / "second.pdf", 3_000_000), "1.1").id
    out = tmp_path / "out"
    out.mkdir()
    r = run_cli_limited(["extract", proj_path, eid, out / "x.pdf"], limit=1_000_000)
    assert r.returncode == 2
    assert "nothing was written" in one_line(r.stderr)
    assert os.listdir(out) == []


def test_demo_with_disk_full_leaves_nothing_under_the_name(tmp_path):
    r = run_cli_limited(["demo", "gx-city-consortium", tmp_path / "d.dossier"], limit=300_000)
    assert r.returncode == 2
    one_line(r.stderr)
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------ a real small file system


def test_real_full_disk_attach_rolls_back_before_returning(tmp_path, monkeypatch):
    import desktop.project.evidence as ev_mod

    with small_fs(12 << 20) as fs:
        path = fs / "p.dossier"
        with Project.create(path, program(), "甲") as p:
            p.set("1.1/name", "已保存")
        before = sha(path)
        big = rand_file(tmp_path / "big.pdf", 20_000_000)
        with Project.open(path) as p:
            # the early refusal, with the figures, writes nothing
            with pytest.raises(ProjectError) as ei:
                p.attach(big, "1.1")
            assert ei.value.key == "disk.full" and re.search(r"needs 20\.\d MB, 1\d\.\d MB free", ei.value.en), ei.value.en
            assert sha(path) == before
            # the write itself fails (the check is bypassed): rolled back on disk before attach returns
            monkeypatch.setattr(ev_mod, "ensure_free_space", lambda *a, **k: None)
            with pytest.raises(ProjectError) as ei:
                p.attach(big, "1.1")
            assert ei.value.key == "disk.full" and "nothing was changed" in ei.value.en
            assert sha(path) == before and not (fs / "p.dossier-journal").exists()
            sound_alone(path, tmp_path)
            # and the same connection keeps working
            p.set("1.1/name", "之后")
            assert p.evidence() == []
        with Project.open(path) as p:
            assert p.get("1.1/name") == "之后"


def test_real_full_disk_export_is_refused_early_with_figures(tmp_path, demo_copy):
    with small_fs(4 << 20) as fs:
        with Project.open(demo_copy) as p:
            p.attach(rand_file(tmp_path / "big.pdf", 6_000_000), "1.1")
        from desktop.export import export_project

        with pytest.raises(DossierError) as ei:
            export_project(demo_copy, fs, allow_incomplete=True)
        assert ei.value.key == "disk.full" and "this needs" in ei.value.en and "free" in ei.value.en
        assert os.listdir(fs) == []


def test_real_full_disk_cli_attach(tmp_path):
    with small_fs(12 << 20) as fs:
        path = fs / "p.dossier"
        Project.create(path, program(), "甲").close()
        before = sha(path)
        big = rand_file(tmp_path / "big.pdf", 30_000_000)
        r = subprocess.run([sys.executable, "-m", "desktop.cli", "attach", str(path), str(big), "--indicator", "1.1"],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert r.returncode == 2
        err = one_line(r.stderr)
        assert re.search(r"needs 30\.\d MB, 1\d\.\d MB free", err), err
        assert sha(path) == before and os.listdir(fs) == ["p.dossier"]


# ------------------------------------------------------------------ damaged files are never trusted


def _torn_copy(proj_path: Path, tmp_path: Path) -> Path:
    """Kill a process in the middle of a large attach (SQLite has spilled pages into the file), then
    copy the .dossier alone, without its journal: what a user copying mid-write gets."""
    big = rand_file(tmp_path / "big.bin", 6 << 20)
    code = f"""
        import os
        from desktop.project import Project
        from desktop.tasks import TaskState
        p = Project.open({str(proj_path)!r})
        p.conn.execute("PRAGMA cache_size=16")
        def boom(done, total, status):
            if done >= 4 << 20:
                os._exit(9)
        p.attach({str(big)!r}, "1.1", task=TaskState(on_progress=boom, min_interval=0))
    """
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 9, r.stderr
    assert Path(str(proj_path) + "-journal").exists()
    torn = tmp_path / "torn.dossier"
    shutil.copyfile(proj_path, torn)
    return torn


def test_a_torn_copy_is_refused_and_the_original_recovers(proj_path, tmp_path, capsys):
    from desktop.cli import main

    torn = _torn_copy(proj_path, tmp_path)
    before = sha(torn)
    out = tmp_path / "out"
    out.mkdir()
    for args in (["validate", torn], ["export", torn, "--out", out, "--allow-incomplete"], ["info", torn]):
        code = main([str(a) for a in args])
        _out, err = capsys.readouterr()
        assert code == 2, (args, err)
        assert "is damaged" in one_line(err) and "earlier copy" in err
    assert sha(torn) == before  # never modified
    assert os.listdir(out) == []
    # the original, with its journal, rolls the unfinished attach back and is whole
    with Project.open(proj_path) as p:
        assert [e.name for e in p.evidence()] == ["first.pdf"] and p.get("1.1/name") == "已保存"
        p.check_integrity()
    sound_alone(proj_path, tmp_path)


def test_damage_inside_a_small_table_is_found_before_validate_and_export(proj_path, tmp_path, capsys):
    from desktop.cli import main

    c = sqlite3.connect(proj_path)
    root = c.execute("SELECT rootpage FROM sqlite_master WHERE name='links'").fetchone()[0]
    page_size = c.execute("PRAGMA page_size").fetchone()[0]
    c.close()
    data = bytearray(proj_path.read_bytes())
    off = (root - 1) * page_size
    data[off:off + 8] = b"\x0d\x00\x00\x00\x50\x00\x00\x00"  # a leaf page claiming 80 cells it does not have
    proj_path.write_bytes(bytes(data))
    for args in (["validate", proj_path], ["export", proj_path, "--out", tmp_path, "--allow-incomplete"]):
        code = main([str(a) for a in args])
        _out, err = capsys.readouterr()
        assert code == 2 and "is damaged" in one_line(err), err


def test_damaged_evidence_bytes_are_never_exported(proj_path, tmp_path, capsys):
    from desktop.cli import main

    with Project.open(proj_path) as p:
        ev = p.evidence()[0]
        # flip bytes inside the stored file, keeping its length (the B-trees stay sound)
        p.conn.execute("UPDATE chunks SET data = zeroblob(length(data)) WHERE blob_id=?", (ev.blob_id,))
    code = main(["export", str(proj_path), "--out", str(tmp_path), "--allow-incomplete"])
    _out, err = capsys.readouterr()
    assert code == 2 and "no longer matches its recorded SHA-256" in one_line(err)
    assert not list(tmp_path.glob("*.zip"))
    code = main(["extract", str(proj_path), str(ev.id), str(tmp_path / "x.pdf")])
    _out, err = capsys.readouterr()
    assert code == 2 and "damaged" in one_line(err) and not (tmp_path / "x.pdf").exists()


def test_hot_journal_on_a_read_only_place_says_what_to_do(proj_path, tmp_path, monkeypatch):
    import desktop.project.file as file_mod

    torn = _torn_copy(proj_path, tmp_path)
    torn.unlink()
    before = sha(proj_path)
    monkeypatch.setattr(file_mod, "_is_writable", lambda p: False)
    with pytest.raises(ProjectError) as ei:
        Project.open(proj_path)
    assert ei.value.key == "project.hot_journal" and "together with p.dossier-journal" in ei.value.en
    assert sha(proj_path) == before and Path(str(proj_path) + "-journal").exists()


def test_an_empty_file_tagged_as_dossier_is_refused_without_writing(tmp_path):
    p = tmp_path / "empty.dossier"
    c = sqlite3.connect(p)
    c.execute("PRAGMA application_id=1146049363")  # 0x444F5353 "DOSS", user_version stays 0
    c.execute("CREATE TABLE x(y)")
    c.commit()
    c.close()
    before = sha(p)
    with pytest.raises(ProjectError) as ei:
        Project.open(p)
    assert ei.value.key == "project.not_dossier"
    assert sha(p) == before and os.listdir(tmp_path) == ["empty.dossier"]
