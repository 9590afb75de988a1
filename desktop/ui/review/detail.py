"""The desk's detail pane for one package: verdict and signer, what verify found, the recomputed
checks, its links (duplicate, superseded, previous submission and what changed since), notes and
history — as HTML for a QTextBrowser."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from ...identity.model import format_fingerprint
from ...review import STATE_LABELS, VERDICT_LABELS
from ..i18n import lang
from .models import VERDICT_COLORS


def _e(s) -> str:
    return html.escape(str(s if s is not None else ""))


def _verdict_sentence(key: str) -> str:
    return {
        "intact": QCoreApplication.translate("PackageDetail", "The package is exactly as it was sealed, and signed by a trusted identity."),
        "unsigned": QCoreApplication.translate("PackageDetail", "The contents are intact, but the package is not signed: anyone could have sealed it."),
        "untrusted": QCoreApplication.translate("PackageDetail", "The contents are intact and signed, but the signer is not in this review's trust list. "
                        "Check the fingerprint with the institution, then trust it (Review → Trusted signers)."),
        "tampered": QCoreApplication.translate("PackageDetail", "The package was changed after it was sealed. Do not rely on it; ask for a new copy."),
        "unreadable": QCoreApplication.translate("PackageDetail", "The package cannot be read (a copy cut short?). Ask for a new copy."),
        "duplicate": QCoreApplication.translate("PackageDetail", "The same package was taken in before."),
        "superseded": QCoreApplication.translate("PackageDetail", "A newer package from the same applicant has arrived; this one is kept for the record."),
        "wrong_program": QCoreApplication.translate("PackageDetail", "This package is for another program than the review."),
        "awaiting_basis": QCoreApplication.translate("PackageDetail", "This is a resubmission delta: it holds only what changed "
                                                     "since an earlier package, which is not in this review. Add that earlier "
                                                     "package; the delta is then rebuilt, checked and linked to it."),
    }[key]


def _h3(text: str) -> str:
    return f"<h3>{_e(text)}</h3>"


def _p(text: str, color: str = "") -> str:
    style = f" style='color:{color}'" if color else ""
    return f"<p{style}>{_e(text)}</p>"


def _ul(items, color: str = "") -> str:
    style = f" style='color:{color}'" if color else ""
    return "<ul>" + "".join(f"<li{style}>{_e(i)}</li>" for i in items) + "</ul>"


def package_html(rec, verdict, *, previous=None, changes=None, notes=(), events=(), program=None) -> str:
    L = lang()
    color = VERDICT_COLORS.get(verdict.key, "#202124")
    out = [f"<h2 style='margin:0'>#{rec.id} {_e(rec.applicant or rec.source_name)}</h2>",
           f"<p style='color:{color};font-size:13pt;font-weight:600;margin:6px 0'>"
           f"{_e(VERDICT_LABELS[verdict.key].get(L))}</p>",
           _p(_verdict_sentence(verdict.key))]
    more = [VERDICT_LABELS[f].get(L) for f in verdict.flags[1:]]
    if more:
        out.append(_p(QCoreApplication.translate("PackageDetail", "Also: {verdicts}").format(verdicts="; ".join(more))))
    sealed = (rec.sealed_at or "").replace("T", " ")
    if rec.draft:
        sealed += " " + QCoreApplication.translate("PackageDetail", "(DRAFT)")
    rows = [
        (QCoreApplication.translate("PackageDetail", "Review state"),
         f"{STATE_LABELS[rec.state].get(L)} ({rec.state_at.replace('T', ' ')[:16]})"),
        (QCoreApplication.translate("PackageDetail", "Program"), f"{rec.program_id} {rec.program_version}".strip()),
        (QCoreApplication.translate("PackageDetail", "Sealed at"), sealed),
        (QCoreApplication.translate("PackageDetail", "Signature"), _signature_text(rec, verdict)),
        (QCoreApplication.translate("PackageDetail", "Content digest"),
         f"sha256:{rec.content_digest}" if rec.content_digest else ""),
        (QCoreApplication.translate("PackageDetail", "File"), f"{rec.source_path} ({_storage_text(rec.storage)})"),
        (QCoreApplication.translate("PackageDetail", "Delta"), _basis_text(rec)),
    ]
    if rec.signer_fingerprint:
        rows.insert(4, (QCoreApplication.translate("PackageDetail", "Fingerprint"),
                        format_fingerprint(rec.signer_fingerprint)))
    out.append("<table cellspacing='0' cellpadding='3'>" + "".join(
        f"<tr><td style='color:#5f6368'>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in rows if v) + "</table>")

    ver = rec.verdict or {}
    problems = [f"{f.get('kind', '')} {f.get('path', '')} {f.get('detail', '')}" for f in ver.get("findings") or []]
    problems += [f"{c.get('name')}: {c.get('detail')}" for c in ver.get("checks") or [] if not c.get("ok")]
    problems += list(ver.get("errors") or [])
    if problems:
        out.append(_h3(QCoreApplication.translate("PackageDetail", "What verify found")))
        out.append(_ul(problems[:50]))

    rc = rec.recheck or {}
    if rc:
        out.append(_h3(QCoreApplication.translate("PackageDetail", "Checks recomputed here")))
        if not rc.get("available"):
            out.append(_p((rc.get("reason") or {}).get(L, "")))
        else:
            c, n = rc["claimed"], rc["recomputed"]
            out.append(_p(QCoreApplication.translate(
                "PackageDetail", "Completeness: {a}% claimed, {b}% recomputed. Blocking problems: {c} claimed, {d} "
                "recomputed.").format(a=c.get("completeness"), b=n["completeness"], c=c.get("blocking"), d=n["blocking"])))
            if rc.get("differs"):
                out.append(_ul([f.get(L) or f.get("en") for f in rc.get("findings") or []], "#c5221f"))
                lines = [f"+ {_indicator(program, p.get('indicator'))}: {p['message'].get(L)}"
                         for p in (rc.get("missing") or [])[:30]]
                lines += [f"− {_indicator(program, p.get('indicator'))}: {p['message'].get(L)}"
                          for p in (rc.get("extra") or [])[:30]]
                out += [_p(x) for x in lines]
            else:
                out.append(_p(QCoreApplication.translate("PackageDetail", "The recomputed checks agree with what the "
                                                                          "package says."), "#1e8e3e"))

    if previous is not None:
        out.append(_h3(QCoreApplication.translate("PackageDetail", "Changed since the previous submission")))
        out.append(_p(QCoreApplication.translate("PackageDetail", "Previous: package {id}, sealed {when}.").format(
            id=previous.id, when=previous.sealed_at.replace("T", " "))))
        if not changes:
            out.append(_p(QCoreApplication.translate("PackageDetail", "Nothing changed.")))
        for ch in changes or []:
            items = [QCoreApplication.translate("PackageDetail", "answer {field}").format(field=_field(program, x["path"]))
                     for x in ch.answers]
            items += [QCoreApplication.translate("PackageDetail", "file added: {name}").format(name=x["name"])
                      for x in ch.evidence_added]
            items += [QCoreApplication.translate("PackageDetail", "file removed: {name}").format(name=x["name"])
                      for x in ch.evidence_removed]
            out.append(f"<p><b>{_e(_indicator(program, ch.indicator))}</b><br>" + "<br>".join(map(_e, items)) + "</p>")

    if notes:
        out.append(_h3(QCoreApplication.translate("PackageDetail", "Notes")))
        lines = []
        for n in notes:
            where = _indicator(program, n.indicator_id)
            if n.evidence_name:
                where += f" — {n.evidence_name}"
            sent = (QCoreApplication.translate("PackageDetail", "sent") if n.notes_file
                    else QCoreApplication.translate("PackageDetail", "not sent yet"))
            lines.append(f"{where} ({sent}): {n.text}")
        out.append(_ul(lines))
    if events:
        out.append(_h3(QCoreApplication.translate("PackageDetail", "History")))
        out.append(_ul([f"{ev.at.replace('T', ' ')[:16]} — {_event_text(ev)}" for ev in events]))
    return "".join(out)


def _basis_text(rec) -> str:
    """How a package received as a resubmission delta is linked to its basis ('' for other packages)."""
    b = rec.basis
    if not b:
        return ""
    what = b.get("package_id") or f"sha256:{(b.get('content_digest') or '?')[:16]}…"
    n = b.get("package")
    state = b.get("state")
    if state == "linked":
        return QCoreApplication.translate("PackageDetail", "received as a delta of package {pkg}; rebuilt against package "
                                          "#{id} and stored whole").format(pkg=what, id=n)
    if state == "waiting":
        return QCoreApplication.translate("PackageDetail", "a delta of package {pkg}, which is not in this review: add it").format(pkg=what)
    if state == "wrong_basis":
        return QCoreApplication.translate("PackageDetail", "a delta of package {pkg}; package #{id} has its id but is not "
                                          "its basis").format(pkg=what, id=n)
    if state == "basis_damaged":
        return QCoreApplication.translate("PackageDetail", "a delta of package {pkg}; the bytes of package #{id} differ from "
                                          "what the delta records").format(pkg=what, id=n)
    return QCoreApplication.translate("PackageDetail", "a delta of package {pkg}; package #{id} cannot be read").format(pkg=what, id=n)


def _storage_text(storage: str) -> str:
    return {"stored": QCoreApplication.translate("PackageDetail", "copied into the review file"), "linked": QCoreApplication.translate("PackageDetail", "linked, not copied"),
            "none": QCoreApplication.translate("PackageDetail", "no copy kept")}.get(storage, storage)


def _signature_text(rec, verdict) -> str:
    if verdict.signature == "trusted":
        return QCoreApplication.translate("PackageDetail", "signed by {name} (trusted)").format(name=rec.signer)
    if verdict.signature == "untrusted":
        return QCoreApplication.translate("PackageDetail", "signed by {name} — not in the trust list").format(name=rec.signer)
    if verdict.signature == "invalid":
        return QCoreApplication.translate("PackageDetail", "a signature that does not verify")
    if verdict.signature == "not_checked":
        return QCoreApplication.translate("PackageDetail", "signature not checked in this build")
    return QCoreApplication.translate("PackageDetail", "not signed")


def _indicator(program, iid) -> str:
    if not iid:
        return QCoreApplication.translate("PackageDetail", "the whole application")
    if program is not None:
        ind = program.indicator(iid)
        if ind is not None:
            return f"{iid} {ind.title.get(lang())}"
    return str(iid)


def _field(program, path: str) -> str:
    if program is not None:
        f = program.field(path)
        if f is not None:
            return f.label.get(lang())
    return path


def _event_text(ev) -> str:
    L = lang()
    if ev.event == "intake":
        return QCoreApplication.translate("PackageDetail", "taken in from {source}").format(source=(ev.new or {}).get("source", ""))
    if ev.event == "state":
        old = STATE_LABELS.get(ev.old).get(L) if ev.old in STATE_LABELS else ev.old
        new = STATE_LABELS.get(ev.new).get(L) if ev.new in STATE_LABELS else ev.new
        return f"{old} → {new}" + (f": {ev.reason}" if ev.reason else "")
    if ev.event == "superseded":
        return QCoreApplication.translate("PackageDetail", "superseded by package {id}").format(id=ev.new) if ev.new else QCoreApplication.translate("PackageDetail", "current again")
    if ev.event == "linked":
        new = ev.new or {}
        if new.get("failed"):
            return QCoreApplication.translate("PackageDetail", "not rebuilt against package {id}: {reason}").format(
                id=new.get("basis"), reason=new.get("reason", ""))
        return QCoreApplication.translate("PackageDetail", "rebuilt from the delta {file} against package {id}").format(
            file=new.get("delta", ""), id=new.get("basis"))
    if ev.event == "notes":
        return QCoreApplication.translate("PackageDetail", "review notes written: {file}").format(file=(ev.new or {}).get("file", ""))
    return ev.event
