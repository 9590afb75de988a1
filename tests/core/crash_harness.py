"""Crash battery: run writing commands in a child process, SIGKILL it at random instants, and check
after every kill that nothing committed was lost and nothing half-done is visible.

The guarantee under test (README, issue #16): a crash at any instant leaves a valid project holding
every acknowledged edit (an edit is acknowledged when its command exited 0), and no output file
under its final name that is not complete.

How it works: a Workload prepares a work folder and names one `dossier …` command per round. The
runner starts the command, kills it (SIGKILL: no cleanup, no atexit) after a random delay drawn
from [0.8 × Python's start-up time, 1.2 × the command's measured duration] — so some rounds finish
(acknowledged) and most die somewhere inside: reading, the transaction, the commit, the rename —
then asks the
workload to check its whole state. The next round starts from whatever the kill left (a hot
journal, temp files): recovery is part of what is tested.

Plugging in a new writing command (hand-off merge, notes import, next period, …): subclass
Workload (or ProjectWorkload), implement `command(i)`, `acknowledged(i)` and `check()`, and add an
instance to WORKLOADS below (or pass it to run_battery yourself). `tests/core/test_crash_battery.py`
runs every workload a few times in CI; `scripts/crash_battery.py --kills 300` runs the full battery.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


def _sha(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        while b := fh.read(1 << 20):
            h.update(b)
    return h.hexdigest()


class Workload:
    """One kind of writing command under SIGKILL. Subclasses keep whatever they need to check."""

    name = "workload"
    timeout = 120.0  # a round that is not killed must finish within this
    ci_kills: int | None = None  # fewer kills in CI for a slow workload (test_crash_battery.py)

    def setup(self, work: Path) -> None:
        self.work = work
        self.home = work / "home"
        self.home.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        return {"DOSSIER_HOME": str(self.home), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                "DOSSIER_LANG": "en"}

    def command(self, i: int) -> list[str]:
        raise NotImplementedError

    def acknowledged(self, i: int) -> None:
        """Round `i` exited 0 before it could be killed: what it did must stay."""

    def check(self) -> list[str]:
        """Problems with the work folder now (empty: sound, nothing acknowledged lost)."""
        return []


def project_problems(path: Path) -> list[str]:
    """Open as the app would (a hot journal is rolled back then), full integrity check."""
    from desktop.errors import DossierError
    from desktop.project import Project

    try:
        with Project.open(path) as p:
            ok = p.conn.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                return [f"{path.name}: integrity_check: {ok}"]
            p.check_integrity()
            p.answers()
    except (DossierError, sqlite3.Error) as e:
        return [f"{path.name}: {e}"]
    if Path(str(path) + "-journal").exists():
        return [f"{path.name}: a journal was left after a clean open and close"]
    return []


class ProjectWorkload(Workload):
    """A workload around one project file made once, before the first round."""

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.project import Project
        from tests.core.helpers import program

        self.project = work / "p.dossier"
        if not self.project.exists():
            Project.create(self.project, program(), "甲").close()


class SetWorkload(ProjectWorkload):
    """`dossier set` of a distinct value each round; every acknowledged value must be in the history,
    and the current value must be the last acknowledged one or a later (committed, unacknowledged) one."""

    name = "set"
    path = "1.1/intro"

    def setup(self, work: Path) -> None:
        super().setup(work)
        self.acked: list[int] = []
        self.tried = 0

    def value(self, i: int) -> str:
        return f"第 {i} 次修改 " + "内容" * (i % 7 * 300)

    def command(self, i: int) -> list[str]:
        self.tried = max(self.tried, i + 1)
        return ["set", str(self.project), self.path, self.value(i)]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = project_problems(self.project)
        if probs:
            return probs
        from desktop.project import Project

        with Project.open(self.project) as p:
            now = p.get(self.path)
            seen = {h.new for h in p.history(self.path)}
        missing = [i for i in self.acked if self.value(i) not in seen]
        if missing:
            return [f"set: acknowledged edits {missing} are not in the history"]
        if self.acked:
            last = self.acked[-1]
            allowed = {self.value(j) for j in range(last, self.tried)}
            if now not in allowed:
                return [f"set: the value is not the last acknowledged one (round {last}) or a later one"]
        return []


class AttachWorkload(ProjectWorkload):
    """`dossier attach` of a distinct file (a few MB: the transaction spills pages into the file) each
    round; acknowledged files must be there, and anything there must be whole (its bytes hash right)."""

    name = "attach"

    def setup(self, work: Path) -> None:
        super().setup(work)
        self.files = work / "files"
        self.files.mkdir(exist_ok=True)
        self.acked: dict[int, str] = {}
        self.known: dict[str, int] = {}

    def _file(self, i: int) -> Path:
        f = self.files / f"scan-{i}.pdf"
        if not f.exists():
            rnd = random.Random(i)
            f.write_bytes(b"%PDF-1.4\n" + rnd.randbytes(rnd.randint(1 << 20, 6 << 20)))
            self.known[_sha(f)] = i
        return f

    def command(self, i: int) -> list[str]:
        return ["attach", str(self.project), str(self._file(i)), "--indicator", "1.1"]

    def acknowledged(self, i: int) -> None:
        self.acked[i] = _sha(self._file(i))

    def check(self) -> list[str]:
        probs = project_problems(self.project)
        if probs:
            return probs
        from desktop.project import Project

        with Project.open(self.project) as p:
            stored = {e.sha256: e for e in p.evidence()}
            for sha, ev in stored.items():
                h = hashlib.sha256()
                n = 0
                for chunk in p.read_chunks(ev.blob_id):
                    h.update(chunk)
                    n += len(chunk)
                if h.hexdigest() != sha or n != ev.size:
                    return [f"attach: stored file #{ev.id} is not whole"]
        lost = [i for i, sha in self.acked.items() if sha not in stored]
        return [f"attach: acknowledged files {lost} are missing"] if lost else []


class ExportWorkload(ProjectWorkload):
    """`dossier export` into a folder per round; a PDF or zip under its final name is always complete
    (the zip verifies), and the project stays sound."""

    name = "export"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.project import Project

        with Project.open(self.project) as p:
            if not p.evidence():
                p.set("1.1/name", "甲")
                f = work / "big.pdf"
                f.write_bytes(b"%PDF-1.4\n" + random.Random(1).randbytes(24 << 20))
                p.attach(f, "1.1")
        self.acked: list[int] = []

    def out(self, i: int) -> Path:
        d = self.work / f"out-{i}"
        d.mkdir(exist_ok=True)
        return d

    def command(self, i: int) -> list[str]:
        return ["export", str(self.project), "--out", str(self.out(i)), "--allow-incomplete"]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = project_problems(self.project)
        if probs:
            return probs
        from desktop.export.verify import verify_package

        for d in sorted(self.work.glob("out-*")):
            i = int(d.name.split("-")[1])
            zips, pdfs = list(d.glob("*.zip")), list(d.glob("*.pdf"))
            if i in self.acked and (len(zips) != 1 or len(pdfs) != 1):
                return [f"export: acknowledged round {i} has {len(pdfs)} PDF and {len(zips)} zip"]
            for z in zips:
                v = verify_package(z)
                if v.status != "intact":
                    return [f"export: {z.name} under its final name does not verify ({v.status}: {v.errors[:1]})"]
            for pdf in pdfs:
                data = pdf.read_bytes()
                if not data.startswith(b"%PDF") or b"%%EOF" not in data[-2048:]:
                    return [f"export: {pdf.name} under its final name is not a complete PDF"]
        return []


class ExtractWorkload(ProjectWorkload):
    """`dossier extract` to a new name per round: the output is absent or exactly the stored bytes."""

    name = "extract"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.project import Project

        with Project.open(self.project) as p:
            if not p.evidence():
                f = work / "e.pdf"
                f.write_bytes(b"%PDF-1.4\n" + random.Random(2).randbytes(30 << 20))
                p.attach(f, "1.1")
            ev = p.evidence()[0]
            self.eid, self.sha = ev.id, ev.sha256
        self.acked: list[int] = []

    def command(self, i: int) -> list[str]:
        return ["extract", str(self.project), str(self.eid), str(self.work / f"x-{i}.pdf")]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        for i in self.acked:
            if not (self.work / f"x-{i}.pdf").exists():
                return [f"extract: acknowledged output x-{i}.pdf is missing"]
        for f in self.work.glob("x-*.pdf"):
            if _sha(f) != self.sha:
                return [f"extract: {f.name} under its final name is not the stored file"]
        return project_problems(self.project)


class NewProjectWorkload(Workload):
    """`dossier demo` (create + fill + attach, under a temporary name) to a new name per round: a
    project under its final name is always complete and sound."""

    name = "demo"

    def setup(self, work: Path) -> None:
        super().setup(work)
        self.acked: list[int] = []

    def command(self, i: int) -> list[str]:
        return ["demo", "gx-city-consortium", str(self.work / f"d-{i}.dossier")]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        from desktop.project import Project

        for i in self.acked:
            if not (self.work / f"d-{i}.dossier").exists():
                return [f"demo: acknowledged project d-{i}.dossier is missing"]
        for f in sorted(self.work.glob("d-*.dossier")):
            probs = project_problems(f)
            if probs:
                return probs
            with Project.open(f) as p:
                if len(p.evidence()) < 8 or p.report().blocking:
                    return [f"demo: {f.name} under its final name is incomplete"]
        return []


class ProgramImportWorkload(Workload):
    """`dossier program import` of a new version per round: installed definitions are whole."""

    name = "program-import"

    def setup(self, work: Path) -> None:
        super().setup(work)
        self.acked: list[int] = []

    def command(self, i: int) -> list[str]:
        from tests.core.helpers import definition_text

        f = self.work / f"def-{i}.yaml"
        f.write_text(definition_text(lambda d: d.update(id="crash-prog", version=f"1.0.{i}")), "utf-8")
        return ["program", "import", str(f)]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        from desktop.programs import load_definition_file

        d = self.home / "programs"
        files = {p.name: p for p in d.glob("*.yaml")} if d.is_dir() else {}
        for i in self.acked:
            if f"crash-prog@1.0.{i}.yaml" not in files:
                return [f"program import: acknowledged version 1.0.{i} is not installed"]
        for p in files.values():
            try:
                load_definition_file(p)
            except Exception as e:  # noqa: BLE001
                return [f"program import: {p.name} is not whole ({e})"]
        return []


class IdentityWorkload(Workload):
    """`dossier identity create` / `delete --yes` alternately (passphrase storage): the identity is
    always either absent or whole (loads, its key decrypts)."""

    name = "identity"

    def setup(self, work: Path) -> None:
        super().setup(work)
        self.pw = work / "pw.txt"
        self.pw.write_text(PASSPHRASE + "\n", "utf-8")
        os.chmod(self.pw, 0o600)

    def command(self, i: int) -> list[str]:
        from desktop.identity.store import load_identity

        os.environ["DOSSIER_HOME"], old = str(self.home), os.environ.get("DOSSIER_HOME")
        try:
            present = load_identity() is not None
        except Exception:  # noqa: BLE001 - a damaged identity: delete it
            present = True
        finally:
            if old is None:
                os.environ.pop("DOSSIER_HOME", None)
            else:
                os.environ["DOSSIER_HOME"] = old
        if present:
            return ["identity", "delete", "--yes"]
        return ["identity", "create", "--country", "CN", "--name-en", f"College {i}", "--storage", "file",
                "--passphrase-file", str(self.pw)]

    def check(self) -> list[str]:
        from desktop.identity import store

        old = os.environ.get("DOSSIER_HOME")
        os.environ["DOSSIER_HOME"] = str(self.home)
        try:
            ident = store.load_identity()
            if ident is not None:
                store.load_private_key(ident, PASSPHRASE)
        except Exception as e:  # noqa: BLE001
            return [f"identity: not whole after a kill ({e})"]
        finally:
            if old is None:
                os.environ.pop("DOSSIER_HOME", None)
            else:
                os.environ["DOSSIER_HOME"] = old
        return []


def _sqlite_sound(path: Path) -> list[str]:
    """A plain SQLite file (not a project): full integrity check; a hot journal is rolled back by
    the open, as the app's would."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        return [f"{path.name}: {e}"]
    return [] if ok == "ok" else [f"{path.name}: integrity_check: {ok}"]


