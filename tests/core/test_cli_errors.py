"""Every CLI error is ONE clear line on stderr, never a traceback, never "unexpected error": every
command driven with bad inputs (missing, folder, device, empty, not ours, odd names, damaged
projects, bad values, usage mistakes)."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys

import pytest

from desktop.cli import main

PID = "gx-city-consortium"
LONG = "a" * 256  # one byte more than ext4/NTFS/APFS allow in a name


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("dossier: "), repr(err)
    assert "Traceback" not in err and "unexpected" not in err.lower(), err
    return err


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad-inputs")
    from desktop.demo import make_demo
    from desktop.programs import find_program

    good = d / "good.dossier"
    make_demo(find_program(PID), good).close()
    (d / "folder").mkdir()
    (d / "empty").write_bytes(b"")
    (d / "text.txt").write_text("hello")
    (d / "text.yaml").write_text("just: [a, b]\n")
    if os.name == "posix":
        os.symlink("loop", d / "loop")
    bad_json = d / "badjson.dossier"
    bad_json.write_bytes(good.read_bytes())
    c = sqlite3.connect(bad_json)
    c.execute("UPDATE answers SET value='{nope' WHERE path='1.1/park_name'")
    c.commit()
    c.close()
    bomb = d / "bomb.dossier"
    bomb.write_bytes(good.read_bytes())
    c = sqlite3.connect(bomb)
    c.execute("UPDATE meta SET value=? WHERE key='program_yaml'", (BOMB,))
    c.commit()
    c.close()
    (d / "bomb.yaml").write_text(BOMB)
    return d


def _bomb() -> str:
    """A "billion laughs": 9 levels of 9 aliases, 9^9 strings once expanded, 400 bytes written."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, k in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{k}: &{k} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BOMB = _bomb()


