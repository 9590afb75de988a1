"""Identity core: certificate contents, keyring storage, refused backends, passphrase fallback,
PKCS#12 backup and move, deletion."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import types

import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12 as cpkcs12
from cryptography.x509.oid import NameOID

import desktop.identity as identity
from desktop.identity import keys, store
from desktop.identity.model import IdentityError, format_fingerprint, normalize_fingerprint
from desktop.paths import user_data_dir

from .conftest import PASSPHRASE, REAL_SELECT_BACKEND, MemoryKeyring

NAME_ZH = "柳州职业技术学院"
NAME_EN = "Liuzhou Vocational & Technical College"


def _create(**kw):
    args = dict(name_zh=NAME_ZH, name_en=NAME_EN, country="CN", contact="+86 772 1234567")
    args.update(kw)
    return identity.create_identity(args.pop("name_zh"), args.pop("name_en"), args.pop("country"), args.pop("contact"), **args)


# ------------------------------------------------------------------------------- fingerprint


def test_fingerprint_groups_of_four():
    h = "0123456789abcdef" * 4
    d = format_fingerprint(h)
    assert d == "0123 4567 89AB CDEF " * 3 + "0123 4567 89AB CDEF"
    assert len(d.split()) == 16 and all(len(g) == 4 for g in d.split())
    assert normalize_fingerprint(d) == h
    assert normalize_fingerprint("sha256:" + ":".join(h[i:i + 2] for i in range(0, 64, 2)).upper()) == h
    with pytest.raises(IdentityError) as e:
        normalize_fingerprint("0123 4567")
    assert e.value.key == "identity.bad_fingerprint" and e.value.zh != e.value.en


# ------------------------------------------------------------------------------- create


def test_create_keeps_key_in_keyring_only(mem_keyring):
    st = identity.storage_status()
    assert st.secure_keyring and st.backend.endswith("MemoryKeyring") and st.message.zh and st.message.en
    ident = _create()
    assert ident.storage == "keyring" and ident.keyring_backend.endswith("MemoryKeyring")
    assert ident.name == NAME_ZH and ident.display_fingerprint == format_fingerprint(ident.fingerprint)
    # the key is in the keyring under the fingerprint; nothing secret on disk
    secret = mem_keyring.store[(store.SERVICE, ident.fingerprint)]
    assert "PRIVATE KEY" in secret
    d = user_data_dir() / "identity"
    assert sorted(p.name for p in d.iterdir()) == ["certificate.pem", "identity.json"]
    meta = json.loads((d / "identity.json").read_text("utf-8"))
    assert meta["fingerprint"] == ident.fingerprint and meta["storage"] == "keyring" and meta["name_zh"] == NAME_ZH
    again = identity.load_identity()
    assert again.fingerprint == ident.fingerprint and again.contact == "+86 772 1234567"
    if os.name == "posix":
        assert (d.stat().st_mode & 0o777) == 0o700


def test_certificate_contents():
    ident = _create()
    cert = x509.load_pem_x509_certificate(ident.certificate)
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey) and cert.public_key().curve.name == "secp256r1"
    assert cert.subject == cert.issuer  # self-signed
    cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0]
    assert cn.value == NAME_ZH and cn._type == x509.name._ASN1Type.UTF8String
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == NAME_EN
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "CN"
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    assert not ku.value.key_cert_sign and not ku.value.key_encipherment
    bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and not bc.value.ca
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365.25
    assert 9.9 < years < 10.1
    assert keys.fingerprint(cert) == ident.fingerprint
    assert keys.fields_from_cert(cert) == {"name_zh": NAME_ZH, "name_en": NAME_EN, "country": "CN",
                                           "contact": "+86 772 1234567"}


def test_english_only_name_round_trips():
    ident = _create(name_zh="", name_en="Royal Phnom Penh Polytechnic", country="kh")
    cert = x509.load_pem_x509_certificate(ident.certificate)
    f = keys.fields_from_cert(cert)
    assert f["name_zh"] == "" and f["name_en"] == "Royal Phnom Penh Polytechnic" and f["country"] == "KH"
    assert ident.name == "Royal Phnom Penh Polytechnic"


@pytest.mark.parametrize("kw, key", [
    ({"name_zh": "", "name_en": ""}, "identity.bad_input"),
    ({"country": "China"}, "identity.bad_input"),
    ({"country": ""}, "identity.bad_input"),
    ({"name_zh": "学" * 65}, "identity.bad_input"),
    ({"name_zh": "坏\x07名"}, "identity.bad_input"),
])
def test_create_rejects_bad_input(kw, key):
    with pytest.raises(IdentityError) as e:
        _create(**kw)
    assert e.value.key == key and e.value.zh and e.value.en
    assert identity.load_identity() is None


def test_create_refuses_a_second_identity():
    first = _create()
    with pytest.raises(IdentityError) as e:
        _create(name_zh="另一个学院")
    assert e.value.key == "identity.exists" and first.display_fingerprint in e.value.en
    assert identity.load_identity().fingerprint == first.fingerprint


# ------------------------------------------------------------------------------- no secure keyring


def test_fail_keyring_offers_passphrase_storage(fail_keyring, monkeypatch):
    st = identity.storage_status()
    assert not st.secure_keyring and st.refused is None
    assert "passphrase" in st.message.en and "口令" in st.message.zh
    with pytest.raises(IdentityError) as e:
        _create()
    assert e.value.key == "identity.no_secure_storage" and "passphrase" in e.value.en
    assert identity.load_identity() is None
    with pytest.raises(IdentityError) as e:
        _create(passphrase="short")
    assert e.value.key == "identity.weak_passphrase"

    ident = _create(passphrase=PASSPHRASE)  # auto + a passphrase: the user agreed to passphrase storage
    assert ident.storage == "file" and "passphrase" in ident.storage_text().en
    pem = (user_data_dir() / "identity" / store.KEY_FILE).read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    if os.name == "posix":
        assert (user_data_dir() / "identity" / store.KEY_FILE).stat().st_mode & 0o077 == 0
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(pem, None)  # it really needs the passphrase

    with pytest.raises(IdentityError) as e:
        identity.get_sealer()
    assert e.value.key == "identity.passphrase_required"
    with pytest.raises(IdentityError) as e:
        identity.get_sealer("wrong passphrase, sorry")
    assert e.value.key == "identity.wrong_passphrase"
    s = identity.get_sealer(PASSPHRASE)
    assert s.fingerprint == ident.fingerprint
    monkeypatch.setenv("DOSSIER_PASSPHRASE", PASSPHRASE)
    assert identity.get_sealer().fingerprint == ident.fingerprint


def test_explicit_keyring_storage_without_keyring_fails(fail_keyring):
    with pytest.raises(IdentityError) as e:
        _create(storage="keyring", passphrase=PASSPHRASE)
    assert e.value.key == "identity.no_secure_storage"


def test_null_keyring_is_not_secure(mem_keyring):
    from keyring.backends import null

    keyring.set_keyring(null.Keyring())
    assert not identity.storage_status().secure_keyring


def _fake_alt_backend(module: str, name: str):
    """A class that looks like keyrings.alt's (simulated by module name: keyrings.alt need not be installed)."""
    cls = types.new_class(name, (MemoryKeyring,))
    cls.__module__ = module
    return cls


