"""File-system helpers: outputs are written to a temporary name and renamed when complete; inputs
are opened only when they are regular files; large writes check the free space first.

Temporary files and folders of this app are named so that a later run can recognise them
(desktop.housekeeping removes those a killed process left behind):

- files beside their target: ``.<target name>.<random>.dossier.part``
- private folders in the system temp folder: ``dossier-<purpose>-<random>/``, holding ``.lock``

While in use, each is *held*: the temp file itself, or the folder's ``.lock``, is open with an
exclusive ``flock`` (POSIX); on Windows an open file cannot be deleted at all. Housekeeping
deletes only what it can lock itself, so it never removes a file another running instance (or
this one) is still writing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import DossierError

TEMP_SUFFIX = ".dossier.part"
TEMP_DIR_PREFIX = "dossier-"
LOCK_NAME = ".lock"

if os.name == "posix":
    import fcntl

    def try_lock(fd: int) -> bool:
        """Take an exclusive advisory lock on an open file without waiting; False if someone holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False
else:  # pragma: no cover - Windows: an open file cannot be deleted, which is lock enough

    def try_lock(fd: int) -> bool:
        return True


# ---------------------------------------------------------------------------------------- sizes


def hash_buffer(size: int):
    """A writable buffer of `size` bytes for read-and-hash loops. Buffers of megabytes are anonymous
    memory maps: given back to the system as soon as the last view of them goes, where malloc kept
    each thread pool's freed buffers in its arenas (intake's resident memory tripled with 8 MiB
    bytearrays). Smaller ones are plain bytearrays."""
    if size < (1 << 20):
        return bytearray(size)
    import mmap

    return mmap.mmap(-1, size)


def human_size(n: int | float) -> str:
    """Decimal units, as disks and file managers count them: 30000000 -> '30.0 MB'."""
    n = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{int(n)} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


