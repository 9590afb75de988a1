"""Where the source documents are: `shared/seeds` beside the checkout (CI clones the repository
with ../shared beside it; a git worktree may sit deeper, so every ancestor is tried), or the folder
named by $DOSSIER_SEEDS."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def seeds_dir() -> Path:
    env = os.environ.get("DOSSIER_SEEDS")
    if env:
        return Path(env)
    for up in ROOT.parents:
        d = up / "shared" / "seeds"
        if d.is_dir():
            return d
    raise FileNotFoundError(f"the source documents (shared/seeds) are not beside {ROOT}: set DOSSIER_SEEDS")


def seed_text(name: str) -> str:
    return (seeds_dir() / name).read_text("utf-8")
