"""Recomputed checks: the bundled rules run again over the submitted answers.

A package says how complete it is and which problems it has (answers.json `completeness`,
`problems`, `status`). Those were computed on the applicant's computer with the definition the
applicant had. The desk runs the rule engine again with the definition installed *here* (the
bundled or installed one with the same id and version) and says where the result differs:
another completeness, problems the package does not mention (or mentions but the rules no
longer find), a "final" package with blocking problems, a definition that differs from the
installed one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..errors import DossierError
from ..models.program import Program
from ..rules import evaluate

_KEY = ("code", "severity", "indicator", "path")


def _key(p: dict[str, Any]) -> tuple:
    return tuple(p.get(k) for k in _KEY) + (tuple(p.get("rows") or ()),)


def installed_program(program_id: str, version: str, programs: list[Program] | None = None) -> tuple[Program | None, str]:
    """(the installed definition with this id and version, why not). Why-not: '' | 'version' | 'unknown'.
    `programs`: the list to look in (an intake passes one list for all its packages)."""
    from ..programs import all_programs

    same_id = [p for p in (all_programs() if programs is None else programs) if p.id == program_id]
    if not same_id:
        return None, "unknown"
    exact = [p for p in same_id if p.version == version]
    return (exact[-1], "") if exact else (None, "version")


def evidence_counts(doc: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in doc.get("evidence") or ():
        if e.get("slot"):
            k = f"{e['indicator']}/{e['slot']}"
            out[k] = out.get(k, 0) + 1
    return out


def recheck(doc: dict[str, Any], programs: list[Program] | None = None) -> dict[str, Any]:
    """Compare what the package claims with what the installed rules find."""
    prog_id, version = doc["program"]["id"], doc["program"]["version"]
    claimed_problems = list(doc.get("problems") or ())
    claimed = {"status": doc.get("status"), "completeness": doc.get("completeness"),
               "blocking": sum(1 for p in claimed_problems if p.get("severity") == "blocking"),
               "warnings": sum(1 for p in claimed_problems if p.get("severity") != "blocking")}
    prog, why = installed_program(prog_id, version, programs)
    if prog is None:
        msg = ({"en": f"program {prog_id} version {version} is not installed here: the checks could not be recomputed",
                "zh": f"本机未安装程序 {prog_id} 版本 {version}：无法重新计算检查结果"} if why == "version" else
               {"en": f"program {prog_id} is not installed here", "zh": f"本机未安装程序 {prog_id}"})
        return {"available": False, "claimed": claimed, "reason": msg, "differs": False, "findings": []}
    definition = "same"
    if doc["program"].get("definition_sha256") and \
            hashlib.sha256(prog.text.encode("utf-8")).hexdigest() != doc["program"]["definition_sha256"]:
        definition = "differs"
    try:
        rep = evaluate(prog, doc.get("answers") or {}, evidence_counts(doc))
    except (DossierError, TypeError, ValueError, KeyError, RecursionError) as e:
        return {"available": False, "claimed": claimed, "differs": True, "findings": [],
                "reason": {"en": f"the rules could not be run over these answers ({type(e).__name__})",
                           "zh": f"无法对这些答案运行规则（{type(e).__name__}）"}}
    found = [p.to_dict() for p in rep.problems]
    recomputed = {"completeness": round(rep.completeness * 100, 1), "blocking": len(rep.blocking),
                  "warnings": len(rep.warnings)}
    have = {_key(p) for p in claimed_problems}
    now = {_key(p) for p in found}
    missing = [p for p in found if _key(p) not in have]  # the rules find it, the package does not say so
    extra = [p for p in claimed_problems if _key(p) not in now]  # the package says so, the rules do not find it
    findings: list[dict[str, Any]] = []
    if definition == "differs":
        findings.append({"kind": "definition",
                         "en": "the package was made with a definition that differs from the one installed here",
                         "zh": "该数据包所用的程序定义与本机安装的不同"})
    c_claim, c_now = claimed["completeness"], recomputed["completeness"]
    if isinstance(c_claim, (int, float)) and abs(c_claim - c_now) >= 0.1:
        findings.append({"kind": "completeness", "en": f"completeness: the package says {c_claim}%, the rules give {c_now}%",
                         "zh": f"完成度：数据包声明 {c_claim}%，重新计算为 {c_now}%"})
    if claimed["status"] == "final" and recomputed["blocking"]:
        findings.append({"kind": "final_blocked",
                         "en": f"marked final, but the rules find {recomputed['blocking']} blocking problem(s)",
                         "zh": f"标记为正式提交，但规则发现 {recomputed['blocking']} 个阻止提交的问题"})
    if missing:
        findings.append({"kind": "missing", "en": f"{len(missing)} problem(s) the package does not mention",
                         "zh": f"{len(missing)} 个问题未在数据包中列出"})
    if extra:
        findings.append({"kind": "extra", "en": f"{len(extra)} problem(s) listed by the package that the rules no longer find",
                         "zh": f"数据包列出的 {len(extra)} 个问题在重新计算时未出现"})
    return {"available": True, "program": f"{prog.id}@{prog.version}", "origin": prog.origin, "definition": definition,
            "claimed": claimed, "recomputed": recomputed, "missing": missing, "extra": extra,
            "differs": bool(findings), "findings": findings}
