"""Parse and check a value for a field or table column.

`coerce` is the single gate every stored value passes (CLI, UI, demo, import): it refuses wrong
types and hard limits (min/max, max_length, unknown choices, max_rows, max_selected) with a
bilingual message; softer requirements (required, rules) are problems reported by desktop.rules.

Messages name a field by its label (what the user sees), never its internal id, and say what to
do: the choices by their labels, "Yes or No", a date's real problem (2026-02-30: February 2026
has 28 days). Each ValueProblem also carries `reason` = (en, zh) without the field's name, for
places that name the field themselves (a table cell, a pasted row).

Dates: ISO (2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日), day-first as usual in ASEAN
(30/06/2026, 30.06.2026, 30-06-2026) when unambiguous — the day is above 12, or day and month
are equal — and with the month's name (30 June 2026, 30 Jun 2026, June 30, 2026). 03/04/2026
could be 3 April or 4 March: it is refused with both readings spelled out, never guessed.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import json
import math
import re
from typing import Any

from ..errors import ValueProblem
from ..models.program import MAX_CHARS, Column, Field
from ..models.rows import ROW_ID, ROW_ID_RE

_TRUE = {"true", "yes", "y", "1", "是", "对", "有", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "不", "无", "✗"}


def _name(col: Column) -> str:
    return col.label.en or col.label.zh


def _q(v) -> str:
    """A value as typed, quoted for an English message (not Python's repr)."""
    return f"“{v}”"


def _fail(col: Column, en: str, zh: str) -> ValueProblem:
    e = ValueProblem(f"{_name(col)}: {en}", f"{col.label.zh}：{zh}", key="value.invalid")
    e.reason = (en, zh)
    return e


def is_answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, dict)):
        return len(value) > 0
    return True


def _number(col: Column, v: Any, integer: bool) -> int | float:
    if isinstance(v, bool):
        raise _fail(col, "expected a number, got true/false", "应为数字，不能是是/否")
    if isinstance(v, str):
        s = v.strip().replace(",", "").replace("，", "").replace("_", "")
        if col.type == "percent" and s.endswith(("%", "％")):
            s = s[:-1].strip()
        try:
            v = int(s) if re.fullmatch(r"[+-]?\d+", s) else float(s)
        except ValueError:
            kind = "a whole number" if integer else "a number"
            raise _fail(col, f"{_q(v)} is not {kind}", f"“{v}”不是{'整数' if integer else '数字'}") from None
    if not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
        raise _fail(col, f"expected a number, got {_q(v)}", f"应为数字，实际为“{v}”")
    if integer:
        if isinstance(v, float):
            if not v.is_integer():
                raise _fail(col, f"{v} is not a whole number", f"{v} 不是整数")
            v = int(v)
    elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        v = int(v)
    lo, hi = col.min, col.max
    if col.type == "percent":
        lo = 0 if lo is None else lo
        hi = 100 if hi is None else hi
    unit = f" {col.unit.en}" if col.unit else ""
    unit_zh = col.unit.zh if col.unit else ""
    if lo is not None and v < lo:
        raise _fail(col, f"{v} is below the minimum {lo}{unit}", f"{v} 小于最小值 {lo}{unit_zh}")
    if hi is not None and v > hi:
        raise _fail(col, f"{v} is above the maximum {hi}{unit}", f"{v} 大于最大值 {hi}{unit_zh}")
    return v


_MONTHS = {name: n for n, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), 1) for name in names}
_MONTH_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
_SEP = r"\s*[-/.]\s*"


