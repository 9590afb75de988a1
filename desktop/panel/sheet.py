"""The expert sheet (`.dsheet`): what one expert takes home — the assigned packages, readable as
on the reviewer's desk, the rubric — and where the expert's own scoring is kept.

An SQLite file like the review file (docs/panel-files.md): `PRAGMA application_id = 0x44585348`
("DXSH"), `user_version` the format version (1), rollback journal, synchronous=FULL, every change
one transaction — a crash or a full disk never loses a committed score. It holds no other
expert's scores: it is built fresh from the review file's packages and the round's rubric
(desktop.panel.assign), never from the panel's score tables.

Tables: meta (format, sheet id, review, round, rubric and its SHA-256, expert, …), programs (the
definitions the packages were made with, so no program needs to be installed), packages (each
package's answers.json, pre-filled gates, the criteria that apply), blobs + chunks (the package
zips, as in the review file), and the expert's work: coi, scores, gates, overall.

Once submitted (desktop.panel.submit) the sheet is closed for changes: its score sheet is final.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .. import __version__
from ..errors import DossierError
from ..models.program import Label
from ..review.file import os_error, utcnow
from ..sqlitefile import Kind, connect, use_for_writing
from .rubric import Rubric

APPLICATION_ID = 0x44585348  # "DXSH"
FORMAT = "dossier-expert-sheet"
FORMAT_VERSION = 1
SUFFIX = ".dsheet"
PAGE_SIZE = 16384
MAX_TEXT = 20000  # a comment or reason


class SheetError(DossierError):
    """The expert sheet cannot be opened, or a scoring action is refused."""


def _err(en: str, zh: str, key: str) -> SheetError:
    return SheetError(en, zh, key=key)


SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE programs (key TEXT PRIMARY KEY, text TEXT NOT NULL)",
    "CREATE TABLE blobs (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, size INTEGER NOT NULL, chunk_size INTEGER NOT NULL)",
    "CREATE TABLE chunks (id INTEGER PRIMARY KEY, blob_id INTEGER NOT NULL REFERENCES blobs(id),"
    " seq INTEGER NOT NULL, data BLOB NOT NULL)",
    "CREATE UNIQUE INDEX chunks_blob_seq ON chunks(blob_id, seq)",
    # id: the package's number in the review file; position: the order the expert sees
    "CREATE TABLE packages (id INTEGER PRIMARY KEY, position INTEGER NOT NULL, uid TEXT NOT NULL,"
    " applicant TEXT NOT NULL, applicant_en TEXT NOT NULL, project_name TEXT NOT NULL DEFAULT '',"
    " program_key TEXT NOT NULL, program_id TEXT NOT NULL, program_version TEXT NOT NULL,"
    " sealed_at TEXT NOT NULL, content_digest TEXT NOT NULL, file_sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
    " source_name TEXT NOT NULL, root TEXT NOT NULL DEFAULT '', verdict TEXT NOT NULL DEFAULT '',"
    " signer TEXT NOT NULL DEFAULT '', answers TEXT NOT NULL, prefill TEXT NOT NULL DEFAULT '{}',"
    " applicable TEXT NOT NULL DEFAULT '[]', blob_id INTEGER REFERENCES blobs(id))",
    "CREATE TABLE coi (package INTEGER PRIMARY KEY REFERENCES packages(id), recused INTEGER NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', at TEXT NOT NULL)",
    "CREATE TABLE scores (package INTEGER NOT NULL REFERENCES packages(id), criterion TEXT NOT NULL, value REAL,"
    " comment TEXT NOT NULL DEFAULT '', evidence TEXT, at TEXT NOT NULL, PRIMARY KEY(package, criterion))",
    "CREATE TABLE gates (package INTEGER NOT NULL REFERENCES packages(id), gate TEXT NOT NULL, passed INTEGER NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', at TEXT NOT NULL, PRIMARY KEY(package, gate))",
    "CREATE TABLE overall (package INTEGER PRIMARY KEY REFERENCES packages(id), score REAL, confidence TEXT,"
    " comment TEXT NOT NULL DEFAULT '', at TEXT NOT NULL)",
)


def create_schema(c: sqlite3.Connection) -> None:
    for sql in SCHEMA:
        c.execute(sql)


_KIND = Kind(APPLICATION_ID, "sheet", "expert sheet", "专家评分表", SheetError, "Ask for the sheet again.", "请重新索取评分表。",
             "sheet.not_sheet", FORMAT_VERSION,
             ((0x44525657, "{name} is a review file, not an expert sheet: open it with “Review packages”",
               "{name} 是评审文件，不是专家评分表：请用“评审数据包”打开", "is_review"),
              (0x444F5353, "{name} is a Dossier project, not an expert sheet", "{name} 是 Dossier 项目文件，不是专家评分表",
               "is_project")))


@dataclass
class SheetPackage:
    id: int
    position: int
    uid: str
    applicant: str
    applicant_en: str
    project_name: str
    program_key: str
    program_id: str
    program_version: str
    sealed_at: str
    content_digest: str
    file_sha256: str
    size: int
    source_name: str
    root: str
    verdict: str
    signer: str
    prefill: dict[str, Any]
    applicable: list[str]
    blob_id: int | None
    answers: dict[str, Any] | None = None  # loaded on demand (package(id))

    # what desktop.review.reader.materialize reads from a package record
    storage = "stored"
    source_path = ""

    @property
    def verdict_doc(self) -> dict:
        return {"root": self.root}

    @property
    def display_name(self) -> str:
        return self.applicant or self.source_name


_PKG_COLS = ("id", "position", "uid", "applicant", "applicant_en", "project_name", "program_key", "program_id",
             "program_version", "sealed_at", "content_digest", "file_sha256", "size", "source_name", "root", "verdict",
             "signer", "prefill", "applicable", "blob_id")


@dataclass
class Score:
    criterion: str
    value: float | None
    comment: str = ""
    evidence: dict | None = None  # {"name", "sha256", "indicator"} of the evidence file the comment points at


@dataclass
class GateAnswer:
    gate: str
    passed: bool
    reason: str = ""


@dataclass
class PackageWork:
    """One package's state on the sheet: the declaration, scores, gates, overall."""

    package: int
    coi: tuple[bool, str] | None = None  # (recused, reason); None: not declared yet
    scores: dict[str, Score] = field(default_factory=dict)
    gates: dict[str, GateAnswer] = field(default_factory=dict)
    overall: float | None = None
    confidence: str | None = None
    overall_comment: str = ""

    @property
    def recused(self) -> bool:
        return bool(self.coi and self.coi[0])


