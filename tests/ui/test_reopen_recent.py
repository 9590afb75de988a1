"""Coming back to work: a project reopens where the user left off, the recent list says what each
project is, the start window is ready for the next applicant, the identity form starts from the
applicant, and every window title names Dossier once."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication

from desktop.programs import find_program
from desktop.project import Project

from .conftest import demo_project


def test_reopening_goes_back_where_the_user_left_off(controller, qtbot, tmp_path, messages):
    path = demo_project("gx-city-consortium", tmp_path / "p.dossier")
    win = controller.open_path(path)
    first = win.current_indicator()
    ids = win.nav.indicator_ids()
    target = ids[len(ids) // 2]
    fld = next(f for f in win.session.program.indicator(target).fields
               if f.type == "text" and win.session.field_visible(f.path))
    win.go_to(target, fld.path)
    ed = win.forms.current_form().editor(fld.path)
    ed.edit.setText("改过的内容")
    assert ed.commit()
    controller._quitting = True
    win.close()
    assert target != first
    again = controller.open_path(path)
    assert again is not None and again is not win
    assert again.current_indicator() == target
    assert again.nav.current() == target
    assert again.last_field == fld.path
    assert again.forms.current_form().editor(fld.path).edit.hasFocus() or QApplication.focusWidget() is None


def test_start_window_recent_list_and_next_applicant(controller, qtbot, tmp_path, file_dialogs, messages):
    start = controller.show_start()
    prog = next(p for p in start.programs if p.id == "moe-core-course")
    start.applicant.setText("第一所学校")
    file_dialogs["save"].append(tmp_path / "first.dossier")
    win = controller.create_project(prog, start.applicant.text())
    assert win is not None
    assert start.applicant.text() == ""  # ready for the next applicant
    controller._quitting = True
    win.close()
    start.reload_recent()
    item = start.recent.item(0)
    from desktop.ui.list_items import LINES_ROLE

    name, summary, program, folder = item.data(LINES_ROLE)
    assert name == "first.dossier" and folder == str(tmp_path) and program == prog.title.en
    assert summary.startswith("第一所学校 · ") and "% complete" in summary
    assert re.search(r"edited \d{4}-\d\d-\d\d \d\d:\d\d", summary)
    # the lines are drawn one by one, each elided to the width: the second line is never cut off
    hint = start.recent.itemDelegate().sizeHint(_option(start.recent), start.recent.indexFromItem(item))
    assert hint.height() >= 4 * start.recent.fontMetrics().lineSpacing() - 4


def _option(view):
    from PySide6.QtWidgets import QStyleOptionViewItem

    o = QStyleOptionViewItem()
    o.initFrom(view)
    return o


def test_program_list_shows_issuer_and_number(controller, qtbot, messages):
    from desktop.ui.list_items import LINES_ROLE

    start = controller.show_start()
    for i in range(start.program_list.topLevelItemCount()):
        it = start.program_list.topLevelItem(i)
        title, meta = it.data(0, LINES_ROLE)
        p = next(p for p in start.programs if p.key == it.data(0, 256))
        assert title == p.title.en and meta.startswith(p.source.number)  # the number is never elided away
        assert p.issuer.en in it.toolTip(0)


def test_identity_form_starts_from_the_applicant(controller, qtbot, tmp_path, messages, monkeypatch):
    from desktop.ui.identity_dialog import CreateIdentityDialog, IdentityDialog

    p = tmp_path / "a.dossier"
    Project.create(p, find_program("asean-craftsman-college"), applicant="广西机电职业技术学院",
                   applicant_en="Guangxi Technological College of Machinery and Electricity").close()
    win = controller.open_path(p)
    seen = {}

    def fake_create_exec(self):
        seen["zh"], seen["en"] = self.name_zh.text(), self.name_en.text()
        return 0

    monkeypatch.setattr(CreateIdentityDialog, "exec", fake_create_exec)
    monkeypatch.setattr(IdentityDialog, "exec", lambda self: self.create() or 0)
    win.show_identity()
    assert seen == {"zh": "广西机电职业技术学院", "en": "Guangxi Technological College of Machinery and Electricity"}
    # a Latin-only applicant goes to the English name
    dlg = CreateIdentityDialog(None, applicant=("Rayong Technical College", ""))
    qtbot.addWidget(dlg)
    assert dlg.name_zh.text() == "" and dlg.name_en.text() == "Rayong Technical College"


def _platform_title(title: str) -> str:
    """What the window system shows: Qt appends " — <display name>" unless the title ends with it."""
    name = QApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} — {name}"


def test_window_titles_name_dossier_once(controller, qtbot, tmp_path, messages):
    from desktop.ui.dialogs import HelpDialog
    from desktop.ui.export_dialog import ExportDialog

    start = controller.show_start()
    win = controller.open_path(demo_project("moe-core-course", tmp_path / "t.dossier"))
    titles = [start.windowTitle(), win.windowTitle(), HelpDialog(win).windowTitle(),
              ExportDialog(win.session, win).windowTitle()]
    for t in titles:
        assert _platform_title(t).count("Dossier") == 1, t
    assert win.windowTitle().startswith(win.session.applicant)
