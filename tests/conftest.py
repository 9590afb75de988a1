"""Shared test set-up: headless Qt, an isolated user data directory, no network."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

# set before anything imports Qt: tests run headless everywhere
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DOSSIER_LANG"] = "en"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Each test gets its own user data dir (installed programs, keys, settings)."""
    home = tmp_path_factory.mktemp("dossier-home")
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield home


@pytest.fixture(autouse=True)
def _fresh_shared_definitions():
    """Definitions parsed for verify and the re-render are remembered by their text
    (programs.shared_definition); a test that patches the loader or the builder must see its
    patch, not what an earlier test parsed."""
    from desktop.programs import loader

    loader._shared.clear()
    yield
    loader._shared.clear()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """The app must work offline: any attempt to open an internet socket fails the test."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise AssertionError(f"network connection attempted to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """A filled gx-city-consortium demo (28 observation points, 8 evidence files). Copy before changing."""
    from desktop.demo import make_demo
    from desktop.programs import find_program

    d = tmp_path_factory.mktemp("demo-master")
    p = d / "gx.dossier"
    make_demo(find_program("gx-city-consortium"), p).close()
    return p


@pytest.fixture
def demo_copy(demo_master, tmp_path) -> Path:
    p = tmp_path / "project.dossier"
    shutil.copyfile(demo_master, p)
    return p
