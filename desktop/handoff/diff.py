"""Differences and three-way merges of answers: scalars as a whole, tables row by row.

Table rows are matched by their stable id (`_id`, desktop.models.rows): rows added on both sides
are both kept, the same row edited on both sides merges cell by cell (a cell changed on both
sides to different values is a conflict), and a row deleted on one side and edited on the other
is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models.rows import ROW_ID

LEAD, PARTNER = "lead", "partner"


def rows_of(value: Any) -> list[dict]:
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _cells(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != ROW_ID}


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {r[ROW_ID]: _cells(r) for r in rows if isinstance(r.get(ROW_ID), str)}


def same(a: Any, b: Any, table: bool = False) -> bool:
    if table:
        return rows_of(a) == rows_of(b)
    return a == b


# ---------------------------------------------------------------------------- table diffs (returns)


def table_diff(base: Any, new: Any) -> dict | None:
    """What changed in a table, by row id: added rows, changed cells (with their base value),
    deleted rows (with their base content) and the new order. None when nothing changed."""
    b_rows, n_rows = rows_of(base), rows_of(new)
    if b_rows == n_rows:
        return None
    b, n = _by_id(b_rows), _by_id(n_rows)
    added = [r for r in n_rows if r.get(ROW_ID) not in b]
    changed = []
    for rid, cells in n.items():
        if rid in b and cells != b[rid]:
            cols = sorted(set(cells) | set(b[rid]))
            changed.append({ROW_ID: rid, "cells": {c: {"base": b[rid].get(c), "value": cells.get(c)}
                                                    for c in cols if b[rid].get(c) != cells.get(c)}})
    deleted = [{ROW_ID: rid, "base": cells} for rid, cells in b.items() if rid not in n]
    return {"added": added, "changed": changed, "deleted": deleted, "order": [r.get(ROW_ID) for r in n_rows]}


def apply_table_diff(base: Any, diff: dict) -> list[dict]:
    """The partner's table: `diff` applied to `base` (the inverse of table_diff)."""
    rows = {rid: dict(cells) for rid, cells in _by_id(rows_of(base)).items()}
    for d in diff.get("deleted", []):
        rows.pop(d[ROW_ID], None)
    for ch in diff.get("changed", []):
        row = rows.get(ch[ROW_ID])
        if row is None:
            continue
        for col, cv in ch["cells"].items():
            if cv.get("value") is None:
                row.pop(col, None)
            else:
                row[col] = cv["value"]
    for r in diff.get("added", []):
        rows[r[ROW_ID]] = _cells(r)
    order = [rid for rid in diff.get("order", []) if rid in rows]
    order += [rid for rid in rows if rid not in order]
    return [{ROW_ID: rid, **rows[rid]} for rid in order]


# ---------------------------------------------------------------------------- three-way merges


@dataclass
class Conflict:
    """One decision the lead has to make: keep the lead's value or take the partner's."""

    key: str  # unique within a merge: "path", "path#row", "path#row.col", "ev:indicator|sha"
    path: str  # field path (or "<indicator>/#evidence")
    kind: str  # value | cell | row | evidence
    base: Any
    lead: Any
    partner: Any
    row: str | None = None
    column: str | None = None
    detail: str = ""  # deleted_by_lead | deleted_by_partner | note … (for rows and evidence)

    def to_dict(self) -> dict[str, Any]:
        d = {"key": self.key, "path": self.path, "kind": self.kind, "base": self.base, "lead": self.lead,
             "partner": self.partner}
        if self.row:
            d["row"] = self.row
        if self.column:
            d["column"] = self.column
        if self.detail:
            d["detail"] = self.detail
        return d


@dataclass
class FieldMerge:
    path: str
    outcome: str  # take | keep | same | merged | conflict
    base: Any
    lead: Any
    partner: Any
    conflicts: list[Conflict] = field(default_factory=list)
    _table: "_TablePlan | None" = None

    def result(self, choices: dict[str, str]) -> Any:
        """The merged value given a side for every conflict (missing choices keep the lead's)."""
        if self._table is not None:
            return self._table.result(choices)
        if self.outcome == "take":
            return self.partner
        if self.outcome == "conflict":
            return self.partner if choices.get(self.path) == PARTNER else self.lead
        return self.lead

    @property
    def changes_lead(self) -> bool:
        return self.outcome in ("take", "merged", "conflict")


