"""Typed model of a program definition (see docs/program-format.md).

Conditions and operands stay plain mappings (they are data for desktop.rules), but every field
reference inside them is made absolute (`<indicator>/<field>`) by the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

FIELD_TYPES = ("text", "longtext", "integer", "number", "percent", "date", "choice", "multichoice", "boolean", "table")
COLUMN_TYPES = ("text", "longtext", "integer", "number", "percent", "date", "choice", "boolean")
NUMERIC_TYPES = ("integer", "number", "percent")


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Text in `lang`, falling back to Chinese (the official language)."""
        return self.en if lang == "en" and self.en else self.zh

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    @staticmethod
    def of(d: dict | None) -> "Label | None":
        return Label(d["zh"], d["en"]) if d else None


@dataclass(frozen=True)
class Choice:
    value: str
    label: Label


@dataclass
class Column:
    id: str
    type: str
    label: Label
    help: Label | None = None
    required: bool = False
    required_if: dict | None = None
    visible_if: dict | None = None
    unit: Label | None = None
    min: Any = None
    max: Any = None
    decimals: int | None = None
    max_length: int | None = None
    suggested_length: int | None = None
    script: str | None = None  # "latin": the answer must be written in a Latin script (e.g. English)
    choices: list[Choice] = field(default_factory=list)

    def choice_label(self, value: str) -> Label | None:
        for c in self.choices:
            if c.value == value:
                return c.label
        return None

    @property
    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices]


@dataclass
class Field(Column):
    indicator_id: str = ""
    min_selected: int | None = None
    max_selected: int | None = None
    columns: list[Column] = field(default_factory=list)
    min_rows: int | None = None
    max_rows: int | None = None

    @property
    def path(self) -> str:
        return f"{self.indicator_id}/{self.id}"

    def column(self, cid: str) -> Column | None:
        for c in self.columns:
            if c.id == cid:
                return c
        return None


@dataclass
class EvidenceSlot:
    id: str
    label: Label
    indicator_id: str
    help: Label | None = None
    min_count: int = 0
    accept: list[str] = field(default_factory=list)
    required_if: dict | None = None

    @property
    def key(self) -> str:
        return f"{self.indicator_id}/{self.id}"


@dataclass
class Rule:
    id: str
    kind: str
    message: Label
    spec: dict  # the rule's mapping, references absolute
    severity: str = "blocking"
    scope: str | None = None  # indicator id, or None for a program-level rule


@dataclass
class Indicator:
    id: str
    title: Label
    official: Label
    section_id: str
    observation_points: int = 1
    visible_if: dict | None = None
    fields: list[Field] = field(default_factory=list)
    evidence: list[EvidenceSlot] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: Label
    indicators: list[Indicator]
    official: Label | None = None
    visible_if: dict | None = None


@dataclass
class Source:
    number: str
    date: str
    title: Label
    file: str | None = None
    part: Label | None = None


@dataclass
class Program:
    id: str
    version: str
    title: Label
    issuer: Label
    source: Source
    sections: list[Section]
    rules: list[Rule] = field(default_factory=list)
    review: dict | None = None  # the expert panel's rubric, as written (desktop.panel.rubric.resolve)
    applicant: Label | None = None
    description: Label | None = None
    demo: dict = field(default_factory=dict)
    text: str = ""  # the definition exactly as loaded (embedded in projects and packages)
    origin: str = ""  # where it was loaded from: "bundled", "installed", "project"

    def __post_init__(self) -> None:
        self._fields: dict[str, Field] = {}
        self._indicators: dict[str, Indicator] = {}
        for ind in self.indicators():
            self._indicators[ind.id] = ind
            for f in ind.fields:
                self._fields[f.path] = f

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def indicators(self) -> Iterator[Indicator]:
        for s in self.sections:
            yield from s.indicators

    def indicator(self, iid: str) -> Indicator | None:
        return self._indicators.get(iid)

    def field(self, path: str) -> Field | None:
        return self._fields.get(path)

    @property
    def fields(self) -> dict[str, Field]:
        return self._fields

    def all_rules(self) -> Iterator[Rule]:
        for ind in self.indicators():
            yield from ind.rules
        yield from self.rules

    def slot(self, indicator_id: str, slot_id: str) -> EvidenceSlot | None:
        ind = self.indicator(indicator_id)
        if ind:
            for s in ind.evidence:
                if s.id == slot_id:
                    return s
        return None

    def section_of(self, indicator_id: str) -> Section | None:
        for s in self.sections:
            if any(i.id == indicator_id for i in s.indicators):
                return s
        return None
