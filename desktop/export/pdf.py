"""The submission PDF (ReportLab platypus), then pikepdf for attachments, XMP and scans.

Pages: cover (program, issuer and source document, applicant, seal time, completeness, content
digest and its QR code), table of contents, every section and indicator (its official 观测点 text,
the answers, the evidence list with SHA-256 and image thumbnails), and the stamp page (盖章页) —
or, once a scan of the stamped page is attached to the project's stamp-page slot, the scan in its
place. Every page has a footer: page x/y, program id, first 16 hex digits of the content digest;
drafts carry a 草稿 / DRAFT watermark on every page.

Deterministic: ReportLab's invariant mode, the printed time is the recorded seal time, and pikepdf
saves with a content-derived /ID; no clock is read here.
"""

from __future__ import annotations

import datetime as _dt
import io
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, Image, KeepTogether,
                                NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from .. import __version__
from ..fonts import CJK_FONT, LATIN_FONT, register_fonts
from ..models.program import Field, Indicator, Label, Program
from ..models.report import Report
from ..tasks import TaskState
from ..values import display
from .collect import EvidenceEntry
from .text import fit_text, font_for, markup, para

PAGE_W, PAGE_H = A4
ML = MR = 20 * mm
MT = 22 * mm
MB = 20 * mm
BODY_W = PAGE_W - ML - MR
FOOTER_Y = 10 * mm
# where the visible digital seal goes on the stamp page (x0, y0, x1, y1 in PDF points)
SEAL_BOX = (round(PAGE_W - MR - 64 * mm, 2), round(26 * mm, 2), round(PAGE_W - MR, 2), round(70 * mm, 2))
# where a scanned stamp page is placed on its page
SCAN_RECT = (round(ML, 2), round(78 * mm, 2), round(PAGE_W - MR, 2), round(PAGE_H - 30 * mm, 2))

