"""Settings → Institution identity (issue #5's UI): show, create, back up, move and delete the key
that signs exports; and `obtain_sealer()`, which the export dialog calls before it starts a signed
export. All the work is desktop.identity's (no Qt there); this module asks and shows.

- The fingerprint is shown large, in a monospace font, in four lines of four groups, selectable,
  with a Copy button: it is what a reviewer confirms over the phone.
- Core calls that may wait for the OS keyring (it can show its own unlock/permission prompt) or run
  the passphrase KDF go through `run_core()`: the call runs on a worker.Job thread while a local
  event loop keeps the window painting (a progress note appears only if it takes a while). The
  result or the core's IdentityError comes back to the caller on the UI thread.
- Every IdentityError is shown by dialogs.show_error in the UI language (the core's zh/en text).
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import re
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..identity.model import IdentityError, Label, backend_label, format_fingerprint
from . import passphrase as pp
from .dialogs import message, show_error
from .i18n import lang
from .settings import Settings
from .sizing import keep_fitting
from .worker import Job

# China and the ASEAN member states (ISO 3166-1 alpha-2); Timor-Leste joined ASEAN in October 2025.
COUNTRY_CODES = ("CN", "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN")


def country_names() -> dict[str, str]:
    """Country names in the UI language (built on each call: the language can change)."""
    return {
        "CN": QCoreApplication.translate("Countries", "China"),
        "BN": QCoreApplication.translate("Countries", "Brunei Darussalam"),
        "KH": QCoreApplication.translate("Countries", "Cambodia"),
        "ID": QCoreApplication.translate("Countries", "Indonesia"),
        "LA": QCoreApplication.translate("Countries", "Lao PDR"),
        "MY": QCoreApplication.translate("Countries", "Malaysia"),
        "MM": QCoreApplication.translate("Countries", "Myanmar"),
        "PH": QCoreApplication.translate("Countries", "Philippines"),
        "SG": QCoreApplication.translate("Countries", "Singapore"),
        "TH": QCoreApplication.translate("Countries", "Thailand"),
        "TL": QCoreApplication.translate("Countries", "Timor-Leste"),
        "VN": QCoreApplication.translate("Countries", "Viet Nam"),
    }


def country_text(code: str) -> str:
    name = country_names().get(code)
    return f"{name} ({code})" if name else code


# ------------------------------------------------------------------------------ core calls


class PromptCancelled(Exception):
    """The user cancelled a passphrase prompt: nothing was done."""


def run_core(parent: QWidget | None, fn: Callable[[], Any], label: str) -> Any:
    """Run `fn()` (a desktop.identity call that may wait for the OS keyring or run the KDF) on a
    worker.Job thread, keeping the UI painting; return its result or raise its exception here.

    The progress note has no Cancel button: a keyring call cannot be interrupted, and answering a
    prompt of the keyring is the way out."""
    job = Job(lambda _task, _project: fn())
    loop = QEventLoop()
    job.finished.connect(lambda _outcome: loop.quit())
    job.start(parent, label, show_after_ms=300)
    if job.dialog is not None:
        job.dialog.setCancelButton(None)
    if not job.done:
        loop.exec()
    if job.outcome == "ok":
        return job.result
    raise job.error if job.error is not None else RuntimeError("cancelled")


def one_at_a_time(method):
    """For a dialog's action: ignore a second click while the first is still waiting (run_core keeps
    the event loop running, so the window stays clickable until its progress note shows)."""

    @functools.wraps(method)
    def action(self):
        if getattr(self, "_busy", False):
            return None
        self._busy = True
        try:
            return method(self)
        finally:
            self._busy = False

    return action


def keyring_wait_text() -> str:
    return QCoreApplication.translate("IdentityDialog", "Waiting for the system keyring… If it asks for permission "
                                      "or for a password, answer it.")


def with_key_passphrase(parent: QWidget | None, fn: Callable[[str | None], Any], *, ask_first: bool, name: str,
                        purpose: str) -> Any:
    """Call `fn(passphrase)` for the stored key, asking for the passphrase when the core says
    identity.passphrase_required (or at once with `ask_first`) and again, with the core's message,
    on identity.wrong_passphrase. Raises PromptCancelled when the user gives up, other errors as they come."""
    title = QCoreApplication.translate("IdentityDialog", "Passphrase of the institution identity")
    text = QCoreApplication.translate("IdentityDialog", "The private key of “{name}” is kept encrypted with a passphrase "
                                      "on this computer. Enter the passphrase to {purpose}.").format(name=name, purpose=purpose)
    pw: str | None = None
    error = ""
    if ask_first:
        pw = pp.ask_passphrase(parent, title, text)
        if pw is None:
            raise PromptCancelled()
    while True:
        label = (QCoreApplication.translate("IdentityDialog", "Unlocking the key…") if pw is not None
                 else keyring_wait_text())
        try:
            return run_core(parent, lambda: fn(pw), label)
        except IdentityError as e:
            if e.key == "identity.passphrase_required":
                error = ""
            elif e.key == "identity.wrong_passphrase" and pw is not None:
                error = e.text(lang())
            else:
                raise
        pw = pp.ask_passphrase(parent, title, text, error=error)
        if pw is None:
            raise PromptCancelled()


def obtain_sealer(parent: QWidget | None):
    """The sealer for a signed export (asks for the passphrase of a passphrase-stored key), or None
    when the user cancelled or the core refused (its message has been shown)."""
    from ..identity import get_sealer, load_identity

    title = QCoreApplication.translate("IdentityDialog", "Sign with institution identity")
    try:
        ident = load_identity()
        # a passphrase-stored key: ask here (get_sealer(None) would consult the terminal prompt of the CLI)
        ask_first = ident is not None and ident.storage == "file"
        purpose = QCoreApplication.translate("IdentityDialog", "sign the export")
        return with_key_passphrase(parent, lambda pw: get_sealer(pw), ask_first=ask_first,
                                   name=ident.name if ident else "", purpose=purpose)
    except PromptCancelled:
        return None
    except Exception as e:  # noqa: BLE001 - every core error is shown, the export does not start
        show_error(parent, title, e)
        return None


def confirm(parent: QWidget | None, title: str, text: str, informative: str, yes_text: str) -> bool:
    """A warning question whose safe answer (Cancel) is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(informative)
    box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
    r = box.exec()
    return r == QMessageBox.StandardButton.Yes


