"""`export_package`: seal a project (desktop.export.export_project) and shape it for the trip.

    export_package(project, out_dir, *, split=None, recovery=None, encrypt_to=(), encrypt_to_self=True,
                   since=None, allow_incomplete=False, sealer=None, task=None, lang="zh") -> TransportResult

The package is first sealed into a private folder beside the outputs (same file system: the final
renames are atomic), then, in this order: a delta against `since` (only what changed), volumes of
`split` bytes (without a delta written in one pass, straight from the project: volumes.VolumeWriter),
age encryption of each zip to every recipient (and to the sender's own key, so the sender can open
what it sent), PAR2 recovery data of `recovery` percent per file. Only complete
files are renamed into `out_dir`; a cancel or any error leaves nothing there but what was there.

With encryption the submission PDF is NOT written beside the packages in clear text (it holds the
applicant's data; it travels inside the encrypted volume 1).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..errors import DossierError
from . import encrypt as _enc
from . import recovery as _rec
from . import volumes as _vol

FAT32_LIMIT = (4 << 30) - 1
WORK_PREFIX = ".dossier-export-"  # the private folder beside the outputs (removed at the end; stale ones after a day)


@dataclass
class TransportResult:
    export: Any  # desktop.export.ExportResult (its paths point at the private folder: use `outputs`)
    outputs: list[Path]
    pdf_path: Path | None
    packages: list[Path]  # the zips / .age files a reviewer needs (volumes in order)
    recovery_files: list[Path] = field(default_factory=list)
    volumes: int = 1
    encrypted_to: list[str] = field(default_factory=list)
    delta_basis: dict | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "export"}
        d.update(self.export.to_dict())
        d["pdf_path"] = str(self.pdf_path) if self.pdf_path else None
        d["zip_path"] = str(self.packages[0]) if self.packages else None
        for k in ("outputs", "packages", "recovery_files"):
            d[k] = [str(p) for p in getattr(self, k)]
        d["warnings"] = [{"en": en, "zh": zh} for en, zh in self.warnings]
        return d


def filesystem_type(folder: Path) -> str:
    """The file system type of `folder` ("vfat", "exfat", "ntfs", "ext4", "msdos", "FAT32", …) or ""."""
    import sys

    folder = Path(folder).resolve()
    try:
        if sys.platform.startswith("linux"):
            best, kind = "", ""
            with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    left, _sep, right = line.partition(" - ")
                    parts = left.split()
                    if len(parts) < 5:
                        continue
                    mnt = parts[4].replace("\\040", " ")
                    if (str(folder) == mnt or str(folder).startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                        best, kind = mnt, right.split()[0] if right.split() else ""
            return kind
        if sys.platform == "win32":
            import ctypes

            root = os.path.splitdrive(str(folder))[0] + "\\"
            buf = ctypes.create_unicode_buffer(64)
            if ctypes.windll.kernel32.GetVolumeInformationW(root, None, 0, None, None, None, buf, 64):  # type: ignore[attr-defined]
                return buf.value
            return ""
        if sys.platform == "darwin":
            import subprocess

            out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=10).stdout  # "dev on /p (msdos, …)"
            best, kind = "", ""
            for line in out.splitlines():
                if " on " in line and " (" in line:
                    mnt = line.split(" on ", 1)[1].rsplit(" (", 1)[0]
                    if str(folder).startswith(mnt.rstrip("/") + "/") or str(folder) == mnt:
                        if len(mnt) >= len(best):
                            best, kind = mnt, line.rsplit(" (", 1)[1].split(",")[0]
            return kind
    except Exception:  # noqa: BLE001 - not knowing the type is not an error
        return ""
    return ""


def is_fat(folder: Path) -> bool:
    return filesystem_type(folder).lower() in ("vfat", "msdos", "fat", "fat16", "fat32")


class TooLargeForFat(DossierError):
    def __init__(self, folder: Path, size: int):
        super().__init__(
            f"The package will be about {size / 2**30:.1f} GiB, but {folder} is on a FAT32 drive, which cannot hold files "
            "of 4 GiB or more: split it into volumes (--split 4G, or “FAT32 USB 4 GiB” in the export dialog)",
            f"数据包约 {size / 2**30:.1f} GiB，而 {folder} 位于 FAT32 磁盘上，无法保存 4 GiB 及以上的文件：请分卷导出"
            "（--split 4G，或在导出对话框中选择“FAT32 U 盘 4 GiB”）",
            key="transport.fat32_too_big")
        self.size = size


def estimate_package_bytes(project_path: Path) -> int:
    """A lower bound of the package size: the evidence it will carry (read from the project)."""
    from ..project import Project

    with Project.open(project_path, readonly=True) as p:
        return sum(e.size * max(1, len(e.links)) for e in p.evidence())


def _since_basis(since: Any, project_path: Path):
    from . import delta as _delta

    if isinstance(since, _delta.Basis):
        return since, None
    p = Path(str(since))
    if p.exists():
        from .intake import open_package

        opened = open_package([p])
        if opened.zip is None:
            opened.close()
            raise DossierError("--since: that is a single volume; give all volumes of the earlier package",
                               "--since：这只是其中一卷；请给出之前数据包的全部分卷", key="transport.basis_not_whole")
        try:
            return _delta.basis_from_zip(opened.zip), opened
        except BaseException:
            opened.close()
            raise
    from ..export.history import find_export
    from ..project import Project

    with Project.open(project_path, readonly=True) as proj:
        rec = find_export(proj, str(since))
    if rec is None:
        raise DossierError(f"--since: {since} is neither a package file nor an export in this project's history",
                           f"--since：{since} 既不是数据包文件，也不在本项目的导出记录中", key="transport.no_basis")
    return _delta.Basis(rec.package_id, rec.content_digest, rec.manifest_sha256, rec.files, label=rec.label), None


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def export_package(project_path, out_dir, *, split: int | str | None = None, recovery: int | str | None = None,
                   encrypt_to: Sequence[str] = (), encrypt_to_self: bool = True, since: Any = None,
                   allow_incomplete: bool = False, sealer: Any = None, task=None, lang: str = "zh",
                   clock=None, self_passphrase: str | None = None, docx_copy: bool = False) -> TransportResult:
    from ..export import export_project
    from ..export.history import add_outputs

    project_path, out_dir = Path(project_path), Path(out_dir)
    volume_size = _vol.parse_size(split) if split not in (None, "", 0) else None
    percent = _rec.parse_percent(recovery) if recovery not in (None, "", 0) else None
    if percent is not None:
        _rec.par2_binary()  # say it is missing before the (long) export
    recipients = [str(r) for r in encrypt_to]
    if recipients:
        from ..identity.agekey import parse_recipient

        recipients = [parse_recipient(r) for r in recipients]
        if encrypt_to_self:
            from ..identity import agekey

            try:
                own = agekey.ensure_age_key(self_passphrase)
            except DossierError as e:
                raise DossierError(f"To encrypt, Dossier also encrypts to your own key so you can open what you sent, but: {e.en} "
                                   "(or leave yourself out: --no-self)",
                                   f"加密时也会用您自己的公钥加密，以便您能打开发出的数据包，但：{e.zh}（或不包括自己：--no-self）",
                                   key=e.key) from None
            if own not in recipients:
                recipients.append(own)
    if volume_size is None and out_dir.is_dir() and is_fat(out_dir):
        est = estimate_package_bytes(project_path)
        if est >= FAT32_LIMIT - (64 << 20):
            raise TooLargeForFat(out_dir, est)
    if not out_dir.is_dir():
        from ..export.package import _check_out_dir

        _check_out_dir(out_dir)
    basis, basis_opened = (None, None)
    if since is not None:
        basis, basis_opened = _since_basis(since, project_path)
    from .layout import remove_stale

    remove_stale(out_dir, WORK_PREFIX)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out_dir))
    try:
        kw = {"clock": clock} if clock is not None else {}
        # a plain split is written in one pass: the volumes straight from the project, never the whole
        # zip first (volumes.VolumeWriter). A delta is made from the whole zip, so delta + split still
        # writes the delta zip first and splits it after the fact.
        one_pass = volume_size is not None and basis is None
        writer = _vol.VolumeWriter(work / "volumes", volume_size, sync=not recipients) if one_pass else None
        # the zip is rewritten (volumes / delta / encryption) and those are synced: no need to sync it too
        rewritten = volume_size is not None or basis is not None or bool(recipients)
        # the Word copy beside the PDF is clear text: not written when the package is encrypted
        res = export_project(project_path, work, allow_incomplete=allow_incomplete, sealer=sealer, task=task, lang=lang,
                             sync_package=not rewritten, docx_copy=docx_copy and not recipients, package_writer=writer, **kw)
        warnings = list(res.warnings)
        if docx_copy and recipients:
            warnings.append(("The Word copy is not written beside an encrypted package (it is inside the package)",
                             "数据包已加密，未在旁边另存 Word 副本（副本在数据包内）"))
        main_zip = res.zip_path
        if basis is not None:
            from . import delta as _delta

            dpath = work / f"{res.base_name}_delta.zip"
            _delta.build_delta(main_zip, basis, dpath, task=task)
            main_zip.unlink()
            main_zip = dpath
        zips = [main_zip]
        if one_pass:
            zips = writer.files  # the volumes, or the one zip when the package fits in a volume
        elif volume_size is not None:
            if main_zip.stat().st_size > volume_size:
                vdir = work / "volumes"
                vdir.mkdir()
                zips = _vol.split_package(main_zip, vdir, volume_size, package_id=res.package_id, task=task,
                                          sync=not recipients)
                main_zip.unlink()
            # else: it fits in one volume; keep the single zip
        elif is_fat(out_dir) and main_zip.stat().st_size > FAT32_LIMIT:
            raise TooLargeForFat(out_dir, main_zip.stat().st_size)
        finals = list(zips)
        if recipients:
            finals = []
            for z in zips:
                enc = z.with_name(z.name + ".age")
                _enc.encrypt_file(z, enc, recipients)
                _fsync(enc)
                z.unlink()
                finals.append(enc)
        rec_files: list[Path] = []
        if percent is not None:
            for f in finals:
                made = _rec.create(f, percent=percent)
                for m in made:
                    _fsync(m)
                rec_files += made
        pdf = None if recipients else res.pdf_path
        if recipients:
            res.pdf_path.unlink()
        # ---- everything complete: rename into place
        moved: list[Path] = []
        docx = res.docx_path if res.docx_path is not None and res.docx_path.exists() else None
        for f in ([pdf] if pdf else []) + ([docx] if docx else []) + finals + rec_files:
            target = out_dir / f.name
            with contextlib.suppress(OSError):
                os.chmod(f, 0o644)
            os.replace(f, target)
            moved.append(target)
        packages = [out_dir / f.name for f in finals]
        result = TransportResult(
            export=res, outputs=moved, pdf_path=out_dir / pdf.name if pdf else None, packages=packages,
            recovery_files=[out_dir / f.name for f in rec_files], volumes=len(finals), encrypted_to=recipients,
            delta_basis=basis.to_dict() if basis is not None else None, warnings=warnings)
        with contextlib.suppress(DossierError):
            from ..project import Project

            with Project.open(project_path) as proj:
                add_outputs(proj, res.package_id, moved, {"volumes": len(finals), "split": volume_size,
                                                          "encrypted_to": recipients, "recovery": percent,
                                                          "delta_basis": basis.to_dict() if basis else None})
        return result
    except OSError as e:
        from ..export.package import _disk_error

        raise _disk_error(e, out_dir) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if basis_opened is not None:
            basis_opened.close()
