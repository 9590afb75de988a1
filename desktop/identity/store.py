"""Where the identity lives: the private key in the OS keyring, everything public in plain files.

Files in `<user data dir>/identity/` (desktop.paths.user_data_dir)::

    identity.json      names, country, contact, fingerprint, where the key is (public metadata)
    certificate.pem    the self-signed certificate (public)
    private-key.pem    ONLY with passphrase storage: PKCS#8 'ENCRYPTED PRIVATE KEY' (PBES2,
                       PBKDF2-HMAC-SHA256 600,000 iterations, AES-256-CBC), mode 0600

The private key goes to the OS keyring through `keyring` (service "Dossier institution identity",
user name = the certificate fingerprint): Windows Credential Manager, macOS Keychain, Secret
Service on Linux. Backends that are not secure are refused, whatever keyring chose:
`keyring.backends.fail.Keyring` (no backend: a headless Linux box), `keyring.backends.null`, and
every backend of `keyrings.alt` (its PlaintextKeyring writes secrets in clear text to a file;
"and friends": anything from keyrings.alt or named *Plaintext*). A ChainerBackend is unwrapped and
only its secure members are used, so a locked keychain never falls through to a plaintext file.
When no secure backend exists, callers say so and offer passphrase storage instead.

Frozen builds (PyInstaller) have no entry points, so keyring may not discover the OS backend:
there `secure_backend()` always takes the one `select_backend()` picks by class name (Windows
Credential Manager, macOS Keychain, Secret Service), unless PYTHON_KEYRING_BACKEND names one.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_bytes
from ..paths import user_data_dir
from . import keys
from .model import Identity, IdentityError, Label, backend_label

SERVICE = "Dossier institution identity"
META_FILE = "identity.json"
CERT_FILE = "certificate.pem"
KEY_FILE = "private-key.pem"
FORMAT = 1

# the OS backends, in order of preference per platform ("module:Class")
_OS_BACKENDS = {
    "win32": ["keyring.backends.Windows:WinVaultKeyring"],
    "darwin": ["keyring.backends.macOS:Keyring"],
    "linux": ["keyring.backends.SecretService:Keyring", "keyring.backends.libsecret:Keyring",
              "keyring.backends.kwallet:DBusKeyring"],
}


def identity_dir() -> Path:
    return user_data_dir() / "identity"


# ------------------------------------------------------------------------------------ backends


def qualname(obj: Any) -> str:
    cls = obj if isinstance(obj, type) else type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def classify_backend(backend: Any) -> str:
    """'secure' | 'fail' | 'null' | 'plaintext' | 'chainer' for a keyring backend instance."""
    mro = type(backend).__mro__
    for cls in mro:
        mod = cls.__module__ or ""
        if mod == "keyrings.alt" or mod.startswith("keyrings.alt.") or "plaintext" in cls.__name__.lower():
            return "plaintext"
    for cls in mro:
        q = f"{cls.__module__}.{cls.__qualname__}"
        if q == "keyring.backends.fail.Keyring":
            return "fail"
        if q == "keyring.backends.null.Keyring":
            return "null"
        if q == "keyring.backends.chainer.ChainerBackend":
            return "chainer"
    return "secure"


def select_backend() -> Any | None:
    """The platform's secure backend chosen explicitly by class, or None when it is not usable here.

    Windows: keyring.backends.Windows.WinVaultKeyring (Credential Manager); macOS:
    keyring.backends.macOS.Keyring (Keychain); Linux: SecretService, then libsecret, then KWallet,
    each only when it reports itself viable (a D-Bus session with a running secret service).
    Never a keyrings.alt backend."""
    plat = "win32" if sys.platform == "win32" else "darwin" if sys.platform == "darwin" else "linux"
    for spec in _OS_BACKENDS[plat]:
        mod_name, cls_name = spec.split(":")
        try:
            cls = getattr(importlib.import_module(mod_name), cls_name)
            if not cls.viable:
                continue
            b = cls()
        except Exception:  # noqa: BLE001 - a missing dependency, no D-Bus, …: not usable here
            continue
        if classify_backend(b) == "secure":
            return b
    return None


def install_backend() -> Any | None:
    """For the app's start-up (frozen builds): make keyring's global backend the OS one if keyring
    itself found nothing secure. Returns the backend in use, or None (passphrase storage only)."""
    import keyring

    b, _refused = secure_backend()
    if b is not None and keyring.get_keyring() is not b:
        current = keyring.get_keyring()
        if classify_backend(current) != "secure":
            keyring.set_keyring(b)
    return b


def secure_backend() -> tuple[Any | None, str | None]:
    """(backend to use or None, qualname of a refused insecure backend or None)."""
    import keyring

    if getattr(sys, "frozen", False) and not os.environ.get("PYTHON_KEYRING_BACKEND"):
        # a frozen app (PyInstaller) has no entry points, so keyring's discovery would find only its
        # "fail" backend — or whatever metadata happened to be bundled: name the OS backend instead
        return select_backend(), None
    try:
        kr = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring configuration
        kr = None
    refused = None
    members = []
    if kr is not None:
        members = list(getattr(kr, "backends", []) or []) if classify_backend(kr) == "chainer" else [kr]
    for b in members:
        c = classify_backend(b)
        if c == "secure":
            return b, None
        if c == "plaintext":
            refused = refused or qualname(b)
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None, refused  # the user chose a backend explicitly: do not override it
    return select_backend(), refused


@dataclass
class StorageStatus:
    """What the dialog shows before creating or importing: is a secure keyring available?"""

    secure_keyring: bool
    backend: str  # qualname of the backend that would hold the key ("" when none)
    refused: str | None  # an insecure backend keyring would have used (e.g. keyrings.alt PlaintextKeyring)
    message: Label

    def to_dict(self) -> dict[str, Any]:
        return {"secure_keyring": self.secure_keyring, "backend": self.backend, "refused": self.refused,
                "message": self.message.to_dict()}


def storage_status() -> StorageStatus:
    b, refused = secure_backend()
    if b is not None:
        lab = backend_label(qualname(b))
        return StorageStatus(True, qualname(b), None, Label(f"私钥将保存在系统密钥库中：{lab.zh}。",
                                                             f"The private key will be kept in the system keyring: {lab.en}."))
    return StorageStatus(False, "", refused, no_keyring_message(refused))


def no_keyring_reason(refused: str | None) -> Label:
    return Label(f"找到的密钥库后端（{refused}）以明文保存密码，已拒绝使用" if refused
                 else "没有可用的系统密钥库（例如没有桌面会话的 Linux 电脑）",
                 f"the only keyring backend found ({refused}) stores secrets in plain text and is refused"
                 if refused else "no system keyring is available (e.g. a Linux computer without a desktop session)")


def no_keyring_message(refused: str | None) -> Label:
    why = no_keyring_reason(refused)
    why_en, why_zh = why.en, why.zh
    return Label(
        f"无法安全地保存私钥：{why_zh}。可以改为用口令加密后保存在本机用户数据目录中；此后每次签章都需要输入该口令，"
        "忘记口令则无法恢复（请导出备份）。",
        f"The private key cannot be kept in a secure keyring: {why_en}. It can be stored encrypted with a passphrase "
        "in your user data folder instead; the passphrase is then needed for every signature and cannot be recovered "
        "if forgotten (export a backup).",
    )


class NoSecureStorage(IdentityError):
    def __init__(self, refused: str | None):
        m = no_keyring_message(refused)
        super().__init__(m.en, m.zh, key="identity.no_secure_storage")
        self.refused = refused


class PassphraseRequired(IdentityError):
    def __init__(self):
        super().__init__("The institution identity's key is encrypted with a passphrase; enter the passphrase "
                         "(or set DOSSIER_PASSPHRASE)",
                         "单位身份的私钥已用口令加密；请输入口令（或设置 DOSSIER_PASSPHRASE 环境变量）",
                         key="identity.passphrase_required")


def _keyring_error(action_en: str, action_zh: str, e: BaseException) -> IdentityError:
    detail = str(e).splitlines()[0] if str(e) else type(e).__name__
    return IdentityError(f"The system keyring could not {action_en}: {detail}. Unlock the keyring and try again, "
                         "or store the key encrypted with a passphrase instead.",
                         f"系统密钥库无法{action_zh}：{detail}。请解锁密钥库后重试，或改用口令加密保存私钥。",
                         key="identity.keyring_unavailable")


# ------------------------------------------------------------------------------------ reading


def exists() -> bool:
    return (identity_dir() / META_FILE).is_file()


def load_identity() -> Identity | None:
    """The identity on this computer (public data only), or None."""
    d = identity_dir()
    meta_path = d / META_FILE
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        pem = (d / CERT_FILE).read_bytes()
    except (OSError, ValueError) as e:
        raise IdentityError(f"The institution identity files in {d} are damaged ({e}); delete and import a backup",
                            f"{d} 中的单位身份文件已损坏（{e}）；请删除后导入备份", key="identity.damaged") from None
    cert = keys.load_certificate(pem)
    fp = keys.fingerprint(cert)
    if meta.get("fingerprint") != fp:
        raise IdentityError(f"The certificate in {d} does not match identity.json; delete and import a backup",
                            f"{d} 中的证书与 identity.json 不一致；请删除后导入备份", key="identity.damaged")
    return Identity(
        name_zh=meta.get("name_zh", ""), name_en=meta.get("name_en", ""), country=meta.get("country", ""),
        contact=meta.get("contact", ""), certificate=pem, fingerprint=fp, storage=meta.get("storage", "keyring"),
        keyring_backend=meta.get("keyring_backend", ""), created_at=meta.get("created_at", ""),
        not_before=cert.not_valid_before_utc.isoformat(), not_after=cert.not_valid_after_utc.isoformat(),
    )


def require_identity() -> Identity:
    ident = load_identity()
    if ident is None:
        raise IdentityError(
            "There is no institution identity on this computer: create one (Settings → Institution identity, or "
            "`dossier identity create`) or import a backup (`dossier identity import`)",
            "本机没有单位身份：请先创建（设置 → 单位身份，或 `dossier identity create`），或导入备份（`dossier identity import`）",
            key="identity.none")
    return ident


def load_private_key(ident: Identity, passphrase: str | None = None):
    """The private key (a cryptography object, in memory only). Keyring storage ignores `passphrase`."""
    cert = keys.load_certificate(ident.certificate)
    if ident.storage == "file":
        if passphrase is None:
            raise PassphraseRequired()
        try:
            pem = (identity_dir() / KEY_FILE).read_bytes()
        except OSError as e:
            raise IdentityError(f"The encrypted key file is missing ({e.strerror}); import a backup",
                                f"加密的私钥文件不存在（{e.strerror}）；请导入备份", key="identity.key_missing") from None
        key = keys.decrypt_private_key(pem, passphrase.encode("utf-8"))
    else:
        b, refused = secure_backend()
        if b is None:
            raise NoSecureStorage(refused)
        try:
            secret = b.get_password(SERVICE, ident.fingerprint)
        except Exception as e:  # noqa: BLE001 - keyring/dbus errors
            raise _keyring_error("read the key", "读取私钥", e) from None
        if not secret:
            raise IdentityError(
                f"The private key of this identity is not in the system keyring ({backend_label(qualname(b)).en}); "
                "it was removed, or this is another user account. Import your backup (.p12).",
                f"系统密钥库（{backend_label(qualname(b)).zh}）中没有此身份的私钥：可能已被删除，或这是另一个用户账户。请导入备份（.p12）。",
                key="identity.key_missing")
        from cryptography.hazmat.primitives import serialization

        try:
            key = serialization.load_pem_private_key(secret.encode("ascii"), None)
        except (ValueError, TypeError, UnicodeEncodeError):
            raise IdentityError("The key in the system keyring is damaged; import your backup (.p12)",
                                "系统密钥库中的私钥已损坏；请导入备份（.p12）", key="identity.key_damaged") from None
    keys.check_identity_key(key, cert)
    return key


# ------------------------------------------------------------------------------------ writing


def _private_dir() -> Path:
    from ..paths import ensure_user_dir

    d = ensure_user_dir(identity_dir().name)
    with contextlib.suppress(OSError):
        os.chmod(d, 0o700)
    return d


def _pem_unencrypted(key) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def _local_only(backend: Any) -> None:
    """Windows: keep the credential on this computer (CRED_PERSIST_LOCAL_MACHINE) instead of keyring's
    default CRED_PERSIST_ENTERPRISE, which roams with a domain user's profile to other machines."""
    if qualname(backend) == "keyring.backends.Windows.WinVaultKeyring":
        with contextlib.suppress(Exception):
            backend.persist = "local machine"


