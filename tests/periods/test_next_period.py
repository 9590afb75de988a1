"""Starting the next period: a new, linked, self-contained project; stable answers and evidence
carried over, per-period answers empty, the period set; the previous project never changed; nothing
half-made under the new name, whatever happens."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat

import pytest

from desktop.errors import DossierError
from desktop.periods import Period, open_previous, plan_next_period, start_next_period
from desktop.periods import next_period as np_mod
from desktop.project import Project
from desktop.tasks import Cancelled, TaskState


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_the_new_project_is_linked_and_carries_what_stays(wf, tmp_path):
    before = _sha(wf)
    out = tmp_path / "潍坊高新区_2025-01.dossier"
    plan = start_next_period(wf, out, "2025-01")
    assert _sha(wf) == before, "the previous project must not change"
    with Project.open(wf, readonly=True) as old, Project.open(out) as new:
        prog = new.program
        assert prog.text == old.program.text  # the same definition as the previous period
        m = new.meta()
        assert m["period"] == "2025-01" and m["previous_period"] == "2024"
        assert m["previous_project_uuid"] == old.uuid and new.uuid != old.uuid
        assert m["previous_file"] == wf.name and m["previous_package_digest"] == ""
        assert new.applicant == old.applicant
        a_old, a_new = old.answers(), new.answers()
        per = {f.path for f in prog.per_period_fields}
        # stable answers carried (table rows keep their ids), per-period ones empty, the period set
        for p, v in a_old.items():
            if p not in per:
                assert a_new[p] == v, p
        assert a_new["4.3/period_type"] == "month" and a_new["4.3/year"] == 2025 and a_new["4.3/month"] == 1
        assert not (set(a_new) & per) - {"4.3/period_type", "4.3/year", "4.3/month"}
        assert a_new["3.2/council_members"] == a_old["3.2/council_members"]
        # previous figures: visible numeric per-period fields of the previous period, period fields excluded
        prev = json.loads(m["previous_values"])
        assert prev["3.3/releases"] == a_old["3.3/releases"] == 36 and prev["3.5/industry_colleges"] == 2
        assert "4.3/year" not in prev and "4.3/month" not in prev
        assert plan.previous_values == prev
        # evidence: the stable charter (two links, one content) is copied; the summary report of the year is not
        names = {e.name: e for e in new.evidence()}
        old_names = {e.name: e for e in old.evidence()}
        per_slot = {n for n, e in old_names.items() if any(l.slot_id == "summary_report" for l in e.links)}
        assert per_slot and set(names) == set(old_names) - per_slot
        charter = names["章程.pdf"]
        assert {(l.indicator_id, l.slot_id) for l in charter.links} == {("3.2", "charter_document"), ("3.1", "plan_document")}
        assert charter.note == "理事会审议通过"
        assert {e.item.name for e in plan.evidence} == set(names)
        assert {w for _i, w in plan.left_behind} >= {"4.3/summary_report"}
        assert new.history()[-1].action == "next_period"
    assert _leftovers(tmp_path) == []


def test_the_new_project_is_self_contained(wf, tmp_path):
    out = tmp_path / "next.dossier"
    start_next_period(wf, out, "2025")
    with Project.open(wf) as old:
        want = {e.name: e.sha256 for e in old.evidence()}
    wf.unlink()  # the previous project is gone: the new one still has the content
    with Project.open(out) as new:
        for e in new.evidence():
            got = new.extract(e.id, tmp_path / f"x-{e.id}.bin")
            assert hashlib.sha256(got.read_bytes()).hexdigest() == e.sha256 == want[e.name]


def test_a_chain_of_periods_and_their_previous_values(wf, tmp_path):
    p1, p2 = tmp_path / "2025-01.dossier", tmp_path / "2025-02.dossier"
    start_next_period(wf, p1, "2025-01")
    with Project.open(p1) as proj:
        proj.set_many({"3.1/status": "in_progress", "3.1/progress": "一月进展", "3.3/status": "routine",
                       "3.3/progress": "发布信息", "3.4/status": "in_progress", "3.4/progress": "攻关",
                       "3.5/status": "in_progress", "3.5/progress": "学院", "3.2/status": "routine",
                       "3.2/progress": "理事会", "4.1/difficulties": "无", "4.3/report_date": "2025-01-25"})
    start_next_period(p1, p2, "2025-02")
    with Project.open(p2) as proj:
        m = proj.meta()
        assert (m["period"], m["previous_period"]) == ("2025-02", "2025-01")
        # a monthly dispatch does not report the cumulative figures: none were reported last period
        assert set(json.loads(m["previous_values"]).values()) == {None}
        assert proj.get("4.3/month") == 2 and proj.get("3.1/park") == "潍坊高新技术产业开发区"


def test_the_period_must_be_known_and_not_go_backwards(wf, tmp_path):
    with open_previous(wf) as proj:
        assert str(np_mod.previous_period_of(proj)) == "2024"  # from the form: a yearly summary for 2024
        with pytest.raises(DossierError) as e:
            plan_next_period(proj, "2023", tmp_path / "x.dossier")
        assert e.value.key == "period.backwards"
        with pytest.raises(DossierError) as e:
            plan_next_period(proj, "2025-H1", tmp_path / "x.dossier")  # Weifang has no half-years
        assert e.value.key == "period.invalid"
        with pytest.raises(DossierError) as e:
            plan_next_period(proj, "2025", tmp_path / "x.dossier", previous_period="2023")
        assert e.value.key == "period.mismatch"
        assert plan_next_period(proj, "2024", tmp_path / "x.dossier").period == Period.parse("2024")  # same period: allowed
    with Project.open(wf) as proj:  # a report whose form does not name its year
        proj.set("4.3/year", None)
    with open_previous(wf) as proj:
        with pytest.raises(DossierError) as e:
            plan_next_period(proj, "2025", tmp_path / "x.dossier")
        assert e.value.key == "period.unknown" and "--previous-period" in e.value.en
        assert str(plan_next_period(proj, "2025", tmp_path / "x.dossier", previous_period="2024").previous_period) == "2024"


def test_a_one_off_program_has_no_next_period(tmp_path):
    from desktop.demo import make_demo
    from desktop.programs import find_program

    p = tmp_path / "course.dossier"
    make_demo(find_program("moe-core-course"), p).close()
    with pytest.raises(DossierError) as e:
        start_next_period(p, tmp_path / "n.dossier", "2024")
    assert e.value.key == "period.not_recurring"


def test_output_problems_are_refused_before_anything_is_written(wf, tmp_path):
    existing = tmp_path / "exists.dossier"
    existing.write_bytes(b"mine")
    for out, key in ((existing, "project.exists"), (tmp_path / "no" / "x.dossier", "project.no_folder")):
        with pytest.raises(DossierError) as e:
            start_next_period(wf, out, "2025")
        assert e.value.key == key
    assert existing.read_bytes() == b"mine"


def test_not_enough_space_is_said_with_the_figures(wf, tmp_path, monkeypatch):
    monkeypatch.setattr(np_mod.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10 << 20, 10 << 20, 1 << 20))
    with pytest.raises(DossierError) as e:
        start_next_period(wf, tmp_path / "n.dossier", "2025")
    assert e.value.key == "disk.full" and "MB free" in e.value.en and "可用" in e.value.zh
    assert not (tmp_path / "n.dossier").exists() and _leftovers(tmp_path) == []


def test_a_failure_half_way_leaves_nothing_under_the_new_name(wf, tmp_path, monkeypatch):
    calls = []
    real = Project.attach

    def flaky(self, *a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise DossierError("The disk is full: nothing was changed.", "磁盘空间已满", key="disk.full")
        return real(self, *a, **k)

    monkeypatch.setattr(Project, "attach", flaky)
    out = tmp_path / "n.dossier"
    with pytest.raises(DossierError):
        start_next_period(wf, out, "2025")
    assert not out.exists() and _leftovers(tmp_path) == []


def test_cancel_leaves_nothing(wf, tmp_path):
    task = TaskState()
    task.cancel()
    out = tmp_path / "n.dossier"
    with pytest.raises(Cancelled):
        start_next_period(wf, out, "2025", task=task)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_progress_counts_the_evidence_bytes(wf, tmp_path):
    seen = []
    task = TaskState(lambda d, t, s: seen.append((d, t)), min_interval=0)
    plan = start_next_period(wf, tmp_path / "n.dossier", "2025", task=task)
    assert seen and seen[-1] == (plan.evidence_bytes, plan.evidence_bytes)


def test_a_read_only_previous_project_is_enough(wf, tmp_path):
    ro = tmp_path / "cd"
    ro.mkdir()
    src = ro / wf.name
    shutil.copyfile(wf, src)
    os.chmod(src, stat.S_IRUSR)
    os.chmod(ro, stat.S_IRUSR | stat.S_IXUSR)
    try:
        out = tmp_path / "n.dossier"
        start_next_period(src, out, "2025")
        assert out.is_file()
        assert sorted(p.name for p in ro.iterdir()) == [wf.name]  # no journal, no temp file on the "CD"
    finally:
        os.chmod(ro, stat.S_IRWXU)
        os.chmod(src, stat.S_IRUSR | stat.S_IWUSR)


def test_the_last_sealed_package_of_the_previous_period_is_named(wf, tmp_path):
    with Project.open(wf) as proj, proj.transaction() as c:
        c.execute("INSERT INTO exports(at, package_id, content_digest, manifest_sha256) VALUES "
                  "('2024-12-20T08:00:00Z', 'p1', 'sha256:aaa', 'm1'), ('2024-12-21T08:00:00Z', 'p2', 'sha256:bbb', 'm2')")
    out = tmp_path / "n.dossier"
    plan = start_next_period(wf, out, "2025")
    assert plan.previous_package_digest == "sha256:bbb"
    with Project.open(out) as proj:
        assert proj.meta()["previous_package_digest"] == "sha256:bbb"


def test_a_damaged_evidence_file_stops_it(wf, tmp_path):
    with Project.open(wf) as proj, proj.transaction() as c:
        c.execute("UPDATE chunks SET data = ? WHERE blob_id = (SELECT blob_id FROM evidence WHERE name = '章程.pdf')",
                  (b"tampered",))
    out = tmp_path / "n.dossier"
    with pytest.raises(DossierError) as e:
        start_next_period(wf, out, "2025")
    assert e.value.key == "evidence.corrupt" and not out.exists() and _leftovers(tmp_path) == []


def test_the_form_corrects_the_recorded_period(wf, tmp_path):
    """Started for 2025-01 by mistake, corrected to February in the form: February is the period."""
    p1 = tmp_path / "p1.dossier"
    start_next_period(wf, p1, "2025-01")
    with Project.open(p1) as proj:
        proj.set("4.3/month", 2)
    with open_previous(p1) as proj:
        assert str(np_mod.previous_period_of(proj)) == "2025-02"
        assert str(plan_next_period(proj, "2025-03", tmp_path / "p2.dossier").previous_period) == "2025-02"
        from desktop.periods.package import document

        assert document(proj.meta(), proj.program, proj.answers())["period"] == "2025-02"


def test_the_cover_people_are_carried_but_not_the_date(wf, tmp_path):
    from desktop.cover import set_cover

    src = tmp_path / "prev.dossier"
    shutil.copy(wf, src)
    with Project.open(src) as p:
        set_cover(p, {"contact_name": "王老师", "contact_phone": "0536-8888888", "fill_date": "2024-12-30"})
    out = tmp_path / "next.dossier"
    start_next_period(src, out, "2025-01")
    with Project.open(out, readonly=True) as new:
        m = new.meta()
    assert m["contact_name"] == "王老师" and m["contact_phone"] == "0536-8888888"
    assert not m.get("fill_date")
