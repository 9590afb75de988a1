"""The CLI builds only the invoked command's parsers (desktop/cli/__init__.py COMMAND_MODULES):
the table must name every command's module, and a command's lazily built parser must accept
exactly what the full command line accepts."""

from __future__ import annotations

import argparse
import subprocess
import sys

from desktop import cli
from desktop.cli.common import COMMANDS


def _sub(ap: argparse.ArgumentParser) -> argparse._SubParsersAction:  # noqa: SLF001
    return next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001


def _shape(p: argparse.ArgumentParser) -> list:
    out = []
    for a in p._actions:  # noqa: SLF001
        if isinstance(a, argparse._SubParsersAction):  # noqa: SLF001
            out.append(("sub", sorted((k, _shape(v)) for k, v in a.choices.items())))
        else:
            out.append((tuple(a.option_strings), a.dest, a.nargs, str(a.default), repr(a.choices)))
    return out


def test_table_names_every_command_and_its_module():
    full = cli.build_parser()
    registered = {name: fn.__module__.rsplit(".", 1)[1] for name, fn in COMMANDS.items()}
    assert cli.COMMAND_MODULES == registered
    assert set(_sub(full).choices) == set(registered)


def test_each_commands_own_parser_is_the_full_ones():
    full = _sub(cli.build_parser()).choices
    for name in cli.COMMAND_MODULES:
        lazy = _sub(cli.build_parser(name)).choices
        assert name in lazy
        assert _shape(lazy[name]) == _shape(full[name]), name


def test_a_command_imports_only_its_module():
    code = ("import sys; from desktop.cli import main; main(['info', '--help'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('desktop.cli.')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    loaded = r.stdout.strip().splitlines()[-1]
    assert "desktop.cli.projects" in loaded
    for other in ("review", "panel", "transport", "handoff", "identity"):
        assert f"desktop.cli.{other}'" not in loaded, loaded


def test_unknown_command_still_lists_the_commands(capsys):
    assert cli.main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert "no-such-command" in err and err.count("\n") == 1
