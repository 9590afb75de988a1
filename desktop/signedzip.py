"""The small signed zips Dossier exchanges between people (review notes `.dossier-notes`, score
sheets `.dscores`): a stored `mimetype` entry first (the magic), one JSON document, a
`manifest-sha256.txt` over both, and optionally a detached CMS signature over the manifest
(`signature.p7s`, `signer-cert.pem`). One writer, so both formats stay byte-for-byte deterministic
in the same way: fixed entry order, a timestamp taken from the document, Unix permissions 0644;
and one reader (`read`), so both refuse damaged, altered, oversized and newer files the same way."""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any, Callable, Iterable

MANIFEST = "manifest-sha256.txt"
SIGNATURE_FILES = ("signature.p7s", "signer-cert.pem")


def manifest_bytes(files: dict[str, bytes], names: Iterable[str]) -> bytes:
    """`sha256sum` lines for `names`, in that order (checkable with `sha256sum -c`)."""
    return "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in names).encode()


def zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    """The zip entries' timestamp from the document's `created_at` (UTC, Z), so the bytes are reproducible."""
    try:
        t = _dt.datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ")
        return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)
    except ValueError:
        return (1980, 1, 1, 0, 0, 0)


def build(files: dict[str, bytes], order: Iterable[str], created_at: str, *, deflate: Iterable[str] = ()) -> bytes:
    """The zip of `files` in `order` (names missing from `files` are skipped); `mimetype` is always stored."""
    deflate = set(deflate) - {"mimetype"}
    when = zip_time(created_at)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name in order:
            if name not in files:
                continue
            zi = zipfile.ZipInfo(name, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            zi.create_system = 3
            zi.external_attr = 0o100644 << 16
            z.writestr(zi, files[name])
    return buf.getvalue()


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Kind:
    """What one format of small signed zip is, for the one reader below."""

    mimetype: bytes
    format: str
    format_version: int
    document: str  # "notes.json", "scores.json"
    schema: dict
    max_entry: int
    key: str  # error key prefix: "notes", "scores"
    version_en: str  # "notes format", "score sheet format"
    version_zh: str
    update_en: str  # "Update Dossier to read it."
    update_zh: str

    @property
    def required(self) -> tuple[str, ...]:
        return ("mimetype", self.document, MANIFEST)


def read(data: bytes, kind: Kind, name: str, refuse: Callable[[str, str, str], Exception],
         not_ours: Exception) -> tuple[dict, dict[str, Any]]:
    """(document, signature check) of a file of `kind` whose first bytes the caller has sniffed.
    Refuses (with `refuse(en, zh, key)`) a damaged, altered, oversized, newer or non-conforming one."""
    k = kind.key
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise refuse(f"{name} is damaged ({e})", f"{name} 已损坏（{e}）", f"{k}.damaged") from None
    if not infos or infos[0].filename != "mimetype" or infos[0].compress_type != zipfile.ZIP_STORED:
        raise not_ours
    names = [zi.filename for zi in infos]
    allowed = set(kind.required + SIGNATURE_FILES)
    if len(names) != len(set(names)) or not set(names) <= allowed or not set(kind.required) <= set(names) \
            or (("signature.p7s" in names) != ("signer-cert.pem" in names)):
        odd = sorted(set(names) - allowed) or sorted(set(kind.required) - set(names)) or names
        raise refuse(f"{name} has unexpected contents ({', '.join(odd)[:200]}): it was altered or made by another tool",
                     f"{name} 的内容不符合格式（{', '.join(odd)[:200]}）：可能被改动或由其他工具生成", f"{k}.tampered")
    files: dict[str, bytes] = {}
    total = 0
    for zi in infos:
        unsafe = refuse(f"{name}: entry {zi.filename} cannot be read safely", f"{name}：条目 {zi.filename} 无法安全读取",
                        f"{k}.damaged")
        if zi.flag_bits & 0x1 or zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                or zi.file_size > kind.max_entry:
            raise unsafe
        try:
            with z.open(zi) as fh:
                files[zi.filename] = fh.read(kind.max_entry + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise refuse(f"{name} is damaged ({e})", f"{name} 已损坏（{e}）", f"{k}.damaged") from None
        total += len(files[zi.filename])
        if len(files[zi.filename]) > kind.max_entry or total > kind.max_entry * 2:  # the header lied about the size
            raise unsafe
    if files["mimetype"] != kind.mimetype:
        raise not_ours
    try:
        doc = json.loads(files[kind.document].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        doc = None
    # the format version first: a newer file is refused as newer, not reported as tampered
    if isinstance(doc, dict) and doc.get("format") == kind.format and isinstance(doc.get("format_version"), int) \
            and doc["format_version"] > kind.format_version:
        raise refuse(f"{name} was made by a newer version of Dossier ({kind.version_en} {doc['format_version']}, this "
                     f"version reads {kind.format_version}). {kind.update_en}",
                     f"{name} 由更新版本的 Dossier 生成（{kind.version_zh} {doc['format_version']}，本版本支持 "
                     f"{kind.format_version}）。{kind.update_zh}", f"{k}.too_new")
    if files[MANIFEST] != manifest_bytes(files, ("mimetype", kind.document)):
        raise refuse(f"{name} has been altered: its contents do not match {MANIFEST}",
                     f"{name} 已被改动：内容与 {MANIFEST} 不一致", f"{k}.tampered")
    signature: dict[str, Any] = {"status": "unsigned"}
    if "signature.p7s" in files:
        from .identity.verify import check_package_signature

        signature = dict(check_package_signature(files[MANIFEST], {n: files[n] for n in SIGNATURE_FILES}))
        if signature.get("status") not in ("trusted", "unknown_signer", "valid"):
            reason = signature.get("reason") or (signature.get("message") or {}).get("en", "")
            raise refuse(f"{name} has been altered: its signature does not verify ({reason})",
                         f"{name} 已被改动：签名无法通过验证（{reason}）", f"{k}.tampered")
    if not isinstance(doc, dict):
        raise refuse(f"{name}: {kind.document} is not valid JSON", f"{name}：{kind.document} 不是有效的 JSON", f"{k}.damaged")
    import jsonschema

    err = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(kind.schema).iter_errors(doc))
    if err is not None:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise refuse(f"{name}: {kind.document} does not follow the format ({where}: {err.message[:160]})",
                     f"{name}：{kind.document} 不符合格式（{where}：{err.message[:160]}）", f"{k}.damaged")
    return doc, signature