@pytest.mark.parametrize("module, name", [("keyrings.alt.file", "PlaintextKeyring"),
                                          ("keyrings.alt.file", "EncryptedKeyring"),
                                          ("keyrings.alt.Gnome", "Keyring"),
                                          ("some.other.pkg", "MyPlaintextKeyring")])
def test_plaintext_backends_are_refused(mem_keyring, module, name):
    kr = _fake_alt_backend(module, name)()
    keyring.set_keyring(kr)
    assert store.classify_backend(kr) == "plaintext"
    st = identity.storage_status()
    assert not st.secure_keyring and st.refused == f"{module}.{name}"
    assert "plain text" in st.message.en and "明文" in st.message.zh
    with pytest.raises(IdentityError) as e:
        _create()
    assert e.value.key == "identity.no_secure_storage"
    ident = _create(passphrase=PASSPHRASE)
    assert ident.storage == "file"
    assert kr.writes == 0 and kr.store == {}  # nothing ever went to the plaintext backend


def test_real_keyrings_alt_plaintext_is_refused(mem_keyring, tmp_path):
    alt = pytest.importorskip("keyrings.alt.file")
    kr = alt.PlaintextKeyring()
    kr.file_path = str(tmp_path / "keyring_pass.cfg")
    keyring.set_keyring(kr)
    st = identity.storage_status()
    assert not st.secure_keyring and st.refused == "keyrings.alt.file.PlaintextKeyring"
    ident = _create(passphrase=PASSPHRASE)
    assert ident.storage == "file"
    assert not (tmp_path / "keyring_pass.cfg").exists()


