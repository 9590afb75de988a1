"""Errors the core raises, each with a bilingual message and a CLI exit code."""

from __future__ import annotations


class DossierError(Exception):
    """A problem a user can act on. `zh`/`en` are complete sentences for the UI and CLI."""

    exit_code = 2

    def __init__(self, en: str, zh: str | None = None, *, key: str = "error"):
        super().__init__(en)
        self.en = en
        self.zh = zh or en
        self.key = key

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


class DefinitionError(DossierError):
    """A program definition is malformed: file, location and reason."""

    def __init__(self, file: str, location: str, reason: str):
        self.file, self.location, self.reason = file, location, reason
        loc = location or "(top level)"
        super().__init__(
            f"{file}: {loc}: {reason}",
            f"程序定义文件有误 {file}: {loc}: {reason}",
            key="definition.invalid",
        )


class ProjectError(DossierError):
    """The project file cannot be opened or written."""


class ValueProblem(DossierError):
    """A value does not fit its field (wrong type, out of range, unknown choice…)."""
