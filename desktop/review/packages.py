"""Packages in a review file: the record, its verdict, its review state with history, and the
links between packages (duplicate of, superseded by, previous submission).

Review states (like ODK Central's review states, offline):

    received ──► in_review ──► returned ──► in_review …   (returned for revision)
                     │  ▲
                     ▼  │ (reopen, with a reason)
             accepted / not_accepted

Every change of state is one transaction with its event (old → new, reason); "returned" and
"not_accepted" need a reason, and so does reopening a decided package.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..models.program import Label
from .file import ReviewError, utcnow

STATES = ("received", "in_review", "returned", "accepted", "not_accepted")
STATE_LABELS = {
    "received": Label("已接收", "received"),
    "in_review": Label("审核中", "in review"),
    "returned": Label("退回修改", "returned for revision"),
    "accepted": Label("通过", "accepted"),
    "not_accepted": Label("不通过", "not accepted"),
}
TRANSITIONS = {
    "received": ("in_review", "returned", "accepted", "not_accepted"),
    "in_review": ("returned", "accepted", "not_accepted", "received"),
    "returned": ("in_review", "accepted", "not_accepted"),
    "accepted": ("in_review",),
    "not_accepted": ("in_review",),
}
NEEDS_REASON = {"returned", "not_accepted"}

# the verdict of a package on the desk, most serious first (desktop.review.verdicts decides)
VERDICTS = ("unreadable", "tampered", "awaiting_basis", "duplicate", "wrong_program", "superseded", "untrusted", "unsigned", "intact")
VERDICT_LABELS = {
    "intact": Label("完好", "intact"),
    "tampered": Label("已被篡改", "tampered"),
    "unsigned": Label("未签章", "unsigned"),
    "untrusted": Label("签章人不在信任列表", "signed by an untrusted identity"),
    "unreadable": Label("无法读取", "unreadable"),
    "duplicate": Label("重复", "duplicate"),
    "wrong_program": Label("项目类别不符", "wrong program"),
    "superseded": Label("已被新版本取代", "superseded"),
    "awaiting_basis": Label("增量包：基础包不在此处", "delta: its basis is not here"),
}

COLUMNS = ("id", "uid", "added_at", "source_path", "source_name", "file_sha256", "size", "storage", "blob_id", "status",
           "verdict", "package_id", "project_uuid", "program_id", "program_version", "applicant", "applicant_en",
           "sealed_at", "draft", "content_digest", "signature_status", "signer", "signer_fingerprint", "answers",
           "recheck", "duplicate_of", "superseded_by", "previous", "wrong_program", "state", "state_at", "info",
           "fingerprint")
SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM packages"
LIGHT = [c for c in COLUMNS if c not in ("answers", "verdict")]  # what lists need (no big JSON)
SELECT_LIGHT = "SELECT " + ", ".join(LIGHT) + " FROM packages"


@dataclass
class PackageRecord:
    id: int
    uid: str
    added_at: str
    source_path: str
    source_name: str
    file_sha256: str
    size: int
    storage: str  # stored | linked | none
    blob_id: int | None
    status: str  # verify's status: intact | untrusted | tampered | unreadable
    verdict: dict[str, Any] | None  # verify's Verdict.to_dict() (None when not loaded)
    package_id: str | None
    project_uuid: str | None
    program_id: str
    program_version: str
    applicant: str
    applicant_en: str
    sealed_at: str
    draft: bool
    content_digest: str
    signature_status: str
    signer: str
    signer_fingerprint: str
    answers: dict[str, Any] | None  # the package's answers.json document (None when not loaded / unreadable)
    recheck: dict[str, Any]
    duplicate_of: int | None
    superseded_by: int | None
    previous: int | None
    wrong_program: bool
    state: str
    state_at: str
    info: dict[str, Any] = field(default_factory=dict)
    # desktop/review/fingerprint.py; None for packages taken in before review file v3
    fingerprint: str | None = None

    @property
    def identity(self) -> str:
        """What names this package's bytes on the desk: its fingerprint, or (older rows) its SHA-256."""
        return self.fingerprint or self.file_sha256

    @classmethod
    def from_row(cls, names, row) -> "PackageRecord":
        d = dict(zip(names, row))
        for k in ("recheck", "info"):
            d[k] = json.loads(d.get(k) or "{}")
        for k in ("verdict", "answers"):
            d[k] = json.loads(d[k]) if d.get(k) else None
        d["draft"] = bool(d["draft"])
        d["wrong_program"] = bool(d["wrong_program"])
        return cls(**{c: d.get(c) for c in COLUMNS})

    @property
    def display_name(self) -> str:
        return self.applicant or self.source_name

    @property
    def basis(self) -> dict[str, Any] | None:
        """For a package received as a resubmission delta: its link to the basis (desktop.review.deltas)
        — {"state": linked | waiting | wrong_basis | basis_damaged | basis_unreadable, "package": the
        basis record's id (linked) or the one that failed, "package_id", "content_digest",
        "manifest_sha256" (what the delta names), "delta": {name, sha256, size} of the delta file}."""
        d = (self.info or {}).get("delta")
        if not isinstance(d, dict):
            return None
        return {"state": d.get("state"), "package": d.get("basis"), **(d.get("want") or {}), "delta": d.get("file")}

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        d = {c: getattr(self, c) for c in COLUMNS if c not in ("answers", "verdict", "blob_id")}
        d["basis"] = self.basis
        if full:
            d["verdict"] = self.verdict
            d["answers"] = self.answers
        return d


