"""Schema ladder for `.dossier` files (PRAGMA user_version), in the manner of calibre's schema_upgrades.

Each step upgrades version N-1 to N. All pending steps run in ONE exclusive transaction: either the
file ends at CURRENT_VERSION or it is left exactly as it was. Every step is tested against a saved
fixture of the previous version (tests/fixtures/project-v1.dossier, project-v2.dossier, project-v3.dossier).

v1: meta, answers, history, the evidence store (blobs, chunks, evidence, links).
v2: the loop between people — a project UUID, stable table row ids, who made an edit (history.actor),
    hand-offs given out (handoffs, handoff_events), reviewer notes received (review_notes, and the
    notes files they came in: review_notes_files), the
    project's own export history (exports, for resubmission deltas).
v3: blobs.crc32 — each stored file's CRC-32, recorded by attach beside its SHA-256. An export
    writes the file into the zip, which computes the CRC-32 anyway, and checks it against this
    record instead of hashing every byte again (issue #17: the SHA-256 was a third of a 1 GiB
    export's CPU). NULL for files stored before v3 and for files a hand-off merge brought in
    without one: those are checked by their SHA-256, as before.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from ..ladder import run_ladder


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


def _v2(c: sqlite3.Connection) -> None:
    c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('project_uuid', ?)", (str(uuid.uuid4()),))
    c.execute("ALTER TABLE history ADD COLUMN actor TEXT NOT NULL DEFAULT ''")
    # table answers (lists of row objects) get stable row ids; see desktop.project.rows
    for path, value in c.execute("SELECT path, value FROM answers").fetchall():
        try:
            rows = json.loads(value)
        except ValueError:
            continue
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            seen: set[str] = set()
            out = []
            for r in rows:
                rid = uuid.uuid4().hex[:12]
                while rid in seen:
                    rid = uuid.uuid4().hex[:12]
                seen.add(rid)
                out.append({"_id": rid, **{k: v for k, v in r.items() if k != "_id"}})
            c.execute("UPDATE answers SET value=? WHERE path=?", (json.dumps(out, ensure_ascii=False), path))
    for sql in (
        # lead side: parts handed to partners (desktop.handoff)
        "CREATE TABLE handoffs (id TEXT PRIMARY KEY, partner TEXT NOT NULL, created_at TEXT NOT NULL,"
        " scope TEXT NOT NULL, base TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " info TEXT NOT NULL DEFAULT '{}')",
        "CREATE TABLE handoff_events (id INTEGER PRIMARY KEY, handoff_id TEXT NOT NULL REFERENCES handoffs(id),"
        " at TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}')",
        "CREATE INDEX handoff_events_handoff ON handoff_events(handoff_id)",
        # applicant side: notes from a reviewer (desktop.review notes import)
        "CREATE TABLE review_notes (id TEXT PRIMARY KEY, notes_id TEXT NOT NULL, indicator_id TEXT,"
        " evidence_sha256 TEXT, text TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,"
        " state TEXT NOT NULL DEFAULT 'open', reply TEXT NOT NULL DEFAULT '', replied_at TEXT,"
        " info TEXT NOT NULL DEFAULT '{}')",
        "CREATE INDEX review_notes_indicator ON review_notes(indicator_id)",
        # the notes files imported (what each said about itself and the package it answered)
        "CREATE TABLE review_notes_files (notes_id TEXT PRIMARY KEY, imported_at TEXT NOT NULL,"
        " created_at TEXT NOT NULL, reviewer TEXT NOT NULL DEFAULT '', info TEXT NOT NULL DEFAULT '{}')",
        # every package exported from this project (resubmission deltas name their basis)
        "CREATE TABLE exports (id INTEGER PRIMARY KEY, at TEXT NOT NULL, package_id TEXT NOT NULL,"
        " content_digest TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, files TEXT NOT NULL DEFAULT '{}',"
        " outputs TEXT NOT NULL DEFAULT '[]', info TEXT NOT NULL DEFAULT '{}')",
    ):
        c.execute(sql)


def _v3(c: sqlite3.Connection) -> None:
    c.execute("ALTER TABLE blobs ADD COLUMN crc32 INTEGER")  # NULL: not recorded (SHA-256-checked)


STEPS = [_v1, _v2, _v3]
CURRENT_VERSION = len(STEPS)


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    run_ladder(conn, STEPS, from_version)
