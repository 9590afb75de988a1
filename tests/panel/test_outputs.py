"""Decisions with history; the 推荐名单汇总表 and the 公示 list read back with openpyxl / csv; the
review report PDF (text, embedded fonts, anonymised experts, deterministic)."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from desktop.panel.assign import assign
from desktop.panel.decisions import current, decide, history
from desktop.panel.merge import merge
from desktop.panel.outputs import PUBLICITY_HEADER, SUMMARY_HEADER, write_publicity, write_summary
from desktop.panel.report import write_report
from desktop.panel.submit import submit
from desktop.review import Review, ReviewError
from tests.panel.conftest import score_all


@pytest.fixture
def scored(review, tmp_path):
    """Two experts have scored the three packages; 李华 recused from the first."""
    with Review.open(review) as rv:
        a = assign(rv, "张明", "all", tmp_path / "a.dsheet")
        b = assign(rv, "李华", "all", tmp_path / "b.dsheet")
        ids = sorted(a.packages)
    score_all(a.path, {ids[0]: 4, ids[1]: 3, ids[2]: 2}, overall=85)
    score_all(b.path, {ids[1]: 2, ids[2]: 2}, recuse={ids[0]}, overall=70)
    with Review.open(review) as rv:
        merge(rv, submit(a.path, tmp_path / "a.dscores").path)
        merge(rv, submit(b.path, tmp_path / "b.dscores").path)
    return review, ids


def test_decisions_need_a_reason_and_keep_history(scored):
    review, ids = scored
    with Review.open(review) as rv:
        with pytest.raises(ReviewError) as e:
            decide(rv, ids[0], "recommended", " ")
        assert e.value.key == "panel.reason_required"
        with pytest.raises(ReviewError):
            decide(rv, ids[0], "maybe", "x")
        decide(rv, ids[0], "recommended", "综合得分第1名")
        decide(rv, ids[0], "not_recommended", "复核发现合作协议过期")
        assert current(rv, ids[0]).decision == "not_recommended"
        assert [d.decision for d in history(rv, ids[0])] == ["recommended", "not_recommended"]
        evs = [e for e in rv.events(ids[0]) if e.event == "decision"]
        assert [(e.old, e.new) for e in evs] == [(None, "recommended"), ("recommended", "not_recommended")]


def test_summary_xlsx_reads_back(scored, tmp_path):
    from openpyxl import load_workbook

    review, ids = scored
    with Review.open(review) as rv:
        decide(rv, ids[0], "recommended", "综合得分第1名")
        decide(rv, ids[1], "recommended", "综合得分第2名")
        decide(rv, ids[2], "not_recommended", "得分偏低")
        out = write_summary(rv, tmp_path / "推荐名单汇总表")
        applicants = {r.id: r.applicant for r in rv.packages()}
    assert out.name == "推荐名单汇总表.xlsx"
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == SUMMARY_HEADER
    assert [r[0] for r in rows[1:]] == [1, 2, 3]
    assert [r[1] for r in rows[1:]] == [applicants[i] for i in ids]
    assert rows[1][3] == 100 and rows[1][4] == 1 and rows[1][5] == "推荐"
    assert rows[2][3] == pytest.approx(62.5) and rows[2][4] == 2
    assert rows[3][5] == "不推荐" and "得分偏低" in rows[3][6]
    assert "1位专家回避" in rows[1][6] and "综合得分第1名" in rows[1][6]
    assert all(r[2] for r in rows[1:])  # 项目名称
    with Review.open(review) as rv:
        only = write_summary(rv, tmp_path / "only.xlsx", recommended_only=True)
    assert len(list(load_workbook(only).active.iter_rows(values_only=True))) == 3


def test_publicity_lists_recommended_in_rank_order(scored, tmp_path):
    from openpyxl import load_workbook

    review, ids = scored
    with Review.open(review) as rv:
        with pytest.raises(ReviewError) as e:
            write_publicity(rv, tmp_path / "gs.csv")
        assert e.value.key == "panel.none_recommended" and not (tmp_path / "gs.csv").exists()
        decide(rv, ids[2], "recommended", "第3名")
        decide(rv, ids[0], "recommended", "第1名")
        x = write_publicity(rv, tmp_path / "公示.xlsx")
        c = write_publicity(rv, tmp_path / "公示.csv")
        applicants = {r.id: r.applicant for r in rv.packages()}
    rows = list(load_workbook(x).active.iter_rows(values_only=True))
    assert rows[0] == PUBLICITY_HEADER and [r[1] for r in rows[1:]] == [applicants[ids[0]], applicants[ids[2]]]
    raw = c.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    got = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(got[0]) == PUBLICITY_HEADER and [r[1] for r in got[1:]] == [applicants[ids[0]], applicants[ids[2]]]


def test_summary_xlsx_opens_in_libreoffice(scored, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    review, _ids = scored
    with Review.open(review) as rv:
        out = write_summary(rv, tmp_path / "s.xlsx")
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1"  # comma, quote, UTF-8, from row 1
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", fmt,
                        str(out), "--outdir", str(tmp_path / "lo")], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "lo" / "s.csv").read_text("utf-8")
    assert "申报单位" in text and "推荐意见" in text


def test_report_pdf(scored, tmp_path):
    review, ids = scored
    with Review.open(review) as rv:
        decide(rv, ids[0], "recommended", "综合得分第1名")
        named = write_report(rv, tmp_path / "report", generated_at="2025-05-01T08:00:00Z")
        anon = write_report(rv, tmp_path / "anon.pdf", anonymise=True, generated_at="2025-05-01T08:00:00Z")
        again = write_report(rv, tmp_path / "again.pdf", anonymise=True, generated_at="2025-05-01T08:00:00Z")
        applicants = [r.applicant for r in rv.packages()]
    assert named.name == "report.pdf" and named.read_bytes().startswith(b"%PDF")
    assert anon.read_bytes() == again.read_bytes()  # deterministic
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(["pdftotext", "-layout", str(named), "-"], capture_output=True, text=True, check=True).stdout
    assert "专家评审报告" in text and "张明" in text and "李华" in text and "综合得分第1名" in text
    assert any(a in text for a in applicants) and "回避" in text
    atext = subprocess.run(["pdftotext", "-layout", str(anon), "-"], capture_output=True, text=True, check=True).stdout
    assert "张明" not in atext and "李华" not in atext and "专家A" in atext and "专家B" in atext
    assert "本人曾参与" not in atext  # a recusal's reason could name the expert: left out when anonymised
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(named)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
