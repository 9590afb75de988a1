"""The rubric an expert panel scores with — data, from the program definition's `review:` block.

A program definition may carry a `review:` block (docs/program-format.md#review-the-expert-panels-rubric):
gate items (pass/fail, a reason on fail, pre-filled from the rule engine), scored criteria (a
section or a list of indicators each, a weight, anchored levels with a bilingual descriptor per
level), an overall score given separately and a confidence. `resolve(program)` turns it into a
self-contained `Rubric` — labels filled in, sections expanded to their indicators, the default
levels copied into each criterion — which is what a review file, an expert sheet and a score
sheet carry (as the "dossier-rubric" JSON document), so an expert needs no program installed to
read it. A program without a `review:` block gets a derived rubric: one criterion per section
(一级指标), equal weights, gates from nothing (the expert still scores).

Weights are relative: the weighted total is `total × Σ wᵢ·fᵢ / Σ wᵢ` over the criteria that
apply to a package, fᵢ = (level − lowest level) / (highest − lowest) of criterion i. Equal weights
per 一级指标 are `weight: 1` each.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import DossierError
from ..models.program import Label, Program

FORMAT = "dossier-rubric"
FORMAT_VERSION = 1
DEFAULT_TOTAL = 100.0
MAX_CRITERIA = 200
MAX_LEVELS = 11


class RubricError(DossierError):
    """A rubric that cannot be used: `parts` locates the problem (for a definition's line number)."""

    def __init__(self, parts: list, reason: str, zh: str | None = None):
        self.parts = list(parts)
        self.reason = reason
        where = ".".join(str(p) for p in parts) or "rubric"
        super().__init__(f"{where}: {reason}", f"评审量表有误 {where}：{zh or reason}", key="panel.rubric_invalid")


# the levels a derived rubric uses (and the bundled rubrics spell out in their review: block)
STANDARD_LEVELS: list[dict[str, Any]] = [
    {"value": 4, "label": {"zh": "优秀", "en": "Excellent"},
     "descriptor": {"zh": "全面达到并超出各观测点要求；数据翔实、前后一致，佐证材料充分且与填报内容逐项对应；有突出特色或示范价值。",
                    "en": "Meets and exceeds every observation point; figures complete and consistent, evidence "
                          "complete and matching what is stated item by item; a distinctive or exemplary feature."}},
    {"value": 3, "label": {"zh": "良好", "en": "Good"},
     "descriptor": {"zh": "达到各观测点要求；数据与佐证基本完整、一致，个别细节有待补充。",
                    "en": "Meets every observation point; figures and evidence essentially complete and "
                          "consistent, a few details to be added."}},
    {"value": 2, "label": {"zh": "合格", "en": "Adequate"},
     "descriptor": {"zh": "基本达到要求；部分观测点仅有表述、缺少数据或佐证支撑。",
                    "en": "Essentially meets the requirements; some observation points are stated but not "
                          "supported by figures or evidence."}},
    {"value": 1, "label": {"zh": "较差", "en": "Weak"},
     "descriptor": {"zh": "多项观测点未达到要求，或数据与佐证材料不一致。",
                    "en": "Several observation points are not met, or figures and evidence disagree."}},
    {"value": 0, "label": {"zh": "未达到", "en": "Not met"},
     "descriptor": {"zh": "未提供相关内容，或明显不符合要求。",
                    "en": "Nothing is provided on it, or it clearly does not meet the requirements."}},
]
STANDARD_CONFIDENCE: list[dict[str, Any]] = [
    {"id": "high", "label": {"zh": "高（熟悉该领域）", "en": "High (my field)"}},
    {"id": "medium", "label": {"zh": "中", "en": "Medium"}},
    {"id": "low", "label": {"zh": "低（不太熟悉该领域）", "en": "Low (outside my field)"}},
]
STANDARD_OVERALL: dict[str, Any] = {
    "min": 0, "max": 100,
    "label": {"zh": "总体评价（百分制，独立给出，不由各项得分计算）",
              "en": "Overall judgement (0–100, given on its own, not computed from the criteria)"},
}


def _label(d) -> Label:
    return Label(str(d["zh"]), str(d["en"]))


@dataclass(frozen=True)
class Level:
    value: float
    label: Label
    descriptor: Label

    def to_dict(self) -> dict[str, Any]:
        return {"value": _num(self.value), "label": self.label.to_dict(), "descriptor": self.descriptor.to_dict()}


@dataclass
class Criterion:
    id: str
    label: Label
    weight: float
    indicators: tuple[str, ...]
    levels: tuple[Level, ...]
    section: str | None = None
    focus: Label | None = None

    # cached: the aggregation asks for them once per score (levels never change after creation)
    @cached_property
    def low(self) -> float:
        return min(lv.value for lv in self.levels)

    @cached_property
    def high(self) -> float:
        return max(lv.value for lv in self.levels)

    @cached_property
    def span(self) -> float:
        return self.high - self.low

    def level(self, value) -> Level | None:
        for lv in self.levels:
            if lv.value == value:
                return lv
        return None

    def fraction(self, value: float) -> float:
        return (value - self.low) / self.span

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.to_dict(), "weight": _num(self.weight), "section": self.section,
                "indicators": list(self.indicators), "focus": self.focus.to_dict() if self.focus else None,
                "levels": [lv.to_dict() for lv in self.levels]}


