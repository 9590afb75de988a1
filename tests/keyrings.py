"""The in-memory keyring every keyring test uses instead of the OS keyring (tests/identity, tests/ui)."""

from __future__ import annotations

import keyring
import keyring.core
from keyring.backend import KeyringBackend

PASSPHRASE = "correct horse battery staple"


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring that lives in a dict (what the tests use instead of the OS keyring)."""

    priority = 20

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.writes = 0

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.writes += 1
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


def install_memory_keyring(monkeypatch) -> MemoryKeyring:
    """A fresh in-memory keyring for one test; the OS backends are never chosen; fast KDFs."""
    from desktop.identity import keys, pkcs12, store

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.delenv("DOSSIER_PASSPHRASE", raising=False)
    monkeypatch.delenv("DOSSIER_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None, raising=False)  # restored after the test
    monkeypatch.setattr(store, "select_backend", lambda: None)  # never the real Keychain / Secret Service
    # production strength is checked in test_kdf_strength; elsewhere keep the tests fast
    monkeypatch.setattr(keys, "KDF_ITERATIONS", 2_000)
    monkeypatch.setattr(pkcs12, "KDF_ROUNDS", 2_000)
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    return kr


def install_fail_keyring():
    """No keyring backend at all (a headless Linux box): keyring reports fail.Keyring."""
    from keyring.backends import fail

    kr = fail.Keyring()
    keyring.set_keyring(kr)
    return kr
