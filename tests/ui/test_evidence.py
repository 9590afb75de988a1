"""Evidence panel: add by dialog, remove and undo (content restored), note and undo, refused files
explained, previews (image, PDF), open with the system viewer."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from desktop.demo import sample_file

from .conftest import demo_project


def _win(controller, tmp_path, program="moe-core-course"):
    path = demo_project(program, tmp_path / "e.dossier")
    win = controller.open_path(path)
    s = win.session
    ind = next(i for i in s.program.indicators() if i.evidence and s.evidence(i.id))
    win.show_indicator(ind.id)
    return win, s, ind


def _select_file(win, name):
    tree = win.evidence.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            it = top.child(j)
            if it.text(0) == name:
                tree.setCurrentItem(it)
                return it
    raise AssertionError(name)


def test_add_by_dialog_remove_and_undo(controller, qtbot, tmp_path, file_dialogs, messages):
    win, s, ind = _win(controller, tmp_path)
    slot = ind.evidence[0]
    f = sample_file(tmp_path, "by-dialog", slot.accept, 3, "对话框添加")
    win.evidence.select_slot(slot.id)
    file_dialogs["open_many"].append([f])
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        win.evidence.add_btn.click()
    ev = next(e for e in s.evidence(ind.id) if e.name == f.name)
    assert ev.links[0].slot_id == slot.id
    sha = ev.sha256
    _select_file(win, f.name)
    win.evidence.remove_btn.click()
    assert f.name not in [e.name for e in s.evidence(ind.id)]
    f.unlink()  # the original is gone too: undo must restore from the project's own copy
    win.undo()
    back = next(e for e in s.evidence(ind.id) if e.name == f.name)
    assert back.sha256 == sha and back.links[0].slot_id == slot.id
    win.redo()
    assert f.name not in [e.name for e in s.evidence(ind.id)]
    win.undo()
    assert f.name in [e.name for e in s.evidence(ind.id)]
    assert not messages


def test_note_and_undo(controller, tmp_path, messages):
    win, s, ind = _win(controller, tmp_path)
    ev = s.evidence(ind.id)[0]
    old = ev.note
    win.evidence.set_note(ev.id, "  盖章扫描件 / sealed scan  ")
    assert s.evidence(ind.id)[0].note == "盖章扫描件 / sealed scan"
    assert _select_file(win, ev.name).text(2) == "盖章扫描件 / sealed scan"
    win.undo()
    assert s.evidence(ind.id)[0].note == old


def test_refused_files_are_explained(controller, qtbot, tmp_path, messages):
    win, s, ind = _win(controller, tmp_path)
    slot = next(sl for sl in ind.evidence if sl.accept)
    wrong = tmp_path / "notes.exe"
    wrong.write_bytes(b"MZ" + b"\0" * 100)
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        win.evidence.add_files([wrong], slot.id)
    assert messages and "accepts" in messages[-1][1]
    # the same content twice on one indicator
    ev = s.evidence(ind.id)[0]
    copy = tmp_path / ("again-" + ev.name)
    with open(copy, "wb") as fh:
        for chunk in s.project.read_chunks(ev.blob_id):
            fh.write(chunk)
    with qtbot.waitSignal(s.attachFinished, timeout=30000):
        win.evidence.add_files([copy])
    assert "already attached" in messages[-1][1]


def test_preview_image_and_pdf(controller, qtbot, tmp_path, messages):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    win, s, ind = _win(controller, tmp_path, "gx-city-consortium")
    img = tmp_path / "photo.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(img)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.drawImage(ImageReader(Image.new("RGB", (300, 400), (20, 90, 200))), 40, 40, 515, 760)
    c.showPage()
    c.showPage()
    c.save()
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(buf.getvalue())
    with qtbot.waitSignal(s.attachFinished, timeout=30000) as sig:
        win.evidence.add_files([img, scan])
    assert not sig.args[1], [e.en for e in sig.args[1]]
    _select_file(win, "photo.png")
    pv = win.evidence.preview
    assert pv._pix is not None and pv._pix.width() == 64
    assert "64×48" in pv.info.text()
    _select_file(win, "scan.pdf")
    assert pv._pix is not None  # the scanned page's picture (pikepdf) or the rendered page (QtPdf)
    assert "2 pages" in pv.info.text()


def test_open_with_system_viewer(controller, qtbot, tmp_path, monkeypatch, messages):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    win, s, ind = _win(controller, tmp_path)
    ev = s.evidence(ind.id)[0]
    _select_file(win, ev.name)
    job = win.evidence.open_selected()
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert opened and opened[0].endswith(ev.name)
    data = open(opened[0], "rb").read()
    assert data == b"".join(s.project.read_chunks(ev.blob_id))
    _ = Qt
