"""A consistent snapshot of a project for sealing: what goes into the package, and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models.rows import strip_all
from ..models.program import Program
from ..models.report import Report
from ..project import STAMP_INDICATOR, Project
from ..values import plural
from .naming import UniqueNames, safe_component

EVIDENCE_DIR = "data/evidence"


@dataclass
class EvidenceEntry:
    """One evidence file as it goes into the package (an evidence item linked to two indicators
    is packaged once per indicator)."""

    evidence_id: int
    blob_id: int
    name: str  # the original name
    size: int
    sha256: str
    mime: str
    note: str
    added_at: str
    indicator_id: str
    slot_id: str | None
    path: str  # from the bag root: data/evidence/<indicator>/<safe unique name>

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "name": self.name, "indicator": self.indicator_id, "slot": self.slot_id,
            "size": self.size, "sha256": self.sha256, "type": self.mime, "note": self.note, "added_at": self.added_at,
        }


@dataclass
class Snapshot:
    program: Program
    meta: dict[str, str]
    answers: dict[str, Any]  # visible answers only, in the program's field order
    report: Report
    evidence: list[EvidenceEntry]  # program indicators, in program order
    stamp: list[EvidenceEntry]  # scans attached to the stamp-page slot
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (en, zh)
    all_answers: dict[str, Any] = field(default_factory=dict)
    raw_evidence: list[tuple[str, str, str, str | None, str, str]] = field(default_factory=list)

    @property
    def applicant(self) -> str:
        return self.meta.get("applicant", "")

    @property
    def applicant_en(self) -> str:
        return self.meta.get("applicant_en", "")

    def evidence_for(self, indicator_id: str) -> list[EvidenceEntry]:
        return [e for e in self.evidence if e.indicator_id == indicator_id]

    @property
    def all_files(self) -> list[EvidenceEntry]:
        return self.evidence + self.stamp


def indicator_folders(program: Program) -> dict[str, str]:
    """indicator id -> folder name under data/evidence (unique even on case-insensitive disks)."""
    uniq = UniqueNames()
    out = {}
    for iid in [i.id for i in program.indicators()] + [STAMP_INDICATOR]:
        out[iid] = uniq.claim(safe_component(iid, default="indicator", keep_ext=False))
    return out


def take_snapshot(proj: Project) -> Snapshot:
    """Read answers, evidence and meta in ONE read transaction, so they belong together."""
    conn = proj.conn
    conn.execute("BEGIN")
    try:
        proj._meta_cache = None
        meta = dict(proj.meta())
        all_answers = strip_all(proj.answers())  # row ids are bookkeeping, not answers
        items = proj.evidence()
        report = proj.report()
    finally:
        conn.execute("COMMIT")
    program = proj.program
    warnings: list[tuple[str, str]] = []

    answers = {p: all_answers[p] for p in program.fields if p in all_answers and p in report.visible_fields}
    hidden = [p for p in all_answers if p not in answers]
    if hidden:
        warnings.append((f"{plural(len(hidden), 'answer', 'answers')} to questions that do not apply (hidden) "
                         f"{'is' if len(hidden) == 1 else 'are'} not included",
                         f"{len(hidden)} 项不适用（已隐藏）问题的答案未包含在提交包中"))

    order = {ind.id: n for n, ind in enumerate(program.indicators())}
    links = []
    raw = []
    skipped = 0
    for ev in items:
        for ln in ev.links:
            raw.append((ev.sha256, ev.name, ln.indicator_id, ln.slot_id, ev.note, ev.added_at))
            if ln.indicator_id == STAMP_INDICATOR:
                links.append((len(order), ev, ln))
                continue
            if ln.indicator_id not in order:
                skipped += 1
                continue
            st = report.indicators.get(ln.indicator_id)
            if st is not None and not st.visible:
                skipped += 1
                continue
            links.append((order[ln.indicator_id], ev, ln))
    if skipped:
        warnings.append((f"{plural(skipped, 'evidence file', 'evidence files')} attached to indicators that do not "
                         f"apply {'is' if skipped == 1 else 'are'} not included",
                         f"{skipped} 个附在不适用指标下的证明材料未包含在提交包中"))
    from ..cover import warnings as cover_warnings

    warnings += cover_warnings(meta, program)
    links.sort(key=lambda t: (t[0], t[1].id))
    folders = indicator_folders(program)
    names: dict[str, UniqueNames] = {}
    evidence: list[EvidenceEntry] = []
    stamp: list[EvidenceEntry] = []
    for _o, ev, ln in links:
        folder = folders[ln.indicator_id]
        uniq = names.setdefault(folder, UniqueNames())
        fname = uniq.claim(safe_component(ev.name, default=f"evidence-{ev.id}"))
        entry = EvidenceEntry(ev.id, ev.blob_id, ev.name, ev.size, ev.sha256, ev.mime, ev.note, ev.added_at,
                              ln.indicator_id, ln.slot_id, f"{EVIDENCE_DIR}/{folder}/{fname}")
        (stamp if ln.indicator_id == STAMP_INDICATOR else evidence).append(entry)
    return Snapshot(program, meta, answers, report, evidence, stamp, warnings, all_answers, raw)


def package_warnings(proj: Project) -> list[tuple[str, str]]:
    """The warnings an export of this project gives before rendering (hidden answers and
    evidence left out, cover details missing): `dossier validate` prints the same list."""
    return take_snapshot(proj).warnings
