"""Cross-reference checks of a schema-valid definition, and the Program model built from it."""

from __future__ import annotations

import re
from typing import Any

from ..errors import DefinitionError, DossierError
from ..models.program import (
    COLUMN_TYPES,
    NUMERIC_TYPES,
    Choice,
    Column,
    DocumentStyle,
    EvidenceSlot,
    Field,
    Indicator,
    PERIOD_KINDS,
    Label,
    PeriodSpec,
    Part,
    Program,
    Rule,
    Section,
    Source,
)
from .yaml_io import _where

COMPARATORS = ("equals", "not_equals", "in", "contains", "answered", "gt", "gte", "lt", "lte")
RULE_COMPARATORS = ("equals", "not_equals", "gt", "gte", "lt", "lte")




class Builder:
    def __init__(self, data: dict, filename: str, text: str | None):
        self.d, self.file, self.text = data, filename, text
        self.fields: dict[str, Field] = {}

    def fail(self, parts, reason: str):
        raise DefinitionError(self.file, _where(self.text, parts), reason)

    def build(self) -> Program:
        d = self.d
        sections: list[Section] = []
        seen_sections: set[str] = set()
        seen_ind: set[str] = set()
        # pass 1: structure and fields, so references can point forwards
        for si, s in enumerate(d["sections"]):
            if s["id"] in seen_sections:
                self.fail(["sections", si, "id"], f"duplicate section id {s['id']!r}")
            seen_sections.add(s["id"])
            inds = []
            for ii, i in enumerate(s["indicators"]):
                at = ["sections", si, "indicators", ii]
                if i["id"] in seen_ind:
                    self.fail(at + ["id"], f"duplicate indicator id {i['id']!r}")
                if "/" in i["id"]:
                    self.fail(at + ["id"], "an indicator id cannot contain '/'")
                seen_ind.add(i["id"])
                ind = Indicator(
                    id=i["id"],
                    title=Label.of(i["title"]),
                    official=Label.of(i["official"]),
                    section_id=s["id"],
                    observation_points=i.get("observation_points", 1),
                )
                fids: set[str] = set()
                for fi, f in enumerate(i.get("fields", [])):
                    if f["id"] in fids:
                        self.fail(at + ["fields", fi, "id"], f"duplicate field id {f['id']!r}")
                    fids.add(f["id"])
                    fld = self._field(f, ind.id, at + ["fields", fi])
                    ind.fields.append(fld)
                    self.fields[fld.path] = fld
                sids: set[str] = set()
                for ei, e in enumerate(i.get("evidence", [])):
                    if e["id"] in sids:
                        self.fail(at + ["evidence", ei, "id"], f"duplicate evidence slot id {e['id']!r}")
                    sids.add(e["id"])
                    ind.evidence.append(
                        EvidenceSlot(
                            id=e["id"],
                            label=Label.of(e["label"]),
                            indicator_id=ind.id,
                            help=Label.of(e.get("help")),
                            min_count=e.get("min_count", 0),
                            accept=list(e.get("accept", [])),
                            per_period=bool(e.get("per_period", False)),
                        )
                    )
                inds.append(ind)
            sections.append(Section(id=s["id"], title=Label.of(s["title"]), indicators=inds,
                                    official=Label.of(s.get("official"))))
        # pass 2: conditions, rules
        rule_ids: set[str] = set()
        for si, s in enumerate(d["sections"]):
            sec = sections[si]
            if "visible_if" in s:
                sec.visible_if = self.cond(s["visible_if"], None, ["sections", si, "visible_if"])
            for ii, i in enumerate(s["indicators"]):
                at = ["sections", si, "indicators", ii]
                ind = sec.indicators[ii]
                if "visible_if" in i:
                    ind.visible_if = self.cond(i["visible_if"], ind.id, at + ["visible_if"])
                for fi, f in enumerate(i.get("fields", [])):
                    fld = ind.fields[fi]
                    for key in ("visible_if", "required_if"):
                        if key in f:
                            setattr(fld, key, self.cond(f[key], ind.id, at + ["fields", fi, key]))
                    for ci, c in enumerate(f.get("columns", [])):
                        for key in ("visible_if", "required_if"):
                            if key in c:
                                self.fail(at + ["fields", fi, "columns", ci, key],
                                          f"{key} is not supported on table columns")
                for ei, e in enumerate(i.get("evidence", [])):
                    if "required_if" in e:
                        ind.evidence[ei].required_if = self.cond(e["required_if"], ind.id,
                                                                 at + ["evidence", ei, "required_if"])
                for ri, r in enumerate(i.get("rules", [])):
                    ind.rules.append(self.rule(r, ind.id, at + ["rules", ri], rule_ids))
        rules = [self.rule(r, None, ["rules", ri], rule_ids) for ri, r in enumerate(d.get("rules", []))]
        src = d["source"]
        prog = Program(
            id=d["id"],
            version=str(d["version"]),
            title=Label.of(d["title"]),
            issuer=Label.of(d["issuer"]),
            source=Source(src["number"], src["date"], Label.of(src["title"]), src.get("file"), Label.of(src.get("part"))),
            sections=sections,
            rules=rules,
            applicant=Label.of(d.get("applicant")),
            description=Label.of(d.get("description")),
            demo=d.get("demo", {}) or {},
            document=self._document(d.get("document") or {}),
        )
        if "period" in d:
            prog.period = self._period(d["period"])
        self._check_demo(prog)
        prog.parts = self._parts(prog)
        return prog

    def _parts(self, prog: Program) -> list[Part]:
        """`parts:` (hand-off defaults): every id unique, every indicator and field known."""
        out: list[Part] = []
        for pi, p in enumerate(self.d.get("parts", []) or []):
            at = ["parts", pi]
            if any(o.id == p["id"] for o in out):
                self.fail(at + ["id"], f"duplicate part id {p['id']!r}")
            inds = list(p.get("indicators", []))
            fields = list(p.get("fields", []))
            for n, iid in enumerate(inds):
                if prog.indicator(iid) is None:
                    self.fail(at + ["indicators", n], f"unknown indicator {iid!r}")
            for n, path in enumerate(fields):
                if prog.field(path) is None:
                    self.fail(at + ["fields", n], f"unknown field {path!r}")
                if path.split("/", 1)[0] in inds:
                    self.fail(at + ["fields", n], f"{path!r} is already assigned by its indicator")
            if not inds and not fields:
                self.fail(at, "a part needs indicators or fields")
            out.append(Part(p["id"], Label.of(p["label"]), inds, fields))
        return out
    def _document(self, doc: dict) -> DocumentStyle:
        """The `document:` block (docs/program-format.md): numbering keys must name sections or
        indicators of this program."""
        known = {s["id"] for s in self.d["sections"]} | {i["id"] for s in self.d["sections"] for i in s["indicators"]}
        for key in doc.get("numbering") or {}:
            if key not in known:
                self.fail(["document", "numbering", key], f"{key!r} is not a section or indicator id of this program")
        return DocumentStyle(short_title=Label.of(doc.get("short_title")), numbering=dict(doc.get("numbering") or {}),
                             recommender=Label.of(doc.get("recommender")))

    def _column_like(self, f: dict, cls, parts, **extra):
        typ = f["type"]
        obj = cls(
            id=f["id"], type=typ, label=Label.of(f["label"]), help=Label.of(f.get("help")),
            required=bool(f.get("required", False)), unit=Label.of(f.get("unit")),
            min=f.get("min"), max=f.get("max"), decimals=f.get("decimals"),
            max_length=f.get("max_length"), suggested_length=f.get("suggested_length"), script=f.get("script"),
            choices=[Choice(c["value"], Label.of(c["label"])) for c in f.get("choices", [])],
            **extra,
        )
        if typ in ("choice", "multichoice"):
            if not obj.choices:
                self.fail(parts + ["type"], f"a {typ} needs a list of choices")
            vals = [c.value for c in obj.choices]
            if len(set(vals)) != len(vals):
                self.fail(parts + ["choices"], "duplicate choice values")
        elif "choices" in f:
            self.fail(parts + ["choices"], f"choices are only for choice/multichoice, not {typ}")
        if ("min" in f or "max" in f) and typ not in NUMERIC_TYPES + ("date",):
            self.fail(parts, f"min/max do not apply to a {typ}")
        for k in ("min", "max"):
            v = f.get(k)
            if v is None:
                continue
            if typ == "date":
                if not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)):
                    self.fail(parts + [k], f"{k} of a date must be an ISO date like 2024-01-31")
            elif isinstance(v, bool) or not isinstance(v, (int, float)):
                self.fail(parts + [k], f"{k} must be a number")
        if obj.min is not None and obj.max is not None and obj.min > obj.max:
            self.fail(parts, "min is greater than max")
        if "script" in f and typ not in ("text", "longtext"):
            self.fail(parts + ["script"], "script is only for text and longtext")
        if "suggested_length" in f and typ != "longtext":
            self.fail(parts + ["suggested_length"], "suggested_length is only for longtext")
        return obj

    def _field(self, f: dict, iid: str, parts) -> Field:
        typ = f["type"]
        fld = self._column_like(
            f, Field, parts, indicator_id=iid,
            min_selected=f.get("min_selected"), max_selected=f.get("max_selected"),
            min_rows=f.get("min_rows"), max_rows=f.get("max_rows"),
            per_period=bool(f.get("per_period", False)),
        )
        if typ == "table":
            if not f.get("columns"):
                self.fail(parts + ["type"], "a table needs columns")
            cids = set()
            for ci, c in enumerate(f["columns"]):
                if c["id"] in cids:
                    self.fail(parts + ["columns", ci, "id"], f"duplicate column id {c['id']!r}")
                cids.add(c["id"])
                if c["type"] not in COLUMN_TYPES:
                    self.fail(parts + ["columns", ci, "type"], f"column type {c['type']!r} is not allowed")
                fld.columns.append(self._column_like(c, Column, parts + ["columns", ci]))
            if fld.min_rows is not None and fld.max_rows is not None and fld.min_rows > fld.max_rows:
                self.fail(parts, "min_rows is greater than max_rows")
        else:
            for k in ("columns", "min_rows", "max_rows"):
                if k in f:
                    self.fail(parts + [k], f"{k} is only for tables")
        if typ != "multichoice":
            for k in ("min_selected", "max_selected"):
                if k in f:
                    self.fail(parts + [k], f"{k} is only for multichoice")
        return fld

    # references -----------------------------------------------------------

    def ref(self, ref: str, scope: str | None, parts, *, want: str | None = None) -> Field:
        if not isinstance(ref, str) or not ref:
            self.fail(parts, "a field reference must be a non-empty string")
        path = ref if "/" in ref else (f"{scope}/{ref}" if scope else None)
        if path is None:
            self.fail(parts, f"{ref!r}: outside an indicator, references must be absolute ('<indicator>/<field>')")
        fld = self.fields.get(path)
        if fld is None:
            self.fail(parts, f"unknown field {ref!r}" + (f" (looked for {path!r})" if path != ref else ""))
        if want == "table" and fld.type != "table":
            self.fail(parts, f"{path!r} is a {fld.type}, not a table")
        if want == "multichoice" and fld.type != "multichoice":
            self.fail(parts, f"{path!r} is a {fld.type}, not a multichoice")
        return fld

    def operand(self, op: Any, scope, parts, table: Field | None) -> Any:
        if isinstance(op, (int, float)) and not isinstance(op, bool):
            return op
        if not isinstance(op, dict):
            self.fail(parts, "an operand must be a number or a mapping")
        (key,) = [k for k in op if k not in ("where", "column")] or ["column"]
        if key == "field":
            return {"field": self.ref(op["field"], scope, parts + ["field"]).path}
        if key == "column":
            if table is None:
                self.fail(parts, "{column: …} is only allowed in a table row context")
            self._col(table, op["column"], parts + ["column"])
            return {"column": op["column"]}
        if key in ("count", "sum", "distinct"):
            t = self.ref(op[key], scope, parts + [key], want="table")
            out: dict[str, Any] = {key: t.path}
            if key in ("sum", "distinct"):
                col = self._col(t, op["column"], parts + ["column"])
                if key == "sum" and col.type not in NUMERIC_TYPES:
                    self.fail(parts + ["column"], f"cannot sum column {col.id!r} of type {col.type}")
                out["column"] = op["column"]
            if "where" in op:
                out["where"] = self.cond(op["where"], scope, parts + ["where"], table=t)
            return out
        if key == "selected":
            return {"selected": self.ref(op["selected"], scope, parts + ["selected"], want="multichoice").path}
        if key in ("ratio", "add", "sub", "mul", "months_between", "years_between"):
            return {key: [self.operand(x, scope, parts + [key, n], table) for n, x in enumerate(op[key])]}
        if key == "date":
            return {"date": op["date"]}
        if key in ("year_of", "month_of", "day_of"):
            return {key: self.operand(op[key], scope, parts + [key], table)}
        self.fail(parts, f"unknown operand {key!r}")

    def _col(self, table: Field, cid: str, parts) -> Column:
        col = table.column(cid)
        if col is None:
            self.fail(parts, f"table {table.path!r} has no column {cid!r}")
        return col

    def cond(self, c: dict, scope, parts, table: Field | None = None) -> dict:
        if "all" in c or "any" in c:
            k = "all" if "all" in c else "any"
            return {k: [self.cond(x, scope, parts + [k, n], table) for n, x in enumerate(c[k])]}
        if "not" in c:
            return {"not": self.cond(c["not"], scope, parts + ["not"], table)}
        tests = [k for k in c if k in COMPARATORS]
        if len(tests) != 1:
            self.fail(parts, f"a condition needs exactly one test of {', '.join(COMPARATORS)}")
        test = tests[0]
        out: dict[str, Any] = {}
        subject: Column | None = None
        if "field" in c:
            subject = self.ref(c["field"], scope, parts + ["field"])
            out["field"] = subject.path
        elif "column" in c:
            if table is None:
                self.fail(parts, "a {column: …} condition is only allowed in a table row context")
            subject = self._col(table, c["column"], parts + ["column"])
            out["column"] = c["column"]
        elif "expr" in c:
            out["expr"] = self.operand(c["expr"], scope, parts + ["expr"], table)
        else:
            self.fail(parts, "a condition needs a subject: field, column or expr")
        val = c[test]
        if test in ("gt", "gte", "lt", "lte"):
            if isinstance(val, str) and subject is not None and subject.type == "date":
                out[test] = {"date": val}
            else:
                out[test] = self.operand(val, scope, parts + [test], table)
        else:
            if subject is not None and subject.type in ("choice", "multichoice") and test in ("equals", "not_equals", "in", "contains"):
                vals = val if test == "in" else [val]
                for v in vals:
                    if v not in subject.choice_values:
                        self.fail(parts + [test], f"{v!r} is not a choice of {subject.id!r} "
                                  f"(choices: {', '.join(subject.choice_values)})")
            if test == "contains" and subject is not None and subject.type != "multichoice":
                self.fail(parts + [test], "contains is only for multichoice fields")
            out[test] = val
        return out

    def rule(self, r: dict, scope, parts, seen: set[str]) -> Rule:
        rid = r["id"]
        if rid in seen:
            self.fail(parts + ["id"], f"duplicate rule id {rid!r}")
        seen.add(rid)
        kind = r["kind"]
        spec: dict[str, Any] = {}
        comps = [k for k in RULE_COMPARATORS if k in r]
        allowed = {
            "threshold": {"expr"}, "at_least": {"k", "of"}, "at_most": {"k", "of"},
            "distinct_count": {"table", "column", "where"}, "row_count": {"table", "where"},
            "each_row": {"table", "where", "check"}, "assert": {"check"},
        }[kind]
        common = {"id", "kind", "message", "severity", "when"} | set(RULE_COMPARATORS)
        for k in r:
            if k not in allowed | common:
                self.fail(parts + [k], f"{k!r} does not belong to a {kind} rule")
        needs_comp = kind in ("threshold", "distinct_count", "row_count")
        if needs_comp and len(comps) != 1:
            self.fail(parts, f"a {kind} rule needs exactly one comparison of {', '.join(RULE_COMPARATORS)}")
        if not needs_comp and comps:
            self.fail(parts + [comps[0]], f"a {kind} rule takes no comparison")
        table = None
        if "table" in r:
            table = self.ref(r["table"], scope, parts + ["table"], want="table")
            spec["table"] = table.path
        for k in allowed:
            if k not in r and k not in ("where",):
                self.fail(parts, f"a {kind} rule needs {k!r}")
        if kind == "threshold":
            spec["expr"] = self.operand(r["expr"], scope, parts + ["expr"], None)
        if kind in ("at_least", "at_most"):
            spec["k"] = r["k"]
            spec["of"] = [self.cond(c, scope, parts + ["of", n]) for n, c in enumerate(r["of"])]
            if r["k"] > len(r["of"]):
                self.fail(parts + ["k"], f"k={r['k']} is more than the {len(r['of'])} conditions listed")
        if kind == "distinct_count":
            self._col(table, r["column"], parts + ["column"])
            spec["column"] = r["column"]
        if "where" in r:
            if table is None:
                self.fail(parts + ["where"], "where is only for table rules")
            spec["where"] = self.cond(r["where"], scope, parts + ["where"], table=table)
        if kind == "each_row":
            spec["check"] = self.cond(r["check"], scope, parts + ["check"], table=table)
        if kind == "assert":
            spec["check"] = self.cond(r["check"], scope, parts + ["check"])
        for k in comps:
            spec["op"] = k
            spec["limit"] = self.operand(r[k], scope, parts + [k], None)
        if "when" in r:
            spec["when"] = self.cond(r["when"], scope, parts + ["when"])
        return Rule(id=rid, kind=kind, message=Label.of(r["message"]), spec=spec,
                    severity=r.get("severity", "blocking"), scope=scope)

    def _period(self, spec: dict) -> PeriodSpec:
        """The `period:` block of a recurring report: the kinds used, and fields of the right type
        that name the period in the form (set when a next period is started)."""
        kinds = tuple(k for k in PERIOD_KINDS if k in spec["kinds"])  # canonical order
        refs: dict[str, str | None] = {}
        want = {"year": ("integer", None), "month": ("integer", None), "half": ("choice", 2), "quarter": ("choice", 4),
                "kind": ("choice", None)}
        for key, (typ, n_choices) in want.items():
            ref = spec.get(key)
            if ref is None:
                refs[key] = None
                continue
            at = ["period", key]
            if "/" not in str(ref):
                self.fail(at, f"{ref!r}: the period's fields must be absolute ('<indicator>/<field>')")
            fld = self.ref(ref, None, at)
            if fld.type != typ:
                self.fail(at, f"{fld.path!r} is a {fld.type}; the period's {key} must be {'an' if typ[0] in 'aeiou' else 'a'} {typ} field")
            if n_choices is not None and len(fld.choices) != n_choices:
                self.fail(at, f"{fld.path!r} must have exactly {n_choices} choices, in order")
            if key == "kind":
                missing = [k for k in kinds if k not in fld.choice_values]
                if missing:
                    self.fail(at, f"{fld.path!r} has no choice for the period kind(s) {', '.join(missing)}")
            if key in ("month", "half", "quarter") and key not in kinds:
                self.fail(at, f"a {key} field is given but {key!r} is not one of the period's kinds")
            refs[key] = fld.path
        if len(kinds) > 1 and refs["kind"] is None and any(refs[k] for k in ("month", "half", "quarter")):
            self.fail(["period"], "a report with several period kinds needs a `kind` field to tell them apart")
        return PeriodSpec(kinds=kinds, **refs)

    def _check_demo(self, prog: Program) -> None:
        answers = (prog.demo or {}).get("answers", {}) or {}
        from ..values import coerce  # late import: values depends on the model only

        for path, value in answers.items():
            fld = self.fields.get(path)
            if fld is None:
                self.fail(["demo", "answers", path], f"unknown field {path!r}")
            try:
                coerce(fld, value)
            except DossierError as e:
                self.fail(["demo", "answers", path], e.en)
