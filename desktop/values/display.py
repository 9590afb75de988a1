"""Human text for stored values (CLI, PDF, spreadsheets)."""

from __future__ import annotations

from typing import Any

from ..models.program import Column


def display(col: Column, v: Any, lang: str = "zh") -> str:
    """Human text for a stored value (CLI, PDF, spreadsheets)."""
    if v is None:
        return ""
    if col.type == "choice":
        lab = col.choice_label(v)
        return lab.get(lang) if lab else str(v)
    if col.type == "multichoice":
        sep = "、" if lang == "zh" else ", "
        return sep.join((col.choice_label(x).get(lang) if col.choice_label(x) else str(x)) for x in v)
    if col.type == "boolean":
        return ("是" if v else "否") if lang == "zh" else ("Yes" if v else "No")
    if col.type == "percent":
        return f"{v}%"
    if col.type in ("integer", "number") and col.unit:
        return f"{v} {col.unit.get(lang)}"
    if col.type == "table":
        return f"{len(v)} 行" if lang == "zh" else f"{len(v)} rows"
    return str(v)


def plural(n: int, one: str, many: str) -> str:
    """"1 file", "2 files": English counts in core messages (Chinese needs no plural form; the UI's
    own strings get theirs from Qt's catalogues)."""
    return f"{n} {one if n == 1 else many}"
