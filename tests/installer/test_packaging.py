"""The installer's parts that need no build: the pruning rules, the ELF tools (dependency pruning,
debug stripping, ICU slimming), the desktop integration files (checked with the freedesktop tools
where installed), install.sh, the NSIS script (compiled with makensis where installed), the icons,
the macOS document type, the offline stand-in and the frozen entry point."""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import bundle_rules
import elf_deps
import elf_strip
import platform_meta

from .conftest import ROOT, isolated_env

LINUX = ROOT / "resources" / "linux"
ICONS = ROOT / "resources" / "icons"
QT_LIB = None
try:
    import PySide6

    QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
except ImportError:  # pragma: no cover
    pass
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux ELF files")


# ------------------------------------------------------------------------------------ rules


@pytest.mark.parametrize("dest,kept", [
    ("PySide6/Qt/lib/libQt6Core.so.6", True), ("PySide6/Qt/lib/libQt6Network.so.6", False),
    ("libQt6Network.so.6", False), ("libQt6Gui.so.6", True), ("PySide6/Qt/lib/libicudata.so.73", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True), ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False), ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", True), ("PySide6/Qt/plugins/imageformats/libqsvg.so", False), ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True), ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/translations/qt_zh_CN.qm", False), ("PySide6/Qt/qml/QtQuick/qmldir", False),
    ("PySide6/Qt6Core.dll", True), ("PySide6/Qt6Network.dll", False), ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True), ("PySide6/opengl32sw.dll", False),
    ("PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore", True), ("PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork", False),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
    ("libstdc++.so.6", False), ("libX11.so.6", False), ("libxcb-cursor.so.0", True), ("libdbus-1.so.3", False),
    ("resources/fonts/WenQuanYiMicroHei.ttf", True), ("pikepdf.libs/libqpdf-781b0270.so.30.4.2", True),
])
def test_qt_allowlist(dest, kept):
    assert bundle_rules.keep_qt_file(dest) is kept


def test_excluded_modules():
    ex = bundle_rules.is_excluded_module
    assert ex("aiohttp") and ex("aiohttp.client") and ex("jsonschema_rs") and ex("PySide6.QtNetwork")
    assert ex("keyrings.alt.file") and ex("lxml.objectify") and ex("PIL._avif")
    assert not any(ex(m) for m in ("PySide6.QtCore", "PySide6.QtWidgets", "jsonschema", "lxml.etree", "PIL.Image",
                                   "pyhanko.sign", "keyring.backends.SecretService", "desktop.export"))
    excludes = bundle_rules.pyinstaller_excludes()
    assert "aiohttp" not in excludes  # the stand-in takes its name
    assert "PySide6.QtNetwork" in excludes and "PySide6.QtWidgets" not in excludes
    for name, why in bundle_rules.EXCLUDED_MODULES.items():
        assert why.strip(), name


def test_every_image_type_the_pdf_shows_can_be_decoded_in_the_bundle():
    """Each evidence image type the PDF gives a thumbnail (Pillow) and the UI a preview (Qt plugin)
    stays decodable in the frozen app: the frozen export must equal the venv's."""
    from PIL import Image

    from desktop.export.pdf_story import IMAGE_TYPES

    builtin_qt = {"image/png", "image/bmp"}
    plugin = {"image/jpeg": "qjpeg", "image/gif": "qgif", "image/webp": "qwebp", "image/tiff": "qtiff"}
    Image.init()
    for mime in IMAGE_TYPES:
        fmts = [f for f, m in Image.MIME.items() if m == mime]
        assert fmts, mime
        modules = {Image.OPEN[f][0].__module__ if hasattr(Image.OPEN[f][0], "__module__") else "" for f in fmts}
        assert not any(bundle_rules.is_excluded_module(m) for m in modules), (mime, modules)
        assert mime in builtin_qt or plugin[mime] in bundle_rules.QT_PLUGINS["imageformats"], mime
    assert not bundle_rules.is_excluded_module("PIL._webp")


