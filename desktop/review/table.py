"""The comparison table: one row per package; columns for the verdict, the state, completeness
(claimed and recomputed) and every numeric or choice field of the program (tables as their row
count). Cells hold typed values (numbers stay numbers), so sorting and the XLSX are exact; the
text of a cell comes from desktop.values.display, as in the PDF.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..models.program import Field, Label, Program
from .packages import STATE_LABELS, VERDICT_LABELS, VERDICTS, STATES
from .verdicts import desk_verdict

NUMERIC = ("integer", "number", "percent")
CHOICE = ("choice", "multichoice", "boolean")


@dataclass
class Column:
    key: str
    label: Label
    kind: str  # int | num | text | verdict | state | percent
    field: Field | None = None
    width: int = 14  # characters, for the XLSX


@dataclass
class ComparisonTable:
    columns: list[Column]
    rows: list[list[Any]]  # typed values, one list per package (same order as `ids`)
    ids: list[int]
    program: Program | None = None
    texts: list[list[str]] = field(default_factory=list)  # display text per cell (for filters and views)
    lang: str = "zh"

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key or c.label.en.lower() == key.lower() or c.label.zh == key:
                return i
        raise KeyError(key)

    def sort_order(self, col: int, descending: bool = False) -> list[int]:
        """Row indices sorted by column `col`; empty cells last in both directions."""
        kind = self.columns[col].kind
        rank = {"verdict": {v: i for i, v in enumerate(VERDICTS)}, "state": {s: i for i, s in enumerate(STATES)}}.get(kind)
        vals = [r[col] for r in self.rows]

        def key(i: int):
            v = vals[i]
            if rank is not None:
                return rank.get(v, len(rank))
            if isinstance(v, bool):
                return int(v)
            if isinstance(v, (int, float)):
                return v
            if isinstance(v, list):
                return self.texts[i][col]
            return v if isinstance(v, str) else str(v)

        present = [i for i in range(len(vals)) if vals[i] is not None and vals[i] != ""]
        empty = [i for i in range(len(vals)) if vals[i] is None or vals[i] == ""]
        mixed = {type(key(i)) for i in present}
        k: Callable[[int], Any] = key if len(mixed) <= 1 else (lambda i: str(key(i)))
        present.sort(key=k, reverse=descending)
        return present + empty

    def matching(self, text: str) -> list[int]:
        """Rows where any cell's text contains `text` (case-insensitive); all rows for ''."""
        t = text.strip().casefold()
        if not t:
            return list(range(len(self.rows)))
        return [i for i, cells in enumerate(self.texts) if any(t in c.casefold() for c in cells)]


def _program_for(rv, recs) -> Program | None:
    from .recheck import installed_program

    pid = rv.program_id
    if not pid:
        counts: dict[tuple[str, str], int] = {}
        for r in recs:
            if r.program_id:
                counts[(r.program_id, r.program_version)] = counts.get((r.program_id, r.program_version), 0) + 1
        if not counts:
            return None
        pid, ver = max(counts, key=counts.get)
    else:
        vers = sorted({r.program_version for r in recs if r.program_id == pid}, key=lambda v: [x.zfill(8) for x in v.split(".")])
        ver = vers[-1] if vers else rv.meta().get("program_version", "")
    prog, _why = installed_program(pid, ver)
    if prog is None:
        from ..programs import all_programs

        same = [p for p in all_programs() if p.id == pid]
        prog = same[-1] if same else None
    return prog


