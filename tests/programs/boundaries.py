"""Boundary probes generated from the program definitions (used by test_boundaries.py).

Every comparison with a numeric or date threshold in a rule is probed: the comparison of a
`threshold`, `row_count` or `distinct_count` rule ("top"), each comparison leaf of an `assert` or
`each_row` condition (its `check`, its `where`, the rule's `when`), each comparison among the
conditions of `at_least` / `at_most`, and their `k`. A probe makes two fills from the demo answers:

    at    the measured value is the limit itself;
    past  the measured value is one step beyond it — outwards for ≤ ≥ = (the first value that must
          fail), inwards for < > ≠ (the first value that must pass),

where a step is the precision of the input that is moved (the "knob"): 1 for an integer, a choice
or a table row; 10^-decimals for a number or a percent (0.01 when the field gives no `decimals`);
one day for a date. A threshold on a part of a date (`month_of`, `day_of`, `year_of`,
`months_between`) is met on the last (or first) day that still has the limit, and the step is the
next (or previous) day.

The fills are built here, not by the engine: the knob is set so that the measured value is the limit
by construction (a ratio gets a denominator of 100, a sum the remainder of its other terms, a month
its last calendar day…). The expected truth of the comparison follows from its operator alone (≤
holds at the limit and fails one step above; < fails at the limit…), and the expected outcome of the
rule is computed here from that truth and the rule's structure (`when`, `all` / `any` / `not`,
`where` / `check`), the engine being asked only about the *other* leaves. The engine must agree on
the comparison and on the rule. A point the field cannot hold (below its `min`, an empty table, a
13th month) is "unreachable" and not checked.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from desktop.demo import demo_answers
from desktop.errors import DossierError
from desktop.models.program import Column, Field, Program, Rule
from desktop.rules import Evaluator
from desktop.rules.engine import _cmp
from desktop.values import coerce
from desktop.values.coerce import coerce_scalar

# direction of `past`, truth at the limit, truth one step past
EXPECT = {"lte": (+1, True, False), "gte": (-1, True, False), "lt": (-1, False, True),
          "gt": (+1, False, True), "equals": (+1, True, False), "not_equals": (+1, False, True)}
NUMERIC_OPS = ("gt", "gte", "lt", "lte")


class Unsupported(Exception):
    """The generator cannot realise this measured value (the message says which, to extend it)."""


def step_of(col: Column) -> float | int:
    if col.type == "integer":
        return 1
    if col.type in ("number", "percent"):
        return 10 ** -(col.decimals if col.decimals is not None else 2)
    raise Unsupported(f"no numeric step for a {col.type}")


def _exact(col: Column, v):
    if col.type == "integer":
        if isinstance(v, float) and not v.is_integer():
            raise Unsupported(f"{col.id}: {v} is not a whole number")
        return int(v)
    r = round(v, (col.decimals if col.decimals is not None else 2) + 6)
    return int(r) if float(r).is_integer() else r


def _day(v) -> dt.date | None:
    try:
        return dt.date.fromisoformat(v) if isinstance(v, str) else None
    except ValueError:
        return None


@dataclass
class Fill:
    """Answers and, for an `each_row` rule, the one row its table holds."""

    answers: dict[str, Any]
    row: dict | None = None
    reachable: bool = True
    note: str = ""

    def copy(self) -> "Fill":
        return Fill(copy.deepcopy(self.answers), copy.deepcopy(self.row), self.reachable, self.note)

    def unreachable(self, why: str) -> "Fill":
        self.reachable, self.note = False, why
        return self


@dataclass
class Probe:
    rule: Rule
    region: str  # "top", "check", "where", "when", "of" or "k"
    op: str
    limit: Any  # an operand (or k)
    measured: Any  # an operand (None for "k")
    atom: dict | None = None  # the leaf condition itself (check / where / when)

    @property
    def name(self) -> str:
        return f"{self.rule.id}:{self.region}:{self.op}"


@dataclass
class Outcome:
    point: str  # "at" or "past"
    reachable: bool
    note: str
    atom_expected: bool
    atom_engine: bool | None
    fires_expected: bool | None
    fires_engine: bool | None
    measured: Any
    limit: Any


def _leaves(c, out: list, region: str) -> None:
    if not isinstance(c, dict):
        return
    for k in ("all", "any"):
        if k in c:
            for x in c[k]:
                _leaves(x, out, region)
            return
    if "not" in c:
        _leaves(c["not"], out, region)
        return
    for op in NUMERIC_OPS:
        if op in c:
            subject = ({"field": c["field"]} if "field" in c else
                       {"column": c["column"]} if "column" in c else c["expr"])
            out.append(Probe(None, region, op, c[op], subject, c))
            return


def probes(program: Program) -> list[Probe]:
    out: list[Probe] = []
    for r in program.all_rules():
        s = r.spec
        if "op" in s:  # threshold, row_count, distinct_count
            w = {"where": s["where"]} if "where" in s else {}
            measured = (s["expr"] if r.kind == "threshold" else
                        {"count": s["table"], **w} if r.kind == "row_count" else
                        {"distinct": s["table"], "column": s["column"], **w})
            out.append(Probe(r, "top", s["op"], s["limit"], measured))
        leaves: list[Probe] = []
        for region in ("check", "where", "when"):
            if region in s:
                _leaves(s[region], leaves, region)
        for c in s.get("of", []):  # the listed conditions of at_least / at_most
            _leaves(c, leaves, "of")
        for p in leaves:
            p.rule = r
        out += leaves
        if r.kind in ("at_least", "at_most"):
            out.append(Probe(r, "k", "gte" if r.kind == "at_least" else "lte", s["k"], None))
    return out


class Runner:
    """Builds the fills of a probe and asks the engine about them."""

    def __init__(self, program: Program):
        self.p = program
        # the demo fill, plus the answers the demo gives to fields it hides (a probe may reveal them)
        given = {k: coerce(program.field(k), v) for k, v in ((program.demo or {}).get("answers") or {}).items()}
        self.demo = {**{k: v for k, v in given.items() if v is not None}, **demo_answers(program)}

    # ------------------------------------------------------------------ inputs

    def _table(self, probe: Probe) -> Field | None:
        return self.p.field(probe.rule.spec["table"]) if probe.rule.kind == "each_row" else None

    def _knob(self, op, table: Field | None):
        if isinstance(op, dict) and set(op) == {"field"}:
            return "field", self.p.field(op["field"]), op["field"]
        if isinstance(op, dict) and set(op) == {"column"} and table is not None:
            return "column", table.column(op["column"]), op["column"]
        return None

    def _put(self, fill: Fill, knob, value) -> None:
        kind, col, ref = knob
        try:
            v = coerce(col, value) if kind == "field" else coerce_scalar(col, value)
        except DossierError:
            fill.unreachable(f"{ref} = {value!r} cannot be entered")
            v = value
        if kind == "field":
            fill.answers[ref] = v
            self._reveal(fill, col)
        else:
            fill.row[ref] = v

    def _reveal(self, fill: Fill, fld: Field) -> None:
        """A moved input must be visible, or the engine rightly ignores it: make its visible_if hold."""
        ev = Evaluator(self.p, fill.answers)
        if ev.field_visible(fld.path):
            return
        ind = self.p.indicator(fld.indicator_id)
        sec = self.p.section_of(ind.id)
        for cond in (sec.visible_if, ind.visible_if, fld.visible_if):
            if cond is not None:
                self.make_true(cond, Fill(fill.answers), None)
        if not Evaluator(self.p, fill.answers).field_visible(fld.path):
            fill.unreachable(f"{fld.path} stays hidden")

    def _get(self, fill: Fill, knob):
        kind, _col, ref = knob
        return fill.answers.get(ref) if kind == "field" else (fill.row or {}).get(ref)

    def _value(self, fill: Fill, op):
        """Another term's current value (a plain input: the engine only reads it)."""
        return Evaluator(self.p, fill.answers).operand(op, fill.row)

    # ------------------------------------------------------------------ making a condition hold / fail

    def _leaf_target(self, c: dict, fill: Fill, table: Field | None):
        if "field" in c:
            return ("field", self.p.field(c["field"]), c["field"])
        if "column" in c and table is not None and fill.row is not None:
            return ("column", table.column(c["column"]), c["column"])
        return None

    def make_true(self, c: dict, fill: Fill, table: Field | None) -> None:
        if "all" in c:
            for x in c["all"]:
                self.make_true(x, fill, table)
            return
        if "any" in c:
            self.make_true(c["any"][0], fill, table)
            return
        if "not" in c:
            self.make_false(c["not"], fill, table)
            return
        k = self._leaf_target(c, fill, table)
        w = Fill(fill.answers, fill.row)  # writes through to `fill`
        if k is None:
            if "expr" in c and fill.row is None:
                self._count_leaf(c, fill, True)
            return
        col = k[1]
        if "equals" in c:
            self._put(w, k, c["equals"])
        elif "in" in c:
            self._put(w, k, c["in"][0])
        elif "contains" in c:
            cur = [x for x in (self._get(fill, k) or []) if x != c["contains"]]
            self._put(w, k, cur + [c["contains"]])
        elif "not_equals" in c and col.choices:
            self._put(w, k, next(ch.value for ch in col.choices if ch.value != c["not_equals"]))
        elif "not_equals" in c and col.type == "boolean":
            self._put(w, k, not c["not_equals"])
        elif "answered" in c and not c["answered"]:
            self._put(w, k, None)
        else:
            for op in NUMERIC_OPS:
                if op in c and col.type in ("integer", "number", "percent", "date"):
                    lim = Evaluator(self.p, fill.answers).operand(c[op], fill.row)
                    if lim is None:
                        return
                    if col.type == "date":
                        d = _day(lim)
                        lim = (d + dt.timedelta(days={"gt": 1, "lt": -1}.get(op, 0))).isoformat() if d else None
                    else:
                        lim = lim + {"gt": step_of(col), "lt": -step_of(col)}.get(op, 0)
                    self._put(w, k, lim)
                    return

    def _count_leaf(self, c: dict, fill: Fill, want: bool) -> None:
        """{expr: {count: table, where: …}, gte/gt: n}: add matching rows (true) or drop them (false)."""
        e = c["expr"]
        if not (isinstance(e, dict) and "count" in e):
            return
        t = self.p.field(e["count"])
        where = e.get("where")
        ev = Evaluator(self.p, fill.answers)
        rows = fill.answers.get(t.path) or []
        others = [r for r in rows if where is not None and not ev.cond(where, r)]
        if not want:
            fill.answers[t.path] = others or None
            return
        n = next((c[op] for op in ("gte", "gt", "equals") if op in c and isinstance(c[op], (int, float))), None)
        yes = self._row_where(t, where, fill, True)
        if n is None or yes is None:
            return
        need = int(n) + (1 if "gt" in c else 0)
        match = [r for r in rows if where is None or ev.cond(where, r)]
        fill.answers[t.path] = match + [copy.deepcopy(yes) for _ in range(max(0, need - len(match)))] + others

    def make_false(self, c: dict, fill: Fill, table: Field | None) -> None:
        if "all" in c:
            self.make_false(c["all"][0], fill, table)
            return
        if "any" in c:
            for x in c["any"]:
                self.make_false(x, fill, table)
            return
        if "not" in c:
            self.make_true(c["not"], fill, table)
            return
        k = self._leaf_target(c, fill, table)
        w = Fill(fill.answers, fill.row)
        if k is not None:
            if "not_equals" in c:
                self._put(w, k, c["not_equals"])
            elif "contains" in c:
                self._put(w, k, [x for x in (self._get(fill, k) or []) if x != c["contains"]] or None)
            elif "answered" in c and not c["answered"]:
                pass  # cannot invent an answer here
            elif k[0] == "field":  # empty: equals, in and comparisons are false
                fill.answers[k[2]] = None
            else:
                fill.row[k[2]] = None
        elif "expr" in c and fill.row is not None:
            for cid in _columns_in(c["expr"]):
                fill.row[cid] = None
        elif "expr" in c:
            self._count_leaf(c, fill, False)

    # ------------------------------------------------------------------ the base fill of a probe

    def base(self, probe: Probe) -> Fill:
        s = probe.rule.spec
        fill = Fill(copy.deepcopy(self.demo))
        table = self._table(probe)
        if table is not None:
            ev = Evaluator(self.p, fill.answers)
            rows = fill.answers.get(table.path) or []
            if probe.region == "where":
                fill.row = copy.deepcopy(rows[0]) if rows else {}
                self.make_false(s["check"], fill, table)  # the rows it selects must break the check
            else:
                match = [r for r in rows if "where" not in s or ev.cond(s["where"], r)]
                fill.row = copy.deepcopy(match[0] if match else (rows[0] if rows else {}))
                if "where" in s and not match:
                    self.make_true(s["where"], fill, table)
        if "when" in s and probe.region != "when":
            self.make_true(s["when"], fill, None)
        if probe.region == "when" and probe.rule.kind == "assert":
            self.make_false(s["check"], fill, None)
        return fill

    # ------------------------------------------------------------------ realising a measured value

    def points(self, op, target, dirn: int, base: Fill, table: Field | None) -> tuple[Fill, Fill]:
        """(at, past): `op` equals `target` in `at`, and is one step beyond it (direction dirn) in `past`."""
        knob = self._knob(op, table)
        if knob is not None:
            col = knob[1]
            at, past = base.copy(), base.copy()
            if col.type == "date":
                d = _day(target)
                if d is None:
                    raise Unsupported(f"a date compared with {target!r}")
                self._put(at, knob, d.isoformat())
                self._put(past, knob, (d + dt.timedelta(days=dirn)).isoformat())
                return at, past
            if col.type not in ("integer", "number", "percent"):
                raise Unsupported(f"a {col.type} input")
            self._put(at, knob, _exact(col, target))
            self._put(past, knob, _exact(col, target + dirn * step_of(col)))
            return at, past
        if not isinstance(op, dict):
            raise Unsupported(f"the constant {op!r} has no input to move")
        key = next((k for k in op if k not in ("where", "column")), None)
        fn = getattr(self, f"_points_{key}", None)
        if fn is None:
            raise Unsupported(f"operand {key!r}")
        return fn(op, target, dirn, base, table)

    @staticmethod
    def _whole(target) -> int:
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not float(target).is_integer():
            raise Unsupported(f"a count of {target!r}")
        return int(target)

    def _points_selected(self, op, target, dirn, base, table):
        fld = self.p.field(op["selected"])
        out = []
        for k in (self._whole(target), self._whole(target) + dirn):
            f = base.copy()
            if not 1 <= k <= len(fld.choices):  # none chosen is unanswered, not 0
                out.append(f.unreachable(f"{k} of {len(fld.choices)} choices"))
            else:
                self._put(f, ("field", fld, fld.path), [c.value for c in fld.choices[:k]])
                out.append(f)
        return tuple(out)

    def _row_where(self, t: Field, where, fill: Fill, want: bool) -> dict | None:
        """A row of table t for which `where` is `want` (a stored one, or a stored one changed)."""
        ev = Evaluator(self.p, fill.answers)
        rows = fill.answers.get(t.path) or []
        for r in rows:
            if where is None or bool(ev.cond(where, r)) == want:
                return copy.deepcopy(r)
        if where is None or not rows:
            return None
        f = Fill(fill.answers, copy.deepcopy(rows[0]))
        (self.make_true if want else self.make_false)(where, f, t)
        return f.row if bool(ev.cond(where, f.row)) == want else None

    def _with_rows(self, t: Field, rows: list[dict], base: Fill) -> Fill:
        f = base.copy()
        self._put(f, ("field", t, t.path), rows)
        return f if rows else f.unreachable("an empty table is unanswered")

    def _points_count(self, op, target, dirn, base, table):
        t = self.p.field(op["count"])
        yes = self._row_where(t, op.get("where"), base, True)
        if yes is None:
            raise Unsupported(f"no row of {t.path} can match the count's where")
        # the rows the count does not select stay as they are (other comparisons may count them)
        ev = Evaluator(self.p, base.answers)
        others = [r for r in base.answers.get(t.path) or [] if "where" in op and not ev.cond(op["where"], r)]
        if "where" in op and not others:
            no = self._row_where(t, op["where"], base, False)
            others = [no] if no is not None else []
        out = []
        for k in (self._whole(target), self._whole(target) + dirn):
            if k < 0:
                out.append(base.copy().unreachable("a negative count"))
                continue
            rows = [copy.deepcopy(yes) for _ in range(k)] + copy.deepcopy(others)
            out.append(self._with_rows(t, rows, base))
        return tuple(out)

    def _points_distinct(self, op, target, dirn, base, table):
        t = self.p.field(op["distinct"])
        col = t.column(op["column"])
        yes = self._row_where(t, op.get("where"), base, True)
        if yes is None:
            raise Unsupported(f"no row of {t.path} can match the where")
        out = []
        for k in (self._whole(target), self._whole(target) + dirn):
            if col.type == "choice":
                values = [c.value for c in col.choices[:k]] if k <= len(col.choices) else None
            elif col.type in ("text", "longtext", "integer"):
                values = [f"区域{n + 1}" if col.type != "integer" else n + 1 for n in range(k)]
            else:
                raise Unsupported(f"distinct values of a {col.type} column")
            if not values:
                out.append(base.copy().unreachable(f"{k} distinct values"))
                continue
            out.append(self._with_rows(t, [{**copy.deepcopy(yes), col.id: v} for v in values], base))
        return tuple(out)

    def _points_sum(self, op, target, dirn, base, table):
        t = self.p.field(op["sum"])
        col = t.column(op["column"])
        yes = self._row_where(t, op.get("where"), base, True)
        if yes is None:
            raise Unsupported(f"no row of {t.path} can match the sum's where")
        return tuple(self._with_rows(t, [{**copy.deepcopy(yes), col.id: _exact(col, v)}], base)
                     for v in (target, target + dirn * step_of(col)))

    def _points_ratio(self, op, target, dirn, base, table):
        num, den = op["ratio"]
        if isinstance(den, (int, float)):
            return self.points(num, target * den / 100, dirn, base, table)
        for d in (100, 1000, 10000):  # a denominator that makes the numerator enterable
            f, _ = self.points(den, d, +1, base, table)
            if not f.reachable:
                continue
            at, past = self.points(num, target * d / 100, dirn, f, table)
            if at.reachable:
                return at, past
        raise Unsupported("no denominator of 100, 1000 or 10000 makes the ratio's numerator enterable")

    def _points_add(self, op, target, dirn, base, table):
        terms = op["add"]
        for n, term in enumerate(terms):
            others = terms[:n] + terms[n + 1:]
            for room in (False, True):  # first as they are, then the other plain inputs at 0
                f = base.copy()
                if room:
                    knobs = [self._knob(t, table) for t in others]
                    if None in knobs:
                        break
                    for k in knobs:
                        self._put(f, k, 0)
                vals = [self._value(f, t) for t in others]
                if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in vals):
                    continue
                at, past = self.points(term, target - sum(vals), dirn, f, table)
                if at.reachable:
                    return at, past
        raise Unsupported("no term of the sum can take the remainder")

    def _points_sub(self, op, target, dirn, base, table):
        a, b = op["sub"]
        vb = self._value(base, b)
        if isinstance(vb, bool) or not isinstance(vb, (int, float)):
            raise Unsupported("the subtrahend is unanswered")
        return self.points(a, target + vb, dirn, base, table)

    def _points_mul(self, op, target, dirn, base, table):
        a, b = op["mul"]
        knob, c = (a, b) if isinstance(b, (int, float)) else (b, a)
        if not isinstance(c, (int, float)) or c <= 0:
            raise Unsupported("a product of two inputs")
        k = self._knob(knob, table)
        if k is None:
            raise Unsupported("a product of a derived value")
        x = target / c
        at, past = base.copy(), base.copy()
        self._put(at, k, _exact(k[1], x))
        self._put(past, k, _exact(k[1], x + dirn * step_of(k[1])))
        return at, past

    # parts of a date: the extreme day that still has the limit, and the day beyond it

    def _date_knob(self, op, base: Fill, table):
        k = self._knob(op, table)
        if k is None or k[1].type != "date":
            raise Unsupported("a part of a derived date")
        return k, _day(self._get(base, k)) or dt.date(2024, 6, 15)

    def _datepart(self, part: str, op, target, dirn, base, table):
        k, d = self._date_knob(op, base, table)
        n = self._whole(target)
        if part == "year":
            at = dt.date(n, 12, 31) if dirn > 0 else dt.date(n, 1, 1)
        elif part == "month":
            if not 1 <= n <= 12:
                raise Unsupported(f"month {n}")
            at = dt.date(d.year, n, calendar.monthrange(d.year, n)[1] if dirn > 0 else 1)
        else:
            if not 1 <= n <= calendar.monthrange(d.year, d.month)[1]:
                raise Unsupported(f"day {n} of {d:%Y-%m}")
            at = d.replace(day=n)
        past = at + dt.timedelta(days=dirn)
        fa, fp = base.copy(), base.copy()
        self._put(fa, k, at.isoformat())
        self._put(fp, k, past.isoformat())
        if getattr(past, part) != n + dirn:  # beyond December or the 1st: the part wraps around
            fp.unreachable(f"no {part} {n + dirn}")
        return fa, fp

    def _points_year_of(self, op, target, dirn, base, table):
        return self._datepart("year", op["year_of"], target, dirn, base, table)

    def _points_month_of(self, op, target, dirn, base, table):
        return self._datepart("month", op["month_of"], target, dirn, base, table)

    def _points_day_of(self, op, target, dirn, base, table):
        return self._datepart("day", op["day_of"], target, dirn, base, table)

    def _points_months_between(self, op, target, dirn, base, table, per: int = 1):
        a, b = op.get("months_between") or op.get("years_between")
        ka, kb = self._knob(a, table), self._knob(b, table)
        if ka is None or kb is None or ka[1].type != "date" or kb[1].type != "date":
            raise Unsupported("months between derived dates")
        n = self._whole(target) * per + (per - 1 if dirn > 0 else 0)  # whole years: 12y … 12y + 11 months
        f = base.copy()
        end = (_day(self._get(f, kb)) or dt.date(2024, 6, 15)).replace(day=15)  # mid-month: no clamping
        self._put(f, kb, end.isoformat())

        def back(months: int) -> dt.date:
            y, m = divmod(end.year * 12 + end.month - 1 - months, 12)
            return dt.date(y, m + 1, 15)

        # the later the start, the fewer whole months until `end`
        if dirn < 0:
            at_d, past_d = back(n), back(n) + dt.timedelta(days=1)  # n months; from the 16th one fewer
        else:
            at_d, past_d = back(n + 1) + dt.timedelta(days=1), back(n + 1)  # still n; a day earlier n + 1
        at, past = f.copy(), f.copy()
        self._put(at, ka, at_d.isoformat())
        self._put(past, ka, past_d.isoformat())
        return at, past

    def _points_years_between(self, op, target, dirn, base, table):
        return self._points_months_between(op, target, dirn, base, table, per=12)

    # ------------------------------------------------------------------ running a probe

    def _answers(self, fill: Fill, table: Field | None) -> dict:
        a = dict(fill.answers)
        if table is not None:
            a[table.path] = [fill.row] if fill.row else None
        return a

    def _tree(self, c: dict, ev: Evaluator, row, probe: Probe, truth: bool) -> bool:
        """A condition's truth with the probed leaf at its expected truth (the others: the engine)."""
        if c is probe.atom:
            return truth
        if "all" in c:
            return all(self._tree(x, ev, row, probe, truth) for x in c["all"])
        if "any" in c:
            return any(self._tree(x, ev, row, probe, truth) for x in c["any"])
        if "not" in c:
            return not self._tree(c["not"], ev, row, probe, truth)
        return bool(ev.cond(c, row))

    def _fires_expected(self, probe: Probe, ev: Evaluator, row, truth: bool) -> bool:
        s, kind = probe.rule.spec, probe.rule.kind
        if "when" in s and not self._tree(s["when"], ev, None, probe, truth):
            return False
        if probe.region == "top":
            return not truth
        if kind == "assert":
            return not self._tree(s["check"], ev, None, probe, truth)
        if kind == "each_row":
            selected = "where" not in s or self._tree(s["where"], ev, row, probe, truth)
            return selected and not self._tree(s["check"], ev, row, probe, truth)
        if kind in ("at_least", "at_most"):
            held = sum(self._tree(c, ev, None, probe, truth) for c in s["of"])
            return held < s["k"] if kind == "at_least" else held > s["k"]
        # a `when` leaf of a threshold / count rule: the rest is the engine's comparison
        return ev.rule_problem(probe.rule) is not None

    def run(self, probe: Probe) -> list[Outcome]:
        if probe.region == "k":
            return self._run_k(probe)
        table = self._table(probe)
        base = self.base(probe)
        ev0 = Evaluator(self.p, self._answers(base, table))
        limit = ev0.operand(probe.limit, base.row)
        if limit is None:
            raise Unsupported(f"the limit {probe.limit!r} is unanswered in the demo")
        dirn, at_truth, past_truth = EXPECT[probe.op]
        pairs = [self.points(probe.measured, limit, dirn, base, table)]
        if probe.op == "equals":  # one step past on both sides
            pairs.append(self.points(probe.measured, limit, -1, base, table))
        out: list[Outcome] = []
        for n, (at, past) in enumerate(pairs):
            for name, fill, truth in (("at", at, at_truth), ("past", past, past_truth)):
                if n and name == "at":
                    continue
                answers = self._answers(fill, table)
                ev = Evaluator(self.p, answers)
                if probe.atom is not None:
                    engine_atom = bool(ev.cond(probe.atom, fill.row))
                else:  # the rule's own comparison (its limit may be an operand)
                    engine_atom = bool(_cmp(ev.operand(probe.measured, fill.row), probe.op, ev.operand(probe.limit, fill.row)))
                expected = self._fires_expected(probe, ev, fill.row, truth)
                fires = ev.rule_problem(probe.rule) is not None
                out.append(Outcome(name if not n else "past (below)", fill.reachable, fill.note, truth, engine_atom,
                                   expected, fires, ev.operand(probe.measured, fill.row), ev.operand(probe.limit, fill.row)))
        return out

    def _run_k(self, probe: Probe) -> list[Outcome]:
        """at_least / at_most k: exactly k of the listed conditions hold, then one fewer / one more."""
        s = probe.rule.spec
        k = s["k"]
        want = {"at": k, "past": k - 1 if probe.rule.kind == "at_least" else k + 1}
        out = []
        for name, n in want.items():
            fill = Fill(copy.deepcopy(self.demo))
            if "when" in s:
                self.make_true(s["when"], fill, None)
            ev = Evaluator(self.p, fill.answers)
            truths = [bool(ev.cond(c)) for c in s["of"]]
            for i, c in enumerate(s["of"]):  # switch conditions on, then off, until n hold
                ev = Evaluator(self.p, fill.answers)
                held = sum(bool(ev.cond(x)) for x in s["of"])
                if held < n and not truths[i]:
                    self.make_true(c, fill, None)
                elif held > n and truths[i]:
                    self.make_false(c, fill, None)
            ev = Evaluator(self.p, fill.answers)
            held = sum(bool(ev.cond(x)) for x in s["of"])
            if held != n or n < 0 or n > len(s["of"]):
                fill.unreachable(f"{held} conditions hold, not {n}")
            truth = name == "at"
            fires_expected = (held < k) if probe.rule.kind == "at_least" else (held > k)
            if "when" in s and not ev.cond(s["when"]):
                fires_expected = False
            out.append(Outcome(name, fill.reachable, fill.note, truth, (held >= k) if probe.rule.kind == "at_least" else (held <= k),
                               fires_expected, ev.rule_problem(probe.rule) is not None, held, k))
        return out


