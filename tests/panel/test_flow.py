"""The panel from end to end on real packages: assign, declare, score, submit, merge, aggregate —
and blindness: an expert sheet holds no other expert's scores."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.panel.assign import assign, eligible
from desktop.panel.merge import merge
from desktop.panel.rounds import current_round, rubric_of
from desktop.panel.sheet import APPLICATION_ID, ExpertSheet, SheetError
from desktop.panel.submit import submit
from desktop.review import Review, ReviewError
from tests.panel.conftest import score_all


def _ids(rv):
    return {r.applicant: r.id for r in rv.packages() if r.superseded_by is None and r.status != "tampered"}


def test_eligible_packages_leave_out_tampered_and_superseded(review):
    with Review.open(review) as rv:
        ids = eligible(rv)
        recs = {r.id: r for r in rv.packages()}
    assert sorted(recs[i].applicant for i in ids) == ["丙学校", "乙学校", "甲学校"]
    assert all(recs[i].status != "tampered" and recs[i].superseded_by is None for i in ids)


def test_assign_refuses_unfit_packages_and_nothing_changes(review, tmp_path):
    with Review.open(review) as rv:
        tampered = next(r.id for r in rv.packages() if r.status == "tampered")
        superseded = next(r.id for r in rv.packages() if r.superseded_by is not None)
        for bad, word in ((tampered, "changed after sealing"), (superseded, "newer package")):
            with pytest.raises(ReviewError) as e:
                assign(rv, "张明", [bad], tmp_path / "x.dsheet")
            assert word in e.value.en
        assert not (tmp_path / "x.dsheet").exists()
        assert rv.conn.execute("SELECT COUNT(*) FROM panel_sheets").fetchone()[0] == 0


def test_sheet_file_identity_and_contents(review, tmp_path):
    with Review.open(review) as rv:
        issued = assign(rv, "张明", "all", tmp_path / "zhang")
    assert issued.path.name == "zhang.dsheet" and len(issued.packages) == 3
    c = sqlite3.connect(issued.path)
    assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert c.execute("PRAGMA user_version").fetchone()[0] == 1
    c.close()
    with ExpertSheet.open(issued.path) as sh:
        assert sh.expert == "张明" and sh.round == 1
        pk = sh.packages()
        assert [p.applicant for p in pk] and all(p.blob_id for p in pk)
        full = sh.package(pk[0].id)
        assert full.answers["applicant"]["zh"] == full.applicant
        assert sh.progress().label().en == "0 of 3 packages scored"


def test_scoring_needs_a_declaration_and_recusal_blocks_scoring(review, tmp_path):
    with Review.open(review) as rv:
        issued = assign(rv, "张明", "all", tmp_path / "zhang.dsheet")
    with ExpertSheet.open(issued.path) as sh:
        p = sh.packages()[0]
        c = sh.rubric.criteria[0]
        with pytest.raises(SheetError) as e:
            sh.set_score(p.id, c.id, c.high)
        assert e.value.key == "sheet.coi_first"
        with pytest.raises(SheetError) as e:
            sh.declare(p.id, True, "  ")
        assert e.value.key == "sheet.reason_required"
        sh.declare(p.id, False)
        sh.set_score(p.id, c.id, c.high, comment="很好")
        sh.declare(p.id, True, "本人是该校兼职教授")
        assert sh.work(p.id).scores == {}  # recusing removes what was scored
        with pytest.raises(SheetError) as e:
            sh.set_score(p.id, c.id, c.high)
        assert e.value.key == "sheet.recused"
        assert sh.status(p.id) == "recused"
        with pytest.raises(SheetError) as e:
            sh.set_score(sh.packages()[1].id, c.id, 99)
        assert e.value.key in ("sheet.coi_first",)
        sh.declare(sh.packages()[1].id, False)
        with pytest.raises(SheetError) as e:
            sh.set_score(sh.packages()[1].id, c.id, 99)
        assert e.value.key == "sheet.bad_level"


def test_round_trip_and_blindness(review, tmp_path):
    """Expert A's scores are merged; expert B's sheet, issued afterwards, holds none of them."""
    with Review.open(review) as rv:
        a = assign(rv, "专家甲 Alpha", "all", tmp_path / "a.dsheet")
    marker = "独特评语-Alpha-7f3c"
    score_all(a.path)
    with ExpertSheet.open(a.path) as sh:
        p = sh.packages()[0]
        sh.set_score(p.id, sh.rubric.criteria[0].id, sh.rubric.criteria[0].low, comment=marker)
        sh.set_overall(p.id, 61.5, comment=marker + "-overall")
    sub = submit(a.path, tmp_path / "a-scores")
    assert sub.path.name == "a-scores.dscores" and sub.complete and sub.scored == 3
    with Review.open(review) as rv:
        res = merge(rv, sub.path)
        assert res.scored == 3 and res.froze and not res.signed and res.warnings
        assert current_round(rv).frozen
        b = assign(rv, "专家乙 Beta", "all", tmp_path / "b.dsheet")
    data = b.path.read_bytes()
    for needle in (marker, "专家甲", "Alpha", "61.5"):
        assert needle.encode("utf-8") not in data, needle
    with ExpertSheet.open(b.path) as sh:
        assert all(not sh.work(p.id).scores for p in sh.packages())
        tables = [r[0] for r in sh.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert not any(t.startswith("panel_") for t in tables)


def test_submitted_sheet_is_final_and_resubmission_is_identical(review, tmp_path):
    with Review.open(review) as rv:
        a = assign(rv, "张明", "all", tmp_path / "a.dsheet")
    score_all(a.path)
    s1 = submit(a.path, tmp_path / "one.dscores")
    with ExpertSheet.open(a.path) as sh:
        with pytest.raises(SheetError) as e:
            sh.declare(sh.packages()[0].id, False)
        assert e.value.key == "sheet.submitted"
    s2 = submit(a.path, tmp_path / "two.dscores")
    assert s1.scores_id == s2.scores_id
    assert (tmp_path / "one.dscores").read_bytes() == (tmp_path / "two.dscores").read_bytes()


def test_incomplete_sheet_needs_allow_incomplete(review, tmp_path):
    with Review.open(review) as rv:
        a = assign(rv, "张明", "all", tmp_path / "a.dsheet")
    with ExpertSheet.open(a.path) as sh:
        p = sh.packages()[0]
        sh.declare(p.id, True, "利益相关")
    with pytest.raises(SheetError) as e:
        submit(a.path, tmp_path / "x.dscores")
    assert e.value.key == "sheet.incomplete" and not (tmp_path / "x.dscores").exists()
    s = submit(a.path, tmp_path / "x.dscores", allow_incomplete=True)
    assert not s.complete and s.recused == 1 and s.scored == 0


def test_rubric_before_the_panel_starts_is_the_programs(review):
    from desktop.programs import find_program
    from desktop.panel.rubric import resolve

    with Review.open(review, readonly=True) as rv:
        info = rubric_of(rv)
    assert info.stored is False and info.round == 1
    assert info.sha256 == resolve(find_program("gx-city-consortium")).sha256


def _by_missing(sh, pid):
    """The status as the definition reads: what is still to do (ExpertSheet.missing) and the declaration."""
    w = sh.work(pid)
    if w.recused:
        return "recused"
    if not sh.missing(pid, w):
        return "scored"
    started = w.coi is not None or w.scores or w.gates or w.overall is not None
    return "in_progress" if started else "not_started"


def test_statuses_agree_with_what_is_missing_at_every_step(review, tmp_path):
    """statuses() reads the whole sheet in a few queries (the expert's window asks on every switch):
    after every single edit it gives, for every package, what missing() implies."""
    with Review.open(review) as rv:
        issued = assign(rv, "张明", "all", tmp_path / "zhang.dsheet")
    seen = set()

    def check(sh):
        st = sh.statuses()
        assert set(st) == {p.id for p in sh.packages()}
        for pid, s in st.items():
            assert s == _by_missing(sh, pid) == sh.status(pid), (pid, s)
            seen.add(s)
        pr = sh.progress()
        assert (pr.scored, pr.recused) == (list(st.values()).count("scored"), list(st.values()).count("recused"))

    with ExpertSheet.open(issued.path) as sh:
        rub = sh.rubric
        pk = sh.packages()
        check(sh)
        sh.declare(pk[0].id, True, "本人是该校兼职教授")
        check(sh)
        p = pk[1]
        sh.declare(p.id, False)
        check(sh)
        for g in rub.gates:
            sh.set_gate(p.id, g.id, True)
            check(sh)
        for c in rub.criteria:
            if c.id in p.applicable:
                sh.set_score(p.id, c.id, c.high)
                check(sh)
        sh.set_overall(p.id, 80)
        check(sh)
        sh.set_overall(p.id, confidence=rub.confidence[0].id if rub.confidence else None)
        check(sh)
        c0 = next(c for c in rub.criteria if c.id in p.applicable)
        sh.set_score(p.id, c0.id, None)  # clearing a level takes the package back to in progress
        check(sh)
        assert sh.status(p.id) == "in_progress"
        sh.set_score(p.id, c0.id, c0.low)
        check(sh)
        assert sh.status(p.id) == "scored"
        with pytest.raises(SheetError):
            sh.statuses([999])
    assert seen == {"not_started", "in_progress", "scored", "recused"}


def test_submitting_what_is_done_when_nothing_is_finished_says_what_is_left(review, tmp_path):
    """Some criteria scored, no package finished: not "nothing is scored" but what the first
    package still needs, and no file."""
    with Review.open(review) as rv:
        a = assign(rv, "张明", "all", tmp_path / "a.dsheet")
    with ExpertSheet.open(a.path) as sh:
        p = sh.packages()[0]
        sh.declare(p.id, False)
        c = next(c for c in sh.rubric.criteria if c.id in p.applicable)
        sh.set_score(p.id, c.id, c.high)
    with pytest.raises(SheetError) as e:
        submit(a.path, tmp_path / "x.dscores", allow_incomplete=True)
    assert e.value.key == "sheet.none_finished"
    assert f"package {p.id}" in e.value.en and "Nothing is scored" not in e.value.en
    assert not (tmp_path / "x.dscores").exists()


def test_a_linked_package_goes_to_the_sheet_checked_by_its_fingerprint(packages, tmp_path):
    """A package linked on the desk is copied into the sheet in one read, fingerprinted on the way:
    the sheet gets its bytes and their SHA-256; a file changed since intake is refused."""
    import hashlib
    import shutil

    from desktop.review import add_packages
    from desktop.review.store import read_chunks

    stick = tmp_path / "stick"
    stick.mkdir()
    shutil.copyfile(packages.b, stick / "b.zip")
    p = tmp_path / "linked.dreview"
    with Review.create(p, "t", "gx-city-consortium") as rv:
        (rec,) = add_packages(rv, [stick], link=True).added
        assert rec.storage == "linked" and rec.file_sha256 == "" and rec.fingerprint
        assign(rv, "张明", [rec.id], tmp_path / "a.dsheet")
        with ExpertSheet.open(tmp_path / "a.dsheet") as sh:
            sp = sh.package(rec.id)
            data = b"".join(read_chunks(sh.conn, sp.blob_id))
        assert data == packages.b.read_bytes() and sp.file_sha256 == hashlib.sha256(data).hexdigest()
        raw = bytearray((stick / "b.zip").read_bytes())
        raw[len(raw) // 3] ^= 1
        (stick / "b.zip").write_bytes(bytes(raw))
        with pytest.raises(ReviewError) as e:
            assign(rv, "李华", [rec.id], tmp_path / "b.dsheet")
        assert e.value.key == "review.link_changed" and not (tmp_path / "b.dsheet").exists()
