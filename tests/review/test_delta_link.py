"""Resubmission deltas on the desk (#10 × #12): a delta taken into the review file that holds its
basis is rebuilt against it, verified like `dossier verify DELTA --basis PREVIOUS`, stored as the
full package and linked to its basis; without its basis it waits, with a clear verdict."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.review import Review, add_packages

from .conftest import T0, attach_pdf, first_numeric, own_home


@dataclass
class Resubmission:
    a: Path  # the basis (packages.a)
    full: Path  # the resubmission exported whole
    delta: Path  # the same resubmission as a delta against a.zip
    other_delta: Path  # a delta against b.zip (another applicant's package)
    changed_path: str  # the answer that changed
    added_name: str  # the evidence file added


@pytest.fixture(scope="module")
def resub(packages, tmp_path_factory) -> Resubmission:
    from desktop.export import export_project
    from desktop.project import Project
    from desktop.transport import export_package

    base = tmp_path_factory.mktemp("delta-desk")
    with own_home(base):
        proj = base / "a.dossier"
        shutil.copyfile(packages.project_a, proj)
        with Project.open(proj) as p:
            path = first_numeric(p.program)
            p.set(path, (p.get(path) or 0) + 11)
            attach_pdf(p, base, "整改说明.pdf", "整改说明 corrections")
        when = T0 + _dt.timedelta(days=3)
        clock = lambda: when  # noqa: E731
        (base / "full").mkdir()
        full = export_project(proj, base / "full", clock=clock).zip_path
        res = export_package(proj, base / "delta", since=packages.a, clock=clock)
        (delta,) = res.packages
        (base / "usb").mkdir()
        delta = shutil.copyfile(delta, base / "usb" / delta.name)
        # a delta against another package than any in the review: against b.zip
        pb = base / "b.dossier"
        shutil.copyfile(packages.projects / "b.dossier", pb)
        with Project.open(pb) as p:
            path_b = first_numeric(p.program)
            p.set(path_b, (p.get(path_b) or 0) + 1)
        (od,) = export_package(pb, base / "delta-b", since=packages.b, clock=clock).packages
        return Resubmission(packages.a, full, delta, od, path, "整改说明.pdf")


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("package", "notes", "root")}


def _full_verdict(path: Path) -> dict:
    from desktop.export.verify import verify_package

    return _strip(verify_package(path).to_dict())


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def _check_linked(rv, resub, delta_rec, basis_rec):
    """The delta's record is the full resubmission, verified as the full export is, linked to its basis."""
    from desktop.review.diff import compare

    rec = rv.package(delta_rec.id)
    assert rec.basis["state"] == "linked" and rec.basis["package"] == basis_rec.id, rec.basis
    assert rec.storage == "stored" and rec.file_sha256 == hashlib.sha256(resub.full.read_bytes()).hexdigest()
    assert _strip(rec.verdict) == _full_verdict(resub.full)  # what `dossier verify` says of the full export
    assert rec.status == "intact" and rv.verdict(rec).key == "unsigned"
    assert rec.source_name == resub.delta.name and rec.basis["delta"]["name"] == resub.delta.name
    basis = rv.package(basis_rec.id)
    assert basis.superseded_by == rec.id and rec.previous == basis.id and rv.verdict(basis).key == "superseded"
    changes = {c.indicator: c for c in compare(basis.answers, rec.answers)}
    assert any(x["path"] == resub.changed_path for c in changes.values() for x in c.answers)
    assert any(x["name"] == resub.added_name for c in changes.values() for x in c.evidence_added)
    # stored as a whole package: readable like any other (the read-only project is built from it)
    from desktop.review.reader import materialize

    assert materialize(rv, rec.id).exists()
    return rec


def test_basis_then_delta_in_one_command_in_any_order(resub, review_path):
    with Review.open(review_path) as rv:
        res = add_packages(rv, [resub.delta, resub.a])  # the delta first: bases are taken before deltas
        assert not res.refused
        by = {p.source_name: p for p in res.added}
        rec = _check_linked(rv, resub, by[resub.delta.name], by["a.zip"])
        # no copy of the delta's own bytes is left: the rebuilt package replaced them
        assert rv.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 2
        ev = [e for e in rv.events(rec.id) if e.event == "linked"]
        assert ev and ev[-1].new["basis"] == by["a.zip"].id
        # the same delta again: the same package (a duplicate), nothing waits
        res = add_packages(rv, [resub.delta])
        (again,) = res.added
        assert again.duplicate_of == rec.id and rv.verdict(again).key == "duplicate"
        # the full export of the same resubmission is the same bytes
        (full,) = add_packages(rv, [resub.full]).added
        assert full.duplicate_of == rec.id


