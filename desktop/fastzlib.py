"""zlib's CRC-32 and deflate at SIMD speed (zlib-ng), for the zips and the PDFs Dossier writes.

Python's zlib is the system's (1.2.x): its CRC-32 runs at ≈ 2.5 GB/s, 0.42 s of one core for a
1 GiB package — a third of an export's CPU after the SHA-256 (issue #17). zlib-ng computes the same
CRC-32 (it is a drop-in zlib) with PCLMULQDQ/VPCLMULQDQ at ≈ 35 GB/s here, and its deflate is about
twice as fast at the same level; both release the GIL like zlib.

zipfile looks up its module-level name `crc32` for every chunk it writes (_ZipWriteFile.write) and
reads (ZipExtFile._update_crc), in every Python Dossier supports (3.11–3.13), so
`install_zip_crc()` (run on import) points that one name at the fast function: the same results.
`deflate`'s output bytes, unlike a CRC, depend on the library and its version: what calls it for a
rendered document counts zlib-ng's version in the renderer id (desktop/export/renderer_id.py).
Where the zlib-ng wheel is missing (an unusual platform) the stdlib's zlib is used.
"""

from __future__ import annotations

import zipfile
import zlib

try:
    from zlib_ng import zlib_ng as _ng
except ImportError:  # pragma: no cover - the wheel exists for every platform Dossier ships on
    _ng = None

FAST = _ng is not None
crc32 = _ng.crc32 if FAST else zlib.crc32


def deflate(data: bytes, level: int = 6) -> bytes:
    """`data` as a zlib stream (a PDF's /FlateDecode)."""
    return (_ng.compress if FAST else zlib.compress)(data, level)


def install_zip_crc() -> None:
    """Make zipfile use the fast CRC-32 (idempotent; the results are identical)."""
    if FAST and zipfile.crc32 is not crc32:
        zipfile.crc32 = crc32


install_zip_crc()
