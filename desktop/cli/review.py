"""`dossier review …` (the reviewer's desk, issue #10) and `dossier notes …` (the applicant's side).
Listed in desktop.cli.MODULES.

    dossier review new FILE --title "…" [--program ID] [--reviewer NAME]
    dossier review add FILE PATHS… [--link] [--jobs N] [--json]
        exit 0: everything taken in; 1: some packages are tampered or unreadable (recorded; also a
        resubmission delta whose basis is not in the review yet — it waits, and is linked when it arrives);
        2: something was refused (each on stderr; the rest was taken in) or an error (nothing changed)
    dossier review list FILE [--json]
    dossier review show FILE --package ID [--json]          verdict, signer, checks, history, notes, changes
    dossier review table FILE [--out x.xlsx] [--sort COL[:desc]] [--filter TEXT] [--current] [--json]
    dossier review state FILE --package ID [--set STATE --reason "…"] [--json]
    dossier review note FILE --package ID --text "…" [--indicator ID] [--evidence NAME]
    dossier review note FILE --edit NOTE --text "…" | --delete NOTE
    dossier review notes FILE --package ID --out NOTES [--sign] [--message "…"] [--reviewer NAME]
    dossier review trust FILE [--add CERT | --fingerprint HEX] [--label L] [--remove HEX] [--json]
    dossier review open FILE --package ID                    writes the read-only project; prints its path

    dossier notes import PROJECT NOTES [--json]
    dossier notes list PROJECT [--json]
    dossier notes reply PROJECT NOTE --text "…" [--open]     (marks the note resolved unless --open)
"""

from __future__ import annotations

import sys

from ..values import plural
from .common import command, emit_json, lang, out, parsers, progress, warn


def _open(path: str, readonly: bool = False):
    from ..review import Review

    return Review.open(path, readonly=readonly)


def _L(label) -> str:
    return label.get(lang())


def _progress():
    return progress()


def _verdict_text(rv, rec, trusted) -> str:
    from ..review import VERDICT_LABELS

    v = rv.verdict(rec, trusted)
    extra = [_L(VERDICT_LABELS[f]) for f in v.flags[1:]]
    s = _L(v.label) + (f" ({', '.join(extra)})" if extra else "")
    if rec.duplicate_of:
        s += f" → #{rec.duplicate_of}"
    elif rec.superseded_by:
        s += f" → #{rec.superseded_by}"
    link = _basis_text(rec)
    return s + (f" · {link}" if link else "")


def _basis_text(rec) -> str:
    """'delta of <package id> (#n)' for a package received as a resubmission delta ('' otherwise)."""
    b = rec.basis
    if not b:
        return ""
    what = b.get("package_id") or f"sha256:{(b.get('content_digest') or '?')[:16]}…"
    zh = lang() == "zh"
    n = b.get("package")
    if b.get("state") == "linked":
        return f"增量包，基础包 {what}（#{n}）" if zh else f"delta of {what} (#{n})"
    if b.get("state") == "waiting":
        return (f"增量包，基础包 {what} 不在本评审文件中，请添加" if zh
                else f"delta of {what} (basis not in this review: add it)")
    why = {"wrong_basis": ("不是其基础包", "is not its basis"), "basis_damaged": ("内容与增量包记录不符", "differs from what it records"),
           "basis_unreadable": ("无法读取", "cannot be read")}.get(b.get("state"), ("?", "?"))
    return f"增量包，基础包 {what}：#{n} {why[0]}" if zh else f"delta of {what}: #{n} {why[1]}"


@command("review")
def cmd_review(a) -> int:
    return _SUB[a.review_cmd](a)


def _new(a) -> int:
    from ..review import Review

    if a.program:
        from ..programs import find_program

        find_program(a.program)  # unknown → clear error before anything is written
    with Review.create(a.file, a.title, a.program or "") as rv:
        if a.reviewer:
            rv.set_meta("reviewer", a.reviewer)
        if a.json:
            emit_json({"file": str(rv.path), "uuid": rv.uuid, "title": rv.title, "program": rv.program_id})
        else:
            out(str(rv.path))
    return 0


