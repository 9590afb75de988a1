"""Seal and export: the submission PDF and the BagIt data package, written atomically.

`export_project` is the one service the CLI (`dossier export`) and the UI's "Seal & export" dialog
call. It opens its own Project connection (the UI runs it on a worker thread), takes one
consistent snapshot, and writes `<program-id>_<applicant>_<YYYYMMDD>.pdf` and `.zip` under
temporary names in the output folder, renaming them only when both are complete. A cancel
(TaskState) or any error removes the temporary files: nothing is left behind.

Seal time: the first seal of a given content records `sealed_at` (local time with its UTC offset)
and `sealed_state` (desktop.export.digest.state_fingerprint: program, applicant names, answers,
evidence links) in the project's meta table. Sealing again while the fingerprint is unchanged
reuses the recorded time, so the PDF and zip come out byte-identical; any change to the content
gives a new seal time. (Without a signing identity; a signature carries its own signing time.)
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..errors import DossierError
from ..fsutil import HeldTemp, check_replaceable, disk_full_error, ensure_free_space, fsync_dir, is_disk_full
from ..project import Project
from ..values import plural
from ..tasks import TaskState
from . import answers_json
from .bag import BAGIT_TXT, MANIFEST, SIGNATURE_FILE_RE, TAGMANIFEST, EvidenceChanged, bag_info_bytes, manifest_bytes
from .collect import Snapshot, take_snapshot
from .extras import contributions
from .digest import PDF_PATH, content_digest, listing_bytes, state_fingerprint
from .naming import output_base_name
from .rerender import EXTRA_DOCS, build_input
from .writer import PackageContents, PackageEntry, ZipPackageWriter

DOCX_PATH = "data/application.docx"


# The three documents' modules (openpyxl, python-docx, ReportLab and pikepdf: a fifth of a second)
# are imported when the export first needs them, after the zip has been begun with the evidence on
# a thread of its own (writer.py): the evidence is written while they load.
def build_xlsx(*a, **k) -> bytes:
    from .xlsx import build_xlsx as build

    return build(*a, **k)


def build_docx(inp) -> bytes:
    from .docx import build_docx as build

    return build(inp)


def render(inp, task: TaskState | None = None):
    from .pdf import render as pdf_render

    return pdf_render(inp, task)

DOC_UNITS = 16 << 20  # progress units given to the documents (answers, workbook, PDF)


class ExportBlocked(DossierError):
    """Blocking problems stop a final export (use allow_incomplete for a draft)."""

    exit_code = 1

    def __init__(self, problems: list):
        n = len(problems)
        super().__init__(
            f"{plural(n, 'blocking problem stops', 'blocking problems stop')} the export; fix "
            f"{'it' if n == 1 else 'them'}, or export a draft with --allow-incomplete",
            f"有 {n} 项阻止提交的问题，无法导出；请先修改，或使用 --allow-incomplete 导出草稿",
            key="export.blocked",
        )
        self.problems = problems


@dataclass
class ExportResult:
    pdf_path: Path
    zip_path: Path
    base_name: str
    content_digest: str
    sealed_at: str
    draft: bool
    pages: int
    stamp_page_index: int
    files: int
    payload_bytes: int
    docx_path: Path | None = None  # with docx_copy: the Word copy beside the PDF
    signed: bool = False
    signer_fingerprint: str | None = None
    package_id: str = ""  # answers.json package.id / bag-info Dossier-Package-Id
    project_uuid: str = ""
    manifest_sha256: str = ""  # SHA-256 of manifest-sha256.txt (a delta names its basis by it)
    reused_seal_time: bool = False
    blocking: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (en, zh)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["pdf_path"] = str(self.pdf_path)
        d["zip_path"] = str(self.zip_path)
        d["docx_path"] = str(self.docx_path) if self.docx_path else None
        d["warnings"] = [{"en": en, "zh": zh} for en, zh in self.warnings]
        return d


def _now() -> _dt.datetime:
    return _dt.datetime.now().astimezone().replace(microsecond=0)


def _seal_time(proj: Project, snap: Snapshot, clock: Callable[[], _dt.datetime]) -> tuple[_dt.datetime, str, bool]:
    fp = state_fingerprint(snap.program.text, snap.meta, snap.all_answers, snap.raw_evidence)
    stored = snap.meta.get("sealed_at")
    if stored and snap.meta.get("sealed_state") == fp:
        try:
            t = _dt.datetime.fromisoformat(stored.replace("Z", "+00:00"))
            if t.tzinfo is not None:
                return t, fp, True
        except ValueError:
            pass
    t = clock()
    if t.tzinfo is None:
        t = t.astimezone()
    return t.replace(microsecond=0), fp, False


def _iso(t: _dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def _check_out_dir(out_dir: Path) -> None:
    if not out_dir.exists() and not out_dir.is_symlink():
        # `--out 提交/` as the README shows: a missing output folder is created (the GUI asks first)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DossierError(f"Cannot create the output folder {out_dir}: {e.strerror or e}",
                               f"无法创建输出文件夹 {out_dir}：{e.strerror or e}", key="export.no_folder") from None
    if not out_dir.is_dir():
        raise DossierError(f"{out_dir} is not a folder", f"{out_dir} 不是文件夹", key="export.not_folder")
    if not os.access(out_dir, os.W_OK):
        raise DossierError(f"Output folder {out_dir} is read-only; choose another folder",
                           f"输出文件夹 {out_dir} 是只读的，请选择其他文件夹", key="export.readonly")


def _disk_error(e: OSError, where: Path) -> DossierError:
    if is_disk_full(e):
        return disk_full_error(where=where, output=True)
    return DossierError(f"Cannot write to {where}: {e.strerror or e}", f"无法写入 {where}：{e.strerror or e}",
                        key="export.write_failed")


_PACKAGE_NS = uuid.UUID("6f0d5c3e-9a51-4f0b-8c7e-2f4b1d0a9e11")  # Dossier package ids (uuid5)


def package_id(project_uuid: str, state: str, sealed_iso: str, sealer: Any, lang: str, draft: bool) -> str:
    """The package's id: a UUID derived from everything that makes the package's bytes (project,
    content fingerprint, seal time, signer, PDF language, draft), so an unchanged project seals to
    the same id and the same bytes (deterministic export), and any new seal gets a new id."""
    signer = str(getattr(sealer, "fingerprint", "") or "").lower()
    return str(uuid.uuid5(_PACKAGE_NS, "\n".join([project_uuid, state, sealed_iso, signer, lang, str(bool(draft))])))


def _record_export(proj: Project, warnings: list, **kw: Any) -> None:
    """The project's export history (exports table): what a later delta can name as its basis."""
    if proj.readonly:
        return
    from .history import record_export

    try:
        record_export(proj, **kw)
    except DossierError as e:
        warnings.append((f"The export was not recorded in the project's export history: {e.en}",
                         f"未能在项目的导出记录中登记本次导出：{e.zh}"))


