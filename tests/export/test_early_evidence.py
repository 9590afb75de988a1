"""The zip begun with the evidence while the documents are made (desktop/export/writer.py, issue
#17), its layout (desktop.export.bag.physical_order), and the zip CRC-32 (desktop.fastzlib)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import zipfile
import zlib
from pathlib import Path

import pytest

from desktop.errors import DossierError
from desktop.export import export_project
from desktop.export import package as package_mod
from desktop.export import writer as writer_mod
from desktop.project import Project
from desktop.tasks import Cancelled, TaskState

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


def _out(tmp_path: Path, name: str = "out") -> Path:
    d = tmp_path / name
    d.mkdir()
    return d


def test_the_zip_holds_the_evidence_first_and_lists_entries_in_the_package_order(big_project, tmp_path):
    res = export_project(big_project, _out(tmp_path), clock=fixed_clock)
    with zipfile.ZipFile(res.zip_path) as z:
        infos = z.infolist()
        names = [zi.filename.split("/", 1)[1] for zi in infos]
        assert names[:4] == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "data/submission.pdf"]
        assert names[-1] == "tagmanifest-sha256.txt"
        by_offset = [zi.filename.split("/", 1)[1] for zi in sorted(infos, key=lambda zi: zi.header_offset)]
        evidence = [n for n in names if n.startswith("data/evidence/")]
        assert len(evidence) == 11 and by_offset[:len(evidence)] == evidence
        assert by_offset[len(evidence):] == [n for n in names if not n.startswith("data/evidence/")]
        for zi in infos:  # the CRC-32s (by zlib-ng) are right, checked with the stdlib's zlib
            assert zlib.crc32(z.read(zi)) == zi.CRC, zi.filename


def test_evidence_is_written_while_the_documents_are_made(big_project, tmp_path, monkeypatch):
    """The PDF's render waits until the evidence thread has written a file: the two overlap."""
    wrote = threading.Event()
    real_stream = writer_mod._write_streamed

    def stream(*a, **k):
        real_stream(*a, **k)
        if threading.current_thread().name == "dossier-evidence":
            wrote.set()

    real_render = package_mod.render

    def render(inp, task=None):
        assert wrote.wait(30), "no evidence was written while the documents were made"
        return real_render(inp, task)

    monkeypatch.setattr(writer_mod, "_write_streamed", stream)
    monkeypatch.setattr(package_mod, "render", render)
    res = export_project(big_project, _out(tmp_path), clock=fixed_clock)
    from desktop.export.verify import verify_package

    assert verify_package(res.zip_path).status == "intact"


def test_the_same_bytes_with_and_without_the_early_start(big_project, tmp_path, monkeypatch):
    a = export_project(big_project, _out(tmp_path, "a"), clock=fixed_clock).zip_path.read_bytes()
    monkeypatch.setattr(writer_mod.ZipPackageWriter, "start", lambda self, *a, **k: None)  # all written at the end
    b = export_project(big_project, _out(tmp_path, "b"), clock=fixed_clock).zip_path.read_bytes()
    assert a == b


def test_volumes_put_back_together_give_the_exported_zip(big_project, tmp_path):
    from desktop.transport import export_package, open_package

    whole = export_project(big_project, _out(tmp_path, "w"), clock=fixed_clock)
    split = export_package(big_project, _out(tmp_path, "s"), split="1.2M", clock=fixed_clock)
    assert split.volumes > 1
    with open_package(split.packages) as op:
        assert Path(op.zip).read_bytes() == whole.zip_path.read_bytes()


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
    out = _out(tmp_path)
    with pytest.raises(DossierError) as e:
        export_project(big_project, out, clock=fixed_clock)
    assert e.value.key == "export.evidence_changed" and "扫描件-0.bin" in e.value.en
    assert list(out.iterdir()) == []


def test_a_failing_document_stops_the_evidence_thread_and_leaves_nothing(big_project, tmp_path, monkeypatch):
    def boom(inp, task=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package_mod, "render", boom)
    out = _out(tmp_path)
    with pytest.raises(OSError):
        export_project(big_project, out, clock=fixed_clock)
    assert list(out.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "dossier-evidence"]


def test_cancel_while_the_evidence_is_written_leaves_nothing(big_project, tmp_path, monkeypatch):
    task = TaskState()
    real_render = package_mod.render

    def render(inp, t=None):
        task.cancel()
        return real_render(inp, t)

    monkeypatch.setattr(package_mod, "render", render)
    out = _out(tmp_path)
    with pytest.raises(Cancelled):
        export_project(big_project, out, clock=fixed_clock, task=task)
    assert list(out.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "dossier-evidence"]


