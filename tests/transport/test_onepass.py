"""One-pass volumes (#12): `export --split` writes the volumes straight from the project, and they are
byte for byte the volumes of the whole zip split after the fact; put back together they are the
unsplit export's zip."""

from __future__ import annotations

import datetime as _dt
import sqlite3
from pathlib import Path

import pytest

from desktop.errors import DossierError
from desktop.export import export_project
from desktop.export.bag import zip_min_size
from desktop.tasks import Cancelled, TaskState
from desktop.transport import export_package, open_package, verify_paths
from desktop.transport import volumes

from .conftest import out_dir

ODD = _dt.datetime(2025, 3, 1, 10, 15, 7, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))  # odd seconds: zips keep even ones


def odd_clock() -> _dt.datetime:
    return ODD


@pytest.fixture
def no_whole_zip(monkeypatch):
    """Fail if the one-pass path writes the whole zip (ZipPackageWriter) after all."""
    from desktop.export import writer

    def refuse(self, contents, task=None):
        raise AssertionError(f"the whole zip was written: {self.path}")

    monkeypatch.setattr(writer.ZipPackageWriter, "write", refuse)


def _names_and_bytes(paths) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def test_one_pass_volumes_reassemble_to_the_unsplit_zip_byte_for_byte(big_copy, tmp_path, monkeypatch):
    whole = export_project(big_copy, out_dir(tmp_path, "whole"), clock=odd_clock)
    whole_zip = whole.zip_path.read_bytes()
    # the same project, the same clock: sealed to the same package, written as volumes in one pass
    from desktop.export import writer

    calls = []
    orig = writer.ZipPackageWriter.write
    monkeypatch.setattr(writer.ZipPackageWriter, "write", lambda self, c, task=None: calls.append(self.path) or orig(self, c, task))
    split = export_package(big_copy, out_dir(tmp_path, "split"), split="1.2M", clock=odd_clock)
    assert calls == [] and split.volumes >= 4  # no whole zip was written
    assert split.export.package_id == whole.package_id
    assert sorted(p.name for p in (tmp_path / "split").iterdir()) == sorted([whole.pdf_path.name] + [p.name for p in split.packages])
    # reassembled (dossier reassemble / open_package): the unsplit export's zip, byte for byte
    with open_package(split.packages) as op:
        assert op.zip.read_bytes() == whole_zip
    # and the volumes are exactly those of the whole zip split after the fact (same index, names, bytes)
    post = out_dir(tmp_path, "post")
    monkeypatch.setattr(writer.ZipPackageWriter, "write", orig)
    made = volumes.split_package(whole.zip_path, post, volumes.parse_size("1.2M"), package_id=whole.package_id)
    assert _names_and_bytes(made) == _names_and_bytes(split.packages)
    assert verify_paths(split.packages).status == "intact"


def test_one_pass_volumes_are_bags_checked_by_bagit(big_copy, tmp_path, no_whole_zip):
    import zipfile

    import bagit

    res = export_package(big_copy, out_dir(tmp_path, "s"), split="1.2M")
    for i, p in enumerate(res.packages, 1):
        d = tmp_path / f"u{i}"
        with zipfile.ZipFile(p) as z:
            z.extractall(d)
        (root,) = list(d.iterdir())
        bag = bagit.Bag(str(root))
        assert bag.is_valid(), (p.name, bag.validate())


def test_one_pass_with_encryption_and_signature(big_copy, tmp_path, no_whole_zip, monkeypatch):
    pyrage = pytest.importorskip("pyrage")
    import desktop.identity as identity
    from tests.keyrings import install_memory_keyring

    install_memory_keyring(monkeypatch)
    identity.create_identity("柳州职业技术学院", "Liuzhou Vocational & Technical College", "CN", "+86 772 1234567")
    sealer = identity.get_sealer()
    reviewer = pyrage.x25519.Identity.generate()
    res = export_package(big_copy, out_dir(tmp_path, "e"), split="1.2M", encrypt_to=[str(reviewer.to_public())],
                         encrypt_to_self=False, sealer=sealer)
    assert res.volumes >= 4 and all(p.name.endswith(".zip.age") for p in res.packages)
    with open_package(res.packages, identity=[reviewer]) as op:
        from desktop.export.verify import verify_package

        v = verify_package(op.zip)
        assert v.status == "intact" and v.signature["status"] not in ("unsigned", "invalid"), (v.status, v.errors, v.signature)


def _flip(project: Path, name: str) -> None:
    """Zero the stored file's last chunk, its length kept (the project's own checks pass)."""
    c = sqlite3.connect(project)
    try:
        (blob,) = c.execute("SELECT blob_id FROM evidence WHERE name = ?", (name,)).fetchone()
        c.execute("UPDATE chunks SET data = zeroblob(length(data)) WHERE blob_id = ? AND seq = "
                  "(SELECT max(seq) FROM chunks WHERE blob_id = ?)", (blob, blob))
        c.commit()
    finally:
        c.close()


