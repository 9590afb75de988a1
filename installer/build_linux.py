"""Build the Linux artefact: a one-folder app in a reproducible .tar.xz, with desktop integration.

    python installer/build_linux.py [--skip-build] [--dist DIR] [--work DIR] [--out DIR]

1. PyInstaller with installer/dossier.spec (skipped with --skip-build: reuse DIST/dossier);
2. the release folder dossier-<version>-linux-<arch>/: the app (`dossier`, `_internal/`),
   `install.sh`, `share/` (the .desktop entry, the MIME type, icons in the hicolor sizes) and
   README.txt;
3. dossier-<version>-linux-<arch>.tar.xz: entries sorted, owner root, one modification time
   (SOURCE_DATE_EPOCH, else the time of the last commit), so the same build gives the same archive;
   compressed with xz -9e (the `xz` tool, multi-threaded, when present; Python's lzma otherwise).

Prints and writes (OUT/dossier-linux-report.json) the figures installer/README.md quotes: build and
compression time, unpacked and compressed size, file count, the biggest parts.
"""

from __future__ import annotations

import argparse
import io
import json
import lzma
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installer"))

import inventory  # noqa: E402
import platform_meta  # noqa: E402

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
LIMIT_COMPRESSED = 45_000_000  # issue #14: ≤ 45 MB compressed (decimal megabytes: the stricter reading)
LIMIT_UNPACKED = 150_000_000  # and ≤ 150 MB unpacked


def run_pyinstaller(dist: Path, work: Path) -> float:
    t = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "PyInstaller", str(ROOT / "installer" / "dossier.spec"), "--noconfirm",
                    "--distpath", str(dist), "--workpath", str(work)], check=True, env=env, cwd=ROOT)
    return time.perf_counter() - t