class HandoffMergeWorkload(Workload):
    """`dossier handoff merge LEAD RETURN --prefer partner`, a new hand-off (to a new partner) and
    its return per round, made in-process beforehand: the partner writes `2.1/teachers` = i,
    `2.1/note` = "… i" and attaches a distinct file of a few MB. A merge is all or nothing: the
    return is recorded as merged exactly when its file is among the lead's evidence; every
    acknowledged merge is there (values in the history, file whole)."""

    name = "handoff-merge"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from tests.handoff.helpers import new_lead

        self.lead = work / "lead.dossier"
        if not self.lead.exists():
            new_lead(work, {"2.1/teachers": 1, "2.1/note": "起始"})
        self.parts = work / "parts"
        self.parts.mkdir(exist_ok=True)
        self.returns: dict[int, tuple[str, str]] = {}  # round -> (return id, sha of its file)
        self.acked: list[int] = []

    def note(self, i: int) -> str:
        return f"合作方第 {i} 次说明 " + "文字" * (i % 5 * 200)

    def command(self, i: int) -> list[str]:
        from desktop.handoff import open_return
        from desktop.project import Project
        from tests.handoff.helpers import give_back, share

        part, ret = self.parts / f"part-{i}.dossier", self.parts / f"ret-{i}.dossier-return"
        share(self.lead, part, partner=f"Partner {i}", indicators=["2.1"])
        f = self.parts / f"cv-{i}.pdf"
        rnd = random.Random(100 + i)
        f.write_bytes(b"%PDF-1.4\n" + rnd.randbytes(rnd.randint(1 << 20, 4 << 20)))
        with Project.open(part) as p:
            p.set_many({"2.1/teachers": 100 + i, "2.1/note": self.note(i)})
            p.attach(f, "2.1", "cv")
        give_back(part, ret)
        with open_return(ret) as rf:
            self.returns[i] = (rf.doc["return_id"], _sha(f))
        return ["handoff", "merge", str(self.lead), str(ret), "--prefer", "partner"]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = project_problems(self.lead)
        if probs:
            return probs
        from desktop.handoff import load_records
        from desktop.project import Project

        with Project.open(self.lead) as p:
            merged = {r for rec in load_records(p.conn) for r in rec.info.get("merged_returns", [])}
            stored = {e.sha256: e for e in p.evidence()}
            teachers = {h.new for h in p.history("2.1/teachers")}
            notes = {h.new for h in p.history("2.1/note")}
            for sha, ev in stored.items():
                h = hashlib.sha256()
                for chunk in p.read_chunks(ev.blob_id):
                    h.update(chunk)
                if h.hexdigest() != sha:
                    return [f"handoff merge: stored file #{ev.id} is not whole"]
        for i, (rid, sha) in self.returns.items():
            if (rid in merged) != (sha in stored):
                return [f"handoff merge: round {i} is half merged (recorded merged: {rid in merged}, "
                        f"file there: {sha in stored})"]
        for i in self.acked:
            rid, sha = self.returns[i]
            if rid not in merged or sha not in stored or 100 + i not in teachers or self.note(i) not in notes:
                return [f"handoff merge: acknowledged merge of round {i} is not (all) there"]
        return []


