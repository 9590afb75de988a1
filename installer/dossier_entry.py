"""Entry point of the frozen app: no arguments (a double-click) starts the desktop UI; arguments are
the `dossier` command line, so the installed program is also the CLI.

- `dossier FILE.dossier` (what a file manager runs for a double-clicked project, and for a package
  `.zip` given alone) opens it in the desktop UI;
- `dossier --self-check [--json FILE] [--seconds N]` checks this installation (installer/selfcheck.py):
  resources, fonts, translations, image codecs, the keyring, and the GUI starting offscreen or on
  the display. Support staff can ask for its output; tests/installer runs it on every frozen build.
"""

from __future__ import annotations

import sys
from pathlib import Path


def command_line(argv: list[str]) -> list[str]:
    """The `dossier` arguments for what the operating system passed."""
    # macOS before 10.9 added a process serial number when launched from Finder
    argv = [a for a in argv if not a.startswith("-psn_")]
    if not argv:
        return ["gui"]
    if len(argv) == 1 and Path(argv[0]).suffix.lower() in (".dossier", ".zip") and Path(argv[0]).is_file():
        return ["gui", argv[0]]
    return argv


def main(argv: list[str]) -> int:
    if argv[:1] == ["--self-check"]:
        import selfcheck

        return selfcheck.main(argv[1:])
    from desktop.cli import main as cli_main

    return cli_main(command_line(argv))


if __name__ == "__main__":
    # the reviewer's desk re-renders packages in spawned worker processes (desktop/review/renderpool.py):
    # in a frozen app each such worker starts this same program, which must hand over to
    # multiprocessing before it reads the command line
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main(sys.argv[1:]))
