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


WORKLOADS = [SetWorkload, AttachWorkload, ExportWorkload, ExtractWorkload, NewProjectWorkload,
             ProgramImportWorkload, IdentityWorkload]


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
