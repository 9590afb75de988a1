"""The evidence check done while the documents are made (desktop.export.precheck, issue #17), and
the zip CRC-32 it relies on (desktop.fastzlib)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from desktop.errors import DossierError
from desktop.export import export_project
from desktop.export import writer as writer_mod
from desktop.export.precheck import EvidencePrecheck
from desktop.project import Project

from .conftest import fixed_clock


@pytest.fixture
def big_project(demo_copy, tmp_path) -> Path:
    """The demo with three larger files (several chunks each) beside its eight small ones."""
    src = tmp_path / "src"
    src.mkdir()
    files = []
    for i, n in enumerate((3 << 20, (2 << 20) + 12345, 777)):
        f = src / f"扫描件-{i}.bin"
        f.write_bytes(os.urandom(n))
        files.append(f)
    with Project.open(demo_copy) as p:
        p.attach_many(files, "1.1")
    return demo_copy


def _evidence(project: Path) -> list:
    from desktop.export.collect import take_snapshot

    with Project.open(project, readonly=True) as p:
        return take_snapshot(p).all_files


def test_precheck_hashes_every_file_as_recorded(big_project):
    files = _evidence(big_project)
    with EvidencePrecheck(big_project, files) as pc:
        pc._thread.join()  # let it finish (the export never waits for it)
        for f in files:
            c = pc.result(f.path)
            assert c is not None and c.sha256 == f.sha256 and c.size == f.size
    with Project.open(big_project, readonly=True) as p:
        f = max(files, key=lambda f: f.size)
        data = b"".join(p.read_chunks(f.blob_id))
    assert pc.result(f.path).crc == zlib.crc32(data) and hashlib.sha256(data).hexdigest() == f.sha256


def test_precheck_stops_at_once_and_reports_only_finished_files(big_project):
    files = _evidence(big_project)
    pc = EvidencePrecheck(big_project, files)
    pc.stop()
    pc.stop()  # idempotent
    assert not pc._thread.is_alive()
    done = [f for f in files if pc.result(f.path) is not None]
    assert all(pc.result(f.path).sha256 == f.sha256 for f in done)


def test_precheck_of_an_unreadable_project_leaves_the_check_to_the_writer(tmp_path):
    class F:
        path, blob_id = "data/evidence/x.bin", 1

    bad = tmp_path / "missing.dossier"
    pc = EvidencePrecheck(bad, [F()])
    pc.stop()
    assert pc.result(F.path) is None and pc.error is not None


def _flip_stored(project: Path, name: str) -> None:
    """Zero a stored file's first chunk in place (its recorded SHA-256 no longer matches)."""
    c = sqlite3.connect(project)
    try:
        (blob,) = c.execute("SELECT blob_id FROM evidence WHERE name = ?", (name,)).fetchone()
        c.execute("UPDATE chunks SET data = zeroblob(length(data)) WHERE blob_id = ? AND seq = "
                  "(SELECT min(seq) FROM chunks WHERE blob_id = ?)", (blob, blob))
        c.commit()
    finally:
        c.close()


def test_damaged_stored_file_stops_the_export_and_leaves_nothing(big_project, tmp_path):
    _flip_stored(big_project, "扫描件-0.bin")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DossierError) as e:
        export_project(big_project, out, clock=fixed_clock)
    assert e.value.key == "export.evidence_changed" and "扫描件-0.bin" in e.value.en
    assert list(out.iterdir()) == []


