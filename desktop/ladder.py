"""A schema ladder for Dossier's SQLite files (projects, review files, expert sheets), in the
manner of calibre's schema_upgrades: step N upgrades version N to N+1, and all pending steps run
in ONE exclusive transaction, so a file ends at the current version or is left exactly as it was."""

from __future__ import annotations

import sqlite3
from typing import Callable, Sequence


def run_ladder(conn: sqlite3.Connection, steps: Sequence[Callable[[sqlite3.Connection], None]],
               from_version: int) -> None:
    current = len(steps)
    if from_version >= current:
        return
    conn.execute("BEGIN EXCLUSIVE")
    try:
        for n in range(from_version, current):
            steps[n](conn)
        conn.execute(f"PRAGMA user_version={current}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
