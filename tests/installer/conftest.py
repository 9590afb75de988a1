"""Session fixtures for the installer tests: a full run of the app as the frozen bundle would make
it (excluded modules blocked), and the frozen bundle itself, built once per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
if str(INSTALLER) not in sys.path:
    sys.path.insert(0, str(INSTALLER))


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment in which the app touches nothing of the developer's: its own user data and
    settings folders, no keyring (passphrase storage), headless Qt, English messages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOSSIER_", "PYTHON_KEYRING"))}
    env.update({
        "DOSSIER_HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "QT_QPA_PLATFORM": "offscreen",
        "DOSSIER_LANG": "en", "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def as_frozen_run(tmp_path_factory):
    """(trace, work folder, seconds) of tests/installer/full_run.py --as-frozen in a fresh process."""
    require_frozen_tests()
    work = tmp_path_factory.mktemp("full-run")
    trace_path = work / "trace.json"
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "tests.installer.full_run", str(trace_path), "--workdir", str(work / "w"),
                        "--as-frozen"], cwd=ROOT, env=isolated_env(work / "home"), capture_output=True, text=True,
                       timeout=1800)
    seconds = time.perf_counter() - t
    assert r.returncode == 0, f"the full run failed with the frozen app's exclusions:\n{r.stderr[-4000:]}"
    return json.loads(trace_path.read_text("utf-8")), work / "w", seconds


FROZEN_ENV = "DOSSIER_TEST_FROZEN"


def frozen_tests_enabled() -> bool:
    """Building the bundle takes minutes (and the full run about a minute): the README's test
    command (`python -m pytest`) leaves them out, and `.ci/run` runs them after it, as
    `DOSSIER_TEST_FROZEN=1 python -m pytest tests/installer` with the build extra installed; add
    DOSSIER_FROZEN_DIST=dist/dossier to test a bundle built already instead of building one."""
    return os.environ.get(FROZEN_ENV) == "1"


def require_frozen_tests() -> None:
    if not frozen_tests_enabled():
        pytest.skip(f"builds or traces the frozen app (minutes): set {FROZEN_ENV}=1 to run")


def inventory_executable(dist: Path) -> Path:
    import inventory

    return inventory.executable(dist)


def pyinstaller_available() -> bool:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory):
    """The one-folder bundle built from installer/dossier.spec (dist/dossier), and the build time."""
    require_frozen_tests()
    if not pyinstaller_available():
        pytest.skip("PyInstaller is not installed: pip install -e '.[build]'")
    prebuilt = os.environ.get("DOSSIER_FROZEN_DIST")
    if not prebuilt and sys.platform.startswith("linux") and shutil.which("objdump") is None:
        # PyInstaller reads and writes ELF files with binutils (objdump, objcopy; strip for the size)
        pytest.skip("PyInstaller needs binutils on Linux (objdump, objcopy, strip): apt-get install binutils")
    out = tmp_path_factory.mktemp("frozen")
    if prebuilt:  # a bundle built from this checkout already (installer/build_linux.py): test that one
        dist = Path(prebuilt).resolve()
        assert inventory_executable(dist).is_file(), f"DOSSIER_FROZEN_DIST={prebuilt}: no dossier executable there"
        return {"dist": dist, "build_seconds": None, "log": "", "out": out}
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "PyInstaller", str(INSTALLER / "dossier.spec"), "--noconfirm",
                        "--distpath", str(out / "dist"), "--workpath", str(out / "build")],
                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                       timeout=3600)
    seconds = time.perf_counter() - t
    assert r.returncode == 0, f"PyInstaller failed:\n{r.stderr[-6000:]}"
    dist = out / "dist" / "dossier"
    (out / "build-log.txt").write_text(r.stdout + r.stderr, "utf-8")
    return {"dist": dist, "build_seconds": seconds, "log": r.stdout + r.stderr, "out": out}
