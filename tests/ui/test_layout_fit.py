"""Sizes: dialogs never squash what they show, windows fit a 1366×768 screen (also at 125 % and
150 % scaling), panes are resizable with sensible defaults, long texts are elided with tooltips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.identity.model import Label
from desktop.identity.store import StorageStatus

ROOT = Path(__file__).resolve().parents[2]


def squashed(root: QWidget) -> list[str]:
    """Visible controls shown smaller than they need (height below their minimum size hint)."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not isinstance(w, (QLineEdit, QAbstractButton, QComboBox, QLabel)):
            continue
        need = w.minimumSizeHint().height()
        if isinstance(w, QLabel) and w.wordWrap() and w.text():
            need = w.heightForWidth(w.width())
        if w.height() < need:
            out.append(f"{type(w).__name__} {w.text() if hasattr(w, 'text') else ''!r}: {w.height()} < {need}")
    return out


def test_passphrase_fields_are_not_squashed(ui, qtbot):
    from desktop.ui.identity_dialog import CreateIdentityDialog

    no_keyring = StorageStatus(False, "", None, Label("此计算机没有系统密钥库。", "This computer has no system keyring."))
    dlg = CreateIdentityDialog(None, no_keyring)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.file_radio.setChecked(True)  # the passphrase fields appear
    QApplication.processEvents()
    QApplication.processEvents()
    assert dlg.passphrase.isVisible()
    assert dlg.passphrase.edit.height() >= dlg.passphrase.edit.sizeHint().height()
    assert dlg.passphrase.repeat.height() >= dlg.passphrase.repeat.sizeHint().height()
    assert not squashed(dlg), squashed(dlg)
    assert dlg.width() >= 600


SCREEN = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
                       "logicalBaseDpi": 96, "dpr": 1}]}


@pytest.mark.parametrize("scale,lang", [("1", "en"), ("1", "zh"), ("1.25", "en"), ("1.5", "zh")])
def test_everything_fits_a_1366x768_screen(tmp_path, scale, lang):
    """Every window on a 1366×768 laptop screen, at 100 %, 125 % and 150 % (QT_SCALE_FACTOR): inside
    the screen, the status bar and the problems panel shown, panes wide enough to use."""
    cfg = tmp_path / "screen.json"
    cfg.write_text(json.dumps(SCREEN))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={cfg}", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(ROOT), "DOSSIER_LANG": lang}
    r = subprocess.run([sys.executable, str(Path(__file__).with_name("fit_probe.py")), lang], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    expect = {"1": [1366, 768], "1.25": [1093, 614], "1.5": [911, 512]}[scale]
    assert abs(res["screen"][0] - expect[0]) <= 1 and abs(res["screen"][1] - expect[1]) <= 1, res
    assert res["problems"] == [], res["problems"]


def test_tables_take_the_room_they_need(controller, qtbot, tmp_path, messages):
    """An empty table shows rows to fill; a 61-row table is as tall as the visible form (its titles
    stay in view), not a 12-row box scrolling inside the scrolling form; long titles wrap."""
    from desktop.programs import find_program
    from desktop.project import Project
    from desktop.ui.table_editor import MIN_VISIBLE_ROWS

    p = tmp_path / "t.dossier"
    Project.create(p, find_program("gx-city-consortium"), applicant="测试").close()
    win = controller.open_path(p)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    s = win.session
    fld = next(f for i in s.program.indicators() for f in i.fields if f.type == "table" and s.field_visible(f.path))
    win.go_to(fld.indicator_id, fld.path)
    ed = win.forms.editor(fld.path)
    form = win.forms.current_form()
    rh = ed.view.verticalHeader().defaultSectionSize()
    assert ed.view.viewport().height() >= rh * MIN_VISIBLE_ROWS  # empty, yet room for five rows
    text_col = next(c for c in fld.columns if c.type == "text")
    s.edit(fld.path, [{text_col.id: f"单位{n}"} for n in range(61)])  # one edit, as a paste would be
    assert ed.model.rowCount() == 61
    ed.fit_height()
    qtbot.wait(10)
    room = form.viewport().height()
    assert ed.view.height() <= room  # never taller than what the form shows: the titles stay visible
    assert ed.view.viewport().height() >= rh * 12  # and more than the old 12-row box on this screen
    # titles wrap instead of being cut
    hh = ed.view.horizontalHeader()
    n = max(range(len(fld.columns)), key=lambda i: len(ed.model.headerData(i, Qt.Orientation.Horizontal)))
    hh.resizeSection(n, 60)
    qtbot.wait(10)
    assert hh.height() > hh.fontMetrics().lineSpacing() * 2
