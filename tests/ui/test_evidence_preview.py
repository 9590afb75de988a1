"""The evidence preview as a new user meets it: double-click shows the file in Dossier (no viewer
needed); no viewer installed gets a message, not silence; the preview never shows a removed or
deselected file; a file whose content is not what its name says is pointed out."""

from __future__ import annotations

import io
import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from .conftest import demo_project


def _win(controller, tmp_path, program="gx-city-consortium"):
    path = demo_project(program, tmp_path / "e.dossier")
    win = controller.open_path(path)
    s = win.session
    ind = next(i for i in s.program.indicators() if i.evidence and any(not sl.accept for sl in i.evidence)
               or any("png" in sl.accept for sl in i.evidence))
    win.show_indicator(ind.id)
    return win, s, ind


def _item(win, name):
    tree = win.evidence.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            if top.child(j).toolTip(0).split("\n", 1)[0] == name:
                return top.child(j)
    return None


def _png(path, size=(64, 48)):
    from PIL import Image

    Image.new("RGB", size, (200, 30, 30)).save(path)
    return path


def _add(qtbot, win, files):
    with qtbot.waitSignal(win.session.attachFinished, timeout=30000) as sig:
        win.evidence.add_files(files)
    return sig.args


def test_double_click_previews_in_the_app(controller, qtbot, tmp_path, monkeypatch, messages):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    win, s, ind = _win(controller, tmp_path)
    win.show()
    qtbot.waitExposed(win)
    (tmp_path / "notes.txt").write_text("第一行\nline two", encoding="utf-8")
    _add(qtbot, win, [_png(tmp_path / "photo.png", (1200, 900)), tmp_path / "notes.txt"])
    it = _item(win, "photo.png")
    tree = win.evidence.tree
    tree.setCurrentItem(it)
    tree.scrollToItem(it)
    rect = tree.visualItemRect(it)
    assert rect.isValid(), rect
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real double-click starts so
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dlg = win.evidence.last_preview
    assert dlg is not None and dlg.isVisible() and not opened  # in Dossier, not the system viewer
    qtbot.addWidget(dlg)
    assert dlg.shown_kind() == "picture" and "1200×900" in dlg.facts.text()
    pm = dlg.picture.pixmap()
    assert pm.width() <= dlg.scroll.viewport().width()  # fitted to the window
    dlg.fit.setChecked(False)
    assert dlg.picture.pixmap().width() == 1200  # real size
    dlg.close()
    # Enter on a text file: its text
    tree.setCurrentItem(_item(win, "notes.txt"))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    dlg = win.evidence.last_preview
    qtbot.addWidget(dlg)
    assert dlg.shown_kind() == "text" and "第一行" in dlg.text.toPlainText()
    assert not opened and not messages


def test_no_viewer_installed_says_so(controller, qtbot, tmp_path, monkeypatch, messages):
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))  # nothing can open it
    win, s, ind = _win(controller, tmp_path)
    ev = s.evidence(ind.id)[0]
    win.evidence.tree.setCurrentItem(_item(win, ev.name))
    job = win.evidence.open_selected()
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert messages, "silence when nothing can open the file"
    title, text, todo = messages[-1]
    assert ev.name in text and "No program" in text
    copy = todo.split("saved as ", 1)[1].split(": open it", 1)[0]
    assert os.path.isfile(copy) and open(copy, "rb").read() == b"".join(s.project.read_chunks(ev.blob_id))


def test_preview_is_never_stale(controller, qtbot, tmp_path, messages):
    win, s, ind = _win(controller, tmp_path)
    _add(qtbot, win, [_png(tmp_path / "photo.png")])
    panel = win.evidence
    panel.tree.setCurrentItem(_item(win, "photo.png"))
    assert panel.preview._pix is not None and "photo.png" in panel.preview.info.text()
    # the selection is lost (a slot is selected): the preview goes
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    assert panel.preview._pix is None and "photo.png" not in panel.preview.info.text()
    # removed: neither its picture nor its SHA-256 stay
    panel.tree.setCurrentItem(_item(win, "photo.png"))
    sha = next(e for e in s.evidence(ind.id) if e.name == "photo.png").sha256
    panel.remove_btn.click()
    assert _item(win, "photo.png") is None
    assert panel.preview._pix is None and sha[:16] not in panel.preview.info.text() and "photo.png" not in panel.preview.info.text()
    # undo brings the file back, an unrelated refresh keeps the preview of a file still there
    win.undo()
    panel.tree.setCurrentItem(_item(win, "photo.png"))
    panel.refresh()
    assert panel.preview._pix is not None and "photo.png" in panel.preview.info.text()
    # another indicator: cleared
    other = next(i for i in s.program.indicators() if i.id != ind.id)
    win.show_indicator(other.id)
    assert panel.preview._pix is None


def test_name_that_lies_about_the_content_is_pointed_out(controller, qtbot, tmp_path, messages):
    win, s, ind = _win(controller, tmp_path, "moe-core-course")
    win.show_indicator("1.1")  # accepts pdf, jpg, png
    fake = tmp_path / "扫描件.pdf"
    fake.write_bytes(os.urandom(4096).replace(b"%PDF", b"xxxx"))
    _, errors = _add(qtbot, win, [fake])
    assert not errors
    ev = next(e for e in s.evidence("1.1") if e.name == fake.name)
    assert ev.mime == "application/octet-stream"  # not application/pdf: the content decides
    assert messages and "content is not a PDF document" in messages[-1][1] and fake.name in messages[-1][1]
    it = _item(win, fake.name)
    assert "content is not a PDF document" in it.toolTip(0)
    win.evidence.tree.setCurrentItem(it)
    assert "No preview for this type" in win.evidence.preview.image.text()
