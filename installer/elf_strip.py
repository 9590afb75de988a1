"""Strip the shared libraries of a Linux bundle (strip --strip-unneeded), as distributions do.

Python builds and Cython wheels often ship with DWARF debug information and full symbol tables:
libpython3.11 from pyenv is 22 MB of which 17 MB are debug sections, fontTools' compiled modules
7 MB of 8, cryptography's Rust core carries 2.9 MB of symbols. Nobody debugs an installed app with
them, and the people installing it pay for every megabyte. `--strip-unneeded` removes what the
dynamic linker does not use (debug sections, the static symbol table) and keeps the dynamic
symbols, relocations and program headers: the library loads and links exactly as before.

Only shared objects are touched (`*.so`, `*.so.N`): the executable carries PyInstaller's archive
after its ELF image, which strip would cut off. A file strip cannot process is left as it is.
tests/installer/test_frozen_app.py runs the stripped bundle end to end (every library loaded by a
full run: Qt, Pillow's and pikepdf's auditwheel-repaired libraries, cryptography, lxml…).

Needs GNU binutils' `strip` on PATH; without it nothing is stripped and the build says so.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

_SHARED = re.compile(r"\.so(\.\d+)*$")


def strippable_bytes(path: Path) -> int:
    """Bytes of the sections strip --strip-unneeded removes (.debug*, .symtab, .strtab) in an ELF
    shared object; 0 when there are none or the file is not ELF."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF":
                return 0
            is64, e = head[4] == 2, "<" if head[5] == 1 else ">"
            if is64:
                shoff, = struct.unpack_from(e + "Q", head, 0x28)
                shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", head, 0x3A)
            else:
                shoff, = struct.unpack_from(e + "I", head, 0x20)
                shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", head, 0x2E)
            if not shoff or not shnum or shstrndx >= shnum:
                return 0
            f.seek(shoff)
            table = f.read(shentsize * shnum)
            sections = []
            for i in range(shnum):
                ent = table[i * shentsize:(i + 1) * shentsize]
                fmt = e + ("IIQQQQ" if is64 else "IIIIII")
                name, _t, _fl, _addr, off, size = struct.unpack_from(fmt, ent, 0)
                sections.append((name, off, size))
            _n, str_off, str_size = sections[shstrndx]
            f.seek(str_off)
            names = f.read(str_size)
    except (OSError, struct.error):
        return 0
    total = 0
    for name, _off, size in sections:
        n = names[name:names.find(b"\0", name)]
        if n.startswith((b".debug", b".zdebug")) or n in (b".symtab", b".strtab"):
            total += size
    return total


def strip_tree(root: Path, strip: str | None = None) -> int:
    """Strip every shared object under `root` that has something to strip; returns bytes saved."""
    tool = strip or shutil.which("strip")
    if tool is None:
        print("elf_strip: GNU strip not found; the bundle keeps its symbols and debug sections (larger)",
              file=sys.stderr)
        return 0
    saved = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and _SHARED.search(p.name)):
        if strippable_bytes(path) == 0:
            continue
        before = path.stat().st_size
        tmp = path.with_name(path.name + ".stripping")
        r = subprocess.run([tool, "--strip-unneeded", "-o", str(tmp), str(path)], capture_output=True, text=True)
        if r.returncode != 0 or not tmp.is_file():
            tmp.unlink(missing_ok=True)
            print(f"elf_strip: left {path.name} as is ({r.stderr.strip()[:200]})", file=sys.stderr)
            continue
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
        saved += before - path.stat().st_size
    return saved


if __name__ == "__main__":
    n = strip_tree(Path(sys.argv[1]))
    print(f"stripped {n / 1e6:.1f} MB")
