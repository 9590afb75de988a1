"""Rounds and their rubric versions, in the review file.

A panel starts with round 1, whose rubric is the program definition's `review:` block (resolved,
desktop.panel.rubric). Before any score is in, the coordinator may change weights and levels:
each change is a new *version* of the round's rubric (kept, with a note). The first score sheet
merged into a round freezes its rubric: from then on a change needs an explicit new round (with a
reason), and score sheets of earlier rounds are refused as outdated. Expert sheets carry the
round and the SHA-256 of the rubric they were issued with, so a sheet issued before a change is
refused at merge too (nothing is silently scored against another rubric).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..models.program import Program
from ..review.file import ReviewError, utcnow
from .rubric import Rubric, RubricError, check_against, resolve

# packages that are not sent to experts, with the reason (desk verdicts, desktop.review.verdicts)
NOT_FOR_PANEL = {
    "unreadable": ("it could not be read", "无法读取"),
    "tampered": ("it was changed after sealing", "封装后被改动"),
    "awaiting_basis": ("it is a resubmission delta whose basis is not in this review", "它是增量包，其基础包不在本评审文件中"),
    "duplicate": ("it is a duplicate of another package", "与另一数据包重复"),
    "wrong_program": ("it is for another program", "项目类别不符"),
    "superseded": ("a newer package from the same applicant replaces it", "已被同一申报单位的新版本取代"),
}


@dataclass
class RoundInfo:
    round: int
    started_at: str
    reason: str
    frozen_at: str | None
    version: int  # the rubric version now in force
    rubric: Rubric
    sha256: str
    stored: bool = True  # False: round 1 as it would start (nothing written yet, e.g. a read-only file)

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def to_dict(self) -> dict:
        return {"round": self.round, "started_at": self.started_at, "reason": self.reason, "frozen_at": self.frozen_at,
                "rubric_version": self.version, "rubric_sha256": self.sha256, "rubric": self.rubric.to_dict()}


def _err(en: str, zh: str, key: str) -> ReviewError:
    return ReviewError(en, zh, key=key)


def panel_program(rv) -> Program:
    """The program the panel scores: the review's, else the one program its packages are for."""
    from ..programs import find_program

    pid = rv.program_id
    if not pid:
        ids = sorted({r[0] for r in rv.conn.execute("SELECT DISTINCT program_id FROM packages WHERE program_id != ''")})
        if not ids:
            raise _err("The review holds no readable package yet: add packages before starting the panel",
                       "评审文件中还没有可读取的数据包：请先添加数据包再组织专家评审", "panel.no_packages")
        if len(ids) > 1:
            raise _err(f"A panel scores packages of one program, but this review holds several ({', '.join(ids)}); "
                       "make a review file for each program",
                       f"专家评审只针对一个项目类别，而此评审文件包含多个（{', '.join(ids)}）；请为每个项目类别建立评审文件",
                       "panel.mixed_programs")
        pid = ids[0]
    return find_program(pid)


def _row(rv, round_no: int | None = None):
    sql = "SELECT round, started_at, reason, frozen_at FROM panel_rounds"
    if round_no is None:
        return rv.conn.execute(sql + " ORDER BY round DESC LIMIT 1").fetchone()
    return rv.conn.execute(sql + " WHERE round=?", (round_no,)).fetchone()


def _rubric_row(rv, round_no: int):
    return rv.conn.execute("SELECT version, rubric, sha256 FROM panel_rubrics WHERE round=? ORDER BY version DESC LIMIT 1",
                           (round_no,)).fetchone()


def _info(rv, row) -> RoundInfo:
    version, doc, sha = _rubric_row(rv, row[0])
    return RoundInfo(row[0], row[1], row[2], row[3], version, Rubric.from_dict(json.loads(doc)), sha)


def current_round(rv) -> RoundInfo | None:
    """The round in progress (None before the panel started)."""
    row = _row(rv)
    return _info(rv, row) if row else None


def get_round(rv, round_no: int) -> RoundInfo:
    row = _row(rv, round_no)
    if row is None:
        raise _err(f"There is no round {round_no} in this review file", f"此评审文件中没有第 {round_no} 轮", "panel.no_round")
    return _info(rv, row)


def rubric_of(rv) -> RoundInfo:
    """The current round; before the panel started, round 1 as it would start (not written)."""
    cur = current_round(rv)
    if cur is not None:
        return cur
    rub = initial_rubric(rv)
    return RoundInfo(1, "", "", None, 1, rub, rub.sha256, stored=False)


def initial_rubric(rv) -> Rubric:
    prog = panel_program(rv)
    try:
        return resolve(prog)
    except RubricError as e:  # an installed definition whose rubric no longer fits (the loader checks bundled ones)
        raise _err(f"The rubric of {prog.id} cannot be used: {e.en}", f"{prog.id} 的评审量表无法使用：{e.zh}",
                   "panel.rubric_invalid") from None


