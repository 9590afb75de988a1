"""The review report PDF: the panel's result, per package — gates, scores per criterion with their
spread, the experts' comments, the decision with its history — experts named or anonymised
(专家A, 专家B, …) as chosen.

Fonts as in the submission PDF: desktop.fonts (WenQuanYi Micro Hei, Noto Sans, the South-East
Asian scripts), embedded as subsets, every run of text in a font that has its glyphs
(desktop.export.text.para). ReportLab's invariant mode: the same results and `generated_at` give
the same bytes. Written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer, Table, TableStyle

from .. import __version__
from ..export.text import para
from ..fonts import CJK_FONT, LATIN_FONT, register_fonts
from ..review.file import ReviewError, utcnow
from ..tasks import TaskState
from .aggregate import Results, aggregate, anonymous_names
from .decisions import DECISION_LABELS, current_all, history
from .outputs import _write, rows as summary_rows

PAGE_W, PAGE_H = A4
ML = MR = 18 * mm
MT = 18 * mm
MB = 18 * mm
BODY_W = PAGE_W - ML - MR
INK = colors.HexColor("#1F2933")
GREY = colors.HexColor("#616E7C")
LIGHT = colors.HexColor("#EEF2F7")
RULE = colors.HexColor("#9AA5B1")
ACCENT = colors.HexColor("#1D4E89")
RED = colors.HexColor("#B42318")
AMBER = colors.HexColor("#B54708")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=CJK_FONT, fontSize=9.5, leading=14, textColor=INK, wordWrap="CJK")
    s = {"base": base}
    for name, kw in {"title": dict(fontSize=20, leading=28, textColor=ACCENT, spaceAfter=6),
                     "h1": dict(fontSize=14, leading=20, textColor=ACCENT, spaceBefore=4, spaceAfter=4),
                     "h2": dict(fontSize=11, leading=16, spaceBefore=8, spaceAfter=2),
                     "small": dict(fontSize=8, leading=11.5, textColor=GREY),
                     "cell": dict(fontSize=8, leading=11),
                     "head": dict(fontSize=7.5, leading=10, textColor=INK),
                     "flag": dict(fontSize=8, leading=11, textColor=RED)}.items():
        s[name] = ParagraphStyle(name, parent=base, **kw)
    return s


def _n(v, digits: int = 2) -> str:
    if v is None:
        return "—"
    v = round(float(v), digits)
    return str(int(v)) if v.is_integer() else f"{v:.{digits}f}".rstrip("0").rstrip(".")


class _Doc(BaseDocTemplate):
    def __init__(self, buf, title: str, footer: str):
        super().__init__(buf, pagesize=A4, leftMargin=ML, rightMargin=MR, topMargin=MT, bottomMargin=MB, invariant=1,
                         initialFontName=CJK_FONT, initialFontSize=9.5, lang="zh-CN", title=title,
                         subject="专家评审报告 Expert panel report", creator=f"Dossier {__version__}",
                         producer=f"Dossier {__version__}", author="Dossier")
        self.footer = footer
        frame = Frame(ML, MB, BODY_W, PAGE_H - MT - MB, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def _decorate(self, canv, doc) -> None:
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(ML, 11 * mm, PAGE_W - MR, 11 * mm)
        canv.setFillColor(GREY)
        canv.setFont(CJK_FONT, 7.5)
        canv.drawString(ML, 7.5 * mm, self.footer[:90])
        canv.setFont(LATIN_FONT, 7.5)
        canv.drawRightString(PAGE_W - MR, 7.5 * mm, str(doc.page))
        canv.restoreState()


def _table(data, widths, *, head_rows: int = 1, zebra: bool = True, flags: list[int] | None = None) -> Table:
    t = Table(data, colWidths=widths, repeatRows=head_rows)
    # the cell font named too: ReportLab's default (Helvetica) would be named, unembedded, on every page
    style = [("FONTNAME", (0, 0), (-1, -1), CJK_FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("LINEBELOW", (0, 0), (-1, head_rows - 1), 0.6, RULE), ("BACKGROUND", (0, 0), (-1, head_rows - 1), LIGHT),
             ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE)]
    if zebra:
        for i in range(head_rows + 1, len(data), 2):
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#F8FAFC")))
    for i in flags or []:
        style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#FEF3F2")))
    t.setStyle(TableStyle(style))
    return t


def build(rv, results: Results, *, anonymise: bool = False, generated_at: str | None = None,
          task: TaskState | None = None) -> bytes:
    """The report's bytes."""
    from .rounds import panel_program, rubric_versions

    S = _styles()
    P = lambda text, style="cell", w=BODY_W: para(text, S[style], w)  # noqa: E731
    rub = results.rubric
    prog = panel_program(rv)
    names = anonymous_names(results) if anonymise else dict(results.experts)
    label = (lambda e: f"专家{names.get(e, '?')}") if anonymise else (lambda e: names.get(e, str(e)))
    rows = {r.package: r for r in summary_rows(rv, results)}
    decisions = current_all(rv)
    when = generated_at or utcnow()
    story: list = []
    # ------------------------------------------------------------------ cover
    story += [P("专家评审报告", "title"), P("Expert panel report", "h2"), Spacer(1, 4 * mm),
              P(rv.title, "h1"),
              P(f"{prog.title.zh} · {prog.title.en}", "base"),
              P(f"{prog.issuer.zh} · {prog.source.title.zh}", "small"), Spacer(1, 5 * mm)]
    versions = [v for v in rubric_versions(rv, results.round)]
    st = results.settings
    meta = [
        ["评审轮次 Round", str(results.round)],
        ["评审量表 Rubric", f"第 {len(versions)} 版 version {len(versions)} · SHA-256 {rub.sha256[:16]}…"],
        ["专家 Experts", "、".join(label(e) for e in sorted(results.experts)) or "—"],
        ["数据包 Packages", str(len(results.packages))],
        ["标准化 Normalisation", "按专家 z 分数标准化 per-expert z-scores" if st.normalise else "未标准化 raw scores"],
        ["分歧阈值 Disagreement", f"极差 ≥ {_n(st.threshold * 100)}% 评分范围 range ≥ {_n(st.threshold * 100)}% of the scale"],
        ["门槛判定 Gate rule", "任一专家判定未满足即未满足 any expert" if st.gate_rule == "any" else "多数专家 a majority"],
        ["生成时间 Generated", when.replace("T", " ").replace("Z", " UTC")],
    ]
    story.append(_table([[P(k, "head"), P(v)] for k, v in meta], [45 * mm, BODY_W - 45 * mm], head_rows=0, zebra=False))
    story.append(Spacer(1, 4 * mm))
    crit_rows = [[P("评分标准 Criterion", "head"), P("权重 Weight", "head"), P("所评指标 Indicators", "head"),
                  P("等级 Levels", "head")]]
    wsum = sum(c.weight for c in rub.criteria)
    for c in rub.criteria:
        crit_rows.append([P(f"{c.label.zh}\n{c.label.en}"), P(f"{_n(c.weight)} ({_n(c.weight / wsum * rub.total, 1)})"),
                          P("、".join(c.indicators)), P(" / ".join(f"{_n(lv.value)} {lv.label.zh}" for lv in c.levels))])
    story += [P("评审量表 Rubric", "h2"),
              _table(crit_rows, [58 * mm, 24 * mm, 38 * mm, BODY_W - 120 * mm])]
    if rub.gates:
        story += [P("门槛条件 Gate items", "h2"),
                  _table([[P("门槛条件 Gate", "head"), P("依据规则 Rules", "head")]] +
                         [[P(f"{g.label.zh}\n{g.label.en}"), P("、".join(g.rules) or "—")] for g in rub.gates],
                         [BODY_W - 60 * mm, 60 * mm])]
    # ------------------------------------------------------------------ ranking
    story += [PageBreak(), P("评审结果汇总 Summary", "h1"),
              P("未满足门槛条件的数据包列在最前（不参与排名），其余按得分由高到低排列；“=”表示并列。"
                "Packages that fail a gate are listed first (not ranked), then by score; “=” marks a tie.", "small"),
              Spacer(1, 2 * mm)]
    head = [P(x, "head") for x in ("排名\nRank", "申报单位 Applicant", "得分\nScore", "标准差\nSD", "极差\nRange",
                                     "专家\nExperts", "门槛\nGates", "分歧\nSplit", "推荐意见\nDecision")]
    data, flag_rows = [head], []
    for p in results.packages:
        r = rows[p.package]
        gates = "未满足 failed" if p.gate_failed else ("满足 met" if p.gates else "—")
        data.append([P(p.rank_text or "—"), P(f"#{p.package} {r.applicant}\n{r.project}"), P(_n(p.score)),
                     P(_n(p.total.sd) if p.total else "—"), P(_n(p.total.range) if p.total else "—"),
                     P(f"{len(p.experts)}" + (f"（回避{len(p.recused)}）" if p.recused else "")), P(gates),
                     P("是 yes" if p.disagreement else ""), P(DECISION_LABELS[r.decision].zh)])
        if p.gate_failed:
            flag_rows.append(len(data) - 1)
    story.append(_table(data, [12 * mm, 50 * mm, 15 * mm, 14 * mm, 14 * mm, 18 * mm, 17 * mm, 12 * mm,
                               BODY_W - 152 * mm], flags=flag_rows))
    # ------------------------------------------------------------------ per package
    for p in results.packages:
        if task is not None:
            task.check()
        r = rows[p.package]
        story += [PageBreak(), P(f"#{p.package}  {r.applicant}", "h1"), P(r.project, "base")]
        d = decisions.get(p.package)
        line = (f"排名 Rank: {p.rank_text or '—'}  ·  得分 Score: {_n(p.score)}"
                + (f"（各专家 {', '.join(_n(v) for v in p.totals.values())}）" if p.totals else "")
                + f"  ·  推荐意见 Decision: {DECISION_LABELS[d.decision if d else ''].zh}")
        story.append(P(line, "small"))
        if d is not None:
            story.append(P(f"理由 Reason: {d.reason}", "base"))
        hist = history(rv, p.package)
        if len(hist) > 1:
            story.append(P("结论记录 Decision history: " + "；".join(
                f"{h.at.replace('T', ' ').replace('Z', '')} {DECISION_LABELS[h.decision].zh}：{h.reason}" for h in hist), "small"))
        if p.recused:
            story.append(P("回避 Recused: " + "；".join(
                f"{label(e)}" + ("" if anonymise else f"（{why}）") for e, why in p.recused), "small"))
        if p.gates:
            g_rows = [[P("门槛条件 Gate", "head"), P("规则预判 Rules", "head"), P("满足/未满足 Met/not", "head"),
                       P("未满足的理由 Reasons", "head")]]
            flags = []
            for g in p.gates.values():
                gate = rub.gate(g.id)
                g_rows.append([P(gate.label.zh if gate else g.id), P({True: "满足", False: "未满足", None: "—"}[g.prefilled]),
                               P(f"{g.met} / {g.not_met}"),
                               P("；".join(f"{label(e)}：{why}" for e, why in g.reasons) or "—")])
                if g.failed:
                    flags.append(len(g_rows) - 1)
            story += [P("门槛条件 Gates", "h2"), _table(g_rows, [62 * mm, 20 * mm, 24 * mm, BODY_W - 106 * mm], flags=flags)]
        if p.criteria:
            experts = p.experts
            per = max(9 * mm, min(16 * mm, (BODY_W - 120 * mm) / max(1, len(experts))))
            c_rows = [[P("评分标准 Criterion", "head"), P("均值\nMean", "head"), P("中位数\nMedian", "head"),
                       P("标准差\nSD", "head"), P("范围\nMin–max", "head")] + [P(label(e), "head") for e in experts]]
            flags = []
            for cid, cr in p.criteria.items():
                c = rub.criterion(cid)
                c_rows.append([P((c.label.zh if c else cid) + (" ⚑" if cr.disagreement else "")), P(_n(cr.stats.mean)),
                               P(_n(cr.stats.median)), P(_n(cr.stats.sd)), P(f"{_n(cr.stats.low)}–{_n(cr.stats.high)}")]
                              + [P(_n(cr.values.get(e))) for e in experts])
                if cr.disagreement:
                    flags.append(len(c_rows) - 1)
            widths = [BODY_W - 64 * mm - per * len(experts), 16 * mm, 16 * mm, 16 * mm, 16 * mm] + [per] * len(experts)
            if widths[0] < 40 * mm:  # many experts: keep the table on the page
                per = (BODY_W - 104 * mm) / max(1, len(experts))
                widths = [40 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm] + [per] * len(experts)
            story += [P("各项评分 Scores per criterion", "h2"),
                      P("⚑ 专家意见分歧较大（极差达到分歧阈值） the experts disagree (range at or above the threshold)", "small"),
                      _table(c_rows, widths, flags=flags)]
            if p.overall:
                story.append(P(f"总体评价 Overall: 均值 {_n(p.overall.mean)}，中位数 {_n(p.overall.median)}，"
                               f"标准差 {_n(p.overall.sd)}，范围 {_n(p.overall.low)}–{_n(p.overall.high)}"
                               + ("；把握程度 confidence " + "、".join(f"{k} {v}" for k, v in p.confidence.items())
                                  if p.confidence else ""), "small"))
            comments = [(rub.criterion(cid), e, text, ev) for cid, cr in p.criteria.items() for e, text, ev in cr.comments]
            if comments or p.overall_comments:
                story.append(P("专家意见 Comments", "h2"))
                for c, e, text, ev in comments:
                    where = f"  〔佐证 evidence: {ev.get('name')}〕" if ev else ""
                    story.append(P(f"{label(e)} · {c.label.zh if c else ''}：{text}{where}", "cell"))
                for e, text in p.overall_comments:
                    story.append(P(f"{label(e)} · 总体评价：{text}", "cell"))
        elif p.group == "unscored":
            story.append(P("尚无专家评分 No expert has scored this package yet.", "small"))
    buf = io.BytesIO()
    doc = _Doc(buf, f"{rv.title} 专家评审报告", f"{rv.title} · 专家评审报告 · 第 {results.round} 轮")
    doc.build(story)
    return buf.getvalue()


def write_report(rv, out: str | os.PathLike, *, results: Results | None = None, anonymise: bool = False,
                 generated_at: str | None = None, task: TaskState | None = None) -> Path:
    res = results or aggregate(rv)
    if res is None or not res.packages:
        raise ReviewError("The panel has no packages yet: assign packages to experts and merge their scores first",
                          "专家评审中还没有数据包：请先向专家分配数据包并合并评分", key="panel.no_results")
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    return _write(out, build(rv, res, anonymise=anonymise, generated_at=generated_at, task=task))
