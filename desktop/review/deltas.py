"""Resubmission deltas on the desk (issue #10 with #12's deltas): a delta is linked to its basis.

A delta (`dossier export … --since PREVIOUS.zip`, desktop.transport.delta) carries only what
changed since a package the reviewer already has, and names that basis: its package id, content
digest and the SHA-256 of its manifest-sha256.txt. On the desk:

1. Intake records every delta first as *waiting*: its own bytes are kept (copied in, or linked
   with `--link`), with a verdict that says which package it needs ("delta of package <id>: its
   basis is not in this review — add that package"). Nothing is dropped.
2. At the end of the same intake (the same transaction), each waiting delta whose basis is in the
   review file — matched on what the delta names — is rebuilt against the review's copy of the
   basis (or the linked file) with `desktop.transport.open_package(…, basis=…)` and verified with
   exactly `verify_package`: the verdict `dossier verify DELTA --basis PREVIOUS` gives, which is
   the full export's. The rebuilt full package replaces the delta's bytes in the record (the
   review file stays self-contained and every reader sees a whole package), the link delta →
   basis is kept in `info.delta`, and the usual chain makes the basis *superseded* by it.
3. A basis that arrives later (a later intake, or later in the same command) resolves the deltas
   waiting for it then; rebuilt packages can be the basis of further deltas.

A package that has the delta's package id but not its manifest is not its basis: the delta is
marked *unreadable* ("wrong basis …", as `dossier verify` says); a basis whose bytes differ from
what the delta expects (a tampered basis) makes it *tampered*, naming the file. Either stays
waiting for the right basis.

The record (packages.info, JSON; no schema change):

    info.manifest_sha256    SHA-256 of the package's manifest-sha256.txt (every package, for matching)
    info.delta              only for deltas:
        state               waiting | wrong_basis | basis_damaged | basis_unreadable | linked
        want                {package_id, content_digest, manifest_sha256}: the basis the delta names
        basis               the id of the basis record (linked), else the candidate that failed, or null
        file                {name, sha256, size}: the delta file as received
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import DossierError
from .opener import bag_path, read_answers, read_member

PENDING = ("waiting", "wrong_basis", "basis_damaged", "basis_unreadable")


# ---------------------------------------------------------------------------- reading a delta


def probe_delta(path: Path) -> dict[str, Any] | None:
    """{"root", "index"} when the plain zip at `path` is a resubmission delta, else None. Raises
    DossierError (bilingual) for a delta whose index is damaged or altered."""
    from ..transport import delta as _d
    from ..transport.layout import open_zip

    try:
        src = open_zip(path)
    except DossierError:
        return None  # not a zip verify's reader accepts: the normal intake says why
    try:
        got = _d.is_delta(src)
        if got is None:
            return None
        root, info = got
        return {"root": root, "index": _d.read_index(src, root, info)}
    finally:
        src.close()


def manifest_sha256(zpath: Path, root: str) -> str:
    """SHA-256 of a package's manifest-sha256.txt ('' when it cannot be read): what a delta names."""
    raw = read_member(zpath, bag_path(root, "manifest-sha256.txt"))
    return hashlib.sha256(raw).hexdigest() if raw is not None else ""


def want_of(index: dict[str, Any]) -> dict[str, str]:
    b = index["basis"]
    return {"package_id": str(b.get("package_id") or ""), "content_digest": str(b.get("content_digest") or ""),
            "manifest_sha256": str(b.get("manifest_sha256") or "")}


def _short(want: dict[str, str]) -> str:
    pid = want.get("package_id") or ""
    return pid or f"sha256:{(want.get('content_digest') or '?')[:16]}…"


def waiting_verdict(path: Path, probe: dict[str, Any]):
    """The verdict of a delta whose basis is not (yet) in the review, and the delta's answers.json
    (read for the list — applicant, program, seal time — never shown as the package's content)."""
    from ..export.verify import Verdict

    idx = probe["index"]
    want = want_of(idx)
    v = Verdict(status="unreadable", package=path.name, root=probe["root"])
    v.package_id = str(idx["package"].get("id") or "")
    v.content_digest = str(idx["package"].get("content_digest") or "")
    doc = read_answers(path, probe["root"])
    if doc is not None:
        prog = doc.get("program") or {}
        v.program = {"id": prog.get("id", ""), "version": prog.get("version", ""),
                     "title_zh": (prog.get("title") or {}).get("zh", ""), "title_en": (prog.get("title") or {}).get("en", "")}
        v.applicant = (doc.get("applicant") or {}).get("zh", "")
        v.sealed_at = str(doc.get("sealed_at") or "")
        v.project_uuid = str((doc.get("project") or {}).get("uuid") or "")
    en, zh = missing_text(want)
    v.errors, v.errors_zh, v.error_key = [en], [zh], "review.basis_missing"
    v.notes.append(f"resubmission delta {path.name}")
    return v, doc


