"""Ten times today's scale (issue #17): a script, not a test.

    .venv/bin/python benchmarks/bench_scale.py [--files 20000] [--gib 10] [--rows 10000] [--dir /tmp/dossier-bench-scale]
                                               [--only info,ui,table]

1. A project with 20,000 evidence files holding 10 GiB (the first indicator holds 2,000 of them; the
   rest are spread over the other indicators), built once and kept in --dir:
   - `dossier info` (whole command, a fresh process each time; median of 7)      target ≤ 0.3 s
   - the desktop app opening it until the first indicator is shown (offscreen)   target ≤ 1 s
   - switching to the indicator with 2,000 files, and back                       target ≤ 100 ms
2. A table field with 10,000 rows: a cell edit through the table's delegate (core transaction with
   its fsync, report, repaint)                                                   target ≤ 50 ms
   and the export of that project to PDF and XLSX (time and size reported).
"""

from __future__ import annotations

import argparse
import os

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as benchmarks/_util.py: measure compiled bytecode, as users run it
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def build_big(path: Path, n_files: int, gib: float, crowded: int = 2000) -> None:
    from desktop.demo import make_demo
    from desktop.programs import find_program

    size = int(gib * (1 << 30) / n_files)
    tmp_path = path.with_name(path.name + ".building")
    tmp_path.unlink(missing_ok=True)
    proj = make_demo(find_program("gx-city-consortium"), tmp_path)
    inds = [i.id for i in proj.program.indicators() if i.evidence]
    block = os.urandom(size)
    work = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=path.parent))
    t0 = time.perf_counter()
    done = 0
    batch = 500
    try:
        while done < n_files:
            files = []
            for k in range(done, min(n_files, done + batch)):
                f = work / f"证明材料-{k:05d}.pdf"
                f.write_bytes(b"%PDF-1.4\n%" + k.to_bytes(8, "little") + block[: size - 18])
                files.append(f)
            by_ind: dict[str, list[Path]] = {}
            for f in files:
                k = int(f.stem.rsplit("-", 1)[1])
                ind = inds[0] if k < crowded else inds[1 + k % (len(inds) - 1)]
                by_ind.setdefault(ind, []).append(f)
            for ind, fs in by_ind.items():
                proj.attach_many(fs, ind)
            for f in files:
                f.unlink()
            done += len(files)
            print(f"  {done}/{n_files} files ({done * size / 2**30:.1f} GiB) in {time.perf_counter() - t0:.0f} s",
                  flush=True)
    finally:
        proj.close()
        shutil.rmtree(work, ignore_errors=True)
    tmp_path.rename(path)


def bench_info(path: Path, runs: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    def once() -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "desktop.cli", "info", str(path)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0

    # the first command in a new user folder parses the project's definition and remembers it
    # (desktop/programs/yaml_cache.py): reported, not counted
    first = once()
    times = [once() for _ in range(runs)]
    startup = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "desktop.cli", "--version"], env=env, check=True, stdout=subprocess.DEVNULL)
        startup.append(time.perf_counter() - t0)
    from desktop.project import Project

    inproc = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with Project.open(path) as p:
            info = p.info()
        inproc.append(time.perf_counter() - t0)
    print(f"dossier info, {info['evidence']['count']} files, {info['evidence']['bytes'] / 2**30:.1f} GiB: "
          f"median {statistics.median(times):.3f} s (range {min(times):.3f}–{max(times):.3f}; target ≤ 0.3 s); "
          f"of which Python start-up (`dossier --version`) {statistics.median(startup):.3f} s; "
          f"open + info in process {ms(statistics.median(inproc))}; the first run in a new user folder {first:.3f} s",
          flush=True)


