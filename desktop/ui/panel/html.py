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
from ..i18n import lang as ui_lang

_WORDS: dict[str, dict[str, str]] = {}


def _words() -> dict[str, str]:
    """The fixed words in the UI language (computed once per language: the views are rebuilt on
    every package switch)."""
    L = ui_lang()
    if L not in _WORDS:
        _WORDS[L] = _translate()
    return _WORDS[L]


def _translate() -> dict[str, str]:
    """The fixed words, translated (literal calls, so lupdate finds them)."""
    return {
        '(not answered)': QCoreApplication.translate("PanelHtml", "(not answered)"),
        'Comments': QCoreApplication.translate("PanelHtml", "Comments"),
        'Criterion': QCoreApplication.translate("PanelHtml", "Criterion"),
        'Decision': QCoreApplication.translate("PanelHtml", "Decision"),
        'Decision history': QCoreApplication.translate("PanelHtml", "Decision history"),
        'Evidence': QCoreApplication.translate("PanelHtml", "Evidence"),
        'Gate': QCoreApplication.translate("PanelHtml", "Gate"),
        'Gates': QCoreApplication.translate("PanelHtml", "Gates"),
        'Mean': QCoreApplication.translate("PanelHtml", "Mean"),
        'Median': QCoreApplication.translate("PanelHtml", "Median"),
        'Met / not met': QCoreApplication.translate("PanelHtml", "Met / not met"),
        'No expert has scored this package yet.': QCoreApplication.translate("PanelHtml", "No expert has scored this package yet."),
        'Nothing was entered here.': QCoreApplication.translate("PanelHtml", "Nothing was entered here."),
        'Overall score': QCoreApplication.translate("PanelHtml", "Overall score"),
        'Range': QCoreApplication.translate("PanelHtml", "Range"),
        'Rank': QCoreApplication.translate("PanelHtml", "Rank"),
        'Reasons': QCoreApplication.translate("PanelHtml", "Reasons"),
        'Recused': QCoreApplication.translate("PanelHtml", "Recused"),
        'SD': QCoreApplication.translate("PanelHtml", "SD"),
        'Score': QCoreApplication.translate("PanelHtml", "Score"),
        'Scores per criterion': QCoreApplication.translate("PanelHtml", "Scores per criterion"),
        'This indicator is not in the definition.': QCoreApplication.translate("PanelHtml", "This indicator is not in the definition."),
        'Totals per expert': QCoreApplication.translate("PanelHtml", "Totals per expert"),
        'disagreement': QCoreApplication.translate("PanelHtml", "disagreement"),
        'overall': QCoreApplication.translate("PanelHtml", "overall"),
        '… and {n} more rows': QCoreApplication.translate("PanelHtml", "… and {n} more rows"),
    }


CSS = ("<style>h3{margin:10px 0 2px 0;color:#1D4E89} .official{color:#3E4C59;margin:2px 0 6px 0;"
       "padding-left:6px;border-left:3px solid #9AA5B1} table{border-collapse:collapse} td,th{padding:2px 6px;"
       "vertical-align:top} th{background:#EEF2F7;text-align:left} .k{color:#616E7C} .none{color:#9AA5B1}"
       " .flag{color:#B42318} .ok{color:#027A48} .small{color:#616E7C;font-size:small}</style>")


def _value_html(field, value, lang: str) -> str:
    W = _words()
    if value is None or value == "" or value == []:
        return f"<span class='none'>{escape(W['(not answered)'])}</span>"
    if field.type == "table" and isinstance(value, list):
        cols = field.columns
        head = "".join(f"<th>{escape(c.label.get(lang))}</th>" for c in cols)
        rows = "".join("<tr>" + "".join(f"<td>{escape(display(c, (r or {}).get(c.id), lang))}</td>" for c in cols) + "</tr>"
                       for r in value[:200])
        more = f"<p class='small'>{escape(W['… and {n} more rows'].format(n=len(value) - 200))}</p>" if len(value) > 200 else ""
        return f"<table border='1' cellspacing='0'><tr>{head}</tr>{rows}</table>{more}"
    text = display(field, value, lang)
    return escape(text).replace("\n", "<br>")


