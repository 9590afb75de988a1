"""The desk's dialogs: a new review file, a package's state, returning a package for revision,
the trust list, and the report of an intake (what was refused and why)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...review import STATE_LABELS, TRANSITIONS
from ..dialogs import message, show_error
from ..i18n import lang
from ..settings import Settings


def _path_row(parent: QWidget, edit: QLineEdit, browse) -> QHBoxLayout:
    row = QHBoxLayout()
    btn = QPushButton(QCoreApplication.translate("ReviewDialogs", "Browse…"), parent)
    btn.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(btn)
    return row


class NewReviewDialog(QDialog):
    """Title, program (or any), reviewer name, where to save."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New review file"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("e.g. 2025年城市产教联合体推荐"))
        self.program = QComboBox(self)
        self.program.addItem(self.tr("(any program)"), "")
        from ...programs import all_programs

        latest = {}
        for p in all_programs():
            latest[p.id] = p
        for p in latest.values():
            self.program.addItem(p.title.get(lang()), p.id)
        self.reviewer = QLineEdit(self)
        self.reviewer.setPlaceholderText(self.tr("Your office, as the applicants should read it on review notes"))
        self.file = QLineEdit(self)
        folder = Path(Settings().last_folder())
        self.file.setText(str(folder / self.tr("review.dreview")))
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Program:"), self.program)
        form.addRow(self.tr("&Reviewer:"), self.reviewer)
        form.addRow(self.tr("&Save as:"), _path_row(self, self.file, self._browse))
        self.hint = QLabel(self.tr("Packages are copied into the review file, so it can be handed to a colleague as "
                                   "one file."), self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        form.addRow(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.title.textChanged.connect(lambda _t: self._update())
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.title.text().strip()))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the review file as"), self.file.text(),
                                              self.tr("Review files (*.dreview)"))
        if path:
            self.file.setText(path if path.lower().endswith(".dreview") else path + ".dreview")

    def values(self) -> tuple[str, str, str, Path]:
        p = Path(self.file.text().strip())
        if not p.name.lower().endswith(".dreview"):
            p = p.with_name(p.name + ".dreview")
        return self.title.text().strip(), self.program.currentData() or "", self.reviewer.text().strip(), p


