"""Keys and certificates: an ECDSA P-256 key and a self-signed X.509 certificate (cryptography).

Certificate subject (all UTF8String except the country, which X.520 requires to be PrintableString)::

    C  = country (ISO 3166 two-letter code, e.g. CN, TH, VN)
    O  = the English name if there is one, else the Chinese name
    CN = the Chinese name if there is one, else the English name   (what PDF readers show as signer)
    description = contact (optional)

Key usage: digitalSignature + nonRepudiation (critical); basicConstraints CA=false (critical);
subject and authority key identifiers; validity 10 years from creation.

The encrypted key file (passphrase storage) is standard PKCS#8 `EncryptedPrivateKeyInfo` with
PBES2: PBKDF2-HMAC-SHA256 (600,000 iterations, 16-byte salt) and AES-256-CBC. It is built here
because cryptography's BestAvailableEncryption uses only 2,048 PBKDF2 iterations; it is read back
with cryptography's own PKCS#8 loader (and `openssl pkcs8` reads it too).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import unicodedata

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.x509.oid import NameOID

from .model import IdentityError, MIN_PASSPHRASE_CHARS

VALIDITY_YEARS = 10
KDF_ITERATIONS = 600_000
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
DESCRIPTION_OID = x509.ObjectIdentifier("2.5.4.13")


# ------------------------------------------------------------------------------------------ input


def _clean(s: str | None, what_en: str, what_zh: str, limit: int) -> str:
    t = unicodedata.normalize("NFC", " ".join(str(s or "").split()))
    if any(unicodedata.category(c) == "Cc" for c in t):
        raise IdentityError(f"The {what_en} contains control characters", f"{what_zh}含有控制字符", key="identity.bad_input")
    if len(t) > limit:
        raise IdentityError(f"The {what_en} is too long ({len(t)} characters, at most {limit})",
                            f"{what_zh}过长（{len(t)} 个字符，最多 {limit} 个）", key="identity.bad_input")
    return t


def check_fields(name_zh: str | None, name_en: str | None, country: str | None, contact: str | None) -> tuple[str, str, str, str]:
    """Validate and normalise the identity fields; raises IdentityError with a bilingual message."""
    zh = _clean(name_zh, "Chinese name", "中文名称", 64)
    en = _clean(name_en, "English name", "英文名称", 128)
    c = str(country or "").strip().upper()
    ct = _clean(contact, "contact", "联系方式", 200)
    if not zh and not en:
        raise IdentityError("Give the institution's name (in Chinese, in English, or both)",
                            "请填写单位名称（中文、英文或两者）", key="identity.bad_input")
    if not _COUNTRY.match(c):
        raise IdentityError(f"The country must be a two-letter ISO 3166 code such as CN, TH, VN, MY, ID (got {country!r})",
                            f"国家/地区应为两位 ISO 3166 代码，如 CN、TH、VN、MY、ID（当前为 {country!r}）",
                            key="identity.bad_input")
    return zh, en, c, ct


def check_new_passphrase(passphrase: str | None) -> bytes:
    """A passphrase chosen now (encrypted key file, PKCS#12 backup): long enough, not blank."""
    p = passphrase or ""
    if len(p) < MIN_PASSPHRASE_CHARS or not p.strip():
        raise IdentityError(
            f"The passphrase must have at least {MIN_PASSPHRASE_CHARS} characters (a short sentence is easy to "
            "remember and hard to guess)",
            f"口令至少需要 {MIN_PASSPHRASE_CHARS} 个字符（一句话既好记又难猜）",
            key="identity.weak_passphrase",
        )
    return p.encode("utf-8")


# ------------------------------------------------------------------------------------------ keys


def generate_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def make_certificate(key: ec.EllipticCurvePrivateKey, *, name_zh: str, name_en: str, country: str, contact: str = "",
                     now: _dt.datetime | None = None, years: int = VALIDITY_YEARS) -> x509.Certificate:
    now = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc).replace(microsecond=0)
    cn = name_zh or name_en
    org = name_en or name_zh
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, country), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
             x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if contact:
        attrs.append(x509.NameAttribute(DESCRIPTION_OID, contact))
    subject = x509.Name(attrs)
    pub = key.public_key()
    try:
        not_after = now.replace(year=now.year + years)
    except ValueError:  # 29 February
        not_after = now.replace(year=now.year + years, day=28)
    ski = x509.SubjectKeyIdentifier.from_public_key(pub)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes; IdentityError if it is neither."""
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise IdentityError("This is not an X.509 certificate (PEM or DER)", "这不是 X.509 证书（PEM 或 DER 格式）",
                            key="identity.bad_certificate") from None


def fields_from_cert(cert: x509.Certificate) -> dict[str, str]:
    """(name_zh, name_en, country, contact) as make_certificate wrote them."""
    def get(oid) -> str:
        v = cert.subject.get_attributes_for_oid(oid)
        return str(v[0].value) if v else ""

    cn, org = get(NameOID.COMMON_NAME), get(NameOID.ORGANIZATION_NAME)
    if _CJK.search(cn):
        zh, en = cn, (org if org != cn else "")
    else:
        zh, en = "", (cn or org)
    return {"name_zh": zh, "name_en": en, "country": get(NameOID.COUNTRY_NAME), "contact": get(DESCRIPTION_OID)}


def signer_name(cert: x509.Certificate) -> str:
    v = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME) or cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(v[0].value) if v else cert.subject.rfc4514_string()


def _spki(pub) -> bytes:
    return pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_matches(key, cert: x509.Certificate) -> bool:
    return _spki(key.public_key()) == _spki(cert.public_key())


def check_identity_key(key, cert: x509.Certificate) -> None:
    """Dossier identities are ECDSA P-256 keys with a matching certificate allowed to sign."""
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise IdentityError("This key is not an ECDSA P-256 key, as Dossier institution identities are",
                            "该密钥不是 ECDSA P-256 密钥，不能作为 Dossier 单位身份", key="identity.bad_key")
    if not key_matches(key, cert):
        raise IdentityError("The private key does not belong to the certificate", "私钥与证书不匹配",
                            key="identity.bad_key")
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        ok = ku.digital_signature or ku.content_commitment
    except x509.ExtensionNotFound:
        ok = True
    if not ok:
        raise IdentityError("The certificate is not allowed to sign (key usage)", "该证书的密钥用途不允许签名",
                            key="identity.bad_key")


def private_key_der(key) -> bytes:
    """Unencrypted PKCS#8 DER — only ever kept in memory (pyHanko's signer needs it)."""
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


