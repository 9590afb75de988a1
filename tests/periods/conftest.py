"""Demo projects of recurring reports (copied per test)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def wf_master(tmp_path_factory) -> Path:
    """The wf-city-consortium demo: a yearly summary for 2024 with its summary report and attachments."""
    from desktop.demo import make_demo
    from desktop.programs import find_program

    p = tmp_path_factory.mktemp("wf") / "潍坊高新区_2024.dossier"
    with make_demo(find_program("wf-city-consortium"), p) as proj:
        # one stable file besides the demo's per-period ones, linked to two indicators
        src = p.parent / "章程.pdf"
        src.write_bytes(b"%PDF-1.4\n% charter of the consortium\n" + bytes(range(256)) * 64)
        ev = proj.attach(src, "3.2", "charter_document", note="理事会审议通过")
        proj.attach(src, "3.1", "plan_document")
        assert ev.id
    return p


@pytest.fixture
def wf(wf_master, tmp_path) -> Path:
    p = tmp_path / wf_master.name
    shutil.copyfile(wf_master, p)
    return p
