"""Aggregation: what the panel's scores say, per package and criterion, and the ranking.

For each package, over the experts who scored it (recused experts are left out of every figure):

- per criterion: mean, median, standard deviation (sample, n−1; 0 for one expert), lowest,
  highest and range of the levels given; a **disagreement** flag when the range is at least
  `threshold` × the criterion's scale (default ½: e.g. 2 levels apart on a 0–4 scale);
- each expert's **weighted total** (desktop.panel.rubric.Rubric.weighted_total: `total × Σ w·f / Σ w`
  over the criteria that apply), and the same statistics over the experts' totals, flagged when
  their range is at least `threshold` × the rubric's total;
- optionally **z-score normalisation** per expert, for lenient and harsh experts: each expert's
  totals are rescaled to the pooled mean and standard deviation of all totals,
  `t' = μ + σ · (t − μₑ) / σₑ` (an expert with fewer than 2 scored packages keeps raw totals; one
  who gave every package the same total gets z = 0, i.e. μ);
- the overall score (given separately) and the confidences, as statistics and counts;
- gates: how many experts found each met or not, with their reasons; a gate fails for the
  package when any expert failed it (`gate_rule="any"`, the default) or a majority did ("majority").

The package's score is the mean of its experts' totals (normalised when asked). Ranking: packages
that fail a gate are listed first (not ranked), then the scored packages by score, highest first,
with ties shown (competition ranking on the score rounded to 2 decimals: 1, 2, 2, 4), then the
packages nobody has scored yet.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from .rubric import Rubric

DEFAULT_THRESHOLD = 0.5
GATE_RULES = ("any", "majority")


@dataclass
class Stats:
    n: int
    mean: float
    median: float
    sd: float
    low: float
    high: float

    @property
    def range(self) -> float:
        return self.high - self.low

    def to_dict(self) -> dict:
        return {"n": self.n, "mean": _r(self.mean), "median": _r(self.median), "sd": _r(self.sd), "min": _r(self.low),
                "max": _r(self.high), "range": _r(self.range)}


def _r(v: float) -> float:
    return round(v, 6)


def stats(values: list[float]) -> Stats | None:
    """n, mean, median, sample standard deviation, lowest, highest. (statistics.stdev computes
    exactly with fractions: 50 times slower, and the levels are small numbers.)"""
    if not values:
        return None
    n = len(values)
    s = sorted(values)
    mean = math.fsum(s) / n
    sd = math.sqrt(sum((x - mean) * (x - mean) for x in s) / (n - 1)) if n > 1 else 0.0
    mid = n // 2
    median = s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2
    return Stats(n, mean, median, sd, s[0], s[-1])


@dataclass
class CriterionResult:
    id: str
    stats: Stats
    disagreement: bool
    values: dict[int, float]  # expert → level
    comments: list[tuple[int, str, dict | None]]  # (expert, comment, evidence)

    def to_dict(self, names: dict[int, str]) -> dict:
        return {"criterion": self.id, **self.stats.to_dict(), "disagreement": self.disagreement,
                "values": {names.get(e, str(e)): v for e, v in self.values.items()},
                "comments": [{"expert": names.get(e, str(e)), "comment": c, "evidence": ev} for e, c, ev in self.comments]}


@dataclass
class GateResult:
    id: str
    met: int
    not_met: int
    failed: bool
    reasons: list[tuple[int, str]]
    prefilled: bool | None

    def to_dict(self, names: dict[int, str]) -> dict:
        return {"gate": self.id, "met": self.met, "not_met": self.not_met, "failed": self.failed,
                "prefilled": self.prefilled, "reasons": [{"expert": names.get(e, str(e)), "reason": r} for e, r in self.reasons]}


@dataclass
class PackageResult:
    package: int
    experts: list[int] = field(default_factory=list)
    recused: list[tuple[int, str]] = field(default_factory=list)
    assigned: list[int] = field(default_factory=list)
    criteria: dict[str, CriterionResult] = field(default_factory=dict)
    totals: dict[int, float] = field(default_factory=dict)  # raw weighted total per expert
    normalised: dict[int, float] = field(default_factory=dict)
    total: Stats | None = None  # over the totals used (normalised when asked)
    total_raw: Stats | None = None
    score: float | None = None
    overall: Stats | None = None
    confidence: dict[str, int] = field(default_factory=dict)
    overall_comments: list[tuple[int, str]] = field(default_factory=list)
    gates: dict[str, GateResult] = field(default_factory=dict)
    gate_failed: bool = False
    disagreement: bool = False  # on the total or on any criterion
    total_disagreement: bool = False
    rank: int | None = None
    tied: bool = False
    group: str = "unscored"  # gate_failed | ranked | unscored

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return ""
        return f"{self.rank}=" if self.tied else str(self.rank)

    def to_dict(self, names: dict[int, str]) -> dict:
        return {"package": self.package, "group": self.group, "rank": self.rank, "tied": self.tied,
                "score": None if self.score is None else _r(self.score),
                "total": self.total.to_dict() if self.total else None,
                "total_raw": self.total_raw.to_dict() if self.total_raw else None,
                "totals": {names.get(e, str(e)): _r(v) for e, v in self.totals.items()},
                "normalised": {names.get(e, str(e)): _r(v) for e, v in self.normalised.items()},
                "experts": [names.get(e, str(e)) for e in self.experts],
                "recused": [{"expert": names.get(e, str(e)), "reason": r} for e, r in self.recused],
                "gate_failed": self.gate_failed, "disagreement": self.disagreement,
                "total_disagreement": self.total_disagreement,
                "gates": [g.to_dict(names) for g in self.gates.values()],
                "criteria": [c.to_dict(names) for c in self.criteria.values()],
                "overall": self.overall.to_dict() if self.overall else None, "confidence": self.confidence,
                "overall_comments": [{"expert": names.get(e, str(e)), "comment": c} for e, c in self.overall_comments]}


@dataclass
class Settings:
    threshold: float = DEFAULT_THRESHOLD
    normalise: bool = False
    gate_rule: str = "any"

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "normalise": self.normalise, "gate_rule": self.gate_rule}


@dataclass
class Results:
    round: int
    rubric: Rubric
    settings: Settings
    packages: list[PackageResult]  # in ranking order
    experts: dict[int, str]
    expert_stats: dict[int, Stats | None]  # over each expert's raw totals
    pooled: Stats | None

    def by_package(self) -> dict[int, PackageResult]:
        return {p.package: p for p in self.packages}

    def to_dict(self) -> dict:
        return {"round": self.round, "rubric_sha256": self.rubric.sha256, "settings": self.settings.to_dict(),
                "experts": {n: (s.to_dict() if s else None) for e, n in self.experts.items()
                            for s in [self.expert_stats.get(e)]},
                "packages": [p.to_dict(self.experts) for p in self.packages]}


def compute(rubric: Rubric, *, scores: Iterable[tuple], recusals: Iterable[tuple] = (), gates: Iterable[tuple] = (),
            overall: Iterable[tuple] = (), comments: Iterable[tuple] = (), assigned: dict[int, list[int]] | None = None,
            settings: Settings | None = None, experts: dict[int, str] | None = None, round_no: int = 1) -> Results:
    """The pure computation (no file): rows as tuples —
    scores (expert, package, criterion, value[, comment, evidence]) — or comments apart, as
    comments (expert, package, criterion, comment, evidence); recusals (expert, package, reason);
    gates (expert, package, gate, passed, reason[, prefilled]); overall (expert, package, score, confidence[, comment]);
    assigned {package: [expert, …]} (packages on sheets, scored or not)."""
    st = settings or Settings()
    crit = {c.id: c for c in rubric.criteria}
    pk: dict[int, PackageResult] = {}

    def P(pid: int) -> PackageResult:
        r = pk.get(pid)
        if r is None:
            r = pk[pid] = PackageResult(pid)
        return r

    for pid, exs in (assigned or {}).items():
        P(pid).assigned = sorted(set(exs))
    recused: set[tuple[int, int]] = set()
    for row in recusals:
        e, p, reason = row[0], row[1], row[2]
        recused.add((e, p))
        P(p).recused.append((e, reason))
    # one pass over the scores: (expert, package) → {criterion: level} and (package, criterion) → {expert: level}
    by_ep: dict[tuple[int, int], dict[str, float]] = {}
    by_pc: dict[tuple[int, str], dict[int, float]] = {}
    notes: dict[tuple[int, str], list[tuple[int, str, dict | None]]] = {}
    for row in scores:
        e, p, cid, v = row[0], row[1], row[2], row[3]
        key = (e, p)
        if key in recused or cid not in crit:
            continue
        v = float(v)
        d = by_ep.get(key)
        if d is None:
            d = by_ep[key] = {}
        d[cid] = v
        pc = by_pc.get((p, cid))
        if pc is None:
            pc = by_pc[(p, cid)] = {}
        pc[e] = v
        if len(row) > 4 and row[4]:
            notes.setdefault((p, cid), []).append((e, row[4], row[5] if len(row) > 5 else None))
    for e, p, cid, text, ev in comments:
        if (e, p) not in recused and cid in crit and (text or ev):
            notes.setdefault((p, cid), []).append((e, text, ev))
    # per package and criterion, in rubric order
    crits = list(rubric.criteria)
    for p in sorted({p for p, _c in by_pc}):
        r = P(p)
        for c in crits:
            vals = by_pc.get((p, c.id))
            if not vals:
                continue
            s = stats(list(vals.values()))
            r.criteria[c.id] = CriterionResult(c.id, s, c.span > 0 and s.range >= st.threshold * c.span - 1e-9, vals,
                                               notes.get((p, c.id), []))
    # weighted totals per expert: total × Σ w·(v − low)/span / Σ w (Rubric.weighted_total, inlined;
    # summed in rubric order like it, so equal sheets give bit-equal totals whatever the row order)
    coef = [(c.id, c.weight, c.low, c.span) for c in crits]
    for (e, p), vals in by_ep.items():
        num = den = 0.0
        for cid, w, low, span in coef:
            v = vals.get(cid)
            if v is None:
                continue
            num += w * (v - low) / span
            den += w
        if den:
            r = P(p)
            r.totals[e] = rubric.total * num / den
            r.experts.append(e)
    for r in pk.values():
        r.experts.sort()
    # normalisation
    expert_totals: dict[int, list[float]] = {}
    for r in pk.values():
        for e, t in r.totals.items():
            expert_totals.setdefault(e, []).append(t)
    expert_stats = {e: stats(v) for e, v in expert_totals.items()}
    pooled = stats([t for v in expert_totals.values() for t in v])
    for r in pk.values():
        for e, t in r.totals.items():
            es = expert_stats[e]
            if not st.normalise or pooled is None or pooled.n < 2 or es is None or es.n < 2:
                r.normalised[e] = t
            elif es.sd == 0:
                r.normalised[e] = pooled.mean
            else:
                r.normalised[e] = pooled.mean + pooled.sd * (t - es.mean) / es.sd
        used = list((r.normalised if st.normalise else r.totals).values())
        r.total = stats(used)
        r.total_raw = stats(list(r.totals.values()))
        r.score = r.total.mean if r.total else None
        r.total_disagreement = bool(r.total and r.total.range >= st.threshold * rubric.total - 1e-9)
        r.disagreement = r.total_disagreement or any(c.disagreement for c in r.criteria.values())
    # overall and confidence
    overall_values: dict[int, list[float]] = {}
    for row in overall:
        e, p, score, conf = row[0], row[1], row[2], row[3]
        if (e, p) in recused:
            continue
        r = P(p)
        if score is not None:
            overall_values.setdefault(p, []).append(float(score))
        if conf:
            r.confidence[conf] = r.confidence.get(conf, 0) + 1
        if len(row) > 4 and row[4]:
            r.overall_comments.append((e, row[4]))
    for p, vals in overall_values.items():
        pk[p].overall = stats(vals)
    # gates
    gate_rows: dict[tuple[int, str], list[tuple]] = {}
    for row in gates:
        e, p, gid = row[0], row[1], row[2]
        if (e, p) in recused:
            continue
        gate_rows.setdefault((p, gid), []).append(row)
    for (p, gid), rows in gate_rows.items():
        met = sum(1 for x in rows if x[3])
        not_met = len(rows) - met
        failed = not_met > 0 if st.gate_rule == "any" else not_met * 2 > len(rows)
        pre = next((x[5] for x in rows if len(x) > 5 and x[5] is not None), None)
        P(p).gates[gid] = GateResult(gid, met, not_met, failed, [(x[0], x[4]) for x in rows if not x[3]],
                                     None if pre is None else bool(pre))
    order = [g.id for g in rubric.gates]
    for r in pk.values():
        r.gates = dict(sorted(r.gates.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        r.gate_failed = any(g.failed for g in r.gates.values())
    # ranking
    failed = sorted((r for r in pk.values() if r.gate_failed), key=lambda r: (-(r.score or 0), r.package))
    scored = sorted((r for r in pk.values() if not r.gate_failed and r.score is not None), key=lambda r: (-r.score, r.package))
    rest = sorted((r for r in pk.values() if not r.gate_failed and r.score is None), key=lambda r: r.package)
    for r in failed:
        r.group = "gate_failed"
    rounded = [round(r.score, 2) for r in scored]
    for i, r in enumerate(scored):
        r.group = "ranked"
        r.rank = rounded.index(rounded[i]) + 1
        r.tied = rounded.count(rounded[i]) > 1
    for r in rest:
        r.group = "unscored"
    return Results(round_no, rubric, st, failed + scored + rest, dict(experts or {}), expert_stats, pooled)


# ---------------------------------------------------------------------------- from the review file


def settings_of(rv) -> Settings:
    raw = rv.meta().get("panel_settings")
    d = json.loads(raw) if raw else {}
    return Settings(float(d.get("threshold", DEFAULT_THRESHOLD)), bool(d.get("normalise", False)),
                    d.get("gate_rule", "any") if d.get("gate_rule") in GATE_RULES else "any")


def save_settings(rv, *, threshold: float | None = None, normalise: bool | None = None, gate_rule: str | None = None) -> Settings:
    from ..review.file import ReviewError

    s = settings_of(rv)
    if threshold is not None:
        if not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
            raise ReviewError("The disagreement threshold is a fraction of the scale, above 0 and at most 1 (e.g. 0.5)",
                              "分歧阈值是评分范围的比例，应大于 0 且不超过 1（例如 0.5）", key="panel.bad_threshold")
        s.threshold = float(threshold)
    if normalise is not None:
        s.normalise = bool(normalise)
    if gate_rule is not None:
        if gate_rule not in GATE_RULES:
            raise ReviewError(f"The gate rule is one of: {', '.join(GATE_RULES)}", f"门槛判定规则可选：{', '.join(GATE_RULES)}",
                              key="panel.bad_gate_rule")
        s.gate_rule = gate_rule
    rv.set_meta("panel_settings", json.dumps(s.to_dict()))
    return s


def aggregate(rv, *, settings: Settings | None = None, round_no: int | None = None) -> Results | None:
    """The results of the current round (or `round_no`); None before the panel started."""
    from .rounds import current_round, get_round

    info = current_round(rv) if round_no is None else get_round(rv, round_no)
    if info is None:
        return None
    r = info.round
    c = rv.conn
    names = {i: n for i, n in c.execute("SELECT id, name FROM panel_experts")}
    assigned: dict[int, list[int]] = {}
    for p, e in c.execute("SELECT a.package, s.expert FROM panel_assignments a JOIN panel_sheets s ON s.id=a.sheet"
                          " WHERE s.round=?", (r,)):
        assigned.setdefault(p, []).append(e)
    # the levels in one C-level fetch; the few rows with a comment or an evidence pointer apart.
    # NOT INDEXED: a review file holds one or two rounds, so reading the table in order beats
    # following the primary-key index row by row (about a third less on a cold file, 42,000 scores)
    scores = c.execute("SELECT expert, package, criterion, value FROM panel_scores NOT INDEXED WHERE round=?",
                       (r,)).fetchall()
    comments = [(e, p, cid, cm, json.loads(ev) if ev else None) for e, p, cid, cm, ev in c.execute(
        "SELECT expert, package, criterion, comment, evidence FROM panel_scores NOT INDEXED WHERE round=?"
        " AND (comment != '' OR evidence IS NOT NULL) ORDER BY expert, package, criterion", (r,))]
    return compute(
        info.rubric, scores=scores, comments=comments,
        recusals=c.execute("SELECT expert, package, reason FROM panel_coi WHERE round=? AND recused=1", (r,)).fetchall(),
        gates=c.execute("SELECT expert, package, gate, passed, reason, prefilled FROM panel_gates WHERE round=?", (r,)).fetchall(),
        overall=c.execute("SELECT expert, package, score, confidence, comment FROM panel_overall WHERE round=?", (r,)).fetchall(),
        assigned=assigned, settings=settings or settings_of(rv), experts=names, round_no=r)


def anonymous_names(results: Results) -> dict[int, str]:
    """专家A, 专家B, … in the order the experts were added (for an anonymised report)."""
    out = {}
    for n, e in enumerate(sorted(results.experts)):
        letters = ""
        k = n
        while True:
            letters = chr(ord("A") + k % 26) + letters
            k = k // 26 - 1
            if k < 0:
                break
        out[e] = letters
    return out


def as_rows(results: Results) -> list[dict[str, Any]]:
    return [p.to_dict(results.experts) for p in results.packages]
