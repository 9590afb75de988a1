"""Fixtures for the expert panel: a review file with packages taken in (from the reviewer's desk's
session-wide packages), and helpers that score an expert sheet completely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.review.conftest import PROGRAM, mem_keyring, packages  # noqa: F401 - fixtures re-exported


@pytest.fixture(scope="session")
def panel_master(packages, tmp_path_factory) -> Path:  # noqa: F811
    """A review file holding a, a2 (supersedes a), b, c and the tampered copy: a2, b and c go to experts."""
    from desktop.review import Review, add_packages

    d = tmp_path_factory.mktemp("panel-master")
    p = d / "panel.dreview"
    with Review.create(p, "2025 城市产教联合体推荐", PROGRAM) as rv:
        rv.set_meta("reviewer", "省教育厅职成处")
        res = add_packages(rv, [packages.a, packages.a2, packages.b, packages.c, packages.tampered])
        assert len(res.added) == 5
    return p


@pytest.fixture
def review(panel_master, tmp_path) -> Path:
    p = tmp_path / "panel.dreview"
    shutil.copyfile(panel_master, p)
    return p


def score_all(sheet_path, levels=None, *, overall=80, confidence="high", recuse=(), gate_fail=()):
    """Score every package of a sheet: `levels` {package: value or {criterion: value}} (default the
    highest level), recusals for the packages in `recuse`, gates failed for (package, gate) in `gate_fail`."""
    from desktop.panel.sheet import ExpertSheet

    with ExpertSheet.open(sheet_path) as sh:
        rub = sh.rubric
        for pkg in sh.packages():
            if pkg.id in recuse:
                sh.declare(pkg.id, True, "本人曾参与该校申报书撰写")
                continue
            sh.declare(pkg.id, False)
            for g in rub.gates:
                failed = (pkg.id, g.id) in gate_fail
                sh.set_gate(pkg.id, g.id, not failed, "材料不符合要求" if failed else "")
            want = (levels or {}).get(pkg.id)
            for c in rub.criteria:
                if c.id not in pkg.applicable:
                    continue
                v = want.get(c.id, c.high) if isinstance(want, dict) else (c.high if want is None else want)
                sh.set_score(pkg.id, c.id, v, comment=f"{c.label.zh}：意见")
            sh.set_overall(pkg.id, overall if not isinstance(overall, dict) else overall[pkg.id], confidence=confidence)


# the UI fixtures (headless app set up like the real one, captured message boxes and file dialogs)
from tests.ui.conftest import controller, file_dialogs, messages, ui  # noqa: E402,F401
