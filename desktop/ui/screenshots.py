"""Render the README's screenshots: the start window, the main window and the verify view, in
Chinese and English, as they look on a 1366×768 laptop screen.

    python -m desktop.ui.screenshots [OUT_DIR]      (default docs/screenshots)

Offscreen (no display needed) on a simulated 1366×768 screen, with a throw-away user folder and a
demo project, so the pictures are the same on every machine. Text uses the bundled fonts.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

PROGRAM = "gx-city-consortium"
SCREEN = (1366, 768)


def render(out_dir: Path) -> list[Path]:
    import json

    home = Path(tempfile.mkdtemp(prefix="dossier-shots-"))
    if "QT_QPA_PLATFORM" not in os.environ:  # a 1366×768 laptop screen, whatever this machine has
        cfg = home / "screen.json"
        cfg.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": SCREEN[0],
                                                "height": SCREEN[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                                "dpr": 1}]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={cfg}"
    os.environ["DOSSIER_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from ..demo import make_demo
    from ..programs import find_program
    from . import i18n
    from .app import AppController, setup_app

    app = QApplication.instance() or QApplication(["dossier-screenshots"])
    app.setStyle("Fusion")
    setup_app(app)
    out_dir.mkdir(parents=True, exist_ok=True)
    project = home / "柳州市市域产教联合体.dossier"
    make_demo(find_program(PROGRAM), project).close()
    from PIL import Image, ImageDraw

    photo = home / "实训基地照片.png"
    img = Image.new("RGB", (960, 640), (236, 242, 250))
    d = ImageDraw.Draw(img)
    for n in range(8):
        d.rectangle((60 + n * 105, 380 - n * 30, 140 + n * 105, 560), fill=(40 + n * 20, 110, 190 - n * 10))
    d.rectangle((20, 20, 940, 620), outline=(26, 61, 109), width=8)
    img.save(photo)

    ctl = AppController(app)
    ctl.settings.add_recent(project)
    written = []
    win = ctl.open_path(project)
    s = win.session
    iid = "1.1"
    win.show_indicator(iid)
    job = win.evidence.add_files([photo], None)
    if job is not None:
        job.wait(60000)
        app.processEvents()
        app.processEvents()
    for code in ("zh", "en"):
        i18n.set_language(code)
        win.show_indicator(iid)
        tree = win.evidence.tree
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).text(0) == photo.name:
                    tree.setCurrentItem(top.child(j))
        win.show()
        app.processEvents()
        p = out_dir / f"main-{code}.png"
        win.grab().save(str(p))
        written.append(p)
    ctl._quitting = True
    win.close()
    start = ctl.show_start()
    start.resize(1100, 680)
    for code in ("zh", "en"):
        i18n.set_language(code)
        start.applicant.setText("柳州市人民政府" if code == "zh" else "Liuzhou Municipal People's Government")
        for i in range(start.program_list.topLevelItemCount()):
            it = start.program_list.topLevelItem(i)
            if str(it.data(0, 256)).startswith(PROGRAM + "@"):
                start.program_list.setCurrentItem(it)
        app.processEvents()
        p = out_dir / f"start-{code}.png"
        start.grab().save(str(p))
        written.append(p)
    start.close()
    written += _verify_shots(app, out_dir, home, project)
    _ = s
    return written


def _verify_shots(app, out_dir: Path, home: Path, project: Path) -> list[Path]:
    """The verify view of a package whose evidence file was changed after sealing."""
    import zipfile

    from ..export import export_project
    from . import i18n
    from .export_dialog import PackageDialog

    res = export_project(project, home / "out")
    bad = home / res.zip_path.name.replace(".zip", "-changed.zip")
    with zipfile.ZipFile(res.zip_path) as zin, zipfile.ZipFile(bad, "w") as zout:
        victim = next(n for n in zin.namelist() if "/data/evidence/" in n)
        for zi in zin.infolist():
            data = zin.read(zi)
            if zi.filename == victim:
                data = data[:-1] + bytes([data[-1] ^ 1])
            zout.writestr(zi, data)
    written = []
    for code in ("zh", "en"):
        i18n.set_language(code)
        dlg = PackageDialog(bad)
        dlg.job.wait(120000)
        for _ in range(5):
            app.processEvents()
        dlg.show()
        dlg._size_columns()
        app.processEvents()
        p = out_dir / f"verify-{code}.png"
        dlg.grab().save(str(p))
        written.append(p)
        dlg.close()
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    for p in render(out):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
