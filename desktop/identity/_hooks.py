"""Process-wide hooks, kept in a module with no heavy imports (the CLI sets them at start-up)."""

from __future__ import annotations

from typing import Any, Callable

# how get_sealer asks for the key's passphrase when none was given (the CLI: getpass on a terminal)
passphrase_prompt: Callable[[Any], str | None] | None = None