def missing_text(want: dict[str, str]) -> tuple[str, str]:
    s = _short(want)
    return (f"delta of package {s}: its basis is not in this review — add that earlier package (its .zip) to this review "
            "file; the delta is rebuilt against it and checked then",
            f"数据包 {s} 的增量包：其基础包不在本评审文件中——请把该较早的数据包（.zip）添加到本评审文件，届时将据此重建并核验增量包")


# ---------------------------------------------------------------------------- finding the basis


_CAND_COLS = ("id, storage, blob_id, source_path, file_sha256, source_name, status, duplicate_of, package_id, content_digest,"
              " info, fingerprint")


def find_basis(c: sqlite3.Connection, want: dict[str, str], *, exclude: int, among: set[int] | None = None):
    """(candidates to try, best first; packages that have the delta's identity but not its manifest).
    A candidate is any package in the review with bytes (stored or linked) that is not itself a
    delta waiting for a basis and that matches what the delta names."""
    tries, mismatched = [], []
    for row in c.execute(f"SELECT {_CAND_COLS} FROM packages WHERE storage IN ('stored', 'linked') AND id != ? "
                         "ORDER BY id", (exclude,)):
        r = dict(zip([x.strip() for x in _CAND_COLS.split(",")], row))
        if among is not None and r["id"] not in among:
            continue
        info = json.loads(r["info"] or "{}")
        if (info.get("delta") or {}).get("state") in PENDING:
            continue
        man = info.get("manifest_sha256") or ""
        same_id = bool(want["package_id"]) and r["package_id"] == want["package_id"]
        same_digest = bool(want["content_digest"]) and r["content_digest"] == want["content_digest"]
        if man and man == want["manifest_sha256"]:
            tries.append((0, r))
        elif not (same_id or same_digest):
            continue
        elif man:
            mismatched.append(r)  # the delta's package, but another manifest: not its basis
        elif (not want["package_id"] or same_id) and (not want["content_digest"] or same_digest):
            tries.append((1, r))  # recorded before the manifest was: the rebuild checks it
    good = lambda r: (r["status"] in ("tampered", "unreadable"), r["duplicate_of"] is not None, r["id"])  # noqa: E731
    tries.sort(key=lambda t: (t[0], *good(t[1])))
    return [r for _k, r in tries], mismatched


# ---------------------------------------------------------------------------- resolving


def pending_rows(c: sqlite3.Connection) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for pid, info in c.execute("SELECT id, info FROM packages WHERE info LIKE '%\"delta\"%' ORDER BY id"):
        d = json.loads(info or "{}")
        if (d.get("delta") or {}).get("state") in PENDING:
            out.append((pid, d))
    return out


def resolve_pending(c: sqlite3.Connection, rv, new_ids: list[int], *, programs=None, task=None) -> list[int]:
    """Rebuild and link every waiting delta whose basis is now in the review (see the module doc).
    A delta taken in by this intake looks at every package; one waiting from an earlier intake
    only at the packages this intake added (the others were tried before). Returns the ids of the
    deltas that changed (linked, or found a basis that is not the right one)."""
    new = set(new_ids)
    changed: list[int] = []
    progress = True
    while progress:  # a rebuilt package can be the basis of another delta
        progress = False
        for pid, info in pending_rows(c):
            if task is not None:
                task.check()
            d = info["delta"]
            among = None if pid in new else new
            cands, mismatched = find_basis(c, d["want"], exclude=pid, among=among)
            if not cands and not mismatched:
                continue
            state = _resolve_one(c, rv, pid, info, cands, mismatched, programs)
            if state is None:
                continue
            if pid not in changed:
                changed.append(pid)
            if state == "linked":
                new.add(pid)
                progress = True
    return changed


