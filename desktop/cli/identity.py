"""`dossier identity …` (issue #5): the institution identity. Listed in desktop.cli.MODULES.

    dossier identity create --country CC (--name-zh NAME | --name-en NAME)… [--contact TEXT]
                            [--storage auto|keyring|file] [--passphrase-file FILE] [--json]
    dossier identity show [--json | --pem]
    dossier identity export FILE.p12 [--passphrase-file FILE] [--key-passphrase-file FILE] [--force]
    dossier identity export --cert FILE.pem          (the public certificate, for reviewers' --trust)
    dossier identity import FILE.p12 [--passphrase-file FILE] [--storage …] [--key-passphrase-file FILE] [--replace]
    dossier identity delete [--yes]

Passphrases never appear as command-line values: `--passphrase-file FILE` (first line), the
environment (DOSSIER_PASSPHRASE; DOSSIER_KEY_PASSPHRASE for the stored key when a command needs
two), or a prompt on a terminal. For `create`/`import` the passphrase protects the key stored on
this computer (passphrase storage only); for `export`/`import` of a .p12 it is the backup's.
Exit codes: 0 ok, 1 no identity (show), 2 error or refused.
"""

from __future__ import annotations

import getpass
import os
import stat
import sys

from .common import PARSERS, command, emit_json, lang, out
from ..errors import DossierError


def _t(en: str, zh: str) -> str:
    return zh if lang() == "zh" else en


_held: list[str] = []  # notices of a non-interactive run, printed only once the command succeeded


def _err(s: str) -> None:
    """A notice on stderr. Without a terminal it waits for the command's success, so that a refused
    command prints exactly one line: its error."""
    if _interactive():
        sys.stderr.write(s + "\n")
    else:
        _held.append(s)


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _read_passphrase_file(path: str) -> str:
    from ..fsutil import read_regular

    try:
        raw = read_regular(path, 64 << 10, "passphrase file", "口令文件", key="identity.passphrase_file")
        st = os.stat(path)
    except DossierError as e:
        raise DossierError(e.en, e.zh, key="identity.passphrase_file") from None
    except OSError as e:
        raise DossierError(f"Cannot read the passphrase file {path}: {e.strerror}", f"无法读取口令文件 {path}：{e.strerror}",
                           key="identity.passphrase_file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DossierError(f"The passphrase file {path} is not UTF-8 text", f"口令文件 {path} 不是 UTF-8 文本",
                           key="identity.passphrase_file") from None
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line:
        raise DossierError(f"The passphrase file {path} is empty", f"口令文件 {path} 是空的", key="identity.passphrase_file")
    if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        _err(_t(f"warning: {path} can be read by other users; chmod 600 it",
                f"警告：其他用户可以读取 {path}；请执行 chmod 600"))
    return line


def _ask(prompt_en: str, prompt_zh: str, *, confirm: bool) -> str:
    while True:
        p = getpass.getpass(_t(prompt_en, prompt_zh) + ": ")
        if not confirm:
            return p
        if len(p) < _min_chars():
            _err(_t(f"at least {_min_chars()} characters, please", f"至少需要 {_min_chars()} 个字符"))
            continue
        if getpass.getpass(_t("Repeat it", "再输入一次") + ": ") == p:
            return p
        _err(_t("the two entries differ; try again", "两次输入不一致，请重试"))


def _min_chars() -> int:
    from ..identity.model import MIN_PASSPHRASE_CHARS

    return MIN_PASSPHRASE_CHARS


def _passphrase(file: str | None, env: tuple[str, ...], prompt: tuple[str, str], *, confirm: bool,
                required: bool = True) -> str | None:
    if file:
        return _read_passphrase_file(file)
    for e in env:
        v = os.environ.get(e)
        if v:
            return v
    if _interactive():
        return _ask(*prompt, confirm=confirm)
    if not required:
        return None
    raise DossierError(
        f"A passphrase is needed: give --passphrase-file FILE, set {env[0]}, or run the command in a terminal",
        f"需要口令：请使用 --passphrase-file FILE，或设置环境变量 {env[0]}，或在终端中运行此命令",
        key="identity.passphrase_required")


def _yes_no(question_en: str, question_zh: str) -> bool:
    if not _interactive():
        return False
    ans = input(_t(question_en + " [y/N] ", question_zh + " [y/N] ")).strip().lower()
    return ans in ("y", "yes", "是", "好")


def _print_identity(ident) -> None:
    L = lang()
    out(f"{_t('institution', '单位')}:   {ident.display_name}")
    out(f"{_t('country', '国家/地区')}:       {ident.country}")
    if ident.contact:
        out(f"{_t('contact', '联系方式')}:       {ident.contact}")
    out(f"{_t('fingerprint', '指纹')}:   {ident.display_fingerprint}")
    out(f"{_t('valid', '有效期')}:         {ident.not_before[:10]} … {ident.not_after[:10]}")
    out(f"{_t('key', '私钥')}:           {ident.storage_text().get(L)}")