class StateDialog(QDialog):
    """The next review state and its reason (required for “returned” and “not accepted”, and to
    reopen a decided package)."""

    def __init__(self, rec, parent=None):
        super().__init__(parent)
        self.rec = rec
        self.setWindowTitle(self.tr("Review state of package {id}").format(id=rec.id))
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        L = lang()
        form.addRow(self.tr("Now:"), QLabel(STATE_LABELS[rec.state].get(L), self))
        self.state = QComboBox(self)
        for s in TRANSITIONS[rec.state]:
            self.state.addItem(STATE_LABELS[s].get(L), s)
        self.reason = QPlainTextEdit(self)
        self.reason.setMaximumHeight(100)
        self.reason.setPlaceholderText(self.tr("Why (kept in the package's history)"))
        form.addRow(self.tr("&New state:"), self.state)
        form.addRow(self.tr("&Reason:"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> tuple[str, str]:
        return self.state.currentData(), self.reason.toPlainText().strip()


class ReturnDialog(QDialog):
    """Return for revision: the covering message, where the notes file goes, signed or not."""

    def __init__(self, rec, n_notes: int, parent=None):
        super().__init__(parent)
        self.rec = rec
        self.setWindowTitle(self.tr("Return for revision"))
        self.setMinimumWidth(600)
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("{n} note(s) on package {id} from {applicant} go out in a review notes file. Send the "
                               "file to the applicant (e-mail, USB stick); they import it with “Import reviewer "
                               "notes…”.").format(n=n_notes, id=rec.id, applicant=rec.applicant or rec.source_name), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.message = QPlainTextEdit(self)
        self.message.setMaximumHeight(110)
        self.message.setPlaceholderText(self.tr("A covering message, e.g. 请于两周内补充材料后重新提交"))
        self.file = QLineEdit(self)
        safe = "".join(c for c in (rec.applicant or "package") if c not in '<>:"/\\|?*').strip() or "package"
        suffix = self.tr("review-notes")  # part of the suggested file name
        self.file.setText(str(Path(Settings().last_folder()) / f"{safe}_{suffix}.dossier-notes"))
        self.sign = QCheckBox(self.tr("&Sign with my institution identity"), self)
        self.sign_note = QLabel(self)
        self.sign_note.setObjectName("hint")
        self.sign_note.setWordWrap(True)
        form.addRow(self.tr("&Message:"), self.message)
        form.addRow(self.tr("&Save as:"), _path_row(self, self.file, self._browse))
        form.addRow(self.sign)
        form.addRow(self.sign_note)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Write the notes file"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._identity()

    def _identity(self) -> None:
        from ...identity import load_identity

        try:
            ident = load_identity()
        except Exception:  # noqa: BLE001 - a broken identity: not signable here
            ident = None
        self.sign.setEnabled(ident is not None)
        self.sign.setChecked(ident is not None)
        self.sign_note.setText(self.tr("Signs as {name}, fingerprint {fp}.").format(name=ident.display_name,
                                                                                  fp=ident.display_fingerprint)
                               if ident is not None else
                               self.tr("There is no institution identity on this computer: the notes file will not "
                                       "be signed (Settings → Institution identity)."))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the review notes as"), self.file.text(),
                                              self.tr("Review notes (*.dossier-notes)"))
        if path:
            self.file.setText(path)

    def values(self) -> tuple[str, Path, bool]:
        return self.message.toPlainText().strip(), Path(self.file.text().strip()), self.sign.isChecked()


class TrustDialog(QDialog):
    """The review's trust list: identities (certificate fingerprints) whose signatures count as trusted."""

    def __init__(self, review_path, parent=None):
        super().__init__(parent)
        self.review_path = review_path
        self.changed = False
        self.setWindowTitle(self.tr("Trusted signers"))
        self.setMinimumSize(640, 360)
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Packages signed by these identities are “intact”; packages signed by anyone else are "
                               "“signed by an untrusted identity”. Add the certificate the institution gave you (or a "
                               "package's signer-cert.pem after checking its fingerprint with them by phone)."), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.list = QListWidget(self)
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_cert = QPushButton(self.tr("Add &certificate…"), self)
        self.add_fp = QPushButton(self.tr("Add &fingerprint…"), self)
        self.remove = QPushButton(self.tr("&Remove"), self)
        close = QPushButton(self.tr("Close"), self)
        for b in (self.add_cert, self.add_fp, self.remove):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.add_cert.clicked.connect(self._add_cert)
        self.add_fp.clicked.connect(self._add_fp)
        self.remove.clicked.connect(self._remove)
        close.clicked.connect(self.accept)
        self.reload()

    def _open(self, readonly=True):
        from ...review import Review

        return Review.open(self.review_path, readonly=readonly)

    def reload(self) -> None:
        from ...identity.model import format_fingerprint

        self.list.clear()
        with self._open() as rv:
            entries = rv.trust_list()
            ro = rv.readonly
        for t in entries:
            it = QListWidgetItem(f"{t.label or '—'}\n{format_fingerprint(t.fingerprint)}")
            it.setData(Qt.ItemDataRole.UserRole, t.fingerprint)
            self.list.addItem(it)
        for b in (self.add_cert, self.add_fp, self.remove):
            b.setEnabled(not ro)

    def _do(self, fn) -> None:
        try:
            with self._open(readonly=False) as rv:
                fn(rv)
        except Exception as e:  # noqa: BLE001 - bad certificate, malformed fingerprint: the core's message
            show_error(self, self.tr("Trusted signers"), e)
            return
        self.changed = True
        self.reload()

    def _add_cert(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("A signer's certificate"), Settings().last_folder(),
                                              self.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"))
        if path:
            self._do(lambda rv: rv.add_trust(certificate=path))

    def _add_fp(self) -> None:
        fp, ok = QInputDialog.getText(self, self.tr("Trust a fingerprint"),
                                      self.tr("SHA-256 fingerprint (64 hexadecimal digits, spaces allowed):"))
        if not ok or not fp.strip():
            return
        label, _ok = QInputDialog.getText(self, self.tr("Trust a fingerprint"), self.tr("Whose is it?"))
        self._do(lambda rv: rv.add_trust(fingerprint=fp, label=label.strip()))

    def _remove(self) -> None:
        it = self.list.currentItem()
        if it is not None:
            self._do(lambda rv: rv.remove_trust(it.data(Qt.ItemDataRole.UserRole)))


def intake_report(parent, result) -> None:
    """After an intake: how many were taken in and, one per line, what was refused and why."""
    L = lang()
    n = len(result.added)
    text = QCoreApplication.translate("DeskWindow", "Packages taken in: {n}.").format(n=n)
    if result.refused:
        k = len(result.refused)
        text += " " + QCoreApplication.translate("DeskWindow", "Files refused: {n} (nothing of them was recorded).").format(n=k)
        details = "\n".join(f"{Path(r.path).name}: {r.text(L)}" for r in result.refused)
        title = QCoreApplication.translate("DeskWindow", "Add packages")
        message(parent, "warning", title, text, details[:2000], details)
    elif n == 0:
        title = QCoreApplication.translate("DeskWindow", "Add packages")
        message(parent, "info", title, QCoreApplication.translate("DeskWindow", "No packages (.zip) were found there."))
