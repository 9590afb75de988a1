"""Start the next period of a recurring report from the previous one (core of `dossier next-period`
and of File → Start next period from this one…).

The new project uses the previous project's own definition, carries over every answer that is not
`per_period` and the evidence of every slot that is not `per_period` (the content is copied: the new
file is self-contained), leaves the per-period answers empty except the fields that name the period,
and records the link in meta: `period`, `previous_period`, `previous_project_uuid`, `previous_values`
(numeric per-period figures), `previous_package_digest`, `previous_file`.

Never lose work: the previous project is only read. The new project is built under a temporary name
beside the target and renamed when complete (without replacing a file that appeared meanwhile), so a
crash, a cancel or a full disk leaves no half-made project under the final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DossierError
from ..fsutil import temp_path_beside
from ..project import STAMP_INDICATOR, Evidence, Project, utcnow
from ..rules import Evaluator
from ..tasks import TaskState
from .compare import numeric_per_period
from .period import Period, period_of

MARGIN = 8 << 20  # room for the SQLite file itself and its journal


CARRIED_COVER = ("recommender", "contact_name", "contact_phone")


def _err(en: str, zh: str, key: str) -> DossierError:
    return DossierError(en, zh, key=key)


@dataclass
class EvidenceCopy:
    item: Evidence
    links: list[tuple[str, str | None]]  # (indicator, slot) carried over


@dataclass
class NextPeriodPlan:
    """What starting the next period will do (shown before it is done)."""

    source: Path
    out: Path
    period: Period
    previous_period: Period
    carried: dict[str, Any]  # answers copied (path → value)
    emptied: list[str]  # per-period fields that had an answer and start empty
    period_answers: dict[str, Any]  # the period fields set from `period`
    evidence: list[EvidenceCopy]
    left_behind: list[tuple[Evidence, str]]  # (item, indicator/slot) not carried: per-period slot, stamp scan…
    previous_values: dict[str, int | float | None]
    previous_package_digest: str | None
    meta: dict[str, str] = field(default_factory=dict)  # the link, written into the new project's meta
    applicant: str = ""
    applicant_en: str = ""

    @property
    def evidence_bytes(self) -> int:
        return sum(e.item.size for e in self.evidence)

    def summary(self) -> dict[str, Any]:
        return {
            "source": str(self.source), "out": str(self.out), "period": str(self.period),
            "previous_period": str(self.previous_period),
            "answers_carried": len(self.carried), "answers_emptied": len(self.emptied),
            "period_fields": dict(self.period_answers),
            "evidence_copied": len(self.evidence), "evidence_bytes": self.evidence_bytes,
            "evidence_left_behind": len(self.left_behind),
            "previous_values": self.previous_values,
            "previous_package_digest": self.previous_package_digest,
        }


# --------------------------------------------------------------------------- reading the previous project


def open_previous(path: str | os.PathLike) -> Project:
    """The previous project, read-only when it can be (a CD, a locked USB stick); a file made by an
    older Dossier is upgraded in place first, as opening it in the app would."""
    try:
        return Project.open(path, readonly=True)
    except DossierError as e:
        if e.key == "project.needs_upgrade" and os.access(path, os.W_OK):
            with Project.open(path):
                pass
            return Project.open(path, readonly=True)
        raise


def _last_package_digest(proj: Project) -> str | None:
    """The content digest of the last package sealed from this project (its export history), if any."""
    try:
        row = proj.conn.execute("SELECT content_digest FROM exports ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:  # no export history in this file
        return None
    return row[0] if row and row[0] else None


def previous_period_of(proj: Project) -> Period | None:
    """The period a project reports on (desktop.periods.period.period_of: its form, else its meta)."""
    return period_of(proj.program, proj.meta(), proj.answers())


def _check_out(out: Path) -> None:
    if out.exists():
        raise _err(f"{out} already exists; choose another name", f"{out} 已存在，请换一个文件名", "project.exists")
    if not out.parent.is_dir():
        raise _err(f"Folder {out.parent} does not exist", f"文件夹 {out.parent} 不存在", "project.no_folder")
    if not os.access(out.parent, os.W_OK):
        raise _err(f"Folder {out.parent} is read-only; save the new project elsewhere",
                   f"文件夹 {out.parent} 是只读的，请将新项目保存到其他位置", "project.readonly_folder")


def plan_next_period(proj: Project, period: str | Period, out: str | os.PathLike,
                     previous_period: str | Period | None = None) -> NextPeriodPlan:
    """Work out what the next period's project will hold (nothing is written)."""
    program = proj.program
    if not program.recurring:
        raise _err(f"{program.id} is not a recurring report: it has no period and no per-period fields",
                   f"{program.id} 不是周期性报告：它没有报告期，也没有按期填报的字段", "period.not_recurring")
    new = period if isinstance(period, Period) else Period.parse(period)
    new.check_allowed(program)
    known = previous_period_of(proj)
    given = previous_period if isinstance(previous_period, Period) or previous_period is None else Period.parse(previous_period)
    if known is not None and given is not None and known != given:
        raise _err(f"{proj.path.name} reports on {known}, not on {given}",
                   f"{proj.path.name} 是 {known} 的报告，不是 {given} 的", "period.mismatch")
    prev = known or given
    if prev is None:
        raise _err(f"The period of {proj.path.name} is not known: give it (e.g. --previous-period {new})",
                   f"不知道 {proj.path.name} 的报告期：请指明（例如 --previous-period {new}）", "period.unknown")
    if new.end < prev.end:
        raise _err(f"The new period {new} ends before the previous one ({prev})",
                   f"新报告期 {new} 早于上一报告期（{prev}）", "period.backwards")
    out = Path(out)
    _check_out(out)

    answers = proj.answers()
    per_period = {f.path for f in program.per_period_fields}
    carried = {p: v for p, v in answers.items() if program.field(p) is not None and p not in per_period}
    emptied = [p for p in answers if p in per_period]
    period_answers = new.answers(program)
    ev = Evaluator(program, answers)
    prev_values = {f.path: (answers.get(f.path) if ev.field_visible(f.path) else None) for f in numeric_per_period(program)}

    copies: list[EvidenceCopy] = []
    left: list[tuple[Evidence, str]] = []
    for item in proj.evidence():
        keep = []
        for ln in item.links:
            slot = program.slot(ln.indicator_id, ln.slot_id) if ln.slot_id else None
            where = f"{ln.indicator_id}/{ln.slot_id or ''}"
            if ln.indicator_id == STAMP_INDICATOR or program.indicator(ln.indicator_id) is None or (slot and slot.per_period):
                left.append((item, where))
            else:
                keep.append((ln.indicator_id, ln.slot_id))
        if keep:
            copies.append(EvidenceCopy(item, keep))

    m = proj.meta()
    meta = {
        "period": str(new),
        "previous_period": str(prev),
        "previous_project_uuid": proj.uuid,
        "previous_file": proj.path.name,
        "previous_values": json.dumps(prev_values, ensure_ascii=False, sort_keys=False),
        "previous_package_digest": _last_package_digest(proj) or "",
    }
    # the cover's people stay from one period to the next; the date filled in does not (desktop.cover)
    meta.update({k: m[k] for k in CARRIED_COVER if m.get(k)})
    return NextPeriodPlan(proj.path, out, new, prev, carried, emptied, period_answers, copies, left, prev_values,
                          meta["previous_package_digest"] or None, meta, m.get("applicant", ""), m.get("applicant_en", ""))


