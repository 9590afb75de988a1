"""Lead side: share a part of a project with a partner (the hand-off file)."""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DossierError
from ..project import Project, utcnow
from ..tasks import TaskState
from .marker import META_ID, META_KEY, HandoffMark, HandoffRecord, add_event, ev_key, load_records, read_mark, save_record
from .scope import Scope

SUFFIX = ".dossier"


def _err(en: str, zh: str, key: str) -> DossierError:
    return DossierError(en, zh, key=key)


@dataclass
class Overlap:
    handoff_id: str
    partner: str
    paths: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"handoff": self.handoff_id, "partner": self.partner, "fields": self.paths}


@dataclass
class ShareResult:
    handoff_id: str
    path: Path
    scope: Scope
    fields: int
    evidence: int
    overlaps: list[Overlap] = field(default_factory=list)  # outstanding hand-offs to other partners
    superseded: list[str] = field(default_factory=list)  # earlier hand-offs of the same part to this partner

    def to_dict(self) -> dict[str, Any]:
        return {"handoff": self.handoff_id, "file": str(self.path), "scope": self.scope.to_dict(), "fields": self.fields,
                "evidence": self.evidence, "overlaps": [o.to_dict() for o in self.overlaps],
                "superseded": self.superseded}


def evidence_links(project: Project, indicators) -> dict[str, dict]:
    """The project's evidence links on `indicators`, by ev_key."""
    want = set(indicators)
    out: dict[str, dict] = {}
    for ev in project.evidence():
        for link in ev.links:
            if link.indicator_id in want:
                out[ev_key(ev.sha256, link.indicator_id)] = {
                    "sha256": ev.sha256, "indicator": link.indicator_id, "slot": link.slot_id, "name": ev.name,
                    "note": ev.note, "size": ev.size, "evidence_id": ev.id}
    return out


def overlaps(project: Project, scope: Scope, partner: str) -> tuple[list[Overlap], list[str]]:
    """Outstanding hand-offs whose assignment overlaps `scope`: to other partners (a warning) and to
    the same partner (they will be superseded by the new one)."""
    others, same = [], []
    for rec in load_records(project.conn):
        if rec.state != "outstanding":
            continue
        paths = scope.overlaps(rec.scope, project.program)
        if not paths:
            continue
        if rec.partner.strip().casefold() == partner.strip().casefold():
            same.append(rec.id)
        else:
            others.append(Overlap(rec.id, rec.partner, paths))
    return others, same