def merge_scalar(path: str, base: Any, lead: Any, partner: Any) -> FieldMerge:
    if partner == base:
        return FieldMerge(path, "keep" if lead != base else "same", base, lead, partner)
    if lead == partner:
        return FieldMerge(path, "same", base, lead, partner)
    if lead == base:
        return FieldMerge(path, "take", base, lead, partner)
    return FieldMerge(path, "conflict", base, lead, partner, [Conflict(path, path, "value", base, lead, partner)])


@dataclass
class _TablePlan:
    path: str
    order: list[str]  # row ids of the result, before resolving conflicts
    rows: dict[str, Any]  # rid -> cells (decided), or a callable (choices) -> cells | None
    empty_is_none: bool = True

    def result(self, choices: dict[str, str]) -> list[dict] | None:
        out = []
        for rid in self.order:
            r = self.rows[rid]
            cells = r(choices) if callable(r) else r
            if cells is not None:
                out.append({ROW_ID: rid, **cells})
        return out or None


def merge_table(path: str, base: Any, lead: Any, partner: Any) -> FieldMerge:
    A, L, P = _by_id(rows_of(base)), _by_id(rows_of(lead)), _by_id(rows_of(partner))
    if rows_of(partner) == rows_of(base):
        return FieldMerge(path, "keep" if rows_of(lead) != rows_of(base) else "same", base, lead, partner)
    if rows_of(lead) == rows_of(partner):
        return FieldMerge(path, "same", base, lead, partner)
    if rows_of(lead) == rows_of(base):
        return FieldMerge(path, "take", base, lead, partner)
    conflicts: list[Conflict] = []
    rows: dict[str, Any] = {}
    for rid in list(dict.fromkeys([*L, *P, *A])):
        a, l, p = A.get(rid), L.get(rid), P.get(rid)
        if l is not None and p is not None:
            rows[rid] = _merge_cells(path, rid, a or {}, l, p, conflicts)
        elif l is not None:  # partner deleted it (or lead added it)
            if a is None or l == a:
                rows[rid] = l if a is None else None
            else:
                rows[rid] = _row_choice(path, rid, a, l, None, "deleted_by_partner", conflicts)
        elif p is not None:  # lead deleted it (or partner added it)
            if a is None:
                rows[rid] = p
            elif p == a:
                rows[rid] = None
            else:
                rows[rid] = _row_choice(path, rid, a, None, p, "deleted_by_lead", conflicts)
        else:
            rows[rid] = None
    order = _merged_order([r[ROW_ID] for r in rows_of(lead) if ROW_ID in r],
                          [r[ROW_ID] for r in rows_of(partner) if ROW_ID in r], set(L))
    plan = _TablePlan(path, order, rows)
    outcome = "conflict" if conflicts else "merged"
    fm = FieldMerge(path, outcome, base, lead, partner, conflicts, plan)
    return fm


def _merge_cells(path: str, rid: str, a: dict, l: dict, p: dict, conflicts: list[Conflict]):
    out: dict[str, Any] = {}
    pending: list[tuple[str, Any, Any]] = []
    for col in dict.fromkeys([*l, *p, *a]):
        av, lv, pv = a.get(col), l.get(col), p.get(col)
        if pv == av or lv == pv:
            v = lv
        elif lv == av:
            v = pv
        else:
            key = f"{path}#{rid}.{col}"
            conflicts.append(Conflict(key, path, "cell", av, lv, pv, row=rid, column=col))
            pending.append((key, lv, pv))
            v = ("__pending__", col)
        out[col] = v
    if not pending:
        return {k: v for k, v in out.items() if v is not None}

    def resolve(choices: dict[str, str], out=out, pending=pending):
        res = dict(out)
        for key, lv, pv in pending:
            col = key.rsplit(".", 1)[1]
            res[col] = pv if choices.get(key) == PARTNER else lv
        return {k: v for k, v in res.items() if v is not None}

    return resolve


def _row_choice(path, rid, a, l, p, detail, conflicts):
    key = f"{path}#{rid}"
    conflicts.append(Conflict(key, path, "row", a, l, p, row=rid, detail=detail))

    def resolve(choices: dict[str, str]):
        return p if choices.get(key) == PARTNER else l

    return resolve


def _merged_order(lead_ids: list[str], partner_ids: list[str], lead_set: set[str]) -> list[str]:
    """The lead's order, with rows only the partner has inserted after their predecessor in the
    partner's order (rows appended by the partner stay at the end of the partner's rows)."""
    order = list(lead_ids)
    prev: str | None = None
    for rid in partner_ids:
        if rid not in lead_set and rid not in order:
            pos = order.index(prev) + 1 if prev in order else 0
            order.insert(pos, rid)
        prev = rid
    return order
