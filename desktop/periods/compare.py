"""The previous period's figures of a project and the change since: what the form shows beside each
numeric per-period field and what the sealed package carries (desktop.periods.package).

A project started from a previous period keeps, in meta `previous_values`, the value every numeric
per-period field had there (null when it was not reported). `Change` is computed here once, for the
form, the PDF and the CLI alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from ..models.program import NUMERIC_TYPES, Field, Label, Program


def numeric_per_period(program: Program) -> list[Field]:
    """The figures whose previous value and change are shown: numeric per-period fields, except the
    ones that name the period itself (its year, month…)."""
    spec = program.period
    naming = {getattr(spec, k) for k in ("kind", "year", "half", "quarter", "month")} if spec else set()
    return [f for f in program.per_period_fields if f.type in NUMERIC_TYPES and f.path not in naming]


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def previous_values(meta: Mapping[str, str]) -> dict[str, int | float | None] | None:
    """The previous period's figures recorded in a project's meta, or None when the project was not
    started from a previous period. Malformed entries are dropped, never trusted."""
    if not meta.get("previous_period"):
        return None
    try:
        raw = json.loads(meta.get("previous_values") or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): (v if is_number(v) else None) for k, v in raw.items() if isinstance(k, str)}


@dataclass(frozen=True)
class Change:
    previous: int | float | None
    current: int | float | None

    @property
    def delta(self) -> int | float | None:
        if not (is_number(self.previous) and is_number(self.current)):
            return None
        d = self.current - self.previous
        return round(d, 9) if isinstance(d, float) else d

    @property
    def relative(self) -> float | None:
        """The change in per cent of the previous value (None when there is no previous value or it is 0)."""
        d = self.delta
        if d is None or not self.previous:
            return None
        return d / abs(self.previous) * 100


def _fmt(f: Field, v: int | float) -> str:
    if f.decimals is not None and f.type != "integer":
        s = f"{v:,.{f.decimals}f}"
    elif isinstance(v, float) and not v.is_integer():
        s = f"{v:,.6f}".rstrip("0").rstrip(".")
    else:
        s = f"{int(v):,}"
    return s + ("%" if f.type == "percent" else "")


def _signed(f: Field, d: int | float) -> str:
    body = _fmt(f, abs(d)).rstrip("%")
    return ("+" if d > 0 else "−" if d < 0 else "±") + body


def describe(f: Field, previous: Any, current: Any) -> Label:
    """"上期 1,850.6 → 本期 2,010.0（+8.6%）" / "Previous period 1,850.6 → now 2,010.0 (+8.6 %)".
    A percent field changes by percentage points, not by a percentage of itself."""
    c = Change(previous if is_number(previous) else None, current if is_number(current) else None)
    if c.previous is None:
        return Label("上期未填报", "Not reported in the previous period")
    prev = _fmt(f, c.previous)
    if c.current is None:
        return Label(f"上期 {prev}", f"Previous period: {prev}")
    cur = _fmt(f, c.current)
    d = c.delta
    if f.type == "percent":
        zh, en = f"{_signed(f, d)} 个百分点", f"{_signed(f, d)} points"
    elif c.relative is not None:
        zh = en = f"{'+' if c.relative > 0 else '−' if c.relative < 0 else '±'}{abs(c.relative):.1f}%"
        en = en[:-1] + " %"
    else:
        zh = en = _signed(f, d)
    return Label(f"上期 {prev} → 本期 {cur}（{zh}）", f"Previous period {prev} → now {cur} ({en})")
