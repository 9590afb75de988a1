"""End to end: `dossier export --sign` then `dossier verify --trust…`; tampered packages; and a scan of
the user data folder and of every output proving no private key is written in plain text."""

from __future__ import annotations

import base64
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

import desktop.identity as identity
from desktop.cli import main
from desktop.identity import keys, store
from desktop.identity.verify import check_pdf_signature
from desktop.paths import user_data_dir

from .conftest import PASSPHRASE

pytest.importorskip("desktop.export")

# DER of an unencrypted PKCS#8 P-256 key (any key): version 0, id-ecPublicKey, prime256v1, then the key
PKCS8_EC_PLAIN = bytes.fromhex("020100301306072a8648ce3d020106082a8648ce3d030107")
SEC1_EC_PLAIN = bytes.fromhex("020101" "0420")  # ECPrivateKey: version 1, privateKey OCTET STRING (32)


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def _export(capsys, project: Path, out: Path) -> tuple[Path, Path]:
    out.mkdir(exist_ok=True)
    rc, o, err = run(capsys, "export", project, "--out", out, "--sign")
    assert rc == 0, err
    lines = o.splitlines()
    return Path(lines[0]), Path(lines[1])


def _rezip(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        for zi, data in items:
            data = change(zi.filename, data)
            if data is not None:
                z.writestr(zi, data)
    return dst


def test_export_sign_and_verify(capsys, demo_copy, tmp_path):
    run(capsys, "identity", "create", "--name-zh", "柳州市人民政府", "--name-en", "Liuzhou Municipal Government",
        "--country", "CN")
    ident = identity.load_identity()
    pdf, zp = _export(capsys, demo_copy, tmp_path / "out")

    # the package: signature.p7s + signer-cert.pem over the tag manifest, bag still valid
    with zipfile.ZipFile(zp) as z:
        names = z.namelist()
        root = names[0].split("/")[0]
        assert f"{root}/signature.p7s" in names and f"{root}/signer-cert.pem" in names
        assert z.read(f"{root}/signer-cert.pem") == ident.certificate
        doc = json.loads(z.read(f"{root}/data/answers.json"))
        assert doc["sealer"]["fingerprint"] == ident.fingerprint
    rc, out, _ = run(capsys, "verify", zp, "--trust-fingerprint", ident.display_fingerprint.replace(" ", ""))
    assert rc == 0 and "INTACT" in out and "trusted" in out, out
    rc, out, _ = run(capsys, "verify", zp, "--json", "--trust-fingerprint", ident.fingerprint)
    v = json.loads(out)
    assert v["signature"]["status"] == "trusted" and v["signature"]["fingerprint"] == ident.fingerprint
    cert = tmp_path / "cert.pem"
    run(capsys, "identity", "export", "--cert", cert)
    rc, out, _ = run(capsys, "verify", zp, "--trust", cert)
    assert rc == 0 and "trusted" in out
    rc, out, _ = run(capsys, "verify", zp)  # no trust given: valid, signer unknown to the reviewer
    assert rc == 0 and "unknown_signer" in out
    rc, out, _ = run(capsys, "verify", zp, "--json", "--trust-fingerprint", "ab" * 32)
    v = json.loads(out)
    assert rc == 3 and v["status"] == "untrusted" and v["signature"]["status"] == "unknown_signer"
    assert v["signature"]["fingerprint"] == ident.fingerprint and v["trust"] == {
        "required": True, "met": False, "reason": v["trust"]["reason"]} and v["trust"]["reason"]["en"]

    # the PDF: PAdES, trusted, the fingerprint printed (cover and stamp page) by the export
    r = check_pdf_signature(pdf, trust_fingerprint=ident.fingerprint)
    assert r["status"] == "trusted" and r["coverage"] == "ENTIRE_FILE"
    from pdfminer.high_level import extract_text

    text = extract_text(str(pdf))
    assert ident.display_fingerprint in " ".join(text.split()) or ident.display_fingerprint[:19] in text

    # tampering: the tag manifest, the signature, the PDF
    bad = _rezip(zp, tmp_path / "tm.zip",
                 lambda n, d: d.replace(b"bagit.txt", b"bagit.txt ", 1) if n.endswith("tagmanifest-sha256.txt") else d)
    rc, out, _ = run(capsys, "verify", bad, "--json", "--trust-fingerprint", ident.fingerprint)
    assert rc == 1 and json.loads(out)["signature"]["status"] == "invalid"
    bad = _rezip(zp, tmp_path / "sig.zip",
                 lambda n, d: d[:-5] + bytes([d[-5] ^ 1]) + d[-4:] if n.endswith("signature.p7s") else d)
    rc, out, _ = run(capsys, "verify", bad, "--json", "--trust-fingerprint", ident.fingerprint)
    assert rc == 1 and json.loads(out)["signature"]["status"] == "invalid"
    bad = _rezip(zp, tmp_path / "nosig.zip", lambda n, d: None if n.endswith(("signature.p7s", "signer-cert.pem")) else d)
    rc, out, _ = run(capsys, "verify", bad, "--json", "--trust-fingerprint", ident.fingerprint)
    assert rc == 1 and json.loads(out)["signature"]["status"] == "unsigned"
    flipped = bytearray(pdf.read_bytes())
    flipped[len(flipped) // 3] ^= 1
    (tmp_path / "bad.pdf").write_bytes(bytes(flipped))
    assert check_pdf_signature(tmp_path / "bad.pdf", trust_fingerprint=ident.fingerprint)["status"] == "invalid"


def test_export_sign_without_identity_fails_cleanly(capsys, demo_copy, tmp_path):
    (tmp_path / "out").mkdir()
    rc, out, err = run(capsys, "export", demo_copy, "--out", tmp_path / "out", "--sign")
    assert rc == 2 and "dossier identity create" in err and err.count("\n") == 1
    assert list((tmp_path / "out").iterdir()) == []


def test_export_sign_with_passphrase_storage(capsys, demo_copy, tmp_path, fail_keyring, monkeypatch):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE + "\n", "utf-8")
    os.chmod(pw, 0o600)
    rc, _o, err = run(capsys, "identity", "create", "--name-zh", "测试学院", "--country", "CN", "--passphrase-file", pw)
    assert rc == 0, err
    (tmp_path / "out").mkdir()
    rc, _o, err = run(capsys, "export", demo_copy, "--out", tmp_path / "out", "--sign")
    assert rc == 2 and "passphrase" in err  # no terminal, no DOSSIER_PASSPHRASE
    monkeypatch.setenv("DOSSIER_PASSPHRASE", "not the right one at all")
    rc, _o, err = run(capsys, "export", demo_copy, "--out", tmp_path / "out", "--sign")
    assert rc == 2 and "Wrong passphrase" in err
    assert list((tmp_path / "out").iterdir()) == []
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    pdf, zp = _export(capsys, demo_copy, tmp_path / "out")
    fp = identity.load_identity().fingerprint
    rc, out, _ = run(capsys, "verify", zp, "--trust-fingerprint", fp)
    assert rc == 0 and "trusted" in out


# ----------------------------------------------------------------------------- no plaintext keys


def _needles(key) -> list[bytes]:
    n = key.private_numbers().private_value.to_bytes(32, "big")
    p8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    sec1 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())
    b64 = base64.b64encode(p8)
    return [n, n.hex().encode(), n.hex().upper().encode(), p8, sec1, b64[:48], base64.b64encode(n)[:40]]


