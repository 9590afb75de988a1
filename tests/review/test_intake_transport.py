"""What travels by desktop.transport, found on a stick: a split package is one package (its volumes
taken together, whichever of them the folder walk or the user names), and an encrypted .zip.age
is looked at, never skipped."""

from __future__ import annotations

import os
import shutil

from desktop.project import Project
from desktop.review import Review, add_packages
from desktop.transport.volumes import split_package

from .conftest import T0, _export


def _big_package(packages, tmp_path):
    project = tmp_path / "big.dossier"
    shutil.copyfile(packages.project_a, project)
    blob = tmp_path / "扫描件.bin"
    blob.write_bytes(os.urandom(3 << 20))  # random: the volumes cannot be smaller than the data
    with Project.open(project) as p:
        iid = next(p.program.indicators()).id
        p.attach(blob, iid)
    return _export(project, tmp_path / "sealed", T0)


def test_a_split_package_in_a_folder_is_one_package(packages, review_path, tmp_path):
    whole = _big_package(packages, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    vols = split_package(whole, stick, 1_200_000)
    assert len(vols) >= 3
    with Review.open(review_path) as rv:
        res = add_packages(rv, [stick])
        assert not res.refused, [r.en for r in res.refused]
        (rec,) = res.added
        assert rv.verdict(rec).key == "unsigned"  # intact, as the whole package: not "tampered" volumes
    # one volume named alone brings the set beside it
    with Review.create(tmp_path / "r2.dreview", "t") as rv:
        (rec,) = add_packages(rv, [vols[1]]).added
        assert rv.verdict(rec).key == "unsigned"


def test_a_volume_set_with_a_part_missing_is_refused_clearly(packages, review_path, tmp_path):
    whole = _big_package(packages, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    vols = split_package(whole, stick, 1_200_000)
    vols[-1].unlink()
    with Review.open(review_path) as rv:
        res = add_packages(rv, [stick])
        assert not res.added and len(res.refused) == 1
        assert res.refused[0].key in ("transport.volumes_missing", "review.lone_volume")
        assert vols[-1].name.rsplit("_part", 1)[1].split("of")[0].lstrip("0") in res.refused[0].en  # names the part


def test_an_encrypted_package_in_a_folder_is_looked_at(packages, review_path, tmp_path):
    import pyrage

    from desktop.transport.encrypt import encrypt_file

    stick = tmp_path / "stick"
    stick.mkdir()
    someone = pyrage.x25519.Identity.generate()
    encrypt_file(packages.a, stick / "a.zip.age", [str(someone.to_public())])
    with Review.open(review_path) as rv:
        res = add_packages(rv, [stick])
        assert not res.skipped and len(res.refused) == 1  # not ours to open: said so, not skipped
        assert "age" in res.refused[0].en.lower() or "encrypt" in res.refused[0].en.lower()
