"""The institution identity as data: names, country, contact, certificate and its fingerprint.

No Qt, no I/O here. Messages for the UI and the CLI are `Label(zh, en)` (desktop.models.program).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import DossierError
from ..models.program import Label

__all__ = ["Identity", "IdentityError", "Label", "format_fingerprint", "normalize_fingerprint", "MIN_PASSPHRASE_CHARS"]

# a new passphrase (encrypted key on disk, PKCS#12 backup) must have at least this many characters
MIN_PASSPHRASE_CHARS = 12

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class IdentityError(DossierError):
    """A problem with the institution identity the user can act on (bilingual, exit code 2)."""


def format_fingerprint(hex_fp: str) -> str:
    """'3f2a9c01…' → '3F2A 9C01 …': 16 groups of four upper-case hex digits, easy to read aloud."""
    h = normalize_fingerprint(hex_fp, strict=False).upper()
    return " ".join(h[i:i + 4] for i in range(0, len(h), 4))


def normalize_fingerprint(text: str, *, strict: bool = True) -> str:
    """Accept a fingerprint as typed or read aloud ('3F2A 9C01 …', '3f:2a:…', 'sha256:3f2a…') →
    64 lower-case hex digits. Raises IdentityError (strict) when it is not a full SHA-256."""
    t = str(text or "").strip().lower()
    if t.startswith("sha256:") or t.startswith("sha-256:"):
        t = t.split(":", 1)[1]
    t = re.sub(r"[\s:\-_.]", "", t)
    if strict and not _HEX64.match(t):
        raise IdentityError(
            "A fingerprint must be the 64 hex digits of the certificate's SHA-256 (16 groups of four, "
            f"e.g. as `dossier identity show` prints it); got {len(t)} characters",
            f"指纹应为证书 SHA-256 的 64 位十六进制数字（16 组，每组 4 位，即 `dossier identity show` 显示的形式）；"
            f"当前为 {len(t)} 个字符",
            key="identity.bad_fingerprint",
        )
    return t


@dataclass
class Identity:
    """The public side of the institution identity (what is stored in plain files).

    `storage` says where the private key is: "keyring" (the OS keyring, `keyring_backend`) or
    "file" (passphrase-encrypted PKCS#8 in the user data directory)."""

    name_zh: str
    name_en: str
    country: str
    contact: str
    certificate: bytes  # PEM
    fingerprint: str  # SHA-256 of the certificate (DER), 64 lower-case hex digits
    storage: str = "keyring"
    keyring_backend: str = ""
    created_at: str = ""
    not_before: str = ""
    not_after: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The signer's name as shown on the seal: the Chinese name, else the English one."""
        return self.name_zh or self.name_en

    @property
    def display_name(self) -> str:
        if self.name_zh and self.name_en:
            return f"{self.name_zh} ({self.name_en})"
        return self.name

    @property
    def display_fingerprint(self) -> str:
        return format_fingerprint(self.fingerprint)

    def storage_text(self) -> Label:
        if self.storage == "file":
            return Label("私钥以口令加密保存在本机用户数据目录中（每次签章需输入口令）",
                         "the private key is stored encrypted with a passphrase in the user data folder "
                         "(the passphrase is needed for every signature)")
        return Label(f"私钥保存在系统密钥库中（{backend_label(self.keyring_backend).zh}）",
                     f"the private key is kept in the system keyring ({backend_label(self.keyring_backend).en})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name_zh": self.name_zh, "name_en": self.name_en, "country": self.country, "contact": self.contact,
            "fingerprint": self.fingerprint, "display_fingerprint": self.display_fingerprint,
            "storage": self.storage, "keyring_backend": self.keyring_backend,
            "storage_text": self.storage_text().to_dict(),
            "created_at": self.created_at, "not_before": self.not_before, "not_after": self.not_after,
            "certificate_pem": self.certificate.decode("ascii"),
        }


_BACKEND_NAMES = {
    "keyring.backends.Windows.WinVaultKeyring": ("Windows 凭据管理器", "Windows Credential Manager"),
    "keyring.backends.macOS.Keyring": ("macOS 钥匙串", "macOS Keychain"),
    "keyring.backends.SecretService.Keyring": ("Secret Service（GNOME 密钥环/KWallet）", "Secret Service (GNOME Keyring / KWallet)"),
    "keyring.backends.libsecret.Keyring": ("libsecret（GNOME 密钥环）", "libsecret (GNOME Keyring)"),
    "keyring.backends.kwallet.DBusKeyring": ("KWallet", "KWallet"),
}


def backend_label(qualname: str) -> Label:
    zh, en = _BACKEND_NAMES.get(qualname, (qualname or "?", qualname or "?"))
    return Label(zh, en)