def test_chainer_is_unwrapped_and_never_falls_through_to_plaintext(mem_keyring):
    from keyring.backends.chainer import ChainerBackend

    plain = _fake_alt_backend("keyrings.alt.file", "PlaintextKeyring")()

    class Chain(ChainerBackend):
        members: list = []

        @property
        def backends(self):
            return self.members

    ch = Chain()
    ch.members = [plain, mem_keyring]
    keyring.set_keyring(ch)
    assert store.secure_backend()[0] is mem_keyring
    ident = _create()
    assert ident.storage == "keyring" and plain.writes == 0 and (store.SERVICE, ident.fingerprint) in mem_keyring.store
    ch.members = [plain]
    st = identity.storage_status()
    assert not st.secure_keyring and st.refused == "keyrings.alt.file.PlaintextKeyring"


def test_select_backend_names_the_os_backends(monkeypatch):
    assert store._OS_BACKENDS["win32"] == ["keyring.backends.Windows:WinVaultKeyring"]
    assert store._OS_BACKENDS["darwin"] == ["keyring.backends.macOS:Keyring"]
    assert store._OS_BACKENDS["linux"][0] == "keyring.backends.SecretService:Keyring"
    assert not any("keyrings" in s for specs in store._OS_BACKENDS.values() for s in specs)


def test_select_backend_refuses_a_plaintext_class_even_if_listed(monkeypatch):
    mod = types.ModuleType("keyrings.alt.fakefile")
    mod.PlaintextKeyring = _fake_alt_backend("keyrings.alt.fakefile", "PlaintextKeyring")
    monkeypatch.setitem(sys.modules, "keyrings.alt.fakefile", mod)
    plat = "win32" if sys.platform == "win32" else "darwin" if sys.platform == "darwin" else "linux"
    monkeypatch.setitem(store._OS_BACKENDS, plat, ["keyrings.alt.fakefile:PlaintextKeyring", "no.such.module:Keyring"])
    assert REAL_SELECT_BACKEND() is None


def test_explicit_backend_choice_is_respected(fail_keyring, monkeypatch):
    calls = []
    monkeypatch.setattr(store, "select_backend", lambda: calls.append(1) or MemoryKeyring())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert store.secure_backend()[0] is None and calls == []
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    assert isinstance(store.secure_backend()[0], MemoryKeyring) and calls == [1]  # frozen-build path


def test_frozen_build_selects_the_os_backend_by_name(mem_keyring, monkeypatch):
    """In a frozen app keyring's own discovery is not trusted (no entry points): the OS backend is
    chosen by class name, even when keyring has a (here: in-memory) backend of its own."""
    chosen = MemoryKeyring()
    monkeypatch.setattr(store, "select_backend", lambda: chosen)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert store.secure_backend() == (chosen, None)
    monkeypatch.setattr(store, "select_backend", lambda: None)  # no Secret Service on this box
    assert store.secure_backend() == (None, None)
    assert store.storage_status().secure_keyring is False
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # the user's choice wins
    monkeypatch.setattr(store, "select_backend", lambda: chosen)
    assert store.secure_backend()[0] is mem_keyring


def test_kdf_strength(fail_keyring, monkeypatch):
    from asn1crypto import keys as akeys

    monkeypatch.setattr(keys, "KDF_ITERATIONS", 600_000)
    _create(passphrase=PASSPHRASE)
    pem = (user_data_dir() / "identity" / store.KEY_FILE).read_bytes()
    import base64

    body = b"".join(pem.strip().splitlines()[1:-1])
    epki = akeys.EncryptedPrivateKeyInfo.load(base64.b64decode(body))
    params = epki["encryption_algorithm"]["parameters"]
    assert epki["encryption_algorithm"]["algorithm"].native == "pbes2"
    kdf = params["key_derivation_func"]["parameters"]
    assert kdf["iteration_count"].native == 600_000 and len(kdf["salt"].native) == 16
    assert kdf["prf"]["algorithm"].native == "sha256"
    assert params["encryption_scheme"]["algorithm"].native == "aes256_cbc"
    assert keys.KDF_ITERATIONS == 600_000
    assert identity.get_sealer(PASSPHRASE).name == NAME_ZH