def _columns_in(x) -> list[str]:
    out: list[str] = []
    if isinstance(x, dict):
        if set(x) == {"column"}:
            out.append(x["column"])
        for v in x.values():
            out += _columns_in(v)
    elif isinstance(x, list):
        for v in x:
            out += _columns_in(v)
    return out


# ---------------------------------------------------------------------------- built-in limits of fields


@dataclass
class FieldLimit:
    """A built-in hard limit of a field or column: min / max (numbers, dates), max_length, max_rows,
    max_selected (refused by coerce), min_rows, min_selected (a blocking problem)."""

    path: str  # field path, or "<field path>.<column id>"
    field: Field
    column: Column | None
    key: str
    limit: Any

    @property
    def name(self) -> str:
        return f"{self.path}:{self.key}"


def field_limits(program: Program) -> list[FieldLimit]:
    out = []
    for f in program.fields.values():
        for col, path in [(f, f.path)] + [(c, f"{f.path}.{c.id}") for c in f.columns]:
            lo, hi = col.min, col.max
            if col.type == "percent":
                lo, hi = (0 if lo is None else lo), (100 if hi is None else hi)
            for key, v in (("min", lo), ("max", hi), ("max_length", col.max_length)):
                if v is not None:
                    out.append(FieldLimit(path, f, col if col is not f else None, key, v))
        for key in ("min_rows", "max_rows", "min_selected", "max_selected"):
            v = getattr(f, key)
            if v:
                out.append(FieldLimit(f.path, f, None, key, v))
    return out
