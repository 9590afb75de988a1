"""The review's trust list: the signing identities (certificate fingerprints) the reviewer trusts.

Packages are verified without a trust argument (verify still checks that every signature is
sound and reports the signer's fingerprint); the desk then compares that fingerprint with this
list. So adding or removing a trusted identity changes verdicts at once, without re-verifying.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .file import ReviewError, utcnow

MAX_CERT_FILE = 1 << 20


@dataclass
class TrustEntry:
    fingerprint: str
    label: str
    has_certificate: bool
    added_at: str

    def to_dict(self) -> dict:
        return {"fingerprint": self.fingerprint, "label": self.label, "certificate": self.has_certificate,
                "added_at": self.added_at}


def certificate_fingerprint(data: bytes) -> tuple[str, str]:
    """(fingerprint, subject name) of a PEM or DER certificate, or ReviewError."""
    from ..identity import keys

    try:
        cert = keys.load_certificate(data)
    except Exception as e:  # noqa: BLE001 - any parse failure of an untrusted file
        raise ReviewError(f"Not a certificate file ({type(e).__name__}); give the signer-cert.pem of a package "
                          "or a certificate exported from “Institution identity”",
                          f"不是证书文件（{type(e).__name__}）；请选择数据包中的 signer-cert.pem 或从“单位身份”导出的证书",
                          key="review.bad_certificate") from None
    try:
        name = keys.signer_name(cert)
    except Exception:  # noqa: BLE001 - a certificate without the names Dossier writes
        name = ""
    return keys.fingerprint(cert), name


def normalise(fp: str) -> str:
    from ..identity.model import normalize_fingerprint

    try:
        return normalize_fingerprint(fp)
    except Exception:  # noqa: BLE001 - IdentityError or a malformed value
        raise ReviewError(f"{fp!r} is not a SHA-256 fingerprint (64 hexadecimal digits, spaces allowed)",
                          f"{fp!r} 不是 SHA-256 指纹（64 位十六进制数字，可含空格）", key="review.bad_fingerprint") from None


class TrustMixin:
    def trust_list(self) -> list[TrustEntry]:
        return [TrustEntry(fp, label, cert is not None, at) for fp, label, cert, at in
                self.conn.execute("SELECT fingerprint, label, certificate, added_at FROM trust ORDER BY added_at, fingerprint")]

    def trusted(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT fingerprint FROM trust")}

    def add_trust(self, *, certificate: str | os.PathLike | None = None, fingerprint: str | None = None,
                  label: str = "") -> TrustEntry:
        cert_bytes = None
        if certificate is not None:
            p = Path(certificate)
            try:
                if not p.is_file() or p.stat().st_size > MAX_CERT_FILE:
                    raise ReviewError(f"{p} is not a certificate file", f"{p} 不是证书文件", key="review.bad_certificate")
                cert_bytes = p.read_bytes()
            except OSError as e:
                raise ReviewError(f"Cannot read {p}: {e.strerror}", f"无法读取 {p}：{e.strerror}", key="review.bad_certificate") from None
            fp, name = certificate_fingerprint(cert_bytes)
            label = label or name
        elif fingerprint:
            fp = normalise(fingerprint)
        else:
            raise ReviewError("Give a certificate file or a fingerprint to trust", "请提供要信任的证书文件或指纹",
                              key="review.bad_fingerprint")
        with self._tx() as c:  # type: ignore[attr-defined]
            c.execute("INSERT INTO trust(fingerprint, label, certificate, added_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT(fingerprint) DO UPDATE SET label=excluded.label, "
                      "certificate=COALESCE(excluded.certificate, trust.certificate)",
                      (fp, label, cert_bytes, utcnow()))
        return next(t for t in self.trust_list() if t.fingerprint == fp)

    def remove_trust(self, fingerprint: str) -> None:
        fp = normalise(fingerprint)
        with self._tx() as c:  # type: ignore[attr-defined]
            if c.execute("DELETE FROM trust WHERE fingerprint=?", (fp,)).rowcount == 0:
                raise ReviewError(f"{fp} is not in the trust list", f"{fp} 不在信任列表中", key="review.not_trusted")
