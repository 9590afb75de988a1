"""Encryption to the reviewer (#12): age keys in the identity, key cards, `.zip.age`, hardened reader."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import desktop.identity as identity
from desktop.cli import main as cli_main
from desktop.identity import agekey
from desktop.identity.keycard import read_key_card, render_key_card, write_key_card
from desktop.transport import encrypt, export_package, verify_paths
from tests.keyrings import PASSPHRASE, install_memory_keyring

from .conftest import fixed_clock, out_dir

pyrage = pytest.importorskip("pyrage")


@pytest.fixture
def keyring_identity(monkeypatch):
    kr = install_memory_keyring(monkeypatch)
    identity.create_identity("柳州市人民政府", "Liuzhou Municipal Government", "CN")
    return kr


@pytest.fixture
def file_identity(monkeypatch):
    install_memory_keyring(monkeypatch)
    from desktop.identity import store

    monkeypatch.setattr(store, "secure_backend", lambda: (None, None))
    identity.create_identity("东盟工匠学院", "ASEAN Craftsman College", "TH", storage="file", passphrase=PASSPHRASE)


@pytest.fixture
def reviewer():
    return pyrage.x25519.Identity.generate()


def test_keyring_identity_gets_an_age_key_on_demand(keyring_identity, capsys):
    assert agekey.recipient() is None
    assert cli_main(["identity", "show"]) == 0
    out = capsys.readouterr().out
    r = agekey.recipient()
    assert r and r.startswith("age1") and f"encryption key: {r}" in out and agekey.recipient_fingerprint(r) in out
    ident = identity.load_identity()
    secret = keyring_identity.store[(identity.store.SERVICE, ident.fingerprint + agekey.KEYRING_SUFFIX)]
    assert secret.startswith("AGE-SECRET-KEY-1")
    assert str(agekey.load_age_identity().to_public()) == r
    assert cli_main(["identity", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["identity"]["age_recipient"] == r
    identity.delete_identity()
    assert (identity.store.SERVICE, ident.fingerprint + agekey.KEYRING_SUFFIX) not in keyring_identity.store


def test_passphrase_identity_keeps_the_age_key_encrypted(file_identity, monkeypatch, capsys):
    from desktop.paths import user_data_dir

    with pytest.raises(identity.IdentityError) as e:
        agekey.ensure_age_key("wrong passphrase, clearly")
    assert e.value.key == "identity.wrong_passphrase" and agekey.recipient() is None
    r = agekey.ensure_age_key(PASSPHRASE)
    blob = (identity.store.identity_dir() / agekey.AGE_KEY_FILE).read_bytes()
    assert blob.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert str(agekey.load_age_identity(PASSPHRASE).to_public()) == r
    with pytest.raises(identity.IdentityError):
        agekey.load_age_identity("wrong passphrase, clearly")
    for f in user_data_dir().rglob("*"):  # never a secret key in clear text anywhere
        if f.is_file():
            assert b"AGE-SECRET-KEY" not in f.read_bytes(), f
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    assert cli_main(["identity", "show", "--age"]) == 0 and capsys.readouterr().out.strip() == r


@pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age is not installed")
def test_passphrase_key_file_opens_with_the_age_tool(file_identity, tmp_path):
    agekey.ensure_age_key(PASSPHRASE)
    # age reads passphrases only from a terminal: this checks the format instead
    assert (identity.store.identity_dir() / agekey.AGE_KEY_FILE).read_bytes().startswith(b"age-encryption.org/v1\n")


def test_key_card_round_trip_and_tampering(keyring_identity, tmp_path, capsys):
    card = tmp_path / "card.pdf"
    assert cli_main(["identity", "key-card", str(card)]) == 0
    r = agekey.recipient()
    assert read_key_card(card) == r
    assert render_key_card(r, name_zh="x") == render_key_card(r, name_zh="x")  # deterministic
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(card), "-"], capture_output=True, text=True).stdout
        assert r[:31] in text and agekey.recipient_fingerprint(r)[:19] in text
    import pikepdf

    forged = tmp_path / "forged.pdf"
    with pikepdf.open(card) as pdf:
        pdf.docinfo["/DossierAgeRecipient"] = str(pyrage.x25519.Identity.generate().to_public())
        pdf.save(forged)
    with pytest.raises(identity.IdentityError) as e:
        read_key_card(forged)
    assert "do not match" in e.value.en
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4 nothing")
    for bad in (tmp_path / "junk.pdf", tmp_path / "missing.pdf"):
        with pytest.raises(identity.IdentityError):
            read_key_card(bad)


def test_bad_recipients_are_refused(demo_copy, tmp_path, capsys):
    good = str(pyrage.x25519.Identity.generate().to_public())
    typo = good[:-1] + ("q" if good[-1] != "q" else "p")
    for bad in ("age1nope", typo, "ssh-ed25519 AAAA"):
        assert cli_main(["export", str(demo_copy), "--out", str(tmp_path), "--encrypt-to", bad, "--no-self"]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "age" in err
    assert list(tmp_path.iterdir()) == [demo_copy] if demo_copy.parent == tmp_path else True


def test_encrypted_export_for_reviewer_and_self(keyring_identity, demo_copy, tmp_path, reviewer):
    out = out_dir(tmp_path, "enc")
    res = export_package(demo_copy, out, encrypt_to=[str(reviewer.to_public())], clock=fixed_clock)
    assert [p.name for p in res.outputs] == [res.export.base_name + ".zip.age"]
    assert res.pdf_path is None and not list(out.glob("*.pdf")) and not list(out.glob("*.zip"))  # nothing in clear
    assert agekey.recipient() in res.encrypted_to and str(reviewer.to_public()) in res.encrypted_to
    hdr = encrypt.read_header(res.packages[0])
    assert hdr.x25519_count == 2
    v = verify_paths(res.packages)  # the sender, with its own key
    assert v.status == "intact" and v.notes[0].startswith("decrypted") and v.package_id == res.export.package_id
    v = verify_paths(res.packages, identity=[reviewer])
    assert v.status == "intact"
    stranger = pyrage.x25519.Identity.generate()
    v = verify_paths(res.packages, identity=[stranger])
    assert v.status == "unreadable" and "not for you" in v.errors[0] and "2 other key" in v.errors[0]


def test_no_self_means_the_sender_cannot_open_it(keyring_identity, demo_copy, tmp_path, reviewer, capsys):
    out = out_dir(tmp_path, "enc")
    assert cli_main(["export", str(demo_copy), "--out", str(out), "--encrypt-to", str(reviewer.to_public()), "--no-self"]) == 0
    capsys.readouterr()
    (age_file,) = out.glob("*.zip.age")
    assert cli_main(["verify", str(age_file)]) == 2
    text = capsys.readouterr().out
    assert text.startswith("UNREADABLE:") and "not for you" in text


def test_truncated_oversized_and_foreign_age_files(tmp_path, reviewer):
    src = tmp_path / "x.zip"
    src.write_bytes(os.urandom(200_000))
    enc = tmp_path / "x.zip.age"
    encrypt.encrypt_file(src, enc, [str(reviewer.to_public())])
    data = enc.read_bytes()
    cases = {
        "truncated": data[: len(data) // 2],
        "header-only": data[: encrypt.read_header(enc).size],
        "cut-header": data[:40],
        "many-stanzas": b"age-encryption.org/v1\n" + b"-> X25519 AAAA\nAAAA\n" * 65 + b"--- " + b"A" * 43 + b"\n" + b"x" * 100,
        "huge-header": b"age-encryption.org/v1\n-> X25519 AAAA\n" + (b"A" * 64 + b"\n") * 2000,
        "armored": b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n",
        "not-age": b"PK\x03\x04 not age at all",
    }
    for name, blob in cases.items():
        p = tmp_path / f"{name}.zip.age"
        p.write_bytes(blob)
        v = verify_paths([p], identity=[reviewer])
        assert v.status == "unreadable", name
        assert v.errors and len(v.errors[0]) < 300, (name, v.errors)
    leftovers = [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("dossier-transport-*")]
    assert not [p for p in leftovers if p.stat().st_mtime > enc.stat().st_mtime], leftovers


@pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age is not installed")
def test_interoperates_with_the_age_tool(keyring_identity, demo_copy, tmp_path, reviewer):
    key = tmp_path / "reviewer.txt"
    key.write_text(str(reviewer) + "\n")
    res = export_package(demo_copy, out_dir(tmp_path, "o"), encrypt_to=[str(reviewer.to_public())], clock=fixed_clock)
    plain = tmp_path / "plain.zip"
    subprocess.run(["age", "-d", "-i", str(key), "-o", str(plain), str(res.packages[0])], check=True)
    from desktop.export.verify import verify_package

    assert verify_package(plain).status == "intact"
    # and the other way: a file age encrypted, opened by Dossier
    theirs = tmp_path / "theirs.zip.age"
    subprocess.run(["age", "-r", str(reviewer.to_public()), "-o", str(theirs), str(plain)], check=True)
    assert verify_paths([theirs], identity=[reviewer]).status == "intact"


def test_encrypt_to_card_on_the_cli(keyring_identity, demo_copy, tmp_path, capsys, reviewer):
    card = tmp_path / "reviewer-card.pdf"
    card.write_bytes(render_key_card(str(reviewer.to_public()), name_zh="评审办公室"))
    out = out_dir(tmp_path, "o")
    assert cli_main(["export", str(demo_copy), "--out", str(out), "--encrypt-to-card", str(card)]) == 0
    assert "encrypted to" in capsys.readouterr().out
    (f,) = out.glob("*.zip.age")
    assert verify_paths([f], identity=[reviewer]).status == "intact"


def test_write_key_card_without_identity(tmp_path):
    with pytest.raises(identity.IdentityError):
        write_key_card(tmp_path / "c.pdf")


# ---------------------------------------------------------------------------- the key in the backup


BACKUP_PW = "backup passphrase, long enough"


def _age_decrypt(path, passphrase: str, out) -> tuple[int, bytes]:
    """`age -d` of a passphrase file: age reads the passphrase from its terminal only, so it runs
    on a pseudo-terminal and is answered there."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execvp("age", ["age", "-d", "-o", str(out), str(path)])
    said, sent, t0 = b"", False, time.monotonic()
    while time.monotonic() - t0 < 60:
        if not select.select([fd], [], [], 0.5)[0]:
            continue
        try:
            b = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not b:
            break
        said += b
        if not sent and b"passphrase" in said.lower():
            os.write(fd, passphrase.encode() + b"\n")
            sent = True
    _pid, st = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(st), said


