"""The submission PDF (ReportLab platypus, then pikepdf for PDF/A-3b, attachments, XMP and scans).

The pages are desktop/export/pdf_story.py; their typography desktop/export/pdf_style.py; text
layout desktop/export/textblock.py. Every page after the cover has a header (program title,
applicant) and a footer (the program's short title, page x / y, the first 16 hex digits of the
content digest); drafts carry a 草稿 / DRAFT watermark on every page.

Everything the PDF shows comes from `PdfInput`, and `PdfInput` is built only from the package's
files (desktop/export/rerender.py: `build_input`) — the export uses the same function, so
`dossier verify` can re-render the PDF from the package and compare the bytes.

Deterministic: ReportLab's invariant mode, the printed time is the recorded seal time, pikepdf
saves with a content-derived /ID; no clock is read here.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

from .. import __version__
from ..fonts import HEAD_FONT, LATIN_FONT, SERIF_FONT
from ..models.program import Label, Program
from ..models.report import Report
from ..tasks import TaskState
from . import pdf_story as story_
from .contents import PendingNumber, draw_numbers
from .collect import EvidenceEntry
from .pdf_style import (BODY_W, FOOTER_Y, GREY, INK, MB, ML, MR, MT, PAGE_H, PAGE_W, RED, RULE, SEAL, human_size,
                        styles, when)
from .text import para

# where the visible digital seal goes on the stamp page (x0, y0, x1, y1 in PDF points)
SEAL_BOX = (round(PAGE_W - MR - 64 * mm, 2), round(26 * mm, 2), round(PAGE_W - MR, 2), round(70 * mm, 2))
# where a scanned stamp page is placed on its page
SCAN_RECT = (round(ML, 2), round(78 * mm, 2), round(PAGE_W - MR, 2), round(PAGE_H - 30 * mm, 2))
MAX_SCAN_BYTES = story_.MAX_SCAN_BYTES


@dataclass
class SealerInfo:
    name: str
    display_fingerprint: str


@dataclass
class PdfInput:
    program: Program
    report: Report
    answers: dict[str, Any]
    evidence: list[EvidenceEntry]
    stamp: list[EvidenceEntry]
    applicant: str
    applicant_en: str
    sealed_at: _dt.datetime
    digest: str
    listing: bytes
    answers_json: bytes
    draft: bool
    read_blob: Callable[[EvidenceEntry], Iterator[bytes]]  # the bytes of one evidence file
    sealer: SealerInfo | None = None
    lang: str = "zh"
    # data other capabilities add to the document (desktop.export.extras), e.g. "review_response",
    # "previous_period"; each is also a file in the package, so verify can re-render from it
    extras: dict[str, Any] = field(default_factory=dict)
    cover: dict[str, str] = field(default_factory=dict)  # 联系人, 联系电话, 填报日期, 推荐单位, period (desktop.cover)


@dataclass
class PdfResult:
    data: bytes
    pages: int
    stamp_page_index: int
    seal_box: tuple[float, float, float, float]
    warnings: list[tuple[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------- context


class _Ctx:
    def __init__(self, inp: PdfInput, task: TaskState | None):
        self.inp = inp
        self.program = inp.program
        self.digest = inp.digest
        self.draft = inp.draft
        self.lang = inp.lang
        self.task = task
        self.applicant = inp.applicant
        p = inp.program
        self.title = f"{p.title.zh} — {inp.applicant}" if inp.applicant else p.title.zh
        self.subject = f"{p.title.zh} / {p.title.en} ({p.id} {p.version}); content digest sha256:{inp.digest}"
        self.keywords = f"Dossier, {p.id}, {p.version}, sha256:{inp.digest}"
        self.markers: dict[tuple[str, int], int] = {}
        self.current_marker: tuple[str, int] | None = None
        self.st = styles()
        self.num = self.sty("num", self.st["cell"], alignment=TA_RIGHT)
        self.scans: list[dict] = []  # per scan page: {"kind": "image"|"pdf", "entry", "data", "page"}
        self.warnings: list[tuple[str, str]] = []
        self.toc_pending: list[PendingNumber] = []  # contents entries' page numbers, drawn at save (contents.py)
        self.anchor_pages: dict[str, int] = {}  # heading key -> its page
        # the running header and footer: the same lines on every page, laid out (and cut to fit) once
        self.hdr_st = self.sty("hdr", self.st["small"])
        self.hdr_right_st = self.sty("hdrR", self.hdr_st, alignment=TA_RIGHT)
        self.foot_st = self.sty("ft", self.st["small"], fontSize=7.5, leading=10)
        self._lines: dict[tuple[str, ParagraphStyle, float], Flowable] = {}  # styles hash by identity

    def sty(self, name: str, parent: ParagraphStyle, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    def L(self, label: Label | None) -> tuple[str, str]:  # noqa: N802
        if label is None:
            return "", ""
        if self.lang == "en":
            return label.en or label.zh, label.zh
        return label.zh, label.en

    def bi(self, label: Label | None, style: str = "base", second: str = "en") -> list[Flowable]:
        a, b = self.L(label)
        out: list[Flowable] = [para(a, self.st[style])]
        if b and b != a:
            out.append(para(b, self.st[second]))
        return out

    # -- drawing text straight on a page (header, stamp page): the same layout as the story

    def text_at(self, canv: Canvas, x: float, top: float, text: str, style: ParagraphStyle, width: float) -> float:
        """Draw a paragraph with its top at `top`; returns the y below it."""
        blk = para(text, style)
        _w, h = blk.wrapOn(canv, width, PAGE_H)
        blk.drawOn(canv, x, top - h)
        return top - h

    def line_at(self, canv: Canvas, x: float, top: float, text: str, style: ParagraphStyle, width: float) -> None:
        """One line, cut with "…" when too long."""
        key = (text, style, width)
        blk = self._lines.get(key)
        if blk is None:
            blk = self._lines[key] = self._fit_line(text, style, width)
        blk.drawOn(canv, x, top - blk.height)

    def _fit_line(self, text: str, style: ParagraphStyle, width: float) -> Flowable:
        blk = para(text, style)
        if blk.layout.natural_width() > width:
            lo, hi = 0, len(text)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if para(text[:mid] + "…", style).layout.natural_width() <= width:
                    lo = mid
                else:
                    hi = mid - 1
            blk = para(text[:lo] + "…", style)
        blk.wrap(width, PAGE_H)
        return blk

    # -- page decorations

    def draw_header(self, canv: Canvas, doc) -> None:
        canv.saveState()
        y = PAGE_H - MT + 9 * mm
        self.line_at(canv, ML, y, self.L(self.program.title)[0], self.hdr_st, BODY_W * 0.6)
        self.line_at(canv, ML + BODY_W * 0.62, y, self.applicant or "", self.hdr_right_st, BODY_W * 0.38)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(ML, y - 13, PAGE_W - MR, y - 13)
        canv.restoreState()

    def _seal_box(self, canv: Canvas) -> None:
        x0, y0, x1, y1 = SEAL_BOX
        canv.saveState()
        canv.setStrokeColor(SEAL)
        canv.setDash(3, 2)
        canv.setLineWidth(0.8)
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        canv.setDash()
        canv.restoreState()
        st = self.st
        self.line_at(canv, x0 + 4, y1 - 3, "电子签章 Digital seal", self.sty("sb", st["small"], textColor=SEAL), x1 - x0 - 8)
        s = self.inp.sealer
        if s is not None:
            self.line_at(canv, x0, y0 - 2, f"签章人 Signer: {s.name}", st["tiny"], x1 - x0)
            groups = s.display_fingerprint.split()
            half = (len(groups) + 1) // 2
            self.line_at(canv, x0, y0 - 11, "Fingerprint: " + " ".join(groups[:half]), st["tiny"], x1 - x0)
            self.line_at(canv, x0, y0 - 20, "             " + " ".join(groups[half:]), st["tiny"], x1 - x0)
        else:
            self.line_at(canv, x0 + 4, y0 + 14, "未使用数字签章 · not digitally sealed", st["tiny"], x1 - x0 - 8)

    def draw_stamp_page(self, canv: Canvas, doc) -> None:
        st = self.st
        p = self.program
        canv.saveState()
        y = PAGE_H - MT
        y = self.text_at(canv, ML, y, "盖章页", self.sty("sp", st["title"], fontSize=24, leading=34), BODY_W)
        y = self.text_at(canv, ML, y, "Seal and signature page", st["subtitle"], BODY_W)
        y -= 6 * mm
        y = self.text_at(canv, ML, y, f"项目：{p.title.zh}", st["base"], BODY_W)
        y = self.text_at(canv, ML, y, f"Program: {p.title.en}", st["en"], BODY_W)
        y = self.text_at(canv, ML, y, f"申报单位：{self.applicant}", st["base"], BODY_W)
        if self.inp.applicant_en:
            y = self.text_at(canv, ML, y, f"Applicant: {self.inp.applicant_en}", st["en"], BODY_W)
        y = self.text_at(canv, ML, y, f"封装时间 Sealed at：{when(self.inp.sealed_at)}", st["base"], BODY_W)
        y -= 5 * mm
        y = self.text_at(canv, ML, y, "本单位郑重承诺：本申报书所填报的内容及所附证明材料真实、准确、完整，如有不实，本单位愿承担相应责任。",
                         self.sty("decl", st["body"], firstLineIndent=0), BODY_W)
        y = self.text_at(canv, ML, y, "We solemnly declare that the information in this application and the attached evidence "
                                      "is true, accurate and complete, and we accept responsibility for any misstatement.",
                         st["en"], BODY_W)
        y -= 8 * mm
        box_h = 58 * mm
        box_w = (BODY_W - 10 * mm) / 2
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.8)
        for i, (zh, en) in enumerate((("申报单位（盖章）", "Official seal of the applicant"),
                                      ("法定代表人或授权代表（签字）", "Legal representative or authorised signatory"))):
            x = ML + i * (box_w + 10 * mm)
            canv.rect(x, y - box_h, box_w, box_h, stroke=1, fill=0)
            t = self.text_at(canv, x + 5, y - 4, zh, st["cellhead"], box_w - 10)
            self.text_at(canv, x + 5, t, en, st["tiny"], box_w - 10)
        y -= box_h + 9 * mm
        self.text_at(canv, ML, y, "日期 Date：　　　　年　　月　　日", st["base"], BODY_W)
        self._seal_box(canv)
        self.text_at(canv, ML, SEAL_BOX[3], "打印本页，加盖公章并签字后扫描，将扫描件添加到项目的“盖章页”栏目；再次导出时，扫描件将替换本页。",
                     st["tiny"], SEAL_BOX[0] - ML - 8 * mm)
        self.text_at(canv, ML, SEAL_BOX[3] - 22, "Print this page, stamp and sign it, scan it and attach the scan to the "
                                                 "project's stamp-page slot: the next export puts the scan in place of this page.",
                     st["tiny"], SEAL_BOX[0] - ML - 8 * mm)
        canv.restoreState()

    def draw_scan_page(self, canv: Canvas, doc) -> None:
        marker = self.current_marker
        idx = marker[1] if marker and marker[0] == "scan" else 0
        scan = self.scans[idx]
        e: EvidenceEntry = scan["entry"]
        canv.saveState()
        st = self.st
        top = PAGE_H - MT + 2 * mm
        cap = "盖章页（扫描件） Stamp page (scan)" + (f" — {scan['page'] + 1}/{scan['count']}" if scan["count"] > 1 else "")
        y = self.text_at(canv, ML, top, cap, self.sty("sc", st["h2"], spaceBefore=0), BODY_W)
        self.text_at(canv, ML, y, f"{e.name}  ·  {human_size(e.size)}  ·  SHA-256 {e.sha256}", st["tiny"], BODY_W)
        x0, y0, x1, y1 = SCAN_RECT
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        if scan["kind"] == "image":
            canv.drawImage(scan["reader"], x0 + 2, y0 + 2, x1 - x0 - 4, y1 - y0 - 4, preserveAspectRatio=True, anchor="c")
        if idx == 0:
            self._seal_box(canv)
        canv.restoreState()


# ---------------------------------------------------------------------------- canvas & template


def _canvas_class(ctx: _Ctx):
    class NumberedCanvas(Canvas):
        """Defers each page's footer (and watermark) until the page count is known."""

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._pages: list[dict] = []
            self._dossier_marks: list[tuple[str, dict]] = []  # this page's destinations (bookmarkPage)
            self._dossier_cid: dict[str, set[str]] = {}  # composite-font characters (desktop/export/cidfont.py)

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._dossier_marks = []
            self._startPage()

        def bookmarkPage(self, key, **kw):  # noqa: N802 - ReportLab's name
            # A destination is the page ReportLab is emitting when it is set, and the pages are
            # emitted only in save(): set then, each on its own page (set at once, every heading
            # and contents link pointed at page 1)
            self._dossier_marks.append((key, kw))

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for key, kw in self._dossier_marks:
                    Canvas.bookmarkPage(self, key, **kw)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            n = self._pageNumber
            draw_numbers(self, n, ctx.toc_pending, ctx.anchor_pages)
            if ctx.draft:
                self.saveState()
                self.setFillColor(RED)
                self.setFillAlpha(0.13)
                self.translate(PAGE_W / 2, PAGE_H / 2)
                self.rotate(38)
                self.setFont(HEAD_FONT, 88)
                self.drawCentredString(0, 10, "草稿 DRAFT")
                self.setFont(HEAD_FONT, 20)
                self.drawCentredString(0, -34, "不可作为正式申报材料 · not a valid submission")
                self.restoreState()
            if n == 1:
                return  # the cover carries no footer
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(ML, FOOTER_Y + 9, PAGE_W - MR, FOOTER_Y + 9)
            self.setFillColor(GREY)
            ctx.line_at(self, ML, FOOTER_Y + 7.5, ctx.L(ctx.program.short_title)[0], ctx.foot_st, BODY_W * 0.42)
            self.setFont(LATIN_FONT, 7.5)
            self.setFillColor(GREY)
            self.drawCentredString(PAGE_W / 2, FOOTER_Y, f"{n} / {total}")
            self.drawRightString(PAGE_W - MR, FOOTER_Y, f"SHA-256 {ctx.digest[:16]}")
            self.restoreState()

    return NumberedCanvas


