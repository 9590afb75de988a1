"""Shrink the ICU data library PySide6 ships on Linux (libicudata.so.NN, 31 MB) to what Qt uses here.

Why: the biggest single file of the Linux bundle is ICU's data, and Qt uses little of it. Qt Core
calls ICU for exactly four things (its undefined symbols: `nm -D libQt6Core.so.6 | grep _73`):
case conversion (u_strToUpper/Lower: data compiled into libicuuc, no data items needed),
collation (ucol_*: QCollator, locale-aware sorting), character set converters (ucnv_*: legacy
encodings in QStringConverter) and time zone names (ucal_*). Qt's locales (QLocale), line breaking
and IDNA are Qt's own. Everything else in the data — 800 locales' names of currencies, languages,
regions, units and zones, break-iterator dictionaries, transliterators, 200 legacy code pages — is
never read by this app.

What stays (KEEP below): the collation tables (UCA root, Chinese with pinyin/stroke/zhuyin, and the
ASEAN languages and English), the locale plumbing ICU needs to open them (root/pool, likely
subtags, supplemental data, keyword types), the time zone database (not the display names), the
converter aliases and GB18030 (the legacy Chinese encoding), and the Unicode normalization data.

How: the data library is an ELF shared object holding one symbol, `icudtNN_dat`, the ICU "common
data" package (a table of contents and the items). This module reads that package, writes a new
one with the kept items, and rewrites the ELF file around it: the package is the .rodata section
at the start of the first PT_LOAD; everything after it (.dynamic, symbol tables, section headers)
moves down, and the program and section headers are adjusted. The layout is checked first: a
library laid out differently (another PySide6 or ICU build) is left untouched, with a message, and
the build is bigger rather than broken. installer/selfcheck.py (run on every frozen build by
tests/installer) checks that Chinese collation, case conversion and GB18030 still work.
"""

from __future__ import annotations

import fnmatch
import os
import re
import struct
import sys
from pathlib import Path

PAGE = 0x1000

# item names inside the package, without the "icudtNNl/" prefix
KEEP = [
    # collation: the UCA table, the root rules, Chinese (every zh_* alias), English and ASEAN languages
    "coll/ucadata.icu", "coll/root.res", "coll/res_index.res", "coll/zh*.res", "coll/en*.res",
    "coll/th.res", "coll/vi.res", "coll/km.res", "coll/lo.res", "coll/my.res", "coll/ms.res",
    "coll/id*.res", "coll/in*.res", "coll/fil.res",
    # opening a locale's bundle: root, the shared key pool, parents and aliases, likely subtags
    "root.res", "pool.res", "res_index.res", "en.res", "zh.res", "zh_Hans*.res", "zh_Hant*.res", "zh_CN.res",
    "likelySubtags.res", "supplementalData.res", "metadata.res", "keyTypeData.res", "langInfo.res",
    "parentLocales.res",
    # time zones (QTimeZone's ids and offsets) and their names in Chinese and English only
    "zoneinfo64.res", "timezoneTypes.res", "metaZones.res", "windowsZones.res",
    "zone/root.res", "zone/res_index.res", "zone/tzdbNames.res", "zone/pool.res", "zone/en.res", "zone/zh.res",
    "zone/zh_Hans*.res", "zone/zh_Hant*.res",
    # converters: names and aliases, and GB18030 (the legacy Chinese encoding); UTF-* are built in
    "cnvalias.icu", "gb18030.cnv",
    # normalization (NFKC, case folding, UTS #46)
    "*.nrm",
]


class LayoutError(ValueError):
    pass


# ------------------------------------------------------------------------------------ ICU package