class HandoffCreateWorkload(Workload):
    """`dossier handoff create LEAD --indicators 2.1 --include-evidence --to Pi --out part-i.dossier`
    per round (the lead has 2.1 filled and a few MB of evidence on it): a hand-off file under its
    final name is complete (sound, its mark, the assigned answers, every assigned evidence file), and
    every acknowledged one exists and is recorded in the lead."""

    name = "handoff-create"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.project import Project
        from tests.handoff.helpers import new_lead

        self.lead = work / "lead.dossier"
        if not self.lead.exists():
            new_lead(work, {"2.1/teachers": 5, "2.1/note": "说明" * 2000, "2.2/area": 80})
            with Project.open(self.lead) as p:
                for k in range(3):
                    f = work / f"cv-{k}.pdf"
                    f.write_bytes(b"%PDF-1.4\n" + random.Random(10 + k).randbytes(4 << 20))
                    p.attach(f, "2.1", "cv")
        with Project.open(self.lead, readonly=True) as p:
            self.base = {k: v for k, v in p.answers().items() if k.startswith("2.1/")}
            self.shas = sorted(e.sha256 for e in p.evidence())
        self.acked: list[int] = []

    def out(self, i: int) -> Path:
        return self.work / f"part-{i}.dossier"

    def command(self, i: int) -> list[str]:
        return ["handoff", "create", str(self.lead), "--indicators", "2.1", "--include-evidence",
                "--to", f"Partner {i}", "--out", str(self.out(i))]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = project_problems(self.lead)
        if probs:
            return probs
        from desktop.handoff import load_records, read_mark
        from desktop.project import Project

        with Project.open(self.lead, readonly=True) as p:
            partners = {r.partner for r in load_records(p.conn)}
        for i in self.acked:
            if not self.out(i).exists() or f"Partner {i}" not in partners:
                return [f"handoff create: acknowledged hand-off of round {i} is missing (file or record)"]
        for f in sorted(self.work.glob("part-*.dossier")):
            probs = project_problems(f)
            if probs:
                return probs
            with Project.open(f, readonly=True) as p:
                mark = read_mark(p)
                got = {k: v for k, v in p.answers().items() if k.startswith("2.1/")}
                shas = sorted(e.sha256 for e in p.evidence())
            if mark is None or got != self.base or shas != self.shas:
                return [f"handoff create: {f.name} under its final name is incomplete (mark: {mark is not None}, "
                        f"answers: {got == self.base}, evidence files: {len(shas)} of {len(self.shas)})"]
        return []


