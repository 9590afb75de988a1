"""Documents that other capabilities add to a sealed package, and the PDF data they bring.

A package's payload is `data/answers.json`, `data/answers.xlsx`, `data/program.yaml`, the PDF and
the evidence — plus documents contributed here by other capabilities, each a small, documented
JSON or office file derived from the project (e.g. `data/review-response.json` from the
reviewer's notes, `data/previous-period.json` for recurring reports, `data/application.docx`).
Everything the PDF shows must be readable back from the package (verify re-renders the PDF from
it), so a provider returns both the document bytes and, where the PDF shows it, the parsed data
under a key of `PdfInput.extras`.

A provider module listed in PROVIDERS defines

    def package_documents(proj, snap) -> list[Contribution]

and is imported lazily (a module that is not installed is skipped).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

PROVIDERS: tuple[str, ...] = (
    "desktop.periods.package",  # data/previous-period.json: the previous period's figures (recurring reports)
    "desktop.review.response",  # data/review-response.json: replies to reviewer notes (issue #10)
)


@dataclass
class Contribution:
    path: str  # inside the bag, under data/
    data: bytes
    pdf_key: str | None = None  # the key of PdfInput.extras that carries the parsed data, if the PDF shows it
    pdf_value: Any = None


def contributions(proj, snap) -> list[Contribution]:
    out: list[Contribution] = []
    for name in PROVIDERS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        out.extend(mod.package_documents(proj, snap))
    seen: set[str] = set()
    for c in out:
        if not c.path.startswith("data/") or c.path in seen:
            raise ValueError(f"package document {c.path!r} from a provider is not a new path under data/")
        seen.add(c.path)
    return out
