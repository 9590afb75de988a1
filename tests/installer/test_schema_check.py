"""desktop/schema_check.py: one validator (jsonschema), precise refusals, and a memory of the
definitions that passed (the installer dropped jsonschema-rs for size, #14; a definition must not
be re-checked at every start, so checks are remembered)."""

from __future__ import annotations

import time

import pytest

from desktop.errors import DefinitionError
from desktop.programs import load_definition_text
from desktop.programs.loader import checker
from desktop.schema_check import Checker, SchemaProblem, first_problem
from tests.core.helpers import L, definition_text


def ind(d):
    return d["sections"][0]["indicators"][0]


@pytest.fixture
def fresh_checker(monkeypatch):
    """The program checker with an empty memory (each test has its own user data folder)."""
    c = Checker(checker().validator.schema, "program")
    monkeypatch.setattr("desktop.programs.loader.checker", lambda: c)
    return c


def refusal(mutate) -> DefinitionError:
    with pytest.raises(DefinitionError) as ei:
        load_definition_text(definition_text(mutate), "bad.yaml")
    return ei.value


@pytest.mark.parametrize("mutate,location,reason", [
    # an operand with an unknown key: all object branches reject it, the shared reason is given
    (lambda d: ind(d).update(rules=[{"id": "r", "kind": "threshold", "expr": {"fieldx": "count"}, "gte": 1, "message": L("m")}]),
     "rules[0].expr", "'fieldx' was unexpected"),
    # a comparison without its subject: which keys would make it one
    (lambda d: ind(d)["fields"][1].update(visible_if={"equals": 1, "in": [1]}), "fields[1].visible_if",
     "one of the keys"),
    # a value of none of the accepted types names them all
    (lambda d: ind(d).update(rules=[{"id": "r", "kind": "threshold", "expr": [], "gte": 1, "message": L("m")}]),
     "rules[0].expr", "is not of type 'number', 'object', 'string'"),
    (lambda d: ind(d)["fields"][1].update(required="yes"), "fields[1].required", "'yes' is not of type 'boolean'"),
    (lambda d: ind(d)["fields"][1].update(colour="red"), "fields[1]", "('colour' was unexpected)"),
])
def test_refusals_name_the_place_and_the_reason(fresh_checker, mutate, location, reason):
    e = refusal(mutate)
    assert location in e.location, e.location
    assert reason in e.reason, e.reason
    assert "(line " in e.location  # the YAML line of the offending value


def test_a_definition_is_checked_once(fresh_checker, monkeypatch):
    text = definition_text()
    load_definition_text(text, "ok.yaml")
    import desktop.schema_check as sc

    calls = []
    real = sc.first_problem
    monkeypatch.setattr(sc, "first_problem", lambda v, inst: calls.append(1) or real(v, inst))
    load_definition_text(text, "ok.yaml")
    assert calls == []
    load_definition_text(definition_text(lambda d: d.update(version="1.0.1")), "ok.yaml")
    assert calls == [1]  # a different definition is checked
    # another process (a fresh checker) finds it in the user cache
    again = Checker(fresh_checker.validator.schema, "program")
    assert again.digest(None, text) in again.known()


def test_a_refused_definition_is_not_remembered(fresh_checker):
    bad = definition_text(lambda d: d.pop("title"))
    for _ in range(2):
        with pytest.raises(DefinitionError, match="'title' is a required property"):
            load_definition_text(bad, "bad.yaml")
    assert not fresh_checker.known()


def test_the_memory_is_per_schema(fresh_checker):
    text = definition_text()
    load_definition_text(text, "ok.yaml")
    schema = dict(fresh_checker.validator.schema)
    schema["description"] = "a changed schema"
    other = Checker(schema, "program")
    assert other.digest(None, text) not in other.known()


def test_a_damaged_or_unwritable_cache_only_costs_time(fresh_checker, monkeypatch, tmp_path):
    path = fresh_checker._cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xfe not digests \x00" * 100)
    c = Checker(fresh_checker.validator.schema, "program")
    assert c.known() == set()
    assert c.first_problem({"x": 1}, text="x: 1") is not None
    # a cache folder that cannot be created (DOSSIER_HOME is a file)
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    c2 = Checker({"type": "object"}, "test-unwritable")
    assert c2.first_problem({"a": 1}, text="a: 1") is None  # checked; the cache cannot be written: no error
    assert c2.digest(None, "a: 1") in c2.known()  # remembered for this process at least


def test_shipped_digests_are_trusted(fresh_checker, monkeypatch, tmp_path):
    """The installer build writes resources/schema/program.checked for the definitions it ships."""
    from desktop.schema_check import cache_digests_for
    from desktop.programs.yaml_io import load_yaml

    text = definition_text()
    res = tmp_path / "resources"
    (res / "schema").mkdir(parents=True)
    (res / "schema" / "program.checked").write_text("\n".join(cache_digests_for(fresh_checker, [text], [load_yaml(text)])))
    monkeypatch.setattr("desktop.paths.resources_dir", lambda: res)
    c = Checker(fresh_checker.validator.schema, "program")
    assert c.digest(None, text) in c.known()


def test_a_hostile_document_is_explained_quickly():
    schema = {"type": "array", "items": {"type": "object", "required": ["a"], "additionalProperties": False}}
    c = Checker(schema, "test-hostile")
    doc = [{"b": i} for i in range(200_000)]
    t = time.perf_counter()
    p = c.first_problem(doc, remember=False)
    assert isinstance(p, SchemaProblem) and p.path and time.perf_counter() - t < 20


def test_messages_shorten_huge_values():
    c = Checker({"type": "object", "properties": {"x": {"type": "integer"}}}, "test-huge")
    p = first_problem(c.validator, {"x": "y" * 100_000})
    assert len(p.message) < 200 and p.where == "x"