def _storage_choice(storage: str, passphrase_file: str | None, env: tuple[str, ...],
                    what: tuple[str, str], fallback: str | None = None) -> tuple[str, str | None]:
    """(storage, passphrase) for create/import: say so when no secure keyring exists and offer the
    passphrase storage (automatic when a passphrase was supplied, a question on a terminal)."""
    from ..identity import storage_status
    from ..identity.store import NoSecureStorage, no_keyring_reason

    if storage == "keyring":
        return "keyring", None
    if storage == "file":
        pw = _passphrase(passphrase_file, env, what, confirm=True, required=fallback is None)
        return "file", pw if pw is not None else fallback
    st = storage_status()
    if st.secure_keyring:
        return "keyring", None
    supplied = passphrase_file or any(os.environ.get(e) for e in env)
    if supplied:
        # the passphrase first: a missing or empty file is the error to report, not the keyring
        pw = _passphrase(passphrase_file, env, what, confirm=True)
        _err(st.message.get(lang()))
        _err(_t("Using passphrase storage, as no secure keyring is available.",
                "由于没有安全的系统密钥库，将使用口令加密保存。"))
        return "file", pw
    if _interactive():
        _err(st.message.get(lang()))
        if _yes_no("Store the key encrypted with a passphrase instead?", "是否改为用口令加密保存私钥？"):
            return "file", _ask(*what, confirm=True)
    elif fallback is not None:
        _err(_t("Using passphrase storage with the backup's passphrase, as no secure keyring is available.",
                "由于没有安全的系统密钥库，将使用备份文件的口令加密保存私钥。"))
        return "file", fallback
    if not _interactive():
        why = no_keyring_reason(st.refused)
        raise DossierError(
            f"Nothing was stored: the private key cannot be kept in a secure keyring ({why.en}). To keep it encrypted "
            "with a passphrase instead (needed for every signature, unrecoverable if forgotten), run the command again "
            "with --passphrase-file FILE (or DOSSIER_PASSPHRASE set)",
            f"未保存任何内容：无法安全地保存私钥（{why.zh}）。如需改用口令加密保存私钥（每次签章都需要该口令，忘记则无法恢复），请加上 "
            "--passphrase-file FILE（或设置 DOSSIER_PASSPHRASE）后重新运行",
            key="identity.no_secure_storage")
    raise NoSecureStorage(st.refused)


# ----------------------------------------------------------------------------------- commands


@command("identity")
def cmd_identity(a) -> int:
    register_prompt()
    _held.clear()
    try:
        rc = {"create": _create, "show": _show, "export": _export, "import": _import, "delete": _delete,
              "key-card": _key_card}[a.action](a)
    except BaseException:
        _held.clear()
        raise
    for line in _held:
        sys.stderr.write(line + "\n")
    _held.clear()
    return rc


def _sealer_prompt(ident) -> str | None:
    if not _interactive():
        return None
    return getpass.getpass(_t(f"Passphrase of the institution identity ({ident.name})",
                              f"单位身份（{ident.name}）的口令") + ": ")


def _create(a) -> int:
    from ..identity import create_identity

    storage, pw = _storage_choice(a.storage, a.passphrase_file, ("DOSSIER_PASSPHRASE",),
                                  ("New passphrase for the key on this computer", "为本机私钥设置口令"))
    ident = create_identity(a.name_zh or "", a.name_en or "", a.country or "", a.contact or "", storage=storage,
                            passphrase=pw)
    if a.json:
        emit_json({"ok": True, "identity": ident.to_dict()})
        return 0
    out(_t("Created the institution identity:", "已创建单位身份："))
    _print_identity(ident)
    _err(_t("Export a backup now and keep it safe: dossier identity export BACKUP.p12",
            "请立即导出备份并妥善保管：dossier identity export 备份.p12"))
    return 0


