"""Random SIGKILLs during every writing command: 0 damaged projects, 0 lost acknowledged edits, no
half-written output under a final name (tests/core/crash_harness.py; the full 300-kill battery is
`scripts/crash_battery.py`)."""

from __future__ import annotations

import os
import sys

import pytest

from tests.core.crash_harness import WORKLOADS, run_workload, summary

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

KILLS = int(os.environ.get("DOSSIER_CRASH_KILLS", "4"))  # per workload in CI


@pytest.mark.slow
@pytest.mark.parametrize("cls", WORKLOADS, ids=[c.name for c in WORKLOADS])
def test_random_kills_lose_nothing(cls, tmp_path):
    import random

    w = cls()
    out = run_workload(w, tmp_path / w.name, KILLS, random.Random(hash(cls.name) & 0xFFFF))
    assert not out.problems, summary([out])
    assert out.killed == KILLS and out.acknowledged >= 1
