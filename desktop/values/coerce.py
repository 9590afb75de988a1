"""Parse and check a value for a field or table column.

`coerce` is the single gate every stored value passes (CLI, UI, demo, import): it refuses wrong
types and hard limits (min/max, max_length, unknown choices, max_rows, max_selected) with a
bilingual message; softer requirements (required, rules) are problems reported by desktop.rules.
"""

from __future__ import annotations

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
    return f"{col.label.en} ({col.id})"


def _fail(col: Column, en: str, zh: str) -> ValueProblem:
    return ValueProblem(f"{_name(col)}: {en}", f"{col.label.zh}（{col.id}）：{zh}", key="value.invalid")


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
            raise _fail(col, f"{v!r} is not {kind}", f"“{v}”不是{'整数' if integer else '数字'}") from None
    if not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
        raise _fail(col, f"expected a number, got {v!r}", f"应为数字，实际为 {v!r}")
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


def _date(col: Column, v: Any) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        v = v.strftime("%Y-%m-%d")
    if not isinstance(v, str):
        raise _fail(col, f"expected a date YYYY-MM-DD, got {v!r}", f"应为日期（年-月-日），实际为 {v!r}")
    s = v.strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", s)
    try:
        if not m:
            raise ValueError
        d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise _fail(col, f"{v!r} is not a date (use YYYY-MM-DD)", f"“{v}”不是有效日期（格式：年-月-日）") from None
    iso = d.isoformat()
    if col.min and iso < col.min:
        raise _fail(col, f"{iso} is before {col.min}", f"{iso} 早于 {col.min}")
    if col.max and iso > col.max:
        raise _fail(col, f"{iso} is after {col.max}", f"{iso} 晚于 {col.max}")
    return iso


def _choice(col: Column, v: Any) -> str:
    if not isinstance(v, str):
        raise _fail(col, f"expected one of {', '.join(col.choice_values)}", f"应为以下之一：{'、'.join(col.choice_values)}")
    s = v.strip()
    for c in col.choices:  # accept the value or either label (convenient on the command line)
        if s in (c.value, c.label.zh, c.label.en):
            return c.value
    raise _fail(
        col,
        f"{v!r} is not a choice; choose one of: {', '.join(col.choice_values)}",
        f"“{v}”不是可选项；可选：{'、'.join(c.label.zh + '(' + c.value + ')' for c in col.choices)}",
    )


def _bool(col: Column, v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in _TRUE:
        return True
    if isinstance(v, str) and v.strip().lower() in _FALSE:
        return False
    raise _fail(col, f"{v!r} is not yes/no (use true or false)", f"“{v}”不是“是/否”（请用 true 或 false）")


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
                            f"第 {n} 行：未知列 {unknown[0]!r}")
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
                        raise ValueProblem(f"{_name(fld)}, row {n}: {e.en}", f"{fld.label.zh} 第 {n} 行：{e.zh}") from None
                    if val is not None:
                        clean[col.id] = val
            rows.append(clean)
        if fld.max_rows is not None and len(rows) > fld.max_rows:
            raise _fail(fld, f"{len(rows)} rows, more than the maximum {fld.max_rows}", f"共 {len(rows)} 行，超过上限 {fld.max_rows} 行")
        return rows or None
    return coerce_scalar(fld, v)
