"""Signing and verification round trips: CMS over bytes (the bag's tag manifest) and PAdES PDFs;
tampering is reported invalid; reviewers' tools (pyhanko CLI, openssl) agree."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from asn1crypto import cms

import desktop.identity as identity
from desktop.identity.model import IdentityError
from desktop.identity.verify import check_package_signature, check_pdf_signature

from .conftest import SEAL_BOX, make_pdf

TAGMANIFEST = (b"0f343b0931126a20f133d67c2b018a3b5e3fb4d7bfb0fc3d3d6e2f2e0c4a2b11  bag-info.txt\n"
               b"e91f941be5973ff71f1dccbdd1a32d598881893a7f21be516aca743da38b1689  bagit.txt\n"
               b"2c0b5a6ef1d0ffb0d0f5b8f9a1c7e3e9e6a0d8c1b2a3f4e5d6c7b8a9f0e1d2c3  manifest-sha256.txt\n")


@pytest.fixture
def sealer():
    identity.create_identity("柳州职业技术学院", "Liuzhou Vocational & Technical College", "CN", "+86 772 1234567")
    return identity.get_sealer()


@pytest.fixture
def other_sealer(tmp_path, monkeypatch):
    """A sealer for a different identity (made in another user data dir)."""
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "other-home"))
    identity.create_identity("", "Someone Else", "TH")
    return identity.get_sealer()  # (the sealer holds its key; the user data dir no longer matters)


def test_sealer_contract(sealer):
    assert len(sealer.fingerprint) == 64 and sealer.fingerprint == sealer.fingerprint.lower()
    assert sealer.display_fingerprint.replace(" ", "").lower() == sealer.fingerprint
    assert len(sealer.display_fingerprint.split(" ")) == 16
    assert sealer.name == "柳州职业技术学院"
    assert "PRIVATE" not in repr(sealer) and sealer.display_fingerprint in repr(sealer)


# ------------------------------------------------------------------------------- bytes / CMS


def test_sign_bytes_round_trip(sealer):
    files = sealer.sign_bytes(TAGMANIFEST)
    assert sorted(files) == ["signature.p7s", "signer-cert.pem"]
    assert files["signer-cert.pem"] == sealer.certificate_pem
    ci = cms.ContentInfo.load(files["signature.p7s"])
    sd = ci["content"]
    assert ci["content_type"].native == "signed_data" and sd["encap_content_info"]["content"].native is None  # detached
    assert sd["signer_infos"][0]["digest_algorithm"]["algorithm"].native == "sha256"
    assert len(sd["certificates"]) == 1

    r = check_package_signature(TAGMANIFEST, files, trust_cert_pem=sealer.certificate_pem)
    assert r["status"] == "trusted" and r["fingerprint"] == sealer.fingerprint and r["signer"] == sealer.name
    assert r["message"]["zh"] and r["message"]["en"] and r["signed_at"]
    r = check_package_signature(TAGMANIFEST, files, trust_fingerprint=sealer.display_fingerprint)
    assert r["status"] == "trusted"
    r = check_package_signature(TAGMANIFEST, files)
    assert r["status"] == "unknown_signer" and r["display_fingerprint"] == sealer.display_fingerprint
    assert sealer.display_fingerprint in r["message"]["en"]
    r = check_package_signature(TAGMANIFEST, files, trust_fingerprint="ab" * 32)
    assert r["status"] == "unknown_signer"
    # signer-cert.pem is optional: the certificate is inside the CMS
    assert check_package_signature(TAGMANIFEST, {"signature.p7s": files["signature.p7s"]},
                                   trust_fingerprint=sealer.fingerprint)["status"] == "trusted"


def test_unsigned_and_bad_trust(sealer):
    assert check_package_signature(TAGMANIFEST, {})["status"] == "unsigned"
    files = sealer.sign_bytes(TAGMANIFEST)
    with pytest.raises(IdentityError):
        check_package_signature(TAGMANIFEST, files, trust_fingerprint="1234")
    with pytest.raises(IdentityError):
        check_package_signature(TAGMANIFEST, files, trust_cert_pem=b"not a certificate")


def _flip(b: bytes, i: int) -> bytes:
    x = bytearray(b)
    x[i] ^= 0x01
    return bytes(x)


def test_tampered_tagmanifest_or_signature_is_invalid(sealer, other_sealer):
    files = sealer.sign_bytes(TAGMANIFEST)
    fp = sealer.fingerprint
    # the tag manifest changed after signing
    r = check_package_signature(TAGMANIFEST.replace(b"0f34", b"0f35"), files, trust_fingerprint=fp)
    assert r["status"] == "invalid" and "tagmanifest" in r["reason"]
    assert check_package_signature(TAGMANIFEST + b"\n", files, trust_fingerprint=fp)["status"] == "invalid"
    # the signature value itself altered
    ci = cms.ContentInfo.load(files["signature.p7s"])
    sig = ci["content"]["signer_infos"][0]["signature"].native
    p7 = files["signature.p7s"]
    i = p7.rindex(sig) + len(sig) // 2
    r = check_package_signature(TAGMANIFEST, {**files, "signature.p7s": _flip(p7, i)}, trust_fingerprint=fp)
    assert r["status"] == "invalid"
    # any single flipped byte anywhere in the signature file
    for pos in range(len(p7)):
        r = check_package_signature(TAGMANIFEST, {"signature.p7s": _flip(p7, pos)}, trust_fingerprint=fp)
        assert r["status"] == "invalid", (pos, r)
    # garbage, truncated, empty
    for bad in (b"", b"garbage", p7[:100]):
        assert check_package_signature(TAGMANIFEST, {"signature.p7s": bad})["status"] == "invalid"
    # a signer-cert.pem that is not the signer's
    r = check_package_signature(TAGMANIFEST, {**files, "signer-cert.pem": other_sealer.certificate_pem}, trust_fingerprint=fp)
    assert r["status"] == "invalid" and "signer-cert.pem" in r["reason"]
    # someone else's valid signature swapped in: valid, but not the trusted identity
    other = other_sealer.sign_bytes(TAGMANIFEST)
    r = check_package_signature(TAGMANIFEST, other, trust_fingerprint=fp)
    assert r["status"] == "unknown_signer" and r["fingerprint"] == other_sealer.fingerprint
    # signer-cert.pem without a signature
    assert check_package_signature(TAGMANIFEST, {"signer-cert.pem": files["signer-cert.pem"]})["status"] == "invalid"


def test_openssl_verifies_the_cms(sealer, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    files = sealer.sign_bytes(TAGMANIFEST)
    (tmp_path / "tagmanifest-sha256.txt").write_bytes(TAGMANIFEST)
    for n, b in files.items():
        (tmp_path / n).write_bytes(b)
    cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature.p7s", "-content",
           "tagmanifest-sha256.txt", "-CAfile", "signer-cert.pem", "-purpose", "any", "-out", "/dev/null"]
    assert subprocess.run(cmd, cwd=tmp_path, capture_output=True).returncode == 0
    (tmp_path / "tagmanifest-sha256.txt").write_bytes(TAGMANIFEST + b"x")
    assert subprocess.run(cmd, cwd=tmp_path, capture_output=True).returncode != 0


# ------------------------------------------------------------------------------- PDF / PAdES


def _all_fonts_embedded(pdf: pikepdf.Pdf) -> list[str]:
    bad = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        sub = obj.get("/Subtype")
        if sub == "/Type0":
            for d in obj.DescendantFonts:
                fd = d.get("/FontDescriptor")
                if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    bad.append(str(obj.get("/BaseFont")))
        elif sub in ("/TrueType", "/Type1", "/MMType1"):
            fd = obj.get("/FontDescriptor")
            if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad.append(str(obj.get("/BaseFont")))
    return bad


def test_sign_pdf_round_trip(sealer, pdf_file, tmp_path):
    out = tmp_path / "signed.pdf"
    sealer.sign_pdf(pdf_file, out, page_index=1, box=SEAL_BOX)
    src, signed = pdf_file.read_bytes(), out.read_bytes()
    assert signed.startswith(src) and len(signed) > len(src)  # an incremental update: the original bytes untouched

    r = check_pdf_signature(out, trust_cert_pem=sealer.certificate_pem)
    assert r["status"] == "trusted", r
    assert r["intact"] and r["valid"] and r["coverage"] == "ENTIRE_FILE" and r["fingerprint"] == sealer.fingerprint
    assert r["signatures"][0]["pades"] and r["signatures"][0]["md_algorithm"] == "sha256"
    assert check_pdf_signature(out, trust_fingerprint=sealer.fingerprint)["status"] == "trusted"
    assert check_pdf_signature(out)["status"] == "unknown_signer"
    assert check_pdf_signature(out, trust_fingerprint="cd" * 32)["status"] == "unknown_signer"
    assert check_pdf_signature(pdf_file)["status"] == "unsigned"

    with pikepdf.open(out) as pdf:
        page = pdf.pages[1]
        widgets = [a for a in page.get("/Annots", []) if a.get("/FT") == "/Sig"]
        assert len(widgets) == 1
        w = widgets[0]
        assert [round(float(v), 1) for v in w.Rect] == [round(v, 1) for v in SEAL_BOX]
        v = w.V
        assert v.SubFilter == "/ETSI.CAdES.detached" and v.Filter == "/Adobe.PPKLite"
        assert "/M" in v and str(v.Name) == sealer.name
        assert _all_fonts_embedded(pdf) == []
        # the visible seal uses the embedded CJK font (subset), with a ToUnicode map so it copies out as text
        ap = w.AP.N
        fonts = _collect_fonts(ap)
        assert fonts and all("WenQuanYi" in str(f.get("/BaseFont")) for f in fonts)
        assert all(str(f.BaseFont).split("+")[0].isupper() and "+" in str(f.BaseFont) for f in fonts)  # subset tag
        cmap = b"".join(f.ToUnicode.read_bytes() for f in fonts)
        for ch in "电子签章":
            assert f"<{ord(ch):04x}>".encode() in cmap.lower() or f"<{ord(ch):04X}>".encode() in cmap


def _collect_fonts(xobj, seen=None) -> list:
    seen = seen if seen is not None else set()
    found = []
    res = xobj.get("/Resources")
    if res is None:
        return found
    for _n, f in (res.get("/Font") or {}).items():
        found.append(f)
    for _n, x in (res.get("/XObject") or {}).items():
        if x.objgen in seen:
            continue
        seen.add(x.objgen)
        found += _collect_fonts(x, seen)
    return found


def test_seal_text_shows_signer_time_fingerprint(sealer, pdf_file, tmp_path):
    out = tmp_path / "signed.pdf"
    sealer.sign_pdf(pdf_file, out, page_index=1, box=SEAL_BOX)
    with pikepdf.open(out) as pdf:
        w = [a for a in pdf.pages[1].Annots if a.get("/FT") == "/Sig"][0]
        text = _actual_text(w.AP.N)
    assert "电子签章" in text and "柳州职业技术学院" in text and "Liuzhou Vocational" in text
    groups = sealer.display_fingerprint.split(" ")
    assert " ".join(groups[:8]) in text and " ".join(groups[8:]) in text
    assert "Signed: 20" in text


def _actual_text(xobj, seen=None) -> str:
    """The /ActualText spans pyHanko writes around each shaped line."""
    import re

    seen = seen if seen is not None else set()
    out = []
    data = xobj.read_bytes()
    for m in re.finditer(rb"/ActualText\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", data):
        out.append(str(pikepdf.Object.parse(m.group(1))))
    res = xobj.get("/Resources")
    for _n, x in ((res.get("/XObject") or {}).items() if res is not None else []):
        if x.objgen not in seen:
            seen.add(x.objgen)
            out.append(_actual_text(x, seen))
    return "\n".join(out)


def test_signing_a_second_time_adds_a_second_field(sealer, pdf_file, tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    sealer.sign_pdf(pdf_file, a, page_index=0, box=SEAL_BOX)
    sealer.sign_pdf(a, b, page_index=1, box=SEAL_BOX)
    r = check_pdf_signature(b, trust_fingerprint=sealer.fingerprint)
    assert r["status"] == "trusted" and [s["field"] for s in r["signatures"]] == ["DossierSeal", "DossierSeal2"]


def test_tampered_pdf_is_invalid(sealer, pdf_file, tmp_path):
    out = tmp_path / "signed.pdf"
    sealer.sign_pdf(pdf_file, out, page_index=1, box=SEAL_BOX)
    signed = out.read_bytes()
    fp = sealer.fingerprint

    # 1. a flipped byte in the middle of the original part
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_flip(signed, len(pdf_file.read_bytes()) // 2))
    assert check_pdf_signature(bad, trust_fingerprint=fp)["status"] == "invalid"

    # 2. a changed digit inside the signature value: the end of the CMS in /Contents <…>
    start = signed.rindex(b"/Contents <") + len(b"/Contents <")
    assert signed[start:start + 4] == b"3082"  # SEQUENCE with a two-byte length
    cms_len = int(signed[start + 4:start + 8], 16) + 4
    j = start + 2 * cms_len - 10
    digit = signed[j:j + 1]
    bad.write_bytes(signed[:j] + (b"1" if digit != b"1" else b"2") + signed[j + 1:])
    assert check_pdf_signature(bad, trust_fingerprint=fp)["status"] == "invalid"

    # 3. an incremental update appended after signing (a new annotation): content changed after signing
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    annot = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (10, 10, 30, 30)]),
        generic.NameObject("/Contents"): generic.TextStringObject("changed after signing"),
    })
    page_ref = w.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page[generic.NameObject("/Annots")] = generic.ArrayObject([w.add_object(annot)])
    w.update_container(page)
    buf = io.BytesIO()
    w.write(buf)
    bad.write_bytes(buf.getvalue())
    r = check_pdf_signature(bad, trust_fingerprint=fp)
    assert r["status"] == "invalid" and "after signing" in r["reason"], r

    # 4. re-saved by another tool (pikepdf rewrites the whole file)
    with pikepdf.open(out) as pdf:
        pdf.save(bad)
    assert check_pdf_signature(bad, trust_fingerprint=fp)["status"] == "invalid"

    # 5. not a PDF at all
    bad.write_bytes(b"%PDF-1.7\nnonsense")
    assert check_pdf_signature(bad)["status"] == "invalid"


def _pyhanko_cli() -> list[str] | None:
    exe = Path(sys.executable).with_name("pyhanko")
    if exe.exists():
        return [str(exe)]
    if shutil.which("pyhanko"):
        return ["pyhanko"]
    return None


def test_pyhanko_cli_validates_as_documented(sealer, pdf_file, tmp_path):
    """docs/identity.md: `pyhanko sign validate --trust CERT --trust-replace FILE.pdf` (pyhanko-cli)."""
    cli = _pyhanko_cli()
    if cli is None:
        pytest.skip("pyhanko-cli is not installed (pip install pyhanko-cli)")
    out = tmp_path / "signed.pdf"
    sealer.sign_pdf(pdf_file, out, page_index=1, box=SEAL_BOX)
    cert = tmp_path / "signer-cert.pem"
    identity.export_certificate(cert)
    r = subprocess.run(cli + ["sign", "validate", "--trust", str(cert), "--trust-replace", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "INTACT:TRUSTED,UNTOUCHED" in r.stdout, r.stdout + r.stderr
    assert sealer.fingerprint in r.stdout
    r = subprocess.run(cli + ["sign", "validate", "--pretty-print", "--trust", str(cert), "--trust-replace", str(out)],
                       capture_output=True, text=True)
    assert "The signature is judged VALID." in r.stdout and "The signature covers the entire file." in r.stdout
    # without trusting the certificate: intact but untrusted, exit code 1
    r = subprocess.run(cli + ["sign", "validate", "--trust-replace", str(out)], capture_output=True, text=True)
    assert r.returncode != 0 and "INTACT:UNTRUSTED" in r.stdout, r.stdout
    # and the bag's detached signature
    files = sealer.sign_bytes(TAGMANIFEST)
    (tmp_path / "tagmanifest-sha256.txt").write_bytes(TAGMANIFEST)
    (tmp_path / "signature.p7s").write_bytes(files["signature.p7s"])
    r = subprocess.run(cli + ["sign", "validate", "--trust", str(cert), "--trust-replace", "--detached",
                              str(tmp_path / "signature.p7s"), str(tmp_path / "tagmanifest-sha256.txt")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "INTACT:TRUSTED" in r.stdout, r.stdout + r.stderr
    # tampered PDF
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_flip(out.read_bytes(), len(pdf_file.read_bytes()) // 2))
    r = subprocess.run(cli + ["sign", "validate", "--trust", str(cert), "--trust-replace", str(bad)],
                       capture_output=True, text=True)
    assert r.returncode != 0


def test_sealer_in_passphrase_storage_signs(fail_keyring, pdf_file, tmp_path):
    identity.create_identity("测试学院", "", "CN", passphrase="a long enough passphrase")
    s = identity.get_sealer("a long enough passphrase")
    out = tmp_path / "signed.pdf"
    s.sign_pdf(pdf_file, out, page_index=0, box=(50, 50, 250, 170))
    assert check_pdf_signature(out, trust_fingerprint=s.fingerprint)["status"] == "trusted"


def test_make_pdf_helper_is_valid():
    assert make_pdf(1).startswith(b"%PDF")


def test_seal_leaves_out_a_name_the_font_cannot_draw(pdf_file, tmp_path):
    identity.create_identity("清迈皇家大学", "มหาวิทยาลัยราชภัฏเชียงใหม่", "TH")
    s = identity.get_sealer()
    assert s.display_signer() == "清迈皇家大学"
    out = tmp_path / "signed.pdf"
    s.sign_pdf(pdf_file, out, page_index=0, box=SEAL_BOX)
    assert check_pdf_signature(out, trust_fingerprint=s.fingerprint)["status"] == "trusted"
