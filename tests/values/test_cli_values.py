"""The CLI side of the same rules: ISO and unambiguous day-first dates accepted, ambiguous ones
and days that do not exist refused in one line; `export --out 提交/` creates the folder."""

from __future__ import annotations

import pytest

from desktop.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, capsys):
    f = tmp_path / "p.dossier"
    code, _out, err = run(capsys, "new", f, "--program", "asean-craftsman-college", "--applicant", "Rayong Technical College")
    assert code == 0, err
    return f


def test_dates_on_the_command_line(project, capsys):
    code, out, err = run(capsys, "set", project, "7.1/agreement_date", "30/06/2026")
    assert code == 0, err
    code, out, _ = run(capsys, "get", project, "7.1/agreement_date")
    assert out.strip().endswith("2026-06-30")
    code, out, err = run(capsys, "set", project, "7.1/agreement_date", "03/04/2026")
    assert code != 0 and err.count("\n") == 1 and "3 April or 4 March" in err
    code, out, err = run(capsys, "set", project, "7.1/agreement_date", "2026-02-30")
    assert code != 0 and err.count("\n") == 1 and "February 2026 has 28 days" in err and "(agreement_date)" not in err
    code, out, _ = run(capsys, "get", project, "7.1/agreement_date")
    assert out.strip().endswith("2026-06-30")  # refused values change nothing


def test_export_creates_the_output_folder(tmp_path, capsys):
    demo = tmp_path / "demo.dossier"
    assert run(capsys, "demo", "moe-core-course", demo)[0] == 0
    out_dir = tmp_path / "提交"
    code, out, err = run(capsys, "export", demo, "--out", str(out_dir) + "/")
    assert code == 0, err
    assert sorted(p.suffix for p in out_dir.iterdir()) == [".pdf", ".zip"]