def test_sqlite_utils_has_no_caller():
    """The installer leaves sqlite-utils out because Project.db, its only user, has no caller. When
    a feature starts using it, remove "sqlite_utils" (and its dependencies) from EXCLUDED_MODULES."""
    import re

    users = []
    for p in sorted((ROOT / "desktop").rglob("*.py")):
        text = p.read_text("utf-8")
        rel = p.relative_to(ROOT).as_posix()
        if "sqlite_utils" in text and rel != "desktop/project/file.py":
            users.append(rel)
        if re.search(r"\b(?:proj|project|self\.project|session\.project|p)\.db\b(?!_)", text):
            users.append(rel)
    assert not users, f"these modules use sqlite-utils, which the installer leaves out: {users}"


def test_offline_stand_in_refuses_every_use():
    sys.path.insert(0, str(ROOT / "installer" / "offline_stubs"))
    saved = sys.modules.pop("aiohttp", None)
    try:
        import aiohttp

        assert "dossier-offline" in aiohttp.__version__
        assert issubclass(aiohttp.ClientConnectorError, aiohttp.ClientError)  # made on demand
        for cls in (aiohttp.ClientSession, aiohttp.BasicAuth, aiohttp.TCPConnector, aiohttp.SomethingNew):
            with pytest.raises(aiohttp.OfflineError, match="offline"):
                cls()
        _ = aiohttp.BasicAuth | None  # pyHanko's annotations evaluate this at import time
    finally:
        sys.path.remove(str(ROOT / "installer" / "offline_stubs"))
        sys.modules.pop("aiohttp", None)
        if saved is not None:
            sys.modules["aiohttp"] = saved


# ------------------------------------------------------------------------------------ ELF tools


@linux_only
def test_elf_needed_and_pruning():
    core = QT_LIB / "libQt6Core.so.6"
    needed = elf_deps.needed(str(core))
    assert "libicui18n.so.73" in needed or any(n.startswith("libicu") for n in needed)
    widgets = QT_LIB / "libQt6Widgets.so.6"
    toc = [("PySide6/QtWidgets.abi3.so", str(Path(PySide6.__file__).parent / "QtWidgets.abi3.so"), "EXTENSION"),
           ("PySide6/Qt/lib/libQt6Widgets.so.6", str(widgets), "BINARY"),
           ("PySide6/Qt/lib/libQt6Gui.so.6", str(QT_LIB / "libQt6Gui.so.6"), "BINARY"),
           ("PySide6/Qt/lib/libQt6Network.so.6", str(QT_LIB / "libQt6Network.so.6"), "BINARY")]
    kept, dropped = elf_deps.prune_unreachable(toc)
    assert dropped == ["PySide6/Qt/lib/libQt6Network.so.6"]
    assert elf_deps.needed(__file__) == []


@linux_only
def test_strip_touches_only_shared_objects_with_something_to_strip(tmp_path):
    if not shutil.which("strip"):
        pytest.skip("GNU strip not installed")
    import _decimal  # a compiled stdlib module; pyenv/Debian builds often carry DWARF

    src = Path(_decimal.__file__)
    (tmp_path / "d").mkdir()
    dst = tmp_path / "d" / src.name
    shutil.copy2(src, dst)
    plain = tmp_path / "d" / "data.so.1"
    plain.write_bytes(b"\x7fELF not really")
    exe = tmp_path / "d" / "dossier"  # an executable with an archive appended: never stripped
    shutil.copy2(src, exe)
    before = elf_strip.strippable_bytes(dst)
    saved = elf_strip.strip_tree(tmp_path / "d")
    assert elf_strip.strippable_bytes(dst) == 0
    assert (saved > 0) == (before > 0)
    assert plain.read_bytes() == b"\x7fELF not really"
    assert exe.read_bytes() == src.read_bytes()
    r = subprocess.run([sys.executable, "-c", f"import importlib.util as u, sys; s=u.spec_from_file_location('_decimal', {str(dst)!r});"
                        "m=u.module_from_spec(s); s.loader.exec_module(m); print(m.Decimal('1.10') + m.Decimal('2'))"],
                       capture_output=True, text=True)
    assert r.stdout.strip() == "3.10", r.stderr  # the stripped module still loads and works


