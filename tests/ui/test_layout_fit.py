"""Sizes: dialogs never squash what they show, windows fit a 1366×768 screen (also at 125 % and
150 % scaling), panes are resizable with sensible defaults, long texts are elided with tooltips."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.identity.model import Label
from desktop.identity.store import StorageStatus


def squashed(root: QWidget) -> list[str]:
    """Visible controls shown smaller than they need (height below their minimum size hint)."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not isinstance(w, (QLineEdit, QAbstractButton, QComboBox, QLabel)):
            continue
        need = w.minimumSizeHint().height()
        if isinstance(w, QLabel) and w.wordWrap() and w.text():
            need = w.heightForWidth(w.width())
        if w.height() < need:
            out.append(f"{type(w).__name__} {w.text() if hasattr(w, 'text') else ''!r}: {w.height()} < {need}")
    return out


def test_passphrase_fields_are_not_squashed(ui, qtbot):
    from desktop.ui.identity_dialog import CreateIdentityDialog

    no_keyring = StorageStatus(False, "", None, Label("此计算机没有系统密钥库。", "This computer has no system keyring."))
    dlg = CreateIdentityDialog(None, no_keyring)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.file_radio.setChecked(True)  # the passphrase fields appear
    QApplication.processEvents()
    QApplication.processEvents()
    assert dlg.passphrase.isVisible()
    assert dlg.passphrase.edit.height() >= dlg.passphrase.edit.sizeHint().height()
    assert dlg.passphrase.repeat.height() >= dlg.passphrase.repeat.sizeHint().height()
    assert not squashed(dlg), squashed(dlg)
    assert dlg.width() >= 600
