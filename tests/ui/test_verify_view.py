"""The verify view shows exactly the core's verdict — intact | untrusted | tampered | unreadable —
as one headline in one colour, every log line in the UI language, and the files that differ in a
column wide enough (or elided in the middle, with the full path as tooltip) to see which file."""

from __future__ import annotations

import importlib.util
import zipfile

import pytest

from desktop.ui import i18n

from .conftest import demo_project

pytestmark = pytest.mark.skipif(importlib.util.find_spec("desktop.export") is None, reason="desktop.export not present")


def _dialog(qtbot, path, parent=None):
    from desktop.ui.export_dialog import PackageDialog

    pd = PackageDialog(path, parent)
    qtbot.addWidget(pd)
    with qtbot.waitSignal(pd.job.finished, timeout=120_000):
        pass
    return pd


def _untrusted():
    from desktop.export.verify import Check, Verdict

    v = Verdict(status="untrusted", package="柳州_申报.zip", applicant="柳州市人民政府", content_digest="ab" * 32,
                files=12, bytes=34567,
                signature={"status": "unknown_signer", "signer": "Other College", "fingerprint": "cd" * 32},
                pdf_signature={"status": "unknown_signer", "signer": "Other College", "fingerprint": "cd" * 32},
                checks=[Check("signature", False, "signed, but not by the trusted identity"),
                        Check("PDF signature", False, "signed, but not by the trusted identity")])
    v.trust = {"required": True, "met": False,
               "reason": {"en": "Signed by Other College, not by the trusted identity.",
                          "zh": "由 Other College 签章，不是受信任的身份。"}}
    return v


def test_untrusted_is_its_own_verdict(ui, qtbot, tmp_path, messages):
    pd = _dialog(qtbot, tmp_path / "none.zip")
    assert pd.shown_status == "unreadable"
    v = _untrusted()
    pd.show_verdict(v)
    assert pd.shown_status == "untrusted"
    assert pd.status.text().startswith("Untrusted:")
    assert "#9a5b00" in pd.status.styleSheet()
    log = pd.text.toPlainText()
    assert log.splitlines()[0] == "UNTRUSTED: 柳州_申报.zip"
    assert "Tampered" not in log and "TAMPERED" not in log and "tampered" not in log
    assert "12 files in the package" in log  # plural forms, not "file(s)"
    assert "Signed by Other College, not by the trusted identity." in log
    i18n.set_language("zh")
    try:
        assert pd.status.text().startswith("不受信任")
        log = pd.text.toPlainText()
        assert log.splitlines()[0] == "不受信任：柳州_申报.zip"
        assert "篡改" not in log and "signature" not in log and "trusted identity" not in log
        assert "由 Other College 签章" in log
        assert pd.findings.topLevelItem(0).text(0) == "检查未通过"
    finally:
        i18n.set_language("en")


def test_headline_and_colour_per_status(ui, qtbot, tmp_path, messages):
    from desktop.ui.verdict_text import STATUS_COLORS

    pd = _dialog(qtbot, tmp_path / "none.zip")
    assert pd.status.text().startswith("Unreadable") and STATUS_COLORS["unreadable"] in pd.status.styleSheet()
    assert len(set(STATUS_COLORS.values())) == 4  # one colour each


def test_tampered_file_is_named_in_the_ui_language(controller, qtbot, tmp_path, messages):
    from desktop.export import export_project

    path = demo_project("moe-core-course", tmp_path / "x.dossier")
    out = tmp_path / "out"
    out.mkdir()
    res = export_project(path, out)
    with zipfile.ZipFile(res.zip_path) as z:
        victim = max((n for n in z.namelist() if "/data/evidence/" in n), key=len)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(res.zip_path) as zin, zipfile.ZipFile(bad, "w") as zout:
        for zi in zin.infolist():
            data = zin.read(zi)
            if zi.filename == victim:
                data = data[:-1] + bytes([data[-1] ^ 1])
            zout.writestr(zi, data)
    rel = victim.split("/", 1)[1]
    i18n.set_language("zh")
    try:
        pd = _dialog(qtbot, bad)
        pd.resize(900, 640)
        pd.show()
        qtbot.waitExposed(pd)
        pd._size_columns()
        assert pd.shown_status == "tampered" and pd.status.text().startswith("已被篡改")
        items = [pd.findings.topLevelItem(i) for i in range(pd.findings.topLevelItemCount())]
        it = next(x for x in items if x.toolTip(1) == rel)
        assert it.text(0) == "已修改"
        assert "清单" in it.text(2) and "SHA-256" in it.text(2) and "manifest" not in it.text(2)
        # the file's own name is visible in its column (elided in the middle at worst)
        fm = pd.findings.fontMetrics()
        shown = fm.elidedText(rel, pd.findings.textElideMode(), pd.findings.columnWidth(1) - 12)
        assert rel.rsplit("/", 1)[1][-12:] in shown, (shown, pd.findings.columnWidth(1))
        log = pd.text.toPlainText()
        assert log.startswith("已被篡改：") and rel in log
        for english in ("modified", "SHA-256 differs", "content digest:", "payload:", "signature:"):
            assert english not in log, english
    finally:
        i18n.set_language("en")