INK = colors.HexColor("#1F2933")
GREY = colors.HexColor("#616E7C")
LIGHT = colors.HexColor("#EEF2F7")
RULE = colors.HexColor("#9AA5B1")
ACCENT = colors.HexColor("#1D4E89")
RED = colors.HexColor("#B42318")

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff"}
MAX_THUMB_SOURCE = 50 << 20  # larger images are listed but not shown
MAX_SCAN_BYTES = 100 << 20


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
    read_blob: Callable[[int], Iterator[bytes]]
    sealer: SealerInfo | None = None
    lang: str = "zh"
    # data other capabilities add to the document (desktop.export.extras), e.g. "review_response",
    # "previous_period"; each is also a file in the package, so verify can re-render from it
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class PdfResult:
    data: bytes
    pages: int
    stamp_page_index: int
    seal_box: tuple[float, float, float, float]
    warnings: list[tuple[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------- styles


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=CJK_FONT, fontSize=10, leading=15, textColor=INK, wordWrap="CJK",
                          bulletFontName=CJK_FONT)
    s = {"base": base}

    def add(name, **kw):
        s[name] = ParagraphStyle(name, parent=base, **kw)

    add("small", fontSize=8, leading=11.5, textColor=GREY)
    add("tiny", fontSize=7, leading=9.5, textColor=GREY)
    add("cell", fontSize=8.5, leading=12)
    add("cellhead", fontSize=8, leading=11, textColor=INK)
    add("hex", fontName=LATIN_FONT, fontSize=6.6, leading=8.6, textColor=INK)
    add("label", fontSize=9, leading=13, textColor=GREY)
    add("h1", fontSize=17, leading=24, textColor=ACCENT, spaceBefore=2, spaceAfter=6)
    add("h2", fontSize=13, leading=19, textColor=INK, spaceBefore=10, spaceAfter=3)
    add("en", fontSize=9, leading=13, textColor=GREY)
    add("official", fontSize=9.5, leading=15, textColor=INK)
    add("title", fontSize=22, leading=31, alignment=TA_CENTER, textColor=ACCENT)
    add("subtitle", fontSize=11.5, leading=16, alignment=TA_CENTER, textColor=GREY)
    add("center", alignment=TA_CENTER)
    add("right", alignment=TA_RIGHT)
    add("long", fontSize=9.5, leading=15, leftIndent=8)
    add("problem", fontSize=8.5, leading=12, textColor=RED)
    add("empty", fontSize=9, leading=13, textColor=GREY)
    return s


# ---------------------------------------------------------------------------- small flowables


class _Table(Table):
    """A Table whose cell font is ours: ReportLab's default cell font is Helvetica, which would
    end up (unused but named, not embedded) in every page's resources."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), CJK_FONT)]))



class CheckBox(Flowable):
    """☑ / ☐ drawn as vector boxes (the fonts have no ballot-box glyphs); a checked box carries a
    real ✓ character so the state is also in the text layer."""

    def __init__(self, checked: bool, size: float = 8.0):
        super().__init__()
        self.checked = checked
        self.width = self.height = size

    def draw(self):
        c = self.canv
        s = self.width
        c.setLineWidth(0.7)
        c.setStrokeColor(INK)
        c.rect(0, 0, s, s, stroke=1, fill=0)
        if self.checked:
            c.setFillColor(INK)
            c.setFont(CJK_FONT, s * 1.1)
            c.drawCentredString(s / 2, s * 0.1, "✓")


class Anchor(Flowable):
    """A zero-size flowable that adds a TOC entry / outline bookmark where it lands."""

    def __init__(self, level: int, text: str, key: str, plain: str):
        super().__init__()
        self._toc = (level, text, key, plain)
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class PageMarker(Flowable):
    """Records on which page it was drawn (stamp page, scan pages)."""

    def __init__(self, kind: str, index: int = 0):
        super().__init__()
        self.kind, self.index = kind, index
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class QrCode(Flowable):
    """A QR code drawn as vector squares (ReportLab's Drawing renderer would name Helvetica)."""

    def __init__(self, data: str, size: float):
        super().__init__()
        import qrcode

        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        qr.add_data(data)
        qr.make(fit=True)
        self.matrix = qr.get_matrix()
        self.width = self.height = size

    def draw(self):
        c = self.canv
        n = len(self.matrix)
        cell = self.width / n
        c.setFillColor(colors.black)
        p = c.beginPath()
        for r, row in enumerate(self.matrix):
            y = self.height - (r + 1) * cell
            x = 0
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    p.rect(start * cell, y, (x - start) * cell, cell)
                else:
                    x += 1
        c.drawPath(p, stroke=0, fill=1)


def _human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    for unit in ("KB", "MB", "GB", "TB"):
        n /= 1024
        if n < 1024 or unit == "TB":
            return f"{n:.1f} {unit}"
    return str(n)


def _when(t: _dt.datetime) -> str:
    off = t.strftime("%z")
    off = f"UTC{off[:3]}:{off[3:]}" if off else "UTC"
    return f"{t.strftime('%Y-%m-%d %H:%M:%S')} ({off})"


def _hex_lines(h: str, group: int = 16) -> str:
    return "\n".join(" ".join(h[i:i + 4] for i in range(j, min(j + group, len(h)), 4)) for j in range(0, len(h), group))


# ---------------------------------------------------------------------------- canvas & template


def _canvas_class(ctx: "_Ctx"):
    class NumberedCanvas(Canvas):
        """Defers each page's footer (and watermark) until the page count is known."""

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            n = self._pageNumber
            if ctx.draft:
                self.saveState()
                self.setFillColor(RED)
                self.setFillAlpha(0.13)
                self.translate(PAGE_W / 2, PAGE_H / 2)
                self.rotate(38)
                self.setFont(CJK_FONT, 88)
                self.drawCentredString(0, 10, "草稿 DRAFT")
                self.setFont(CJK_FONT, 20)
                self.drawCentredString(0, -34, "不可作为正式申报材料 · not a valid submission")
                self.restoreState()
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(ML, FOOTER_Y + 9, PAGE_W - MR, FOOTER_Y + 9)
            self.setFillColor(GREY)
            self.setFont(LATIN_FONT, 7.5)
            self.drawString(ML, FOOTER_Y, ctx.program.id)
            self.drawCentredString(PAGE_W / 2, FOOTER_Y, f"{n} / {total}")
            self.drawRightString(PAGE_W - MR, FOOTER_Y, f"SHA-256 {ctx.digest[:16]}")
            self.restoreState()

    return NumberedCanvas


class _Doc(BaseDocTemplate):
    def __init__(self, buf, ctx: "_Ctx", **kw):
        super().__init__(buf, pagesize=A4, leftMargin=ML, rightMargin=MR, topMargin=MT, bottomMargin=MB,
                         invariant=1, initialFontName=CJK_FONT, initialFontSize=10, lang="zh-CN" if ctx.lang == "zh" else "en",
                         title=ctx.title, author=ctx.applicant, subject=ctx.subject, creator=f"Dossier {__version__}",
                         producer=f"Dossier {__version__}", keywords=ctx.keywords, **kw)
        self.ctx = ctx
        frame = Frame(ML, MB, BODY_W, PAGE_H - MT - MB, id="body", leftPadding=0, rightPadding=0, topPadding=0,
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
            self.notify("TOCEntry", (level, text, self.page, key))
        if isinstance(flowable, PageMarker):
            self.ctx.markers[(flowable.kind, flowable.index)] = self.page
            self.ctx.current_marker = (flowable.kind, flowable.index)
        if self.ctx.task is not None:
            self.ctx.task.check()


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
        self.st = _styles()
        self.scans: list[dict] = []  # per scan page: {"kind": "image"|"pdf", "entry", "data", "page"}
        self.warnings: list[tuple[str, str]] = []

    # -- labels

    def L(self, label: Label | None) -> tuple[str, str]:  # noqa: N802
        if label is None:
            return "", ""
        if self.lang == "en":
            return label.en or label.zh, label.zh
        return label.zh, label.en

    def bi(self, label: Label | None, style: str = "base", second: str = "en", width: float = BODY_W) -> list[Flowable]:
        a, b = self.L(label)
        out = [para(a, self.st[style], width)]
        if b and b != a:
            out.append(para(b, self.st[second], width))
        return out

    # -- page decorations

    def draw_header(self, canv: Canvas, doc) -> None:
        canv.saveState()
        y = PAGE_H - MT + 8 * mm
        canv.setFillColor(GREY)
        left = self.L(self.program.title)[0]
        f, sh = font_for(left)
        canv.setFont(f, 8)
        canv.drawString(ML, y, fit_text(left, f, 8, BODY_W * 0.62), shaping=sh)
        who = self.applicant or ""
        f, sh = font_for(who)
        canv.setFont(f, 8)
        canv.drawRightString(PAGE_W - MR, y, fit_text(who, f, 8, BODY_W * 0.36), shaping=sh)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(ML, y - 3.5, PAGE_W - MR, y - 3.5)
        canv.restoreState()

    def _seal_box(self, canv: Canvas) -> None:
        x0, y0, x1, y1 = SEAL_BOX
        canv.setStrokeColor(ACCENT)
        canv.setDash(3, 2)
        canv.setLineWidth(0.8)
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        canv.setDash()
        canv.setFillColor(ACCENT)
        canv.setFont(CJK_FONT, 8.5)
        canv.drawString(x0 + 4, y1 - 11, "电子签章 Digital seal")
        s = self.inp.sealer
        canv.setFillColor(GREY)
        if s is not None:
            f, sh = font_for(s.name)
            canv.setFont(f, 7.5)
            canv.drawString(x0, y0 - 10, fit_text(f"签章人 Signer: {s.name}", f, 7.5, x1 - x0), shaping=sh)
            groups = s.display_fingerprint.split()
            half = (len(groups) + 1) // 2
            lead = "Fingerprint: "
            indent = canv.stringWidth(lead, LATIN_FONT, 6.5)
            canv.setFont(LATIN_FONT, 6.5)
            canv.drawString(x0, y0 - 18, fit_text(lead + " ".join(groups[:half]), LATIN_FONT, 6.5, x1 - x0))
            canv.drawString(x0 + indent, y0 - 26, fit_text(" ".join(groups[half:]), LATIN_FONT, 6.5, x1 - x0 - indent))
        else:
            canv.setFont(CJK_FONT, 7)
            canv.drawString(x0 + 4, y0 + 4, "未使用数字签章 · not digitally sealed")

    def _draw_paras(self, canv: Canvas, items: list[Flowable], x: float, top: float, width: float) -> float:
        y = top
        for p in items:
            _w, h = p.wrapOn(canv, width, PAGE_H)
            y -= h
            p.drawOn(canv, x, y)
            y -= 2
        return y

    def draw_stamp_page(self, canv: Canvas, doc) -> None:
        st = self.st
        p = self.program
        canv.saveState()
        top = PAGE_H - MT
        y = self._draw_paras(canv, [
            Paragraph("盖章页", ParagraphStyle("sp", parent=st["title"], fontSize=24, leading=32)),
            Paragraph("Seal and signature page", st["subtitle"]),
        ], ML, top, BODY_W)
        y -= 6 * mm
        info = [
            para(f"项目 Program：{p.title.zh}", st["base"], BODY_W),
            para(p.title.en, st["en"], BODY_W),
            para(f"申报单位 Applicant：{self.applicant}" + (f" / {self.inp.applicant_en}" if self.inp.applicant_en else ""),
                 st["base"], BODY_W),
            para(f"封装时间 Sealed at：{_when(self.inp.sealed_at)}", st["base"], BODY_W),
        ]
        y = self._draw_paras(canv, info, ML, y, BODY_W)
        y -= 5 * mm
        decl = [
            Paragraph("本单位郑重承诺：本申报书所填报的内容及所附证明材料真实、准确、完整，如有不实，本单位愿承担相应责任。", st["base"]),
            Paragraph("We solemnly declare that the information in this application and the attached evidence is true, "
                      "accurate and complete, and we accept responsibility for any misstatement.",
                      ParagraphStyle("de", parent=st["en"], fontName=LATIN_FONT)),
        ]
        y = self._draw_paras(canv, decl, ML, y, BODY_W)
        y -= 8 * mm
        box_h = 62 * mm
        box_w = (BODY_W - 10 * mm) / 2
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.8)
        for i, (zh, en) in enumerate((("申报单位（盖章）", "Official seal of the applicant"),
                                      ("法定代表人或授权代表（签字）", "Legal representative or authorised signatory"))):
            x = ML + i * (box_w + 10 * mm)
            canv.rect(x, y - box_h, box_w, box_h, stroke=1, fill=0)
            canv.setFillColor(INK)
            canv.setFont(CJK_FONT, 10)
            canv.drawString(x + 5, y - 14, zh)
            canv.setFillColor(GREY)
            canv.setFont(LATIN_FONT, 7.5)
            canv.drawString(x + 5, y - 25, en)
        y -= box_h + 10 * mm
        canv.setFillColor(INK)
        canv.setFont(CJK_FONT, 10)
        canv.drawString(ML, y, "日期 Date：________ 年 ____ 月 ____ 日")
        self._seal_box(canv)
        note = Paragraph(
            "打印本页，加盖公章并签字后扫描，将扫描件添加到项目的“盖章页”栏目；再次导出时，扫描件将替换本页。"
            "<br/>Print this page, stamp and sign it, scan it and attach the scan to the project's stamp-page slot: "
            "the next export puts the scan in place of this page.", st["tiny"])
        self._draw_paras(canv, [note], ML, SEAL_BOX[3], SEAL_BOX[0] - ML - 8 * mm)
        canv.restoreState()

    def draw_scan_page(self, canv: Canvas, doc) -> None:
        marker = self.current_marker
        idx = marker[1] if marker and marker[0] == "scan" else 0
        scan = self.scans[idx]
        e: EvidenceEntry = scan["entry"]
        canv.saveState()
        st = self.st
        top = PAGE_H - MT + 2 * mm
        caption = [
            Paragraph("盖章页（扫描件） Stamp page (scan)" + (f" — {scan['page'] + 1}/{scan['count']}" if scan["count"] > 1 else ""),
                      ParagraphStyle("sc", parent=st["h2"], spaceBefore=0)),
            para(f"{e.name}  ·  {_human_size(e.size)}  ·  SHA-256 {e.sha256}", st["tiny"], BODY_W),
        ]
        self._draw_paras(canv, caption, ML, top, BODY_W)
        x0, y0, x1, y1 = SCAN_RECT
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        if scan["kind"] == "image":
            canv.drawImage(scan["reader"], x0 + 2, y0 + 2, x1 - x0 - 4, y1 - y0 - 4, preserveAspectRatio=True,
                           anchor="c")
        if idx == 0:
            self._seal_box(canv)
        canv.restoreState()


# ---------------------------------------------------------------------------- story


def _kv_table(rows: list[list[Any]], widths: tuple[float, float], shade: bool = True) -> Table:
    t = _Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if shade:
        style.append(("BACKGROUND", (0, 0), (0, -1), LIGHT))
    t.setStyle(TableStyle(style))
    return t


def _label_cell(ctx: _Ctx, label: Label, width: float, extra: str = "") -> list[Flowable]:
    a, b = ctx.L(label)
    out = [para(a + extra, ctx.st["cell"], width)]
    if b and b != a:
        out.append(para(b, ctx.st["tiny"], width))
    return out


def _empty(ctx: _Ctx) -> Paragraph:
    return Paragraph("（未填写） (not answered)", ctx.st["empty"])


def _is_short(f: Field, v: Any) -> bool:
    if f.type in ("integer", "number", "percent", "date", "choice", "boolean"):
        return True
    if f.type == "text":
        return v is None or len(str(v)) <= 160
    return False


def _choice_markup(ctx: _Ctx, label: Label) -> str:
    a, b = ctx.L(label)
    text = markup(a)
    if b and b != a:
        text += f' <font size="7" color="#616E7C">{markup(b)}</font>'
    return text


def _checklist(ctx: _Ctx, f: Field, v: Any, width: float) -> Table:
    """Every choice with ☑ / ☐ — in two columns when there are more than four."""
    chosen = set(v or [])
    ncol = 2 if len(f.choices) > 4 else 1
    cw = width / ncol
    cells = [[CheckBox(ch.value in chosen), Paragraph(_choice_markup(ctx, ch.label), ctx.st["cell"])] for ch in f.choices]
    per = -(-len(cells) // ncol)  # column-major: read down, then across
    rows = []
    for r in range(per):
        row: list[Any] = []
        for c in range(ncol):
            i = c * per + r
            row += cells[i] if i < len(cells) else ["", ""]
        rows.append(row)
    t = _Table(rows, colWidths=[14, cw - 14] * ncol, hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                           ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return t


def _yes_no(ctx: _Ctx, v: Any) -> Table:
    t = _Table([[CheckBox(v is True), Paragraph("是 Yes", ctx.st["cell"]), CheckBox(v is False),
                Paragraph("否 No", ctx.st["cell"])]], colWidths=(14, 46, 14, 46), hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _scalar_text(ctx: _Ctx, f, v: Any) -> str:
    return display(f, v, ctx.lang)


def _data_table(ctx: _Ctx, f: Field, rows: list[dict], width: float) -> Table:
    weights = []
    for c in f.columns:
        weights.append({"longtext": 3.2, "text": 2.0, "choice": 1.6, "date": 1.45, "boolean": 0.9}.get(c.type, 1.15))
    idx_w = 18
    total = sum(weights)
    widths = [idx_w] + [(width - idx_w) * w / total for w in weights]
    head = [Paragraph("#", ctx.st["cellhead"])]
    for c, w in zip(f.columns, widths[1:]):
        a, b = ctx.L(c.label)
        cell = [para(a, ctx.st["cellhead"], w - 6)]
        if b and b != a:
            cell.append(para(b, ctx.st["tiny"], w - 6))
        head.append(cell)
    data = [head]
    for n, row in enumerate(rows, 1):
        line = [Paragraph(str(n), ctx.st["cell"])]
        for c, w in zip(f.columns, widths[1:]):
            v = row.get(c.id)
            line.append(para(_scalar_text(ctx, c, v), ctx.st["cell"], w - 6) if v is not None else "")
        data.append(line)
    t = _Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def _fields(ctx: _Ctx, ind: Indicator) -> list[Flowable]:
    out: list[Flowable] = []
    label_w = BODY_W * 0.34
    value_w = BODY_W - label_w
    pending: list[list[Any]] = []

    def flush():
        if pending:
            out.append(_kv_table(list(pending), (label_w, value_w)))
            out.append(Spacer(1, 4))
            pending.clear()

    for f in ind.fields:
        if f.path not in ctx.inp.report.visible_fields:
            continue
        v = ctx.inp.answers.get(f.path)
        unit = ""
        if _is_short(f, v):
            if v is None:
                val: Any = _empty(ctx)
            elif f.type == "boolean":
                val = _yes_no(ctx, v)
            else:
                val = para(_scalar_text(ctx, f, v), ctx.st["cell"], value_w - 8)
            pending.append([_label_cell(ctx, f.label, label_w - 8, unit), val])
            continue
        flush()
        head = _label_cell(ctx, f.label, BODY_W)
        if f.type == "multichoice":
            out.append(KeepTogether(head + [Spacer(1, 2), _checklist(ctx, f, v, BODY_W - 10)]))
        elif f.type == "table":
            out.extend(head)
            out.append(Spacer(1, 2))
            out.append(_data_table(ctx, f, v, BODY_W) if v else _empty(ctx))
        else:  # longtext, long text
            out.extend(head)
            if v is None:
                out.append(_empty(ctx))
            else:
                out.append(para(str(v), ctx.st["long"], BODY_W))
        out.append(Spacer(1, 6))
    flush()
    return out


def _thumbnail(ctx: _Ctx, e: EvidenceEntry) -> bytes | None:
    if e.mime not in IMAGE_TYPES or e.size > MAX_THUMB_SOURCE or e.size == 0:
        return None
    from PIL import Image as PILImage, ImageOps

    try:
        data = b"".join(ctx.inp.read_blob(e.blob_id))
        with PILImage.open(io.BytesIO(data)) as im:
            if im.format == "JPEG":
                im.draft("RGB", (600, 600))
            im.seek(0)
            im = ImageOps.exif_transpose(im)
            im.thumbnail((480, 480))
            if im.mode in ("RGBA", "LA", "P"):
                im = im.convert("RGBA")
                bg = PILImage.new("RGB", im.size, (255, 255, 255))
                bg.paste(im, mask=im.split()[-1])
                im = bg
            elif im.mode != "RGB":
                im = im.convert("RGB")
            buf = io.BytesIO()
            im.save(buf, format="JPEG", quality=82)
            return buf.getvalue()
    except Exception:  # noqa: BLE001 - a picture that cannot be decoded is listed, not shown
        ctx.warnings.append((f"{e.name}: the picture could not be read; it is listed without a thumbnail",
                             f"{e.name}：无法读取该图片，清单中不显示缩略图"))
        return None


def _evidence(ctx: _Ctx, ind: Indicator) -> list[Flowable]:
    items = [e for e in ctx.inp.evidence if e.indicator_id == ind.id]
    st = ctx.st
    out: list[Flowable] = [Paragraph("证明材料 <font face=\"NotoSans\" color=\"#616E7C\" size=\"8\">Evidence</font>", st["label"])]
    if not items:
        out.append(Paragraph("（无） (none)", st["empty"]))
        return out
    widths = (16, 66 * mm, 30 * mm, 17 * mm)
    widths = widths + (BODY_W - sum(widths),)
    head = [Paragraph(t, st["cellhead"]) for t in ("#", "文件 File", "类型 Type", "大小 Size", "SHA-256")]
    rows = [head]
    thumbs = []
    for n, e in enumerate(items, 1):
        slot = ctx.program.slot(ind.id, e.slot_id) if e.slot_id else None
        cell = [para(e.name, st["cell"], widths[1] - 6)]
        if slot is not None:
            cell.append(para(f"栏目 Slot：{ctx.L(slot.label)[0]}", st["tiny"], widths[1] - 6))
        if e.note:
            cell.append(para(e.note, st["tiny"], widths[1] - 6))
        cell.append(para(e.path, st["tiny"], widths[1] - 6))
        rows.append([Paragraph(str(n), st["cell"]), cell, para(e.mime, st["tiny"], widths[2] - 6),
                     Paragraph(_human_size(e.size), st["cell"]), Paragraph(_hex_lines(e.sha256, 32).replace("\n", "<br/>"), st["hex"])])
        if ctx.task is not None:
            ctx.task.check()
        jpg = _thumbnail(ctx, e)
        if jpg:
            thumbs.append((n, e, jpg))
    t = _Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT), ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    out.append(t)
    if thumbs:
        out.append(Spacer(1, 4))
        cw = BODY_W / 3
        cells = []
        for n, e, jpg in thumbs:
            img = Image(io.BytesIO(jpg))
            iw, ih = img.imageWidth, img.imageHeight
            scale = min((cw - 10) / iw, 42 * mm / ih, 1.0 * 72 / 72 * 3)
            img.drawWidth, img.drawHeight = iw * scale, ih * scale
            cells.append([img, para(f"{n}. {e.name}", st["tiny"], cw - 8)])
        grid = [cells[i:i + 3] for i in range(0, len(cells), 3)]
        grid[-1] += [""] * (3 - len(grid[-1]))
        tt = _Table(grid, colWidths=(cw, cw, cw), hAlign="LEFT")
        tt.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                ("TOPPADDING", (0, 0), (-1, -1), 3)]))
        out.append(tt)
    return out


def _problems(ctx: _Ctx, ind_id: str) -> list[Flowable]:
    probs = [p for p in ctx.inp.report.problems if p.indicator_id == ind_id]
    if not probs or not ctx.draft:
        return []
    rows = [[para(("阻止提交 " if p.blocking else "警告 ") + p.message.zh + " / " + p.message.en, ctx.st["problem"], BODY_W - 10)]
            for p in probs]
    t = _Table(rows, colWidths=(BODY_W,), hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RED), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                           ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [t, Spacer(1, 4)]


def _cover(ctx: _Ctx) -> list[Flowable]:
    inp = ctx.inp
    p = inp.program
    st = ctx.st
    rep = inp.report
    out: list[Flowable] = [Spacer(1, 14 * mm)]
    out.append(para(p.issuer.zh, ParagraphStyle("iss", parent=st["center"], textColor=GREY), BODY_W))
    out.append(Spacer(1, 8 * mm))
    out.append(para(p.title.zh, st["title"], BODY_W))
    out.append(Spacer(1, 2 * mm))
    out.append(para(p.title.en, st["subtitle"], BODY_W))
    out.append(Spacer(1, 6 * mm))
    out.append(Paragraph("申 报 书", ParagraphStyle("ap", parent=st["center"], fontSize=16, leading=22)))
    out.append(Paragraph('<font face="NotoSans">Application</font>', ParagraphStyle("ap2", parent=st["subtitle"])))
    out.append(Spacer(1, 8 * mm))
    if ctx.draft:
        n = len(rep.blocking)
        box = _Table([[Paragraph(f"草稿：仍有 {n} 项阻止提交的问题，本文件不可作为正式申报材料。<br/>"
                                f'<font face="NotoSans">DRAFT: {n} blocking problem(s) remain; this is not a valid submission.</font>',
                                ParagraphStyle("dr", parent=st["base"], textColor=RED, alignment=TA_CENTER))]],
                    colWidths=(BODY_W,))
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, RED), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        out += [box, Spacer(1, 6 * mm)]
    lw = 42 * mm
    vw = BODY_W - lw

    def row(zh: str, en: str, value: list[Flowable] | Flowable):
        return [[Paragraph(zh, st["cell"]), Paragraph(f'<font face="NotoSans">{en}</font>', st["tiny"])], value]

    n_ev = len(inp.evidence) + len(inp.stamp)
    total = sum(e.size for e in inp.evidence) + sum(e.size for e in inp.stamp)
    src = p.source
    rows = [
        row("申报单位", "Applicant", [para(inp.applicant or "（未填写）", st["cell"], vw - 8)]
            + ([para(inp.applicant_en, st["tiny"], vw - 8)] if inp.applicant_en else [])),
        row("发布单位", "Issuer", [para(p.issuer.zh, st["cell"], vw - 8), para(p.issuer.en, st["tiny"], vw - 8)]),
        row("依据文件", "Source document", [para(f"{src.number}　{src.date}".strip(), st["cell"], vw - 8),
                                            para(src.title.zh, st["cell"], vw - 8), para(src.title.en, st["tiny"], vw - 8)]),
        row("项目编号", "Program", Paragraph(f'<font face="NotoSans">{p.id} · {p.version}</font>', st["cell"])),
        row("封装时间", "Sealed at", Paragraph(_when(inp.sealed_at), st["cell"])),
        row("完整度", "Completeness", Paragraph(
            f"{rep.completeness * 100:.1f}%　阻止提交的问题 {len(rep.blocking)} 项 · 警告 {len(rep.warnings)} 项<br/>"
            f'<font face="NotoSans" size="7" color="#616E7C">{len(rep.blocking)} blocking problem(s), {len(rep.warnings)} warning(s)</font>',
            st["cell"])),
        row("证明材料", "Evidence", Paragraph(f"{n_ev} 个文件 files · {_human_size(total)}", st["cell"])),
    ]
    if inp.sealer is not None:
        rows.append(row("电子签章", "Digital seal", [para(inp.sealer.name, st["cell"], vw - 8),
                                                     Paragraph(f'<font face="NotoSans">{inp.sealer.display_fingerprint}</font>', st["tiny"])]))
    out.append(_kv_table(rows, (lw, vw)))
    out.append(Spacer(1, 8 * mm))
    qr = QrCode(inp.digest, 34 * mm)
    digest_cell = [
        Paragraph("内容摘要 <font face=\"NotoSans\">Content digest (SHA-256)</font>", st["label"]),
        Spacer(1, 2),
        Paragraph(_hex_lines(inp.digest).replace("\n", "<br/>"),
                  ParagraphStyle("dg", parent=st["base"], fontName=LATIN_FONT, fontSize=11, leading=15)),
        Spacer(1, 3),
        Paragraph("摘要覆盖数据包中除本 PDF 外的全部文件（答案、表格、项目定义与证明材料），其清单作为附件嵌入本 PDF。"
                  "核验：dossier verify 数据包.zip；或在解压后的数据包目录中执行 "
                  "<font face=\"NotoSans\">sha256sum -c manifest-sha256.txt</font>。<br/>"
                  "<font face=\"NotoSans\">The digest covers every file of the data package except this PDF (answers, "
                  "workbook, program definition, evidence); its listing is attached to this PDF. Check with "
                  "“dossier verify package.zip”, or run “sha256sum -c manifest-sha256.txt” in the unpacked package.</font>",
                  st["tiny"]),
    ]
    t = _Table([[qr, digest_cell]], colWidths=(40 * mm, BODY_W - 40 * mm), hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("BOX", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 6),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    out.append(t)
    return out


def _toc(ctx: _Ctx) -> list[Flowable]:
    st = ctx.st
    toc = TableOfContents(dotsMinLevel=0)
    toc.tableStyle = TableStyle([("FONTNAME", (0, 0), (-1, -1), CJK_FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    toc.levelStyles = [
        ParagraphStyle("toc0", parent=st["base"], fontSize=11, leading=17, leftIndent=16, firstLineIndent=-16,
                       spaceBefore=4),
        ParagraphStyle("toc1", parent=st["base"], fontSize=9.5, leading=14, leftIndent=36, firstLineIndent=-18),
    ]
    return [Paragraph("目录 <font face=\"NotoSans\" size=\"12\" color=\"#616E7C\">Contents</font>", st["h1"]),
            Spacer(1, 4 * mm), toc]


def _load_scans(ctx: _Ctx) -> None:
    """Prepare the stamp-page scan(s): images are drawn by ReportLab, PDF pages overlaid later."""
    from reportlab.lib.utils import ImageReader

    for e in ctx.inp.stamp:
        if e.size > MAX_SCAN_BYTES:
            ctx.warnings.append((f"The stamp-page scan {e.name} is larger than 100 MB and was not placed in the PDF",
                                 f"盖章页扫描件 {e.name} 超过 100 MB，未放入 PDF"))
            continue
        data = b"".join(ctx.inp.read_blob(e.blob_id))
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
                if fmt not in ("JPEG", "PNG"):
                    im.seek(0)
                    buf = io.BytesIO()
                    im.convert("RGB").save(buf, format="PNG")
                    data = buf.getvalue()
            reader = ImageReader(io.BytesIO(data))
        except Exception:  # noqa: BLE001
            ctx.warnings.append((f"The stamp-page scan {e.name} is neither a PDF nor a picture; the blank stamp page is used",
                                 f"盖章页扫描件 {e.name} 既不是 PDF 也不是图片，使用空白盖章页"))
            continue
        ctx.scans.append({"kind": "image", "entry": e, "reader": reader, "page": 0, "count": 1})


def _story(ctx: _Ctx) -> list[Flowable]:
    st = ctx.st
    p = ctx.program
    story: list[Flowable] = []
    story += _cover(ctx)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _toc(ctx)
    for s_i, sec in enumerate(p.sections):
        story.append(PageBreak())
        key = f"sec-{s_i}"
        a, b = ctx.L(sec.title)
        title = f"{sec.id}　{a}"
        story.append(Anchor(0, markup(title), key, title))
        story.append(para(title, st["h1"], BODY_W))
        if b and b != a:
            story.append(para(b, ParagraphStyle("h1en", parent=st["en"], spaceAfter=4), BODY_W))
        if sec.official is not None:
            story += ctx.bi(sec.official, "official", "en")
            story.append(Spacer(1, 4))
        for i_i, ind in enumerate(sec.indicators):
            ikey = f"ind-{s_i}-{i_i}"
            a, b = ctx.L(ind.title)
            title = f"{ind.id}　{a}"
            state = ctx.inp.report.indicators.get(ind.id)
            visible = state is None or state.visible
            head: list[Flowable] = [CondPageBreak(60 * mm), Anchor(1, markup(title), ikey, title),
                                    para(title, st["h2"], BODY_W)]
            if b and b != a:
                head.append(para(b, st["en"], BODY_W))
            head.append(Spacer(1, 3))
            obox = [Paragraph("观测点 <font face=\"NotoSans\" size=\"7.5\">Observation point</font>", st["label"])]
            obox += ctx.bi(ind.official, "official", "en", BODY_W - 12)
            t = _Table([[obox]], colWidths=(BODY_W,), hAlign="LEFT", splitInRow=1)
            t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), LIGHT), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT)]))
            story += head
            story.append(t)
            story.append(Spacer(1, 6))
            if not visible:
                story.append(Paragraph("本项不适用（按已填写的内容）。 <font face=\"NotoSans\">Not applicable (given the answers).</font>",
                                       st["empty"]))
                story.append(Spacer(1, 8))
                continue
            story += _problems(ctx, ind.id)
            story += _fields(ctx, ind)
            story += _evidence(ctx, ind)
            story.append(Spacer(1, 10))
    # the stamp page, or the scan that replaces it
    _load_scans(ctx)
    title = "盖章页 Seal and signature page"
    if ctx.scans:
        for i in range(len(ctx.scans)):
            story += [NextPageTemplate("scan"), PageBreak()]
            if i == 0:
                story.append(Anchor(0, markup(title), "stamp", title))
            story.append(PageMarker("scan", i))
    else:
        story += [NextPageTemplate("stamp"), PageBreak(), Anchor(0, markup(title), "stamp", title), PageMarker("stamp", 0)]
    return story


