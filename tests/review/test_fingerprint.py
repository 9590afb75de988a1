"""The package fingerprint (desktop/review/fingerprint.py): exact, reuses verify's hashes, and is
what the desk knows a linked package by — duplicates, the "changed since" check, older rows."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import struct
import zipfile

import pytest

from desktop.export.verify import verify_package
from desktop.review import Review
from desktop.review.fingerprint import PREFIX, TeeReader, fingerprint_file, layout, stream_for
from desktop.review.intake import add_packages
from desktop.review.store import record_file


def _streamed(path, chunk=65_537, rewind=True) -> str:
    with open(path, "rb") as fh:
        s = stream_for(fh)
        t = TeeReader(fh, s)
        buf = bytearray(chunk)
        while t.readinto(buf):
            pass
        if rewind:  # a copy loop that reads again (store_blob does, for same-size blobs) feeds nothing twice
            t.seek(0)
            while t.readinto(buf):
                pass
        return s.hexdigest()


def test_three_ways_agree_and_verify_hashes_are_reused(packages, monkeypatch):
    v = verify_package(packages.a)
    assert v.status == "intact" and len(v.entry_ranges) >= 10
    assert "entry_ranges" not in v.to_dict()  # not part of the recorded verdict
    full = fingerprint_file(packages.a)
    assert fingerprint_file(packages.a, v.entry_ranges) == full == _streamed(packages.a)

    # with verify's hashes, only the bytes between entries are hashed here
    fed = []
    real = hashlib.sha256

    class Counting:
        def __init__(self, *a):
            self.h = real(*a)
            fed.append(sum(len(x) for x in a))

        def update(self, b):
            fed.append(len(b))
            self.h.update(b)

        def digest(self):
            return self.h.digest()

        def hexdigest(self):
            return self.h.hexdigest()

    import desktop.review.fingerprint as fpmod

    monkeypatch.setattr(fpmod.hashlib, "sha256", Counting)
    assert fingerprint_file(packages.a, v.entry_ranges) == full
    assert sum(fed) < packages.a.stat().st_size // 20


def test_definition_by_hand(tmp_path):
    """The documented definition, recomputed independently (docs/review.md)."""
    p = tmp_path / "x.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.txt", b"alpha" * 100)
        z.writestr("b/c.bin", bytes(range(256)) * 40)
        z.writestr("empty", b"")
    raw = p.read_bytes()
    with zipfile.ZipFile(p) as z:
        spans = []
        for zi in z.infolist():
            if zi.compress_size:
                nlen, xlen = struct.unpack("<HH", raw[zi.header_offset + 26:zi.header_offset + 30])
                spans.append((zi.header_offset + 30 + nlen + xlen, zi.compress_size))
    h = hashlib.sha256(PREFIX)
    pos = 0
    for start, n in sorted(spans):
        h.update(b"G" + struct.pack("<Q", start - pos) + raw[pos:start])
        h.update(b"E" + struct.pack("<Q", n) + hashlib.sha256(raw[start:start + n]).digest())
        pos = start + n
    h.update(b"G" + struct.pack("<Q", len(raw) - pos) + raw[pos:])
    assert fingerprint_file(p) == h.hexdigest() == _streamed(p, chunk=7)


def test_any_byte_changes_it(tmp_path, packages):
    base = packages.a.read_bytes()
    ref = fingerprint_file(packages.a)
    spans = layout(open(packages.a, "rb"), len(base))
    first_entry = spans[0][0] + spans[0][1] // 2
    for where in (0, 10, first_entry, len(base) // 2, len(base) - 30, len(base) - 1):
        b = bytearray(base)
        b[where] ^= 0x40
        p = tmp_path / f"flip{where}.zip"
        p.write_bytes(bytes(b))
        assert fingerprint_file(p) != ref, where
    p = tmp_path / "longer.zip"
    p.write_bytes(base + b"\0")
    assert fingerprint_file(p) != ref


def test_not_a_zip_and_odd_layouts(tmp_path):
    p = tmp_path / "notzip.zip"
    p.write_bytes(b"hello, not a zip")
    assert layout(open(p, "rb"), p.stat().st_size) == []
    want = hashlib.sha256(PREFIX + b"G" + struct.pack("<Q", 16) + b"hello, not a zip").hexdigest()
    assert fingerprint_file(p) == want == _streamed(p)
    e = tmp_path / "empty"
    e.write_bytes(b"")
    assert fingerprint_file(e) == hashlib.sha256(PREFIX).hexdigest() == _streamed(e)
    # wrong known hashes (a length that does not match) are not trusted
    assert fingerprint_file(p, {0: (3, "00" * 32)}) == want
    with pytest.raises(ValueError):
        fingerprint_file(p, expect_size=17)


def test_link_mode_uses_it(packages, review_path, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    shutil.copyfile(packages.a, stick / "a.zip")
    shutil.copyfile(packages.a, stick / "a-copy.zip")
    with Review.open(review_path) as rv:
        res = add_packages(rv, [stick], link=True)
        first, second = sorted(res.added, key=lambda r: r.id)
        assert first.file_sha256 == "" and first.fingerprint == fingerprint_file(packages.a)
        assert second.duplicate_of == first.id  # the same bytes: the same fingerprint
        # taken in again, stored this time: a duplicate of the linked one (fingerprints agree across modes)
        (third,) = add_packages(rv, [packages.dup]).added
        assert third.storage == "stored" and third.duplicate_of == first.id
        assert third.file_sha256 == hashlib.sha256(packages.a.read_bytes()).hexdigest()
        target = stick / first.source_name
        b = bytearray(target.read_bytes())
        b[len(b) // 2] ^= 1
        target.write_bytes(bytes(b))
        from desktop.review.file import ReviewError

        with pytest.raises(ReviewError) as e, record_file(rv.conn, first):
            pass
        assert e.value.key == "review.link_changed"


def test_review_file_v2_upgrades_and_old_rows_still_work(packages, review_path, tmp_path):
    """A v2 review file (before fingerprints): its linked packages are still checked by their
    SHA-256, and a package taken in after the upgrade is matched against them by SHA-256 too."""
    stick = tmp_path / "stick"
    stick.mkdir()
    shutil.copyfile(packages.b, stick / "b.zip")
    with Review.open(review_path) as rv:
        (old,) = add_packages(rv, [stick], link=True).added
    sha = hashlib.sha256(packages.b.read_bytes()).hexdigest()
    c = sqlite3.connect(review_path)
    c.execute("UPDATE packages SET fingerprint=NULL, file_sha256=?", (sha,))  # as v2 recorded it
    c.execute("DROP INDEX packages_fingerprint")
    c.execute("ALTER TABLE packages DROP COLUMN fingerprint")
    c.execute("PRAGMA user_version=2")
    c.commit()
    c.close()
    with Review.open(review_path) as rv:
        assert rv.conn.execute("PRAGMA user_version").fetchone()[0] == 3
        rec = rv.package(old.id)
        assert rec.fingerprint is None and rec.identity == sha
        with record_file(rv.conn, rec) as f:
            assert f.read_bytes() == packages.b.read_bytes()
        (again,) = add_packages(rv, [packages.b]).added  # stored: its SHA-256 is the old row's
        assert again.duplicate_of == old.id and again.fingerprint