@pytest.mark.parametrize("kind", ["keyring", "file"])
def test_the_backup_carries_the_encryption_key(kind, monkeypatch, tmp_path):
    """A .p12 backup cannot hold the age key: it goes beside it, under the same passphrase, and an
    import restores it, so packages encrypted to this institution still open on the new computer."""
    from desktop.identity import store
    from desktop.identity.pkcs12 import age_backup_path

    install_memory_keyring(monkeypatch)
    kw = {}
    if kind == "file":
        monkeypatch.setattr(store, "secure_backend", lambda: (None, None))
        kw = {"storage": "file", "passphrase": PASSPHRASE}
    identity.create_identity("柳州市人民政府", "Liuzhou Municipal Government", "CN", **kw)
    key_pw = PASSPHRASE if kind == "file" else None
    r = agekey.ensure_age_key(key_pw)
    sealed = pyrage.encrypt(b"for the institution only", [pyrage.x25519.Recipient.from_str(r)])
    p12 = tmp_path / "柳州-identity-backup.p12"
    identity.export_pkcs12(p12, BACKUP_PW, key_passphrase=key_pw)
    side = age_backup_path(p12)
    assert side.name == "柳州-identity-backup.age-key.age" and side.is_file()
    assert b"AGE-SECRET-KEY" not in side.read_bytes()
    if shutil.which("age") and os.name == "posix":  # the tool nobody here wrote opens it with the backup's passphrase
        code, text = _age_decrypt(side, BACKUP_PW, tmp_path / "key.txt")
        assert code == 0, text
        assert (tmp_path / "key.txt").read_text().startswith("AGE-SECRET-KEY-1")
    identity.delete_identity()
    assert agekey.recipient() is None
    identity.import_pkcs12(p12, BACKUP_PW, **({"storage": "file", "key_passphrase": PASSPHRASE} if kind == "file" else {}))
    assert agekey.recipient() == r
    assert pyrage.decrypt(sealed, [agekey.load_age_identity(key_pw)]) == b"for the institution only"


