"""Checking signatures: the package's detached CMS over tagmanifest-sha256.txt, and the PDF's PAdES seal.

Both return a dict::

    status       "trusted"         the signature is valid and the signer is the trusted identity
                 "unknown_signer"  valid, but not by the trusted identity (or no trust was given):
                                   compare `fingerprint` with the one the institution tells you
                 "unsigned"        no signature
                 "invalid"         does not verify (tampered, changed after signing) or malformed
    fingerprint  SHA-256 of the signer's certificate (64 hex digits) or None
    display_fingerprint, signer (the name in the certificate), signed_at, reason (for invalid)
    message      {"zh": …, "en": …}

Only the signer's certificate itself can be trusted (self-signed identities): give the
certificate file (PEM or DER) or its fingerprint. Nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from . import keys
from ._logs import quiet
from .model import format_fingerprint, normalize_fingerprint

STATUSES = ("trusted", "unknown_signer", "unsigned", "invalid")
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _many(v: Any) -> list:
    if v is None:
        return []
    if isinstance(v, (bytes, bytearray, str)):
        return [v] if v else []
    return [x for x in v if x]


def _trusted_fingerprint(trust_cert_pem: Any, trust_fingerprint: Any) -> frozenset[str] | None:
    """The set of trusted fingerprints (a reviewer may trust several institutions), or None.

    Each argument is one value or a list: certificates as PEM/DER bytes, fingerprints as typed."""
    fps = {keys.fingerprint(keys.load_certificate(bytes(c))) for c in _many(trust_cert_pem)}
    fps |= {normalize_fingerprint(f) for f in _many(trust_fingerprint)}
    return frozenset(fps) if fps else None


def _result(status: str, *, fp: str | None = None, signer: str | None = None, reason: str | None = None,
            reason_zh: str | None = None, **extra: Any) -> dict[str, Any]:
    dfp = format_fingerprint(fp) if fp else None
    if status == "trusted":
        msg = {"zh": f"由受信任的单位身份签章：{signer}（指纹 {dfp}）",
               "en": f"signed by the trusted identity: {signer} (fingerprint {dfp})"}
    elif status == "unknown_signer":
        msg = {"zh": f"签章有效，但签章人不是受信任的身份：{signer}（指纹 {dfp}）。请与该单位核对指纹。",
               "en": f"validly signed, but not by a trusted identity: {signer} (fingerprint {dfp}). "
                     "Check the fingerprint with the institution."}
    elif status == "unsigned":
        msg = {"zh": "未签章", "en": "not signed"}
    else:
        msg = {"zh": f"签章无效：{reason_zh or reason}", "en": f"signature invalid: {reason}"}
    d: dict[str, Any] = {"status": status, "fingerprint": fp, "display_fingerprint": dfp, "signer": signer,
                         "message": msg}
    if reason:
        d["reason"] = reason
    d.update(extra)
    return d


def _invalid(reason: str, reason_zh: str, **kw: Any) -> dict[str, Any]:
    return _result("invalid", reason=reason, reason_zh=reason_zh, **kw)


# ----------------------------------------------------------------------------------- package


def check_package_signature(tagmanifest_bytes: bytes | None, tag_files: dict[str, bytes],
                            trust_cert_pem: bytes | None = None, trust_fingerprint: str | None = None) -> dict[str, Any]:
    """Verify `signature.p7s` (detached CMS SignedData) over the tag manifest's bytes.

    `tag_files` maps tag file names to bytes (signature.p7s, signer-cert.pem). A bad trust argument
    (unreadable certificate, malformed fingerprint) raises IdentityError; a bad package never raises."""
    trusted_fp = _trusted_fingerprint(trust_cert_pem, trust_fingerprint)
    p7 = tag_files.get("signature.p7s")
    if p7 is None:
        if tag_files.get("signer-cert.pem"):
            return _invalid("signer-cert.pem is present but signature.p7s is missing",
                            "有 signer-cert.pem 却缺少 signature.p7s")
        return _result("unsigned")
    if tagmanifest_bytes is None:
        return _invalid("tagmanifest-sha256.txt is missing", "缺少 tagmanifest-sha256.txt")
    try:
        return _check_cms(bytes(tagmanifest_bytes), bytes(p7), tag_files.get("signer-cert.pem"), trusted_fp)
    except Exception as e:  # noqa: BLE001 - untrusted bytes: any parse failure means "invalid"
        return _invalid(f"signature.p7s is malformed ({type(e).__name__}: {str(e)[:120]})",
                        f"signature.p7s 格式有误（{type(e).__name__}）")


def _asn1_registrations() -> None:
    """asn1crypto builds each OID class's name→OID map once, the first time the class is used: the
    modules that add OIDs (asn1crypto.tsp, pyHanko's CAdES attributes) must be imported before any
    CMS is parsed here, or pyHanko later fails to build e.g. signing_certificate_v2 by name."""
    import asn1crypto.tsp  # noqa: F401

    try:
        import pyhanko.sign.ades.cades_asn1  # noqa: F401
        import pyhanko.sign.general  # noqa: F401
    except ImportError:  # pragma: no cover - pyHanko is a dependency
        pass


def _check_cms(data: bytes, p7: bytes, cert_pem: bytes | None, trusted_fp: frozenset[str] | None) -> dict[str, Any]:
    _asn1_registrations()
    from asn1crypto import cms

    ci = cms.ContentInfo.load(p7, strict=True)
    if ci["content_type"].native != "signed_data":
        return _invalid("signature.p7s is not a CMS SignedData", "signature.p7s 不是 CMS SignedData")
    sd = ci["content"]
    # the parts of a CMS outside the signed attributes are not covered by the signature: accept only
    # the one canonical DER form and the expected values, so no byte of signature.p7s can change silently
    if ci.dump(force=True) != p7:
        return _invalid("signature.p7s is not in canonical DER form (altered?)", "signature.p7s 不是规范的 DER 编码（可能被改动）")
    eci = sd["encap_content_info"]
    if eci["content_type"].native != "data":
        return _invalid("signature.p7s signs another content type", "signature.p7s 签署的内容类型不对")
    if eci["content"].native is not None and eci["content"].native != data:
        return _invalid("signature.p7s carries other content than tagmanifest-sha256.txt",
                        "signature.p7s 所含内容与 tagmanifest-sha256.txt 不同")
    infos = list(sd["signer_infos"])
    if len(infos) != 1:
        return _invalid(f"signature.p7s has {len(infos)} signers (expected one)", f"signature.p7s 有 {len(infos)} 个签名者（应为 1 个）")
    si = infos[0]
    digest_algos = {a["algorithm"].native for a in sd["digest_algorithms"]}
    if si["digest_algorithm"]["algorithm"].native not in digest_algos:
        return _invalid("signature.p7s lists other digest algorithms than its signer uses",
                        "signature.p7s 列出的摘要算法与签名者不符")
    expected_versions = {"issuer_and_serial_number": ("v1", "v1"), "subject_key_identifier": ("v3", "v3")}
    sd_v, si_v = expected_versions.get(si["sid"].name, (None, None))
    if si["version"].native != si_v or sd["version"].native not in ("v1", "v3"):
        return _invalid("signature.p7s has unexpected version numbers", "signature.p7s 的版本号不符合规范")
    if si["unsigned_attrs"].native:
        return _invalid("signature.p7s has unsigned attributes", "signature.p7s 含有未签名属性")
    certs = [c.chosen for c in (sd["certificates"] or []) if c.name == "certificate"]
    sid = si["sid"]
    signer_cert = None
    for c in certs:
        if sid.name == "issuer_and_serial_number":
            if c.issuer == sid.chosen["issuer"] and c.serial_number == sid.chosen["serial_number"].native:
                signer_cert = c
        elif sid.name == "subject_key_identifier":
            if c.key_identifier == sid.chosen.native:
                signer_cert = c
    if signer_cert is None:
        return _invalid("the signer's certificate is not in signature.p7s", "signature.p7s 中没有签名者的证书")
    cert = x509.load_der_x509_certificate(signer_cert.dump())
    fp = keys.fingerprint(cert)
    signer = keys.signer_name(cert)
    kw: dict[str, Any] = {"fp": fp, "signer": signer}
    if len(certs) != 1 or sd["crls"].native:
        return _invalid("signature.p7s carries other certificates or CRLs than the signer's",
                        "signature.p7s 含有签名者证书以外的证书或吊销列表", **kw)
    if not _self_signature_ok(cert):  # institution identities are self-signed certificates
        return _invalid("the signer's certificate is damaged or not self-signed (its signature does not verify)",
                        "签名证书已损坏或不是自签名证书（证书签名验证失败）", **kw)
    if cert_pem:
        try:
            side = keys.load_certificate(bytes(cert_pem))
        except Exception:  # noqa: BLE001
            return _invalid("signer-cert.pem is not a certificate", "signer-cert.pem 不是证书", **kw)
        if keys.fingerprint(side) != fp:
            return _invalid("signer-cert.pem is not the certificate that made signature.p7s",
                            "signer-cert.pem 与 signature.p7s 的签名证书不一致", **kw)

    digest_name = si["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        return _invalid(f"unsupported or weak digest algorithm {digest_name}", f"不支持或不安全的摘要算法 {digest_name}", **kw)
    h = _HASHES[digest_name]()
    attrs = si["signed_attrs"]
    if not attrs or attrs.native is None:
        return _invalid("signature.p7s has no signed attributes", "signature.p7s 没有签名属性", **kw)
    by_type = {a["type"].native: a["values"] for a in attrs}
    if "message_digest" not in by_type or "content_type" not in by_type:
        return _invalid("signature.p7s lacks the content-type or message-digest attribute",
                        "signature.p7s 缺少 content-type 或 message-digest 属性", **kw)
    if by_type["content_type"][0].native != "data":
        return _invalid("signature.p7s signs another content type", "signature.p7s 签署的内容类型不对", **kw)
    dig = hashes.Hash(h)
    dig.update(data)
    if by_type["message_digest"][0].native != dig.finalize():
        return _invalid("tagmanifest-sha256.txt was changed after signing (its digest does not match the signature)",
                        "tagmanifest-sha256.txt 在签章后被修改（摘要与签名不符）", **kw)
    signed_at = None
    if "signing_time" in by_type:
        signed_at = by_type["signing_time"][0].native
    signed_bytes = b"\x31" + attrs.dump()[1:]  # the SET OF, not the [0] IMPLICIT tag, is what is signed
    sig = si["signature"].native
    algo = si["signature_algorithm"]["algorithm"].native
    pub = cert.public_key()
    try:
        if isinstance(pub, ec.EllipticCurvePublicKey) and algo in ("ecdsa", f"{digest_name}_ecdsa"):
            pub.verify(sig, signed_bytes, ec.ECDSA(h))
        elif isinstance(pub, rsa.RSAPublicKey) and algo in ("rsassa_pkcs1v15", f"{digest_name}_rsa"):
            pub.verify(sig, signed_bytes, padding.PKCS1v15(), h)
        else:
            return _invalid(f"unsupported signature algorithm {algo}", f"不支持的签名算法 {algo}", **kw)
    except InvalidSignature:
        return _invalid("the signature does not verify (signature.p7s was altered or made with another key)",
                        "签名验证失败（signature.p7s 被改动，或由其他密钥生成）", **kw)
    if signed_at is not None and not (cert.not_valid_before_utc <= signed_at <= cert.not_valid_after_utc):
        return _invalid(f"signed on {signed_at:%Y-%m-%d}, outside the certificate's validity",
                        f"签署时间 {signed_at:%Y-%m-%d} 不在证书有效期内", **kw)
    if not _may_sign(cert):
        return _invalid("the signer's certificate is not allowed to sign (key usage)", "签名证书的密钥用途不允许签名", **kw)
    extra = {"signed_at": signed_at.isoformat() if signed_at else None, "certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode("ascii")}
    status = "trusted" if trusted_fp is not None and fp in trusted_fp else "unknown_signer"
    return _result(status, **kw, **extra)


def _self_signature_ok(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def _may_sign(cert: x509.Certificate) -> bool:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(ku.digital_signature or ku.content_commitment)


# ----------------------------------------------------------------------------------- PDF


def check_pdf_signature(pdf: str | os.PathLike | bytes, trust_cert_pem: bytes | None = None,
                        trust_fingerprint: str | None = None) -> dict[str, Any]:
    """Validate the PDF's signatures with pyHanko (offline). "trusted"/"unknown_signer" need every
    signature intact and cryptographically valid, and the last one covering the entire file: a PDF
    changed after signing (bytes altered, or anything appended) is "invalid".

    Extra keys: intact, valid, coverage, modification_level, signatures (per signature)."""
    trusted_fp = _trusted_fingerprint(trust_cert_pem, trust_fingerprint)
    data = bytes(pdf) if isinstance(pdf, (bytes, bytearray)) else Path(pdf).read_bytes()
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(data))  # strict: no hybrid-reference or malformed xref tricks
        sigs = list(reader.embedded_signatures)
    except Exception as e:  # noqa: BLE001 - untrusted bytes
        return _invalid(f"the PDF cannot be read ({type(e).__name__}: {str(e)[:120]})", f"无法读取 PDF（{type(e).__name__}）")
    if not sigs:
        return _result("unsigned")
    per: list[dict[str, Any]] = []
    try:
        for s in sigs:
            per.append(_validate_one(s, trusted_fp))
    except Exception as e:  # noqa: BLE001
        return _invalid(f"the signature cannot be validated ({type(e).__name__}: {str(e)[:120]})",
                        f"无法验证签名（{type(e).__name__}）")
    last = per[-1]
    kw = {"fp": last["fingerprint"], "signer": last["signer"], "intact": all(p["intact"] for p in per),
          "valid": all(p["valid"] for p in per), "coverage": last["coverage"],
          "modification_level": last["modification_level"], "signed_at": last["signed_at"], "signatures": per}
    for p in per:
        if not p["intact"]:
            return _invalid(f"the PDF was changed after signing: signature {p['field']} no longer matches the bytes it covers",
                            f"PDF 在签章后被修改：签名 {p['field']} 与其覆盖的内容不符", **kw)
        if not p["valid"]:
            return _invalid(f"signature {p['field']} does not verify", f"签名 {p['field']} 验证失败", **kw)
    if last["coverage"] != "ENTIRE_FILE":
        return _invalid("the PDF was changed after signing (content was added after the signature)",
                        "PDF 在签章后被修改（签名之后追加了内容）", **kw)
    if trusted_fp is not None and last["fingerprint"] in trusted_fp and all(
            p["fingerprint"] in trusted_fp for p in per) and last["trusted"]:
        return _result("trusted", **kw)
    return _result("unknown_signer", **kw)


def _validate_one(sig, trusted_fp: frozenset[str] | None) -> dict[str, Any]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    cert_asn1 = sig.signer_cert
    cert = x509.load_der_x509_certificate(cert_asn1.dump())
    fp = keys.fingerprint(cert)
    roots = [cert_asn1] if trusted_fp is not None and fp in trusted_fp else []
    vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    with quiet("pyhanko", "pyhanko_certvalidator"):
        st = validate_pdf_signature(sig, signer_validation_context=vc)
    signed_at = getattr(st, "signer_reported_dt", None)
    return {
        "field": sig.field_name, "fingerprint": fp, "signer": keys.signer_name(cert),
        "intact": bool(st.intact), "valid": bool(st.valid), "trusted": bool(st.trusted),
        "coverage": st.coverage.name if st.coverage is not None else None,
        "modification_level": st.modification_level.name if st.modification_level is not None else None,
        "signed_at": signed_at.isoformat() if isinstance(signed_at, _dt.datetime) else None,
        "md_algorithm": getattr(st, "md_algorithm", None),
        "pades": getattr(sig, "sig_object", {}).get("/SubFilter") == "/ETSI.CAdES.detached",
    }
