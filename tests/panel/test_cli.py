"""The panel's CLI: the whole panel through `dossier review …` and `dossier sheet …` — exit codes,
JSON, one-line errors, nothing changed on refusal."""

from __future__ import annotations

import hashlib
import json

from desktop.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def _score_sheet_cli(capsys, sheet, *, level=None, recuse=()):
    rc, o, e = run(capsys, "sheet", "show", sheet, "--json")
    assert rc == 0, e
    d = json.loads(o)
    rub = d["rubric"]
    for p in d["packages"]:
        pid = p["package"]
        if pid in recuse:
            rc, o, e = run(capsys, "sheet", "coi", sheet, "--package", pid, "--conflict", "--reason", "本人在该校兼职")
            assert rc == 0, e
            continue
        assert run(capsys, "sheet", "coi", sheet, "--package", pid, "--none")[0] == 0
        run(capsys, "sheet", "confirm", sheet, "--package", pid)
        for g in rub["gates"]:
            run(capsys, "sheet", "gate", sheet, "--package", pid, "--gate", g["id"], "--met")
        det = json.loads(run(capsys, "sheet", "show", sheet, "--package", pid, "--json")[1])
        for c in rub["criteria"]:
            if c["id"] not in det["applicable"]:
                continue
            v = level if level is not None else max(lv["value"] for lv in c["levels"])
            rc, o, e = run(capsys, "sheet", "score", sheet, "--package", pid, "--criterion", c["id"], "--level", v,
                           "--comment", "材料翔实")
            assert rc == 0, e
        rc, o, e = run(capsys, "sheet", "overall", sheet, "--package", pid, "--score", 88, "--confidence", "high")
        assert rc == 0, e


