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


def ensure_user_dir(*parts: str) -> Path:
    """A folder under the user data dir, created if needed; a clear error (DossierError) when the
    data dir is a file, or cannot be created or written (e.g. DOSSIER_HOME set to the wrong place)."""
    from .errors import DossierError

    base = user_data_dir()
    d = base.joinpath(*parts)
    hint_en = " (set DOSSIER_HOME to a writable folder, or unset it)" if os.environ.get("DOSSIER_HOME") else ""
    hint_zh = "（请将 DOSSIER_HOME 设为可写的文件夹，或取消该设置）" if os.environ.get("DOSSIER_HOME") else ""
    for p in [base] + [base.joinpath(*parts[: i + 1]) for i in range(len(parts))]:
        if p.exists() and not p.is_dir():
            raise DossierError(f"Dossier's user data folder {p} is a file, not a folder{hint_en}",
                               f"Dossier 的用户数据文件夹 {p} 是一个文件，而不是文件夹{hint_zh}", key="userdir.not_folder")
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DossierError(f"Cannot create Dossier's user data folder {d}: {e.strerror}{hint_en}",
                           f"无法创建 Dossier 的用户数据文件夹 {d}：{e.strerror}{hint_zh}", key="userdir.unwritable") from None
    if not os.access(d, os.W_OK):
        raise DossierError(f"Dossier's user data folder {d} is read-only{hint_en}",
                           f"Dossier 的用户数据文件夹 {d} 是只读的{hint_zh}", key="userdir.unwritable")
    return d
