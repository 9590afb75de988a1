"""Decisions per package — recommended or not — each with a reason; the history is kept whole
(panel_decisions is append-only: the newest row is the current decision) and each decision is
also an event in the package's history on the desk."""

from __future__ import annotations

from dataclasses import dataclass

from ..models.program import Label
from ..review.file import ReviewError, utcnow
from ..review.packages import add_event

DECISIONS = ("recommended", "not_recommended")
DECISION_LABELS = {"recommended": Label("推荐", "recommended"), "not_recommended": Label("不推荐", "not recommended"),
                   "": Label("待定", "undecided")}


@dataclass
class Decision:
    id: int
    package: int
    round: int | None
    at: str
    decision: str
    reason: str
    actor: str

    @property
    def label(self) -> Label:
        return DECISION_LABELS[self.decision]

    def to_dict(self) -> dict:
        return {"id": self.id, "package": self.package, "round": self.round, "at": self.at, "decision": self.decision,
                "reason": self.reason, "actor": self.actor}


_COLS = "id, package, round, at, decision, reason, actor"


def decide(rv, pid, decision: str, reason: str, *, actor: str = "") -> Decision:
    if decision not in DECISIONS:
        raise ReviewError(f"A decision is one of: {', '.join(DECISIONS)}", f"结论可选：{', '.join(DECISIONS)}", key="panel.bad_decision")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(f"Give the reason for “{DECISION_LABELS[decision].en}” (it is kept in the package's history)",
                          f"请填写“{DECISION_LABELS[decision].zh}”的理由（将记录在数据包的历史中）", key="panel.reason_required")
    if len(reason) > 20000:
        raise ReviewError("The reason is too long (at most 20,000 characters)", "理由过长（最多 20000 个字符）", key="panel.too_long")
    rec = rv.package(pid)
    from .rounds import current_round

    cur = current_round(rv)
    prev = current(rv, rec.id)
    now = utcnow()
    with rv.transaction() as c:
        new_id = c.execute("INSERT INTO panel_decisions(package, round, at, decision, reason, actor) VALUES (?, ?, ?, ?, ?, ?)",
                           (rec.id, cur.round if cur else None, now, decision, reason, actor)).lastrowid
        add_event(c, rec.id, "decision", prev.decision if prev else None, decision, reason, actor, at=now)
    return Decision(new_id, rec.id, cur.round if cur else None, now, decision, reason, actor)


def current(rv, pid: int) -> Decision | None:
    row = rv.conn.execute(f"SELECT {_COLS} FROM panel_decisions WHERE package=? ORDER BY id DESC LIMIT 1", (pid,)).fetchone()
    return Decision(*row) if row else None


def current_all(rv) -> dict[int, Decision]:
    out: dict[int, Decision] = {}
    for row in rv.conn.execute(f"SELECT {_COLS} FROM panel_decisions ORDER BY id"):
        out[row[1]] = Decision(*row)
    return out


def history(rv, pid: int | None = None) -> list[Decision]:
    sql = f"SELECT {_COLS} FROM panel_decisions"
    args: tuple = ()
    if pid is not None:
        sql += " WHERE package=?"
        args = (pid,)
    return [Decision(*r) for r in rv.conn.execute(sql + " ORDER BY id", args)]
