"""Load and validate program definitions (YAML or XLSX).

A definition is validated in two passes: the JSON schema in resources/schema (structure) and
the cross-reference checks of desktop.programs.builder (ids, references, choices). Every refusal
names the file, the location inside it (with the YAML line when known) and the reason.
"""

from __future__ import annotations

import json
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DefinitionError, DossierError
from ..models.program import Program
from ..paths import resources_dir
from ..schema_check import Checker
from .builder import Builder
from .yaml_io import MAX_YAML_CHARS, YamlTooLarge, _where, load_yaml

MAX_XLSX_BYTES = 20 << 20  # a workbook definition is a few hundred kB
MAX_XLSX_UNPACKED = 200 << 20  # what its zip may expand to (a zip bomb is refused before openpyxl opens it)

@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads((resources_dir() / "schema" / "program.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def checker() -> Checker:
    """The program schema, and the definitions already checked against it (desktop.schema_check:
    every project open re-checks its embedded definition, so a passed one is remembered)."""
    return Checker(_schema(), "program")


def parse_definition(data: Any, filename: str, text: str | None = None) -> Program:
    """Validate a loaded mapping and build the Program model. Raises DefinitionError."""
    if not isinstance(data, dict):
        raise DefinitionError(filename, "", "a program definition must be a mapping at the top level")
    problem = checker().first_problem(data, text=text)
    if problem is not None:
        reason = problem.message if len(problem.message) <= 300 else problem.message[:300] + "…"
        raise DefinitionError(filename, _where(text, list(problem.path)), reason)
    prog = Builder(data, filename, text).build()
    if data.get("review") is not None:  # the expert panel's rubric: its references checked here (desktop.panel)
        from ..panel.rubric import RubricError, resolve

        prog.review = data["review"]
        try:
            resolve(prog)
        except RubricError as e:
            raise DefinitionError(filename, _where(text, e.parts), e.reason) from None
    return prog


def load_definition_text(text: str, filename: str) -> Program:
    try:
        data = load_yaml(text)
    except YamlTooLarge as e:
        raise DefinitionError(filename, "", f"too large for a program definition ({e})") from None
    except RecursionError:
        raise DefinitionError(filename, "", "nested too deeply to be a program definition") from None
    except Exception as e:  # PyYAML's errors (yaml is imported only when a text is really parsed)
        import yaml

        if isinstance(e, yaml.MarkedYAMLError):
            mark = e.problem_mark
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise DefinitionError(filename, where, f"not valid YAML: {e.problem}") from None
        if isinstance(e, yaml.YAMLError):
            raise DefinitionError(filename, "", f"not valid YAML: {e}") from None
        raise
    try:
        prog = parse_definition(data, filename, text)
    except RecursionError:
        raise DefinitionError(filename, "", "nested too deeply to be a program definition") from None
    prog.text = text
    return prog


def _check_xlsx(p: Path, size: int) -> None:
    import zipfile

    if size > MAX_XLSX_BYTES:
        raise DefinitionError(p.name, "", f"the workbook is {size:,} bytes; at most {MAX_XLSX_BYTES:,} are accepted")
    try:
        with zipfile.ZipFile(p) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DefinitionError(p.name, "", f"not a readable XLSX workbook ({e})") from None
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > 10_000 or unpacked > MAX_XLSX_UNPACKED:
        raise DefinitionError(p.name, "", f"the workbook would unpack to {unpacked:,} bytes in {len(infos):,} parts; "
                              f"at most {MAX_XLSX_UNPACKED:,} bytes are accepted")


_SHARED_MAX = 4
_shared: dict[tuple[str, str], Program] = {}  # (the text's yaml_cache key, file name) -> its definition, oldest first
_shared_lock = threading.Lock()


def shared_definition(text: str, filename: str) -> Program:
    """`load_definition_text`, remembered by the text's SHA-256 for readers that never change the
    definition: verify's checks and the re-render of a package's PDF. A review takes in hundreds
    of packages of one program, each carrying the same program.yaml, and each was parsed twice
    (verify, then its re-render process: ≈ 3 ms each, issue #10). Callers must not modify the
    returned object (it is shared between threads and packages); everything that sets fields on
    a definition (the registry's origin, a project's embedded copy) uses load_definition_text.
    A text that fails is not remembered: it raises again, with its message, every time."""
    from .yaml_cache import key_of

    key = (key_of(text), filename)
    with _shared_lock:
        prog = _shared.get(key)
    if prog is not None:
        return prog
    prog = load_definition_text(text, filename)
    with _shared_lock:
        _shared[key] = prog
        while len(_shared) > _SHARED_MAX:
            del _shared[next(iter(_shared))]
    return prog


def load_definition_file(path: str | os.PathLike) -> Program:
    from ..fsutil import open_regular

    p = Path(path)
    name = p.name
    suffix = p.suffix.lower()
    try:
        fh = open_regular(p, key="file.not_regular")
    except FileNotFoundError:
        raise DossierError(f"File not found: {p}", f"找不到文件：{p}", key="file.missing") from None
    except IsADirectoryError:
        raise DossierError(f"{p} is a folder, not a program definition", f"{p} 是文件夹，不是程序定义文件") from None
    except DossierError:
        if p.is_dir():
            raise DossierError(f"{p} is a folder, not a program definition", f"{p} 是文件夹，不是程序定义文件") from None
        raise
    except OSError as e:
        raise DossierError(f"Cannot read {p}: {e.strerror}", f"无法读取 {p}：{e.strerror}") from None
    with fh:
        size = os.fstat(fh.fileno()).st_size
        if suffix == ".xlsx":
            _check_xlsx(p, size)
        elif suffix not in (".yaml", ".yml"):
            raise DossierError(
                f"{name}: a program definition must be a .yaml, .yml or .xlsx file",
                f"{name}：程序定义必须是 .yaml、.yml 或 .xlsx 文件",
            )
        elif size > 4 * MAX_YAML_CHARS:
            raise DefinitionError(name, "", f"the file is {size:,} bytes: too large for a program definition")
        else:
            try:
                raw = fh.read(4 * MAX_YAML_CHARS + 1)
            except OSError as e:
                raise DossierError(f"Cannot read {p}: {e.strerror}", f"无法读取 {p}：{e.strerror}") from None
    if suffix == ".xlsx":
        from .xlsx import xlsx_to_definition

        data = xlsx_to_definition(p)
        import yaml

        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        prog = parse_definition(data, name, None)
        prog.text = text
        return prog
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError(name, "", "the file is not UTF-8 text") from None
    return load_definition_text(text, name)
