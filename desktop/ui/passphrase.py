"""Asking for passphrases (issue #5): a new one (typed twice, long enough) or an existing one.

    pw = ask_new_passphrase(parent, title, text)          # None when cancelled
    pw = ask_passphrase(parent, title, text, error="")     # None when cancelled

Both go through PassphraseDialog.exec(), so tests answer by patching that one method. Passphrases
live only in the line edits and the returned string: never in settings, logs or messages.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..identity.model import MIN_PASSPHRASE_CHARS
from .sizing import keep_fitting


class NewPassphraseFields(QWidget):
    """A new passphrase typed twice, with a live hint: at least MIN_PASSPHRASE_CHARS characters,
    both the same. `changed` is emitted on every keystroke; `is_valid()` tells whether it may be used."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_text = QCheckBox(self)
        self.show_text.toggled.connect(self._echo)
        self.edit_label = QLabel(self)
        self.edit_label.setBuddy(self.edit)
        self.repeat_label = QLabel(self)
        self.repeat_label.setBuddy(self.repeat)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        form.addRow(self.edit_label, self.edit)
        form.addRow(self.repeat_label, self.repeat)
        form.addRow("", self.show_text)
        form.addRow("", self.status)
        self.edit.textChanged.connect(self._changed)
        self.repeat.textChanged.connect(self._changed)
        self.retranslate()

    def passphrase(self) -> str:
        return self.edit.text()

    def problem(self) -> str:
        """What is still wrong ("" when the passphrase may be used)."""
        p, r = self.edit.text(), self.repeat.text()
        if len(p) < MIN_PASSPHRASE_CHARS or not p.strip():
            return self.tr("At least {n} characters ({more} more). A short sentence is easy to remember and hard "
                           "to guess.").format(n=MIN_PASSPHRASE_CHARS, more=max(1, MIN_PASSPHRASE_CHARS - len(p)))
        if p != r:
            return self.tr("Type the same passphrase again in the second field.") if r else \
                self.tr("Repeat the passphrase in the second field.")
        return ""

    def is_valid(self) -> bool:
        return not self.problem()

    def clear(self) -> None:
        self.edit.clear()
        self.repeat.clear()

    def _echo(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        self.repeat.setEchoMode(mode)

    def _changed(self) -> None:
        self._update_status()
        self.changed.emit()

    def _update_status(self) -> None:
        prob = self.problem()
        self.status.setText(prob or self.tr("✓ The passphrase can be used."))

    def retranslate(self) -> None:
        self.edit_label.setText(self.tr("&Passphrase:"))
        self.repeat_label.setText(self.tr("&Repeat passphrase:"))
        self.show_text.setText(self.tr("&Show the passphrase"))
        self.edit.setAccessibleName(self.tr("New passphrase"))
        self.repeat.setAccessibleName(self.tr("Repeat the new passphrase"))
        self.show_text.setAccessibleName(self.tr("Show the passphrase"))
        self._update_status()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


class PassphraseDialog(QDialog):
    """Ask for a passphrase: `new=True` a new one (twice), else an existing one (once).
    `error` is shown in red above the field (e.g. "wrong passphrase, try again")."""

    def __init__(self, parent=None, *, title: str = "", text: str = "", new: bool = False, error: str = "",
                 ok_text: str = ""):
        super().__init__(parent)
        self.new = new
        self._title = title
        self._ok_text = ok_text
        lay = QVBoxLayout(self)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        self.error = QLabel(error, self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(error))
        lay.addWidget(self.text)
        lay.addWidget(self.error)
        if new:
            self.fields = NewPassphraseFields(self)
            self.fields.changed.connect(self._update)
            self.edit = self.fields.edit
            lay.addWidget(self.fields)
        else:
            self.fields = None
            form = QFormLayout()
            self.edit = QLineEdit(self)
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.edit.textChanged.connect(lambda _t: self._update())
            self.edit_label = QLabel(self)
            self.edit_label.setBuddy(self.edit)
            self.show_text = QCheckBox(self)
            self.show_text.toggled.connect(lambda on: self.edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
            form.addRow(self.edit_label, self.edit)
            form.addRow("", self.show_text)
            lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        keep_fitting(self, 480)
        self.edit.setFocus()
        self.retranslate()

    def passphrase(self) -> str:
        return self.edit.text()

    def _update(self) -> None:
        self.ok.setEnabled(self.fields.is_valid() if self.fields is not None else bool(self.edit.text()))

    def accept(self) -> None:
        if self.fields is not None and not self.fields.is_valid():
            return
        if self.fields is None and not self.edit.text():
            return
        super().accept()

    def get(self) -> str | None:
        """Show the dialog; the passphrase, or None when cancelled."""
        r = self.exec()
        ok = r == QDialog.DialogCode.Accepted or r == int(QDialog.DialogCode.Accepted.value)
        return self.passphrase() if ok else None

    def retranslate(self) -> None:
        self.setWindowTitle(self._title or self.tr("Passphrase"))
        if self._ok_text:
            self.ok.setText(self._ok_text)
        if self.fields is None:
            self.edit_label.setText(self.tr("&Passphrase:"))
            self.edit.setAccessibleName(self.tr("Passphrase"))
            self.show_text.setText(self.tr("&Show the passphrase"))
            self.show_text.setAccessibleName(self.tr("Show the passphrase"))
        self._update()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


def ask_passphrase(parent, title: str, text: str, error: str = "") -> str | None:
    """An existing passphrase (a stored key's, a backup's); None when cancelled."""
    return PassphraseDialog(parent, title=title, text=text, error=error).get()


def ask_new_passphrase(parent, title: str, text: str, ok_text: str = "") -> str | None:
    """A new passphrase, typed twice and long enough; None when cancelled."""
    return PassphraseDialog(parent, title=title, text=text, new=True, ok_text=ok_text).get()