@dataclass
class PackageEvent:
    id: int
    package: int
    at: str
    event: str  # intake | state | linked | superseded | notes | reverify
    old: Any
    new: Any
    reason: str
    actor: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "package": self.package, "at": self.at, "event": self.event, "old": self.old,
                "new": self.new, "reason": self.reason, "actor": self.actor}


def add_event(c: sqlite3.Connection, package: int, event: str, old: Any = None, new: Any = None, reason: str = "",
              actor: str = "", at: str | None = None) -> None:
    dump = lambda v: None if v is None else json.dumps(v, ensure_ascii=False)  # noqa: E731
    c.execute("INSERT INTO package_events(package, at, event, old, new, reason, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
              (package, at or utcnow(), event, dump(old), dump(new), reason, actor))


def _unknown(pid) -> ReviewError:
    return ReviewError(f"There is no package {pid} in this review file (see `dossier review list`)",
                       f"此评审文件中没有编号为 {pid} 的数据包（请用 `dossier review list` 查看）", key="review.no_package")


class PackagesMixin:
    """Mixed into Review: read packages, change their state, follow their links."""

    conn: sqlite3.Connection

    def packages(self, *, full: bool = False) -> list[PackageRecord]:
        sql = SELECT if full else SELECT_LIGHT
        names = COLUMNS if full else LIGHT
        return [PackageRecord.from_row(names, r) for r in self.conn.execute(sql + " ORDER BY id")]

    def package(self, pid: int | str) -> PackageRecord:
        try:
            n = int(str(pid).lstrip("#"))
        except ValueError:
            row = self.conn.execute(SELECT + " WHERE uid=?", (str(pid),)).fetchone()
        else:
            row = self.conn.execute(SELECT + " WHERE id=?", (n,)).fetchone()
        if row is None:
            raise _unknown(pid)
        return PackageRecord.from_row(COLUMNS, row)

    def events(self, pid: int | None = None) -> list[PackageEvent]:
        sql = "SELECT id, package, at, event, old, new, reason, actor FROM package_events"
        args: tuple = ()
        if pid is not None:
            sql += " WHERE package=?"
            args = (pid,)
        out = []
        for i, p, at, ev, old, new, reason, actor in self.conn.execute(sql + " ORDER BY id", args):
            out.append(PackageEvent(i, p, at, ev, json.loads(old) if old else None, json.loads(new) if new else None,
                                    reason, actor))
        return out

    def current_of(self, pid: int) -> int:
        """The package that is current in `pid`'s chain of resubmissions (follows superseded_by)."""
        seen = set()
        cur = pid
        while cur not in seen:
            seen.add(cur)
            row = self.conn.execute("SELECT superseded_by, duplicate_of FROM packages WHERE id=?", (cur,)).fetchone()
            if row is None:
                break
            nxt = row[0] or row[1]
            if nxt is None:
                break
            cur = nxt
        return cur

    def set_state(self, pid: int | str, state: str, reason: str = "", *, actor: str = "") -> PackageRecord:
        rec = self.package(pid)
        if state not in STATES:
            raise ReviewError(f"Unknown state {state!r}; states are: {', '.join(STATES)}",
                              f"未知的状态 {state!r}；可用状态：{', '.join(STATES)}", key="review.bad_state")
        if state == rec.state:
            return rec
        if state not in TRANSITIONS[rec.state]:
            allowed = ", ".join(TRANSITIONS[rec.state])
            raise ReviewError(f"Package {rec.id} is {rec.state}; from there it can become: {allowed}",
                              f"数据包 {rec.id} 当前为“{STATE_LABELS[rec.state].zh}”，只能改为：{allowed}",
                              key="review.bad_transition")
        reopening = rec.state in ("accepted", "not_accepted")
        if (state in NEEDS_REASON or reopening) and not reason.strip():
            raise ReviewError(f"Give a reason for “{STATE_LABELS[state].en}” (it is kept in the package's history)",
                              f"请填写“{STATE_LABELS[state].zh}”的理由（将记录在数据包的历史中）", key="review.reason_required")
        now = utcnow()
        with self._tx() as c:  # type: ignore[attr-defined]
            c.execute("UPDATE packages SET state=?, state_at=? WHERE id=?", (state, now, rec.id))
            add_event(c, rec.id, "state", rec.state, state, reason.strip(), actor, at=now)
        return self.package(rec.id)
