"""What a built one-folder bundle holds: its Python modules, its files and their sizes.

    python installer/inventory.py dist/dossier [--json]

Used by tests/installer (every module a full run of the app imports must be in the bundle) and by
installer/build_linux.py (the figures in installer/README.md). Modules come from the PYZ archive
appended to the executable (read with PyInstaller's own archive reader), from base_library.zip,
and from the compiled extension modules on disk.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

_EXT = re.compile(r"(\.cpython-\d+[^/]*|\.abi3)?\.(so|pyd)$")


def executable(dist: Path) -> Path:
    for name in ("dossier", "dossier.exe", "Dossier"):
        if (dist / name).is_file():
            return dist / name
    raise FileNotFoundError(f"no dossier executable in {dist}")


def internal_dir(dist: Path) -> Path:
    return dist / "_internal" if (dist / "_internal").is_dir() else dist


def pyz_modules(exe: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    pkg = CArchiveReader(str(exe))
    out: set[str] = set()
    for name, entry in pkg.toc.items():
        if name.endswith(".pyz") or name.startswith("PYZ"):
            out |= set(pkg.open_embedded_archive(name).toc)
        elif entry[-1] in ("m", "M"):  # modules the bootloader needs before the PYZ (struct, …)
            out.add(name)
    return out


def base_library_modules(internal: Path) -> set[str]:
    z = internal / "base_library.zip"
    if not z.is_file():
        return set()
    out = set()
    with zipfile.ZipFile(z) as zf:
        for n in zf.namelist():
            if n.endswith(".pyc"):
                mod = n[:-4].replace("/", ".")
                out.add(mod[: -len(".__init__")] if mod.endswith(".__init__") else mod)
    return out


def extension_modules(internal: Path) -> set[str]:
    out = set()
    for p in internal.rglob("*"):
        if not p.is_file() or not _EXT.search(p.name):
            continue
        rel = p.relative_to(internal).as_posix()
        for prefix in ("python3.11/lib-dynload/", "lib-dynload/", "DLLs/"):
            if rel.startswith(prefix):
                rel = rel[len(prefix):]
        if rel.startswith(("PySide6/Qt/", "pillow.libs/", "pikepdf.libs/")) or "/" not in rel and rel.startswith("lib"):
            continue  # shared libraries, not modules
        out.add(_EXT.sub("", rel).replace("/", "."))
    return out


def bundle_modules(dist: Path) -> set[str]:
    internal = internal_dir(dist)
    return pyz_modules(executable(dist)) | base_library_modules(internal) | extension_modules(internal)


def bundle_files(dist: Path) -> dict[str, int]:
    """Every regular file (path relative to `dist`, POSIX) and its size."""
    return {p.relative_to(dist).as_posix(): p.stat().st_size
            for p in sorted(dist.rglob("*")) if p.is_file() and not p.is_symlink()}


def top_level_sizes(dist: Path, limit: int = 25) -> list[tuple[str, int]]:
    """The biggest parts of the bundle: a package folder, or a single library at the top."""
    internal = internal_dir(dist)
    sizes: Counter = Counter()
    for rel, size in bundle_files(internal).items():
        head = rel.split("/", 1)[0]
        if head == "PySide6" and rel.startswith("PySide6/Qt/lib/"):
            head = rel  # Qt's libraries one by one: they are most of the bundle
        sizes[head] += size
    return sizes.most_common(limit)


def summary(dist: Path) -> dict:
    files = bundle_files(dist)
    return {"files": len(files), "bytes": sum(files.values()),
            "largest": [{"name": n, "bytes": s} for n, s in top_level_sizes(dist)]}


if __name__ == "__main__":
    d = Path(sys.argv[1])
    s = summary(d)
    if "--json" in sys.argv:
        print(json.dumps({**s, "modules": sorted(bundle_modules(d))}, indent=1))
    else:
        print(f"{s['files']} files, {s['bytes'] / 1e6:.1f} MB")
        for item in s["largest"]:
            print(f"{item['bytes'] / 1e6:8.2f} MB  {item['name']}")