# ---------------------------------------------------------------------------- build


def render(inp: PdfInput, task: TaskState | None = None) -> PdfResult:
    """ReportLab pass (two passes for the table of contents), then pikepdf finishing."""
    ctx = _Ctx(inp, task)
    buf = io.BytesIO()
    doc = _Doc(buf, ctx)
    story = _story(ctx)
    # Seed the table of contents with every entry (page numbers unknown yet): its length is then
    # right from the first pass, the pagination does not move, and two passes suffice, not three.
    anchors = [f._toc for f in story if isinstance(f, Anchor)]
    for f in story:
        if isinstance(f, TableOfContents):
            f._entries = [(level, text, 0, key) for level, text, key, _plain in anchors]
    doc.multiBuild(story, canvasmaker=_canvas_class(ctx))
    first = ctx.markers.get(("scan", 0)) or ctx.markers.get(("stamp", 0))
    stamp_index = (first or doc.page) - 1
    data = _finish(buf.getvalue(), ctx)
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    return PdfResult(data, pages, stamp_index, SEAL_BOX, ctx.warnings)


def pdf_date(t: _dt.datetime) -> str:
    off = t.strftime("%z")
    tz = f"{off[0]}{off[1:3]}'{off[3:5]}'" if off else "Z"
    return "D:" + t.strftime("%Y%m%d%H%M%S") + tz


