"""age encryption of packages and volumes (X25519 recipients; https://age-encryption.org/v1).

`….zip.age` is a plain age file (binary, not armored): `age -d -i key.txt x.zip.age > x.zip`
opens it. Encryption and decryption are pyrage (the Rust `age` crate), streaming file to file.

Before pyrage sees an untrusted file, `read_header` checks the header by hand: the version line,
at most MAX_STANZAS recipient stanzas, the header no larger than MAX_HEADER bytes, each stanza
line well-formed, the MAC line present. A truncated, foreign or oversized file is refused with a
clear message and nothing is written outside the caller's temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DossierError

MAGIC = b"age-encryption.org/v1\n"
ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
MAX_STANZAS = 64
MAX_HEADER = 64 << 10
_B64 = re.compile(rb"^[A-Za-z0-9+/]*$")


class EncryptionError(DossierError):
    pass


def _pyrage():
    try:
        import pyrage
    except ImportError:  # pragma: no cover - a dependency
        raise EncryptionError("Encryption is not available in this build (pyrage is missing)",
                              "此版本不支持加密（缺少 pyrage）", key="transport.no_age") from None
    return pyrage


@dataclass
class AgeHeader:
    stanzas: list[tuple[str, list[str]]]
    size: int

    @property
    def x25519_count(self) -> int:
        return sum(1 for t, _a in self.stanzas if t == "X25519")

    @property
    def kinds(self) -> list[str]:
        return sorted({t for t, _a in self.stanzas})


def is_age_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(ARMOR))
    except OSError:
        return False
    return head.startswith(MAGIC) or head.startswith(ARMOR)


def read_header(path: Path) -> AgeHeader:
    """The parsed header of an age file, or EncryptionError (hostile, truncated, armored, not age)."""
    from ..export.verify import Unreadable, check_source_path

    name = Path(path).name
    try:
        check_source_path(Path(path))
    except Unreadable as e:
        raise EncryptionError(e.en, e.zh, key="transport.unreadable") from None
    with open(path, "rb") as fh:
        data = fh.read(MAX_HEADER + 1)
    if data.startswith(ARMOR):
        raise EncryptionError(f"{name} is an ASCII-armored age file; Dossier writes and reads binary ones (use `age -d`)",
                              f"{name} 是 ASCII 封装的 age 文件；Dossier 只处理二进制格式（请用 `age -d`）", key="transport.age_armored")
    if not data.startswith(MAGIC):
        raise EncryptionError(f"{name} is not an age-encrypted file", f"{name} 不是 age 加密文件", key="transport.not_age")
    pos = len(MAGIC)
    stanzas: list[tuple[str, list[str]]] = []
    while True:
        nl = data.find(b"\n", pos)
        if nl < 0:
            if len(data) > MAX_HEADER:
                raise EncryptionError(f"{name}: the age header is larger than {MAX_HEADER >> 10} KiB; refused",
                                      f"{name}：age 文件头超过 {MAX_HEADER >> 10} KiB，已拒绝", key="transport.age_header")
            raise EncryptionError(f"{name} is truncated (its age header is incomplete)", f"{name} 不完整（age 文件头被截断）",
                                  key="transport.age_truncated")
        line = data[pos:nl]
        pos = nl + 1
        if line.startswith(b"--- "):
            mac = line[4:]
            if not _B64.match(mac) or len(mac) != 43:
                raise EncryptionError(f"{name}: malformed age header (MAC line)", f"{name}：age 文件头格式有误（MAC 行）",
                                      key="transport.age_header")
            break
        if not line.startswith(b"-> "):
            raise EncryptionError(f"{name}: malformed age header", f"{name}：age 文件头格式有误", key="transport.age_header")
        parts = line[3:].split(b" ")
        if not parts or not parts[0] or any(not p or any(c < 33 or c > 126 for c in p) for p in parts):
            raise EncryptionError(f"{name}: malformed age recipient stanza", f"{name}：age 接收者段格式有误", key="transport.age_header")
        # the body: base64 lines of 64 columns, the last one shorter (possibly empty)
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0:
                raise EncryptionError(f"{name} is truncated (its age header is incomplete)", f"{name} 不完整（age 文件头被截断）",
                                      key="transport.age_truncated")
            body = data[pos:nl]
            pos = nl + 1
            if not _B64.match(body) or len(body) > 64:
                raise EncryptionError(f"{name}: malformed age stanza body", f"{name}：age 接收者段内容格式有误", key="transport.age_header")
            if len(body) < 64:
                break
        stanzas.append((parts[0].decode("ascii"), [p.decode("ascii") for p in parts[1:]]))
        if len(stanzas) > MAX_STANZAS:
            raise EncryptionError(f"{name}: more than {MAX_STANZAS} recipients in the age header; refused",
                                  f"{name}：age 文件头中的接收者超过 {MAX_STANZAS} 个，已拒绝", key="transport.age_header")
    if not stanzas:
        raise EncryptionError(f"{name}: the age header names no recipient", f"{name}：age 文件头中没有接收者", key="transport.age_header")
    if os.path.getsize(path) <= pos:
        raise EncryptionError(f"{name} is truncated (no encrypted content after the header)", f"{name} 不完整（文件头之后没有加密内容）",
                              key="transport.age_truncated")
    return AgeHeader(stanzas, pos)


def recipients_from(values: list[str]) -> list[Any]:
    from ..identity.agekey import parse_recipient

    pyrage = _pyrage()
    out, seen = [], set()
    for v in values:
        r = parse_recipient(v)
        if r not in seen:
            seen.add(r)
            out.append(pyrage.x25519.Recipient.from_str(r))
    return out


def encrypt_file(src: Path, dst: Path, recipients: list[str]) -> None:
    """Encrypt `src` to every recipient (age1… strings) into `dst` (a temporary name)."""
    pyrage = _pyrage()
    rec = recipients_from(recipients)
    if not rec:
        raise EncryptionError("No recipient to encrypt to", "没有加密接收者", key="transport.no_recipient")
    try:
        pyrage.encrypt_file(str(src), str(dst), rec)
    except OSError as e:
        raise EncryptionError(f"Cannot write {dst.parent}: {e.strerror or e}", f"无法写入 {dst.parent}：{e.strerror or e}",
                              key="transport.write_failed") from None
    except Exception as e:  # noqa: BLE001 - pyrage.EncryptError
        raise EncryptionError(f"Encryption failed: {e}", f"加密失败：{e}", key="transport.encrypt_failed") from None


def decrypt_file(src: Path, dst: Path, identities: list[Any], *, own: str | None = None) -> AgeHeader:
    """Decrypt `src` into `dst` (a file in the caller's private temp folder). Raises
    EncryptionError: not for this key ("encrypted for …, not for you"), damaged, truncated."""
    hdr = read_header(src)
    name = Path(src).name
    if "X25519" not in hdr.kinds:
        raise EncryptionError(f"{name} is encrypted with {', '.join(hdr.kinds)}, not to an age key; Dossier cannot open it",
                              f"{name} 使用 {', '.join(hdr.kinds)} 加密，而非 age 公钥，Dossier 无法打开", key="transport.age_kind")
    if not identities:
        raise EncryptionError(f"{name} is encrypted for {hdr.x25519_count} key(s), not for you: this computer has no "
                              "encryption key (an institution identity makes one: dossier identity show)",
                              f"{name} 是为 {hdr.x25519_count} 个密钥加密的，不是为您：本机没有加密密钥（单位身份会生成：dossier identity show）",
                              key="transport.no_key")
    pyrage = _pyrage()
    try:
        pyrage.decrypt_file(str(src), str(dst), identities)
    except Exception as e:  # noqa: BLE001 - pyrage.DecryptError and I/O
        with contextlib.suppress(OSError):
            Path(dst).unlink()
        msg = str(e)
        if "No matching keys" in msg or "no identity matched" in msg.lower():
            who = f" ({own})" if own else ""
            raise EncryptionError(
                f"{name} is encrypted for {hdr.x25519_count} other key(s), not for you{who}: ask the sender to encrypt to "
                "your key (dossier identity show)",
                f"{name} 是为另外 {hdr.x25519_count} 个密钥加密的，不是为您{who}：请让发送方用您的公钥加密（dossier identity show）",
                key="transport.not_for_you") from None
        if isinstance(e, OSError):
            raise EncryptionError(f"Cannot decrypt {name}: {e.strerror or e}", f"无法解密 {name}：{e.strerror or e}",
                                  key="transport.write_failed") from None
        raise EncryptionError(f"{name} is damaged or truncated: it does not decrypt ({msg[:120]})",
                              f"{name} 已损坏或不完整，无法解密（{msg[:120]}）", key="transport.age_damaged") from None
    return hdr


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True
