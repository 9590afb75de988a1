"""The declarative rule engine: visibility, required items, rules, completeness.

Definitions are data: conditions, operands and rules are mappings interpreted here (nothing is
ever evaluated as code). See docs/program-format.md for the language.
"""

from __future__ import annotations

import datetime as _dt
import operator
import re
from itertools import compress, repeat
from typing import Any, Callable, Mapping

from ..models.program import Field, Label, Program, Rule
from ..models.report import IndicatorState, Problem, Report
from ..values import is_answered, plural

_UNDEF = None  # an undefined operand (inputs unanswered, division by zero…)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

MSG_REQUIRED = Label("此项为必填项", "This field is required")


def _label_msg(zh_tpl: str, en_tpl: str, fld, **kw) -> Label:
    return Label(zh_tpl.format(label=fld.label.zh, **kw), en_tpl.format(label=fld.label.en, **kw))


def _tidy(x: Any) -> Any:
    """Arithmetic on answers is decimal in spirit: drop binary noise (0.1 + 0.2 = 0.30000000000000004)
    so that a value exactly at a limit compares as at the limit. Answers carry far fewer than 9
    decimals, so rounding there changes no real value."""
    return round(x, 9) if isinstance(x, float) else x


def _as_date(v: Any) -> _dt.date | None:
    if isinstance(v, str):
        try:
            return _dt.date.fromisoformat(v)
        except ValueError:
            return None
    return None


def _cmp(a: Any, op: str, b: Any) -> bool | None:
    """Compare two operand values; None when either is undefined or they are not comparable."""
    if a is None or b is None:
        return None
    if isinstance(a, bool) or isinstance(b, bool):
        if op == "equals":
            return a == b
        if op == "not_equals":
            return a != b
        return None
    num = isinstance(a, (int, float)) and isinstance(b, (int, float))
    if not num and not (isinstance(a, str) and isinstance(b, str)):
        return None
    if op == "equals":
        return a == b
    if op == "not_equals":
        return a != b
    if op == "gt":
        return a > b
    if op == "gte":
        return a >= b
    if op == "lt":
        return a < b
    if op == "lte":
        return a <= b
    return None


# Rule filters over table rows ({"column": …, "equals": …} and their all/any/not) are the engine's hot
# loop: a 10,000-row table is filtered by every rule on every edit. A condition that reads only the
# row's own cells is turned once into a plain function with exactly Evaluator.cond's semantics (same
# order of keys, same comparisons); anything else keeps going through cond. Keyed by the condition
# object (kept referenced, so its id cannot be reused): definitions live as long as their program.
_ROW_FNS: dict[int, tuple[dict, Callable[[dict], bool] | None]] = {}


def _row_fn(c: Any) -> Callable[[dict], bool] | None:
    if not isinstance(c, dict):
        return None
    hit = _ROW_FNS.get(id(c))
    if hit is not None and hit[0] is c:
        return hit[1]
    fn = _compile_row_cond(c)
    _ROW_FNS[id(c)] = (c, fn)
    return fn


def _compile_row_cond(c: dict) -> Callable[[dict], bool] | None:
    if "all" in c:
        fns = [_row_fn(x) for x in c["all"]]
        return None if any(f is None for f in fns) else (lambda r: all(f(r) for f in fns))
    if "any" in c:
        fns = [_row_fn(x) for x in c["any"]]
        return None if any(f is None for f in fns) else (lambda r: any(f(r) for f in fns))
    if "not" in c:
        f = _row_fn(c["not"])
        return None if f is None else (lambda r: not f(r))
    if "field" in c or "column" not in c:
        return None  # reads the form, or a computed operand: Evaluator.cond
    col = c["column"]
    if "answered" in c:
        flag = bool(c["answered"])
        return lambda r: is_answered(r.get(col)) == flag
    if "equals" in c:
        x = c["equals"]
        if is_answered(x):  # v == x then implies v is answered
            fn = lambda r: r.get(col) == x  # noqa: E731
            fn.column_equals = (col, x)  # the filter can then run in C (Evaluator._rows)
            return fn
        return lambda r: is_answered(r.get(col)) and r.get(col) == x
    if "not_equals" in c:
        x = c["not_equals"]
        return lambda r: not (is_answered(r.get(col)) and r.get(col) == x)
    if "in" in c:
        x = c["in"]
        return lambda r: is_answered(r.get(col)) and r.get(col) in x
    if "contains" in c:
        x = c["contains"]
        return lambda r: isinstance(r.get(col), list) and x in r.get(col)
    for op in ("gt", "gte", "lt", "lte"):
        if op in c:
            b = c[op]
            if isinstance(b, dict):
                if "column" in b and len(b) == 1:
                    other = b["column"]
                    return lambda r: bool(_cmp(r.get(col), op, r.get(other)))
                return None
            return lambda r: bool(_cmp(r.get(col), op, b))
    return lambda r: False


