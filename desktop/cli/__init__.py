"""`dossier` — the command-line interface. It calls the same core services as the desktop UI.

Exit codes: 0 ok, 1 validation problems (or a tampered package for `verify`), 2 bad input or usage.
Errors are one line on stderr, never a traceback. `--json` output is documented in docs/cli.md.

Each capability keeps its commands in its own module here (`projects`, `programs`, `seal`,
`identity`, …); a module registers its commands with `common.command` and its sub-parsers with
`common.parsers`, and is listed in MODULES.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..errors import DossierError
from .common import COMMANDS, PARSERS, emit_json, lang, out, problem_lines, warn  # noqa: F401 - the CLI's helpers

MODULES = ("projects", "programs", "seal", "identity", "periods", "handoff", "cover")


def _load_extensions() -> None:
    for mod in MODULES:
        importlib.import_module(f"{__name__}.{mod}")


def build_parser() -> argparse.ArgumentParser:
    _load_extensions()
    ap = argparse.ArgumentParser(prog="dossier", description="Dossier: prepare, seal and verify applications (offline).")
    ap.add_argument("--version", action="version", version=f"dossier {__version__}")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    for add in PARSERS:
        add(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    try:
        a = ap.parse_args(argv)
    except SystemExit as e:  # argparse printed usage on stderr
        return 0 if e.code == 0 else 2
    if not a.cmd:
        ap.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[a.cmd](a)
    except DossierError as e:
        sys.stderr.write(f"dossier: {e.text(lang())}\n")
        return e.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("dossier: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - last resort: one line, never a traceback
        sys.stderr.write(f"dossier: unexpected error ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); "
                         "please report it with the command you ran\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