class HandoffReturnWorkload(Workload):
    """`dossier handoff return PART --out ret-i.dossier-return` per round (the partner changed two
    fields and attached 8 MB): a return under its final name opens (its manifest verifies) and
    carries the changes and the file; every acknowledged one exists; the part file is not changed."""

    name = "handoff-return"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.project import Project
        from tests.handoff.helpers import new_lead, share

        self.part = work / "part.dossier"
        if not self.part.exists():
            lead = new_lead(work, {"2.1/teachers": 5})
            share(lead, self.part, indicators=["2.1"])
            f = work / "cv.pdf"
            f.write_bytes(b"%PDF-1.4\n" + random.Random(20).randbytes(8 << 20))
            with Project.open(self.part) as p:
                p.set_many({"2.1/teachers": 9, "2.1/note": "外方团队说明"})
                p.attach(f, "2.1", "cv")
        self.cv = _sha(work / "cv.pdf")
        self.part_sha = _sha(self.part)
        self.acked: list[int] = []

    def out(self, i: int) -> Path:
        return self.work / f"ret-{i}.dossier-return"

    def command(self, i: int) -> list[str]:
        return ["handoff", "return", str(self.part), "--out", str(self.out(i))]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        from desktop.handoff import open_return

        if _sha(self.part) != self.part_sha:
            return ["handoff return: the hand-off file was changed"]
        for i in self.acked:
            if not self.out(i).exists():
                return [f"handoff return: acknowledged return {self.out(i).name} is missing"]
        for f in sorted(self.work.glob("ret-*.dossier-return")):
            try:
                with open_return(f) as rf:
                    fields = {x["path"] for x in rf.doc.get("fields", [])}
                    added = {e["sha256"] for e in rf.doc["evidence"]["added"]}
            except Exception as e:  # noqa: BLE001
                return [f"handoff return: {f.name} under its final name does not open ({e})"]
            if not {"2.1/teachers", "2.1/note"} <= fields or self.cv not in added:
                return [f"handoff return: {f.name} under its final name is incomplete"]
        return []


