"""Recurring reports: periods, and starting the next period from the previous one.

    from desktop.periods import start_next_period
    plan = start_next_period("2026-11.dossier", "2026-12.dossier", "2026-12")

- `period`       Period: 2026, 2026-H1, 2026-Q4, 2026-12 — parsing, order, successor, the form's fields
- `next_period`  plan_next_period / start_next_period: the new, linked project (carried answers and
                 evidence, per-period answers empty, the period set), built under a temporary name
- `compare`      the previous period's figures of a project and the change (form, PDF, CLI)
- `package`      the export extras provider: data/previous-period.json and the PDF's data

A program is recurring when its definition has a `period:` block or `per_period` fields
(docs/program-format.md, "Recurring reports").
"""

from __future__ import annotations

from .compare import Change, describe, numeric_per_period, previous_values
from .next_period import NextPeriodPlan, open_previous, plan_next_period, previous_period_of, start_next_period
from .period import Period, default_next, period_of

__all__ = ["Change", "NextPeriodPlan", "Period", "default_next", "describe", "numeric_per_period", "open_previous",
           "period_of", "plan_next_period", "previous_period_of", "previous_values", "start_next_period"]
