"""Where things live: shipped resources and the per-user data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    # PyInstaller unpacks data next to the executable; from a checkout it is ../resources
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def bundled_programs_dir() -> Path:
    return resources_dir() / "programs"


def user_data_dir() -> Path:
    """Per-user data (installed programs, encrypted keys). DOSSIER_HOME overrides (tests, portable use)."""
    env = os.environ.get("DOSSIER_HOME")
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Dossier"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Dossier"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "dossier"


def installed_programs_dir() -> Path:
    return user_data_dir() / "programs"