def share_part(project_path: str | os.PathLike, scope: Scope, partner: str, out: str | os.PathLike, *,
               include_evidence: bool = False, expect_fingerprint: str | None = None,
               task: TaskState | None = None) -> ShareResult:
    """Write a hand-off file for `partner` holding the assigned part (and read-only context), and
    record the hand-off in the lead's project. The file is complete under its name or not there."""
    partner = (partner or "").strip()
    if not partner:
        raise _err("Name the partner the part is for", "请填写合作单位名称", "handoff.no_partner")
    if len(partner) > 200:
        raise _err("The partner's name is too long (at most 200 characters)", "合作单位名称过长（最多 200 个字符）",
                   "handoff.partner_name")
    out = Path(out)
    if expect_fingerprint:
        from ..identity.model import normalize_fingerprint

        expect_fingerprint = normalize_fingerprint(expect_fingerprint)
    with Project.open(project_path) as lead:
        if lead.readonly:
            raise _err("The project is open read-only: a hand-off is recorded in it, so copy it to a writable place first",
                       "项目为只读：分工记录需要写入项目，请先复制到可写的位置", "project.readonly")
        if read_mark(lead) is not None:
            raise _err("This file is itself a hand-off from a lead; return it to the lead instead of sharing it further",
                       "此文件本身就是牵头单位分发的分工文件；请回传给牵头单位，不要再次分发", "handoff.nested")
        prog = lead.program
        scope.check(prog)
        paths = scope.field_paths(prog)
        answers = lead.answers()
        base = {p: answers[p] for p in paths if p in answers}
        links = evidence_links(lead, scope.indicators)
        context_paths = [f.path for iid in scope.context for f in prog.indicator(iid).fields if f.path not in set(paths)]
        context = {p: answers[p] for p in context_paths if p in answers}
        others, same = overlaps(lead, scope, partner)
        hid = str(uuid.uuid4())
        now = utcnow()
        mark = HandoffMark(hid, lead.uuid, lead.applicant, partner, now, scope, base,
                           links if include_evidence else {}, context, prog.key, include_evidence,
                           lead.meta().get("applicant_en", ""))
        extra = {META_KEY: mark.to_json(), META_ID: hid}
        try:
            part = Project.create(out, prog, lead.applicant, lead.meta().get("applicant_en", ""), extra_meta=extra)
        except DossierError:
            raise
        n_ev = 0
        try:
            with part:
                values = {**context, **base}
                if values:
                    with part.transaction() as c:
                        for p, v in values.items():
                            part._write_value(c, p, v, now, actor="lead")
                if include_evidence and links:
                    n_ev = _copy_evidence(lead, part, links, task)
            rec = HandoffRecord(hid, partner, now, scope, {"values": base, "evidence": links}, "outstanding", now,
                                {"file": out.name, "include_evidence": include_evidence,
                                 "context": list(scope.context), **({"expect_fingerprint": expect_fingerprint}
                                                                   if expect_fingerprint else {})})
            with lead.transaction() as c:
                save_record(c, rec)
                add_event(c, hid, now, "created", {"file": out.name, "fields": len(paths), "evidence": n_ev})
                for old in load_records(c, None):
                    if old.id in same:
                        old.state = "superseded"
                        old.info["superseded_by"] = hid
                        old.updated_at = now
                        save_record(c, old)
                        add_event(c, old.id, now, "superseded", {"by": hid})
        except BaseException:
            with contextlib.suppress(OSError):
                out.unlink()
            raise
        return ShareResult(hid, out, scope, len(paths), n_ev, others, same)


def _copy_evidence(lead: Project, part: Project, links: dict[str, dict], task: TaskState | None) -> int:
    """Stream the assigned indicators' evidence into the hand-off file, in one transaction."""
    by_id: dict[int, list[dict]] = {}
    for link in links.values():
        by_id.setdefault(link["evidence_id"], []).append(link)
    with part.transaction() as c:
        for eid, ls in by_id.items():
            ev = lead.evidence_item(eid)
            blob_id, sha = part._store_blob(c, ChunkReader(lambda: lead.read_chunks(ev.blob_id)), ev.size, ev.mime, task)
            if sha != ev.sha256:
                raise _err(f"Evidence “{ev.name}” is damaged inside the project (checksum mismatch)",
                           f"项目中的证明材料“{ev.name}”已损坏（校验值不符）", "evidence.corrupt")
            now = utcnow()
            new_id = c.execute("INSERT INTO evidence(blob_id, name, note, added_at) VALUES (?, ?, ?, ?)",
                               (blob_id, ev.name, ev.note, ev.added_at)).lastrowid
            for link in ls:
                c.execute("INSERT INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
                          (new_id, link["indicator"], link["slot"], now))
    return len(by_id)


class ChunkReader:
    """A file-like reader over chunks (what EvidenceStore._store_blob reads from). `chunks` is a
    function returning a fresh iterator, so seek(0) can start over."""

    def __init__(self, chunks):
        self._make = chunks
        self._it = iter(chunks())
        self._buf = b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            try:
                self._buf += bytes(next(self._it))
            except StopIteration:
                break
        if n < 0:
            data, self._buf = self._buf, b""
        else:
            data, self._buf = self._buf[:n], self._buf[n:]
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def seek(self, pos: int, whence: int = 0) -> int:
        if pos != 0 or whence != 0:
            raise OSError("only seek(0) is supported")
        self._it = iter(self._make())
        self._buf = b""
        return 0