# ------------------------------------------------------------------ passphrase-encrypted PKCS#8


def encrypt_private_key(key, passphrase: bytes, *, iterations: int | None = None) -> bytes:
    """PEM 'ENCRYPTED PRIVATE KEY': PKCS#8 PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)."""
    import base64

    from asn1crypto import core, keys as akeys

    iterations = iterations or KDF_ITERATIONS
    salt, iv = os.urandom(16), os.urandom(16)
    k = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(passphrase)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(private_key_der(key)) + padder.finalize()
    enc = Cipher(algorithms.AES(k), modes.CBC(iv)).encryptor()
    ct = enc.update(plain) + enc.finalize()
    epki = akeys.EncryptedPrivateKeyInfo({
        "encryption_algorithm": {
            "algorithm": "pbes2",
            "parameters": {
                "key_derivation_func": {"algorithm": "pbkdf2", "parameters": {
                    "salt": {"specified": salt}, "iteration_count": iterations,
                    "prf": {"algorithm": "sha256", "parameters": core.Null()}}},
                "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
            },
        },
        "encrypted_data": ct,
    })
    der = epki.dump()
    del plain
    # read it back with cryptography's loader: the file is only ever written if it decrypts
    back = serialization.load_der_private_key(der, passphrase)
    if _spki(back.public_key()) != _spki(key.public_key()):
        raise RuntimeError("encrypted key does not round-trip")
    b64 = base64.encodebytes(der).replace(b"\n", b"")
    body = b"\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + b"\n-----END ENCRYPTED PRIVATE KEY-----\n"


def decrypt_private_key(pem: bytes, passphrase: bytes):
    if b"ENCRYPTED PRIVATE KEY" not in pem:
        raise IdentityError("The stored key file is not encrypted; refusing to use it", "保存的密钥文件未加密，拒绝使用",
                            key="identity.key_file_plain")
    try:
        return serialization.load_pem_private_key(pem, passphrase)
    except (ValueError, TypeError):
        raise IdentityError("Wrong passphrase for the institution identity", "单位身份口令错误",
                            key="identity.wrong_passphrase") from None
