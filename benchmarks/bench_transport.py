"""Transport and verify figures (issues #12 and #17), each beside its baseline in the same run.

    .venv/bin/python benchmarks/bench_transport.py [--only verify,split,encrypt,delta,recovery]
                                                   [--dir /tmp/dossier-bench-transport] [--runs 3] [--gib 1]

- verify:   `dossier verify` of a 1 GiB package (10 × 100 MiB evidence) vs `openssl dgst -sha256`
            over the same payload files, unpacked (#17 target ≤ 1.2 ×).
- split:    export with `--split 20M` vs the unsplit export of the same project (#12 target ≤ 1.3 ×).
- encrypt:  export with `--encrypt-to age1…` vs the unencrypted export (#12 target ≤ 2 ×).
- delta:    a resubmission (one answer changed, 1 of 100 evidence files replaced) with `--since`:
            size of the delta vs the full package (#12 target ≤ 2 %).
- recovery: PAR2 recovery data at 10 % for a 700 MB package (#12: measure and report).

Every contender runs in a fresh child process (Python start-up and imports included), paired and
interleaved: baseline, contender, baseline, contender … The page cache is warm (each reads the
same files right after the other). Medians and the range are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import ROOT, make_files  # noqa: E402

sys.path.insert(0, str(ROOT))  # the recovery figure runs in this process

PY = sys.executable


def run(cmd: list[str], cwd: Path | None = None, ok=(0,)) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode not in ok:
        sys.exit(f"command failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stderr[-3000:]}")
    return dt, r.stdout


def dossier(*args) -> list[str]:
    return [PY, "-m", "desktop.cli", *map(str, args)]


def project(base: Path, gib: float, count: int, name: str) -> tuple[Path, list[Path]]:
    """A gx-city-consortium demo with `count` evidence files adding up to `gib` GiB."""
    size = int(gib * (1 << 30)) // count
    files = make_files(base / f"src-{name}", count, size)
    proj = base / f"{name}.dossier"
    if not proj.exists():
        tmp = proj.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        run(dossier("demo", "gx-city-consortium", tmp))
        run(dossier("attach", tmp, *files, "--indicator", "1.1"))
        tmp.rename(proj)
    return proj, files


def fresh(d: Path) -> Path:
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def report(name: str, pairs: list[tuple[float, float]], target: str) -> dict:
    ratios = [c / b for b, c in pairs]
    med = statistics.median(ratios)
    print(f"{name}: baseline median {statistics.median(b for b, _ in pairs):.2f} s, contender median "
          f"{statistics.median(c for _, c in pairs):.2f} s; ratio median {med:.2f} (range {min(ratios):.2f}–{max(ratios):.2f},"
          f" {len(pairs)} paired runs) — target {target}", flush=True)
    return {"name": name, "ratio": med, "ratios": ratios, "pairs": pairs}


def bench_verify(base: Path, a) -> dict:
    proj, _files = project(base, a.gib, 10, f"verify-{a.gib:g}")
    # Always a package of this build: verify re-renders the PDF only for the build that made it
    # (generator.renderer), and that re-render is part of what is measured.
    out = fresh(base / "verify-out")
    run(dossier("export", proj, "--out", out))
    (pkg,) = list(out.glob("*.zip"))
    unpacked = fresh(base / "verify-unpacked")
    with zipfile.ZipFile(pkg) as z:
        z.extractall(unpacked)
    (bag,) = [p for p in unpacked.iterdir() if p.is_dir()]
    payload = sorted(str(p) for p in (bag / "data").rglob("*") if p.is_file())
    total = sum(os.path.getsize(p) for p in payload)
    pairs = []
    for i in range(a.runs):
        tb, _ = run(["openssl", "dgst", "-sha256", *payload])
        tc, o = run(dossier("verify", pkg))
        assert o.startswith("INTACT"), o
        assert "cannot re-render" not in o, o
        pairs.append((tb, tc))
        print(f"  run {i + 1}: openssl dgst -sha256 {tb:.2f} s, dossier verify {tc:.2f} s ({tc / tb:.2f} ×)", flush=True)
    return report(f"verify {total / 2**30:.2f} GiB package vs openssl dgst -sha256", pairs, "≤ 1.2 ×")


def _export_pair(base: Path, a, label: str, extra: list[str], target: str, check=None) -> dict:
    proj, _ = project(base, a.gib, 10, f"export-{a.gib:g}")
    pairs = []
    for i in range(a.runs):
        o1 = fresh(base / "plain")
        tb, _ = run(dossier("export", proj, "--out", o1))
        o2 = fresh(base / label)
        tc, _ = run(dossier("export", proj, "--out", o2, *extra))
        if check is not None:
            check(o2)
        pairs.append((tb, tc))
        print(f"  run {i + 1}: export {tb:.2f} s, export {' '.join(extra)} {tc:.2f} s ({tc / tb:.2f} ×)", flush=True)
    return report(f"export {a.gib:g} GiB {' '.join(extra)} vs plain export", pairs, target)


def bench_split(base: Path, a) -> dict:
    def check(o: Path) -> None:
        vols = sorted(o.glob("*_part*.zip"))
        assert len(vols) > 1, list(o.iterdir())

    return _export_pair(base, a, "split", ["--split", "20M"], "≤ 1.3 ×", check)


def bench_encrypt(base: Path, a) -> dict:
    import pyrage  # noqa: PLC0415

    recipient = str(pyrage.x25519.Identity.generate().to_public())

    def check(o: Path) -> None:
        assert list(o.glob("*.zip.age")), list(o.iterdir())

    # --no-self: the benchmark has no institution identity; one more recipient costs one X25519 wrap
    return _export_pair(base, a, "encrypt", ["--encrypt-to", recipient, "--no-self"], "≤ 2 ×", check)


CHANGE = """
import sys
from pathlib import Path
from desktop.project import Project
p = Project.open(sys.argv[1])
k, v = next((k, v) for k, v in p.answers().items() if isinstance(v, str) and p.program.field(k).type in ("text", "longtext"))
p.set(k, v + "（修改）")
ev = next(e for e in p.evidence() if e.name.endswith(".bin"))
p.detach(ev.id)
p.attach(sys.argv[2], "1.1")
p.close()
"""


def bench_delta(base: Path, a) -> dict:
    proj, files = project(base, a.gib, 100, f"delta-{a.gib:g}")
    work = base / "delta.dossier"
    shutil.copyfile(proj, work)
    full = fresh(base / "delta-full")
    run(dossier("export", work, "--out", full))
    (basis,) = list(full.glob("*.zip"))
    # one answer changed, one of the 100 evidence files replaced (same size, new bytes)
    repl = base / "replacement.bin"
    repl.write_bytes(os.urandom(files[0].stat().st_size))
    run([PY, "-c", CHANGE, str(work), str(repl)])
    d = fresh(base / "delta-out")
    t, _ = run(dossier("export", work, "--out", d, "--since", basis))
    (delta,) = [p for p in d.glob("*.zip") if "delta" in p.name]
    full2 = fresh(base / "delta-full2")
    t_full, _ = run(dossier("export", work, "--out", full2))
    (new_full,) = list(full2.glob("*.zip"))
    share = delta.stat().st_size / new_full.stat().st_size
    tv, o = run(dossier("verify", delta, "--basis", basis))
    assert o.startswith("INTACT"), o
    print(f"delta: {delta.stat().st_size / 2**20:.1f} MiB against the full package {new_full.stat().st_size / 2**20:.1f} MiB:"
          f" {share * 100:.2f} % — target ≤ 2 % (export --since {t:.2f} s, full export {t_full:.2f} s,"
          f" verify --basis {tv:.2f} s)", flush=True)
    return {"name": "delta", "share": share}


def bench_recovery(base: Path, a) -> dict:
    from desktop.transport import recovery  # noqa: PLC0415

    target = base / "recovery-700M.bin"
    if not target.exists() or target.stat().st_size != 700 * 10**6:
        make_files(base / "rec-src", 1, 700 * 10**6)[0].rename(target)
    times = []
    for i in range(a.runs):
        for p in base.glob("recovery-700M.bin*.par2"):
            p.unlink()
        t0 = time.perf_counter()
        made = recovery.create(target, percent=10)
        dt = time.perf_counter() - t0
        times.append(dt)
        size = sum(p.stat().st_size for p in made)
        print(f"  run {i + 1}: PAR2 10 % of 700 MB in {dt:.2f} s ({size / 2**20:.1f} MiB of recovery data)", flush=True)
    tb_cp = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        shutil.copyfile(target, base / "copy.bin")
        os.sync()
        tb_cp.append(time.perf_counter() - t0)
    print(f"recovery 10 % of 700 MB: median {statistics.median(times):.2f} s (range {min(times):.2f}–{max(times):.2f});"
          f" cp + sync of the same file {statistics.median(tb_cp):.2f} s — measure and report", flush=True)
    return {"name": "recovery", "times": times}


BENCHES = {"verify": bench_verify, "split": bench_split, "encrypt": bench_encrypt, "delta": bench_delta,
           "recovery": bench_recovery}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/dossier-bench-transport")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--only", default=",".join(BENCHES))
    a = ap.parse_args()
    base = Path(a.dir)
    base.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} (shared with other sessions)", flush=True)
    for name in a.only.split(","):
        BENCHES[name](base, a)


if __name__ == "__main__":
    main()