def _evidence_entries(proj: Project, evidence: list) -> list[PackageEntry]:
    crcs = proj.recorded_crc32s()
    return [PackageEntry(e.path, e.size, e.sha256, open_chunks=(lambda b=e.blob_id: proj.read_chunks(b)), blob_id=e.blob_id,
                         crc32=crcs.get(e.blob_id)) for e in evidence]


def _package_entries(proj: Project, bag_info: bytes, manifest: bytes, pdf: tuple[str, bytes], docs: list[tuple[str, bytes]],
                     evidence: list, tagmanifest: bytes, sig_files: list[tuple[str, bytes]]) -> list[PackageEntry]:
    """The package's entries in its fixed order (desktop.export.bag)."""

    def blob(data: tuple[str, bytes]) -> PackageEntry:
        return PackageEntry(data[0], len(data[1]), hashlib.sha256(data[1]).hexdigest(), data=data[1])

    out = [blob(("bagit.txt", BAGIT_TXT)), blob(("bag-info.txt", bag_info)), blob((MANIFEST, manifest)), blob(pdf)]
    out += [blob(d) for d in docs]
    out += _evidence_entries(proj, evidence)
    out.append(blob((TAGMANIFEST, tagmanifest)))
    out += [blob(s) for s in sig_files]
    return out


