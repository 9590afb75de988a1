"""`dossier identity create|show|export|import|delete` round trips through desktop.cli.main."""

from __future__ import annotations

import json
import os

import keyring
import pytest

from desktop.cli import main
from desktop.identity import load_identity, store
from desktop.paths import user_data_dir

from .conftest import PASSPHRASE


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


@pytest.fixture
def pwfile(tmp_path):
    p = tmp_path / "pass.txt"
    p.write_text(PASSPHRASE + "\n", "utf-8")
    os.chmod(p, 0o600)
    return p


CREATE = ["identity", "create", "--name-zh", "柳州职业技术学院", "--name-en", "Liuzhou Vocational College",
          "--country", "CN", "--contact", "+86 772 1234567"]


def test_create_show_export_import_delete(capsys, tmp_path, pwfile, mem_keyring):
    rc, out, err = run(capsys, "identity", "show")
    assert rc == 1 and "No institution identity" in out and "keyring" in out

    rc, out, err = run(capsys, *CREATE)
    assert rc == 0, err
    ident = load_identity()
    assert ident.display_fingerprint in out and "柳州职业技术学院" in out and "system keyring" in out
    assert "backup" in err
    assert (store.SERVICE, ident.fingerprint) in mem_keyring.store

    rc, out, _ = run(capsys, "identity", "show")
    assert rc == 0 and ident.display_fingerprint in out
    rc, out, _ = run(capsys, "identity", "show", "--json")
    d = json.loads(out)
    assert d["identity"]["fingerprint"] == ident.fingerprint and d["storage"]["secure_keyring"] is True
    assert "PRIVATE" not in out
    rc, out, _ = run(capsys, "identity", "show", "--pem")
    assert out.startswith("-----BEGIN CERTIFICATE-----") and "PRIVATE" not in out

    cert = tmp_path / "cert.pem"
    rc, out, _ = run(capsys, "identity", "export", "--cert", cert)
    assert rc == 0 and cert.read_bytes() == ident.certificate

    p12 = tmp_path / "backup.p12"
    rc, out, err = run(capsys, "identity", "export", p12, "--passphrase-file", pwfile)
    assert rc == 0 and p12.exists() and "offline" in err
    rc, out, err = run(capsys, "identity", "export", p12, "--passphrase-file", pwfile)
    assert rc == 2 and "--force" in err  # no silent overwrite

    rc, out, err = run(capsys, "identity", "delete")  # not a terminal, no --yes: refused
    assert rc == 2 and "--yes" in err and "no longer sign" in err and load_identity() is not None
    rc, out, err = run(capsys, "identity", "delete", "--yes")
    assert rc == 0 and "Deleted" in out and load_identity() is None and mem_keyring.store == {}
    assert ident.display_fingerprint in err  # the consequences were shown

    bad = tmp_path / "bad.txt"
    bad.write_text("not the passphrase\n", "utf-8")
    os.chmod(bad, 0o600)
    rc, out, err = run(capsys, "identity", "import", p12, "--passphrase-file", bad)
    assert rc == 2 and "Wrong passphrase" in err
    rc, out, err = run(capsys, "identity", "import", p12, "--passphrase-file", pwfile, "--json")
    assert rc == 0, err
    assert json.loads(out)["identity"]["fingerprint"] == ident.fingerprint
    assert (store.SERVICE, ident.fingerprint) in mem_keyring.store


def test_passphrase_never_a_plain_argument(capsys, pwfile):
    rc, _out, err = run(capsys, *CREATE, "--passphrase", PASSPHRASE)
    assert rc == 2 and "unrecognized arguments" in err


def test_fallback_when_no_keyring(capsys, fail_keyring, pwfile, monkeypatch, tmp_path):
    rc, out, err = run(capsys, *CREATE)
    assert rc == 2 and "cannot be kept in a secure keyring" in err and "--passphrase-file" in err
    assert load_identity() is None

    rc, out, err = run(capsys, *CREATE, "--passphrase-file", pwfile)
    assert rc == 0, err
    assert "Using passphrase storage" in err and "passphrase" in out
    ident = load_identity()
    assert ident.storage == "file"
    assert (user_data_dir() / "identity" / store.KEY_FILE).read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY")

    # export the backup: the .p12 passphrase from the file, the stored key's from the environment
    p12 = tmp_path / "b.p12"
    monkeypatch.setenv("DOSSIER_KEY_PASSPHRASE", "wrong key passphrase!")
    rc, out, err = run(capsys, "identity", "export", p12, "--passphrase-file", pwfile)
    assert rc == 2 and "Wrong passphrase" in err
    monkeypatch.delenv("DOSSIER_KEY_PASSPHRASE")
    rc, out, err = run(capsys, "identity", "export", p12, "--passphrase-file", pwfile)  # same passphrase by default
    assert rc == 0, err

    rc, out, err = run(capsys, "identity", "delete", "--yes")
    assert rc == 0
    # import with the environment variable instead of a file: the same passphrase protects the stored key
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    rc, out, err = run(capsys, "identity", "import", p12)
    assert rc == 0, err
    assert load_identity().storage == "file" and load_identity().fingerprint == ident.fingerprint


