"""Notes round trip: reviewer → signed notes file → applicant's project (import, reply, resolve) →
the next export carries data/review-response.json → the resubmission, taken into the same review
file, links to the earlier package and shows what changed. Foreign and tampered notes are refused."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from desktop.review import Review, add_packages
from desktop.review import applicant, notes_file
from desktop.review.returns import issue_notes

from .conftest import T0, _export


@pytest.fixture
def reviewer(mem_keyring):
    from desktop import identity

    identity.create_identity("省教育厅", "Provincial Education Department", "CN", storage="keyring")
    return identity.get_sealer()


def _first_evidence(rec):
    return rec.answers["evidence"][0]


def _returned(packages, review_path, tmp_path, sealer=None):
    with Review.open(review_path) as rv:
        (rec,) = add_packages(rv, [packages.a]).added
        ind = rec.answers["evidence"][0]["indicator"]
        n1 = rv.add_note(rec.id, "请补充合作协议扫描件", indicator=ind)
        ev = _first_evidence(rec)
        n2 = rv.add_note(rec.id, "数据与附件不一致", evidence=ev["name"])
        assert n2.indicator_id == ev["indicator"] and n2.evidence_sha256 == ev["sha256"]
        assert rv.package(rec.id).state == "in_review"  # the first note starts the review
        res = issue_notes(rv, rec.id, tmp_path / "意见", sealer=sealer, message="请于两周内修改后重新提交")
        assert res.path.name == "意见.dossier-notes" and res.items == 2
        assert rv.package(rec.id).state == "returned"
        assert all(n.notes_file == res.notes_id for n in rv.notes(rec.id))
        return rec, res, (n1, n2)


def test_round_trip(packages, review_path, tmp_path, reviewer):
    rec, issued, (n1, n2) = _returned(packages, review_path, tmp_path, sealer=reviewer)
    nf = notes_file.read(issued.path)
    assert nf.signed and nf.signature["fingerprint"] == reviewer.fingerprint
    assert nf.doc["addressed_to"]["content_digest"] == rec.content_digest
    assert nf.doc["addressed_to"]["applicant"]["zh"] == "甲学校"

    # the applicant imports the notes into the project the package came from
    proj_path = tmp_path / "a.dossier"
    shutil.copyfile(packages.project_a, proj_path)
    from desktop.project import Project

    with Project.open(proj_path) as proj:
        res = applicant.import_notes(proj, issued.path)
        assert res.added == 2 and res.signed and not res.already
        again = applicant.import_notes(proj, issued.path)
        assert again.already and again.added == 0
        notes = applicant.project_notes(proj)
        assert {n.text for n in notes} == {n1.text, n2.text}
        expected: dict = {}
        for n in (n1, n2):
            expected[n.indicator_id] = expected.get(n.indicator_id, 0) + 1
        assert applicant.open_counts(proj) == expected
        target = next(n for n in notes if n.text == n1.text)
        with pytest.raises(applicant.NotesImportError):
            applicant.reply(proj, target.id, "", resolved=True)  # resolving needs a reply
        applicant.reply(proj, target.id.split(":", 1)[1], "已补充协议扫描件", resolved=True)  # the short id works
        # change an answer in the noted indicator and add a file there
        ind = target.indicator_id
        path = next(p for p, f in proj.program.fields.items() if f.indicator_id == ind and f.type in ("text", "longtext"))
        proj.set(path, "修改后的说明")
        slot = next(s for s in proj.program.indicator(ind).evidence if "pdf" in (s.accept or ["pdf"]))
        extra = tmp_path / "合作协议.pdf"
        from desktop.demo import _pdf_bytes

        extra.write_bytes(_pdf_bytes("合作协议"))
        proj.attach(extra, ind, slot.id)

    import datetime as _dt

    new_zip = _export(proj_path, tmp_path / "out2", T0 + _dt.timedelta(days=3))
    with zipfile.ZipFile(new_zip) as z:
        (name,) = [n for n in z.namelist() if n.endswith("data/review-response.json")]
        resp = json.loads(z.read(name))
    assert resp["format"] == "dossier-review-response" and resp["format_version"] == 1
    assert resp["notes_id"] == issued.notes_id and resp["reviewer"] == reviewer.name
    assert resp["reviewed_package"] == {"digest": rec.content_digest, "sealed_at": rec.sealed_at}
    items = {i["note"]: i for i in resp["items"]}
    done = items[n1.text]
    assert done["state"] == "resolved" and done["reply"] == "已补充协议扫描件" and done["indicator"] == n1.indicator_id
    assert done["changed"]["answers"] == [path]
    assert done["changed"]["evidence_added"] == ["合作协议.pdf"] and done["changed"]["evidence_removed"] == []
    assert items[n2.text]["state"] == "open" and items[n2.text]["evidence"] == n2.evidence_name
    from desktop.export.verify import verify_package

    assert verify_package(new_zip).status == "intact"

    # the resubmission, in the same review file: linked to the earlier package, changes per indicator
    with Review.open(review_path) as rv:
        (new,) = add_packages(rv, [new_zip]).added
        assert new.previous == rec.id and rv.package(rec.id).superseded_by == new.id
        from desktop.review.diff import compare

        ch = {c.indicator: c for c in compare(rv.package(rec.id).answers, new.answers)}
        assert [x["path"] for x in ch[ind].answers] == [path]
        assert [x["name"] for x in ch[ind].evidence_added] == ["合作协议.pdf"]


def test_unchanged_project_exports_identical_response(packages, review_path, tmp_path):
    _rec, issued, _n = _returned(packages, review_path, tmp_path)
    proj_path = tmp_path / "a.dossier"
    shutil.copyfile(packages.project_a, proj_path)
    from desktop.project import Project

    with Project.open(proj_path) as proj:
        applicant.import_notes(proj, issued.path)
    z1 = _export(proj_path, tmp_path / "o1", T0)
    z2 = _export(proj_path, tmp_path / "o2", T0)
    assert z1.read_bytes() == z2.read_bytes()


def test_foreign_and_tampered_notes_refused(packages, review_path, tmp_path):
    _rec, issued, _n = _returned(packages, review_path, tmp_path)
    from desktop.project import Project

    other = tmp_path / "b.dossier"
    shutil.copyfile(packages.projects / "b.dossier", other)
    before = other.read_bytes()
    with Project.open(other) as proj:
        with pytest.raises(applicant.NotesImportError) as e:
            applicant.import_notes(proj, issued.path)
        assert e.value.key == "notes.foreign"
    assert other.read_bytes() == before

    data = issued.path.read_bytes()

    def rewrite(change) -> Path:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            items = [(zi, z.read(zi)) for zi in z.infolist()]
        p = tmp_path / "changed.dossier-notes"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
            for zi, b in items:
                z.writestr(zi, change(zi.filename, b))
        return p

    def edit(name, b):
        if name != "notes.json":
            return b
        d = json.loads(b)
        d["items"][0]["note"] = "已通过，无需修改"
        return json.dumps(d, ensure_ascii=False).encode()

    with pytest.raises(notes_file.NotesFileError) as e:
        notes_file.read(rewrite(edit))
    assert e.value.key == "notes.tampered"

    def newer(name, b):
        if name != "notes.json":
            return b
        d = json.loads(b)
        d["format_version"] = 2
        return json.dumps(d).encode()

    with pytest.raises(notes_file.NotesFileError) as e:
        notes_file.read(rewrite(newer))
    assert e.value.key == "notes.too_new"
    with pytest.raises(notes_file.NotesFileError) as e:
        notes_file.read(packages.a)  # a data package is not a notes file
    assert e.value.key == "notes.not_notes"
    junk = tmp_path / "junk.dossier-notes"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(notes_file.NotesFileError) as e:
        notes_file.read(junk)
    assert e.value.key == "notes.not_notes"


def test_signed_notes_tampered_signature(packages, review_path, tmp_path, reviewer):
    _rec, issued, _n = _returned(packages, review_path, tmp_path, sealer=reviewer)
    with zipfile.ZipFile(issued.path) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    p = tmp_path / "resigned.dossier-notes"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
        for zi, b in items:
            if zi.filename == "signature.p7s":
                b = b[:-3] + bytes([b[-3] ^ 1]) + b[-2:]
            z.writestr(zi, b)
    with pytest.raises(notes_file.NotesFileError) as e:
        notes_file.read(p)
    assert e.value.key == "notes.tampered"


def test_notes_checkable_with_standard_tools(packages, review_path, tmp_path, reviewer):
    _rec, issued, _n = _returned(packages, review_path, tmp_path, sealer=reviewer)
    data = issued.path.read_bytes()
    assert data[30:38] == b"mimetype" and data[38:38 + len(notes_file.MIMETYPE)] == notes_file.MIMETYPE
    out = tmp_path / "unpacked"
    with zipfile.ZipFile(issued.path) as z:
        z.extractall(out)
    if shutil.which("sha256sum"):
        r = subprocess.run(["sha256sum", "-c", "manifest-sha256.txt"], cwd=out, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature.p7s", "-content",
                        "manifest-sha256.txt", "-CAfile", "signer-cert.pem", "-purpose", "any", "-out", "/dev/null"],
                       cwd=out, capture_output=True, text=True)
    assert r.returncode == 0 and "Verification successful" in r.stderr, r.stderr


def test_reissued_notes_keep_replies(packages, review_path, tmp_path):
    """The reviewer adds a note and issues the package's notes again: the applicant's import adds the
    new note, keeps the reply to the old one, and the next response answers the newer file."""
    rec, first, (n1, n2) = _returned(packages, review_path, tmp_path)
    proj_path = tmp_path / "a.dossier"
    shutil.copyfile(packages.project_a, proj_path)
    from desktop.project import Project

    with Project.open(proj_path) as proj:
        applicant.import_notes(proj, first.path)
        target = next(n for n in applicant.project_notes(proj) if n.text == n1.text)
        applicant.reply(proj, target.id, "已补充", resolved=True)
    with Review.open(review_path) as rv:
        n3 = rv.add_note(rec.id, "封面缺少盖章")
        second = issue_notes(rv, rec.id, tmp_path / "第二次")
        assert second.items == 3
    with Project.open(proj_path) as proj:
        res = applicant.import_notes(proj, second.path)
        assert res.added == 1 and not res.already
        notes = {n.text: n for n in applicant.project_notes(proj)}
        assert len(notes) == 3 and notes[n1.text].reply == "已补充" and notes[n1.text].state == "resolved"
        assert {n.notes_id for n in notes.values()} == {second.notes_id}
        assert applicant.import_notes(proj, first.path).already  # the older file again: nothing changes
    z = _export(proj_path, tmp_path / "o", T0)
    with zipfile.ZipFile(z) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith("data/review-response.json")]
        resp = json.loads(zf.read(name))
    assert resp["notes_id"] == second.notes_id and len(resp["items"]) == 3
    assert {i["note"] for i in resp["items"]} == {n1.text, n2.text, n3.text}
