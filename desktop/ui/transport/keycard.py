"""Settings → Institution identity → "Encryption key card…": save the printable key card (issue #12)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget


def save_key_card(parent: QWidget | None, suggested: str = "") -> Path | None:
    """Ask where, make the encryption key if needed (asking for the passphrase), write the card."""
    from ...identity.agekey import recipient_fingerprint
    from ...identity.keycard import render_key_card
    from ...identity import load_identity
    from ...fsutil import atomic_write_bytes
    from ..dialogs import message, show_error
    from ..settings import Settings
    from .keys import obtain_own_recipient

    title = QCoreApplication.translate("TransportKeyCard", "Save the encryption key card")
    ident = load_identity()
    if ident is None:
        return None
    r = obtain_own_recipient(parent)
    if r is None:
        return None
    start = str(Path(Settings().last_folder()) / (suggested or "key-card.pdf"))
    path, _ = QFileDialog.getSaveFileName(parent, title, start, QCoreApplication.translate("TransportKeyCard", "PDF (*.pdf)"))
    if not path:
        return None
    try:
        data = render_key_card(r, name_zh=ident.name_zh, name_en=ident.name_en,
                               signing_fingerprint=ident.display_fingerprint, contact=ident.contact)
        atomic_write_bytes(path, data)
    except Exception as e:  # noqa: BLE001 - shown
        show_error(parent, title, e)
        return None
    Settings().set_last_folder(Path(path).parent)
    message(parent, "info", title, QCoreApplication.translate("TransportKeyCard", "The key card was saved to {path}.").format(path=path),
            QCoreApplication.translate("TransportKeyCard", "Publish it with your call for applications: applicants encrypt their packages to this key. Its "
               "fingerprint, to confirm by phone: {fp}").format(fp=recipient_fingerprint(r)))
    return Path(path)