def _show(a) -> int:
    from ..identity import load_identity, storage_status

    ident = load_identity()
    if getattr(a, "age", False):  # issue #12: the encryption key, made on first use
        if ident is None:
            raise DossierError("There is no institution identity on this computer", "本机没有单位身份", key="identity.none")
        from ..identity.agekey import ensure_age_key

        out(ensure_age_key())
        return 0
    if a.pem:
        if ident is None:
            raise DossierError("There is no institution identity on this computer", "本机没有单位身份", key="identity.none")
        sys.stdout.write(ident.certificate.decode("ascii"))
        return 0
    st = storage_status()
    age = _age_recipient(ident)
    if a.json:
        d = ident.to_dict() if ident else None
        if d is not None:
            d["age_recipient"] = age
        emit_json({"identity": d, "storage": st.to_dict()})
        return 0 if ident else 1
    if ident is None:
        out(_t("No institution identity on this computer (create one with `dossier identity create`, or import a backup).",
               "本机没有单位身份（可用 `dossier identity create` 创建，或导入备份）。"))
        out(st.message.get(lang()))
        return 1
    _print_identity(ident)
    if age:
        from ..identity.agekey import recipient_fingerprint

        out(f"{_t('encryption key', '加密公钥')}: {age}")
        out(f"{_t('key fingerprint', '公钥指纹')}: {recipient_fingerprint(age)}")
    return 0


def _age_recipient(ident) -> str | None:
    """The identity's age key; made now when that needs no passphrase (keyring storage)."""
    if ident is None:
        return None
    from ..identity import agekey

    r = agekey.recipient(ident)
    if r is None and (ident.storage != "file" or os.environ.get("DOSSIER_KEY_PASSPHRASE") or os.environ.get("DOSSIER_PASSPHRASE")):
        try:
            r = agekey.ensure_age_key()
        except DossierError as e:
            _err(_t(f"warning: no encryption key yet ({e.en})", f"警告：尚无加密公钥（{e.zh}）"))
    elif r is None:
        _err(_t("encryption key: not made yet (it needs the passphrase: dossier identity show --age)",
                "加密公钥：尚未生成（需要口令：dossier identity show --age）"))
    return r


def _key_card(a) -> int:
    from ..identity.keycard import write_key_card

    p = write_key_card(a.file)
    out(str(p))
    return 0


def _export(a) -> int:
    from ..identity import export_certificate, export_pkcs12, load_identity

    if a.cert:
        p = export_certificate(a.file)
        out(str(p))
        return 0
    ident = load_identity()
    if ident is None:
        raise DossierError("There is no institution identity on this computer", "本机没有单位身份", key="identity.none")
    if os.path.exists(a.file) and not a.force:
        raise DossierError(f"{a.file} already exists (add --force to overwrite it)", f"{a.file} 已存在（加 --force 覆盖）",
                           key="identity.exists_file")
    pw = _passphrase(a.passphrase_file, ("DOSSIER_PASSPHRASE",), ("Passphrase for the backup file", "为备份文件设置口令"),
                     confirm=True)
    key_pw = None
    if ident.storage == "file":
        key_pw = _passphrase(a.key_passphrase_file, ("DOSSIER_KEY_PASSPHRASE",),
                             ("Passphrase of the key on this computer", "本机私钥的口令"), confirm=False, required=False)
        if key_pw is None:
            key_pw = pw  # non-interactive and none given: the same passphrase
    p = export_pkcs12(a.file, pw, key_passphrase=key_pw)
    out(str(p))
    from ..identity.pkcs12 import age_backup_path

    side = age_backup_path(p)
    if side.is_file():
        out(str(side))
        _err(_t(f"The encryption key is in {side.name} beside it (same passphrase): keep the two files together.",
                f"加密私钥保存在旁边的 {side.name} 中（同一口令）：请将两个文件放在一起。"))
    _err(_t("The backup holds the private key: keep it offline, away from the passphrase.",
            "备份文件包含私钥：请离线保存，并与口令分开存放。"))
    return 0


def _import(a) -> int:
    from ..identity import import_pkcs12
    from ..identity.pkcs12 import read_pkcs12

    from ..fsutil import read_regular

    try:
        data = read_regular(a.file, 16 << 20, "backup file", "备份文件", key="identity.read_failed")
    except OSError as e:
        raise DossierError(f"Cannot read {a.file}: {e.strerror}", f"无法读取 {a.file}：{e.strerror}", key="identity.read_failed") from None
    pw = _passphrase(a.passphrase_file, ("DOSSIER_PASSPHRASE",), ("Passphrase of the backup file", "备份文件的口令"),
                     confirm=False)
    read_pkcs12(data, pw or "")  # a wrong passphrase fails before any other question
    storage, key_pw = _storage_choice(a.storage, a.key_passphrase_file, ("DOSSIER_KEY_PASSPHRASE", "DOSSIER_PASSPHRASE"),
                                      ("New passphrase for the key on this computer", "为本机私钥设置口令"),
                                      fallback=None if _interactive() else pw)
    ident = import_pkcs12(a.file, pw or "", storage=storage, key_passphrase=key_pw, replace=a.replace)
    if a.json:
        emit_json({"ok": True, "identity": ident.to_dict()})
        return 0
    out(_t("Imported the institution identity:", "已导入单位身份："))
    _print_identity(ident)
    from ..identity.pkcs12 import age_backup_path

    if age_backup_path(a.file).is_file():
        out(_t(f"The encryption key was restored from {age_backup_path(a.file).name}.",
               f"已从 {age_backup_path(a.file).name} 恢复加密私钥。"))
    return 0