class CoverWorkload(ProjectWorkload):
    """`dossier cover --contact-name … --contact-phone …` (two meta keys in one transaction) per
    round: both keys always come from the same round, the last acknowledged one or a later one, and
    every acknowledged value is in the history."""

    name = "cover"

    def setup(self, work: Path) -> None:
        super().setup(work)
        self.acked: list[int] = []
        self.tried = 0

    def values(self, i: int) -> tuple[str, str]:
        return f"联系人{i}", f"0771-{1000000 + i}"

    def command(self, i: int) -> list[str]:
        self.tried = max(self.tried, i + 1)
        name, phone = self.values(i)
        return ["cover", str(self.project), "--contact-name", name, "--contact-phone", phone]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = project_problems(self.project)
        if probs:
            return probs
        from desktop.cover import get_cover
        from desktop.project import Project

        with Project.open(self.project) as p:
            cover = get_cover(p.meta())
            seen = {h.new for h in p.history("contact_name") if h.action == "cover"}
        now = (cover["contact_name"], cover["contact_phone"])
        rounds = [j for j in range(self.tried) if self.values(j) == now]
        if self.acked or now != ("", ""):
            if not rounds:
                return [f"cover: name and phone do not come from one round: {now}"]
            if self.acked and rounds[0] < self.acked[-1]:
                return [f"cover: the values are from round {rounds[0]}, before the last acknowledged {self.acked[-1]}"]
        missing = [i for i in self.acked if self.values(i)[0] not in seen]
        return [f"cover: acknowledged rounds {missing} are not in the history"] if missing else []