def source_date_epoch() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        r = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True)
        return int(r.stdout.strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 1_700_000_000


def stage(app: Path, release: Path) -> None:
    """The release folder: the app plus desktop integration files."""
    if release.exists():
        shutil.rmtree(release)
    shutil.copytree(app, release, symlinks=True)
    linux = ROOT / "resources" / "linux"
    icons = ROOT / "resources" / "icons"
    share = release / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(linux / "dossier.desktop", share / "applications" / "dossier.desktop")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(linux / "dossier-mime.xml", share / "mime" / "packages" / "dossier.xml")
    for n in ICON_SIZES:
        for kind, name in (("apps", "dossier.png"), ("mimetypes", f"{platform_meta.MIME_ICON}.png")):
            d = share / "icons" / "hicolor" / f"{n}x{n}" / kind
            d.mkdir(parents=True, exist_ok=True)
            shutil.copy2(icons / f"dossier-{n}.png", d / name)
    (share / "icons" / "hicolor" / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(icons / "dossier.svg", share / "icons" / "hicolor" / "scalable" / "apps" / "dossier.svg")
    shutil.copy2(linux / "install.sh", release / "install.sh")
    os.chmod(release / "install.sh", 0o755)
    (release / "README.txt").write_text(
        f"Dossier {platform_meta.version()} for Linux (x86-64)\n\n"
        "Run it from here:   ./dossier            (the desktop app; ./dossier --help for the command line)\n"
        "Install it:         ./install.sh         (menu entry, .dossier file type, `dossier` command)\n"
        "                    sudo ./install.sh --system   for every user\n"
        "Check it works:     ./dossier --self-check\n"
        "Remove it:          ./install.sh --uninstall\n\n"
        "Nothing here needs the internet. Your projects and your institution identity are kept\n"
        "outside this folder (~/.local/share/dossier) and are not touched by installing or removing.\n",
        "utf-8")


def write_tar_xz(release: Path, target: Path, mtime: int) -> tuple[float, str]:
    """A reproducible tar.xz of `release` (its name as the top folder); returns (seconds, compressor)."""
    t = time.perf_counter()
    tmp = target.with_name(target.name + ".part")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        # folders first, then files grouped by kind (libraries together, fonts together…): LZMA
        # finds more to share between neighbours; the order is fixed, so the archive is reproducible
        def order(p: Path):
            rel = p.relative_to(release).as_posix()
            kind = ".so" if ".so" in p.name else p.suffix.lower()
            return (0, rel) if p.is_dir() and not p.is_symlink() else (1, kind, p.name, rel)

        paths = [release] + sorted(release.rglob("*"), key=order)
        for p in paths:
            info = tar.gettarinfo(str(p), arcname=(Path(release.name) / p.relative_to(release)).as_posix()
                                  if p != release else release.name)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = mtime
            info.mode = (0o755 if p.is_dir() or os.access(p, os.X_OK) else 0o644) if not p.is_symlink() else 0o777
            info.pax_headers = {}
            if info.isreg():
                with open(p, "rb") as fh:
                    tar.addfile(info, fh)
            else:
                tar.addfile(info)
    data = raw.getvalue()
    # one LZMA2 stream, preset 9e, a 128 MiB dictionary: the whole app is one window, so the copies
    # of a library that several wheels ship (libjpeg, libzstd…) cost once. Compressing needs ~1.3 GB
    # of memory, decompressing 128 MiB. The x86 BCJ filter first: most of the bytes are machine
    # code, whose relative call addresses it turns absolute so they repeat (measured on the bundle's
    # shared libraries: 7 % smaller); any xz since 5.0 and Python's lzma read it.
    x86 = platform.machine().lower() in ("x86_64", "amd64", "i386", "i686")
    xz = shutil.which("xz")
    if xz:
        with open(tmp, "wb") as out:
            subprocess.run([xz, "-T1", *(["--x86"] if x86 else []), "--lzma2=preset=9e,dict=128MiB", "-c", "-"],
                           input=data, stdout=out, check=True)
        how = "xz " + ("--x86 " if x86 else "") + "--lzma2=preset=9e,dict=128MiB"
    else:
        filters = ([{"id": lzma.FILTER_X86}] if x86 else []) + [
            {"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": 128 << 20}]
        with open(tmp, "wb") as out:
            out.write(lzma.compress(data, format=lzma.FORMAT_XZ, filters=filters))
        how = "python lzma x86 + preset 9e, dict 128 MiB"
    os.replace(tmp, target)
    return time.perf_counter() - t, how


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-build", action="store_true", help="reuse DIST/dossier")
    ap.add_argument("--dist", default=str(ROOT / "dist"))
    ap.add_argument("--work", default=str(ROOT / "build"))
    ap.add_argument("--out", default=None, help="where the .tar.xz goes (default: DIST)")
    a = ap.parse_args(argv)
    dist, work = Path(a.dist), Path(a.work)
    out = Path(a.out) if a.out else dist
    out.mkdir(parents=True, exist_ok=True)
    build_s = None if a.skip_build else run_pyinstaller(dist, work)
    app = dist / "dossier"
    arch = platform.machine().lower().replace("amd64", "x86_64")
    name = f"dossier-{platform_meta.version()}-linux-{arch}"
    release = work / name
    stage(app, release)
    target = out / f"{name}.tar.xz"
    xz_s, how = write_tar_xz(release, target, source_date_epoch())
    app_summary = inventory.summary(app)
    rel_summary = inventory.summary(release)
    report = {
        "artefact": str(target), "compressor": how,
        "build_seconds": round(build_s, 1) if build_s is not None else None,
        "compress_seconds": round(xz_s, 1),
        "compressed_bytes": target.stat().st_size,
        "unpacked_bytes": rel_summary["bytes"], "files": rel_summary["files"],
        "app_bytes": app_summary["bytes"], "app_files": app_summary["files"],
        "largest": app_summary["largest"],
        "limits": {"compressed_bytes": LIMIT_COMPRESSED, "unpacked_bytes": LIMIT_UNPACKED},
    }
    (out / "dossier-linux-report.json").write_text(json.dumps(report, indent=1), "utf-8")
    mib = 1024 * 1024
    print(f"{target}: {report['compressed_bytes'] / mib:.1f} MiB compressed ({how}, {xz_s:.0f} s), "
          f"{report['unpacked_bytes'] / mib:.1f} MiB unpacked, {report['files']} files"
          + (f", PyInstaller {build_s:.0f} s" if build_s is not None else ""))
    ok = report["compressed_bytes"] <= LIMIT_COMPRESSED and report["unpacked_bytes"] <= LIMIT_UNPACKED
    if not ok:
        print("over the size limits of issue #14 (45 MiB compressed, 150 MiB unpacked)", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
