"""`dossier verify`: the tamper suite and hostile packages."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.export import verify as verify_mod
from desktop.export.verify import verify_package

from .conftest import flip_byte, rewrite_zip


def _findings(v) -> dict[str, str]:
    return {f.path: f.kind for f in v.findings}


def _tamper(exported, tmp_path, mutate, name="t.zip") -> Path:
    return rewrite_zip(exported.zip_path, tmp_path / name, mutate)


def _flip(suffix: str, pos=None):
    def mutate(items):
        hits = [i for i, (zi, _d) in enumerate(items) if zi.filename.endswith(suffix)]
        assert hits, suffix
        i = hits[0]
        zi, d = items[i]
        items[i] = (zi, flip_byte(d, pos))
        return items
    return mutate


KINDS = {
    "pdf": "data/submission.pdf",
    "answers.json": "data/answers.json",
    "xlsx": "data/answers.xlsx",
    "yaml": "data/program.yaml",
    "evidence": "data/evidence/1.1/1.1-member_list-1.pdf",
    "manifest": "manifest-sha256.txt",
    "tagmanifest": "tagmanifest-sha256.txt",
    "bag-info": "bag-info.txt",
    "bagit": "bagit.txt",
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("where", ["middle", "start", "end"])
def test_flipped_byte_is_named(exported, tmp_path, kind, where):
    path = KINDS[kind]
    with zipfile.ZipFile(exported.zip_path) as z:
        size = z.getinfo(f"{exported.base_name}/{path}").file_size
    pos = {"middle": None, "start": 0, "end": size - 2}[where]
    v = verify_package(_tamper(exported, tmp_path, _flip("/" + path, pos)))
    assert v.status == "tampered" and v.exit_code == 1
    f = _findings(v)
    assert f.get(path) == "modified", (kind, [x.line() for x in v.findings], [c for c in v.checks if not c.ok])
    # nothing else is blamed
    assert set(f) == {path}, [x.line() for x in v.findings]


def test_byte_flip_in_a_manifest_hash_blames_the_manifest_not_the_file(exported, tmp_path):
    # flip a hex digit of the PDF's line: the PDF itself is intact
    with zipfile.ZipFile(exported.zip_path) as z:
        m = z.read(f"{exported.base_name}/manifest-sha256.txt")
    end = m.index(b"  data/submission.pdf")
    line = m.rindex(b"\n", 0, end) + 1
    for pos in (next(i for i in range(line, end) if m[i:i + 1] in b"02468"),  # still a hex digit
                next(i for i in range(line, end) if m[i:i + 1] in b"af")):  # "a"^1, "f"^1 are not hex
        v = verify_package(_tamper(exported, tmp_path, _flip("/manifest-sha256.txt", pos)))
        assert _findings(v) == {"manifest-sha256.txt": "modified"}, [x.line() for x in v.findings]


@pytest.mark.parametrize("path", ["data/evidence/2.3/2.3-charter-1.pdf", "data/answers.json", "data/submission.pdf",
                                  "bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"])
def test_deleted_file_is_named_missing(exported, tmp_path, path):
    v = verify_package(_tamper(exported, tmp_path, lambda items: [(zi, d) for zi, d in items
                                                                  if not zi.filename.endswith("/" + path)]))
    assert v.status == "tampered" and v.exit_code == 1
    assert _findings(v).get(path) == "missing", [x.line() for x in v.findings]


@pytest.mark.parametrize("path", ["data/evidence/1.1/extra.txt", "data/new.txt", "notes.txt"])
def test_added_file_is_named_extra(exported, tmp_path, path):
    def add(items):
        zi = zipfile.ZipInfo(f"{exported.base_name}/{path}", date_time=(2025, 3, 1, 0, 0, 0))
        return items + [(zi, b"added later\n")]

    v = verify_package(_tamper(exported, tmp_path, add))
    assert v.exit_code == 1
    assert _findings(v) == {path: "extra"}, [x.line() for x in v.findings]


def test_file_added_beside_the_bag_folder_is_extra(exported, tmp_path):
    v = verify_package(_tamper(exported, tmp_path, lambda items: items + [
        (zipfile.ZipInfo("README.txt", date_time=(2025, 3, 1, 0, 0, 0)), b"hello")]))
    assert v.exit_code == 1 and _findings(v) == {"README.txt": "extra"}


@pytest.mark.parametrize("old,new", [("data/evidence/1.1/1.1-member_list-1.pdf", "data/evidence/1.1/renamed.pdf"),
                                     ("data/answers.xlsx", "data/answers-old.xlsx"),
                                     ("bag-info.txt", "bag-info.bak")])
def test_renamed_file_is_named(exported, tmp_path, old, new):
    def rename(items):
        out = []
        for zi, d in items:
            if zi.filename.endswith("/" + old):
                zi = zipfile.ZipInfo(zi.filename[: -len(old)] + new, date_time=zi.date_time)
            out.append((zi, d))
        return out

    v = verify_package(_tamper(exported, tmp_path, rename))
    assert v.exit_code == 1
    (f,) = v.findings
    assert (f.kind, f.path, f.renamed_to) == ("renamed", old, new)


def test_coordinated_change_of_file_and_manifests_is_caught_by_the_pdf(exported, tmp_path):
    """Someone edits answers.json and rewrites manifest and tag manifest to match: the bag is
    self-consistent, but the content listing sealed in the PDF tells."""
    import hashlib

    from desktop.export.bag import manifest_bytes
    from desktop.export.digest import parse_listing

    root = exported.base_name

    def forge(items):
        d = dict((zi.filename, data) for zi, data in items)
        ans = d[f"{root}/data/answers.json"].replace("柳州".encode(), "桂林".encode())
        d[f"{root}/data/answers.json"] = ans
        m = parse_listing(d[f"{root}/manifest-sha256.txt"])
        m["data/answers.json"] = hashlib.sha256(ans).hexdigest()
        d[f"{root}/manifest-sha256.txt"] = manifest_bytes(m.items())
        tm = parse_listing(d[f"{root}/tagmanifest-sha256.txt"])
        tm["manifest-sha256.txt"] = hashlib.sha256(d[f"{root}/manifest-sha256.txt"]).hexdigest()
        d[f"{root}/tagmanifest-sha256.txt"] = manifest_bytes(tm.items())
        return [(zi, d[zi.filename]) for zi, _ in items]

    v = verify_package(_tamper(exported, tmp_path, forge))
    assert v.exit_code == 1
    assert _findings(v).get("data/answers.json") == "modified"
    assert any(c.name == "content digest" and not c.ok for c in v.checks)


def test_cli_lists_each_tampered_file(exported, tmp_path, capsys):
    def two(items):
        items = _flip("/data/answers.xlsx")(items)
        return [(zi, d) for zi, d in items if not zi.filename.endswith("/data/program.yaml")]

    bad = _tamper(exported, tmp_path, two)
    assert cli_main(["verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED" in out
    assert "modified  data/answers.xlsx" in out and "missing   data/program.yaml" in out


# ---------------------------------------------------------------------------- hostile packages


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]], compression=zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in entries:
            z.writestr(name, data)
    return path


def _bagish(prefix: str = "pkg/") -> list[tuple[str, bytes]]:
    return [(prefix + "bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"),
            (prefix + "data/a.txt", b"a\n")]


def _symlink(name: str, target: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    zi = zipfile.ZipInfo(name)
    zi.create_system = 3
    zi.external_attr = (stat.S_IFLNK | 0o777) << 16
    return zi, target


HOSTILE = {
    "zip-slip": lambda: _bagish() + [("pkg/../../evil.txt", b"x")],
    "absolute": lambda: _bagish() + [("/tmp/evil.txt", b"x")],
    "drive-letter": lambda: _bagish() + [("C:/evil.txt", b"x")],
    "backslash": lambda: _bagish() + [("pkg\\..\\evil.txt", b"x")],
    "symlink": lambda: _bagish() + [_symlink("pkg/data/link", b"/etc/passwd")],
    "duplicate": lambda: _bagish() + [("pkg/data/a.txt", b"b\n")],
    "case-duplicate": lambda: _bagish() + [("pkg/data/A.txt", b"b\n")],
    "not-a-bag": lambda: [("readme.txt", b"hello")],
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_packages_are_refused_without_writing(case, tmp_path, monkeypatch, recwarn):
    work = tmp_path / "work"
    work.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    pkg = _zip(tmp_path / "hostile.zip", HOSTILE[case]())
    before = set(tmp_path.rglob("*"))
    v = verify_package(pkg)
    assert v.status == "unreadable" and v.exit_code == 2, v.to_dict()
    assert v.errors
    assert set(tmp_path.rglob("*")) == before  # nothing written anywhere, scratch folder cleaned up
    assert not Path("/tmp/evil.txt").exists()
    assert cli_main(["verify", str(pkg)]) == 2


def test_zip_bomb_ratio_is_refused(tmp_path):
    pkg = _zip(tmp_path / "bomb.zip", _bagish() + [("pkg/data/zeros.bin", bytes(64 << 20))], zipfile.ZIP_DEFLATED)
    v = verify_package(pkg)
    assert v.exit_code == 2 and "ratio" in v.errors[0]


def test_total_size_and_entry_count_limits(tmp_path, monkeypatch):
    pkg = _zip(tmp_path / "big.zip", _bagish() + [(f"pkg/data/f{i}.txt", b"x" * 100) for i in range(20)])
    monkeypatch.setattr(verify_mod, "MAX_TOTAL_BYTES", 1000)
    assert "GiB" in verify_package(pkg).errors[0]
    monkeypatch.setattr(verify_mod, "MAX_TOTAL_BYTES", 1 << 40)
    monkeypatch.setattr(verify_mod, "MAX_ENTRIES", 10)
    assert "entries" in verify_package(pkg).errors[0]


def test_lying_local_header_is_refused(exported, tmp_path):
    data = bytearray(exported.zip_path.read_bytes())
    name = f"{exported.base_name}/data/answers.json".encode()
    i = data.index(name)  # the local header's copy of the name comes before the central directory's
    data[i + len(name) - 1] = ord("x")
    p = tmp_path / "lie.zip"
    p.write_bytes(bytes(data))
    v = verify_package(p)
    assert v.exit_code == 2


def test_garbage_and_missing_files_are_unreadable(tmp_path):
    p = tmp_path / "x.zip"
    p.write_bytes(b"this is not a zip")
    assert verify_package(p).exit_code == 2
    assert verify_package(tmp_path / "nope.zip").exit_code == 2
    trunc = tmp_path / "t.zip"
    _zip(trunc, _bagish())
    trunc.write_bytes(trunc.read_bytes()[:40])
    assert verify_package(trunc).exit_code == 2


def test_symlink_in_unpacked_folder_is_refused(unpacked, tmp_path):
    import shutil

    d = tmp_path / "bag"
    shutil.copytree(unpacked, d)
    os.symlink("/etc/passwd", d / "data" / "link")
    assert verify_package(d).exit_code == 2


def test_tampered_unpacked_folder(unpacked, tmp_path):
    import shutil

    d = tmp_path / "bag"
    shutil.copytree(unpacked, d)
    (d / "data" / "program.yaml").write_bytes((d / "data" / "program.yaml").read_bytes() + b"# edited\n")
    v = verify_package(d)
    assert v.exit_code == 1 and _findings(v) == {"data/program.yaml": "modified"}


def test_overlapping_entries_are_refused(tmp_path):
    """Two directory entries pointing at the same bytes (the "better zip bomb" trick)."""
    import struct

    p = _zip(tmp_path / "overlap.zip", _bagish() + [("pkg/data/b.txt", b"b\n")])
    data = bytearray(p.read_bytes())
    a_local = data.index(b"pkg/data/a.txt") - 30
    b_central = data.rindex(b"pkg/data/b.txt") - 46
    assert data[b_central:b_central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, b_central + 42, a_local)
    p.write_bytes(bytes(data))
    v = verify_package(p)
    assert v.exit_code == 2 and "overlaps" in v.errors[0]


def test_random_byte_flips_anywhere_never_crash(exported, tmp_path):
    """Flip raw bytes of the zip file itself (headers, directory, data): never an exception; a flip
    inside any file's bytes is always caught. (A flip in pure zip metadata such as an entry's time
    changes no file, so "intact" is a correct answer there.)"""
    import random
    import struct

    raw = exported.zip_path.read_bytes()
    data_spans = []
    with zipfile.ZipFile(exported.zip_path) as z:
        for zi in z.infolist():
            nlen, xlen = struct.unpack("<HH", raw[zi.header_offset + 26: zi.header_offset + 30])
            start = zi.header_offset + 30 + nlen + xlen
            data_spans.append((start, start + zi.compress_size))
    rnd = random.Random(4)
    positions = [rnd.randrange(len(raw)) for _ in range(24)] + [len(raw) - 5, len(raw) - 30, 10, 40]
    positions += [rnd.randrange(a, b) for a, b in rnd.sample(data_spans, 6) if b > a]
    for i, pos in enumerate(positions):
        p = tmp_path / f"f{i}.zip"
        p.write_bytes(flip_byte(raw, pos))
        v = verify_package(p)
        in_data = any(a <= pos < b for a, b in data_spans)
        assert v.exit_code in ((1, 2) if in_data else (0, 1, 2)), (pos, v.to_dict())
