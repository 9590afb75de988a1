"""Drop the shared libraries nothing in a Linux bundle links to any more.

PyInstaller collects a binary's dependencies while it analyses, that is before installer/
dossier.spec removes the Qt plugins Dossier does not use; the GTK platform theme alone drags in
cairo, pango, gdk-pixbuf, gio, pixman and more. After the Qt filter this module recomputes what is
reachable: roots are Python extension modules, Qt plugins (Qt loads them with dlopen) and
libpython; a library stays only if a root needs it, directly or through other libraries (ELF
DT_NEEDED entries, read here without readelf). The frozen-app test runs the result end to end.
"""

from __future__ import annotations

import struct
from pathlib import PurePosixPath

DT_NEEDED = 1
SHT_DYNAMIC = 6


def needed(path: str) -> list[str]:
    """The DT_NEEDED sonames of an ELF file ([] when it is not ELF or has no dynamic section)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    if data[:4] != b"\x7fELF":
        return []
    is64, e = data[4] == 2, "<" if data[5] == 1 else ">"
    try:
        if is64:
            shoff, = struct.unpack_from(e + "Q", data, 0x28)
            shentsize, shnum = struct.unpack_from(e + "HH", data, 0x3A)
        else:
            shoff, = struct.unpack_from(e + "I", data, 0x20)
            shentsize, shnum = struct.unpack_from(e + "HH", data, 0x2E)
        sections = []
        for i in range(shnum):
            o = shoff + i * shentsize
            if is64:
                _name, typ, _fl, _addr, off, size, link = struct.unpack_from(e + "IIQQQQI", data, o)
            else:
                _name, typ, _fl, _addr, off, size, link = struct.unpack_from(e + "IIIIIII", data, o)
            sections.append((typ, off, size, link))
        out = []
        for typ, off, size, link in sections:
            if typ != SHT_DYNAMIC:
                continue
            _t, str_off, str_size, _l = sections[link]
            strtab = data[str_off:str_off + str_size]
            step, fmt = (16, e + "qQ") if is64 else (8, e + "iI")
            for k in range(off, off + size, step):
                tag, val = struct.unpack_from(fmt, data, k)
                if tag == 0:
                    break
                if tag == DT_NEEDED:
                    out.append(strtab[val:strtab.index(b"\0", val)].decode("utf-8", "replace"))
        return out
    except (struct.error, IndexError, ValueError):
        return []


def _is_root(dest: str, typecode: str) -> bool:
    p = PurePosixPath(dest)
    return (typecode == "EXTENSION" or "/plugins/" in f"/{dest}" or p.name.startswith("libpython")
            or p.suffix not in (".so",) and ".so." not in p.name)


def prune_unreachable(binaries: list[tuple]) -> tuple[list[tuple], list[str]]:
    """(the binaries still needed, the destinations dropped) for PyInstaller TOC entries
    (dest, source, typecode)."""
    by_name: dict[str, list[tuple]] = {}
    for entry in binaries:
        by_name.setdefault(PurePosixPath(entry[0]).name, []).append(entry)
    keep: set[str] = set()
    todo = [entry for entry in binaries if _is_root(entry[0], entry[2])]
    while todo:
        entry = todo.pop()
        if entry[0] in keep:
            continue
        keep.add(entry[0])
        for soname in needed(entry[1]):
            for dep in by_name.get(soname, []):
                if dep[0] not in keep:
                    todo.append(dep)
    kept = [e for e in binaries if e[0] in keep]
    dropped = sorted(e[0] for e in binaries if e[0] not in keep)
    return kept, dropped
