"""`dossier next-period`: what it says, --json, --dry-run, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.project import Project

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_next_period_creates_and_says_what_it_did(wf, tmp_path, capsys):
    out = tmp_path / "2025-01.dossier"
    code, text, err = run(capsys, "next-period", wf, "--period", "2025-01", "--out", out)
    assert code == 0, err
    assert f"created {out}: period 2025-01 (previous 2024)" in text
    assert "answers carried over" in text and "evidence files copied" in text
    assert out.is_file()


def test_json_and_dry_run(wf, tmp_path, capsys):
    out = tmp_path / "x.dossier"
    code, text, _ = run(capsys, "next-period", wf, "--period", "2025-Q1", "--out", out, "--dry-run", "--json")
    assert code == 0 and not out.exists()
    d = json.loads(text)
    assert d["created"] is False and d["period"] == "2025-Q1" and d["previous_period"] == "2024"
    assert d["period_fields"] == {"4.3/period_type": "quarter", "4.3/year": 2025, "4.3/quarter": "q1"}
    assert d["evidence_copied"] >= 1 and d["previous_values"]["3.3/releases"] == 36
    code, text, _ = run(capsys, "next-period", wf, "--period", "2025-Q1", "--out", out, "--json")
    assert code == 0 and json.loads(text)["created"] is True and out.is_file()


def test_chinese_output(wf, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "zh")
    code, text, _ = run(capsys, "next-period", wf, "--period", "2025", "--out", tmp_path / "n.dossier")
    assert code == 0 and "已创建" in text and "报告期 2025年度（上期 2024年度）" in text


@pytest.mark.parametrize("args,fragment", [
    (["--period", "2025-13", "--out", "{tmp}/a.dossier"], "a year has 12 months"),
    (["--period", "2023", "--out", "{tmp}/a.dossier"], "ends before the previous one"),
    (["--period", "2025-H1", "--out", "{tmp}/a.dossier"], "not per half"),
    (["--period", "2025", "--out", "{tmp}/missing/a.dossier"], "does not exist"),
    (["--period", "2025", "--out", "{wf}"], "already exists"),
    (["--period", "2025", "--out", "{tmp}/a.dossier", "--previous-period", "2023"], "reports on 2024, not on 2023"),
])
def test_errors_are_one_line_exit_2(wf, tmp_path, capsys, args, fragment):
    args = [a.format(tmp=tmp_path, wf=wf) for a in args]
    code, text, err = run(capsys, "next-period", wf, *args)
    assert code == 2 and text == ""
    assert err.count("\n") == 1 and err.startswith("dossier: ") and fragment in err, err


def test_the_command_is_listed(capsys):
    assert main(["--help"]) == 0
    assert "next-period" in capsys.readouterr().out


@pytest.mark.slow
def test_a_killed_next_period_never_leaves_a_half_project(wf, tmp_path):
    """SIGKILL at staggered instants: the new name holds a complete project or nothing."""
    big = tmp_path / "实训基地全景.pdf"
    big.write_bytes(os.urandom(24 << 20))  # a long copy, so that kills land while it is being written
    with Project.open(wf) as proj:
        proj.attach(big, "3.1", "plan_document")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outcomes = []
    for n, delay in enumerate((0.05, 0.4, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0, 30)):
        out = tmp_path / f"k{n}.dossier"
        p = subprocess.Popen([sys.executable, "-m", "desktop.cli", "next-period", str(wf), "--period", "2025",
                              "--out", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        outcomes.append(out.exists())
        if out.exists():
            with Project.open(out) as proj:
                assert proj.meta()["period"] == "2025"
                assert proj.history()[-1].action == "next_period"  # the last step before the rename
                assert any(e.name == big.name and e.size == 24 << 20 for e in proj.evidence())
    assert outcomes[-1] and not outcomes[0]


def test_program_show_marks_what_is_per_period(capsys):
    code, text, _ = run(capsys, "program", "show", "wf-city-consortium", "--json")
    d = json.loads(text)
    assert code == 0 and d["period"]["kinds"] == ["year", "quarter", "month"] and d["period"]["month"] == "4.3/month"
    fields = {f["path"]: f for s in d["sections"] for i in s["indicators"] for f in i["fields"]}
    assert fields["3.3/releases"].get("per_period") is True and "per_period" not in fields["3.1/park"]
    slots = {(i["id"], e["id"]): e for s in d["sections"] for i in s["indicators"] for e in i["evidence"]}
    assert slots[("4.3", "summary_report")].get("per_period") is True
    code, text, _ = run(capsys, "program", "show", "wf-city-consortium")
    assert "3.3/releases (integer) (per period)" in text
