"""What opening an expert sheet refuses, with which message (desktop/sqlitefile.py, shared with
the review file): other Dossier files, other SQLite files, non-files, cut copies, newer formats."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys

import pytest

from desktop.panel.assign import assign
from desktop.panel.sheet import FORMAT_VERSION, ExpertSheet, SheetError
from desktop.review import Review


@pytest.fixture
def sheet_path(review, tmp_path):
    with Review.open(review) as rv:
        return assign(rv, "张明", "all", tmp_path / "专家 😀.dsheet").path


def _refused(path, key: str) -> SheetError:
    with pytest.raises(SheetError) as ei:
        ExpertSheet.open(path)
    assert ei.value.key == f"sheet.{key}", (ei.value.key, ei.value.en)
    assert ei.value.en and ei.value.zh and "\n" not in ei.value.en
    return ei.value


def test_a_good_sheet_opens_and_a_copy_on_read_only_media_opens_read_only(sheet_path, monkeypatch):
    with ExpertSheet.open(sheet_path) as sh:
        assert not sh.readonly and sh.packages()
    import desktop.sqlitefile as sf

    monkeypatch.setattr(sf, "is_writable", lambda p: False)
    with ExpertSheet.open(sheet_path) as sh:
        assert sh.readonly


def test_other_dossier_files_are_named(sheet_path, review, demo_copy):
    assert "open it with “Review packages”" in _refused(review, "is_review").en
    assert "is a Dossier project" in _refused(demo_copy, "is_project").en


def test_other_files_are_refused_and_left_alone(sheet_path, tmp_path):
    other = tmp_path / "other.db"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t(x)")
    c.close()
    assert "not a Dossier expert sheet" in _refused(other, "not_sheet").en
    empty = tmp_path / "empty.dsheet"
    sqlite3.connect(empty).execute("PRAGMA application_id = 0x44585348").connection.close()
    _refused(empty, "not_sheet")
    junk = tmp_path / "junk.dsheet"
    junk.write_bytes(b"\xff\xfe not sqlite" * 20)
    _refused(junk, "not_sheet")
    assert "is a folder" in _refused(tmp_path, "not_file").en
    _refused(tmp_path / "missing.dsheet", "missing")
    cut = tmp_path / "cut.dsheet"
    cut.write_bytes(sheet_path.read_bytes()[:len(sheet_path.read_bytes()) // 2])
    before = cut.read_bytes()
    assert "Ask for the sheet again" in _refused(cut, "corrupt").en
    assert cut.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.dsheet"
    os.mkfifo(fifo)
    _refused(fifo, "not_file")


def test_a_newer_format_says_update(sheet_path, tmp_path):
    newer = tmp_path / "newer.dsheet"
    shutil.copyfile(sheet_path, newer)
    c = sqlite3.connect(newer)
    c.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    c.close()
    before = newer.read_bytes()
    err = _refused(newer, "too_new")
    assert "Update Dossier" in err.en and "请升级" in err.zh
    assert newer.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_sheet(sheet_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    sheet_path.chmod(0)
    try:
        _refused(sheet_path, "unreadable")
    finally:
        sheet_path.chmod(0o644)
