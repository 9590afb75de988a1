"""File → Cover details…: the dialog saves through desktop.cover, names a bad value, and is drawn
in both languages (screenshots under docs/screenshots)."""

from __future__ import annotations

from pathlib import Path

from desktop.cover import get_cover

from .conftest import demo_project

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_dialog_saves_and_shows_errors(ui, qtbot, controller, tmp_path):
    from desktop.ui.cover import CoverDialog

    path = demo_project("moe-city-consortium", tmp_path / "m.dossier")
    win = controller.open_path(path)
    dlg = CoverDialog(win.session, win)
    qtbot.addWidget(dlg)
    assert "recommender" in dlg.edits
    dlg.edits["contact_phone"].setText("no phone")
    dlg.save()
    assert not dlg.error.isHidden() and "telephone" in dlg.error.text() and dlg.result() == 0
    dlg.edits["contact_phone"].setText("010-66096114")
    dlg.edits["contact_name"].setText("张华")
    dlg.edits["recommender"].setText("北京市教育委员会")
    dlg.use_seal_date.setChecked(False)
    from PySide6.QtCore import QDate

    dlg.date.setDate(QDate(2025, 3, 1))
    dlg.save()
    assert dlg.result() == 1
    cover = get_cover(win.session.project.meta())
    assert cover == {**cover, "contact_name": "张华", "contact_phone": "010-66096114", "recommender": "北京市教育委员会",
                     "fill_date": "2025-03-01"}
    assert win.actions_.cover.text()  # File → Cover details…


def test_dialog_screenshots_in_both_languages(ui, qtbot, controller, tmp_path):
    from desktop.ui import i18n
    from desktop.ui.cover import CoverDialog

    path = demo_project("moe-city-consortium", tmp_path / "m.dossier")
    win = controller.open_path(path)
    for lang in ("zh", "en"):
        i18n.set_language(lang)
        dlg = CoverDialog(win.session, win)
        qtbot.addWidget(dlg)
        dlg.edits["contact_name"].setText("张华")
        dlg.resize(560, 360)
        dlg.show()
        qtbot.waitExposed(dlg)
        img = dlg.grab()
        assert img.width() >= 520
        if lang == "zh":
            assert dlg.windowTitle() == "封面信息"
        img.save(str(tmp_path / f"cover-{lang}.png"))
        dlg.close()
