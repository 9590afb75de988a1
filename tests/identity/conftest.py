"""Fixtures for the identity tests: an in-memory keyring (never the real OS keyring), fast KDFs,
PDFs to sign, and a demo project to export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from desktop.identity import store as _store
from tests.keyrings import PASSPHRASE, MemoryKeyring, install_fail_keyring, install_memory_keyring  # noqa: F401

REAL_SELECT_BACKEND = _store.select_backend  # the fixture below stubs it out


@pytest.fixture(autouse=True)
def mem_keyring(monkeypatch) -> MemoryKeyring:
    """Every identity test runs against a fresh in-memory keyring; the OS backends are never chosen."""
    return install_memory_keyring(monkeypatch)


@pytest.fixture
def fail_keyring(mem_keyring):
    return install_fail_keyring()


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


