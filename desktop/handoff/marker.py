"""The mark a hand-off file carries (partner side) and the lead's record of each hand-off.

Partner side: a hand-off file is an ordinary `.dossier` project whose meta holds
`handoff_id` and `handoff` (JSON, `HandoffMark`): where it came from, what is assigned, and the
base state of every assigned field and evidence link as the partner received it.

Lead side: one row per hand-off in the project's `handoffs` table (`HandoffRecord`), with its
events in `handoff_events`. `base` is the lead's state of the assigned fields and links when the
part was shared; `info["ancestor"]` is the partner's state as of the last merged return (the
common ancestor of the next merge).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import DossierError
from .scope import Scope

MARK_FORMAT = "dossier-handoff"
MARK_VERSION = 1
META_KEY = "handoff"
META_ID = "handoff_id"

STATES = ("outstanding", "merged", "superseded")


def _err(en: str, zh: str, key: str) -> DossierError:
    return DossierError(en, zh, key=key)


def ev_key(sha256: str, indicator: str) -> str:
    """An evidence link's identity across projects: its content and its indicator."""
    return f"{indicator}|{sha256}"


@dataclass
class HandoffMark:
    handoff_id: str
    source_project_uuid: str
    source_applicant: str
    partner: str
    created_at: str
    scope: Scope
    base: dict[str, Any]  # assigned field path -> value the partner started from (absent = empty)
    base_evidence: dict[str, dict]  # ev_key -> {sha256, indicator, slot, name, note} the partner received
    context_values: dict[str, Any] = field(default_factory=dict)  # read-only answers copied for the partner
    program: str = ""  # program key id@version
    include_evidence: bool = False
    source_applicant_en: str = ""

    def to_json(self) -> str:
        return json.dumps({
            "format": MARK_FORMAT, "version": MARK_VERSION, "handoff_id": self.handoff_id,
            "source_project_uuid": self.source_project_uuid, "source_applicant": self.source_applicant,
            "source_applicant_en": self.source_applicant_en, "partner": self.partner, "created_at": self.created_at,
            "program": self.program, "scope": self.scope.to_dict(), "include_evidence": self.include_evidence,
            "base": self.base, "base_evidence": self.base_evidence, "context_values": self.context_values,
        }, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "HandoffMark":
        try:
            d = json.loads(text)
        except (ValueError, RecursionError):
            d = None
        if not isinstance(d, dict) or d.get("format") != MARK_FORMAT:
            raise _err("This file's hand-off information is damaged", "此文件的分工信息已损坏", "handoff.bad_mark")
        v = d.get("version")
        if not isinstance(v, int) or v > MARK_VERSION:
            raise _err(f"This hand-off was made by a newer Dossier (hand-off format {v}); update Dossier to open it",
                       f"此分工文件由更新版本的 Dossier 生成（格式 {v}），请升级 Dossier", "handoff.too_new")
        try:
            return cls(
                handoff_id=str(d["handoff_id"]), source_project_uuid=str(d["source_project_uuid"]),
                source_applicant=str(d.get("source_applicant", "")), partner=str(d.get("partner", "")),
                created_at=str(d.get("created_at", "")), scope=Scope.from_dict(d["scope"]),
                base=dict(d.get("base") or {}), base_evidence=dict(d.get("base_evidence") or {}),
                context_values=dict(d.get("context_values") or {}), program=str(d.get("program", "")),
                include_evidence=bool(d.get("include_evidence", False)),
                source_applicant_en=str(d.get("source_applicant_en", "")),
            )
        except (KeyError, TypeError, ValueError):
            raise _err("This file's hand-off information is damaged", "此文件的分工信息已损坏", "handoff.bad_mark") from None


def read_mark(project) -> HandoffMark | None:
    """The hand-off mark of an open project, or None for an ordinary project."""
    text = project.meta().get(META_KEY)
    if not text:
        return None
    return HandoffMark.from_json(text)


@dataclass
class HandoffRecord:
    """A hand-off as the lead's project records it."""

    id: str
    partner: str
    created_at: str
    scope: Scope
    base: dict[str, Any]  # {"values": {path: value}, "evidence": {ev_key: link}}
    state: str
    updated_at: str
    info: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ancestor(self) -> dict[str, Any]:
        """The common ancestor of the next merge: the partner's state at the last merged return, else
        what the partner received."""
        anc = self.info.get("ancestor")
        if anc:
            return anc
        return {"values": self.base.get("values", {}), "evidence": self.partner_base_evidence}

    @property
    def partner_base_evidence(self) -> dict[str, dict]:
        """The evidence links the partner's file started with (none unless evidence was included)."""
        return self.base.get("evidence", {}) if self.info.get("include_evidence") else {}

    @property
    def last_returned_at(self) -> str:
        return self.info.get("last_return", {}).get("made_at", "")

    @property
    def merged_at(self) -> str:
        return self.info.get("last_return", {}).get("merged_at", "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "partner": self.partner, "created_at": self.created_at, "scope": self.scope.to_dict(),
            "state": self.state, "updated_at": self.updated_at, "file": self.info.get("file", ""),
            "include_evidence": bool(self.info.get("include_evidence")),
            "returned_at": self.last_returned_at or None, "merged_at": self.merged_at or None,
            "returns_merged": int(self.info.get("returns_merged", 0)),
            "superseded_by": self.info.get("superseded_by"),
            "expect_fingerprint": self.info.get("expect_fingerprint"),
        }


def load_records(conn, handoff_id: str | None = None) -> list[HandoffRecord]:
    sql = "SELECT id, partner, created_at, scope, base, state, updated_at, info FROM handoffs"
    args: tuple = ()
    if handoff_id is not None:
        sql += " WHERE id=?"
        args = (handoff_id,)
    out = []
    for hid, partner, created, scope, base, state, updated, info in conn.execute(sql + " ORDER BY created_at, id", args):
        rec = HandoffRecord(hid, partner, created, Scope.from_dict(json.loads(scope)), json.loads(base), state, updated,
                            json.loads(info or "{}"))
        rec.events = [{"at": at, "event": ev, "detail": json.loads(det or "{}")} for at, ev, det in conn.execute(
            "SELECT at, event, detail FROM handoff_events WHERE handoff_id=? ORDER BY id", (hid,))]
        out.append(rec)
    return out


def save_record(c, rec: HandoffRecord) -> None:
    c.execute("INSERT INTO handoffs(id, partner, created_at, scope, base, state, updated_at, info) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET partner=excluded.partner, "
              "scope=excluded.scope, base=excluded.base, state=excluded.state, updated_at=excluded.updated_at, "
              "info=excluded.info",
              (rec.id, rec.partner, rec.created_at, json.dumps(rec.scope.to_dict(), ensure_ascii=False),
               json.dumps(rec.base, ensure_ascii=False), rec.state, rec.updated_at,
               json.dumps(rec.info, ensure_ascii=False)))


def add_event(c, handoff_id: str, at: str, event: str, detail: dict[str, Any] | None = None) -> None:
    c.execute("INSERT INTO handoff_events(handoff_id, at, event, detail) VALUES (?, ?, ?, ?)",
              (handoff_id, at, event, json.dumps(detail or {}, ensure_ascii=False)))
