"""answers.xlsx opens in a real spreadsheet program: LibreOffice (where installed) converts every
sheet to CSV and finds the answers as typed. Skipped on machines without `soffice`."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_every_sheet(unpacked, tmp_path):
    xlsx = unpacked / "data" / "answers.xlsx"
    sheets = load_workbook(xlsx, read_only=True).sheetnames
    out = tmp_path / "csv"
    out.mkdir()
    # filter options: comma, quote, UTF-8, start row 1, …, sheet -1 = every sheet to its own file
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    r = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                        "--convert-to", fmt, str(xlsx), "--outdir", str(out)], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    files = sorted(out.glob("*.csv"))
    assert len(files) == len(sheets), (files, sheets)
    text = "\n".join(f.read_text("utf-8") for f in files)
    rows = list(csv.reader(text.splitlines()))
    assert any("1.1/park_name" in row for row in rows)
    assert "柳州高新技术产业开发区(柳东新区)" in text and "依托园区、产业集群与成员构成" in text
