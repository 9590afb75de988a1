"""Project commands: new, info, set, get, attach, evidence, extract, validate, history, demo, gui."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import DossierError
from ..evidence_types import name_mismatch
from .common import command, emit_json, lang, open_project, out, parsers, problem_lines, warn


@command("new")
def cmd_new(a) -> int:
    from ..programs import find_program
    from ..project import Project

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
    with open_project(a.file) as proj:
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
        if proj.readonly:
            out(f"read-only:   {proj.readonly_notice.get(L)}")
    return 0


@command("set")
def cmd_set(a) -> int:
    from ..values import display

    with open_project(a.file) as proj:
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
    from ..values import display

    with open_project(a.file) as proj:
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
    """All the files in one transaction: every one is attached, or (on any error) none."""
    with open_project(a.file) as proj:
        items = proj.attach_many([Path(p) for p in a.paths], a.indicator, a.slot, a.note or "")
        for ev in items:
            if ev.size == 0:
                warn(f"{ev.name} is empty (0 bytes); attached anyway", f"{ev.name} 是空文件（0 字节），仍已添加")
            mismatch = name_mismatch(ev.name, ev.mime)  # e.g. random bytes named .pdf: attached, but said
            if mismatch:
                warn(*mismatch)
            out(f"#{ev.id}\t{ev.sha256[:16]}\t{ev.size}\t{ev.name}")
    return 0


@command("evidence")
def cmd_evidence(a) -> int:
    with open_project(a.file) as proj:
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
    with open_project(a.file) as proj:
        try:
            eid = int(str(a.evidence_id).lstrip("#"))
        except ValueError:
            raise DossierError(f"EVIDENCE_ID must be a number like 3, not {a.evidence_id!r}",
                               f"EVIDENCE_ID 应为数字（如 3），而不是 {a.evidence_id!r}") from None
        path = proj.extract(eid, a.out)
        out(str(path))
    return 0


@command("validate")
def cmd_validate(a) -> int:
    from ..export.collect import package_warnings

    with open_project(a.file) as proj:
        proj.check_integrity()  # a damaged file is never reported as sound
        rep = proj.report()
        pkg = package_warnings(proj)  # what export will warn about (the same list)
        if a.json:
            emit_json({
                "ok": not rep.blocking,
                "completeness": round(rep.completeness * 100, 1),
                "blocking": len(rep.blocking),
                "warnings": len(rep.warnings) + len(pkg),
                "problems": [p.to_dict() for p in rep.problems],
                "package_warnings": [{"en": en, "zh": zh} for en, zh in pkg],
                "indicators": {i: {"status": s.status, "required": s.required_total, "done": s.required_done}
                               for i, s in rep.indicators.items()},
            })
        else:
            L = lang()
            for line in problem_lines(rep, L):
                out(line)
            for en, zh in pkg:
                out(f"{'警告' if L == 'zh' else 'warning'}\t-\t-\texport\t{zh if L == 'zh' else en}")
            out(f"{len(rep.blocking)} blocking, {len(rep.warnings) + len(pkg)} warnings, {rep.completeness * 100:.1f}% complete")
        return 1 if rep.blocking else 0


@command("history")
def cmd_history(a) -> int:
    with open_project(a.file) as proj:
        items = proj.history(a.path)
        if a.json:
            emit_json([h.to_dict() for h in items])
            return 0
        for h in items:
            out(f"{h.at}\t{h.action}\t{h.path}\t{json.dumps(h.old, ensure_ascii=False)} -> {json.dumps(h.new, ensure_ascii=False)}")
    return 0


@command("demo")
def cmd_demo(a) -> int:
    from ..demo import make_demo
    from ..programs import find_program

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
        from ..ui.app import main as gui_main
    except ImportError as e:
        raise DossierError(f"The desktop UI is not available: {e}", f"桌面界面不可用：{e}") from None
    return gui_main([a.file] if a.file else [])


@parsers
def _parsers(sub) -> None:
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

    s = sub.add_parser("attach", help="attach evidence files to an indicator (all of them, or none on an error)")
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
