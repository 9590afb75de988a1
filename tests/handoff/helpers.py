"""A small two-section program and a lead/partner round trip for hand-off tests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from desktop.handoff import ScopeRequest, make_return, open_return, resolve_scope, share_part
from desktop.handoff.returnfile import RETURN_JSON, EvidenceSource, write_return
from desktop.project import Project
from tests.core.helpers import L, program


def _mutate(d):
    d["sections"].append({
        "id": "2", "title": L("合作方", "Partner side"),
        "indicators": [
            {"id": "2.1", "title": L("外方团队", "Foreign team"), "official": L("外方团队建设", "Foreign team"),
             "fields": [
                 {"id": "teachers", "type": "integer", "label": L("教师数", "Teachers")},
                 {"id": "note", "type": "longtext", "label": L("说明", "Narrative")},
                 {"id": "staff", "type": "table", "label": L("教师", "Staff"),
                  "columns": [{"id": "name", "type": "text", "label": L("姓名", "Name")},
                              {"id": "subject", "type": "text", "label": L("专业", "Subject")},
                              {"id": "years", "type": "integer", "label": L("年限", "Years")}]},
             ],
             "evidence": [{"id": "cv", "label": L("简历", "CVs"), "accept": ["pdf", "txt"]},
                          {"id": "other", "label": L("其他", "Other")}]},
            {"id": "2.2", "title": L("场地", "Site"), "official": L("场地面积", "Floor area"),
             "fields": [{"id": "area", "type": "number", "label": L("面积", "Area")},
                        {"id": "address", "type": "text", "label": L("地址", "Address")}]},
        ],
    })
    d["parts"] = [{"id": "partner", "label": L("外方合作院校", "Foreign partner"), "indicators": ["2.1", "2.2"]},
                  {"id": "profile", "label": L("简介", "Profile"), "indicators": [], "fields": ["1.1/intro"]}]


def handoff_program():
    return program(mutate=_mutate)


def new_lead(tmp: Path, values: dict | None = None, name: str = "lead.dossier") -> Path:
    p = tmp / name
    with Project.create(p, handoff_program(), "南宁职业技术学院", "Nanning College") as proj:
        if values:
            proj.set_many(values)
    return p


def share(lead: Path, out: Path, partner: str = "Rayong Technical College", **kw):
    scope_kw = {k: kw.pop(k) for k in ("indicators", "sections", "part", "context") if k in kw}
    with Project.open(lead) as p:
        scope = resolve_scope(p.program, ScopeRequest(**scope_kw))
    return share_part(lead, scope, partner, out, **kw)


def give_back(part: Path, out: Path, **kw):
    return make_return(part, out, **kw)


def rewrite_return(src: Path, dst: Path, mutate, sealer=None) -> None:
    """A return with changed return.json whose manifest is made consistent again (what a careful
    forger or a buggy tool would produce)."""
    with zipfile.ZipFile(src) as z:
        doc = json.loads(z.read(RETURN_JSON))
        ev = {n.split("/", 1)[1]: z.read(n) for n in z.namelist() if n.startswith("evidence/")}
    mutate(doc)
    write_return(dst, doc, [EvidenceSource(sha, len(b), (lambda b=b: iter([b]))) for sha, b in ev.items()], sealer=sealer)


def read_doc(path: Path) -> dict:
    with open_return(path) as rf:
        return rf.doc
