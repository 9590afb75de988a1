"""File-system helpers: outputs are written to a temporary name and renamed when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator, BinaryIO


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike) -> Iterator[tuple[BinaryIO, Path]]:
    """Yield (file, temp path) next to `target`; on success fsync and rename over it, else remove."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".part", dir=target.parent)
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp_path
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_output(target) as (fh, _):
        fh.write(data)


def temp_path_beside(target: str | os.PathLike) -> Path:
    """A fresh unused temporary path in the target's folder (same file system, so rename is atomic)."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(tmp)
