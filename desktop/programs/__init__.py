"""Program definitions: data with a schema (docs/program-format.md).

- `yaml_io`: the one safe YAML reader; `loader`: schema validation and loading (YAML, XLSX via
  `xlsx`); `builder`: cross-reference checks and the typed model; `registry`: bundled and
  installed definitions.
"""

from __future__ import annotations

from .builder import COMPARATORS, RULE_COMPARATORS
from .loader import load_definition_file, load_definition_text, parse_definition, shared_definition
from .registry import (
    all_programs,
    bundled_programs,
    find_program,
    import_program,
    installed_programs,
    load_errors,
)
from ..paths import installed_programs_dir

__all__ = ["COMPARATORS", "RULE_COMPARATORS", "load_definition_file", "load_definition_text", "parse_definition",
           "shared_definition",
           "all_programs", "bundled_programs", "find_program", "import_program", "installed_programs", "load_errors",
           "installed_programs_dir"]