def _date(iso: str) -> str:
    return (iso or "")[:10]


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".。!！?？）)" else text + "."


# ------------------------------------------------------------------------------ widgets


def monospace_font(base: QFont, scale: float = 1.6) -> QFont:
    f = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    f.setStyleHint(QFont.StyleHint.Monospace)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    f.setPointSizeF(max(15.0, size * scale))
    f.setBold(True)
    return f


class FingerprintView(QWidget):
    """A SHA-256 fingerprint in 16 groups of four hex digits (four lines of four), large and
    monospace, selectable with the mouse and the keyboard, with a Copy button (one line)."""

    copied = Signal(str)

    def __init__(self, parent=None, *, copy_button: bool = True):
        super().__init__(parent)
        self.display = ""
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setObjectName("fingerprint")
        self.label.setFont(monospace_font(self.label.font()))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.label.setStyleSheet("QLabel#fingerprint { background: palette(base); border: 1px solid #dadce0; "
                                 "padding: 8px 12px; color: #1a3d6d; }")
        self.copy_btn = QPushButton(self)
        self.copy_btn.clicked.connect(self.copy)
        self.copy_btn.setVisible(copy_button)
        lay.addWidget(self.label, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.copy_btn, 0, Qt.AlignmentFlag.AlignTop)
        lay.addStretch(1)
        self.retranslate()

    def set_fingerprint(self, fingerprint: str | None) -> None:
        self.display = format_fingerprint(fingerprint) if fingerprint else ""
        groups = self.display.split()
        self.label.setText("\n".join(" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4)))
        self.label.setAccessibleDescription(self.display)
        self.copy_btn.setEnabled(bool(self.display))

    def copy(self) -> None:
        if self.display:
            QGuiApplication.clipboard().setText(self.display)
            self.copied.emit(self.display)

    def retranslate(self) -> None:
        self.label.setAccessibleName(self.tr("SHA-256 fingerprint"))
        self.copy_btn.setText(self.tr("Co&py fingerprint"))
        self.copy_btn.setAccessibleName(self.tr("Copy the fingerprint"))
        self.copy_btn.setToolTip(self.tr("Copy the fingerprint as one line, to paste it into an e-mail or a letter"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


# ------------------------------------------------------------------------------ create


class CreateIdentityDialog(QDialog):
    """The form for a new identity: names, country, contact, and where the key is kept (the OS
    keyring, or — when there is none, or by choice — a passphrase-encrypted file)."""

    def __init__(self, parent=None, status=None, applicant: tuple[str, str] = ("", "")):
        super().__init__(parent)
        from ..identity import storage_status

        self.status = status if status is not None else storage_status()
        self.created = None  # the new Identity
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)

        form = QFormLayout()
        self.name_zh = QLineEdit(self)
        self.name_zh.setMaxLength(64)
        self.name_en = QLineEdit(self)
        self.name_en.setMaxLength(128)
        self.country = QComboBox(self)
        for code in COUNTRY_CODES:
            self.country.addItem(code, code)
        self.contact = QLineEdit(self)
        self.contact.setMaxLength(200)
        self.name_zh_label, self.name_en_label = QLabel(self), QLabel(self)
        self.country_label, self.contact_label = QLabel(self), QLabel(self)
        for lab, w in ((self.name_zh_label, self.name_zh), (self.name_en_label, self.name_en),
                       (self.country_label, self.country), (self.contact_label, self.contact)):
            lab.setBuddy(w)
            form.addRow(lab, w)
        lay.addLayout(form)

        self.storage_box = QGroupBox(self)
        sl = QVBoxLayout(self.storage_box)
        self.storage_note = QLabel(self.storage_box)
        self.storage_note.setWordWrap(True)
        self.keyring_radio = QRadioButton(self.storage_box)
        self.file_radio = QRadioButton(self.storage_box)
        self.storage_group = QButtonGroup(self)
        self.storage_group.addButton(self.keyring_radio)
        self.storage_group.addButton(self.file_radio)
        self.storage_group.buttonToggled.connect(lambda *_a: self._update())
        self.file_note = QLabel(self.storage_box)
        self.file_note.setObjectName("hint")
        self.file_note.setWordWrap(True)
        self.passphrase = pp.NewPassphraseFields(self.storage_box)
        self.passphrase.changed.connect(self._update)
        sl.addWidget(self.storage_note)
        sl.addWidget(self.keyring_radio)
        sl.addWidget(self.file_radio)
        sl.addWidget(self.file_note)
        sl.addWidget(self.passphrase)
        lay.addWidget(self.storage_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        for w in (self.name_zh, self.name_en, self.contact):
            w.textChanged.connect(lambda _t: self._update())
        self._apply_status(initial=True)
        self.prefill(*applicant)
        self.retranslate()
        keep_fitting(self, 600)  # the passphrase fields appear later: the dialog grows to hold them
        self.name_zh.setFocus()

    def prefill(self, name: str, name_en: str = "") -> None:
        """The applicant of the open project is usually the institution: its names go in the form
        (a Chinese name in the Chinese field, a Latin one in the English field), to be checked."""
        name, name_en = (name or "").strip(), (name_en or "").strip()
        if name and re.search(r"[\u3400-\u9fff]", name):
            self.name_zh.setText(name[: self.name_zh.maxLength()])
        elif name and not name_en:
            name_en = name
        if name_en:
            self.name_en.setText(name_en[: self.name_en.maxLength()])

    def _apply_status(self, initial: bool = False) -> None:
        secure = self.status.secure_keyring
        self.keyring_radio.setEnabled(secure)
        if secure and initial:
            self.keyring_radio.setChecked(True)
        if not secure and self.keyring_radio.isChecked():
            self.storage_group.setExclusive(False)
            self.keyring_radio.setChecked(False)
            self.storage_group.setExclusive(True)

    def storage(self) -> str | None:
        if self.keyring_radio.isChecked():
            return "keyring"
        if self.file_radio.isChecked():
            return "file"
        return None

    def _update(self) -> None:
        st = self.storage()
        self.passphrase.setVisible(st == "file")
        self.file_note.setVisible(st == "file")
        named = bool(self.name_zh.text().strip() or self.name_en.text().strip())
        self.ok.setEnabled(named and st is not None and (st == "keyring" or self.passphrase.is_valid()))

    @one_at_a_time
    def accept(self) -> None:
        from ..identity import create_identity, storage_status

        st = self.storage()
        if not self.ok.isEnabled() or st is None:
            return
        zh, en = self.name_zh.text().strip(), self.name_en.text().strip()
        country, contact = self.country.currentData(), self.contact.text().strip()
        pw = self.passphrase.passphrase() if st == "file" else None
        label = keyring_wait_text() if st == "keyring" else self.tr("Creating the key and encrypting it…")
        try:
            ident = run_core(self, lambda: create_identity(zh, en, country, contact, storage=st, passphrase=pw), label)
        except IdentityError as e:
            if e.key == "identity.no_secure_storage":  # the keyring went away since the dialog opened
                self.status = storage_status()
                self._apply_status()
                self.retranslate()
            show_error(self, self.tr("Cannot create the institution identity"), e)
            return
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Cannot create the institution identity"), e)
            return
        self.created = ident
        self.passphrase.clear()
        super().accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Create the institution identity"))
        self.intro.setText(self.tr(
            "The identity is a key that signs your exports, and a certificate that says whose key it is. The names, "
            "country and contact are written into the certificate, which reviewers see."))
        self.name_zh_label.setText(self.tr("Name in &Chinese:"))
        self.name_en_label.setText(self.tr("Name in &English:"))
        self.country_label.setText(self.tr("Co&untry or region:"))
        self.contact_label.setText(self.tr("Con&tact (phone or e-mail):"))
        self.name_zh.setPlaceholderText(self.tr("e.g. 柳州职业技术学院"))
        self.name_en.setPlaceholderText(self.tr("e.g. Liuzhou Vocational College"))
        self.contact.setPlaceholderText(self.tr("e.g. +86 772 1234567, international@example.edu.cn"))
        self.name_zh.setAccessibleName(self.tr("Institution name in Chinese"))
        self.name_en.setAccessibleName(self.tr("Institution name in English"))
        self.country.setAccessibleName(self.tr("Country or region"))
        self.contact.setAccessibleName(self.tr("Contact"))
        cur = self.country.currentData() or "CN"
        for i in range(self.country.count()):
            self.country.setItemText(i, country_text(self.country.itemData(i)))
        self.country.setCurrentIndex(max(0, self.country.findData(cur)))
        self.storage_box.setTitle(self.tr("Where to keep the private key"))
        if self.status.secure_keyring:
            backend = backend_label(self.status.backend).get(lang())
            self.keyring_radio.setText(self.tr("In the system &keyring: {backend} (recommended)").format(backend=backend))
            self.storage_note.setText(self.tr("The operating system protects the key; no passphrase is needed to sign."))
            self.storage_note.setObjectName("hint")
        else:
            self.keyring_radio.setText(self.tr("In the system &keyring (not available on this computer)"))
            self.storage_note.setText(Label(self.status.message.zh, self.status.message.en).get(lang()))
            self.storage_note.setObjectName("notice")
        self.storage_note.style().unpolish(self.storage_note)  # the style sheet selects by object name
        self.storage_note.style().polish(self.storage_note)
        self.file_radio.setText(self.tr("Encrypted with a passphrase, in my user data &folder"))
        self.keyring_radio.setAccessibleName(self.tr("Keep the key in the system keyring"))
        self.file_radio.setAccessibleName(self.tr("Keep the key in a file encrypted with a passphrase"))
        self.file_note.setText(self.tr("You will need this passphrase for every signature. It cannot be recovered if "
                                       "forgotten: export a backup after creating the identity."))
        self.ok.setText(self.tr("Create &identity"))
        self._update()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


# ------------------------------------------------------------------------------ the dialog


class IdentityDialog(QDialog):
    """Settings → Institution identity."""

    identityChanged = Signal()

    def __init__(self, parent=None, applicant: tuple[str, str] = ("", "")):
        super().__init__(parent)
        self.applicant = applicant  # the open project's applicant (zh or any, en): prefills a new identity
        self.overview: dict[str, Any] = {}
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)

        # -- the identity
        self.ident_box = QGroupBox(self)
        il = QVBoxLayout(self.ident_box)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key in ("name_zh", "name_en", "country", "contact", "validity", "created"):
            cap, val = QLabel(self.ident_box), QLabel(self.ident_box)
            val.setWordWrap(True)
            val.setTextFormat(Qt.TextFormat.PlainText)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            cap.setBuddy(val)
            form.addRow(cap, val)
            self.values[key], self.captions[key] = val, cap
        il.addLayout(form)
        self.fp_caption = QLabel(self.ident_box)
        self.fp_caption.setWordWrap(True)
        self.fingerprint = FingerprintView(self.ident_box)
        self.fp_caption.setBuddy(self.fingerprint.label)
        self.expired = QLabel(self.ident_box)
        self.expired.setObjectName("error")
        self.expired.setWordWrap(True)
        il.addWidget(self.fp_caption)
        il.addWidget(self.fingerprint)
        il.addWidget(self.expired)
        lay.addWidget(self.ident_box)

        # -- no identity yet / damaged
        self.none_label = QLabel(self)
        self.none_label.setWordWrap(True)
        self.none_label.setObjectName("notice")
        lay.addWidget(self.none_label)
        self.problem = QLabel(self)
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.problem)

        # -- where the key is kept
        self.storage_box = QGroupBox(self)
        sl = QVBoxLayout(self.storage_box)
        self.storage_text = QLabel(self.storage_box)
        self.storage_text.setWordWrap(True)
        self.storage_warning = QLabel(self.storage_box)
        self.storage_warning.setObjectName("notice")
        self.storage_warning.setWordWrap(True)
        sl.addWidget(self.storage_text)
        sl.addWidget(self.storage_warning)
        lay.addWidget(self.storage_box)

        # -- actions
        row = QHBoxLayout()
        self.create_btn = QPushButton(self)
        self.import_btn = QPushButton(self)
        self.export_btn = QPushButton(self)
        self.cert_btn = QPushButton(self)
        self.delete_btn = QPushButton(self)
        self.card_btn = QPushButton(self)  # issue #12: the encryption key card (desktop/ui/transport)
        self.card_btn.clicked.connect(lambda: self.save_key_card())
        self.create_btn.clicked.connect(lambda: self.create())
        self.import_btn.clicked.connect(lambda: self.import_backup())
        self.export_btn.clicked.connect(lambda: self.export_backup())
        self.cert_btn.clicked.connect(lambda: self.export_certificate())
        self.delete_btn.clicked.connect(lambda: self.delete())
        for b in (self.create_btn, self.import_btn, self.export_btn, self.cert_btn, self.card_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.delete_btn)
        lay.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        keep_fitting(self, 680)
        self.refresh()

    # ------------------------------------------------------------ state

    @property
    def identity(self) -> dict[str, Any] | None:
        return self.overview.get("identity")

    def refresh(self) -> None:
        from ..identity import overview

        try:
            self.overview = overview()
        except Exception as e:  # noqa: BLE001 - a broken keyring configuration: say so, stay usable
            self.overview = {"identity": None, "storage": None, "delete_consequences": None,
                             "error": {"zh": str(e), "en": str(e), "key": "identity.unavailable"}}
        self.retranslate()

    def _render(self) -> None:
        L = lang()
        ident = self.identity
        err = self.overview.get("error")
        st = self.overview.get("storage") or {}
        has = ident is not None
        self.ident_box.setVisible(has)
        self.none_label.setVisible(not has and not err)
        self.problem.setVisible(bool(err))
        self.problem.setText(Label(err["zh"], err["en"]).get(L) if err else "")
        self.create_btn.setVisible(not has and not err)
        for b in (self.export_btn, self.cert_btn, self.card_btn):
            b.setVisible(has)
        self.delete_btn.setVisible(has or bool(err))  # damaged files can be removed too
        if has:
            v = self.values
            v["name_zh"].setText(ident["name_zh"] or "—")
            v["name_en"].setText(ident["name_en"] or "—")
            v["country"].setText(country_text(ident["country"]))
            v["contact"].setText(ident["contact"] or "—")
            v["validity"].setText(self.tr("{start} to {end}").format(start=_date(ident["not_before"]),
                                                                     end=_date(ident["not_after"])))
            v["created"].setText((ident.get("created_at") or "")[:16].replace("T", " ") or "—")
            self.fingerprint.set_fingerprint(ident["fingerprint"])
            expired = False
            try:
                expired = _dt.datetime.fromisoformat(ident["not_after"]) < _dt.datetime.now(_dt.timezone.utc)
            except (TypeError, ValueError):
                pass
            self.expired.setVisible(expired)
            self.expired.setText(self.tr("This certificate has expired: exports can no longer be signed with it. "
                                         "Delete it and create a new identity.") if expired else "")
            self.storage_text.setText(_sentence(Label.of(ident["storage_text"]).get(L)))
            keyring_gone = ident["storage"] == "keyring" and st and not st.get("secure_keyring")
            self.storage_warning.setVisible(bool(keyring_gone))
            self.storage_warning.setText(
                self.tr("The system keyring is not available now, so this identity cannot sign until it is (for "
                        "example after you log in to the desktop session).") if keyring_gone else "")
        else:
            msg = Label.of(st.get("message")) if st else None
            self.storage_text.setText(msg.get(L) if msg and st.get("secure_keyring") else "")
            self.storage_text.setVisible(bool(msg and st.get("secure_keyring")))
            self.storage_warning.setVisible(bool(msg and not st.get("secure_keyring")))
            self.storage_warning.setText(msg.get(L) if msg and not st.get("secure_keyring") else "")
        if has:
            self.storage_text.setVisible(True)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Institution identity"))
        self.intro.setText(self.tr(
            "The institution identity signs the PDF and the data package you export, so reviewers can check "
            "offline that they come from your institution and were not changed. Reviewers trust it by its "
            "fingerprint, which you tell them through a second channel (read it aloud over the phone, or put it in "
            "an official letter)."))
        self.ident_box.setTitle(self.tr("This computer's institution identity"))
        caps = {"name_zh": self.tr("Name in Chinese:"), "name_en": self.tr("Name in English:"),
                "country": self.tr("Country or region:"), "contact": self.tr("Contact:"),
                "validity": self.tr("Certificate valid:"), "created": self.tr("Created:")}
        for k, t in caps.items():
            self.captions[k].setText(t)
            self.values[k].setAccessibleName(t.rstrip(":："))
        self.fp_caption.setText(self.tr("SHA-256 fi&ngerprint (reviewers compare it with the one in your signed "
                                        "files):"))
        self.none_label.setText(self.tr("There is no institution identity on this computer yet. Create one, or "
                                        "import the backup (.p12) made on another computer. Exports can be signed "
                                        "once there is an identity."))
        self.storage_box.setTitle(self.tr("Where the private key is kept"))
        self.create_btn.setText(self.tr("&Create…"))
        self.create_btn.setToolTip(self.tr("Create a new institution identity on this computer"))
        self.import_btn.setText(self.tr("&Import backup…"))
        self.import_btn.setToolTip(self.tr("Install the identity from a backup file (.p12)"))
        self.export_btn.setText(self.tr("Export &backup…"))
        self.export_btn.setToolTip(self.tr("Save the key and certificate as a passphrase-protected backup (.p12)"))
        self.cert_btn.setText(self.tr("Export certi&ficate…"))
        self.card_btn.setText(self.tr("Encryption &key card…"))
        self.card_btn.setToolTip(self.tr("A printable card with your encryption key (age), its QR code and fingerprint, "
                                         "for applicants to encrypt their packages to you"))
        self.cert_btn.setToolTip(self.tr("Save the public certificate (no secret) to send to reviewers"))
        self.delete_btn.setText(self.tr("&Delete…"))
        self.delete_btn.setToolTip(self.tr("Remove the identity and its key from this computer"))
        self._render()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def _changed(self) -> None:
        self.refresh()
        self.identityChanged.emit()

    def _name(self) -> str:
        ident = self.identity or {}
        return ident.get("name_zh") or ident.get("name_en") or ""

    def _suggested(self, suffix: str) -> str:
        ident = self.identity or {}
        base = ident.get("name_en") or ident.get("name_zh") or "identity"
        safe = "".join(c for c in base if c not in '<>:"/\\|?*').strip().replace(" ", "-") or "identity"
        return str(Path(Settings().last_folder()) / f"{safe}{suffix}")

    # ------------------------------------------------------------ actions

    @one_at_a_time
    def create(self) -> None:
        from ..identity import storage_status

        try:
            status = storage_status()
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Cannot create the institution identity"), e)
            return
        dlg = CreateIdentityDialog(self, status, applicant=self.applicant)
        dlg.exec()
        if dlg.created is not None:
            self._changed()
            self.fingerprint.copy_btn.setFocus()

    @one_at_a_time
    def export_backup(self) -> None:
        from ..identity import export_pkcs12

        ident = self.identity
        if ident is None:
            return
        title = self.tr("Export a backup of the institution identity")
        path, _ = QFileDialog.getSaveFileName(self, title, self._suggested("-identity-backup.p12"),
                                              self.tr("Identity backups (*.p12)"))
        if not path:
            return
        p = Path(path)
        if p.suffix.lower() not in (".p12", ".pfx"):
            p = p.with_name(p.name + ".p12")
        pw = pp.ask_new_passphrase(
            self, self.tr("Passphrase for the backup"),
            self.tr("Choose a passphrase that protects the backup. Anyone who has both the file and the passphrase "
                    "can sign as your institution: keep them apart (for example the file on a USB stick in a safe, "
                    "the passphrase on paper elsewhere). Without the passphrase the backup cannot be used."),
            ok_text=self.tr("&Export backup"))
        if pw is None:
            return
        try:
            with_key_passphrase(self, lambda kp: export_pkcs12(p, pw, key_passphrase=kp),
                                ask_first=ident["storage"] == "file", name=self._name(),
                                purpose=self.tr("export the backup"))
        except PromptCancelled:
            return
        except Exception as e:  # noqa: BLE001
            show_error(self, title, e)
            return
        Settings().set_last_folder(p.parent)
        from ..identity.pkcs12 import age_backup_path

        side = age_backup_path(p)
        if side.is_file():
            message(self, "info", title, self.tr("The backup was saved to {path}, and the encryption key beside it "
                                                 "to {side}.").format(path=p, side=side.name),
                    self.tr("Keep the two files together, offline and apart from their passphrase. To move the identity "
                            "to another computer, use Import backup there (the encryption key is found beside the "
                            "backup)."))
        else:
            message(self, "info", title, self.tr("The backup was saved to {path}.").format(path=p),
                    self.tr("Keep it offline and apart from its passphrase. To move the identity to another computer, "
                            "use Import backup there."))

    @one_at_a_time
    def save_key_card(self):
        from .transport.keycard import save_key_card

        return save_key_card(self, Path(self._suggested("-key-card.pdf")).name if self.identity else "")

    def export_certificate(self) -> None:
        from ..identity import export_certificate

        if self.identity is None:
            return
        title = self.tr("Export the certificate for reviewers")
        path, _ = QFileDialog.getSaveFileName(self, title, self._suggested("-certificate.pem"),
                                              self.tr("Certificates (*.pem);;All files (*)"))
        if not path:
            return
        try:
            out = export_certificate(path)
        except Exception as e:  # noqa: BLE001
            show_error(self, title, e)
            return
        Settings().set_last_folder(Path(out).parent)
        message(self, "info", title, self.tr("The certificate was saved to {path}.").format(path=out),
                self.tr("It holds no secret. Send it to reviewers, and tell them the fingerprint through another "
                        "channel (for example over the phone) so they can check the certificate is yours."))

    @one_at_a_time
    def import_backup(self) -> None:
        from ..identity import delete_consequences, import_pkcs12, storage_status

        title = self.tr("Import a backup of the institution identity")
        replace = False
        if self.identity is not None:
            try:
                cons = delete_consequences().get(lang())
            except Exception:  # noqa: BLE001
                cons = ""
            if not confirm(self, title, self.tr("This computer already has an institution identity, “{name}”. "
                                                "Importing a backup of another identity replaces it.").format(name=self._name()),
                           cons, self.tr("&Replace")):
                return
            replace = True
        path, _ = QFileDialog.getOpenFileName(self, title, Settings().last_folder(),
                                              self.tr("Identity backups (*.p12 *.pfx);;All files (*)"))
        if not path:
            return
        p = Path(path)
        pw_title = self.tr("Passphrase of the backup")
        pw_text = self.tr("Enter the passphrase chosen when the backup {file} was made.").format(file=p.name)
        pw = pp.ask_passphrase(self, pw_title, pw_text)
        if pw is None:
            return
        storage, key_pw = "auto", None
        try:
            status = storage_status()
        except Exception as e:  # noqa: BLE001
            show_error(self, title, e)
            return
        if not status.secure_keyring:
            key_pw = self._ask_storage_passphrase(status.message)
            if key_pw is None:
                return
            storage = "file"
        while True:
            label = keyring_wait_text() if storage != "file" else self.tr("Importing and encrypting the key…")
            try:
                ident = run_core(self, lambda: import_pkcs12(p, pw, storage=storage, key_passphrase=key_pw,
                                                             replace=replace), label)
                break
            except IdentityError as e:
                if e.key == "identity.wrong_passphrase":
                    pw = pp.ask_passphrase(self, pw_title, pw_text, error=e.text(lang()))
                    if pw is None:
                        return
                    continue
                if e.key == "identity.no_secure_storage" and storage != "file":
                    key_pw = self._ask_storage_passphrase(Label(e.zh, e.en))
                    if key_pw is None:
                        return
                    storage = "file"
                    continue
                show_error(self, title, e)
                return
            except Exception as e:  # noqa: BLE001
                show_error(self, title, e)
                return
        Settings().set_last_folder(p.parent)
        self._changed()
        from ..identity.pkcs12 import age_backup_path

        detail = self.tr("Fingerprint: {fingerprint}").format(fingerprint=ident.display_fingerprint)
        if age_backup_path(p).is_file():
            detail += "\n" + self.tr("The encryption key was restored from {side}.").format(side=age_backup_path(p).name)
        message(self, "info", title, self.tr("The institution identity “{name}” was imported.").format(name=ident.name),
                detail)

    def _ask_storage_passphrase(self, why: Label) -> str | None:
        return pp.ask_new_passphrase(
            self, self.tr("No secure keyring: protect the key with a passphrase"),
            why.get(lang()) + "\n\n" + self.tr("Choose the passphrase for the key on this computer. You will need it "
                                               "for every signature."))

    @one_at_a_time
    def delete(self) -> None:
        from ..identity import delete_identity

        title = self.tr("Delete the institution identity")
        if self.identity is None:
            if not self.overview.get("error"):
                return
            # damaged identity files block creating or importing one: let the user remove them
            if not confirm(self, title, self.tr("Remove the damaged institution identity files from this computer?"),
                           self.tr("Afterwards you can import a backup (.p12) or create a new identity."),
                           self.tr("&Remove files")):
                return
            try:
                done = run_core(self, delete_identity, keyring_wait_text())
            except Exception as e:  # noqa: BLE001
                show_error(self, title, e)
                return
            self._changed()
            message(self, "info", title, done.get(lang()))
            return
        cons = Label.of(self.overview.get("delete_consequences"))
        informative = (cons.get(lang()) + "\n\n" if cons else "") + self.tr(
            "Export a backup first if this identity may be needed again.")
        if not confirm(self, title, self.tr("Delete the institution identity “{name}” from this computer?")
                       .format(name=self._name()), informative, self.tr("&Delete identity")):
            return
        try:
            done = run_core(self, delete_identity, keyring_wait_text())
        except Exception as e:  # noqa: BLE001
            show_error(self, title, e)
            self.refresh()
            return
        self._changed()
        message(self, "info", title, done.get(lang()))


def identity_link_html(text: str) -> str:
    """A rich-text link that opens the identity dialog (see ExportDialog.sign_note)."""
    return f'<a href="identity">{html.escape(text)}</a>'
