"""data/answers.xlsx: the answers as a workbook (openpyxl) for reviewers who work in Excel/WPS.

Sheets: 信息 Info, one sheet per section (indicator, observation point, field, value; tables as
sub-tables), 证明材料 Evidence. Cells are typed so a reviewer can compute with them: numbers are
numbers with the unit in the field or column name ("园区上一年度总产值（亿元）", value 1850.6),
percents are percent cells (12.5 % is the number 0.125 shown as 12.5%), dates are dates, yes/no
is 是/否. Deterministic: the workbook's created/modified times and every zip entry's time are
the seal time, so the same project gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.writer.excel import ExcelWriter

from ..values import display
from .collect import Snapshot

_MAX_CELL = 32767  # Excel's limit per cell
_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="E8EEF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _clean(v: Any) -> Any:
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)
        if len(v) > _MAX_CELL:
            v = v[: _MAX_CELL - 1] + "…"
    return v


def _put(ws, row: int, col: int, v: Any, *, bold: bool = False, fill: bool = False, fmt: str | None = None):
    c = ws.cell(row=row, column=col)
    v = _clean(v)
    c.value = v
    if isinstance(v, str):
        c.data_type = "s"  # never a formula, even if the text starts with '='
    if fmt:
        c.number_format = fmt
    c.alignment = _WRAP
    if bold:
        c.font = _HEAD
    if fill:
        c.fill = _FILL
    return c


def _sheet_title(s: str, taken: set[str]) -> str:
    s = re.sub(r"[\[\]:*?/\\]", "_", s).strip("' ") or "Sheet"
    s = s[:31]
    base, n = s, 2
    while s.casefold() in taken:
        tag = f" ({n})"
        s = base[: 31 - len(tag)] + tag
        n += 1
    taken.add(s.casefold())
    return s


class _FixedTimeZip(zipfile.ZipFile):
    """openpyxl's archive, with every entry stamped with one fixed time."""

    fixed_time = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zi = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed_time)
            zi.compress_type = self.compression
            zi.create_system = 3
            zi.external_attr = 0o100644 << 16
            zinfo_or_arcname = zi
        else:
            zinfo_or_arcname.date_time = self.fixed_time
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl writes worksheets through temporary files: their mtime must not leak in
        with open(filename, "rb") as fh:
            data = fh.read()
        return self.writestr(arcname or str(filename), data, compress_type, compresslevel)


