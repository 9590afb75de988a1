"""`dossier` — the command-line interface. It calls the same core services as the desktop UI.

Exit codes: 0 ok, 1 validation problems (or a tampered package for `verify`), 2 bad input or usage.
Errors are one line on stderr, never a traceback. `--json` output is documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import json
import locale
import os
import sys
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .errors import DossierError

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def lang() -> str:
    env = os.environ.get("DOSSIER_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    if not env:
        try:
            env = locale.getlocale()[0] or ""
        except ValueError:
            env = ""
    return "zh" if env.lower().startswith("zh") else "en"


def out(s: str = "") -> None:
    sys.stdout.write(s + "\n")


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def warn(en: str, zh: str) -> None:
    sys.stderr.write(("警告：" + zh if lang() == "zh" else "warning: " + en) + "\n")


def command(name: str):
    def deco(fn):
        COMMANDS[name] = fn
        return fn
    return deco


def _open(path: str, readonly: bool = False):
    from .project import Project

    return Project.open(path, readonly=readonly)


# ---------------------------------------------------------------- programs


def _program_summary(p) -> dict:
    return {
        "id": p.id, "version": p.version, "title": p.title.to_dict(), "issuer": p.issuer.to_dict(),
        "source": {"number": p.source.number, "date": p.source.date, "title": p.source.title.to_dict()},
        "origin": p.origin,
        "indicators": sum(1 for _ in p.indicators()),
    }


@command("programs")
def cmd_programs(a) -> int:
    from .programs import all_programs

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
                            {"id": e.id, "label": lab(e.label), "help": lab(e.help), "min_count": e.min_count, "accept": e.accept}
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
    }


@command("program")
def cmd_program(a) -> int:
    from .programs import find_program, import_program, load_definition_file

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
                    req = " *" if f.required else ""
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


# ---------------------------------------------------------------- projects


@command("new")
def cmd_new(a) -> int:
    from .programs import find_program
    from .project import Project

    p = find_program(a.program, a.version)
    with Project.create(a.file, p, a.applicant or "", a.applicant_en or "") as proj:
        out(f"created {proj.path} ({p.id} {p.version})" if lang() == "en" else f"已创建 {proj.path}（{p.id} {p.version}）")
    return 0


def _print_readonly(proj) -> None:
    n = proj.readonly_notice
    if n:
        sys.stderr.write(n.get(lang()) + "\n")


@command("info")
def cmd_info(a) -> int:
    with _open(a.file) as proj:
        info = proj.info()
        if a.json:
            emit_json(info)
            return 0
        L = lang()
        prog = proj.program
        out(f"file:        {info['file']}")
        out(f"program:     {prog.id} {prog.version} — {prog.title.get(L)}")
        out(f"applicant:   {info['applicant']}")
        out(f"complete:    {info['completeness']}%")
        out(f"problems:    {info['problems']['blocking']} blocking, {info['problems']['warning']} warnings")
        out(f"evidence:    {info['evidence']['count']} files, {info['evidence']['bytes']} bytes")
        out(f"modified:    {info['modified_at']}")
    return 0


@command("set")
def cmd_set(a) -> int:
    from .values import display

    with _open(a.file) as proj:
        value = None if a.clear else a.value
        if value is None and not a.clear:
            raise DossierError("set needs a VALUE (or --clear to clear the field)", "set 需要一个值（或用 --clear 清空）")
        if a.json_value and value is not None:
            try:
                value = json.loads(value)
            except json.JSONDecodeError as e:
                raise DossierError(f"--json-value: not JSON: {e.msg}", f"--json-value：不是有效的 JSON：{e.msg}") from None
        stored = proj.set(a.path, value)
        f = proj.program.field(a.path)
        out(f"{a.path} = {display(f, stored, lang()) if stored is not None else '(empty)'}")
    return 0


@command("get")
def cmd_get(a) -> int:
    from .values import display

    with _open(a.file) as proj:
        L = lang()
        if a.path:
            v = proj.get(a.path)
            if a.json:
                emit_json(v)
            elif v is not None:
                f = proj.program.field(a.path)
                out(json.dumps(v, ensure_ascii=False) if f.type == "table" else display(f, v, L))
            return 0
        answers = proj.answers()
        if a.json:
            emit_json({p: answers[p] for p in proj.program.fields if p in answers})
            return 0
        for path, f in proj.program.fields.items():
            if path in answers:
                v = answers[path]
                out(f"{path} = {json.dumps(v, ensure_ascii=False) if f.type == 'table' else display(f, v, L)}")
    return 0


@command("attach")
def cmd_attach(a) -> int:
    with _open(a.file) as proj:
        for src in a.paths:
            p = Path(src)
            if p.is_file() and p.stat().st_size == 0:
                warn(f"{p.name} is empty (0 bytes); attached anyway", f"{p.name} 是空文件（0 字节），仍已添加")
            ev = proj.attach(p, a.indicator, a.slot, a.note or "")
            out(f"#{ev.id}\t{ev.sha256[:16]}\t{ev.size}\t{ev.name}")
    return 0


@command("evidence")
def cmd_evidence(a) -> int:
    with _open(a.file) as proj:
        items = proj.evidence()
        if a.json:
            emit_json([e.to_dict() for e in items])
            return 0
        for e in items:
            links = ", ".join(f"{l.indicator_id}{'/' + l.slot_id if l.slot_id else ''}" for l in e.links)
            out(f"#{e.id}\t{e.size}\t{e.mime}\t{e.sha256[:16]}\t{links}\t{e.name}" + (f"\t{e.note}" if e.note else ""))
    return 0


@command("extract")
def cmd_extract(a) -> int:
    with _open(a.file) as proj:
        try:
            eid = int(str(a.evidence_id).lstrip("#"))
        except ValueError:
            raise DossierError(f"EVIDENCE_ID must be a number like 3, not {a.evidence_id!r}",
                               f"EVIDENCE_ID 应为数字（如 3），而不是 {a.evidence_id!r}") from None
        path = proj.extract(eid, a.out)
        out(str(path))
    return 0


def problem_lines(rep, L: str) -> list[str]:
    lines = []
    for pr in rep.problems:
        tag = ("阻止提交" if pr.blocking else "警告") if L == "zh" else ("BLOCKING" if pr.blocking else "warning")
        lines.append(f"{tag}\t{pr.indicator_id or '-'}\t{pr.path or '-'}\t{pr.code}\t{pr.text(L)}")
    return lines


@command("validate")
def cmd_validate(a) -> int:
    with _open(a.file) as proj:
        rep = proj.report()
        if a.json:
            emit_json({
                "ok": not rep.blocking,
                "completeness": round(rep.completeness * 100, 1),
                "blocking": len(rep.blocking),
                "warnings": len(rep.warnings),
                "problems": [p.to_dict() for p in rep.problems],
                "indicators": {i: {"status": s.status, "required": s.required_total, "done": s.required_done}
                               for i, s in rep.indicators.items()},
            })
        else:
            L = lang()
            for line in problem_lines(rep, L):
                out(line)
            out(f"{len(rep.blocking)} blocking, {len(rep.warnings)} warnings, {rep.completeness * 100:.1f}% complete")
        return 1 if rep.blocking else 0


@command("history")
def cmd_history(a) -> int:
    with _open(a.file) as proj:
        items = proj.history(a.path)
        if a.json:
            emit_json([h.to_dict() for h in items])
            return 0
        for h in items:
            out(f"{h.at}\t{h.action}\t{h.path}\t{json.dumps(h.old, ensure_ascii=False)} -> {json.dumps(h.new, ensure_ascii=False)}")
    return 0


@command("demo")
def cmd_demo(a) -> int:
    from .demo import make_demo
    from .programs import find_program

    p = find_program(a.program)
    with make_demo(p, a.out) as proj:
        info = proj.info()
        L = lang()
        out(f"{proj.path}: {p.title.get(L)} — {info['applicant']}")
        out(f"complete {info['completeness']}%, {info['problems']['blocking']} blocking, "
            f"{info['problems']['warning']} warnings, {info['evidence']['count']} evidence files")
    return 0


@command("gui")
def cmd_gui(a) -> int:
    try:
        from .ui.app import main as gui_main
    except ImportError as e:
        raise DossierError(f"The desktop UI is not available: {e}", f"桌面界面不可用：{e}") from None
    return gui_main([a.file] if a.file else [])


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="dossier", description="Dossier: prepare, seal and verify applications (offline).")
    ap.add_argument("--version", action="version", version=f"dossier {__version__}")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")

    s = sub.add_parser("programs", help="list bundled and installed programs")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("program", help="show, check or import a program definition")
    s.add_argument("action", choices=["show", "import", "check"])
    s.add_argument("target", help="program id (show) or file (import, check)")
    s.add_argument("--version", dest="version", default=None, help="a specific version (show)")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("new", help="create a project file")
    s.add_argument("file")
    s.add_argument("--program", required=True)
    s.add_argument("--version", dest="version", default=None)
    s.add_argument("--applicant", default="")
    s.add_argument("--applicant-en", default="")

    s = sub.add_parser("info", help="program, applicant, completeness, problems, evidence")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("set", help="set a field (tables: JSON rows)")
    s.add_argument("file")
    s.add_argument("path")
    s.add_argument("value", nargs="?")
    s.add_argument("--clear", action="store_true", help="clear the field")
    s.add_argument("--json-value", action="store_true", help="VALUE is JSON (e.g. true, 12, [\"a\"])")

    s = sub.add_parser("get", help="print answers")
    s.add_argument("file")
    s.add_argument("path", nargs="?")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("attach", help="attach evidence files to an indicator")
    s.add_argument("file")
    s.add_argument("paths", nargs="+")
    s.add_argument("--indicator", required=True)
    s.add_argument("--slot", default=None, help="evidence slot id (default: the first slot accepting the type)")
    s.add_argument("--note", default="")

    s = sub.add_parser("evidence", help="list evidence")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("extract", help="write an evidence file back out")
    s.add_argument("file")
    s.add_argument("evidence_id")
    s.add_argument("out")

    s = sub.add_parser("validate", help="list problems; exit 1 if anything blocks submission")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("history", help="the audit trail of changes")
    s.add_argument("file")
    s.add_argument("path", nargs="?")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("demo", help="create a realistic filled demo project")
    s.add_argument("program")
    s.add_argument("out")

    s = sub.add_parser("gui", help="start the desktop app")
    s.add_argument("file", nargs="?")

    for extra in _EXTRA_PARSERS:
        extra(sub)
    return ap


_EXTRA_PARSERS: list[Callable[[Any], None]] = []


def main(argv: list[str] | None = None) -> int:
    _load_extensions()
    ap = build_parser()
    try:
        a = ap.parse_args(argv)
    except SystemExit as e:  # argparse printed usage on stderr
        return 0 if e.code == 0 else 2
    if not a.cmd:
        ap.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[a.cmd](a)
    except DossierError as e:
        sys.stderr.write(f"dossier: {e.text(lang())}\n")
        return e.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("dossier: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - last resort: one line, never a traceback
        sys.stderr.write(f"dossier: unexpected error ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); "
                         "please report it with the command you ran\n")
        return 2


def _load_extensions() -> None:
    """Commands that live in their own modules (export/verify, identity) register themselves here."""
    for mod in ("desktop.cli_seal", "desktop.cli_identity"):
        try:
            __import__(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise


if __name__ == "__main__":
    sys.exit(main())
