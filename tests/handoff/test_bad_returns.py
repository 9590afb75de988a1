"""Bad input gets a clear message and changes nothing: other projects, unknown hand-offs, replays,
edits outside the assignment, tampered / truncated / hostile return files, too-new formats,
unexpected signers, outdated hand-offs, overlapping assignments, and the v1 fixture."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from desktop.errors import DossierError
from desktop.handoff import MergeRefused, ReturnError, apply_merge, open_return, plan_merge
from desktop.handoff.returnfile import MANIFEST, MIMETYPE
from desktop.project import Project
from tests.handoff.helpers import give_back, new_lead, rewrite_return, share
from tests.handoff.test_merge_matrix import BASE, answers, edit, merge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def flow(tmp_path):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    edit(part, {"2.1/teachers": 9})
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    return lead, part, ret


def _snapshot(path: Path) -> str:
    with Project.open(path, readonly=True) as p:
        rows = [p.answers(), p.conn.execute("SELECT * FROM handoffs").fetchall(),
                p.conn.execute("SELECT COUNT(*) FROM history").fetchone(), p.conn.execute("SELECT * FROM links").fetchall()]
    return repr(rows)


def _refused(lead: Path, ret: Path, key: str, **kw):
    before = _snapshot(lead)
    with pytest.raises(DossierError) as e:
        merge(lead, ret, **kw)
    assert e.value.key == key, e.value.en
    assert _snapshot(lead) == before
    return e.value


def test_return_for_another_project(flow, tmp_path):
    _lead, _part, ret = flow
    other = new_lead(tmp_path, BASE, name="other.dossier")
    e = _refused(other, ret, "return.other_project")
    assert "another project" in e.en


def test_return_for_an_unknown_handoff(flow, tmp_path):
    lead, _part, ret = flow
    bad = tmp_path / "unknown.dossier-return"
    rewrite_return(ret, bad, lambda d: d.update(handoff_id="00000000-0000-0000-0000-000000000000"))
    _refused(lead, bad, "return.unknown_handoff")


def test_merged_twice_is_a_noop_that_says_so(flow):
    lead, _part, ret = flow
    merge(lead, ret)
    before = _snapshot(lead)
    plan, res = merge(lead, ret)
    assert res.noop == "merged" and "already merged" in plan.warnings[0][0]
    assert _snapshot(lead) == before


def test_edits_outside_the_assignment_are_listed_and_never_merged(flow, tmp_path):
    lead, part, _ = flow
    edit(part, {"1.1/name": "not yours", "2.2/area": 55.0})
    src = tmp_path / "x.txt"
    src.write_text("outside")
    with Project.open(part) as p:
        p.attach(src, "1.1")
    ret = tmp_path / "oos.dossier-return"
    s = give_back(part, ret)
    assert "1.1/name" in s.out_of_scope
    e = _refused(lead, ret, "merge.out_of_scope")
    assert e.exit_code == 1
    with open_return(ret) as rf, Project.open(lead) as p:
        plan = plan_merge(p, rf)
        assert sorted(o.path for o in plan.out_of_scope) == ["1.1/#x.txt", "1.1/name"]
        apply_merge(p, plan, rf, skip_out_of_scope=True)  # the user confirmed: the rest is merged
    a = answers(lead)
    assert "1.1/name" not in a and a["2.2/area"] == 55.0 and a["2.1/teachers"] == 9
    with Project.open(lead, readonly=True) as p:
        assert not p.evidence("1.1")


def test_forged_out_of_scope_edit_is_caught_by_the_lead(flow, tmp_path):
    """The lead checks the assignment it recorded, not what the return claims."""
    lead, _part, ret = flow
    bad = tmp_path / "forged.dossier-return"
    rewrite_return(ret, bad, lambda d: d["fields"].append({"path": "1.1/count", "base": None, "value": 3}))
    _refused(lead, bad, "merge.out_of_scope")


def test_base_mismatch_refused(flow, tmp_path):
    lead, _part, ret = flow

    def m(d):
        d["fields"][0]["base"] = 4
    bad = tmp_path / "base.dossier-return"
    rewrite_return(ret, bad, m)
    _refused(lead, bad, "return.base_mismatch")


def test_bad_value_refused(flow, tmp_path):
    lead, _part, ret = flow

    def m(d):
        d["fields"][0]["value"] = "many"
    bad = tmp_path / "val.dossier-return"
    rewrite_return(ret, bad, m)
    _refused(lead, bad, "return.bad_value")


def _rezip(src: Path, dst: Path, change=None, add=()):
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    with zipfile.ZipFile(dst, "w") as z:
        for zi, data in items:
            data = change(zi.filename, data) if change else data
            if data is not None:
                z.writestr(zi, data)
        for name, data, method in add:
            zi = zipfile.ZipInfo(name)
            zi.compress_type = method
            z.writestr(zi, data)
    return dst


@pytest.mark.parametrize("case", ["json", "manifest", "drop_manifest", "extra_listed"])
def test_tampered_returns(flow, tmp_path, case):
    lead, _part, ret = flow
    bad = tmp_path / f"{case}.dossier-return"
    if case == "json":
        _rezip(ret, bad, lambda n, d: d.replace(b'"value": 9', b'"value": 8') if n == "return.json" else d)
    elif case == "manifest":
        _rezip(ret, bad, lambda n, d: d.replace(b"0", b"1", 1) if n == MANIFEST else d)
    elif case == "drop_manifest":
        _rezip(ret, bad, lambda n, d: None if n == MANIFEST else d)
    else:
        _rezip(ret, bad, add=[("evidence/" + "0" * 64, b"x", zipfile.ZIP_STORED)])
    before = _snapshot(lead)
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert e.value.key == "return.tampered", e.value.en
    assert _snapshot(lead) == before


def test_truncated_return(flow, tmp_path):
    _lead, _part, ret = flow
    data = ret.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 60):
        bad = tmp_path / f"cut{cut}.dossier-return"
        bad.write_bytes(data[:cut])
        with pytest.raises(ReturnError) as e:
            open_return(bad)
        assert e.value.key in ("return.tampered", "return.unreadable"), e.value.en


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "evidence/../../x", "C:\\x", "evidence/abc"])
def test_zip_slip_and_unknown_names_refused(flow, tmp_path, name):
    _lead, _part, ret = flow
    bad = _rezip(ret, tmp_path / "slip.dossier-return", add=[(name, b"boom", zipfile.ZIP_STORED)])
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert "unexpected entry" in e.value.en


def test_zip_bomb_refused(flow, tmp_path):
    _lead, _part, ret = flow
    bad = _rezip(ret, tmp_path / "bomb.dossier-return",
                 add=[("evidence/" + "a" * 64, b"\0" * (64 << 20), zipfile.ZIP_DEFLATED)])
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert "compression ratio" in e.value.en


def test_duplicate_entry_refused(flow, tmp_path):
    _lead, _part, ret = flow
    with zipfile.ZipFile(ret) as z:
        body = z.read("return.json")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bad = _rezip(ret, tmp_path / "dup.dossier-return", add=[("return.json", body, zipfile.ZIP_STORED)])
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert "twice" in e.value.en


@pytest.mark.parametrize("content", [b"", b"hello", b"PK\x03\x04" + b"\0" * 200, "SQLite format 3\x00".encode()])
def test_not_a_return(tmp_path, content):
    bad = tmp_path / "x.dossier-return"
    bad.write_bytes(content)
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert e.value.key == "return.not_return"


def test_a_folder_and_a_fifo(tmp_path):
    with pytest.raises(ReturnError):
        open_return(tmp_path)
    import os

    if hasattr(os, "mkfifo"):
        f = tmp_path / "fifo.dossier-return"
        os.mkfifo(f)
        with pytest.raises(ReturnError) as e:
            open_return(f)
        assert e.value.key == "return.not_return"


def test_too_new_format(flow, tmp_path):
    lead, _part, ret = flow
    bad = tmp_path / "new.dossier-return"
    rewrite_return(ret, bad, lambda d: d.update(version=2))
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert e.value.key == "return.too_new" and "newer" in e.value.en


def test_evidence_content_tampered(tmp_path):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    src = tmp_path / "cv.txt"
    src.write_bytes(b"CV of Anan " * 100)
    with Project.open(part) as p:
        p.attach(src, "2.1")
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    bad = _rezip(ret, tmp_path / "ev.dossier-return",
                 lambda n, d: d.replace(b"Anan", b"Anon") if n.startswith("evidence/") else d)
    with pytest.raises(ReturnError) as e:
        open_return(bad)
    assert e.value.key == "return.tampered"


def test_outdated_handoff_merges_against_its_own_base(tmp_path):
    lead = new_lead(tmp_path, BASE)
    old = tmp_path / "old.dossier"
    share(lead, old, sections=["2"])
    edit(lead, {"2.1/teachers": 6})  # the lead works on, then re-shares the same part
    new = tmp_path / "new.dossier"
    res = share(lead, new, sections=["2"])
    assert res.superseded and not res.overlaps
    edit(old, {"2.2/area": 120.0})  # the partner filled the outdated copy
    ret = tmp_path / "old.dossier-return"
    give_back(old, ret)
    plan, _ = merge(lead, ret)
    assert any("earlier hand-off" in en for en, _zh in plan.warnings)
    assert not plan.conflicts  # teachers: base 5 in the old hand-off, the partner did not touch it
    a = answers(lead)
    assert (a["2.1/teachers"], a["2.2/area"]) == (6, 120.0)


def test_overlapping_assignments_warn(tmp_path):
    lead = new_lead(tmp_path, BASE)
    share(lead, tmp_path / "a.dossier", indicators=["2.1"], partner="A")
    res = share(lead, tmp_path / "b.dossier", sections=["2"], partner="B")
    (o,) = res.overlaps
    assert o.partner == "A" and "2.1/teachers" in o.paths


def test_v1_fixture_migrates_shares_and_merges(tmp_path):
    lead = tmp_path / "v1.dossier"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "project-v1.dossier", lead)
    part = tmp_path / "part.dossier"
    share(lead, part, indicators=["1.1"], include_evidence=True)
    with Project.open(part) as p:
        rows = p.get("1.1/units")
        rows.append({"name": "丁", "months": 2})
        p.set_many({"1.1/units": rows, "1.1/count": 13})
    with Project.open(lead) as p:
        rows = p.get("1.1/units")
        rows.insert(0, {"name": "甲方", "months": 1})
        p.set("1.1/units", rows)
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret)
    assert not plan.conflicts
    a = answers(lead)
    assert [r["name"] for r in a["1.1/units"]] == ["甲方", "乙", "丁"] and a["1.1/count"] == 13


# ---------------------------------------------------------------------------- signatures


@pytest.fixture
def two_sealers(monkeypatch):
    from desktop.identity import get_sealer, store
    from tests.keyrings import install_memory_keyring

    install_memory_keyring(monkeypatch)
    store.create_identity("罗勇技术学院", "Rayong Technical College", "TH")
    a = get_sealer()
    store.delete_identity(quiet=True)
    store.create_identity("别的单位", "Someone Else", "TH")
    b = get_sealer()
    return a, b


def test_signature_by_another_identity_warns_and_lets_the_lead_decide(tmp_path, two_sealers):
    a, b = two_sealers
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"], expect_fingerprint=a.fingerprint)
    edit(part, {"2.1/teachers": 9})
    good = tmp_path / "good.dossier-return"
    give_back(part, good, sealer=a)
    with open_return(good) as rf:
        assert rf.signature["fingerprint"] == a.fingerprint
    bad = tmp_path / "other.dossier-return"
    give_back(part, bad, sealer=b)
    e = _refused(lead, bad, "merge.signer")
    assert "not by the identity expected" in e.en
    plan, res = merge(lead, bad, accept_signer=True)
    assert answers(lead)["2.1/teachers"] == 9
    del plan, res


def test_first_signer_is_remembered(tmp_path, two_sealers):
    a, b = two_sealers
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    edit(part, {"2.1/teachers": 9})
    r1 = tmp_path / "r1.dossier-return"
    give_back(part, r1, sealer=a)
    plan, _ = merge(lead, r1)
    assert any("later returns" in en for en, _ in plan.warnings)
    edit(part, {"2.1/teachers": 10})
    r2 = tmp_path / "r2.dossier-return"
    give_back(part, r2, sealer=b)
    _refused(lead, r2, "merge.signer")


def test_checkable_without_dossier(tmp_path, two_sealers):
    """sha256sum -c checks the manifest; openssl cms checks the signature (each where installed)."""
    a, _b = two_sealers
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    src = tmp_path / "cv.txt"
    src.write_text("CV")
    with Project.open(part) as p:
        p.attach(src, "2.1")
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret, sealer=a)
    out = tmp_path / "unpacked"
    with zipfile.ZipFile(ret) as z:
        z.extractall(out)
    assert (out / "mimetype").read_bytes() == MIMETYPE
    assert ret.read_bytes()[30:38] == b"mimetype"
    for line in (out / MANIFEST).read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    if shutil.which("sha256sum"):
        r = subprocess.run(["sha256sum", "-c", MANIFEST], cwd=out, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    if shutil.which("openssl"):
        r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature.p7s",
                            "-content", MANIFEST, "-CAfile", "signer-cert.pem", "-purpose", "any", "-out", "/dev/null"],
                           cwd=out, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        (out / MANIFEST).write_text((out / MANIFEST).read_text().replace("0", "1", 1))
        r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature.p7s",
                            "-content", MANIFEST, "-CAfile", "signer-cert.pem", "-purpose", "any", "-out", "/dev/null"],
                           cwd=out, capture_output=True, text=True)
        assert r.returncode != 0


def test_refusals_change_nothing_on_disk_of_the_partner(flow):
    """Making a return does not modify the hand-off file."""
    _lead, part, _ret = flow
    h = hashlib.sha256(part.read_bytes()).hexdigest()
    give_back(part, part.with_name("again.dossier-return"))
    assert hashlib.sha256(part.read_bytes()).hexdigest() == h


def test_return_refuses_an_ordinary_project(tmp_path):
    lead = new_lead(tmp_path, BASE)
    with pytest.raises(DossierError) as e:
        give_back(lead, tmp_path / "x.dossier-return")
    assert e.value.key == "handoff.not_handoff"


def test_unresolved_conflicts_refused(flow):
    lead, _part, ret = flow
    edit(lead, {"2.1/teachers": 4})
    with pytest.raises(MergeRefused) as e:
        merge(lead, ret)
    assert e.value.key == "merge.conflicts"


def test_a_failed_write_leaves_no_return_file(flow, tmp_path):
    _lead, part, _ret = flow

    class Broken:
        name = "broken"

        def sign_bytes(self, data):
            raise OSError(28, "No space left on device")

    out = tmp_path / "full.dossier-return"
    with pytest.raises(DossierError) as e:
        give_back(part, out, sealer=Broken())
    assert e.value.key == "disk.full"
    assert not out.exists() and not list(tmp_path.glob(".full.dossier-return*"))


@pytest.mark.parametrize("partner", ["วิทยาลัยเทคนิคระยอง 🏫", "A" * 200, "Ecole / \\ : * ? \" < > |"])
def test_odd_partner_names(tmp_path, partner):
    lead = new_lead(tmp_path, BASE)
    from desktop.project import safe_file_name

    part = tmp_path / safe_file_name(f"{partner}.dossier")
    share(lead, part, sections=["2"], partner=partner)
    edit(part, {"2.1/teachers": 9})
    ret = tmp_path / "r.dossier-return"
    give_back(part, ret)
    plan, _ = merge(lead, ret)
    assert plan.partner == partner
    with Project.open(lead, readonly=True) as p:
        assert p.history("2.1/teachers")[-1].actor == partner


def test_partner_name_too_long_or_empty(tmp_path):
    lead = new_lead(tmp_path, BASE)
    for name in ("", "   ", "x" * 201):
        with pytest.raises(DossierError) as e:
            share(lead, tmp_path / "p.dossier", sections=["2"], partner=name)
        assert e.value.key in ("handoff.no_partner", "handoff.partner_name")
        assert not (tmp_path / "p.dossier").exists()