@linux_only
def test_icu_slim_keeps_what_qt_uses(tmp_path):
    """The slimmed ICU data library is a valid ELF whose package holds exactly the kept items,
    and Qt works with it: pinyin collation, Turkish case conversion, GB18030, time zone names."""
    import icu_slim

    lib = next(QT_LIB.glob("libicudata.so.*"))
    d = tmp_path / "icu"
    d.mkdir()
    shutil.copy2(lib, d / lib.name)
    report = icu_slim.slim_file(d / lib.name)
    if report is None:
        pytest.skip(f"{lib.name} is laid out differently from what icu_slim knows (left as it is)")
    assert report["bytes_after"] < report["bytes_before"] / 5
    new = (d / lib.name).read_bytes()
    elf = icu_slim.Elf64(new)
    _o, value, size, _n = icu_slim._find_data_symbol(elf, elf.section_names())
    _h, prefix, items = icu_slim.parse_package(new[value:value + size])
    names = [n.split("/", 1)[1] for n, _d in items]
    assert "coll/zh.res" in names and "coll/ucadata.icu" in names and "gb18030.cnv" in names
    assert not any(n.startswith(("curr/", "lang/", "region/", "unit/", "translit/", "brkitr/")) for n in names)
    if shutil.which("icupkg"):  # ICU's own tool reads the package
        pkg = tmp_path / f"{prefix}.dat"  # icupkg expects the package name as the file name
        pkg.write_bytes(new[value:value + size])
        r = subprocess.run(["icupkg", "-l", str(pkg)], capture_output=True, text=True)
        assert r.returncode == 0 and len(r.stdout.split()) == len(items), r.stderr
    probe = (
        "import functools, json\n"
        "from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone, QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "zh = QLocale(QLocale.Language.Chinese, QLocale.Country.China)\n"
        "w = sorted(['上海', '北京', '柳州', '阿里', '南宁'], key=functools.cmp_to_key(QCollator(zh).compare))\n"
        "tz = QTimeZone(b'Asia/Shanghai')\n"
        "print(json.dumps([w, QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey).toUpper('istanbul'),"
        " QStringDecoder('GB18030').isValid(), tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, zh)],"
        " ensure_ascii=False))\n")
    if shutil.which("strip"):  # the spec strips after slimming: the result must still work
        elf_strip.strip_tree(d)
    env = {**os.environ, "LD_LIBRARY_PATH": str(d)}  # searched before the Qt libraries' RUNPATH
    slim = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    full = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert slim.returncode == 0, slim.stderr
    assert slim.stdout == full.stdout, (slim.stdout, full.stdout)
    assert '"阿里", "北京", "柳州", "南宁", "上海"' in slim.stdout


def test_icu_slim_refuses_an_unknown_layout(tmp_path):
    import icu_slim

    f = tmp_path / "libicudata.so.99"
    f.write_bytes(b"\x7fELF\x02\x01" + b"\0" * 200)
    assert icu_slim.slim_file(f) is None
    assert f.read_bytes().startswith(b"\x7fELF\x02\x01")  # untouched


# ------------------------------------------------------------------------------------ Linux desktop files