def _add(a) -> int:
    from ..review import add_packages

    L = lang()
    task = None if a.json else _progress()
    with _open(a.file) as rv:
        try:
            res = add_packages(rv, a.paths, link=a.link, task=task, workers=a.jobs)
        finally:
            if task is not None:
                sys.stderr.write("\r" + " " * 70 + "\r")
        trusted = rv.trusted()
        for r in res.refused:
            sys.stderr.write(("已拒绝：" if L == "zh" else "refused: ") + r.text(L) + "\n")
        if a.json:
            emit_json({**res.to_dict(), "packages": [{**p.to_dict(), **rv.verdict(p, trusted).to_dict()}
                                                     for p in res.added + res.resolved]})
        else:
            for p in res.added + res.resolved:
                out(f"#{p.id}\t{_verdict_text(rv, p, trusted)}\t{p.applicant or '-'}\t{p.sealed_at or '-'}\t{p.source_path}")
    if res.refused:
        return 2
    return 1 if any(p.status in ("tampered", "unreadable") for p in res.added + res.resolved) else 0


def _list(a) -> int:
    from ..review import STATE_LABELS

    with _open(a.file, readonly=True) as rv:
        trusted = rv.trusted()
        recs = rv.packages()
        if a.json:
            emit_json({"file": str(rv.path), "title": rv.title, "program": rv.program_id, "uuid": rv.uuid,
                       "packages": [{**p.to_dict(), **rv.verdict(p, trusted).to_dict()} for p in recs]})
            return 0
        for p in recs:
            out(f"#{p.id}\t{_verdict_text(rv, p, trusted)}\t{_L(STATE_LABELS[p.state])}\t{p.applicant or p.source_name}"
                f"\t{p.program_id or '-'}\t{p.sealed_at or '-'}\t{p.signer or '-'}")
    return 0


def _show(a) -> int:
    from ..review import STATE_LABELS
    from ..review.diff import compare

    L = lang()
    with _open(a.file, readonly=True) as rv:
        rec = rv.package(a.package)
        trusted = rv.trusted()
        v = rv.verdict(rec, trusted)
        prev = rv.package(rec.previous) if rec.previous else None
        changes = compare(prev.answers or {}, rec.answers or {}) if prev and prev.answers and rec.answers else []
        if a.json:
            emit_json({**rec.to_dict(full=False), **v.to_dict(), "verify": rec.verdict, "recheck": rec.recheck,
                       "events": [e.to_dict() for e in rv.events(rec.id)], "notes": [n.to_dict() for n in rv.notes(rec.id)],
                       "changes_since_previous": [c.to_dict() for c in changes]})
            return 0
        out(f"#{rec.id}  {rec.applicant or rec.source_name}")
        out(f"  verdict:        {_verdict_text(rv, rec, trusted)}")
        out(f"  state:          {_L(STATE_LABELS[rec.state])} ({rec.state_at})")
        out(f"  program:        {rec.program_id} {rec.program_version}")
        out(f"  sealed at:      {rec.sealed_at}" + ("  (DRAFT)" if rec.draft else ""))
        out(f"  signature:      {v.signature}" + (f" — {rec.signer} ({rec.signer_fingerprint})" if rec.signer else ""))
        out(f"  content digest: sha256:{rec.content_digest}")
        # a linked package taken in since review file v3 has no plain SHA-256 (never computed)
        out(f"  file:           {rec.source_path} ({rec.storage}" + (f", sha256:{rec.file_sha256})" if rec.file_sha256 else ")"))
        if rec.fingerprint:
            out(f"  fingerprint:    {rec.fingerprint}")
        if rec.basis:
            d = rec.basis.get("delta") or {}
            out(f"  basis:          {_basis_text(rec)}; received as {d.get('name', '?')} ({d.get('size', '?')} bytes, "
                f"sha256:{d.get('sha256', '?')})" + ("; stored rebuilt against its basis" if rec.basis.get("state") == "linked" else ""))
        for e in (rec.verdict or {}).get("errors") or []:
            out(f"  error:          {e}")
        for f in (rec.verdict or {}).get("findings") or []:
            out(f"  {f.get('kind', ''):<9} {f.get('path', '')}  {f.get('detail', '')}")
        rc = rec.recheck or {}
        if rc:
            if not rc.get("available"):
                out(f"  recomputed:     {(rc.get('reason') or {}).get(L, '')}")
            else:
                c, n = rc["claimed"], rc["recomputed"]
                out(f"  recomputed:     completeness {c.get('completeness')}% claimed, {n['completeness']}% recomputed; "
                    f"blocking {c.get('blocking')} claimed, {n['blocking']} recomputed")
                for f in rc.get("findings") or []:
                    out(f"    ! {f.get(L) or f.get('en')}")
                for p in rc.get("missing") or []:
                    out(f"    + {p.get('severity')}\t{p.get('indicator') or '-'}\t{p.get('path') or '-'}\t{p['message'].get(L)}")
                for p in rc.get("extra") or []:
                    out(f"    - {p.get('severity')}\t{p.get('indicator') or '-'}\t{p.get('path') or '-'}\t{p['message'].get(L)}")
        if prev:
            out(f"  previous:       #{prev.id} sealed {prev.sealed_at}; changed since:")
            for c in changes:
                for x in c.answers:
                    out(f"    {c.indicator}\tanswer\t{x['path']}")
                for x in c.evidence_added:
                    out(f"    {c.indicator}\t+evidence\t{x['name']}")
                for x in c.evidence_removed:
                    out(f"    {c.indicator}\t-evidence\t{x['name']}")
            if not changes:
                out("    (nothing)")
        for n in rv.notes(rec.id):
            where = n.indicator_id or "-"
            if n.evidence_name:
                where += f" [{n.evidence_name}]"
            out(f"  note {n.id}:  {where}\t{n.text}" + ("" if n.notes_file is None else "  (sent)"))
        for e in rv.events(rec.id):
            out(f"  {e.at}  {e.event}\t{e.old or ''} → {e.new or ''}" + (f"\t{e.reason}" if e.reason else ""))
    return 0


