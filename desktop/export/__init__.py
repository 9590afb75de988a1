"""Seal and export (issue #4): the submission PDF, the BagIt data package, and verification.

    from desktop.export import export_project, verify_package

    res = export_project("a.dossier", "out/", allow_incomplete=False, sealer=None, task=None, lang="zh")
    verdict = verify_package(res.zip_path)

See docs/content-digest.md (the content digest) and docs/answers-json.md (data/answers.json).
"""

from __future__ import annotations

from typing import Any

from .package import ExportBlocked, ExportResult, export_project

__all__ = ["export_project", "ExportResult", "ExportBlocked", "verify_package", "Verdict"]


def __getattr__(name: str) -> Any:  # verify is imported lazily: it does not need ReportLab
    if name in ("verify_package", "Verdict"):
        from . import verify

        return getattr(verify, name)
    raise AttributeError(name)