CASES = [
    # projects: not there, not a file, not ours, damaged, odd names
    (["info", "{d}/missing.dossier"], "File not found"),
    (["info", "{d}/folder"], "is a folder"),
    (["info", "/dev/null"], "device"),
    (["info", "{d}/empty"], "not a Dossier project"),
    (["info", "{d}/text.txt"], "not a Dossier project"),
    (["info", "{d}/" + LONG + ".dossier"], "File name too long"),
    (["info", "{d}/badjson.dossier"], "1.1/park_name is not valid JSON"),
    (["validate", "{d}/badjson.dossier"], "1.1/park_name is not valid JSON"),
    (["get", "{d}/badjson.dossier"], "1.1/park_name is not valid JSON"),
    (["export", "{d}/badjson.dossier", "--out", "{d}/folder"], "1.1/park_name is not valid JSON"),
    (["info", "{d}/bomb.dossier"], "aliases (*name) expand this document"),
    (["new", "{d}/" + LONG + ".dossier", "--program", PID], "too long"),
    (["new", "{d}/folder", "--program", PID], "already exists"),
    (["new", "{d}/nofolder/x.dossier", "--program", PID], "does not exist"),
    (["new", "{d}/n.dossier", "--program", "nope"], "Unknown program"),
    (["demo", PID, "{d}/" + LONG + ".dossier"], "too long"),
    # values
    (["set", "{d}/good.dossier", "1.1/nope", "1"], "Unknown field path"),
    (["set", "{d}/good.dossier", "1.1/park_name", "--json-value", "--", "{bad"], "not JSON"),
    (["set", "{d}/good.dossier", "1.1/park_name"], "needs a VALUE"),
    # evidence in and out
    (["attach", "{d}/good.dossier", "{d}/missing.pdf", "--indicator", "1.1"], "not found"),
    (["attach", "{d}/good.dossier", "{d}/folder", "--indicator", "1.1"], "is a folder"),
    (["attach", "{d}/good.dossier", "/dev/null", "--indicator", "1.1"], "device"),
    (["attach", "{d}/good.dossier", "{d}/" + LONG + ".pdf", "--indicator", "1.1"], "File name too long"),
    (["attach", "{d}/good.dossier", "{d}/text.txt", "--indicator", "9.9"], "Unknown indicator"),
    (["extract", "{d}/good.dossier", "1", "/dev/null"], "choose another name"),
    (["extract", "{d}/good.dossier", "1", "{d}/folder/" + LONG + ".pdf"], "too long"),
    (["extract", "{d}/good.dossier", "1", "{d}/nofolder/x.pdf"], "does not exist"),
    (["extract", "{d}/good.dossier", "x", "{d}/folder"], "must be a number"),
    (["extract", "{d}/good.dossier", "999", "{d}/folder"], "No evidence #999"),
    # programs
    (["program", "check", "{d}/folder"], "is a folder"),
    (["program", "check", "{d}/empty"], ".yaml, .yml or .xlsx"),
    (["program", "check", "{d}/text.yaml"], "text.yaml"),
    (["program", "check", "{d}/bomb.yaml"], "aliases (*name) expand this document"),
    (["program", "import", "/dev/null"], "device"),
    (["program", "show", "nope"], "Unknown program"),
    # seal
    (["export", "{d}/good.dossier", "--out", "{d}/text.txt"], "not a folder"),
    # a missing --out folder is created (README: `--out 提交/`); one under a file cannot be
    (["export", "{d}/good.dossier", "--out", "{d}/text.txt/sub"], "Cannot create the output folder"),
    (["export", "{d}/missing.dossier", "--out", "{d}/folder"], "File not found"),
    # identity
    (["identity", "export", "{d}/x.p12"], "no institution identity"),
    (["identity", "import", "{d}/missing.p12", "--passphrase-file", "{d}/text.txt"], "Cannot read"),
    (["identity", "create", "--country", "CN", "--name-en", "X", "--passphrase-file", "{d}/missing"],
     "Cannot read the passphrase file"),
    (["identity", "create", "--country", "CN", "--name-en", "X", "--passphrase-file", "{d}/empty"], "is empty"),
    (["identity", "create", "--country", "CN", "--name-en", "X"], "Nothing was stored"),
    (["identity", "delete"], "no institution identity"),
    # usage
    (["frobnicate"], "unknown command"),
    ([], "a command is needed"),
    (["set"], "required"),
    (["attach", "{d}/good.dossier", "-x.pdf", "--indicator", "1.1"], "put the options first"),
    (["set", "{d}/good.dossier", "1.1/park_name", "-5%"], "-- -5%"),
    (["export", "{d}/good.dossier"], "--out"),
    (["verify"], "required"),
]


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    """A headless computer: no system keyring (the identity cases), fast key derivation."""
    from tests.keyrings import install_fail_keyring, install_memory_keyring

    install_memory_keyring(monkeypatch)
    install_fail_keyring()


