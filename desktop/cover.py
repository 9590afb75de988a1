"""Cover details of the submission (申报书封面): who applies, who to call, when it was filled in.

A 申报书 cover carries 申报单位（盖章）, 联系人, 联系电话, 填报日期 and, where the program goes
through a recommending authority (the definition's `document.recommender`), 推荐单位. They are
project meta keys, written in one transaction with one history entry per changed key
(action "cover"), and they travel in the package as the `cover` object of data/answers.json, from
which the PDF's cover is drawn (so verify can re-render it).

The CLI (`dossier cover`) and the GUI (Project → Cover details…) both call `set_cover`.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .errors import DossierError
from .models.program import Label, Program

MAX_TEXT = 200


@dataclass(frozen=True)
class CoverField:
    key: str  # the meta key
    label: Label
    kind: str = "text"  # text | phone | date
    recommender_only: bool = False


FIELDS = (
    CoverField("applicant", Label("申报单位", "Applicant")),
    CoverField("applicant_en", Label("申报单位（英文）", "Applicant (English)")),
    CoverField("recommender", Label("推荐单位", "Recommending authority"), recommender_only=True),
    CoverField("contact_name", Label("联系人", "Contact person")),
    CoverField("contact_phone", Label("联系电话", "Contact telephone"), kind="phone"),
    CoverField("fill_date", Label("填报日期", "Date filled in"), kind="date"),
)
KEYS = tuple(f.key for f in FIELDS)
# the keys that go into answers.json's "cover" (the applicant names have their own place there)
PACKAGE_KEYS = ("recommender", "contact_name", "contact_phone", "fill_date", "period")

_PHONE = re.compile(r"^[0-9+()（）\- ]{3,40}([ ]?(转|ext\.?|x)[ ]?[0-9]{1,6})?$", re.IGNORECASE)
_DATE_FORMS = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
               re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"))


def fields_for(program: Program | None) -> list[CoverField]:
    """The cover fields this program asks for (推荐单位 only where the program has one)."""
    has_rec = program is not None and program.document.recommender is not None
    return [f for f in FIELDS if not f.recommender_only or has_rec]


def field(key: str) -> CoverField:
    for f in FIELDS:
        if f.key == key:
            return f
    raise DossierError(f"Unknown cover detail {key!r} (one of: {', '.join(KEYS)})",
                       f"未知的封面信息 {key!r}（可选：{'、'.join(KEYS)}）", key="cover.unknown")


def normalise(key: str, value: Any) -> str:
    """The stored form of a cover value, or DossierError saying what is wrong ("" clears it)."""
    f = field(key)
    v = "" if value is None else str(value)
    v = unicodedata.normalize("NFC", v).strip()
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in v):
        raise DossierError(f"{f.label.en}: control characters are not allowed", f"{f.label.zh}：不能包含控制字符",
                           key="cover.control")
    if len(v) > MAX_TEXT:
        raise DossierError(f"{f.label.en}: at most {MAX_TEXT} characters", f"{f.label.zh}：最多 {MAX_TEXT} 个字符",
                           key="cover.too_long")
    if not v:
        return ""
    if f.kind == "phone" and not _PHONE.match(v):
        raise DossierError(f"{f.label.en}: {v!r} is not a telephone number (digits, spaces, + - ( ), e.g. 0771-1234567)",
                           f"{f.label.zh}：{v!r} 不是电话号码（数字、空格、+ - ( )，例如 0771-1234567）", key="cover.phone")
    if f.kind == "date":
        for rx in _DATE_FORMS:
            m = rx.match(v)
            if m:
                try:
                    return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
                except ValueError:
                    break
        raise DossierError(f"{f.label.en}: {v!r} is not a date (YYYY-MM-DD)", f"{f.label.zh}：{v!r} 不是日期（年-月-日）",
                           key="cover.date")
    return v


def get_cover(meta: dict[str, str]) -> dict[str, str]:
    return {k: meta.get(k, "") for k in KEYS}


def set_cover(proj, values: dict[str, Any], *, actor: str = "") -> dict[str, str]:
    """Write cover details (all or nothing, one transaction); returns the keys that changed with
    their new values. An empty value clears a detail; the applicant's name cannot be cleared."""
    clean = {k: normalise(k, v) for k, v in values.items()}
    if "applicant" in clean and not clean["applicant"]:
        raise DossierError("The applicant's name cannot be empty", "申报单位名称不能为空", key="cover.applicant_empty")
    meta = proj.meta()
    changed = {k: v for k, v in clean.items() if meta.get(k, "") != v}
    if not changed:
        return {}
    from .project.file import utcnow

    with proj.transaction() as c:
        now = utcnow()
        for k, v in changed.items():
            c.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                      (k, v))
            c.execute("INSERT INTO history(at, action, path, old, new, actor) VALUES (?, 'cover', ?, ?, ?, ?)",
                      (now, k, json.dumps(meta.get(k, ""), ensure_ascii=False), json.dumps(v, ensure_ascii=False), actor))
    return changed


def missing(meta: dict[str, str], program: Program) -> list[CoverField]:
    """Cover details still empty (a warning for validate and export, not a blocking problem)."""
    return [f for f in fields_for(program) if f.key not in ("applicant_en", "fill_date") and not meta.get(f.key)]


def warnings(meta: dict[str, str], program: Program) -> list[tuple[str, str]]:
    gaps = missing(meta, program)
    if not gaps:
        return []
    return [(f"Cover details not filled in: {', '.join(f.label.en for f in gaps)} (dossier cover, or Project → Cover details…)",
             f"封面信息未填写：{'、'.join(f.label.zh for f in gaps)}（dossier cover，或“项目 → 封面信息…”）")]
