"""The institution identity's encryption key: an age X25519 key pair (issue #12).

Packages are encrypted to a reviewer's age recipient (`age1…`) and to the sender's own, so the
sender can still open what it sent. The secret key (`AGE-SECRET-KEY-1…`) is kept exactly like the
signing key (desktop.identity.store):

- keyring storage: in the OS keyring, service "Dossier institution identity", user name
  `<certificate fingerprint>#age-x25519`;
- passphrase storage: `<user data>/identity/age-key.txt.age`, the secret key line encrypted with
  age's own passphrase mode (scrypt), with the identity's passphrase — `age -d age-key.txt.age`
  opens it too. Never in plain text.

The public recipient is kept in identity.json (`age_recipient`). Identities made before this
existed get a key on demand (`ensure_age_key`).

    recipient() -> str | None            the age1… of this computer's identity
    ensure_age_key(passphrase=None) -> str
    load_age_identity(passphrase=None) -> pyrage.x25519.Identity
    delete_age_key(identity)             (called when the identity is deleted)
    backup_bytes(pw) / read_backup(blob, pw) / restore_backup(key)   the key beside a .p12 backup
    recipient_fingerprint(age1) -> str   SHA-256 of the recipient text, 16 groups of four
    parse_recipient(text) -> str         a checked age1… (IdentityError if it is not one)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re

from ..fsutil import atomic_write_bytes
from . import _hooks, store
from .model import Identity, IdentityError, format_fingerprint

KEYRING_SUFFIX = "#age-x25519"
AGE_KEY_FILE = "age-key.txt.age"
_RECIPIENT = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")


def _pyrage():
    try:
        import pyrage
    except ImportError:  # pragma: no cover - a dependency
        raise IdentityError("Encryption is not available in this build (pyrage is missing)",
                            "此版本不支持加密（缺少 pyrage）", key="identity.no_age") from None
    return pyrage


def parse_recipient(text: str) -> str:
    """A well-formed age X25519 recipient (bech32, checksum verified) or IdentityError."""
    t = "".join(str(text or "").split())
    if not _RECIPIENT.match(t.lower()):
        raise IdentityError(f"{t[:70]!r} is not an age encryption key (age1… with 62 characters)",
                            f"{t[:70]!r} 不是 age 加密公钥（以 age1 开头，共 62 个字符）", key="identity.bad_recipient")
    try:
        _pyrage().x25519.Recipient.from_str(t.lower())
    except Exception:  # noqa: BLE001 - pyrage.RecipientError and friends
        raise IdentityError(f"{t[:70]!r} is not a valid age key (its checksum does not match: a typo?)",
                            f"{t[:70]!r} 不是有效的 age 公钥（校验和不符，可能有输入错误）", key="identity.bad_recipient") from None
    return t.lower()


def recipient_fingerprint(recipient_text: str) -> str:
    """What a key card prints to be read aloud: SHA-256 of the `age1…` text, as 16 groups of four."""
    return format_fingerprint(hashlib.sha256(recipient_text.encode("ascii")).hexdigest())


def _meta_path():
    return store.identity_dir() / store.META_FILE


def _read_meta() -> dict:
    try:
        return json.loads(_meta_path().read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise IdentityError(f"The institution identity files are damaged ({e})", f"单位身份文件已损坏（{e}）",
                            key="identity.damaged") from None


def recipient(ident: Identity | None = None) -> str | None:
    """The age recipient of this computer's identity, or None (no identity, or no key yet)."""
    if ident is None and not store.exists():
        return None
    r = _read_meta().get("age_recipient")
    return r if isinstance(r, str) and _RECIPIENT.match(r) else None


def _passphrase(ident: Identity, passphrase: str | None) -> str:
    if passphrase is None:
        passphrase = os.environ.get("DOSSIER_KEY_PASSPHRASE") or os.environ.get("DOSSIER_PASSPHRASE") or None
        if passphrase is None and _hooks.passphrase_prompt is not None:
            passphrase = _hooks.passphrase_prompt(ident)
    if passphrase is None:
        raise store.PassphraseRequired()
    return passphrase