def columns_for(program: Program | None) -> list[Column]:
    L = Label
    cols = [
        Column("id", L("编号", "ID"), "int", width=6),
        Column("applicant", L("申报单位", "Applicant"), "text", width=28),
        Column("verdict", L("验证结论", "Verdict"), "verdict", width=16),
        Column("signer", L("签章单位", "Signed by"), "text", width=22),
        Column("state", L("评审状态", "State"), "state", width=14),
        Column("sealed_at", L("封装时间", "Sealed at"), "text", width=20),
        Column("completeness", L("完成度（声明）", "Completeness (claimed)"), "percent", width=12),
        Column("recomputed", L("完成度（重新计算）", "Completeness (recomputed)"), "percent", width=12),
        Column("blocking", L("阻止提交问题（重新计算）", "Blocking problems (recomputed)"), "int", width=10),
        Column("checks", L("检查差异", "Checks differ"), "text", width=10),
        Column("previous", L("上一版本", "Previous submission"), "int", width=8),
    ]
    if program is not None:
        for f in program.fields.values():
            if f.type in NUMERIC or f.type in CHOICE or f.type == "table":
                label = f.label
                if f.type == "table":
                    label = Label(f"{f.label.zh}（行数）", f"{f.label.en} (rows)")
                elif f.unit is not None:
                    label = Label(f"{f.label.zh}（{f.unit.zh}）", f"{f.label.en} ({f.unit.en})")
                kind = {"integer": "int", "number": "num", "percent": "percent", "table": "int"}.get(f.type, "text")
                cols.append(Column(f"field:{f.path}", label, kind, field=f, width=max(10, min(30, len(label.zh) * 2))))
    return cols


def comparison(rv, *, lang: str = "zh", current_only: bool = False) -> ComparisonTable:
    from ..values.display import display

    recs = rv.packages(full=True)
    if current_only:
        recs = [r for r in recs if r.superseded_by is None and r.duplicate_of is None]
    trusted = rv.trusted()
    program = _program_for(rv, recs)
    cols = columns_for(program)
    rows: list[list[Any]] = []
    texts: list[list[str]] = []
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for r in recs:
        v = desk_verdict(r, trusted)
        rc = r.recheck or {}
        answers = (r.answers or {}).get("answers") or {}
        same_prog = program is not None and r.program_id == program.id
        row: list[Any] = [
            r.id, r.applicant or r.source_name, v.key,
            r.signer or "", r.state, r.sealed_at or "",
            (r.answers or {}).get("completeness"),
            (rc.get("recomputed") or {}).get("completeness"),
            (rc.get("recomputed") or {}).get("blocking"),
            (yes if rc.get("differs") else no) if rc.get("available") else "",
            r.previous,
        ]
        text = [str(r.id), row[1], VERDICT_LABELS[v.key].get(lang), row[3], STATE_LABELS[r.state].get(lang),
                row[5].replace("T", " ")[:16],
                "" if row[6] is None else f"{row[6]}%", "" if row[7] is None else f"{row[7]}%",
                "" if row[8] is None else str(row[8]), row[9], "" if row[10] is None else str(row[10])]
        for c in cols[len(row):]:
            val = answers.get(c.field.path) if same_prog else None
            if c.field.type == "table":
                val = len(val) if isinstance(val, list) else None
                text.append("" if val is None else str(val))
            elif c.field.type in ("integer", "number") and isinstance(val, (int, float)):
                text.append(str(val))  # the unit is in the header
            else:
                try:
                    text.append(display(c.field, val, lang))
                except Exception:  # noqa: BLE001 - a tampered value of the wrong shape: show it raw
                    text.append(str(val))
            row.append(val)
        rows.append(row)
        texts.append(text)
    return ComparisonTable(cols, rows, [r.id for r in recs], program, texts, lang)


def write_xlsx(table: ComparisonTable, out: str | os.PathLike, *, title: str = "") -> Path:
    """The table as an XLSX sheet (numbers as numbers, choices as their labels), written atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..fsutil import atomic_output

    lang = table.lang
    wb = Workbook()
    ws = wb.active
    ws.title = "对比表" if lang == "zh" else "Comparison"
    head = [c.label.get(lang) for c in table.columns]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
    for row, text in zip(table.rows, table.texts):
        out_row = []
        for c, v, t in zip(table.columns, row, text):
            if c.kind in ("int", "num", "percent") and isinstance(v, (int, float)) and not isinstance(v, bool):
                out_row.append(v)
            else:
                out_row.append(t)
        ws.append(out_row)
    for i, c in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = c.width
        if c.kind == "percent":
            for cell in ws[letter][1:]:
                cell.number_format = '0.0"%"'
    ws.freeze_panes = "C2"
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    if title:
        wb.properties.title = title
    wb.properties.creator = "Dossier"
    buf = io.BytesIO()
    wb.save(buf)
    out = Path(out)
    with atomic_output(out) as (fh, _tmp):
        fh.write(buf.getvalue())
    return out
