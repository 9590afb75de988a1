"""Bad files never crash the app: a dialog says what happened and what to do. Read-only media open
with a visible notice and editing disabled."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from .conftest import demo_project


def _open_expect_dialog(controller, path, messages):
    start = controller.show_start()
    assert controller.open_path(path, start) is None
    assert not controller.windows
    assert len(messages) == 1, messages
    return messages[0]


def test_not_a_dossier(controller, tmp_path, messages):
    p = tmp_path / "letter.dossier"
    p.write_text("这不是项目文件 — just a letter\n" * 20, encoding="utf-8")
    title, text, todo = _open_expect_dialog(controller, p, messages)
    assert title == "Cannot open the project"
    assert "not a Dossier project" in text
    assert "Nothing was changed" in todo


def test_other_sqlite_database(controller, tmp_path, messages):
    p = tmp_path / "other.dossier"
    c = sqlite3.connect(p)
    c.execute("CREATE TABLE t(x)")
    c.commit()
    c.close()
    _title, text, todo = _open_expect_dialog(controller, p, messages)
    assert "not a Dossier project" in text
    assert todo


def test_corrupt_truncated(controller, tmp_path, messages):
    p = demo_project("moe-core-course", tmp_path / "c.dossier")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    _title, text, todo = _open_expect_dialog(controller, p, messages)
    assert "damaged" in text
    assert "earlier copy" in todo


def test_newer_version(controller, tmp_path, messages):
    p = demo_project("moe-core-course", tmp_path / "n.dossier")
    c = sqlite3.connect(p)
    c.execute("PRAGMA user_version=99")
    c.commit()
    c.close()
    _title, text, todo = _open_expect_dialog(controller, p, messages)
    assert "newer version" in text
    assert "newest version" in todo


def test_missing_file_is_dropped_from_recent(controller, tmp_path, messages):
    p = demo_project("moe-core-course", tmp_path / "m.dossier")
    controller.settings.add_recent(p)
    p.unlink()
    _title, text, todo = _open_expect_dialog(controller, p, messages)
    assert "not found" in text
    assert "USB" in todo
    assert str(p.resolve()) not in controller.settings.recent_files()


def test_folder_instead_of_file(controller, tmp_path, messages):
    d = tmp_path / "folder.dossier"
    d.mkdir()
    _title, text, todo = _open_expect_dialog(controller, d, messages)
    assert "folder" in text


def test_dialog_in_chinese(controller, tmp_path, messages):
    from desktop.ui import i18n

    i18n.set_language("zh")
    p = tmp_path / "x.dossier"
    p.write_bytes(b"\x00" * 500)
    title, text, todo = _open_expect_dialog(controller, p, messages)
    assert title == "无法打开项目"
    assert "不是 Dossier 项目文件" in text
    assert "未做任何修改" in todo


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_read_only_opens_with_notice_and_no_editing(controller, qtbot, tmp_path, messages):
    p = demo_project("moe-core-course", tmp_path / "ro.dossier")
    p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        win = controller.open_path(p)
        assert win is not None and not messages
        s = win.session
        assert s.readonly
        assert not win.banner.isHidden()
        assert "read-only" in win.banner.text()
        assert "[read-only]" in win.windowTitle()
        form = win.forms.current_form()
        for row in form.rows.values():
            t = row.editor.focus_target()
            assert (not t.isEnabled()) or getattr(t, "isReadOnly", lambda: False)() or \
                getattr(getattr(row.editor, "model", None), "readonly", False), row.field.path
        assert not win.evidence.add_btn.isEnabled()
        assert not win.acceptDrops()
        assert not win.actions_.undo.isEnabled()
        # an edit attempt through a widget is refused without touching the file
        before = p.read_bytes()
        text_row = next((r for r in form.rows.values() if r.field.type == "text"), None)
        if text_row is not None:
            text_row.editor.edit.setText("不应保存")
            assert text_row.editor.commit() is False
        assert p.read_bytes() == before
    finally:
        p.chmod(stat.S_IRUSR | stat.S_IWUSR)