def export_project(project_path: str | os.PathLike, out_dir: str | os.PathLike, *, allow_incomplete: bool = False,
                   sealer: Any = None, task: TaskState | None = None, lang: str = "zh",
                   clock: Callable[[], _dt.datetime] = _now, docx_copy: bool = False,
                   sync_package: bool = True, package_writer: Any = None) -> ExportResult:
    """Seal a project: write the submission PDF and the data package zip into `out_dir`.

    Raises ExportBlocked (exit code 1) when blocking problems exist and `allow_incomplete` is
    false; with `allow_incomplete` the outputs are drafts (watermarked, named `…_DRAFT`).
    `sealer` (issue #5, desktop.identity) signs the PDF as its very last step and the bag's tag
    manifest. `clock` is for tests. `docx_copy` also writes the package's Word copy
    (data/application.docx) beside the PDF as `<base>.docx`. `sync_package=False` skips the fsync
    of the zip, for a caller that only reads it to write something else and syncs that
    (desktop.transport: volumes, a delta, an encrypted copy — the zip itself is then deleted unseen
    by the disk).

    `package_writer` (desktop.export.writer): what writes the package's entries instead of the one
    zip `<base>.zip` in `out_dir` — desktop.transport's VolumeWriter writes a split package's volumes
    in one pass. Its files stay where it wrote them (the caller renames them); `zip_path` is then
    the first of them (the zip, or volume 1, which carries the PDF, the tag files and the index).
    """
    out_dir = Path(out_dir)
    _check_out_dir(out_dir)
    lang = "en" if lang == "en" else "zh"
    temps: list[HeldTemp] = []  # held while written (housekeeping of another run leaves them alone)
    placed: set[Path] = set()  # temps renamed into place: never removed
    proj = Project.open(project_path)
    started: ZipPackageWriter | None = None  # a zip begun with the evidence, to end if the export fails
    try:
        proj.check_integrity()  # a damaged project is never sealed as if sound
        from ..housekeeping import clean_folder

        clean_folder(out_dir)
        snap = take_snapshot(proj)
        rep = snap.report
        draft = bool(rep.blocking)
        if draft and not allow_incomplete:
            raise ExportBlocked(rep.blocking)
        sealed_at, fingerprint, reused = _seal_time(proj, snap, clock)
        sealed_iso = _iso(sealed_at)
        prog = snap.program
        warnings = list(snap.warnings)
        evidence_bytes = sum(e.size for e in snap.all_files)
        # refuse early, before the PDF is laid out: the zip holds every evidence byte
        ensure_free_space(out_dir, evidence_bytes + (1 << 20), output=True)
        if task is not None:
            task.set_total(evidence_bytes + DOC_UNITS)
            task.advance(0, "answers", force=True)
        base = output_base_name(prog.id, snap.applicant, sealed_at.strftime("%Y%m%d"), draft=draft)
        pdf_target = out_dir / f"{base}.pdf"
        zip_target = out_dir / f"{base}.zip"
        docx_target = out_dir / f"{base}.docx"
        check_replaceable(pdf_target)
        check_replaceable(zip_target)
        if docx_copy:
            check_replaceable(docx_target)
        zip_tmp: Path | None = None
        writer: Any = package_writer
        if package_writer is None:
            zip_held = HeldTemp(zip_target)
            temps.append(zip_held)
            zip_tmp = zip_held.path
            writer = ZipPackageWriter(zip_tmp, sync=sync_package)
            if snap.all_files:
                # the zip begins with the evidence, written (and checked) on a thread of its own
                # while the documents are made: it needs nothing of them (writer.py, bag.physical_order)
                try:
                    writer.start(proj.path, base, sealed_at.timetuple()[:6], _evidence_entries(proj, snap.all_files), task)
                except OSError as e:
                    raise _disk_error(e, out_dir) from None
                started = writer

        # ---- the payload documents (everything but the PDF), then the content digest
        program_yaml = prog.text.encode("utf-8")
        project_uuid = snap.meta.get("project_uuid", "")
        pkg_id = package_id(project_uuid, fingerprint, sealed_iso, sealer, lang, draft)
        doc = answers_json.build(snap, sealed_at=sealed_iso, draft=draft, sealer=sealer,
                                 program_sha256=hashlib.sha256(program_yaml).hexdigest(), lang=lang,
                                 package_id=pkg_id, project_uuid=project_uuid)
        answers_bytes = answers_json.dumps(doc)
        xlsx_bytes = build_xlsx(snap, sealed_at=sealed_at, draft=draft, lang=lang)
        docs = [("data/answers.json", answers_bytes), ("data/answers.xlsx", xlsx_bytes), ("data/program.yaml", program_yaml)]
        contrib = contributions(proj, snap)
        docs += [(c.path, c.data) for c in contrib]
        # the PDF (and the Word copy) are drawn from the package's own files only, exactly as
        # `dossier verify` re-renders them (desktop/export/rerender.py)
        blob_of = {e.path: e.blob_id for e in snap.all_files}

        def package_input(listing: bytes):
            return build_input(answers_bytes=answers_bytes, program_yaml=program_yaml, listing=listing,
                               read=lambda e: proj.read_chunks(blob_of[e.path]),
                               extras_docs={p: b for p, b in docs if p in EXTRA_DOCS})

        inp = package_input(b"")  # the listing (and digest) are set below, once the Word copy is in the payload
        docx_bytes = build_docx(inp)
        docs.append((DOCX_PATH, docx_bytes))
        payload = [(p, hashlib.sha256(b).hexdigest(), len(b)) for p, b in docs]
        payload += [(e.path, e.sha256, e.size) for e in snap.all_files]
        listing = listing_bytes((p, s) for p, s, _n in payload)
        digest = content_digest(listing)
        if task is not None:
            task.advance(2 << 20, "pdf", force=True)

        # ---- the PDF
        sealer_info = None
        if sealer is not None:
            from .pdf import SealerInfo

            sealer_info = SealerInfo(str(sealer.name), str(sealer.display_fingerprint))
        inp.listing, inp.digest = listing, digest  # exactly what build_input makes of them (rerender.py)
        if sealer_info is not None and (inp.sealer is None or inp.sealer.name != sealer_info.name):
            raise DossierError("The signing identity does not match the sealer recorded in answers.json",
                               "签章身份与 answers.json 中记录的签章人不一致", key="export.sealer_mismatch")
        pdf = render(inp, task)
        warnings += pdf.warnings
        # the exact need now: the PDF twice (file and zip entry; thrice while signing), the documents,
        # the evidence and the zip's headers
        docs_bytes = sum(len(b) for _p, b in docs)
        zip_overhead = sum(200 + 2 * len(f"{base}/{p}".encode()) for p, _s, _n in payload) + (64 << 10)
        written = started.bytes_written() if started is not None else 0  # the evidence already in the zip
        ensure_free_space(out_dir, len(pdf.data) * (3 if sealer is not None else 2) + docs_bytes + evidence_bytes
                          + zip_overhead + (len(docx_bytes) if docx_copy else 0) - min(written, evidence_bytes),
                          output=True)
        try:
            pdf_held = HeldTemp(pdf_target)
            temps.append(pdf_held)
            pdf_tmp = pdf_held.path
            pdf_tmp.write_bytes(pdf.data)
            if sealer is not None:
                signed_held = HeldTemp(pdf_target)
                temps.append(signed_held)
                sealer.sign_pdf(pdf_tmp, signed_held.path, page_index=pdf.stamp_page_index, box=pdf.seal_box)
                pdf_held = signed_held  # the signed file is final: never re-saved
                pdf_tmp = signed_held.path
            pdf_bytes = pdf_tmp.read_bytes()
        except OSError as e:
            raise _disk_error(e, out_dir) from None
        pdf_sha = hashlib.sha256(pdf_bytes).hexdigest()
        payload.insert(0, (PDF_PATH, pdf_sha, len(pdf_bytes)))
        if task is not None:
            task.advance(10 << 20, "package", force=True)

        # ---- the bag, streamed into the zip
        manifest = manifest_bytes((p, s) for p, s, _n in payload)
        bag_info = bag_info_bytes(
            agent=f"Dossier {__version__}", sealed_at=sealed_iso, applicant=snap.applicant,
            program_key=f"{prog.id}@{prog.version}", program_title=prog.title.zh,
            oxum_bytes=sum(n for _p, _s, n in payload), oxum_files=len(payload), digest=digest,
            status="draft" if draft else "final",
            signer_fingerprint=str(sealer.fingerprint).lower() if sealer is not None else None,
            package_id=pkg_id, project_uuid=project_uuid,
        )
        tagmanifest = manifest_bytes([(name, hashlib.sha256(data).hexdigest()) for name, data in
                                      (("bagit.txt", BAGIT_TXT), ("bag-info.txt", bag_info), (MANIFEST, manifest))])
        # the signature tag files sign the tag manifest, known before any evidence byte is written
        # (a split package's volume 1 carries them, and it is written first)
        sig_files: list[tuple[str, bytes]] = []
        if sealer is not None:
            extra = sealer.sign_bytes(tagmanifest) or {}
            for name in sorted(extra):
                data = extra[name]
                if not SIGNATURE_FILE_RE.match(name) or not isinstance(data, (bytes, bytearray)):
                    raise DossierError(f"The signing identity returned an unexpected tag file {name!r}",
                                       f"签章模块返回了不符合要求的标签文件 {name!r}", key="export.sign_files")
                sig_files.append((name, bytes(data)))
        contents = PackageContents(base, sealed_at.timetuple()[:6], _package_entries(
            proj, bag_info, manifest, (PDF_PATH, pdf_bytes), docs, snap.all_files, tagmanifest, sig_files),
            package_id=pkg_id, bag_info=bag_info)
        del pdf_bytes
        try:
            package_files = writer.write(contents, task=task)
        except EvidenceChanged as e:
            raise DossierError(
                f"Evidence {e.path} no longer matches its recorded SHA-256 (the project changed during the export, "
                "or the stored file is damaged); nothing was written",
                f"证明材料 {e.path} 与记录的 SHA-256 不一致（导出过程中项目被修改，或存储的文件已损坏），未写入任何内容",
                key="export.evidence_changed") from None
        except OSError as e:
            raise _disk_error(e, out_dir) from None
        except sqlite3.DatabaseError as e:
            raise DossierError(
                f"The project file is damaged: its evidence cannot be read ({e}); nothing was written. "
                "Use an earlier copy of the project.",
                f"项目文件已损坏：无法读取其中的证明材料（{e}）；未写入任何内容。请使用该项目较早的副本。",
                key="project.corrupt") from None
        if task is not None:
            task.check()
        # ---- both complete: rename into place
        try:
            for t in (pdf_tmp, zip_tmp) if zip_tmp is not None else (pdf_tmp,):
                with contextlib.suppress(OSError):
                    os.chmod(t, 0o644)  # mkstemp made them private; outputs are ordinary files
            with open(pdf_tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            pdf_held.before_rename()
            if zip_tmp is not None:
                zip_held.before_rename()
            os.replace(pdf_tmp, pdf_target)
            placed.add(pdf_tmp)
            if zip_tmp is not None:
                os.replace(zip_tmp, zip_target)
                placed.add(zip_tmp)
                package_files = [zip_target]
            if docx_copy:  # the Word copy beside the PDF: the same bytes as data/application.docx
                docx_held = HeldTemp(docx_target)
                temps.append(docx_held)
                docx_held.path.write_bytes(docx_bytes)
                with contextlib.suppress(OSError):
                    os.chmod(docx_held.path, 0o644)
                docx_held.before_rename()
                os.replace(docx_held.path, docx_target)
                placed.add(docx_held.path)
            fsync_dir(out_dir)
        except OSError as e:
            with contextlib.suppress(OSError):
                if pdf_tmp in placed and zip_tmp is not None and zip_tmp not in placed:
                    pdf_target.unlink()
            raise _disk_error(e, out_dir) from None
        if not reused and not proj.readonly:
            with contextlib.suppress(DossierError):
                proj.set_meta("sealed_at", sealed_iso)
                proj.set_meta("sealed_state", fingerprint)
        _record_export(proj, warnings, pkg_id=pkg_id, digest=digest, manifest=manifest, payload=payload,
                       outputs=[pdf_target, *package_files], sealed_at=sealed_iso, base=base, draft=draft,
                       signer=str(sealer.fingerprint).lower() if sealer is not None else None)
        if proj.readonly and not reused:
            warnings.append(("The project is read-only: the seal time was not recorded, so a later export gets a new time",
                             "项目为只读：未能记录封装时间，之后再导出将使用新的时间"))
        if task is not None:
            task.advance(task.total - task.done if task.total > task.done else 0, "done", force=True)
        return ExportResult(
            pdf_path=pdf_target, zip_path=package_files[0], base_name=base, docx_path=docx_target if docx_copy else None, content_digest=digest, sealed_at=sealed_iso,
            draft=draft, pages=pdf.pages, stamp_page_index=pdf.stamp_page_index, files=len(payload),
            payload_bytes=sum(n for _p, _s, n in payload), signed=sealer is not None,
            signer_fingerprint=str(sealer.fingerprint).lower() if sealer is not None else None,
            reused_seal_time=reused, blocking=len(rep.blocking), warnings=warnings,
            package_id=pkg_id, project_uuid=project_uuid, manifest_sha256=hashlib.sha256(manifest).hexdigest(),
        )
    finally:
        if started is not None:
            started.abort()  # nothing when the zip was finished
        for t in temps:
            t.release(remove=t.path not in placed)
        proj.close()