def _table(a) -> int:
    from ..review.table import comparison, write_xlsx

    with _open(a.file, readonly=True) as rv:
        t = comparison(rv, lang=lang() if not a.lang else a.lang, current_only=a.current)
        title = rv.title
    order = t.matching(a.filter or "")
    if a.sort:
        key, _, direction = a.sort.partition(":")
        try:
            col = t.column_index(key)
        except KeyError:
            from ..review import ReviewError

            raise ReviewError(f"No column {key!r}; columns: {', '.join(c.key for c in t.columns)}",
                              f"没有列 {key!r}；可用列：{', '.join(c.key for c in t.columns)}", key="review.no_column") from None
        keep = set(order)
        order = [i for i in t.sort_order(col, direction.lower().startswith("d")) if i in keep]
    if a.out:
        from ..review.table import ComparisonTable

        sub = ComparisonTable(t.columns, [t.rows[i] for i in order], [t.ids[i] for i in order], t.program,
                              [t.texts[i] for i in order], t.lang)
        p = write_xlsx(sub, a.out, title=title)
        out(str(p))
        return 0
    if a.json:
        emit_json({"columns": [{"key": c.key, "label": c.label.to_dict(), "kind": c.kind} for c in t.columns],
                   "rows": [dict(zip((c.key for c in t.columns), t.rows[i])) for i in order]})
        return 0
    out("\t".join(c.label.get(t.lang) for c in t.columns))
    for i in order:
        out("\t".join(t.texts[i]))
    return 0


def _state(a) -> int:
    from ..review import STATE_LABELS

    if a.set:
        with _open(a.file) as rv:
            rec = rv.set_state(a.package, a.set, a.reason or "")
    with _open(a.file, readonly=True) as rv:
        rec = rv.package(a.package)
        evs = [e for e in rv.events(rec.id) if e.event in ("state", "intake", "notes")]
        if a.json:
            emit_json({"package": rec.id, "state": rec.state, "state_at": rec.state_at, "history": [e.to_dict() for e in evs]})
            return 0
        out(f"#{rec.id}\t{_L(STATE_LABELS[rec.state])}\t{rec.state_at}")
        for e in evs:
            out(f"  {e.at}\t{e.event}\t{e.old or ''} → {e.new or ''}" + (f"\t{e.reason}" if e.reason else ""))
    return 0


