"""Transport in the GUI (#12): the export dialog's Transport box, and the verify view taking volumes,
encrypted packages and deltas."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.errors import DossierError
from tests.ui.conftest import controller, file_dialogs, messages, ui  # noqa: F401 - fixtures

from .conftest import out_dir

pyrage = pytest.importorskip("pyrage")


def _wait(qtbot, job):
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=180_000):
        pass
    assert job.outcome == "ok", job.error


def test_options_map_to_export_package_arguments(ui, qtbot, big_copy):
    from desktop.transport.volumes import PRESETS
    from desktop.ui.transport.options import SPLIT_PRESETS, TransportOptions

    w = TransportOptions(big_copy)
    qtbot.addWidget(w)
    assert w.options() == {}
    w.split.setChecked(True)
    w.split_size.setCurrentIndex(SPLIT_PRESETS.index("cd"))
    w.recovery.setChecked(True)
    key = str(pyrage.x25519.Identity.generate().to_public())
    w.recipients.setText(key)
    w.encrypt.setChecked(True)
    assert w.options() == {"split": PRESETS["cd"], "recovery": 10, "encrypt_to": [key]}
    w.split_size.setCurrentIndex(SPLIT_PRESETS.index("custom"))
    w.custom_size.setText("lots")
    with pytest.raises(DossierError):
        w.options()
    w.custom_size.setText("50M")
    w.recipients.setText("age1typo")
    with pytest.raises(DossierError):
        w.options()
    w.recipients.setText("")
    with pytest.raises(DossierError):
        w.options()  # ticked, but no key
    w.encrypt.setChecked(False)
    w.delta.setChecked(True)
    with pytest.raises(DossierError):
        w.options()  # no earlier export yet
    assert w.basis.count() == 0


def test_fat32_prompt_offers_volumes(ui, qtbot, big_copy, tmp_path, monkeypatch):
    from desktop.transport import export as texport
    from desktop.ui.transport import options

    w = options.TransportOptions(big_copy)
    qtbot.addWidget(w)
    monkeypatch.setattr(texport, "filesystem_type", lambda folder: "vfat")
    monkeypatch.setattr(texport, "estimate_package_bytes", lambda p: 6 << 30)
    answers = []

    def fake_exec(box):
        answers.append(box.text())
        split = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        monkeypatch.setattr(box, "clickedButton", lambda: split)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert w.check_fat32(tmp_path)
    assert "FAT32" in answers[0] and w.split.isChecked() and w.split_size.currentData() == "fat32"


def test_export_dialog_splits_encrypts_and_the_verify_view_opens_it(controller, qtbot, tmp_path, monkeypatch, messages,
                                                                     big_copy):
    import desktop.identity as identity
    from desktop.ui.export_dialog import ExportDialog, PackageDialog
    from tests.keyrings import install_memory_keyring

    install_memory_keyring(monkeypatch)
    identity.create_identity("柳州市人民政府", "", "CN")
    reviewer = pyrage.x25519.Identity.generate()
    win = controller.open_path(big_copy)
    out = out_dir(tmp_path, "out")
    dlg = ExportDialog(win.session, win)
    qtbot.addWidget(dlg)
    dlg.folder.setText(str(out))
    dlg.sign.setChecked(False)
    t = dlg.transport
    t.split.setChecked(True)
    t.split_size.setCurrentIndex(t.split_size.findData("custom"))
    t.custom_size.setText("1.2M")
    t.encrypt.setChecked(True)
    t.recipients.setText(str(reviewer.to_public()))
    _wait(qtbot, dlg.start_export())
    res = dlg.transport_result
    assert res.volumes >= 3 and all(p.name.endswith(".zip.age") for p in res.packages)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in res.outputs)  # no clear PDF, no leftovers
    assert f"{res.volumes} volumes" in dlg.outcome.text() and str(reviewer.to_public()) in dlg.outcome.text()
    # the sender opens what it sent: the verify view takes the encrypted volumes
    pd = PackageDialog(list(res.packages), win)
    qtbot.addWidget(pd)
    _wait(qtbot, pd.job)
    assert pd.verdict.status == "intact" and "reassembled" in pd.text.toPlainText()
    assert not messages, messages


def test_verify_view_asks_for_the_basis_of_a_delta(controller, qtbot, tmp_path, big_copy, file_dialogs, messages):
    from desktop.export import export_project
    from desktop.transport import export_package
    from desktop.ui.export_dialog import PackageDialog
    from tests.export.test_verify_contract import change_one_answer

    first = export_project(big_copy, out_dir(tmp_path, "a"))
    change_one_answer(big_copy)
    delta = export_package(big_copy, out_dir(tmp_path, "b"), since=first.zip_path)
    pd = PackageDialog(delta.packages[0])
    qtbot.addWidget(pd)
    _wait(qtbot, pd.job)
    assert pd.verdict.status == "unreadable" and pd.verdict.error_key == "transport.basis_missing"
    assert not pd.basis_btn.isHidden()
    file_dialogs["open_many"].append([first.zip_path])
    _wait(qtbot, pd.choose_basis())
    assert pd.verdict.status == "intact" and pd.basis_btn.isHidden()
    assert not messages, messages


def test_screenshots_of_the_transport_box(controller, qtbot, tmp_path, big_copy):
    """Look at it: docs/screenshots/transport-export-{en,zh}.png at 1366×768 (written to tmp here)."""
    from desktop.ui import i18n
    from desktop.ui.export_dialog import ExportDialog

    win = controller.open_path(big_copy)
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        dlg = ExportDialog(win.session, win)
        qtbot.addWidget(dlg)
        dlg.transport.split.setChecked(True)
        dlg.transport.encrypt.setChecked(True)
        dlg.resize(900, 720)
        dlg.show()
        qtbot.waitExposed(dlg)
        assert dlg.height() <= 768 and dlg.transport.isVisible()
        img = tmp_path / f"transport-export-{lang}.png"
        assert dlg.grab().save(str(img))
        if lang == "zh":
            assert dlg.transport.title() == "传送方式"
        dlg.close()
    i18n.set_language("en")
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)


def test_identity_dialog_saves_the_key_card(controller, qtbot, tmp_path, monkeypatch, file_dialogs, messages):
    import desktop.identity as identity
    from desktop.identity.keycard import read_key_card
    from desktop.ui.identity_dialog import IdentityDialog
    from tests.keyrings import install_memory_keyring

    install_memory_keyring(monkeypatch)
    identity.create_identity("评审办公室", "Review Office", "CN")
    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    assert not dlg.card_btn.isHidden()
    card = tmp_path / "card.pdf"
    file_dialogs["save"].append(card)
    assert dlg.save_key_card() == card
    from desktop.identity import agekey

    assert read_key_card(card) == agekey.recipient()
    assert messages and "key card was saved" in messages[-1][1]
