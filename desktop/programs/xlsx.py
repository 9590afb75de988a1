"""Read a program definition from an XLSX workbook (layout in docs/program-format.md, like XLSForm).

The workbook becomes the same mapping a YAML file gives, then goes through the same validation.
Errors name the sheet, row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DefinitionError

SURVEY_KINDS = ("section", "indicator", "field", "column", "evidence")


def _rows(ws, fname: str) -> list[tuple[int, dict[str, Any]]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise DefinitionError(fname, f"sheet {ws.title!r}", "the sheet is empty (its first row must name the columns)")
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if r is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in r):
            continue
        d = {}
        for h, v in zip(header, r):
            if h and v is not None and not (isinstance(v, str) and not v.strip()):
                d[h] = v.strip() if isinstance(v, str) else v
        out.append((n, d))
    return out


def _label(d: dict, prefix: str, fname: str, where: str, required: bool = True) -> dict | None:
    zh, en = d.get(f"{prefix}_zh"), d.get(f"{prefix}_en")
    if zh is None and en is None and not required:
        return None
    if zh is None or en is None:
        raise DefinitionError(fname, where, f"both {prefix}_zh and {prefix}_en are needed")
    return {"zh": str(zh), "en": str(en)}


def _num(v: Any, fname: str, where: str, col: str) -> int | float:
    if isinstance(v, bool):
        raise DefinitionError(fname, where, f"{col} must be a number")
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() else v
    try:
        f = float(str(v))
    except ValueError:
        raise DefinitionError(fname, where, f"{col} must be a number, not {v!r}") from None
    return int(f) if f.is_integer() else f


def xlsx_to_definition(path: Path) -> dict:
    from openpyxl import load_workbook

    fname = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken workbook
        raise DefinitionError(fname, "", f"not a readable XLSX workbook ({type(e).__name__})") from None
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        for need in ("settings", "survey"):
            if need not in sheets:
                raise DefinitionError(fname, "", f"the workbook needs a sheet named {need!r} (has: {', '.join(sheets)})")
        settings: dict[str, Any] = {}
        for n, d in _rows(sheets["settings"], fname):
            if "key" in d:
                settings[str(d["key"]).strip()] = d.get("value")
        for k in ("id", "version", "title_zh", "title_en", "issuer_zh", "issuer_en", "source_number", "source_date",
                  "source_title_zh", "source_title_en"):
            if settings.get(k) is None and k != "source_number":
                raise DefinitionError(fname, "sheet 'settings'", f"missing key {k!r}")
        choices: dict[str, list[dict]] = {}
        if "choices" in sheets:
            for n, d in _rows(sheets["choices"], fname):
                where = f"sheet 'choices' row {n}"
                if "list_name" not in d or "value" not in d:
                    raise DefinitionError(fname, where, "list_name and value are needed")
                choices.setdefault(str(d["list_name"]), []).append(
                    {"value": str(d["value"]), "label": _label(d, "label", fname, where)})
        sections: list[dict] = []
        cur_ind: dict | None = None
        cur_table: dict | None = None
        for n, d in _rows(sheets["survey"], fname):
            where = f"sheet 'survey' row {n}"
            kind = str(d.get("kind", "")).strip().lower()
            if kind not in SURVEY_KINDS:
                raise DefinitionError(fname, where, f"kind must be one of {', '.join(SURVEY_KINDS)}, not {kind!r}")
            if "id" not in d:
                raise DefinitionError(fname, where, "id is needed")
            ident = str(d["id"]) if not isinstance(d["id"], float) else f"{d['id']:g}"
            if kind == "section":
                sections.append({"id": ident, "title": _label(d, "label", fname, where), "indicators": []})
                cur_ind = cur_table = None
                continue
            if kind == "indicator":
                if not sections:
                    raise DefinitionError(fname, where, "an indicator row must come after a section row")
                cur_ind = {"id": ident, "title": _label(d, "label", fname, where),
                           "official": _label(d, "official", fname, where), "fields": [], "evidence": []}
                sections[-1]["indicators"].append(cur_ind)
                cur_table = None
                continue
            if cur_ind is None:
                raise DefinitionError(fname, where, f"a {kind} row must come after an indicator row")
            if kind == "evidence":
                slot: dict[str, Any] = {"id": ident, "label": _label(d, "label", fname, where)}
                if "min_count" in d:
                    slot["min_count"] = int(_num(d["min_count"], fname, where, "min_count"))
                if "accept" in d:
                    slot["accept"] = [x.strip().lower().lstrip(".") for x in str(d["accept"]).split(",") if x.strip()]
                help_ = _label(d, "help", fname, where, required=False)
                if help_:
                    slot["help"] = help_
                cur_ind["evidence"].append(slot)
                continue
            item: dict[str, Any] = {"id": ident, "type": str(d.get("type", "")).strip(), "label": _label(d, "label", fname, where)}
            if str(d.get("required", "")).strip().lower() in ("yes", "true", "1", "y", "是"):
                item["required"] = True
            for k in ("min", "max"):
                if k in d:
                    item[k] = str(d[k]) if item["type"] == "date" else _num(d[k], fname, where, k)
            for k in ("suggested_length", "min_rows", "max_rows"):
                if k in d:
                    item[k] = int(_num(d[k], fname, where, k))
            unit = _label(d, "unit", fname, where, required=False)
            if unit:
                item["unit"] = unit
            help_ = _label(d, "help", fname, where, required=False)
            if help_:
                item["help"] = help_
            if "choices" in d:
                name = str(d["choices"])
                if name not in choices:
                    raise DefinitionError(fname, where, f"no choice list named {name!r} on sheet 'choices'")
                item["choices"] = choices[name]
            if kind == "field":
                cur_ind["fields"].append(item)
                cur_table = item if item["type"] == "table" else None
                if cur_table is not None:
                    cur_table["columns"] = []
            else:  # column
                if cur_table is None:
                    raise DefinitionError(fname, where, "a column row must follow a field row of type table")
                for k in ("min_rows", "max_rows"):
                    item.pop(k, None)
                cur_table["columns"].append(item)
        for s in sections:
            for i in s["indicators"]:
                if not i["fields"]:
                    del i["fields"]
                if not i["evidence"]:
                    del i["evidence"]
        data: dict[str, Any] = {
            "format": 1,
            "id": str(settings["id"]),
            "version": str(settings["version"]) if not isinstance(settings["version"], float) else f"{settings['version']:g}",
            "title": {"zh": str(settings["title_zh"]), "en": str(settings["title_en"])},
            "issuer": {"zh": str(settings["issuer_zh"]), "en": str(settings["issuer_en"])},
            "source": {
                "number": str(settings.get("source_number") or ""),
                "date": str(settings["source_date"])[:10],
                "title": {"zh": str(settings["source_title_zh"]), "en": str(settings["source_title_en"])},
            },
            "sections": sections,
        }
        if settings.get("applicant_zh") and settings.get("applicant_en"):
            data["applicant"] = {"zh": str(settings["applicant_zh"]), "en": str(settings["applicant_en"])}
        return data
    finally:
        wb.close()
