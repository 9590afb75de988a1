"""`dossier` — the command-line interface. It calls the same core services as the desktop UI.

Exit codes: 0 ok, 1 validation problems (or a tampered package for `verify`), 2 bad input or usage.
Errors are one line on stderr, never a traceback — usage errors included (argparse's usage block
is replaced by one line naming `--help`). `--json` output is documented in docs/cli.md.

Each capability keeps its commands in its own module here (`projects`, `programs`, `seal`,
`identity`, …); a module registers its commands with `common.command` and its sub-parsers with
`common.parsers`, and is listed in MODULES.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sqlite3
import sys

from .. import __version__
from ..errors import DossierError
from .common import COMMANDS, PARSERS, emit_json, lang, out, problem_lines, warn  # noqa: F401 - the CLI's helpers

MODULES = ("projects", "programs", "seal", "identity", "periods", "handoff", "cover", "transport", "review", "panel")


class UsageError(Exception):
    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog, self.message = prog, message


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (raised, printed by main) instead of a usage block."""

    def error(self, message: str):  # noqa: D401 - argparse's name
        raise UsageError(self.prog, message)


# Which module of MODULES holds each command. A command imports and builds only its own module's
# parsers (half of `dossier info`'s start-up was importing all ten modules and building 66
# sub-parsers); `--help`, an unknown command and no command build them all.
# tests/core/test_cli_lazy.py checks this table against the modules' own registrations.
COMMAND_MODULES = {
    "attach": "projects", "demo": "projects", "evidence": "projects", "extract": "projects", "get": "projects",
    "gui": "projects", "history": "projects", "info": "projects", "new": "projects", "set": "projects",
    "validate": "projects", "cover": "cover", "export": "seal", "verify": "seal", "handoff": "handoff",
    "identity": "identity", "next-period": "periods", "notes": "review", "review": "review",
    "program": "programs", "programs": "programs", "reassemble": "transport", "repair": "transport",
    "sheet": "panel",
}


def _load_extensions(modules=MODULES) -> None:
    for mod in modules:
        importlib.import_module(f"{__name__}.{mod}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (`command`) only what that command needs."""
    mod = COMMAND_MODULES.get(command) if command else None
    _load_extensions((mod,) if mod else MODULES)
    ap = Parser(prog="dossier", description="Dossier: prepare, seal and verify applications (offline).")
    ap.add_argument("--version", action="version", version=f"dossier {__version__}")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=Parser)
    for add in PARSERS:
        if mod is None or add.__module__ == f"{__name__}.{mod}":
            add(sub)
    if mod is not None and command not in sub.choices:  # the table is out of date: never a wrong parser
        return build_parser()
    return ap


def _parse(ap: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Options and values in any order (`set FILE PATH --json-value 12` as well as `--json-value`
    first): a command's own parser reads intermixed arguments. Commands with sub-commands of their
    own (identity …) keep argparse's ordinary parsing, which intermixed parsing does not support."""
    sub = next((act for act in ap._actions if isinstance(act, argparse._SubParsersAction)), None)  # noqa: SLF001
    if sub is None or not argv or argv[0] not in sub.choices:
        return ap.parse_args(argv)
    p = sub.choices[argv[0]]
    if any(isinstance(act, argparse._SubParsersAction) for act in p._actions):  # noqa: SLF001
        return ap.parse_args(argv)
    ns = p.parse_intermixed_args(argv[1:])
    ns.cmd = argv[0]
    return ns


def _option_strings(ap: argparse.ArgumentParser) -> set[str]:
    opts = set(ap._option_string_actions)  # noqa: SLF001 - argparse keeps them only here
    for action in ap._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for p in action.choices.values():
                opts |= _option_strings(p)
    return opts


def _usage_line(ap: argparse.ArgumentParser, e: UsageError, argv: list[str]) -> str:
    L = lang()
    prog = e.prog
    if prog == "dossier" and argv and argv[0] in COMMANDS:
        prog = f"dossier {argv[0]}"  # "unrecognized arguments" comes from the top parser
    help_cmd = f"{prog} --help"
    msg = e.message
    if "invalid choice" in msg and e.prog == "dossier":
        bad = msg.split("invalid choice: ", 1)[1].split(" (choose", 1)[0]
        msg = f"unknown command {bad}"
        if L == "zh":
            msg = f"没有这个命令 {bad}"
    hint = ""
    known = _option_strings(ap)
    before_dd = argv[: argv.index("--")] if "--" in argv else argv
    odd = [a for a in before_dd if a.startswith("-") and a != "-" and a.split("=", 1)[0] not in known]
    if odd:
        v = odd[0]
        rest = [x for x in before_dd if x != v]
        example = " ".join(["dossier", *(_quote(x) for x in rest), "--", _quote(v)])
        hint = (f"; “{v}” was read as an option: to give a value that starts with “-”, put the options first, "
                f"then “--”, then the value: {example}") if L != "zh" else (
                f"；“{v}”被当作选项：如需以“-”开头的值，请先写选项，再写“--”，然后写该值：{example}")
    if L == "zh":
        return f"dossier: 用法错误：{msg}{hint}（运行 `{help_cmd}` 查看用法）"
    return f"dossier: {msg}{hint} (see `{help_cmd}`)"


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg) if os.name == "posix" else (f'"{arg}"' if " " in arg else arg)


