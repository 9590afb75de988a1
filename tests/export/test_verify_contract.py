"""The verify verdict contract (#15 item 6), package identity, and what a package claims (#16 §2, §4)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import desktop.identity as identity
from desktop.cli import main as cli_main
from desktop.export import export_project
from desktop.export.bag import manifest_bytes
from desktop.export.verify import EXIT_CODES, verdict_lines, verify_package
from tests.keyrings import install_memory_keyring

from .conftest import fixed_clock, flip_byte, rewrite_zip


def _entries(zp: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zp) as z:
        return {zi.filename: z.read(zi) for zi in z.infolist()}


def _retag(items, root: str):
    """Recompute manifest-sha256.txt and tagmanifest-sha256.txt after an edit, as a forger would."""
    data = {zi.filename: d for zi, d in items}
    payload = [(n[len(root) + 1:], hashlib.sha256(d).hexdigest()) for n, d in data.items()
               if n.startswith(root + "/data/")]
    man = manifest_bytes(payload)
    out = []
    for zi, d in items:
        if zi.filename == f"{root}/manifest-sha256.txt":
            d = man
        out.append((zi, d))
    data = {zi.filename: d for zi, d in out}
    tm = manifest_bytes([(t, hashlib.sha256(data[f"{root}/{t}"]).hexdigest())
                         for t in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")])
    return [(zi, tm if zi.filename == f"{root}/tagmanifest-sha256.txt" else d) for zi, d in out]


@pytest.fixture
def signer(monkeypatch):
    install_memory_keyring(monkeypatch)
    identity.create_identity("柳州市人民政府", "Liuzhou Municipal Government", "CN")
    return identity.get_sealer()


@pytest.fixture
def signed(signer, demo_copy, tmp_path):
    out = tmp_path / "signed"
    out.mkdir()
    return export_project(demo_copy, out, sealer=signer, clock=fixed_clock)


# ------------------------------------------------------------------------------ verdict contract


def test_exit_codes_and_headlines_are_the_documented_ones():
    assert EXIT_CODES == {"intact": 0, "tampered": 1, "unreadable": 2, "untrusted": 3}
    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text("utf-8")
    for word, code in (("INTACT", 0), ("TAMPERED", 1), ("UNREADABLE", 2), ("UNTRUSTED", 3)):
        assert re.search(rf"`{code}`\s*\|\s*`?{word}", doc), word


def test_wrong_trusted_fingerprint_is_untrusted_not_tampered(signed, signer, capsys):
    zp = str(signed.zip_path)
    rc = cli_main(["verify", zp, "--trust-fingerprint", "ab" * 32])
    out = capsys.readouterr().out
    assert rc == 3 and out.startswith("UNTRUSTED:") and "TAMPERED" not in out
    assert "not by a trusted identity" in out and signer.display_fingerprint in out
    rc = cli_main(["verify", zp, "--json", "--trust-fingerprint", "ab" * 32])
    v = json.loads(capsys.readouterr().out)
    assert rc == 3 and v["status"] == "untrusted" and v["exit_code"] == 3 and not v["findings"]
    assert v["trust"]["required"] and v["trust"]["met"] is False
    # the right one among several (a trust list): intact
    rc = cli_main(["verify", zp, "--trust-fingerprint", "ab" * 32, "--trust-fingerprint", signer.fingerprint])
    assert rc == 0 and capsys.readouterr().out.startswith("INTACT:")
    # no trust required: intact, the signer reported for the reviewer to compare
    v = verify_package(zp)
    assert v.status == "intact" and v.trust == {"required": False, "met": None, "reason": None}


def test_unsigned_package_with_trust_required_is_untrusted(exported, capsys):
    rc = cli_main(["verify", str(exported.zip_path), "--trust-fingerprint", "cd" * 32])
    out = capsys.readouterr().out
    assert rc == 3 and out.startswith("UNTRUSTED:") and "not signed" in out
    zh = verdict_lines(verify_package(exported.zip_path, trust_fingerprint="cd" * 32), "zh")
    assert zh[0].startswith("不受信任") and "未签章" in "\n".join(zh)


def test_tampered_signed_package_stays_tampered_with_trust(signed, signer, tmp_path):
    def flip(items):
        return [(zi, flip_byte(d) if zi.filename.endswith("/data/answers.xlsx") else d) for zi, d in items]

    bad = rewrite_zip(signed.zip_path, tmp_path / "bad.zip", flip)
    v = verify_package(bad, trust_fingerprint=signer.fingerprint)
    assert v.status == "tampered" and v.exit_code == 1


def test_malformed_trust_fingerprint_is_one_line_usage_error(exported, capsys):
    rc = cli_main(["verify", str(exported.zip_path), "--trust-fingerprint", "1234"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "64 hex digits" in err


# ------------------------------------------------------------------------------ package identity


def test_package_identity_in_answers_and_bag_info(exported, demo_master):
    from desktop.project import Project

    e = _entries(exported.zip_path)
    root = exported.base_name
    doc = json.loads(e[f"{root}/data/answers.json"])
    with Project.open(demo_master, readonly=True) as p:
        uuid = p.uuid
    assert doc["format_version"] == 2 and doc["package"]["id"] == exported.package_id
    assert doc["project"]["uuid"] == uuid == exported.project_uuid
    info = e[f"{root}/bag-info.txt"].decode()
    assert f"Dossier-Package-Id: {exported.package_id}\n" in info and f"Dossier-Project-UUID: {uuid}\n" in info
    assert exported.manifest_sha256 == hashlib.sha256(e[f"{root}/manifest-sha256.txt"]).hexdigest()
    v = verify_package(exported.zip_path)
    assert v.status == "intact" and v.package_id == exported.package_id and v.project_uuid == uuid


def test_package_id_is_stable_for_unchanged_content_and_new_after_a_change(demo_copy, tmp_path):
    a = export_project(demo_copy, _mk(tmp_path / "a"), clock=fixed_clock)
    b = export_project(demo_copy, _mk(tmp_path / "b"), clock=fixed_clock)
    assert a.package_id == b.package_id and a.zip_path.read_bytes() == b.zip_path.read_bytes()
    change_one_answer(demo_copy)
    c = export_project(demo_copy, _mk(tmp_path / "c"))
    assert c.package_id != a.package_id


def change_one_answer(project: Path, text: str = "（已修改）") -> str:
    """Append to the first answered text field; returns its path."""
    from desktop.project import Project

    with Project.open(project) as p:
        path, value = next((k, v) for k, v in p.answers().items()
                           if isinstance(v, str) and p.program.field(k).type in ("text", "longtext"))
        p.set(path, value + text)
    return path


def _mk(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    return d


def test_every_export_is_recorded_in_the_project_history(demo_copy, tmp_path):
    from desktop.export.history import find_export, list_exports
    from desktop.project import Project

    a = export_project(demo_copy, _mk(tmp_path / "a"), clock=fixed_clock)
    export_project(demo_copy, _mk(tmp_path / "b"), clock=fixed_clock)  # same package again: one row, two outputs
    with Project.open(demo_copy, readonly=True) as p:
        recs = list_exports(p)
        assert len(recs) == 1
        r = recs[0]
        assert r.package_id == a.package_id and r.content_digest == a.content_digest
        assert r.manifest_sha256 == a.manifest_sha256
        assert str(a.zip_path) in r.outputs and str(tmp_path / "b" / a.zip_path.name) in r.outputs
        man = _entries(a.zip_path)[f"{a.base_name}/manifest-sha256.txt"].decode()
        assert r.files == {line[66:]: line[:64] for line in man.splitlines()}
        assert find_export(p, "sha256:" + a.content_digest) is not None and find_export(p, a.package_id)
        rows = sqlite3.connect(f"file:{demo_copy}?mode=ro", uri=True).execute("SELECT count(*) FROM exports").fetchone()
        assert rows == (1,)


def test_read_only_project_exports_without_recording(demo_copy, tmp_path):
    os.chmod(demo_copy, 0o444)
    try:
        res = export_project(demo_copy, _mk(tmp_path / "o"), clock=fixed_clock)
        assert verify_package(res.zip_path).status == "intact"
    finally:
        os.chmod(demo_copy, 0o644)


# ------------------------------------------------------------------------------ what bag-info claims


def test_forged_bag_info_with_recomputed_tag_manifest_is_tampered(exported, tmp_path):
    root = exported.base_name

    def forge(items):
        items = [(zi, re.sub(rb"Source-Organization: [^\n]*", "Source-Organization: Forged Org".encode(), d)
                  if zi.filename == f"{root}/bag-info.txt" else d) for zi, d in items]
        return _retag(items, root)

    v = verify_package(rewrite_zip(exported.zip_path, tmp_path / "forged.zip", forge))
    assert v.status == "tampered"
    f = {x.path: x for x in v.findings}
    assert set(f) == {"bag-info.txt"} and "Source-Organization" in f["bag-info.txt"].detail
    assert "Forged Org" in f["bag-info.txt"].detail


@pytest.mark.parametrize("field,value", [("Dossier-Package-Id", "00000000-0000-4000-8000-000000000000"),
                                         ("Dossier-Content-Digest", "sha256:" + "0" * 64),
                                         ("External-Identifier", "other-program@9"),
                                         ("Dossier-Status", "draft")])
def test_each_identity_field_of_bag_info_is_checked(exported, tmp_path, field, value):
    root = exported.base_name

    def forge(items):
        items = [(zi, re.sub(rf"{field}: [^\n]*".encode(), f"{field}: {value}".encode(), d)
                  if zi.filename == f"{root}/bag-info.txt" else d) for zi, d in items]
        return _retag(items, root)

    v = verify_package(rewrite_zip(exported.zip_path, tmp_path / "f.zip", forge))
    assert v.status == "tampered" and field in next(x.detail for x in v.findings if x.path == "bag-info.txt")


def test_removed_signature_is_tampering(signed, tmp_path):
    root = signed.base_name

    def strip(items):
        return [(zi, d) for zi, d in items if not zi.filename.endswith(("/signature.p7s", "/signer-cert.pem"))]

    v = verify_package(rewrite_zip(signed.zip_path, tmp_path / "nosig.zip", strip))
    assert v.status == "tampered" and v.signature["status"] == "unsigned"
    bad = [c for c in v.checks if not c.ok]
    assert any("signature.p7s is missing" in c.detail for c in bad), bad
    assert root


def test_signature_by_someone_else_than_the_named_signer_is_tampering(signed, tmp_path, monkeypatch):
    """Re-signing the tag manifest with another identity (answers.json still names the first)."""
    from desktop.identity import keys
    from desktop.identity.sealer import Sealer

    other_key = keys.generate_key()
    cert = keys.make_certificate(other_key, name_zh="冒名单位", name_en="", country="CN")
    ident = identity.Identity(name_zh="冒名单位", name_en="", country="CN", contact="", certificate=keys.cert_pem(cert),
                              fingerprint=keys.fingerprint(cert))
    other = Sealer(ident, other_key, cert)
    root = signed.base_name

    def resign(items):
        tm = next(d for zi, d in items if zi.filename == f"{root}/tagmanifest-sha256.txt")
        files = other.sign_bytes(tm)
        return [(zi, files[zi.filename.rsplit("/", 1)[1]] if zi.filename.endswith(("/signature.p7s", "/signer-cert.pem"))
                 else d) for zi, d in items]

    v = verify_package(rewrite_zip(signed.zip_path, tmp_path / "resigned.zip", resign))
    assert v.status == "tampered" and v.signature["status"] == "unknown_signer"
    assert any("another signer" in c.detail for c in v.checks if not c.ok)


def test_signature_added_to_an_unsigned_package_is_tampering(exported, signer, tmp_path):
    root = exported.base_name

    def add(items):
        tm = next(d for zi, d in items if zi.filename == f"{root}/tagmanifest-sha256.txt")
        files = signer.sign_bytes(tm)
        extra = []
        for name, data in files.items():
            zi = zipfile.ZipInfo(f"{root}/{name}", date_time=items[0][0].date_time)
            extra.append((zi, data))
        return items + extra

    v = verify_package(rewrite_zip(exported.zip_path, tmp_path / "added.zip", add))
    assert v.status == "tampered" and any("names no signer" in c.detail for c in v.checks if not c.ok)


# ------------------------------------------------------------------------------ hostile packages

BOMB = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _bomb_package(exported, tmp_path, *, fix_hashes: bool) -> Path:
    root = exported.base_name

    def plant(items):
        out = []
        for zi, d in items:
            if zi.filename == f"{root}/data/program.yaml":
                d = BOMB
            elif zi.filename == f"{root}/data/answers.json" and fix_hashes:
                doc = json.loads(d)
                doc["program"]["definition_sha256"] = hashlib.sha256(BOMB).hexdigest()
                d = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
            out.append((zi, d))
        return _retag(out, root) if fix_hashes else out

    return rewrite_zip(exported.zip_path, tmp_path / "evil.zip", plant)


@pytest.mark.parametrize("fix_hashes", [False, True])
def test_yaml_bomb_as_program_yaml_returns_quickly(exported, tmp_path, fix_hashes):
    evil = _bomb_package(exported, tmp_path, fix_hashes=fix_hashes)
    # in a child with a memory cap and a time limit: a bomb must neither hang nor grow
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
            "from desktop.export.verify import verify_package; v = verify_package(sys.argv[1]);"
            "print(v.status); print([c.detail for c in v.checks if not c.ok])")
    r = subprocess.run([sys.executable, "-c", code, str(evil)], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert r.returncode == 0, r.stderr[-2000:]
    status, details = r.stdout.splitlines()[:2]
    assert status == "tampered", r.stdout
    if not fix_hashes:
        assert "not parsed" in details, details  # its hash failed against answers.json: never parsed
    assert "MemoryError" not in r.stdout


def test_yaml_expansion_cap():
    from desktop.export.verify import yaml_expansion_problem

    assert "alias" in yaml_expansion_problem(BOMB)
    assert "recursive" in yaml_expansion_problem(b"a: &a [1, *a]")
    assert yaml_expansion_problem(b"a: &x {k: 1}\nb: *x\n") is None
    for p in sorted((Path(__file__).resolve().parents[2] / "resources" / "programs").glob("*.yaml")):
        assert yaml_expansion_problem(p.read_bytes()) is None, p.name  # the bundled ones use aliases, modestly


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_zip_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "evil.zip"
    os.mkfifo(fifo)
    v = verify_package(fifo)
    assert v.status == "unreadable" and "not a regular file" in v.errors[0]
    assert cli_main(["verify", str(fifo)]) == 2
    assert capsys.readouterr().out.startswith("UNREADABLE:")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_inside_an_unpacked_bag_is_refused(unpacked, tmp_path):
    d = tmp_path / "bag"
    shutil.copytree(unpacked, d)
    os.mkfifo(d / "data" / "evidence" / "pipe.pdf")
    v = verify_package(d)
    assert v.status == "unreadable" and "not a regular file" in v.errors[0]


def test_verify_leaves_no_temporary_files(exported, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert verify_package(exported.zip_path).status == "intact"
    assert list(tmp_path.iterdir()) == []


def test_answers_json_stamp_id_is_the_projects():
    from desktop.export import answers_json
    from desktop.project import STAMP_INDICATOR

    assert answers_json.STAMP_INDICATOR == STAMP_INDICATOR


def test_verify_does_not_import_the_export_or_project_layers():
    code = ("import sys, desktop.export.verify as v; from desktop.export import answers_json;"
            "print(sorted(m for m in ('reportlab', 'openpyxl', 'desktop.project', 'jsonschema') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