def indicators_html(program, doc: dict[str, Any], indicator_ids, lang: str, *, heading: str = "",
                    focus: str = "", link_evidence: bool = True) -> str:
    """The applicant's indicators `indicator_ids` as submitted: official text, answers, evidence.
    Evidence names link to `evidence:<n>` (the index in the package's evidence list)."""
    W = _words()
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
            parts.append(f"<h3>{escape(iid)}</h3><p class='none'>{escape(W['This indicator is not in the definition.'])}</p>")
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
            parts.append(f"<p class='none'>{escape(W['Nothing was entered here.'])}</p>")
        files = [(n, e) for n, e in enumerate(evidence) if e.get("indicator") == iid]
        if files:
            items = []
            for n, e in files:
                name = escape(e.get("name", ""))
                size = int(e.get("size") or 0)
                label = f"<a href='evidence:{n}'>{name}</a>" if link_evidence else name
                items.append(f"<li>{label} <span class='small'>({_size(size)}, SHA-256 {escape(str(e.get('sha256', ''))[:12])}…)"
                             + (f" — {escape(e.get('note') or '')}" if e.get("note") else "") + "</span></li>")
            parts.append(f"<p class='k'>{escape(W['Evidence'])}</p><ul>" + "".join(items) + "</ul>")
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
    W = _words()
    C = "：" if lang == "zh" else ": "
    from ...panel.decisions import DECISION_LABELS

    rub = results.rubric
    names = results.experts
    parts = [CSS, f"<h2>#{p.package} {escape(rec.applicant or rec.source_name)}</h2>"]
    dec = DECISION_LABELS[decision.decision if decision else ""].get(lang)
    parts.append(f"<p>{escape(W['Rank'])}{C}<b>{escape(p.rank_text or '—')}</b> · {escape(W['Score'])}{C}<b>{_n(p.score)}</b>"
                 f" · {escape(W['Decision'])}{C}<b>{escape(dec)}</b>"
                 + (f" — {escape(decision.reason)}" if decision else "") + "</p>")
    if p.totals:
        parts.append("<p class='small'>" + escape(W['Totals per expert']) + C + ", ".join(
            f"{escape(names.get(e, str(e)))} {_n(t)}" for e, t in p.totals.items()) + "</p>")
    if p.recused:
        parts.append("<p class='small'>" + escape(W['Recused']) + C + "; ".join(
            f"{escape(names.get(e, str(e)))} ({escape(why)})" for e, why in p.recused) + "</p>")
    if p.group == "unscored":
        parts.append(f"<p class='none'>{escape(W['No expert has scored this package yet.'])}</p>")
    if p.gates:
        rows = []
        for g in p.gates.values():
            gate = rub.gate(g.id)
            cls = "flag" if g.failed else "ok"
            reasons = "<br>".join(f"{escape(names.get(e, str(e)))}{C}{escape(r)}" for e, r in g.reasons)
            rows.append(f"<tr><td>{escape(gate.label.get(lang) if gate else g.id)}</td><td class='{cls}'>{g.met} / {g.not_met}</td>"
                        f"<td>{reasons}</td></tr>")
        parts.append(f"<h3>{escape(W['Gates'])}</h3><table><tr><th>{escape(W['Gate'])}</th><th>{escape(W['Met / not met'])}</th>"
                     f"<th>{escape(W['Reasons'])}</th></tr>" + "".join(rows) + "</table>")
    if p.criteria:
        ex = p.experts
        head = "".join(f"<th>{escape(names.get(e, str(e)))}</th>" for e in ex)
        rows = []
        for cid, cr in p.criteria.items():
            c = rub.criterion(cid)
            s = cr.stats
            flag = f" <span class='flag'>⚑ {escape(W['disagreement'])}</span>" if cr.disagreement else ""
            rows.append(f"<tr><td>{escape(c.label.get(lang) if c else cid)}{flag}</td><td>{_n(s.mean)}</td><td>{_n(s.median)}</td>"
                        f"<td>{_n(s.sd)}</td><td>{_n(s.low)}–{_n(s.high)}</td>"
                        + "".join(f"<td>{_n(cr.values.get(e))}</td>" for e in ex) + "</tr>")
        parts.append(f"<h3>{escape(W['Scores per criterion'])}</h3><table><tr><th>{escape(W['Criterion'])}</th>"
                     f"<th>{escape(W['Mean'])}</th><th>{escape(W['Median'])}</th><th>{escape(W['SD'])}</th>"
                     f"<th>{escape(W['Range'])}</th>{head}</tr>" + "".join(rows) + "</table>")
        if p.overall:
            parts.append(f"<p class='small'>{escape(W['Overall score'])}{C}{_n(p.overall.mean)} "
                         f"({_n(p.overall.low)}–{_n(p.overall.high)})</p>")
        comments = [(rub.criterion(cid), e, t, ev) for cid, cr in p.criteria.items() for e, t, ev in cr.comments]
        if comments or p.overall_comments:
            parts.append(f"<h3>{escape(W['Comments'])}</h3><ul>")
            for c, e, t, ev in comments:
                where = f" <span class='small'>[{escape(ev.get('name', ''))}]</span>" if ev else ""
                parts.append(f"<li><b>{escape(names.get(e, str(e)))}</b> · {escape(c.label.get(lang) if c else '')}{C}{escape(t)}{where}</li>")
            for e, t in p.overall_comments:
                parts.append(f"<li><b>{escape(names.get(e, str(e)))}</b> · {escape(W['overall'])}{C}{escape(t)}</li>")
            parts.append("</ul>")
    if history:
        parts.append(f"<h3>{escape(W['Decision history'])}</h3><ul>" + "".join(
            f"<li>{escape(h.at)} {escape(DECISION_LABELS[h.decision].get(lang))}{C}{escape(h.reason)}</li>" for h in history) + "</ul>")
    return "".join(parts)
