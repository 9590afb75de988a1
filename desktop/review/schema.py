"""Schema ladder for review files (`PRAGMA user_version`), like desktop.project.schema.

Each step upgrades version N-1 to N; all pending steps run in ONE exclusive transaction, so a file
either ends at CURRENT_VERSION or stays exactly as it was. The review file is not shipped yet, so
v1 may still change; once shipped, every change is a new step appended to STEPS.

v1: the reviewer's desk (issue #10)
    meta            key/value: format, review_uuid, title, program_id, created/modified/saved …
    blobs, chunks   package bytes copied in, deduplicated by SHA-256 (1 MiB chunks)
    packages        one row per package taken in: where it came from, how it is stored, the
                    verify verdict and what it says about the package (program, applicant,
                    digests, signer), recomputed checks, links (duplicate of, supersedes,
                    previous submission), the review state
    package_events  history of each package: intake, state changes (with reason), links
    notes           the reviewer's notes per package / indicator / evidence file
    notes_files     review notes files issued (what was sent to whom)
    trust           the review's trust list (signer certificate fingerprints)

Later steps add to this without reshaping it — e.g. the expert panel (issue #11): rubrics,
rounds, experts, assignments, scores and decisions, each a table that references packages(id).
Append such a step as `_v2` below and add it to STEPS.

v2: the expert panel (issue #11).
v3: packages.fingerprint — the package's identity without a second hash of its bytes.
"""

from __future__ import annotations

import sqlite3

from ..ladder import run_ladder


def _v1(c: sqlite3.Connection) -> None:
    for sql in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE blobs (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, size INTEGER NOT NULL,"
        " chunk_size INTEGER NOT NULL)",
        "CREATE TABLE chunks (id INTEGER PRIMARY KEY, blob_id INTEGER NOT NULL REFERENCES blobs(id),"
        " seq INTEGER NOT NULL, data BLOB NOT NULL)",
        "CREATE UNIQUE INDEX chunks_blob_seq ON chunks(blob_id, seq)",
        # storage: 'stored' (bytes in blobs/chunks), 'linked' (bytes stay at source_path), 'none'
        # (unreadable: only the record). status: verify's status. The columns after verdict are
        # what verify read from the package, kept as columns so the desk can list and link
        # packages without parsing JSON.
        "CREATE TABLE packages (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, added_at TEXT NOT NULL,"
        " source_path TEXT NOT NULL, source_name TEXT NOT NULL, file_sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
        " storage TEXT NOT NULL, blob_id INTEGER REFERENCES blobs(id),"
        " status TEXT NOT NULL, verdict TEXT NOT NULL DEFAULT '{}',"
        " package_id TEXT, project_uuid TEXT, program_id TEXT NOT NULL DEFAULT '', program_version TEXT NOT NULL DEFAULT '',"
        " applicant TEXT NOT NULL DEFAULT '', applicant_en TEXT NOT NULL DEFAULT '', sealed_at TEXT NOT NULL DEFAULT '',"
        " draft INTEGER NOT NULL DEFAULT 0, content_digest TEXT NOT NULL DEFAULT '',"
        " signature_status TEXT NOT NULL DEFAULT 'unsigned', signer TEXT NOT NULL DEFAULT '',"
        " signer_fingerprint TEXT NOT NULL DEFAULT '',"
        " answers TEXT, recheck TEXT NOT NULL DEFAULT '{}',"
        " duplicate_of INTEGER REFERENCES packages(id), superseded_by INTEGER REFERENCES packages(id),"
        " previous INTEGER REFERENCES packages(id), wrong_program INTEGER NOT NULL DEFAULT 0,"
        " state TEXT NOT NULL DEFAULT 'received', state_at TEXT NOT NULL, info TEXT NOT NULL DEFAULT '{}')",
        "CREATE INDEX packages_sha ON packages(file_sha256)",
        "CREATE INDEX packages_applicant ON packages(program_id, applicant)",
        "CREATE INDEX packages_project ON packages(project_uuid)",
        "CREATE TABLE package_events (id INTEGER PRIMARY KEY, package INTEGER NOT NULL REFERENCES packages(id),"
        " at TEXT NOT NULL, event TEXT NOT NULL, old TEXT, new TEXT, reason TEXT NOT NULL DEFAULT '',"
        " actor TEXT NOT NULL DEFAULT '')",
        "CREATE INDEX package_events_package ON package_events(package)",
        "CREATE TABLE notes (id TEXT PRIMARY KEY, package INTEGER NOT NULL REFERENCES packages(id),"
        " indicator_id TEXT, evidence_path TEXT, evidence_name TEXT, evidence_sha256 TEXT, text TEXT NOT NULL,"
        " author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " notes_file TEXT REFERENCES notes_files(id))",
        "CREATE INDEX notes_package ON notes(package)",
        "CREATE TABLE notes_files (id TEXT PRIMARY KEY, package INTEGER NOT NULL REFERENCES packages(id),"
        " created_at TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, signed INTEGER NOT NULL,"
        " signer_fingerprint TEXT NOT NULL DEFAULT '', items INTEGER NOT NULL, info TEXT NOT NULL DEFAULT '{}')",
        "CREATE TABLE trust (fingerprint TEXT PRIMARY KEY, label TEXT NOT NULL DEFAULT '', certificate BLOB,"
        " added_at TEXT NOT NULL)",
    ):
        c.execute(sql)


def _v2(c: sqlite3.Connection) -> None:
    """The expert panel (issue #11): rubrics per round, experts, sheets, scores, decisions."""
    from ..panel.schema import create_tables

    create_tables(c)


def _v3(c: sqlite3.Connection) -> None:
    """packages.fingerprint (desktop/review/fingerprint.py): the desk's identity of a package,
    built from the entry hashes verify computes, so intake no longer hashes every byte twice.
    Rows taken in before keep fingerprint NULL and are known by file_sha256 as before; linked
    packages taken in from now on record file_sha256 '' (their plain SHA-256 is never computed)."""
    c.execute("ALTER TABLE packages ADD COLUMN fingerprint TEXT")
    c.execute("CREATE INDEX packages_fingerprint ON packages(fingerprint)")


STEPS = [_v1, _v2, _v3]
CURRENT_VERSION = len(STEPS)


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    run_ladder(conn, STEPS, from_version)