class Evaluator:
    """Evaluates one program against one set of answers and evidence counts."""

    def __init__(self, program: Program, answers: Mapping[str, Any], evidence_counts: Mapping[str, int] | None = None):
        self.p = program
        self.raw = answers
        self.ev = evidence_counts or {}
        self._vis: dict[str, bool] = {}
        self._busy: set[str] = set()

    # ---------------------------------------------------------- visibility

    def _visible_key(self, key: str, cond: dict | None, parent: Callable[[], bool]) -> bool:
        if key in self._vis:
            return self._vis[key]
        if key in self._busy:  # a cycle in visible_if: treat as visible rather than loop
            return True
        self._busy.add(key)
        try:
            v = parent() and (cond is None or self.cond(cond))
        finally:
            self._busy.discard(key)
        self._vis[key] = v
        return v

    def section_visible(self, sid: str) -> bool:
        sec = next(s for s in self.p.sections if s.id == sid)
        return self._visible_key("s:" + sid, sec.visible_if, lambda: True)

    def indicator_visible(self, iid: str) -> bool:
        ind = self.p.indicator(iid)
        return self._visible_key("i:" + iid, ind.visible_if, lambda: self.section_visible(ind.section_id))

    def field_visible(self, path: str) -> bool:
        f = self.p.field(path)
        return self._visible_key("f:" + path, f.visible_if, lambda: self.indicator_visible(f.indicator_id))

    def value(self, path: str) -> Any:
        """The effective value: what is stored, or None when the field is hidden."""
        v = self.raw.get(path)
        if v is None:
            return None
        return v if self.field_visible(path) else None

    # ---------------------------------------------------------- operands

    def _rows(self, table: str, where: dict | None) -> list[dict] | None:
        rows = self.value(table)
        if not rows:
            return None
        if where is None:
            return list(rows)
        fn = _row_fn(where)
        if fn is None:
            return [r for r in rows if self.cond(where, r)]
        eq = getattr(fn, "column_equals", None)
        if eq is not None:
            try:  # the same test, without a Python call per row
                col, x = eq
                return list(compress(rows, map(operator.eq, map(dict.get, rows, repeat(col)), repeat(x))))
            except TypeError:  # a row that is not a mapping: the general way says what it says
                pass
        return [r for r in rows if fn(r)]

    def operand(self, op: Any, row: dict | None = None) -> Any:
        if isinstance(op, (int, float)) and not isinstance(op, bool):
            return op
        if not isinstance(op, dict):
            return op  # a scalar literal used in a comparison
        if "field" in op:
            return self.value(op["field"])
        if "column" in op and len(op) == 1:
            return None if row is None else row.get(op["column"])
        if "count" in op:
            rows = self._rows(op["count"], op.get("where"))
            return None if rows is None else len(rows)
        if "sum" in op:
            rows = self._rows(op["sum"], op.get("where"))
            if rows is None:
                return None
            return _tidy(sum(r.get(op["column"]) or 0 for r in rows if isinstance(r.get(op["column"]), (int, float))))
        if "distinct" in op:
            rows = self._rows(op["distinct"], op.get("where"))
            if rows is None:
                return None
            vals = {str(r.get(op["column"])).strip() for r in rows if is_answered(r.get(op["column"]))}
            return len(vals)
        if "selected" in op:
            v = self.value(op["selected"])
            return None if v is None else len(v)
        if "ratio" in op:
            a, b = (self.operand(x, row) for x in op["ratio"])
            if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or b == 0:
                return None
            # a × 100 / b, not a / b × 100: 30 / 100 × 100 is 30.000000000000004 and would fail "≤ 30 %"
            return _tidy(a * 100 / b)
        if "add" in op or "mul" in op:
            key = "add" if "add" in op else "mul"
            vals = [self.operand(x, row) for x in op[key]]
            if any(not isinstance(v, (int, float)) or isinstance(v, bool) for v in vals):
                return None
            out = 0 if key == "add" else 1
            for v in vals:
                out = out + v if key == "add" else out * v
            return _tidy(out)
        if "sub" in op:
            a, b = (self.operand(x, row) for x in op["sub"])
            if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
                return None
            return _tidy(a - b)
        if "months_between" in op or "years_between" in op:
            key = "months_between" if "months_between" in op else "years_between"
            a, b = (_as_date(self.operand(x, row)) for x in op[key])
            if a is None or b is None:
                return None
            months = (b.year - a.year) * 12 + (b.month - a.month) - (1 if b.day < a.day else 0)
            return months if key == "months_between" else int(months / 12)
        if "date" in op:
            return op["date"]
        for key, attr in (("year_of", "year"), ("month_of", "month"), ("day_of", "day")):
            if key in op:
                d = _as_date(self.operand(op[key], row))
                return None if d is None else getattr(d, attr)
        return None

    # ---------------------------------------------------------- conditions

    def cond(self, c: dict, row: dict | None = None) -> bool:
        if "all" in c:
            return all(self.cond(x, row) for x in c["all"])
        if "any" in c:
            return any(self.cond(x, row) for x in c["any"])
        if "not" in c:
            return not self.cond(c["not"], row)
        if "field" in c:
            v = self.value(c["field"])
        elif "column" in c:
            v = None if row is None else row.get(c["column"])
        else:
            v = self.operand(c["expr"], row)
        if "answered" in c:
            return is_answered(v) == bool(c["answered"])
        if "equals" in c:
            return is_answered(v) and v == c["equals"]
        if "not_equals" in c:
            return not (is_answered(v) and v == c["not_equals"])
        if "in" in c:
            return is_answered(v) and v in c["in"]
        if "contains" in c:
            return isinstance(v, list) and c["contains"] in v
        for op in ("gt", "gte", "lt", "lte"):
            if op in c:
                return bool(_cmp(v, op, self.operand(c[op], row)))
        return False

    # ---------------------------------------------------------- rules

    def rule_problem(self, rule: Rule) -> Problem | None:
        s = rule.spec
        if "when" in s and not self.cond(s["when"]):
            return None
        failed = False
        rows: list[int] = []
        k = rule.kind
        if k in ("threshold", "distinct_count", "row_count"):
            if k == "threshold":
                val = self.operand(s["expr"])
            elif k == "distinct_count":
                val = self.operand({"distinct": s["table"], "column": s["column"], **({"where": s["where"]} if "where" in s else {})})
            else:
                val = self.operand({"count": s["table"], **({"where": s["where"]} if "where" in s else {})})
            res = _cmp(val, s["op"], self.operand(s["limit"]))
            failed = res is False
        elif k in ("at_least", "at_most"):
            n = sum(1 for c in s["of"] if self.cond(c))
            failed = n < s["k"] if k == "at_least" else n > s["k"]
        elif k == "each_row":
            for n, r in enumerate(self.value(s["table"]) or [], 1):
                if ("where" not in s or self.cond(s["where"], r)) and not self.cond(s["check"], r):
                    rows.append(n)
            failed = bool(rows)
        elif k == "assert":
            failed = not self.cond(s["check"])
        if not failed:
            return None
        anchor = _first_ref(s)
        ind = rule.scope or (self.p.field(anchor).indicator_id if anchor and self.p.field(anchor) else None)
        msg = rule.message
        if rows:
            listed = ", ".join(map(str, rows[:20])) + ("…" if len(rows) > 20 else "")
            msg = Label(f"{msg.zh}（第 {listed} 行）", f"{msg.en} ({'row' if len(rows) == 1 else 'rows'} {listed})")
        return Problem(rule.id, rule.severity, msg, ind, anchor, rows)

    # ---------------------------------------------------------- everything

    def _field_checks(self, f: Field) -> tuple[bool, bool, list[Problem]]:
        """(counts as required, satisfied, problems) for one visible field."""
        v = self.value(f.path)
        required = f.required or (f.required_if is not None and self.cond(f.required_if))
        probs: list[Problem] = []
        answered = is_answered(v)
        iid = f.indicator_id
        if required and not answered:
            probs.append(Problem("required", "blocking",
                                 _label_msg("必填项“{label}”尚未填写", "Required: “{label}” is empty", f), iid, f.path))
        if f.type == "table" and answered:
            if f.min_rows and len(v) < f.min_rows:
                probs.append(Problem("min_rows", "blocking",
                                     _label_msg("“{label}”至少需要 {n} 行（现有 {m} 行）", "“{label}” needs at least {n} rows (has {m})",
                                                f, n=f.min_rows, m=len(v)), iid, f.path))
            for col in f.columns:
                if col.required:
                    probs += _column_problem(f, col, v, "cell_required", lambda x: not is_answered(x), "不能为空", "is empty",
                                             falsy_or_blank_only=True)
                if col.script == "latin":
                    probs += _column_problem(f, col, v, "script", lambda x: isinstance(x, str) and bool(_HAN.search(x)),
                                             "须用英文填写", "must be in English")
        if f.script == "latin" and answered and isinstance(v, str) and _HAN.search(v):
            probs.append(Problem("script", "blocking",
                                 _label_msg("“{label}”须用英文等拉丁字母填写", "“{label}” must be written in English (Latin letters)", f),
                                 iid, f.path))
        if f.type == "multichoice" and answered and f.min_selected and len(v) < f.min_selected:
            probs.append(Problem("min_selected", "blocking",
                                 _label_msg("“{label}”至少选择 {n} 项", "“{label}”: choose at least {n}", f, n=f.min_selected), iid, f.path))
        satisfied = answered and not probs
        return required, satisfied, probs

    def report(self) -> Report:
        states: dict[str, IndicatorState] = {}
        problems: list[Problem] = []
        sections: dict[str, tuple[int, int]] = {}
        visible_fields: set[str] = set()
        required: dict[str, bool] = {}  # each required item (field path, "<indicator>/#<slot>") -> done
        for sec in self.p.sections:
            sd = st = 0
            for ind in sec.indicators:
                state = IndicatorState(ind.id, visible=self.indicator_visible(ind.id))
                states[ind.id] = state
                if not state.visible:
                    continue
                for f in ind.fields:
                    if not self.field_visible(f.path):
                        continue
                    visible_fields.add(f.path)
                    if is_answered(self.raw.get(f.path)):
                        state.answered = True
                    req, ok, probs = self._field_checks(f)
                    state.problems += probs
                    if req:
                        state.required_total += 1
                        state.required_done += ok
                        required[f.path] = bool(ok)
                for slot in ind.evidence:
                    n = self.ev.get(slot.key, 0)
                    if n:
                        state.answered = True
                    need = slot.min_count if (slot.required_if is None or self.cond(slot.required_if)) else 0
                    if need:
                        state.required_total += 1
                        required[f"{ind.id}/#{slot.id}"] = n >= need
                        if n >= need:
                            state.required_done += 1
                        else:
                            state.problems.append(Problem(
                                "evidence_min", "blocking",
                                Label(f"证明材料“{slot.label.zh}”至少需要 {need} 个文件（现有 {n} 个）",
                                      f"Evidence “{slot.label.en}” needs at least {plural(need, 'file', 'files')} "
                                      f"(has {n})"),
                                ind.id, f"{ind.id}/#{slot.id}"))
                for rule in ind.rules:
                    pr = self.rule_problem(rule)
                    if pr:
                        pr.indicator_id = ind.id
                        state.problems.append(pr)
                problems += state.problems
                sd += state.required_done
                st += state.required_total
            sections[sec.id] = (sd, st)
        for rule in self.p.rules:
            pr = self.rule_problem(rule)
            if pr:
                problems.append(pr)
                if pr.indicator_id in states:
                    states[pr.indicator_id].problems.append(pr)
        return Report(problems, states, sections, visible_fields, required)