def test_empty_or_open_passphrase_file(capsys, tmp_path, fail_keyring):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", "utf-8")
    rc, _out, err = run(capsys, *CREATE, "--passphrase-file", empty)
    assert rc == 2 and "empty" in err
    weak = tmp_path / "weak.txt"
    weak.write_text("short\n", "utf-8")
    os.chmod(weak, 0o644)
    rc, _out, err = run(capsys, *CREATE, "--passphrase-file", weak)
    assert rc == 2 and "at least 12 characters" in err and err.count("\n") == 1  # the error alone: one line
    if os.name == "posix":  # a readable passphrase file is pointed out when the command succeeds
        open_file = tmp_path / "open.txt"
        open_file.write_text(PASSPHRASE + "\n", "utf-8")
        os.chmod(open_file, 0o644)
        rc, _out, err = run(capsys, *CREATE, "--passphrase-file", open_file)
        assert rc == 0 and "other users" in err
        run(capsys, "identity", "delete", "--yes")
    rc, _out, err = run(capsys, *CREATE, "--passphrase-file", tmp_path / "missing.txt")
    assert rc == 2 and "Cannot read" in err


def test_bad_input_one_line_errors(capsys):
    rc, _out, err = run(capsys, "identity", "create", "--name-zh", "学院", "--country", "China")
    assert rc == 2 and err.count("\n") == 1 and "ISO 3166" in err
    rc, _out, err = run(capsys, "identity", "export", "x.p12")
    assert rc == 2 and "no institution identity" in err.lower()
    rc, _out, err = run(capsys, "identity", "delete", "--yes")
    assert rc == 2 and "dossier identity create" in err


def test_chinese_messages(capsys, monkeypatch, fail_keyring):
    monkeypatch.setenv("DOSSIER_LANG", "zh")
    rc, out, err = run(capsys, *CREATE)
    assert rc == 2 and "口令" in err
    rc, out, err = run(capsys, "identity", "show")
    assert rc == 1 and "本机没有单位身份" in out


def test_plaintext_keyring_refused_by_cli(capsys, pwfile, mem_keyring):
    import types

    from .conftest import MemoryKeyring

    cls = types.new_class("PlaintextKeyring", (MemoryKeyring,))
    cls.__module__ = "keyrings.alt.file"
    kr = cls()
    keyring.set_keyring(kr)
    rc, out, err = run(capsys, *CREATE, "--storage", "keyring")
    assert rc == 2 and "plain text" in err and "keyrings.alt.file.PlaintextKeyring" in err
    rc, out, err = run(capsys, *CREATE, "--passphrase-file", pwfile)
    assert rc == 0 and load_identity().storage == "file" and kr.store == {}


def test_interactive_prompts(capsys, monkeypatch, fail_keyring, demo_copy, tmp_path):
    """On a terminal: no keyring → asked whether to use passphrase storage, passphrase typed twice;
    `dossier export --sign` then asks for it (getpass, never echoed, never an argument)."""
    import builtins
    import getpass

    import desktop.cli.identity as ci

    monkeypatch.setattr(ci, "_interactive", lambda: True)
    answers = iter(["y"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    typed = iter(["too short", PASSPHRASE, PASSPHRASE])  # a weak one is refused and asked again
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": prompts.append(prompt) or next(typed))
    rc, out, err = run(capsys, *CREATE)
    assert rc == 0, err
    assert load_identity().storage == "file" and "at least 12" in err and len(prompts) == 3

    (tmp_path / "out").mkdir()
    typed = iter([PASSPHRASE])
    rc, out, err = run(capsys, "export", demo_copy, "--out", tmp_path / "out", "--sign")
    assert rc == 0, err
    assert "Passphrase of the institution identity" in prompts[-1]

    monkeypatch.setattr(builtins, "input", lambda prompt="": "n")
    rc, out, err = run(capsys, "identity", "delete")
    assert rc == 2 and "Not deleted" in out and load_identity() is not None
    monkeypatch.setattr(builtins, "input", lambda prompt="": "y")
    rc, out, err = run(capsys, "identity", "delete")
    assert rc == 0 and load_identity() is None
