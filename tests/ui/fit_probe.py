"""Run in a subprocess by test_layout_fit: open every window of the app on a 1366×768 screen at the
scale factor given (QT_SCALE_FACTOR), and print, as JSON, what does not fit."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    lang = sys.argv[1]
    home = Path(tempfile.mkdtemp(prefix="dossier-fit-"))
    os.environ["DOSSIER_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(["dossier-fit"])
    from desktop.demo import make_demo
    from desktop.programs import find_program
    from desktop.ui import i18n
    from desktop.ui.app import AppController, setup_app

    setup_app(app)
    i18n.set_language(lang)
    project = home / "demo.dossier"
    make_demo(find_program("asean-craftsman-college" if lang == "en" else "gx-city-consortium"), project).close()
    avail = app.primaryScreen().availableGeometry()
    problems: list[str] = []

    def settle():
        for _ in range(4):
            app.processEvents()

    def check(name: str, w: QWidget) -> None:
        w.show()
        settle()
        g = w.frameGeometry()
        if not avail.contains(g):
            problems.append(f"{name}: {g.width()}×{g.height()} at {g.x()},{g.y()} is outside the screen's "
                            f"{avail.width()}×{avail.height()}")
        hint = w.minimumSizeHint()
        if hint.width() > avail.width() or hint.height() > avail.height():
            problems.append(f"{name}: needs at least {hint.width()}×{hint.height()}")

    ctl = AppController(app)
    win = ctl.open_path(project)
    check("main window", win)
    inside = win.rect()
    sb = win.statusBar()
    for label in (win.completeness, win.saved):
        r = label.geometry().translated(sb.mapTo(win, sb.rect().topLeft()))
        if not label.isVisible() or not inside.contains(r) or label.width() < label.sizeHint().width():
            problems.append(f"status bar text {label.text()!r} is not fully shown")
    if not win.problems_dock.isVisible() or win.problems_dock.height() < 60:
        problems.append(f"problems panel {win.problems_dock.height()} px high")
    for name, pane, least in (("navigation", win.nav, 150), ("form", win.forms, 300), ("side panes", win.side, 240)):
        if pane.width() < least:
            problems.append(f"{name} only {pane.width()} px wide")
    if win.official.text.height() < win.official.text.fontMetrics().lineSpacing() * 3:
        problems.append(f"official text {win.official.text.height()} px high")
    if win.nav.tree.horizontalScrollBar().isVisible():
        problems.append("the navigation scrolls sideways")
    from desktop.ui.dialogs import HelpDialog
    from desktop.ui.export_dialog import ExportDialog, PackageDialog
    from desktop.ui.identity_dialog import CreateIdentityDialog, IdentityDialog

    for name, make in (("export dialog", lambda: ExportDialog(win.session, win)),
                       ("package dialog", lambda: PackageDialog(home / "none.zip", win)),
                       ("identity dialog", lambda: IdentityDialog(win)),
                       ("new identity form", lambda: CreateIdentityDialog(win)),
                       ("help", lambda: HelpDialog(win))):
        dlg = make()
        check(name, dlg)
        dlg.close()
    ctl._quitting = True
    win.close()
    start = ctl.show_start()
    check("start window", start)
    print(json.dumps({"screen": [avail.width(), avail.height()], "problems": problems}, ensure_ascii=False))
    sys.stdout.flush()
    os._exit(0)  # no teardown in a throw-away process


if __name__ == "__main__":
    raise SystemExit(main())
