"""Split a package into volumes (e-mail 20 MB, CD 700 MB, FAT32 4 GiB…) and put it back together.

Each volume `<base>_part02of05.zip` is a self-contained BagIt bag (its own bagit.txt, bag-info.txt,
manifest-sha256.txt and tagmanifest-sha256.txt, so `bagit validate` and `sha256sum -c` check it
alone) under the folder `<base>_part02of05/`. Its bag-info.txt says which set it belongs to::

    Bag-Group-Identifier: <the package id>
    Bag-Count: 2 of 5
    Dossier-Volume-Set: sha256:<SHA-256 of dossier-volumes.json in volume 1>

Payload files keep their paths under data/. Whole files are packed into volumes in the package's
order; a file larger than a volume is cut into pieces `<path>.part001of003`, each with its own
line in its volume's manifest, and listed with the whole file's SHA-256 in the index. Volume 1
holds the PDF, answers.json and the other documents (so a reviewer can read the application
before the rest arrives), the package's own tag files byte for byte under `package/` (bagit.txt,
bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt, signature files) and the index
`dossier-volumes.json` (format "dossier-volume-set", docs/transport.md).

Reassembly writes the original package zip (same root, entry order and time stamp) from the
volumes, checking every piece and file against the index; see docs/transport.md for doing it by
hand with unzip, cat and sha256sum.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .. import __version__
from ..errors import DossierError
from ..export.bag import BAGIT_TXT, MANIFEST, TAGMANIFEST, BagZipWriter, manifest_bytes
from .layout import Entry, Layout, open_zip, read_layout, write_package

INDEX_NAME = "dossier-volumes.json"
INDEX_FORMAT = "dossier-volume-set"
INDEX_VERSION = 1
MAX_INDEX = 64 << 20
ORIGINAL_TAGS = "package/"
PART_RE = re.compile(r"^(?P<base>.+)_part(?P<i>\d{2,4})of(?P<n>\d{2,4})$")
MIN_VOLUME = 1 << 20

PRESETS = {  # the export dialog's choices (bytes)
    "email": 20 * 10**6, "cd": 700 * 10**6, "dvd": 4_700 * 10**6, "fat32": (4 << 30) - (1 << 20),
}


def parse_size(text: str) -> int:
    """'20M', '700M', '4G', '4.7G', '1500000', 'cd', 'fat32' → bytes (M/G are decimal, MiB/GiB binary,
    except "4G", the FAT32 limit, which means the largest file FAT32 holds)."""
    t = str(text).strip().lower().replace(" ", "")
    if t in PRESETS:
        return PRESETS[t]
    if t in ("4g", "4gib"):
        return PRESETS["fat32"]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(b|k|kb|kib|m|mb|mib|g|gb|gib)?", t)
    if not m:
        raise DossierError(f"--split: {text!r} is not a size (e.g. 20M, 700M, 4G)", f"--split：{text!r} 不是大小（例如 20M、700M、4G）",
                           key="transport.bad_size")
    num = float(m.group(1))
    unit = m.group(2) or "b"
    mult = {"b": 1, "k": 10**3, "kb": 10**3, "kib": 1 << 10, "m": 10**6, "mb": 10**6, "mib": 1 << 20,
            "g": 10**9, "gb": 10**9, "gib": 1 << 30}[unit]
    size = int(num * mult)
    if size < MIN_VOLUME:
        # M and G are decimal (the mail and disc limits are), the floor is binary: say both in bytes
        raise DossierError(f"--split: a volume must hold at least 1 MiB ({MIN_VOLUME:,} bytes); {text} is {size:,} bytes",
                           f"--split：每卷至少 1 MiB（{MIN_VOLUME:,} 字节）；{text} 为 {size:,} 字节", key="transport.bad_size")
    return size


@dataclass
class _Vol:
    index: int
    items: list[dict] = field(default_factory=list)  # {"path" (in the volume), "size", "source": (entry, offset)}
    used: int = 0


def _entry_cost(path: str, size: int) -> int:
    """Bytes a stored entry takes in a zip: headers, name twice, zip64 extras, its manifest line."""
    n = len(path.encode("utf-8")) + 40
    return size + 30 + 46 + 2 * n + 64 + (64 + 2 + n + 1)


def _fixed_cost(base: str, n_entries_hint: int = 0) -> int:
    return 4096 + 22 + 56 + 20 + _entry_cost("bag-info.txt", 1024) + _entry_cost(TAGMANIFEST, 512) + _entry_cost("bagit.txt", 64)


def index_estimate(layout: Layout, volume_size: int) -> int:
    """Bytes dossier-volumes.json will take at most (one object per entry, one per piece)."""
    est = 2048 + len(layout.root) * 4
    for e in layout.entries:
        n = len(e.path.encode("utf-8"))
        est += 400 + 2 * n
        if e.size > volume_size // 2:
            est += (e.size // max(volume_size // 2, 1) + 2) * (320 + 2 * n)
    return est


def plan(layout: Layout, volume_size: int, index_bytes: int | None = None) -> tuple[list[_Vol], list[dict]]:
    """Assign every payload file (or its pieces) to a volume; returns (volumes, index entries).
    `index_bytes`: the size the index will have (estimated when not known yet)."""
    tags = [e for e in layout.entries if not e.path.startswith("data/")]
    payload = [e for e in layout.entries if e.path.startswith("data/")]
    docs = [e for e in payload if not e.path.startswith("data/evidence/")]
    evidence = [e for e in payload if e.path.startswith("data/evidence/")]
    # a margin for what the cost model does not count exactly (zip64 records, manifest line lengths)
    cap = volume_size - _fixed_cost(layout.root) - min(volume_size // 500, 1 << 20) - 8192
    # volume 1 carries the package's tag files and the index
    idx = index_bytes if index_bytes is not None else index_estimate(layout, volume_size)
    first_extra = sum(_entry_cost(ORIGINAL_TAGS + t.path, t.size) for t in tags) + _entry_cost(INDEX_NAME, idx)
    if cap - first_extra < MIN_VOLUME // 2:
        raise DossierError(f"The volume size is too small for this package (its index and tag files alone need "
                           f"{(first_extra + _fixed_cost(layout.root)) / 1e6:.1f} MB)",
                           f"卷大小太小（仅索引和标签文件就需要 {(first_extra + _fixed_cost(layout.root)) / 1e6:.1f} MB）",
                           key="transport.volume_too_small")
    vols = [_Vol(1, used=first_extra)]
    index: list[dict] = []
    for t in tags:
        index.append({"path": t.path, "size": t.size, "sha256": t.sha256, "volume": 1, "as": ORIGINAL_TAGS + t.path})
    all_paths = {e.path for e in payload}
    for e in docs + evidence:  # documents first: volume 1 carries the application
        cur = vols[-1]
        cost = _entry_cost(e.path, e.size)
        if cur.used + cost <= cap:
            cur.items.append({"path": e.path, "size": e.size, "entry": e, "offset": 0})
            cur.used += cost
            index.append({"path": e.path, "size": e.size, "sha256": e.sha256, "volume": cur.index})
            continue
        if cost <= cap and e not in docs:
            nv = _Vol(len(vols) + 1)
            vols.append(nv)
            nv.items.append({"path": e.path, "size": e.size, "entry": e, "offset": 0})
            nv.used += cost
            index.append({"path": e.path, "size": e.size, "sha256": e.sha256, "volume": nv.index})
            continue
        # cut into pieces: fill what is left of this volume (when worth it), then whole volumes
        pieces: list[tuple[int, int, int]] = []  # (volume, offset, length)
        off = 0
        room = cap - cur.used - _entry_cost(e.path + ".part000of000", 0)
        vol = cur
        if room < MIN_VOLUME // 2:
            vol = _Vol(len(vols) + 1)
            vols.append(vol)
            room = cap - _entry_cost(e.path + ".part000of000", 0)
        while off < e.size:
            take = min(room, e.size - off)
            pieces.append((vol.index, off, take))
            vol.used += _entry_cost(e.path + ".part000of000", take)
            off += take
            if off < e.size:
                vol = _Vol(len(vols) + 1)
                vols.append(vol)
                room = cap - _entry_cost(e.path + ".part000of000", 0)
        n = len(pieces)
        width = max(3, len(str(n)))
        suffix = "part{:0%dd}of{:0%dd}" % (width, width)
        plist = []
        for k, (vi, o, ln) in enumerate(pieces, 1):
            pp = f"{e.path}.{suffix.format(k, n)}"
            while pp in all_paths:  # never collide with a real file of that name
                pp = pp + "~"
            vols[vi - 1].items.append({"path": pp, "size": ln, "entry": e, "offset": o})
            plist.append({"volume": vi, "path": pp, "offset": o, "size": ln})
        index.append({"path": e.path, "size": e.size, "sha256": e.sha256, "pieces": plist})
    order = {e.path: n for n, e in enumerate(layout.entries)}  # the index keeps the package's entry order
    index.sort(key=lambda ie: order[ie["path"]])
    return vols, index


def volume_name(base: str, i: int, n: int) -> str:
    w = max(2, len(str(n)))
    return f"{base}_part{i:0{w}d}of{n:0{w}d}"


def split_package(source, out_dir: Path, volume_size: int, *, package_id: str = "", task=None,
                  sync: bool = True) -> list[Path]:
    """Write the volumes of a package into `out_dir` (the caller's private folder); returns their paths.

    `source`: the path of a package zip (split after the fact: a delta, tests, tools), or the
    entries of a package being exported (desktop.export.writer.PackageContents: the volumes are
    then written straight from the project, without the whole zip — desktop.transport.onepass).
    Either way the volumes come out byte for byte the same. `sync`: fsync every volume (False
    when the caller rewrites them — encryption — and syncs what it writes).

    One pass over the data: the plan and the index need only sizes and the whole files' SHA-256
    (known from the package), so every volume is written straight through — each piece is hashed
    while it is copied and the volume's manifest is written after its data."""
    from ..export.writer import PackageContents

    if isinstance(source, PackageContents):
        from .onepass import ContentsSource

        cs = ContentsSource(source)
        try:
            return _write_set(cs, out_dir, volume_size, package_id or source.package_id, task, sync)
        finally:
            cs.close()
    src = open_zip(source)
    try:
        return _write_set(_ZipSetSource(src, Path(source)), out_dir, volume_size, package_id, task, sync)
    finally:
        src.close()


class _ZipSetSource:
    """A package zip as the source of its volumes: pieces read back by offset."""

    def __init__(self, src, path: Path):
        self.src = src
        self.path = path
        self.layout = read_layout(src)
        self.info = _bag_info(src, self.layout)

    def fallback_id(self) -> str:
        return _fallback_id(self.path)

    def prepare(self, vols: list[_Vol]) -> None:
        pass

    def tag_bytes(self, path: str) -> bytes:
        return _read_all(self.src, f"{self.layout.root}/{path}")

    def write_item(self, zw: BagZipWriter, it: dict, task, kick) -> str:
        e: Entry = it["entry"]
        whole = it["offset"] == 0 and it["size"] == e.size
        return zw.add_stream(it["path"], it["size"], self.src.range_chunks(f"{self.layout.root}/{e.path}", it["offset"], it["size"]),
                             expected_sha256=e.sha256 if whole else None, task=task, kick=kick)


def plan_set(layout: Layout, info: dict[str, list[str]], pkg_id: str, volume_size: int) -> tuple[list[_Vol], list[dict], bytes]:
    """The volumes, the index entries and the index's bytes (planned again with the index's real
    size when the estimate was short)."""
    est = index_estimate(layout, volume_size)
    for _attempt in range(4):
        vols, index = plan(layout, volume_size, est)
        index_bytes = _index_bytes(layout, info, pkg_id, volume_size, vols, index)
        if len(index_bytes) <= est:
            return vols, index, index_bytes
        est = len(index_bytes) + 4096  # the estimate was short: plan again with the real size
    raise DossierError("internal error: the volume index does not fit its estimate", "内部错误：卷索引超出预估大小",  # pragma: no cover
                       key="transport.volume_overflow")


def _write_set(source, out_dir: Path, volume_size: int, package_id: str, task, sync: bool) -> list[Path]:
    from concurrent.futures import ThreadPoolExecutor

    from ..project.streaming import WritebackKicker

    layout, info = source.layout, source.info
    pkg_id = package_id or (info.get("Dossier-Package-Id") or [""])[0] or source.fallback_id()
    vols, index, index_bytes = plan_set(layout, info, pkg_id, volume_size)
    source.prepare(vols)
    n = len(vols)
    set_digest = hashlib.sha256(index_bytes).hexdigest()
    out: list[Path] = []
    # each finished volume is fsynced on a second thread while the next one is written: the disk
    # works while the CPU does, and the set is durable when this returns
    syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-volume-sync") if sync else None
    synced = []
    target: Path | None = None
    try:
        for vol in vols:
            name = volume_name(layout.root, vol.index, n)
            target = out_dir / f"{name}.zip"
            nbytes, nfiles = sum(it["size"] for it in vol.items), len(vol.items)
            head = [("bagit.txt", BAGIT_TXT), ("bag-info.txt", _volume_bag_info(info, pkg_id, vol.index, n, set_digest,
                                                                                 nbytes, nfiles))]
            tail: list[tuple[str, bytes]] = []
            if vol.index == 1:
                for t in layout.entries:
                    if not t.path.startswith("data/"):
                        tail.append((ORIGINAL_TAGS + t.path, source.tag_bytes(t.path)))
                tail.append((INDEX_NAME, index_bytes))
            lines: list[tuple[str, str]] = []
            with open(target, "wb") as fh:
                kick = WritebackKicker(fh.fileno(), start=0)
                zw = BagZipWriter(fh, name, layout.date_time)
                try:
                    for p, d in head:
                        zw.add_bytes(p, d)
                    for it in vol.items:
                        if task is not None:
                            task.check()
                        lines.append((it["path"], source.write_item(zw, it, task, kick)))
                    man = manifest_bytes(lines)
                    zw.add_bytes(MANIFEST, man)
                    for p, d in tail:
                        zw.add_bytes(p, d)
                    tags = head + [(MANIFEST, man)] + tail
                    zw.add_bytes(TAGMANIFEST, manifest_bytes([(p, hashlib.sha256(d).hexdigest()) for p, d in tags]))
                    zw.close()
                except BaseException:
                    zw.abort()
                    raise
                fh.flush()
                kick.kick()
            out.append(target)
            target = None
            if out[-1].stat().st_size > volume_size:
                raise DossierError(f"internal error: volume {vol.index} came out larger than {volume_size} bytes",
                                   f"内部错误：第 {vol.index} 卷超过 {volume_size} 字节", key="transport.volume_overflow")
            if syncer is not None:
                synced.append(syncer.submit(_fsync_file, out[-1]))
        for f in synced:
            f.result()  # an fsync's error (a full disk at write-back) is this call's error
        return out
    except BaseException:
        if syncer is not None:
            syncer.shutdown(wait=True, cancel_futures=True)
            syncer = None
        for p in out + ([target] if target is not None else []):
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    finally:
        if syncer is not None:
            syncer.shutdown(wait=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


class VolumeWriter:
    """desktop.export's package writer for a split export: the volumes of `volume_size` bytes
    written into `folder` (the caller's private folder) straight from the project — one write of
    every byte, not the whole zip first and then its volumes. A package that fits in one volume
    is written as the one zip, as an unsplit export (same name, same bytes). Whether it fits is
    known exactly only once written when it is within a few bytes per entry of the size: then the
    zip is written and split after the fact, as before. Nothing is left in `folder` on failure."""

    def __init__(self, folder: Path, volume_size: int, *, sync: bool = True):
        self.folder = Path(folder)
        self.volume_size = volume_size
        self.sync = sync
        self.files: list[Path] = []  # what write made: the volumes in order, or the one zip

    def write(self, contents, task=None) -> list[Path]:
        self.files = self._write(contents, task)
        return self.files

    def _write(self, contents, task) -> list[Path]:
        from ..export.bag import zip_min_size
        from ..export.writer import ZipPackageWriter

        self.folder.mkdir(exist_ok=True)
        zp = self.folder / f"{contents.root}.zip"
        try:
            if zip_min_size(contents.root, ((e.path, e.size) for e in contents.entries)) > self.volume_size:
                return split_package(contents, self.folder, self.volume_size, package_id=contents.package_id, task=task,
                                     sync=self.sync)
            ZipPackageWriter(zp, sync=False).write(contents, task=task)
            if zp.stat().st_size <= self.volume_size:
                if self.sync:
                    _fsync_file(zp)
                return [zp]
            vols = split_package(zp, self.folder, self.volume_size, package_id=contents.package_id, task=task, sync=self.sync)
            zp.unlink()
            return vols
        except BaseException:
            with contextlib.suppress(OSError):
                zp.unlink()
            raise


def _index_bytes(layout: Layout, info: dict[str, list[str]], pkg_id: str, volume_size: int, vols: list[_Vol],
                 index: list[dict]) -> bytes:
    n = len(vols)
    manifest_sha = next((e.sha256 for e in layout.entries if e.path == MANIFEST), "")
    doc = {
        "format": INDEX_FORMAT, "format_version": INDEX_VERSION, "generator": {"name": "Dossier", "version": __version__},
        "package": {"id": pkg_id, "root": layout.root, "name": f"{layout.root}.zip", "date_time": list(layout.date_time),
                    "manifest_sha256": manifest_sha,
                    "content_digest": ((info.get("Dossier-Content-Digest") or ["sha256:"])[0].split(":", 1)[-1])},
        "volume_size": volume_size,
        "volumes": [{"index": v.index, "name": volume_name(layout.root, v.index, n) + ".zip",
                     "bytes": sum(it["size"] for it in v.items), "files": len(v.items)} for v in vols],
        "entries": index,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _read_all(src, name: str) -> bytes:
    return b"".join(bytes(c) for c in src.chunks(name))


def _fallback_id(zip_path: Path) -> str:
    import uuid

    from .layout import file_sha256

    return str(uuid.uuid5(uuid.NAMESPACE_URL, "dossier-package:" + file_sha256(zip_path)))


def _bag_info(src, layout: Layout) -> dict[str, list[str]]:
    from ..export.verify import bag_info_fields

    raw = _read_all(src, f"{layout.root}/bag-info.txt") if layout.get("bag-info.txt") else b""
    return bag_info_fields(raw) or {}


def _volume_bag_info(info: dict[str, list[str]], pkg_id: str, i: int, n: int, set_digest: str, nbytes: int,
                     nfiles: int) -> bytes:
    def first(k: str) -> str:
        return (info.get(k) or [""])[0]

    lines = [
        ("Bag-Software-Agent", f"Dossier {__version__}"),
        ("Bagging-Date", first("Bagging-Date")),
        ("Source-Organization", first("Source-Organization")),
        ("External-Identifier", first("External-Identifier")),
        ("External-Description", first("External-Description")),
        ("Bag-Group-Identifier", pkg_id),
        ("Bag-Count", f"{i} of {n}"),
        ("Payload-Oxum", f"{nbytes}.{nfiles}"),
        ("Dossier-Volume-Set", f"sha256:{set_digest}"),
        ("Dossier-Content-Digest", first("Dossier-Content-Digest")),
        ("Dossier-Sealed-At", first("Dossier-Sealed-At")),
    ]
    return "".join(f"{k}: {' '.join(v.split())}\n" for k, v in lines if v).encode("utf-8")


# ------------------------------------------------------------------------------------- reading


@dataclass
class VolumeInfo:
    path: Path
    root: str
    index: int
    count: int
    group: str
    set_digest: str
    src: Any = None  # the open _ZipSource

    def close(self) -> None:
        if self.src is not None:
            self.src.close()
            self.src = None


def volume_info(src, path: Path) -> VolumeInfo | None:
    """Volume data when the zip at `path` (opened) is one volume of a split package, else None."""
    from ..export.verify import bag_info_fields

    names = src.names()
    roots = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(roots) != 1:
        return None
    root = roots.pop()
    bi = f"{root}/bag-info.txt"
    if bi not in src.entries or src.size(bi) > 1 << 20:
        return None
    info = bag_info_fields(_read_all(src, bi)) or {}
    count = (info.get("Bag-Count") or [""])[0]
    m = re.fullmatch(r"\s*(\d+)\s+of\s+(\d+)\s*", count)
    if not m or not info.get("Dossier-Volume-Set"):
        return None
    return VolumeInfo(path, root, int(m.group(1)), int(m.group(2)), (info.get("Bag-Group-Identifier") or [""])[0],
                      info["Dossier-Volume-Set"][0].split(":", 1)[-1], src)


def is_volume(path: Path) -> VolumeInfo | None:
    try:
        src = open_zip(path)
    except DossierError:
        return None
    vi = volume_info(src, path)
    if vi is None:
        src.close()
    return vi


def read_index(vol1: VolumeInfo) -> dict:
    src = vol1.src
    name = f"{vol1.root}/{INDEX_NAME}"
    if name not in src.entries:
        raise DossierError(f"{vol1.path.name} says it is part 1 but has no {INDEX_NAME}", f"{vol1.path.name} 自称第 1 卷，但缺少 {INDEX_NAME}",
                           key="transport.no_index")
    if src.size(name) > MAX_INDEX:
        raise DossierError(f"{INDEX_NAME} is larger than {MAX_INDEX >> 20} MiB; refused", f"{INDEX_NAME} 超过 {MAX_INDEX >> 20} MiB，已拒绝",
                           key="transport.index_too_big")
    raw = _read_all(src, name)
    if hashlib.sha256(raw).hexdigest() != vol1.set_digest:
        raise DossierError(f"{vol1.path.name}: {INDEX_NAME} does not match the volume set named in its bag-info.txt",
                           f"{vol1.path.name}：{INDEX_NAME} 与 bag-info.txt 中的卷集摘要不一致", key="transport.index_mismatch")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DossierError(f"{INDEX_NAME} is not valid JSON", f"{INDEX_NAME} 不是有效的 JSON", key="transport.bad_index") from None
    if not isinstance(doc, dict) or doc.get("format") != INDEX_FORMAT:
        raise DossierError(f"{INDEX_NAME} is not a Dossier volume index", f"{INDEX_NAME} 不是 Dossier 卷索引", key="transport.bad_index")
    if not isinstance(doc.get("format_version"), int) or doc["format_version"] > INDEX_VERSION:
        raise DossierError(f"{INDEX_NAME} has format_version {doc.get('format_version')}, newer than this Dossier reads "
                           f"({INDEX_VERSION}): update Dossier", f"{INDEX_NAME} 的格式版本 {doc.get('format_version')} 比本程序支持的更新，请升级 Dossier",
                           key="transport.index_newer")
    try:
        _check_index(doc)
    except (KeyError, TypeError, ValueError) as e:
        raise DossierError(f"{INDEX_NAME} is malformed ({e})", f"{INDEX_NAME} 格式有误（{e}）", key="transport.bad_index") from None
    return doc


def _check_index(doc: dict) -> None:
    from ..export.verify import _check_name

    pkg = doc["package"]
    if not isinstance(pkg["root"], str) or _check_name(pkg["root"]) or "/" in pkg["root"]:
        raise ValueError("bad package root")
    dt = tuple(int(x) for x in pkg["date_time"])
    if len(dt) != 6:
        raise ValueError("bad date_time")
    n = len(doc["volumes"])
    for e in doc["entries"]:
        if _check_name(e["path"]) or not isinstance(e["size"], int) or e["size"] < 0 or not re.fullmatch(r"[0-9a-f]{64}", e["sha256"]):
            raise ValueError(f"bad entry {str(e.get('path'))[:80]!r}")
        if "pieces" in e:
            if sum(int(p["size"]) for p in e["pieces"]) != e["size"]:
                raise ValueError(f"pieces of {e['path']!r} do not add up")
            for p in e["pieces"]:
                if not 1 <= int(p["volume"]) <= n or _check_name(p["path"]):
                    raise ValueError("bad piece")
        elif not 1 <= int(e["volume"]) <= n:
            raise ValueError("bad volume number")


def group_volumes(paths: list[Path]) -> tuple[list[VolumeInfo], list[str]]:
    """Open each path as a volume; (volumes, problems) — a non-volume or unreadable file is a problem."""
    vols, problems = [], []
    for p in paths:
        try:
            src = open_zip(p)
        except DossierError as e:
            problems.append(f"{p.name}: {e.en}")
            continue
        vi = volume_info(src, p)
        if vi is None:
            src.close()
            problems.append(f"{p.name}: not a volume of a split package")
            continue
        vols.append(vi)
    return vols, problems


@dataclass
class SetCheck:
    """What a set of volumes is: the chosen package, the volumes by number, what is wrong."""

    group: str = ""
    count: int = 0
    by_index: dict[int, VolumeInfo] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    index: dict | None = None


def check_set(vols: list[VolumeInfo]) -> SetCheck:
    """Pick the package the set is of (the one volume 1 names, else the most common), name foreign,
    duplicate and missing volumes."""
    sc = SetCheck()
    if not vols:
        return sc
    ones = [v for v in vols if v.index == 1]
    from collections import Counter

    key = (ones[0].group, ones[0].set_digest) if ones else Counter((v.group, v.set_digest) for v in vols).most_common(1)[0][0]
    sc.group = key[0]
    for v in vols:
        if (v.group, v.set_digest) != key:
            why = "another package" if v.group != key[0] else "another split of the same package"
            sc.foreign.append(f"{v.path.name} (part {v.index} of {v.count}, {why}: {v.group or '?'})")
            continue
        if v.index in sc.by_index:
            sc.duplicates.append(v.path.name)
            continue
        sc.by_index[v.index] = v
        sc.count = v.count
    sc.missing = [i for i in range(1, sc.count + 1) if i not in sc.by_index]
    return sc


def reassemble(sc: SetCheck, target: Path, *, task=None) -> Layout:
    """Write the package zip of a complete, consistent set to `target`; returns its layout."""
    vol1 = sc.by_index[1]
    doc = sc.index or read_index(vol1)
    if len(doc["volumes"]) != sc.count:
        raise DossierError("the volume index names another number of volumes than Bag-Count", "卷索引中的卷数与 Bag-Count 不一致",
                           key="transport.index_mismatch")
    pkg = doc["package"]
    layout = Layout(pkg["root"], tuple(int(x) for x in pkg["date_time"]),
                    [Entry(e["path"], int(e["size"]), e["sha256"]) for e in doc["entries"]])
    by_path = {e["path"]: e for e in doc["entries"]}

    def chunks_for(e: Entry):
        ie = by_path[e.path]
        if "pieces" in ie:
            for p in ie["pieces"]:
                v = sc.by_index[int(p["volume"])]
                yield from _member(v, p["path"])
        else:
            v = sc.by_index[int(ie["volume"])]
            yield from _member(v, ie.get("as") or ie["path"])

    write_package(layout, target, chunks_for, task=task)
    return layout


def _member(v: VolumeInfo, rel: str) -> Iterator[bytes]:
    name = f"{v.root}/{rel}"
    if name not in v.src.entries:
        from .layout import PartMismatch

        raise PartMismatch(rel, v.path.name, f"{v.path.name} lacks {rel}", f"{v.path.name} 缺少 {rel}")
    yield from v.src.chunks(name)  # written and hashed at once: the reader's buffer may be reused
