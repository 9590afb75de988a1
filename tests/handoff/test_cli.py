"""`dossier handoff create|return|merge|list|show`: outputs, --json shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from desktop.cli import main
from desktop.errors import DefinitionError
from desktop.programs import load_definition_text
from tests.core.helpers import definition_text
from tests.handoff.helpers import _mutate, new_lead
from tests.handoff.test_merge_matrix import BASE, answers, edit


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str):
    assert err.count("\n") == 1 and err.startswith("dossier: "), err
    assert "Traceback" not in err


@pytest.fixture
def lead(tmp_path):
    return new_lead(tmp_path, BASE)


def test_full_cycle_with_conflict(capsys, lead, tmp_path):
    part = tmp_path / "part.dossier"
    code, out, err = run(capsys, "handoff", "create", lead, "--part", "partner", "--to", "Rayong Technical College",
                         "--out", part, "--json")
    assert code == 0, err
    created = json.loads(out)
    assert created["scope"]["indicators"] == ["2.1", "2.2"] and created["fields"] == 5
    code, out, _ = run(capsys, "handoff", "show", part, "--json")
    assert json.loads(out)["partner"] == "Rayong Technical College"
    # both sides edit
    run(capsys, "set", part, "2.1/teachers", "9")
    run(capsys, "set", part, "2.2/area", "120")
    run(capsys, "set", lead, "2.1/teachers", "7")
    ret = tmp_path / "back.dossier-return"
    code, out, err = run(capsys, "handoff", "return", part, "--out", ret, "--message", "done")
    assert code == 0, err
    assert ret.is_file() and str(ret) in out
    code, out, _ = run(capsys, "handoff", "show", ret, "--json")
    assert json.loads(out)["message"] == "done"
    before = answers(lead)
    code, out, err = run(capsys, "handoff", "merge", lead, ret)
    assert code == 1
    assert "CONFLICT\t2.1/teachers\t5\t7\t9" in out
    assert "--prefer" in err
    assert answers(lead) == before
    code, out, _ = run(capsys, "handoff", "merge", lead, ret, "--json")
    d = json.loads(out)
    assert code == 1 and d["blocked"] == ["conflicts"]
    assert d["conflicts"] == [{"key": "2.1/teachers", "path": "2.1/teachers", "kind": "value", "base": 5, "lead": 7, "partner": 9}]
    code, out, err = run(capsys, "handoff", "merge", lead, ret, "--prefer", "partner")
    assert code == 0, err
    assert answers(lead)["2.1/teachers"] == 9 and answers(lead)["2.2/area"] == 120
    code, out, _ = run(capsys, "handoff", "merge", lead, ret)
    assert code == 0 and "already merged" in out
    code, out, _ = run(capsys, "handoff", "list", lead, "--json")
    (rec,) = json.loads(out)
    assert rec["state"] == "merged" and rec["returns_merged"] == 1 and rec["partner"] == "Rayong Technical College"
    code, out, _ = run(capsys, "handoff", "list", lead)
    assert "merged" in out and "Rayong" in out
    code, out, _ = run(capsys, "history", lead, "--json")
    hist = json.loads(out)
    assert any(h.get("actor") == "Rayong Technical College" and h["path"] == "2.2/area" for h in hist)


def test_create_to_a_folder_and_overlap_warning(capsys, lead, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run(capsys, "handoff", "create", lead, "--indicators", "2.1", "--to", "A 学院", "--out", out_dir)
    assert code == 0, err
    assert Path(out.splitlines()[0]).parent == out_dir
    code, out, err = run(capsys, "handoff", "create", lead, "--sections", "2", "--to", "B", "--out", tmp_path / "b.dossier")
    assert code == 0 and "also assigned to A 学院" in err


@pytest.mark.parametrize("args,key", [
    (["--indicators", "9.9"], "Unknown indicator"),
    (["--sections", "7"], "Unknown section"),
    (["--part", "nope"], "has no part"),
    ([], "Say what to share"),
])
def test_create_errors(capsys, lead, tmp_path, args, key):
    code, out, err = run(capsys, "handoff", "create", lead, *args, "--to", "X", "--out", tmp_path / "x.dossier")
    assert code == 2 and key in err
    one_line_error(err)
    assert not (tmp_path / "x.dossier").exists()


def test_merge_errors_are_one_line(capsys, lead, tmp_path):
    bad = tmp_path / "bad.dossier-return"
    bad.write_bytes(b"PK\x03\x04 not really")
    code, out, err = run(capsys, "handoff", "merge", lead, bad)
    assert code == 2
    one_line_error(err)
    code, out, err = run(capsys, "handoff", "return", lead, "--out", tmp_path / "r.dossier-return")
    assert code == 2 and "not a hand-off file" in err
    one_line_error(err)
    code, out, err = run(capsys, "handoff", "merge", lead, tmp_path / "missing.dossier-return")
    assert code == 2
    one_line_error(err)


def test_out_of_scope_exit_1_then_skip(capsys, lead, tmp_path):
    part = tmp_path / "part.dossier"
    run(capsys, "handoff", "create", lead, "--indicators", "2.2", "--to", "P", "--out", part)
    edit(part, {"2.2/area": 77.0, "2.1/teachers": 1})
    ret = tmp_path / "r.dossier-return"
    code, out, err = run(capsys, "handoff", "return", part, "--out", ret)
    assert code == 0 and "outside your assignment" in err
    code, out, err = run(capsys, "handoff", "merge", lead, ret)
    assert code == 1 and "OUTSIDE\t2.1/teachers" in out and "--skip-out-of-scope" in err
    code, out, err = run(capsys, "handoff", "merge", lead, ret, "--skip-out-of-scope")
    assert code == 0, err
    a = answers(lead)
    assert a["2.2/area"] == 77.0 and a["2.1/teachers"] == 5


def test_dry_run_changes_nothing(capsys, lead, tmp_path):
    part = tmp_path / "part.dossier"
    run(capsys, "handoff", "create", lead, "--sections", "2", "--to", "P", "--out", part)
    edit(part, {"2.2/area": 77.0})
    ret = tmp_path / "r.dossier-return"
    run(capsys, "handoff", "return", part, "--out", ret)
    code, out, _ = run(capsys, "handoff", "merge", lead, ret, "--dry-run", "--json")
    assert code == 0 and json.loads(out)["summary"]["fields_taken"] == 1
    assert answers(lead)["2.2/area"] == 100.0


def test_bundled_parts_create(capsys, tmp_path):
    for pid, part in (("asean-craftsman-college", "partner"), ("moe-city-consortium", "lead-school"),
                      ("moe-industry-community", "lead-university")):
        f = tmp_path / f"{pid}.dossier"
        assert run(capsys, "new", f, "--program", pid, "--applicant", "甲")[0] == 0
        code, out, err = run(capsys, "handoff", "create", f, "--part", part, "--to", "乙", "--out",
                             tmp_path / f"{pid}-part.dossier", "--json")
        assert code == 0, err
        assert json.loads(out)["fields"] > 0


def _with_parts(parts):
    def mutate(d):
        _mutate(d)
        d["parts"] = parts
    return definition_text(mutate)


@pytest.mark.parametrize("parts,why", [
    ([{"id": "p", "label": {"zh": "甲", "en": "A"}, "indicators": ["9.9"]}], "unknown indicator '9.9'"),
    ([{"id": "p", "label": {"zh": "甲", "en": "A"}, "fields": ["2.1/nope"]}], "unknown field '2.1/nope'"),
    ([{"id": "p", "label": {"zh": "甲", "en": "A"}, "indicators": ["2.1"], "fields": ["2.1/teachers"]}], "already assigned"),
    ([{"id": "p", "label": {"zh": "甲", "en": "A"}, "indicators": ["2.1"]},
      {"id": "p", "label": {"zh": "乙", "en": "B"}, "indicators": ["2.2"]}], "duplicate part id"),
    ([{"id": "p", "label": {"zh": "甲", "en": "A"}}], "needs indicators or fields"),
])
def test_definition_parts_checked(parts, why):
    with pytest.raises(DefinitionError) as e:
        load_definition_text(_with_parts(parts), "t.yaml")
    assert why in e.value.reason


def test_definition_parts_schema():
    bad = yaml.safe_load(_with_parts([{"id": "p", "label": {"zh": "甲", "en": "A"}, "indicators": ["2.1"], "color": "red"}]))
    with pytest.raises(DefinitionError):
        load_definition_text(yaml.safe_dump(bad, allow_unicode=True), "t.yaml")
    prog = load_definition_text(_with_parts([{"id": "p", "label": {"zh": "甲", "en": "A"}, "indicators": ["2.1"]}]), "t.yaml")
    assert prog.part("p").label.en == "A"