@dataclass
class Gate:
    id: str
    label: Label
    rules: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    help: Label | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.to_dict(), "help": self.help.to_dict() if self.help else None,
                "rules": list(self.rules), "indicators": list(self.indicators)}


@dataclass
class Overall:
    min: float
    max: float
    label: Label

    def to_dict(self) -> dict[str, Any]:
        return {"min": _num(self.min), "max": _num(self.max), "label": self.label.to_dict()}


@dataclass
class Choice:
    id: str
    label: Label

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.to_dict()}


@dataclass
class Rubric:
    program_id: str
    program_version: str
    criteria: list[Criterion]
    gates: list[Gate] = field(default_factory=list)
    overall: Overall | None = None
    confidence: list[Choice] = field(default_factory=list)
    total: float = DEFAULT_TOTAL
    project_name: str | None = None  # the field whose answer is the 项目名称 (None: the program's title)
    derived: bool = False  # no review: block — one criterion per section

    def criterion(self, cid: str) -> Criterion | None:
        for c in self.criteria:
            if c.id == cid:
                return c
        return None

    def gate(self, gid: str) -> Gate | None:
        for g in self.gates:
            if g.id == gid:
                return g
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION,
                "program": {"id": self.program_id, "version": self.program_version},
                "total": _num(self.total), "project_name": self.project_name, "derived": self.derived,
                "criteria": [c.to_dict() for c in self.criteria], "gates": [g.to_dict() for g in self.gates],
                "overall": self.overall.to_dict() if self.overall else None,
                "confidence": [c.to_dict() for c in self.confidence]}

    def canonical(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    @classmethod
    def from_dict(cls, d: Any) -> "Rubric":
        """A rubric document (as stored, exported or edited by hand), checked; RubricError says why not."""
        return _from_document(d)

    def weighted_total(self, values: dict[str, float], applicable: set[str] | None = None) -> float | None:
        """`total × Σ w·f / Σ w` over the applicable criteria that have a value; None when none has."""
        num = den = 0.0
        for c in self.criteria:
            if applicable is not None and c.id not in applicable:
                continue
            v = values.get(c.id)
            if v is None:
                continue
            num += c.weight * c.fraction(v)
            den += c.weight
        return self.total * num / den if den else None


def _num(v: float):
    """Numbers as JSON shows them: 4, not 4.0 (so the canonical form does not depend on how a
    weight was typed)."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


# ---------------------------------------------------------------------------- checks shared by both forms


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_levels(levels: Any, parts: list) -> tuple[Level, ...]:
    if not isinstance(levels, list) or not (2 <= len(levels) <= MAX_LEVELS):
        raise RubricError(parts, f"a criterion needs 2 to {MAX_LEVELS} levels", f"每项评分标准需要 2 至 {MAX_LEVELS} 个等级")
    out = []
    for i, lv in enumerate(levels):
        at = parts + [i]
        if not isinstance(lv, dict) or not _is_num(lv.get("value")):
            raise RubricError(at + ["value"], "a level needs a numeric value", "每个等级需要一个数值")
        for k in ("label", "descriptor"):
            if not _is_label(lv.get(k)):
                raise RubricError(at + [k], f"a level needs a bilingual {k} {{zh, en}}", f"每个等级需要中英文的 {k}")
        out.append(Level(float(lv["value"]), _label(lv["label"]), _label(lv["descriptor"])))
    values = [lv.value for lv in out]
    if len(set(values)) != len(values):
        raise RubricError(parts, "two levels have the same value", "两个等级的分值相同")
    if len({lv.label.zh for lv in out}) != len(out):
        raise RubricError(parts, "two levels have the same label", "两个等级的名称相同")
    return tuple(out)


def _is_label(d) -> bool:
    return isinstance(d, dict) and isinstance(d.get("zh"), str) and isinstance(d.get("en"), str) and bool(d["zh"].strip())


def _check_weight(w: Any, parts: list) -> float:
    if not _is_num(w) or w <= 0 or w > 1e6:
        raise RubricError(parts, "a weight must be a positive number", "权重必须是正数")
    return float(w)


def _check_overall(o: Any, parts: list) -> Overall | None:
    if o is None:
        return None
    if not isinstance(o, dict) or not _is_num(o.get("min")) or not _is_num(o.get("max")) or o["min"] >= o["max"]:
        raise RubricError(parts, "overall needs numbers min < max", "总体评价需要 min < max 的数值范围")
    lab = o.get("label") or STANDARD_OVERALL["label"]
    if not _is_label(lab):
        raise RubricError(parts + ["label"], "overall.label must be {zh, en}", "overall.label 必须为中英文")
    return Overall(float(o["min"]), float(o["max"]), _label(lab))


def _check_choices(cs: Any, parts: list) -> list[Choice]:
    if cs is None:
        return []
    if not isinstance(cs, list):
        raise RubricError(parts, "confidence must be a list of {id, label}", "confidence 必须是 {id, label} 列表")
    out, seen = [], set()
    for i, c in enumerate(cs):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str) or not c["id"] or not _is_label(c.get("label")):
            raise RubricError(parts + [i], "a confidence level needs an id and a bilingual label", "置信度需要 id 和中英文名称")
        if c["id"] in seen:
            raise RubricError(parts + [i, "id"], f"duplicate confidence id {c['id']!r}", f"置信度 id 重复：{c['id']!r}")
        seen.add(c["id"])
        out.append(Choice(c["id"], _label(c["label"])))
    return out


def _check_id(v: Any, parts: list, seen: set, what: str) -> str:
    if not isinstance(v, str) or not v or len(v) > 64 or any(ch in v for ch in "/\\\x00\n"):
        raise RubricError(parts, f"a {what} needs an id (up to 64 characters, no '/')", f"{what} 需要 id（最多 64 个字符，不含“/”）")
    if v in seen:
        raise RubricError(parts, f"duplicate {what} id {v!r}", f"{what} id 重复：{v!r}")
    seen.add(v)
    return v


# ---------------------------------------------------------------------------- the definition's review: block


def resolve(program: Program, block: dict | None = None) -> Rubric:
    """The rubric of `program`: its `review:` block made self-contained, or a derived one.
    Raises RubricError (with the location inside the block) when the block does not fit the program."""
    block = program.review if block is None else block
    if not block:
        return derived(program)
    parts = ["review"]
    default_levels = _check_levels(block["levels"], parts + ["levels"]) if "levels" in block else \
        _check_levels(STANDARD_LEVELS, parts + ["levels"])
    criteria: list[Criterion] = []
    seen: set[str] = set()
    raw = block.get("criteria") or []
    if not raw:
        raise RubricError(parts + ["criteria"], "a rubric needs at least one criterion", "评审量表至少需要一项评分标准")
    if len(raw) > MAX_CRITERIA:
        raise RubricError(parts + ["criteria"], f"at most {MAX_CRITERIA} criteria", f"评分标准最多 {MAX_CRITERIA} 项")
    for i, c in enumerate(raw):
        at = parts + ["criteria", i]
        cid = _check_id(c.get("id"), at + ["id"], seen, "criterion")
        sec_id = c.get("section")
        inds = c.get("indicators")
        if (sec_id is None) == (inds is None):
            raise RubricError(at, "a criterion judges either a section or a list of indicators",
                              "每项评分标准针对一个一级指标（section）或若干指标（indicators），二者选一")
        if sec_id is not None:
            sec = next((s for s in program.sections if s.id == str(sec_id)), None)
            if sec is None:
                raise RubricError(at + ["section"], f"unknown section {sec_id!r}", f"未知的一级指标 {sec_id!r}")
            ind_ids = tuple(i.id for i in sec.indicators)
            default_label = sec.title
        else:
            if not isinstance(inds, list) or not inds:
                raise RubricError(at + ["indicators"], "indicators must be a non-empty list", "indicators 必须是非空列表")
            for k, iid in enumerate(inds):
                if program.indicator(str(iid)) is None:
                    raise RubricError(at + ["indicators", k], f"unknown indicator {iid!r}", f"未知的指标 {iid!r}")
            ind_ids = tuple(str(x) for x in inds)
            default_label = program.indicator(ind_ids[0]).title if len(ind_ids) == 1 else None
        lab = c.get("label")
        if lab is None and default_label is None:
            raise RubricError(at + ["label"], "a criterion over several indicators needs a label",
                              "针对多个指标的评分标准需要名称（label）")
        levels = _check_levels(c["levels"], at + ["levels"]) if "levels" in c else default_levels
        criteria.append(Criterion(cid, _label(lab) if lab else default_label, _check_weight(c.get("weight", 1), at + ["weight"]),
                                  ind_ids, levels, str(sec_id) if sec_id is not None else None,
                                  _label(c["focus"]) if c.get("focus") else None))
    gates: list[Gate] = []
    gseen: set[str] = set()
    rule_ids = {r.id for r in program.all_rules()}
    for i, g in enumerate(block.get("gates") or []):
        at = parts + ["gates", i]
        gid = _check_id(g.get("id"), at + ["id"], gseen, "gate")
        for k, rid in enumerate(g.get("rules") or []):
            if rid not in rule_ids:
                raise RubricError(at + ["rules", k], f"unknown rule {rid!r}", f"未知的规则 {rid!r}")
        for k, iid in enumerate(g.get("indicators") or []):
            if program.indicator(str(iid)) is None:
                raise RubricError(at + ["indicators", k], f"unknown indicator {iid!r}", f"未知的指标 {iid!r}")
        gates.append(Gate(gid, _label(g["label"]), tuple(g.get("rules") or ()), tuple(str(x) for x in g.get("indicators") or ()),
                          _label(g["help"]) if g.get("help") else None))
    overall = _check_overall(block.get("overall", STANDARD_OVERALL), parts + ["overall"])
    confidence = _check_choices(block.get("confidence", STANDARD_CONFIDENCE), parts + ["confidence"])
    pn = block.get("project_name")
    if pn is not None:
        f = program.field(pn)
        if f is None or f.type not in ("text", "longtext"):
            raise RubricError(parts + ["project_name"], f"project_name must name a text field ({pn!r} is not one)",
                              f"project_name 必须是文本字段（{pn!r} 不是）")
    total = block.get("total", DEFAULT_TOTAL)
    if not _is_num(total) or total <= 0:
        raise RubricError(parts + ["total"], "total must be a positive number", "total 必须是正数")
    return Rubric(program.id, program.version, criteria, gates, overall, confidence, float(total), pn)


def derived(program: Program) -> Rubric:
    """A rubric for a program without a review: block: one criterion per section, equal weights."""
    levels = _check_levels(STANDARD_LEVELS, ["levels"])
    crit = [Criterion(f"s{s.id}", s.title, 1.0, tuple(i.id for i in s.indicators), levels, s.id) for s in program.sections
            if s.indicators]
    return Rubric(program.id, program.version, crit, [], _check_overall(STANDARD_OVERALL, ["overall"]),
                  _check_choices(STANDARD_CONFIDENCE, ["confidence"]), DEFAULT_TOTAL, None, derived=True)


# ---------------------------------------------------------------------------- the stored document


def _from_document(d: Any) -> Rubric:
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise RubricError([], "not a Dossier rubric document", "不是 Dossier 评审量表文档")
    fv = d.get("format_version")
    if not isinstance(fv, int) or fv > FORMAT_VERSION:
        raise RubricError(["format_version"], f"rubric format {fv!r} is newer than this Dossier reads ({FORMAT_VERSION}); "
                          "update Dossier", f"评审量表格式 {fv!r} 比本版本支持的 {FORMAT_VERSION} 新，请升级 Dossier")
    prog = d.get("program") or {}
    if not isinstance(prog, dict) or not isinstance(prog.get("id"), str) or not isinstance(prog.get("version"), str):
        raise RubricError(["program"], "program {id, version} missing", "缺少 program {id, version}")
    crit_raw = d.get("criteria")
    if not isinstance(crit_raw, list) or not crit_raw or len(crit_raw) > MAX_CRITERIA:
        raise RubricError(["criteria"], f"1 to {MAX_CRITERIA} criteria needed", f"需要 1 至 {MAX_CRITERIA} 项评分标准")
    seen: set[str] = set()
    criteria = []
    for i, c in enumerate(crit_raw):
        at = ["criteria", i]
        if not isinstance(c, dict):
            raise RubricError(at, "a criterion must be a mapping", "评分标准必须是映射")
        cid = _check_id(c.get("id"), at + ["id"], seen, "criterion")
        if not _is_label(c.get("label")):
            raise RubricError(at + ["label"], "a criterion needs a bilingual label", "评分标准需要中英文名称")
        inds = c.get("indicators")
        if not isinstance(inds, list) or not inds or not all(isinstance(x, str) for x in inds):
            raise RubricError(at + ["indicators"], "a criterion needs the indicators it judges", "评分标准需要列出所评指标")
        sec = c.get("section")
        if sec is not None and not isinstance(sec, str):
            raise RubricError(at + ["section"], "section must be a string", "section 必须是字符串")
        focus = c.get("focus")
        if focus is not None and not _is_label(focus):
            raise RubricError(at + ["focus"], "focus must be {zh, en}", "focus 必须为中英文")
        criteria.append(Criterion(cid, _label(c["label"]), _check_weight(c.get("weight"), at + ["weight"]), tuple(inds),
                                  _check_levels(c.get("levels"), at + ["levels"]), sec, _label(focus) if focus else None))
    gates, gseen = [], set()
    graw = d.get("gates") or []
    if not isinstance(graw, list):
        raise RubricError(["gates"], "gates must be a list", "gates 必须是列表")
    for i, g in enumerate(graw):
        at = ["gates", i]
        if not isinstance(g, dict):
            raise RubricError(at, "a gate must be a mapping", "门槛条件必须是映射")
        gid = _check_id(g.get("id"), at + ["id"], gseen, "gate")
        if not _is_label(g.get("label")):
            raise RubricError(at + ["label"], "a gate needs a bilingual label", "门槛条件需要中英文名称")
        rules, inds = g.get("rules") or [], g.get("indicators") or []
        if not all(isinstance(x, str) for x in list(rules) + list(inds)):
            raise RubricError(at, "gate rules and indicators are ids (strings)", "门槛条件的 rules 与 indicators 必须是 id")
        hlp = g.get("help")
        if hlp is not None and not _is_label(hlp):
            raise RubricError(at + ["help"], "help must be {zh, en}", "help 必须为中英文")
        gates.append(Gate(gid, _label(g["label"]), tuple(rules), tuple(inds), _label(hlp) if hlp else None))
    total = d.get("total", DEFAULT_TOTAL)
    if not _is_num(total) or total <= 0:
        raise RubricError(["total"], "total must be a positive number", "total 必须是正数")
    pn = d.get("project_name")
    if pn is not None and not isinstance(pn, str):
        raise RubricError(["project_name"], "project_name must be a field path", "project_name 必须是字段路径")
    return Rubric(prog["id"], prog["version"], criteria, gates, _check_overall(d.get("overall"), ["overall"]),
                  _check_choices(d.get("confidence"), ["confidence"]), float(total), pn, bool(d.get("derived", False)))


def check_against(rubric: Rubric, program: Program) -> None:
    """An edited rubric must still fit the program it scores: indicators, rules, project name."""
    if rubric.program_id != program.id:
        raise RubricError(["program"], f"the rubric is for {rubric.program_id}, the review for {program.id}",
                          f"评审量表用于 {rubric.program_id}，而本次评审的项目类别是 {program.id}")
    rule_ids = {r.id for r in program.all_rules()}
    for i, c in enumerate(rubric.criteria):
        for k, iid in enumerate(c.indicators):
            if program.indicator(iid) is None:
                raise RubricError(["criteria", i, "indicators", k], f"unknown indicator {iid!r}", f"未知的指标 {iid!r}")
    for i, g in enumerate(rubric.gates):
        for k, rid in enumerate(g.rules):
            if rid not in rule_ids:
                raise RubricError(["gates", i, "rules", k], f"unknown rule {rid!r}", f"未知的规则 {rid!r}")
        for k, iid in enumerate(g.indicators):
            if program.indicator(iid) is None:
                raise RubricError(["gates", i, "indicators", k], f"unknown indicator {iid!r}", f"未知的指标 {iid!r}")
    if rubric.project_name is not None:
        f = program.field(rubric.project_name)
        if f is None or f.type not in ("text", "longtext"):
            raise RubricError(["project_name"], f"{rubric.project_name!r} is not a text field of the program",
                              f"{rubric.project_name!r} 不是该项目类别的文本字段")


def with_changes(rubric: Rubric, *, weights: dict[str, float] | None = None,
                 levels: dict[str, list[dict]] | None = None, overall: dict | None = None) -> Rubric:
    """A copy with some weights, some criteria's levels (or every criterion's, key "*") or the
    overall range changed — what a panel coordinator adjusts before scoring starts."""
    d = rubric.to_dict()
    ids = {c["id"] for c in d["criteria"]}
    for cid in list((weights or {}).keys()) + [k for k in (levels or {}) if k != "*"]:
        if cid not in ids:
            raise RubricError(["criteria"], f"no criterion {cid!r} (criteria: {', '.join(sorted(ids))})",
                              f"没有评分标准 {cid!r}（可用：{', '.join(sorted(ids))}）")
    for c in d["criteria"]:
        if weights and c["id"] in weights:
            c["weight"] = weights[c["id"]]
        if levels and ("*" in levels or c["id"] in levels):
            c["levels"] = levels.get(c["id"], levels.get("*"))
    if overall is not None:
        d["overall"] = {**(d.get("overall") or STANDARD_OVERALL), **overall}
    return _from_document(d)
