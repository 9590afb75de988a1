"""Render the README's screenshots: the start window and the main window, in Chinese and English.

    python -m desktop.ui.screenshots [OUT_DIR]      (default docs/screenshots)

Offscreen (no display needed), with a throw-away user folder and a demo project, so the pictures
are the same on every machine. Chinese text uses the bundled WenQuanYi Micro Hei font.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

PROGRAM = "gx-city-consortium"
SIZE = (1400, 880)


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="dossier-shots-"))
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
    win.resize(*SIZE)
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
    _ = s
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    for p in render(out):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
