"""A reporting period: a year (2026), a half (2026-H1), a quarter (2026-Q4) or a month (2026-12).

The canonical string is what projects store (meta `period`, `previous_period`) and what the CLI takes;
a Period knows its first and last day (to order periods), its successor (the default next period), its
bilingual name, and how a program's `period:` block writes it into the form and reads it back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..errors import DossierError
from ..models.program import Label, PeriodSpec, Program

_FORMS = (
    ("month", re.compile(r"(\d{4})-(\d{1,2})")),
    ("quarter", re.compile(r"(\d{4})-?[Qq]([1-4])")),
    ("half", re.compile(r"(\d{4})-?[Hh]([12])")),
    ("year", re.compile(r"(\d{4})")),
)
_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}
KIND_NAMES = {"year": Label("年度", "year"), "half": Label("半年", "half-year"), "quarter": Label("季度", "quarter"),
              "month": Label("月份", "month")}


def _err(en: str, zh: str) -> DossierError:
    return DossierError(en, zh, key="period.invalid")


@dataclass(frozen=True)
class Period:
    year: int
    kind: str  # year | half | quarter | month
    index: int = 1  # 1-based within the year (the half, the quarter, the month); 1 for a year

    # ------------------------------------------------------------------ parsing

    @classmethod
    def parse(cls, text: str) -> "Period":
        s = (text or "").strip()
        for kind, rx in _FORMS:
            m = rx.fullmatch(s)
            if m:
                year = int(m.group(1))
                index = int(m.group(2)) if kind != "year" else 1
                if not 1900 <= year <= 2999:
                    break
                if not 1 <= index <= _PER_YEAR[kind]:
                    raise _err(f"{s!r}: a year has {_PER_YEAR[kind]} {kind}s", f"“{s}”：一年只有 {_PER_YEAR[kind]} 个{KIND_NAMES[kind].zh}")
                return cls(year, kind, index)
        raise _err(f"{s!r} is not a period: write a year (2026), a half (2026-H1), a quarter (2026-Q4) or a month (2026-12)",
                   f"“{s}”不是报告期：请写年度（2026）、半年（2026-H1）、季度（2026-Q4）或月份（2026-12）")

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-{'H' if self.kind == 'half' else 'Q'}{self.index}"

    # ------------------------------------------------------------------ calendar

    @property
    def months(self) -> int:
        return 12 // _PER_YEAR[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        m = self.index * self.months
        return dt.date(self.year, m, calendar.monthrange(self.year, m)[1])

    def successor(self) -> "Period":
        if self.index < _PER_YEAR[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def label(self) -> Label:
        if self.kind == "year":
            return Label(f"{self.year}年度", f"{self.year}")
        if self.kind == "month":
            return Label(f"{self.year}年{self.index}月", f"{calendar.month_name[self.index]} {self.year}")
        if self.kind == "quarter":
            return Label(f"{self.year}年第{'一二三四'[self.index - 1]}季度", f"Q{self.index} {self.year}")
        return Label(f"{self.year}年{'上下'[self.index - 1]}半年", f"H{self.index} {self.year}")

    # ------------------------------------------------------------------ the form

    def check_allowed(self, program: Program) -> None:
        spec = program.period
        if spec is not None and self.kind not in spec.kinds:
            kinds_en = ", ".join(spec.kinds)
            kinds_zh = "、".join(KIND_NAMES[k].zh for k in spec.kinds)
            raise _err(f"{program.id} is reported per {kinds_en}, not per {self.kind} ({self})",
                       f"{program.id} 按{kinds_zh}报告，不按{KIND_NAMES[self.kind].zh}（{self}）")

    def answers(self, program: Program) -> dict[str, Any]:
        """The values the program's `period:` block gives its period fields (kind, year, month…)."""
        spec: PeriodSpec | None = program.period
        if spec is None:
            return {}
        out: dict[str, Any] = {}
        if spec.kind:
            out[spec.kind] = self.kind
        if spec.year:
            out[spec.year] = self.year
        for kind in ("month", "quarter", "half"):
            path = getattr(spec, kind)
            if path and self.kind == kind:
                fld = program.field(path)
                out[path] = self.index if fld.type == "integer" else fld.choices[self.index - 1].value
        return out

    @classmethod
    def from_answers(cls, program: Program, answers: dict[str, Any]) -> "Period | None":
        """The period the form states, if its `period:` block names enough fields to tell."""
        spec = program.period
        if spec is None or not spec.year or not isinstance(answers.get(spec.year), int):
            return None
        year = answers[spec.year]
        kind = answers.get(spec.kind) if spec.kind else (spec.kinds[0] if len(spec.kinds) == 1 else None)
        if kind not in spec.kinds:
            return None
        if kind == "year":
            return cls(year, "year")
        path = getattr(spec, kind)
        v = answers.get(path) if path else None
        if v is None:
            return None
        fld = program.field(path)
        index = v if fld.type == "integer" else (fld.choice_values.index(v) + 1 if v in fld.choice_values else None)
        if not isinstance(index, int) or not 1 <= index <= _PER_YEAR[kind]:
            return None
        return cls(year, kind, index)


def period_of(program: Program, meta: dict[str, str], answers: dict[str, Any]) -> Period | None:
    """The period a project reports on. Where the definition names the period in the form and the form
    states one, the form wins (the applicant may have corrected it after the project was started);
    otherwise meta `period`, recorded when the project was started from its previous period."""
    stated = Period.from_answers(program, answers)
    if stated is not None:
        return stated
    m = meta.get("period")
    try:
        return Period.parse(m) if m else None
    except DossierError:
        return None


def default_next(previous: Period | None, program: Program, today: dt.date | None = None) -> Period:
    """The period a new report is most likely for: the one after the previous, or the current one."""
    if previous is not None:
        nxt = previous.successor()
        if program.period is None or nxt.kind in program.period.kinds:
            return nxt
    today = today or dt.date.today()
    kind = program.period.kinds[-1] if program.period is not None else "year"  # the finest kind used
    index = {"year": 1, "half": (today.month - 1) // 6 + 1, "quarter": (today.month - 1) // 3 + 1, "month": today.month}[kind]
    return Period(today.year, kind, index)
