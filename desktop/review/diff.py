"""What changed between two submissions of the same application, per indicator: answers (old →
new value) and evidence files (added, removed, replaced by a file of the same name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .notes_file import value_sha256


@dataclass
class IndicatorChanges:
    indicator: str
    answers: list[dict[str, Any]] = field(default_factory=list)  # {"path", "old", "new"}
    evidence_added: list[dict[str, Any]] = field(default_factory=list)  # {"name", "sha256", "size"}
    evidence_removed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.answers or self.evidence_added or self.evidence_removed)

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "answers": self.answers, "evidence_added": self.evidence_added,
                "evidence_removed": self.evidence_removed}


def _indicator(path: str) -> str:
    return path.split("/", 1)[0]


def compare(old: dict[str, Any], new: dict[str, Any], order: list[str] | None = None) -> list[IndicatorChanges]:
    """Changes from answers.json document `old` to `new`, one entry per indicator that changed, in
    the program's indicator order (`order`) when given."""
    out: dict[str, IndicatorChanges] = {}

    def slot(ind: str) -> IndicatorChanges:
        return out.setdefault(ind, IndicatorChanges(ind))

    a, b = old.get("answers") or {}, new.get("answers") or {}
    for path in sorted(set(a) | set(b)):
        va, vb = a.get(path), b.get(path)
        if (path in a) != (path in b) or value_sha256(va) != value_sha256(vb):
            slot(_indicator(path)).answers.append({"path": path, "old": va, "new": vb})
    ea = {(e["indicator"], e["sha256"]): e for e in old.get("evidence") or ()}
    eb = {(e["indicator"], e["sha256"]): e for e in new.get("evidence") or ()}
    for k, e in eb.items():
        if k not in ea:
            slot(k[0]).evidence_added.append({"name": e["name"], "sha256": e["sha256"], "size": e.get("size")})
    for k, e in ea.items():
        if k not in eb:
            slot(k[0]).evidence_removed.append({"name": e["name"], "sha256": e["sha256"], "size": e.get("size")})
    rank = {iid: n for n, iid in enumerate(order or [])}
    return sorted(out.values(), key=lambda c: (rank.get(c.indicator, len(rank)), c.indicator))


def changed_indicators(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {c.indicator for c in compare(old, new)}
