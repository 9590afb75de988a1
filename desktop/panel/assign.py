"""Assigning packages to an expert: an expert sheet (desktop.panel.sheet) built from the review file.

    issued = assign(rv, "张明", [3, 5, 8], "张明.dsheet")     # or packages="all"

The sheet is built fresh, under a temporary name beside the target, from the packages (their
answers, their bytes, the definitions they were made with), the round's rubric and the gates
pre-filled by the rule engine — and from nothing else: no score, comment or name of another
expert can be in it. It is renamed into place in the same transaction that records it in the
review file, so a sheet exists exactly when the review file knows about it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..fsutil import temp_path_beside
from ..review.file import ReviewError, os_error, utcnow
from ..review.recheck import installed_program
from ..review.store import hash_file, store_blob
from ..tasks import TaskState
from .experts import check_name, expert_id, name_key
from .prefill import prefill
from .rounds import NOT_FOR_PANEL, ensure_round, panel_program
from .sheet import SUFFIX, new_sheet_connection


@dataclass
class IssuedSheet:
    path: Path
    sheet_id: str
    expert: str
    round: int
    packages: list[int]
    sha256: str
    size: int

    def to_dict(self) -> dict:
        return {"path": str(self.path), "sheet_id": self.sheet_id, "expert": self.expert, "round": self.round,
                "packages": self.packages, "sha256": self.sha256, "size": self.size}


def eligible(rv) -> list[int]:
    """The packages a panel scores by default: readable, intact content, current, of the program."""
    trusted = rv.trusted()
    return [r.id for r in rv.packages() if r.storage != "none" and not _unfit(rv.verdict(r, trusted).flags)]


def _unfit(flags: list[str]) -> str | None:
    return next((f for f in flags if f in NOT_FOR_PANEL), None)


def _choose(rv, packages) -> list[int]:
    if packages == "all":
        ids = eligible(rv)
        if not ids:
            raise ReviewError("No package can go to the experts yet (none is readable, intact and current)",
                              "目前没有可分发给专家的数据包（没有可读取、完好且为最新版本的数据包）", key="panel.nothing_to_assign")
        return ids
    trusted = rv.trusted()
    out: list[int] = []
    for p in packages:
        rec = rv.package(p)
        bad = _unfit(rv.verdict(rec, trusted).flags)
        if bad is None and rec.storage == "none":
            bad = "unreadable"
        if bad is not None:
            en, zh = NOT_FOR_PANEL[bad]
            raise ReviewError(f"Package {rec.id} ({rec.display_name}) cannot go to the experts: {en}",
                              f"数据包 {rec.id}（{rec.display_name}）不能分发给专家：{zh}", key="panel.not_assignable")
        if rec.id not in out:
            out.append(rec.id)
    if not out:
        raise ReviewError("Name the packages to assign (--packages 1,2,3 or --all)", "请指定要分配的数据包（--packages 1,2,3 或 --all）",
                          key="panel.no_packages")
    return out


def parse_ids(text: str) -> list[str]:
    """"1,2,5-8" → ["1", "2", "5", "6", "7", "8"] (ranges of package numbers)."""
    out: list[str] = []
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        a, sep, b = part.partition("-")
        if sep and a.strip().isdigit() and b.strip().isdigit() and int(a) <= int(b) and int(b) - int(a) < 100000:
            out.extend(str(n) for n in range(int(a), int(b) + 1))
        else:
            out.append(part)
    return out


def assign(rv, expert: str, packages, out: str | os.PathLike, *, task: TaskState | None = None,
           with_files: bool = True) -> IssuedSheet:
    """Write the expert sheet for `expert` with `packages` (ids, or "all" eligible) to `out`."""
    task = task or TaskState()
    name = check_name(expert)
    out = Path(out)
    if not out.name.lower().endswith(SUFFIX):
        out = out.with_name(out.name + SUFFIX)
    if not out.parent.is_dir():
        raise ReviewError(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", key="panel.no_folder")
    if out.exists():
        raise ReviewError(f"{out} already exists (an expert's work may be in it): choose another name",
                          f"{out} 已存在（其中可能有专家的评分）：请换一个文件名", key="panel.exists")
    if rv.readonly:
        raise ReviewError("The review file is open read-only; copy it to a writable place to assign packages",
                          "评审文件以只读方式打开；如需分配数据包，请先复制到可写的位置", key="review.readonly")
    ids = _choose(rv, packages)
    info = ensure_round(rv)
    _refuse_twice(rv, name, ids, info)
    rubric = info.rubric
    program = panel_program(rv)
    sheet_id = uuid.uuid4().hex
    now = utcnow()
    meta = {"sheet_id": sheet_id, "review_uuid": rv.uuid, "review_title": rv.title, "round": str(info.round),
            "rubric_version": str(info.version), "rubric": json.dumps(rubric.to_dict(), ensure_ascii=False),
            "rubric_sha256": info.sha256, "expert": name, "issued_at": now, "issued_with": __version__,
            "coordinator": rv.meta().get("reviewer", ""), "program_id": program.id, "with_files": "1" if with_files else "0"}
    recs = [rv.package(i) for i in ids]
    task.set_total(sum(r.size for r in recs) if with_files else len(recs))
    tmp = temp_path_beside(out)
    tmp.unlink()
    try:
        conn = new_sheet_connection(tmp, meta)
        try:
            progs: dict[str, str] = {}
            for pos, rec in enumerate(recs):
                task.check()
                task.status = rec.display_name
                doc = rec.answers or {}
                prog = installed_program(rec.program_id, rec.program_version)[0] or program
                key = f"{rec.program_id}@{rec.program_version}"
                if key not in progs:
                    progs[key] = prog.text
                    conn.execute("INSERT INTO programs(key, text) VALUES (?, ?)", (key, prog.text))
                gates, applicable = prefill(rubric, program, doc)
                pname = ""
                if rubric.project_name:
                    v = (doc.get("answers") or {}).get(rubric.project_name)
                    pname = v.strip() if isinstance(v, str) else ""
                blob_id, sha = _copy_bytes(conn, rv, rec, task) if with_files else (None, rec.file_sha256)
                if not with_files:
                    task.advance(1)
                trusted_v = rv.verdict(rec)
                conn.execute(
                    "INSERT INTO packages(id, position, uid, applicant, applicant_en, project_name, program_key, program_id,"
                    " program_version, sealed_at, content_digest, file_sha256, size, source_name, root, verdict, signer,"
                    " answers, prefill, applicable, blob_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (rec.id, pos, rec.uid, rec.applicant, rec.applicant_en, pname, key, rec.program_id, rec.program_version,
                     rec.sealed_at, rec.content_digest, sha, rec.size, rec.source_name,
                     (rec.verdict or {}).get("root") or "", trusted_v.key, rec.signer,
                     json.dumps(doc, ensure_ascii=False), json.dumps(gates, ensure_ascii=False), json.dumps(applicable),
                     blob_id))
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()
        with open(tmp, "rb") as fh:
            sha, size = hash_file(fh)
        task.check()
        with rv.transaction() as c:
            eid = expert_id(c, name)
            c.execute("INSERT INTO panel_sheets(id, round, rubric_version, rubric_sha256, expert, issued_at, path, sha256, info)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (sheet_id, info.round, info.version, info.sha256, eid, now, str(out), sha,
                       json.dumps({"with_files": with_files, "size": size}, ensure_ascii=False)))
            c.executemany("INSERT INTO panel_assignments(sheet, package) VALUES (?, ?)", [(sheet_id, i) for i in ids])
            os.replace(tmp, out)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(e, sqlite3.Error):
            raise os_error(e, "the expert sheet", "专家评分表") from None
        if isinstance(e, OSError):
            if e.errno == errno.ENOSPC:
                raise ReviewError("The disk is full: no sheet was written. Free some space and try again.",
                                  "磁盘空间已满：未生成评分表。请释放空间后重试。", key="disk.full") from None
            raise ReviewError(f"The expert sheet could not be written to {out.parent} ({e.strerror or e})",
                              f"无法在 {out.parent} 写入专家评分表（{e.strerror or e}）", key="panel.write_failed") from None
        raise
    return IssuedSheet(out, sheet_id, name, info.round, ids, sha, size)


def _refuse_twice(rv, name: str, ids: list[int], info) -> None:
    """One expert scores a package once per round: refused when the package is on a sheet of theirs
    not merged yet (unless a rubric change made that sheet outdated) or their scores for it are in."""
    key = name_key(name)
    pending = rv.conn.execute(
        "SELECT a.package, s.issued_at FROM panel_assignments a JOIN panel_sheets s ON s.id=a.sheet"
        " JOIN panel_experts e ON e.id=s.expert WHERE e.key=? AND s.round=? AND s.rubric_sha256=? AND s.merged_at IS NULL",
        (key, info.round, info.sha256)).fetchall()
    done = rv.conn.execute("SELECT c.package FROM panel_coi c JOIN panel_experts e ON e.id=c.expert WHERE e.key=? AND c.round=?",
                           (key, info.round)).fetchall()
    busy = {p: f"sheet issued {t}" for p, t in pending}
    busy.update({p: "scores merged" for (p,) in done})
    dup = sorted(p for p in ids if p in busy)
    if dup:
        lst = ", ".join(str(p) for p in dup)
        why = busy[dup[0]]
        why_zh = "评分已合并" if why == "scores merged" else why.replace("sheet issued", "评分表发出于")
        raise ReviewError(f"{name} already has package(s) {lst} in round {info.round} ({why})",
                          f"{name} 在第 {info.round} 轮已分配到数据包 {lst}（{why_zh}）", key="panel.assigned_twice")


def _copy_bytes(conn, rv, rec, task: TaskState) -> tuple[int, str]:
    """The package's zip into the sheet's blobs/chunks, (blob id, its SHA-256): chunk by chunk from
    the review file, or from the linked file on disk (checked against the fingerprint, or for older
    rows the SHA-256, recorded at intake)."""
    if rec.storage == "stored" and rec.blob_id is not None:
        sha, size, chunk = rv.conn.execute("SELECT sha256, size, chunk_size FROM blobs WHERE id=?", (rec.blob_id,)).fetchone()
        row = conn.execute("SELECT id FROM blobs WHERE sha256=?", (sha,)).fetchone()
        if row:
            task.advance(size)
            return row[0], sha
        bid = conn.execute("INSERT INTO blobs(sha256, size, chunk_size) VALUES (?, ?, ?)", (sha, size, chunk)).lastrowid
        h = hashlib.sha256()
        seq = 0
        while True:
            r = rv.conn.execute("SELECT data FROM chunks WHERE blob_id=? AND seq=?", (rec.blob_id, seq)).fetchone()
            if r is None:
                break
            task.check()
            h.update(r[0])
            conn.execute("INSERT INTO chunks(blob_id, seq, data) VALUES (?, ?, ?)", (bid, seq, r[0]))
            task.advance(len(r[0]))
            seq += 1
        if h.hexdigest() != sha:
            raise ReviewError(f"Package {rec.id} is damaged in the review file (its SHA-256 does not match); "
                              "use an earlier copy of the review file",
                              f"评审文件中的数据包 {rec.id} 已损坏（SHA-256 不一致）；请使用评审文件较早的副本", key="review.blob_damaged")
        return bid, sha
    try:
        fh = open(rec.source_path, "rb")
    except OSError as e:
        raise ReviewError(f"The linked package {rec.source_path} cannot be read ({e.strerror}); is the USB stick or CD inserted?",
                          f"无法读取链接的数据包 {rec.source_path}（{e.strerror}）；U盘或光盘是否已插入？", key="review.link_missing") from None
    with fh:
        if rec.fingerprint:  # fingerprinted on the way in (one read): the file must be the one taken in
            from ..review.fingerprint import TeeReader, stream_for

            stream = stream_for(fh)
            bid, sha, _new = store_blob(conn, TeeReader(fh, stream), rec.size, lambda n: task.advance(n))
            try:
                same = stream.hexdigest() == rec.fingerprint
            except ValueError:  # its size changed
                same = False
        else:
            bid, sha, _new = store_blob(conn, fh, rec.size, lambda n: task.advance(n))
            same = sha == rec.file_sha256
    if not same:
        raise ReviewError(f"The linked package {rec.source_path} has changed since it was taken in (SHA-256 differs)",
                          f"链接的数据包 {rec.source_path} 在添加之后被改动（SHA-256 不一致）", key="review.link_changed")
    return bid, sha
