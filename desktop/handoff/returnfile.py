"""The return file (`.dossier-return`): what a partner changed since the base of a hand-off.

A ZIP archive, checkable without Dossier (docs/handoff.md):

    mimetype              first, stored: "application/vnd.dossier.return+zip" (the magic, at byte 38)
    return.json           the changes (format "dossier-return", version RETURN_VERSION)
    evidence/<sha256>     the content of each evidence file the partner added
    manifest-sha256.txt   "<sha256>  <name>" for every entry above (`sha256sum -c` checks it)
    signature.p7s         optional: detached CMS (DER) over manifest-sha256.txt
    signer-cert.pem       optional: the signer's certificate (`openssl cms -verify` checks it)

A return is untrusted input: the reader accepts only these names (no paths of its own, so no zip
slip), refuses duplicates, encrypted or unknown compression, links and special files, caps the
sizes of every entry and the total, watches the compression ratio, and checks every entry against
the manifest before anything is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from ..errors import DossierError
from ..fsutil import atomic_output

MIMETYPE = b"application/vnd.dossier.return+zip"
RETURN_FORMAT = "dossier-return"
RETURN_VERSION = 1
SUFFIX = ".dossier-return"
MANIFEST = "manifest-sha256.txt"
SIGNATURE = "signature.p7s"
SIGNER_CERT = "signer-cert.pem"
RETURN_JSON = "return.json"

MAX_ENTRIES = 20_000
MAX_JSON = 64 << 20
MAX_TAG = 1 << 20  # manifest, signature, certificate
MAX_EVIDENCE = 8 << 30  # one evidence file
MAX_TOTAL = 32 << 30
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20
CHUNK = 1 << 20
_EVIDENCE_RE = re.compile(r"^evidence/([0-9a-f]{64})$")


class ReturnError(DossierError):
    """A return file that cannot be used (not a return, damaged, tampered, too new)."""


def _bad(en: str, zh: str, key: str = "return.unreadable") -> ReturnError:
    return ReturnError(en, zh, key=key)


# ---------------------------------------------------------------------------- writing


@dataclass
class EvidenceSource:
    """Content for `evidence/<sha256>`: a function yielding its bytes in chunks."""

    sha256: str
    size: int
    chunks: Any  # () -> Iterator[bytes]


def write_return(out: Path, doc: dict[str, Any], evidence: list[EvidenceSource], sealer=None,
                 date_time: tuple = (1980, 1, 1, 0, 0, 0)) -> dict[str, str]:
    """Write the return atomically (temporary name beside `out`, renamed when complete). Returns
    {name: sha256} of the manifest."""
    body = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    digests: dict[str, str] = {"mimetype": hashlib.sha256(MIMETYPE).hexdigest(),
                               RETURN_JSON: hashlib.sha256(body).hexdigest()}

    def info(name: str, compress: int) -> zipfile.ZipInfo:
        zi = zipfile.ZipInfo(name, date_time=date_time)
        zi.compress_type = compress
        zi.external_attr = (stat.S_IFREG | 0o644) << 16
        zi.create_system = 3
        return zi

    try:
        with atomic_output(out) as (fh, _tmp):
            with zipfile.ZipFile(fh, "w") as z:
                z.writestr(info("mimetype", zipfile.ZIP_STORED), MIMETYPE)
                z.writestr(info(RETURN_JSON, zipfile.ZIP_DEFLATED), body)
                seen: set[str] = set()
                for ev in evidence:
                    if ev.sha256 in seen:
                        continue
                    seen.add(ev.sha256)
                    name = f"evidence/{ev.sha256}"
                    h = hashlib.sha256()
                    compress = zipfile.ZIP_DEFLATED if ev.size <= (8 << 20) else zipfile.ZIP_STORED
                    with z.open(info(name, compress), "w", force_zip64=ev.size > (1 << 31)) as dst:
                        for chunk in ev.chunks():
                            h.update(chunk)
                            dst.write(chunk)
                    if h.hexdigest() != ev.sha256:
                        raise _bad(f"Evidence {ev.sha256[:12]}… is damaged in the project (checksum mismatch)",
                                   f"项目中的证明材料 {ev.sha256[:12]}… 已损坏（校验值不符）", "evidence.corrupt")
                    digests[name] = ev.sha256
                manifest = manifest_bytes(digests)
                z.writestr(info(MANIFEST, zipfile.ZIP_DEFLATED), manifest)
                if sealer is not None:
                    for name, data in sealer.sign_bytes(manifest).items():
                        z.writestr(info(name, zipfile.ZIP_DEFLATED), data)
    except OSError as e:
        if e.errno == 28:
            raise _bad("The disk is full; the return file was not written", "磁盘空间已满，未写入回传文件", "disk.full") from None
        raise _bad(f"Cannot write {out}: {e.strerror}", f"无法写入 {out}：{e.strerror}", "return.write_failed") from None
    return digests


def manifest_bytes(digests: dict[str, str]) -> bytes:
    return "".join(f"{digests[n]}  {n}\n" for n in sorted(digests)).encode("utf-8")


def parse_manifest(data: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad("The return's manifest is damaged", "回传文件的校验清单已损坏", "return.tampered") from None
    for line in text.splitlines():
        m = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        if not m or m.group(2) in out:
            raise _bad("The return's manifest is damaged", "回传文件的校验清单已损坏", "return.tampered")
        out[m.group(2)] = m.group(1)
    return out


# ---------------------------------------------------------------------------- reading


@dataclass
class ReturnFile:
    """An opened, checked return file. Use as a context manager; evidence is streamed from it."""

    path: Path
    doc: dict[str, Any]
    manifest: dict[str, str]
    manifest_raw: bytes
    sha256: str  # of the whole file
    signature: dict[str, Any] = field(default_factory=lambda: {"status": "unsigned"})
    _zip: zipfile.ZipFile | None = None
    _fh: BinaryIO | None = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self._zip is not None:
                self._zip.close()
        with contextlib.suppress(Exception):
            if self._fh is not None:
                self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def evidence_chunks(self, sha256: str) -> Iterator[bytes]:
        """The bytes of evidence/<sha256>, checked against its name while they stream."""
        name = f"evidence/{sha256}"
        if name not in self.manifest or self._zip is None:
            raise _bad(f"The return lacks the content of evidence {sha256[:12]}…",
                       f"回传文件缺少证明材料 {sha256[:12]}… 的内容", "return.tampered")
        zi = self._zip.getinfo(name)
        h = hashlib.sha256()
        n = 0
        try:
            with self._zip.open(zi) as src:
                while b := src.read(CHUNK):
                    n += len(b)
                    if n > zi.file_size:
                        raise _bad(f"{name} is larger than declared", f"{name} 大于声明的大小", "return.tampered")
                    h.update(b)
                    yield b
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zipfile.LargeZipFile) as e:
            raise _bad(f"{name} cannot be read ({e})", f"无法读取 {name}（{e}）", "return.tampered") from None
        if h.hexdigest() != sha256:
            raise _bad(f"{name} does not match its checksum: the return was changed or damaged",
                       f"{name} 与校验值不符：回传文件已被改动或损坏", "return.tampered")


def _check_entries(z: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = z.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _bad(f"The return has {len(infos)} entries (limit {MAX_ENTRIES})", f"回传文件包含 {len(infos)} 个条目（上限 {MAX_ENTRIES}）")
    out: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for zi in infos:
        name = zi.orig_filename
        if name not in ("mimetype", RETURN_JSON, MANIFEST, SIGNATURE, SIGNER_CERT) and not _EVIDENCE_RE.match(name):
            raise _bad(f"The return holds an unexpected entry {name!r}: it was not made by Dossier or was changed",
                       f"回传文件包含意外的条目 {name!r}：并非 Dossier 生成或已被改动", "return.tampered")
        if name in out:
            raise _bad(f"The name {name!r} appears twice in the return", f"回传文件中名称 {name!r} 出现了两次", "return.tampered")
        mode = zi.external_attr >> 16
        if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise _bad(f"Entry {name!r} is not a regular file", f"条目 {name!r} 不是普通文件", "return.tampered")
        if zi.flag_bits & 0x1:
            raise _bad(f"Entry {name!r} is encrypted", f"条目 {name!r} 已加密", "return.tampered")
        if zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _bad(f"Entry {name!r} uses an unsupported compression method", f"条目 {name!r} 使用了不支持的压缩方式")
        limit = MAX_JSON if name == RETURN_JSON else MAX_EVIDENCE if name.startswith("evidence/") else MAX_TAG
        if zi.file_size > limit:
            raise _bad(f"Entry {name!r} is too large ({zi.file_size} bytes, limit {limit})",
                       f"条目 {name!r} 过大（{zi.file_size} 字节，上限 {limit}）")
        if zi.file_size > RATIO_FLOOR and zi.file_size > MAX_RATIO * max(zi.compress_size, 1):
            raise _bad(f"Entry {name!r} has a compression ratio above {MAX_RATIO} (zip bomb?)",
                       f"条目 {name!r} 压缩比超过 {MAX_RATIO}（疑似 zip 炸弹）")
        total += zi.file_size
        if total > MAX_TOTAL:
            raise _bad(f"The return unpacks to more than {MAX_TOTAL >> 30} GiB", f"回传文件解压后超过 {MAX_TOTAL >> 30} GiB")
        out[name] = zi
    return out


def _read_small(z: zipfile.ZipFile, zi: zipfile.ZipInfo, limit: int) -> bytes:
    buf = io.BytesIO()
    try:
        with z.open(zi) as src:
            while b := src.read(CHUNK):
                if buf.tell() + len(b) > min(limit, zi.file_size):
                    raise _bad(f"{zi.orig_filename} is larger than declared", f"{zi.orig_filename} 大于声明的大小",
                               "return.tampered")
                buf.write(b)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise _bad(f"The return is damaged or incomplete ({zi.orig_filename}: {e})",
                   f"回传文件已损坏或不完整（{zi.orig_filename}：{e}）", "return.tampered") from None
    return buf.getvalue()


def _hash_entry(z: zipfile.ZipFile, zi: zipfile.ZipInfo) -> str:
    h = hashlib.sha256()
    n = 0
    try:
        with z.open(zi) as src:
            while b := src.read(CHUNK):
                n += len(b)
                if n > zi.file_size:
                    raise _bad(f"{zi.orig_filename} is larger than declared", f"{zi.orig_filename} 大于声明的大小",
                               "return.tampered")
                h.update(b)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise _bad(f"The return is damaged or incomplete ({zi.orig_filename}: {e})",
                   f"回传文件已损坏或不完整（{zi.orig_filename}：{e}）", "return.tampered") from None
    return h.hexdigest()


def open_return(path: str | Path, *, check_evidence: bool = True) -> ReturnFile:
    """Open and check a return file: magic, entries, manifest (every entry's SHA-256), the JSON
    document's format and version, and the signature if there is one (its status is reported, the
    caller decides what to trust)."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _bad(f"File not found: {path}", f"找不到文件：{path}", "return.missing") from None
    except OSError as e:
        raise _bad(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _bad(f"{path} is a folder, not a return file", f"{path} 是文件夹，不是回传文件", "return.not_return")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        raise _bad(f"{path.name} is not a regular file", f"{path.name} 不是普通文件", "return.not_return")
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise _bad(f"File not found: {path}", f"找不到文件：{path}", "return.missing") from None
    except IsADirectoryError:
        raise _bad(f"{path} is a folder, not a return file", f"{path} 是文件夹，不是回传文件", "return.not_return") from None
    except OSError as e:
        raise _bad(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}") from None
    ok = False
    try:
        head = fh.read(38 + len(MIMETYPE))
        if head[:4] == b"PK\x03\x04" and len(head) < 38 + len(MIMETYPE) and (b"mimetype" + MIMETYPE).startswith(head[30:]):
            raise _bad(f"{path.name} is incomplete (it was cut short in transfer)", f"{path.name} 不完整（传输中断）",
                       "return.tampered")
        if head[:4] != b"PK\x03\x04" or head[30:38] != b"mimetype" or head[38:] != MIMETYPE:
            raise _bad(f"{path.name} is not a Dossier return file", f"{path.name} 不是 Dossier 回传文件", "return.not_return")
        h = hashlib.sha256(head)
        while b := fh.read(CHUNK):
            h.update(b)
        fh.seek(0)
        try:
            z = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise _bad(f"{path.name} is damaged or incomplete (it may have been cut short in transfer): {e}",
                       f"{path.name} 已损坏或不完整（可能传输中断）：{e}", "return.tampered") from None
        entries = _check_entries(z)
        for must in ("mimetype", RETURN_JSON, MANIFEST):
            if must not in entries:
                raise _bad(f"The return lacks {must}: it is incomplete or was changed", f"回传文件缺少 {must}：不完整或已被改动",
                           "return.tampered")
        manifest_raw = _read_small(z, entries[MANIFEST], MAX_TAG)
        manifest = parse_manifest(manifest_raw)
        listed = set(manifest)
        present = {n for n in entries if n not in (MANIFEST, SIGNATURE, SIGNER_CERT)}
        if listed != present:
            missing = sorted(listed - present)
            extra = sorted(present - listed)
            raise _bad(f"The return does not match its manifest (missing: {', '.join(missing) or '-'}; "
                       f"not listed: {', '.join(extra) or '-'}): it was changed or is incomplete",
                       f"回传文件与校验清单不符（缺少：{'、'.join(missing) or '无'}；未列出：{'、'.join(extra) or '无'}）：已被改动或不完整",
                       "return.tampered")
        body = _read_small(z, entries[RETURN_JSON], MAX_JSON)
        if hashlib.sha256(body).hexdigest() != manifest[RETURN_JSON]:
            raise _bad("return.json does not match the manifest: the return was changed or damaged",
                       "return.json 与校验清单不符：回传文件已被改动或损坏", "return.tampered")
        if check_evidence:
            for name in sorted(present - {RETURN_JSON}):
                if _hash_entry(z, entries[name]) != manifest[name]:
                    raise _bad(f"{name} does not match the manifest: the return was changed or damaged",
                               f"{name} 与校验清单不符：回传文件已被改动或损坏", "return.tampered")
        for name in present:
            m = _EVIDENCE_RE.match(name)
            if m and manifest[name] != m.group(1):
                raise _bad(f"{name} is listed with another checksum than its name", f"{name} 的校验值与名称不符", "return.tampered")
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _bad("return.json is not valid JSON", "return.json 不是有效的 JSON", "return.tampered") from None
        check_doc(doc)
        sig = {"status": "unsigned"}
        if SIGNATURE in entries or SIGNER_CERT in entries:
            from ..identity.verify import check_package_signature

            tags = {n: _read_small(z, entries[n], MAX_TAG) for n in (SIGNATURE, SIGNER_CERT) if n in entries}
            sig = check_package_signature(manifest_raw, tags)
        rf = ReturnFile(path, doc, manifest, manifest_raw, h.hexdigest(), sig, z, fh)
        ok = True
        return rf
    finally:
        if not ok:
            fh.close()


# ---------------------------------------------------------------------------- return.json shape


def _shape(cond: bool, what: str) -> None:
    if not cond:
        raise _bad(f"return.json is malformed ({what})", f"return.json 格式有误（{what}）", "return.malformed")


def check_doc(doc: Any) -> None:
    """The documented shape of return.json (docs/handoff.md), before any value is used."""
    _shape(isinstance(doc, dict), "not an object")
    if doc.get("format") != RETURN_FORMAT:
        raise _bad("This is not a Dossier return (return.json names another format)",
                   "这不是 Dossier 回传文件（return.json 的格式不符）", "return.not_return")
    v = doc.get("version")
    _shape(isinstance(v, int) and not isinstance(v, bool), "version")
    if v > RETURN_VERSION:
        raise _bad(f"This return was made by a newer Dossier (return format {v}, this version reads up to "
                   f"{RETURN_VERSION}). Update Dossier to merge it.",
                   f"此回传文件由更新版本的 Dossier 生成（格式 {v}，本版本最高支持 {RETURN_VERSION}）。请升级 Dossier 后再合并。",
                   "return.too_new")
    for k in ("return_id", "handoff_id", "source_project_uuid", "partner", "made_at"):
        _shape(isinstance(doc.get(k), str), k)
    _shape(isinstance(doc.get("seq"), int) and not isinstance(doc.get("seq"), bool), "seq")
    _shape(isinstance(doc.get("message", ""), str), "message")
    fields = doc.get("fields", [])
    _shape(isinstance(fields, list), "fields")
    for f in fields:
        _shape(isinstance(f, dict) and isinstance(f.get("path"), str) and "value" in f, "fields[]")
    tables = doc.get("tables", [])
    _shape(isinstance(tables, list), "tables")
    for t in tables:
        _shape(isinstance(t, dict) and isinstance(t.get("path"), str), "tables[]")
        for key in ("added", "changed", "deleted", "order"):
            _shape(isinstance(t.get(key, []), list), f"tables[].{key}")
        for r in t.get("added", []):
            _shape(isinstance(r, dict) and isinstance(r.get("_id"), str), "tables[].added[]")
        for r in t.get("changed", []):
            _shape(isinstance(r, dict) and isinstance(r.get("_id"), str) and isinstance(r.get("cells"), dict)
                   and all(isinstance(c, dict) for c in r["cells"].values()), "tables[].changed[]")
        for r in t.get("deleted", []):
            _shape(isinstance(r, dict) and isinstance(r.get("_id"), str), "tables[].deleted[]")
        _shape(all(isinstance(x, str) for x in t.get("order", [])), "tables[].order")
    ev = doc.get("evidence", {})
    _shape(isinstance(ev, dict), "evidence")
    for key in ("added", "removed", "changed"):
        items = ev.get(key, [])
        _shape(isinstance(items, list), f"evidence.{key}")
        for it in items:
            _shape(isinstance(it, dict) and isinstance(it.get("indicator"), str)
                   and isinstance(it.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", it["sha256"]) is not None,
                   f"evidence.{key}[]")
            _shape(isinstance(it.get("name", ""), str) and isinstance(it.get("note", ""), str)
                   and (it.get("slot") is None or isinstance(it.get("slot"), str)), f"evidence.{key}[]")
            if key == "added":
                _shape(isinstance(it.get("size"), int) and it["size"] >= 0, "evidence.added[].size")