def test_an_encryption_key_backup_that_does_not_open_installs_nothing(keyring_identity, tmp_path):
    from desktop.identity.pkcs12 import age_backup_path

    agekey.ensure_age_key()
    p12 = tmp_path / "b.p12"
    identity.export_pkcs12(p12, BACKUP_PW)
    age_backup_path(p12).write_bytes(pyrage.passphrase.encrypt(b"AGE-SECRET-KEY-1X\n", "another passphrase entirely"))
    identity.delete_identity()
    with pytest.raises(identity.IdentityError) as e:
        identity.import_pkcs12(p12, BACKUP_PW)
    assert e.value.key == "identity.bad_age_backup"
    assert identity.load_identity() is None


def test_no_encryption_key_no_file_beside_and_a_stale_one_is_removed(keyring_identity, tmp_path):
    from desktop.identity.pkcs12 import age_backup_path

    p12 = tmp_path / "b.p12"
    age_backup_path(p12).write_bytes(b"an older backup's key")
    identity.export_pkcs12(p12, BACKUP_PW)
    assert p12.is_file() and not age_backup_path(p12).exists()


@pytest.mark.parametrize("damage", ["truncated", "bit-flipped", "oversized", "not age"])
def test_a_damaged_encryption_key_backup_is_refused_and_installs_nothing(keyring_identity, tmp_path, damage):
    from desktop.identity.pkcs12 import age_backup_path

    agekey.ensure_age_key()
    p12 = tmp_path / "b.p12"
    identity.export_pkcs12(p12, BACKUP_PW)
    side = age_backup_path(p12)
    blob = side.read_bytes()
    bad = {"truncated": blob[: len(blob) // 2],
           "bit-flipped": blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:],
           "oversized": blob + b"\0" * (agekey.MAX_BACKUP + 1),
           "not age": b"AGE-SECRET-KEY-1 in clear text\n"}[damage]
    side.write_bytes(bad)
    identity.delete_identity()
    with pytest.raises(identity.IdentityError) as e:
        identity.import_pkcs12(p12, BACKUP_PW)
    assert e.value.key == "identity.bad_age_backup"
    assert identity.load_identity() is None


