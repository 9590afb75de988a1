"""generator.renderer in a frozen app: the installer ships the digest of the environment it bundles
(installer/dossier.spec → resources/renderer.id), because bytecode has no sources to hash."""

from __future__ import annotations

import sys

from desktop.export import renderer_id as rid


def _fresh(monkeypatch, frozen: bool, resources):
    rid.renderer_id.cache_clear()
    monkeypatch.setattr(sys, "frozen", frozen, raising=False)
    monkeypatch.setattr(rid, "resources_dir", lambda: resources)


def test_a_frozen_app_uses_the_shipped_identity(tmp_path, monkeypatch):
    (tmp_path / rid.SHIPPED).write_text("0123456789abcdef0123456789abcdef\n", "ascii")
    try:
        _fresh(monkeypatch, True, tmp_path)
        assert rid.renderer_id() == "0123456789abcdef0123456789abcdef"
    finally:
        rid.renderer_id.cache_clear()


def test_a_missing_or_odd_shipped_identity_is_computed_instead(tmp_path, monkeypatch):
    try:
        for text in (None, "not hex at all\n", "ab" * 40):
            if text is not None:
                (tmp_path / rid.SHIPPED).write_text(text, "ascii")
            _fresh(monkeypatch, True, tmp_path)
            got = rid.renderer_id()
            assert len(got) == 32 and got != "ab" * 16
    finally:
        rid.renderer_id.cache_clear()


def test_from_source_the_identity_follows_the_export_code(monkeypatch):
    rid.renderer_id.cache_clear()
    monkeypatch.delattr(sys, "frozen", raising=False)
    try:
        assert rid.renderer_id() == rid.computed_renderer_id()
    finally:
        rid.renderer_id.cache_clear()
