"""The panel's experts, as the coordinator names them (one name, unique ignoring case and spaces),
and the sheets issued to them."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import dataclass

from ..review.file import ReviewError, utcnow


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def check_name(name: str) -> str:
    name = " ".join(unicodedata.normalize("NFKC", name or "").split())
    if not name:
        raise ReviewError("Give the expert's name", "请填写专家姓名", key="panel.no_expert")
    if len(name) > 200:
        raise ReviewError("The expert's name is too long (at most 200 characters)", "专家姓名过长（最多 200 个字符）",
                          key="panel.bad_expert")
    return name


def expert_id(c: sqlite3.Connection, name: str) -> int:
    """The expert's id, adding the expert (inside the caller's transaction) when new."""
    row = c.execute("SELECT id FROM panel_experts WHERE key=?", (name_key(name),)).fetchone()
    if row:
        return row[0]
    return c.execute("INSERT INTO panel_experts(name, key, added_at) VALUES (?, ?, ?)",
                     (name, name_key(name), utcnow())).lastrowid


@dataclass
class SheetRecord:
    id: str
    round: int
    rubric_version: int
    rubric_sha256: str
    expert_id: int
    expert: str
    issued_at: str
    path: str
    sha256: str
    merged_at: str | None
    scores_id: str | None
    signer_fingerprint: str
    packages: list[int]
    info: dict

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "round", "rubric_version", "rubric_sha256", "expert", "issued_at",
                                              "path", "sha256", "merged_at", "scores_id", "signer_fingerprint",
                                              "packages")}


def sheets(rv, round_no: int | None = None) -> list[SheetRecord]:
    sql = ("SELECT s.id, s.round, s.rubric_version, s.rubric_sha256, s.expert, e.name, s.issued_at, s.path, s.sha256,"
           " s.merged_at, s.scores_id, s.signer_fingerprint, s.info FROM panel_sheets s JOIN panel_experts e ON e.id=s.expert")
    args: tuple = ()
    if round_no is not None:
        sql += " WHERE s.round=?"
        args = (round_no,)
    out = []
    for row in rv.conn.execute(sql + " ORDER BY s.issued_at, s.id", args).fetchall():
        pk = [r[0] for r in rv.conn.execute("SELECT package FROM panel_assignments WHERE sheet=? ORDER BY package", (row[0],))]
        out.append(SheetRecord(*row[:12], pk, json.loads(row[12] or "{}")))
    return out


def experts(rv) -> list[tuple[int, str]]:
    return [(i, n) for i, n in rv.conn.execute("SELECT id, name FROM panel_experts ORDER BY id")]