def test_progress_from_two_threads_adds_up(big_project, tmp_path):
    seen = []
    task = TaskState(on_progress=lambda d, t, s: seen.append((d, t)), min_interval=0)
    export_project(big_project, _out(tmp_path), clock=fixed_clock, task=task)
    assert task.done == task.total and seen[-1] == (task.total, task.total)


def test_zip_crc_is_the_fast_one_and_agrees_with_zlib():
    from desktop import fastzlib

    fastzlib.install_zip_crc()
    if fastzlib.FAST:
        assert zipfile.crc32 is fastzlib.crc32
    for n in (0, 1, 4095, 65536, (1 << 20) + 7):
        data = os.urandom(n)
        assert fastzlib.crc32(data) == zlib.crc32(data)
        assert fastzlib.crc32(data[n // 2:], fastzlib.crc32(data[: n // 2])) == zlib.crc32(data)
        assert zlib.decompress(fastzlib.deflate(data)) == data


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip is not installed")
def test_package_passes_info_zip_crc_test(big_project, tmp_path):
    res = export_project(big_project, _out(tmp_path), clock=fixed_clock)
    r = subprocess.run(["unzip", "-tq", str(res.zip_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _crcs(project: Path) -> dict[str, int | None]:
    c = sqlite3.connect(project)
    try:
        return dict(c.execute("SELECT e.name, b.crc32 FROM evidence e JOIN blobs b ON b.id = e.blob_id"))
    finally:
        c.close()


def test_attach_records_each_files_crc32(big_project):
    """Schema v3: attach records the CRC-32 a zip of the file will hold, beside its SHA-256."""
    with Project.open(big_project) as p:
        for e in p.evidence():
            data = b"".join(p.read_chunks(e.blob_id))
            assert _crcs(big_project)[e.name] == zlib.crc32(data), e.name


def test_evidence_with_a_recorded_crc32_is_not_hashed_again(big_project, tmp_path, monkeypatch):
    """The export checks such files by the zip's own CRC-32: no SHA-256 pass over their bytes (#17),
    and the package is the same and verifies."""
    a = export_project(big_project, _out(tmp_path, "a"), clock=fixed_clock).zip_path.read_bytes()

    class NoHash:
        def __init__(self, *a, **k):
            raise AssertionError("evidence with a recorded CRC-32 was hashed again")

    monkeypatch.setattr(writer_mod, "HashedPrefetch", NoHash)
    res = export_project(big_project, _out(tmp_path, "b"), clock=fixed_clock)
    assert res.zip_path.read_bytes() == a
    from desktop.export.verify import verify_package

    assert verify_package(res.zip_path).status == "intact"


def test_a_wrong_crc32_record_stops_the_export_and_leaves_nothing(big_project, tmp_path):
    """A stored file damaged after it was attached no longer matches its CRC-32 record."""
    c = sqlite3.connect(big_project)
    c.execute("UPDATE blobs SET crc32 = (crc32 + 1) % 4294967296 WHERE id = (SELECT blob_id FROM evidence WHERE name = ?)",
              ("扫描件-1.bin",))
    c.commit()
    c.close()
    out = _out(tmp_path)
    with pytest.raises(DossierError) as e:
        export_project(big_project, out, clock=fixed_clock)
    assert e.value.key == "export.evidence_changed" and "扫描件-1.bin" in e.value.en
    assert list(out.iterdir()) == []


def test_files_stored_before_v3_are_checked_by_their_sha256(big_project, tmp_path):
    """No CRC-32 recorded (a project from before schema v3): the SHA-256 is checked as before, so
    damage is still caught, and an undamaged export is byte-identical."""
    a = export_project(big_project, _out(tmp_path, "a"), clock=fixed_clock).zip_path.read_bytes()
    c = sqlite3.connect(big_project)
    c.execute("UPDATE blobs SET crc32 = NULL")
    c.commit()
    c.close()
    assert export_project(big_project, _out(tmp_path, "b"), clock=fixed_clock).zip_path.read_bytes() == a
    _flip_stored(big_project, "扫描件-0.bin")
    out = _out(tmp_path, "c")
    with pytest.raises(DossierError) as e:
        export_project(big_project, out, clock=fixed_clock)
    assert e.value.key == "export.evidence_changed" and "扫描件-0.bin" in e.value.en
    assert list(out.iterdir()) == []
