"""Hostile inputs never hang or exhaust the reader: YAML alias bombs and oversized definitions are
refused quickly wherever a definition is read (a file, an import, a project's embedded copy), and
non-regular files (FIFOs, devices, folders) are refused up front, without blocking on open."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.errors import DefinitionError, DossierError, ProjectError
from desktop.programs import load_definition_text
from desktop.programs.yaml_io import MAX_EXPANDED_NODES, MAX_YAML_CHARS, load_yaml
from desktop.project import Project
from tests.core.helpers import definition_text, program

ROOT = Path(__file__).resolve().parents[2]


def bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghijklmnop"
    for prev, k in zip(names[:levels - 1], names[1:levels]):
        lines.append(f"{k}: &{k} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_before_any_expansion():
    t0 = time.perf_counter()
    with pytest.raises(DefinitionError) as ei:
        load_definition_text(bomb(), "evil.yaml")
    assert time.perf_counter() - t0 < 2
    assert "expand this document" in ei.value.reason and "evil.yaml" in str(ei.value)


def test_self_referencing_alias_is_refused():
    with pytest.raises(DefinitionError, match="refers to the node that contains it"):
        load_definition_text("a: &a [1, *a]\n", "loop.yaml")


def test_a_few_aliases_written_by_safe_dump_still_load():
    # yaml.safe_dump writes an alias for an object used twice: definitions made by tools (and the
    # projects that embed them) may hold some, and must keep opening
    text = definition_text(lambda d: d["sections"][0]["indicators"][0]["fields"].__setitem__(
        1, {**d["sections"][0]["indicators"][0]["fields"][1], "label": d["sections"][0]["indicators"][0]["fields"][0]["label"]}))
    assert "*id" in text
    assert load_definition_text(text, "ok.yaml").id == "test-prog"


def test_expansion_limit_is_just_above_real_definitions():
    from desktop.programs import bundled_programs

    for p in bundled_programs():
        assert len(p.text) < MAX_YAML_CHARS // 20
    ok = "[" + ", ".join(["x"] * 1000) + "]"
    assert len(load_yaml(f"a: &a {ok}\nb: [" + ", ".join(["*a"] * (MAX_EXPANDED_NODES // 1001 - 5)) + "]\n")["b"]) > 0
    with pytest.raises(Exception, match="expand this document"):
        load_yaml(f"a: &a {ok}\nb: [" + ", ".join(["*a"] * (MAX_EXPANDED_NODES // 1000 + 5)) + "]\n")


def test_oversized_and_deep_yaml_is_refused():
    with pytest.raises(DefinitionError, match="too large"):
        load_definition_text("x: " + "a" * (MAX_YAML_CHARS + 1), "big.yaml")
    with pytest.raises(DefinitionError):
        load_definition_text("[" * 100_000 + "]" * 100_000, "deep.yaml")


def test_nothing_but_yaml_io_calls_the_yaml_loaders():
    pattern = re.compile(r"\byaml\.(load|safe_load|full_load|unsafe_load|load_all|safe_load_all)\s*\(")
    offenders = []
    for p in (ROOT / "desktop").rglob("*.py"):
        if p.name == "yaml_io.py":
            continue
        if pattern.search(p.read_text("utf-8")):
            offenders.append(str(p.relative_to(ROOT)))
    assert offenders == []


def test_project_with_a_bomb_as_its_definition_is_refused_quickly(tmp_path):
    path = tmp_path / "evil.dossier"
    Project.create(path, program(), "甲").close()
    c = sqlite3.connect(path)
    c.execute("UPDATE meta SET value=? WHERE key='program_yaml'", (bomb(),))
    c.commit()
    c.close()
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "desktop.cli", "info", str(path)], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert time.perf_counter() - t0 < 20
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "expand this document" in r.stderr


def test_xlsx_zip_bomb_is_refused_before_openpyxl(tmp_path):
    import zipfile

    from desktop.programs import load_definition_file

    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as w:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                w.write(block)
    assert f.stat().st_size < 2 << 20
    with pytest.raises(DefinitionError, match="would unpack to"):
        load_definition_file(f)


# ------------------------------------------------------------------ non-regular files: refused, never opened

FIFO_CASES = [
    ["info", "{fifo}.dossier"],
    ["validate", "{fifo}.dossier"],
    ["export", "{fifo}.dossier", "--out", "{tmp}"],
    ["attach", "{project}", "{fifo}.pdf", "--indicator", "1.1"],
    ["program", "check", "{fifo}.yaml"],
    ["program", "import", "{fifo}.yaml"],
    ["identity", "import", "{fifo}.p12", "--passphrase-file", "{fifo}.txt"],
    ["identity", "create", "--country", "CN", "--name-en", "X", "--storage", "file", "--passphrase-file", "{fifo}.txt"],
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("args", FIFO_CASES, ids=[" ".join(a[:2]) for a in FIFO_CASES])
def test_a_fifo_is_refused_without_blocking(tmp_path, args):
    fifo = tmp_path / "fifo"
    for ext in (".dossier", ".pdf", ".yaml", ".p12", ".txt"):
        os.mkfifo(str(fifo) + ext)
    project = tmp_path / "p.dossier"
    Project.create(project, program(), "甲").close()
    real = [a.replace("{fifo}", str(fifo)).replace("{tmp}", str(tmp_path)).replace("{project}", str(project)) for a in args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-m", "desktop.cli", *real], capture_output=True, text=True, env=env,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 2, r.stderr
    assert "pipe (FIFO)" in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_core_refuses_non_regular_files(tmp_path):
    fifo = tmp_path / "x.dossier"
    os.mkfifo(fifo)
    with pytest.raises(ProjectError) as ei:
        Project.open(fifo)
    assert ei.value.key == "project.not_file"
    with Project.create(tmp_path / "p.dossier", program(), "甲") as p:
        with pytest.raises(ProjectError) as ei:
            p.attach(fifo, "1.1")
        assert ei.value.key == "evidence.not_file"
        with pytest.raises(ProjectError) as ei:
            p.attach(tmp_path, "1.1")
        assert ei.value.key == "evidence.is_dir"
        if os.path.exists("/dev/zero"):
            with pytest.raises(ProjectError, match="device"):
                p.attach("/dev/zero", "1.1")
    from desktop.fsutil import open_regular

    with pytest.raises(DossierError, match="pipe"):
        open_regular(fifo)