# ------------------------------------------------------------------------------- keyring trouble


def test_key_missing_from_keyring(mem_keyring):
    _create()
    mem_keyring.store.clear()
    with pytest.raises(IdentityError) as e:
        identity.get_sealer()
    assert e.value.key == "identity.key_missing" and "backup" in e.value.en


def test_keyring_write_error_is_reported(mem_keyring, monkeypatch):
    def boom(*a):
        raise keyring.errors.PasswordSetError("the keychain is locked")

    monkeypatch.setattr(mem_keyring, "set_password", boom)
    with pytest.raises(IdentityError) as e:
        _create()
    assert e.value.key == "identity.keyring_unavailable" and "locked" in e.value.en
    assert identity.load_identity() is None


def test_no_identity():
    assert identity.load_identity() is None
    with pytest.raises(IdentityError) as e:
        identity.get_sealer()
    assert e.value.key == "identity.none" and "dossier identity create" in e.value.en and e.value.zh


def test_expired_certificate_cannot_sign(mem_keyring):
    key = keys.generate_key()
    old = _dt.datetime(2010, 1, 1, tzinfo=_dt.timezone.utc)
    cert = keys.make_certificate(key, name_zh=NAME_ZH, name_en="", country="CN", now=old, years=1)
    store.save_identity(key, cert, name_zh=NAME_ZH, name_en="", country="CN", contact="")
    with pytest.raises(IdentityError) as e:
        identity.get_sealer()
    assert e.value.key == "identity.expired"


# ------------------------------------------------------------------------------- PKCS#12


def test_pkcs12_export_import_round_trip(mem_keyring, tmp_path):
    ident = _create()
    p12 = tmp_path / "backup.p12"
    with pytest.raises(IdentityError) as e:
        identity.export_pkcs12(p12, "too short")
    assert e.value.key == "identity.weak_passphrase" and not p12.exists()
    identity.export_pkcs12(p12, PASSPHRASE)
    if os.name == "posix":
        assert p12.stat().st_mode & 0o077 == 0
    data = p12.read_bytes()
    loaded = cpkcs12.load_pkcs12(data, PASSPHRASE.encode())
    assert keys.fingerprint(loaded.cert.certificate) == ident.fingerprint
    with pytest.raises(ValueError):
        cpkcs12.load_pkcs12(data, None)
    key_before = mem_keyring.store[(store.SERVICE, ident.fingerprint)]

    # move to "another machine": delete here, import there
    identity.delete_identity()
    assert identity.load_identity() is None and mem_keyring.store == {}
    with pytest.raises(IdentityError) as e:
        identity.import_pkcs12(p12, "not the passphrase")
    assert e.value.key == "identity.wrong_passphrase"
    back = identity.import_pkcs12(p12, PASSPHRASE)
    assert back.fingerprint == ident.fingerprint and back.storage == "keyring"
    assert (back.name_zh, back.name_en, back.country, back.contact) == (NAME_ZH, NAME_EN, "CN", "+86 772 1234567")
    k1 = serialization.load_pem_private_key(key_before.encode(), None)
    k2 = serialization.load_pem_private_key(mem_keyring.store[(store.SERVICE, ident.fingerprint)].encode(), None)
    assert k1.private_numbers() == k2.private_numbers()
    # importing the same identity again is fine
    assert identity.import_pkcs12(p12, PASSPHRASE).fingerprint == ident.fingerprint


def test_pkcs12_import_into_passphrase_storage(mem_keyring, tmp_path):
    ident = _create()
    p12 = tmp_path / "backup.p12"
    identity.export_pkcs12(p12, PASSPHRASE)
    identity.delete_identity()
    keyring.set_keyring(__import__("keyring.backends.fail", fromlist=["Keyring"]).Keyring())
    with pytest.raises(IdentityError) as e:
        identity.import_pkcs12(p12, PASSPHRASE)
    assert e.value.key == "identity.no_secure_storage"
    back = identity.import_pkcs12(p12, PASSPHRASE, storage="file", key_passphrase="another long passphrase")
    assert back.storage == "file" and back.fingerprint == ident.fingerprint
    assert identity.get_sealer("another long passphrase").fingerprint == ident.fingerprint
    # and export from passphrase storage needs the key's passphrase
    with pytest.raises(IdentityError) as e:
        identity.export_pkcs12(tmp_path / "again.p12", PASSPHRASE)
    assert e.value.key == "identity.passphrase_required"
    identity.export_pkcs12(tmp_path / "again.p12", PASSPHRASE, key_passphrase="another long passphrase")