def _misread(monkeypatch, project: Path, name: str, how: str) -> None:
    """The file's bytes as read come out shorter or longer than recorded (a changing project)."""
    from desktop.project.evidence import EvidenceStore

    c = sqlite3.connect(project)
    (blob,) = c.execute("SELECT blob_id FROM evidence WHERE name = ?", (name,)).fetchone()
    c.close()
    orig = EvidenceStore.read_chunks

    def read_chunks(self, blob_id, *a, **k):
        chunks = list(orig(self, blob_id, *a, **k))
        if blob_id == blob:
            chunks = chunks[:-1] if how == "short" else chunks + [b"\0" * 1000]
        yield from chunks

    monkeypatch.setattr(EvidenceStore, "read_chunks", read_chunks)


@pytest.mark.parametrize("name,how", [("video.bin", "flip"), ("video.bin", "short"), ("video.bin", "long"),
                                      ("扫描件-3.bin", "flip"), ("扫描件-3.bin", "long")])
def test_changed_evidence_stops_the_one_pass_export_and_leaves_nothing(big_copy, tmp_path, monkeypatch, name, how):
    # video.bin is cut into pieces, 扫描件-3.bin fits whole in its volume
    if how == "flip":
        _flip(big_copy, name)
    else:
        _misread(monkeypatch, big_copy, name, how)
    out = out_dir(tmp_path, "o")
    with pytest.raises(DossierError) as e:
        export_package(big_copy, out, split="1.2M")
    assert e.value.key == "export.evidence_changed" and name in e.value.en
    assert list(out.iterdir()) == []


def test_cancel_during_one_pass_volumes_leaves_nothing(big_copy, tmp_path):
    start = []

    def on_progress(done, total, status):
        if status == "package":
            start.append(done)
            if done > start[0] + (1500 << 10):  # a volume or two written
                task.cancel()

    task = TaskState(on_progress, min_interval=0)
    out = out_dir(tmp_path, "c")
    with pytest.raises(Cancelled):
        export_package(big_copy, out, split="1.2M", task=task)
    assert list(out.iterdir()) == []


def test_fit_is_decided_exactly_at_the_volume_size(big_copy, tmp_path):
    """A package of exactly the volume size stays one zip; one byte over is split (after the fact:
    it is within the zip's header bytes of the size), and both give the unsplit export's bytes."""
    whole = export_project(big_copy, out_dir(tmp_path, "whole"), clock=odd_clock)
    size = whole.zip_path.stat().st_size
    one = export_package(big_copy, out_dir(tmp_path, "one"), split=str(size), clock=odd_clock)
    assert one.volumes == 1 and one.packages[0].name == whole.zip_path.name
    assert one.packages[0].read_bytes() == whole.zip_path.read_bytes()
    two = export_package(big_copy, out_dir(tmp_path, "two"), split=str(size - 1), clock=odd_clock)
    assert two.volumes == 2
    with open_package(two.packages) as op:
        assert op.zip.read_bytes() == whole.zip_path.read_bytes()


def test_zip_min_size_is_a_close_lower_bound(big_copy, tmp_path):
    import zipfile

    whole = export_project(big_copy, out_dir(tmp_path, "w"), clock=odd_clock)
    with zipfile.ZipFile(whole.zip_path) as z:
        infos = z.infolist()
    root = infos[0].filename.split("/", 1)[0]
    lo = zip_min_size(root, [(zi.filename[len(root) + 1:], zi.file_size) for zi in infos])
    assert lo == whole.zip_path.stat().st_size  # no zip64 records in a small package: exact


def test_failed_volume_write_removes_the_volumes_written(big_copy, tmp_path, monkeypatch):
    """A disk that fills on volume 3: the writer removes volumes 1 and 2; export_project leaves no PDF."""
    from desktop.export import bag

    made = []
    orig = bag.BagZipWriter.__init__

    def init(self, fh, root, date_time):
        made.append(root)
        if "_part03of" in root:
            raise OSError(28, "No space left on device")
        orig(self, fh, root, date_time)

    monkeypatch.setattr(bag.BagZipWriter, "__init__", init)
    out = out_dir(tmp_path, "full")
    with pytest.raises(DossierError) as e:
        export_project(big_copy, out, package_writer=volumes.VolumeWriter(out / "volumes", volumes.parse_size("1.2M")))
    assert "full" in e.value.en and any("_part03of" in r for r in made)
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_delta_with_split_is_split_after_the_fact(big_copy, tmp_path, monkeypatch):
    """A delta is made from the whole zip: delta + split writes the zip, the delta, then its volumes."""
    from desktop.export import writer
    from desktop.project import Project

    from .conftest import random_file

    first = export_project(big_copy, out_dir(tmp_path, "first"))
    with Project.open(big_copy) as p:
        ev = next(e for e in p.evidence() if e.name == "video.bin")
        p.detach(ev.id)
        p.attach(random_file(tmp_path / "video2.bin", 2500 << 10, 7), "1.1")
    calls = []
    orig = writer.ZipPackageWriter.write
    monkeypatch.setattr(writer.ZipPackageWriter, "write", lambda self, c, task=None: calls.append(self.path) or orig(self, c, task))
    res = export_package(big_copy, out_dir(tmp_path, "d"), since=first.zip_path, split="1MiB")
    assert len(calls) == 1 and res.volumes >= 2 and res.delta_basis is not None
    assert all("_delta_part" in p.name for p in res.packages), res.packages
    v = verify_paths(res.packages, basis=[first.zip_path])
    assert v.status == "intact", (v.status, v.errors)