def test_delta_waits_for_its_basis_then_links(resub, review_path):
    with Review.open(review_path) as rv:
        res = add_packages(rv, [resub.delta])
        assert not res.refused, [r.en for r in res.refused]
        (rec,) = res.added
        v = rv.verdict(rec)
        assert v.key == "awaiting_basis" and rec.status == "unreadable"
        basis_id = rec.basis["package_id"]
        assert basis_id and rec.basis["state"] == "waiting" and rec.basis["package"] is None
        (err,) = rec.verdict["errors"]
        assert f"delta of package {basis_id}" in err and "not in this review" in err and "add" in err
        assert rec.applicant == "甲学校" and rec.program_id == "gx-city-consortium"  # listed with what it names
        assert rec.storage == "stored" and rec.answers is None  # its bytes kept to rebuild it later; nothing shown yet
        from desktop.review import ReviewError
        from desktop.review.reader import materialize

        with pytest.raises(ReviewError) as ei:
            materialize(rv, rec.id)
        assert ei.value.key == "review.basis_missing"
        # the basis arrives in a later intake: the waiting delta is rebuilt, verified and linked then
        res = add_packages(rv, [resub.a])
        (a,) = res.added
        assert [p.id for p in res.resolved] == [rec.id] and res.to_dict()["resolved"] == [rec.id]
        _check_linked(rv, resub, rec, a)


def test_delta_of_a_package_not_in_the_review(resub, review_path):
    with Review.open(review_path) as rv:
        add_packages(rv, [resub.a])
        (rec,) = add_packages(rv, [resub.other_delta]).added
        assert rv.verdict(rec).key == "awaiting_basis" and rec.basis["state"] == "waiting"


def _with_changed_manifest(src: Path, dst: Path) -> Path:
    """The same package (same package id, same answers) with one more line in its manifest."""
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        for zi, data in items:
            if zi.filename.endswith("/manifest-sha256.txt"):
                data += b"0" * 64 + b"  data/evidence/extra.bin\n"
            z.writestr(zi, data)
    return dst


def test_wrong_or_tampered_basis(resub, review_path, tmp_path):
    from .conftest import flip_evidence_byte

    wrong = _with_changed_manifest(resub.a, tmp_path / "a-other-manifest.zip")
    with Review.open(review_path) as rv:
        (w,) = add_packages(rv, [wrong]).added
        (rec,) = add_packages(rv, [resub.delta]).added
        assert rec.basis["state"] == "wrong_basis" and rec.basis["package"] == w.id
        assert rv.verdict(rec).key == "unreadable"
        (err,) = rec.verdict["errors"]
        assert "wrong basis" in err and f"#{w.id}" in err and "manifest" in err
        # the right basis later: linked after all
        res = add_packages(rv, [resub.a])
        (a,) = res.added
        assert [p.id for p in res.resolved] == [rec.id]
        _check_linked(rv, resub, rec, a)

    other = tmp_path / "desk2.dreview"
    Review.create(other, "t", "gx-city-consortium").close()
    bad = flip_evidence_byte(resub.a, tmp_path / "a-flipped.zip")
    with Review.open(other) as rv:
        (b,) = add_packages(rv, [bad]).added
        assert b.status == "tampered"
        (rec,) = add_packages(rv, [resub.delta]).added
        assert rec.status == "tampered" and rec.basis["state"] == "basis_damaged" and rec.basis["package"] == b.id
        assert rv.verdict(rec).key == "tampered"
        (f,) = rec.verdict["findings"]
        assert f["path"].startswith("data/evidence/") and f"#{b.id}" in f["detail"]
        assert f"#{b.id}" in rec.verdict["errors"][0] and "altered" in rec.verdict["errors"][0]


def test_linked_review(resub, review_path):
    with Review.open(review_path) as rv:
        res = add_packages(rv, [resub.a, resub.delta], link=True)
        by = {p.source_name: p for p in res.added}
        assert by["a.zip"].storage == "linked"
        _check_linked(rv, resub, by[resub.delta.name], by["a.zip"])  # rebuilt from the linked basis, stored


