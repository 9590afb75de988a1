"""Remembered preferences (QSettings): window geometry, recent files, UI language. Nothing secret.

With DOSSIER_HOME set (tests, portable use) the settings live in DOSSIER_HOME/settings.ini,
otherwise in the platform's usual place for "Dossier/Dossier" (INI format everywhere, so the
file is easy to inspect and to delete).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


def _qsettings() -> QSettings:
    home = os.environ.get("DOSSIER_HOME")
    if home:
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Dossier", "Dossier")


class Settings:
    def __init__(self) -> None:
        self.q = _qsettings()

    # -- language
    def language(self) -> str | None:
        v = self.q.value("ui/language")
        return v if v in ("zh", "en") else None

    def set_language(self, lang: str) -> None:
        self.q.setValue("ui/language", lang)
        self.q.sync()

    # -- geometry
    def geometry(self, key: str) -> QByteArray | None:
        v = self.q.value(f"geometry/{key}")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def set_geometry(self, key: str, data: QByteArray) -> None:
        self.q.setValue(f"geometry/{key}", data)

    def state(self, key: str) -> QByteArray | None:
        v = self.q.value(f"state/{key}")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def set_state(self, key: str, data: QByteArray) -> None:
        self.q.setValue(f"state/{key}", data)

    # -- recent files
    def recent_files(self) -> list[str]:
        v = self.q.value("recent/files") or []
        if isinstance(v, str):
            v = [v]
        return [str(x) for x in v if x]

    def add_recent(self, path: str | os.PathLike) -> None:
        p = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != p]
        files.insert(0, p)
        self.q.setValue("recent/files", files[:MAX_RECENT])
        self.q.sync()

    def remove_recent(self, path: str | os.PathLike) -> None:
        p = str(Path(path).resolve())
        self.q.setValue("recent/files", [f for f in self.recent_files() if f != p])
        self.q.sync()

    def last_folder(self) -> str:
        v = self.q.value("ui/last_folder")
        return v if isinstance(v, str) and Path(v).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | os.PathLike) -> None:
        self.q.setValue("ui/last_folder", str(folder))

    def sync(self) -> None:
        self.q.sync()