_ATOMS = (int, float, str, bool, type(None))


class _Frame(Frame):
    """ReportLab's Frame, deep-copied quickly: KeepTogether's wrap deep-copies the page's frame
    every time (platypus.flowables._listWrapOn), about 130 times a document, and copy.deepcopy
    walked its two dozen numbers one by one (≈ 4 % of a render). Numbers and text are immutable,
    which is what deepcopy returns for them too; anything else is deep-copied as before."""

    def __deepcopy__(self, memo):
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        new.__dict__.update({k: v if type(v) in _ATOMS else copy.deepcopy(v, memo) for k, v in self.__dict__.items()})
        return new


class _Doc(BaseDocTemplate):
    """One layout pass: the table of contents' page numbers are drawn when the canvas saves
    (desktop/export/contents.py)."""

    def __init__(self, buf, ctx: _Ctx, **kw):
        super().__init__(buf, pagesize=(PAGE_W, PAGE_H), leftMargin=ML, rightMargin=MR, topMargin=MT, bottomMargin=MB,
                         invariant=1, initialFontName=SERIF_FONT, initialFontSize=10,
                         lang="zh-CN" if ctx.lang == "zh" else "en",
                         title=ctx.title, author=ctx.applicant, subject=ctx.subject, creator=f"Dossier {__version__}",
                         producer=f"Dossier {__version__}", keywords=ctx.keywords, **kw)
        self.ctx = ctx
        frame = _Frame(ML, MB, BODY_W, PAGE_H - MT - MB, id="body", leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [frame]),
            PageTemplate("body", [frame], onPage=ctx.draw_header),
            PageTemplate("stamp", [frame], onPageEnd=ctx.draw_stamp_page),
            PageTemplate("scan", [frame], onPageEnd=ctx.draw_scan_page),
        ])

    def afterFlowable(self, flowable):  # noqa: N802 - ReportLab's name
        toc = getattr(flowable, "_toc", None)
        if toc:
            level, text, key, plain = toc
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(plain, key, level=level, closed=level > 0)
            self.ctx.anchor_pages[key] = self.page
        if isinstance(flowable, story_.PageMarker):
            self.ctx.markers[(flowable.kind, flowable.index)] = self.page
            self.ctx.current_marker = (flowable.kind, flowable.index)
        if self.ctx.task is not None:
            self.ctx.task.check()