def ensure_round(rv) -> RoundInfo:
    """The current round, starting round 1 (one transaction) if the panel has not started."""
    cur = current_round(rv)
    if cur is not None:
        return cur
    rub = initial_rubric(rv)
    now = utcnow()
    with rv.transaction() as c:
        c.execute("INSERT INTO panel_rounds(round, started_at, reason) VALUES (1, ?, '')", (now,))
        c.execute("INSERT INTO panel_rubrics(round, version, created_at, rubric, sha256, note) VALUES (1, 1, ?, ?, ?, ?)",
                  (now, json.dumps(rub.to_dict(), ensure_ascii=False), rub.sha256,
                   "derived: one criterion per section" if rub.derived else "from the program definition"))
    return current_round(rv)


def outdated_sheets(rv, round_no: int, sha256: str) -> list[str]:
    """Sheets issued in `round_no` with another rubric and not merged (a change made them outdated)."""
    return [r[0] for r in rv.conn.execute(
        "SELECT id FROM panel_sheets WHERE round=? AND rubric_sha256 != ? AND merged_at IS NULL", (round_no, sha256))]


def _frozen_error(info: RoundInfo) -> ReviewError:
    return _err(f"The rubric of round {info.round} is frozen: the first scores were merged on {info.frozen_at}. "
                "To change it, start a new round (`dossier review round REVIEW --new --reason …`).",
                f"第 {info.round} 轮的评审量表已冻结：首批评分已于 {info.frozen_at} 合并。如需修改，请开始新一轮评审"
                "（`dossier review round REVIEW --new --reason …`）。", "panel.rubric_frozen")


def set_rubric(rv, rubric: Rubric, note: str = "") -> tuple[RoundInfo, list[str]]:
    """Make `rubric` the current round's rubric (a new version). Refused once the round is frozen.
    Returns the round and the sheets this change makes outdated (issued with the old rubric)."""
    info = ensure_round(rv)
    if info.frozen:
        raise _frozen_error(info)
    try:
        check_against(rubric, panel_program(rv))
    except RubricError as e:
        raise _err(f"This rubric does not fit the program: {e.en}", f"该评审量表与项目类别不符：{e.zh}", "panel.rubric_invalid") from None
    if rubric.sha256 == info.sha256:
        return info, []
    now = utcnow()
    with rv.transaction() as c:
        # the freeze check again inside the write lock: a merge may have frozen it meanwhile
        if c.execute("SELECT frozen_at FROM panel_rounds WHERE round=?", (info.round,)).fetchone()[0] is not None:
            raise _frozen_error(get_round(rv, info.round))
        c.execute("INSERT INTO panel_rubrics(round, version, created_at, rubric, sha256, note) VALUES (?, ?, ?, ?, ?, ?)",
                  (info.round, info.version + 1, now, json.dumps(rubric.to_dict(), ensure_ascii=False), rubric.sha256,
                   note.strip()))
    cur = current_round(rv)
    return cur, outdated_sheets(rv, cur.round, cur.sha256)


def new_round(rv, reason: str, rubric: Rubric | None = None) -> RoundInfo:
    """Start the next round (a reason is required), with `rubric` or a copy of the current one.
    Scores of earlier rounds are kept but no longer aggregated; their sheets become outdated."""
    if not reason.strip():
        raise _err("Give a reason for the new round (it is kept with the review)", "请填写开始新一轮评审的理由（将记录在评审文件中）",
                   "panel.reason_required")
    info = current_round(rv)
    if info is None:
        raise _err("The panel has not started yet: round 1 starts with the first sheet or rubric change",
                   "专家评审尚未开始：第 1 轮在首次分发评分表或修改评审量表时开始", "panel.not_started")
    rub = rubric or info.rubric
    if rubric is not None:
        try:
            check_against(rubric, panel_program(rv))
        except RubricError as e:
            raise _err(f"This rubric does not fit the program: {e.en}", f"该评审量表与项目类别不符：{e.zh}", "panel.rubric_invalid") from None
    now = utcnow()
    n = info.round + 1
    with rv.transaction() as c:
        c.execute("INSERT INTO panel_rounds(round, started_at, reason) VALUES (?, ?, ?)", (n, now, reason.strip()))
        c.execute("INSERT INTO panel_rubrics(round, version, created_at, rubric, sha256, note) VALUES (?, 1, ?, ?, ?, ?)",
                  (n, now, json.dumps(rub.to_dict(), ensure_ascii=False), rub.sha256, f"round {n}: {reason.strip()}"))
    return current_round(rv)


def rubric_versions(rv, round_no: int | None = None) -> list[dict]:
    sql = "SELECT round, version, created_at, sha256, note FROM panel_rubrics"
    args: tuple = ()
    if round_no is not None:
        sql += " WHERE round=?"
        args = (round_no,)
    return [{"round": r, "version": v, "created_at": at, "sha256": sha, "note": note}
            for r, v, at, sha, note in rv.conn.execute(sql + " ORDER BY round, version", args)]


def freeze(c, round_no: int, version: int, at: str) -> None:
    """Inside a merge's transaction: the round's rubric is frozen from now on."""
    c.execute("UPDATE panel_rounds SET frozen_at=?, frozen_version=? WHERE round=? AND frozen_at IS NULL",
              (at, version, round_no))


def rounds(rv) -> list[dict]:
    return [{"round": r, "started_at": s, "reason": why, "frozen_at": f}
            for r, s, why, f in rv.conn.execute("SELECT round, started_at, reason, frozen_at FROM panel_rounds ORDER BY round")]