class _Terminated(KeyboardInterrupt):
    """SIGTERM/SIGHUP: unwind like Ctrl-C, so an open transaction rolls back and the file is settled."""


def _on_signal(signum, _frame):
    raise _Terminated()


def _one_line(text: str) -> str:
    return " ".join(str(text).splitlines()).strip()


def _fallback_message(e: BaseException) -> str | None:
    """A clear line for the few exception kinds every command can meet (None: a real bug)."""
    L = lang()
    if isinstance(e, OSError) and e.strerror:
        where = e.filename if e.filename is not None else ""
        if getattr(e, "errno", None) in (28, 122):
            return "磁盘空间已满：未写入任何内容" if L == "zh" else "The disk is full: nothing was written"
        return (f"无法访问 {where}：{e.strerror}" if L == "zh" else f"Cannot access {where}: {e.strerror}") if where else (
            f"文件操作失败：{e.strerror}" if L == "zh" else f"A file operation failed: {e.strerror}")
    if isinstance(e, sqlite3.DatabaseError):
        return (f"项目文件已损坏或无法读取（{e}）；请使用较早的副本" if L == "zh"
                else f"The project file is damaged or cannot be read ({e}); use an earlier copy")
    if isinstance(e, MemoryError):
        return "内存不足" if L == "zh" else "Not enough memory for this input"
    if isinstance(e, RecursionError):
        return "输入的嵌套层次过深" if L == "zh" else "The input is nested too deeply to read"
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # file names that are not valid UTF-8 print as their own bytes, never crash the output
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8":
            try:
                stream.reconfigure(errors="surrogateescape")
            except (AttributeError, ValueError):
                pass
    from ..housekeeping import at_start

    at_start()
    ap = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    try:
        a = _parse(ap, argv)
    except UsageError as e:
        sys.stderr.write(_usage_line(ap, e, argv) + "\n")
        return 2
    except SystemExit as e:  # --help / --version
        return 0 if e.code in (0, None) else 2
    if not a.cmd:
        sys.stderr.write(("dossier: 需要一个命令（运行 `dossier --help` 查看所有命令）\n" if lang() == "zh"
                          else "dossier: a command is needed (see `dossier --help` for the list)\n"))
        return 2
    old = {}
    for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                old[sig] = signal.signal(sig, _on_signal)
            except (ValueError, OSError):  # not the main thread (tests), or not allowed
                pass
    try:
        return COMMANDS[a.cmd](a)
    except DossierError as e:
        sys.stderr.write(f"dossier: {_one_line(e.text(lang()))}\n")
        return e.exit_code
    except _Terminated:
        sys.stderr.write("dossier: terminated (an unfinished change, if any, was rolled back)\n")
        return 143
    except KeyboardInterrupt:
        sys.stderr.write("dossier: interrupted\n")
        return 130
    except BrokenPipeError:  # `dossier … | head`: stop quietly, and keep the interpreter's exit flush quiet too
        try:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except Exception as e:  # noqa: BLE001 - last resort: one line, never a traceback
        msg = _fallback_message(e)
        if msg is not None:
            sys.stderr.write(f"dossier: {_one_line(msg)}\n")
            return 2
        first = str(e).splitlines()[0] if str(e) else ""
        sys.stderr.write(f"dossier: unexpected error ({type(e).__name__}: {first}); "
                         "please report it with the command you ran\n")
        return 2
    finally:
        for sig, h in old.items():
            try:
                signal.signal(sig, h)
            except (ValueError, OSError):
                pass


if __name__ == "__main__":
    sys.exit(main())
