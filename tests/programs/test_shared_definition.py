"""shared_definition (desktop/programs/loader.py): one parse per program.yaml text for the readers
that never change a definition (verify and the PDF re-render, issue #10)."""

from __future__ import annotations

import pytest

from desktop.errors import DefinitionError
from desktop.paths import bundled_programs_dir
from desktop.programs import loader, shared_definition


@pytest.fixture(autouse=True)
def _empty():
    loader._shared.clear()
    yield
    loader._shared.clear()


def _texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(bundled_programs_dir().glob("*.yaml"))]


def test_the_same_text_is_parsed_once(monkeypatch):
    text = _texts()[0]
    first = shared_definition(text, "program.yaml")
    monkeypatch.setattr(loader, "load_definition_text", lambda *a: pytest.fail("parsed again"))
    assert shared_definition(text, "program.yaml") is first
    assert first.text == text


def test_another_text_is_another_definition():
    a, b = _texts()[:2]
    pa, pb = shared_definition(a, "program.yaml"), shared_definition(b, "program.yaml")
    assert pa is not pb and pa.id != pb.id
    # one changed character is another key, not the cached definition
    changed = a.replace("version:", "version:  ", 1)
    assert changed != a
    assert shared_definition(changed, "program.yaml") is not pa


def test_a_bad_text_is_refused_every_time():
    bad = "id: x\nversion: 1\n"  # not a whole definition
    for _ in range(2):
        with pytest.raises(DefinitionError):
            shared_definition(bad, "program.yaml")
    assert not loader._shared


def test_only_a_few_definitions_are_kept():
    texts = _texts()
    assert len(texts) > loader._SHARED_MAX
    for t in texts:
        shared_definition(t, "program.yaml")
    assert len(loader._shared) == loader._SHARED_MAX