# --------------------------------------------------------------------------- making the new project


def _check_space(out: Path, plan: NextPeriodPlan) -> None:
    largest = max((e.item.size for e in plan.evidence), default=0)
    need = plan.evidence_bytes + largest + MARGIN  # the content, one file being copied, the file itself
    free = shutil.disk_usage(out.parent).free
    if free < need:
        raise _err(f"Not enough space in {out.parent}: the new project needs {need / 1e6:.1f} MB, {free / 1e6:.1f} MB free",
                   f"{out.parent} 空间不足：新项目需要 {need / 1e6:.1f} MB，可用 {free / 1e6:.1f} MB", "disk.full")


def _copy_out(src: Project, item: Evidence, dest: Path, task: TaskState | None) -> None:
    """Stream one evidence file out of the previous project, checking its SHA-256 on the way."""
    h = hashlib.sha256()
    with open(dest, "wb") as fh:
        for chunk in src.read_chunks(item.blob_id):
            h.update(chunk)
            fh.write(chunk)
            if task:
                task.advance(len(chunk))
    if h.hexdigest() != item.sha256:
        raise _err(f"Evidence #{item.id} “{item.name}” is damaged in the previous project (checksum mismatch); nothing was created",
                   f"上期项目中的证明材料 #{item.id}“{item.name}”已损坏（校验值不符），未创建新项目", "evidence.corrupt")


def _publish(tmp: Path, out: Path) -> None:
    """Give the finished file its name without replacing one that appeared meanwhile."""
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise _err(f"{out} already exists; choose another name", f"{out} 已存在，请换一个文件名", "project.exists") from None
    except OSError:  # no hard links here (FAT on a USB stick, some network shares)
        if out.exists():
            raise _err(f"{out} already exists; choose another name", f"{out} 已存在，请换一个文件名", "project.exists") from None
        os.replace(tmp, out)
        return
    tmp.unlink()


def start_next_period(source: str | os.PathLike, out: str | os.PathLike, period: str | Period, *,
                      previous_period: str | Period | None = None, task: TaskState | None = None) -> NextPeriodPlan:
    """Make the next period's project at `out` from the project at `source`. Returns what was done."""
    out = Path(out)
    with open_previous(source) as src:
        plan = plan_next_period(src, period, out, previous_period)
        _check_space(out, plan)
        program = src.program
        if task:
            task.set_total(plan.evidence_bytes)
        tmp = temp_path_beside(out)
        tmp.unlink()
        scratch: Path | None = None
        try:
            with Project.create(tmp, program, plan.applicant, plan.applicant_en, extra_meta=plan.meta) as dst:
                values = {**plan.carried, **plan.period_answers}
                if values:
                    dst.set_many(values)
                for copy in plan.evidence:
                    if task:
                        task.check()
                    scratch = temp_path_beside(out)
                    _copy_out(src, copy.item, scratch, task)
                    for ind, slot in copy.links:
                        dst.attach(scratch, ind, slot, copy.item.note, name=copy.item.name)
                    scratch.unlink()
                    scratch = None
                with dst.transaction() as c:
                    c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'next_period', '', NULL, ?)",
                              (utcnow(), json.dumps({"period": str(plan.period), "previous_period": str(plan.previous_period),
                                                     "previous_project_uuid": src.uuid}, ensure_ascii=False)))
            _publish(tmp, out)
            tmp = None
        except OSError as e:
            raise _err(f"Could not write {out}: {e.strerror or e}", f"无法写入 {out}：{e.strerror or e}", "project.write_failed") from None
        finally:
            for p in (scratch, tmp):
                if p is not None:
                    with contextlib.suppress(OSError):
                        p.unlink()
    return plan
