"""HTML for the panel's read-only views: the applicant's indicators beside the rubric (official
text, answers, evidence), and one package's aggregated result on the coordinator's desk.

Text comes from the package or the experts: everything is escaped. Labels are bilingual in the
core (Label.get(lang)); the few fixed words here go through QCoreApplication.translate.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from ...values import display


def tr(text: str) -> str:
    return QCoreApplication.translate("PanelHtml", text)


CSS = ("<style>h3{margin:10px 0 2px 0;color:#1D4E89} .official{color:#3E4C59;margin:2px 0 6px 0;"
       "padding-left:6px;border-left:3px solid #9AA5B1} table{border-collapse:collapse} td,th{padding:2px 6px;"
       "vertical-align:top} th{background:#EEF2F7;text-align:left} .k{color:#616E7C} .none{color:#9AA5B1}"
       " .flag{color:#B42318} .ok{color:#027A48} .small{color:#616E7C;font-size:small}</style>")


def _value_html(field, value, lang: str) -> str:
    if value is None or value == "" or value == []:
        return f"<span class='none'>{escape(tr('(not answered)'))}</span>"
    if field.type == "table" and isinstance(value, list):
        cols = field.columns
        head = "".join(f"<th>{escape(c.label.get(lang))}</th>" for c in cols)
        rows = "".join("<tr>" + "".join(f"<td>{escape(display(c, (r or {}).get(c.id), lang))}</td>" for c in cols) + "</tr>"
                       for r in value[:200])
        more = f"<p class='small'>{escape(tr('… and {n} more rows').format(n=len(value) - 200))}</p>" if len(value) > 200 else ""
        return f"<table border='1' cellspacing='0'><tr>{head}</tr>{rows}</table>{more}"
    text = display(field, value, lang)
    return escape(text).replace("\n", "<br>")


def indicators_html(program, doc: dict[str, Any], indicator_ids, lang: str, *, heading: str = "",
                    focus: str = "", link_evidence: bool = True) -> str:
    """The applicant's indicators `indicator_ids` as submitted: official text, answers, evidence.
    Evidence names link to `evidence:<n>` (the index in the package's evidence list)."""
    answers = doc.get("answers") or {}
    evidence = doc.get("evidence") or []
    parts = [CSS]
    if heading:
        parts.append(f"<h2>{escape(heading)}</h2>")
    if focus:
        parts.append(f"<p class='small'>{escape(focus)}</p>")
    for iid in indicator_ids:
        ind = program.indicator(iid) if program is not None else None
        if ind is None:
            parts.append(f"<h3>{escape(iid)}</h3><p class='none'>{escape(tr('This indicator is not in the definition.'))}</p>")
            continue
        parts.append(f"<h3>{escape(ind.id)} {escape(ind.title.get(lang))}</h3>")
        parts.append(f"<div class='official'>{escape(ind.official.get(lang)).replace(chr(10), '<br>')}</div>")
        rows = []
        for f in ind.fields:
            if f.path not in answers:
                continue
            rows.append(f"<tr><td class='k'>{escape(f.label.get(lang))}</td><td>{_value_html(f, answers.get(f.path), lang)}</td></tr>")
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
        elif ind.fields:
            parts.append(f"<p class='none'>{escape(tr('Nothing was entered here.'))}</p>")
        files = [(n, e) for n, e in enumerate(evidence) if e.get("indicator") == iid]
        if files:
            items = []
            for n, e in files:
                name = escape(e.get("name", ""))
                size = int(e.get("size") or 0)
                label = f"<a href='evidence:{n}'>{name}</a>" if link_evidence else name
                items.append(f"<li>{label} <span class='small'>({_size(size)}, SHA-256 {escape(str(e.get('sha256', ''))[:12])}…)"
                             + (f" — {escape(e.get('note') or '')}" if e.get("note") else "") + "</span></li>")
            parts.append(f"<p class='k'>{escape(tr('Evidence'))}</p><ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _n(v, d: int = 2) -> str:
    if v is None:
        return "—"
    v = round(float(v), d)
    return str(int(v)) if v.is_integer() else f"{v:.{d}f}".rstrip("0").rstrip(".")


def result_html(results, p, rec, decision, history, lang: str) -> str:
    """One package's aggregated result: score and rank, gates, criteria with their spread, comments."""
    from ...panel.decisions import DECISION_LABELS

    rub = results.rubric
    names = results.experts
    parts = [CSS, f"<h2>#{p.package} {escape(rec.applicant or rec.source_name)}</h2>"]
    dec = DECISION_LABELS[decision.decision if decision else ""].get(lang)
    parts.append(f"<p>{escape(tr('Rank'))}: <b>{escape(p.rank_text or '—')}</b> · {escape(tr('Score'))}: <b>{_n(p.score)}</b>"
                 f" · {escape(tr('Decision'))}: <b>{escape(dec)}</b>"
                 + (f" — {escape(decision.reason)}" if decision else "") + "</p>")
    if p.totals:
        parts.append("<p class='small'>" + escape(tr("Totals per expert")) + ": " + ", ".join(
            f"{escape(names.get(e, str(e)))} {_n(t)}" for e, t in p.totals.items()) + "</p>")
    if p.recused:
        parts.append("<p class='small'>" + escape(tr("Recused")) + ": " + "; ".join(
            f"{escape(names.get(e, str(e)))} ({escape(why)})" for e, why in p.recused) + "</p>")
    if p.group == "unscored":
        parts.append(f"<p class='none'>{escape(tr('No expert has scored this package yet.'))}</p>")
    if p.gates:
        rows = []
        for g in p.gates.values():
            gate = rub.gate(g.id)
            cls = "flag" if g.failed else "ok"
            reasons = "<br>".join(f"{escape(names.get(e, str(e)))}: {escape(r)}" for e, r in g.reasons)
            rows.append(f"<tr><td>{escape(gate.label.get(lang) if gate else g.id)}</td><td class='{cls}'>{g.met} / {g.not_met}</td>"
                        f"<td>{reasons}</td></tr>")
        parts.append(f"<h3>{escape(tr('Gates'))}</h3><table><tr><th>{escape(tr('Gate'))}</th><th>{escape(tr('Met / not met'))}</th>"
                     f"<th>{escape(tr('Reasons'))}</th></tr>" + "".join(rows) + "</table>")
    if p.criteria:
        ex = p.experts
        head = "".join(f"<th>{escape(names.get(e, str(e)))}</th>" for e in ex)
        rows = []
        for cid, cr in p.criteria.items():
            c = rub.criterion(cid)
            s = cr.stats
            flag = f" <span class='flag'>⚑ {escape(tr('disagreement'))}</span>" if cr.disagreement else ""
            rows.append(f"<tr><td>{escape(c.label.get(lang) if c else cid)}{flag}</td><td>{_n(s.mean)}</td><td>{_n(s.median)}</td>"
                        f"<td>{_n(s.sd)}</td><td>{_n(s.low)}–{_n(s.high)}</td>"
                        + "".join(f"<td>{_n(cr.values.get(e))}</td>" for e in ex) + "</tr>")
        parts.append(f"<h3>{escape(tr('Scores per criterion'))}</h3><table><tr><th>{escape(tr('Criterion'))}</th>"
                     f"<th>{escape(tr('Mean'))}</th><th>{escape(tr('Median'))}</th><th>{escape(tr('SD'))}</th>"
                     f"<th>{escape(tr('Range'))}</th>{head}</tr>" + "".join(rows) + "</table>")
        if p.overall:
            parts.append(f"<p class='small'>{escape(tr('Overall score'))}: {_n(p.overall.mean)} "
                         f"({_n(p.overall.low)}–{_n(p.overall.high)})</p>")
        comments = [(rub.criterion(cid), e, t, ev) for cid, cr in p.criteria.items() for e, t, ev in cr.comments]
        if comments or p.overall_comments:
            parts.append(f"<h3>{escape(tr('Comments'))}</h3><ul>")
            for c, e, t, ev in comments:
                where = f" <span class='small'>[{escape(ev.get('name', ''))}]</span>" if ev else ""
                parts.append(f"<li><b>{escape(names.get(e, str(e)))}</b> · {escape(c.label.get(lang) if c else '')}: {escape(t)}{where}</li>")
            for e, t in p.overall_comments:
                parts.append(f"<li><b>{escape(names.get(e, str(e)))}</b> · {escape(tr('overall'))}: {escape(t)}</li>")
            parts.append("</ul>")
    if history:
        parts.append(f"<h3>{escape(tr('Decision history'))}</h3><ul>" + "".join(
            f"<li>{escape(h.at)} {escape(DECISION_LABELS[h.decision].get(lang))}: {escape(h.reason)}</li>" for h in history) + "</ul>")
    return "".join(parts)
