"""Typed results of validating a project: problems and completeness."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .program import Label


@dataclass
class Problem:
    code: str  # a rule id, or a built-in check: required, min_rows, cell_required, evidence_min, min_selected
    severity: str  # "blocking" | "warning"
    message: Label
    indicator_id: str | None = None
    path: str | None = None  # field path, or "<indicator>/#<slot>" for an evidence slot
    rows: list[int] = field(default_factory=list)  # 1-based rows of a table that fail
    column: str | None = None  # the table column whose cells fail (the UI highlights those cells)

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"

    def text(self, lang: str) -> str:
        return self.message.get(lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "indicator": self.indicator_id,
            "path": self.path,
            "rows": self.rows,
            "message": self.message.to_dict(),
            **({"column": self.column} if self.column else {}),
        }


@dataclass
class IndicatorState:
    id: str
    visible: bool = True
    required_total: int = 0
    required_done: int = 0
    answered: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> str:
        """complete / problems / empty / hidden."""
        if not self.visible:
            return "hidden"
        if not self.answered:
            return "empty"
        if self.required_done >= self.required_total and not any(p.blocking for p in self.problems):
            return "complete"
        return "problems"

    @property
    def completeness(self) -> float:
        if not self.required_total:
            return 1.0 if self.answered and not any(p.blocking for p in self.problems) else 0.0
        return self.required_done / self.required_total


@dataclass
class Report:
    problems: list[Problem]
    indicators: dict[str, IndicatorState]
    sections: dict[str, tuple[int, int]]  # section id -> (done, total) required items
    visible_fields: set[str]
    required: dict[str, bool] = field(default_factory=dict)  # required item (field path, "<ind>/#<slot>") -> done

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]

    @property
    def completeness(self) -> float:
        done = sum(d for d, _ in self.sections.values())
        total = sum(t for _, t in self.sections.values())
        return done / total if total else 1.0

    def completeness_of(self, keep) -> float:
        """The share of the required items `keep(path)` selects that are done (a partner's part of a
        hand-off: desktop.handoff.Scope.assigns_field); 1.0 when it selects none."""
        mine = [done for path, done in self.required.items() if keep(path)]
        return sum(mine) / len(mine) if mine else 1.0

    def section_completeness(self, sid: str) -> float:
        d, t = self.sections.get(sid, (0, 0))
        return d / t if t else 1.0
