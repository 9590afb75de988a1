"""Intake: take packages into a review file — files, folders, a whole USB stick or CD.

    result = add_packages(review, ["/media/usb"], link=False, task=TaskState())

1. Discover: files given by name are candidates whatever they are called; folders are walked
   recursively (symbolic links are not followed) and every `*.zip` in them is a candidate. Only
   regular files are opened (a FIFO named `x.zip` would block a reader forever).
2. Verify, several packages at once (a thread pool with one worker per core: hashing, zlib and
   SQLite release the GIL), with exactly `desktop.export.verify.verify_package`.
3. Meanwhile the calling thread copies each package into the review file in discovery order,
   hashing while it copies (or, with `link=True`, only hashes it), then records it with its
   verdict and links it to the packages already there (duplicate, superseded, previous).

The whole intake is ONE transaction: cancel, an error or a full disk leaves the review file
exactly as it was. What is refused is never recorded — a non-package, a hostile zip (verify's
defences), a package whose program is not installed here — and each refusal comes back with its
reason. A package that is damaged beyond reading (a copy cut short) is recorded as "unreadable"
with verify's findings, never silently dropped; its bytes are not kept.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import DossierError
from ..tasks import TaskState
from .file import ReviewError, utcnow
from .opener import looks_like_zip, open_package, read_answers, starts_like_package, structure_intact
from .packages import PackageRecord, add_event
from .recheck import installed_program, recheck
from .fingerprint import TeeReader, fingerprint_file, stream_for
from .store import free_space_ok, hash_file, store_blob


@dataclass
class Refusal:
    path: str
    en: str
    zh: str
    key: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.en, "reason_zh": self.zh, "key": self.key}


@dataclass
class IntakeResult:
    added: list[PackageRecord] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in folders that are not .zip (not looked at)
    # deltas taken in by an earlier intake that this one resolved (linked to a basis it brought)
    resolved: list[PackageRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"added": [p.id for p in self.added], "refused": [r.to_dict() for r in self.refused],
                "skipped": len(self.skipped), "resolved": [p.id for p in self.resolved]}


# ---------------------------------------------------------------------------- discovery


def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Refusal], list[str]]:
    """(candidates in a stable order, refusals, skipped names). Duplicated paths count once."""
    cands: list[Path] = []
    refused: list[Refusal] = []
    skipped: list[str] = []
    seen: set[str] = set()

    def take(p: Path) -> None:
        p = Path(os.path.abspath(p))  # recorded as given (not resolved): the drive letter or mount point stays
        key = os.path.normcase(str(p))
        if key not in seen:
            seen.add(key)
            cands.append(p)

    for raw in paths:
        p = Path(raw)
        try:
            st = p.stat()
        except FileNotFoundError:
            refused.append(Refusal(str(p), f"{p}: not found", f"{p}：找不到", "review.missing"))
            continue
        except OSError as e:
            refused.append(Refusal(str(p), f"{p}: cannot be read ({e.strerror})", f"{p}：无法读取（{e.strerror}）",
                                   "review.unreadable"))
            continue
        if stat.S_ISDIR(st.st_mode):
            def onerror(e: OSError) -> None:
                refused.append(Refusal(str(e.filename), f"{e.filename}: cannot be read ({e.strerror})",
                                       f"{e.filename}：无法读取（{e.strerror}）", "review.unreadable"))

            for dirpath, dirnames, filenames in os.walk(p, onerror=onerror, followlinks=False):
                dirnames.sort()
                for f in sorted(filenames):
                    full = Path(dirpath) / f
                    if not f.lower().endswith((".zip", ".zip.age")) or f.startswith("._"):  # ._x.zip: macOS metadata
                        skipped.append(str(full))
                        continue
                    try:
                        fst = full.lstat()
                    except OSError:
                        skipped.append(str(full))
                        continue
                    if stat.S_ISREG(fst.st_mode):
                        take(full)
                    else:  # links and special files inside folders are not followed
                        skipped.append(str(full))
        elif stat.S_ISREG(st.st_mode):
            take(p)
        else:
            refused.append(Refusal(str(p), f"{p} is not a regular file (a device or pipe?): it was not opened",
                                   f"{p} 不是普通文件（设备或管道？），未打开", "review.not_file"))
    return _one_per_volume_set(cands), refused, skipped


def _volume_key(p: Path) -> tuple | None:
    """(folder, base, count, encrypted) when `p` is named like a volume of a split package
    (`<base>_part02of05.zip`, or `.zip.age` encrypted), else None."""
    from ..transport.volumes import PART_RE

    name = p.name
    enc = name.lower().endswith(".zip.age")
    stem = name[: -len(".zip.age")] if enc else (name[:-4] if name.lower().endswith(".zip") else None)
    m = PART_RE.match(stem) if stem else None
    if m is None:
        return None
    return (os.path.normcase(str(p.parent)), m.group("base"), int(m.group("n")), enc)


def _one_per_volume_set(cands: list[Path]) -> list[Path]:
    """A split package is ONE candidate (the first of its volumes met); the worker takes the set's
    other volumes from beside it (volume_set)."""
    out: list[Path] = []
    seen: set[tuple] = set()
    for p in cands:
        key = _volume_key(p)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(p)
    return out


def volume_set(p: Path) -> list[Path] | None:
    """Every volume of the set `p` belongs to that lies beside it, in order (None: not a volume)."""
    key = _volume_key(p)
    if key is None:
        return None
    try:
        names = sorted(os.listdir(p.parent))
    except OSError:
        return [p]
    members = [p.parent / n for n in names if not n.startswith("._") and _volume_key(p.parent / n) == key]
    return [m for m in members if m.is_file()] or [p]


# ---------------------------------------------------------------------------- verification


@dataclass
class Checked:
    """What one worker found out about one candidate."""

    source: Path
    verdict: Any = None  # desktop.export.verify.Verdict
    doc: dict[str, Any] | None = None
    sha256: str | None = None  # a waiting delta in link mode: hashed by the worker
    fingerprint: str | None = None  # desktop/review/fingerprint.py, of zip_path (from verify's entry hashes)
    size: int = 0
    refusal: Refusal | None = None
    notes: list[str] = field(default_factory=list)
    zip_path: Path | None = None  # what verify read and intake stores (the source itself, or transport's zip)
    cleanup: Any = None  # removes transport's temporary zip, if any
    manifest_sha256: str = ""  # of its manifest-sha256.txt: what a delta made against it names
    delta: dict[str, Any] | None = None  # a resubmission delta: {"root", "index", "answers"} (desktop.review.deltas)

    def release(self) -> None:
        if self.cleanup is not None:
            self.cleanup()
            self.cleanup = None


def _not_package(p: Path) -> Refusal:
    return Refusal(str(p), f"{p.name} is not a Dossier data package", f"{p.name} 不是 Dossier 数据包", "review.not_package")


def check_one(path: Path, *, link: bool, stat_before: os.stat_result, renderer: Any = None) -> Checked:
    """Verify one candidate (runs in a worker thread; opens its own files, touches no database).
    Never raises for a bad file: what cannot be read comes back as a refusal."""
    try:
        return _check_one(path, link=link, stat_before=stat_before, renderer=renderer)
    except ReviewError as e:
        return Checked(path, size=stat_before.st_size, refusal=Refusal(str(path), e.en, e.zh, e.key))
    except OSError as e:
        return Checked(path, size=stat_before.st_size, refusal=Refusal(
            str(path), f"{path}: cannot be read ({e.strerror})", f"{path}：无法读取（{e.strerror}）", "review.unreadable"))


def _waiting_delta(out: Checked, path: Path, zpath: Path, *, link: bool) -> bool:
    """When the plain zip `zpath` (the file `path` itself, or what transport unwrapped from it) is a
    resubmission delta: fill `out` with it as it waits for its basis (deltas.resolve_pending
    rebuilds it then) and say True. A delta whose index is damaged comes back unreadable."""
    from .deltas import probe_delta, waiting_verdict

    try:
        probe = probe_delta(zpath)
    except DossierError as e:  # a delta whose index is damaged or altered: recorded as unreadable, as verify says
        from ..export.verify import Verdict

        out.verdict = Verdict(status="unreadable", package=path.name, errors=[e.en], errors_zh=[e.zh], error_key=e.key)
        return True
    if probe is None:
        return False
    out.verdict, probe["answers"] = waiting_verdict(zpath, probe)
    out.delta = probe
    with open(zpath, "rb") as fh:  # one read: its SHA-256 (linked: recorded) and its fingerprint
        stream = stream_for(fh)
        sha, _n = hash_file(TeeReader(fh, stream))
        out.fingerprint = stream.hexdigest()
    if link:
        out.sha256 = sha
    return True


def _check_one(path: Path, *, link: bool, stat_before: os.stat_result, renderer: Any = None) -> Checked:
    from ..export.verify import verify_package

    out = Checked(path, size=stat_before.st_size)
    if looks_like_zip(path) and _waiting_delta(out, path, path, link=link):
        out.zip_path = path
        return out
    try:
        # volumes / encrypted → a zip (desktop.transport), else the file itself; a delta inside
        # volumes or .age comes back as its plain delta zip, which waits for its basis like any delta
        opened = open_package(path, members=volume_set(path), delta_as_is=True)
    except DossierError as e:
        out.refusal = Refusal(str(path), e.en, e.zh, e.key)
        return out
    out.zip_path, out.cleanup, out.notes = opened.path, opened.cleanup, opened.notes
    if opened.path != path and looks_like_zip(opened.path) and _waiting_delta(out, path, opened.path, link=False):
        out.verdict.notes = list(opened.notes)
        out.size = opened.path.stat().st_size
        return out
    try:
        if not looks_like_zip(opened.path):
            out.refusal = _not_package(path)
            return out
        if opened.path != path:
            out.size = opened.path.stat().st_size
        v = verify_package(opened.path, rerender=renderer or True)
        out.verdict = v
        if v.status == "unreadable":
            if not starts_like_package(opened.path):
                out.refusal = _not_package(path)
                return out
            if structure_intact(opened.path):
                # a complete zip that verify refused: a hostile zip (unsafe names, links, bombs, overlaps…)
                reason = "; ".join(v.errors) or "unreadable"
                out.refusal = Refusal(str(path), f"{path.name} was refused: {reason}", f"{path.name} 被拒绝：{reason}",
                                      "review.hostile")
                return out
            # else: a package whose copy is damaged (cut short): recorded as unreadable
        else:
            schema_ok = any(c.name == "answers.json schema" and c.ok for c in v.checks)
            # a tampered package whose answers.json cannot be read is still recorded, with its findings
            out.doc = read_answers(opened.path, v.root, schema_checked=schema_ok)
            from .deltas import manifest_sha256

            out.manifest_sha256 = manifest_sha256(opened.path, v.root)
        if v.status != "unreadable":
            # what verify hashed names the bytes: only the zip's headers are read again (one hash per byte)
            try:
                out.fingerprint = fingerprint_file(opened.path, v.entry_ranges,
                                                   expect_size=stat_before.st_size if opened.path == path else None)
            except ValueError:
                raise ReviewError(f"{path} changed while it was being read; take it in again",
                                  f"读取过程中 {path} 发生了变化，请重新添加", key="review.source_changed") from None
    finally:
        if out.refusal is not None:
            out.release()
    return out


# ---------------------------------------------------------------------------- intake


def _same_applicant(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["program_id"] != b["program_id"]:
        return False
    if a.get("project_uuid") and b.get("project_uuid"):
        return a["project_uuid"] == b["project_uuid"]
    return bool(a["applicant"]) and a["applicant"] == b["applicant"]


def relink_chain(c, pid: int) -> None:
    """Order the submissions of `pid`'s applicant by seal time and link them: each one's `previous`
    is the one before, its `superseded_by` the one after; the last is current. Duplicates,
    unreadable and tampered packages and packages for another program stay out of the chain."""
    cols = "id, program_id, project_uuid, applicant, sealed_at, superseded_by, previous"
    me = c.execute(f"SELECT {cols} FROM packages WHERE id=?", (pid,)).fetchone()
    names = ("id", "program_id", "project_uuid", "applicant", "sealed_at", "superseded_by", "previous")
    me = dict(zip(names, me))
    rows = [dict(zip(names, r)) for r in c.execute(
        f"SELECT {cols} FROM packages WHERE program_id=? AND duplicate_of IS NULL AND wrong_program=0 "
        "AND status NOT IN ('tampered', 'unreadable')", (me["program_id"],))]
    chain = sorted((r for r in rows if _same_applicant(r, me)), key=lambda r: (r["sealed_at"], r["id"]))
    if not any(r["id"] == pid for r in chain):
        return
    for i, r in enumerate(chain):
        prev = chain[i - 1]["id"] if i else None
        nxt = chain[i + 1]["id"] if i + 1 < len(chain) else None
        if (r["previous"], r["superseded_by"]) != (prev, nxt):
            c.execute("UPDATE packages SET previous=?, superseded_by=? WHERE id=?", (prev, nxt, r["id"]))
            if r["superseded_by"] != nxt:
                add_event(c, r["id"], "superseded", r["superseded_by"], nxt)


def _duplicate_of(c, sha: str, fingerprint: str | None, doc: dict | None, status: str, content_digest: str,
                  exclude: int | None = None) -> int | None:
    x = -1 if exclude is None else exclude
    # the same bytes: the same fingerprint, or (rows from before review file v3, stored copies) the same SHA-256
    row = c.execute("SELECT id, duplicate_of FROM packages WHERE (fingerprint=? OR (file_sha256=? AND file_sha256 != ''))"
                    " AND id != ? ORDER BY id LIMIT 1", (fingerprint or "", sha or "-", x)).fetchone()
    if row:
        return row[1] or row[0]
    if status in ("tampered", "unreadable") or not doc:
        return None
    pkg_id = ((doc.get("package") or {}).get("id") if isinstance(doc.get("package"), dict) else None)
    if pkg_id:  # the same export, zipped again: same package id, same content
        row = c.execute("SELECT id, duplicate_of FROM packages WHERE package_id=? AND content_digest=? "
                        "AND status NOT IN ('tampered', 'unreadable') AND id != ? ORDER BY id LIMIT 1",
                        (pkg_id, content_digest, x)).fetchone()
        if row:
            return row[1] or row[0]
    return None


def _signature_of(v) -> tuple[str, str, str]:
    """(status, signer, fingerprint) from the bag's signature, else the PDF's."""
    for sig in (v.signature or {}, v.pdf_signature or {}):
        st = sig.get("status") or "unsigned"
        if st != "unsigned":
            return st, str(sig.get("signer") or ""), str(sig.get("fingerprint") or "").lower()
    return "unsigned", "", ""


def _fields(c, rv, ch: Checked, sha: str, storage: str, blob_id: int | None, programs=None,
            exclude: int | None = None) -> dict[str, Any]:
    """The columns that say what a package is (everything but its identity, source and review state)."""
    v = ch.verdict
    doc = ch.doc
    status = v.status if v is not None else "unreadable"
    program = v.program or {} if v is not None else {}
    prog_id = (doc or {}).get("program", {}).get("id") or program.get("id") or ""
    version = (doc or {}).get("program", {}).get("version") or program.get("version") or ""
    review_prog = rv.program_id
    wrong = bool(review_prog and prog_id and prog_id != review_prog)
    sig_status, signer, fp = _signature_of(v) if v is not None else ("unsigned", "", "")
    pkg = (doc or {}).get("package") if isinstance((doc or {}).get("package"), dict) else {}
    proj = (doc or {}).get("project") if isinstance((doc or {}).get("project"), dict) else {}
    dup = _duplicate_of(c, sha, ch.fingerprint, doc, status, v.content_digest if v is not None else "", exclude)
    checks = recheck(doc, programs) if doc is not None and not wrong else {}
    applicant = (doc or {}).get("applicant", {}).get("zh") if doc else (v.applicant if v is not None else "")
    row = {
        "file_sha256": sha, "fingerprint": ch.fingerprint, "size": ch.size, "storage": storage, "blob_id": blob_id, "status": status,
        "verdict": json.dumps(v.to_dict() if v is not None else {}, ensure_ascii=False),
        "package_id": (pkg or {}).get("id"), "project_uuid": (proj or {}).get("uuid"),
        "program_id": prog_id, "program_version": version, "applicant": applicant or "",
        "applicant_en": ((doc or {}).get("applicant") or {}).get("en", "") if doc else "",
        "sealed_at": (v.sealed_at if v is not None else "") or "", "draft": int(bool(v is not None and v.draft)),
        "content_digest": v.content_digest if v is not None else "", "signature_status": sig_status,
        "signer": signer, "signer_fingerprint": fp,
        "answers": json.dumps(doc, ensure_ascii=False) if doc is not None else None,
        "recheck": json.dumps(checks, ensure_ascii=False), "duplicate_of": dup, "wrong_program": int(wrong),
    }
    info: dict[str, Any] = {"transport": ch.notes} if ch.notes else {}
    if ch.manifest_sha256:
        info["manifest_sha256"] = ch.manifest_sha256
    if ch.delta is not None:  # waiting for its basis: what it is, from its own answers.json and index
        from .deltas import want_of

        ans = ch.delta.get("answers") or {}
        row["package_id"] = v.package_id or None
        row["project_uuid"] = v.project_uuid or None
        row["applicant_en"] = (ans.get("applicant") or {}).get("en", "")
        info["delta"] = {"state": "waiting", "want": want_of(ch.delta["index"]), "basis": None,
                         "file": {"name": ch.source.name, "sha256": sha, "size": ch.size}}
    row["info"] = json.dumps(info, ensure_ascii=False)
    return row


def _record(c, rv, ch: Checked, sha: str, storage: str, blob_id: int | None, now: str, programs=None) -> int:
    row = {"uid": uuid.uuid4().hex, "added_at": now, "source_path": str(ch.source), "source_name": ch.source.name,
           **_fields(c, rv, ch, sha, storage, blob_id, programs), "state": "received", "state_at": now}
    status, dup = row["status"], row["duplicate_of"]
    wrong, prog_id = row["wrong_program"], row["program_id"]
    cols = ", ".join(row)
    pid = c.execute(f"INSERT INTO packages({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())).lastrowid
    add_event(c, pid, "intake", None, {"source": str(ch.source), "status": status, "storage": storage,
                                        "duplicate_of": dup}, at=now)
    if dup is None and status not in ("tampered", "unreadable") and not wrong and prog_id:
        relink_chain(c, pid)
    return pid


def update_record(c, rv, pid: int, ch: Checked, sha: str, storage: str, blob_id: int | None, info: dict[str, Any],
                  programs=None) -> None:
    """Re-describe package `pid` in place (a delta rebuilt against its basis): its id, source, review
    state, notes and history stay; what it is and its links are recomputed."""
    row = _fields(c, rv, ch, sha, storage, blob_id, programs, exclude=pid)
    row["info"] = json.dumps(info, ensure_ascii=False)
    c.execute(f"UPDATE packages SET {', '.join(k + '=?' for k in row)} WHERE id=?", [*row.values(), pid])
    if row["duplicate_of"] is None and row["status"] not in ("tampered", "unreadable") and not row["wrong_program"] \
            and row["program_id"]:
        relink_chain(c, pid)


def _refuse_uninstalled(ch: Checked, review_program: str, programs=None) -> Refusal | None:
    """A package for a program not installed here cannot be checked again: refuse it (unless the
    review is for another program, where it is simply recorded as the wrong program)."""
    if ch.doc is None or ch.refusal is not None:
        return None
    pid = ch.doc["program"]["id"]
    if review_program and pid != review_program:
        return None
    prog, why = installed_program(pid, ch.doc["program"]["version"], programs)
    if why == "unknown":
        return Refusal(str(ch.source), f"{ch.source.name} is for program {pid}, which is not installed here: install "
                       "its definition first (start window → Install a program definition)",
                       f"{ch.source.name} 属于本机未安装的程序 {pid}：请先安装该程序定义（开始窗口 →“安装程序定义”）",
                       "review.program_not_installed")
    return None


PIPELINE = 2  # packages verified beyond the re-render processes (add_packages); each holds its open zip and buffers


def add_packages(rv, paths: Iterable[str | os.PathLike], *, link: bool = False, task: TaskState | None = None,
                 workers: int | None = None) -> IntakeResult:
    """Take packages into the open review `rv` (see the module docstring). Raises ReviewError
    (nothing changed) for a read-only review file or a full disk; Cancelled when cancelled."""
    if rv.readonly:
        raise ReviewError("The review file is open read-only; copy it to a writable place to add packages",
                          "评审文件以只读方式打开；如需添加数据包，请先复制到可写的位置", key="review.readonly")
    task = task or TaskState()
    cands, refused, skipped = discover(paths)
    result = IntakeResult(refused=refused, skipped=skipped)
    stats: dict[Path, os.stat_result] = {}
    for p in cands:
        try:
            stats[p] = p.stat()
        except OSError as e:
            result.refused.append(Refusal(str(p), f"{p}: cannot be read ({e.strerror})", f"{p}：无法读取（{e.strerror}）",
                                          "review.unreadable"))
    cands = [p for p in cands if p in stats]
    total = sum(stats[p].st_size for p in cands)
    if not link and not free_space_ok(rv.path.parent, total):
        raise ReviewError(f"Not enough free space beside the review file to copy {total / 1e9:.1f} GB of packages in: "
                          "nothing was changed. Free some space, or take them in with “link” (no copy).",
                          f"评审文件所在磁盘空间不足，无法复制 {total / 1e9:.1f} GB 的数据包：未做任何修改。"
                          "请释放空间，或以“链接”方式添加（不复制）。", key="disk.full")
    task.set_total(max(1, total * 2))
    from ..programs import all_programs

    programs = all_programs()  # read once for the whole intake (installed definitions are parsed on each call)
    # one re-render process per core (at most 4: the disk is the limit beyond that), and PIPELINE
    # packages more in flight than processes, so the next package is opened, read and hashed while
    # the processes lay out the ones before it (with as many packages as processes, each process
    # waited for its next package to be opened: 12 % of two cores idle, issue #10)
    n_workers = max(1, workers or min(4, os.cpu_count() or 2))
    pool = cf.ThreadPoolExecutor(max_workers=n_workers + PIPELINE, thread_name_prefix="dossier-verify")
    from .renderpool import RenderPool

    renderer = RenderPool(n_workers)  # the PDF re-renders in processes: N cores lay out N packages at once
    added_ids: list[int] = []
    futures: list[cf.Future] = []
    try:
        futures = [pool.submit(check_one, p, link=link, stat_before=stats[p], renderer=renderer) for p in cands]
        with rv._tx() as c:
            now = utcnow()
            for i, (p, fut) in enumerate(zip(cands, futures)):
                status = f"{i + 1}/{len(cands)} {p.name}"
                size = stats[p].st_size
                while True:  # wait for the verdict, answering Cancel meanwhile
                    task.check()
                    try:
                        ch = fut.result(timeout=0.1)
                        break
                    except cf.TimeoutError:
                        continue
                task.advance(size, status)
                ch.refusal = ch.refusal or _refuse_uninstalled(ch, rv.program_id, programs)
                if ch.refusal is not None:
                    result.refused.append(ch.refusal)
                    ch.release()
                    task.advance(size)
                    continue
                blob_id = None
                src = ch.zip_path or p
                if ch.verdict is not None and ch.verdict.status == "unreadable" and ch.delta is None:
                    # damaged beyond reading: recorded with its findings; its bytes are not kept
                    storage, sha = "none", ""
                    try:
                        ch.fingerprint = fingerprint_file(src, progress=lambda k: task.advance(k, status))
                    except (OSError, ValueError) as e:
                        why = getattr(e, "strerror", None) or "it changed while it was read"
                        why_zh = getattr(e, "strerror", None) or "读取过程中文件发生了变化"
                        result.refused.append(Refusal(str(p), f"{p}: cannot be read ({why})", f"{p}：无法读取（{why_zh}）",
                                                      "review.unreadable"))
                        continue
                elif link and src == p:
                    storage, sha = "linked", ch.sha256 or ""  # '' : a linked package is known by its fingerprint
                    task.advance(size)
                else:
                    # the workers verify the next packages while this one is copied (hashed as it is written)
                    storage = "stored"
                    try:
                        with open(src, "rb") as fh:
                            blob_id, sha, _new = store_blob(c, fh, ch.size, lambda k: task.advance(k, status))
                    except OSError as e:
                        raise ReviewError(f"{p} could not be read while it was copied in ({e.strerror}): nothing was "
                                          "changed. Is the USB stick or CD still inserted?",
                                          f"复制 {p} 时读取失败（{e.strerror}）：未做任何修改。U盘或光盘是否仍已插入？",
                                          key="review.source_unreadable") from None
                after = p.stat()
                if (after.st_size, after.st_mtime_ns) != (stats[p].st_size, stats[p].st_mtime_ns):
                    raise ReviewError(f"{p} changed while it was being taken in; take it in again",
                                      f"添加过程中 {p} 发生了变化，请重新添加", key="review.source_changed")
                added_ids.append(_record(c, rv, ch, sha, storage, blob_id, now, programs))
                ch.release()
            task.check()
            from .deltas import resolve_pending

            # deltas (new, or waiting from before) whose basis is now here: rebuilt, verified, linked
            changed = resolve_pending(c, rv, added_ids, programs=programs, task=task)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        renderer.close()
        for fut in futures:  # temporary zips of packages not recorded (cancel, error)
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                fut.result().release()
    result.added = [rv.package(i) for i in added_ids]
    result.resolved = [rv.package(i) for i in changed if i not in added_ids]
    return result