def build_xlsx(snap: Snapshot, *, sealed_at: _dt.datetime, draft: bool, lang: str = "zh") -> bytes:
    prog = snap.program
    other = "en" if lang == "zh" else "zh"
    wb = Workbook()
    taken: set[str] = set()

    info = wb.active
    info.title = _sheet_title("信息 Info", taken)
    rows = [
        ("项目 Program", f"{prog.title.zh}\n{prog.title.en}"),
        ("项目编号 Program id", f"{prog.id} {prog.version}"),
        ("发布单位 Issuer", f"{prog.issuer.zh}\n{prog.issuer.en}"),
        ("依据文件 Source", f"{prog.source.number} {prog.source.date}\n{prog.source.title.zh}"),
        ("申报单位 Applicant", f"{snap.applicant}\n{snap.applicant_en}".strip()),
        ("封装时间 Sealed at", sealed_at.strftime("%Y-%m-%d %H:%M:%S %z")),  # the PDF's one format
        ("状态 Status", "草稿 DRAFT" if draft else "正式 Final"),
        ("完整度 Completeness", f"{snap.report.completeness * 100:.1f}%"),
    ]
    for r, (k, v) in enumerate(rows, 1):
        _put(info, r, 1, k, bold=True, fill=True)
        _put(info, r, 2, v)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90

    for sec in prog.sections:
        ws = wb.create_sheet(_sheet_title(f"{sec.id} {sec.title.get(lang)}", taken))
        heads = ["指标 Indicator", "观测点 Observation point", "字段 Field", "路径 Path", "值 Value"]
        for c, h in enumerate(heads, 1):
            _put(ws, 1, c, h, bold=True, fill=True)
        for col, w in zip("ABCDE", (22, 50, 28, 16, 60)):
            ws.column_dimensions[col].width = w
        ws.freeze_panes = "A2"
        r = 2
        for ind in sec.indicators:
            st = snap.report.indicators.get(ind.id)
            first = True
            if st is not None and not st.visible:
                _put(ws, r, 1, f"{ind.id} {ind.title.get(lang)}")
                _put(ws, r, 2, ind.official.get(lang))
                _put(ws, r, 5, "不适用 / not applicable")
                r += 1
                continue
            for f in ind.fields:
                if f.path not in snap.report.visible_fields:
                    continue
                v = snap.answers.get(f.path)
                _put(ws, r, 1, f"{ind.id} {ind.title.get(lang)}" if first else None)
                _put(ws, r, 2, ind.official.get(lang) if first else None)
                first = False
                _put(ws, r, 3, f"{_with_unit(f, lang)}\n{_with_unit(f, other)}")
                _put(ws, r, 4, f.path)
                if f.type == "table":
                    _put(ws, r, 5, display(f, v, lang) if v else "")
                    r += 1
                    if v:
                        for c, col in enumerate(f.columns, 5):
                            _put(ws, r, c, _with_unit(col, lang), bold=True, fill=True)
                        r += 1
                        for row in v:
                            for c, col in enumerate(f.columns, 5):
                                cell = row.get(col.id)
                                _put(ws, r, c, _cell_value(col, cell, lang), fmt=_format(col, cell))
                            r += 1
                    continue
                _put(ws, r, 5, _cell_value(f, v, lang), fmt=_format(f, v))
                r += 1
            if first:  # indicator without fields: still list it
                _put(ws, r, 1, f"{ind.id} {ind.title.get(lang)}")
                _put(ws, r, 2, ind.official.get(lang))
                r += 1

    ev = wb.create_sheet(_sheet_title("证明材料 Evidence", taken))
    heads = ["指标 Indicator", "栏目 Slot", "文件名 Name", "包内路径 Path in package", "类型 Type", "大小 Bytes",
             "SHA-256", "说明 Note"]
    for c, h in enumerate(heads, 1):
        _put(ev, 1, c, h, bold=True, fill=True)
    for col, w in zip("ABCDEFGH", (10, 24, 36, 50, 22, 12, 66, 30)):
        ev.column_dimensions[col].width = w
    ev.freeze_panes = "A2"
    for r, e in enumerate(snap.all_files, 2):
        slot = prog.slot(e.indicator_id, e.slot_id) if e.slot_id else None
        vals = [e.indicator_id, slot.label.get(lang) if slot else (e.slot_id or ""), e.name, e.path, e.mime, e.size,
                e.sha256, e.note]
        for c, v in enumerate(vals, 1):
            _put(ev, r, c, v)

    when = sealed_at.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    props = wb.properties
    props.creator = "Dossier"
    props.lastModifiedBy = "Dossier"
    props.title = f"{prog.title.zh} — {snap.applicant}"[:250]
    props.created = when
    props.modified = when
    props.language = "zh-CN"

    buf = io.BytesIO()
    archive = _FixedTimeZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.fixed_time = sealed_at.timetuple()[:6] if sealed_at.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    writer = ExcelWriter(wb, archive)
    writer.write_data()  # not wb.save(): that would stamp "modified" with the current time
    archive.close()
    return buf.getvalue()


def _with_unit(col, lang: str) -> str:
    """The field or column name with its unit: "园区上一年度总产值（亿元）", "Share (%)"."""
    name = col.label.get(lang)
    if col.type == "percent":
        return f"{name}（%）" if lang == "zh" else f"{name} (%)"
    if col.type in ("integer", "number") and col.unit:
        return f"{name}（{col.unit.get(lang)}）" if lang == "zh" else f"{name} ({col.unit.get(lang)})"
    return name


def _format(col, v: Any) -> str | None:
    if v is None or isinstance(v, bool):
        return None
    if col.type == "percent":
        d = col.decimals if col.decimals is not None else (0 if float(v).is_integer() else 1)
        return "0" + ("." + "0" * d if d else "") + "%"
    if col.type == "number":
        d = col.decimals if col.decimals is not None else None
        return "#,##0" + ("." + "0" * d if d else "") if d is not None else "#,##0.########"
    if col.type == "integer":
        return "#,##0"
    if col.type == "date":
        return "yyyy-mm-dd"
    return None


def _cell_value(col, v: Any, lang: str) -> Any:
    """A typed cell value: numbers as numbers (the unit is in the name), a percent as its
    fraction (with a percent format), a date as a date, yes/no as 是/否 (Yes/No)."""
    if v is None:
        return None
    if col.type in ("integer", "number") and isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    if col.type == "percent" and isinstance(v, (int, float)) and not isinstance(v, bool):
        return round(v / 100, 12)
    if col.type == "date" and isinstance(v, str):
        try:
            return _dt.date.fromisoformat(v)
        except ValueError:
            return v
    if col.type == "boolean" and isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("Yes" if v else "No")
    return display(col, v, lang)
