"""Seal and export (issue #4): the submission PDF, the BagIt data package, and verification.

    from desktop.export import export_project, verify_package

    res = export_project("a.dossier", "out/", allow_incomplete=False, sealer=None, task=None, lang="zh")
    verdict = verify_package(res.zip_path)

See docs/content-digest.md (the content digest) and docs/answers-json.md (data/answers.json).
"""

from __future__ import annotations

from typing import Any

__all__ = ["export_project", "ExportResult", "ExportBlocked", "verify_package", "Verdict"]


def __getattr__(name: str) -> Any:
    # both halves are imported lazily: verify (a reviewer's every-day command) must not pay for
    # ReportLab and openpyxl, which only the export needs
    if name in ("verify_package", "Verdict"):
        from . import verify

        return getattr(verify, name)
    if name in ("export_project", "ExportResult", "ExportBlocked"):
        from . import package

        return getattr(package, name)
    raise AttributeError(name)
