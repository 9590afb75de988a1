"""A crash at any instant leaves a valid project with every committed edit; the core has no Qt;
the saved fixture of schema version 1 opens with every value."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.project import Project

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_core_does_not_import_qt():
    # every module of the core (everything under desktop/ but desktop/ui)
    mods = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "desktop").rglob("*.py")
        if "ui" not in p.relative_to(ROOT / "desktop").parts[:1] and p.name != "__main__.py"
    )
    code = f"""
        import sys, importlib
        for m in {mods!r}:
            importlib.import_module(m)
        from desktop.cli import main, build_parser, _load_extensions
        _load_extensions(); build_parser()
        bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))
        print(bad)
        sys.exit(1 if bad else 0)
    """
    r = _run(code, ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("kill_after_mb", [1, 3])
def test_crash_during_attach_keeps_committed_edits(tmp_path, kill_after_mb):
    """Kill the process (os._exit, no cleanup) in the middle of an attach's transaction."""
    from desktop.programs import bundled_programs

    prog = next(p for p in bundled_programs() if p.id == "gx-city-consortium")
    path = tmp_path / "crash.dossier"
    ind = next(prog.indicators())
    text_field = next(f for f in prog.fields.values() if f.type in ("text", "longtext"))
    with Project.create(path, prog, "甲") as p:
        p.set(text_field.path, "已提交的内容")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5 * 1024 * 1024))
    code = f"""
        import os
        from desktop.project import Project
        from desktop.tasks import TaskState
        p = Project.open({str(path)!r})
        p.set({text_field.path!r}, "第二次提交")
        def boom(done, total, status):
            if done >= {kill_after_mb} * 1024 * 1024:
                os._exit(9)
        p.attach({str(big)!r}, {ind.id!r}, task=TaskState(on_progress=boom, min_interval=0))
        print("not reached")
    """
    r = _run(code, tmp_path)
    assert r.returncode == 9, r.stderr
    # a hot journal may be beside the file: SQLite rolls it back on the next open
    with Project.open(path) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert p.get(text_field.path) == "第二次提交"
        assert p.evidence() == []
        assert p.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 0
    assert not (tmp_path / "crash.dossier-journal").exists()


def test_crash_during_value_edits_keeps_every_committed_edit(tmp_path):
    from desktop.programs import bundled_programs

    prog = next(p for p in bundled_programs() if p.id == "gx-city-consortium")
    text_field = next(f for f in prog.fields.values() if f.type in ("text", "longtext"))
    path = tmp_path / "edits.dossier"
    Project.create(path, prog, "甲").close()
    code = f"""
        import os, sqlite3
        from desktop.project import Project
        p = Project.open({str(path)!r})
        for n in range(50):
            p.set({text_field.path!r}, f"edit {{n}}")
        # die inside the next transaction, after it wrote but before COMMIT
        p.conn.execute("BEGIN IMMEDIATE")
        p.conn.execute("UPDATE answers SET value='\\"half\\"'")
        p.conn.execute("DELETE FROM history")
        os._exit(7)
    """
    r = _run(code, tmp_path)
    assert r.returncode == 7, r.stderr
    with Project.open(path) as p:
        assert p.get(text_field.path) == "edit 49"
        assert len(p.history(text_field.path)) == 50


def test_v1_fixture_opens_with_every_value(tmp_path):
    """tests/fixtures/project-v1.dossier was saved by schema version 1; every later version must open it
    (through the migration ladder) with the same values and evidence."""
    src = FIXTURES / "project-v1.dossier"
    expected = json.loads((FIXTURES / "project-v1.expected.json").read_text("utf-8"))
    path = tmp_path / "old.dossier"
    shutil.copy(src, path)
    with Project.open(path) as p:
        from desktop.models.rows import ROW_ID, strip_all

        answers = p.answers()
        assert strip_all(answers) == expected["answers"]
        # v2: table rows got stable ids, the project an identity, the history an actor column
        ids = [r[ROW_ID] for r in answers["1.1/units"]]
        assert len(ids) == len(set(ids)) == len(expected["answers"]["1.1/units"])
        assert len(p.uuid) == 36
        assert all(h.actor == "" for h in p.history())
        assert [(e.name, e.sha256) for e in p.evidence()] == [tuple(x) for x in expected["evidence"]]
        assert p.program.id == expected["program"]
        for e in p.evidence():
            out = p.extract(e.id, tmp_path / f"e{e.id}")
            assert len(out.read_bytes()) == e.size