def _blobs(paths: list[Path]):
    """Every file's bytes, and every zip entry's, and every PDF stream decoded."""
    import pikepdf

    for p in paths:
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
        for f in files:
            data = f.read_bytes()
            yield str(f), data
            if zipfile.is_zipfile(f):
                with zipfile.ZipFile(f) as z:
                    for n in z.namelist():
                        yield f"{f}!{n}", z.read(n)
            if data.startswith(b"%PDF"):
                with pikepdf.open(f) as pdf:
                    for i, o in enumerate(pdf.objects):
                        if isinstance(o, pikepdf.Stream):
                            try:
                                yield f"{f}#obj{i}", o.read_bytes()
                            except pikepdf.PdfError:
                                pass


def _assert_no_plain_key(paths: list[Path], key, extra_text: str = "") -> int:
    needles = _needles(key)
    n = 0
    for where, data in list(_blobs(paths)) + [("cli output", extra_text.encode("utf-8"))]:
        n += 1
        for m in re.finditer(rb"PRIVATE KEY-----", data):
            assert data[max(0, m.start() - 20):m.start()].endswith(b"ENCRYPTED "), f"plain PEM key in {where}"
        assert PKCS8_EC_PLAIN not in data, f"unencrypted PKCS#8 structure in {where}"
        for i, needle in enumerate(needles):
            assert needle not in data, f"private key material #{i} in {where}"
        if SEC1_EC_PLAIN in data:  # a bare ECPrivateKey: 30 77 02 01 01 04 20 <32 bytes> a0 0a 06 08 …
            for m in re.finditer(re.escape(b"\x30\x77" + SEC1_EC_PLAIN), data):
                assert False, f"an ECPrivateKey structure in {where}"
    return n