def _note(a) -> int:
    with _open(a.file) as rv:
        if a.delete:
            rv.delete_note(a.delete)
            return 0
        if a.edit:
            n = rv.edit_note(a.edit, a.text or "")
        else:
            if a.package is None:
                from ..review import ReviewError

                raise ReviewError("Give --package ID (or --edit / --delete NOTE)", "请指定 --package（或 --edit / --delete）",
                                  key="review.usage")
            n = rv.add_note(a.package, a.text or "", indicator=a.indicator, evidence=a.evidence,
                            author=rv.meta().get("reviewer", ""))
    if a.json:
        emit_json(n.to_dict())
    else:
        out(n.id)
    return 0


def _notes(a) -> int:
    from ..review.returns import issue_notes

    sealer = None
    if a.sign:
        from .seal import _get_sealer

        sealer = _get_sealer()
    with _open(a.file) as rv:
        res = issue_notes(rv, a.package, a.out, sealer=sealer, reviewer=a.reviewer, message=a.message or "")
    if a.json:
        emit_json(res.to_dict())
    else:
        out(str(res.path))
        out(f"{plural(res.items, 'note', 'notes')}\tsha256:{res.sha256}\t" + ("signed " + res.signer_fingerprint if res.signed else "unsigned"))
    return 0


def _trust(a) -> int:
    if a.add or a.fingerprint or a.remove:
        with _open(a.file) as rv:
            if a.remove:
                rv.remove_trust(a.remove)
            else:
                rv.add_trust(certificate=a.add, fingerprint=a.fingerprint, label=a.label or "")
    with _open(a.file, readonly=True) as rv:
        entries = rv.trust_list()
    if a.json:
        emit_json([t.to_dict() for t in entries])
    else:
        from ..identity.model import format_fingerprint

        for t in entries:
            out(f"{format_fingerprint(t.fingerprint)}\t{t.label}")
    return 0


def _open_pkg(a) -> int:
    from ..review.reader import materialize

    with _open(a.file, readonly=True) as rv:
        p = materialize(rv, a.package)
    out(str(p))
    return 0


_SUB = {"new": _new, "add": _add, "list": _list, "show": _show, "table": _table, "state": _state, "note": _note,
        "notes": _notes, "trust": _trust, "open": _open_pkg}

# the expert panel (issue #11) adds its actions to `dossier review` (desktop.cli.panel)
from .panel import REVIEW_ACTIONS, add_review_parsers  # noqa: E402

_SUB.update(REVIEW_ACTIONS)


# ---------------------------------------------------------------------------- applicant side


@command("notes")
def cmd_notes(a) -> int:
    from ..project import Project
    from ..review import applicant

    L = lang()
    if a.notes_cmd == "import":
        with Project.open(a.project) as proj:
            res = applicant.import_notes(proj, a.notes)
        for en, zh in res.warnings:
            warn(en, zh)
        if a.json:
            emit_json(res.to_dict())
        elif res.already:
            out(("这些评审意见已导入过，未做修改" if L == "zh" else "these notes were imported before: nothing changed"))
        else:
            out((f"已导入 {res.added} 条评审意见" if L == "zh" else f"imported {plural(res.added, 'reviewer note', 'reviewer notes')}")
                + (f" — {res.signer} ({res.fingerprint})" if res.signed else ""))
        return 0
    if a.notes_cmd == "list":
        with Project.open(a.project, readonly=True) as proj:
            notes = applicant.project_notes(proj)
        if a.json:
            emit_json([n.to_dict() for n in notes])
            return 0
        for n in notes:
            where = n.indicator_id or "-"
            if n.evidence_name:
                where += f" [{n.evidence_name}]"
            out(f"{n.id.split(':', 1)[-1]}\t{n.state}\t{where}\t{n.text}" + (f"\t→ {n.reply}" if n.reply else ""))
        return 0
    with Project.open(a.project) as proj:
        n = applicant.reply(proj, a.note, a.text or "", resolved=not a.open)
    if a.json:
        emit_json(n.to_dict())
    else:
        out(f"{n.id.split(':', 1)[-1]}\t{n.state}")
    return 0


