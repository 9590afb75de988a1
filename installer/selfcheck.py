"""`dossier --self-check`: does this installation work? (bundled with the frozen app)

    dossier --self-check [--json FILE] [--seconds N] [--no-gui]
    dossier --self-check --startup-time      (only: start the GUI, show the start window, quit)

Checks, each one line ("ok" / "FAIL", name, detail): the program definitions and their schema
check, the PDF fonts and text shaping, signing (a throw-away key signs and verifies), the keyring
this computer offers (information only: a headless computer has none), that nothing opens a
network connection, and the GUI: Qt starts (offscreen when there is no display), the UI's Chinese
and Qt's own Chinese strings load, JPEG/GIF/PNG decode, the bundled Chinese font is registered,
the start window lists every program, and the event loop runs for N seconds (default 3) without
an uncaught Python exception. Exit 0 when every check passes, 1 otherwise.

Nothing is written to the user's projects or settings: the start window is shown and closed
without saving its geometry, and the language is switched only in memory.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
import time
import traceback
from pathlib import Path

T0 = time.monotonic()


def _process_age() -> float | None:
    """Seconds since the process started (Linux: includes the bootloader unpacking the app)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


class Report:
    def __init__(self):
        self.checks: list[dict] = []
        self.figures: dict[str, float] = {}

    def run(self, name: str, fn) -> None:
        try:
            detail = fn()
            ok = True
        except Exception as e:  # noqa: BLE001 - a failed check is reported, never a traceback
            ok, detail = False, f"{type(e).__name__}: {e}"
            tb = traceback.format_exc(limit=6)
            self.checks.append({"name": name, "ok": False, "detail": detail, "traceback": tb})
            print(f"FAIL  {name:<14}  {detail}", flush=True)
            return
        self.checks.append({"name": name, "ok": ok, "detail": str(detail or "")})
        print(f"ok    {name:<14}  {detail or ''}", flush=True)

    @property
    def ok(self) -> bool:
        return all(c["ok"] for c in self.checks)


# ------------------------------------------------------------------------------------ core


def check_version() -> str:
    import platform

    from desktop import __version__

    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    return f"Dossier {__version__}, Python {platform.python_version()}, {sys.platform}, {frozen}"


def check_programs() -> str:
    from desktop.programs import all_programs, load_errors

    errors = load_errors()
    if errors:
        raise RuntimeError(f"{len(errors)} definition(s) do not load: {errors[0]}")
    progs = all_programs()
    if not progs:
        raise RuntimeError("no program definitions found")
    return f"{len(progs)} programs"


def check_schema() -> str:
    """A broken definition is refused with its location (the schema validator works)."""
    from desktop.errors import DefinitionError
    from desktop.programs import load_definition_text

    try:
        load_definition_text("format: 1\nid: self-check\nversion: '1'\ntitle: {zh: 自检}\n", "self-check.yaml")
    except DefinitionError as e:
        if "required property" not in e.reason:
            raise RuntimeError(f"unexpected refusal: {e}") from None
        return f"refuses a broken definition: {e.reason}"
    raise RuntimeError("a broken definition was accepted")


def check_pdf_fonts() -> str:
    from desktop.fonts import register_fonts

    register_fonts()
    import uharfbuzz  # noqa: F401 - ReportLab shapes Thai/Khmer/Lao/Myanmar with it

    from reportlab.pdfbase import pdfmetrics

    return f"{len(pdfmetrics.getRegisteredFontNames())} fonts registered, HarfBuzz shaping available"


def check_signing() -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    import pyhanko.sign  # noqa: F401 - the PAdES signer imports

    key = ec.generate_private_key(ec.SECP256R1())
    sig = key.sign(b"dossier self-check", ec.ECDSA(hashes.SHA256()))
    key.public_key().verify(sig, b"dossier self-check", ec.ECDSA(hashes.SHA256()))
    return "ECDSA P-256 sign/verify, pyHanko loads"


def check_keyring() -> str:
    from desktop.identity.store import storage_status

    st = storage_status()
    return st.backend or "no secure keyring here: passphrase storage offered"


