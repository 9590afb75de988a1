"""What the submission PDF says, page by page (the story of flowables; desktop/export/pdf.py builds it).

Cover (申报书封面: title, 申报书, 申报单位（盖章）, 推荐单位 where the program has one, 联系人,
联系电话, 填报日期, the period, the issuer and source document) → 封装与核验 (seal time,
completeness, evidence, the content digest with its QR code, how to verify) → table of contents →
every section and indicator (official numbering, the 观测点 text, answers, the evidence list
with thumbnails in their rows) → 对评审意见的答复 when the package answers a review → the stamp
page (盖章页) or its scan.

Layout rules: headings stay with what follows (keepWithNext), an evidence row never splits across
pages (its header is repeated only at a page top), thumbnails sit in their row, an indicator
without evidence says so on one line, and no page holds only "（无）".
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, NextPageTemplate, PageBreak, Spacer, TableStyle

from ..fonts import HEAD_FONT
from ..models.program import Field, Indicator, Label
from ..values import display
from .collect import EvidenceEntry
from .contents import ContentsEntry
from .pdf_style import (BODY_W, GREY, INK, LIGHT, RED, RULE, Anchor, CheckBox, PageMarker, QrCode, Rule,
                        auto_widths, grid_style, hex_lines, human_size, when, zh_date)
from .grid import Grid
from .text import markup, para

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff"}
MAX_THUMB_SOURCE = 50 << 20  # larger images are listed but not shown
MAX_SCAN_BYTES = 100 << 20
THUMB_W = 26 * mm
THUMB_H = 22 * mm


def heading_text(number: str, title: str) -> str:
    return f"{number}　{title}" if number else title


# ---------------------------------------------------------------------------- cover


def cover(ctx) -> list[Flowable]:
    inp = ctx.inp
    p = inp.program
    st = ctx.st
    out: list[Flowable] = [Spacer(1, 26 * mm)]
    out.append(para(p.title.zh, st["title"]))
    out.append(Spacer(1, 10 * mm))
    out.append(para("申 报 书", st["apply"]))
    out.append(Spacer(1, 4 * mm))
    out.append(para(p.title.en, st["subtitle"]))
    out.append(para("Application", st["subtitle"]))
    out.append(Spacer(1, 12 * mm))
    if inp.draft:
        n = len(inp.report.blocking)
        box = Grid([[[para(f"草稿：仍有 {n} 项阻止提交的问题，本文件不可作为正式申报材料。", ctx.sty("dr", st["center"], textColor=RED)),
                         para(f"DRAFT: {n} blocking problem(s) remain; this is not a valid submission.",
                              ctx.sty("dr2", st["center"], textColor=RED, fontSize=9, leading=13))]]],
                     colWidths=(BODY_W,))
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, RED), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        out += [box, Spacer(1, 8 * mm)]
    cov = inp.cover
    rows: list[tuple[str, str, str, str]] = [("申报单位（盖章）", "Applicant (seal)", inp.applicant, inp.applicant_en)]
    if p.document.recommender is not None:
        rows.append((p.document.recommender.zh, p.document.recommender.en, cov.get("recommender", ""), ""))
    rows += [("联系人", "Contact person", cov.get("contact_name", ""), ""),
             ("联系电话", "Telephone", cov.get("contact_phone", ""), "")]
    rows.append(("填报日期", "Date", zh_date(cov.get("fill_date") or inp.sealed_at.date().isoformat()), ""))
    period = (inp.extras.get("previous_period") or {}).get("period") or cov.get("period")  # the form's period wins
    if period:
        rows.append(("申报周期", "Period", period, ""))
    lw, vw = 44 * mm, 100 * mm
    table = []
    for zh, en, value, value_en in rows:
        label = [para(zh, st["coverlabel"]), para(en, st["coveren"])]
        cell: list[Flowable] = [para(value or "（未填写）", st["covervalue"] if value else ctx.sty("cvmiss", st["covervalue"], textColor=GREY))]
        if value_en:
            cell.append(para(value_en, st["coveren"]))
        cell.append(Rule(vw - 4, 0.6))
        table.append([label, cell])
    t = Grid(table, colWidths=(lw, vw), hAlign="CENTER")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 7),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    out.append(t)
    out.append(Spacer(1, (40 if not inp.draft else 18) * mm))  # the issuer at the foot of the cover
    out.append(para(p.issuer.zh, st["coverfoot"]))
    src = p.source
    doc_line = f"依据：{src.title.zh}" + (f"（{src.number}）" if src.number else "")
    out.append(para(doc_line, ctx.sty("cf2", st["coverfoot"], fontSize=10, leading=16)))
    return out


# ---------------------------------------------------------------------------- seal and verification


def verification(ctx) -> list[Flowable]:
    """The inside page after the cover: what was sealed, when, and how a reviewer checks it."""
    inp = ctx.inp
    p = inp.program
    st = ctx.st
    rep = inp.report
    title = "封装与核验"
    out: list[Flowable] = [Anchor(0, markup(title), "seal", title), para(title, st["h1"]),
                           para("Seal and verification", st["h1en"])]
    n_ev = len(inp.evidence) + len(inp.stamp)
    total = sum(e.size for e in inp.evidence) + sum(e.size for e in inp.stamp)
    src = p.source
    rows = [
        ("项目", "Program", [p.title.zh, p.title.en]),
        ("发布单位", "Issuer", [p.issuer.zh, p.issuer.en]),
        ("依据文件", "Source document", [f"{src.title.zh}" + (f"（{src.number}）" if src.number else "")
                                         + (f"，{src.date}" if src.date else ""), src.title.en]),
        ("项目定义", "Program definition", [f"{p.id} {p.version}"]),
        ("申报单位", "Applicant", [inp.applicant or "（未填写）", inp.applicant_en]),
        ("封装时间", "Sealed at", [when(inp.sealed_at)]),
        ("完整度", "Completeness", [f"{rep.completeness * 100:.1f}%，阻止提交的问题 {len(rep.blocking)} 项，警告 {len(rep.warnings)} 项",
                                    f"{len(rep.blocking)} blocking problem(s), {len(rep.warnings)} warning(s)"]),
        ("证明材料", "Evidence", [f"{n_ev} 个文件，{human_size(total)}", f"{n_ev} file(s)"]),
    ]
    if inp.sealer is not None:
        rows.append(("电子签章", "Digital seal", [inp.sealer.name, inp.sealer.display_fingerprint]))
    lw = 34 * mm
    vw = BODY_W - lw
    table = []
    for zh, en, vals in rows:
        cell = []
        for i, v in enumerate(vals):
            if v:
                cell.append(para(v, st["cell"] if i == 0 else st["tiny"]))
        table.append([[para(zh, st["cellhead"]), para(en, st["tiny"])], cell])
    out.append(kv_table(table, (lw, vw)))
    out.append(Spacer(1, 7 * mm))
    qr = QrCode(inp.digest, 34 * mm)
    digest_cell = [
        para("内容摘要 Content digest (SHA-256)", st["label"]),
        Spacer(1, 2),
        para(hex_lines(inp.digest), st["digest"]),
        Spacer(1, 3),
        para("摘要覆盖数据包中除本 PDF 外的全部文件（答案、表格、项目定义与证明材料），其清单作为附件嵌入本 PDF。", st["small"]),
        para("The digest covers every file of the data package except this PDF (answers, workbook, program "
             "definition, evidence); its listing is attached to this PDF.", st["tiny"]),
    ]
    t = Grid([[qr, digest_cell]], colWidths=(40 * mm, BODY_W - 40 * mm), hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("BOX", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 6),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    out.append(t)
    out.append(Spacer(1, 6 * mm))
    out.append(para("如何核验", st["h3"]))
    out.append(para("How to check this submission", ctx.sty("h3en", st["en"], keepWithNext=1)))
    steps = [
        ("用 Dossier 核验数据包：dossier verify 数据包.zip（离线运行，逐一核对每个文件、本 PDF 与数字签章）。",
         "With Dossier: dossier verify package.zip (offline; checks every file, this PDF and the digital seal)."),
        ("不用 Dossier：解压数据包，在其目录中执行 sha256sum -c manifest-sha256.txt；"
         "再执行 grep -v '  data/submission.pdf$' manifest-sha256.txt | LC_ALL=C sort | sha256sum，结果应等于上方的内容摘要。",
         "Without Dossier: unpack the package and run sha256sum -c manifest-sha256.txt in its folder; then "
         "grep -v '  data/submission.pdf$' manifest-sha256.txt | LC_ALL=C sort | sha256sum must print the digest above."),
        ("每页页脚印有内容摘要的前 16 位，可与上方核对。",
         "Every page footer carries the first 16 hex digits of the digest."),
    ]
    for i, (zh, en) in enumerate(steps, 1):
        out.append(para(f"{i}. {zh}", st["base"]))
        out.append(para(en, st["en"]))
        out.append(Spacer(1, 2))
    return out


def toc(ctx, anchors: list[tuple[int, str, str, str]]) -> list[Flowable]:
    """目录: one entry per heading `anchors` (level, markup, key, plain text) names (contents.py)."""
    st = ctx.st
    levels = [
        ctx.sty("toc0", st["base"], fontName=HEAD_FONT, fontSize=11, leading=17, leftIndent=0, spaceBefore=3),
        ctx.sty("toc1", st["base"], fontSize=10, leading=15, leftIndent=18, firstLineIndent=0),
    ]
    out: list[Flowable] = [para("目　录", ctx.sty("tocH", st["h1"], alignment=1)),
                           para("Contents", ctx.sty("tocE", st["h1en"], alignment=1)), Spacer(1, 3 * mm)]
    for level, _text, key, plain in anchors:
        style = levels[min(level, len(levels) - 1)]
        out.append(ContentsEntry(level, plain, key, style, style.fontName, ctx.toc_pending))
    return out


# ---------------------------------------------------------------------------- sections


def kv_table(rows: list[list[Any]], widths: tuple[float, float], shade: bool = True) -> Grid:
    t = Grid(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if shade:
        style.append(("BACKGROUND", (0, 0), (0, -1), LIGHT))
    t.setStyle(TableStyle(style))
    return t


def sections(ctx) -> list[Flowable]:
    st = ctx.st
    p = ctx.program
    story: list[Flowable] = []
    for s_i, sec in enumerate(p.sections):
        story.append(PageBreak())
        key = f"sec-{s_i}"
        a, b = ctx.L(sec.title)
        title = heading_text(p.number(sec.id), a)
        story.append(Anchor(0, markup(title), key, title))
        story.append(para(title, st["h1"]))
        if b and b != a:
            story.append(para(b, st["h1en"]))
        if sec.official is not None:
            story += ctx.bi(sec.official, "official", "officialen")
            story.append(Spacer(1, 4))
        for i_i, ind in enumerate(sec.indicators):
            story += indicator(ctx, ind, f"ind-{s_i}-{i_i}")
    return story


def indicator(ctx, ind: Indicator, key: str) -> list[Flowable]:
    st = ctx.st
    p = ctx.program
    a, b = ctx.L(ind.title)
    title = heading_text(p.number(ind.id), a)
    state = ctx.inp.report.indicators.get(ind.id)
    visible = state is None or state.visible
    head: list[Flowable] = [CondPageBreak(45 * mm), Anchor(1, markup(title), key, title), para(title, st["h2"])]
    if b and b != a:
        head.append(para(b, st["h2en"]))
    obox: list[Flowable] = [para("观测点 Observation point", ctx.sty("obl", st["label"], textColor=GREY, fontSize=8, leading=12))]
    obox += ctx.bi(ind.official, "official", "officialen")
    t = Grid([[obox]], colWidths=(BODY_W,), hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), LIGHT), ("LEFTPADDING", (0, 0), (-1, -1), 7),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 7), ("TOPPADDING", (0, 0), (-1, -1), 4),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LINEBEFORE", (0, 0), (0, -1), 2, INK)]))
    out: list[Flowable] = [KeepTogether(head + [t])] if _short(ind.official) else head + [t]
    out.append(Spacer(1, 6))
    if not visible:
        out.append(para("本项不适用（按已填写的内容）。 Not applicable (given the answers).", st["empty"]))
        out.append(Spacer(1, 8))
        return out
    out += problems(ctx, ind.id)
    out += fields(ctx, ind)
    out += evidence(ctx, ind)
    out.append(Spacer(1, 10))
    return out


def _short(label: Label) -> bool:
    return len(label.zh) + len(label.en) < 900


def problems(ctx, ind_id: str) -> list[Flowable]:
    probs = [p for p in ctx.inp.report.problems if p.indicator_id == ind_id]
    if not probs or not ctx.inp.draft:
        return []
    rows = [[para(("阻止提交 " if p.blocking else "警告 ") + p.message.zh + " / " + p.message.en, ctx.st["problem"])]
            for p in probs]
    t = Grid(rows, colWidths=(BODY_W,), hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RED), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                           ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [t, Spacer(1, 4)]


def _label_cell(ctx, label: Label, unit: str = "") -> list[Flowable]:
    a, b = ctx.L(label)
    out = [para(a + unit, ctx.st["cell"])]
    if b and b != a:
        out.append(para(b, ctx.st["tiny"]))
    return out


def _empty(ctx) -> Flowable:
    return para("（未填写） (not answered)", ctx.st["empty"])


def _is_short(f: Field, v: Any) -> bool:
    if f.type in ("integer", "number", "percent", "date", "choice", "boolean"):
        return True
    if f.type == "text":
        return v is None or len(str(v)) <= 160
    return False


def _checklist(ctx, f: Field, v: Any, width: float) -> Grid:
    """Every choice with ☑ / ☐ — in two columns when there are more than four."""
    chosen = set(v or [])
    ncol = 2 if len(f.choices) > 4 else 1
    cw = width / ncol
    cells = []
    for ch in f.choices:
        a, b = ctx.L(ch.label)
        cell = [para(a, ctx.st["cell"])] + ([para(b, ctx.st["tiny"])] if b and b != a else [])
        cells.append([CheckBox(ch.value in chosen), cell])
    per = -(-len(cells) // ncol)  # column-major: read down, then across
    rows = []
    for r in range(per):
        row: list[Any] = []
        for c in range(ncol):
            i = c * per + r
            row += cells[i] if i < len(cells) else ["", ""]
        rows.append(row)
    t = Grid(rows, colWidths=[14, cw - 14] * ncol, hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                           ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return t


def _yes_no(ctx, v: Any) -> Grid:
    t = Grid([[CheckBox(v is True), para("是 Yes", ctx.st["cell"]), CheckBox(v is False),
                 para("否 No", ctx.st["cell"])]], colWidths=(14, 46, 14, 46), hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _unit(ctx, col) -> str:
    u = getattr(col, "unit", None)
    if col.type == "percent":
        return "（%）"
    return f"（{u.get(ctx.lang)}）" if u else ""


def _cell_text(ctx, col, v: Any) -> str:
    """A table cell: numbers without their unit (the unit is in the column head)."""
    if v is None:
        return ""
    if col.type in ("integer", "number") and not isinstance(v, bool):
        return _number(v)
    if col.type == "percent" and not isinstance(v, bool):
        return _number(v)
    return display(col, v, ctx.lang)


def _number(v) -> str:
    if isinstance(v, int):
        return f"{v:,}"
    s = f"{v:,.6f}".rstrip("0").rstrip(".")
    return s


def data_table(ctx, f: Field, rows: list[dict]) -> Flowable:
    st = ctx.st
    head: list[Any] = [para("#", st["cellhead"])]
    for c in f.columns:
        a, b = ctx.L(c.label)
        cell = [para(a + _unit(ctx, c), st["cellhead"])]
        if b and b != a:
            cell.append(para(b, st["tiny"]))
        head.append(cell)
    data = [head]
    for n, row in enumerate(rows, 1):
        line: list[Any] = [para(str(n), st["cell"])]
        for c in f.columns:
            v = row.get(c.id)
            line.append(para(_cell_text(ctx, c, v), ctx.num if c.type in ("integer", "number", "percent") else st["cell"])
                        if v is not None else "")
        data.append(line)
    widths = auto_widths(data, BODY_W, 6.5, cap=BODY_W * 0.45)
    t = Grid(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    t.setStyle(grid_style())
    return t


def fields(ctx, ind: Indicator) -> list[Flowable]:
    out: list[Flowable] = []
    label_w = BODY_W * 0.36
    value_w = BODY_W - label_w
    pending: list[list[Any]] = []
    prev = ctx.inp.extras.get("previous_period") or {}

    def flush():
        if pending:
            out.append(kv_table(list(pending), (label_w, value_w)))
            out.append(Spacer(1, 5))
            pending.clear()

    for f in ind.fields:
        if f.path not in ctx.inp.report.visible_fields:
            continue
        v = ctx.inp.answers.get(f.path)
        if _is_short(f, v):
            if v is None:
                val: Any = [_empty(ctx)]
            elif f.type == "boolean":
                val = [_yes_no(ctx, v)]
            else:
                val = [para(display(f, v, ctx.lang), ctx.st["cell"])]
            change = previous_line(ctx, f, v, prev)
            if change is not None:
                val.append(change)
            pending.append([_label_cell(ctx, f.label), val])
            continue
        flush()
        head = _label_cell(ctx, f.label)
        for h in head:
            h.keepWithNext = 1
        if f.type == "multichoice":
            out.append(KeepTogether(head + [Spacer(1, 2), _checklist(ctx, f, v, BODY_W - 10)]))
        elif f.type == "table":
            out.extend(head)
            out.append(Spacer(1, 2))
            out.append(data_table(ctx, f, v) if v else _empty(ctx))
        else:  # longtext, long text
            out.extend(head)
            out.append(Spacer(1, 1))
            out.append(_empty(ctx) if v is None else para(str(v), ctx.st["long"], indent_first=True))
        out.append(Spacer(1, 6))
    flush()
    return out


def previous_line_text(f: Field, v: Any, prev: dict) -> str | None:
    """"上期（2024）1,850.6 → 本期 2,010（+8.6%）" for a numeric per-period figure (extras
    "previous_period", data/previous-period.json); None where there is nothing to compare."""
    if not prev or not getattr(f, "per_period", False) or f.type not in ("integer", "number", "percent"):
        return None
    values = prev.get("values") or {}
    if f.path not in values:
        return None
    old = values[f.path]
    period = prev.get("previous_period") or "—"
    unit = "%" if f.type == "percent" else ""

    def num(x) -> bool:
        return x is not None and not isinstance(x, bool) and isinstance(x, (int, float))

    if not num(old):
        return f"上期（{period}）未填报"
    if not num(v):
        return f"上期（{period}）{_number(old)}{unit}"
    if old:
        delta = f"（{(v - old) / abs(old) * 100:+.1f}%）"
    else:
        delta = "（持平）" if v == old else ""
    return f"上期（{period}）{_number(old)}{unit} → 本期 {_number(v)}{unit}{delta}"


def previous_line(ctx, f: Field, v: Any, prev: dict) -> Flowable | None:
    text = previous_line_text(f, v, prev)
    return para(text, ctx.st["small"]) if text else None


# ---------------------------------------------------------------------------- evidence


def thumbnail(ctx, e: EvidenceEntry) -> bytes | None:
    if e.mime not in IMAGE_TYPES or e.size > MAX_THUMB_SOURCE or e.size == 0:
        return None
    from PIL import Image as PILImage, ImageOps

    try:
        data = b"".join(ctx.inp.read_blob(e))
        with PILImage.open(io.BytesIO(data)) as im:
            if im.format == "JPEG":
                im.draft("RGB", (400, 400))
            im.seek(0)
            im = ImageOps.exif_transpose(im)
            im.thumbnail((300, 300))
            if im.mode in ("RGBA", "LA", "P"):
                im = im.convert("RGBA")
                bg = PILImage.new("RGB", im.size, (255, 255, 255))
                bg.paste(im, mask=im.split()[-1])
                im = bg
            elif im.mode != "RGB":
                im = im.convert("RGB")
            buf = io.BytesIO()
            im.save(buf, format="JPEG", quality=80)
            return buf.getvalue()
    except Exception:  # noqa: BLE001 - a picture that cannot be decoded is listed, not shown
        ctx.warnings.append((f"{e.name}: the picture could not be read; it is listed without a thumbnail",
                             f"{e.name}：无法读取该图片，清单中不显示缩略图"))
        return None


def evidence(ctx, ind: Indicator) -> list[Flowable]:
    items = [e for e in ctx.inp.evidence if e.indicator_id == ind.id]
    st = ctx.st
    if not items:
        return [para("证明材料 Evidence：（无） (none)", st["empty"])]
    head = [para("#", st["cellhead"]), para("文件 File", st["cellhead"]), para("类型 / 大小 Type / size", st["cellhead"]),
            para("SHA-256", st["cellhead"]), para("预览 Preview", st["cellhead"])]
    widths = [16, 0, 30 * mm, 32 * mm, THUMB_W + 6]
    widths[1] = BODY_W - sum(widths)
    rows: list[list[Any]] = [head]
    for n, e in enumerate(items, 1):
        slot = ctx.program.slot(ind.id, e.slot_id) if e.slot_id else None
        cell: list[Flowable] = [para(e.name, st["cell"])]
        if slot is not None:
            cell.append(para(f"栏目 Slot：{ctx.L(slot.label)[0]}", st["tiny"]))
        if e.note:
            cell.append(para(e.note, st["tiny"]))
        cell.append(para(e.path, st["tiny"]))
        if ctx.task is not None:
            ctx.task.check()
        jpg = thumbnail(ctx, e)
        preview: Any = ""
        if jpg:
            img = Image(io.BytesIO(jpg))
            iw, ih = img.imageWidth, img.imageHeight
            scale = min(THUMB_W / iw, THUMB_H / ih)
            img.drawWidth, img.drawHeight = iw * scale, ih * scale
            preview = img
        rows.append([para(str(n), st["cell"]), cell, [para(e.mime, st["tiny"]), para(human_size(e.size), st["cell"])],
                     para(hex_lines(e.sha256, 16), st["hex"]), preview])
    t = Grid(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=0)  # a row never splits
    t.setStyle(grid_style())
    label = para("证明材料 Evidence", st["label"])
    label.keepWithNext = 1
    return [CondPageBreak(38 * mm), label, Spacer(1, 2), t]


# ---------------------------------------------------------------------------- extras


def review_response(ctx) -> list[Flowable]:
    """对评审意见的答复 (extras "review_response", data/review-response.json)."""
    doc = ctx.inp.extras.get("review_response")
    if not doc:
        return []
    st = ctx.st
    p = ctx.program
    title = "对评审意见的答复"
    out: list[Flowable] = [PageBreak(), Anchor(0, markup(title), "review", title), para(title, st["h1"]),
                           para("Response to review", st["h1en"])]
    rp = doc.get("reviewed_package") or {}
    intro = f"评审人：{doc.get('reviewer') or '（未署名）'}；所评审的数据包：封装于 {rp.get('sealed_at', '')}，内容摘要 {str(rp.get('digest', ''))[:16]}…"
    out.append(para(intro, st["base"]))
    out.append(para(f"Reviewer: {doc.get('reviewer') or '(unnamed)'}; reviewed package sealed at {rp.get('sealed_at', '')}, "
                    f"content digest {str(rp.get('digest', ''))[:16]}…", st["en"]))
    out.append(Spacer(1, 4))
    for n, item in enumerate(doc.get("items") or [], 1):
        where = []
        iid = item.get("indicator")
        if iid:
            ind = p.indicator(iid)
            where.append("指标 " + heading_text(p.number(iid), ind.title.zh if ind else iid))
        if item.get("evidence"):
            where.append(f"证明材料 {item['evidence']}")
        state = "已解决 resolved" if item.get("state") == "resolved" else "未解决 open"
        out.append(para(f"意见 {n}" + ("　" + "；".join(where) if where else "") + f"（{state}）", st["h3"]))
        rows = [[[para("评审意见", st["cellhead"]), para("Note", st["tiny"])], [para(item.get("note") or "", st["cell"])]],
                [[para("答复", st["cellhead"]), para("Reply", st["tiny"])], [para(item.get("reply") or "（未答复）", st["cell"])]]]
        ch = item.get("changed") or {}
        parts = []
        labels = []
        for path in ch.get("answers") or []:
            f = p.field(path)
            labels.append(f.label.zh if f else path)
        if labels:
            parts.append("修改的答案：" + "、".join(labels))
        if ch.get("evidence_added"):
            parts.append("新增证明材料：" + "、".join(ch["evidence_added"]))
        if ch.get("evidence_removed"):
            parts.append("删除证明材料：" + "、".join(ch["evidence_removed"]))
        rows.append([[para("修改内容", st["cellhead"]), para("Changed", st["tiny"])],
                     [para(p_, st["cell"]) for p_ in parts] or [para("（无）", st["empty"])]])
        out.append(kv_table(rows, (30 * mm, BODY_W - 30 * mm)))
        out.append(Spacer(1, 6))
    return out


# ---------------------------------------------------------------------------- stamp page


def stamp_pages(ctx) -> list[Flowable]:
    title = "盖章页"
    if ctx.scans:
        out: list[Flowable] = []
        for i in range(len(ctx.scans)):
            out += [NextPageTemplate("scan"), PageBreak()]
            if i == 0:
                out.append(Anchor(0, markup(title), "stamp", title))
            out.append(PageMarker("scan", i))
        return out
    return [NextPageTemplate("stamp"), PageBreak(), Anchor(0, markup(title), "stamp", title), PageMarker("stamp", 0)]
