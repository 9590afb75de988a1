"""Translations: the .ts covers every UI string with a real Chinese translation, the .qm builds with
the lrelease shipped in PySide6-Essentials, and the language switches at runtime (ours, Qt's own
strings, and program labels)."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.ui import i18n

from .conftest import demo_project

ROOT = Path(__file__).resolve().parents[2]
TDIR = ROOT / "resources" / "translations"
TS = TDIR / "dossier_zh_CN.ts"
CATALOGUES = sorted(i18n.catalogues())


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(ts).getroot():
        name = ctx.find("name").text
        for m in ctx.findall("message"):
            out[(name, m.find("source").text)] = m.find("translation")
    return out


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_string_translated(name):
    msgs = _messages(TDIR / name)
    assert len(msgs) > (150 if name == "dossier_zh_CN.ts" else 0)
    for (ctx, src), tr in msgs.items():
        assert tr is not None, (ctx, src)
        forms = tr.findall("numerusform")
        text = forms[0].text if forms else tr.text  # Chinese has one plural form
        assert text, (ctx, src)
        assert tr.get("type") not in ("unfinished", "obsolete", "vanished"), (ctx, src)
        assert set(re.findall(r"\{\w+\}", src)) == set(re.findall(r"\{\w+\}", text)), (ctx, src)
        if forms:
            assert len(forms) == 1 and "%n" in text, (ctx, src)
        if re.search(r"[A-Za-z]{4,}", src) and src not in ("PDF",):
            assert re.search(r"[\u4e00-\u9fff]", text) or "Dossier" in text, (ctx, src, text)
        if re.search(r"(?<!&)&[A-Za-z]", src):
            assert "&" in text, (ctx, src)  # keyboard accelerators kept
        assert "(s)" not in src or forms, f"a count in {src!r}: use tr(text, '', n) for plural forms"


EN_CATALOGUES = sorted(i18n.en_catalogues())


@pytest.mark.parametrize("name", EN_CATALOGUES)
def test_english_plural_forms(tmp_path, name):
    """Every string with a count has its English singular and plural (`<area>_en.ts`, numerus only),
    and the catalogue holds exactly the plural strings of its sources."""
    lupdate = Path(PySide6.__file__).parent / "lupdate"
    if not lupdate.exists():
        pytest.skip("lupdate not shipped")
    out = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), "-silent", "-locations", "none", "-pluralonly", *map(str, i18n.en_catalogues()[name]),
                    "-ts", str(out)], check=True, capture_output=True)
    fresh = set(_messages(out))
    have = _messages(TDIR / name) if (TDIR / name).is_file() else {}
    assert set(have) == fresh, f"run `python -m desktop.ui.i18n update`: {sorted(fresh ^ set(have))[:5]}"
    for (ctx, src), tr in have.items():
        forms = [f.text or "" for f in tr.findall("numerusform")]
        assert len(forms) == 2 and all("%n" in f for f in forms), (ctx, src, forms)
        assert forms[0] != forms[1] or "(s)" not in src, (ctx, src, forms)  # "1 file", "2 files"
        assert tr.get("type") != "unfinished", (ctx, src)
        assert "(s)" not in "".join(forms), (ctx, src, forms)


def test_plurals_at_runtime(ui):
    from desktop.ui.verdict_text import VerdictText

    vt = VerdictText()
    assert vt.files(1) == "1 file in the package" and vt.files(12) == "12 files in the package"
    i18n.set_language("zh")
    try:
        assert vt.files(12) == "数据包中有 12 个文件"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("name", CATALOGUES)
def test_ts_in_sync_with_sources(tmp_path, name):
    """Each catalogue holds exactly the strings of its sources (`python -m desktop.ui.i18n update`)."""
    lupdate = Path(PySide6.__file__).parent / "lupdate"
    if not lupdate.exists():
        pytest.skip("lupdate not shipped")
    assert (TDIR / name).is_file(), f"{name} is missing: run `python -m desktop.ui.i18n update`"
    out = tmp_path / "fresh.ts"
    sources = [str(p) for p in i18n.catalogues()[name]]
    subprocess.run([str(lupdate), "-silent", "-locations", "none", *sources, "-ts", str(out)], check=True,
                   capture_output=True)
    fresh = set(_messages(out))
    have = set(_messages(TDIR / name))
    assert fresh - have == set(), f"untranslated new strings: {sorted(fresh - have)[:10]}"
    assert have - fresh == set(), f"strings no longer in the sources: {sorted(have - fresh)[:10]}"


def test_no_stray_catalogues():
    names = {p.name for p in TDIR.glob("*_zh_CN.ts") if not p.name.startswith("qt")}
    assert names == set(CATALOGUES)
    assert {p.name for p in TDIR.glob("*_en.ts")} <= set(EN_CATALOGUES)


def test_qm_builds(tmp_path):
    qm = tmp_path / "x.qm"
    assert i18n.build_qm(TS, qm)
    assert qm.stat().st_size > 1000


def test_runtime_switch(controller, tmp_path, messages):
    path = demo_project("asean-craftsman-college", tmp_path / "l.dossier")
    win = controller.open_path(path)
    prog = win.session.program
    start = controller.show_start()
    iid = win.nav.indicator_ids()[0]
    ind = prog.indicator(iid)
    assert win.actions_.file_menu.title() == "&File"
    assert ind.title.en in win.nav.items[iid].text(0)
    i18n.set_language("zh")
    assert win.actions_.file_menu.title() == "文件(&F)"
    assert win.nav.caption.text() == "章节与指标"
    assert ind.title.zh in win.nav.items[iid].text(0)  # program labels follow the UI language
    assert start.new_box.title() == "新建申报"
    assert prog.title.zh in start.program_list.topLevelItem(0).text(0) or any(
        p.title.zh in start.program_list.topLevelItem(n).text(0)
        for n, p in enumerate(start.programs) if p.id == prog.id)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "关闭"  # Qt's own qtbase_zh_CN
    f = win.forms.current_form()
    assert f.title.text().endswith(ind.title.zh)
    i18n.set_language("en")
    assert win.actions_.file_menu.title() == "&File"
    assert f.title.text().endswith(ind.title.en)
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "Close"


def test_default_language_from_system(monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "zh_CN.UTF-8")
    assert i18n.system_lang() == "zh"
    monkeypatch.setenv("DOSSIER_LANG", "")
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.Chinese, QLocale.Country.China)))
    assert i18n.system_lang() == "zh"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.Thai, QLocale.Country.Thailand)))
    assert i18n.system_lang() == "en"


def test_qt_dialogs_are_chinese(ui):
    """Qt's own file dialog in the Chinese UI: no English label left (Qt's catalogue lacks a few)."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    i18n.set_language("zh")
    try:
        for mode in ("open", "save", "dir"):
            d = QFileDialog(None, "选择", str(ROOT), "Dossier (*.dossier)")
            d.setOption(QFileDialog.Option.DontUseNativeDialog, True)
            if mode == "save":
                d.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            elif mode == "dir":
                d.setFileMode(QFileDialog.FileMode.Directory)
            d.show()
            texts = [w.text() for w in d.findChildren(QLabel)] + [w.text() for w in d.findChildren(QAbstractButton)]
            texts += [w.toolTip() for w in d.findChildren(QAbstractButton)]
            english = [t for t in texts if re.search(r"[A-Za-z]{3,}", t) and not re.search(r"[\u4e00-\u9fff]", t)]
            assert not english, (mode, english)
            d.close()
            d.deleteLater()
    finally:
        i18n.set_language("en")
