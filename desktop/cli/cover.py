"""`dossier cover`: the cover details of the submission (申报书封面; desktop/cover.py).

    dossier cover FILE                       show them (--json for JSON)
    dossier cover FILE --contact-name 李明 --contact-phone 0771-1234567 --fill-date 2025-03-01
        set them, all in one transaction (an empty value clears one); exit 2 on a bad value
"""

from __future__ import annotations

from .common import command, emit_json, lang, open_project, out, parsers

OPTIONS = {  # option -> meta key
    "applicant": "applicant", "applicant_en": "applicant_en", "recommender": "recommender",
    "contact_name": "contact_name", "contact_phone": "contact_phone", "fill_date": "fill_date",
}


@command("cover")
def cmd_cover(a) -> int:
    from ..cover import fields_for, get_cover, set_cover
    from ..errors import DossierError

    values = {key: getattr(a, opt) for opt, key in OPTIONS.items() if getattr(a, opt) is not None}
    L = lang()
    with open_project(a.file, readonly=not values) as proj:
        prog = proj.program
        if "recommender" in values and prog.document.recommender is None:
            raise DossierError(f"{prog.id} has no recommending authority on its cover (--recommender does not apply)",
                               f"{prog.id} 的封面没有“推荐单位”一栏（--recommender 不适用）", key="cover.no_recommender")
        changed = set_cover(proj, values, actor=a.actor or "") if values else {}
        cover = get_cover(proj.meta())
        shown = fields_for(prog)
        if a.json:
            emit_json({"cover": {f.key: cover[f.key] for f in shown}, "changed": sorted(changed)})
            return 0
        for f in shown:
            out(f"{f.label.get(L)}\t{cover[f.key] or ('（未填写）' if L == 'zh' else '(not filled in)')}")
    return 0


@parsers
def add_parsers(sub) -> None:
    s = sub.add_parser("cover", help="show or set the cover details (contact, telephone, date, recommender)")
    s.add_argument("file")
    s.add_argument("--applicant", help="申报单位 (the applicant's name)")
    s.add_argument("--applicant-en", help="the applicant's name in English")
    s.add_argument("--recommender", help="推荐单位 (only for programs that go through a recommending authority)")
    s.add_argument("--contact-name", help="联系人")
    s.add_argument("--contact-phone", help="联系电话, e.g. 0771-1234567")
    s.add_argument("--fill-date", help="填报日期, YYYY-MM-DD (default on the cover: the seal date)")
    s.add_argument("--actor", help="who makes the change (recorded in the history)")
    s.add_argument("--json", action="store_true")
