"""`dossier programs` and `dossier program show|import|check`."""

from __future__ import annotations

from ..errors import DossierError
from .common import command, emit_json, lang, out, parsers


def _program_summary(p) -> dict:
    return {
        "id": p.id, "version": p.version, "title": p.title.to_dict(), "issuer": p.issuer.to_dict(),
        "source": {"number": p.source.number, "date": p.source.date, "title": p.source.title.to_dict()},
        "origin": p.origin,
        "indicators": sum(1 for _ in p.indicators()),
    }


@command("programs")
def cmd_programs(a) -> int:
    from ..programs import all_programs

    progs = all_programs()
    if a.json:
        emit_json([_program_summary(p) for p in progs])
        return 0
    L = lang()
    for p in progs:
        out(f"{p.id}\t{p.version}\t{p.title.get(L)}\t{p.source.number}\t({p.origin})")
    return 0


def program_tree(p) -> dict:
    def lab(x):
        return x.to_dict() if x else None

    def col(c) -> dict:
        d = {"id": c.id, "type": c.type, "label": lab(c.label), "required": c.required}
        for k in ("min", "max", "decimals", "max_length", "suggested_length"):
            if getattr(c, k) is not None:
                d[k] = getattr(c, k)
        if c.unit:
            d["unit"] = lab(c.unit)
        if c.help:
            d["help"] = lab(c.help)
        if c.choices:
            d["choices"] = [{"value": ch.value, "label": lab(ch.label)} for ch in c.choices]
        return d

    def field(f) -> dict:
        d = {"path": f.path, **col(f)}
        for k in ("min_selected", "max_selected", "min_rows", "max_rows"):
            if getattr(f, k) is not None:
                d[k] = getattr(f, k)
        if f.columns:
            d["columns"] = [col(c) for c in f.columns]
        if f.visible_if:
            d["visible_if"] = f.visible_if
        if f.required_if:
            d["required_if"] = f.required_if
        if f.per_period:
            d["per_period"] = True  # recurring reports: empty again in the next period
        return d

    def rule(r) -> dict:
        return {"id": r.id, "kind": r.kind, "severity": r.severity, "message": lab(r.message), **r.spec}

    return {
        **_program_summary(p),
        "applicant": lab(p.applicant),
        "description": lab(p.description),
        "sections": [
            {
                "id": s.id, "title": lab(s.title), "official": lab(s.official),
                "indicators": [
                    {
                        "id": i.id, "title": lab(i.title), "official": lab(i.official),
                        "observation_points": i.observation_points,
                        "visible_if": i.visible_if,
                        "fields": [field(f) for f in i.fields],
                        "evidence": [
                            {"id": e.id, "label": lab(e.label), "help": lab(e.help), "min_count": e.min_count, "accept": e.accept,
                             **({"per_period": True} if e.per_period else {})}
                            for e in i.evidence
                        ],
                        "rules": [rule(r) for r in i.rules],
                    }
                    for i in s.indicators
                ],
            }
            for s in p.sections
        ],
        "rules": [rule(r) for r in p.rules],
        **({"period": {"kinds": list(p.period.kinds), **{k: getattr(p.period, k) for k in ("kind", "year", "half", "quarter", "month")
                                                          if getattr(p.period, k)}}} if p.period else {}),
    }


@command("program")
def cmd_program(a) -> int:
    from ..programs import find_program, import_program, load_definition_file

    L = lang()
    if a.action == "show":
        p = find_program(a.target, a.version)
        if a.json:
            emit_json(program_tree(p))
            return 0
        out(f"{p.title.get(L)}  [{p.id} {p.version}]")
        out(f"{p.issuer.get(L)}  {p.source.number}  {p.source.date}")
        for s in p.sections:
            out(f"\n{s.id}. {s.title.get(L)}")
            for i in s.indicators:
                out(f"  {i.id} {i.title.get(L)}")
                out(f"      {i.official.get(L)}")
                for f in i.fields:
                    req = (" *" if f.required else "") + (" (per period)" if f.per_period and L == "en" else " (按期填报)" if f.per_period else "")
                    extra = f" [{', '.join(c.value for c in f.choices)}]" if f.choices else ""
                    if f.columns:
                        extra = " (" + ", ".join(f"{c.id}:{c.type}" for c in f.columns) + ")"
                    out(f"      - {f.path} ({f.type}){req}: {f.label.get(L)}{extra}")
                for e in i.evidence:
                    out(f"      # {e.id} (≥{e.min_count}{', ' + '/'.join(e.accept) if e.accept else ''}): {e.label.get(L)}")
                for r in i.rules:
                    out(f"      ! {r.id} [{r.kind}, {r.severity}]: {r.message.get(L)}")
        for r in p.rules:
            out(f"! {r.id} [{r.kind}, {r.severity}]: {r.message.get(L)}")
        return 0
    if a.action == "import":
        p = import_program(a.target)
        out(f"installed {p.id} {p.version}: {p.title.get(L)}" if L == "en" else f"已安装 {p.id} {p.version}：{p.title.get(L)}")
        return 0
    if a.action == "check":
        p = load_definition_file(a.target)
        n_ind = sum(1 for _ in p.indicators())
        n_rules = sum(1 for _ in p.all_rules())
        out(f"ok: {p.id} {p.version}: {len(p.sections)} sections, {n_ind} indicators, {len(p.fields)} fields, {n_rules} rules")
        return 0
    raise DossierError(f"unknown program action {a.action!r}")


@parsers
def _parsers(sub) -> None:
    s = sub.add_parser("programs", help="list bundled and installed programs")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("program", help="show, check or import a program definition")
    s.add_argument("action", choices=["show", "import", "check"])
    s.add_argument("target", help="program id (show) or file (import, check)")
    s.add_argument("--version", dest="version", default=None, help="a specific version (show)")
    s.add_argument("--json", action="store_true")
