"""A full run of Dossier in one process, recording everything it loads — the reference the frozen
bundle is compared against (tests/installer), so that pruning the installer never removes
something the app uses.

    python -m tests.installer.full_run TRACE.json [--workdir DIR] [--as-frozen]

--as-frozen runs the app as the frozen bundle would: every module installer/bundle_rules.py leaves
out is blocked (importing it raises ModuleNotFoundError) and installer/offline_stubs comes first on
the path. A run that passes this way proves the exclusions are safe.

The run: every CLI step in STEPS (demo → info/validate → export → identity (passphrase storage) →
export --sign → verify --trust …, through `desktop.cli.main`, in process), then the GUI offscreen
(start window in both languages, the demo project in the main window with every indicator shown,
evidence previews, the export dialog, the package check), then an import of every module of the
`desktop` package (PyInstaller bundles them all; their import-time dependencies count too).

TRACE.json records
- "modules": every module in sys.modules at the end, minus those a bare interpreter starts with;
- "libraries": shared libraries mapped into the process (/proc/self/maps; Linux), as absolute paths;
- "files": files the run opened for reading through Python (audit hook "open"), as absolute paths;
- "executables": programs the run started (audit hook "subprocess.Popen").

Capabilities being added (hand-off, review desk, transport, Word copy, next period) add their CLI
steps to STEPS, with `needs` naming the command, so the trace grows with the app: a step whose
command does not exist (yet) is skipped, a step that fails aborts the run (a trace of a broken run
would prove nothing).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PASSPHRASE = "frozen app check passphrase 7"


@dataclass
class Step:
    argv: list[str]  # `dossier` arguments; {w} is the work folder, {zip}/{zip_signed} the packages
    exit: int = 0
    needs: str = ""  # a command name: the step runs only when that command exists
    env: dict[str, str] = field(default_factory=dict)


# The order matters: later steps use files that earlier ones wrote.
STEPS: list[Step] = [
    Step(["--version"]),
    Step(["programs"]),
    Step(["program", "show", "gx-city-consortium"]),
    Step(["program", "check", "{resources}/programs/asean-craftsman-college.yaml"]),
    Step(["demo", "gx-city-consortium", "{w}/demo.dossier"]),
    Step(["demo", "asean-craftsman-college", "{w}/asean.dossier"]),
    Step(["attach", "{w}/demo.dossier", "{w}/实训基地照片.jpg", "{w}/site-plan.png", "--indicator", "1.1",
          "--slot", "member_list", "--note", "照片"]),
    Step(["evidence", "{w}/demo.dossier"]),
    Step(["extract", "{w}/demo.dossier", "1", "{w}/extracted.pdf"]),
    Step(["get", "{w}/demo.dossier", "1.1/cluster"]),
    Step(["info", "{w}/demo.dossier"]),
    Step(["info", "{w}/demo.dossier", "--json"]),
    Step(["validate", "{w}/demo.dossier"]),
    Step(["history", "{w}/demo.dossier"]),
    Step(["export", "{w}/demo.dossier", "--out", "{w}/unsigned"]),
    Step(["export", "{w}/asean.dossier", "--out", "{w}/asean", "--lang", "en", "--allow-incomplete"]),
    Step(["verify", "{zip}"]),
    Step(["identity", "create", "--name-zh", "柳州市人民政府", "--name-en", "Liuzhou Municipal People's Government",
          "--country", "CN", "--contact", "0772-1234567", "--storage", "file", "--passphrase-file", "{w}/pw.txt"]),
    Step(["identity", "show"]),
    Step(["identity", "export", "--cert", "{w}/cert.pem"]),
    Step(["export", "{w}/demo.dossier", "--out", "{w}/signed", "--sign"], env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["verify", "{zip_signed}", "--trust", "{w}/cert.pem"]),
    Step(["verify", "{zip_signed}", "--json"]),
    Step(["identity", "export", "{w}/backup.p12", "--passphrase-file", "{w}/pw.txt", "--key-passphrase-file", "{w}/pw.txt"]),
    # cover details and the Word copy (#13), on the second project: demo.dossier must stay as the
    # unsigned export sealed it (test_import_trace compares a re-export with it)
    Step(["cover", "{w}/asean.dossier", "--contact-name", "李老师", "--contact-phone", "0771-1234567"], needs="cover"),
    Step(["export", "{w}/asean.dossier", "--out", "{w}/docx", "--docx", "--allow-incomplete"]),
    # hand-off to a partner and back (lead → partner → lead), the partner's return signed
    Step(["handoff", "create", "{w}/asean.dossier", "--indicators", "1.1", "--to", "Rayong Technical College",
          "--out", "{w}/part.dossier"], needs="handoff"),
    Step(["handoff", "show", "{w}/part.dossier"], needs="handoff"),
    Step(["handoff", "return", "{w}/part.dossier", "--out", "{w}/back.dossier-return", "--sign", "--message", "done"],
         needs="handoff", env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["handoff", "merge", "{w}/asean.dossier", "{w}/back.dossier-return", "--accept-signer"], needs="handoff"),
    Step(["handoff", "list", "{w}/asean.dossier"], needs="handoff"),
    # the next period of a recurring report
    Step(["demo", "wf-city-consortium", "{w}/wf-2024.dossier"]),
    Step(["next-period", "{w}/wf-2024.dossier", "--period", "2025", "--out", "{w}/wf-2025.dossier"], needs="next-period"),
    # transport (#12): volumes with PAR2 recovery data, repair, reassembly; a key card, a package
    # encrypted to it and opened with this computer's key; a resubmission delta and its check
    Step(["export", "{w}/asean.dossier", "--out", "{w}/vols", "--split", "2M", "--recovery", "10%",
          "--allow-incomplete"], needs="repair"),
    Step(["verify", "{w}/vols"], needs="repair"),
    Step(["repair", "{w}/vols"], needs="repair"),
    Step(["reassemble", "{w}/vols", "--out", "{w}/whole"], needs="reassemble"),
    Step(["identity", "key-card", "{w}/card.pdf"], needs="repair", env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["export", "{w}/asean.dossier", "--out", "{w}/enc", "--encrypt-to-card", "{w}/card.pdf", "--allow-incomplete"],
         needs="repair", env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["verify", "{w}/enc"], needs="repair", env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["export", "{w}/asean.dossier", "--out", "{w}/delta", "--since", "{zip_docx}", "--allow-incomplete"],
         needs="repair"),
    Step(["verify", "{zip_delta}", "--basis", "{zip_docx}"], needs="repair"),
    # the reviewer's desk (#10) and the expert panel (#11), on the asean packages, and the notes
    # back to the applicant
    Step(["review", "new", "{w}/desk.dossier-review", "--title", "东盟工匠学院评审", "--program",
          "asean-craftsman-college"], needs="review"),
    Step(["review", "trust", "{w}/desk.dossier-review", "--add", "{w}/cert.pem"], needs="review"),
    Step(["review", "add", "{w}/desk.dossier-review", "{w}/asean", "{w}/vols", "{w}/enc", "{w}/unsigned"],
         needs="review", env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["review", "list", "{w}/desk.dossier-review", "--json"], needs="review"),
    Step(["review", "show", "{w}/desk.dossier-review", "--package", "1"], needs="review"),
    Step(["review", "open", "{w}/desk.dossier-review", "--package", "1"], needs="review"),
    Step(["review", "table", "{w}/desk.dossier-review", "--out", "{w}/table.xlsx"], needs="review"),
    Step(["review", "state", "{w}/desk.dossier-review", "--package", "1", "--set", "in_review", "--reason", "开始审核"],
         needs="review"),
    Step(["review", "note", "{w}/desk.dossier-review", "--package", "1", "--indicator", "1.1", "--text", "补充证明材料"],
         needs="review"),
    Step(["review", "notes", "{w}/desk.dossier-review", "--package", "1", "--out", "{w}/back.dossier-notes", "--sign"],
         needs="review", env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["notes", "import", "{w}/asean.dossier", "{w}/back.dossier-notes"], needs="notes"),
    Step(["notes", "list", "{w}/asean.dossier"], needs="notes"),
    # package 2 (the asean package sealed after the hand-off) is the program's current one: the sheet holds it
    Step(["review", "assign", "{w}/desk.dossier-review", "--expert", "张专家", "--all", "--out", "{w}/zhang.dsheet"],
         needs="sheet"),
    Step(["sheet", "coi", "{w}/zhang.dsheet", "--package", "2", "--none"], needs="sheet"),
    Step(["sheet", "confirm", "{w}/zhang.dsheet", "--package", "2"], needs="sheet"),
    *[Step(["sheet", "score", "{w}/zhang.dsheet", "--package", "2", "--criterion", f"s{i}", "--level", "3"], needs="sheet")
      for i in range(1, 9)],
    Step(["sheet", "overall", "{w}/zhang.dsheet", "--package", "2", "--score", "82", "--confidence", "high"], needs="sheet"),
    Step(["sheet", "show", "{w}/zhang.dsheet"], needs="sheet"),
    Step(["review", "submit", "{w}/zhang.dsheet", "--out", "{w}/zhang.dscores", "--sign"], needs="sheet",
         env={"DOSSIER_PASSPHRASE": PASSPHRASE}),
    Step(["review", "merge", "{w}/desk.dossier-review", "{w}/zhang.dscores"], needs="sheet"),
    Step(["review", "results", "{w}/desk.dossier-review"], needs="sheet"),
    Step(["review", "decide", "{w}/desk.dossier-review", "--package", "2", "--recommend", "--reason", "优秀"], needs="sheet"),
    Step(["review", "summary", "{w}/desk.dossier-review", "--out", "{w}/summary.xlsx"], needs="sheet"),
    Step(["review", "publicity", "{w}/desk.dossier-review", "--out", "{w}/publicity.xlsx"], needs="sheet"),
    Step(["review", "report", "{w}/desk.dossier-review", "--out", "{w}/report.pdf"], needs="sheet"),
]


ROOT = Path(__file__).resolve().parents[2]
STUBS = ROOT / "installer" / "offline_stubs"


def load_bundle_rules():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bundle_rules", ROOT / "installer" / "bundle_rules.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _Blocker:
    """A meta path finder that makes the modules the installer leaves out unimportable."""

    def __init__(self, rules):
        self.rules = rules
        self.stubbed = {p.name for p in STUBS.iterdir() if (p / "__init__.py").is_file() or p.suffix == ".py"}
        self.refused: set[str] = set()

    def find_spec(self, name, path=None, target=None):
        if self.rules.is_excluded_module(name) and name.split(".")[0] not in self.stubbed:
            self.refused.add(name)
            raise ModuleNotFoundError(f"No module named {name!r} (left out of the frozen app)", name=name)
        return None


def act_frozen() -> _Blocker:
    rules = load_bundle_rules()
    sys.path.insert(0, str(STUBS))
    blocker = _Blocker(rules)
    sys.meta_path.insert(0, blocker)
    return blocker


def _bare_modules() -> set[str]:
    """What the interpreter imports before any of our code runs (site, encodings, .pth hooks)."""
    r = subprocess.run([sys.executable, "-c", "import sys; print('\\n'.join(sys.modules))"],
                       capture_output=True, text=True, check=True)
    return set(r.stdout.split())


def _zip_in(folder: Path) -> str:
    zips = sorted(folder.glob("*.zip"))
    return str(zips[0]) if zips else str(folder / "missing.zip")


def prepare_inputs(work: Path) -> None:
    """Files the steps use: a passphrase file, and photos (JPEG, PNG) to attach as evidence."""
    from PIL import Image, ImageDraw

    (work / "pw.txt").write_text(PASSPHRASE + "\n", "utf-8")
    os.chmod(work / "pw.txt", 0o600)
    for folder in ("unsigned", "signed", "asean", "docx", "whole"):
        (work / folder).mkdir(exist_ok=True)
    img = Image.new("RGB", (640, 420), (236, 242, 250))
    d = ImageDraw.Draw(img)
    for n in range(6):
        d.rectangle((40 + n * 95, 300 - n * 30, 110 + n * 95, 400), fill=(40 + n * 30, 110, 190 - n * 15))
    img.save(work / "实训基地照片.jpg", quality=85)
    img.convert("P").save(work / "site-plan.png")


def run_cli(work: Path) -> None:
    from desktop.cli import COMMANDS, build_parser, main
    from desktop.paths import resources_dir

    build_parser()  # loads every CLI module, so COMMANDS is complete
    prepare_inputs(work)
    for step in STEPS:
        if step.needs and step.needs not in COMMANDS:
            print(f"skip (no command {step.needs!r}): dossier {' '.join(step.argv)}", file=sys.stderr)
            continue
        subst = {"w": str(work), "resources": str(resources_dir()), "zip": _zip_in(work / "unsigned"),
                 "zip_signed": _zip_in(work / "signed"), "zip_docx": _zip_in(work / "docx"),
                 "zip_delta": _zip_in(work / "delta")}
        argv = [a.format(**subst) for a in step.argv]
        old = {k: os.environ.get(k) for k in step.env}
        os.environ.update(step.env)
        try:
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
                code = main(argv)
        except SystemExit as e:  # --version exits through argparse
            code = e.code or 0
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        if code != step.exit:
            raise SystemExit(f"full run: `dossier {' '.join(argv)}` exited {code}, expected {step.exit}")


def run_gui(work: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.ui import i18n
    from desktop.ui.app import AppController, setup_app
    from desktop.ui.export_dialog import ExportDialog, PackageDialog

    app = QApplication.instance() or QApplication(["dossier"])
    setup_app(app)
    ctl = AppController(app)
    start = ctl.show_start()
    for code in ("zh", "en", "zh"):
        i18n.set_language(code)
        app.processEvents()
    win = ctl.open_path(work / "demo.dossier")
    if win is None:
        raise SystemExit("full run: the GUI could not open the demo project")
    for ind in win.session.program.indicators():
        win.show_indicator(ind.id)
        app.processEvents()
    for ev in win.session.project.evidence():  # previews: JPEG and PNG through Qt, PDF through QtPdf or pikepdf
        win.evidence.preview.show_evidence(win.session, ev)
    dlg = ExportDialog(win.session, win)
    dlg.show()
    app.processEvents()
    dlg.close()
    pkg = PackageDialog(Path(_zip_in(work / "signed")), win)
    pkg.job.wait(120_000)
    for _ in range(100):  # the outcome signals arrive through the event loop
        app.processEvents()
        if pkg.job.done:
            break
    if pkg.verdict is None:
        raise SystemExit("full run: the package check in the GUI gave no verdict")
    pkg.close()
    ctl._quitting = True
    win.close()
    start.close()
    app.processEvents()


def import_all_desktop_modules() -> None:
    import pkgutil

    import desktop

    for m in pkgutil.walk_packages(desktop.__path__, "desktop."):
        if not m.name.endswith(".__main__"):  # a __main__ module runs its program when imported
            __import__(m.name)


def _from_a_file(mod) -> bool:
    """Modules loaded from a file (source, bytecode or extension): what a bundle must carry. Built-in
    modules, namespace packages and the submodules C extensions register for themselves (shiboken's
    signature support, Cython's runtime, cryptography's _openssl…) have none."""
    spec = getattr(mod, "__spec__", None)
    origin = getattr(spec, "origin", None) if spec is not None else getattr(mod, "__file__", None)
    return bool(origin) and origin not in ("built-in", "frozen") and os.path.isfile(origin)


def mapped_libraries() -> list[str]:
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return []
    out = set()
    for line in maps.read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and parts[5].startswith("/") and ".so" in Path(parts[5]).name:
            out.add(parts[5])
    return sorted(out)


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    trace_path = Path(argv[0]).resolve()
    work = Path(argv[argv.index("--workdir") + 1]) if "--workdir" in argv else Path(tempfile.mkdtemp(prefix="dossier-full-run-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DOSSIER_HOME", str(work / "home"))
    os.environ.setdefault("XDG_CONFIG_HOME", str(work / "home" / "config"))
    # never the developer's real keyring: keyring's own "no backend", so passphrase storage is used
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    blocker = act_frozen() if "--as-frozen" in argv else None
    bare = _bare_modules()
    files: set[str] = set()
    executables: set[str] = set()

    def audit(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            mode = args[1] if len(args) > 1 else "r"
            if isinstance(mode, str) and ("w" in mode or "a" in mode or "x" in mode):
                return
            try:
                files.add(os.path.abspath(os.fsdecode(args[0])))
            except (TypeError, ValueError):
                pass
        elif event == "subprocess.Popen" and args:
            executables.add(os.fsdecode(args[0]) if args[0] is not None else "")

    sys.addaudithook(audit)
    run_cli(work)
    run_gui(work)
    import_all_desktop_modules()
    modules = sorted(m for m, mod in list(sys.modules.items()) if mod is not None and m not in bare
                     and not m.startswith("tests.") and m not in ("tests", "__main__", "__mp_main__")
                     and _from_a_file(mod))  # __mp_main__: multiprocessing's alias of __main__ (the desk's render workers)
    trace = {"format": "dossier-import-trace", "format_version": 1, "python": sys.version.split()[0],
             "platform": sys.platform, "prefix": sys.prefix, "modules": modules,
             # where each module came from (its source is not "opened" when its bytecode is cached)
             "module_files": {m: str(getattr(sys.modules[m], "__file__", "") or "") for m in modules
                              if m in sys.modules},
             "libraries": mapped_libraries(), "files": sorted(files), "executables": sorted(executables),
             "as_frozen": blocker is not None, "refused_imports": sorted(blocker.refused) if blocker else []}
    trace_path.write_text(json.dumps(trace, indent=1), "utf-8")
    print(f"{len(modules)} modules, {len(trace['libraries'])} libraries, {len(files)} files -> {trace_path}")
    if "--workdir" not in argv:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
