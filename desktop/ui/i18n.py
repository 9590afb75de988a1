"""UI language: Qt translators for our strings and Qt's own, switchable at runtime.

- Our strings live in one catalogue per UI area (sources in English, made with lupdate
  `-locations none`, so edits elsewhere in a file never churn it): `dossier_zh_CN.ts` for the
  modules directly in desktop/ui, `<area>_zh_CN.ts` for each subpackage desktop/ui/<area>/
  (`catalogues()` lists them). Each .qm is built from its .ts with lrelease, which PySide6-Essentials ships inside
  the wheel (PySide6/lrelease): `python -m desktop.ui.i18n build` does it (the installer build runs
  it); at start-up a missing or stale .qm is rebuilt automatically, into the user data folder when
  the resources folder is read-only, so a fresh checkout with only PyPI packages works.
- Plural forms ("1 file", "2 files"): strings with a count are written `self.tr("%n file(s)", "", n)`
  and get their forms from the catalogues, as Qt intends: Chinese has one form, and English ones
  come from `<area>_en.ts`, which holds only the numerus messages (lupdate -pluralonly) and is
  installed in the English UI.
- Qt's own strings (dialog buttons, context menus, the file dialog) come from qtbase_zh_CN.qm in
  QLibraryInfo.path(TranslationsPath) (shipped in the PySide6 wheel), or resources/translations;
  the few it lacks ("&Look in:", "Files of &type:" of the file dialog) from our
  resources/translations/qt_extra_zh_CN.ts.
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
TS_NAME = "dossier_zh_CN.ts"  # the catalogue of the modules directly in desktop/ui
QM_NAME = "dossier_zh_CN.qm"
TS_SUFFIX = "_zh_CN.ts"
EN_SUFFIX = "_en.ts"  # English plural forms only

_current = "en"
_translators: list[QTranslator] = []
_installed_for: str | None = None  # the language whose translators are installed


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


def ui_dir() -> Path:
    return Path(__file__).resolve().parent


def catalogues() -> dict[str, list[Path]]:
    """Every translation catalogue (.ts file name) and the UI sources whose strings it holds."""
    out = {TS_NAME: sorted(ui_dir().glob("*.py"))}
    for sub in sorted(p for p in ui_dir().iterdir() if p.is_dir() and (p / "__init__.py").is_file()):
        out[sub.name + TS_SUFFIX] = sorted(sub.rglob("*.py"))
    return out


def _compiled(ts: Path) -> Path | None:
    """The .qm of one catalogue, (re)built when missing or older than the .ts."""
    qm_name = ts.name[:-3] + ".qm"
    shipped = ts.with_name(qm_name)
    ts_mtime = ts.stat().st_mtime
    for qm in (shipped, user_data_dir() / "cache" / qm_name):
        if qm.is_file() and qm.stat().st_mtime >= ts_mtime:
            return qm
    for qm in (shipped, user_data_dir() / "cache" / qm_name):
        try:
            qm.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(qm.parent, os.W_OK) and build_qm(ts, qm):
            return qm
    return shipped if shipped.is_file() else None


def en_catalogues() -> dict[str, list[Path]]:
    """The English plural-form catalogues, one per UI area (same sources as its Chinese one)."""
    return {name[: -len(TS_SUFFIX)] + EN_SUFFIX: sources for name, sources in catalogues().items()}


def qm_paths(code: str = "zh") -> list[Path]:
    """Our compiled translations for a UI language, one per catalogue (a frozen app ships only the
    .qm files): the Chinese catalogues, or the English plural forms."""
    d = translations_dir()
    out: list[Path] = []
    suffix = TS_SUFFIX if code == "zh" else EN_SUFFIX
    names = {p.name for p in d.glob("*" + suffix)} | {p.name[:-3] + ".ts" for p in d.glob("*" + suffix[:-3] + ".qm")}
    for name in sorted(names):
        if name.startswith("qt"):  # Qt's own strings: _qt_translations()
            continue
        ts = d / name
        qm = _compiled(ts) if ts.is_file() else ts.with_name(name[:-3] + ".qm")
        if qm is not None and qm.is_file():
            out.append(qm)
    return out


def _qt_translations() -> list[Path]:
    out = []
    for d in (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), translations_dir()):
        f = d / "qtbase_zh_CN.qm"
        if f.is_file():
            out.append(f)
            break
    extra = translations_dir() / "qt_extra_zh_CN.ts"  # what qtbase_zh_CN lacks
    qm = _compiled(extra) if extra.is_file() else translations_dir() / "qt_extra_zh_CN.qm"
    if qm is not None and qm.is_file():
        out.append(qm)
    return out


def set_language(new: str) -> None:
    """Switch the UI language now; every widget retranslates on LanguageChange."""
    global _current, _installed_for
    new = "zh" if new == "zh" else "en"
    app = QCoreApplication.instance()
    changed = new != _current
    _current = new
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if new == "zh"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if app is None:
        return
    from .fonts import apply_families

    apply_families(app, new)  # the fallback order depends on the language (English quotes)
    if not changed and _installed_for == new:
        return  # nothing to swap: no LanguageChange storm through every window
    touched = False
    for t in _translators:
        app.removeTranslator(t)
        touched = True
    _translators.clear()
    for f in qm_paths("zh") + _qt_translations() if new == "zh" else qm_paths("en"):
        t = QTranslator(app)
        if t.load(str(f)):
            app.installTranslator(t)
            _translators.append(t)
            touched = True
    _installed_for = new
    if changed and not touched:
        # no translator changed (e.g. .qm missing): program labels must still follow the language
        QCoreApplication.postEvent(app, QEvent(QEvent.Type.LanguageChange))
    # deliver now (the app forwards LanguageChange to every top-level window, which pass it on)
    QCoreApplication.sendPostedEvents(app, QEvent.Type.LanguageChange)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def _main(argv: list[str]) -> int:
    """`python -m desktop.ui.i18n build` compiles every .ts into its .qm (used by the build);
    `python -m desktop.ui.i18n update` refreshes every catalogue from the sources with lupdate
    (new strings then need their translation filled in)."""
    if argv[:1] == ["update"]:
        lupdate = Path(__import__("PySide6").__file__).parent / "lupdate"
        for name, sources in catalogues().items():
            subprocess.run([str(lupdate), "-silent", "-locations", "none", "-no-obsolete", *map(str, sources),
                            "-ts", str(translations_dir() / name)], check=True)
            print(translations_dir() / name)
        for name, sources in en_catalogues().items():  # English plural forms: only where there are some
            ts = translations_dir() / name
            subprocess.run([str(lupdate), "-silent", "-locations", "none", "-no-obsolete", "-pluralonly", "-target-language", "en",
                            *map(str, sources), "-ts", str(ts)], check=True)
            if "<message" not in ts.read_text(encoding="utf-8"):
                ts.unlink()
            else:
                print(ts)
        return 0
    if argv[:1] != ["build"]:
        print("usage: python -m desktop.ui.i18n build|update", file=sys.stderr)
        return 2
    ok = True
    for ts in sorted([*translations_dir().glob("*" + TS_SUFFIX), *translations_dir().glob("*" + EN_SUFFIX)]):
        qm = ts.with_name(ts.name[:-3] + ".qm")
        if not build_qm(ts, qm):
            print(f"could not build {qm} (lrelease missing?)", file=sys.stderr)
            ok = False
        else:
            print(qm)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
