"""Fixtures for the identity tests: an in-memory keyring (never the real OS keyring), fast KDFs,
PDFs to sign, and a demo project to export."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend


from desktop.identity import store as _store

REAL_SELECT_BACKEND = _store.select_backend  # the fixture below stubs it out


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring that lives in a dict (what the tests use instead of the OS keyring)."""

    priority = 20

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.writes = 0

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.writes += 1
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def mem_keyring(monkeypatch) -> MemoryKeyring:
    """Every identity test runs against a fresh in-memory keyring; the OS backends are never chosen."""
    from desktop.identity import keys, pkcs12, store

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.delenv("DOSSIER_PASSPHRASE", raising=False)
    monkeypatch.delenv("DOSSIER_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None, raising=False)  # restored after the test
    monkeypatch.setattr(store, "select_backend", lambda: None)  # never the real Keychain / Secret Service
    # production strength is checked in test_kdf_strength; elsewhere keep the tests fast
    monkeypatch.setattr(keys, "KDF_ITERATIONS", 2_000)
    monkeypatch.setattr(pkcs12, "KDF_ROUNDS", 2_000)
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    return kr


@pytest.fixture
def fail_keyring(mem_keyring):
    """No keyring backend at all (a headless Linux box): keyring reports fail.Keyring."""
    from keyring.backends import fail

    kr = fail.Keyring()
    keyring.set_keyring(kr)
    return kr


PASSPHRASE = "correct horse battery staple"


def make_pdf(pages: int = 2) -> bytes:
    """A small ReportLab PDF with embedded fonts only (the last page plays the stamp page)."""
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4

    from desktop.fonts import CJK_FONT, register_fonts

    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName=CJK_FONT)
    for i in range(pages):
        c.setFont(CJK_FONT, 14)
        c.drawString(72, 760, f"第 {i + 1} 页 Page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


SEAL_BOX = (357.17, 73.7, 538.58, 198.43)


@pytest.fixture
def pdf_file(tmp_path) -> Path:
    p = tmp_path / "in.pdf"
    p.write_bytes(make_pdf())
    return p


