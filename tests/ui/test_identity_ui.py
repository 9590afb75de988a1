"""Settings → Institution identity, signing in the export dialog and the signer in the verify view
(issue #5's UI). Headless; every dialog that would block is answered by the `answers` fixture; an
in-memory keyring (never the OS one), as in tests/identity."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QMessageBox

import desktop.identity as identity
from desktop.ui import i18n
from desktop.ui import passphrase as pp
from tests.keyrings import PASSPHRASE, MemoryKeyring, install_fail_keyring, install_memory_keyring

from .conftest import demo_project

NAME_ZH = "柳州职业技术学院"
NAME_EN = "Liuzhou Vocational College"


@pytest.fixture(autouse=True)
def mem_keyring(monkeypatch) -> MemoryKeyring:
    return install_memory_keyring(monkeypatch)


@pytest.fixture
def fail_keyring(mem_keyring):
    return install_fail_keyring()


class Answers:
    def __init__(self):
        self.passphrases: list[str | None] = []  # typed into the next PassphraseDialog (None: Cancel)
        self.prompts: list[dict] = []  # what each PassphraseDialog showed
        self.confirm: list[bool] = []  # answers to questions (QMessageBox with Yes); default Yes
        self.messages: list[tuple[str, str, str]] = []  # every QMessageBox: title, text, informative
        self.forms: list = []  # fill(dlg) for the next CreateIdentityDialog
        self.identity_dialogs: list = []  # act(dlg) for the next IdentityDialog.exec


@pytest.fixture
def answers(monkeypatch, qtbot) -> Answers:
    from desktop.ui.identity_dialog import CreateIdentityDialog, IdentityDialog

    a = Answers()

    def passphrase_exec(self):
        a.prompts.append({"title": self.windowTitle(), "text": self.text.text(), "new": self.new,
                          "error": self.error.text() if not self.error.isHidden() else ""})
        assert a.passphrases, f"unexpected passphrase prompt: {self.windowTitle()}"
        pw = a.passphrases.pop(0)
        if pw is None:
            self.reject()
            return self.result()
        assert not self.ok.isEnabled()  # nothing typed yet
        self.edit.setText(pw)
        if self.new:
            assert not self.ok.isEnabled()  # typed once only
            self.fields.repeat.setText(pw)
        assert self.ok.isEnabled(), self.fields.problem() if self.fields else "empty"
        self.ok.click()
        return self.result()

    def message_exec(self):
        a.messages.append((self.windowTitle(), self.text(), self.informativeText()))
        if self.button(QMessageBox.StandardButton.Yes) is not None:
            yes = a.confirm.pop(0) if a.confirm else True
            return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.Cancel
        return QMessageBox.StandardButton.Ok

    def form_exec(self):
        assert a.forms, "unexpected create form"
        a.forms.pop(0)(self)
        if self.ok.isEnabled():
            self.ok.click()
        if self.result() == 0:
            self.reject()
        return self.result()

    def identity_exec(self):
        assert a.identity_dialogs, "unexpected identity dialog"
        a.identity_dialogs.pop(0)(self)
        return 0

    monkeypatch.setattr(pp.PassphraseDialog, "exec", passphrase_exec)
    monkeypatch.setattr(QMessageBox, "exec", message_exec)
    monkeypatch.setattr(CreateIdentityDialog, "exec", form_exec)
    monkeypatch.setattr(IdentityDialog, "exec", identity_exec)
    return a


def fill_form(qtbot, form, *, name_zh=NAME_ZH, name_en=NAME_EN, country="CN", contact="+86 772 1234567") -> None:
    form.name_zh.setFocus()
    form.name_zh.insert(name_zh)  # QTest types ASCII only
    qtbot.keyClicks(form.name_en, name_en)
    form.country.setCurrentIndex(form.country.findData(country))
    qtbot.keyClicks(form.contact, contact)


def no_plaintext_key(root: Path) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert b"BEGIN PRIVATE KEY" not in data and b"BEGIN EC PRIVATE KEY" not in data, p


# ------------------------------------------------------------------------------ the identity dialog


def test_create_identity_and_see_the_fingerprint(ui, qtbot, answers, mem_keyring, _isolated_home):
    from desktop.ui.identity_dialog import IdentityDialog

    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    assert dlg.identity is None
    assert not dlg.none_label.isHidden() and not dlg.create_btn.isHidden()
    assert dlg.export_btn.isHidden() and dlg.delete_btn.isHidden() and dlg.ident_box.isHidden()
    assert "system keyring" in dlg.storage_text.text()  # where the key will be kept

    def fill(form):
        assert form.keyring_radio.isChecked() and form.passphrase.isHidden()  # no passphrase with a keyring
        assert not form.ok.isEnabled()  # no name yet
        for w in (form.name_zh, form.name_en, form.country, form.contact, form.keyring_radio, form.file_radio):
            assert w.accessibleName(), w
        codes = {form.country.itemData(i) for i in range(form.country.count())}
        assert {"CN", "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"} <= codes
        fill_form(qtbot, form)
        assert form.ok.isEnabled()

    answers.forms.append(fill)
    dlg.create_btn.click()
    ident = identity.load_identity()
    assert ident is not None and ident.storage == "keyring"
    assert (ident.name_zh, ident.name_en, ident.country, ident.contact) == (NAME_ZH, NAME_EN, "CN", "+86 772 1234567")
    assert list(mem_keyring.store) == [(identity.store.SERVICE, ident.fingerprint)]
    # shown: the names, the country, and the fingerprint — large, monospace, four lines of four groups
    assert dlg.ident_box.isVisibleTo(dlg) and dlg.create_btn.isHidden()
    assert dlg.values["name_zh"].text() == NAME_ZH and dlg.values["name_en"].text() == NAME_EN
    assert dlg.values["country"].text() == "China (CN)"
    assert ident.not_after[:10] in dlg.values["validity"].text()
    lines = dlg.fingerprint.label.text().split("\n")
    assert len(lines) == 4 and all(len(line.split(" ")) == 4 for line in lines)
    assert " ".join(lines) == ident.display_fingerprint
    font = dlg.fingerprint.label.font()
    assert font.styleHint() == QFont.StyleHint.Monospace and font.pointSizeF() >= 15
    assert dlg.fingerprint.label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert dlg.fingerprint.label.accessibleName() == "SHA-256 fingerprint"
    dlg.fingerprint.copy_btn.click()
    assert QGuiApplication.clipboard().text() == ident.display_fingerprint
    assert "system keyring" in dlg.storage_text.text()
    assert not answers.messages, answers.messages
    no_plaintext_key(_isolated_home)


def test_backup_export_and_import_round_trip(ui, qtbot, answers, file_dialogs, tmp_path, mem_keyring):
    from desktop.ui.identity_dialog import IdentityDialog

    ident = identity.create_identity(NAME_ZH, NAME_EN, "TH", "+66 2 123 4567")
    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    assert dlg.values["country"].text() == "Thailand (TH)"
    # the backup: a new passphrase, typed twice
    file_dialogs["save"].append(tmp_path / "backup")  # the .p12 suffix is added
    answers.passphrases.append(PASSPHRASE)
    dlg.export_btn.click()
    backup = tmp_path / "backup.p12"
    assert backup.is_file() and b"PRIVATE KEY" not in backup.read_bytes()
    assert answers.prompts[-1]["new"]
    assert "saved" in answers.messages[-1][1]
    # the certificate for reviewers
    file_dialogs["save"].append(tmp_path / "cert.pem")
    dlg.cert_btn.click()
    assert (tmp_path / "cert.pem").read_bytes() == ident.certificate
    # delete, then import the backup: the same identity comes back (a wrong passphrase first)
    answers.confirm.append(True)
    dlg.delete_btn.click()
    assert identity.load_identity() is None and not mem_keyring.store
    assert dlg.identity is None and not dlg.create_btn.isHidden()
    file_dialogs["open"].append(backup)
    answers.passphrases += ["not the right passphrase", PASSPHRASE]
    n = len(answers.prompts)
    dlg.import_btn.click()
    back = identity.load_identity()
    assert back is not None and back.fingerprint == ident.fingerprint and back.storage == "keyring"
    assert back.country == "TH" and back.name_en == NAME_EN
    assert not answers.prompts[n]["error"] and "Wrong passphrase" in answers.prompts[n + 1]["error"]
    assert dlg.fingerprint.display == ident.display_fingerprint
    assert "imported" in answers.messages[-1][1] and ident.display_fingerprint in answers.messages[-1][2]


def test_delete_asks_and_says_what_is_lost(ui, qtbot, answers, mem_keyring):
    from desktop.ui.identity_dialog import IdentityDialog

    ident = identity.create_identity(NAME_ZH, NAME_EN, "VN")
    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    answers.confirm.append(False)  # Cancel: nothing happens
    dlg.delete_btn.click()
    assert identity.load_identity() is not None and mem_keyring.store
    title, text, info = answers.messages[-1]
    assert NAME_ZH in text
    assert identity.delete_consequences(ident).en in info  # what will no longer be possible
    assert "can no longer sign" in info and "backup" in info
    answers.confirm.append(True)
    dlg.delete_btn.click()
    assert identity.load_identity() is None and not mem_keyring.store
    assert "Deleted" in answers.messages[-1][1]
    assert not dlg.none_label.isHidden()


def test_damaged_identity_files_can_be_removed(ui, qtbot, answers, mem_keyring):
    import json

    from desktop.paths import user_data_dir
    from desktop.ui.identity_dialog import IdentityDialog

    identity.create_identity(NAME_ZH, NAME_EN, "CN")
    meta = user_data_dir() / "identity" / "identity.json"
    d = json.loads(meta.read_text("utf-8"))
    d["fingerprint"] = "0" * 64
    meta.write_text(json.dumps(d), "utf-8")
    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    assert not dlg.problem.isHidden() and not dlg.delete_btn.isHidden() and dlg.export_btn.isHidden()
    answers.confirm.append(True)
    dlg.delete_btn.click()
    assert "damaged" in answers.messages[-1][1]
    assert identity.load_identity() is None and not mem_keyring.store
    assert not dlg.create_btn.isHidden()


def test_no_keyring_explains_and_uses_a_passphrase_file(ui, qtbot, answers, file_dialogs, tmp_path, fail_keyring,
                                                        _isolated_home):
    from desktop.ui.identity_dialog import IdentityDialog, obtain_sealer

    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    assert not dlg.storage_warning.isHidden()
    assert "cannot be kept in a secure keyring" in dlg.storage_warning.text()
    assert "passphrase" in dlg.storage_warning.text()

    def fill(form):
        assert not form.keyring_radio.isEnabled() and not form.keyring_radio.isChecked()
        assert "no system keyring is available" in form.storage_note.text()
        fill_form(qtbot, form, country="MY")
        assert not form.ok.isEnabled()  # the user must choose passphrase storage
        form.file_radio.click()
        assert form.passphrase.isVisibleTo(form)
        form.passphrase.edit.setText("too short")
        form.passphrase.repeat.setText("too short")
        assert not form.ok.isEnabled() and "At least 12 characters" in form.passphrase.status.text()
        form.passphrase.edit.setText(PASSPHRASE)
        form.passphrase.repeat.setText(PASSPHRASE + "!")
        assert not form.ok.isEnabled() and "same passphrase" in form.passphrase.status.text()
        form.passphrase.repeat.setText(PASSPHRASE)
        assert form.ok.isEnabled()

    answers.forms.append(fill)
    dlg.create_btn.click()
    ident = identity.load_identity()
    assert ident is not None and ident.storage == "file" and ident.country == "MY"
    key_file = identity.store.identity_dir() / identity.store.KEY_FILE
    assert b"ENCRYPTED PRIVATE KEY" in key_file.read_bytes()
    assert "passphrase" in dlg.storage_text.text()
    no_plaintext_key(_isolated_home)
    # signing asks for the passphrase, and again after a wrong one
    answers.passphrases += ["a wrong passphrase", PASSPHRASE]
    sealer = obtain_sealer(dlg)
    assert sealer is not None and sealer.fingerprint == ident.fingerprint
    assert not answers.prompts[0]["error"] and NAME_ZH in answers.prompts[0]["text"]
    assert "Wrong passphrase" in answers.prompts[1]["error"]
    answers.passphrases.append(None)  # Cancel: no sealer, no error message
    assert obtain_sealer(dlg) is None
    assert not answers.messages, answers.messages
    # a backup of a passphrase-stored key asks for the key's passphrase after the backup's
    answers.passphrases += [PASSPHRASE + " backup", PASSPHRASE]
    file_dialogs["save"].append(tmp_path / "b.p12")
    dlg.export_btn.click()
    assert (tmp_path / "b.p12").is_file()
    assert answers.prompts[-2]["new"] and not answers.prompts[-1]["new"]


def test_errors_in_the_ui_language(ui, qtbot, answers, file_dialogs, tmp_path):
    from desktop.ui.identity_dialog import IdentityDialog

    identity.create_identity(NAME_ZH, NAME_EN, "CN")
    dlg = IdentityDialog()
    qtbot.addWidget(dlg)
    i18n.set_language("zh")
    assert dlg.windowTitle() == "单位身份"
    assert dlg.values["country"].text() == "中国 (CN)"
    assert dlg.export_btn.text() == "导出备份(&B)…"
    file_dialogs["save"].append(tmp_path / "no-such-folder" / "cert.pem")
    dlg.cert_btn.click()
    title, text, _info = answers.messages[-1]
    assert text.startswith("无法写入")  # the core's message, in Chinese
    # a file that is not a backup: the core's message is shown with the passphrase prompt again
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a pkcs12 file")
    file_dialogs["open"].append(junk)
    answers.confirm.append(True)  # replace the existing identity
    answers.passphrases += [PASSPHRASE, None]
    dlg.import_btn.click()
    assert "口令错误" in answers.prompts[-1]["error"]
    assert identity.load_identity() is not None  # nothing replaced
    i18n.set_language("en")
    assert dlg.windowTitle() == "Institution identity"


def test_menu_and_start_window_open_the_dialog(controller, qtbot, tmp_path, answers):
    opened = []
    answers.identity_dialogs += [lambda d: opened.append(d.windowTitle())] * 2
    start = controller.show_start()
    start.identity_btn.click()
    path = demo_project("moe-core-course", tmp_path / "x.dossier")
    win = controller.open_path(path)
    assert win.actions_.identity in win.actions_.settings_menu.actions()
    win.actions_.identity.trigger()
    assert opened == ["Institution identity", "Institution identity"]


# ------------------------------------------------------------------------------ export and verify

pytest_export = pytest.mark.skipif(importlib.util.find_spec("desktop.export") is None, reason="desktop.export not present")


def _rezip(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        for zi, data in items:
            data = change(zi.filename, data)
            if data is not None:
                z.writestr(zi, data)
    return dst


def _wait(qtbot, job):
    if not job.done:
        with qtbot.waitSignal(job.finished, timeout=120_000):
            pass
    assert job.outcome == "ok", job.error


@pytest_export
def test_export_signed_and_verify_the_signer(controller, qtbot, tmp_path, answers, file_dialogs, monkeypatch):
    from desktop.identity.verify import check_pdf_signature
    from desktop.ui.export_dialog import ExportDialog, PackageDialog

    path = demo_project("moe-core-course", tmp_path / "x.dossier")
    win = controller.open_path(path)
    dlg = ExportDialog(win.session, win)
    qtbot.addWidget(dlg)
    # no identity yet: the choice is disabled, explained, with a link to the identity dialog
    assert not dlg.sign.isEnabled() and not dlg.sign.isChecked()
    assert "no institution identity" in dlg.sign_note.text() and 'href="identity"' in dlg.sign_note.text()

    def create_there(idlg):
        answers.forms.append(lambda form: fill_form(qtbot, form))
        idlg.create_btn.click()

    answers.identity_dialogs.append(create_there)
    dlg.sign_note.linkActivated.emit("identity")
    ident = identity.load_identity()
    assert ident is not None
    assert dlg.sign.isEnabled() and dlg.sign.isChecked()
    assert ident.display_fingerprint in dlg.sign_note.text()
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    job = dlg.start_export()
    _wait(qtbot, job)
    res = dlg.result
    assert res.signed and res.signer_fingerprint == ident.fingerprint
    trusted = check_pdf_signature(res.pdf_path, trust_fingerprint=ident.fingerprint)
    assert trusted["status"] == "trusted" and trusted["valid"] and trusted["intact"], trusted
    assert check_pdf_signature(res.pdf_path)["status"] == "unknown_signer"
    assert dlg.signed_fp.isVisibleTo(dlg) and dlg.signed_fp.display == ident.display_fingerprint
    assert NAME_ZH in dlg.signed_caption.text()

    # the verify view: without trust, an unknown identity with its fingerprint
    pd = PackageDialog(res.zip_path, win)
    qtbot.addWidget(pd)
    _wait(qtbot, pd.job)
    assert pd.verdict.status == "intact" and pd.signature_status == "unknown_signer"
    assert "Signed by an unknown identity" in pd.sig_package.text()
    assert ident.display_fingerprint in pd.sig_package.text() and pd.signer_fp.display == ident.display_fingerprint
    # given the fingerprint (as read over the phone, any spacing): signed by the trusted identity
    pd.trust_edit.setText(ident.display_fingerprint.lower().replace(" ", ":"))
    _wait(qtbot, pd.check_trust())
    assert pd.verdict.status == "intact" and pd.signature_status == "trusted"
    assert pd.sig_package.text().startswith("Data package: Signed by the trusted identity")
    assert "Signed by the trusted identity" in pd.sig_pdf.text()
    assert "Intact" in pd.status.text()
    # another institution's fingerprint: intact, but not signed by the trusted identity
    pd.trust_edit.setText("ab" * 32)
    _wait(qtbot, pd.check_trust())
    assert pd.signature_status == "unknown_signer"
    # one verdict everywhere (#15 item 6): untrusted, not tampered — headline, colour and log agree
    assert pd.shown_status == "untrusted"
    assert pd.status.text() == "Untrusted: the content is intact, but it is not signed by the identity you trust."
    assert "#9a5b00" in pd.status.styleSheet()
    log = pd.text.toPlainText()
    assert log.startswith("UNTRUSTED:") and "TAMPERED" not in log and "Tampered" not in log
    # a malformed fingerprint: the core's message, nothing checked
    n = len(answers.messages)
    pd.trust_edit.setText("12 34")
    assert pd.check_trust() is None
    assert "64 hex digits" in answers.messages[n][1]
    # the certificate file the institution sent
    cert = tmp_path / "their-cert.pem"
    identity.export_certificate(cert)
    file_dialogs["open"].append(cert)
    job = pd.choose_certificate()
    _wait(qtbot, job)
    assert pd.signature_status == "trusted" and "their-cert.pem" in pd.cert_note.text()

    # a changed signature: invalid; no signature at all: unsigned
    def flip(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.endswith("/signature.p7s") else data

    bad = _rezip(res.zip_path, tmp_path / "bad.zip", flip)
    pd2 = PackageDialog(bad, win)
    qtbot.addWidget(pd2)
    _wait(qtbot, pd2.job)
    assert pd2.signature_status == "invalid" and pd2.sig_package.text().startswith("Data package: Signature invalid")
    assert "Tampered" in pd2.status.text()
    plain = _rezip(res.zip_path, tmp_path / "plain.zip",
                   lambda name, data: None if name.endswith(("/signature.p7s", "/signer-cert.pem")) else data)
    pd3 = PackageDialog(plain, win)
    qtbot.addWidget(pd3)
    _wait(qtbot, pd3.job)
    assert pd3.signature_status == "unsigned" and pd3.sig_package.text() == "Data package: Not signed."


@pytest_export
def test_export_signing_cancelled_at_the_passphrase(controller, qtbot, tmp_path, answers, fail_keyring):
    from desktop.ui.export_dialog import ExportDialog

    identity.create_identity(NAME_ZH, NAME_EN, "KH", storage="file", passphrase=PASSPHRASE)
    path = demo_project("moe-core-course", tmp_path / "x.dossier")
    win = controller.open_path(path)
    dlg = ExportDialog(win.session, win)
    qtbot.addWidget(dlg)
    assert dlg.sign.isEnabled() and dlg.sign.isChecked()
    assert "passphrase" in dlg.sign_note.text()
    out = tmp_path / "out"
    out.mkdir()
    dlg.folder.setText(str(out))
    answers.passphrases.append(None)
    assert dlg.start_export() is None  # cancelled before anything started
    assert dlg.job is None and not list(out.iterdir())
    assert len(answers.prompts) == 1 and not answers.messages
    # the user unticks signing: an unsigned export, no passphrase asked
    dlg.sign.setChecked(False)
    job = dlg.start_export()
    _wait(qtbot, job)
    assert not dlg.result.signed and dlg.signed_fp.isHidden()
    assert len(answers.prompts) == 1