def test_a_busy_moment_does_not_make_the_key_file_refuse(file_identity, monkeypatch):
    """rage times a tiny scrypt run before opening a passphrase file and refuses one whose work
    factor looks 16 × too slow on that measure; a stall in the measuring millisecond made a key file
    written a minute earlier "wrong" (stop 26's CI: the desk reported an encrypted package "not for
    you"). The refusal is retried; a wrong passphrase is not, and says so."""
    agekey.ensure_age_key(PASSPHRASE)
    real = pyrage.passphrase.decrypt
    calls = []

    def stalled(blob, pw):
        calls.append(pw)
        if len(calls) <= 2:
            raise pyrage.DecryptError("Excessive work parameter for passphrase.\nDecryption would take around 64 seconds.")
        return real(blob, pw)

    monkeypatch.setattr(pyrage.passphrase, "decrypt", stalled)
    assert str(agekey.load_age_identity(PASSPHRASE).to_public()) == agekey.recipient()
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(identity.IdentityError) as e:
        agekey.load_age_identity("wrong passphrase, clearly")
    assert e.value.key == "identity.wrong_passphrase" and len(calls) == 3  # two stalls, then the real answer once

    def always(blob, pw):
        raise pyrage.DecryptError("Excessive work parameter for passphrase.\nDecryption would take around 64 seconds.")

    monkeypatch.setattr(pyrage.passphrase, "decrypt", always)
    with pytest.raises(identity.IdentityError) as e:
        agekey.load_age_identity(PASSPHRASE)
    assert e.value.key == "identity.key_busy" and "busy" in e.value.en and e.value.zh


def test_a_key_that_does_not_open_is_not_called_no_key(file_identity, demo_copy, tmp_path, monkeypatch, capsys):
    """This computer has a key, but the passphrase given is wrong: say that, not "no encryption key"."""
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    agekey.ensure_age_key(PASSPHRASE)
    out = out_dir(tmp_path, "enc")
    res = export_package(demo_copy, out, encrypt_to=[agekey.recipient()], clock=fixed_clock)
    assert verify_paths(res.packages).status == "intact"
    monkeypatch.setenv("DOSSIER_PASSPHRASE", "wrong passphrase, clearly")
    code = cli_main(["verify", str(res.packages[0])])
    err = capsys.readouterr()
    assert code == 2
    text = err.out + err.err
    assert "Wrong passphrase" in text and "no encryption key" not in text and "Traceback" not in text