# ---------------------------------------------------------------------------- build


def _load_scans(ctx: _Ctx) -> None:
    """Prepare the stamp-page scan(s): images are drawn by ReportLab, PDF pages overlaid later."""
    from reportlab.lib.utils import ImageReader

    for e in ctx.inp.stamp:
        if e.size > MAX_SCAN_BYTES:
            ctx.warnings.append((f"The stamp-page scan {e.name} is larger than 100 MB and was not placed in the PDF",
                                 f"盖章页扫描件 {e.name} 超过 100 MB，未放入 PDF"))
            continue
        data = b"".join(ctx.inp.read_blob(e))
        if e.mime == "application/pdf" or data[:5] == b"%PDF-":
            import pikepdf

            try:
                with pikepdf.open(io.BytesIO(data)) as src:
                    count = len(src.pages)
            except Exception:  # noqa: BLE001
                ctx.warnings.append((f"The stamp-page scan {e.name} is not a readable PDF", f"盖章页扫描件 {e.name} 不是可读取的 PDF"))
                continue
            for i in range(count):
                ctx.scans.append({"kind": "pdf", "entry": e, "data": data, "page": i, "count": count})
            continue
        try:
            from PIL import Image as PILImage

            with PILImage.open(io.BytesIO(data)) as im:
                fmt = im.format
                if fmt not in ("JPEG", "PNG") or im.mode not in ("RGB", "L", "P"):
                    im.seek(0)
                    buf = io.BytesIO()
                    im.convert("RGB").save(buf, format="PNG")  # no CMYK, no alpha: PDF/A wants one colour space
                    data = buf.getvalue()
            reader = ImageReader(io.BytesIO(data))
        except Exception:  # noqa: BLE001
            ctx.warnings.append((f"The stamp-page scan {e.name} is neither a PDF nor a picture; the blank stamp page is used",
                                 f"盖章页扫描件 {e.name} 既不是 PDF 也不是图片，使用空白盖章页"))
            continue
        ctx.scans.append({"kind": "image", "entry": e, "reader": reader, "page": 0, "count": 1})


