"""UI benchmarks (a script, not a test): python benchmarks/bench_ui.py [--quick]

1. cold start to the start window (a fresh process each run; median of 7)
2. open a project with 2,000 evidence files until the first indicator is shown; switching indicators
3. a table field with 1,000 rows: time per cell edit (delegate → core transaction → report), scrolling

Targets (issue #3): start ≤ 2 s, open ≤ 1 s, switch ≤ 100 ms, cell edit ≤ 50 ms.
Runs offscreen; results go to stdout (copy them into benchmarks/README-ui.md).
"""

from __future__ import annotations

import os

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as benchmarks/_util.py: measure compiled bytecode, as users run it
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD = r"""
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
from desktop.ui.app import AppController, setup_app
app = QApplication(["dossier"])
setup_app(app)
w = AppController(app).show_start()
app.processEvents()
print(time.time() - t0)
"""


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def cold_start(runs: int) -> list[float]:
    out = []
    env = dict(os.environ)
    env["DOSSIER_HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    for _ in range(runs):
        t0 = time.time()
        r = subprocess.run([sys.executable, "-c", COLD, str(t0)], capture_output=True, text=True, env=env, cwd=ROOT)
        out.append(time.time() - t0 if r.returncode else float(r.stdout.strip().splitlines()[-1]))
    return out


def make_evidence_project(path: Path, n: int) -> None:
    from desktop.demo import make_demo
    from desktop.programs import find_program

    proj = make_demo(find_program("gx-city-consortium"), path)
    inds = [i for i in proj.program.indicators() if i.evidence]
    tmp = Path(tempfile.mkdtemp(prefix="bench-ev-"))
    have = len(proj.evidence())
    for k in range(n - have):
        ind = inds[0] if k < 300 else inds[k % len(inds)]  # one crowded indicator, the rest spread
        f = tmp / f"证明材料-{k:04d}.pdf"
        f.write_bytes(b"%PDF-1.4\n% bench " + str(k).encode() * 20 + b"\n")
        proj.attach(f, ind.id)
        f.unlink()
    proj.close()


def main() -> int:
    quick = "--quick" in sys.argv
    os.environ["DOSSIER_HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    print(f"# Dossier UI benchmarks — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, QT_QPA_PLATFORM="
          f"{os.environ['QT_QPA_PLATFORM']}")
    import PySide6

    print(f"PySide6 {PySide6.__version__}")

    runs = cold_start(3 if quick else 7)
    print(f"cold start to start window: median {statistics.median(runs):.2f} s "
          f"(min {min(runs):.2f}, max {max(runs):.2f}, {len(runs)} runs)")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit, QStyleOptionViewItem

    from desktop.ui.app import AppController, setup_app

    app = QApplication.instance() or QApplication(["bench"])
    setup_app(app)
    ctl = AppController(app)
    work = Path(tempfile.mkdtemp(prefix="bench-ui-"))

    # -- 2,000 evidence files
    big = work / "evidence2000.dossier"
    t = time.perf_counter()
    make_evidence_project(big, 600 if quick else 2000)
    print(f"(built the evidence project in {time.perf_counter() - t:.1f} s)")
    opens = []
    for _ in range(3):
        t = time.perf_counter()
        win = ctl.open_path(big)
        win.resize(1400, 880)
        win.show()
        app.processEvents()
        opens.append(time.perf_counter() - t)
        n_ev = len(win.session.evidence())
        crowded = max(win.nav.indicator_ids(), key=lambda i: len(win.session.evidence(i)))
        first, revisit = [], []
        for iid in win.nav.indicator_ids():
            t = time.perf_counter()
            win.show_indicator(iid)
            app.processEvents()
            first.append(time.perf_counter() - t)
        for iid in win.nav.indicator_ids():
            t = time.perf_counter()
            win.show_indicator(iid)
            app.processEvents()
            revisit.append(time.perf_counter() - t)
        t = time.perf_counter()
        win.show_indicator(crowded)
        app.processEvents()
        crowded_t = time.perf_counter() - t
        crowded_n = len(win.session.evidence(crowded))
        ctl._quitting = True
        win.close()
        app.processEvents()
    print(f"open project with {n_ev} evidence files, first indicator shown: median {ms(statistics.median(opens))} "
          f"(runs: {', '.join(ms(x) for x in opens)})")
    print(f"switch indicator, first visit (builds the form): median {ms(statistics.median(first))}, max {ms(max(first))}")
    print(f"switch indicator, revisit: median {ms(statistics.median(revisit))}, max {ms(max(revisit))}")
    print(f"switch to the indicator holding {crowded_n} evidence files: {ms(crowded_t)}")

    # -- a table with 1,000 rows
    from desktop.programs import find_program
    from desktop.project import Project

    prog = find_program("gx-city-consortium")
    tp = work / "table1000.dossier"
    proj = Project.create(tp, prog, applicant="基准测试")
    fld = next(f for i in prog.indicators() for f in i.fields if f.type == "table" and (f.max_rows or 10**6) >= 1000)
    tcol = next(c for c in fld.columns if c.type == "text")
    rows = []
    for n in range(1000):
        row = {}
        for c in fld.columns:
            if c.type == "text":
                row[c.id] = f"单位{n:04d}"
            elif c.type == "choice":
                row[c.id] = c.choices[n % len(c.choices)].value
            elif c.type == "boolean":
                row[c.id] = n % 2 == 0
        rows.append(row)
    proj.set(fld.path, rows)
    proj.close()
    ctl._quitting = False
    win = ctl.open_path(tp)
    win.resize(1400, 880)
    win.show()
    win.go_to(fld.indicator_id, fld.path)
    app.processEvents()
    ed = win.forms.editor(fld.path)
    delegate = ed.view.itemDelegate()
    col = fld.columns.index(tcol)
    edits = []
    for k in range(20 if quick else 60):
        idx = ed.model.index((k * 37) % 1000, col)
        t = time.perf_counter()
        w = delegate.createEditor(ed.view.viewport(), QStyleOptionViewItem(), idx)
        delegate.setEditorData(w, idx)
        w.setText(f"改{k}")
        delegate.setModelData(w, ed.model, idx)
        app.processEvents()
        edits.append(time.perf_counter() - t)
        w.deleteLater()
    assert isinstance(w, QLineEdit)
    assert win.session.value(fld.path)[((k * 37) % 1000)][tcol.id] == f"改{k}"
    print(f"table 1,000 rows: cell edit (delegate → core transaction → report → repaint): "
          f"median {ms(statistics.median(edits))}, p90 {ms(sorted(edits)[int(len(edits) * 0.9)])}, max {ms(max(edits))}")
    sb = ed.view.verticalScrollBar()
    frames = []
    for v in range(0, sb.maximum() + 1, max(1, sb.maximum() // 200)):
        t = time.perf_counter()
        sb.setValue(v)
        ed.view.viewport().repaint()
        frames.append(time.perf_counter() - t)
    print(f"table 1,000 rows: scrolling, {len(frames)} steps top to bottom: median {ms(statistics.median(frames))} "
          f"per frame, max {ms(max(frames))}")
    t = time.perf_counter()
    win.undo()
    app.processEvents()
    print(f"table 1,000 rows: undo of a cell edit: {ms(time.perf_counter() - t)}")
    ctl._quitting = True
    win.close()
    _ = Qt
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
