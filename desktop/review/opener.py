"""Opening one package for intake: the single seam where split volumes, encrypted packages and
deltas plug in (desktop.transport.open_package, issue #12), and reading the package's documents.

`open_package(path)` gives a zip that `desktop.export.verify.verify_package` can read. Today that
is the file itself; when desktop.transport exists, its `open_package` reassembles volumes,
decrypts or applies a delta into a private temporary folder and intake verifies and stores that.

Documents are read from the zip only after verify has checked its central directory (no unsafe
names, links, bombs or overlaps), and each read is capped at verify's limit for small files.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
MAX_DOCUMENT = 64 << 20  # as desktop.export.verify.MAX_SMALL_FILE


@dataclass
class OpenedPackage:
    path: Path  # the zip to verify and store
    source: Path  # what the user gave
    notes: list[str] = field(default_factory=list)  # e.g. "reassembled from 3 volumes"
    cleanup: Callable[[], None] = lambda: None


def open_package(path: Path, members: list[Path] | None = None, *, delta_as_is: bool = False) -> OpenedPackage:
    """The package at `path`, as a zip verify can read (see the module docstring). `members`: the
    volumes of the split package `path` is one of (desktop.review.intake.volume_set)."""
    try:
        transport = importlib.import_module("desktop.transport")
    except ModuleNotFoundError as e:
        if e.name not in ("desktop.transport",):
            raise
        transport = None
    opener = getattr(transport, "open_package", None) if transport is not None else None
    if opener is not None and (members or not _is_plain_zip(path)):
        res = opener(list(members or [path]), delta_as_is=delta_as_is)  # volumes / encrypted / delta → a zip in a private temp folder (desktop.transport.Opened)
        if res.zip is None:  # one volume on its own, or a volume set with parts missing
            res.close()
            from ..errors import DossierError

            vol = res.volume or {}
            what = (f"volume {vol['index']} of {vol['count']}" if vol.get("index") else "an incomplete volume set")
            detail = "; ".join(res.problems)
            raise DossierError(
                f"{path.name} is {what} of a package: add all its volumes together (the files, or their folder)"
                + (f" — {detail}" if detail else ""),
                f"{path.name} 是数据包的{'第 %s 卷（共 %s 卷）' % (vol['index'], vol['count']) if vol.get('index') else '不完整的分卷'}："
                "请把所有分卷一起添加（这些文件或其所在文件夹）" + (f"——{detail}" if detail else ""),
                key="review.lone_volume")
        return OpenedPackage(Path(res.zip), path, list(res.notes), res.close)
    return OpenedPackage(path, path)


def _is_plain_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in ZIP_MAGIC
    except OSError:
        return False


def looks_like_zip(path: Path) -> bool:
    return _is_plain_zip(path)


def first_entry_name(path: Path) -> str:
    """The name in the zip's first local header ('' when there is none). A Dossier package starts
    with its bag's first evidence file (or, without evidence and before Dossier laid evidence out
    first, desktop.export.bag.physical_order, its bagit.txt), so a damaged copy can still be told
    from a stray zip."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                return ""
            n = int.from_bytes(head[26:28], "little")
            return fh.read(min(n, 1024)).decode("utf-8", "replace")
    except OSError:
        return ""


def starts_like_package(path: Path) -> bool:
    name = first_entry_name(path)
    if name == "bagit.txt" or (name.endswith("/bagit.txt") and name.count("/") == 1):
        return True
    root, _, rest = name.partition("/")
    return bool(root) and rest.startswith("data/evidence/") and len(rest) > len("data/evidence/")


def structure_intact(path: Path) -> bool:
    """True when the file ends with an end-of-central-directory record whose directory ends where
    that record begins — as every complete zip does. A copy cut short does not (and may even end
    inside a zip stored within it, e.g. an .xlsx evidence file, whose own record points elsewhere)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            start = max(0, size - (65535 + 22 + 20))
            fh.seek(start)
            tail = fh.read()
            i = tail.rfind(b"PK\x05\x06")
            while i >= 0:
                if i + 22 <= len(tail) and i + 22 + int.from_bytes(tail[i + 20:i + 22], "little") == len(tail):
                    break
                i = tail.rfind(b"PK\x05\x06", 0, i)
            if i < 0:
                return False
            eocd = start + i
            cd_size = int.from_bytes(tail[i + 12:i + 16], "little")
            cd_off = int.from_bytes(tail[i + 16:i + 20], "little")
            if 0xFFFFFFFF in (cd_size, cd_off):  # zip64: the locator just before the record names the real one
                if i < 20 or tail[i - 20:i - 16] != b"PK\x06\x07":
                    return False
                z64 = int.from_bytes(tail[i - 12:i - 4], "little")
                fh.seek(z64)
                rec = fh.read(56)
                if len(rec) < 56 or rec[:4] != b"PK\x06\x06":
                    return False
                cd_size = int.from_bytes(rec[40:48], "little")
                cd_off = int.from_bytes(rec[48:56], "little")
                eocd = z64
            return cd_off + cd_size == eocd
    except OSError:
        return False


def read_member(path: Path, name: str, cap: int = MAX_DOCUMENT) -> bytes | None:
    """One member's bytes (None when absent, larger than `cap` or unreadable)."""
    try:
        with zipfile.ZipFile(path) as z:
            try:
                zi = z.getinfo(name)
            except KeyError:
                return None
            if zi.file_size > cap:
                return None
            with z.open(zi) as fh:
                data = fh.read(cap + 1)
            return data if len(data) <= cap else None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None


def bag_path(root: str, rel: str) -> str:
    return f"{root}/{rel}" if root else rel


def read_answers(path: Path, root: str, *, schema_checked: bool = False) -> dict[str, Any] | None:
    """The package's answers.json as checked by its documented schema, or None. `schema_checked`:
    verify has just checked these bytes against the schema (its check passed), so only parse."""
    import json

    from ..export import answers_json

    raw = read_member(path, bag_path(root, "data/answers.json"))
    if raw is None:
        return None
    if schema_checked:
        with contextlib.suppress(UnicodeDecodeError, ValueError, RecursionError):
            doc = json.loads(raw.decode("utf-8"))
            if isinstance(doc, dict):
                return doc
    with contextlib.suppress(answers_json.AnswersFormatError, RecursionError):
        return answers_json.loads(raw)
    return None


def read_text(path: Path, root: str, rel: str) -> str | None:
    raw = read_member(path, bag_path(root, rel))
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
