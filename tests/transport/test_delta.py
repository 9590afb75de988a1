"""Resubmission deltas (#12): only what changed; verify DELTA --basis = the full export's verdict."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.export import export_project
from desktop.export.verify import verify_package
from desktop.transport import export_package, open_package, verify_paths
from tests.export.test_verify_contract import change_one_answer

from .conftest import out_dir, random_file


def _replace_one_evidence(project: Path, tmp: Path) -> str:
    """Detach one of the big evidence files and attach a new one: 1 replaced."""
    from desktop.project import Project

    with Project.open(project) as p:
        ev = next(e for e in p.evidence() if e.name.endswith(".bin"))
        p.detach(ev.id)
        p.attach(random_file(tmp / "新扫描件.bin", 300 << 10, 4242), "1.1")
    return ev.name


@pytest.fixture(scope="module")
def resubmission(big_master, tmp_path_factory):
    d = tmp_path_factory.mktemp("delta")
    proj = d / "p.dossier"
    shutil.copyfile(big_master, proj)
    first = export_project(proj, out_dir(d, "first"))
    change_one_answer(proj)
    _replace_one_evidence(proj, d)
    full = export_project(proj, out_dir(d, "full"))
    delta = export_package(proj, out_dir(d, "delta"), since=first.zip_path)
    return proj, first, full, delta


def test_delta_carries_only_what_changed(resubmission):
    _proj, first, full, delta = resubmission
    (dz,) = delta.packages
    assert dz.name == f"{full.base_name}_delta.zip" and delta.pdf_path.read_bytes() == full.pdf_path.read_bytes()
    with zipfile.ZipFile(dz) as z:
        names = [n.split("/", 1)[1] for n in z.namelist()]
        idx = json.loads(z.read(f"{full.base_name}_delta/dossier-delta.json"))
    evidence = [n for n in names if n.startswith("data/evidence/")]
    assert evidence == ["data/evidence/1.1/新扫描件.bin"], evidence
    for doc in ("data/submission.pdf", "data/answers.json", "data/program.yaml"):
        assert doc in names
    assert "package/manifest-sha256.txt" in names  # the full new manifest
    assert idx["format"] == "dossier-delta" and idx["basis"]["package_id"] == first.package_id
    assert idx["basis"]["manifest_sha256"] == first.manifest_sha256
    assert idx["package"]["id"] == full.package_id
    assert dz.stat().st_size < 0.3 * full.zip_path.stat().st_size


def test_delta_with_basis_gives_the_full_exports_verdict(resubmission):
    _proj, first, full, delta = resubmission
    v_delta = verify_paths(delta.packages, basis=[first.zip_path])
    v_full = verify_package(full.zip_path)
    assert v_delta.status == v_full.status == "intact"
    strip = lambda d: {k: v for k, v in d.items() if k not in ("package", "notes", "root")}  # noqa: E731
    assert strip(v_delta.to_dict()) == strip(v_full.to_dict())
    with open_package(delta.packages, basis=[first.zip_path]) as op:
        assert op.zip.read_bytes() == full.zip_path.read_bytes()  # rebuilt byte for byte
        assert op.delta["basis"]["package_id"] == first.package_id


def test_missing_and_wrong_basis(resubmission, capsys):
    _proj, first, full, delta = resubmission
    assert cli_main(["verify", str(delta.packages[0])]) == 2
    out = capsys.readouterr().out
    assert "UNREADABLE" in out and "--basis" in out and first.package_id in out
    assert cli_main(["verify", str(delta.packages[0]), "--basis", str(full.zip_path)]) == 2
    out = capsys.readouterr().out
    assert "wrong basis" in out and first.package_id in out
    assert cli_main(["verify", str(delta.packages[0]), "--basis", str(first.zip_path)]) == 0
    assert capsys.readouterr().out.startswith("INTACT")


def test_delta_against_the_export_history(resubmission, tmp_path, big_master):
    from desktop.export.history import list_exports
    from desktop.project import Project

    proj, first, _full, _delta = resubmission
    with Project.open(proj, readonly=True) as p:
        ids = [r.package_id for r in list_exports(p)]
    assert first.package_id in ids
    d2 = export_package(proj, out_dir(tmp_path, "d2"), since=first.package_id)
    assert verify_paths(d2.packages, basis=[first.zip_path]).status == "intact"
    with pytest.raises(Exception) as e:
        export_package(proj, out_dir(tmp_path, "d3"), since="no-such-export")
    assert "history" in str(e.value)


def test_tampered_delta_is_tampered(resubmission, tmp_path):
    from tests.export.conftest import flip_byte, rewrite_zip

    _proj, first, _full, delta = resubmission

    def mutate(items):
        return [(zi, flip_byte(d) if zi.filename.endswith("新扫描件.bin") else d) for zi, d in items]

    bad = rewrite_zip(delta.packages[0], tmp_path / delta.packages[0].name, mutate)
    v = verify_paths([bad], basis=[first.zip_path])
    assert v.status == "tampered" and v.findings[0].path == "data/evidence/1.1/新扫描件.bin"
    # an altered index (a file said to come from the basis) is refused
    def mutate2(items):
        return [(zi, d.replace(b'"from": "delta"', b'"from": "basis"', 1) if zi.filename.endswith("dossier-delta.json") else d)
                for zi, d in items]

    bad2 = rewrite_zip(delta.packages[0], tmp_path / "i.zip", mutate2)
    v = verify_paths([bad2], basis=[first.zip_path])
    assert v.status == "unreadable" and "altered" in v.errors[0]
