"""A package as a read-only project, so the main window's own panels show it — the indicator tree,
the official text, the answers and the evidence with previews — exactly as the applicant saw it.

The package (the copy in the review file, or the linked file) is turned into a `.dossier` once,
in the per-user cache, named by the package's SHA-256: its program.yaml (the definition the
applicant filled in), its answers and its evidence files. The cached file is made read-only and
opened read-only. Answers or evidence a tampered package holds that do not fit its definition are
left out and listed in the project's meta `review_skipped`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from ..errors import DossierError
from ..paths import user_data_dir
from ..tasks import TaskState
from .file import ReviewError
from .opener import bag_path, read_text
from .store import record_file

READER_VERSION = 1  # part of the cache name: a change to what the reader builds rebuilds the cache
MAX_EVIDENCE = 4 << 30


def cache_dir() -> Path:
    d = user_data_dir() / "cache" / "packages"
    d.mkdir(parents=True, exist_ok=True)
    return d


def cached_path(rec) -> Path:
    return cache_dir() / f"{rec.identity[:32]}-r{READER_VERSION}.dossier"


def materialize(rv, pid, task: TaskState | None = None) -> Path:
    """The read-only project for package `pid` (built on first use, then reused)."""
    from ..project import Project

    rec = rv.package(pid)
    link = rec.basis or {}
    if link and link.get("state") != "linked":
        what = link.get("package_id") or f"sha256:{(link.get('content_digest') or '?')[:16]}…"
        raise ReviewError(f"Package {rec.id} is a resubmission delta of package {what}, which is not (correctly) in this "
                          "review: add that earlier package first, and the delta is rebuilt and checked",
                          f"数据包 {rec.id} 是数据包 {what} 的增量包，而该基础包不在本评审文件中（或不对）：请先添加该较早的数据包，"
                          "届时将重建并核验增量包", key="review.basis_missing")
    if rec.storage == "none" or rec.answers is None:
        raise ReviewError(f"Package {rec.id} could not be read when it was taken in: there is nothing to show",
                          f"数据包 {rec.id} 在添加时无法读取：没有可显示的内容", key="review.no_copy")
    final = cached_path(rec)
    if final.exists():
        try:
            Project.open(final, readonly=True).close()
            return final
        except DossierError:
            with contextlib.suppress(OSError):
                os.chmod(final, stat.S_IWUSR | stat.S_IRUSR)
                final.unlink()
    task = task or TaskState()
    doc = rec.answers
    root = (rec.verdict or {}).get("root") or ""
    with record_file(rv.conn, rec) as zpath:
        program = _program(zpath, root, rec)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_dir()))
        try:
            tmp = work / "package.dossier"
            proj = Project.create(tmp, program, doc["applicant"]["zh"], doc["applicant"]["en"])
            skipped: list[str] = []
            try:
                _fill_answers(proj, doc, skipped)
                _fill_evidence(proj, zpath, root, doc, skipped, task, work)
                proj.set_meta("review_package", json.dumps(
                    {"review": rv.uuid, "package": rec.id, "uid": rec.uid, "sealed_at": rec.sealed_at,
                     "content_digest": rec.content_digest}, ensure_ascii=False))
                proj.set_meta("review_skipped", json.dumps(skipped, ensure_ascii=False))
            finally:
                proj.close()
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(tmp, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return final


def _program(zpath: Path, root: str, rec):
    """The package's own definition; the installed one when that cannot be read."""
    from ..programs import load_definition_text
    from .recheck import installed_program

    text = read_text(zpath, root, "data/program.yaml")
    if text is not None:
        with contextlib.suppress(DossierError, RecursionError, ValueError):
            prog = load_definition_text(text, "program.yaml")
            if prog.id == rec.program_id:
                return prog
    prog, _why = installed_program(rec.program_id, rec.program_version)
    if prog is None:
        from ..programs import find_program

        prog = find_program(rec.program_id)
    return prog


def _fill_answers(proj, doc, skipped: list[str]) -> None:
    from ..values import coerce

    ok = {}
    for path, value in (doc.get("answers") or {}).items():
        f = proj.program.field(path)
        if f is None:
            skipped.append(path)
            continue
        try:
            ok[path] = coerce(f, value)
        except DossierError:
            skipped.append(path)
    if ok:
        proj.set_many(ok, actor="package")


def _fill_evidence(proj, zpath: Path, root: str, doc, skipped: list[str], task: TaskState, work: Path) -> None:
    items = doc.get("evidence") or []
    task.set_total(task.total + sum(int(e.get("size") or 0) for e in items))
    with zipfile.ZipFile(zpath) as z:
        for n, e in enumerate(items):
            task.check()
            name = bag_path(root, e["path"])
            try:
                zi = z.getinfo(name)
            except KeyError:
                skipped.append(e["path"])
                continue
            if zi.file_size > MAX_EVIDENCE:
                skipped.append(e["path"])
                continue
            tmp = work / f"evidence-{n}"
            try:
                with z.open(zi) as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                proj.attach(tmp, e["indicator"], e.get("slot"), note=e.get("note") or "", name=e["name"])
            except (DossierError, zipfile.BadZipFile, OSError, ValueError):
                skipped.append(e["path"])
            finally:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            task.advance(int(e.get("size") or 0), e["name"])
