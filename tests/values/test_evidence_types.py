"""An evidence file's type comes from its content; a name that claims another format is pointed
out (the CLI and the UI warn; the file is still attached)."""

from __future__ import annotations

import io
import os

import pytest

from desktop.cli import main
from desktop.evidence_types import UNKNOWN, detect_type, name_mismatch


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("name,head,mime,warned", [
    ("scan.pdf", os.urandom(64).replace(b"%", b"x"), UNKNOWN, True),  # random bytes named .pdf
    ("scan.pdf", b"%PDF-1.7\n", "application/pdf", False),
    ("photo.png", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", True),  # a JPEG renamed .png
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", False),
    ("report.docx", b"PK\x03\x04" + b"\0" * 20, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    ("report.docx", b"%PDF-1.4", "application/pdf", True),
    ("notes.txt", "说明".encode(), "text/plain", False),
    ("data.csv", b"a,b\n1,2\n", "text/csv", False),
    ("empty.pdf", b"", "application/x-empty", False),  # empty files have their own warning
    ("no-extension", os.urandom(32), None, False),
])
def test_type_from_content(name, head, mime, warned):
    got = detect_type(head, name)
    if mime is not None:
        assert got == mime
    m = name_mismatch(name, got)
    assert bool(m) == warned, m
    if m:
        en, zh = m
        assert name in en and name in zh and "content" in en and "内容" in zh


def test_cli_attach_warns(tmp_path, capsys):
    proj = tmp_path / "p.dossier"
    assert main(["new", str(proj), "--program", "moe-core-course", "--applicant", "测试"]) == 0
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(os.urandom(2048).replace(b"%PDF", b"xxxx"))
    good = tmp_path / "photo.png"
    good.write_bytes(_png())
    capsys.readouterr()
    code = main(["attach", str(proj), str(fake), str(good), "--indicator", "1.1"])  # pdf, jpg, png
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err.count("\n") == 1 and "scan.pdf is named .pdf, but its content is not a PDF document" in err
    assert "photo.png" in out and "scan.pdf" in out