def _finish(rl_pdf: bytes, ctx: _Ctx) -> bytes:
    import pikepdf
    from pikepdf import Name

    inp = ctx.inp
    pdf = pikepdf.open(io.BytesIO(rl_pdf))
    # a scanned stamp page (PDF) goes onto its reserved page
    sources: dict[int, Any] = {}
    for i, scan in enumerate(ctx.scans):
        if scan["kind"] != "pdf":
            continue
        page_no = ctx.markers.get(("scan", i))
        if not page_no:
            continue
        key = id(scan["data"])
        if key not in sources:
            sources[key] = pikepdf.open(io.BytesIO(scan["data"]))
        src = sources[key]
        x0, y0, x1, y1 = SCAN_RECT
        pdf.pages[page_no - 1].add_overlay(src.pages[scan["page"]], pikepdf.Rectangle(x0 + 2, y0 + 2, x1 - 2, y1 - 2))
    when = pdf_date(inp.sealed_at)
    p = inp.program
    pdf.docinfo[Name.Title] = ctx.title
    pdf.docinfo[Name.Author] = inp.applicant or "Dossier"
    pdf.docinfo[Name.Subject] = ctx.subject
    pdf.docinfo[Name.Keywords] = ctx.keywords
    pdf.docinfo[Name.Creator] = f"Dossier {__version__}"
    pdf.docinfo[Name.Producer] = f"Dossier {__version__} (ReportLab, pikepdf)"
    pdf.docinfo[Name.CreationDate] = when
    pdf.docinfo[Name.ModDate] = when
    pdf.docinfo[Name("/DossierContentDigest")] = inp.digest
    pdf.docinfo[Name("/DossierProgram")] = f"{p.id}@{p.version}"
    pdf.docinfo[Name("/DossierStatus")] = "draft" if inp.draft else "final"
    pdf.Root.Lang = "zh-CN" if ctx.lang == "zh" else "en"
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
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
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # our own docinfo keys have no XMP equivalent: expected
        meta.load_from_docinfo(pdf.docinfo)
        meta["dc:language"] = ["zh-CN" if ctx.lang == "zh" else "en"]
        meta["xmp:CreatorTool"] = f"Dossier {__version__}"
        meta["dc:identifier"] = f"sha256:{inp.digest}"
        meta["dc:description"] = ctx.subject
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             compress_streams=True, fix_metadata_version=False)
    pdf.close()
    for s in sources.values():
        s.close()
    return out.getvalue()
