"""What the panel hands on: the 推荐名单汇总表 (XLSX, the columns a provincial summary table uses:
序号, 申报单位, 项目名称, 总分, 排名, 推荐意见, 备注) and the 公示 list of recommended applicants
(XLSX or CSV). Both are written under a temporary name and renamed when complete.

Rows follow the ranking (desktop.panel.aggregate): ranked packages by rank, then packages that
failed a gate, then packages not scored yet. 总分 is the package's score rounded to 2 decimals,
排名 its rank (ties share a rank and 备注 says 并列), 推荐意见 the current decision (推荐 / 不推荐 /
待定), 备注 the decision's reason, failed gates, disagreement and recusals.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import atomic_output
from ..review.file import ReviewError
from .aggregate import Results, aggregate
from .decisions import DECISION_LABELS, current_all

SUMMARY_HEADER = ("序号", "申报单位", "项目名称", "总分", "排名", "推荐意见", "备注")
PUBLICITY_HEADER = ("序号", "申报单位", "项目名称")


@dataclass
class Row:
    package: int
    applicant: str
    project: str
    score: float | None
    rank: int | None
    tied: bool
    decision: str  # recommended | not_recommended | ""
    note: str


def _project_name(rec, rubric, program_title: str) -> str:
    if rubric.project_name:
        v = ((rec.answers or {}).get("answers") or {}).get(rubric.project_name)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return program_title


def rows(rv, results: Results) -> list[Row]:
    from .rounds import panel_program

    decisions = current_all(rv)
    prog = panel_program(rv)
    ranked = [p for p in results.packages if p.group == "ranked"]
    others = [p for p in results.packages if p.group != "ranked"]
    out = []
    gate_labels = {g.id: g.label.zh for g in results.rubric.gates}
    for p in ranked + others:
        rec = rv.package(p.package)
        d = decisions.get(p.package)
        notes = []
        if d is not None:
            notes.append(d.reason)
        if p.tied:
            notes.append(f"并列第{p.rank}名")
        failed = [gate_labels.get(g.id, g.id) for g in p.gates.values() if g.failed]
        if failed:
            notes.append("未满足门槛条件：" + "、".join(failed))
        if p.group == "unscored":
            notes.append("尚无专家评分")
        if p.disagreement:
            notes.append("专家意见分歧较大")
        if p.recused:
            notes.append(f"{len(p.recused)}位专家回避")
        out.append(Row(p.package, rec.applicant or rec.source_name, _project_name(rec, results.rubric, prog.title.zh),
                       None if p.score is None else round(p.score, 2), p.rank, p.tied, d.decision if d else "",
                       "；".join(x for x in notes if x)))
    return out


def _results(rv, results: Results | None) -> Results:
    res = results or aggregate(rv)
    if res is None or not res.packages:
        raise ReviewError("The panel has no packages yet: assign packages to experts and merge their scores first",
                          "专家评审中还没有数据包：请先向专家分配数据包并合并评分", key="panel.no_results")
    return res


def _xlsx(out: Path, title: str, sheet: str, header, body: list[list], widths) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
    for r in body:
        ws.append(r)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    wb.properties.title = title
    wb.properties.creator = "Dossier"
    buf = io.BytesIO()
    wb.save(buf)
    return _write(out, buf.getvalue())


def _write(out: Path, data: bytes) -> Path:
    if not out.parent.is_dir():
        raise ReviewError(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", key="panel.no_folder")
    try:
        with atomic_output(out) as (fh, _tmp):
            fh.write(data)
    except OSError as e:
        raise ReviewError(f"Could not write {out} ({e.strerror or e}): nothing was left half-written",
                          f"无法写入 {out}（{e.strerror or e}）：未留下不完整的文件", key="panel.write_failed") from None
    return out


def write_summary(rv, out: str | os.PathLike, *, results: Results | None = None, recommended_only: bool = False) -> Path:
    """The 推荐名单汇总表 as XLSX."""
    res = _results(rv, results)
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    body = []
    for r in rows(rv, res):
        if recommended_only and r.decision != "recommended":
            continue
        body.append([len(body) + 1, r.applicant, r.project, r.score, r.rank, DECISION_LABELS[r.decision].zh, r.note])
    return _xlsx(out, f"{rv.title} 推荐名单汇总表", "推荐名单汇总表", SUMMARY_HEADER, body, (6, 30, 36, 9, 7, 10, 48))


def write_publicity(rv, out: str | os.PathLike, *, results: Results | None = None) -> Path:
    """The 公示 list: the recommended applicants in rank order, as XLSX or CSV (by the suffix;
    CSV is UTF-8 with a byte-order mark, so Excel opens the Chinese correctly)."""
    res = _results(rv, results)
    out = Path(out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        out = out.with_name(out.name + ".xlsx")
    body = [[r.applicant, r.project] for r in rows(rv, res) if r.decision == "recommended"]
    if not body:
        raise ReviewError("No package is recommended yet: decide first (“Recommend…”, `dossier review decide`)",
                          "尚无推荐的数据包：请先作出推荐结论（“推荐…”，`dossier review decide`）", key="panel.none_recommended")
    body = [[i + 1] + r for i, r in enumerate(body)]
    if out.suffix.lower() == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(PUBLICITY_HEADER)
        w.writerows(body)
        return _write(out, ("\ufeff" + buf.getvalue()).encode("utf-8"))
    return _xlsx(out, f"{rv.title} 拟推荐名单公示", "公示名单", PUBLICITY_HEADER, body, (6, 36, 40))
