"""What the audit of the definitions against their sources asked for (issue #18): official texts
verbatim, the windows and conditions encoded, the weak rules made right, the English renderings, and
demo content that is written, not generated."""

from __future__ import annotations

import re

import pytest

from desktop.demo import demo_answers, generic_fill_paths
from desktop.programs import bundled_programs
from desktop.rules import evaluate
from desktop.values import coerce

from .seeds import seed_text

PROGRAMS = {p.id: p for p in bundled_programs()}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("pid", sorted(PROGRAMS))
def test_every_official_text_is_in_the_source_verbatim(pid):
    p = PROGRAMS[pid]
    seed = _norm(seed_text(p.source.file))
    texts = [(s.id, s.official) for s in p.sections if s.official] + [(i.id, i.official) for i in p.indicators()]
    missing = [iid for iid, off in texts if _norm(off.zh) not in seed]
    assert missing == [], f"official texts not found verbatim in {p.source.file}: {missing}"


@pytest.mark.parametrize("pid", sorted(PROGRAMS))
def test_the_demo_is_written_not_generated(pid):
    p = PROGRAMS[pid]
    assert generic_fill_paths(p) == [], "fields the demo leaves to the generic fill"
    filler = [path for path, v in demo_answers(p).items()
              if isinstance(v, str) and ("本单位建立了工作机制" in v or v.startswith("围绕“") or "（示例" in v)]
    assert filler == []


def _rule(pid, rid):
    return next(r for r in PROGRAMS[pid].all_rules() if r.id == rid)


def _fires(pid, changes, rid):
    p = PROGRAMS[pid]
    answers = demo_answers(p)
    for path, v in changes.items():
        answers[path] = coerce(p.field(path), v)
    return [x for x in evaluate(p, answers).problems if x.code == rid]


WINDOWS = {
    # program: (indicator, registration opens, month the yearly registration closes)
    "moe-resource-library": ("6.1", "2023-08-11", 8),
    "moe-it-benchmark-school": ("6.1", "2023-07-30", 8),
    "moe-virtual-sim-base": ("6.1", "2023-08-11", 8),
    "moe-industry-community": ("5.1", "2023-07-30", 10),
    "moe-open-practice-center": ("7.1", "2023-07-30", 10),
}


@pytest.mark.parametrize("pid", sorted(WINDOWS))
def test_registration_and_performance_windows(pid):
    iid, opens, last_month = WINDOWS[pid]
    year = {"moe-industry-community": "2.2/work_year", "moe-open-practice-center": "4.2/year"}.get(pid, f"{iid}/year")

    def reg(date):
        return _fires(pid, {f"{iid}/kind": "registration", f"{iid}/date": date, year: int(date[:4])}, "r-registration-window")

    def perf(date):
        return _fires(pid, {f"{iid}/kind": "performance", f"{iid}/date": date, year: int(date[:4])}, "r-performance-window")

    d0 = opens
    assert not reg(d0) and reg(f"2023-{int(d0[5:7]):02d}-{int(d0[8:]) - 1:02d}")
    assert not reg("2024-01-01") and not reg(f"2025-{last_month:02d}-{[0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][last_month]}")
    assert reg(f"2025-{last_month + 1:02d}-01")
    assert not perf("2023-11-01") and not perf("2024-12-15") and perf("2024-12-16") and perf("2024-10-31")
    assert _rule(pid, "r-registration-window").message.zh.startswith(("资源库", "标杆校", "注册", "共同体", "实践中心"))


@pytest.mark.parametrize("pid", ["moe-core-course", "moe-quality-textbook", "moe-production-practice-project"])
def test_school_recommendation_window(pid):
    base = {"0.1/course_form": "offline"} if pid == "moe-core-course" else {}
    assert not _fires(pid, {**base, "5.1/submitted": "2023-08-10"}, "r-school-window")
    assert not _fires(pid, {**base, "5.1/submitted": "2023-09-12"}, "r-school-window")
    assert _fires(pid, {**base, "5.1/submitted": "2023-09-13"}, "r-school-window")
    assert _fires(pid, {**base, "5.1/submitted": "2023-08-09"}, "r-school-window")
    ind = PROGRAMS[pid].indicator("5.1")
    assert ind.official.zh.startswith("校级推荐(2023年8月10日—9月12日)")


