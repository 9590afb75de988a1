"""Resubmission deltas: only what changed since a package the reviewer already has.

A delta `<base>_delta.zip` is a BagIt bag under `<base>_delta/` that carries:
- the new package's PDF, answers.json and every other document (always, so the reviewer reads the
  new application from the delta alone), and the evidence files whose bytes the basis lacks;
- the new package's own tag files byte for byte under `package/` (its full manifest-sha256.txt,
  bag-info.txt, tag manifest and signature files);
- `dossier-delta.json` (format "dossier-delta"): the basis (package id, content digest, SHA-256
  of its manifest-sha256.txt) and every entry of the new package in order, each with its size and
  SHA-256 and whether its bytes are in the delta or in the basis (found there by SHA-256).

`dossier verify DELTA --basis PREVIOUS.zip` rebuilds the new package from the two and verifies it:
the verdict is the one the full export would get. A missing basis, or a basis that is not the one
the delta names, is said plainly.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..errors import DossierError
from ..export.bag import BAGIT_TXT, MANIFEST, TAGMANIFEST, BagZipWriter, manifest_bytes
from ..export.digest import parse_listing
from .layout import Entry, Layout, PartMismatch, open_zip, read_layout, write_package

INDEX_NAME = "dossier-delta.json"
FORMAT = "dossier-delta"
FORMAT_VERSION = 1
MAX_INDEX = 64 << 20
ORIGINAL_TAGS = "package/"


class DeltaError(DossierError):
    pass


@dataclass
class Basis:
    """What a delta is made against: a package's identity and its payload listing (path → sha256)."""

    package_id: str
    content_digest: str
    manifest_sha256: str
    files: dict[str, str]
    label: str = ""

    def to_dict(self) -> dict:
        return {"package_id": self.package_id, "content_digest": self.content_digest,
                "manifest_sha256": self.manifest_sha256}


def basis_from_zip(path: Path) -> Basis:
    """The basis identity of a package zip (its manifest and bag-info), reading nothing else."""
    from ..export.verify import bag_info_fields

    src = open_zip(path)
    try:
        names = src.names()
        roots = {n.split("/", 1)[0] for n in names}
        if len(roots) != 1:
            raise DeltaError(f"{path.name} is not a Dossier package", f"{path.name} 不是 Dossier 数据包", key="transport.not_package")
        root = roots.pop()
        man_name, info_name = f"{root}/{MANIFEST}", f"{root}/bag-info.txt"
        if man_name not in src.entries or src.size(man_name) > MAX_INDEX:
            raise DeltaError(f"{path.name} has no readable manifest-sha256.txt", f"{path.name} 缺少可读的 manifest-sha256.txt",
                             key="transport.not_package")
        man = b"".join(bytes(c) for c in src.chunks(man_name))
        info = bag_info_fields(b"".join(bytes(c) for c in src.chunks(info_name))) if info_name in src.entries else None
        if (info or {}).get("Dossier-Volume-Set") or (info or {}).get("Dossier-Delta-Basis"):
            raise DeltaError(f"{path.name} is a volume or a delta, not a whole package: put it together first "
                             "(dossier reassemble)", f"{path.name} 是分卷或增量包，不是完整数据包：请先合并（dossier reassemble）",
                             key="transport.basis_not_whole")
        try:
            files = parse_listing(man)
        except (ValueError, UnicodeDecodeError):
            raise DeltaError(f"{path.name}: manifest-sha256.txt is malformed", f"{path.name}：manifest-sha256.txt 格式有误",
                             key="transport.not_package") from None
        first = lambda k: ((info or {}).get(k) or [""])[0]  # noqa: E731
        return Basis(first("Dossier-Package-Id"), first("Dossier-Content-Digest").split(":", 1)[-1],
                     hashlib.sha256(man).hexdigest(), files, label=path.name)
    finally:
        src.close()


