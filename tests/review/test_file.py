"""The review file: its own application_id and ladder, refusing what it does not know, read-only
media, and the same crash safety as the project file (cancel, full disk, a killed process)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from desktop.review import APPLICATION_ID, CURRENT_VERSION, Review, ReviewError, add_packages
from desktop.tasks import Cancelled, TaskState


def test_create_and_reopen(tmp_path):
    p = tmp_path / "r.dreview"
    with Review.create(p, "  省级推荐 2025 ", "gx-city-consortium") as rv:
        assert rv.title == "省级推荐 2025" and rv.program_id == "gx-city-consortium" and len(rv.uuid) == 36
    c = sqlite3.connect(p)
    assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert c.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    c.close()
    assert sorted(os.listdir(tmp_path)) == ["r.dreview"]  # one file, no temp or journal left
    with pytest.raises(ReviewError) as e:
        Review.create(p, "again")
    assert e.value.key == "review.exists"
    with pytest.raises(ReviewError) as e:
        Review.create(tmp_path / "x.dreview", "  ")
    assert e.value.key == "review.no_title"


def test_refuses_what_it_does_not_know(tmp_path, demo_copy):
    p = tmp_path / "r.dreview"
    Review.create(p, "t").close()
    c = sqlite3.connect(p)
    c.execute(f"PRAGMA user_version={CURRENT_VERSION + 1}")
    c.close()
    with pytest.raises(ReviewError) as e:
        Review.open(p)
    assert e.value.key == "review.too_new" and "newer version" in e.value.en
    with pytest.raises(ReviewError) as e:
        Review.open(demo_copy)
    assert e.value.key == "review.is_project"
    other = tmp_path / "other.db"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t(x)")
    c.close()
    with pytest.raises(ReviewError) as e:
        Review.open(other)
    assert e.value.key == "review.not_review"
    junk = tmp_path / "junk.dreview"
    junk.write_bytes(b"hello" * 100)
    with pytest.raises(ReviewError) as e:
        Review.open(junk)
    assert e.value.key == "review.not_review"
    cut = tmp_path / "cut.dreview"
    cut.write_bytes(p.read_bytes()[:20000])
    with pytest.raises(ReviewError) as e:
        Review.open(cut)
    assert e.value.key in ("review.corrupt", "review.too_new")
    with pytest.raises(ReviewError) as e:
        Review.open(tmp_path)
    assert e.value.key == "review.not_file"
    with pytest.raises(ReviewError) as e:
        Review.open(tmp_path / "missing.dreview")
    assert e.value.key == "review.missing"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_media_opens_read_only(packages, review_path):
    with Review.open(review_path) as rv:
        add_packages(rv, [packages.a])
    os.chmod(review_path, stat.S_IRUSR)
    if os.geteuid() != 0:  # root may write anyway; the file's own mode still says read-only
        os.chmod(review_path.parent, stat.S_IRUSR | stat.S_IXUSR)
    try:
        with Review.open(review_path) as rv:
            assert rv.readonly and rv.readonly_notice is not None
            assert len(rv.packages()) == 1
            with pytest.raises(ReviewError) as e:
                rv.set_state(1, "in_review")
            assert e.value.key == "review.readonly"
    finally:
        os.chmod(review_path.parent, stat.S_IRWXU)
        os.chmod(review_path, stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_flag(packages, review_path):
    """Opened read-only (what a CD gives, also as root): reads work, every write is refused."""
    with Review.open(review_path) as rv:
        add_packages(rv, [packages.a])
    before = review_path.read_bytes()
    with Review.open(review_path, readonly=True) as rv:
        assert rv.readonly and len(rv.packages()) == 1
        for attempt in (lambda: rv.set_state(1, "in_review"), lambda: rv.add_note(1, "x"),
                        lambda: add_packages(rv, [packages.b]), lambda: rv.add_trust(fingerprint="ab" * 32)):
            with pytest.raises(ReviewError) as e:
                attempt()
            assert e.value.key == "review.readonly"
    assert review_path.read_bytes() == before


def test_cancel_rolls_back(packages, review_path):
    before = review_path.read_bytes()
    task = TaskState()
    seen = []

    def progress(done, total, status):
        seen.append(done)
        if len(seen) == 3:
            task.cancel()

    task._on_progress = progress
    task._min_interval = 0
    with Review.open(review_path) as rv:
        with pytest.raises(Cancelled):
            add_packages(rv, [packages.a, packages.b, packages.c], task=task)
        assert rv.packages() == []
        assert rv.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 0
    assert len(review_path.read_bytes()) == len(before)


def test_disk_full_while_copying_changes_nothing(packages, review_path):
    """SQLite's page limit plays the full disk: the copy fails half-way, the whole intake rolls back."""
    with Review.open(review_path) as rv:
        add_packages(rv, [packages.a])
        pages = rv.conn.execute("PRAGMA page_count").fetchone()[0]
        rv.conn.execute(f"PRAGMA max_page_count={pages + 8}")  # room for ~128 KiB more
        with pytest.raises(ReviewError) as e:
            add_packages(rv, [packages.b, packages.c])
        assert e.value.key == "disk.full" and "nothing was changed" in e.value.en
        assert [p.source_name for p in rv.packages()] == ["a.zip"]
    with Review.open(review_path) as rv:
        assert [p.source_name for p in rv.packages()] == ["a.zip"]
        assert rv.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_killed_intake_leaves_a_valid_file(packages, review_path, tmp_path):
    """A process killed in the middle of an intake: the next open rolls the journal back; the file
    holds exactly what was committed before."""
    with Review.open(review_path) as rv:
        add_packages(rv, [packages.a])
    script = textwrap.dedent(f"""
        import os, sys
        from desktop.review import Review, add_packages
        from desktop.tasks import TaskState
        rv = Review.open({str(review_path)!r})
        n = [0]
        def progress(done, total, status):
            n[0] += 1
            if n[0] == 2:
                os._exit(9)  # no rollback, no cleanup: like a power cut
        add_packages(rv, [{str(packages.b)!r}, {str(packages.c)!r}], task=TaskState(progress, 0))
    """)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    r = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 9, r.stderr
    with Review.open(review_path) as rv:
        assert [p.source_name for p in rv.packages()] == ["a.zip"]
        assert rv.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not (review_path.parent / (review_path.name + "-journal")).exists()


def test_states_with_history(packages, review_path):
    with Review.open(review_path) as rv:
        (p,) = add_packages(rv, [packages.a]).added
        assert p.state == "received"
        with pytest.raises(ReviewError) as e:
            rv.set_state(p.id, "returned")
        assert e.value.key == "review.reason_required"
        rv.set_state(p.id, "in_review")
        rv.set_state(p.id, "accepted")
        with pytest.raises(ReviewError) as e:
            rv.set_state(p.id, "returned", "late")
        assert e.value.key == "review.bad_transition"
        with pytest.raises(ReviewError) as e:
            rv.set_state(p.id, "in_review")  # reopening a decided package needs a reason
        assert e.value.key == "review.reason_required"
        rv.set_state(p.id, "in_review", "新材料到达，重新审核")
        rv.set_state(p.id, "not_accepted", "不符合申报条件")
        states = [(e.old, e.new, e.reason) for e in rv.events(p.id) if e.event == "state"]
        assert states == [("received", "in_review", ""), ("in_review", "accepted", ""),
                          ("accepted", "in_review", "新材料到达，重新审核"), ("in_review", "not_accepted", "不符合申报条件")]
        with pytest.raises(ReviewError) as e:
            rv.set_state(99, "accepted")
        assert e.value.key == "review.no_package"
