"""UI language: Qt translators for our strings and Qt's own, switchable at runtime.

- Our strings live in resources/translations/dossier_zh_CN.ts (sources in English, made with
  pyside6-lupdate). The .qm is built from it with lrelease, which PySide6-Essentials ships inside
  the wheel (PySide6/lrelease): `python -m desktop.ui.i18n build` does it (the installer build runs
  it); at start-up a missing or stale .qm is rebuilt automatically, into the user data folder when
  the resources folder is read-only, so a fresh checkout with only PyPI packages works.
- Qt's own strings (dialog buttons, context menus) come from qtbase_zh_CN.qm in
  QLibraryInfo.path(TranslationsPath) (shipped in the PySide6 wheel), or resources/translations.
- Switching language installs/removes translators; Qt then sends LanguageChange to every widget,
  whose changeEvent retranslates it. Program labels (from the definition) follow the UI language
  through `lang()`, falling back to Chinese (Label.get).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from ..paths import resources_dir, user_data_dir

LANGS = ("zh", "en")
TS_NAME = "dossier_zh_CN.ts"
QM_NAME = "dossier_zh_CN.qm"

_current = "en"
_translators: list[QTranslator] = []


def lang() -> str:
    """The UI language: "zh" or "en"."""
    return _current


def translations_dir() -> Path:
    return resources_dir() / "translations"


def system_lang() -> str:
    env = os.environ.get("DOSSIER_LANG", "")
    if env:
        return "zh" if env.lower().startswith("zh") else "en"
    name = QLocale.system().name()
    return "zh" if name.lower().startswith("zh") else "en"


def lrelease_command() -> list[str] | None:
    """lrelease as shipped by PySide6-Essentials (or on PATH)."""
    try:
        import PySide6

        exe = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
        if exe.is_file():
            return [str(exe)]
    except ImportError:  # pragma: no cover
        pass
    from shutil import which

    for name in ("pyside6-lrelease", "lrelease"):
        p = which(name)
        if p:
            return [p]
    return None


def build_qm(ts: Path, qm: Path) -> bool:
    cmd = lrelease_command()
    if not cmd:
        return False
    try:
        r = subprocess.run(cmd + ["-silent", str(ts), "-qm", str(qm)], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0 and qm.is_file()


def qm_path() -> Path | None:
    """Our compiled translations, (re)built when missing or older than the .ts."""
    ts = translations_dir() / TS_NAME
    shipped = translations_dir() / QM_NAME
    if not ts.is_file():
        return shipped if shipped.is_file() else None
    ts_mtime = ts.stat().st_mtime
    for qm in (shipped, user_data_dir() / "cache" / QM_NAME):
        if qm.is_file() and qm.stat().st_mtime >= ts_mtime:
            return qm
    for qm in (shipped, user_data_dir() / "cache" / QM_NAME):
        try:
            qm.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(qm.parent, os.W_OK) and build_qm(ts, qm):
            return qm
    return shipped if shipped.is_file() else None


def _qt_translations() -> list[Path]:
    out = []
    for d in (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), translations_dir()):
        f = d / "qtbase_zh_CN.qm"
        if f.is_file():
            out.append(f)
            break
    return out


def set_language(new: str) -> None:
    """Switch the UI language now; every widget retranslates on LanguageChange."""
    global _current
    new = "zh" if new == "zh" else "en"
    app = QCoreApplication.instance()
    changed = new != _current
    _current = new
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if new == "zh"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if app is None:
        return
    touched = False
    for t in _translators:
        app.removeTranslator(t)
        touched = True
    _translators.clear()
    if new == "zh":
        files = [p for p in [qm_path()] if p] + _qt_translations()
        for f in files:
            t = QTranslator(app)
            if t.load(str(f)):
                app.installTranslator(t)
                _translators.append(t)
                touched = True
    if changed and not touched:
        # no translator changed (e.g. .qm missing): program labels must still follow the language
        QCoreApplication.postEvent(app, QEvent(QEvent.Type.LanguageChange))
    # deliver now (the app forwards LanguageChange to every top-level window, which pass it on)
    QCoreApplication.sendPostedEvents(app, QEvent.Type.LanguageChange)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def _main(argv: list[str]) -> int:
    """`python -m desktop.ui.i18n build` — compile the .ts into the .qm (used by the build)."""
    if argv[:1] != ["build"]:
        print("usage: python -m desktop.ui.i18n build", file=sys.stderr)
        return 2
    ts = translations_dir() / TS_NAME
    qm = translations_dir() / QM_NAME
    if not build_qm(ts, qm):
        print(f"could not build {qm} (lrelease missing?)", file=sys.stderr)
        return 1
    print(qm)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
