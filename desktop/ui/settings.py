"""Remembered preferences (QSettings): window geometry, recent files (with what the recent list
shows: program, applicant, completeness, last edit), where each project was left off, UI
language. Nothing secret.

With DOSSIER_HOME set (tests, portable use) the settings live in DOSSIER_HOME/settings.ini,
otherwise in the platform's usual place for "Dossier/Dossier" (INI format everywhere, so the
file is easy to inspect and to delete).
"""

from __future__ import annotations

import hashlib
import json
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

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]

    def recent_info(self, path: str | os.PathLike) -> dict:
        """What the recent list shows for a project, as recorded when it was last open here."""
        raw = self.q.value(f"recent_info/{self._key(str(Path(path).resolve()))}")
        try:
            info = json.loads(raw) if isinstance(raw, str) else {}
        except ValueError:
            info = {}
        return info if isinstance(info, dict) else {}

    def set_recent_info(self, path: str | os.PathLike, info: dict) -> None:
        self.q.setValue(f"recent_info/{self._key(str(Path(path).resolve()))}", json.dumps(info, ensure_ascii=False))

    def place(self, project_key: str) -> dict:
        """Where a project was left off: {"indicator": id, "field": path}."""
        raw = self.q.value(f"place/{self._key(project_key)}")
        try:
            d = json.loads(raw) if isinstance(raw, str) else {}
        except ValueError:
            d = {}
        return d if isinstance(d, dict) else {}

    def set_place(self, project_key: str, indicator: str, field: str = "") -> None:
        self.q.setValue(f"place/{self._key(project_key)}", json.dumps({"indicator": indicator, "field": field}))

    def last_folder(self) -> str:
        v = self.q.value("ui/last_folder")
        return v if isinstance(v, str) and Path(v).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | os.PathLike) -> None:
        self.q.setValue("ui/last_folder", str(folder))

    def sync(self) -> None:
        self.q.sync()
