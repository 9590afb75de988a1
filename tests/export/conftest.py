"""Fixtures for the seal-and-export tests: small demo projects and one shared export."""

from __future__ import annotations

import datetime as _dt
import shutil
import zipfile
from pathlib import Path
from typing import Callable

import pytest


FIXED = _dt.datetime(2025, 3, 1, 10, 15, 0, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))


def fixed_clock() -> _dt.datetime:
    return FIXED


@pytest.fixture(scope="session")
def exported(demo_master, tmp_path_factory):
    """One sealed export of the demo (session-wide: treat its files as read-only)."""
    from desktop.export import export_project

    d = tmp_path_factory.mktemp("exported")
    proj = d / "gx.dossier"
    shutil.copyfile(demo_master, proj)
    out = d / "out"
    out.mkdir()
    return export_project(proj, out, clock=fixed_clock)


@pytest.fixture(scope="session")
def unpacked(exported, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(exported.zip_path) as z:
        z.extractall(d)
    (root,) = list(d.iterdir())
    return root


def rewrite_zip(src: Path, dst: Path, mutate: Callable[[list[tuple[zipfile.ZipInfo, bytes]]], list[tuple[zipfile.ZipInfo, bytes]]]) -> Path:
    """Copy a zip entry by entry through `mutate` (which may change, drop, add or rename entries)."""
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    items = mutate(items)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        for zi, data in items:
            new = zipfile.ZipInfo(zi.filename, date_time=zi.date_time)
            new.external_attr = zi.external_attr
            new.create_system = zi.create_system
            new.compress_type = zi.compress_type
            z.writestr(new, data)
    return dst


def flip_byte(data: bytes, pos: int | None = None) -> bytes:
    b = bytearray(data)
    i = len(b) // 2 if pos is None else pos
    b[i] ^= 0x01
    return bytes(b)