def bench_ui(path: Path, runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import AppController, setup_app

    app = QApplication.instance() or QApplication(["bench"])
    setup_app(app)
    ctl = AppController(app)
    opens, to_crowded, from_crowded = [], [], []
    n_ev = crowded_n = 0
    for _ in range(runs):
        ctl._quitting = False
        t = time.perf_counter()
        win = ctl.open_path(path)
        win.resize(1366, 768)
        win.show()
        app.processEvents()
        opens.append(time.perf_counter() - t)
        s = win.session
        ids = win.nav.indicator_ids()
        crowded = max(ids, key=lambda i: len(s.evidence(i)))
        other = next(i for i in ids if i != crowded)
        n_ev, crowded_n = len(s.evidence()), len(s.evidence(crowded))
        for _k in range(3):
            t = time.perf_counter()
            win.show_indicator(other)
            app.processEvents()
            from_crowded.append(time.perf_counter() - t)
            t = time.perf_counter()
            win.show_indicator(crowded)
            app.processEvents()
            to_crowded.append(time.perf_counter() - t)
        ctl._quitting = True
        win.close()
        app.processEvents()
    print(f"desktop app, project with {n_ev} evidence files: open to the first indicator median "
          f"{ms(statistics.median(opens))} (range {ms(min(opens))}–{ms(max(opens))}; target ≤ 1 s)")
    print(f"  switch to the indicator with {crowded_n} files: median {ms(statistics.median(to_crowded))} "
          f"(max {ms(max(to_crowded))}); away from it: median {ms(statistics.median(from_crowded))} "
          f"(max {ms(max(from_crowded))}); target ≤ 100 ms", flush=True)


def bench_table(base: Path, n_rows: int) -> None:
    from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

    from desktop.export import export_project
    from desktop.programs import find_program
    from desktop.project import Project
    from desktop.ui.app import AppController, setup_app

    prog = find_program("gx-city-consortium")
    tp = base / f"table{n_rows}.dossier"
    tp.unlink(missing_ok=True)
    fld = next(f for i in prog.indicators() for f in i.fields if f.type == "table" and (f.max_rows or 10**9) >= n_rows)
    tcol = next(c for c in fld.columns if c.type == "text")
    rows = []
    for n in range(n_rows):
        row = {}
        for c in fld.columns:
            if c.type in ("text", "longtext"):
                row[c.id] = f"单位{n:05d}（{c.label.zh}）"
            elif c.type == "choice":
                row[c.id] = c.choices[n % len(c.choices)].value
            elif c.type == "boolean":
                row[c.id] = n % 2 == 0
            elif c.type in ("integer", "number", "percent"):
                row[c.id] = n % 100
            elif c.type == "date":
                row[c.id] = f"20{10 + n % 14:02d}-0{1 + n % 9}-1{n % 10}"
        rows.append(row)
    with Project.create(tp, prog, applicant="基准测试单位") as proj:
        t = time.perf_counter()
        proj.set(fld.path, rows)
        print(f"table {n_rows:,} rows ({len(fld.columns)} columns): stored in {ms(time.perf_counter() - t)}", flush=True)
    app = QApplication.instance() or QApplication(["bench"])
    setup_app(app)
    ctl = AppController(app)
    ctl._quitting = False
    win = ctl.open_path(tp)
    win.resize(1366, 768)
    win.show()
    win.go_to(fld.indicator_id, fld.path)
    app.processEvents()
    ed = win.forms.editor(fld.path)
    delegate = ed.view.itemDelegate()
    col = fld.columns.index(tcol)
    edits = []
    for k in range(30):
        idx = ed.model.index((k * 337) % n_rows, col)
        t = time.perf_counter()
        w = delegate.createEditor(ed.view.viewport(), QStyleOptionViewItem(), idx)
        delegate.setEditorData(w, idx)
        w.setText(f"改{k}")
        delegate.setModelData(w, ed.model, idx)
        app.processEvents()
        edits.append(time.perf_counter() - t)
        w.deleteLater()
    assert win.session.value(fld.path)[(29 * 337) % n_rows][tcol.id] == "改29"
    print(f"  cell edit (delegate → core transaction → report → repaint): median {ms(statistics.median(edits))}, "
          f"p90 {ms(sorted(edits)[int(len(edits) * 0.9)])}, max {ms(max(edits))}; target ≤ 50 ms", flush=True)
    ctl._quitting = True
    win.close()
    app.processEvents()
    out = base / "out-table"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    t = time.perf_counter()
    res = export_project(tp, out, allow_incomplete=True)
    dt = time.perf_counter() - t
    import zipfile

    with zipfile.ZipFile(res.zip_path) as z:
        xlsx = next(i for i in z.infolist() if i.filename.endswith("answers.xlsx"))
    print(f"  export of the {n_rows:,}-row project: {dt:.1f} s; PDF {res.pages} pages, "
          f"{res.pdf_path.stat().st_size / 1e6:.2f} MB; answers.xlsx {xlsx.file_size / 1e6:.2f} MB; "
          f"zip {res.zip_path.stat().st_size / 1e6:.2f} MB", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--gib", type=float, default=10)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--dir", default="/tmp/dossier-bench-scale")
    ap.add_argument("--only", default="info,ui,table")
    a = ap.parse_args()
    base = Path(a.dir)
    base.mkdir(parents=True, exist_ok=True)
    os.environ["DOSSIER_HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    only = a.only.split(",")
    big = base / f"scale-{a.files}-{a.gib:g}GiB.dossier"
    if ("info" in only or "ui" in only) and not big.exists():
        print(f"building {big.name} …", flush=True)
        build_big(big, a.files, a.gib)
    if "info" in only:
        bench_info(big, a.runs)
    if "ui" in only:
        bench_ui(big, 3)
    if "table" in only:
        bench_table(base, a.rows)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