def test_v2_fixture_opens_with_every_value(tmp_path):
    """tests/fixtures/project-v2.dossier was saved by schema version 2 (make_v2_fixture.py): the
    project's identity, table row ids, actors, evidence, a hand-off given out, a reviewer note and an
    export in its history must all survive every later version's ladder."""
    from desktop.handoff import list_handoffs

    expected = json.loads((FIXTURES / "project-v2.expected.json").read_text("utf-8"))
    path = tmp_path / "old.dossier"
    shutil.copy(FIXTURES / "project-v2.dossier", path)
    with Project.open(path) as p:
        assert p.program.id == expected["program"] and p.uuid == expected["uuid"]
        assert p.answers() == expected["answers"]  # row ids included: merges match rows by them
        assert sorted({h.actor for h in p.history()}) == expected["actors"]
        assert [[e.name, e.sha256] for e in p.evidence()] == expected["evidence"]
        assert [list(r) for r in p.conn.execute("SELECT id, text FROM review_notes")] == expected["review_notes"]
        assert [list(r) for r in p.conn.execute("SELECT package_id, content_digest FROM exports")] == expected["exports"]
        for e in p.evidence():
            assert len(p.extract(e.id, tmp_path / f"e{e.id}").read_bytes()) == e.size
        # v3: no CRC-32 recorded for files stored before it (the export checks their SHA-256)
        assert [r[0] for r in p.conn.execute("SELECT crc32 FROM blobs")] == [None] * len(expected["evidence"])
        p.set("1.1/count", 14)  # and it stays writable
    assert [r.partner for r in list_handoffs(path)] == expected["handoffs"]
    from desktop.export import export_project
    from desktop.export.verify import verify_package

    res = export_project(path, tmp_path / "out", allow_incomplete=True)
    assert verify_package(res.zip_path).status in ("intact", "unsigned")


def test_v3_fixture_opens_with_every_value(tmp_path):
    """tests/fixtures/project-v3.dossier was saved by schema version 3 (make_v3_fixture.py): all
    that the v2 fixture holds, and the CRC-32 attach recorded for each stored file."""
    from desktop.handoff import list_handoffs

    expected = json.loads((FIXTURES / "project-v3.expected.json").read_text("utf-8"))
    path = tmp_path / "old.dossier"
    shutil.copy(FIXTURES / "project-v3.dossier", path)
    with Project.open(path) as p:
        assert p.program.id == expected["program"] and p.uuid == expected["uuid"]
        assert p.answers() == expected["answers"]
        assert sorted({h.actor for h in p.history()}) == expected["actors"]
        assert [[e.name, e.sha256] for e in p.evidence()] == expected["evidence"]
        assert [list(r) for r in p.conn.execute("SELECT id, text FROM review_notes")] == expected["review_notes"]
        assert [list(r) for r in p.conn.execute("SELECT package_id, content_digest FROM exports")] == expected["exports"]
        assert [list(r) for r in p.conn.execute("SELECT sha256, crc32 FROM blobs ORDER BY sha256")] == expected["crc32"]
        for e in p.evidence():
            assert len(p.extract(e.id, tmp_path / f"e{e.id}").read_bytes()) == e.size
        p.set("1.1/count", 14)
    assert [r.partner for r in list_handoffs(path)] == expected["handoffs"]