def free_bytes(folder: str | os.PathLike) -> int | None:
    """Bytes an ordinary user may still write in `folder`'s file system (None if unknown)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_full_error(needed: int | None = None, free: int | None = None, where: str | os.PathLike | None = None,
                    *, output: bool = False, cls: type[DossierError] = DossierError) -> DossierError:
    """The one message for a full disk. With figures when known ("needs 30.0 MB, 18.2 MB free")."""
    nothing_en = "nothing was written" if output else "nothing was changed"
    nothing_zh = "未写入任何内容" if output else "未做任何修改"
    if needed is not None and free is not None:
        loc = f" on {where}" if where else ""
        loc_zh = f"（{where}）" if where else ""
        return cls(
            f"Not enough disk space{loc}: this needs {human_size(needed)}, {human_size(free)} free; {nothing_en}. "
            "Free some space or choose another place, and try again.",
            f"磁盘空间不足{loc_zh}：需要 {human_size(needed)}，可用 {human_size(free)}；{nothing_zh}。请释放空间或换一个位置后重试。",
            key="disk.full")
    return cls(f"The disk is full: {nothing_en}. Free some space and try again.",
                        f"磁盘空间已满：{nothing_zh}。请释放空间后重试。", key="disk.full")


def ensure_free_space(folder: str | os.PathLike, needed: int, *, reusable: int = 0, output: bool = False,
                      cls: type[DossierError] = DossierError) -> None:
    """Refuse early, with the figures, when `needed` bytes will not fit in `folder`'s file system.
    `reusable`: space the writer can reuse inside its own file (SQLite's free pages)."""
    free = free_bytes(folder)
    if free is None:
        return
    if needed > free + reusable:
        raise disk_full_error(needed, free + reusable, folder, output=output, cls=cls)


def is_disk_full(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


# ---------------------------------------------------------------------------------------- inputs


_KIND = {stat.S_IFIFO: ("a pipe (FIFO)", "管道（FIFO）"), stat.S_IFSOCK: ("a socket", "套接字"),
         stat.S_IFCHR: ("a device", "设备文件"), stat.S_IFBLK: ("a device", "设备文件"),
         stat.S_IFDIR: ("a folder", "文件夹")}


def not_regular_error(path: str | os.PathLike, mode: int, key: str = "file.not_regular") -> DossierError:
    en, zh = _KIND.get(stat.S_IFMT(mode), ("not an ordinary file", "不是普通文件"))
    return DossierError(f"{path} is {en}, not an ordinary file; nothing was read",
                        f"{path} 是{zh}，不是普通文件；未读取任何内容", key=key)


def require_regular(path: str | os.PathLike, key: str = "file.not_regular") -> os.stat_result:
    """stat() a path (following links) and refuse anything but a regular file, without opening it
    (opening a FIFO blocks until someone writes to it)."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise not_regular_error(path, st.st_mode, key)
    return st


def open_regular(path: str | os.PathLike, key: str = "file.not_regular") -> BinaryIO:
    """Open a file for reading only if it is a regular file. O_NONBLOCK makes the open itself
    return at once even if the path is swapped for a FIFO after the stat; fstat then refuses it."""
    require_regular(path, key)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular_error(path, st.st_mode, key)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike, limit: int, what_en: str = "file", what_zh: str = "文件",
                 key: str = "file.too_large") -> bytes:
    """All bytes of a regular file of at most `limit` bytes (checked before and while reading)."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise too_large_error(path, size, limit, what_en, what_zh, key)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large_error(path, len(data), limit, what_en, what_zh, key)
    return data


def too_large_error(path, size: int, limit: int, what_en: str, what_zh: str, key: str) -> DossierError:
    return DossierError(f"{path}: this {what_en} is {human_size(size)}; at most {human_size(limit)} is accepted",
                        f"{path}：该{what_zh}大小为 {human_size(size)}，最多接受 {human_size(limit)}", key=key)


# ---------------------------------------------------------------------------------------- outputs


def default_file_mode() -> int:
    """The mode an ordinary new file gets here (0o666 less the umask): temp files start private
    (0o600), outputs are chmod-ed to this before they are renamed into place."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


class HeldTemp:
    """A temporary file beside its target, created empty and held (locked) until `release()`.
    Housekeeping of another process leaves it alone while it is held."""

    def __init__(self, target: str | os.PathLike):
        target = Path(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=TEMP_SUFFIX, dir=target.parent)
        try_lock(fd)
        self.fd: int | None = fd
        self.path = Path(tmp)

    def before_rename(self) -> None:
        """Windows cannot rename a file that is open: let go of it just before the rename. (POSIX
        keeps holding it through the rename, so housekeeping never sees it unheld.)"""
        if os.name != "posix" and self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def release(self, *, remove: bool) -> None:
        """Stop holding it; remove it (and an SQLite journal beside it) unless it was renamed away."""
        if remove:
            for p in (self.path, self.path.with_name(self.path.name + "-journal")):
                with contextlib.suppress(OSError):
                    p.unlink()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def _short(name: str) -> str:
    """At most 80 bytes of the target name, cut on a character boundary (the temp name must stay
    under the 255-byte limit of most file systems, whatever the script)."""
    b = name.encode("utf-8", "surrogateescape")[:80]
    return b.decode("utf-8", "ignore") or "file"


@contextlib.contextmanager
def held_temp_beside(target: str | os.PathLike) -> Iterator[HeldTemp]:
    """A held temporary file beside `target` (same file system, so a rename is atomic), removed on
    exit unless the caller renamed it into place (call `before_rename()` first)."""
    t = HeldTemp(target)
    try:
        yield t
    finally:
        t.release(remove=True)


def check_replaceable(target: str | os.PathLike) -> None:
    """An output may replace an ordinary file (or a link), never a folder, device, FIFO or socket
    (renaming over /dev/something would replace the device node itself)."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError:
        return  # the write itself reports it
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        en, zh = _KIND.get(stat.S_IFMT(st.st_mode), ("not an ordinary file", "不是普通文件"))
        raise DossierError(f"{target} is {en}; choose another name for the output (nothing was written)",
                           f"{target} 是{zh}；请为输出文件换一个名称（未写入任何内容）", key="output.not_regular")


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike, *, private: bool = True) -> Iterator[tuple[BinaryIO, Path]]:
    """Yield (file, temp path) next to `target`; on success fsync and rename over it, else remove.
    `private`: keep the temp file's owner-only mode (keys); else an ordinary file's mode."""
    target = Path(target)
    check_replaceable(target)
    t = HeldTemp(target)
    done = False
    try:
        with open(t.path, "wb") as fh:
            yield fh, t.path
            fh.flush()
            if not private and hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), default_file_mode())
            os.fsync(fh.fileno())
        t.before_rename()
        os.replace(t.path, target)
        done = True
        fsync_dir(target.parent)
    finally:
        t.release(remove=not done)


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_output(target) as (fh, _):
        fh.write(data)


def temp_path_beside(target: str | os.PathLike) -> Path:
    """A fresh unused temporary path in the target's folder (same file system, so rename is atomic).
    Not held: prefer held_temp_beside() for anything that takes more than a moment."""
    t = HeldTemp(target)
    t.release(remove=False)
    return t.path


def fsync_dir(folder: str | os.PathLike) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class HeldTempDir:
    """A private folder in the system temp folder, named ``dossier-<purpose>-<random>``, held by an
    open, locked ``.lock`` inside it until `cleanup()`."""

    def __init__(self, purpose: str):
        self.path = Path(tempfile.mkdtemp(prefix=f"{TEMP_DIR_PREFIX}{purpose}-"))
        self._fd: int | None = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        try_lock(self._fd)

    def cleanup(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def private_temp_dir(purpose: str) -> Iterator[Path]:
    """Like tempfile.TemporaryDirectory, but recognisable and held (see HeldTempDir)."""
    d = HeldTempDir(purpose)
    try:
        yield d.path
    finally:
        d.cleanup()
