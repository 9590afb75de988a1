"""`data/review-response.json`: the applicant's response to review, carried by the next export.

A provider for desktop.export.extras: when the project holds reviewer notes (imported with
`dossier notes import`), the package answers the latest notes file — each note with the
applicant's reply, its state, and what changed since the reviewed package (answers whose value
differs, evidence added or removed), worked out from the hashes the notes file recorded. The PDF
shows the same document (PdfInput.extras["review_response"], rendered by desktop.export.pdf).

    {"format": "dossier-review-response", "format_version": 1, "notes_id": str, "reviewer": str,
     "reviewed_package": {"digest": str, "sealed_at": str},
     "items": [{"indicator": str|null, "evidence": str|null, "note": str, "reply": str,
                "state": "open"|"resolved",
                "changed": {"answers": [path, …], "evidence_added": [name, …], "evidence_removed": [name, …]}}]}

Everything in it is derived from the project, so an unchanged project still seals to the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "dossier-review-response"
FORMAT_VERSION = 1
PATH = "data/review-response.json"


def _indicator_of(path: str) -> str:
    return path.split("/", 1)[0]


def changes(reviewed_answers: dict[str, str], reviewed_evidence: list[dict[str, Any]], answers: dict[str, Any],
            evidence: list[tuple[str, str, str]], indicator: str | None) -> dict[str, list[str]]:
    """What changed since the reviewed package, within `indicator` (None: the whole application).
    `evidence` is the current (indicator, name, sha256) list."""
    from .notes_file import value_sha256

    now = {p: value_sha256(v) for p, v in answers.items()}
    paths = sorted(p for p in set(now) | set(reviewed_answers)
                   if now.get(p) != reviewed_answers.get(p) and (indicator is None or _indicator_of(p) == indicator))

    def scope(items):
        return [(i, n, s) for i, n, s in items if indicator is None or i == indicator]

    before = scope([(e["indicator"], e["name"], e["sha256"]) for e in reviewed_evidence])
    after = scope(evidence)
    had = {(i, s) for i, _n, s in before}
    has = {(i, s) for i, _n, s in after}
    added = sorted({n for i, n, s in after if (i, s) not in had})
    removed = sorted({n for i, n, s in before if (i, s) not in has})
    return {"answers": paths, "evidence_added": added, "evidence_removed": removed}


def build(proj, snap) -> dict[str, Any] | None:
    from .applicant import notes_files, project_notes

    files = notes_files(proj)
    if not files:
        return None
    latest = files[0]
    reviewed_answers = latest.get("answers_sha256") or {}
    reviewed_evidence = latest.get("evidence") or []
    current_ev = [(e.indicator_id, e.name, e.sha256) for e in snap.all_files]
    items = []
    for n in project_notes(proj):
        if n.notes_id != latest["notes_id"]:
            continue
        items.append({
            "indicator": n.indicator_id, "evidence": n.evidence_name, "note": n.text, "reply": n.reply,
            "state": "resolved" if n.state == "resolved" else "open",
            "changed": changes(reviewed_answers, reviewed_evidence, snap.answers, current_ev, n.indicator_id),
        })
    pkg = latest.get("reviewed_package") or {}
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "notes_id": latest["notes_id"],
            "reviewer": latest.get("reviewer") or latest.get("signer") or "",
            "reviewed_package": {"digest": pkg.get("digest", ""), "sealed_at": pkg.get("sealed_at", "")},
            "items": items}


def dumps(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def package_documents(proj, snap) -> list:
    """The extras seam (desktop.export.extras.PROVIDERS)."""
    from ..export.extras import Contribution

    try:
        doc = build(proj, snap)
    except Exception as e:  # noqa: BLE001 - a project from before schema v2 has no notes tables
        import sqlite3

        if isinstance(e, sqlite3.OperationalError) and "no such table" in str(e):
            return []
        raise
    if doc is None:
        return []
    return [Contribution(path=PATH, data=dumps(doc), pdf_key="review_response", pdf_value=doc)]