def parse_package(blob: bytes) -> tuple[bytes, str, list[tuple[str, bytes]]]:
    """(header bytes, package prefix like "icudt73l", [(item name, item bytes)]) of an ICU common
    data package ("CmnD", format 1)."""
    header_size, m1, m2 = struct.unpack_from("<HBB", blob, 0)
    if (m1, m2) != (0xDA, 0x27):
        raise LayoutError("not ICU data (magic)")
    if blob[8] != 0:
        raise LayoutError("big-endian ICU data")
    if blob[12:16] != b"CmnD" or blob[16] != 1:
        raise LayoutError(f"not an ICU common data package ({blob[12:16]!r} v{blob[16]})")
    base = header_size
    count, = struct.unpack_from("<I", blob, base)
    entries = [struct.unpack_from("<II", blob, base + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        end = blob.index(b"\0", base + name_off)
        name = blob[base + name_off:end].decode("ascii")
        data_end = base + entries[i + 1][1] if i + 1 < count else len(blob)
        items.append((name, blob[base + data_off:data_end]))
    prefix = items[0][0].split("/", 1)[0] if items else ""
    if not re.fullmatch(r"icudt\d+l", prefix):
        raise LayoutError(f"unexpected item prefix {prefix!r}")
    return blob[:header_size], prefix, items


def build_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """An ICU common data package: the header, the table of contents (sorted by name, as ICU's
    binary search expects), the names, then each item 16-byte aligned."""
    items = sorted(items, key=lambda it: it[0].encode("ascii"))
    names = b"".join(n.encode("ascii") + b"\0" for n, _d in items)
    toc_len = 4 + 8 * len(items)
    pos = toc_len + len(names)
    pad = (-(len(header) + pos)) % 16
    pos += pad
    offsets, body = [], bytearray()
    for _n, data in items:
        offsets.append(pos + len(body))
        body += data
        body += b"\0" * ((-(len(header) + pos + len(body))) % 16)
    toc = bytearray(struct.pack("<I", len(items)))
    name_pos = toc_len
    for (n, _d), off in zip(items, offsets):
        toc += struct.pack("<II", name_pos, off)
        name_pos += len(n) + 1
    return bytes(header) + bytes(toc) + names + b"\0" * pad + bytes(body)


def wanted(name: str) -> bool:
    short = name.split("/", 1)[1] if "/" in name else name
    return any(fnmatch.fnmatchcase(short, pat) for pat in KEEP)


# ------------------------------------------------------------------------------------ ELF


class Elf64:
    """Just enough of ELF64 little-endian to move the sections after .rodata."""

    def __init__(self, data: bytes):
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise LayoutError("not a 64-bit little-endian ELF file")
        self.data = bytearray(data)
        (self.phoff, self.shoff) = struct.unpack_from("<QQ", data, 0x20)
        self.phentsize, self.phnum, self.shentsize, self.shnum, self.shstrndx = struct.unpack_from("<HHHHH", data, 0x36)

    def phdrs(self):
        for i in range(self.phnum):
            o = self.phoff + i * self.phentsize
            yield o, list(struct.unpack_from("<IIQQQQQQ", self.data, o))

    def shdrs(self):
        for i in range(self.shnum):
            o = self.shoff + i * self.shentsize
            yield o, list(struct.unpack_from("<IIQQQQIIQQ", self.data, o))

    def section_names(self) -> list[str]:
        shs = [s for _o, s in self.shdrs()]
        strtab = shs[self.shstrndx]
        raw = bytes(self.data[strtab[4]:strtab[4] + strtab[5]])
        return [raw[s[0]:raw.index(b"\0", s[0])].decode() for s in shs]


def _find_data_symbol(elf: Elf64, names: list[str]) -> tuple[int, int, int, str]:
    """(file offset of the .dynsym entry, st_value, st_size, name) of icudtNN_dat."""
    shs = [s for _o, s in elf.shdrs()]
    dynsym = shs[names.index(".dynsym")]
    dynstr = shs[dynsym[6]]
    strraw = bytes(elf.data[dynstr[4]:dynstr[4] + dynstr[5]])
    for k in range(dynsym[5] // 24):
        o = dynsym[4] + 24 * k
        st_name, _info, _other, _shndx, value, size = struct.unpack_from("<IBBHQQ", elf.data, o)
        nm = strraw[st_name:strraw.index(b"\0", st_name)].decode()
        if re.fullmatch(r"icudt\d+_dat", nm):
            return o, value, size, nm
    raise LayoutError("no icudtNN_dat symbol")


def slim_library(data: bytes) -> tuple[bytes, dict]:
    """The slimmed library and a report; raises LayoutError when the file is not laid out as
    expected (nothing is changed then)."""
    elf = Elf64(data)
    names = elf.section_names()
    expected = ["", ".note.gnu.build-id", ".gnu.hash", ".dynsym", ".dynstr", ".rodata", ".eh_frame", ".dynamic",
                ".symtab", ".strtab", ".shstrtab"]
    if names != expected:
        raise LayoutError(f"unexpected sections {names}")
    shs = [(o, s) for o, s in elf.shdrs()]
    ro = shs[5][1]
    sym_off, value, size, symname = _find_data_symbol(elf, names)
    if value != ro[3] or ro[4] != ro[3] or size > ro[5]:
        raise LayoutError("the data symbol is not the start of .rodata at offset = address")
    loads = [(o, p) for o, p in elf.phdrs() if p[0] == 1]
    # program header fields: [type, flags, offset, vaddr, paddr, filesz, memsz, align]
    if len(loads) != 2 or loads[0][1][2] != 0 or loads[0][1][5] != ro[4] + ro[5] + shs[6][1][5]:
        raise LayoutError("the first PT_LOAD does not end with .rodata")
    dyn = shs[7][1]
    if loads[1][1][2] != dyn[4] or loads[1][1][5] != dyn[5]:
        raise LayoutError("the second PT_LOAD is not exactly .dynamic")
    if elf.shoff < dyn[4] or any(s[4] < dyn[4] for _o, s in shs[8:]):
        raise LayoutError("sections after .dynamic are not at its end")

    header, prefix, items = parse_package(bytes(data[ro[4]:ro[4] + size]))
    kept = [(n, d) for n, d in items if wanted(n)]
    blob = build_package(header, kept)
    if len(blob) > size:  # pragma: no cover - cannot happen: a subset is never larger
        raise LayoutError("the slimmed package is larger")

    # new layout: [first page][package][.eh_frame (empty)][.dynamic … section headers]
    ro_end = ro[4] + len(blob)
    eh_off = (ro_end + 7) & ~7
    old_dyn_off, old_dyn_addr = dyn[4], dyn[3]
    new_dyn_off = (eh_off + 15) & ~15
    page_delta = (old_dyn_addr - old_dyn_off)  # keep the address ≡ offset (mod page) relation
    new_dyn_addr = new_dyn_off + page_delta
    if new_dyn_addr < ro_end + page_delta or page_delta % PAGE != 0:
        raise LayoutError("cannot place .dynamic")
    delta_off = new_dyn_off - old_dyn_off
    tail = bytes(data[old_dyn_off:])
    out = bytearray(data[:ro[4]]) + blob + b"\0" * (new_dyn_off - ro_end) + tail
    elf2 = Elf64(bytes(out))
    elf2.data = out
    # ELF header: section headers moved
    struct.pack_into("<Q", out, 0x28, elf.shoff + delta_off)
    elf2.shoff = elf.shoff + delta_off
    # program headers
    for o, p in elf2.phdrs():
        typ = p[0]
        if typ == 1 and p[2] == 0:  # first PT_LOAD: through the package
            p[5] = p[6] = eh_off
        elif p[2] == old_dyn_off and typ in (1, 2, 0x6474E552):  # PT_LOAD (RW), PT_DYNAMIC, PT_GNU_RELRO
            p[2] = new_dyn_off
            p[3] = p[4] = new_dyn_addr
        struct.pack_into("<IIQQQQQQ", out, o, *p)
    # section headers
    for i, (o, s) in enumerate(elf2.shdrs()):
        if i == 5:
            s[5] = len(blob)
        elif i == 6:
            s[3], s[4] = eh_off, eh_off
        elif i == 7:
            s[3], s[4] = new_dyn_addr, new_dyn_off
        elif i > 7:
            s[4] += delta_off
        struct.pack_into("<IIQQQQIIQQ", out, o, *s)
    # the data symbol's size (.dynsym sits in the first page, so its offset is unchanged)
    struct.pack_into("<Q", out, sym_off + 16, len(blob))
    # .symtab (not used at run time): symbols of moved sections follow them
    symtab = [s for _o, s in elf2.shdrs()][8]
    for k in range(symtab[5] // 24):
        so = symtab[4] + 24 * k
        st_name, info, other, shndx, val, sz = struct.unpack_from("<IBBHQQ", out, so)
        if shndx == 7:
            val = val - old_dyn_addr + new_dyn_addr
        elif shndx == 6:
            val = eh_off
        elif shndx == 5 and sz == size:
            sz = len(blob)
        struct.pack_into("<IBBHQQ", out, so, st_name, info, other, shndx, val, sz)
    # check: the new file parses and holds exactly the kept items
    check = Elf64(bytes(out))
    _so, v2, s2, _n = _find_data_symbol(check, check.section_names())
    _h, _p, items2 = parse_package(bytes(out[v2:v2 + s2]))
    want = dict(kept)
    if sorted(n for n, _d in items2) != sorted(want) or any(d[:len(want[n])] != want[n] for n, d in items2):
        raise LayoutError("the rewritten library does not read back")
    return bytes(out), {"symbol": symname, "items_before": len(items), "items_after": len(kept),
                        "bytes_before": len(data), "bytes_after": len(out)}


def slim_file(path: Path) -> dict | None:
    """Slim one libicudata.so.NN in place (atomically); None when it was left as it is."""
    try:
        new, report = slim_library(path.read_bytes())
    except (LayoutError, struct.error, IndexError, ValueError, UnicodeDecodeError) as e:  # damaged or unknown
        print(f"icu_slim: {path.name} left as it is ({e})", file=sys.stderr)
        return None
    tmp = path.with_name(path.name + ".slim")
    tmp.write_bytes(new)
    os.chmod(tmp, path.stat().st_mode)
    os.replace(tmp, path)
    return report


def slim_tree(root: Path) -> list[dict]:
    return [r for p in sorted(root.rglob("libicudata.so.*")) if p.is_file() and not p.is_symlink()
            for r in [slim_file(p)] if r is not None]


if __name__ == "__main__":
    for r in slim_tree(Path(sys.argv[1])):
        print(r)
