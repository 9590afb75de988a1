"""What every CLI module shares: the command registry, output helpers and the language."""

from __future__ import annotations

import json
import locale
import os
import sys
from typing import Any, Callable

COMMANDS: dict[str, Callable[[Any], int]] = {}
PARSERS: list[Callable[[Any], None]] = []  # each CLI module adds the sub-parsers of its commands


def lang() -> str:
    env = os.environ.get("DOSSIER_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    if not env:
        try:
            env = locale.getlocale()[0] or ""
        except ValueError:
            env = ""
    return "zh" if env.lower().startswith("zh") else "en"


def out(s: str = "") -> None:
    sys.stdout.write(s + "\n")


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def warn(en: str, zh: str) -> None:
    sys.stderr.write(("警告：" + zh if lang() == "zh" else "warning: " + en) + "\n")


def command(name: str):
    def deco(fn):
        COMMANDS[name] = fn
        return fn
    return deco


def open_project(path: str, readonly: bool = False):
    from ..project import Project

    return Project.open(path, readonly=readonly)


def problem_lines(rep, L: str) -> list[str]:
    lines = []
    for pr in rep.problems:
        tag = ("阻止提交" if pr.blocking else "警告") if L == "zh" else ("BLOCKING" if pr.blocking else "warning")
        lines.append(f"{tag}\t{pr.indicator_id or '-'}\t{pr.path or '-'}\t{pr.code}\t{pr.text(L)}")
    return lines


def parsers(fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """Decorator: register a function that adds a module's sub-parsers."""
    PARSERS.append(fn)
    return fn


def progress(label: str | None = None):
    """A TaskState that shows "NN% status" on stderr, or None when stderr is not a terminal (a
    script, a pipe: no carriage-return noise in logs). `label` replaces the task's own status text."""
    from ..tasks import TaskState

    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int, status: str) -> None:
        pct = int(done * 100 / total) if total else 100
        if pct != last[0]:
            last[0] = pct
            text = label if label is not None else (status or "")
            sys.stderr.write(f"\r{pct:3d}% {text[:60]:<60}")
            sys.stderr.flush()

    return TaskState(show, min_interval=0.2)

