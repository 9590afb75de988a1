"""The project's export history (schema v2 table `exports`): every package sealed from it.

One row per package id (a re-export of unchanged content is the same package and only adds its
output paths). A row keeps what a later resubmission delta needs to name and check its basis
without the old zip at hand: the package id, the content digest, the SHA-256 of
manifest-sha256.txt and the payload listing (path → sha256, the PDF included).

    record_export(proj, pkg_id=…, digest=…, manifest=…, payload=…, outputs=[…], sealed_at=…, …)
    list_exports(proj) -> [ExportRecord]            (newest first; the dialog's "--since" choices)
    find_export(proj, key) -> ExportRecord | None   (by package id or content digest)
    add_outputs(proj, pkg_id, paths, info=None)     (transport adds its volumes / .age files)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import DossierError


@dataclass
class ExportRecord:
    at: str
    package_id: str
    content_digest: str
    manifest_sha256: str
    files: dict[str, str]  # path -> sha256 (every payload file, data/submission.pdf included)
    outputs: list[str]
    info: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "package_id": self.package_id, "content_digest": self.content_digest,
                "manifest_sha256": self.manifest_sha256, "files": len(self.files), "outputs": self.outputs,
                "info": self.info}

    @property
    def label(self) -> str:
        """One line for a list: seal time, base name, digest prefix."""
        return f"{self.info.get('sealed_at', self.at)}  {self.info.get('base', '')}  sha256:{self.content_digest[:12]}…"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _has_table(proj) -> bool:
    return proj.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='exports'").fetchone() is not None


def record_export(proj, *, pkg_id: str, digest: str, manifest: bytes, payload: Iterable[tuple[str, str, int]],
                  outputs: Iterable[Path | str], sealed_at: str, base: str, draft: bool, signer: str | None) -> None:
    if not _has_table(proj):  # an old schema opened read-only is skipped by the caller; be safe anyway
        return
    files = {p: s for p, s, _n in payload}
    outs = [str(o) for o in outputs]
    info = {"sealed_at": sealed_at, "base": base, "draft": bool(draft), "signer": signer,
            "bytes": sum(n for _p, _s, n in payload)}
    msha = hashlib.sha256(manifest).hexdigest()
    try:
        with proj.transaction() as c:
            row = c.execute("SELECT id, outputs FROM exports WHERE package_id=?", (pkg_id,)).fetchone()
            if row is not None:
                old = json.loads(row[1] or "[]")
                merged = old + [o for o in outs if o not in old]
                c.execute("UPDATE exports SET at=?, outputs=? WHERE id=?", (_now(), json.dumps(merged, ensure_ascii=False), row[0]))
            else:
                c.execute("INSERT INTO exports(at, package_id, content_digest, manifest_sha256, files, outputs, info)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          (_now(), pkg_id, digest, msha, json.dumps(files, ensure_ascii=False, sort_keys=True),
                           json.dumps(outs, ensure_ascii=False), json.dumps(info, ensure_ascii=False, sort_keys=True)))
    except sqlite3.Error as e:
        raise DossierError(f"could not write the export history: {e}", f"无法写入导出记录：{e}", key="export.history") from None


def add_outputs(proj, pkg_id: str, paths: Iterable[Path | str], info: dict[str, Any] | None = None) -> None:
    """Add output paths (volumes, .age, .par2, a delta) and transport details to a recorded export."""
    if proj.readonly or not _has_table(proj):
        return
    with proj.transaction() as c:
        row = c.execute("SELECT id, outputs, info FROM exports WHERE package_id=?", (pkg_id,)).fetchone()
        if row is None:
            return
        # the export was sealed in a private folder first (desktop.transport): forget those paths
        old = [o for o in json.loads(row[1] or "[]") if "/.dossier-export-" not in o.replace("\\", "/")]
        outs = old + [str(p) for p in paths if str(p) not in old]
        inf = json.loads(row[2] or "{}")
        if info:
            inf.setdefault("transport", []).append(info)
        c.execute("UPDATE exports SET outputs=?, info=? WHERE id=?",
                  (json.dumps(outs, ensure_ascii=False), json.dumps(inf, ensure_ascii=False, sort_keys=True), row[0]))


def _row(r) -> ExportRecord:
    def js(v, default):
        try:
            return json.loads(v) if v else default
        except ValueError:
            return default

    return ExportRecord(at=r[0], package_id=r[1], content_digest=r[2], manifest_sha256=r[3], files=js(r[4], {}),
                        outputs=js(r[5], []), info=js(r[6], {}))


def list_exports(proj) -> list[ExportRecord]:
    if not _has_table(proj):
        return []
    rows = proj.conn.execute("SELECT at, package_id, content_digest, manifest_sha256, files, outputs, info FROM exports"
                             " ORDER BY id DESC").fetchall()
    return [_row(r) for r in rows]


def find_export(proj, key: str) -> ExportRecord | None:
    """A recorded export by package id, content digest (with or without "sha256:") or manifest hash."""
    k = key.strip().lower()
    if k.startswith("sha256:"):
        k = k[7:]
    for rec in list_exports(proj):
        if k in (rec.package_id, rec.content_digest, rec.manifest_sha256):
            return rec
    return None
