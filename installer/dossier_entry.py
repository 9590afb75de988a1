"""Entry point of the frozen app: no arguments (a double-click) starts the desktop UI; arguments are
the `dossier` command line, so the installed program is also the CLI."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["gui"]))
