"""Intake of a folder with good, tampered, unsigned, untrusted, duplicate, superseded, wrong-program,
unreadable and hostile packages: every package gets its verdict, refusals change nothing."""

from __future__ import annotations

import shutil


from desktop.review import Review, add_packages


def _by_name(rv):
    return {p.source_name: p for p in rv.packages(full=True)}


def test_folder_intake_verdicts(packages, review_path):
    with Review.open(review_path) as rv:
        rv.add_trust(certificate=packages.trusted_cert)
        res = add_packages(rv, [packages.folder])
        refused = {r.path.rsplit("/", 1)[-1]: r.key for r in res.refused}
        assert refused == {"slip.zip": "review.hostile", "notzip.zip": "review.not_package",
                           "plain.zip": "review.not_package"}
        assert any(s.endswith("readme.txt") for s in res.skipped)
        got = {n: rv.verdict(p).key for n, p in _by_name(rv).items()}
        assert got == {
            "a.zip": "superseded", "a2.zip": "unsigned", "b.zip": "intact", "c.zip": "untrusted",
            "tampered.zip": "tampered", "dup.zip": "duplicate", "wrong.zip": "wrong_program",
            "truncated.zip": "unreadable",
        }
        recs = _by_name(rv)
        a, a2, dup = recs["a.zip"], recs["a2.zip"], recs["dup.zip"]
        assert a.superseded_by == a2.id and a2.previous == a.id and a2.superseded_by is None
        assert dup.duplicate_of == a.id and dup.blob_id == a.blob_id  # stored once
        assert rv.current_of(a.id) == a2.id
        assert recs["truncated.zip"].storage == "none" and recs["truncated.zip"].blob_id is None
        assert recs["truncated.zip"].verdict["errors"]
        assert recs["tampered.zip"].verdict["findings"]
        assert recs["b.zip"].signer_fingerprint == packages.trusted_fp
        assert recs["c.zip"].signer_fingerprint == packages.other_fp
        # trusting the other identity changes the verdict at once, without re-verifying
        rv.add_trust(fingerprint=packages.other_fp)
        assert rv.verdict(rv.package(recs["c.zip"].id)).key == "intact"
        n_blobs = rv.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0]
        assert n_blobs == 6  # a, a2, b, c, tampered, wrong (dup shares a's bytes; truncated keeps none)


def test_refusal_leaves_file_unchanged(packages, review_path):
    before = review_path.read_bytes()
    with Review.open(review_path) as rv:
        res = add_packages(rv, [packages.slip, packages.notzip, packages.plain])
        assert len(res.refused) == 3 and not res.added
    with Review.open(review_path) as rv:
        assert rv.packages() == []
    # nothing but modified_at may differ: no package, no blob
    assert review_path.stat().st_size == len(before)


def test_program_not_installed_is_refused(packages, tmp_path, monkeypatch):
    import desktop.review.intake as intake

    monkeypatch.setattr(intake, "installed_program", lambda pid, ver, programs=None: (None, "unknown"))
    with Review.create(tmp_path / "r.dreview", "no program") as rv:
        res = add_packages(rv, [packages.a])
        assert [r.key for r in res.refused] == ["review.program_not_installed"]
        assert rv.packages() == []


def test_supersession_in_any_order(packages, review_path):
    with Review.open(review_path) as rv:
        add_packages(rv, [packages.a2])
        add_packages(rv, [packages.a])  # the older one arrives later: it is superseded at once
        recs = _by_name(rv)
        assert recs["a.zip"].superseded_by == recs["a2.zip"].id
        assert recs["a2.zip"].previous == recs["a.zip"].id
        assert rv.verdict(recs["a2.zip"]).key == "unsigned"


def test_link_mode_keeps_references(packages, review_path, tmp_path):
    src = tmp_path / "stick"
    src.mkdir()
    shutil.copyfile(packages.a, src / "a.zip")
    with Review.open(review_path) as rv:
        res = add_packages(rv, [src], link=True)
        (p,) = res.added
        assert p.storage == "linked" and p.blob_id is None
        assert rv.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 0
        from desktop.review.fingerprint import fingerprint_file
        from desktop.review.store import record_file

        # known by its fingerprint (verify's entry hashes reused), its plain SHA-256 never computed
        assert p.file_sha256 == "" and p.fingerprint == fingerprint_file(src / "a.zip")
        with record_file(rv.conn, p) as f:
            assert f.read_bytes() == packages.a.read_bytes()


def test_stored_copy_reads_back(packages, review_path):
    from desktop.review.store import package_file

    with Review.open(review_path) as rv:
        (p,) = add_packages(rv, [packages.b]).added
        with package_file(rv.conn, p.storage, p.blob_id, p.source_path, p.file_sha256, "b.zip") as f:
            assert f.read_bytes() == packages.b.read_bytes()


def test_tampered_answers_still_recorded(packages, review_path, tmp_path):
    import zipfile

    bad = tmp_path / "bad-answers.zip"
    with zipfile.ZipFile(packages.a) as z, zipfile.ZipFile(bad, "w") as out:
        for zi in z.infolist():
            data = z.read(zi)
            if zi.filename.endswith("data/answers.json"):
                data = b"{ not json"
            out.writestr(zi, data)
    with Review.open(review_path) as rv:
        res = add_packages(rv, [bad])
        assert not res.refused
        (p,) = res.added
        assert p.status == "tampered" and rv.verdict(p).key == "tampered" and p.answers is None
        assert any(f["path"] == "data/answers.json" for f in p.verdict["findings"])


def test_transport_seam_stores_the_opened_zip(packages, review_path, tmp_path, monkeypatch):
    """desktop.transport.open_package (volumes, encrypted, deltas) plugs in at opener.open_package:
    intake verifies and stores the zip it gives, then lets it clean up."""
    import desktop.review.intake as intake
    from desktop.review.opener import OpenedPackage

    vol = tmp_path / "a.zip.001"
    vol.write_bytes(b"volume 1 of 1")
    made = tmp_path / "reassembled.zip"
    cleaned = []

    def fake_open(path, members=None, **_kw):
        if path == vol:
            shutil.copyfile(packages.a, made)
            return OpenedPackage(made, path, ["reassembled from 1 volume"], lambda: (made.unlink(), cleaned.append(1)))
        return OpenedPackage(path, path)

    monkeypatch.setattr(intake, "open_package", fake_open)
    with Review.open(review_path) as rv:
        (p,) = add_packages(rv, [vol]).added
        assert p.storage == "stored" and p.status == "intact" and p.info["transport"] == ["reassembled from 1 volume"]
        assert len(p.info["manifest_sha256"]) == 64  # what a delta made against it would name
        from desktop.review.store import package_file

        with package_file(rv.conn, p.storage, p.blob_id, p.source_path, p.file_sha256) as f:
            assert f.read_bytes() == packages.a.read_bytes()
    assert cleaned == [1] and not made.exists()