def _resolve_one(c, rv, pid: int, info: dict[str, Any], cands, mismatched, programs) -> str | None:
    from ..export.verify import Finding, Verdict, verify_package
    from ..transport import open_package
    from ..transport.layout import PartMismatch
    from .intake import Checked, update_record
    from .packages import add_event
    from .fingerprint import fingerprint_file
    from .store import package_file, store_blob

    d = info["delta"]
    want = d["want"]
    me = c.execute("SELECT storage, blob_id, source_path, file_sha256, source_name, fingerprint FROM packages WHERE id=?",
                   (pid,)).fetchone()
    failure: tuple[str, dict | None, str, str, Any] | None = None
    for cand in cands:
        try:
            # a delta received encrypted or split is stored as its plain delta zip: named as one
            dname = me[4][:-4] if me[4].lower().endswith(".age") else me[4]
            with package_file(c, me[0], me[1], me[2], me[3], dname, fingerprint=me[5]) as dpath, \
                    package_file(c, cand["storage"], cand["blob_id"], cand["source_path"], cand["file_sha256"],
                                 cand["source_name"], fingerprint=cand["fingerprint"]) as bpath:
                opened = open_package([dpath], basis=[bpath])
                try:
                    v = verify_package(opened.zip)  # exactly `dossier verify DELTA --basis PREVIOUS`
                    v.notes = opened.notes + v.notes
                    schema_ok = any(ch.name == "answers.json schema" and ch.ok for ch in v.checks)
                    doc = read_answers(opened.zip, v.root, schema_checked=schema_ok) if v.status != "unreadable" else None
                    size = opened.zip.stat().st_size
                    with open(opened.zip, "rb") as fh:
                        blob_id, sha, _new = store_blob(c, fh, size)
                    fp = fingerprint_file(opened.zip, v.entry_ranges, expect_size=size)
                    man = manifest_sha256(opened.zip, v.root)
                finally:
                    opened.close()
        except PartMismatch as e:
            failure = failure or ("basis_damaged", cand, e.en, e.zh, e)
            continue
        except DossierError as e:
            kind = "wrong_basis" if e.key == "transport.wrong_basis" else "basis_unreadable"
            failure = failure or (kind, cand, e.en, e.zh, e)
            continue
        old_blob = me[1] if me[0] == "stored" else None
        new_info = {**info, "manifest_sha256": man, "transport": opened.notes,
                    "delta": {**d, "state": "linked", "basis": cand["id"]}}
        ch = Checked(Path(me[2]), verdict=v, doc=doc, size=size, fingerprint=fp)
        update_record(c, rv, pid, ch, sha, "stored", blob_id, new_info, programs)
        if old_blob is not None and old_blob != blob_id and not c.execute(
                "SELECT 1 FROM packages WHERE blob_id=? LIMIT 1", (old_blob,)).fetchone():
            c.execute("DELETE FROM chunks WHERE blob_id=?", (old_blob,))  # the delta's own bytes: the rebuilt package replaces them
            c.execute("DELETE FROM blobs WHERE id=?", (old_blob,))
        add_event(c, pid, "linked", None, {"basis": cand["id"], "delta": d.get("file", {}).get("name", ""),
                                           "status": v.status})
        return "linked"
    if failure is None:
        cand = mismatched[0]
        s = _short(want)
        failure = ("wrong_basis", cand,
                   f"wrong basis: this delta was made against package {s} with manifest sha256:{want['manifest_sha256'][:16]}…, "
                   f"but package #{cand['id']} in this review has that identity and another manifest (altered, or another "
                   "export)", f"基础包不对：该增量包针对的是数据包 {s}（manifest sha256:{want['manifest_sha256'][:16]}…），而本评审文件中的"
                   f" #{cand['id']} 身份相同但 manifest 不同（被改动，或是另一次导出）", None)
    kind, cand, en, zh, exc = failure
    if d.get("state") == kind and d.get("basis") == (cand or {}).get("id"):
        return None  # the same finding as before: nothing to record again
    n = (cand or {}).get("id")
    if kind == "basis_damaged":
        v = Verdict(status="tampered", package=me[4])
        v.findings = [Finding(getattr(exc, "path", ""), "modified",
                              f"the basis (package #{n}) does not hold the bytes this delta expects: {en}")]
        v.errors = [f"delta of package {_short(want)}: rebuilt against #{n}, whose bytes differ from what the delta records — "
                    f"the basis or the delta was altered: {en}"]
        v.errors_zh = [f"数据包 {_short(want)} 的增量包：以 #{n} 为基础重建时，其内容与增量包的记录不一致——基础包或增量包被改动：{zh}"]
    else:
        v = Verdict(status="unreadable", package=me[4])
        lead = f"delta of package {_short(want)}: " + (f"package #{n} cannot serve as its basis: " if n else "")
        lead_zh = f"数据包 {_short(want)} 的增量包：" + (f"#{n} 不能作为其基础包：" if n else "")
        v.errors, v.errors_zh = [lead + en + " — add the package it was made against"], [lead_zh + zh + "——请添加其真正的基础包"]
    v.error_key = f"review.{kind}"
    old = c.execute("SELECT verdict FROM packages WHERE id=?", (pid,)).fetchone()[0]
    prev = json.loads(old or "{}")
    for k in ("program", "applicant", "sealed_at", "package_id", "project_uuid", "content_digest", "root"):
        setattr(v, k, prev.get(k) or getattr(v, k))
    info = {**info, "delta": {**d, "state": kind, "basis": n}}
    c.execute("UPDATE packages SET status=?, verdict=?, info=? WHERE id=?",
              (v.status, json.dumps(v.to_dict(), ensure_ascii=False), json.dumps(info, ensure_ascii=False), pid))
    add_event(c, pid, "linked", None, {"basis": n, "failed": kind, "reason": en})
    return kind
