"""The small signed zips Dossier exchanges between people (review notes `.dossier-notes`, score
sheets `.dscores`): a stored `mimetype` entry first (the magic), one JSON document, a
`manifest-sha256.txt` over both, and optionally a detached CMS signature over the manifest
(`signature.p7s`, `signer-cert.pem`). One writer, so both formats stay byte-for-byte deterministic
in the same way: fixed entry order, a timestamp taken from the document, Unix permissions 0644."""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import zipfile
from typing import Iterable

MANIFEST = "manifest-sha256.txt"
SIGNATURE_FILES = ("signature.p7s", "signer-cert.pem")


def manifest_bytes(files: dict[str, bytes], names: Iterable[str]) -> bytes:
    """`sha256sum` lines for `names`, in that order (checkable with `sha256sum -c`)."""
    return "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in names).encode()


def zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    """The zip entries' timestamp from the document's `created_at` (UTC, Z), so the bytes are reproducible."""
    try:
        t = _dt.datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ")
        return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)
    except ValueError:
        return (1980, 1, 1, 0, 0, 0)


def build(files: dict[str, bytes], order: Iterable[str], created_at: str, *, deflate: Iterable[str] = ()) -> bytes:
    """The zip of `files` in `order` (names missing from `files` are skipped); `mimetype` is always stored."""
    deflate = set(deflate) - {"mimetype"}
    when = zip_time(created_at)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name in order:
            if name not in files:
                continue
            zi = zipfile.ZipInfo(name, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            zi.create_system = 3
            zi.external_attr = 0o100644 << 16
            z.writestr(zi, files[name])
    return buf.getvalue()