class NextPeriodWorkload(Workload):
    """`dossier next-period SOURCE --period 2025 --out n-i.dossier` per round (the wf demo, with a
    few MB of evidence to copy): a project under its final name is complete (sound, the period set,
    every carried file there) and every acknowledged one exists; the source is only read."""

    name = "next-period"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.demo import make_demo
        from desktop.programs import find_program
        from desktop.project import Project

        self.source = work / "wf_2024.dossier"
        if not self.source.exists():
            with make_demo(find_program("wf-city-consortium"), self.source) as proj:
                big = work / "plan.pdf"
                big.write_bytes(b"%PDF-1.4\n" + random.Random(3).randbytes(12 << 20))
                proj.attach(big, "3.1", "plan_document")
        with Project.open(self.source, readonly=True) as p:
            self.source_uuid = p.uuid
        self.source_sha = _sha(self.source)
        self.acked: list[int] = []
        self.evidence_count: int | None = None

    def out(self, i: int) -> Path:
        return self.work / f"n-{i}.dossier"

    def command(self, i: int) -> list[str]:
        return ["next-period", str(self.source), "--period", "2025", "--out", str(self.out(i))]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)
        if self.evidence_count is None:
            from desktop.project import Project

            with Project.open(self.out(i), readonly=True) as p:
                self.evidence_count = len(p.evidence())

    def check(self) -> list[str]:
        from desktop.project import Project

        if _sha(self.source) != self.source_sha:
            return ["next-period: the previous period's project was changed"]
        for i in self.acked:
            if not self.out(i).exists():
                return [f"next-period: acknowledged project {self.out(i).name} is missing"]
        for f in sorted(self.work.glob("n-*.dossier")):
            probs = project_problems(f)
            if probs:
                return probs
            with Project.open(f, readonly=True) as p:
                meta = p.meta()
                n = len(p.evidence())
                done = any(h.action == "next_period" for h in p.history())
            if (meta.get("period") != "2025" or meta.get("previous_project_uuid") != self.source_uuid or not done
                    or (self.evidence_count is not None and n != self.evidence_count)):
                return [f"next-period: {f.name} under its final name is incomplete ({n} evidence files)"]
        return []


def _demo_package(project: Path, out: Path, i: int) -> Path:
    """Change a long-text answer of `project` and seal it into `out`: a distinct package."""
    from desktop.export import export_project
    from desktop.project import Project

    with Project.open(project) as p:
        path = next(k for k, f in p.program.fields.items() if f.type == "longtext")
        p.set(path, f"第 {i} 版说明")
    out.mkdir(parents=True, exist_ok=True)
    return export_project(project, out, allow_incomplete=True).zip_path


