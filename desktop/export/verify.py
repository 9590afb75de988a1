"""`dossier verify`: check a sealed data package (zip, or an unpacked bag folder).

A package is untrusted input. Before anything is read, the zip's central directory is checked:
no absolute paths, drive letters, backslashes, `..` or empty components, NUL bytes, symlinks or
other special files, duplicate names (also names equal but for case or Unicode normalisation),
encrypted entries or unknown compression, overlapping entries, too many entries, too much data,
or a suspicious compression ratio. Files are then hashed straight from the zip stream; nothing is
extracted, except the PDF, which is copied into a private temporary folder (fixed name) for
pikepdf to read.

The verdict (`Verdict.status`, the CLI's first word, the JSON's "status", the exit code):

    intact      0  every check below passed (and a required trust, if any, is met)
    tampered    1  the content changed: a file, a manifest, a signature that does not verify, a
                   signature the package claims but lacks, bag-info.txt disagreeing with answers.json
    unreadable  2  not a package, or refused before reading (hostile zip, FIFO, too large, …)
    untrusted   3  the content is intact, but a required trust (`--trust`, `--trust-fingerprint`,
                   several of them = a trust list) is not met: unsigned, or signed by someone else

What is checked (any failure means "tampered", exit code 1):
- the bag: bagit.txt, every manifest and tag-manifest checksum, nothing missing, nothing extra;
- the PDF: its embedded content listing hashes to the digest it records, and matches the payload;
  its embedded answers.json equals data/answers.json;
- answers.json: the documented schema, the same program id/version as program.yaml, every answer
  a field of that program with a well-formed value, every evidence file present with its hash;
- bag-info.txt: every field derived from answers.json and the PDF (applicant, program, seal time,
  content digest, package id, project UUID, signer) says exactly what those say;
- program.yaml is parsed only when its hash matched, it is small enough and its YAML aliases do
  not expand beyond a bound (no "billion laughs");
- a signature (signature.p7s over tagmanifest-sha256.txt) through desktop.identity.verify when
  that module exists (issue #5).

When a file differs, the verdict says which file and how: modified, missing, extra, or renamed
(a missing file whose bytes turn up under another name). Changes to the tag manifest are told
apart from changes to the files it lists by regenerating those files independently (bagit.txt is
fixed, bag-info.txt is derived from answers.json and the payload, the manifest must agree with the
payload and with the listing sealed in the PDF).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import struct
import threading
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from ..fsutil import hash_buffer, private_temp_dir
from ..gil import quick_switches
from ..tasks import DoneCallbacks
from . import forked_render
from .bag import BAGIT_TXT, MANIFEST, SIGNATURE_FILE_RE, TAGMANIFEST, bag_info_bytes, manifest_bytes
from .digest import LISTING_NAME, PDF_PATH, content_digest, listing_bytes, parse_listing

EXPECTED_TAGS = ("bagit.txt", "bag-info.txt", MANIFEST)
RERENDER_DOCS = ("data/review-response.json", "data/previous-period.json")  # read for the PDF re-render

# limits for untrusted packages
MAX_ENTRIES = 100_000
MAX_TOTAL_BYTES = 64 << 30
MAX_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1 << 20
MAX_SMALL_FILE = 64 << 20  # tag files, answers.json, program.yaml, listing: read into memory
MAX_PDF = 1 << 30
MAX_DEFINITION = 8 << 20  # program.yaml (the bundled ones are < 100 KB)
MAX_YAML_NODES = 2_000_000  # nodes after alias expansion (the largest bundled definition: ~20,000)
CHUNK = 1 << 20
# The pool hashes in 1 MiB reads: a buffer that stays in the CPU's cache between the read and the
# hash (8 MiB reads cost a fifth more CPU at intake). Beside a re-render on a thread the GIL
# hand-overs after each read are made quicker instead (desktop.gil); larger reads there were tried
# and lost (stop 26, 1 GiB verify: 1 MiB 0.95 s, 8 MiB 1.03 s, 32 MiB 1.10 s, 64 MiB 1.17 s).
HASH_CHUNK = 1 << 20


class Unreadable(Exception):
    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en, self.zh = en, zh or en


@dataclass
class Finding:
    path: str
    kind: str  # modified | missing | extra | renamed | inconsistent
    detail: str = ""
    expected: str | None = None
    actual: str | None = None
    renamed_to: str | None = None

    def line(self) -> str:
        if self.kind == "renamed":
            return f"renamed   {self.path} -> {self.renamed_to}"
        return f"{self.kind:<9} {self.path}" + (f"  ({self.detail})" if self.detail else "")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


STATUSES = ("intact", "tampered", "unreadable", "untrusted")
EXIT_CODES = {"intact": 0, "tampered": 1, "unreadable": 2, "untrusted": 3}
HEADLINES = {"intact": ("完好", "INTACT"), "tampered": ("已被篡改", "TAMPERED"), "unreadable": ("无法读取", "UNREADABLE"),
             "untrusted": ("不受信任", "UNTRUSTED")}


@dataclass
class Verdict:
    status: str  # intact | tampered | unreadable | untrusted (STATUSES)
    package: str
    root: str = ""
    program: dict[str, str] | None = None
    applicant: str = ""
    sealed_at: str = ""
    draft: bool = False
    content_digest: str = ""  # recomputed from the payload
    recorded_digest: str = ""  # the digest sealed in the PDF
    files: int = 0
    bytes: int = 0
    findings: list[Finding] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    signature: dict[str, Any] = field(default_factory=lambda: {"status": "unsigned"})  # the bag (tag manifest)
    pdf_signature: dict[str, Any] = field(default_factory=lambda: {"status": "unsigned"})  # the PDF's PAdES seal
    errors: list[str] = field(default_factory=list)
    # trust: {"required": bool, "met": bool | None, "reason": {"en", "zh"} | None}; met is None when
    # no trust was required. Only a required, unmet trust makes an intact package "untrusted".
    trust: dict[str, Any] = field(default_factory=lambda: {"required": False, "met": None, "reason": None})
    package_id: str = ""  # answers.json package.id (format_version 2), "" for older packages
    project_uuid: str = ""  # answers.json project.uuid
    volume: dict[str, Any] | None = None  # one volume of a split package: {"index", "count", "package_id", …}
    notes: list[str] = field(default_factory=list)  # how the package was taken in (volumes, decryption, delta)
    errors_zh: list[str] = field(default_factory=list)  # the same as `errors`, in Chinese
    error_key: str = ""  # unreadable: the DossierError key when the transport layer refused (e.g. transport.basis_missing)
    # {data offset: (length, sha256)} of the stored entries verify hashed, straight from the file:
    # the desk's package fingerprint (desktop/review/fingerprint.py) reuses them instead of hashing
    # every byte a second time. Not part of the verdict's record (to_dict leaves it out).
    entry_ranges: dict[int, tuple[int, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.status, 2)

    @property
    def intact(self) -> bool:
        return self.status == "intact"

    def to_dict(self) -> dict[str, Any]:
        ranges, self.entry_ranges = self.entry_ranges, {}
        try:
            d = asdict(self)
        finally:
            self.entry_ranges = ranges
        del d["entry_ranges"]
        d["exit_code"] = self.exit_code
        return d


# ---------------------------------------------------------------------------- sources


def _nfc_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


_DRIVE = re.compile(r"^[A-Za-z]:")


def _check_name(raw: str) -> str | None:
    """Why a member name is unsafe, or None."""
    if "\x00" in raw:
        return "contains a NUL byte"
    if "\\" in raw:
        return "contains a backslash"
    if raw.startswith("/") or _DRIVE.match(raw):
        return "is an absolute path"
    parts = raw.rstrip("/").split("/") if raw.endswith("/") else raw.split("/")
    for p in parts:
        if p in ("", ".", ".."):
            return "has an empty, '.' or '..' component"
        if any(unicodedata.category(c) == "Cc" for c in p):
            return "contains control characters"
    return None


def _inflated(z: zipfile.ZipFile, zi: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """A compressed entry's bytes, never more than it declares."""
    n = 0
    try:
        with z.open(zi) as fh:
            while b := fh.read(CHUNK):
                n += len(b)
                if n > zi.file_size:
                    raise Unreadable(f"entry {name!r} is larger than declared", f"条目 {name!r} 大于声明的大小")
                yield b
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise Unreadable(f"entry {name!r} cannot be read: {e}", f"无法读取条目 {name!r}：{e}") from None