def build_delta(new_zip: Path, basis: Basis, target: Path, *, task=None) -> dict:
    """Write the delta of `new_zip` against `basis` to `target` (a temporary name); returns its index."""
    src = open_zip(new_zip)
    try:
        layout = read_layout(src)
        have = set(basis.files.values())
        entries = []
        carried: list[Entry] = []
        for e in layout.entries:
            tag = not e.path.startswith("data/")
            doc = e.path.startswith("data/") and not e.path.startswith("data/evidence/")
            if tag:
                entries.append({**e.to_dict(), "from": "delta", "as": ORIGINAL_TAGS + e.path})
            elif doc or e.sha256 not in have:
                entries.append({**e.to_dict(), "from": "delta"})
                carried.append(e)
            else:
                entries.append({**e.to_dict(), "from": "basis"})
        new_info = _info(src, layout)
        index = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "generator": {"name": "Dossier", "version": __version__},
            "basis": basis.to_dict(),
            "package": {"id": new_info.get("Dossier-Package-Id", ""), "root": layout.root, "name": f"{layout.root}.zip",
                        "date_time": list(layout.date_time),
                        "content_digest": new_info.get("Dossier-Content-Digest", "").split(":", 1)[-1]},
            "entries": entries,
        }
        index_bytes = (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        root = f"{layout.root}_delta"
        man = manifest_bytes([(e.path, e.sha256) for e in carried])
        info = _delta_bag_info(new_info, basis, sum(e.size for e in carried), len(carried), hashlib.sha256(index_bytes).hexdigest())
        tags = [("bagit.txt", BAGIT_TXT), ("bag-info.txt", info), (MANIFEST, man)]
        for e in layout.entries:
            if not e.path.startswith("data/"):
                tags.append((ORIGINAL_TAGS + e.path, b"".join(bytes(c) for c in src.chunks(f"{layout.root}/{e.path}"))))
        tags.append((INDEX_NAME, index_bytes))
        tm = manifest_bytes([(p, hashlib.sha256(d).hexdigest()) for p, d in tags])
        with open(target, "wb") as fh:
            zw = BagZipWriter(fh, root, layout.date_time)
            try:
                for p, d in tags[:3]:
                    zw.add_bytes(p, d)
                for e in carried:
                    zw.add_stream(e.path, e.size, src.chunks(f"{layout.root}/{e.path}"),
                                  expected_sha256=e.sha256, task=task)
                for p, d in tags[3:]:
                    zw.add_bytes(p, d)
                zw.add_bytes(TAGMANIFEST, tm)
                zw.close()
            except BaseException:
                zw.abort()
                raise
            fh.flush()
            os.fsync(fh.fileno())
        return index
    finally:
        src.close()


def _info(src, layout: Layout) -> dict[str, str]:
    from ..export.verify import bag_info_fields

    raw = b"".join(bytes(c) for c in src.chunks(f"{layout.root}/bag-info.txt")) if layout.get("bag-info.txt") else b""
    return {k: v[0] for k, v in (bag_info_fields(raw) or {}).items()}


def _delta_bag_info(new: dict[str, str], basis: Basis, nbytes: int, nfiles: int, index_sha: str) -> bytes:
    lines = [
        ("Bag-Software-Agent", f"Dossier {__version__}"),
        ("Bagging-Date", new.get("Bagging-Date", "")),
        ("Source-Organization", new.get("Source-Organization", "")),
        ("External-Identifier", new.get("External-Identifier", "")),
        ("External-Description", new.get("External-Description", "")),
        ("Payload-Oxum", f"{nbytes}.{nfiles}"),
        ("Dossier-Package-Id", new.get("Dossier-Package-Id", "")),
        ("Dossier-Content-Digest", new.get("Dossier-Content-Digest", "")),
        ("Dossier-Delta-Basis", basis.package_id or "-"),
        ("Dossier-Delta-Basis-Digest", f"sha256:{basis.content_digest}" if basis.content_digest else ""),
        ("Dossier-Delta-Basis-Manifest", f"sha256:{basis.manifest_sha256}"),
        ("Dossier-Delta-Index", f"sha256:{index_sha}"),
    ]
    return "".join(f"{k}: {' '.join(v.split())}\n" for k, v in lines if v).encode("utf-8")


# ------------------------------------------------------------------------------------------ reading


def is_delta(src) -> tuple[str, dict] | None:
    """(root, bag-info fields) when an opened zip is a delta package, else None."""
    from ..export.verify import bag_info_fields

    roots = {n.split("/", 1)[0] for n in src.names() if "/" in n}
    if len(roots) != 1:
        return None
    root = roots.pop()
    bi = f"{root}/bag-info.txt"
    if bi not in src.entries or src.size(bi) > 1 << 20:
        return None
    info = bag_info_fields(b"".join(bytes(c) for c in src.chunks(bi))) or {}
    if not info.get("Dossier-Delta-Basis-Manifest"):
        return None
    return root, {k: v[0] for k, v in info.items()}


def read_index(src, root: str, info: dict[str, str]) -> dict:
    name = f"{root}/{INDEX_NAME}"
    if name not in src.entries:
        raise DeltaError(f"the delta has no {INDEX_NAME}", f"增量包缺少 {INDEX_NAME}", key="transport.bad_delta")
    if src.size(name) > MAX_INDEX:
        raise DeltaError(f"{INDEX_NAME} is too large; refused", f"{INDEX_NAME} 过大，已拒绝", key="transport.bad_delta")
    raw = b"".join(bytes(c) for c in src.chunks(name))
    if "sha256:" + hashlib.sha256(raw).hexdigest() != info.get("Dossier-Delta-Index"):
        raise DeltaError(f"{INDEX_NAME} does not match the delta's bag-info.txt (altered?)",
                         f"{INDEX_NAME} 与增量包的 bag-info.txt 不一致（可能被改动）", key="transport.bad_delta")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DeltaError(f"{INDEX_NAME} is not valid JSON", f"{INDEX_NAME} 不是有效的 JSON", key="transport.bad_delta") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DeltaError(f"{INDEX_NAME} is not a Dossier delta index", f"{INDEX_NAME} 不是 Dossier 增量索引", key="transport.bad_delta")
    if not isinstance(doc.get("format_version"), int) or doc["format_version"] > FORMAT_VERSION:
        raise DeltaError(f"the delta has format_version {doc.get('format_version')}, newer than this Dossier reads: update Dossier",
                         f"增量包的格式版本 {doc.get('format_version')} 比本程序支持的更新，请升级 Dossier", key="transport.bad_delta")
    try:
        from ..export.verify import _check_name

        pkg = doc["package"]
        if _check_name(pkg["root"]) or "/" in pkg["root"] or len(pkg["date_time"]) != 6:
            raise ValueError("bad package")
        for e in doc["entries"]:
            if _check_name(e["path"]) or e["from"] not in ("delta", "basis") or int(e["size"]) < 0 or len(e["sha256"]) != 64:
                raise ValueError(f"bad entry {str(e.get('path'))[:60]!r}")
        for k in ("package_id", "content_digest", "manifest_sha256"):
            str(doc["basis"][k])
    except (KeyError, TypeError, ValueError) as e:
        raise DeltaError(f"{INDEX_NAME} is malformed ({e})", f"{INDEX_NAME} 格式有误（{e}）", key="transport.bad_delta") from None
    return doc


def describe_basis(doc: dict) -> str:
    b = doc["basis"]
    return f"package {b['package_id'] or '?'} (content sha256:{(b['content_digest'] or '?')[:16]}…)"


def reconstruct(delta_path: Path, basis_path: Path | None, target: Path, *, task=None) -> tuple[Layout, dict]:
    """Rebuild the full new package from a delta and its basis into `target`."""
    src = open_zip(delta_path)
    bsrc = None
    try:
        got = is_delta(src)
        if got is None:
            raise DeltaError(f"{delta_path.name} is not a delta package", f"{delta_path.name} 不是增量包", key="transport.not_delta")
        root, info = got
        doc = read_index(src, root, info)
        if basis_path is None:
            raise DeltaError(f"{delta_path.name} is a resubmission delta against {describe_basis(doc)}: give that package "
                             "with --basis PREVIOUS.zip", f"{delta_path.name} 是针对 {describe_basis(doc)} 的增量包：请用 --basis 指定该数据包",
                             key="transport.basis_missing")
        basis = basis_from_zip(basis_path)
        want = doc["basis"]
        if basis.manifest_sha256 != want["manifest_sha256"]:
            raise DeltaError(f"wrong basis: {delta_path.name} was made against {describe_basis(doc)}, but {basis_path.name} is "
                             f"package {basis.package_id or '?'} (content sha256:{basis.content_digest[:16]}…)",
                             f"基础包不对：{delta_path.name} 针对的是 {describe_basis(doc)}，而 {basis_path.name} 是 {basis.package_id or '?'}",
                             key="transport.wrong_basis")
        bsrc = open_zip(basis_path)
        broot = {n.split("/", 1)[0] for n in bsrc.names()}.pop()
        by_sha: dict[str, str] = {}
        for p, sha in basis.files.items():
            by_sha.setdefault(sha, p)
        pkg = doc["package"]
        layout = Layout(pkg["root"], tuple(int(x) for x in pkg["date_time"]),
                        [Entry(e["path"], int(e["size"]), e["sha256"]) for e in doc["entries"]])
        by_path = {e["path"]: e for e in doc["entries"]}

        def chunks_for(e: Entry) -> Iterator[bytes]:
            ie = by_path[e.path]
            if ie["from"] == "delta":
                name = f"{root}/{ie.get('as') or ie['path']}"
                if name not in src.entries:
                    raise PartMismatch(e.path, delta_path.name, f"the delta lacks {e.path}", f"增量包缺少 {e.path}")
                yield from src.chunks(name)
                return
            bp = by_sha.get(e.sha256)
            name = f"{broot}/{bp}" if bp else None
            if name is None or name not in bsrc.entries:
                raise PartMismatch(e.path, basis_path.name, f"the basis has no file with the bytes of {e.path}",
                                   f"基础包中没有与 {e.path} 内容相同的文件")
            yield from bsrc.chunks(name)

        write_package(layout, target, chunks_for, task=task)
        return layout, doc
    finally:
        src.close()
        if bsrc is not None:
            bsrc.close()
