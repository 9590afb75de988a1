"""The `.dossier` project file: one SQLite database per applicant.

    from desktop.project import Project
    with Project.open("a.dossier") as p:
        p.set("1.1/cluster", "machinery"); p.attach("scan.pdf", "1.1")

Split by concern: `file` (the file, opening, transactions, metadata), `answers` (answers and
history), `evidence` (the evidence store), `schema` (the migration ladder), `names` (safe file
names). Table rows carry stable ids (desktop.models.rows).
"""

from __future__ import annotations

from typing import Any

from ..models.report import Report
from ..rules import evaluate
from .answers import AnswersMixin, HistoryEntry
from .evidence import CHUNK_SIZE, STAMP_INDICATOR, Evidence, EvidenceLink, EvidenceStore
from .file import APPLICATION_ID, ProjectFile, utcnow
from .names import safe_file_name
from .schema import CURRENT_VERSION

__all__ = ["Project", "Evidence", "EvidenceLink", "HistoryEntry", "APPLICATION_ID", "CHUNK_SIZE", "CURRENT_VERSION",
           "STAMP_INDICATOR", "safe_file_name", "utcnow"]


class Project(ProjectFile, AnswersMixin, EvidenceStore):
    """An open `.dossier` file. Not thread-safe: each thread opens its own Project (own connection)."""

    def report(self) -> Report:
        return evaluate(self.program, self.answers(), self.evidence_counts())

    def info(self) -> dict[str, Any]:
        m = self.meta()
        rep = self.report()
        n, b = self.evidence_totals()
        prog = self.program
        return {
            "file": str(self.path),
            "project_uuid": m.get("project_uuid", ""),
            "program": {"id": prog.id, "version": prog.version, "title": prog.title.to_dict()},
            "applicant": m.get("applicant", ""),
            "applicant_en": m.get("applicant_en", ""),
            "created_at": m.get("created_at"),
            "modified_at": m.get("modified_at"),
            "created_with": m.get("created_with"),
            "saved_with": m.get("saved_with"),
            "readonly": self.readonly,
            "completeness": round(rep.completeness * 100, 1),
            "problems": {"blocking": len(rep.blocking), "warning": len(rep.warnings)},
            "evidence": {"count": n, "bytes": b},
            "schema_version": CURRENT_VERSION,
        }