def _ymd(s: str) -> tuple[int, int, int] | str | None:
    """(year, month, day) from the accepted spellings; "ambiguous" for a day-first/month-first
    date that could be either; None when it is no date at all."""
    m = (re.fullmatch(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})", s)
         or re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", s))
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = re.fullmatch(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})", s)
    if m:  # day first, as in ASEAN: only when it cannot be read the other way round
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 or a == b:
            return y, b, a
        if b > 12:  # 06/30/2026: month first (US); no other reading
            return y, a, b
        return "ambiguous"
    m = (re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", s)
         or re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", s))
    if m:
        g = m.groups()
        day, name = (g[0], g[1]) if g[0].isdigit() else (g[1], g[0])
        month = _MONTHS.get(name.lower())
        if month:
            return int(g[2]), month, int(day)
    return None


def _date(col: Column, v: Any) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        v = v.strftime("%Y-%m-%d")
    if not isinstance(v, str):
        raise _fail(col, f"expected a date such as 2026-06-30, got {_q(v)}", f"应为日期（如 2026-06-30），实际为“{v}”")
    s = v.strip()
    got = _ymd(s)
    if got == "ambiguous":
        a, b, y = (int(x) for x in re.split(_SEP, s))
        raise _fail(col, f"{_q(s)} could be {a} {_MONTH_EN[b - 1]} or {b} {_MONTH_EN[a - 1]}: write it as "
                         f"{y:04d}-{b:02d}-{a:02d} or {y:04d}-{a:02d}-{b:02d} (year-month-day)",
                    f"“{s}”既可理解为 {y} 年 {b} 月 {a} 日，也可理解为 {y} 年 {a} 月 {b} 日：请写成 "
                    f"{y:04d}-{b:02d}-{a:02d} 或 {y:04d}-{a:02d}-{b:02d}（年-月-日）")
    if got is None:
        raise _fail(col, f"{_q(s)} is not a date: write it as year-month-day, e.g. 2026-06-30 (30/06/2026 is "
                         "understood too)", f"“{s}”不是日期：请按年-月-日填写，例如 2026-06-30")
    y, mo, d = got
    if not 1 <= mo <= 12:
        raise _fail(col, f"{_q(s)} is not a date: there is no month {mo}", f"“{s}”不是有效日期：没有 {mo} 月")
    if not 1 <= y <= 9999:
        raise _fail(col, f"{_q(s)} is not a date: the year {y} is out of range", f"“{s}”不是有效日期：年份 {y} 超出范围")
    days = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= days:
        raise _fail(col, f"{_q(s)} is not a date: {_MONTH_EN[mo - 1]} {y} has {days} days",
                    f"“{s}”不是有效日期：{y} 年 {mo} 月只有 {days} 天")
    iso = _dt.date(y, mo, d).isoformat()
    if col.min and iso < col.min:
        raise _fail(col, f"{iso} is before {col.min}, the earliest allowed", f"{iso} 早于允许的最早日期 {col.min}")
    if col.max and iso > col.max:
        raise _fail(col, f"{iso} is after {col.max}, the latest allowed", f"{iso} 晚于允许的最晚日期 {col.max}")
    return iso


def _choice(col: Column, v: Any) -> str:
    if isinstance(v, str):
        s = v.strip()
        for c in col.choices:  # the value or either label (what a spreadsheet or the command line holds)
            if s == c.value or s == c.label.zh or s == c.label.en:
                return c.value
        folded = s.casefold()
        for c in col.choices:  # an English label typed in another case
            if c.label.en and folded == c.label.en.casefold():
                return c.value
    # the messages are built only on refusal: this runs for every cell of every stored table
    en_choices = ", ".join(c.label.en or c.label.zh for c in col.choices)
    zh_choices = "、".join(c.label.zh for c in col.choices)
    if not isinstance(v, str):
        raise _fail(col, f"choose one of: {en_choices}", f"请从以下选项中选择：{zh_choices}")
    raise _fail(col, f"{_q(v)} is not a choice; choose one of: {en_choices}",
                f"“{v}”不是可选项；可选：{zh_choices}")


def _bool(col: Column, v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in _TRUE:
        return True
    if isinstance(v, str) and v.strip().lower() in _FALSE:
        return False
    raise _fail(col, f"{_q(v)} is not yes/no: answer Yes or No", f"“{v}”不是“是/否”：请填写“是”或“否”")


def _text(col: Column, v: Any) -> str | None:
    if not isinstance(v, str):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        else:
            raise _fail(col, f"expected text, got {type(v).__name__}", "应为文本")
    if "\x00" in v:
        raise _fail(col, "text cannot contain NUL characters", "文本不能包含空字符")
    limit = min(col.max_length or MAX_CHARS.get(col.type, MAX_CHARS["longtext"]),
                MAX_CHARS.get(col.type, MAX_CHARS["longtext"]))  # the hard limit of any text answer
    if len(v) > limit:
        raise _fail(col, f"{len(v)} characters, more than the maximum {limit}",
                    f"共 {len(v)} 字，超过上限 {limit} 字")
    return v if v.strip() else None


def coerce_scalar(col: Column, v: Any) -> Any:
    if v is None:
        return None
    t = col.type
    if t in ("text", "longtext"):
        return _text(col, v)
    if isinstance(v, str) and not v.strip():
        return None
    if t == "integer":
        return _number(col, v, True)
    if t in ("number", "percent"):
        return _number(col, v, False)
    if t == "date":
        return _date(col, v)
    if t == "choice":
        return _choice(col, v)
    if t == "boolean":
        return _bool(col, v)
    raise _fail(col, f"unsupported type {t}", f"不支持的类型 {t}")


def coerce(fld: Field, v: Any) -> Any:
    """Return the normalised value for `fld` or raise ValueProblem. None/empty means unanswered."""
    if v is None:
        return None
    if fld.type == "multichoice":
        if isinstance(v, str):
            s = v.strip()
            if not s:
                return None
            if s.startswith("["):
                try:
                    v = json.loads(s)
                except json.JSONDecodeError:
                    raise _fail(fld, "not a JSON list", "不是有效的 JSON 列表") from None
            else:
                v = [x for x in re.split(r"[,，、;；]", s) if x.strip()]
        if not isinstance(v, list):
            raise _fail(fld, "expected a list of choices", "应为选项列表")
        out: list[str] = []
        for x in v:
            c = _choice(fld, x)
            if c not in out:
                out.append(c)
        out.sort(key=fld.choice_values.index)  # canonical order: the definition's
        if fld.max_selected is not None and len(out) > fld.max_selected:
            raise _fail(fld, f"at most {fld.max_selected} may be chosen", f"最多选择 {fld.max_selected} 项")
        return out or None
    if fld.type == "table":
        if isinstance(v, str):
            s = v.strip()
            if not s:
                return None
            try:
                v = json.loads(s)
            except json.JSONDecodeError as e:
                raise _fail(fld, f"table values are JSON rows: {e.msg}", f"表格的值应为 JSON 行列表：{e.msg}") from None
        if not isinstance(v, list):
            raise _fail(fld, "a table value is a list of rows", "表格的值应为行的列表")
        rows = []
        for n, row in enumerate(v, 1):
            if not isinstance(row, dict):
                raise _fail(fld, f"row {n} is not an object of column values", f"第 {n} 行不是“列: 值”对象")
            unknown = [k for k in row if k != ROW_ID and fld.column(k) is None]
            if unknown:
                raise _fail(fld, f"row {n}: unknown column {unknown[0]!r} (columns: {', '.join(c.id for c in fld.columns)})",
                            f"第 {n} 行：未知列 {unknown[0]!r}")  # ids here: only JSON written by hand has them
            clean = {}
            rid = row.get(ROW_ID)
            if rid is not None:  # a stored row's identity (desktop.models.rows) travels with it
                if not isinstance(rid, str) or not ROW_ID_RE.match(rid):
                    raise _fail(fld, f"row {n}: {ROW_ID} must be a short id string", f"第 {n} 行：{ROW_ID} 应为简短的标识字符串")
                clean[ROW_ID] = rid
            for col in fld.columns:
                if col.id in row:
                    try:
                        val = coerce_scalar(col, row[col.id])
                    except ValueProblem as e:
                        err = ValueProblem(f"{_name(fld)}, row {n}: {e.en}", f"{fld.label.zh} 第 {n} 行：{e.zh}",
                                           key="value.invalid")
                        err.reason, err.row, err.column = getattr(e, "reason", (e.en, e.zh)), n, col.id
                        raise err from None
                    if val is not None:
                        clean[col.id] = val
            rows.append(clean)
        if fld.max_rows is not None and len(rows) > fld.max_rows:
            raise _fail(fld, f"{len(rows)} rows, more than the maximum {fld.max_rows}", f"共 {len(rows)} 行，超过上限 {fld.max_rows} 行")
        return rows or None
    return coerce_scalar(fld, v)