def _story(ctx: _Ctx) -> list[Flowable]:
    head: list[Flowable] = []
    head += story_.cover(ctx)
    head += [NextPageTemplate("body"), PageBreak()]
    head += story_.verification(ctx)
    head.append(PageBreak())
    rest = story_.sections(ctx)
    rest += story_.review_response(ctx)
    _load_scans(ctx)
    rest += story_.stamp_pages(ctx)
    # the contents list every heading of the story, the ones before it (封装与核验) included
    anchors = [f._toc for f in _walk(head + rest) if isinstance(f, story_.Anchor)]
    return head + story_.toc(ctx, anchors) + rest


def _walk(flowables) -> Iterator[Flowable]:
    """Every flowable of the story in order, including those inside containers (KeepTogether
    keeps an indicator's heading with its first lines: its anchor is inside)."""
    for f in flowables:
        yield f
        inner = getattr(f, "_content", None)
        if isinstance(inner, (list, tuple)):
            yield from _walk(inner)


def render(inp: PdfInput, task: TaskState | None = None) -> PdfResult:
    """One ReportLab pass, then pikepdf finishing (PDF/A-3b)."""
    from .pdfa import finish

    ctx = _Ctx(inp, task)
    buf = io.BytesIO()
    doc = _Doc(buf, ctx)
    story = _story(ctx)
    doc.build(story, canvasmaker=_canvas_class(ctx))
    first = ctx.markers.get(("scan", 0)) or ctx.markers.get(("stamp", 0))
    stamp_index = (first or doc.page) - 1
    data, pages = finish(buf.getvalue(), ctx, SCAN_RECT, getattr(doc.canv, "_dossier_cid", {}))
    return PdfResult(data, pages, stamp_index, SEAL_BOX, ctx.warnings)


def pdf_date(t: _dt.datetime) -> str:
    off = t.strftime("%z")
    tz = f"{off[0]}{off[1:3]}'{off[3:5]}'" if off else "Z"
    return "D:" + t.strftime("%Y%m%d%H%M%S") + tz


__all__ = ["PdfInput", "PdfResult", "SealerInfo", "render", "pdf_date", "SEAL_BOX", "SCAN_RECT", "HEAD_FONT"]
