"""The CLI: `dossier review …` and `dossier notes …` — exit codes, JSON, one-line errors."""

from __future__ import annotations

import json
import shutil


from desktop.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_review_cli_flow(capsys, packages, tmp_path):
    f = tmp_path / "desk.dreview"
    rc, o, e = run(capsys, "review", "new", f, "--title", "2025 推荐", "--program", "gx-city-consortium",
                   "--reviewer", "省教育厅职成处")
    assert rc == 0 and o.strip() == str(f), e
    rc, o, e = run(capsys, "review", "trust", f, "--add", packages.trusted_cert)
    assert rc == 0 and "乙学校" in o
    rc, o, e = run(capsys, "review", "add", f, packages.a, packages.b, "--json")
    assert rc == 0, e
    d = json.loads(o)
    assert d["added"] == [1, 2] and d["refused"] == []
    assert {p["verdict"] for p in d["packages"]} == {"unsigned", "intact"}
    rc, o, e = run(capsys, "review", "add", f, packages.tampered, packages.slip)
    assert rc == 2  # something was refused
    assert e.count("\n") == 1 and "refused" in e and "slip.zip" in e
    assert "tampered" in o
    rc, o, e = run(capsys, "review", "list", f, "--json")
    assert rc == 0
    lst = json.loads(o)
    assert [p["verdict"] for p in lst["packages"]] == ["unsigned", "intact", "tampered"]
    rc, o, e = run(capsys, "review", "show", f, "--package", "3")
    assert rc == 0 and "modified" in o and "tampered" in o
    from desktop.programs import find_program

    ind = next(find_program("gx-city-consortium").indicators()).id
    rc, o, e = run(capsys, "review", "note", f, "--package", "1", "--text", "请补充证明材料", "--indicator", "no.such")
    assert rc == 2 and "no indicator" in e
    rc, o, e = run(capsys, "review", "note", f, "--package", "1", "--text", "请补充证明材料", "--indicator", ind)
    assert rc == 0, e
    note_id = o.strip()
    rc, o, e = run(capsys, "review", "note", f, "--edit", note_id, "--text", "请补充合作协议")
    assert rc == 0
    rc, o, e = run(capsys, "review", "state", f, "--package", "2", "--set", "not_accepted")
    assert rc == 2 and "reason" in e
    rc, o, e = run(capsys, "review", "state", f, "--package", "2", "--set", "accepted", "--json")
    assert rc == 0 and json.loads(o)["state"] == "accepted"
    out = tmp_path / "notes"
    rc, o, e = run(capsys, "review", "notes", f, "--package", "1", "--out", out, "--message", "请修改")
    assert rc == 0, e
    notes_path = o.splitlines()[0]
    assert notes_path.endswith(".dossier-notes")
    rc, o, e = run(capsys, "review", "state", f, "--package", "1", "--json")
    assert json.loads(o)["state"] == "returned"
    rc, o, e = run(capsys, "review", "note", f, "--delete", note_id)
    assert rc == 2 and "sent" in e  # a note that went out is kept
    rc, o, e = run(capsys, "review", "table", f, "--out", tmp_path / "t.xlsx", "--sort", "verdict:desc")
    assert rc == 0 and (tmp_path / "t.xlsx").exists()
    rc, o, e = run(capsys, "review", "table", f, "--json", "--filter", "乙学校")
    assert rc == 0 and [r["applicant"] for r in json.loads(o)["rows"]] == ["乙学校", "乙学校"]  # b.zip and its tampered copy
    rc, o, e = run(capsys, "review", "table", f, "--sort", "nonsense")
    assert rc == 2 and e.startswith("dossier: ") and e.count("\n") == 1
    rc, o, e = run(capsys, "review", "open", f, "--package", "2")
    assert rc == 0 and o.strip().endswith(".dossier")

    # the applicant's side
    proj = tmp_path / "a.dossier"
    shutil.copyfile(packages.project_a, proj)
    rc, o, e = run(capsys, "notes", "import", proj, notes_path, "--json")
    assert rc == 0, e
    assert json.loads(o)["added"] == 1 and "not signed" in e
    rc, o, e = run(capsys, "notes", "list", proj)
    assert rc == 0 and "请补充合作协议" in o and "open" in o
    short = o.split("\t", 1)[0]
    rc, o, e = run(capsys, "notes", "reply", proj, short, "--text", "已补充")
    assert rc == 0 and "resolved" in o
    rc, o, e = run(capsys, "notes", "list", proj, "--json")
    assert json.loads(o)[0]["reply"] == "已补充"
    other = tmp_path / "b.dossier"
    shutil.copyfile(packages.projects / "b.dossier", other)
    rc, o, e = run(capsys, "notes", "import", other, notes_path)
    assert rc == 2 and e.count("\n") == 1 and "乙学校" in e


def test_cli_errors_are_one_line(capsys, packages, tmp_path):
    f = tmp_path / "x.dreview"
    rc, o, e = run(capsys, "review", "list", f)
    assert rc == 2 and e.startswith("dossier: ") and e.count("\n") == 1
    rc, o, e = run(capsys, "review", "new", f, "--title", "t", "--program", "no-such-program")
    assert rc == 2 and "Unknown program" in e and not f.exists()
    rc, o, e = run(capsys, "review", "new", f, "--title", "t")
    rc, o, e = run(capsys, "review", "add", f, packages.notzip)
    assert rc == 2 and "not a Dossier data package" in e
    rc, o, e = run(capsys, "review", "add", f, packages.truncated)
    assert rc == 1 and "unreadable" in o  # recorded, with its findings
    rc, o, e = run(capsys, "review", "show", f, "--package", "9")
    assert rc == 2 and "no package 9" in e
    rc, o, e = run(capsys, "review", "trust", f, "--fingerprint", "xyz")
    assert rc == 2 and "fingerprint" in e
    rc, o, e = run(capsys, "review", "open", f, "--package", "1")
    assert rc == 2 and "nothing to show" in e
    rc, o, e = run(capsys, "review", "list", packages.a)
    assert rc == 2 and "not a Dossier review file" in e
    rc, o, e = run(capsys, "review", "notes", f, "--package", "1", "--out", tmp_path / "n")
    assert rc == 2 and e.count("\n") == 1


def test_cli_chinese_messages(capsys, packages, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "zh")
    f = tmp_path / "x.dreview"
    run(capsys, "review", "new", f, "--title", "t")
    rc, o, e = run(capsys, "review", "add", f, packages.plain)
    assert rc == 2 and "已拒绝" in e and "不是 Dossier 数据包" in e