def ensure_age_key(passphrase: str | None = None) -> str:
    """This identity's age recipient, making the key pair first if it has none (stored like the
    signing key). With passphrase storage the passphrase is checked against the signing key first,
    so the two are always protected by the same passphrase."""
    ident = store.require_identity()
    have = recipient(ident)
    if have:
        return have
    pyrage = _pyrage()
    secret = pyrage.x25519.Identity.generate()
    pw = None
    if ident.storage == "file":
        pw = _passphrase(ident, passphrase)
        store.load_private_key(ident, pw)  # wrong passphrase → IdentityError before anything is written
    return _store_secret(ident, secret, pw)


def _store_secret(ident: Identity, secret, pw: str | None) -> str:
    """Keep `secret` (a pyrage x25519 identity) as this identity's encryption key — in the keyring,
    or encrypted with `pw` for passphrase storage — and record its recipient; returns it."""
    pyrage = _pyrage()
    pub = str(secret.to_public())
    if ident.storage == "file":
        blob = pyrage.passphrase.encrypt(str(secret).encode("ascii") + b"\n", pw)
        path = store.identity_dir() / AGE_KEY_FILE
        atomic_write_bytes(path, blob)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    else:
        b, refused = store.secure_backend()
        if b is None:
            raise store.NoSecureStorage(refused)
        name = ident.fingerprint + KEYRING_SUFFIX
        try:
            b.set_password(store.SERVICE, name, str(secret))
            ok = b.get_password(store.SERVICE, name) == str(secret)
        except Exception as e:  # noqa: BLE001 - keyring/dbus errors
            raise store._keyring_error("save the encryption key", "保存加密私钥", e) from None
        if not ok:
            raise IdentityError("The system keyring did not keep the encryption key intact",
                                "系统密钥库未能完整保存加密私钥", key="identity.keyring_unavailable")
    meta = _read_meta()
    meta["age_recipient"] = pub
    atomic_write_bytes(_meta_path(), (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return pub


# ---------------------------------------------------------------------------- backup (beside the .p12)

MAX_BACKUP = 64 << 10


def backup_bytes(backup_passphrase: str, key_passphrase: str | None = None) -> bytes | None:
    """The encryption key for a backup: the secret key line encrypted with age's passphrase mode
    (scrypt) under the backup's passphrase, so `age -d` opens it too; None when the identity has
    no encryption key yet."""
    ident = store.require_identity()
    if not recipient(ident):
        return None
    key = load_age_identity(key_passphrase)
    return _pyrage().passphrase.encrypt(str(key).encode("ascii") + b"\n", backup_passphrase)


EXCESSIVE_WORK = "Excessive work parameter"  # the start of age's (rage's) refusal, see _passphrase_decrypt
WORK_RETRIES = 6


def _passphrase_decrypt(blob: bytes, passphrase: str) -> bytes:
    """pyrage.passphrase.decrypt, robust to rage's own guard against slow files: before deriving
    the key it times a small scrypt run and refuses a file whose work factor would take more than
    16 × a second on that measure ("Excessive work parameter for passphrase"). A file it wrote
    itself a minute earlier then fails whenever the measuring millisecond is stalled (a busy
    laptop, a virtual machine's stolen time): at the desk, while packages were verified on both
    cores, the key file was refused and the encrypted package reported "not for you". The guard
    is measured again on every call, so a refusal is retried a few times; a file that still asks
    too much raises DecryptError as before. Any other failure (a wrong passphrase) is not retried."""
    pyrage = _pyrage()
    for attempt in range(WORK_RETRIES):
        try:
            return pyrage.passphrase.decrypt(blob, passphrase)
        except Exception as e:  # noqa: BLE001 - pyrage.DecryptError
            if not str(e).startswith(EXCESSIVE_WORK) or attempt == WORK_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def read_backup(blob: bytes, backup_passphrase: str):
    """The pyrage identity in a backup file (IdentityError if the passphrase or the file is wrong)."""
    pyrage = _pyrage()
    if len(blob) > MAX_BACKUP or not blob.startswith(b"age-encryption.org/v1"):
        raise IdentityError("The encryption-key backup is not an age file made by Dossier",
                            "加密私钥备份不是 Dossier 生成的 age 文件", key="identity.bad_age_backup")
    try:
        text = _passphrase_decrypt(blob, backup_passphrase).decode("ascii").strip()
        return pyrage.x25519.Identity.from_str(text)
    except Exception:  # noqa: BLE001 - pyrage.DecryptError, a damaged line
        raise IdentityError("The encryption-key backup does not open with the backup's passphrase (or it is damaged)",
                            "加密私钥备份无法用该备份口令打开（或已损坏）", key="identity.bad_age_backup") from None


def restore_backup(secret, key_passphrase: str | None = None) -> str:
    """Install a key read by `read_backup` for this computer's identity; returns its recipient."""
    ident = store.require_identity()
    pw = None
    if ident.storage == "file":
        pw = _passphrase(ident, key_passphrase)
        store.load_private_key(ident, pw)  # the same passphrase as the signing key, as ensure_age_key keeps it
    return _store_secret(ident, secret, pw)


def load_age_identity(passphrase: str | None = None):
    """The secret key as a pyrage identity (in memory only); IdentityError when there is none."""
    ident = store.require_identity()
    pub = recipient(ident)
    if not pub:
        raise IdentityError("This institution identity has no encryption key yet (it is made on first use: "
                            "`dossier identity show --age`)",
                            "该单位身份尚无加密密钥（首次使用时生成：`dossier identity show --age`）", key="identity.no_age_key")
    pyrage = _pyrage()
    if ident.storage == "file":
        pw = _passphrase(ident, passphrase)
        try:
            blob = (store.identity_dir() / AGE_KEY_FILE).read_bytes()
        except OSError as e:
            raise IdentityError(f"The encrypted encryption-key file is missing ({e.strerror})",
                                f"加密私钥文件不存在（{e.strerror}）", key="identity.key_missing") from None
        try:
            text = _passphrase_decrypt(blob, pw).decode("ascii").strip()
        except Exception as e:  # noqa: BLE001 - pyrage.DecryptError
            if str(e).startswith(EXCESSIVE_WORK):
                raise IdentityError("The encryption-key file asks for more work than this computer can do now "
                                    "(it is very busy, or the file is damaged): close other programs and try again",
                                    "加密私钥文件所需的计算量超出本机当前能力（本机过于繁忙，或文件已损坏）：请关闭其他程序后重试",
                                    key="identity.key_busy") from None
            raise IdentityError("Wrong passphrase for the institution identity", "单位身份口令错误",
                                key="identity.wrong_passphrase") from None
    else:
        b, refused = store.secure_backend()
        if b is None:
            raise store.NoSecureStorage(refused)
        try:
            text = b.get_password(store.SERVICE, ident.fingerprint + KEYRING_SUFFIX) or ""
        except Exception as e:  # noqa: BLE001
            raise store._keyring_error("read the encryption key", "读取加密私钥", e) from None
        if not text:
            raise IdentityError("The encryption key of this identity is not in the system keyring",
                                "系统密钥库中没有此身份的加密私钥", key="identity.key_missing")
    try:
        key = pyrage.x25519.Identity.from_str(text)
    except Exception:  # noqa: BLE001
        raise IdentityError("The stored encryption key is damaged", "保存的加密私钥已损坏", key="identity.key_damaged") from None
    if str(key.to_public()) != pub:
        raise IdentityError("The stored encryption key does not match identity.json", "保存的加密私钥与 identity.json 不一致",
                            key="identity.key_damaged")
    return key


def delete_age_key(ident: Identity) -> None:
    """Remove the secret key (keyring entry or file); best effort, like the signing key."""
    with contextlib.suppress(FileNotFoundError):
        (store.identity_dir() / AGE_KEY_FILE).unlink()
    with contextlib.suppress(Exception):
        b, _r = store.secure_backend()
        name = ident.fingerprint + KEYRING_SUFFIX
        if b is not None and b.get_password(store.SERVICE, name) is not None:
            b.delete_password(store.SERVICE, name)