def test_bytes_that_change_between_the_check_and_the_write_are_refused(big_project, tmp_path, monkeypatch):
    """The pre-check read the right bytes; the writer's own read gives others: its CRC-32 catches it."""
    from desktop.project.evidence import EvidenceStore

    files = {f.path.rsplit("/", 1)[-1]: f for f in _evidence(big_project)}
    target = files["扫描件-1.bin"]
    orig = EvidenceStore.read_chunks

    def read_chunks(self, blob_id, *a, **k):
        for i, chunk in enumerate(orig(self, blob_id, *a, **k)):
            if blob_id == target.blob_id and i == 1:
                chunk = bytes([chunk[0] ^ 1]) + chunk[1:]
            yield chunk

    monkeypatch.setattr(EvidenceStore, "read_chunks", read_chunks)
    used = []
    orig_write = writer_mod.ZipPackageWriter.write

    def write(self, contents, task=None):
        pc = contents.precheck
        assert pc is not None
        pc._thread.join()  # the pre-check finished every file: the writer takes its fast path for all
        used.append(all(pc.result(e.path) is not None for e in contents.entries if e.streamed))
        return orig_write(self, contents, task)

    monkeypatch.setattr(writer_mod.ZipPackageWriter, "write", write)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DossierError) as e:
        export_project(big_project, out, clock=fixed_clock)
    assert used == [True]
    assert e.value.key == "export.evidence_changed" and "扫描件-1.bin" in e.value.en
    assert list(out.iterdir()) == []


def _export_bytes(project: Path, out: Path, monkeypatch, finish_precheck: bool | None) -> bytes:
    """Export with the pre-check finished before the zip (every file on the fast path), stopped at
    once (every file hashed while written), or left to run as it does."""
    orig_write = writer_mod.ZipPackageWriter.write

    def write(self, contents, task=None):
        if finish_precheck is True:
            contents.precheck._thread.join()
        elif finish_precheck is False:
            contents.precheck.stop()
        return orig_write(self, contents, task)

    monkeypatch.setattr(writer_mod.ZipPackageWriter, "write", write)
    out.mkdir()
    res = export_project(project, out, clock=fixed_clock)
    monkeypatch.setattr(writer_mod.ZipPackageWriter, "write", orig_write)
    return res.zip_path.read_bytes()


def test_fast_and_slow_paths_write_the_same_package(big_project, tmp_path, monkeypatch):
    fast = _export_bytes(big_project, tmp_path / "a", monkeypatch, True)
    slow = _export_bytes(big_project, tmp_path / "b", monkeypatch, False)
    free = _export_bytes(big_project, tmp_path / "c", monkeypatch, None)
    assert fast == slow == free
    # and the CRC-32s in the zip are right (checked by zipfile with the stdlib's own zlib)
    zp = tmp_path / "a.zip"
    zp.write_bytes(fast)
    with zipfile.ZipFile(zp) as z:
        for zi in z.infolist():
            assert zlib.crc32(z.read(zi)) == zi.CRC, zi.filename


def test_zip_crc_is_the_fast_one_and_agrees_with_zlib():
    from desktop import fastzlib

    fastzlib.install_zip_crc()
    if fastzlib.FAST:
        assert zipfile.crc32 is fastzlib.crc32
    for n in (0, 1, 4095, 65536, (1 << 20) + 7):
        data = os.urandom(n)
        assert fastzlib.crc32(data) == zlib.crc32(data)
        assert fastzlib.crc32(data[n // 2:], fastzlib.crc32(data[: n // 2])) == zlib.crc32(data)


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip is not installed")
def test_package_passes_info_zip_crc_test(big_project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    res = export_project(big_project, out, clock=fixed_clock)
    r = subprocess.run(["unzip", "-tq", str(res.zip_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_precheck_hands_the_gil_over_quickly_while_it_runs_and_restores_the_interval(big_project):
    import sys

    from desktop import gil

    before = sys.getswitchinterval()
    pc = EvidencePrecheck(big_project, _evidence(big_project))
    pc._thread.join()
    assert sys.getswitchinterval() == before  # back once the check ended by itself
    pc.stop()
    assert sys.getswitchinterval() == before and gil._users[0] == 0


def test_the_interval_is_quick_exactly_while_the_check_runs(big_project, monkeypatch):
    import sys
    import threading

    from desktop import gil
    from desktop.export import precheck as pc_mod

    gate = threading.Event()
    real = pc_mod.read_blob

    def slow(conn, blob_id, *a, **k):
        gate.wait(10)
        yield from real(conn, blob_id, *a, **k)

    monkeypatch.setattr(pc_mod, "read_blob", slow)
    before = sys.getswitchinterval()
    pc = EvidencePrecheck(big_project, _evidence(big_project))
    assert sys.getswitchinterval() == gil.QUICK
    gate.set()
    pc.stop()
    assert sys.getswitchinterval() == before