def _delete(a) -> int:
    from ..identity import delete_consequences, delete_identity
    from ..identity.store import require_identity

    ident = require_identity()
    if not a.yes and not _interactive():
        raise DossierError(
            f"Not deleted: add --yes to confirm. After deleting, this computer can no longer sign as "
            f"“{ident.display_name}”, and without a backup (.p12) its private key is gone for good (export one first: "
            "dossier identity export BACKUP.p12)",
            f"未删除：请加 --yes 确认。删除后，本机将无法再以“{ident.display_name}”的身份签章；若没有备份（.p12），其私钥将永久丢失"
            "（请先导出备份：dossier identity export 备份.p12）", key="identity.confirm")
    _err(delete_consequences(ident).get(lang()))
    if not a.yes:
        if not _yes_no("Delete the institution identity?", "确定删除单位身份吗？"):
            out(_t("Not deleted.", "未删除。"))
            return 2
    out(delete_identity().get(lang()))
    return 0


def _parsers(sub) -> None:
    # allow_abbrev=False: `--passphrase SECRET` must be an error, not an abbreviation of --passphrase-file
    s = sub.add_parser("identity", allow_abbrev=False, help="the institution identity that signs exports (create, show, export, import, delete)")
    isub = s.add_subparsers(dest="action", metavar="ACTION", required=True)

    c = isub.add_parser("create", allow_abbrev=False, help="create a signing key and self-signed certificate")
    c.add_argument("--name-zh", default="", help="the institution's Chinese name")
    c.add_argument("--name-en", default="", help="the institution's English name")
    c.add_argument("--country", required=True, help="ISO 3166 two-letter code, e.g. CN, TH, VN, MY")
    c.add_argument("--contact", default="", help="who to call to confirm the fingerprint (phone, e-mail)")
    c.add_argument("--storage", choices=["auto", "keyring", "file"], default="auto",
                   help="where the private key goes (auto: the system keyring, else ask for passphrase storage)")
    c.add_argument("--passphrase-file", metavar="FILE", help="passphrase for passphrase storage (first line of FILE)")
    c.add_argument("--json", action="store_true")

    c = isub.add_parser("show", allow_abbrev=False, help="show the identity and its fingerprint")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true")
    g.add_argument("--pem", action="store_true", help="print the certificate (PEM)")
    g.add_argument("--age", action="store_true", help="print the encryption key (age1…), making it if needed")

    c = isub.add_parser("key-card", allow_abbrev=False, help="write a printable key card PDF (encryption key, QR code, fingerprint)")
    c.add_argument("file", metavar="CARD.pdf")

    c = isub.add_parser("export", allow_abbrev=False, help="back up the identity to a passphrase-protected .p12 (or --cert: the certificate)")
    c.add_argument("file")
    c.add_argument("--cert", action="store_true", help="write only the public certificate (PEM) for reviewers")
    c.add_argument("--passphrase-file", metavar="FILE", help="passphrase for the .p12 (first line of FILE)")
    c.add_argument("--key-passphrase-file", metavar="FILE", help="passphrase of the stored key (passphrase storage)")
    c.add_argument("--force", action="store_true", help="overwrite FILE")

    c = isub.add_parser("import", allow_abbrev=False, help="install an identity from a .p12 backup")
    c.add_argument("file")
    c.add_argument("--passphrase-file", metavar="FILE", help="passphrase of the .p12 (first line of FILE)")
    c.add_argument("--storage", choices=["auto", "keyring", "file"], default="auto")
    c.add_argument("--key-passphrase-file", metavar="FILE", help="passphrase for passphrase storage on this computer")
    c.add_argument("--replace", action="store_true", help="replace a different identity already on this computer")
    c.add_argument("--json", action="store_true")

    c = isub.add_parser("delete", allow_abbrev=False, help="delete the identity from this computer (asks for confirmation)")
    c.add_argument("--yes", action="store_true", help="do not ask")


PARSERS.append(_parsers)

# `dossier export --sign` (desktop.cli.seal) calls desktop.identity.get_sealer(): on a terminal it
# may ask for the key's passphrase (passphrase storage). Registered when a command needs it (seal
# calls this), not at import: importing desktop.identity costs every command ~0.1 s of start-up.
def register_prompt() -> None:
    from ..identity import _hooks

    _hooks.passphrase_prompt = _sealer_prompt
