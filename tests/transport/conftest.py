"""Fixtures for the transport tests: a project with evidence big enough to split, exports of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.export.conftest import fixed_clock  # noqa: F401 - re-exported for the tests

KIB = 1 << 10


def random_file(path: Path, size: int, seed: int) -> Path:
    import random

    rnd = random.Random(seed)
    path.write_bytes(rnd.randbytes(size))
    return path


@pytest.fixture(scope="session")
def big_master(demo_master, tmp_path_factory) -> Path:
    """The demo plus five 300 KiB files and one 2.5 MiB file (cut into pieces at 1 MB volumes)."""
    from desktop.project import Project

    d = tmp_path_factory.mktemp("big-master")
    p = d / "big.dossier"
    shutil.copyfile(demo_master, p)
    with Project.open(p) as proj:
        for i in range(5):
            proj.attach(random_file(d / f"扫描件-{i}.bin", 300 * KIB, i), "1.1")
        proj.attach(random_file(d / "video.bin", 2500 * KIB, 99), "1.1")
    return p


@pytest.fixture
def big_copy(big_master, tmp_path) -> Path:
    p = tmp_path / "big.dossier"
    shutil.copyfile(big_master, p)
    return p


def out_dir(tmp_path: Path, name: str) -> Path:
    d = tmp_path / name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def split_export(big_master, tmp_path_factory):
    """The big project exported whole and split into 1.2 MB volumes (same content, same seal time)."""
    from desktop.export import export_project
    from desktop.transport import export_package

    d = tmp_path_factory.mktemp("split")
    proj = d / "p.dossier"
    shutil.copyfile(big_master, proj)
    whole = export_project(proj, out_dir(d, "whole"), clock=fixed_clock)
    split = export_package(proj, out_dir(d, "split"), split="1.2M", clock=fixed_clock)
    return whole, split


def flip_range(path: Path, offset: int, length: int, value: int = 0) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes([value]) * length)
        fh.flush()
        os.fsync(fh.fileno())