@pytest.mark.parametrize("args,needle", CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input_is_one_clear_line(world, capsys, args, needle):
    if any("/dev/null" in a for a in args) and not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    if any(LONG in a for a in args) and sys.platform == "win32":
        pytest.skip("POSIX name limits")
    real = [a.replace("{d}", str(world)) for a in args]
    before = (world / "good.dossier").read_bytes()
    code, _out, err = run(capsys, *real)
    assert code == 2, (code, err)
    assert needle in one_line(err), err
    assert (world / "good.dossier").read_bytes() == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX names")
def test_invalid_utf8_evidence_name_is_attached_and_shown(world, tmp_path, capsys):
    import shutil

    proj = tmp_path / "p.dossier"
    shutil.copyfile(world / "good.dossier", proj)
    raw = os.fsencode(str(tmp_path)) + b"/scan-\xff\xfe.pdf"
    with open(raw, "wb") as fh:
        fh.write(b"%PDF-1.4\n% odd name\n")
    name = os.fsdecode(raw)
    code, out, err = run(capsys, "attach", proj, name, "--indicator", "1.1")
    assert code == 0, err
    assert "scan-\ufffd\ufffd.pdf" in out
    code, out, err = run(capsys, "evidence", proj)
    assert code == 0 and "scan-\ufffd\ufffd.pdf" in out
    code, out, err = run(capsys, "extract", proj, out.strip().splitlines()[-1].split("\t")[0].lstrip("#"), tmp_path)
    assert code == 0, err
    assert (tmp_path / "scan-\ufffd\ufffd.pdf").read_bytes().startswith(b"%PDF")


def test_dossier_home_that_is_a_file(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    y = tmp_path / "p.yaml"
    from tests.core.helpers import definition_text

    y.write_text(definition_text(), "utf-8")
    code, _out, err = run(capsys, "program", "import", y)
    assert code == 2 and "is a file, not a folder" in one_line(err) and "DOSSIER_HOME" in err
    pw = tmp_path / "pw"
    pw.write_text("correct horse battery staple\n")
    pw.chmod(0o600)
    code, _out, err = run(capsys, "identity", "create", "--country", "CN", "--name-en", "X", "--storage", "file",
                          "--passphrase-file", pw)
    assert code == 2 and "is a file, not a folder" in one_line(err)


@pytest.mark.skipif(os.name != "posix" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="root may write anywhere")
def test_unwritable_user_data_folder(tmp_path, capsys, monkeypatch):
    home = tmp_path / "ro-home"
    home.mkdir()
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    from tests.core.helpers import definition_text

    y = tmp_path / "p.yaml"
    y.write_text(definition_text(), "utf-8")
    try:
        code, _out, err = run(capsys, "program", "import", y)
    finally:
        home.chmod(stat.S_IRWXU)
    assert code == 2 and "user data folder" in one_line(err)


def test_bad_json_answer_can_be_cleared(world, tmp_path, capsys):
    import shutil

    proj = tmp_path / "p.dossier"
    shutil.copyfile(world / "badjson.dossier", proj)
    code, _out, err = run(capsys, "set", proj, "1.1/park_name", "--clear")
    assert code == 0, err
    code, _out, err = run(capsys, "validate", proj)
    assert code in (0, 1) and "JSON" not in err
    code, out, err = run(capsys, "history", proj, "1.1/park_name")
    assert code == 0 and "{nope" in out  # the unreadable old value is kept in the history, as it was


def test_identity_delete_without_yes_is_one_line(tmp_path, capsys, monkeypatch):
    pw = tmp_path / "pw"
    pw.write_text("correct horse battery staple\n")
    pw.chmod(0o600)
    code, _out, err = run(capsys, "identity", "create", "--country", "CN", "--name-en", "X", "--storage", "file",
                          "--passphrase-file", pw)
    assert code == 0, err
    code, _out, err = run(capsys, "identity", "delete")
    assert code == 2 and "add --yes" in one_line(err) and "backup" in err
    code, _out, err = run(capsys, "identity", "show")
    assert code == 0


def test_a_value_starting_with_a_dash_after_double_dash(world, tmp_path, capsys):
    import shutil

    proj = tmp_path / "p.dossier"
    shutil.copyfile(world / "good.dossier", proj)
    code, out, err = run(capsys, "set", proj, "1.1/park_name", "--", "-新园区-")
    assert code == 0, err
    assert out.strip().endswith("-新园区-")


def test_read_only_project_says_so_in_text_mode(world, tmp_path, capsys, monkeypatch):
    import shutil

    import desktop.project.file as file_mod

    proj = tmp_path / "ro.dossier"
    shutil.copyfile(world / "good.dossier", proj)
    monkeypatch.setattr(file_mod, "_is_writable", lambda p: False)  # (root writes read-only files anyway)
    code, out, err = run(capsys, "info", proj)
    assert code == 0, err
    assert "read-only:" in out and "Copy it to a writable place" in out
    code, out, err = run(capsys, "set", proj, "1.1/park_name", "x")
    assert code == 2 and "read-only" in one_line(err)
