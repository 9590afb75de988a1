"""A PAdES-signed submission (pyHanko, the real identity) stays a PDF 1.7 with one producer in Info
and XMP, and verify still re-renders it: the unsigned rendering is a prefix of the signed file."""

from __future__ import annotations

import io
import json
import zipfile

import pikepdf
import pytest

import desktop.identity as identity
from desktop.cli import main
from desktop.export.verify import verify_package
from tests.keyrings import install_memory_keyring


@pytest.fixture(autouse=True)
def mem_keyring(monkeypatch):
    return install_memory_keyring(monkeypatch)


@pytest.mark.slow
def test_signed_pdf_is_pdfa_shaped_and_rerenders(capsys, demo_copy, tmp_path):
    assert main(["identity", "create", "--name-zh", "柳州市人民政府", "--name-en", "Liuzhou Municipal Government",
                 "--country", "CN"]) == 0
    out = tmp_path / "out"
    out.mkdir()
    capsys.readouterr()
    assert main(["export", str(demo_copy), "--out", str(out), "--sign"]) == 0
    pdf_path, zip_path = (out / p for p in sorted(p.name for p in out.iterdir()))
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-1.7")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.pdf_version == "1.7"
        assert str(pdf.Root.get("/Version", "/1.7")) == "/1.7"
        meta = pdf.open_metadata()
        assert str(meta["pdfaid:part"]) == "3"
        assert str(pdf.docinfo.Producer) == str(meta["pdf:Producer"]), (pdf.docinfo.Producer, meta["pdf:Producer"])
        assert "/OutputIntents" in pdf.Root
        for page in pdf.pages:
            for a in page.obj.get("/Annots") or []:
                assert int(a.get("/F", 0)) & 4, a.get("/Subtype")  # the signature widget too
    ident = identity.load_identity()
    v = verify_package(zip_path, trust_fingerprint=ident.fingerprint)
    assert v.status == "intact", [f.line() for f in v.findings] + [c.detail for c in v.checks if not c.ok]
    check = next(c for c in v.checks if c.name == "PDF re-render")
    assert "plus its signature" in check.detail
    with zipfile.ZipFile(zip_path) as z:
        doc = json.loads(z.read(next(n for n in z.namelist() if n.endswith("data/answers.json"))))
    assert doc["sealer"]["fingerprint"] == ident.fingerprint