class NetworkGuard:
    """Records every attempt to open an internet connection (the app must make none)."""

    def __init__(self):
        self.attempts: list[str] = []
        self._real = socket.socket.connect

    def __enter__(self):
        real, attempts = self._real, self.attempts

        def guarded(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                attempts.append(repr(address))
                raise OSError("Dossier self-check: network connections are not allowed")
            return real(sock, address)

        socket.socket.connect = guarded
        return self

    def __exit__(self, *exc):
        socket.socket.connect = self._real


def check_offline_stub() -> str:
    try:
        import aiohttp
    except ImportError:
        return "no HTTP client bundled"
    if getattr(sys, "frozen", False) and "dossier-offline" not in getattr(aiohttp, "__version__", ""):
        raise RuntimeError("the real aiohttp is bundled: the network stack was meant to be left out")
    return f"aiohttp {aiohttp.__version__}"


# ------------------------------------------------------------------------------------ GUI


def gui_checks(report: Report, seconds: float) -> None:
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux") \
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase, QImage, QImageReader
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    state: dict = {}

    def start_qt():
        from desktop.ui.app import setup_app
        from desktop.ui.fonts import CJK_FAMILY

        app = QApplication.instance() or QApplication(["dossier"])
        setup_app(app)
        state["app"] = app
        if CJK_FAMILY not in QFontDatabase.families():
            raise RuntimeError(f"the bundled Chinese font {CJK_FAMILY!r} is not registered")
        return f"platform {app.platformName()}, Qt {__import__('PySide6').__version__}, font {CJK_FAMILY}"

    report.run("qt", start_qt)
    if "app" not in state:
        return
    app = state["app"]

    def translations():
        from desktop.ui import i18n

        before = i18n.lang()
        try:
            i18n.set_language("zh")
            ours = [p.name for p in i18n.qm_paths()]
            loaded = list(i18n._translators)
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            qt_text = box.button(QDialogButtonBox.StandardButton.Close).text()
        finally:
            i18n.set_language(before)
        if not ours:
            raise RuntimeError("no compiled UI catalogue (.qm) found")
        if len(loaded) < len(ours) + 1 or any(t.isEmpty() for t in loaded):
            raise RuntimeError(f"{len(loaded)} translator(s) loaded for {len(ours)} catalogue(s) and Qt's own")
        if qt_text != "关闭":
            raise RuntimeError(f"Qt's own strings are not in Chinese (Close → {qt_text!r}): qtbase_zh_CN.qm missing")
        return f"{len(ours)} UI catalogue(s) and Qt's own strings (Close → 关闭)"

    report.run("translations", translations)

    def images():
        from PIL import Image

        formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
        missing = {"png", "jpeg", "jpg", "gif", "bmp"} - formats
        if missing:
            raise RuntimeError(f"Qt cannot read {sorted(missing)} (image format plugins missing)")
        for fmt in ("JPEG", "GIF", "PNG"):
            buf = io.BytesIO()
            Image.new("RGB", (64, 40), (200, 30, 40)).save(buf, fmt)
            img = QImage.fromData(buf.getvalue())
            if img.isNull() or (img.width(), img.height()) != (64, 40):
                raise RuntimeError(f"a {fmt} image does not decode")
        return "reads " + ", ".join(sorted(formats))

    report.run("image formats", images)

    def icu():
        # what Qt asks ICU for (installer/icu_slim.py keeps exactly this): collation, case
        # conversion, the GB18030 converter, time zones and their Chinese names
        import functools

        from PySide6.QtCore import QCollator, QDateTime, QLocale, QStringDecoder, QTimeZone

        zh = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        words = ["上海", "北京", "柳州", "阿里", "南宁"]
        order = sorted(words, key=functools.cmp_to_key(QCollator(zh).compare))
        if order != ["阿里", "北京", "柳州", "南宁", "上海"]:
            raise RuntimeError(f"Chinese collation is not by pinyin: {order}")
        th = sorted(["ไก่", "ขวด", "กา", "เกม"], key=functools.cmp_to_key(
            QCollator(QLocale(QLocale.Language.Thai, QLocale.Country.Thailand)).compare))
        if th != ["กา", "เกม", "ไก่", "ขวด"]:
            raise RuntimeError(f"Thai collation is wrong: {th}")
        up = QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey).toUpper("istanbul")
        if up != "İSTANBUL":
            raise RuntimeError(f"locale case conversion is wrong: {up}")
        if not QStringDecoder("GB18030").isValid():
            raise RuntimeError("no GB18030 converter")
        tz = QTimeZone(b"Asia/Shanghai")
        offset = tz.standardTimeOffset(QDateTime.currentDateTime()) if tz.isValid() else None
        name = tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, zh)
        if offset != 8 * 3600 or not name:
            raise RuntimeError(f"time zones: Asia/Shanghai offset {offset}, name {name!r}")
        return f"pinyin and Thai collation, Turkish İ, GB18030, {name}"

    report.run("icu", icu)

    def start_window():
        from desktop.programs import all_programs
        from desktop.ui.app import AppController

        ctl = AppController(app)
        t = time.monotonic()
        win = ctl.show_start()
        app.processEvents()
        report.figures["start_window_s"] = time.monotonic() - T0
        age = _process_age()
        if age is not None:
            report.figures["start_window_process_s"] = age
        state["start"] = win
        n = win.program_list.topLevelItemCount()
        if not win.isVisible():
            raise RuntimeError("the start window is not shown")
        if n < len(all_programs()):
            raise RuntimeError(f"the start window lists {n} of {len(all_programs())} programs")
        return f"{n} programs listed, shown {time.monotonic() - t:.2f} s after Qt was ready"

    report.run("start window", start_window)

    def event_loop():
        errors: list[str] = []
        old = sys.excepthook
        sys.excepthook = lambda t, v, tb: errors.append(f"{t.__name__}: {v}")
        try:
            QTimer.singleShot(int(seconds * 1000), app.quit)
            app.exec()
        finally:
            sys.excepthook = old
        if errors:
            raise RuntimeError(f"uncaught exception in the event loop: {errors[0]}")
        return f"{seconds:g} s without an uncaught exception"

    report.run("event loop", event_loop)
    if "start" in state:
        state["start"].hide()  # not close(): closing saves the window geometry into the settings


