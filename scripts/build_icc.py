"""Write resources/icc/sRGB-v2.icc: an ICC version 2.1 sRGB display profile (run by hand).

The PDF/A-3b OutputIntent of the submission PDF (desktop/export/pdfa.py) needs an sRGB profile;
PDF 1.7 (ISO 32000-1) references ICC.1:2004-10, and validators are happiest with a version 2
profile. This one is built from the numbers of IEC 61966-2-1 — the sRGB primaries adapted to the
D50 profile connection space (Bradford) and the sRGB tone curve sampled at 1024 points — so no
third-party profile (and no licence) is involved. Checked by LittleCMS (Pillow's ImageCms) in
tests/export/test_pdfa.py.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "icc" / "sRGB-v2.icc"

D50 = (0.9642, 1.0, 0.8249)
# sRGB primaries, chromatically adapted to D50 (the values every sRGB v2 profile carries)
RED = (0.4360, 0.2225, 0.0139)
GREEN = (0.3851, 0.7169, 0.0971)
BLUE = (0.1431, 0.0606, 0.7141)


def s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def xyz_tag(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)


def curve_tag() -> bytes:
    def srgb(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    n = 1024
    pts = [round(srgb(i / (n - 1)) * 65535) for i in range(n)]
    return b"curv" + b"\0" * 4 + struct.pack(">I", n) + struct.pack(f">{n}H", *pts)


def text_desc(s: str) -> bytes:
    a = s.encode("ascii") + b"\0"
    # textDescriptionType: ASCII, then empty Unicode and ScriptCode parts
    return b"desc" + b"\0" * 4 + struct.pack(">I", len(a)) + a + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67


def text_tag(s: str) -> bytes:
    return b"text" + b"\0" * 4 + s.encode("ascii") + b"\0"


def build() -> bytes:
    curv = curve_tag()
    tags = [
        (b"desc", text_desc("sRGB IEC61966-2.1 (Dossier, ICC v2)")),
        (b"cprt", text_tag("No copyright, use freely")),
        (b"wtpt", xyz_tag(*D50)),
        (b"rXYZ", xyz_tag(*RED)),
        (b"gXYZ", xyz_tag(*GREEN)),
        (b"bXYZ", xyz_tag(*BLUE)),
        (b"rTRC", curv),
        (b"gTRC", curv),  # the three curves share one copy
        (b"bTRC", curv),
    ]
    table_len = 4 + 12 * len(tags)
    offset = 128 + table_len
    body = b""
    entries = []
    placed: dict[bytes, int] = {}
    for sig, data in tags:
        if data in placed:
            entries.append((sig, placed[data], len(data)))
            continue
        while (offset + len(body)) % 4:
            body += b"\0"
        at = offset + len(body)
        placed[data] = at
        entries.append((sig, at, len(data)))
        body += data
    while (offset + len(body)) % 4:
        body += b"\0"
    size = offset + len(body)
    header = struct.pack(">I", size) + b"none" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
    header += struct.pack(">6H", 2025, 1, 1, 0, 0, 0)  # a fixed date: the file is reproducible
    header += b"acsp" + b"APPL" + struct.pack(">I", 0) + b"none" + b"none" + b"\0" * 8 + struct.pack(">I", 0)
    header += s15(D50[0]) + s15(D50[1]) + s15(D50[2]) + b"none"
    header += b"\0" * (128 - len(header))
    table = struct.pack(">I", len(entries)) + b"".join(sig + struct.pack(">II", at, n) for sig, at, n in entries)
    return header + table + body


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"{OUT}: {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
