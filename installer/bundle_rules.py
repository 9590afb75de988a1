"""What the frozen app leaves out, and why: one list that the PyInstaller spec applies and the tests
check (tests/installer).

Two kinds of rules:

- **Python modules** are found by PyInstaller's import analysis, so a new dependency (pyrage,
  python-docx, a segmentation library, …) is bundled without touching this file. EXCLUDED_MODULES
  names what is left out although something imports it; every entry says why it is safe.
  tests/installer/test_import_trace.py runs the whole app (demo → export → sign → verify → GUI) with
  these modules blocked and the offline stand-ins in place, so an entry the app does need fails
  there, before any installer is built.
- **Qt** ships far more than the app uses (QML, WebEngine glue, Wayland compositors, SQL drivers,
  40 translations…), and PyInstaller's hooks collect plugins by category. Qt is therefore an
  ALLOWLIST: the libraries, plugins and translations below, nothing else.

Edit this file (not the spec) when a capability needs something that is left out; the comment
beside each rule is what reviewers read.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------------------------ Python

EXCLUDED_MODULES: dict[str, str] = {
    # the network stack: pyHanko imports aiohttp for HTTP time-stamping, remote signing and OCSP/CRL
    # fetching, none of which an offline app does; installer/offline_stubs/aiohttp stands in for it
    "aiohttp": "network stack (pyHanko's optional HTTP clients); replaced by the offline stand-in",
    "yarl": "aiohttp's URL library",
    "multidict": "aiohttp dependency",
    "frozenlist": "aiohttp dependency",
    "propcache": "aiohttp dependency",
    "aiosignal": "aiohttp dependency",
    "aiohappyeyeballs": "aiohttp dependency (connects sockets)",
    "requests": "HTTP client; nothing offline uses it",
    "urllib3": "HTTP client; nothing offline uses it",
    "charset_normalizer": "requests dependency",
    # one JSON Schema validator: the reference `jsonschema` (desktop/schema_check.py)
    "jsonschema_rs": "second JSON Schema validator (15 MB, with a Rust HTTP/TLS stack); no longer a dependency",
    # never a plaintext keyring (desktop.identity.store refuses it anyway)
    "keyrings": "keyrings.alt stores secrets in clear text",
    # development tools and unused GUI toolkits
    "tkinter": "another GUI toolkit",
    "_tkinter": "another GUI toolkit",
    "setuptools": "packaging tool (pulled in by pyinstaller's own hooks)",
    "pkg_resources": "setuptools",
    "_distutils_hack": "setuptools",
    "distutils": "packaging tool",
    "pip": "package installer",
    "lib2to3": "development tool",
    "pydoc": "documentation browser",
    "pydoc_data": "documentation browser",
    "doctest": "test framework",
    "pytest": "test framework",
    "_pytest": "test framework",
    "pytestqt": "test framework",
    "IPython": "development shell",
    "PyInstaller": "the build tool itself",
    "pyhanko.cli": "pyhanko-cli (a reviewer's tool, installed with the test extra)",
    "pdfminer": "test dependency",
    # parts of libraries nothing here uses
    "lxml.objectify": "unused part of lxml (2.8 MB)",
    "lxml.html": "unused part of lxml (HTML parsing, diff)",
    "lxml.isoschematron": "unused part of lxml",
    # (WebP and TIFF stay: evidence photos in those formats get thumbnails in the PDF,
    # desktop/export/pdf_story.IMAGE_TYPES, and previews in the UI)
    "PIL._avif": "AVIF codec (libavif, 4.8 MB): evidence is never detected as AVIF (desktop/evidence_types.py)",
    "PIL.AvifImagePlugin": "AVIF codec",
    "PIL._imagingtk": "Tk bridge",
    "PIL.ImageTk": "Tk bridge",
    "PIL.ImageQt": "Pillow's Qt bridge (the UI converts images itself)",
    "uharfbuzz._harfbuzz_test": "uharfbuzz's test module",
    "PIL._imagingft": "Pillow's FreeType text (3 MB with FreeType and HarfBuzz): only the demo's sample images "
                      "draw text, and Pillow then uses its built-in bitmap font; PDF text is ReportLab's",
    # legacy East Asian encodings other than Chinese: nothing Dossier reads is in them (GBK/GB18030,
    # _codecs_cn, stay: Chinese file names in zip files and old Chinese text files)
    # (Shift-JIS stays: ReportLab's QR encoder tries it for the Kanji mode of the key card's QR code;
    # the full run's `identity key-card` failed with "unknown encoding: shift-jis" without it)
    "_codecs_kr": "Korean legacy encodings",
    "_codecs_tw": "Taiwanese Big5 encodings", "_codecs_hk": "Hong Kong encodings",
    "_codecs_iso2022": "ISO-2022 encodings",
    "encodings.shift_jisx0213": "Japanese", "encodings.shift_jis_2004": "Japanese",
    "encodings.euc_jp": "Japanese", "encodings.euc_jisx0213": "Japanese", "encodings.euc_jis_2004": "Japanese",
    "encodings.cp932": "Japanese", "encodings.euc_kr": "Korean", "encodings.cp949": "Korean",
    "encodings.johab": "Korean", "encodings.big5": "Big5", "encodings.cp950": "Big5",
    "encodings.big5hkscs": "Hong Kong", "encodings.iso2022_jp": "ISO-2022", "encodings.iso2022_jp_1": "ISO-2022",
    "encodings.iso2022_jp_2": "ISO-2022", "encodings.iso2022_jp_2004": "ISO-2022", "encodings.iso2022_jp_3": "ISO-2022",
    "encodings.iso2022_jp_ext": "ISO-2022", "encodings.iso2022_kr": "ISO-2022",
    # sqlite-utils is only behind Project.db, which nothing calls (tests/installer/test_packaging.py
    # fails when a caller appears); with it go its command-line and date libraries
    "sqlite_utils": "behind Project.db only, which has no caller", "sqlite_fts4": "sqlite-utils dependency",
    "click": "sqlite-utils' command line", "click_default_group": "sqlite-utils' command line",
    "dateutil": "sqlite-utils dependency", "tabulate": "sqlite-utils dependency", "pluggy": "sqlite-utils dependency",
    # development-only parts of the standard library
    "unittest": "test framework", "xmlrpc": "XML-RPC client and server", "ftplib": "FTP client (urllib imports it only for ftp:// URLs)",
}

# Packages replaced by a stand-in in installer/offline_stubs (bundled instead of the real one).
STUBBED = {"aiohttp"}

# Imports the app tries and does without, by design (a full run may ask for them; they stay out).
OPTIONAL_IMPORTS: dict[str, str] = {
    "PySide6.QtPdf": "PySide6-Addons, not a dependency: evidence previews use pikepdf (desktop/ui/evidence_preview.py)",
    "PIL._imagingft": "Pillow falls back to its bitmap font (ImageFont.load_default) for the demo's sample images",
}

# Modules PyInstaller cannot see because they are imported by name at run time.
HIDDEN_IMPORTS: list[str] = [
    # ReportLab's C accelerator is a top-level module of its own, imported by name
    "_rl_accel",
    # makes `|` and `&` work on Qt's key and modifier enums; PyInstaller's PySide6 hook adds it only
    # when the "PySide6" distribution is installed, and Dossier depends on PySide6-Essentials
    "PySide6.support.deprecated",
    # zoneinfo reads the IANA database from tzdata where the system has none (Windows): pyHanko's
    # local time of signing needs it
    "tzdata",
    # keyring finds its backends through entry points, which a frozen app does not have: the OS
    # backends are bundled explicitly and desktop.identity.store.select_backend picks one by name
    "keyring.backends.Windows", "keyring.backends.macOS", "keyring.backends.SecretService",
    "keyring.backends.libsecret", "keyring.backends.kwallet", "keyring.backends.fail",
    "keyring.backends.null", "keyring.backends.chainer",
    # the visible PDF seal subsets and rescales the CJK font; fontTools loads table modules by tag
    "fontTools.subset", "fontTools.ttLib.scaleUpem",
]
# every submodule of these; reportlab.graphics.barcode: the key card's QR code is drawn through
# ReportLab's barcode registry, which imports its symbologies by name (the full run's
# `identity key-card` found six the bundle lacked)
HIDDEN_PACKAGES: list[str] = ["desktop", "fontTools.ttLib.tables", "reportlab.graphics.barcode"]
# Packages whose data files (models, templates) PyInstaller has no hook for: bundled whole.
# tests/installer/test_frozen_app.py names the file when a full run reads one the bundle lacks.
DATA_PACKAGES: list[str] = [
    "budoux",  # Thai word-boundary models (desktop/export line breaking), read with open()
]
HIDDEN_IMPORTS_BY_PLATFORM: dict[str, list[str]] = {
    "win32": ["win32ctypes.pywin32.win32cred", "win32ctypes.core"],
    "linux": ["secretstorage", "jeepney", "jeepney.io.blocking"],
    "darwin": [],
}

# ------------------------------------------------------------------------------------ Qt

# PySide6 bindings the app imports (the others are excluded by name)
QT_PYTHON_MODULES = {"QtCore", "QtGui", "QtWidgets"}

# Qt libraries kept (file names contain "Qt6<Name>"); Gui needs DBus on Linux, the xcb platform
# plugin needs XcbQpa. ICU (libicu*) comes with QtCore on Linux and is always kept.
QT_LIBRARIES = {"Core", "Gui", "Widgets", "DBus", "XcbQpa"}

# Qt plugins kept, by category (file stem without "lib" and extension).
QT_PLUGINS: dict[str, set[str]] = {
    # xcb: Linux desktops (X11, and Wayland through XWayland); offscreen: headless checks and CI;
    # windows / cocoa: the other desktops
    "platforms": {"qxcb", "qoffscreen", "qwindows", "qcocoa"},
    # typing Chinese on Linux goes through an input method (ibus; fcitx5 also speaks the ibus
    # protocol); compose: dead keys and the compose key
    "platforminputcontexts": {"ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"},
    # evidence previews: PNG and BMP are built into QtGui; JPEG, GIF, WebP and TIFF are plugins (the
    # image types the PDF shows as thumbnails, desktop/export/pdf_story.IMAGE_TYPES)
    "imageformats": {"qjpeg", "qgif", "qwebp", "qtiff"},
    # native look on Windows 11 / 10 and macOS
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"},
}

# Qt's own translations: only Chinese (the UI's languages are Chinese and English, English is built in)
QT_TRANSLATIONS = {"qtbase_zh_CN.qm"}

# Linux: libraries every desktop has, left to the host as AppImage's excludelist does
# (github.com/AppImageCommunity/pkg2appimage/blob/master/excludelist): the wheels themselves rely on
# the system's copies, and bundling them breaks against the host (an older libstdc++ than the
# graphics drivers need, a libfontconfig that cannot read the host's fonts.conf). The command line
# never loads them (the core has no Qt); the GUI needs a desktop, which has them all.
HOST_LIBRARIES = {
    "libstdc++.so.6", "libgcc_s.so.1", "libX11.so.6", "libxcb.so.1", "libfontconfig.so.1",
    "libfreetype.so.6", "libharfbuzz.so.0", "libglib-2.0.so.0", "libgobject-2.0.so.0", "libgio-2.0.so.0",
    "libgpg-error.so.0", "libexpat.so.1", "libz.so.1", "libuuid.so.1", "libcom_err.so.2", "libfribidi.so.0",
    "libgdk_pixbuf-2.0.so.0", "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libpangoft2-1.0.so.0",
    "libthai.so.0", "libdrm.so.2", "libEGL.so.1", "libGL.so.1", "libGLX.so.0", "libGLdispatch.so.0",
    "libasound.so.2", "libp11-kit.so.0", "libusb-1.0.so.0",
    # not in AppImage's list, but every desktop session runs on D-Bus, and the PySide6 wheel itself
    # expects the system's libdbus-1 (bundling it drags in the build host's libsystemd, libgcrypt,
    # libzstd, liblz4: 3.4 MB)
    "libdbus-1.so.3",
}

# Windows: a 20 MB software OpenGL renderer for machines without drivers; a widgets app never needs it
DROPPED_FILES = {"opengl32sw.dll"}

_PLUGIN = re.compile(r"/plugins/([^/]+)/(?:lib)?([^/]+?)\.(?:so|dll|dylib)$")
_FRAMEWORK = re.compile(r"/Qt([A-Z][A-Za-z]*)\.framework(?:/|$)")  # macOS
_QT_LIB = re.compile(r"(?:lib)?Qt6([A-Z][A-Za-z]*)\.(?:so(?:\.[\d.]+)?|dll|dylib)")


def pyinstaller_excludes() -> list[str]:
    """`excludes` for the spec: the left-out modules (not those a stand-in replaces) and the PySide6
    bindings outside the allowlist."""
    return sorted(set(EXCLUDED_MODULES) - STUBBED) + excluded_pyside_modules()


def is_excluded_module(name: str) -> bool:
    """True when `name` or a package it belongs to is left out (EXCLUDED_MODULES, or a PySide6
    binding outside QT_PYTHON_MODULES)."""
    parts = name.split(".")
    if parts[0] == "PySide6" and len(parts) > 1 and parts[1].startswith("Qt") and parts[1] not in QT_PYTHON_MODULES:
        return True
    return any(".".join(parts[:i]) in EXCLUDED_MODULES for i in range(1, len(parts) + 1))


def excluded_pyside_modules() -> list[str]:
    """Every PySide6 binding outside the allowlist, for PyInstaller's `excludes`."""
    try:
        import PySide6
    except ImportError:  # pragma: no cover
        return []
    from pathlib import Path

    names = {p.name.split(".")[0] for p in Path(PySide6.__file__).parent.iterdir()
             if p.name.startswith("Qt") and p.suffix in (".so", ".pyd", ".pyi")}
    return sorted(f"PySide6.{n}" for n in names if n not in QT_PYTHON_MODULES)


def keep_qt_file(dest: str) -> bool:
    """Whether a collected file (its path inside the bundle) stays. Files that are not Qt libraries,
    plugins, QML or translations always stay."""
    s = dest.replace("\\", "/")
    name = s.rsplit("/", 1)[-1]
    if name in DROPPED_FILES or ("/" not in s and name in HOST_LIBRARIES):
        return False
    m = _QT_LIB.fullmatch(name)
    if m:  # wherever it is (PyInstaller also links Qt libraries from the top of the bundle)
        return m.group(1) in QT_LIBRARIES
    if not s.startswith("PySide6/"):
        return True
    if name.endswith(".qm"):
        return name in QT_TRANSLATIONS
    m = _PLUGIN.search(s)
    if m:
        return m.group(2) in QT_PLUGINS.get(m.group(1), set())
    if "/qml/" in s:
        return False
    m = _FRAMEWORK.search(s)
    if m:
        return m.group(1) in QT_LIBRARIES
    return True