def save_identity(key, cert, *, name_zh: str, name_en: str, country: str, contact: str, storage: str = "auto",
                  passphrase: str | None = None, replace: bool = False) -> Identity:
    """Store a key + certificate as this computer's identity.

    storage: "keyring" (secure OS keyring, else NoSecureStorage), "file" (passphrase-encrypted in the
    user data folder; `passphrase` required), "auto" (keyring if secure; otherwise file when a
    passphrase was given, else NoSecureStorage — the caller shows its message and asks)."""
    keys.check_identity_key(key, cert)
    old = load_identity() if exists() else None
    fp = keys.fingerprint(cert)
    if old is not None and not replace and old.fingerprint != fp:
        raise IdentityError(
            f"This computer already has an institution identity ({old.display_name}, {old.display_fingerprint}); "
            "delete it first (export a backup before you do)",
            f"本机已有单位身份（{old.display_name}，{old.display_fingerprint}）；请先删除（删除前请导出备份）",
            key="identity.exists")
    backend = None
    if storage not in ("auto", "keyring", "file"):
        raise IdentityError(f"unknown storage {storage!r} (auto, keyring or file)", f"未知的保存方式 {storage!r}",
                            key="identity.bad_input")
    if storage in ("auto", "keyring"):
        backend, refused = secure_backend()
        if backend is None:
            if storage == "keyring" or passphrase is None:
                raise NoSecureStorage(refused)
            storage = "file"
        else:
            storage = "keyring"
    pw = keys.check_new_passphrase(passphrase) if storage == "file" else None
    d = _private_dir()
    key_path = d / KEY_FILE
    if storage == "keyring":
        value = _pem_unencrypted(key)
        _local_only(backend)
        try:
            backend.set_password(SERVICE, fp, value)
            back = backend.get_password(SERVICE, fp)
        except Exception as e:  # noqa: BLE001
            raise _keyring_error("save the key", "保存私钥", e) from None
        if back != value:
            with contextlib.suppress(Exception):
                backend.delete_password(SERVICE, fp)
            raise IdentityError("The system keyring did not keep the key intact; store it with a passphrase instead",
                                "系统密钥库未能完整保存私钥；请改用口令加密保存", key="identity.keyring_unavailable")
        del value
    else:
        atomic_write_bytes(key_path, keys.encrypt_private_key(key, pw))
        with contextlib.suppress(OSError):
            os.chmod(key_path, 0o600)
    atomic_write_bytes(d / CERT_FILE, keys.cert_pem(cert))
    meta = {
        "format": FORMAT, "name_zh": name_zh, "name_en": name_en, "country": country, "contact": contact,
        "fingerprint": fp, "storage": storage, "keyring_backend": qualname(backend) if backend is not None else "",
        "keyring_service": SERVICE if storage == "keyring" else "",
        "created_at": _dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
    }
    atomic_write_bytes(d / META_FILE, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    # the new identity is in place: now remove what the old one left behind
    if old is not None:
        if old.storage == "keyring" and (old.fingerprint != fp or storage != "keyring"):
            with contextlib.suppress(Exception):
                b, _r = secure_backend()
                if b is not None and b.get_password(SERVICE, old.fingerprint) is not None:
                    b.delete_password(SERVICE, old.fingerprint)
        if old.storage == "file" and storage != "file":
            with contextlib.suppress(FileNotFoundError):
                key_path.unlink()
    ident = load_identity()
    assert ident is not None
    return ident


def create_identity(name_zh: str, name_en: str, country: str, contact: str = "", *, storage: str = "auto",
                    passphrase: str | None = None) -> Identity:
    """A new ECDSA P-256 key and self-signed certificate, stored as this computer's identity.

    Raises NoSecureStorage (key "identity.no_secure_storage", with the bilingual explanation and
    the passphrase offer) when storage is "auto"/"keyring" and no secure keyring exists; call again
    with storage="file" and a passphrase once the user agrees."""
    zh, en, c, ct = keys.check_fields(name_zh, name_en, country, contact)
    if exists():
        old = load_identity()
        assert old is not None
        raise IdentityError(
            f"This computer already has an institution identity ({old.display_name}, {old.display_fingerprint}); "
            "delete it first (export a backup before you do)",
            f"本机已有单位身份（{old.display_name}，{old.display_fingerprint}）；请先删除（删除前请导出备份）",
            key="identity.exists")
    if storage == "file" or (storage == "auto" and passphrase is not None):
        if storage == "file" or secure_backend()[0] is None:
            keys.check_new_passphrase(passphrase)  # before the (slow) work
    key = keys.generate_key()
    cert = keys.make_certificate(key, name_zh=zh, name_en=en, country=c, contact=ct)
    return save_identity(key, cert, name_zh=zh, name_en=en, country=c, contact=ct, storage=storage, passphrase=passphrase)


def delete_consequences(ident: Identity | None = None) -> Label:
    """What the user loses by deleting (shown before asking for confirmation)."""
    ident = ident or require_identity()
    return Label(
        f"删除后，本机将无法再以“{ident.display_name}”的身份签章导出（指纹 {ident.display_fingerprint}）。"
        "已经签章的 PDF 和数据包仍然有效，审阅方仍可用证书验证。若没有备份（.p12），私钥将永久丢失："
        "新建的身份指纹不同，信任旧指纹的审阅方会把新的数据包显示为“未知签章人”。",
        f"After deleting, this computer can no longer sign exports as “{ident.display_name}” (fingerprint "
        f"{ident.display_fingerprint}). PDFs and packages already signed stay valid and reviewers can still verify "
        "them with the certificate. Without a backup (.p12) the private key is gone for good: a new identity has a "
        "different fingerprint, and reviewers who trust the old one will see new packages as signed by an unknown "
        "identity.",
    )


def delete_identity(*, quiet: bool = False) -> Label:
    """Remove the key (keyring entry or encrypted file) and the identity files. Returns what was done.

    Damaged identity files are removed too (they would otherwise block creating or importing one)."""
    d = identity_dir()
    try:
        ident = load_identity()
    except IdentityError:
        return _delete_damaged(d)
    if ident is None:
        if quiet:
            return Label("", "")
        require_identity()
    assert ident is not None
    note_en = note_zh = ""
    if ident.storage == "keyring":
        b, _refused = secure_backend()
        try:
            if b is None:
                raise RuntimeError("no secure keyring is available now")
            if b.get_password(SERVICE, ident.fingerprint) is not None:
                b.delete_password(SERVICE, ident.fingerprint)
        except Exception as e:  # noqa: BLE001
            note_en = (f" The keyring entry could not be removed ({str(e).splitlines()[0] if str(e) else type(e).__name__}): "
                       f"remove “{ident.fingerprint}” under “{SERVICE}” in the system keyring by hand.")
            note_zh = f"未能从系统密钥库中删除私钥条目，请手动删除“{SERVICE}”下的“{ident.fingerprint}”。"
    from .agekey import delete_age_key  # the encryption key goes with the identity (issue #12)

    delete_age_key(ident)
    for name in (KEY_FILE, META_FILE, CERT_FILE):
        with contextlib.suppress(FileNotFoundError):
            (d / name).unlink()
    return Label(f"已删除单位身份“{ident.display_name}”（{ident.display_fingerprint}）。" + note_zh,
                 f"Deleted the institution identity “{ident.display_name}” ({ident.display_fingerprint})." + note_en)


def _delete_damaged(d: Path) -> Label:
    fp = None
    with contextlib.suppress(Exception):  # best effort: find the keyring entry through the certificate
        from cryptography import x509

        fp = keys.fingerprint(x509.load_pem_x509_certificate((d / CERT_FILE).read_bytes()))
    if fp:
        b, _refused = secure_backend()
        with contextlib.suppress(Exception):
            if b is not None and b.get_password(SERVICE, fp) is not None:
                b.delete_password(SERVICE, fp)
    for name in (KEY_FILE, META_FILE, CERT_FILE, "age-key.txt.age"):
        with contextlib.suppress(FileNotFoundError):
            (d / name).unlink()
    return Label(f"已删除损坏的单位身份文件（{d}）。现在可以导入备份或新建单位身份。",
                 f"Removed the damaged institution identity files in {d}. You can now import a backup or create a new identity.")


def overview() -> dict[str, Any]:
    """Everything the Settings → Institution identity dialog shows, as plain data:

    {"identity": Identity.to_dict() | None, "storage": StorageStatus.to_dict(),
     "delete_consequences": {zh, en} | None, "error": {zh, en, key} | None}"""
    err = None
    try:
        ident = load_identity()
    except IdentityError as e:
        ident, err = None, {"zh": e.zh, "en": e.en, "key": e.key}
    return {
        "identity": ident.to_dict() if ident else None,
        "storage": storage_status().to_dict(),
        "delete_consequences": delete_consequences(ident).to_dict() if ident else None,
        "error": err,
    }
