"""Bundled and installed program definitions: list, find, install."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..errors import DossierError
from ..models.program import Program
from ..paths import bundled_programs_dir, installed_programs_dir
from .loader import load_definition_file



def _scan(directory: Path, origin: str, errors: list | None = None) -> list[Program]:
    """Every definition in `directory`; a broken file is skipped (and kept in load_errors()) so
    that one bad file never hides the others — `dossier program check FILE` explains it."""
    out = []
    if not directory.is_dir():
        return out
    for p in sorted(directory.iterdir()):
        if p.suffix.lower() in (".yaml", ".yml"):
            try:
                prog = load_definition_file(p)
            except DossierError as e:
                if errors is not None:
                    errors.append(e)
                continue
            prog.origin = origin
            out.append(prog)
    return out


@lru_cache(maxsize=4)
def _bundled(directory: str, stamp: tuple) -> tuple[tuple[Program, ...], tuple[DossierError, ...]]:
    # the definitions and the load errors of one scan: the start window asks for both, and a
    # second scan would parse all sixteen definitions again
    errors: list[DossierError] = []
    return tuple(_scan(Path(directory), "bundled", errors)), tuple(errors)


def _dir_stamp(d: Path) -> tuple:
    # re-read when a file changes (installing a program, or a developer editing a definition)
    if not d.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(d.iterdir()))


def load_errors() -> list[DossierError]:
    """Definitions (bundled or installed) that cannot be loaded, with file, location and reason."""
    d = bundled_programs_dir()
    errors = list(_bundled(str(d), _dir_stamp(d))[1])
    _scan(installed_programs_dir(), "installed", errors)
    return errors


def bundled_programs() -> list[Program]:
    d = bundled_programs_dir()
    return list(_bundled(str(d), _dir_stamp(d))[0])


def installed_programs() -> list[Program]:
    return _scan(installed_programs_dir(), "installed")


def all_programs() -> list[Program]:
    """Bundled and installed programs together, newest version of each id last."""
    progs = bundled_programs() + installed_programs()
    return sorted(progs, key=lambda p: (p.id, _version_key(p.version)))


def _version_key(v: str):
    return [(0, int(x)) if x.isdigit() else (1, x) for x in re.split(r"[.+-]", v)]


def find_program(pid: str, version: str | None = None) -> Program:
    matches = [p for p in all_programs() if p.id == pid and (version is None or p.version == version)]
    if not matches:
        known = ", ".join(sorted({p.id for p in all_programs()}))
        raise DossierError(
            f"Unknown program {pid!r}. Known programs: {known}",
            f"未知的程序 {pid!r}。可用的程序：{known}",
            key="program.unknown",
        )
    return matches[-1]


def import_program(path: str | os.PathLike) -> Program:
    """Install a user definition (YAML or XLSX). An id+version that exists is refused."""
    prog = load_definition_file(path)
    for p in all_programs():
        if p.id == prog.id and p.version == prog.version:
            raise DossierError(
                f"Program {prog.id} version {prog.version} is already {'bundled' if p.origin == 'bundled' else 'installed'}; "
                "give the new definition a different version to install it",
                f"程序 {prog.id} 版本 {prog.version} 已存在；请修改新定义的版本号后再导入",
                key="program.exists",
            )
    from ..paths import ensure_user_dir

    d = ensure_user_dir(installed_programs_dir().name)
    target = d / f"{prog.id}@{prog.version}.yaml"
    from ..fsutil import atomic_write_bytes

    atomic_write_bytes(target, prog.text.encode("utf-8"))
    prog.origin = "installed"
    return prog
