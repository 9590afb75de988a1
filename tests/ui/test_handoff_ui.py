"""Joint filling in the GUI: share a part through the tree dialog, the partner's banner and limits,
return to the lead, the side-by-side conflict dialog (per field, take all / keep all), the merge as
one undo step, and the hand-offs list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.handoff import load_records, make_return
from desktop.project import Project
from tests.handoff.helpers import new_lead, share
from tests.handoff.test_merge_matrix import BASE, answers, edit


def _open(controller, path):
    win = controller.open_path(path)
    assert win is not None
    return win


def test_share_dialog_writes_the_handoff(controller, tmp_path, messages, qtbot):
    lead = new_lead(tmp_path, BASE)
    win = _open(controller, lead)
    out = tmp_path / "for-rayong.dossier"

    def drive(dlg):
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # nothing ticked, no partner
        dlg.partner.setText("Rayong Technical College")
        dlg.preset.setCurrentIndex(dlg.preset.findData("partner"))
        assert dlg.items["2.1"].checkState(0) == Qt.CheckState.Checked
        assert dlg.items["2.1/teachers"].checkState(0) == Qt.CheckState.Checked
        dlg.items["2.2/address"].setCheckState(0, Qt.CheckState.Unchecked)  # a single field out
        assert dlg.items["2.2"].checkState(0) == Qt.CheckState.PartiallyChecked
        dlg.items["1.1"].setCheckState(1, Qt.CheckState.Checked)  # read-only context
        sc = dlg.scope()
        assert sc.indicators == ("2.1",) and sc.fields == ("2.2/area",) and sc.context == ("1.1",)
        assert ok.isEnabled()
        dlg.out_edit.setText(str(out))
        dlg.share()
        return dlg.result is not None

    win.handoff._exec = drive
    win.actions_.share_part.trigger()
    assert out.is_file()
    assert "hand-off file for Rayong Technical College is ready" in messages[-1][1]
    with Project.open(lead, readonly=True) as p:
        (rec,) = load_records(p.conn)
        assert rec.partner == "Rayong Technical College" and rec.scope.fields == ("2.2/area",)


def test_share_dialog_warns_of_overlap(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    share(lead, tmp_path / "a.dossier", indicators=["2.1"], partner="A")
    win = _open(controller, lead)
    from desktop.ui.handoff.share_dialog import ShareDialog

    dlg = ShareDialog(win.session, win)
    dlg.partner.setText("B")
    dlg.set_assigned(["2.1"])
    assert not dlg.overlap.isHidden() and "A (3)" in dlg.overlap.text()


def test_partner_sees_banner_and_only_its_part(controller, tmp_path, messages):
    lead = new_lead(tmp_path, {**BASE, "1.1/name": "甲单位"})
    part = tmp_path / "part.dossier"
    share(lead, part, indicators=["2.1"], context=["1.1"])
    win = _open(controller, part)
    s = win.session
    c = win.handoff
    assert c.banner is not None and c.banner.isVisibleTo(win)
    text = c.banner.text.text()
    assert "南宁职业技术学院" in text and "Rayong Technical College" in text and "2.1 Foreign team" in text
    assert win.nav.indicator_ids() == ["1.1", "2.1"]  # 2.2 hidden, 1.1 shown read-only
    assert win.actions_.return_part.isVisible() and not win.actions_.share_part.isVisible()
    win.go_to("1.1")
    row = win.forms.current_form().rows["1.1/name"]
    assert row.editor.edit.isReadOnly()  # selectable, not editable
    assert not win.evidence.add_btn.isEnabled()
    import pytest

    from desktop.errors import DossierError

    with pytest.raises(DossierError) as e:
        s.edit("1.1/name", "changed")
    assert e.value.key == "handoff.not_assigned"
    win.go_to("2.1")
    ed = win.forms.current_form().rows["2.1/teachers"].editor
    assert ed.isEnabled() and win.evidence.add_btn.isEnabled()
    s.edit("2.1/teachers", 11)
    assert answers(part)["2.1/teachers"] == 11
    probs = win.problems.problems()
    assert all(p.indicator_id in ("1.1", "2.1") for p in probs)


def test_return_dialog(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    edit(part, {"2.1/teachers": 9})
    win = _open(controller, part)
    out = tmp_path / "back.dossier-return"

    def drive(dlg):
        assert "changed 1 fields" in dlg.summary.text()
        dlg.note.setPlainText("Filled in by the partner")
        dlg.out_edit.setText(str(out))
        dlg.write()
        return True

    win.handoff._exec = drive
    win.handoff.banner.button.click()
    assert out.is_file() and "return file is ready" in messages[-1][1]


def test_conflicts_side_by_side_then_one_undo_step(controller, tmp_path, messages, qtbot):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    edit(part, {"2.1/teachers": 9, "2.2/area": 130.0, "2.1/note": "partner note"})
    edit(lead, {"2.1/teachers": 7, "2.2/area": 120.0})
    ret = tmp_path / "r.dossier-return"
    make_return(part, ret, message="see the staff list")
    win = _open(controller, lead)
    s = win.session
    seen = {}

    def drive(dlg):
        seen["rows"] = dlg.table.rowCount()
        seen["message"] = dlg.message_label.text()
        assert dlg.table.item(0, 1).text() == "5" and dlg.table.item(0, 2).text() == "7" and dlg.table.item(0, 3).text() == "9"
        assert set(dlg.choices().values()) == {"lead"}  # the safe default: keep ours
        qtbot.mouseClick(dlg.take_all, Qt.MouseButton.LeftButton)
        assert set(dlg.choices().values()) == {"partner"}
        # then keep ours for the area, by clicking the "Ours" cell
        row = next(n for n in range(dlg.table.rowCount()) if dlg.table.item(n, 0).data(Qt.ItemDataRole.UserRole) == "2.2/area")
        dlg._cell_clicked(row, 2)
        assert dlg.choices() == {"2.1/teachers": "partner", "2.2/area": "lead"}
        return True

    win.handoff._exec = drive
    assert win.handoff.merge(ret)
    assert seen["rows"] == 2 and "see the staff list" in seen["message"]
    assert (s.value("2.1/teachers"), s.value("2.2/area"), s.value("2.1/note")) == (9, 120.0, "partner note")
    assert answers(lead)["2.1/teachers"] == 9
    editor = win.forms.editor("2.1/teachers")
    assert editor.value() in (9, "9")
    assert s.undo_stack.count() == 1 and "Rayong" in s.undo_stack.undoText()
    win.undo()
    a = answers(lead)
    assert (a["2.1/teachers"], a["2.2/area"], a.get("2.1/note")) == (7, 120.0, "base note")
    assert s.value("2.1/teachers") == 7
    with Project.open(lead, readonly=True) as p:
        (rec,) = load_records(p.conn)
        assert rec.state == "outstanding"
    win.redo()
    assert answers(lead)["2.1/teachers"] == 9
    # merging again says so and changes nothing
    win.handoff._exec = lambda dlg: (_ for _ in ()).throw(AssertionError("no dialog for a replay"))
    assert not win.handoff.merge(ret)
    assert "already merged" in messages[-1][1]


def test_merge_with_evidence_undo_restores_removed_content(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    src = tmp_path / "cv.txt"
    src.write_text("CV of Somchai")
    with Project.open(lead) as p:
        p.attach(src, "2.1")
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"], include_evidence=True)
    new = tmp_path / "plan.txt"
    new.write_text("new site plan")
    with Project.open(part) as p:
        p.detach(p.evidence()[0].id)
        p.attach(new, "2.2")
    ret = tmp_path / "r.dossier-return"
    make_return(part, ret)
    win = _open(controller, lead)
    win.handoff._exec = lambda dlg: True
    assert win.handoff.merge(ret)
    assert [e.name for e in win.session.evidence("2.2")] == ["plan.txt"] and not win.session.evidence("2.1")
    win.undo()
    assert [e.name for e in win.session.evidence("2.1")] == ["cv.txt"] and not win.session.evidence("2.2")
    with Project.open(lead, readonly=True) as p:
        ev = p.evidence("2.1")[0]
        out = p.extract(ev.id, tmp_path / "back.txt")
    assert out.read_text() == "CV of Somchai"


def test_out_of_scope_and_signer_need_confirmation(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, indicators=["2.2"])
    edit(part, {"2.2/area": 1.0, "2.1/teachers": 2})
    ret = tmp_path / "r.dossier-return"
    make_return(part, ret)
    win = _open(controller, lead)

    def drive(dlg):
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled() and dlg.oos_list.count() == 1
        dlg.skip_oos.setChecked(True)
        assert ok.isEnabled()
        return True

    win.handoff._exec = drive
    assert win.handoff.merge(ret)
    a = answers(lead)
    assert a["2.2/area"] == 1.0 and a["2.1/teachers"] == 5


def test_bad_return_shows_a_clear_message(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    bad = tmp_path / "bad.dossier-return"
    bad.write_bytes(b"not a return")
    win = _open(controller, lead)
    assert not win.handoff.merge(bad)
    assert "not a Dossier return file" in messages[-1][1]


def test_handoffs_list(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    share(lead, tmp_path / "a.dossier", indicators=["2.1"], partner="Rayong")
    win = _open(controller, lead)
    from desktop.ui.handoff.panel import HandoffsDialog

    dlg = HandoffsDialog(win.session, win)
    t = dlg.panel.tree
    assert t.topLevelItemCount() == 1
    assert t.topLevelItem(0).text(0) == "Rayong" and t.topLevelItem(0).text(3) == "outstanding"


def test_row_conflicts_are_shown_with_column_labels(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    with Project.open(part) as p:  # the partner deletes Anan
        p.set("2.1/staff", [r for r in p.get("2.1/staff") if r["name"] != "Anan"])
    with Project.open(lead) as p:  # the lead edits Anan
        rows = p.get("2.1/staff")
        rows[1]["years"] = 6
        p.set("2.1/staff", rows)
    ret = tmp_path / "r.dossier-return"
    make_return(part, ret)
    win = _open(controller, lead)
    seen = {}

    def drive(dlg):
        seen["where"] = dlg.table.item(0, 0).text()
        seen["ours"] = dlg.table.item(0, 2).text()
        seen["theirs"] = dlg.table.item(0, 3).text()
        dlg.set_all("partner")
        return True

    win.handoff._exec = drive
    assert win.handoff.merge(ret)
    assert "changed by you, deleted by the partner" in seen["where"] and "Anan" in seen["where"]
    assert "Years: 6" in seen["ours"] and seen["theirs"] == "(deleted)"
    assert [r["name"] for r in answers(lead)["2.1/staff"]] == ["Somchai", "Niran"]


def test_table_edited_in_the_partner_ui_keeps_row_identity(controller, tmp_path, messages):
    lead = new_lead(tmp_path, BASE)
    part = tmp_path / "part.dossier"
    share(lead, part, sections=["2"])
    win = _open(controller, part)
    win.go_to("2.1", "2.1/staff")
    model = win.forms.editor("2.1/staff").model
    col = [c.id for c in model.columns].index("subject")
    assert model.setData(model.index(1, col), "CNC machining")
    assert model.insert_row(3)
    win.close()
    with Project.open(lead) as p:  # meanwhile the lead edits another cell of the same row
        rows = p.get("2.1/staff")
        rows[1]["years"] = 6
        p.set("2.1/staff", rows)
    ret = tmp_path / "r.dossier-return"
    make_return(part, ret)
    from tests.handoff.test_merge_matrix import merge

    plan, _ = merge(lead, ret)
    assert not plan.conflicts
    anan = answers(lead)["2.1/staff"][1]
    assert (anan["name"], anan["subject"], anan["years"]) == ("Anan", "CNC machining", 6)
    assert len(answers(lead)["2.1/staff"]) == 4


def test_the_partner_sees_the_completeness_of_its_own_part(controller, tmp_path, messages):
    """The bar and the status bar count the assigned part only: the lead's items are not the
    partner's to finish."""
    from tests.core.helpers import program
    from tests.handoff.helpers import _mutate

    def required_partner_side(d):
        _mutate(d)
        two = d["sections"][-1]["indicators"]
        two[0]["fields"][0]["required"] = True  # 2.1/teachers
        two[0]["evidence"][0]["min_count"] = 1  # 2.1 CVs
        two[1]["fields"][0]["required"] = True  # 2.2/area: not the partner's here
    lead = tmp_path / "lead.dossier"
    with Project.create(lead, program(mutate=required_partner_side), "南宁职业技术学院", "Nanning College") as proj:
        proj.set_many({**BASE, "1.1/name": "甲单位"})
    part = tmp_path / "part.dossier"
    share(lead, part, indicators=["2.1"], context=["1.1"])
    win = _open(controller, part)
    s = win.session
    s.edit("2.1/teachers", 4)
    rep = s.report
    mine = {p: d for p, d in rep.required.items() if s.handoff.scope.assigns_field(p)}
    assert mine and all(p.split("/", 1)[0] == "2.1" for p in mine)
    share_ = sum(mine.values()) / len(mine)
    assert s.completeness() == share_ != rep.completeness
    assert win.nav.bar.value() == int(round(share_ * 1000))
    assert "of your part" in win.nav.bar.format() and "of your part" in win.completeness.text()
    two = win.nav.section_items["2"]
    assert two.text(1) == f"{sum(mine.values())}/{len(mine)}"  # the section's count is of the part too
    lead_win = _open(controller, lead)
    assert "of your part" not in lead_win.nav.bar.format()
    assert lead_win.session.completeness() == lead_win.session.report.completeness


def test_an_indicator_given_in_part_shows_the_status_of_the_partners_fields(controller, tmp_path, messages):
    """1.1 has required fields and evidence the lead left empty; the partner fills only 1.1/intro:
    its icon says not started, then complete — the lead's gaps are not the partner's."""
    lead = new_lead(tmp_path, {"1.1/count": 3})  # answered in part by the lead: name, kind, proof missing
    part = tmp_path / "part.dossier"
    share(lead, part, indicators=["2.1", "1.1/intro"])
    win = _open(controller, part)
    s = win.session
    assert s.indicator_status("1.1") == "empty"
    s.edit("1.1/intro", "合作院校简介")
    assert s.report.indicators["1.1"].status == "problems"  # the whole indicator: the lead's name, kind, proof
    assert s.indicator_status("1.1") == "complete"
    win.nav.update_report()
    assert win.nav.items["1.1"].data(0, Qt.ItemDataRole.UserRole + 1) == "complete"
    assert s.indicator_status("2.1") == s.report.indicators["2.1"].status  # wholly assigned: as it is
    lead_win = _open(controller, lead)
    assert lead_win.session.indicator_status("1.1") == lead_win.session.report.indicators["1.1"].status
