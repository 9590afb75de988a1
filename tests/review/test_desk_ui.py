"""The desk in the GUI: intake in the background (responsive, cancellable), verdicts, details, the
comparison table, a package opened read-only with the reviewer's notes beside it, returning it for
revision; the applicant importing the notes, the badge in the tree, replying."""

from __future__ import annotations

import shutil
import time

import pytest
from PySide6.QtCore import QTimer

from desktop.review import Review, add_packages


@pytest.fixture
def desk(ui, qtbot, review_path):
    from desktop.ui.review.desk import DeskWindow

    w = DeskWindow(review_path)
    qtbot.addWidget(w)
    w.show()
    yield w
    if w.busy:
        w.job.cancel()
        w.job.wait()


def _wait_idle(qtbot, w, timeout=180_000):
    qtbot.waitUntil(lambda: not w.busy and w.job is None, timeout=timeout)


def test_intake_runs_in_the_background(desk, qtbot, packages, messages):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()) if desk.busy else None)
    timer.start(20)
    job = desk.add_paths([packages.folder])
    assert job is not None and desk.intake_widget.isVisible()
    assert not desk.a_add.isEnabled()  # one intake at a time
    _wait_idle(qtbot, desk)
    timer.stop()
    # the event loop kept running while the intake ran (a loaded CI box may pause any thread now and
    # then, so the typical gap is what is checked, not the worst one)
    gaps = sorted(b - a for a, b in zip(ticks, ticks[1:]))
    assert len(ticks) >= 10 and gaps[len(gaps) // 2] < 0.2, (len(ticks), gaps[-3:])
    assert desk.model.rowCount() == 8
    texts = {desk.model.record(r).source_name: desk.model.data(desk.model.index(r, 2)) for r in range(8)}
    assert texts["tampered.zip"] == "tampered" and texts["a.zip"].startswith("superseded →")
    assert texts["c.zip"] == "signed by an untrusted identity"
    # the intake report names the refused files
    (title, text, info) = messages[-1]
    assert "Files refused: 3" in text
    desk.select(next(r.id for r in desk.model.records if r.source_name == "tampered.zip"))
    assert "changed after it was sealed" in desk.detail.toPlainText()


def test_cancel_leaves_the_file_as_it_was(desk, qtbot, packages, review_path):
    desk.add_paths([packages.a, packages.b, packages.c, packages.wrong])
    desk.cancel_intake()
    _wait_idle(qtbot, desk)
    with Review.open(review_path) as rv:
        assert rv.packages() == []
    assert desk.model.rowCount() == 0


def test_comparison_tab(desk, qtbot, packages, file_dialogs, tmp_path):
    desk.add_paths([packages.a, packages.a2, packages.b, packages.c])
    _wait_idle(qtbot, desk)
    desk.tabs.setCurrentIndex(1)
    m = desk.cmp_model
    assert m.rowCount() == 4
    keys = [c.key for c in m.table.columns]
    desk.cmp_view.sortByColumn(keys.index("verdict"), desk.cmp_view.horizontalHeader().sortIndicatorOrder().AscendingOrder)
    first = m.data(m.index(0, keys.index("verdict")))
    assert first == "superseded"
    desk.filter.setText("乙学校")
    assert m.rowCount() == 1 and m.data(m.index(0, keys.index("applicant"))) == "乙学校"
    out = tmp_path / "对比.xlsx"
    file_dialogs["save"].append(out)
    assert desk.export_table() == out
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "乙学校"  # what the view shows: filtered


def test_read_only_package_with_reviewer_notes(desk, qtbot, packages, review_path, tmp_path, monkeypatch, messages):
    desk.add_paths([packages.b])
    _wait_idle(qtbot, desk)
    (rec,) = desk.model.records
    desk.select(rec.id)
    job = desk.open_package()
    qtbot.waitUntil(lambda: bool(desk.readers), timeout=120_000)
    win = desk.readers[0]
    qtbot.addWidget(win)
    assert win.session.readonly and "read-only copy" in win.banner.text()
    panel = win.review_notes
    assert panel.source.editable and panel.isVisible()
    iid = win.nav.current()
    panel.editor.setPlainText("请补充合作协议扫描件")
    panel.primary.click()
    with Review.open(review_path) as rv:
        (note,) = rv.notes(rec.id)
        assert note.text == "请补充合作协议扫描件" and note.indicator_id == iid
    assert win.nav.items[iid].text(1) == "● 1"  # the badge in the tree
    # edit it, then return the package for revision through the dialog
    panel.list.setCurrentRow(0)
    panel.editor.setPlainText("请补充合作协议扫描件（盖章）")
    panel.primary.click()
    from desktop.ui.review import dialogs

    out = tmp_path / "b-notes.dossier-notes"
    monkeypatch.setattr(dialogs.ReturnDialog, "exec", lambda self: dialogs.ReturnDialog.DialogCode.Accepted)
    monkeypatch.setattr(dialogs.ReturnDialog, "values", lambda self: ("请修改", out, False))
    desk.select(rec.id)
    res = desk.return_for_revision()
    assert res is not None and out.exists()
    with Review.open(review_path) as rv:
        assert rv.package(rec.id).state == "returned"
        assert rv.notes(rec.id)[0].text == "请补充合作协议扫描件（盖章）"
    assert job is not None


def test_applicant_imports_and_replies(ui, qtbot, packages, review_path, tmp_path, messages, file_dialogs):
    from desktop.project import Project
    from desktop.review.returns import issue_notes
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import ProjectSession

    with Review.open(review_path) as rv:
        (rec,) = add_packages(rv, [packages.a]).added
        iid = rec.answers["evidence"][0]["indicator"]
        rv.add_note(rec.id, "数据与附件不一致", indicator=iid)
        notes = issue_notes(rv, rec.id, tmp_path / "n", message="请修改").path
    proj_path = tmp_path / "a.dossier"
    shutil.copyfile(packages.project_a, proj_path)
    win = MainWindow(ProjectSession(Project.open(proj_path)), None)
    qtbot.addWidget(win)
    win.show()
    panel = win.review_notes
    assert not panel.isVisible()  # no notes yet: no panel
    file_dialogs["open"].append(notes)
    win.actions_.import_notes.trigger()
    assert "Reviewer notes imported: 1" in messages[-1][1]
    assert panel.isVisible()
    assert win.nav.items[iid].text(1) == "● 1"
    win.show_indicator(iid)
    assert panel.list.count() == 1 and "数据与附件不一致" in panel.list.item(0).text()
    panel.list.setCurrentRow(0)
    panel.editor.setPlainText("已核对并更正附件")
    panel.primary.click()
    from desktop.review.applicant import project_notes

    (n,) = project_notes(win.session.project)
    assert n.state == "resolved" and n.reply == "已核对并更正附件"
    assert win.nav.items[iid].text(1) == ""  # nothing open any more
    # the same file again: nothing changes
    file_dialogs["open"].append(notes)
    win.actions_.import_notes.trigger()
    assert "imported before" in messages[-1][1]


def test_start_window_opens_the_desk(controller, qtbot):
    start = controller.show_start()
    start.review_btn.click()
    desk = controller.desks[-1]
    qtbot.addWidget(desk)
    assert desk.isVisible() and desk.stack.currentWidget() is desk.welcome
