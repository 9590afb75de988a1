"""Typed model of a program definition (see docs/program-format.md).

Conditions and operands stay plain mappings (they are data for desktop.rules), but every field
reference inside them is made absolute (`<indicator>/<field>`) by the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

FIELD_TYPES = ("text", "longtext", "integer", "number", "percent", "date", "choice", "multichoice", "boolean", "table")
COLUMN_TYPES = ("text", "longtext", "integer", "number", "percent", "date", "choice", "boolean")
NUMERIC_TYPES = ("integer", "number", "percent")
# Hard limits of a text answer, whatever a definition's max_length says (docs/pdf.md, "Limits"):
# the PDF lays out 1,000,000 characters in a few seconds (desktop/export/textblock.py).
MAX_CHARS = {"text": 10_000, "longtext": 1_000_000}


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
    per_period: bool = False  # recurring reports: the value belongs to one period (desktop.periods)

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
    per_period: bool = False  # recurring reports: its files belong to one period and are not carried over

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


PERIOD_KINDS = ("year", "half", "quarter", "month")


@dataclass(frozen=True)
class PeriodSpec:
    """A recurring report: the period kinds it uses and the fields that name the period in the form
    (absolute paths, or None). See desktop.periods."""

    kinds: tuple[str, ...]
    kind: str | None = None  # a choice field whose values include the kinds used
    year: str | None = None  # an integer field
    half: str | None = None  # a choice field with 2 choices, in order H1, H2
    quarter: str | None = None  # a choice field with 4 choices, in order Q1…Q4
    month: str | None = None  # an integer field, 1–12


@dataclass
class Part:
    """A default share of the form for one participating unit (desktop.handoff): whole indicators
    and, where one indicator is split between units, single field paths."""

    id: str
    label: Label
    indicators: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
_OFFICIAL_NUMBER = re.compile(r"^[1-9][0-9]*(\.[0-9]+)*$")


@dataclass
class DocumentStyle:
    """How the submission document presents a program (the `document:` block of a definition)."""

    short_title: Label | None = None
    numbering: dict[str, str] = field(default_factory=dict)  # section/indicator id -> printed number ("" = none)
    recommender: Label | None = None  # the cover has a 推荐单位 line with this label


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
    period: PeriodSpec | None = None  # a recurring report (desktop.periods)
    parts: list[Part] = field(default_factory=list)
    document: DocumentStyle = field(default_factory=DocumentStyle)
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

    @property
    def per_period_fields(self) -> list[Field]:
        return [f for f in self._fields.values() if f.per_period]

    @property
    def recurring(self) -> bool:
        """A report made again every period: it names its period or has per-period fields."""
        return self.period is not None or any(f.per_period for f in self._fields.values())

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def number(self, sid_or_iid: str) -> str:
        """The printed number of a section or indicator: the definition's `document.numbering`,
        else the id when it reads like an official number ("2", "3.1"); internal ids ("0",
        "0.1", "t1", "b2", "m") print no number."""
        got = self.document.numbering.get(sid_or_iid)
        if got is not None:
            return got
        return sid_or_iid if _OFFICIAL_NUMBER.match(sid_or_iid) else ""

    @property
    def short_title(self) -> Label:
        return self.document.short_title or self.title

    def section_of(self, indicator_id: str) -> Section | None:
        for s in self.sections:
            if any(i.id == indicator_id for i in s.indicators):
                return s
        return None
