"""The .dossier file: create/open, values, history, evidence, bad files, read-only, full disk."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest

from desktop.errors import ProjectError, ValueProblem
from desktop.models.rows import strip_all
from desktop.project.schema import CURRENT_VERSION
from desktop.project import APPLICATION_ID, STAMP_INDICATOR, Project, safe_file_name
from desktop.tasks import Cancelled, TaskState
from tests.core.helpers import program

ODD_NAMES = ["证明材料.pdf", "with spaces in name.txt", "emoji 📎✅.png", "长" * 210 + ".txt", "a" * 300 + ".pdf"]


@pytest.fixture
def prog():
    return program()


@pytest.fixture
def proj(tmp_path, prog):
    p = Project.create(tmp_path / "申报 项目.dossier", prog, "南宁市人民政府")
    yield p
    p.close()


def test_create_sets_ids_and_leaves_one_file(tmp_path, prog):
    path = tmp_path / "a.dossier"
    with Project.create(path, prog, "甲") as p:
        p.set("1.1/name", "x")
    c = sqlite3.connect(path)
    assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert c.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    c.close()
    assert sorted(os.listdir(tmp_path)) == ["a.dossier"]  # no -journal, -wal or -shm left behind


def test_create_refuses_existing_and_missing_folder(tmp_path, prog):
    (tmp_path / "x.dossier").write_text("keep me")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "x.dossier", prog)
    assert (tmp_path / "x.dossier").read_text() == "keep me"
    with pytest.raises(ProjectError, match="does not exist"):
        Project.create(tmp_path / "no" / "x.dossier", prog)


def test_values_round_trip_with_history(proj, tmp_path):
    proj.set("1.1/name", "甲单位 😀")
    proj.set("1.1/count", "12")
    proj.set("1.1/share", "35%")
    proj.set("1.1/since", "2023/5/6")
    proj.set("1.1/kind", "企业")  # a label is accepted and stored as the value
    proj.set("1.1/tags", "a, b")
    proj.set("1.1/ok", "是")
    proj.set("1.1/units", '[{"name": "甲", "months": "7"}]')
    proj.set("1.1/name", "乙单位")
    path = proj.path
    proj.close()
    with Project.open(path) as p:
        assert strip_all(p.answers()) == {
            "1.1/name": "乙单位", "1.1/count": 12, "1.1/share": 35, "1.1/since": "2023-05-06", "1.1/kind": "enterprise",
            "1.1/tags": ["a", "b"], "1.1/ok": True, "1.1/units": [{"name": "甲", "months": 7}],
        }
        h = p.history("1.1/name")
        assert [(e.old, e.new) for e in h] == [(None, "甲单位 😀"), ("甲单位 😀", "乙单位")]
        p.set("1.1/name", None)
        assert p.get("1.1/name") is None
        assert p.history("1.1/name")[-1].new is None


@pytest.mark.parametrize(
    "path,value,msg",
    [
        ("1.1/count", "twelve", "not a whole number"),
        ("1.1/count", "1001", "above the maximum 1000"),
        ("1.1/count", "1.5", "not a whole number"),
        ("1.1/share", "120", "above the maximum 100"),
        ("1.1/since", "1999-12-31", "before 2000-01-01"),
        ("1.1/since", "2023-02-30", "not a date"),
        ("1.1/kind", "shop", "not a choice"),
        ("1.1/tags", "a,b,c", "at most 2"),
        ("1.1/ok", "maybe", "not yes/no"),
        ("1.1/name", "x" * 51, "more than the maximum 50"),
        ("1.1/units", "[1, 2]", "row 1 is not an object"),
        ("1.1/units", '[{"nope": 1}]', "unknown column 'nope'"),
        ("1.1/units", '[{"months": "x"}]', "row 1"),
        ("1.1/units", "not json", "JSON rows"),
        ("1.1/nothere", "1", "Unknown field path"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(proj, path, value, msg):
    proj.set("1.1/count", 5)
    before = (proj.answers(), len(proj.history()))
    with pytest.raises(ValueProblem) as ei:
        proj.set(path, value)
    assert msg in ei.value.en
    assert ei.value.zh and ei.value.zh != ei.value.en
    assert (proj.answers(), len(proj.history())) == before


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_evidence_round_trip_dedup_and_odd_names(proj, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)  # several chunks, not a chunk multiple
    src = _write(tmp_path / "big.bin", data)
    ev = proj.attach(src, "1.1", note="备注")
    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.size == len(data)
    out = proj.extract(ev.id, tmp_path / "out.bin")
    assert out.read_bytes() == data
    # identical bytes under another name and indicator: stored once, linked twice
    (tmp_path / "copy").mkdir()
    src2 = _write(tmp_path / "copy" / "同样的内容.bin", data)
    with pytest.raises(ProjectError, match="already attached"):
        proj.attach(src2, "1.1")
    assert proj.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    proj.attach(src2, STAMP_INDICATOR)
    assert proj.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    assert [l.indicator_id for l in proj.evidence_item(ev.id).links] == ["1.1", STAMP_INDICATOR]
    for n, name in enumerate(ODD_NAMES):
        payload = f"file {n}".encode()
        tmp = tmp_path / f"src{n}"
        tmp.write_bytes(payload)
        e = proj.attach(tmp, "1.1", name=name)
        assert e.name == name
        dest = tmp_path / f"x{n}"
        dest.mkdir()
        got = proj.extract(e.id, dest)
        assert got.read_bytes() == payload and got.parent == dest
        assert len(got.name.encode()) <= 200
    # the slot counts towards completeness
    assert proj.evidence_counts()["1.1/proof"] >= 3


def test_same_size_files_are_hashed_once_unless_they_may_be_copies(proj, tmp_path, monkeypatch):
    """A large file the size of a stored one is hashed before writing only when its first bytes
    match that file's (issue #17: hashing every same-size file twice cost a third of an attach);
    copies are still found, and files that differ only after the compared prefix stay apart."""
    import desktop.project.evidence as evidence_mod

    readers = []
    real = evidence_mod.HashingReader

    def counting(*a, **k):
        readers.append(1)
        return real(*a, **k)

    monkeypatch.setattr(evidence_mod, "HashingReader", counting)
    size = 2 * 1024 * 1024 + 5
    base = os.urandom(size)
    first = proj.attach(_write(tmp_path / "a.bin", base), "1.1")
    assert len(readers) == 1
    other = bytes([base[0] ^ 1]) + base[1:]  # same size, differs in the first byte
    second = proj.attach(_write(tmp_path / "b.bin", other), "1.1")
    assert len(readers) == 2  # one pass: not hashed first
    late = base[:-1] + bytes([base[-1] ^ 1])  # same size and prefix, differs in the last byte
    third = proj.attach(_write(tmp_path / "c.bin", late), "1.1")
    assert len(readers) == 4  # the prefix matched: hashed first, then stored
    assert len({first.sha256, second.sha256, third.sha256}) == 3
    assert proj.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 3
    copy = proj.attach(_write(tmp_path / "copy.bin", late), STAMP_INDICATOR)
    assert copy.id == third.id and proj.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 3
    for ev, data in ((first, base), (second, other), (third, late)):
        assert proj.extract(ev.id, tmp_path / f"out-{ev.id}.bin").read_bytes() == data


def test_evidence_bad_inputs(proj, tmp_path):
    with pytest.raises(ProjectError, match="not found"):
        proj.attach(tmp_path / "missing.pdf", "1.1")
    with pytest.raises(ProjectError, match="is a folder"):
        proj.attach(tmp_path, "1.1")
    f = _write(tmp_path / "a.pdf", b"%PDF-1.4 x")
    with pytest.raises(ValueProblem, match="Unknown indicator"):
        proj.attach(f, "9.9")
    with pytest.raises(ValueProblem, match="no evidence slot"):
        proj.attach(f, "1.1", "nope")
    with pytest.raises(ValueProblem, match="accepts pdf, png, txt"):
        proj.attach(_write(tmp_path / "a.exe", b"MZ"), "1.1", "proof")
    empty = proj.attach(_write(tmp_path / "empty.txt", b""), "1.1")  # accepted (the CLI/UI warn)
    assert empty.size == 0 and empty.mime == "application/x-empty"
    assert proj.extract(empty.id, tmp_path / "e.out").read_bytes() == b""
    assert proj.evidence_item(empty.id).links[0].slot_id == "proof"
    assert len(proj.evidence()) == 1


def test_detect_types(proj, tmp_path):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    e = proj.attach(_write(tmp_path / "pic.dat", buf.getvalue()), "1.1")
    assert e.mime == "image/png"
    e = proj.attach(_write(tmp_path / "doc.pdf", b"%PDF-1.7\n..."), "1.1")
    assert e.mime == "application/pdf"


def test_detach_removes_unreferenced_content(proj, tmp_path):
    e = proj.attach(_write(tmp_path / "a.txt", b"hello"), "1.1")
    proj.detach(e.id)
    assert proj.evidence() == []
    assert proj.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 0


def test_cancel_rolls_back_attach(proj, tmp_path):
    src = _write(tmp_path / "big.bin", os.urandom(5 * 1024 * 1024))
    state = TaskState()
    calls = []

    def progress(done, total, status):
        calls.append(done)
        if done >= 2 * 1024 * 1024:
            state.cancel()

    state = TaskState(on_progress=progress, min_interval=0)
    with pytest.raises(Cancelled):
        proj.attach(src, "1.1", task=state)
    assert proj.evidence() == [] and proj.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 0
    assert calls


def test_full_disk_during_attach_leaves_project_as_before(proj, tmp_path):
    proj.set("1.1/name", "保留")
    small = proj.attach(_write(tmp_path / "small.txt", b"small"), "1.1")
    page_count = proj.conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite reports SQLITE_FULL exactly as for a full disk once max_page_count is reached
    proj.conn.execute(f"PRAGMA max_page_count={page_count + 40}")
    src = _write(tmp_path / "big.bin", os.urandom(4 * 1024 * 1024))
    with pytest.raises(ProjectError) as ei:
        proj.attach(src, "1.1")
    assert ei.value.key == "disk.full" and "nothing was changed" in ei.value.en
    assert [e.id for e in proj.evidence()] == [small.id]
    assert proj.get("1.1/name") == "保留"
    path = proj.path
    proj.close()
    with Project.open(path) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [e.name for e in p.evidence()] == ["small.txt"]


def test_not_a_dossier_file(tmp_path):
    f = tmp_path / "notes.dossier"
    f.write_text("这不是项目文件" * 50)
    with pytest.raises(ProjectError) as ei:
        Project.open(f)
    assert ei.value.key == "project.not_dossier"
    db = tmp_path / "other.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(ProjectError, match="SQLite database but not a Dossier project"):
        Project.open(db)


def test_truncated_and_corrupt_files(tmp_path, prog):
    path = tmp_path / "p.dossier"
    with Project.create(path, prog, "甲") as p:
        p.attach(_write(tmp_path / "a.bin", os.urandom(300_000)), "1.1")
    data = path.read_bytes()
    trunc = _write(tmp_path / "trunc.dossier", data[: len(data) // 2])
    with pytest.raises(ProjectError) as ei:
        Project.open(trunc)
    assert ei.value.key == "project.corrupt" and "earlier copy" in ei.value.en
    bad = bytearray(data)
    bad[16384:16384 + 4096] = os.urandom(4096)  # scribble over the schema/meta pages
    bad[100:16384] = b"\xff" * (16384 - 100)
    corrupt = _write(tmp_path / "corrupt.dossier", bytes(bad))
    with pytest.raises(ProjectError) as ei:
        Project.open(corrupt)
    assert ei.value.key in ("project.corrupt", "project.not_dossier")
    assert path.read_bytes() == data  # the original is untouched


def test_newer_schema_refused(tmp_path, prog):
    path = tmp_path / "new.dossier"
    Project.create(path, prog).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version={CURRENT_VERSION + 5}")
    c.commit()
    c.close()
    with pytest.raises(ProjectError) as ei:
        Project.open(path)
    assert ei.value.key == "project.too_new" and "Update Dossier" in ei.value.en


def test_read_only_file_opens_read_only_with_notice(tmp_path, prog):
    path = tmp_path / "ro.dossier"
    with Project.create(path, prog) as p:
        p.set("1.1/name", "甲")
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        with Project.open(path) as p:
            assert p.readonly
            assert "read-only" in p.readonly_notice.en and "只读" in p.readonly_notice.zh
            assert p.get("1.1/name") == "甲"
            with pytest.raises(ProjectError, match="read-only"):
                p.set("1.1/name", "乙")
        assert sorted(os.listdir(tmp_path)) == ["ro.dossier"]
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_project_embeds_its_definition(tmp_path):
    from desktop.programs import import_program, installed_programs_dir
    from tests.core.helpers import definition_text

    f = tmp_path / "mine.yaml"
    f.write_text(definition_text(lambda d: d.update(id="embedded-prog")), "utf-8")
    prog = import_program(f)
    path = tmp_path / "e.dossier"
    Project.create(path, prog, "甲").close()
    for x in installed_programs_dir().iterdir():
        x.unlink()  # the machine no longer has the definition: the project still opens identically
    with Project.open(path) as p:
        assert p.program.id == "embedded-prog" and p.program.text == prog.text
        assert p.meta()["created_with"]


def test_safe_file_name():
    assert safe_file_name('a/b\\c:d*?.pdf') == "a_b_c_d__.pdf"
    assert safe_file_name("CON.txt") == "_CON.txt"
    long = safe_file_name("长" * 300 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 200


def test_unreadable_evidence_is_refused(proj, tmp_path, monkeypatch):
    import desktop.project.evidence as mod

    f = _write(tmp_path / "locked.pdf", b"%PDF-1.4")

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(mod, "open_regular", denied)
    with pytest.raises(ProjectError) as ei:
        proj.attach(f, "1.1")
    assert ei.value.key == "evidence.unreadable" and "Permission denied" in ei.value.en
    assert proj.evidence() == []
