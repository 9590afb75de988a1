"""Unlocking the identity's age key on the UI thread (a passphrase-stored key asks for it here),
before a worker starts: the worker itself never prompts."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget


def obtain_age_identities(parent: QWidget | None) -> list | None:
    """This computer's age identity for decrypting ([] when there is none; None when the user
    cancelled or the core refused — its message has been shown)."""
    from ...identity import agekey, load_identity
    from ..dialogs import show_error
    from ..identity_dialog import PromptCancelled, with_key_passphrase

    title = QCoreApplication.translate("TransportKeys", "Open an encrypted package")
    try:
        ident = load_identity()
        if ident is None or not agekey.recipient(ident):
            return []
        purpose = QCoreApplication.translate("TransportKeys", "open the encrypted package")
        key = with_key_passphrase(parent, lambda pw: agekey.load_age_identity(pw), ask_first=ident.storage == "file",
                                  name=ident.name, purpose=purpose)
        return [key]
    except PromptCancelled:
        return None
    except Exception as e:  # noqa: BLE001 - shown; the check does not start
        show_error(parent, title, e)
        return None


def obtain_own_recipient(parent: QWidget | None) -> str | None:
    """The identity's age1… (made now if needed, asking for the passphrase of a passphrase-stored
    key); None when there is no identity, the user cancelled or the core refused (shown)."""
    from ...identity import agekey, load_identity
    from ..dialogs import show_error
    from ..identity_dialog import PromptCancelled, with_key_passphrase

    title = QCoreApplication.translate("TransportKeys", "Encrypt for the reviewer")
    try:
        ident = load_identity()
        if ident is None:
            return None
        have = agekey.recipient(ident)
        if have:
            return have
        purpose = QCoreApplication.translate("TransportKeys", "make your encryption key")
        return with_key_passphrase(parent, lambda pw: agekey.ensure_age_key(pw), ask_first=ident.storage == "file",
                                   name=ident.name, purpose=purpose)
    except PromptCancelled:
        return None
    except Exception as e:  # noqa: BLE001
        show_error(parent, title, e)
        return None
