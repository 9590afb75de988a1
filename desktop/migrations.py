"""Schema ladder for `.dossier` files (PRAGMA user_version), in the manner of calibre's schema_upgrades.

Each step upgrades version N-1 to N. All pending steps run in ONE exclusive transaction: either the
file ends at CURRENT_VERSION or it is left exactly as it was. Every step is tested against a saved
fixture of the previous version (tests/fixtures/).
"""

from __future__ import annotations

import sqlite3


def _v1(c: sqlite3.Connection) -> None:
    for sql in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE answers (path TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE TABLE history (id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, path TEXT NOT NULL,"
        " old TEXT, new TEXT)",
        "CREATE INDEX history_path ON history(path)",
        "CREATE TABLE blobs (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, size INTEGER NOT NULL, mime TEXT NOT NULL,"
        " chunk_size INTEGER NOT NULL)",
        "CREATE INDEX blobs_size ON blobs(size)",
        "CREATE TABLE chunks (id INTEGER PRIMARY KEY, blob_id INTEGER NOT NULL REFERENCES blobs(id),"
        " seq INTEGER NOT NULL, data BLOB NOT NULL)",
        "CREATE UNIQUE INDEX chunks_blob_seq ON chunks(blob_id, seq)",
        "CREATE TABLE evidence (id INTEGER PRIMARY KEY, blob_id INTEGER NOT NULL REFERENCES blobs(id),"
        " name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', added_at TEXT NOT NULL)",
        "CREATE TABLE links (evidence_id INTEGER NOT NULL REFERENCES evidence(id), indicator_id TEXT NOT NULL,"
        " slot_id TEXT, added_at TEXT NOT NULL, PRIMARY KEY (evidence_id, indicator_id))",
        "CREATE INDEX links_indicator ON links(indicator_id)",
    ):
        c.execute(sql)


STEPS = [_v1]
CURRENT_VERSION = len(STEPS)


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    if from_version >= CURRENT_VERSION:
        return
    conn.execute("BEGIN EXCLUSIVE")
    try:
        for n in range(from_version, CURRENT_VERSION):
            STEPS[n](conn)
        conn.execute(f"PRAGMA user_version={CURRENT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