class ReviewAddWorkload(Workload):
    """`dossier review add REVIEW PACKAGE` of a distinct package per round (a small project of the
    test program, installed in the child's home, with a 2 MB file, sealed anew in-process): the
    review file is sound, lists every acknowledged package, and every stored package is whole (its
    bytes hash to the recorded SHA-256)."""

    name = "review-add"
    ci_kills = 2  # ~7 s a round (the child parses every bundled definition; the package is sealed in-process)

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.review import Review
        from desktop.project import Project
        from tests.core.helpers import definition_text, program

        d = work / "test-program.yaml"
        d.write_text(definition_text(), "utf-8")
        subprocess.run([sys.executable, "-m", "desktop.cli", "program", "import", str(d)], check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT), **self.env()}, capture_output=True)
        self.src = work / "src.dossier"
        if not self.src.exists():
            with Project.create(self.src, program(), "甲学校") as p:
                f = work / "scan.pdf"
                f.write_bytes(b"%PDF-1.4\n" + random.Random(4).randbytes(2 << 20))
                p.attach(f, "1.1")
        self.review = work / "r.dreview"
        if not self.review.exists():
            Review.create(self.review, "crash", "").close()
        self.shas: dict[int, str] = {}
        self.acked: list[int] = []

    def command(self, i: int) -> list[str]:
        z = _demo_package(self.src, self.work / f"pk-{i}", i)
        self.shas[i] = _sha(z)
        return ["review", "add", str(self.review), str(z)]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = _sqlite_sound(self.review)
        if probs:
            return probs
        from desktop.errors import DossierError
        from desktop.review import Review
        from desktop.review.store import read_chunks

        try:
            with Review.open(self.review) as rv:
                recs = rv.packages()
                for r in recs:
                    if r.storage != "stored":
                        continue
                    h = hashlib.sha256()
                    for chunk in read_chunks(rv.conn, r.blob_id):
                        h.update(chunk)
                    if h.hexdigest() != r.file_sha256:
                        return [f"review add: stored package #{r.id} is not whole"]
        except (DossierError, sqlite3.Error) as e:
            return [f"review add: {e}"]
        if Path(str(self.review) + "-journal").exists():
            return ["review add: a journal was left after a clean open and close"]
        have = {r.file_sha256 for r in recs}
        lost = [i for i in self.acked if self.shas[i] not in have]
        return [f"review add: acknowledged packages {lost} are not listed"] if lost else []


class NotesImportWorkload(Workload):
    """`dossier notes import PROJECT NOTES`: per round the reviewer (in-process) writes one more note
    on the project's package and issues a notes file carrying all of them. The project stays
    sound; an imported notes file brings all its notes (all or nothing); every acknowledged one is
    there."""

    name = "notes-import"

    def setup(self, work: Path) -> None:
        super().setup(work)
        from desktop.demo import make_demo
        from desktop.programs import find_program
        from desktop.review import Review, add_packages

        self.project = work / "gx.dossier"
        self.review = work / "r.dreview"
        if not self.project.exists():
            make_demo(find_program("gx-city-consortium"), self.project).close()
            z = _demo_package(self.project, work / "pk", 0)
            with Review.create(self.review, "crash", "") as rv:
                rv.set_meta("reviewer", "评审组")
                add_packages(rv, [z])
        with Review.open(self.review, readonly=True) as rv:
            self.pid = rv.packages()[0].id
        self.files: dict[int, tuple[str, set[str]]] = {}  # round -> (notes id, note ids)
        self.acked: list[int] = []

    def command(self, i: int) -> list[str]:
        from desktop.review import Review
        from desktop.review import notes_file
        from desktop.review.returns import issue_notes

        with Review.open(self.review) as rv:
            rv.add_note(self.pid, f"第 {i} 条意见：请补充证明材料 " + "说明" * (i % 4 * 500))
            res = issue_notes(rv, self.pid, self.work / f"notes-{i}")
        nf = notes_file.read(res.path)
        self.files[i] = (nf.notes_id, {it["id"] for it in nf.doc["items"]})
        return ["notes", "import", str(self.project), str(res.path)]

    def acknowledged(self, i: int) -> None:
        self.acked.append(i)

    def check(self) -> list[str]:
        probs = project_problems(self.project)
        if probs:
            return probs
        from desktop.project import Project

        with Project.open(self.project) as p:
            imported = {r[0] for r in p.conn.execute("SELECT notes_id FROM review_notes_files")}
            notes = {r[0].split(":", 1)[1] for r in p.conn.execute("SELECT id FROM review_notes")}
            logged = p.conn.execute("SELECT count(*) FROM history WHERE action='review_notes'").fetchone()[0]
        if logged != len(imported):
            return [f"notes import: {len(imported)} notes files recorded, {logged} imports in the history"]
        for i, (nid, items) in self.files.items():
            if nid in imported and not items <= notes:
                return [f"notes import: notes file of round {i} is recorded but {len(items - notes)} notes are missing"]
        lost = [i for i in self.acked if self.files[i][0] not in imported]
        return [f"notes import: acknowledged notes files {lost} are not there"] if lost else []


