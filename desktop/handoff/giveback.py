"""Partner side: the return file — only what changed since the base of the hand-off."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import DossierError
from ..project import Project, utcnow
from .diff import table_diff
from .marker import HandoffMark, read_mark
from .returnfile import RETURN_FORMAT, RETURN_VERSION, EvidenceSource, write_return
from .share import evidence_links


def _err(en: str, zh: str, key: str) -> DossierError:
    return DossierError(en, zh, key=key)


@dataclass
class ReturnSummary:
    path: Path
    return_id: str
    fields: int
    tables: int
    evidence_added: int
    evidence_removed: int
    out_of_scope: list[str]
    size: int
    signed_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "return": self.return_id, "fields": self.fields, "tables": self.tables,
                "evidence_added": self.evidence_added, "evidence_removed": self.evidence_removed,
                "out_of_scope": self.out_of_scope, "bytes": self.size, "signed_by": self.signed_by}


def require_mark(project: Project) -> HandoffMark:
    mark = read_mark(project)
    if mark is None:
        raise _err(f"{project.path.name} is not a hand-off file: only a part shared by a lead can be returned",
                   f"{project.path.name} 不是分工文件：只有牵头单位分发的部分才能回传", "handoff.not_handoff")
    return mark


def collect_changes(project: Project, mark: HandoffMark) -> dict[str, Any]:
    """The changes since the base: every answer that differs from what the hand-off file was made
    with (assigned or not: the lead refuses what is outside the assignment), table rows by id, and
    evidence links added, removed or changed (note, slot)."""
    prog = project.program
    answers = project.answers()
    start = {**mark.context_values, **mark.base}
    fields, tables = [], []
    for path in sorted(set(answers) | set(start), key=_order(prog)):
        fld = prog.field(path)
        if fld is None:
            continue
        old, new = start.get(path), answers.get(path)
        if fld.type == "table":
            d = table_diff(old, new)
            if d is not None:
                tables.append({"path": path, **d})
        elif old != new:
            fields.append({"path": path, "base": old, "value": new})
    now = evidence_links(project, [i.id for i in prog.indicators()])
    base = mark.base_evidence
    added, removed, changed = [], [], []
    for k, link in now.items():
        b = base.get(k)
        if b is None:
            added.append({"indicator": link["indicator"], "slot": link["slot"], "name": link["name"],
                          "note": link["note"], "sha256": link["sha256"], "size": link["size"]})
        elif (b.get("slot"), b.get("note", "")) != (link["slot"], link["note"]):
            changed.append({"indicator": link["indicator"], "sha256": link["sha256"], "name": link["name"],
                            "slot": link["slot"], "note": link["note"],
                            "base": {"slot": b.get("slot"), "note": b.get("note", "")}})
    for k, b in base.items():
        if k not in now:
            removed.append({"indicator": b["indicator"], "sha256": b["sha256"], "slot": b.get("slot"),
                            "name": b.get("name", ""), "note": b.get("note", "")})
    return {"fields": fields, "tables": tables, "evidence": {"added": added, "removed": removed, "changed": changed},
            "_links": now}


def _order(prog):
    pos = {p: n for n, p in enumerate(prog.fields)}
    return lambda p: (pos.get(p, len(pos)), p)


def out_of_scope(changes: dict[str, Any], mark: HandoffMark) -> list[str]:
    """Paths (and evidence indicators) changed outside the assignment."""
    s = mark.scope
    out = [c["path"] for c in changes["fields"] + changes["tables"] if not s.assigns_field(c["path"])]
    for key in ("added", "removed", "changed"):
        out += [f"{e['indicator']}/#{e['name']}" for e in changes["evidence"][key] if not s.assigns_indicator(e["indicator"])]
    return out


def make_return(handoff_path: str | os.PathLike, out: str | os.PathLike, *, sealer=None, message: str = "") -> ReturnSummary:
    """Write the return file for a hand-off file (which is not changed)."""
    out = Path(out)
    if out.exists():
        raise _err(f"{out} already exists; choose another name", f"{out} 已存在，请换一个文件名", "return.exists")
    if not out.parent.is_dir():
        raise _err(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", "return.no_folder")
    with Project.open(handoff_path, readonly=True) as part:
        mark = require_mark(part)
        changes = collect_changes(part, mark)
        changes.pop("_links")
        seq = part.conn.execute("SELECT COALESCE(MAX(id), 0) FROM history").fetchone()[0]
        rid = str(uuid.uuid4())
        doc = {
            "format": RETURN_FORMAT, "version": RETURN_VERSION, "return_id": rid, "handoff_id": mark.handoff_id,
            "source_project_uuid": mark.source_project_uuid, "program": part.program.key, "partner": mark.partner,
            "made_at": utcnow(), "made_with": __version__, "seq": int(seq), "message": message or "",
            **changes,
        }
        stored = {ev.sha256: ev for ev in part.evidence()}
        sources = []
        for e in changes["evidence"]["added"]:
            ev = stored[e["sha256"]]
            sources.append(EvidenceSource(ev.sha256, ev.size, (lambda bid=ev.blob_id: part.read_chunks(bid))))
        write_return(out, doc, sources, sealer=sealer)
    n_out = out_of_scope(changes, mark)
    ev = changes["evidence"]
    return ReturnSummary(out, rid, len(changes["fields"]), len(changes["tables"]), len(ev["added"]), len(ev["removed"]),
                         n_out, out.stat().st_size, getattr(sealer, "name", None) if sealer else None)
