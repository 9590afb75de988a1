"""Remove what killed processes of this app left behind: temp files beside outputs and private
folders in the system temp folder (see desktop.fsutil for the naming and the holding).

Safety rules (never delete another running instance's temp file):
- only names this app makes (TEMP_FILE_RE, TEMP_DIR_RE), only regular files / real folders
  (never through a symlink), only our own (same owner);
- only things last modified before this process started — anything newer may belong to a run
  that began after us;
- only what we can lock ourselves: a live writer holds its temp file (or its folder's `.lock`)
  with an exclusive flock, so our non-blocking lock fails and we skip it. On Windows an open file
  cannot be deleted, so the unlink fails and we skip it;
- the path must still be the file we locked (same inode) when we unlink it;
- legacy names from versions that did not hold their temp files are removed only when more than
  an hour old (no writer leaves its temp untouched that long).
Every failure is ignored: housekeeping never stands in the way of the command the user ran.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

from .fsutil import LOCK_NAME, TEMP_DIR_PREFIX, try_lock

PROCESS_START = time.time()
LEGACY_AGE = 3600.0

# `.<target name>.<8 random>.dossier.part`, and the journal SQLite may leave beside a temp project
TEMP_FILE_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.dossier\.part(-journal)?$")
LEGACY_FILE_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.part(-journal)?$")
TEMP_DIR_RE = re.compile(rf"^{TEMP_DIR_PREFIX}[a-z]+-[a-z0-9_]{{8}}$")

_done: set[str] = set()


def _mine(st: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def _remove_locked_file(path: Path, min_age_from: float) -> bool:
    """Unlink `path` if it is a regular file of ours, older than `min_age_from`, that nobody holds."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or not _mine(st) or st.st_mtime >= min_age_from:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if not try_lock(fd):
            return False  # a running writer holds it
        fst = os.fstat(fd)
        now = os.lstat(path)
        if (fst.st_ino, fst.st_dev) != (now.st_ino, now.st_dev) or now.st_mtime >= min_age_from:
            return False  # renamed into place, replaced, or written to since we looked
        if os.name != "posix":  # pragma: no cover - Windows deletes only files nobody has open
            os.close(fd)
            fd = -1
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        if fd >= 0:
            os.close(fd)


def clean_folder(folder: str | os.PathLike) -> list[Path]:
    """Remove stale temp files of this app in `folder` (once per folder per process). Returns what
    was removed."""
    folder = Path(folder)
    key = str(folder.resolve()) if folder.exists() else str(folder)
    if key in _done:
        return []
    _done.add(key)
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names, key=lambda n: n.endswith("-journal")):  # a temp before its journal
        if not name.startswith("."):
            continue
        if TEMP_FILE_RE.match(name):
            limit = PROCESS_START
        elif LEGACY_FILE_RE.match(name):
            limit = min(PROCESS_START, time.time() - LEGACY_AGE)
        else:
            continue
        p = folder / name
        if name.endswith("-journal"):
            owner = name[: -len("-journal")]
            if os.path.lexists(folder / owner):
                continue  # belongs to a temp project that is still there (held, or kept)
        if _remove_locked_file(p, limit):
            removed.append(p)
    return removed


def _newest_mtime(root: Path, cap: int = 2000) -> float:
    newest = 0.0
    n = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            n += 1
            if n > cap:
                return time.time()  # too much to look at: treat as recent, leave it
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(os.path.join(dirpath, name)).st_mtime)
    with contextlib.suppress(OSError):
        newest = max(newest, os.lstat(root).st_mtime)
    return newest


def _remove_temp_dir(d: Path) -> bool:
    try:
        st = os.lstat(d)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or not _mine(st):
        return False
    lock = d / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        # legacy folder (or one whose creator died before making its lock): age only
        if _newest_mtime(d) >= min(PROCESS_START, time.time() - LEGACY_AGE):
            return False
        shutil.rmtree(d, ignore_errors=True)
        return not d.exists()
    except OSError:
        return False
    try:
        if not try_lock(fd) or _newest_mtime(d) >= PROCESS_START:
            return False
        if os.name != "posix":  # pragma: no cover - Windows: an open .lock cannot be deleted
            try:
                os.close(fd)
                fd = -1
                os.unlink(lock)
            except OSError:
                return False
        shutil.rmtree(d, ignore_errors=True)
        return not d.exists()
    finally:
        if fd >= 0:
            os.close(fd)


def clean_temp_root() -> list[Path]:
    """Remove stale private folders (`dossier-verify-…`, `dossier-seal-…`, …) from the system temp folder."""
    root = Path(tempfile.gettempdir())
    key = f"tmp:{root}"
    if key in _done:
        return []
    _done.add(key)
    removed = []
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    for name in names:
        if TEMP_DIR_RE.match(name) and _remove_temp_dir(root / name):
            removed.append(root / name)
    return removed


def at_start() -> None:
    """What every CLI command and the desktop app run first."""
    with contextlib.suppress(Exception):
        clean_temp_root()


def forget() -> None:
    """Tests: scan again."""
    _done.clear()
