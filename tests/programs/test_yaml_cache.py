"""The parse cache of the YAML reader (desktop/programs/yaml_cache.py): a text parsed before is not
parsed again, and the cache can never change what a text means."""

from __future__ import annotations

import os

import pytest

from desktop.paths import bundled_programs_dir, user_data_dir
from desktop.programs import yaml_cache, yaml_io
from desktop.programs.yaml_io import load_yaml


@pytest.fixture(autouse=True)
def _fresh_memory():
    yaml_cache.clear_memory()
    yield
    yaml_cache.clear_memory()


def _definition() -> str:
    return sorted(bundled_programs_dir().glob("*.yaml"))[0].read_text("utf-8")


def _no_parser(monkeypatch):
    def refuse():
        raise AssertionError("the text was parsed again")

    monkeypatch.setattr(yaml_io, "_loader_class", refuse)


def _cache_file(text: str):
    return user_data_dir() / "cache" / "yaml" / f"{yaml_cache.key_of(text)}.json"


def test_a_definition_is_parsed_once_per_machine(monkeypatch):
    text = _definition()
    first = load_yaml(text)
    assert _cache_file(text).is_file()
    yaml_cache.clear_memory()  # as a new process: from the file
    _no_parser(monkeypatch)
    assert load_yaml(text) == first


def test_each_caller_gets_its_own_copy():
    text = _definition()
    a = load_yaml(text)
    a["id"] = "changed"
    a.setdefault("sections", []).clear()
    b = load_yaml(text)
    assert b["id"] != "changed" and b["sections"]


def test_a_damaged_or_edited_cache_file_is_ignored(monkeypatch):
    text = _definition()
    good = load_yaml(text)
    path = _cache_file(text)
    raw = path.read_bytes()
    for bad in (raw[: len(raw) // 2], raw.replace(b'"id"', b'"ID"', 1), b"", b"\xff\xfe" * 10,
                raw.replace(yaml_cache.FORMAT, b"dossier-yaml-cache 999", 1)):
        path.write_bytes(bad)
        yaml_cache.clear_memory()
        assert load_yaml(text) == good
    # and the parse put a sound file back
    yaml_cache.clear_memory()
    _no_parser(monkeypatch)
    assert load_yaml(text) == good


def test_a_file_stored_under_another_key_is_not_taken():
    a, b = _definition(), sorted(bundled_programs_dir().glob("*.yaml"))[1].read_text("utf-8")
    load_yaml(a)
    data_b = load_yaml(b)
    os.replace(_cache_file(a), _cache_file(b))  # b's name, a's content
    yaml_cache.clear_memory()
    assert load_yaml(b) == data_b


@pytest.mark.parametrize("extra, value", [
    ("1: integer key", None),  # JSON would turn the key into "1"
    ("flag: .nan", None),  # NaN is not JSON and not equal to itself
    ("kinds: [1, 1.0, true, null, '1']", [1, 1.0, True, None, "1"]),
    ("date: 2026-12-01", "2026-12-01"),  # dates stay strings
])
def test_what_json_cannot_give_back_exactly_is_parsed_each_time(extra, value):
    text = "x: " + "a" * yaml_cache.MIN_CHARS + "\n" + extra + "\n"
    first = load_yaml(text)
    yaml_cache.clear_memory()
    second = load_yaml(text)
    assert repr(first) == repr(second)
    key = extra.split(":")[0]
    if value is not None:
        assert second[key] == value
        if isinstance(value, list):
            assert [type(v) for v in second[key]] == [type(v) for v in value]
        assert _cache_file(text).is_file()
    else:
        assert not _cache_file(text).exists()


def test_a_refused_text_is_never_remembered():
    text = "a: 1\n" + "b: " + "x" * yaml_cache.MIN_CHARS + "\na: 2\n"
    for _ in range(2):
        with pytest.raises(Exception, match="duplicate key"):
            load_yaml(text)
    assert not _cache_file(text).exists()


def test_an_unwritable_user_folder_only_costs_time(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    text = _definition()
    assert load_yaml(text)["id"]
    yaml_cache.clear_memory()
    assert load_yaml(text)["id"]


def test_the_user_cache_is_capped(monkeypatch):
    monkeypatch.setattr(yaml_cache, "MAX_FILES", 3)
    for i in range(6):
        load_yaml(f"n: {i}\n" + "p: " + "y" * yaml_cache.MIN_CHARS + "\n")
    assert len(list((user_data_dir() / "cache" / "yaml").glob("*.json"))) == 3


def test_the_installer_ships_the_bundled_definitions_parsed(tmp_path, monkeypatch):
    # what installer/dossier.spec does, read back through the shipped folder
    shipped = tmp_path / "resources" / "cache" / "yaml"
    text = _definition()
    assert yaml_cache.store(yaml_cache.key_of(text), load_yaml(text, cache=False), folder=shipped)
    monkeypatch.setattr(yaml_cache, "_dirs", lambda: [tmp_path / "nothing", shipped])
    yaml_cache.clear_memory()
    _no_parser(monkeypatch)
    assert load_yaml(text)["id"]
