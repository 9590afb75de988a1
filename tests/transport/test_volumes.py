"""Volumes (#12): each a BagIt bag of its own, volume 1 readable alone, the set = the package."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.export.verify import verify_package
from desktop.transport import export_package, open_package, verify_paths
from desktop.transport.volumes import PRESETS, parse_size

from .conftest import fixed_clock, out_dir


def _comparable(v) -> dict:
    d = v.to_dict()
    for k in ("package", "notes", "root"):
        d.pop(k, None)
    return d


def test_sizes():
    assert parse_size("20M") == 20_000_000 == PRESETS["email"]
    assert parse_size("700M") == PRESETS["cd"] and parse_size("4.7G") == PRESETS["dvd"]
    assert parse_size("4G") == PRESETS["fat32"] < 4 << 30
    assert parse_size("2MiB") == 2 << 20 and parse_size("1500000") == 1_500_000
    for bad in ("", "abc", "10K", "-5M"):
        with pytest.raises(Exception):
            parse_size(bad)


def test_volumes_are_bags_under_the_limit_with_group_and_count(split_export, tmp_path):
    import bagit

    whole, split = split_export
    vols = split.packages
    n = len(vols)
    assert n >= 4 and split.volumes == n
    pieces: dict[str, int] = {}
    assert [p.name for p in vols] == [f"{whole.base_name}_part{i:02d}of{n:02d}.zip" for i in range(1, n + 1)]
    assert split.pdf_path.read_bytes() == whole.pdf_path.read_bytes()
    for i, p in enumerate(vols, 1):
        assert p.stat().st_size <= 1_200_000, (p.name, p.stat().st_size)
        d = tmp_path / f"u{i}"
        with zipfile.ZipFile(p) as z:
            z.extractall(d)
        (root,) = list(d.iterdir())
        assert root.name == p.name[:-4]
        bag = bagit.Bag(str(root))
        assert bag.is_valid(), (p.name, bag.validate())
        info = (root / "bag-info.txt").read_text("utf-8")
        assert f"Bag-Group-Identifier: {whole.package_id}\n" in info and f"Bag-Count: {i} of {n}\n" in info
        if i == 1:  # the application, readable before the rest arrives
            for doc in ("data/submission.pdf", "data/answers.json", "data/answers.xlsx", "data/program.yaml"):
                assert (root / doc).is_file(), doc
            assert (root / "package" / "manifest-sha256.txt").read_bytes() == _member(whole.zip_path, "manifest-sha256.txt")
            idx = json.loads((root / "dossier-volumes.json").read_text("utf-8"))
            assert idx["format"] == "dossier-volume-set" and idx["format_version"] == 1 and len(idx["volumes"]) == n
            big = next(e for e in idx["entries"] if e["path"].endswith("video.bin"))
            assert len(big["pieces"]) >= 2 and sum(p["size"] for p in big["pieces"]) == big["size"]
            pieces.update({p["path"]: p["volume"] for p in big["pieces"]})
        # every piece has its own hash in its volume's manifest
        man = (root / "manifest-sha256.txt").read_text("utf-8")
        for path, vi in pieces.items():
            if vi == i:
                assert f"  {path}\n" in man, (path, i)
    assert pieces and set(pieces.values()) <= set(range(1, n + 1))


def _member(zp: Path, rel: str) -> bytes:
    with zipfile.ZipFile(zp) as z:
        root = z.namelist()[0].split("/", 1)[0]
        return z.read(f"{root}/{rel}")


def test_set_reassembles_byte_identical_with_the_same_verdict(split_export):
    whole, split = split_export
    with open_package(split.packages) as op:
        assert op.zip.read_bytes() == whole.zip_path.read_bytes()
        assert op.notes == [f"reassembled from {split.volumes} volumes"]
    v_set = verify_paths(split.packages)
    v_whole = verify_package(whole.zip_path)
    assert v_set.status == v_whole.status == "intact"
    assert _comparable(v_set) == _comparable(v_whole)
    # given as their folder, in any order
    assert verify_paths([split.packages[0].parent]).status == "intact"
    assert verify_paths(list(reversed(split.packages))).status == "intact"


def test_one_volume_alone(split_export, capsys):
    whole, split = split_export
    n = split.volumes
    rc = cli_main(["verify", str(split.packages[1])])
    text = capsys.readouterr().out
    assert rc == 0 and text.startswith("INTACT:") and f"part 2 of {n}" in text
    v = verify_paths([split.packages[0]])
    assert v.status == "intact" and v.volume["index"] == 1 and v.applicant and v.program["id"] == "gx-city-consortium"
    assert v.package_id == whole.package_id


def test_missing_duplicate_and_foreign_volumes(split_export, big_copy, tmp_path):
    from tests.export.test_verify_contract import change_one_answer

    whole, split = split_export
    vols = split.packages
    v = verify_paths(vols[:2] + vols[3:])
    assert v.status == "unreadable" and "missing" in v.errors[0] and vols[2].name in v.errors[0]
    v = verify_paths(vols + [vols[1]])
    assert v.status == "intact" and any("duplicate" in n for n in v.notes)
    # a volume of another export of (almost) the same project
    change_one_answer(big_copy)
    other = export_package(big_copy, out_dir(tmp_path, "other"), split="1.2M")
    mixed = vols[:2] + [other.packages[2]] + vols[3:]
    v = verify_paths(mixed)
    assert v.status == "unreadable" and "missing" in v.errors[0]
    v = verify_paths(vols + [other.packages[2]])
    assert v.status == "intact" and any("foreign volume" in n and other.packages[2].name in n for n in v.notes)


def test_tampered_volume_is_named(split_export, tmp_path):
    from tests.export.conftest import flip_byte, rewrite_zip

    _whole, split = split_export
    vols = list(split.packages)
    bad = tmp_path / vols[2].name

    def mutate(items):
        zi, d = next((zi, d) for zi, d in items if "/data/" in zi.filename)
        return [(z, flip_byte(x) if z is zi else x) for z, x in items]

    rewrite_zip(vols[2], bad, mutate)
    v = verify_paths([bad])
    assert v.status == "tampered" and v.volume["index"] == 3
    v = verify_paths(vols[:2] + [bad] + vols[3:])
    assert v.status == "tampered" and any("part 3 of" in n and "damaged" in n for n in v.notes), v.notes
    assert any(f.path.startswith(bad.name) for f in v.findings)


def test_forged_index_is_refused(split_export, tmp_path):
    from tests.export.conftest import rewrite_zip

    _whole, split = split_export
    vols = list(split.packages)

    def mutate(items):
        return [(zi, d.replace(b'"format_version": 1', b'"format_version": 1 ') if zi.filename.endswith("dossier-volumes.json")
                 else d) for zi, d in items]

    forged = rewrite_zip(vols[0], tmp_path / vols[0].name, mutate)
    v = verify_paths([forged] + vols[1:])
    assert v.status == "unreadable" and "does not match" in v.errors[0]


def test_cli_export_split_and_verify_folder(big_copy, tmp_path, capsys):
    out = out_dir(tmp_path, "cli")
    assert cli_main(["export", str(big_copy), "--out", str(out), "--split", "1.2M"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(".pdf") and "_part01of" in lines[1] and "volumes" in lines[-1]
    assert cli_main(["verify", str(out), "--json"]) == 0
    v = json.loads(capsys.readouterr().out)
    assert v["status"] == "intact" and v["exit_code"] == 0
    assert cli_main(["export", str(big_copy), "--out", str(out), "--split", "lots"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--split" in err


def test_reassemble_command(split_export, tmp_path, capsys):
    whole, split = split_export
    out = out_dir(tmp_path, "re")
    assert cli_main(["reassemble", *map(str, split.packages), "--out", str(out)]) == 0
    got = Path(capsys.readouterr().out.splitlines()[-1])
    assert got.read_bytes() == whole.zip_path.read_bytes()
    assert cli_main(["reassemble", str(split.packages[0]), "--out", str(out)]) == 2
    assert "one volume" in capsys.readouterr().err


def test_small_package_is_not_split(demo_copy, tmp_path):
    res = export_package(demo_copy, out_dir(tmp_path, "s"), split="20M", clock=fixed_clock)
    assert res.volumes == 1 and res.packages[0].name.endswith(".zip") and "_part" not in res.packages[0].name
    assert verify_package(res.packages[0]).status == "intact"


def test_failed_split_leaves_nothing(big_copy, tmp_path, monkeypatch):
    from desktop.transport import volumes

    out = out_dir(tmp_path, "fail")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(volumes, "split_package", boom)
    with pytest.raises(Exception) as e:
        export_package(big_copy, out, split="1.2M")
    assert "full" in str(e.value)
    assert list(out.iterdir()) == []
    shutil.rmtree(out)


def test_stale_private_folders_are_removed_fresh_ones_kept(tmp_path):
    import os
    import time

    from desktop.transport.layout import STALE_AFTER, remove_stale

    old, new, other = tmp_path / ".dossier-export-old", tmp_path / ".dossier-export-new", tmp_path / "mine"
    for d in (old, new, other):
        d.mkdir()
        (d / "f").write_bytes(b"x")
    past = time.time() - STALE_AFTER - 60
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    remove_stale(tmp_path, ".dossier-export-")
    assert not old.exists() and new.exists() and other.exists()


@pytest.mark.parametrize("argv", [["repair", "/nonexistent/x.zip"], ["reassemble", "/nonexistent/x.zip", "--out", "/tmp"],
                                  ["verify", "/nonexistent/a.zip", "/nonexistent/b.zip"],
                                  ["reassemble", "x.zip", "--out", "/nonexistent-folder"]])
def test_transport_commands_fail_in_one_line(argv, capsys):
    rc = cli_main(argv)
    cap = capsys.readouterr()
    assert rc == 2
    text = (cap.err or cap.out).strip()
    assert text and "unexpected" not in text and "Traceback" not in text
    assert len(cap.err.strip().splitlines()) <= 1
