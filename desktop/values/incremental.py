"""Large tables at the speed of one row: editing a cell of a 10,000-row table must not re-check,
re-encode and re-compare 10,000 rows.

- `FrozenRow`: a stored, already-checked table row. It refuses changes in place (every editor
  builds new rows, as the table model does), so a row object that comes back unchanged can be
  trusted without checking it again.
- `coerce_known(field, value, known)`: `coerce`, but rows that are (or equal) rows of `known` — the
  value as stored — are taken as they are; only new or changed rows are checked. The result is
  exactly what `coerce` returns (a row equal to a checked row *is* checked), row numbers in
  messages included.
- `RowJson`: the JSON text of a row list built from per-row pieces kept from the last time, byte
  for byte what `json.dumps(rows, ensure_ascii=False)` gives.
"""

from __future__ import annotations

import json
import operator
from itertools import compress, count
from typing import Any

from ..errors import ValueProblem
from ..models.program import Field
from ..models.rows import ROW_ID, ROW_ID_RE
from .coerce import coerce


def all_frozen(rows: list) -> bool:
    """Every row is a FrozenRow (in C: no Python call per row)."""
    return bool(rows) and set(map(type, rows)) == {FrozenRow}


def changed_positions(new: list, old: list) -> list[int] | None:
    """Where `new` holds another object than `old` (lists of the same length; else None). Runs in C:
    a cell edit of a 10,000-row table finds its one changed row in well under a millisecond."""
    if len(new) != len(old):
        return None
    return list(compress(count(), map(operator.is_not, new, old)))


class FrozenRow(dict):
    """A checked table row; changes in place are refused (copy it: `dict(row)`)."""

    __slots__ = ()

    def _refuse(self, *_a, **_k):
        raise TypeError("a stored table row is read-only; build a new row (dict(row)) and store the new list")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _refuse  # type: ignore[assignment]

    def __ior__(self, _other):  # type: ignore[override]
        self._refuse()

    def __copy__(self):
        return dict(self)

    def __deepcopy__(self, memo):
        import copy

        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self):
        return (dict, (dict(self),))


def stored_rows(new: list, old: Any) -> list:
    """The rows as stored: stable ids (desktop.models.rows.assign_row_ids) and FrozenRow. When only
    a few rows changed in place and kept their ids (a cell edit), only those rows are touched."""
    from ..models.rows import assign_row_ids

    if isinstance(old, list) and all_frozen(old):
        ch = changed_positions(new, old)
        if ch is not None and len(ch) * 4 <= len(new):
            out = list(new)
            for n in ch:
                row = new[n]
                rid = row.get(ROW_ID) if isinstance(row, dict) else None
                if not isinstance(rid, str) or rid != old[n].get(ROW_ID) or not ROW_ID_RE.match(rid):
                    return freeze_rows(assign_row_ids(new, old))
                if type(row) is not FrozenRow or next(iter(row)) != ROW_ID:
                    out[n] = FrozenRow({ROW_ID: rid, **{k: x for k, x in row.items() if k != ROW_ID}})
            return out
    return freeze_rows(assign_row_ids(new, old if isinstance(old, list) else None))


def freeze_rows(rows: list | None) -> list | None:
    if not rows:
        return rows
    return [r if type(r) is FrozenRow else FrozenRow(r) for r in rows]


def coerce_known(fld: Field, v: Any, known: Any) -> Any:
    """`coerce(fld, v)`, skipping the rows of a table that are stored rows of `known`: only new or
    changed rows are checked. A stored row (a FrozenRow of `known`) passed back as it is, or a row
    equal to one, is already checked. A refusal is worded by `coerce` on the whole value, so that
    it names the right row."""
    if fld.type != "table" or not isinstance(v, list) or not isinstance(known, list) or not known:
        return coerce(fld, v)
    if fld.max_rows is not None and len(v) > fld.max_rows:
        return coerce(fld, v)  # let coerce word the refusal
    if not all_frozen(known):
        return coerce(fld, v)  # not what this process stored: check everything
    out: list[Any] = list(v)
    ch = changed_positions(v, known)
    if ch is not None:
        # same length (a cell edit): the other positions hold the stored rows themselves
        todo = []
        ids = None
        for n in ch:
            row = v[n]
            if isinstance(row, dict) and row == known[n]:
                out[n] = known[n]
                continue
            if type(row) is FrozenRow:  # a stored row moved to another place
                ids = ids if ids is not None else set(map(id, known))
                if id(row) in ids:
                    continue
            todo.append(n)
    else:
        # rows inserted or removed: find each row among the stored ones
        ids = set(map(id, known))
        by_id = {r.get(ROW_ID): r for r in known if isinstance(r.get(ROW_ID), str)}
        todo = []
        for n, row in enumerate(v):
            if id(row) in ids and type(row) is FrozenRow:
                continue
            k = by_id.get(row.get(ROW_ID)) if isinstance(row, dict) else None
            if k is not None and k == row:
                out[n] = k
            else:
                todo.append(n)
    for n in todo:
        try:
            got = coerce(fld, [v[n]])
        except ValueProblem:
            return coerce(fld, v)  # the same refusal, naming row n + 1
        out[n] = got[0] if got else {}
    return out or None


class RowJson:
    """The JSON text of a stored list of rows, re-encoding only the rows that changed since the
    last call (found by identity: unchanged rows are the same FrozenRow objects, which cannot have
    changed). Byte for byte `json.dumps(rows, ensure_ascii=False)`."""

    def __init__(self):
        self._rows: list | None = None
        self._pieces: list[str] = []

    def dumps(self, rows: list) -> str:
        if not rows or not all_frozen(rows):
            self._rows, self._pieces = None, []
            return json.dumps(rows, ensure_ascii=False)
        ch = changed_positions(rows, self._rows) if self._rows is not None else None
        if ch is not None and len(ch) * 4 <= len(rows):
            pieces = list(self._pieces)
            for n in ch:
                pieces[n] = json.dumps(rows[n], ensure_ascii=False)
        else:
            pieces = [json.dumps(r, ensure_ascii=False) for r in rows]
        self._rows, self._pieces = list(rows), pieces
        return "[" + ", ".join(pieces) + "]"