WORKLOADS = [SetWorkload, AttachWorkload, ExportWorkload, ExtractWorkload, NewProjectWorkload,
             ProgramImportWorkload, IdentityWorkload, HandoffMergeWorkload, HandoffCreateWorkload,
             HandoffReturnWorkload, CoverWorkload, NextPeriodWorkload, ReviewAddWorkload, NotesImportWorkload]


@dataclass
class Outcome:
    workload: str
    rounds: int = 0
    killed: int = 0
    acknowledged: int = 0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"workload": self.workload, "rounds": self.rounds, "killed": self.killed,
                "acknowledged": self.acknowledged, "problems": self.problems}


_STARTUP: list[float] = []


def startup_time() -> float:
    """How long `dossier --version` takes here: kills before that only ever hit Python's start-up."""
    if not _STARTUP:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "desktop.cli", "--version"], env=env, capture_output=True)
        _STARTUP.append(time.perf_counter() - t0)
    return _STARTUP[0]


def run_workload(w: Workload, work: Path, kills: int, rng: random.Random, log=None) -> Outcome:
    """Run rounds until `kills` of them were killed (or a problem shows). Returns the outcome.
    Kill delays are uniform over [0.8 × start-up time, 1.2 × the command's median duration]."""
    work.mkdir(parents=True, exist_ok=True)
    w.setup(work)
    out = Outcome(w.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT), **w.env()}
    durations: list[float] = []
    lo = 0.8 * startup_time()
    i = 0
    while out.killed < kills and not out.problems:
        argv = [sys.executable, "-m", "desktop.cli", *w.command(i)]
        # first round unkilled, to learn how long the command takes
        if durations:
            hi = 1.2 * sorted(durations)[len(durations) // 2]
            delay = rng.uniform(lo if lo < hi else 0.0, hi)
        else:
            delay = None
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        killed = False
        if delay is None:
            try:
                _out, err = proc.communicate(timeout=w.timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                out.problems.append(f"{w.name}: round {i} hung for {w.timeout} s")
                break
        else:
            try:
                _out, err = proc.communicate(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.communicate()
                killed = True
        dt = time.perf_counter() - t0
        out.rounds += 1
        if killed:
            out.killed += 1
        elif proc.returncode == 0:
            durations.append(dt)
            out.acknowledged += 1
            w.acknowledged(i)
        else:
            msg = (err or b"").decode("utf-8", "replace").strip()
            out.problems.append(f"{w.name}: round {i} failed without a kill (exit {proc.returncode}): {msg}")
            break
        problems = w.check()
        if problems:
            out.problems += [f"after round {i} ({'killed' if killed else 'finished'} after {dt:.2f} s): {p}"
                             for p in problems]
        if log:
            log(f"{w.name} round {i}: {'killed' if killed else 'ok'} after {dt:.2f} s")
        i += 1
    return out


def run_battery(kills: int, work: Path, seed: int = 0, workloads=None, log=None) -> list[Outcome]:
    """`kills` SIGKILLs spread over the workloads (each at least one)."""
    classes = workloads or WORKLOADS
    rng = random.Random(seed)
    per = max(1, kills // len(classes))
    extra = max(0, kills - per * len(classes))
    results = []
    for n, cls in enumerate(classes):
        w = cls()
        results.append(run_workload(w, work / w.name, per + (1 if n < extra else 0), rng, log))
    return results


def summary(results: list[Outcome]) -> str:
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) for r in results]
    total_k = sum(r.killed for r in results)
    total_p = sum(len(r.problems) for r in results)
    lines.append(f"{total_k} kills, {sum(r.rounds for r in results)} rounds, "
                 f"{sum(r.acknowledged for r in results)} acknowledged, {total_p} problems")
    return "\n".join(lines)