def test_import_replaces_only_when_asked(mem_keyring, tmp_path):
    first = _create()
    p12 = tmp_path / "first.p12"
    identity.export_pkcs12(p12, PASSPHRASE)
    identity.delete_identity()
    second = _create(name_zh="第二学院")
    with pytest.raises(IdentityError) as e:
        identity.import_pkcs12(p12, PASSPHRASE)
    assert e.value.key == "identity.exists"
    assert identity.load_identity().fingerprint == second.fingerprint
    back = identity.import_pkcs12(p12, PASSPHRASE, replace=True)
    assert back.fingerprint == first.fingerprint
    assert list(mem_keyring.store) == [(store.SERVICE, first.fingerprint)]  # the replaced key is gone


def test_import_refuses_foreign_keys(tmp_path):
    rk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rsa")])
    now = _dt.datetime.now(_dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(rk.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + _dt.timedelta(days=1)).sign(rk, hashes.SHA256()))
    p = tmp_path / "rsa.p12"
    p.write_bytes(cpkcs12.serialize_key_and_certificates(b"x", rk, cert, None,
                                                         serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    with pytest.raises(IdentityError) as e:
        identity.import_pkcs12(p, PASSPHRASE)
    assert e.value.key == "identity.bad_key"
    # a key with someone else's certificate (cryptography will not even write such a .p12)
    with pytest.raises(IdentityError) as e:
        keys.check_identity_key(keys.generate_key(), keys.make_certificate(keys.generate_key(), name_zh="别人", name_en="",
                                                                            country="CN"))
    assert e.value.key == "identity.bad_key"
    assert identity.load_identity() is None


# ------------------------------------------------------------------------------- delete


def test_delete_says_what_is_lost_and_removes_everything(mem_keyring):
    ident = _create()
    msg = identity.delete_consequences()
    assert ident.display_fingerprint in msg.en and ident.display_fingerprint in msg.zh
    assert "no longer sign" in msg.en and "backup" in msg.en and "already signed stay valid" in msg.en
    assert "无法再" in msg.zh and "备份" in msg.zh
    done = identity.delete_identity()
    assert "Deleted" in done.en and "已删除" in done.zh
    assert mem_keyring.store == {} and identity.load_identity() is None
    assert not any((user_data_dir() / "identity").iterdir())
    with pytest.raises(IdentityError):
        identity.delete_identity()


def test_delete_file_storage_removes_the_key_file(fail_keyring):
    _create(passphrase=PASSPHRASE)
    identity.delete_identity()
    assert not any((user_data_dir() / "identity").iterdir())


def test_damaged_identity_files(mem_keyring):
    _create()
    meta = user_data_dir() / "identity" / "identity.json"
    d = json.loads(meta.read_text("utf-8"))
    d["fingerprint"] = "0" * 64
    meta.write_text(json.dumps(d), "utf-8")
    with pytest.raises(IdentityError) as e:
        identity.load_identity()
    assert e.value.key == "identity.damaged"
    # a damaged identity can still be deleted (keyring entry included), then created anew
    done = identity.delete_identity()
    assert "damaged" in done.en and "损坏" in done.zh
    assert mem_keyring.store == {} and not any((user_data_dir() / "identity").iterdir())
    _create()
    assert identity.load_identity() is not None


def test_overview_for_the_settings_dialog(mem_keyring):
    o = identity.overview()
    assert o["identity"] is None and o["storage"]["secure_keyring"] and o["delete_consequences"] is None
    ident = _create()
    o = identity.overview()
    assert o["identity"]["display_fingerprint"] == ident.display_fingerprint
    assert o["identity"]["storage_text"]["zh"] and o["delete_consequences"]["en"]
    json.dumps(o, ensure_ascii=False)  # plain data
    assert "PRIVATE" not in json.dumps(o)