@dataclass
class Progress:
    total: int
    scored: int
    recused: int
    started: int

    @property
    def done(self) -> int:
        return self.scored + self.recused

    def to_dict(self) -> dict:
        return {"total": self.total, "scored": self.scored, "recused": self.recused, "in_progress": self.started,
                "not_started": self.total - self.done - self.started}

    def label(self) -> Label:
        return Label(f"已评 {self.scored} / {self.total} 个数据包" + (f"（回避 {self.recused} 个）" if self.recused else ""),
                     f"{self.scored} of {self.total} packages scored" + (f" ({self.recused} recused)" if self.recused else ""))


class ExpertSheet:
    """An open expert sheet. Not thread-safe: each thread opens its own."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool):
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self._meta: dict[str, str] | None = None
        self._rubric: Rubric | None = None
        self._programs: dict[str, Any] = {}
        self._pkgs: list[SheetPackage] | None = None

    # ------------------------------------------------------------------ open

    @classmethod
    def open(cls, path: str | os.PathLike, readonly: bool = False) -> "ExpertSheet":
        path = Path(path)
        conn, _version, ro = connect(path, _KIND, readonly)
        sh = cls(path, conn, ro)
        try:
            if not ro:
                use_for_writing(conn, path)
            meta = sh.meta()
            if meta.get("format") != FORMAT:
                raise sqlite3.DatabaseError("no expert sheet metadata")
            sh.rubric  # noqa: B018 - a rubric this version cannot read is refused now, not at the first click
        except sqlite3.DatabaseError as e:
            conn.close()
            raise _err(f"{path.name} is damaged ({e}). Ask for the sheet again.", f"{path.name} 已损坏（{e}）。请重新索取评分表。",
                       "sheet.corrupt") from None
        except DossierError as e:
            conn.close()
            raise _err(f"{path.name} cannot be read: {e.en}", f"无法读取 {path.name}：{e.zh}", "sheet.corrupt") from None
        return sh

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise _err("The expert sheet is open read-only (a CD or a read-only folder?): copy it to a writable place "
                       "to score", "专家评分表以只读方式打开（光盘或只读文件夹？）：请复制到可写的位置后再评分", "sheet.readonly")
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise os_error(e, "the expert sheet", "专家评分表") from None
        try:
            yield c
            c.execute("INSERT INTO meta(key, value) VALUES ('modified_at', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                      (utcnow(),))
            c.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
            self._meta = None
            if isinstance(e, sqlite3.OperationalError):
                raise os_error(e, "the expert sheet", "专家评分表") from None
            raise
        self._meta = None

    def _writable(self) -> sqlite3.Connection:
        if self.submitted_at:
            raise _err(f"These scores were submitted on {self.submitted_at}: the sheet is final. Write the score sheet "
                       "again with “Submit” if it was lost.",
                       f"评分已于 {self.submitted_at} 提交，评分表已定稿。如评分文件丢失，可再次“提交”重新生成。", "sheet.submitted")
        return self.conn

    # ------------------------------------------------------------------ what the sheet is

    def meta(self) -> dict[str, str]:
        if self._meta is None:
            self._meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        return self._meta

    @property
    def sheet_id(self) -> str:
        return self.meta()["sheet_id"]

    @property
    def expert(self) -> str:
        return self.meta().get("expert", "")

    @property
    def round(self) -> int:
        return int(self.meta().get("round", "1"))

    @property
    def review_title(self) -> str:
        return self.meta().get("review_title", "")

    @property
    def submitted_at(self) -> str:
        return self.meta().get("submitted_at", "")

    @property
    def rubric(self) -> Rubric:
        if self._rubric is None:
            self._rubric = Rubric.from_dict(json.loads(self.meta()["rubric"]))
        return self._rubric

    def program(self, key: str):
        """The definition a package was made with (from the sheet: nothing needs to be installed)."""
        if key not in self._programs:
            from ..programs import load_definition_text

            row = self.conn.execute("SELECT text FROM programs WHERE key=?", (key,)).fetchone()
            prog = None
            if row is not None:
                with contextlib.suppress(DossierError, RecursionError, ValueError):
                    prog = load_definition_text(row[0], "program.yaml")
            if prog is None:
                from ..programs import all_programs

                pid, _, ver = key.partition("@")
                prog = next((p for p in all_programs() if p.id == pid and p.version == ver), None) or \
                    next((p for p in all_programs() if p.id == pid), None)
            self._programs[key] = prog
        return self._programs[key]

    # ------------------------------------------------------------------ packages

    def packages(self) -> list[SheetPackage]:
        """The assigned packages, without their answers (cached: they never change in a sheet)."""
        if self._pkgs is None:
            rows = self.conn.execute(f"SELECT {', '.join(_PKG_COLS)} FROM packages ORDER BY position").fetchall()
            self._pkgs = [_pkg(r) for r in rows]
        return list(self._pkgs)

    def package(self, pid: int | str) -> SheetPackage:
        try:
            n = int(str(pid).lstrip("#"))
        except ValueError:
            raise self._unknown(pid) from None
        row = self.conn.execute(f"SELECT {', '.join(_PKG_COLS)}, answers FROM packages WHERE id=?", (n,)).fetchone()
        if row is None:
            raise self._unknown(pid)
        p = _pkg(row[:-1])
        p.answers = json.loads(row[-1])
        return p

    def _unknown(self, pid) -> SheetError:
        ids = ", ".join(str(p.id) for p in self.packages())
        return _err(f"Package {pid} is not on this sheet (packages: {ids})", f"此评分表中没有数据包 {pid}（可用：{ids}）",
                    "sheet.no_package")

    @property
    def uuid(self) -> str:  # what desktop.review.reader.materialize records about the source
        return self.sheet_id

    # ------------------------------------------------------------------ the expert's work

    def work(self, pid: int) -> PackageWork:
        w = PackageWork(pid)
        row = self.conn.execute("SELECT recused, reason FROM coi WHERE package=?", (pid,)).fetchone()
        if row:
            w.coi = (bool(row[0]), row[1])
        for crit, value, comment, ev in self.conn.execute(
                "SELECT criterion, value, comment, evidence FROM scores WHERE package=?", (pid,)):
            w.scores[crit] = Score(crit, value, comment, json.loads(ev) if ev else None)
        for gate, passed, reason in self.conn.execute("SELECT gate, passed, reason FROM gates WHERE package=?", (pid,)):
            w.gates[gate] = GateAnswer(gate, bool(passed), reason)
        row = self.conn.execute("SELECT score, confidence, comment FROM overall WHERE package=?", (pid,)).fetchone()
        if row:
            w.overall, w.confidence, w.overall_comment = row[0], row[1], row[2]
        return w

    def missing(self, pid: int, w: PackageWork | None = None, pkg: SheetPackage | None = None) -> list[Label]:
        """What is still to do for package `pid` (empty: scored, or recused)."""
        w = w or self.work(pid)
        pkg = pkg or next((p for p in self.packages() if p.id == pid), None) or self.package(pid)
        if w.coi is None:
            return [Label("声明是否存在利益冲突", "declare whether you have a conflict of interest")]
        if w.recused:
            return []
        out: list[Label] = []
        rub = self.rubric
        for g in rub.gates:
            if g.id not in w.gates:
                out.append(Label(f"确认门槛条件“{g.label.zh}”", f"confirm the gate “{g.label.en}”"))
        for c in rub.criteria:
            if c.id in pkg.applicable and (c.id not in w.scores or w.scores[c.id].value is None):
                out.append(Label(f"为“{c.label.zh}”评定等级", f"choose a level for “{c.label.en}”"))
        if rub.overall is not None and w.overall is None:
            out.append(Label("给出总体评价分", "give the overall score"))
        if rub.confidence and not w.confidence:
            out.append(Label("选择评审把握程度", "choose your confidence"))
        return out

    def status(self, pid: int) -> str:
        """not_started | in_progress | scored | recused"""
        return self.statuses([pid])[pid]

    def statuses(self, pids: list[int] | None = None) -> dict[int, str]:
        """The status of every package (or of `pids`) from five queries, however many packages."""
        pkgs = {p.id: p for p in self.packages()}
        want = list(pkgs) if pids is None else [int(p) for p in pids]
        coi = {p: bool(r) for p, r in self.conn.execute("SELECT package, recused FROM coi")}
        scored: dict[int, set] = {}
        for p, c in self.conn.execute("SELECT package, criterion FROM scores WHERE value IS NOT NULL"):
            scored.setdefault(p, set()).add(c)
        commented = {p for (p,) in self.conn.execute("SELECT DISTINCT package FROM scores")}
        gated: dict[int, set] = {}
        for p, g in self.conn.execute("SELECT package, gate FROM gates"):
            gated.setdefault(p, set()).add(g)
        overall = {p: (s, c) for p, s, c in self.conn.execute("SELECT package, score, confidence FROM overall")}
        rub = self.rubric
        gate_ids = {g.id for g in rub.gates}
        out = {}
        for pid in want:
            pkg = pkgs.get(pid)
            if pkg is None:
                raise self._unknown(pid)
            if pid not in coi:
                out[pid] = "in_progress" if (pid in commented or pid in gated or pid in overall) else "not_started"
                continue
            if coi[pid]:
                out[pid] = "recused"
                continue
            s, c = overall.get(pid, (None, None))
            done = (gate_ids <= gated.get(pid, set())
                    and {x.id for x in rub.criteria if x.id in pkg.applicable} <= scored.get(pid, set())
                    and (rub.overall is None or s is not None) and (not rub.confidence or bool(c)))
            out[pid] = "scored" if done else "in_progress"
        return out

    def progress(self) -> Progress:
        st = list(self.statuses().values())
        return Progress(len(st), st.count("scored"), st.count("recused"), st.count("in_progress"))

    # ------------------------------------------------------------------ scoring (each one transaction)

    def declare(self, pid: int, recused: bool, reason: str = "") -> None:
        """The conflict-of-interest declaration: no conflict, or a conflict (recusal, reason required).
        Recusing removes what was scored for the package: a recused package is never scored."""
        self.package(pid)
        self._writable()
        reason = reason.strip()
        if recused and not reason:
            raise _err("Give the reason for the conflict of interest (e.g. “I advised this school on the application”)",
                       "请说明利益冲突的原因（例如“本人曾指导该校撰写申报书”）", "sheet.reason_required")
        _check_len(reason)
        with self._tx() as c:
            c.execute("INSERT INTO coi(package, recused, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT(package) DO UPDATE "
                      "SET recused=excluded.recused, reason=excluded.reason, at=excluded.at",
                      (pid, int(recused), reason if recused else "", utcnow()))
            if recused:
                for t in ("scores", "gates", "overall"):
                    c.execute(f"DELETE FROM {t} WHERE package=?", (pid,))

    def _scorable(self, pid: int) -> SheetPackage:
        pkg = self.package(pid)
        self._writable()
        row = self.conn.execute("SELECT recused FROM coi WHERE package=?", (pid,)).fetchone()
        if row is None:
            raise _err(f"Declare first whether you have a conflict of interest with package {pid} ({pkg.applicant})",
                       f"请先声明您与数据包 {pid}（{pkg.applicant}）是否存在利益冲突", "sheet.coi_first")
        if row[0]:
            raise _err(f"You recused yourself from package {pid} ({pkg.applicant}): it cannot be scored",
                       f"您已声明回避数据包 {pid}（{pkg.applicant}）：不能评分", "sheet.recused")
        return pkg

    def set_score(self, pid: int, criterion: str, value: float | None, *, comment: str | None = None,
                  evidence: str | dict | None | bool = False) -> Score:
        """A criterion's level (None clears it), optionally its comment and the evidence file the
        comment points at (a name or path of one of the package's files; None clears it; False
        leaves it)."""
        pkg = self._scorable(pid)
        c_ = self.rubric.criterion(criterion)
        if c_ is None:
            ids = ", ".join(c.id for c in self.rubric.criteria)
            raise _err(f"No criterion {criterion!r} (criteria: {ids})", f"没有评分标准 {criterion!r}（可用：{ids}）", "sheet.no_criterion")
        if criterion not in pkg.applicable:
            raise _err(f"“{c_.label.en}” does not apply to this package (its indicators are not part of the application)",
                       f"“{c_.label.zh}”不适用于该数据包（其指标不在该申报范围内）", "sheet.not_applicable")
        if value is not None and c_.level(value) is None:
            vals = ", ".join(_fmt(lv.value) for lv in c_.levels)
            raise _err(f"{_fmt(value)} is not a level of “{c_.label.en}” (levels: {vals})",
                       f"{_fmt(value)} 不是“{c_.label.zh}”的等级（可选：{vals}）", "sheet.bad_level")
        old = self.work(pid).scores.get(criterion)
        new_comment = (old.comment if old else "") if comment is None else comment.strip()
        _check_len(new_comment)
        ev = old.evidence if (old and evidence is False) else None
        if evidence not in (False, None):
            ev = evidence if isinstance(evidence, dict) else self.find_evidence(pkg, str(evidence))
        with self._tx() as c:
            c.execute("INSERT INTO scores(package, criterion, value, comment, evidence, at) VALUES (?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(package, criterion) DO UPDATE SET value=excluded.value, comment=excluded.comment, "
                      "evidence=excluded.evidence, at=excluded.at",
                      (pid, criterion, value, new_comment, json.dumps(ev, ensure_ascii=False) if ev else None, utcnow()))
        return Score(criterion, value, new_comment, ev)

    def find_evidence(self, pkg: SheetPackage, name: str) -> dict:
        doc = pkg.answers if pkg.answers is not None else self.package(pkg.id).answers
        items = doc.get("evidence") or []
        hit = [e for e in items if e.get("name") == name or e.get("path") == name] or \
              [e for e in items if str(e.get("path", "")).endswith("/" + name)]
        if not hit:
            raise _err(f"Package {pkg.id} has no evidence file {name!r}", f"数据包 {pkg.id} 中没有佐证材料 {name!r}", "sheet.no_evidence")
        e = hit[0]
        return {"name": e.get("name", ""), "sha256": e.get("sha256", ""), "indicator": e.get("indicator", "")}

    def set_gate(self, pid: int, gate: str, passed: bool, reason: str = "") -> None:
        """Confirm (or overturn) a gate item; a failed gate needs a reason."""
        self._scorable(pid)
        if self.rubric.gate(gate) is None:
            ids = ", ".join(g.id for g in self.rubric.gates) or "—"
            raise _err(f"No gate {gate!r} (gates: {ids})", f"没有门槛条件 {gate!r}（可用：{ids}）", "sheet.no_gate")
        reason = reason.strip()
        if not passed and not reason:
            raise _err("Give the reason the gate is not met (it goes to the panel coordinator)",
                       "请说明未满足门槛条件的原因（将提交给评审组织者）", "sheet.reason_required")
        _check_len(reason)
        with self._tx() as c:
            c.execute("INSERT INTO gates(package, gate, passed, reason, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(package, gate) "
                      "DO UPDATE SET passed=excluded.passed, reason=excluded.reason, at=excluded.at",
                      (pid, gate, int(passed), reason, utcnow()))

    def confirm_prefilled(self, pid: int) -> list[str]:
        """Accept every gate the rule engine passed and the expert has not answered yet (a gate the
        rules failed needs the expert's own reason). Returns the gates confirmed."""
        pkg = self._scorable(pid)
        w = self.work(pid)
        todo = [g.id for g in self.rubric.gates if g.id not in w.gates and (pkg.prefill.get(g.id) or {}).get("passed") is True]
        if todo:
            now = utcnow()
            with self._tx() as c:
                c.executemany("INSERT INTO gates(package, gate, passed, reason, at) VALUES (?, ?, 1, '', ?)",
                              [(pid, g, now) for g in todo])
        return todo

    def set_overall(self, pid: int, score: float | None | bool = False, *, confidence: str | None | bool = False,
                    comment: str | None = None) -> None:
        self._scorable(pid)
        rub = self.rubric
        w = self.work(pid)
        new_score = w.overall if score is False else score
        new_conf = w.confidence if confidence is False else confidence
        if new_score is not None:
            if rub.overall is None:
                raise _err("This rubric has no overall score", "此评审量表没有总体评价分", "sheet.no_overall")
            if isinstance(new_score, bool) or not isinstance(new_score, (int, float)) or \
                    not rub.overall.min <= new_score <= rub.overall.max:
                raise _err(f"The overall score is a number from {_fmt(rub.overall.min)} to {_fmt(rub.overall.max)}",
                           f"总体评价分应为 {_fmt(rub.overall.min)} 至 {_fmt(rub.overall.max)} 之间的数", "sheet.bad_overall")
        if new_conf is not None and new_conf not in {c.id for c in rub.confidence}:
            ids = ", ".join(c.id for c in rub.confidence)
            raise _err(f"Confidence is one of: {ids}", f"把握程度可选：{ids}", "sheet.bad_confidence")
        text = w.overall_comment if comment is None else comment.strip()
        _check_len(text)
        with self._tx() as c:
            c.execute("INSERT INTO overall(package, score, confidence, comment, at) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT(package) DO UPDATE SET score=excluded.score, confidence=excluded.confidence, "
                      "comment=excluded.comment, at=excluded.at",
                      (pid, None if new_score is None else float(new_score), new_conf, text, utcnow()))


def _pkg(row) -> SheetPackage:
    d = dict(zip(_PKG_COLS, row))
    d["prefill"] = json.loads(d["prefill"] or "{}")
    d["applicable"] = json.loads(d["applicable"] or "[]")
    return SheetPackage(**d)


def _check_len(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise _err(f"At most {MAX_TEXT} characters, please", f"最多 {MAX_TEXT} 个字符", "sheet.too_long")


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def new_sheet_connection(tmp: Path, meta: dict[str, str]) -> sqlite3.Connection:
    """A new, empty sheet at `tmp` (its schema and meta); the caller fills it and closes it."""
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("BEGIN IMMEDIATE")
    create_schema(conn)
    conn.execute(f"PRAGMA user_version={FORMAT_VERSION}")
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                     list({"format": FORMAT, "created_with": __version__, **meta}.items()))
    return conn  # inside the transaction: the caller commits


class _ReaderRecord:
    """A sheet package as desktop.review.reader.materialize reads a package record."""

    def __init__(self, p: SheetPackage):
        self.id, self.uid, self.file_sha256, self.source_name = p.id, p.uid, p.file_sha256, p.source_name
        self.storage = "stored" if p.blob_id is not None else "none"
        self.blob_id, self.source_path, self.answers = p.blob_id, "", p.answers
        self.verdict = {"root": p.root}
        self.program_id, self.program_version = p.program_id, p.program_version
        self.sealed_at, self.content_digest = p.sealed_at, p.content_digest
        self.fingerprint = None
        # the reader's cache key: the copy's SHA-256 (a sheet without files keeps no bytes to read)
        self.identity = p.file_sha256 or f"sheet-package-{p.uid}"


class ReaderSource:
    """The sheet as the review file desktop.review.reader.materialize reads packages from (the
    package bytes are stored the same way), so an expert reads a package in the applicant's own
    window, read-only, exactly as on the reviewer's desk."""

    def __init__(self, sheet: ExpertSheet):
        self.conn = sheet.conn
        self.uuid = sheet.sheet_id
        self._sheet = sheet

    def package(self, pid) -> _ReaderRecord:
        return _ReaderRecord(self._sheet.package(pid))
