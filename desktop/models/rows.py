"""Stable row identities for table answers (schema v2).

Every stored table row carries a reserved key `_id` (12 hex digits), so that a row keeps its
identity when rows are inserted, moved or deleted around it. Hand-off merges match rows by it, and
the reviewer's desk compares resubmissions by it. Exports leave it out (`strip_row_ids`): it is
bookkeeping, not an answer.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

ROW_ID = "_id"
ROW_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def new_row_id() -> str:
    return uuid.uuid4().hex[:12]


def _content(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != ROW_ID}


def assign_row_ids(new: list[dict] | None, old: list[dict] | None) -> list[dict] | None:
    """Give every row of `new` an id. Rows that already have one keep it; a row without one takes
    the id of an unclaimed old row with the same content (so re-setting a table from JSON without
    ids does not change identities), else a fresh id. Duplicate ids in `new` are renewed."""
    if not new:
        return new
    old = old or []
    claimed: set[str] = {r[ROW_ID] for r in new if isinstance(r.get(ROW_ID), str)}
    out: list[dict] = []
    seen: set[str] = set()
    for row in new:
        rid = row.get(ROW_ID)
        if not isinstance(rid, str) or rid in seen:
            rid = None
            content = _content(row)
            for o in old:
                oid = o.get(ROW_ID)
                if isinstance(oid, str) and oid not in claimed and _content(o) == content:
                    rid = oid
                    break
            if rid is None:
                rid = new_row_id()
                while rid in claimed:
                    rid = new_row_id()
        claimed.add(rid)
        seen.add(rid)
        if row.get(ROW_ID) == rid and next(iter(row)) == ROW_ID:
            out.append(row)  # already in stored form: the same object (large tables: no copy per edit)
        else:
            out.append({ROW_ID: rid, **_content(row)})
    return out


def strip_row_ids(value: Any) -> Any:
    """The value without row identities (for exports and comparisons of content)."""
    if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        return [_content(r) for r in value]
    return value


def strip_all(answers: dict[str, Any]) -> dict[str, Any]:
    return {p: strip_row_ids(v) for p, v in answers.items()}
