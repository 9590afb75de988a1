"""The panel's tables in the review file — step v2 of the review file's schema ladder
(desktop.review.schema calls `create_tables` inside its one exclusive migration transaction).

    panel_rounds      one row per round: when it started, why, and when its rubric froze
    panel_rubrics     every rubric version of every round ("dossier-rubric" JSON, its SHA-256);
                      a round's rubric is its latest version; the first merged score freezes it
    panel_experts     the experts (a name, unique case-insensitively)
    panel_sheets      expert sheets issued: round, rubric version, expert, packages, file SHA-256;
                      when its score sheet was merged (one merge per sheet), signer, score sheet id
    panel_assignments (sheet, package): which packages a sheet holds
    panel_coi         an expert's conflict-of-interest declaration per package (recused + reason)
    panel_scores      one level per (round, expert, package, criterion), comment, evidence pointer
    panel_gates       one pass/fail per (round, expert, package, gate), reason, the pre-filled value
    panel_overall     the overall score, confidence and comment per (round, expert, package)
    panel_decisions   decisions per package (recommended / not_recommended), newest is current:
                      the history is the table itself
"""

from __future__ import annotations

import sqlite3

TABLES = (
    "CREATE TABLE panel_rounds (round INTEGER PRIMARY KEY, started_at TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " frozen_at TEXT, frozen_version INTEGER)",
    "CREATE TABLE panel_rubrics (id INTEGER PRIMARY KEY, round INTEGER NOT NULL REFERENCES panel_rounds(round),"
    " version INTEGER NOT NULL, created_at TEXT NOT NULL, rubric TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " note TEXT NOT NULL DEFAULT '', UNIQUE(round, version))",
    "CREATE TABLE panel_experts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL UNIQUE,"
    " added_at TEXT NOT NULL)",
    "CREATE TABLE panel_sheets (id TEXT PRIMARY KEY, round INTEGER NOT NULL REFERENCES panel_rounds(round),"
    " rubric_version INTEGER NOT NULL, rubric_sha256 TEXT NOT NULL, expert INTEGER NOT NULL REFERENCES panel_experts(id),"
    " issued_at TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, merged_at TEXT, scores_id TEXT,"
    " scores_sha256 TEXT, signer_fingerprint TEXT NOT NULL DEFAULT '', info TEXT NOT NULL DEFAULT '{}')",
    "CREATE TABLE panel_assignments (sheet TEXT NOT NULL REFERENCES panel_sheets(id),"
    " package INTEGER NOT NULL REFERENCES packages(id), PRIMARY KEY(sheet, package))",
    "CREATE INDEX panel_assignments_package ON panel_assignments(package)",
    "CREATE TABLE panel_coi (round INTEGER NOT NULL, expert INTEGER NOT NULL REFERENCES panel_experts(id),"
    " package INTEGER NOT NULL REFERENCES packages(id), recused INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " at TEXT NOT NULL, PRIMARY KEY(round, expert, package))",
    "CREATE TABLE panel_scores (round INTEGER NOT NULL, expert INTEGER NOT NULL REFERENCES panel_experts(id),"
    " package INTEGER NOT NULL REFERENCES packages(id), criterion TEXT NOT NULL, value REAL NOT NULL,"
    " comment TEXT NOT NULL DEFAULT '', evidence TEXT, at TEXT NOT NULL,"
    " PRIMARY KEY(round, expert, package, criterion))",
    "CREATE TABLE panel_gates (round INTEGER NOT NULL, expert INTEGER NOT NULL REFERENCES panel_experts(id),"
    " package INTEGER NOT NULL REFERENCES packages(id), gate TEXT NOT NULL, passed INTEGER NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', prefilled INTEGER, at TEXT NOT NULL, PRIMARY KEY(round, expert, package, gate))",
    "CREATE TABLE panel_overall (round INTEGER NOT NULL, expert INTEGER NOT NULL REFERENCES panel_experts(id),"
    " package INTEGER NOT NULL REFERENCES packages(id), score REAL, confidence TEXT, comment TEXT NOT NULL DEFAULT '',"
    " at TEXT NOT NULL, PRIMARY KEY(round, expert, package))",
    "CREATE TABLE panel_decisions (id INTEGER PRIMARY KEY, package INTEGER NOT NULL REFERENCES packages(id),"
    " round INTEGER, at TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT NOT NULL, actor TEXT NOT NULL DEFAULT '',"
    " info TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX panel_decisions_package ON panel_decisions(package)",
)


def create_tables(c: sqlite3.Connection) -> None:
    for sql in TABLES:
        c.execute(sql)
