"""Backup and move: the identity as a passphrase-protected PKCS#12 (.p12) file, and back.

The .p12 holds the private key and the certificate (names, country and contact are in the
certificate's subject, so an import restores them). Key and certificate bags are encrypted with
PBES2 (PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC); the integrity MAC is HMAC-SHA256.
Note: cryptography derives the PKCS#12 MAC key with a fixed 2,048 iterations, so the passphrase
itself must be strong (at least 12 characters is enforced). OpenSSL 1.1.1+/3.x, Windows 10 1709+
and current macOS read such files.

The identity's encryption key (desktop.identity.agekey: packages encrypted to this institution
open only with it) cannot go into a PKCS#12 file, so it is written beside it as
`<name>.age-key.age`: the secret key line encrypted with age's passphrase mode under the same
passphrase (`age -d <name>.age-key.age` shows it). An import finds it beside the .p12.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..fsutil import atomic_write_bytes
from . import keys, store
from .model import Identity, IdentityError

KDF_ROUNDS = 600_000


def _encryption(passphrase: bytes):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    return (serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(KDF_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(passphrase))


def pkcs12_bytes(key, cert, name: str, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.serialization import pkcs12

    pw = keys.check_new_passphrase(passphrase)
    return pkcs12.serialize_key_and_certificates(name.encode("utf-8"), key, cert, None, _encryption(pw))


def export_pkcs12(path: str | os.PathLike, passphrase: str, *, key_passphrase: str | None = None,
                  overwrite: bool = True) -> Path:
    """Write this computer's identity to `path` as a .p12 protected by `passphrase`.
    `key_passphrase` unlocks the stored key when it is kept with passphrase storage."""
    path = Path(path)
    keys.check_new_passphrase(passphrase)
    ident = store.require_identity()
    if path.exists() and not overwrite:
        raise IdentityError(f"{path} already exists; choose another name", f"{path} 已存在；请换一个文件名",
                            key="identity.exists_file")
    if not path.parent.is_dir():
        raise IdentityError(f"Folder {path.parent} does not exist", f"文件夹 {path.parent} 不存在", key="identity.no_folder")
    key = store.load_private_key(ident, key_passphrase)
    cert = keys.load_certificate(ident.certificate)
    data = pkcs12_bytes(key, cert, ident.name, passphrase)
    from . import agekey

    age = agekey.backup_bytes(passphrase, key_passphrase)
    companion = age_backup_path(path)
    try:
        if age is not None:
            atomic_write_bytes(companion, age)
            with contextlib.suppress(OSError):
                os.chmod(companion, 0o600)
        else:  # no encryption key: an older backup's key beside this name is not this identity's
            with contextlib.suppress(FileNotFoundError):
                companion.unlink()
        atomic_write_bytes(path, data)
    except OSError as e:
        raise IdentityError(f"Cannot write {path}: {e.strerror or e}", f"无法写入 {path}：{e.strerror or e}",
                            key="identity.write_failed") from None
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return path


def age_backup_path(p12: str | os.PathLike) -> Path:
    """Where the encryption key of the backup `p12` is kept (beside it)."""
    p12 = Path(p12)
    stem = p12.name[: -len(p12.suffix)] if p12.suffix.lower() in (".p12", ".pfx") else p12.name
    return p12.with_name(stem + ".age-key.age")


def export_certificate(path: str | os.PathLike) -> Path:
    """Write only the public certificate (PEM) — what reviewers need for `--trust`."""
    path = Path(path)
    ident = store.require_identity()
    try:
        atomic_write_bytes(path, ident.certificate)
    except OSError as e:
        raise IdentityError(f"Cannot write {path}: {e.strerror or e}", f"无法写入 {path}：{e.strerror or e}",
                            key="identity.write_failed") from None
    with contextlib.suppress(OSError):
        os.chmod(path, 0o644)
    return path


def read_pkcs12(data: bytes, passphrase: str):
    """(key, cert) from .p12 bytes; IdentityError for a wrong passphrase or a file that is not an identity."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        p = pkcs12.load_pkcs12(data, (passphrase or "").encode("utf-8") or None)
    except (ValueError, TypeError):
        raise IdentityError("Wrong passphrase, or this is not a PKCS#12 (.p12) file",
                            "口令错误，或这不是 PKCS#12（.p12）文件", key="identity.wrong_passphrase") from None
    if p.key is None or p.cert is None:
        raise IdentityError("This .p12 file does not hold both a private key and its certificate",
                            "此 .p12 文件不同时包含私钥和证书", key="identity.bad_key")
    cert = p.cert.certificate
    keys.check_identity_key(p.key, cert)
    return p.key, cert


def import_pkcs12(path: str | os.PathLike, passphrase: str, *, storage: str = "auto", key_passphrase: str | None = None,
                  replace: bool = False) -> Identity:
    """Install the identity from a .p12 backup on this computer (keyring; or passphrase storage with
    `key_passphrase`, see store.save_identity). Re-importing the same identity is allowed; replacing
    a different one needs `replace=True`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IdentityError(f"Cannot read {path}: {e.strerror or e}", f"无法读取 {path}：{e.strerror or e}",
                            key="identity.read_failed") from None
    key, cert = read_pkcs12(data, passphrase)
    from . import agekey

    companion = age_backup_path(path)
    secret = None
    if companion.is_file():  # read (and its passphrase checked) before anything is installed
        try:
            blob = companion.read_bytes()[: agekey.MAX_BACKUP + 1]
        except OSError as e:
            raise IdentityError(f"Cannot read {companion}: {e.strerror or e}", f"无法读取 {companion}：{e.strerror or e}",
                                key="identity.read_failed") from None
        secret = agekey.read_backup(blob, passphrase)
    f = keys.fields_from_cert(cert)
    ident = store.save_identity(key, cert, name_zh=f["name_zh"], name_en=f["name_en"], country=f["country"],
                                contact=f["contact"], storage=storage, passphrase=key_passphrase, replace=replace)
    if secret is not None:
        agekey.restore_backup(secret, key_passphrase)
        ident = store.require_identity()
    return ident