def startup_time() -> int:
    """What a user waits for: the process starts, Qt and the app are set up, the start window is
    shown and painted. Prints one JSON line (benchmarks/bench_frozen.py reads it)."""
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux") \
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import AppController, setup_app

    app = QApplication.instance() or QApplication(["dossier"])
    setup_app(app)
    win = AppController(app).show_start()
    app.processEvents()
    shown = time.monotonic() - T0
    print(json.dumps({"start_window_s": round(shown, 4), "process_s": _process_age(),
                      "programs": win.program_list.topLevelItemCount()}), flush=True)
    win.hide()
    return 0


def main(argv: list[str]) -> int:
    if "--startup-time" in argv:
        return startup_time()
    seconds = float(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 3.0
    json_out = argv[argv.index("--json") + 1] if "--json" in argv else None
    report = Report()
    with NetworkGuard() as guard:
        for name, fn in (("version", check_version), ("programs", check_programs), ("schema", check_schema),
                         ("pdf fonts", check_pdf_fonts), ("signing", check_signing), ("keyring", check_keyring),
                         ("offline", check_offline_stub)):
            report.run(name, fn)
        if "--no-gui" not in argv:
            gui_checks(report, seconds)
    report.run("network", lambda: "no connection attempted" if not guard.attempts
               else (_ for _ in ()).throw(RuntimeError(f"connection attempted to {guard.attempts[0]}")))
    for k, v in report.figures.items():
        print(f"      {k:<22} {v:.3f}", flush=True)
    if json_out:
        Path(json_out).write_text(json.dumps({"ok": report.ok, "checks": report.checks, "figures": report.figures},
                                             ensure_ascii=False, indent=1), "utf-8")
    print("self-check passed" if report.ok else "self-check FAILED", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