class _ZipSource:
    def __init__(self, path: Path):
        self.path = path
        self.data_at: dict[str, int] = {}  # entry -> offset of its data, for the stored entries read whole
        try:
            self.fh: BinaryIO = open(path, "rb")
        except OSError as e:
            raise Unreadable(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}") from None
        try:
            self.zip = zipfile.ZipFile(self.fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            self.fh.close()
            raise Unreadable(f"{path.name} is not a readable zip file ({e})", f"{path.name} 不是可读取的 zip 文件（{e}）") from None
        try:
            self.entries = self._check()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.zip.close()
        with contextlib.suppress(Exception):
            self.fh.close()

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Unreadable(f"the package has {len(infos)} entries (limit {MAX_ENTRIES})",
                             f"数据包包含 {len(infos)} 个条目（上限 {MAX_ENTRIES}）")
        out: dict[str, zipfile.ZipInfo] = {}
        keys: dict[str, str] = {}
        total = 0
        for zi in infos:
            raw = zi.orig_filename
            why = _check_name(raw) or (None if raw == zi.filename else "is not a plain name")
            if why:
                raise Unreadable(f"unsafe entry {raw!r}: it {why}", f"不安全的条目 {raw!r}：路径不合规（{why}）")
            mode = zi.external_attr >> 16
            if mode:  # Unix mode bits (whatever the "made by" system claims)
                kind = stat.S_IFMT(mode)
                if kind == stat.S_IFLNK:
                    raise Unreadable(f"entry {raw!r} is a symbolic link", f"条目 {raw!r} 是符号链接")
                if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                    raise Unreadable(f"entry {raw!r} is not a regular file", f"条目 {raw!r} 不是普通文件")
            if zi.create_system == 0 and zi.external_attr & 0x400:  # Windows reparse point
                raise Unreadable(f"entry {raw!r} is a reparse point (link)", f"条目 {raw!r} 是链接")
            if zi.flag_bits & 0x1:
                raise Unreadable(f"entry {raw!r} is encrypted", f"条目 {raw!r} 已加密")
            if zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unreadable(f"entry {raw!r} uses an unsupported compression method",
                                 f"条目 {raw!r} 使用了不支持的压缩方式")
            if zi.is_dir():
                if zi.file_size:
                    raise Unreadable(f"directory entry {raw!r} has content", f"目录条目 {raw!r} 含有数据")
                continue
            if raw in out:
                raise Unreadable(f"the name {raw!r} appears twice", f"名称 {raw!r} 出现了两次")
            k = _nfc_key(raw)
            if k in keys:
                raise Unreadable(f"the names {keys[k]!r} and {raw!r} differ only in case or Unicode form",
                                 f"名称 {keys[k]!r} 与 {raw!r} 仅大小写或 Unicode 形式不同")
            keys[k] = raw
            total += zi.file_size
            if total > MAX_TOTAL_BYTES:
                raise Unreadable(f"the package unpacks to more than {MAX_TOTAL_BYTES >> 30} GiB",
                                 f"数据包解压后超过 {MAX_TOTAL_BYTES >> 30} GiB")
            if zi.file_size > RATIO_FLOOR and zi.file_size > MAX_RATIO * max(zi.compress_size, 1):
                raise Unreadable(f"entry {raw!r} has a compression ratio above {MAX_RATIO} (zip bomb?)",
                                 f"条目 {raw!r} 压缩比超过 {MAX_RATIO}（疑似 zip 炸弹）")
            if zi.compress_type == zipfile.ZIP_STORED and zi.compress_size != zi.file_size:
                raise Unreadable(f"entry {raw!r} has inconsistent sizes", f"条目 {raw!r} 的大小信息不一致")
            out[raw] = zi
        # entries must not overlap (overlapping entries are the "better zip bomb")
        spans = sorted(((zi.header_offset, zi) for zi in infos), key=lambda t: t[0])
        end_of_data = getattr(self.zip, "start_dir", None)
        for i, (off, zi) in enumerate(spans):
            nxt = spans[i + 1][0] if i + 1 < len(spans) else end_of_data
            if nxt is None:
                continue
            nlen = len(zi.orig_filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437", "replace"))
            if off + 30 + nlen + zi.compress_size > nxt:
                raise Unreadable(f"entry {zi.orig_filename!r} overlaps the next one", f"条目 {zi.orig_filename!r} 与其他条目重叠")
        return out

    def names(self) -> list[str]:
        return list(self.entries)

    def size(self, name: str) -> int:
        return self.entries[name].file_size

    def chunks(self, name: str) -> Iterator[bytes]:
        zi = self.entries[name]
        if zi.compress_type == zipfile.ZIP_STORED:
            yield from self._stored(zi)
            return
        yield from _inflated(self.zip, zi, name)

    def _own_handle(self) -> BinaryIO:
        try:
            return open(self.path, "rb")
        except OSError as e:
            raise Unreadable(f"Cannot read {self.path}: {e.strerror}", f"无法读取 {self.path}：{e.strerror}") from None

    def hash_entry(self, name: str) -> tuple[str, int]:
        """(sha256, size) of one entry; safe to call from several threads at once (stored entries
        are read through a file handle of their own, so the pool's threads never share a seek)."""
        zi = self.entries[name]
        if zi.compress_type != zipfile.ZIP_STORED:
            return _hash_chunks(self.chunks(name))
        with self._own_handle() as fh:
            return _hash_chunks(self._stored(zi, fh, chunk=HASH_CHUNK))

    def own_chunks(self, name: str) -> Iterator[bytes]:
        """`chunks` through handles of its own: safe beside the pool and the main thread (the
        re-render reads evidence on its own thread while the pool hashes)."""
        zi = self.entries[name]
        with self._own_handle() as fh:
            if zi.compress_type == zipfile.ZIP_STORED:
                yield from self._stored(zi, fh)
                return
            try:
                z = zipfile.ZipFile(fh)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
                raise Unreadable(f"entry {name!r} cannot be read: {e}", f"无法读取条目 {name!r}：{e}") from None
            with z:
                yield from _inflated(z, z.getinfo(zi.filename), name)

    def range_chunks(self, name: str, offset: int, length: int) -> Iterator[bytes]:
        """Bytes [offset, offset + length) of an entry: a seek for stored entries (volumes cut
        files into pieces), else read and skip."""
        zi = self.entries[name]
        if offset < 0 or length < 0 or offset + length > zi.file_size:
            raise Unreadable(f"entry {name!r}: range outside the entry", f"条目 {name!r}：范围超出条目")
        if zi.compress_type == zipfile.ZIP_STORED:
            yield from self._stored(zi, start=offset, length=length)
            return
        skip, left = offset, length
        for c in self.chunks(name):
            if skip >= len(c):
                skip -= len(c)
                continue
            c = c[skip:]
            skip = 0
            if len(c) >= left:
                yield c[:left]
                return
            left -= len(c)
            yield c

    def _stored(self, zi: zipfile.ZipInfo, fh: BinaryIO | None = None, *, start: int = 0,
                length: int | None = None, chunk: int = CHUNK) -> Iterator[bytes]:
        """Stored entries: read the bytes straight from the file (SHA-256 is checked; the CRC is
        redundant), after checking the local header names the same file as the directory."""
        fh = fh or self.fh
        fh.seek(zi.header_offset)
        head = fh.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise Unreadable(f"entry {zi.orig_filename!r}: bad local header", f"条目 {zi.orig_filename!r} 的本地文件头损坏")
        nlen, xlen = struct.unpack("<HH", head[26:30])
        lname = fh.read(nlen)
        cname = zi.orig_filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437", "replace")
        if lname != cname and lname.decode("utf-8", "replace") != zi.orig_filename:
            raise Unreadable(f"entry {zi.orig_filename!r}: the local header names another file",
                             f"条目 {zi.orig_filename!r} 的本地文件头与目录不一致")
        fh.seek(xlen + start, os.SEEK_CUR)
        if start == 0 and length is None:
            self.data_at[zi.orig_filename] = fh.tell()
        left = zi.file_size - start if length is None else length
        view = memoryview(hash_buffer(min(chunk, max(left, 1))))
        while left:
            n = fh.readinto(view[: min(chunk, left)])
            if not n:
                raise Unreadable(f"entry {zi.orig_filename!r} is truncated", f"条目 {zi.orig_filename!r} 不完整")
            left -= n
            yield view[:n]


class _DirSource:
    """An unpacked bag (a folder): symlinks and special files are refused."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, Path] = {}
        keys: dict[str, str] = {}
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            for d in list(dirnames):
                if os.path.islink(os.path.join(dirpath, d)):
                    raise Unreadable(f"{os.path.join(dirpath, d)} is a symbolic link", f"{os.path.join(dirpath, d)} 是符号链接")
            for f in filenames:
                full = os.path.join(dirpath, f)
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    raise Unreadable(f"{full} is a symbolic link", f"{full} 是符号链接")
                if not stat.S_ISREG(st.st_mode):
                    raise Unreadable(f"{full} is not a regular file", f"{full} 不是普通文件")
                rel = os.path.relpath(full, path).replace(os.sep, "/")
                k = _nfc_key(rel)
                if k in keys:
                    raise Unreadable(f"{keys[k]!r} and {rel!r} differ only in Unicode form", f"{keys[k]!r} 与 {rel!r} 仅 Unicode 形式不同")
                keys[k] = rel
                self.entries[rel] = Path(full)
                if len(self.entries) > MAX_ENTRIES:
                    raise Unreadable(f"more than {MAX_ENTRIES} files", f"文件数超过 {MAX_ENTRIES}")

    def close(self) -> None:
        pass

    def names(self) -> list[str]:
        return list(self.entries)

    def size(self, name: str) -> int:
        return self.entries[name].stat().st_size

    def chunks(self, name: str) -> Iterator[bytes]:
        with open(self.entries[name], "rb") as fh:
            buf = bytearray(CHUNK)
            view = memoryview(buf)
            while n := fh.readinto(buf):
                yield view[:n]

    def hash_entry(self, name: str) -> tuple[str, int]:
        return _hash_chunks(self.chunks(name))

    own_chunks = chunks  # every read opens its own file: safe from any thread


def _hash_chunks(chunks) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for c in chunks:
        h.update(c)  # hashlib releases the GIL for large buffers: threads hash in parallel
        n += len(c)
    return h.hexdigest(), n


# ---------------------------------------------------------------------------- verify


def _find_root(names: list[str]) -> str:
    """The bag root inside the source: '' (bag at the top) or 'name/' (one top folder)."""
    marks = ("bagit.txt", MANIFEST, TAGMANIFEST, "bag-info.txt")
    if any(n in marks or n.startswith("data/") for n in names):
        return ""
    candidates = sorted({n.split("/", 1)[0] + "/" for n in names if "/" in n
                         and (n.split("/", 1)[1] in marks or n.split("/", 1)[1].startswith("data/"))})
    if len(candidates) == 1:
        return candidates[0]  # anything beside that folder is reported as extra
    if len(candidates) > 1:
        raise Unreadable("the zip holds more than one bag", "该 zip 包含多个数据包")
    raise Unreadable("this is not a BagIt data package (no bagit.txt, manifest or data/ folder)",
                     "这不是 BagIt 数据包（没有 bagit.txt、清单或 data/ 文件夹）")


def _one_trust_bytes(trust_cert: Any) -> bytes:
    if isinstance(trust_cert, (bytes, bytearray)):
        return bytes(trust_cert)
    try:
        st = os.stat(trust_cert)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SMALL_FILE:
            raise Unreadable(f"The trusted certificate {trust_cert} is not a regular, small file",
                             f"受信任证书 {trust_cert} 不是普通的小文件")
        return Path(trust_cert).read_bytes()
    except OSError as e:
        raise Unreadable(f"Cannot read the trusted certificate {trust_cert}: {e.strerror}",
                         f"无法读取受信任证书 {trust_cert}：{e.strerror}") from None


def _trust_bytes(trust_cert: Any) -> bytes | list[bytes] | None:
    """One certificate (path or bytes) or a list of them (a trust list) → bytes, list or None."""
    if trust_cert is None:
        return None
    if isinstance(trust_cert, (list, tuple, set, frozenset)):
        got = [_one_trust_bytes(c) for c in trust_cert if c]
        return got or None
    return _one_trust_bytes(trust_cert)


def _fp_list(trust_fingerprint: Any) -> list[str] | None:
    """Trusted fingerprints as typed → 64 lower-case hex digits each; a malformed one raises
    IdentityError (a DossierError: the reviewer's input, not the package, is wrong)."""
    if not trust_fingerprint:
        return None
    items = [trust_fingerprint] if isinstance(trust_fingerprint, str) else [f for f in trust_fingerprint if f]
    try:
        from ..identity.model import normalize_fingerprint
    except ImportError:  # a build without desktop.identity: nothing can be trusted anyway
        return [str(f) for f in items] or None
    return [normalize_fingerprint(str(f)) for f in items] or None


def check_source_path(path: Path) -> os.stat_result:
    """Refuse what is not a regular file or a folder before anything opens it: a FIFO named .zip
    would block open() forever, a device could be endless."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise Unreadable(f"File not found: {path}", f"找不到文件：{path}") from None
    except OSError as e:
        raise Unreadable(f"Cannot read {path}: {e.strerror}", f"无法读取 {path}：{e.strerror}") from None
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise Unreadable(f"{path} is not a regular file (a pipe, device or socket): refused",
                         f"{path} 不是普通文件（管道、设备或套接字），已拒绝")
    return st


def check_signature(tagmanifest: bytes | None, tag_files: dict[str, bytes], *, trust_cert: bytes | None,
                    trust_fingerprint: str | None) -> dict[str, Any]:
    """The signature hook (issue #5). Returns a dict with at least "status":
    unsigned | valid | untrusted | invalid | not_checked."""
    if "signature.p7s" not in tag_files:
        return {"status": "unsigned"}
    try:
        from ..identity.verify import check_package_signature  # type: ignore[import-not-found]
    except ImportError as e:
        if isinstance(e, ModuleNotFoundError) and not (e.name or "").startswith("desktop.identity"):
            raise
        return {"status": "not_checked", "reason": "signature checking is not available in this build"}
    if tagmanifest is None:
        return {"status": "invalid", "reason": "tagmanifest-sha256.txt is missing"}
    try:
        res = check_package_signature(tagmanifest, dict(tag_files), trust_cert_pem=trust_cert,
                                      trust_fingerprint=trust_fingerprint)
    except Exception as e:  # noqa: BLE001 - a checker that fails has not vouched for anything
        raise Unreadable(f"the signature could not be checked ({type(e).__name__}: {e})",
                         f"无法校验签名（{type(e).__name__}：{e}）") from None
    if hasattr(res, "to_dict"):
        res = res.to_dict()
    elif not isinstance(res, dict):
        res = {"status": "valid" if res else "invalid"}
    res = dict(res)
    if "status" not in res:
        res["status"] = "valid" if res.get("valid") else "invalid"
    return res


def verify_package(path: str | os.PathLike, *, trust_cert: Any = None, trust_fingerprint: Any = None,
                   rerender: "bool | Callable[..., Any]" = True) -> Verdict:
    """Check a package; never raises for bad input: an unreadable package gives status "unreadable".
    `rerender` renders the PDF again from the package's data and compares (desktop/export/rerender.py).
    It may instead be a function `(zip path, listing, {entry: sha256}) -> RerenderResult | None` that
    renders elsewhere (the desk: processes of their own, render_in_process); None: render here.

    `trust_cert` (a certificate file path or PEM/DER bytes) and `trust_fingerprint` (as typed) may
    each be a list: the package must then be signed by one of them, else the verdict is
    "untrusted" (when the content is intact). A malformed fingerprint raises IdentityError."""
    path = Path(path)
    v = Verdict(status="unreadable", package=str(path))
    src = None
    trust_fp = _fp_list(trust_fingerprint)
    try:
        trust = _trust_bytes(trust_cert)
        st = check_source_path(path)
        src = _DirSource(path) if stat.S_ISDIR(st.st_mode) else _ZipSource(path)
        with private_temp_dir("verify") as tmp:  # held: housekeeping removes it only once its run is dead
            hashes = _verify(src, v, Path(tmp), trust, trust_fp, rerender)
        if isinstance(src, _ZipSource):
            for name, off in src.data_at.items():
                if name in hashes:
                    v.entry_ranges[off] = (src.entries[name].compress_size, hashes[name])
    except Unreadable as e:
        v.status = "unreadable"
        v.errors.append(e.en)
        v.errors_zh.append(e.zh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError, struct.error) as e:
        v.status = "unreadable"
        v.errors.append(f"the package cannot be read ({type(e).__name__}: {e})")
        v.errors_zh.append(f"无法读取数据包（{type(e).__name__}：{e}）")
    finally:
        if src is not None:
            src.close()
    return v


def _verify(src, v: Verdict, tmp: Path, trust: bytes | None, trust_fp: str | None,
            rerender: bool = True) -> dict[str, str]:
    """Check `src` into `v`; returns {entry name: SHA-256} of every entry it hashed."""
    names = src.names()
    root = _find_root(names)
    v.root = root.rstrip("/")
    findings: list[Finding] = []
    for n in names:
        if not n.startswith(root):
            findings.append(Finding(n, "extra", "outside the bag folder"))
    rel = {n[len(root):]: n for n in names if n.startswith(root)}

    # ---- hash everything in one pass; keep small documents, spool the PDF to the temp folder
    hashes: dict[str, str] = {}
    sizes: dict[str, int] = {}
    keep: dict[str, bytes] = {}
    small = set(EXPECTED_TAGS) | {TAGMANIFEST, "data/answers.json", "data/program.yaml"} | set(RERENDER_DOCS)
    # large payload files are hashed by a pool of threads (one per core) while this thread reads
    # the documents it keeps; hashing is the whole cost of verify, and hashlib runs without the GIL
    bulk = [r for r in rel if not (r in small or SIGNATURE_FILE_RE.match(r) or r == PDF_PATH)]
    workers = max(1, min(4, os.cpu_count() or 1))
    # Beside a re-render one core fewer hashes (the parsing and the re-render are pure Python, the
    # longer path), but only while it runs: the gate lets the last worker in once it is done (with
    # the pool cut for good, a 1 GiB package hashed its last 0.7 s on one core of two). The pool
    # starts first: whether this build made the package is known only after importing the
    # re-render's modules and computing the renderer id (0.1 s the hashing need not wait for).
    early = _Early()
    early.hashes = hashes
    if rerender is True and len(bulk) > 1 and isinstance(src, _ZipSource) and forked_render.available():
        # forked before the pool's threads exist: the re-render gets a GIL of its own
        with contextlib.suppress(OSError):
            early.render = forked_render.ForkedRender(src.path)
    held = rerender is True and len(bulk) > 1 and workers > 1 and early.render is None
    gate = _Gate(workers - 1 if held else workers)
    pool = ThreadPoolExecutor(max_workers=workers) if len(bulk) > 1 else None
    futures = {r: pool.submit(gate.run, src.hash_entry, rel[r]) for r in bulk} if pool is not None else {}
    try:
        if held and not _made_here(src, rel):
            gate.open()  # "cannot re-render": every core hashes
        _hash_kept(src, rel, small, futures, hashes, sizes, keep, tmp)
        if futures:  # while the pool hashes: parse the PDF and the documents (they need no hash)
            early.warm(tmp / "submission.pdf", keep)
            if rerender is True and early.render is None:  # and lay the PDF out again from the listing it claims
                early.start_render(src, rel, keep, tmp / "submission.pdf")
        if early.render is not None:
            early.render.when_done(gate.open)
        else:
            gate.open()
        for r, fut in futures.items():
            hashes[r], sizes[r] = fut.result()
    except BaseException:
        early.stop_render()  # nothing may read the package after verify returns
        raise
    finally:
        gate.open()  # no worker may wait on it while the pool shuts down
        if pool is not None:
            for fut in futures.values():
                fut.cancel()
            pool.shutdown(wait=True)
    pdf_file = tmp / "submission.pdf" if (tmp / "submission.pdf").exists() else None
    payload = {r for r in rel if r.startswith("data/")}
    v.files = len(payload)
    v.bytes = sum(sizes[r] for r in payload)
    try:
        _verify_hashed(src, v, rel, root, findings, hashes, sizes, keep, payload, pdf_file, trust, trust_fp, early,
                       rerender)
    finally:
        early.stop_render()  # a no-op once its verdict was taken
    return {rel[r]: h for r, h in hashes.items()}


def _made_here(src, rel: dict[str, str]) -> bool:
    """Whether answers.json says this build made the package (read ahead: it is small; whatever
    it says is checked again where the re-render runs)."""
    name = rel.get("data/answers.json")
    if name is None or src.size(name) > MAX_SMALL_FILE:
        return False
    from .rerender import made_here

    try:
        return made_here(b"".join(bytes(c) for c in src.chunks(name)))
    except Exception:  # noqa: BLE001 - unreadable here: verify says so later
        return False


class _Gate:
    """How many of the pool's workers may hash at once: `n` at first, one more once `open`."""

    def __init__(self, n: int) -> None:
        self._sem = threading.Semaphore(n)
        self._lock = threading.Lock()
        self._opened = False

    def open(self) -> None:
        with self._lock:
            if self._opened:
                return
            self._opened = True
        self._sem.release()  # the one worker held back

    def run(self, fn, *args):
        with self._sem:
            return fn(*args)


class _Early:
    """Parses done while the pool is still hashing, remembered for the checks that follow."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, int], Any] = {}
        self.hashes: dict[str, str] = {}  # the caller's SHA-256 of each entry (a forked render's check)

    def _get(self, kind: str, key: Any, fn):
        k = (kind, key if isinstance(key, str) else id(key))
        if k not in self.memo:
            try:
                self.memo[k] = (True, fn())
            except Exception as e:  # noqa: BLE001 - re-raised where the check runs
                self.memo[k] = (False, e)
        ok, val = self.memo[k]
        if not ok:
            raise val
        return val

    def pdf(self, pdf_file: Path):
        return self._get("pdf", str(pdf_file), lambda: _read_pdf(pdf_file))

    def answers(self, raw: bytes):
        from . import answers_json

        return self._get("answers", raw, lambda: answers_json.loads(raw))

    def program(self, y: bytes):
        def load():
            from ..programs import shared_definition, yaml_cache

            try:
                text = y.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            # a text parsed here before passed yaml_io's (stricter) alias bound: no second count
            # (intake reads the same program.yaml in every package of a program)
            bomb = None if text is not None and yaml_cache.known(text) else yaml_expansion_problem(y)
            if bomb:
                return bomb
            if text is None:
                text = y.decode("utf-8")  # raises, as before
            return shared_definition(text, "program.yaml")  # read only here: shared by every package of the program

        return self._get("program", y, load)

    render: "_Render | forked_render.ForkedRender | None" = None

    def start_render(self, src, rel: dict[str, str], keep: dict[str, bytes], pdf_file: Path) -> None:
        """Start the re-render (desktop/export/rerender.py) on a thread of its own, from the content
        listing the PDF claims: it is pure Python and the pool's hashing runs without the GIL, so
        the two overlap. Its verdict is used only if the listing the payload really hashes to is
        the same bytes (`_rerender_result`); otherwise the re-render runs again, as before."""
        with contextlib.suppress(Exception):
            listing_raw = self.pdf(pdf_file)[0] if pdf_file.exists() else None
            if listing_raw is None or "data/answers.json" not in keep:
                return
            from .rerender import made_here

            if not made_here(keep["data/answers.json"]):
                return  # "cannot re-render": nothing to gain from a thread
            self.render = _Render(src, rel, keep, pdf_file.read_bytes(), listing_raw)

    def stop_render(self) -> None:
        if self.render is not None:
            self.render.stop()

    def warm(self, pdf_file: Path, keep: dict[str, bytes]) -> None:
        with contextlib.suppress(Exception):
            if pdf_file.exists():
                self.pdf(pdf_file)
        raw, y = keep.get("data/answers.json"), keep.get("data/program.yaml")
        with contextlib.suppress(Exception):
            doc = self.answers(raw) if raw is not None else None
            # parse program.yaml early only when it is what answers.json says it is, and small
            if (doc is not None and y is not None and len(y) <= MAX_DEFINITION
                    and hashlib.sha256(y).hexdigest() == doc["program"]["definition_sha256"]):
                self.program(y)


def _hash_kept(src, rel: dict[str, str], small: set[str], futures: dict, hashes: dict[str, str],
               sizes: dict[str, int], keep: dict[str, bytes], tmp: Path) -> None:
    """Hash (in this thread) every entry not handed to the pool: kept documents, the PDF (spooled
    to the private temp folder for pikepdf), and everything when there is no pool."""
    for r, full in rel.items():
        if r in futures:
            continue
        h = hashlib.sha256()
        size = 0
        declared = src.size(full)
        want = r in small or (SIGNATURE_FILE_RE.match(r) is not None)
        buf = bytearray() if want and declared <= MAX_SMALL_FILE else None
        out = None
        if r == PDF_PATH and declared <= MAX_PDF:
            pdf_file = tmp / "submission.pdf"
            out = open(pdf_file, "wb")
        try:
            for chunk in src.chunks(full):
                h.update(chunk)
                size += len(chunk)
                if buf is not None:
                    buf += chunk
                if out is not None:
                    out.write(chunk)
        finally:
            if out is not None:
                out.close()
        hashes[r] = h.hexdigest()
        sizes[r] = size
        if buf is not None:
            keep[r] = bytes(buf)


def _verify_hashed(src, v: Verdict, rel: dict[str, str], root: str, findings: list[Finding], hashes: dict[str, str],
                   sizes: dict[str, int], keep: dict[str, bytes], payload: set[str], pdf_file: Path | None,
                   trust: Any, trust_fp: Any, early: "_Early", rerender: bool = True) -> None:
    # ---- bag files
    def parsed(name: str) -> dict[str, str] | None:
        if name not in keep:
            return None
        try:
            return parse_listing(keep[name])
        except (ValueError, UnicodeDecodeError):
            return None

    manifest = parsed(MANIFEST)
    if MANIFEST in rel and manifest is None:
        findings.append(Finding(MANIFEST, "modified", "not a valid manifest"))
    tagman = parsed(TAGMANIFEST)
    if TAGMANIFEST in rel and tagman is None:
        findings.append(Finding(TAGMANIFEST, "modified", "not a valid tag manifest"))

    # ---- the PDF: embedded listing, recorded digest, embedded answers.json
    listing: dict[str, str] | None = None
    listing_raw: bytes | None = None
    pdf_answers: bytes | None = None
    pdf_problem = ""
    if PDF_PATH in rel and pdf_file is not None:
        listing_raw, pdf_answers, recorded, pdf_problem = early.pdf(pdf_file)
        if listing_raw is not None:
            try:
                listing = parse_listing(listing_raw)
            except (ValueError, UnicodeDecodeError):
                pdf_problem = pdf_problem or "its embedded content listing is malformed"
                listing = None
        if recorded:
            v.recorded_digest = recorded
        if listing_raw is not None and recorded and content_digest(listing_raw) != recorded:
            pdf_problem = pdf_problem or "its embedded content listing does not hash to the digest it records"
    elif PDF_PATH in rel:
        pdf_problem = "too large to check"

    actual_payload = {r: hashes[r] for r in payload}
    actual_listing = listing_bytes(actual_payload.items())
    v.content_digest = content_digest(actual_listing)

    # ---- payload files against the manifest (and the listing sealed in the PDF as a second witness)
    manifest_suspect: list[str] = []
    tm_says_manifest_changed = (tagman is not None and MANIFEST in hashes and tagman.get(MANIFEST) not in (None, hashes[MANIFEST]))
    ref = manifest if manifest is not None else ({**listing} if listing is not None else None)
    if ref is not None:
        for r in sorted(set(ref) | payload):
            if manifest is None and r == PDF_PATH:
                continue  # only the manifest can vouch for the PDF (the listing cannot hold its own file)
            if not r.startswith("data/"):
                if r in ref and manifest is not None:
                    manifest_suspect.append(r)
                continue
            exp = ref.get(r)
            act = actual_payload.get(r)
            lst = listing.get(r) if listing is not None else None
            if exp is None:
                if manifest is not None and ((lst is not None and lst == act) or (lst is None and tm_says_manifest_changed)):
                    manifest_suspect.append(r)
                    continue
                findings.append(Finding(r, "extra", "not in the manifest", actual=act))
            elif act is None:
                if manifest is not None and lst is None and listing is not None and r != PDF_PATH:
                    # listed in the manifest only: a line added to the manifest, not a missing file
                    manifest_suspect.append(r)
                    continue
                findings.append(Finding(r, "missing", "listed in the manifest", expected=exp))
            elif exp != act:
                if manifest is not None and ((lst is not None and lst == act)
                                             or (lst is None and tm_says_manifest_changed)):
                    # the file agrees with the PDF's listing (or, for files the listing cannot
                    # cover, the tag manifest shows the manifest itself was changed)
                    manifest_suspect.append(r)
                else:
                    findings.append(Finding(r, "modified", "SHA-256 differs from the manifest", expected=exp, actual=act))
            elif lst is not None and lst != act and r != PDF_PATH:
                findings.append(Finding(r, "modified", "matches the manifest, but not the content listing sealed in the PDF",
                                        expected=lst, actual=act))
        if listing is not None:
            for r, sha in listing.items():
                if r not in actual_payload and r not in ref:
                    findings.append(Finding(r, "missing", "listed in the PDF's content listing", expected=sha))
    elif payload:
        v.checks.append(Check("payload", False, "no manifest and no readable content listing to check the payload against"))

    # ---- answers.json and program.yaml
    doc = _answers_checks(v, keep, rel, actual_payload, pdf_answers, findings, early)

    # ---- tag files, with blame for the tag manifest vs the files it lists
    tm_bad: list[str] = []
    tag_expected: dict[str, bytes | None] = {"bagit.txt": BAGIT_TXT, "bag-info.txt": None, MANIFEST: None}
    answers_sound = doc is not None and not any(f.path == "data/answers.json" for f in findings)
    if answers_sound:
        tag_expected["bag-info.txt"] = expected_bag_info(doc, v)
        _compare_bag_info(keep.get("bag-info.txt"), tag_expected["bag-info.txt"], findings)
    if manifest is not None:
        tag_expected[MANIFEST] = manifest_bytes(actual_payload.items())

    def independently_intact(t: str) -> bool | None:
        exp = tag_expected.get(t)
        if exp is None:
            if t == MANIFEST and manifest is not None:
                return not manifest_suspect and set(manifest) == payload
            return None
        return keep.get(t) == exp

    for t in EXPECTED_TAGS:
        if t not in rel:
            findings.append(Finding(t, "missing", "required tag file", expected=(tagman or {}).get(t)))
            continue
        if tagman is None:
            ok = independently_intact(t)
            if ok is False or (t == MANIFEST and manifest_suspect):
                findings.append(Finding(t, "modified", "does not agree with the payload" if t == MANIFEST else "altered"))
            continue
        listed = tagman.get(t)
        if listed is None:
            tm_bad.append(f"does not list {t}")
        elif listed == hashes[t]:
            if t == MANIFEST and manifest_suspect:
                findings.append(Finding(MANIFEST, "modified", "entries for " + ", ".join(manifest_suspect[:5])))
        else:
            ok = independently_intact(t)
            if ok is True:
                tm_bad.append(f"wrong checksum for {t}")
            else:
                findings.append(Finding(t, "modified", "SHA-256 differs from the tag manifest", expected=listed, actual=hashes[t]))
    if tagman is not None:
        for t, sha in tagman.items():
            if t in EXPECTED_TAGS:
                continue
            if t not in rel:
                tm_bad.append(f"lists {t}, which does not exist")
            elif hashes[t] != sha:
                findings.append(Finding(t, "modified", "SHA-256 differs from the tag manifest", expected=sha, actual=hashes[t]))
    elif TAGMANIFEST not in rel:
        findings.append(Finding(TAGMANIFEST, "missing", "required tag file"))
    if tm_bad:
        findings.append(Finding(TAGMANIFEST, "modified", "; ".join(tm_bad)))
    sig_files = {r: keep.get(r, b"") for r in rel if "/" not in r and SIGNATURE_FILE_RE.match(r)}
    for r in rel:
        if r.startswith("data/") or r in EXPECTED_TAGS or r == TAGMANIFEST or r in sig_files:
            continue
        if tagman is not None and r in tagman:
            continue
        findings.append(Finding(r, "extra", "not part of the bag", actual=hashes[r]))
    if PDF_PATH in rel and pdf_problem and not any(f.path == PDF_PATH for f in findings):
        findings.append(Finding(PDF_PATH, "inconsistent", pdf_problem))
    if v.recorded_digest and v.recorded_digest != v.content_digest:
        v.checks.append(Check("content digest", False,
                              f"the payload hashes to {v.content_digest}, the PDF records {v.recorded_digest}"))
    elif v.recorded_digest:
        v.checks.append(Check("content digest", True, f"sha256:{v.content_digest} matches the PDF"))
    elif PDF_PATH in rel and not pdf_problem:
        v.checks.append(Check("content digest", False, "the PDF records no content digest"))

    # ---- signatures (issue #5): the bag's tag manifest, and the PDF's own seal
    v.signature = check_signature(keep.get(TAGMANIFEST), sig_files, trust_cert=trust, trust_fingerprint=trust_fp)
    _judge_signature(v, "signature", v.signature)
    pdf_signed = pdf_file is not None and _pdf_has_signature(pdf_file)
    if pdf_file is not None and (v.signature.get("status") != "unsigned" or pdf_signed):
        v.pdf_signature = check_pdf_signature(pdf_file, trust_cert=trust, trust_fingerprint=trust_fp)
        _judge_signature(v, "PDF signature", v.pdf_signature)
    _claimed_signer_checks(v, doc, bag_info_fields(keep.get("bag-info.txt")), sig_files, pdf_file is not None)

    # ---- (issue #16 §4) the PDF re-rendered from the package's own data (desktop/export/rerender.py):
    # only for a package that passed every other check; a mismatch is tampering
    if rerender and pdf_file is not None and doc is not None and not findings and all(c.ok for c in v.checks):
        res = None
        if callable(rerender) and isinstance(src, _ZipSource) and _made_here_doc(keep.get("data/answers.json")):
            expect = {r: hashes[r] for r in (PDF_PATH, "data/answers.json", "data/program.yaml", *RERENDER_DOCS)
                      if r in hashes}
            res = rerender(src.path, actual_listing, expect)
        if res is None:
            res = _rerender_check(src, rel, keep, pdf_file, actual_listing, early)
        v.checks.append(Check("PDF re-render", res.ok, res.detail))
        if not res.ok:
            findings.append(Finding(PDF_PATH, "inconsistent", "pdf: does not match its data"))

    v.findings = _merge_renames(findings)
    content_ok = not v.findings and all(c.ok for c in v.checks)
    v.trust = _judge_trust(v, bool(trust or trust_fp))
    if not content_ok:
        v.status = "tampered"
    elif v.trust["required"] and not v.trust["met"]:
        v.status = "untrusted"
    else:
        v.status = "intact"


def _rerender_check(src, rel: dict[str, str], keep: dict[str, bytes], pdf_file: Path, listing: bytes,
                    early: "_Early | None" = None):
    """desktop.export.rerender.check on this package's files (the one started while the pool
    hashed, when it rendered from exactly this listing)."""
    bg = early.render if early is not None else None
    if bg is not None:
        res = bg.result(listing, early.hashes)
        if res is not None:
            return res
    return _rerender(src.chunks, rel, keep, pdf_file.read_bytes(), listing)


def _made_here_doc(answers: bytes | None) -> bool:
    """Whether this build can re-render (else the check says so at once: no worker is needed)."""
    if answers is None:
        return False
    from .rerender import made_here

    try:
        return made_here(answers)
    except Exception:  # noqa: BLE001 - the check in this thread reports what is wrong with it
        return False


def rerender_documents(src, wanted) -> "tuple[dict[str, str], dict[str, bytes]] | None":
    """(bag path -> entry name, {bag path: bytes}) of the `wanted` documents the package holds, read
    whole, for a re-render in another process (the desk's pool, verify's forked child); None when
    one of them is larger than verify reads whole."""
    root = _find_root(src.names())
    rel = {n[len(root):]: n for n in src.names() if n.startswith(root)}
    docs: dict[str, bytes] = {}
    for r in wanted:
        if r in rel:
            if src.size(rel[r]) > (MAX_PDF if r == PDF_PATH else MAX_SMALL_FILE):
                return None
            docs[r] = b"".join(bytes(c) for c in src.chunks(rel[r]))
    return rel, docs


def render_in_process(path: str, listing: bytes, expect: dict[str, str]):
    """The re-render check of the package zip at `path`, run in a process of its own (the desk's
    intake: the layout is pure Python, so threads would share one core). `expect`: the SHA-256 the
    caller hashed for each document; None (render in the caller instead) when the file does not
    hold those bytes any more, or cannot be read."""
    try:
        src = _ZipSource(Path(path))
    except Unreadable:
        return None
    try:
        got = rerender_documents(src, list(expect))
        if got is None:
            return None
        rel, docs = got
        if set(docs) != set(expect) or any(hashlib.sha256(docs[r]).hexdigest() != sha for r, sha in expect.items()):
            return None
        if PDF_PATH not in docs or "data/answers.json" not in docs:
            return None
        pdf_bytes = docs.pop(PDF_PATH)
        return _rerender(src.chunks, rel, docs, pdf_bytes, listing)
    except (Unreadable, OSError, ValueError, KeyError, zipfile.BadZipFile, struct.error):
        return None
    finally:
        src.close()


def _rerender(chunks, rel: dict[str, str], keep: dict[str, bytes], pdf_bytes: bytes, listing: bytes, task=None):
    from .rerender import check

    def read(path: str) -> Iterator[bytes]:
        if path not in rel:
            raise KeyError(path)
        for chunk in chunks(rel[path]):
            yield bytes(chunk)

    return check(pdf_bytes=pdf_bytes, answers_bytes=keep["data/answers.json"],
                 program_yaml=keep.get("data/program.yaml", b""), listing=listing, read=read,
                 extras_docs={p: keep[p] for p in RERENDER_DOCS if p in keep}, task=task)


class _Render(DoneCallbacks):
    """The re-render on its own thread, from the listing the PDF claims (reads evidence through
    handles of its own: `src.own_chunks`)."""

    def __init__(self, src, rel: dict[str, str], keep: dict[str, bytes], pdf_bytes: bytes, listing: bytes):
        super().__init__()
        self.listing = listing
        self.out: Any = None
        self.error: BaseException | None = None
        docs = dict(keep)  # the kept documents do not change, but the dict may
        from ..tasks import TaskState

        self.task = TaskState()

        def run() -> None:
            try:
                self.out = _rerender(src.own_chunks, rel, docs, pdf_bytes, listing, self.task)
            except BaseException as e:  # noqa: BLE001 - re-run on the main thread, which reports it
                self.error = e
            finally:
                self.finished()

        self.thread = threading.Thread(target=run, name="dossier-verify-rerender", daemon=True)
        quick_switches(+1)
        try:
            self.thread.start()
        except BaseException:  # no thread: nothing to hand the GIL to
            self._joined = True
            quick_switches(-1)
            raise

    def stop(self) -> None:
        """Not needed (the package failed another check, or verify failed): cancel and wait."""
        self.task.cancel()
        self._join()

    def _join(self) -> None:
        if not self._joined:
            self.thread.join()
            self._joined = True
            quick_switches(-1)

    _joined = False

    def result(self, listing: bytes, hashes: "dict[str, str] | None" = None):
        """The verdict, if it was rendered from `listing` and did not fail; else None (`hashes`:
        for ForkedRender's face; this thread rendered from the very documents the caller kept)."""
        self._join()
        if self.error is not None or listing != self.listing:
            return None
        return self.out


SIGNATURE_OK = ("valid", "trusted")  # "trusted": valid and made by the identity the reviewer trusts


def _judge_signature(v: Verdict, name: str, res: dict[str, Any]) -> None:
    """A signature that does not verify is tampering. Whether a valid one is by the identity the
    reviewer trusts is a separate question (_judge_trust): it never makes a package "tampered"."""
    st = res.get("status")
    if st == "invalid":
        v.checks.append(Check(name, False, str(res.get("reason") or "the signature does not verify")))
    elif st in SIGNATURE_OK or st == "unknown_signer":
        v.checks.append(Check(name, True, str((res.get("message") or {}).get("en") or st)))


def _judge_trust(v: Verdict, required: bool) -> dict[str, Any]:
    """{"required", "met", "reason"}: with a trust required, both signatures present must be valid
    and by a trusted identity, and there must be at least one."""
    if not required:
        return {"required": False, "met": None, "reason": None}
    sigs = [s for s in (v.signature, v.pdf_signature) if s.get("status") != "unsigned"]
    if not sigs:
        return {"required": True, "met": False,
                "reason": {"en": "the package is not signed, but a signature by a trusted identity is required",
                           "zh": "数据包未签章，但要求由受信任的身份签章"}}
    bad = [s for s in sigs if s.get("status") not in SIGNATURE_OK]
    if not bad:
        return {"required": True, "met": True, "reason": None}
    s = bad[0]
    if s.get("status") == "not_checked":
        return {"required": True, "met": False,
                "reason": {"en": "signature checking is not available in this build", "zh": "此版本无法校验签章"}}
    who = s.get("signer") or "?"
    dfp = s.get("display_fingerprint") or s.get("fingerprint") or "?"
    return {"required": True, "met": False,
            "reason": {"en": f"signed by {who} (fingerprint {dfp}), not by a trusted identity",
                       "zh": f"签章人为 {who}（指纹 {dfp}），不是受信任的身份"}}


def bag_info_fields(raw: bytes | None) -> dict[str, list[str]] | None:
    """bag-info.txt as label → values (RFC 8493 §2.2.2: `Label: value`, continuation lines start
    with whitespace), or None when it cannot be read."""
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    out: dict[str, list[str]] = {}
    last: tuple[str, int] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[:1] in (" ", "\t") and last is not None:
            k, i = last
            out[k][i] += " " + line.strip()
            continue
        k, sep, val = line.partition(":")
        if not sep:
            return None
        k = k.strip()
        out.setdefault(k, []).append(val.strip())
        last = (k, len(out[k]) - 1)
    return out


def _claimed_signer_checks(v: Verdict, doc: dict | None, info: dict[str, list[str]] | None,
                           sig_files: dict[str, bytes], has_pdf: bool) -> None:
    """A signature the package claims (answers.json `sealer`, bag-info's Dossier-Signer-Fingerprint)
    must be there, on the bag and on the PDF, and be by that signer; a signature it does not claim
    is a foreign addition. Either mismatch means the package was changed."""
    claimed = None
    if doc is not None and doc.get("sealer"):
        claimed = str(doc["sealer"].get("fingerprint") or "").lower() or None
    if claimed is None and info is not None and info.get("Dossier-Signer-Fingerprint"):
        claimed = info["Dossier-Signer-Fingerprint"][0].strip().lower() or None
    bag_st, pdf_st = v.signature.get("status"), v.pdf_signature.get("status")
    if claimed:
        if bag_st == "unsigned":
            v.checks.append(Check("signature", False, "the package names a signer (answers.json / bag-info.txt) but "
                                  "signature.p7s is missing: the signature was removed"))
        elif bag_st in ("trusted", "unknown_signer") and v.signature.get("fingerprint") != claimed:
            v.checks.append(Check("signature", False, "signature.p7s is by another signer than the one the package names"))
        if has_pdf and pdf_st == "unsigned":
            v.checks.append(Check("PDF signature", False, "the package names a signer but the PDF is not signed: "
                                  "its signature was removed"))
        elif pdf_st in ("trusted", "unknown_signer") and v.pdf_signature.get("fingerprint") != claimed:
            v.checks.append(Check("PDF signature", False, "the PDF is signed by another signer than the one the package names"))
    elif doc is not None:
        for name, st in (("signature", bag_st), ("PDF signature", pdf_st)):
            if st in ("trusted", "unknown_signer"):
                v.checks.append(Check(name, False, "signed, but answers.json names no signer (a signature was added)"))


def expected_bag_info(doc: dict, v: Verdict) -> bytes:
    """bag-info.txt as the export writes it for this answers.json, payload and recorded digest."""
    sealer = doc.get("sealer") or {}
    return bag_info_bytes(
        agent=f"{doc['generator']['name']} {doc['generator']['version']}", sealed_at=doc["sealed_at"],
        applicant=doc["applicant"]["zh"], program_key=f"{doc['program']['id']}@{doc['program']['version']}",
        program_title=doc["program"]["title"]["zh"], oxum_bytes=v.bytes, oxum_files=v.files,
        digest=v.recorded_digest or v.content_digest, status=doc["status"],
        signer_fingerprint=sealer.get("fingerprint") if sealer else None,
        package_id=(doc.get("package") or {}).get("id"), project_uuid=(doc.get("project") or {}).get("uuid"))


def _compare_bag_info(actual: bytes | None, expected: bytes, findings: list[Finding]) -> None:
    """Report each field of bag-info.txt that says something else than answers.json and the PDF."""
    if actual is None or actual == expected:
        return
    got, want = bag_info_fields(actual), bag_info_fields(expected) or {}
    if got is not None and any(f.path.startswith("data/") for f in findings):
        # a changed payload changes the Payload-Oxum it implies: that file is the finding, not bag-info
        got.pop("Payload-Oxum", None)
        want.pop("Payload-Oxum", None)
        if got == want:
            return
    if got is None:
        findings.append(Finding("bag-info.txt", "modified", "not a valid bag-info.txt"))
        return
    diffs = []
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            g = "; ".join(got.get(k, [])) or "(missing)"
            w = "; ".join(want.get(k, [])) or "(absent)"
            diffs.append(f"{k}: {g[:80]!r}, but answers.json/the PDF say {w[:80]!r}")
    findings.append(Finding("bag-info.txt", "modified", "; ".join(diffs[:4]) or "altered"))


def _pdf_has_signature(pdf_file: Path) -> bool:
    with open(pdf_file, "rb") as fh:
        return any(b"/ByteRange" in chunk for chunk in iter(lambda: fh.read(CHUNK), b""))


def check_pdf_signature(pdf_file: Path, *, trust_cert: bytes | None, trust_fingerprint: str | None) -> dict[str, Any]:
    try:
        from ..identity.verify import check_pdf_signature as check  # type: ignore[import-not-found]
    except ImportError as e:
        if isinstance(e, ModuleNotFoundError) and not (e.name or "").startswith("desktop.identity"):
            raise
        return {"status": "not_checked", "reason": "signature checking is not available in this build"}
    try:
        res = check(pdf_file, trust_cert_pem=trust_cert, trust_fingerprint=trust_fingerprint)
    except Exception as e:  # noqa: BLE001 - a checker that fails has not vouched for anything
        raise Unreadable(f"the PDF signature could not be checked ({type(e).__name__}: {e})",
                         f"无法校验 PDF 签名（{type(e).__name__}：{e}）") from None
    return dict(res.to_dict() if hasattr(res, "to_dict") else res)


def _merge_renames(findings: list[Finding]) -> list[Finding]:
    missing = [f for f in findings if f.kind == "missing" and f.expected]
    extra = [f for f in findings if f.kind == "extra" and f.actual]
    used: set[int] = set()
    out = [f for f in findings if f not in missing and f not in extra]
    for m in missing:
        hit = next((e for e in extra if id(e) not in used and e.actual == m.expected), None)
        if hit is not None:
            used.add(id(hit))
            out.append(Finding(m.path, "renamed", f"now {hit.path}", expected=m.expected, actual=hit.actual,
                               renamed_to=hit.path))
        else:
            out.append(m)
    out += [e for e in extra if id(e) not in used]
    order = {"modified": 0, "missing": 1, "renamed": 2, "extra": 3, "inconsistent": 4}
    merged: dict[tuple[str, str], Finding] = {}
    for f in out:  # one line per file and kind
        k = (f.path, f.kind)
        if k in merged:
            if f.detail and f.detail not in merged[k].detail:
                merged[k].detail = f"{merged[k].detail}; {f.detail}" if merged[k].detail else f.detail
        else:
            merged[k] = f
    return sorted(merged.values(), key=lambda f: (order.get(f.kind, 9), f.path))


def _read_pdf(pdf_file: Path) -> tuple[bytes | None, bytes | None, str, str]:
    """(embedded listing, embedded answers.json, recorded digest, problem)."""
    try:
        import pikepdf
    except ImportError:  # pragma: no cover - a dependency
        return None, None, "", "pikepdf is not installed"
    try:
        with pikepdf.open(pdf_file) as pdf:
            att = pdf.attachments
            listing = att[LISTING_NAME].get_file().read_bytes() if LISTING_NAME in att else None
            answers = att["answers.json"].get_file().read_bytes() if "answers.json" in att else None
            recorded = str(pdf.docinfo.get("/DossierContentDigest", "")) if pdf.docinfo is not None else ""
    except Exception as e:  # noqa: BLE001 - any parse failure of untrusted bytes
        return None, None, "", f"not a readable PDF ({type(e).__name__})"
    problem = ""
    if listing is None:
        problem = "it has no embedded content listing"
    elif not re.fullmatch(r"[0-9a-f]{64}", recorded or ""):
        problem = "it records no content digest"
        recorded = ""
    return listing, answers, recorded, problem


def _answers_checks(v: Verdict, keep: dict[str, bytes], rel: dict[str, str], actual: dict[str, str],
                    pdf_answers: bytes | None, findings: list[Finding], early: "_Early | None" = None) -> dict | None:
    from . import answers_json

    early = early or _Early()
    raw = keep.get("data/answers.json")
    if raw is None:
        if "data/answers.json" not in rel:
            v.checks.append(Check("answers.json", False, "data/answers.json is missing"))
        return None
    if pdf_answers is not None and pdf_answers != raw:
        v.checks.append(Check("answers.json", False, "differs from the copy sealed in the PDF"))
    try:
        doc = early.answers(raw)
    except answers_json.AnswersFormatError as e:
        v.checks.append(Check("answers.json schema", False, str(e)))
        return None
    v.checks.append(Check("answers.json schema", True, f"format {doc['format']} {doc['format_version']}"))
    v.program = {"id": doc["program"]["id"], "version": doc["program"]["version"],
                 "title_zh": doc["program"]["title"]["zh"], "title_en": doc["program"]["title"]["en"]}
    v.applicant = doc["applicant"]["zh"]
    v.sealed_at = doc["sealed_at"]
    v.package_id = (doc.get("package") or {}).get("id", "")
    v.project_uuid = (doc.get("project") or {}).get("uuid", "")
    v.draft = doc["status"] == "draft"
    # evidence listed in answers.json is in the payload with that hash
    missing = [e["path"] for e in doc["evidence"] if actual.get(e["path"]) not in (e["sha256"], None)]
    absent = [e["path"] for e in doc["evidence"] if e["path"] not in actual]
    if missing or absent:
        v.checks.append(Check("answers.json evidence", False,
                              "evidence does not match answers.json: " + ", ".join((missing + absent)[:5])))
    y = keep.get("data/program.yaml")
    if y is None:
        if "data/program.yaml" not in rel:
            v.checks.append(Check("program.yaml", False, "data/program.yaml is missing"))
        elif rel:
            v.checks.append(Check("program.yaml", False, "too large to be a program definition; not parsed"))
        return doc
    if hashlib.sha256(y).hexdigest() != doc["program"]["definition_sha256"]:
        v.checks.append(Check("program.yaml", False, "differs from the definition answers.json was made with; not parsed"))
        return doc  # never parse a file whose hash already failed
    if any(f.path == "data/program.yaml" for f in findings):
        return doc
    if len(y) > MAX_DEFINITION:
        v.checks.append(Check("program.yaml", False, f"larger than {MAX_DEFINITION >> 20} MiB; not parsed"))
        return doc
    try:
        from ..errors import DossierError

        prog = early.program(y)
        if isinstance(prog, str):  # refused before parsing (alias bomb)
            v.checks.append(Check("program.yaml", False, prog))
            return doc
    except (DossierError, UnicodeDecodeError, RecursionError, ValueError) as e:
        v.checks.append(Check("program.yaml", False, f"not a valid program definition: {str(e)[:200]}"))
        return doc
    problems = answers_json.check_against_program(doc, prog)
    v.checks.append(Check("answers.json vs program.yaml", not problems, "; ".join(problems[:5]) or
                          f"{len(doc['answers'])} answers fit {prog.id} {prog.version}"))
    return doc


def yaml_expansion_problem(data: bytes, limit: int = MAX_YAML_NODES) -> str | None:
    """Why this YAML must not be parsed into data, or None.

    Parsing the event stream is linear in the text; what explodes is building the data, where
    every alias is expanded. So count, per anchor, the nodes its expansion makes (an alias adds the
    count of its anchor, not a copy), and refuse recursive aliases and anything above `limit`: the
    "billion laughs" bomb is a few hundred bytes that expand to 10^9 nodes."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, nodes so far] per open collection
    try:
        for ev in yaml.parse(text, Loader=loader_cls):
            if isinstance(ev, yaml.AliasEvent):
                if ev.anchor not in sizes:
                    return "it has a recursive or undefined YAML alias; not parsed"
                stack[-1][1] += sizes[ev.anchor]
            elif isinstance(ev, yaml.ScalarEvent):
                stack[-1][1] += 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
            elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append([ev.anchor, 1])
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, n = stack.pop()
                stack[-1][1] += n
                if anchor:
                    sizes[anchor] = n
            else:
                continue
            if stack[-1][1] > limit:
                return f"its YAML aliases expand to more than {limit:,} nodes (an alias bomb?); not parsed"
    except yaml.YAMLError as e:
        return f"not valid YAML: {str(e).splitlines()[0][:160]}"
    return None


def verdict_lines(v: Verdict, lang: str = "en") -> list[str]:
    """Human-readable verdict for the CLI (and the UI's text view)."""
    zh = lang == "zh"
    out = []
    head = HEADLINES[v.status]
    out.append(f"{head[0] if zh else head[1]}: {v.package}")
    if v.volume:
        vol = v.volume
        out.append(f"  {'卷' if zh else 'volume:'}         " + (f"第 {vol['index']} 卷，共 {vol['count']} 卷" if zh else
                                                             f"part {vol['index']} of {vol['count']}"))
    for n in v.notes:
        out.append(f"  {n}")
    if v.status == "unreadable":
        errs = v.errors_zh if zh and len(v.errors_zh) == len(v.errors) else v.errors
        out += [f"  {e}" for e in errs]
        return out
    if v.status == "untrusted":
        reason = (v.trust.get("reason") or {}).get("zh" if zh else "en", "")
        out.append(("  内容完好，但" if zh else "  content intact, but ") + reason)
    if v.program:
        out.append(f"  program:        {v.program['id']} {v.program['version']} — {v.program['title_zh']}")
    if v.applicant:
        out.append(f"  applicant:      {v.applicant}")
    if v.sealed_at:
        out.append(f"  sealed at:      {v.sealed_at}" + ("  (DRAFT)" if v.draft else ""))
    if v.package_id:
        out.append(f"  package id:     {v.package_id}")
    out.append(f"  content digest: sha256:{v.content_digest}")
    if v.recorded_digest and v.recorded_digest != v.content_digest:
        out.append(f"  PDF records:    sha256:{v.recorded_digest}")
    out.append(f"  payload:        {v.files} files, {v.bytes} bytes")
    sig = v.signature

    def sig_line(label: str, d: dict) -> None:
        # the reviewer reads this aloud to the sender: status in words, signer, fingerprint in groups of four
        msg = d.get("message") or {}
        text = msg.get(lang) or msg.get("en") if isinstance(msg, dict) else None
        line = f"  {label}{d.get('status')}"
        if text:
            line += f" — {text}"
        elif d.get("signer") or d.get("reason"):
            line += f" — {d.get('signer') or d.get('reason')}"
        out.append(line)
        fp = d.get("display_fingerprint") or d.get("fingerprint")
        if fp and d.get("status") != "unsigned" and not (text and fp in text):
            out.append(f"  {'signer:':<16}{d.get('signer') or ''}")
            out.append(f"  {'fingerprint:':<16}{fp}")

    sig_line("signature:      ", sig)
    if v.pdf_signature.get("status") != "unsigned" or sig.get("status") != "unsigned":
        sig_line("PDF signature:  ", v.pdf_signature)
    for f in v.findings:
        out.append("  " + f.line())
    for c in v.checks:
        if not c.ok:
            out.append(f"  check failed:   {c.name}: {c.detail}")
        elif c.name == "PDF re-render":
            out.append(f"  PDF:            {c.detail}")
    return out