@parsers
def _parsers(sub) -> None:
    r = sub.add_parser("review", help="the reviewer's desk: take in packages, compare them, return them for revision")
    rs = r.add_subparsers(dest="review_cmd", metavar="ACTION", required=True)

    s = rs.add_parser("new", help="create a review file")
    s.add_argument("file")
    s.add_argument("--title", required=True)
    s.add_argument("--program", default=None, help="only packages for this program belong here (others: wrong program)")
    s.add_argument("--reviewer", default=None, help="your name or office, as it appears on review notes")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("add", help="take in packages: files, folders, a USB stick or CD (recursive)")
    s.add_argument("file")
    s.add_argument("paths", nargs="+")
    s.add_argument("--link", action="store_true", help="keep references to the packages on disk instead of copying them in")
    s.add_argument("--jobs", type=int, default=None,
                   help="packages laid out again at once (default: one per core, at most 4); two more are read ahead")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("list", help="the packages with their verdict and state")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("show", help="one package: verdict, signer, recomputed checks, changes since, notes, history")
    s.add_argument("file")
    s.add_argument("--package", required=True)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("table", help="the comparison table (XLSX with --out)")
    s.add_argument("file")
    s.add_argument("--out", default=None)
    s.add_argument("--sort", default=None, metavar="COL[:desc]")
    s.add_argument("--filter", default=None, metavar="TEXT")
    s.add_argument("--current", action="store_true", help="leave out duplicates and superseded packages")
    s.add_argument("--lang", choices=["zh", "en"], default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("state", help="show or change a package's review state (with a reason)")
    s.add_argument("file")
    s.add_argument("--package", required=True)
    s.add_argument("--set", default=None, choices=["received", "in_review", "returned", "accepted", "not_accepted"])
    s.add_argument("--reason", default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("note", help="write, edit or delete a note on a package (per indicator or evidence file)")
    s.add_argument("file")
    s.add_argument("--package", default=None)
    s.add_argument("--indicator", default=None)
    s.add_argument("--evidence", default=None, help="the evidence file's name (or its path in the package)")
    s.add_argument("--text", default=None)
    g = s.add_mutually_exclusive_group()
    g.add_argument("--edit", metavar="NOTE", default=None)
    g.add_argument("--delete", metavar="NOTE", default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("notes", help="return a package for revision: write its review notes file")
    s.add_argument("file")
    s.add_argument("--package", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--sign", action="store_true", help="sign with your institution identity")
    s.add_argument("--message", default=None, help="a covering message for the applicant")
    s.add_argument("--reviewer", default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("trust", help="the trust list: signing identities whose packages count as trusted")
    s.add_argument("file")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--add", metavar="CERT_FILE", default=None)
    g.add_argument("--fingerprint", metavar="HEX", default=None)
    g.add_argument("--remove", metavar="HEX", default=None)
    s.add_argument("--label", default=None)
    s.add_argument("--json", action="store_true")

    s = rs.add_parser("open", help="build the read-only project of a package and print its path")
    s.add_argument("file")
    s.add_argument("--package", required=True)
    add_review_parsers(rs)  # the expert panel's actions (desktop.cli.panel)

    n = sub.add_parser("notes", help="reviewer notes in your project: import, list, reply")
    ns = n.add_subparsers(dest="notes_cmd", metavar="ACTION", required=True)
    s = ns.add_parser("import", help="import a review notes file into the project")
    s.add_argument("project")
    s.add_argument("notes")
    s.add_argument("--json", action="store_true")
    s = ns.add_parser("list", help="the reviewer notes in the project")
    s.add_argument("project")
    s.add_argument("--json", action="store_true")
    s = ns.add_parser("reply", help="reply to a note and mark it resolved")
    s.add_argument("project")
    s.add_argument("note")
    s.add_argument("--text", default=None)
    s.add_argument("--open", action="store_true", help="reply but keep the note open")
    s.add_argument("--json", action="store_true")