def test_cli_add_and_list_show_the_link(resub, capsys, tmp_path):
    f = tmp_path / "desk.dreview"
    assert run(capsys, "review", "new", f, "--title", "t", "--program", "gx-city-consortium")[0] == 0
    rc, o, e = run(capsys, "review", "add", f, resub.delta)
    assert rc == 1 and not e  # recorded, waiting: needs attention, nothing refused
    assert "delta of" in o and "not in this review" in o
    # a waiting delta is listed, shown and tabled like any record (nothing to open yet)
    rc, o, e = run(capsys, "review", "show", f, "--package", "1")
    assert rc == 0 and "basis:" in o and "not in this review" in o
    rc, o, e = run(capsys, "review", "table", f, "--json")
    assert rc == 0 and len(json.loads(o)["rows"]) == 1
    rc, o, e = run(capsys, "review", "open", f, "--package", "1")
    assert rc == 2 and e.count("\n") == 1 and "add that earlier package" in e and "Traceback" not in e
    rc, o, e = run(capsys, "review", "add", f, resub.a, "--json")
    assert rc == 0, e
    d = json.loads(o)
    assert d["resolved"] == [1] and d["added"] == [2]
    rc, o, e = run(capsys, "review", "list", f, "--json")
    pk = {p["id"]: p for p in json.loads(o)["packages"]}
    assert pk[1]["basis"]["package"] == 2 and pk[1]["basis"]["state"] == "linked"
    assert pk[1]["basis"]["package_id"] == pk[2]["package_id"] and pk[2]["basis"] is None
    assert pk[1]["verdict"] == "unsigned" and pk[2]["verdict"] == "superseded" and pk[2]["superseded_by"] == 1
    rc, o, e = run(capsys, "review", "list", f)
    line = next(x for x in o.splitlines() if x.startswith("#1"))
    assert f"delta of {pk[2]['package_id']} (#2)" in line
    rc, o, e = run(capsys, "review", "show", f, "--package", "1", "--json")
    d = json.loads(o)
    assert d["basis"]["package"] == 2
    assert any(x["path"] == resub.changed_path for c in d["changes_since_previous"] for x in c["answers"])
    rc, o, e = run(capsys, "review", "show", f, "--package", "1")
    assert "basis:" in o and "#2" in o


def test_desk_window_shows_the_link(resub, ui, qtbot, review_path, messages, tmp_path):
    """The GUI's intake (the same core) takes a delta and its basis from one folder; the detail pane
    shows the link and what changed, in English and in Chinese."""
    from desktop.ui import i18n
    from desktop.ui.review.desk import DeskWindow

    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copyfile(resub.delta, usb / resub.delta.name)
    shutil.copyfile(resub.a, usb / "z-basis.zip")  # after the delta in the folder's order
    w = DeskWindow(review_path)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.add_paths([usb])
    qtbot.waitUntil(lambda: not w.busy and w.job is None, timeout=180_000)
    recs = {r.source_name: r for r in w.model.records}
    delta, basis = recs[resub.delta.name], recs["z-basis.zip"]
    w.select(delta.id)
    text = w.detail.toPlainText()
    assert f"rebuilt against package #{basis.id}" in text and "Changed since the previous submission" in text
    assert resub.added_name in text
    w.select(basis.id)
    assert "superseded" in w.detail.toPlainText()
    w.detail.grab().save(str(tmp_path / "delta-en.png"))
    i18n.set_language("zh")  # the detail pane is built when shown: in the language now set
    w.select(delta.id)
    w._show_current()
    assert f"已依据数据包 #{basis.id} 重建" in w.detail.toPlainText()
    w.grab().save(str(tmp_path / "delta-zh.png"))


def test_encrypted_delta_waits_then_links(resub, review_path, tmp_path, monkeypatch):
    """A delta received encrypted (or split): decrypted, kept as its plain delta zip until its basis
    is taken in, then rebuilt and linked like a plain delta — in one command or in two."""
    pyrage = pytest.importorskip("pyrage")
    import desktop.transport.intake as tintake

    me = pyrage.x25519.Identity.generate()
    enc = tmp_path / (resub.delta.name + ".age")
    enc.write_bytes(pyrage.encrypt(resub.delta.read_bytes(), [me.to_public()]))
    monkeypatch.setattr(tintake, "_identities", lambda identity: ([me], None))
    with Review.open(review_path) as rv:
        (rec,) = add_packages(rv, [enc]).added
        assert rv.verdict(rec).key == "awaiting_basis" and rec.storage == "stored"
        assert any("decrypted" in n for n in rec.info.get("transport", [])), rec.info
        res = add_packages(rv, [resub.a])
        (basis,) = res.added
        (linked,) = res.resolved
        assert linked.id == rec.id and linked.basis["state"] == "linked" and linked.basis["package"] == basis.id
        assert linked.status == "intact"
        assert linked.file_sha256 == hashlib.sha256(resub.full.read_bytes()).hexdigest()
    other = tmp_path / "other.dreview"
    Review.create(other, "t", "gx-city-consortium").close()
    with Review.open(other) as rv:
        res = add_packages(rv, [enc, resub.a], link=True)
        assert not res.refused, [r.en for r in res.refused]
        by = {p.source_name: p for p in res.added}
        d = rv.package(by[enc.name].id)
        assert d.basis["state"] == "linked" and d.basis["package"] == by["a.zip"].id