def test_panel_cli_flow(capsys, review, tmp_path):
    f = review
    rc, o, e = run(capsys, "review", "rubric", f, "--json")
    assert rc == 0, e
    rub = json.loads(o)
    assert rub["stored"] is False and rub["round"] == 1
    c0 = rub["rubric"]["criteria"][0]["id"]
    rc, o, e = run(capsys, "review", "rubric", f, "--weight", f"{c0}=2", "--note", "第一项加权")
    assert rc == 0 and "rubric version 2" in o, e
    rc, o, e = run(capsys, "review", "rubric", f, "--weight", "nope=2")
    assert rc == 2 and e.startswith("dossier: ") and e.count("\n") == 1
    rc, o, e = run(capsys, "review", "assign", f, "--expert", "张明", "--all", "--out", tmp_path / "zhang", "--json")
    assert rc == 0, e
    sheet = json.loads(o)
    assert len(sheet["packages"]) == 3 and sheet["path"].endswith("zhang.dsheet")
    rc, o, e = run(capsys, "review", "assign", f, "--expert", "李华", "--packages", ",".join(map(str, sheet["packages"])),
                   "--out", tmp_path / "li.dsheet")
    assert rc == 0, e
    rc, o, e = run(capsys, "review", "assign", f, "--expert", "张明 ", "--all", "--out", tmp_path / "again.dsheet")
    assert rc == 2 and "already has" in e and not (tmp_path / "again.dsheet").exists()
    rc, o, e = run(capsys, "sheet", "show", tmp_path / "zhang.dsheet")
    assert rc == 0 and "0 of 3 packages scored" in o
    # the expert's side: a bad level is refused, then everything is scored
    pid = sheet["packages"][0]
    rc, o, e = run(capsys, "sheet", "score", tmp_path / "zhang.dsheet", "--package", pid, "--criterion", c0, "--level", 4)
    assert rc == 2 and "conflict of interest" in e
    _score_sheet_cli(capsys, tmp_path / "zhang.dsheet")
    rc, o, e = run(capsys, "sheet", "show", tmp_path / "zhang.dsheet")
    assert "3 of 3 packages scored" in o
    _score_sheet_cli(capsys, tmp_path / "li.dsheet", level=2, recuse={pid})
    rc, o, e = run(capsys, "review", "submit", tmp_path / "zhang.dsheet", "--out", tmp_path / "zhang.dscores", "--json")
    assert rc == 0 and json.loads(o)["complete"], e
    rc, o, e = run(capsys, "review", "submit", tmp_path / "li.dsheet", "--out", tmp_path / "li.dscores")
    assert rc == 0 and "recused 1" in o, e
    rc, o, e = run(capsys, "review", "merge", f, tmp_path / "zhang.dscores", tmp_path / "li.dscores")
    assert rc == 0 and "rubric frozen" in o and "not signed" in e, (o, e)
    before = hashlib.sha256(f.read_bytes()).hexdigest()
    rc, o, e = run(capsys, "review", "merge", f, tmp_path / "zhang.dscores")
    assert rc == 2 and "Refused (duplicate)" in e and e.count("\n") == 1
    assert hashlib.sha256(f.read_bytes()).hexdigest() == before
    rc, o, e = run(capsys, "review", "rubric", f, "--weight", f"{c0}=5")
    assert rc == 2 and "frozen" in e
    rc, o, e = run(capsys, "review", "sheets", f)
    assert rc == 0 and o.count("merged") == 2
    rc, o, e = run(capsys, "review", "results", f, "--json")
    assert rc == 0, e
    res = json.loads(o)
    first = res["packages"][0]
    assert first["package"] == pid and first["score"] == 100 and first["recused"][0]["expert"] == "李华"
    rc, o, e = run(capsys, "review", "results", f, "--package", pid)
    assert rc == 0 and "recused: 李华" in o and "材料翔实" in o
    rc, o, e = run(capsys, "review", "settings", f, "--threshold", 0.25, "--normalise", "on", "--json")
    assert rc == 0 and json.loads(o) == {"threshold": 0.25, "normalise": True, "gate_rule": "any"}
    rc, o, e = run(capsys, "review", "decide", f, "--package", pid, "--recommend")
    assert rc == 2 and "reason" in e
    rc, o, e = run(capsys, "review", "decide", f, "--package", pid, "--recommend", "--reason", "综合排名第1")
    assert rc == 0 and "recommended" in o
    rc, o, e = run(capsys, "review", "decide", f, "--package", pid, "--history", "--json")
    assert [d["decision"] for d in json.loads(o)] == ["recommended"]
    for cmd, name in (("summary", "汇总表.xlsx"), ("publicity", "公示.csv"), ("report", "报告.pdf")):
        rc, o, e = run(capsys, "review", cmd, f, "--out", tmp_path / name)
        assert rc == 0 and (tmp_path / name).exists(), e
    rc, o, e = run(capsys, "review", "report", f, "--out", tmp_path / "anon.pdf", "--anonymise")
    assert rc == 0
    rc, o, e = run(capsys, "review", "round", f, "--new")
    assert rc == 2 and "reason" in e
    rc, o, e = run(capsys, "review", "round", f, "--new", "--reason", "复评")
    assert rc == 0 and "round 2" in o


def test_cli_bad_input(capsys, review, tmp_path):
    rc, o, e = run(capsys, "review", "assign", review, "--expert", "张明", "--out", tmp_path / "x.dsheet")
    assert rc == 2 and "--packages" in e
    rc, o, e = run(capsys, "review", "assign", review, "--expert", "张明", "--packages", "999", "--out", tmp_path / "x.dsheet")
    assert rc == 2 and "no package 999" in e
    rc, o, e = run(capsys, "sheet", "show", review)
    assert rc == 2 and "review file, not an expert sheet" in e
    (tmp_path / "junk.dsheet").write_bytes(b"x" * 300)
    rc, o, e = run(capsys, "sheet", "show", tmp_path / "junk.dsheet")
    assert rc == 2 and "not a Dossier expert sheet" in e and e.count("\n") == 1
    rc, o, e = run(capsys, "review", "results", review)
    assert rc == 2 and "not started" in e
    rc, o, e = run(capsys, "review", "merge", review, tmp_path / "missing.dscores")
    assert rc == 2 and "not found" in e.lower()
