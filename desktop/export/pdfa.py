"""Finishing the submission PDF with pikepdf: PDF/A-3b, attachments, metadata, the stamp scan.

PDF/A-3b (ISO 19005-3, level B) needs, and this module provides:

- an OutputIntent (GTS_PDFA1) with an embedded sRGB ICC profile (resources/icc/sRGB-v2.icc,
  made by scripts/build_icc.py); every colour in the document is DeviceRGB/DeviceGray, which the
  OutputIntent then defines;
- XMP metadata with `pdfaid:part` 3 and `pdfaid:conformance` B, and the same title, author,
  subject, keywords, producer, creator tool and dates as the Info dictionary (one source of
  truth: both are written here from the same values);
- embedded files (answers.json, the content listing) with `/AFRelationship /Data`, a MIME
  subtype and dates, listed in the catalogue's `/AF`;
- every font embedded (ReportLab embeds TrueType subsets with ToUnicode maps);
- every annotation printable (`/F 4`), none hidden; no JavaScript, no encryption, a file /ID;
- a PDF version of 1.7 in the header and the catalogue, so a PAdES signature (pyHanko keeps 1.7
  and registers the ESIC extension) stays within PDF/A-3.

No validator is installable here (veraPDF is Java and not packaged); tests/export/test_pdfa.py
checks each prerequisite structurally, and docs/pdf.md says what a veraPDF run would add.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from .. import __version__
from ..paths import resources_dir

ICC_FILE = "sRGB-v2.icc"
PRINT_FLAG = 4
PDF_VERSION = "1.7"


def icc_profile() -> bytes:
    return (resources_dir() / "icc" / ICC_FILE).read_bytes()


def finish(rl_pdf: bytes, ctx: Any, scan_rect: tuple[float, float, float, float],
           cid_usage: dict[str, set[str]] | None = None) -> tuple[bytes, int]:
    """(finished bytes, page count). `cid_usage`: the characters drawn with each composite font
    (desktop/export/cidfont.py), which are embedded here."""
    import pikepdf
    from pikepdf import Name

    from .pdf import pdf_date

    inp = ctx.inp
    pdf = pikepdf.open(io.BytesIO(rl_pdf))
    sources: dict[int, Any] = {}
    try:
        # a scanned stamp page (PDF) goes onto its reserved page
        for i, scan in enumerate(ctx.scans):
            if scan["kind"] != "pdf":
                continue
            page_no = ctx.markers.get(("scan", i))
            if not page_no:
                continue
            key = id(scan["data"])
            if key not in sources:
                sources[key] = pikepdf.open(io.BytesIO(scan["data"]))
            _overlay(pdf, pdf.pages[page_no - 1], sources[key].pages[scan["page"]], scan_rect, f"DossierScan{i}")

        if cid_usage:
            from .cidfont import embed

            embed(pdf, cid_usage)
        when = pdf_date(inp.sealed_at)
        p = inp.program
        producer = f"Dossier {__version__} (ReportLab, pikepdf)"
        info = {
            Name.Title: ctx.title,
            Name.Author: inp.applicant or "Dossier",
            Name.Subject: ctx.subject,
            Name.Keywords: ctx.keywords,
            Name.Creator: f"Dossier {__version__}",
            Name.Producer: producer,
            Name.CreationDate: when,
            Name.ModDate: when,
        }
        for k, v in info.items():
            pdf.docinfo[k] = v
        pdf.docinfo[Name("/DossierContentDigest")] = inp.digest
        pdf.docinfo[Name("/DossierProgram")] = f"{p.id}@{p.version}"
        pdf.docinfo[Name("/DossierStatus")] = "draft" if inp.draft else "final"
        lang = "zh-CN" if ctx.lang == "zh" else "en"
        pdf.Root.Lang = lang
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.Root.Version = Name("/" + PDF_VERSION)

        # attachments (PDF/A-3: associated files with a relationship)
        specs = []
        for name, data, mime, desc in (
            ("answers.json", inp.answers_json, "application/json", "The answers (data/answers.json of the package) / 申报数据"),
            ("content-listing.txt", inp.listing, "text/plain", f"Content listing; its SHA-256 is the content digest {inp.digest} / 内容清单"),
        ):
            fs = pikepdf.AttachedFileSpec(pdf, data, filename=name, mime_type=mime, description=desc,
                                          creation_date=when, mod_date=when, relationship=Name.Data)
            pdf.attachments[name] = fs
            specs.append(pdf.attachments[name].obj)
        pdf.Root.AF = pikepdf.Array(specs)

        # the OutputIntent: sRGB
        icc = pdf.make_stream(icc_profile())
        icc.N = 3
        icc.Alternate = Name.DeviceRGB
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier="sRGB IEC61966-2.1",
            RegistryName="http://www.color.org", Info="sRGB IEC61966-2.1", DestOutputProfile=icc)])

        # annotations: printable, never hidden (PDF/A 6.3.2)
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", None) or []:
                flags = int(annot.get("/F", 0))
                annot.F = (flags | PRINT_FLAG) & ~(1 | 2 | 32)  # not Invisible, Hidden, NoView

        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # our own docinfo keys have no XMP equivalent: expected
            meta.load_from_docinfo(pdf.docinfo)
            meta["pdf:Producer"] = producer
            meta["xmp:CreatorTool"] = f"Dossier {__version__}"
            iso = inp.sealed_at.isoformat(timespec="seconds")
            meta["xmp:CreateDate"] = iso
            meta["xmp:ModifyDate"] = iso
            meta["xmp:MetadataDate"] = iso
            meta["dc:language"] = [lang]
            meta["dc:identifier"] = f"sha256:{inp.digest}"
            meta["dc:format"] = "application/pdf"
            meta["pdfaid:part"] = "3"
            meta["pdfaid:conformance"] = "B"
        _deflate_plain_streams(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, fix_metadata_version=False, min_version=PDF_VERSION,
                 force_version=PDF_VERSION)
        pages = len(pdf.pages)
    finally:
        pdf.close()
        for s in sources.values():
            s.close()
    return out.getvalue(), pages


def _overlay(pdf, page, src_page, rect: tuple[float, float, float, float], name: str) -> None:
    """Place a page of another PDF into `rect` (scaled to fit, centred) under a fixed resource
    name — pikepdf's add_overlay picks a random one, and the output must be deterministic."""
    import pikepdf

    form = pdf.copy_foreign(src_page.as_form_xobject())
    bx0, by0, bx1, by1 = (float(v) for v in form.BBox)
    x0, y0, x1, y1 = rect[0] + 2, rect[1] + 2, rect[2] - 2, rect[3] - 2
    w, h = max(bx1 - bx0, 1e-3), max(by1 - by0, 1e-3)
    s = min((x1 - x0) / w, (y1 - y0) / h)
    tx = x0 + ((x1 - x0) - w * s) / 2 - bx0 * s
    ty = y0 + ((y1 - y0) - h * s) / 2 - by0 * s
    res = page.obj.get("/Resources")
    if res is None:
        page.obj.Resources = res = pikepdf.Dictionary()
    if "/XObject" not in res:
        res.XObject = pikepdf.Dictionary()
    res.XObject[pikepdf.Name("/" + name)] = form
    page.contents_add(pdf.make_stream(f"q {s:.6f} 0 0 {s:.6f} {tx:.4f} {ty:.4f} cm /{name} Do Q".encode()), prepend=False)


def _deflate_plain_streams(pdf) -> None:
    """Every stream deflated once, before qpdf writes the file (issue #10: a tenth of a
    re-render check was qpdf compressing again what was compressed already):

    - ReportLab names its filter as an array, `[/FlateDecode]`, and qpdf recompresses any stream
      not filtered by the plain name (all 24–30 page streams, ≈ 7 ms a document): the array of one
      becomes the name, which means the same;
    - the streams made here (the colour profile, the attachments, the composite font's maps) are
      deflated here with zlib-ng, quicker than qpdf's zlib. The XMP metadata stays plain, as qpdf
      leaves it (PDF/A readers may find it by scanning the file)."""
    from pikepdf import Array, Name, Stream

    from ..fastzlib import deflate

    for obj in pdf.objects:
        if not isinstance(obj, Stream):
            continue
        f = obj.get("/Filter")
        if f is None:
            if obj.get("/Type") != Name.Metadata:
                obj.write(deflate(obj.read_raw_bytes()), filter=Name.FlateDecode)
        elif isinstance(f, Array) and len(f) == 1 and f[0] == Name.FlateDecode and "/DecodeParms" not in obj:
            obj.Filter = Name.FlateDecode
