"""The frozen app's exclusions never remove something the app uses.

tests/installer/full_run.py runs the whole app — demo → export → identity → export --sign →
verify --trust → the GUI (start window, every indicator, previews, export dialog, package check)
— with every module installer/bundle_rules.py leaves out made unimportable and the offline
stand-ins in place. It must succeed, ask only for the imports the rules declare optional, and
seal exactly what the unrestricted app seals. (test_frozen_app.py compares the same trace with a
real bundle.)

After merging new capabilities: add their commands to STEPS in full_run.py (see its docstring),
then `python -m pytest tests/installer -m slow`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import bundle_rules

from .conftest import ROOT, isolated_env

pytestmark = pytest.mark.slow


def test_full_run_works_without_the_excluded_modules(as_frozen_run):
    trace, _work, _s = as_frozen_run
    assert trace["as_frozen"] is True
    unexpected = sorted(m for m in trace["refused_imports"] if m not in bundle_rules.OPTIONAL_IMPORTS
                        and not any(m.startswith(o + ".") for o in bundle_rules.OPTIONAL_IMPORTS))
    assert not unexpected, (
        "the app asked for modules the installer leaves out (and did without them, so something is "
        f"silently missing in the frozen app): {unexpected}. Remove them from EXCLUDED_MODULES in "
        "installer/bundle_rules.py, or declare them in OPTIONAL_IMPORTS with the reason")
    leaked = [m for m in trace["modules"] if bundle_rules.is_excluded_module(m)
              and m.split(".")[0] not in bundle_rules.STUBBED]
    assert not leaked


def test_the_network_stack_is_replaced_by_the_offline_stand_in(as_frozen_run):
    trace, _work, _s = as_frozen_run
    tops = {m.split(".")[0] for m in trace["modules"]}
    assert not tops & {"yarl", "multidict", "aiohappyeyeballs", "frozenlist", "jsonschema_rs"}
    if "aiohttp" in tops:  # pyHanko imports it: the stand-in answered
        origin = trace["module_files"].get("aiohttp", "").replace("\\", "/")
        assert origin.endswith("offline_stubs/aiohttp/__init__.py"), (
            f"aiohttp was imported but not from installer/offline_stubs: {origin}")


def test_sealing_is_the_same_without_the_excluded_modules(as_frozen_run, tmp_path):
    """The package the restricted run sealed equals the one the unrestricted app seals from the
    same project (nothing left out changes an export: fonts, shaping, XLSX writer…)."""
    _trace, work, _s = as_frozen_run
    made = {p.suffix: p for p in (work / "unsigned").iterdir() if p.suffix in (".pdf", ".zip")}
    assert set(made) == {".pdf", ".zip"}
    project = tmp_path / "demo.dossier"
    shutil.copyfile(work / "demo.dossier", project)
    out = tmp_path / "again"
    out.mkdir()
    r = subprocess.run([sys.executable, "-m", "desktop.cli", "export", str(project), "--out", str(out)], cwd=ROOT,
                       env=isolated_env(tmp_path / "home"), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    again = {p.suffix: p for p in out.iterdir()}
    for suffix in (".pdf", ".zip"):
        assert again[suffix].name == made[suffix].name
        assert again[suffix].read_bytes() == made[suffix].read_bytes(), f"{suffix} differs"


def test_trace_records_what_a_bundle_must_carry(as_frozen_run):
    trace, _work, _s = as_frozen_run
    mods = set(trace["modules"])
    for m in ("desktop.export.package", "desktop.identity.sealer", "desktop.ui.main_window", "pyhanko.sign.signers",
              "reportlab.pdfgen.canvas", "openpyxl", "PySide6.QtWidgets", "keyring", "jsonschema"):
        assert m in mods, m
    assert "shibokensupport" not in mods  # virtual modules (no file) are left out of the comparison
    if sys.platform.startswith("linux"):
        libs = "\n".join(trace["libraries"])
        assert "libQt6Widgets" in libs and "platforms/libqoffscreen" in libs
    assert any(f.endswith("program.schema.json") for f in trace["files"])
