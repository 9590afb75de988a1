"""The data package: a BagIt bag (RFC 8493) serialised as a deterministic zip.

Layout inside the zip (one top-level folder named like the zip, as BagIt serialisation expects)::

    <name>/bagit.txt
    <name>/bag-info.txt
    <name>/manifest-sha256.txt
    <name>/data/submission.pdf
    <name>/data/answers.json
    <name>/data/answers.xlsx
    <name>/data/program.yaml
    <name>/data/evidence/<indicator>/<file>
    <name>/tagmanifest-sha256.txt          (bagit.txt, bag-info.txt, manifest-sha256.txt)
    <name>/signature.p7s, signer-cert.pem  (only when sealed with a signing identity; these sign
                                            tagmanifest-sha256.txt and are not listed in it)

The central directory lists the entries in that fixed order; in the file the evidence comes first
(`physical_order`: an export writes it while it makes the documents). Entries are ZIP_STORED
(evidence is usually compressed already, and
stored entries are byte-identical on every zlib), with the seal time as their time, Unix mode
0644, and the UTF-8 flag (bit 11) set on every name. Evidence is streamed chunk by chunk from the
project into the zip while it is hashed: memory does not grow with evidence size.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from typing import BinaryIO, Iterable

from .. import fastzlib  # noqa: F401 - importing it gives zipfile the SIMD CRC-32 (writes and verify's reads)
from ..tasks import TaskState

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
# tag files a signing identity may add (desktop.identity); they sign tagmanifest-sha256.txt
SIGNATURE_FILE_RE = re.compile(r"^(signature|signer)[A-Za-z0-9._-]{0,60}$")
UTF8_FLAG = 0x800


class EvidenceChanged(Exception):
    """The bytes read from the project do not match the recorded SHA-256."""

    def __init__(self, path: str, expected: str, actual: str):
        super().__init__(path)
        self.path, self.expected, self.actual = path, expected, actual


class Stopped(Exception):
    """A writer on another thread was told to stop (its caller failed or was cancelled)."""


class _Utf8ZipInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is always flagged UTF-8 (bit 11), even when it is plain ASCII."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("utf-8"), self.flag_bits | UTF8_FLAG


def manifest_bytes(entries: Iterable[tuple[str, str]]) -> bytes:
    """`<sha256>  <path>` lines sorted by path (the format sha256sum -c and bagit both read)."""
    return "".join(f"{sha}  {path}\n" for path, sha in sorted(entries, key=lambda e: e[0].encode("utf-8"))).encode("utf-8")


def _one_line(v: str) -> str:
    return " ".join(str(v).split())


def bag_info_bytes(*, agent: str, sealed_at: str, applicant: str, program_key: str, program_title: str,
                   oxum_bytes: int, oxum_files: int, digest: str, status: str, signer_fingerprint: str | None,
                   package_id: str | None = None, project_uuid: str | None = None) -> bytes:
    """bag-info.txt. Every value is derived from answers.json, the payload sizes and the content
    digest, so `dossier verify` can tell a modified bag-info.txt from a modified tag manifest."""
    lines = [
        ("Bag-Software-Agent", agent),
        ("Bagging-Date", sealed_at[:10]),
        ("Source-Organization", applicant),
        ("External-Identifier", program_key),
        ("External-Description", program_title),
        ("Payload-Oxum", f"{oxum_bytes}.{oxum_files}"),
        ("Dossier-Content-Digest", f"sha256:{digest}"),
        ("Dossier-Sealed-At", sealed_at),
        ("Dossier-Status", status),
    ]
    if signer_fingerprint:
        lines.append(("Dossier-Signer-Fingerprint", signer_fingerprint))
    # the package's identity (answers.json package.id / project.uuid; checked by verify)
    if package_id:
        lines.append(("Dossier-Package-Id", package_id))
    if project_uuid:
        lines.append(("Dossier-Project-UUID", project_uuid))
    return "".join(f"{k}: {_one_line(v)}\n" for k, v in lines if _one_line(v)).encode("utf-8")


def dos_date_time(t: tuple) -> tuple[int, int, int, int, int, int]:
    """The time stamp as a zip stores it (and reads it back): 1980 at the earliest, even seconds."""
    t = tuple(int(x) for x in t[:6])
    if t[0] < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return t[:5] + (t[5] - t[5] % 2,)


def zip_min_size(root: str, entries: Iterable[tuple[str, int]]) -> int:
    """The fewest bytes the zip BagZipWriter makes of `entries` (path, size) can take: a local
    header and a central record per entry, each with the name, and the end record (zip64 extras
    and records only add to it)."""
    return 22 + sum(30 + 46 + 2 * len(f"{root}/{path}".encode("utf-8")) + size for path, size in entries)


EVIDENCE_PREFIX = "data/evidence/"


def is_evidence(path: str) -> bool:
    return path.startswith(EVIDENCE_PREFIX)


def physical_order(paths: list[str]) -> list[str]:
    """Where the entries lie in the zip: the evidence files first, then the tag files and the
    documents, each group in the package's order; the central directory lists them in the
    package's order (BagZipWriter.close). The evidence needs nothing of the documents, so an
    export writes it while it makes them (desktop/export/writer.py); every zip of a package —
    exported, or put back together from volumes or a delta — is laid out by this one rule, so
    they are byte-identical (issue #17)."""
    return [p for p in paths if is_evidence(p)] + [p for p in paths if not is_evidence(p)]


class BagZipWriter:
    """Writes the bag's zip entries in order; every entry under `root/`."""

    def __init__(self, fh: BinaryIO, root: str, date_time: tuple[int, int, int, int, int, int]):
        self.root = root
        self.date_time = dos_date_time(date_time)
        self.zip = zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True)

    def _info(self, path: str, size: int) -> zipfile.ZipInfo:
        zi = _Utf8ZipInfo(f"{self.root}/{path}", date_time=self.date_time)
        zi.compress_type = zipfile.ZIP_STORED
        zi.create_system = 3  # Unix: the same bytes on every OS
        zi.external_attr = 0o100644 << 16  # regular file, rw-r--r--
        zi.file_size = size  # lets zipfile choose zip64 up front for > 4 GiB entries
        return zi

    def add_bytes(self, path: str, data: bytes) -> str:
        with self.zip.open(self._info(path, len(data)), "w") as w:
            w.write(data)
        return hashlib.sha256(data).hexdigest()

    def add_stream(self, path: str, size: int, chunks: Iterable[bytes], *, expected_sha256: str | None = None,
                   task: TaskState | None = None, hashed=None, kick=None, stop=None,
                   expected_crc32: int | None = None) -> str:
        """Stream an entry. `hashed`: `chunks` hashes itself on another thread (its `sha256` is the
        digest once exhausted: desktop.project.streaming.HashedPrefetch), so this thread only
        checksums (CRC-32) and writes. `expected_crc32`: the bytes are checked by the CRC-32 the
        zip computes anyway, against this record, and not hashed at all (`expected_sha256` is then
        taken as it is: the project recorded both from the same bytes). `kick`: a WritebackKicker
        for the zip file. `stop`: a threading.Event that ends the entry (Stopped) at its next chunk."""
        h = None if hashed is not None or expected_crc32 is not None else hashlib.sha256()
        n = 0
        zi = self._info(path, size)
        with self.zip.open(zi, "w", force_zip64=size >= 0xFFFFFFFF) as w:
            for chunk in chunks:
                if stop is not None and stop.is_set():
                    raise Stopped()
                if h is not None:
                    h.update(chunk)
                w.write(chunk)
                n += len(chunk)
                if kick is not None:
                    kick.advance(len(chunk))
                if task is not None:
                    task.advance(len(chunk))
        if expected_crc32 is not None:
            if n != size or zi.CRC != expected_crc32:
                raise EvidenceChanged(path, f"CRC-32 {expected_crc32:08x}", f"CRC-32 {zi.CRC:08x}")
            return expected_sha256 or ""
        sha = hashed.sha256 if hashed is not None else h.hexdigest()
        if n != size or (expected_sha256 and sha != expected_sha256):
            raise EvidenceChanged(path, expected_sha256 or "", sha or "")
        return sha

    def close(self, order: list[str] | None = None) -> None:
        """Finish the zip. `order`: the entries (paths from the bag root) in the package's order,
        for the central directory, whatever order they were written in (physical_order)."""
        if order is not None:
            rank = {f"{self.root}/{p}": i for i, p in enumerate(order)}
            self.zip.filelist.sort(key=lambda zi: rank.get(zi.filename, len(rank)))
        self.zip.close()

    def abort(self) -> None:
        """Forget the half-written archive (the caller deletes the file) without finishing it."""
        self.zip._writing = False  # noqa: SLF001 - an open entry writer must not block this
        self.zip.fp = None  # ZipFile.close()/__del__ then do nothing