def _column_problem(f: Field, col, rows: list, code: str, bad_cell, zh: str, en: str,
                    falsy_or_blank_only: bool = False) -> list[Problem]:
    """One problem naming the rows of table `f` whose cell in `col` fails (bad_cell(value) is true).
    `falsy_or_blank_only`: bad_cell can only be true for a falsy or blank value (an empty cell), so
    the other rows are skipped without calling it (10,000-row tables, on every edit)."""
    try:
        vals = list(map(dict.get, rows, repeat(col.id)))
    except TypeError:
        vals = [r.get(col.id) if isinstance(r, dict) else None for r in rows]
    if falsy_or_blank_only:
        bad = [n for n, x in enumerate(vals, 1) if (not x or (type(x) is str and x.isspace())) and bad_cell(x)]
    else:
        bad = [n for n, x in enumerate(vals, 1) if bad_cell(x)]
    if not bad:
        return []
    listed = ", ".join(map(str, bad[:20]))
    return [Problem(code, "blocking",
                    Label(f"“{f.label.zh}”的“{col.label.zh}”列{zh}（第 {listed} 行）",
                          f"“{f.label.en}”: column “{col.label.en}” {en} ({'row' if len(bad) == 1 else 'rows'} {listed})"),
                    f.indicator_id, f.path, bad, column=col.id)]


def _first_ref(spec: Any) -> str | None:
    """The first field path a rule refers to (to anchor its problem in the UI)."""
    if isinstance(spec, dict):
        for key in ("table", "field", "count", "sum", "distinct", "selected"):
            if isinstance(spec.get(key), str):
                return spec[key]
        for v in spec.values():
            r = _first_ref(v)
            if r:
                return r
    elif isinstance(spec, list):
        for v in spec:
            r = _first_ref(v)
            if r:
                return r
    return None


def evaluate(program: Program, answers: Mapping[str, Any], evidence_counts: Mapping[str, int] | None = None) -> Report:
    return Evaluator(program, answers, evidence_counts).report()