def test_technology_college_is_not_a_separate_legal_person():
    assert _fires("asean-tech-innovation-college", {"1.1/legal_status": "independent"}, "r-non-independent")
    assert not _fires("asean-tech-innovation-college", {"1.1/legal_status": "non_independent"}, "r-non-independent")
    f = PROGRAMS["asean-tech-innovation-college"].field("1.1/legal_status")
    assert "作为非独立法人依托高等学校建设" in f.help.zh


def test_three_of_six_is_the_official_text_of_its_group():
    p = PROGRAMS["moe-production-practice-project"]
    sec = p.section_of("2.1")
    assert sec.official is not None and sec.official.zh == "满足以下六项条件中的三项:"
    assert [i.id for i in sec.indicators] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert p.section_of("b1").official is None  # the basic requirements are not governed by it
    assert _fires("moe-production-practice-project", {"2.3/met": False}, "r-three-of-six")


def test_cross_region_counts_regions_from_a_fixed_list():
    p = PROGRAMS["gx-industry-community"]
    col = p.field("1.1/units").column("region")
    assert col.type == "choice"
    labels = {c.label.zh for c in col.choices}
    assert {"南宁市", "柳州市", "崇左市", "广东省", "北京市"} <= labels and "广西壮族自治区" not in labels
    # "南宁" typed as the label is the same region as "南宁市": one region, not two
    units = [{**u, "region": "南宁市"} for u in demo_answers(p)["1.1/units"]]
    assert _fires("gx-industry-community", {"1.1/units": units}, "r-cross-region")
    units[-1]["region"] = "玉林市"
    assert not _fires("gx-industry-community", {"1.1/units": units}, "r-cross-region")


def test_staff_means_full_time_and_part_time():
    rid = "r-staff"
    assert _fires("moe-industry-community", {"2.1/full_time_staff": 8, "2.1/part_time_staff": 0}, rid)
    assert _fires("moe-industry-community", {"2.1/full_time_staff": 0, "2.1/part_time_staff": 20}, rid)
    assert not _fires("moe-industry-community", {"2.1/full_time_staff": 1, "2.1/part_time_staff": 1}, rid)
    assert "专兼职人员" in _rule("moe-industry-community", rid).message.zh


def test_the_park_ratio_is_a_warning_that_names_its_base():
    r = _rule("gx-industry-community", "r-park-part-time-ratio")
    assert r.severity == "warning"
    assert r.message.zh.startswith("鼓励") and "专任教师与兼职教师总数" in r.message.zh
    assert "encouraged" in r.message.en and "full-time plus part-time teachers" in r.message.en
    assert "of their teachers" not in r.message.en


def test_the_majors_reading_is_stated():
    r = _rule("moe-resource-library", "r-majors-max")
    assert "含核心专业" in r.message.zh and "core major among them" in r.message.en
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "programs" / "moe-resource-library.md").read_text("utf-8")
    assert "r-majors-max" in page and "core major" in page


def test_four_english_renderings():
    p = {pid: PROGRAMS[pid] for pid in ("xj12-integration", "moe-city-consortium")}
    assert "famous teachers grow" in p["xj12-integration"].indicator("t10").official.en
    assert "Strongly support per-student quota funding" in p["xj12-integration"].indicator("t16").official.en
    mcc = p["moe-city-consortium"]
    assert "by 29 May 2023" in mcc.indicator("3.2").official.en and "before 29 May" not in mcc.indicator("3.2").official.en
    assert "by 29 May 2023" in _rule("moe-city-consortium", "r-deadline").message.en
    assert not _fires("moe-city-consortium", {"3.2/submitted": "2023-05-29"}, "r-deadline")  # "前" includes the day


def test_the_annual_summary_is_dated_like_a_year_end_report():
    a = demo_answers(PROGRAMS["moe-industry-community"])
    assert a["2.0/report_date"] == "2024-12-10" and a["2.2/work_year"] == 2024
    assert a["5.1/kind"] == "performance" and "2024-11-01" <= a["5.1/date"] <= "2024-12-15"
    assert "2.0/report_date" not in demo_answers(PROGRAMS["moe-open-practice-center"])  # September: not due yet