def test_desktop_entry():
    text = (LINUX / "dossier.desktop").read_text("utf-8")
    assert f"MimeType={platform_meta.MIME_TYPE};" in text and "Exec=dossier gui %f" in text and "Icon=dossier" in text
    if shutil.which("desktop-file-validate"):
        r = subprocess.run(["desktop-file-validate", str(LINUX / "dossier.desktop")], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def test_mime_type_magic_matches_a_real_project(demo_master):
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(LINUX / "dossier-mime.xml").getroot()
    mt = root.find("m:mime-type", ns)
    assert mt.get("type") == platform_meta.MIME_TYPE
    assert mt.find("m:glob", ns).get("pattern") == "*" + platform_meta.EXTENSION
    outer = mt.find("m:magic/m:match", ns)
    inner = outer.find("m:match", ns)
    head = demo_master.read_bytes()[:100]
    assert head.startswith(platform_meta.SQLITE_MAGIC)
    assert outer.get("value") == "SQLite format 3\\000" and int(outer.get("offset")) == 0
    off = int(inner.get("offset"))
    assert off == platform_meta.APPLICATION_ID_OFFSET and int(inner.get("value"), 16) == platform_meta.APPLICATION_ID
    assert int.from_bytes(head[off:off + 4], "big") == platform_meta.APPLICATION_ID


@pytest.mark.skipif(not (shutil.which("update-mime-database") and shutil.which("xdg-mime")),
                    reason="needs shared-mime-info and xdg-utils (apt-get install shared-mime-info xdg-utils)")
def test_file_managers_recognise_a_project_even_without_its_extension(demo_master, tmp_path):
    data = tmp_path / "share"
    (data / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(LINUX / "dossier-mime.xml", data / "mime" / "packages" / "dossier.xml")
    subprocess.run(["update-mime-database", str(data / "mime")], check=True, capture_output=True)
    env = {**os.environ, "XDG_DATA_HOME": str(data), "XDG_DATA_DIRS": "/usr/share", "XDG_CURRENT_DESKTOP": "X-Generic"}
    renamed = tmp_path / "renamed-no-extension"
    shutil.copyfile(demo_master, renamed)
    for f in (demo_master, renamed):
        r = subprocess.run(["xdg-mime", "query", "filetype", str(f)], env=env, capture_output=True, text=True)
        assert r.stdout.strip() == platform_meta.MIME_TYPE, (f, r.stdout, r.stderr)


def _fake_release(tmp_path: Path) -> Path:
    """A release folder like installer/build_linux.py stages, with a stand-in app."""
    import build_linux

    app = tmp_path / "app"
    (app / "_internal").mkdir(parents=True)
    exe = app / "dossier"
    exe.write_text("#!/bin/sh\necho \"dossier stand-in $*\"\n")
    exe.chmod(0o755)
    release = tmp_path / "dossier-0-linux-x86_64"
    build_linux.stage(app, release)
    return release


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_install_sh_installs_and_uninstalls_for_the_user(tmp_path):
    release = _fake_release(tmp_path)
    home = tmp_path / "home with space"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    r = subprocess.run(["sh", str(release / "install.sh")], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    share = home / ".local" / "share"
    app = share / "dossier" / "app"
    assert (app / "dossier").is_file() and (home / ".local" / "bin" / "dossier").is_symlink()
    desktop = (share / "applications" / "dossier.desktop").read_text()
    assert f'Exec="{app}/dossier" gui %f' in desktop  # quoted: the path has a space
    assert (share / "mime" / "packages" / "dossier.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "dossier.png").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "mimetypes" / f"{platform_meta.MIME_ICON}.png").is_file()
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", str(share / "applications" / "dossier.desktop")],
                           capture_output=True, text=True)
        assert v.returncode == 0 and not v.stdout.strip(), v.stdout
    out = subprocess.run([str(home / ".local" / "bin" / "dossier"), "--version"], capture_output=True, text=True)
    assert out.stdout.strip() == "dossier stand-in --version"
    # installing again replaces the app in place
    assert subprocess.run(["sh", str(release / "install.sh")], env=env, capture_output=True).returncode == 0
    r = subprocess.run(["sh", str(release / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    left = [p for p in share.rglob("*") if p.is_file() and "dossier" in p.name.lower()]
    assert not left and not (home / ".local" / "bin" / "dossier").exists()
    bad = subprocess.run(["sh", str(release / "install.sh"), "--frobnicate"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown option" in bad.stderr


def test_release_tarball_is_reproducible(tmp_path):
    import tarfile

    import build_linux

    release = _fake_release(tmp_path)
    a, b = tmp_path / "a.tar.xz", tmp_path / "b.tar.xz"
    build_linux.write_tar_xz(release, a, 1_700_000_000)
    os.utime(release / "README.txt", (1, 1))  # a different modification time changes nothing
    build_linux.write_tar_xz(release, b, 1_700_000_000)
    assert a.read_bytes() == b.read_bytes()
    with tarfile.open(a) as tar:
        members = tar.getmembers()
    assert members[0].name == release.name and all(m.uid == 0 and m.mtime == 1_700_000_000 for m in members)
    assert next(m for m in members if m.name.endswith("/install.sh")).mode == 0o755


# ------------------------------------------------------------------------------------ Windows, macOS


@pytest.mark.skipif(not shutil.which("makensis"), reason="needs NSIS (apt-get install nsis)")
def test_nsis_script_compiles(tmp_path):
    """The Windows installer script compiles (makensis runs on Linux too; the payload here is a
    stand-in: the real one is the Windows PyInstaller build, .github/workflows/installers.yml)."""
    dist = tmp_path / "dist" / "dossier"
    (dist / "_internal").mkdir(parents=True)
    (dist / "dossier.exe").write_bytes(b"MZ stand-in")
    (dist / "dossier-cli.exe").write_bytes(b"MZ stand-in")
    meta = tmp_path / "meta.nsh"
    r = subprocess.run([sys.executable, str(ROOT / "installer" / "platform_meta.py"), "nsis"], capture_output=True, text=True)
    meta.write_text(r.stdout, "utf-8")
    out = tmp_path / "Dossier-windows-x64-setup.exe"
    r = subprocess.run(["makensis", "-V2", "-WX", f"-DMETA={meta}", f"-DDIST={dist}", f"-DOUT={out}",
                        str(ROOT / "installer" / "windows" / "dossier.nsi")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes()[:2] == b"MZ"
    assert '!define PROG_ID "Dossier.Project"' in meta.read_text() and '!define EXTENSION ".dossier"' in meta.read_text()


def test_macos_document_type():
    plist = platform_meta.macos_info_plist()
    data = plistlib.loads(plistlib.dumps(plist))  # a valid property list
    doc = data["CFBundleDocumentTypes"][0]
    assert doc["LSItemContentTypes"] == [platform_meta.UTI] and doc["CFBundleTypeRole"] == "Editor"
    uti = data["UTExportedTypeDeclarations"][0]
    assert uti["UTTypeTagSpecification"]["public.filename-extension"] == ["dossier"]
    assert data["CFBundleShortVersionString"] == platform_meta.version()


def test_icons_are_rendered_from_the_svg():
    from PIL import Image

    for n in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(ICONS / f"dossier-{n}.png") as im:
            assert im.size == (n, n) and im.mode == "RGBA"
            assert im.getextrema()[3][1] == 255  # not blank
    with Image.open(ICONS / "dossier.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= ico.info["sizes"]
    with Image.open(ICONS / "dossier.icns") as icns:
        assert icns.size[0] >= 256
    ET.parse(ICONS / "dossier.svg")


# ------------------------------------------------------------------------------------ entry point


def test_entry_point_maps_a_double_clicked_file_to_the_gui(tmp_path, demo_master):
    sys.path.insert(0, str(ROOT / "installer"))
    import dossier_entry

    assert dossier_entry.command_line([]) == ["gui"]
    assert dossier_entry.command_line(["-psn_0_12345"]) == ["gui"]
    assert dossier_entry.command_line([str(demo_master)]) == ["gui", str(demo_master)]
    assert dossier_entry.command_line(["info", str(demo_master)]) == ["info", str(demo_master)]
    assert dossier_entry.command_line([str(tmp_path / "missing.dossier")]) == [str(tmp_path / "missing.dossier")]


@pytest.mark.slow
def test_self_check_in_the_venv(tmp_path):
    """installer/selfcheck.py itself (the frozen app runs it in test_frozen_app.py)."""
    report = tmp_path / "report.json"
    r = subprocess.run([sys.executable, str(ROOT / "installer" / "dossier_entry.py"), "--self-check", "--seconds", "1",
                        "--json", str(report)], cwd=ROOT, env=isolated_env(tmp_path / "home"), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "self-check passed" in r.stdout
