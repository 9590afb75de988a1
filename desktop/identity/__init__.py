"""Institution identity (issue #5): an ECDSA P-256 key in the OS keyring, a self-signed certificate,
PAdES-signed PDFs and a signed BagIt tag manifest. No Qt here: the UI calls these functions.

Core API (every error is an IdentityError — a DossierError with `.en`, `.zh` and a `.key`)::

    overview() -> dict                       # all the Settings dialog shows (identity, storage, …)
    storage_status() -> StorageStatus        # secure keyring available? message {zh, en}
    load_identity() -> Identity | None       # public data: names, country, contact, fingerprint
    create_identity(name_zh, name_en, country, contact="", *, storage="auto", passphrase=None)
    export_pkcs12(path, passphrase, *, key_passphrase=None) / export_certificate(path)
    import_pkcs12(path, passphrase, *, storage="auto", key_passphrase=None, replace=False)
    delete_consequences() -> Label           # what deleting makes impossible (ask before deleting)
    delete_identity() -> Label
    get_sealer(passphrase=None) -> Sealer    # for desktop.export (sign_pdf, sign_bytes)
    verify.check_package_signature(...), verify.check_pdf_signature(...)

Error keys the UI may branch on: identity.none, identity.exists, identity.no_secure_storage (offer
passphrase storage), identity.passphrase_required, identity.wrong_passphrase,
identity.weak_passphrase, identity.keyring_unavailable, identity.key_missing, identity.bad_input,
identity.bad_fingerprint, identity.expired.
"""

from __future__ import annotations

from typing import Any

from .model import MIN_PASSPHRASE_CHARS, Identity, IdentityError, Label, format_fingerprint, normalize_fingerprint

__all__ = [
    "Identity", "IdentityError", "Label", "MIN_PASSPHRASE_CHARS", "format_fingerprint", "normalize_fingerprint",
    "overview", "storage_status", "load_identity", "create_identity", "delete_identity", "delete_consequences",
    "export_pkcs12", "export_certificate", "import_pkcs12", "get_sealer", "set_passphrase_prompt", "Sealer",
    "StorageStatus", "NoSecureStorage", "PassphraseRequired",
]

_LAZY = {
    "overview": "store", "storage_status": "store", "load_identity": "store", "create_identity": "store", "delete_identity": "store",
    "delete_consequences": "store", "StorageStatus": "store", "NoSecureStorage": "store",
    "PassphraseRequired": "store", "export_pkcs12": "pkcs12", "export_certificate": "pkcs12",
    "import_pkcs12": "pkcs12", "get_sealer": "sealer", "set_passphrase_prompt": "sealer", "Sealer": "sealer",
}


def __getattr__(name: str) -> Any:  # keep `import desktop.identity` light (verify needs no keyring)
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{mod}"), name)