def test_no_private_key_in_plain_text_anywhere(capsys, demo_copy, tmp_path, mem_keyring):
    texts = []
    rc, o, e = run(capsys, "identity", "create", "--name-zh", "柳州市人民政府", "--country", "CN")
    texts += [o, e]
    ident = identity.load_identity()
    key = serialization.load_pem_private_key(mem_keyring.store[(store.SERVICE, ident.fingerprint)].encode(), None)
    pdf, zp = _export(capsys, demo_copy, tmp_path / "out")
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE, "utf-8")
    os.chmod(pw, 0o600)
    for argv in (["identity", "export", tmp_path / "backup.p12", "--passphrase-file", pw],
                 ["identity", "export", "--cert", tmp_path / "cert.pem"],
                 ["identity", "show"], ["identity", "show", "--json"], ["identity", "show", "--pem"],
                 ["verify", zp, "--json"]):
        rc, o, e = run(capsys, *argv)
        assert rc == 0, e
        texts += [o, e]
    n = _assert_no_plain_key([user_data_dir(), tmp_path / "out", tmp_path / "backup.p12", tmp_path / "cert.pem"],
                             key, "\n".join(texts))
    assert n > 20  # the scan really looked at the files, the zip entries and the PDF streams
    # the same scan does find a key written in clear (the scanner works)
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    with pytest.raises(AssertionError):
        _assert_no_plain_key([leak], key)
    (leak / "k.pem").write_bytes(b"junk" + key.private_numbers().private_value.to_bytes(32, "big"))
    with pytest.raises(AssertionError):
        _assert_no_plain_key([leak], key)
    other = keys.generate_key()  # any unencrypted PKCS#8 EC key, not only ours
    (leak / "k.pem").write_bytes(other.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
    with pytest.raises(AssertionError):
        _assert_no_plain_key([leak], key)


def test_no_private_key_in_plain_text_with_passphrase_storage(capsys, demo_copy, tmp_path, fail_keyring, monkeypatch):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE, "utf-8")
    os.chmod(pw, 0o600)
    rc, o, e = run(capsys, "identity", "create", "--name-zh", "测试学院", "--country", "CN", "--passphrase-file", pw)
    assert rc == 0, e
    key_pem = (user_data_dir() / "identity" / store.KEY_FILE).read_bytes()
    key = serialization.load_pem_private_key(key_pem, PASSPHRASE.encode())
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    _export(capsys, demo_copy, tmp_path / "out")
    rc, o2, e2 = run(capsys, "identity", "export", tmp_path / "backup.p12", "--passphrase-file", pw)
    assert rc == 0, e2
    _assert_no_plain_key([user_data_dir(), tmp_path / "out", tmp_path / "backup.p12"], key, o + e + o2 + e2)
