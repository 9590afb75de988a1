"""What a hand-off assigns: whole indicators and, where a program splits an indicator between
units (e.g. the profile of each lead unit in one table of units), single fields.

A field is assigned when its indicator is, or when its path is listed. Evidence belongs to
indicators, so only wholly assigned indicators carry evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..errors import DossierError
from ..models.program import Program


def _err(en: str, zh: str, key: str) -> DossierError:
    return DossierError(en, zh, key=key)


@dataclass(frozen=True)
class Scope:
    indicators: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()  # field paths outside the assigned indicators
    context: tuple[str, ...] = ()  # indicators shown read-only to the partner
    part: str = ""  # the program part it came from, if any

    # ------------------------------------------------------------------ queries

    def field_paths(self, program: Program) -> list[str]:
        """Every assigned field path, in program order."""
        inds = set(self.indicators)
        extra = set(self.fields)
        return [f.path for ind in program.indicators() for f in ind.fields if ind.id in inds or f.path in extra]

    def assigns_field(self, path: str) -> bool:
        return path.split("/", 1)[0] in self.indicators or path in self.fields

    def assigns_indicator(self, iid: str) -> bool:
        """The indicator is wholly assigned (its fields and its evidence)."""
        return iid in self.indicators

    def touches_indicator(self, iid: str) -> bool:
        """The indicator is assigned wholly or in part."""
        return iid in self.indicators or any(p.split("/", 1)[0] == iid for p in self.fields)

    def visible_indicator(self, iid: str) -> bool:
        return self.touches_indicator(iid) or iid in self.context

    def overlaps(self, other: "Scope", program: Program) -> list[str]:
        mine = set(self.field_paths(program))
        return [p for p in other.field_paths(program) if p in mine]

    def describe(self) -> str:
        items = list(self.indicators) + list(self.fields)
        return ", ".join(items)

    # ------------------------------------------------------------------ (de)serialise

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"indicators": list(self.indicators), "fields": list(self.fields)}
        if self.context:
            d["context"] = list(self.context)
        if self.part:
            d["part"] = self.part
        return d

    @classmethod
    def from_dict(cls, d: Any, program: Program | None = None) -> "Scope":
        if not isinstance(d, dict):
            raise _err("The assignment is malformed", "分工范围格式有误", "handoff.bad_scope")
        def strs(key: str) -> tuple[str, ...]:
            v = d.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise _err("The assignment is malformed", "分工范围格式有误", "handoff.bad_scope")
            return tuple(v)
        part = d.get("part", "")
        s = cls(strs("indicators"), strs("fields"), strs("context"), part if isinstance(part, str) else "")
        if program is not None:
            s.check(program)
        return s

    def check(self, program: Program) -> None:
        for iid in self.indicators + self.context:
            if program.indicator(iid) is None:
                raise _err(f"Unknown indicator {iid!r} in program {program.id}",
                           f"程序 {program.id} 中没有指标 {iid!r}", "indicator.unknown")
        for p in self.fields:
            if program.field(p) is None:
                raise _err(f"Unknown field {p!r} in program {program.id}", f"程序 {program.id} 中没有字段 {p!r}",
                           "field.unknown")
        if not self.indicators and not self.fields:
            raise _err("Nothing is assigned: choose at least one indicator or section",
                       "未分配任何内容：请至少选择一个指标或部分", "handoff.empty_scope")


@dataclass
class ScopeRequest:
    """What a user asked for (CLI options or ticks in the dialog), before it is resolved."""

    indicators: list[str] = field(default_factory=list)  # ids, or field paths "<indicator>/<field>"
    sections: list[str] = field(default_factory=list)
    part: str | None = None
    context: list[str] = field(default_factory=list)  # indicator or section ids


def _split(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for it in items:
        out.extend(x.strip() for x in str(it).split(",") if x.strip())
    return out


def resolve_scope(program: Program, req: ScopeRequest) -> Scope:
    """Indicators, sections and a program part, unioned, in program order."""
    inds: set[str] = set()
    fields: set[str] = set()
    part_id = ""
    if req.part:
        part = program.part(req.part)
        if part is None:
            known = ", ".join(p.id for p in program.parts)
            raise _err(f"Program {program.id} has no part {req.part!r}; parts: {known or '(none)'}",
                       f"程序 {program.id} 中没有分工部分 {req.part!r}；可用：{known or '（无）'}", "handoff.unknown_part")
        inds.update(part.indicators)
        fields.update(part.fields)
        part_id = part.id
    for sid in _split(req.sections):
        sec = next((s for s in program.sections if s.id == sid), None)
        if sec is None:
            known = ", ".join(s.id for s in program.sections)
            raise _err(f"Unknown section {sid!r}; sections are: {known}", f"未知的部分 {sid!r}；可用：{known}",
                       "section.unknown")
        inds.update(i.id for i in sec.indicators)
    for item in _split(req.indicators):
        if "/" in item:
            if program.field(item) is None:
                raise _err(f"Unknown field {item!r} in program {program.id}", f"程序 {program.id} 中没有字段 {item!r}",
                           "field.unknown")
            fields.add(item)
        elif program.indicator(item) is None:
            known = ", ".join(i.id for i in program.indicators())
            raise _err(f"Unknown indicator {item!r}; indicators are: {known}", f"未知的指标 {item!r}；可用指标：{known}",
                       "indicator.unknown")
        else:
            inds.add(item)
    ctx: set[str] = set()
    for item in _split(req.context):
        sec = next((s for s in program.sections if s.id == item), None)
        if sec is not None and program.indicator(item) is None:
            ctx.update(i.id for i in sec.indicators)
        elif program.indicator(item) is not None:
            ctx.add(item)
        else:
            raise _err(f"Unknown indicator or section {item!r} for --context",
                       f"--context 中的指标或部分 {item!r} 不存在", "indicator.unknown")
    order = [i.id for i in program.indicators()]
    fields = {p for p in fields if p.split("/", 1)[0] not in inds}
    scope = Scope(
        indicators=tuple(i for i in order if i in inds),
        fields=tuple(f.path for i in program.indicators() for f in i.fields if f.path in fields),
        context=tuple(i for i in order if i in ctx and i not in inds),
        part=part_id,
    )
    scope.check(program)
    return scope
