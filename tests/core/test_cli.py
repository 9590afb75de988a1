"""The `dossier` CLI: every command, --json shapes, exit codes, one-line errors (never a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from tests.core.helpers import definition_text

ROOT = Path(__file__).resolve().parents[2]
PID = "gx-city-consortium"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str):
    assert err.count("\n") == 1 and err.startswith("dossier: "), err
    assert "Traceback" not in err


@pytest.fixture
def project(tmp_path, capsys):
    f = tmp_path / "项目 测试.dossier"
    code, out, err = run(capsys, "new", f, "--program", PID, "--applicant", "柳州市人民政府")
    assert code == 0, err
    return f


def _paths(capsys):
    code, out, _ = run(capsys, "program", "show", PID, "--json")
    tree = json.loads(out)
    fields = [f for s in tree["sections"] for i in s["indicators"] for f in i["fields"]]
    return tree, fields


def test_programs_and_show(capsys):
    code, out, _ = run(capsys, "programs", "--json")
    progs = json.loads(out)
    assert code == 0 and any(p["id"] == PID for p in progs)
    assert set(progs[0]) >= {"id", "version", "title", "issuer", "source", "origin"}
    tree, fields = _paths(capsys)
    ind = tree["sections"][0]["indicators"][0]
    assert ind["official"]["zh"] and ind["official"]["en"]
    assert all({"path", "type", "label", "required"} <= set(f) for f in fields)
    code, out, _ = run(capsys, "program", "show", PID)
    assert code == 0 and tree["title"]["en"] in out


def test_set_get_info_validate_history(project, capsys):
    tree, fields = _paths(capsys)
    text = next(f for f in fields if f["type"] == "text")
    num = next((f for f in fields if f["type"] in ("integer", "number")), None)
    table = next(f for f in fields if f["type"] == "table")
    code, out, err = run(capsys, "set", project, text["path"], "示例 文本 😀")
    assert code == 0, err
    assert out.strip() == f"{text['path']} = 示例 文本 😀"
    if num:
        assert run(capsys, "set", project, num["path"], "12")[0] == 0
    row = {c["id"]: (c["choices"][0]["value"] if c.get("choices") else ("2024-01-01" if c["type"] == "date" else
           (True if c["type"] == "boolean" else (3 if c["type"] in ("integer", "number", "percent") else "甲"))))
           for c in table["columns"]}
    code, out, err = run(capsys, "set", project, table["path"], json.dumps([row], ensure_ascii=False))
    assert code == 0, err
    code, out, _ = run(capsys, "get", project, "--json")
    got = json.loads(out)
    assert got[text["path"]] == "示例 文本 😀" and len(got[table["path"]]) == 1
    code, out, _ = run(capsys, "get", project, text["path"])
    assert out.strip() == "示例 文本 😀"
    code, out, _ = run(capsys, "info", project, "--json")
    info = json.loads(out)
    assert info["program"]["id"] == PID and info["applicant"] == "柳州市人民政府"
    assert 0 < info["completeness"] < 100 and info["problems"]["blocking"] > 0
    assert set(info) >= {"completeness", "problems", "evidence", "modified_at", "created_with"}
    code, out, _ = run(capsys, "validate", project, "--json")
    v = json.loads(out)
    assert code == 1 and v["ok"] is False and v["blocking"] == len([p for p in v["problems"] if p["severity"] == "blocking"])
    assert {"code", "severity", "indicator", "path", "message"} <= set(v["problems"][0])
    code, out, _ = run(capsys, "validate", project)
    assert code == 1 and "BLOCKING" in out
    code, out, _ = run(capsys, "history", project, text["path"], "--json")
    assert json.loads(out)[-1]["new"] == "示例 文本 😀"
    code, out, _ = run(capsys, "set", project, text["path"], "--clear")
    assert code == 0 and run(capsys, "get", project, text["path"], "--json")[1].strip() == "null"


def test_attach_evidence_extract(project, tmp_path, capsys):
    tree, _ = _paths(capsys)
    ind = tree["sections"][0]["indicators"][0]["id"]
    f1 = tmp_path / "证明 材料 📎.pdf"
    f1.write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "attach", project, f1, empty, "--indicator", ind, "--note", "说明")
    assert code == 0, err
    assert "empty (0 bytes)" in err
    code, out, _ = run(capsys, "evidence", project, "--json")
    items = json.loads(out)
    assert [i["name"] for i in items] == [f1.name, "empty.txt"]
    assert items[0]["links"][0]["indicator"] == ind and items[0]["note"] == "说明"
    dest = tmp_path / "out.pdf"
    code, out, _ = run(capsys, "extract", project, items[0]["id"], dest)
    assert code == 0 and dest.read_bytes() == f1.read_bytes()
    code, out, err = run(capsys, "attach", project, f1, "--indicator", ind)
    assert code == 2 and "already attached" in err
    one_line_error(err)


def test_demo_validates_clean(tmp_path, capsys):
    out_file = tmp_path / "demo.dossier"
    code, out, err = run(capsys, "demo", PID, out_file)
    assert code == 0, err
    code, out, err = run(capsys, "validate", out_file)
    assert code == 0, out


@pytest.mark.parametrize(
    "args,needle",
    [
        (["new", "{tmp}/x.dossier", "--program", "no-such-program"], "Unknown program"),
        (["info", "{tmp}/missing.dossier"], "File not found"),
        (["info", "{notdossier}"], "not a Dossier project"),
        (["set", "{project}", "1.1/nope", "1"], "Unknown field path"),
        (["attach", "{project}", "{tmp}/missing.pdf", "--indicator", "1.1"], "not found"),
        (["attach", "{project}", "{tmp}", "--indicator", "1.1"], "is a folder"),
        (["extract", "{project}", "abc", "{tmp}/o"], "must be a number"),
        (["extract", "{project}", "99", "{tmp}/o"], "No evidence #99"),
        (["program", "import", "{badyaml}"], "bad.yaml"),
        (["program", "show", "nope"], "Unknown program"),
    ],
)
def test_bad_input_one_line_exit_2(project, tmp_path, capsys, args, needle):
    notdossier = tmp_path / "n.dossier"
    notdossier.write_text("hello")
    badyaml = tmp_path / "bad.yaml"
    badyaml.write_text(definition_text(lambda d: d.pop("sections")), "utf-8")
    subst = {"{tmp}": str(tmp_path), "{project}": str(project), "{notdossier}": str(notdossier), "{badyaml}": str(badyaml)}
    real = []
    for a in args:
        for k, v in subst.items():
            a = a.replace(k, v)
        real.append(a)
    before = project.read_bytes()
    code, out, err = run(capsys, *real)
    assert code == 2
    assert needle in err
    one_line_error(err)
    assert project.read_bytes() == before


def test_wrong_type_value_exit_2(project, capsys):
    _, fields = _paths(capsys)
    num = next(f for f in fields if f["type"] in ("integer", "number", "percent"))
    code, out, err = run(capsys, "set", project, num["path"], "很多")
    assert code == 2 and "not" in err
    one_line_error(err)


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "set")[0] == 2
    assert run(capsys)[0] == 2


def test_console_script_runs_in_chinese(tmp_path):
    """The installed entry point, in a Chinese locale: errors are in Chinese, on one line."""
    env = {**os.environ, "DOSSIER_LANG": "zh_CN.UTF-8", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "desktop.cli", "info", str(tmp_path / "无.dossier")],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and r.stderr.startswith("dossier: 找不到文件") and r.stderr.count("\n") == 1
