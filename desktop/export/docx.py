"""data/application.docx: an editable Word copy of the 申报书 (python-docx).

The same content as the PDF, from the same `PdfInput`: the cover (title, 申报书, 申报单位（盖章）,
推荐单位 where the program has one, 联系人, 联系电话, 填报日期), every section and indicator with
its official 观测点 text, the answers (tables as Word tables, checklists with ☑/☐), the evidence
list, the response to review and previous-period figures when the package has them, and the stamp
page. It is a copy for offices that edit or reprint: the sealed PDF is the submission (the Word
file says so on its first page), and it cannot carry the content digest, because it is itself
one of the files the digest covers.

Fonts: Word and WPS pick the East Asian face from `w:eastAsia` of `w:rFonts`, which python-docx
never sets, so every style and every run gets it explicitly — 宋体 (SimSun) for text, 黑体
(SimHei) for headings, with Times New Roman / Arial for Latin — the names Word and WPS find on a
Chinese Windows; a machine without them substitutes its own Song/Hei faces.

Deterministic: fixed core properties (the seal time) and fixed zip entry times, so the same
package gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Any

from ..models.program import Field, Label
from ..values import display
from .pdf_style import human_size, when, zh_date

SONG = "宋体"
SONG_EN = "SimSun"
HEI = "黑体"
HEI_EN = "SimHei"
LATIN_TEXT = "Times New Roman"
LATIN_HEAD = "Arial"


def _set_fonts(rpr_owner, east: str, latin: str) -> None:
    """Set ascii/hAnsi/eastAsia/cs fonts on a run's or a style's w:rPr."""
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), latin)
    hint = qn("w:hint")
    fonts.set(hint, "eastAsia")


class _Writer:
    def __init__(self, inp):
        from docx import Document
        from docx.shared import Pt

        self.inp = inp
        self.p = inp.program
        self.doc = Document()
        self.Pt = Pt
        self._style_ids: dict[str, str | None] = {}
        self._rpr: dict[tuple, Any] = {}  # (head, bold, size, grey) -> a run's w:rPr (run())
        self._styles()

    # -- styles and runs

    def _styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Cm, Pt, RGBColor

        st = self.doc.styles
        for s in st:
            if s.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
                head = s.name.startswith(("Heading", "Title"))
                _set_fonts(s.element, HEI if head else SONG, LATIN_HEAD if head else LATIN_TEXT)
                if head and s.type == WD_STYLE_TYPE.PARAGRAPH:
                    s.font.color.rgb = RGBColor(0, 0, 0)
                    s.font.bold = True
        normal = st["Normal"]
        normal.font.size = Pt(10.5)
        normal.paragraph_format.line_spacing = 1.5
        normal.paragraph_format.space_after = Pt(2)
        for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
            st[name].font.size = Pt(size)
        # the docDefaults too: text typed into an empty paragraph gets the East Asian face
        rpr_default = self.doc.styles.element.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults")
        if rpr_default is not None:
            from docx.oxml.ns import qn

            rpr = rpr_default.find(qn("w:rPrDefault"))
            if rpr is not None and rpr.find(qn("w:rPr")) is not None:
                inner = rpr.find(qn("w:rPr"))
                fonts = inner.find(qn("w:rFonts"))
                if fonts is None:
                    fonts = inner.makeelement(qn("w:rFonts"), {})
                    inner.insert(0, fonts)
                for k, v in (("w:ascii", LATIN_TEXT), ("w:hAnsi", LATIN_TEXT), ("w:eastAsia", SONG), ("w:cs", LATIN_TEXT)):
                    fonts.set(qn(k), v)
                for k in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(k), None)
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.2)
        sec.top_margin, sec.bottom_margin = Cm(2.4), Cm(2.0)

    def run(self, para, text: str, *, bold: bool = False, size: float | None = None, head: bool = False,
            grey: bool = False):
        from docx.shared import RGBColor

        r = para.add_run()
        # the text goes in as w:t elements directly: python-docx's run.text walks it character
        # by character (seconds for a 1,000,000-character answer)
        for i, line in enumerate(_clean(text).split("\n")):
            if i:
                r._r.add_br()
            if line:
                r._r.add_t(line)
        key = (head, bool(bold), size or None, grey)
        tpl = self._rpr.get(key)
        if tpl is not None:
            # the run properties of a look seen before: a copy of what python-docx built for it
            # (the same XML; python-docx's own setters were a third of the Word copy's time)
            r._r.insert(0, copy.deepcopy(tpl))
            return r
        _set_fonts(r._r, HEI if head else SONG, LATIN_HEAD if head else LATIN_TEXT)
        if bold:
            r.bold = True
        if size:
            r.font.size = self.Pt(size)
        if grey:
            r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        self._rpr[key] = copy.deepcopy(r._r.rPr)
        return r

    def _paragraph(self, style: str | None):
        """doc.add_paragraph(style=…) with the style's id looked up once per name: python-docx finds
        a style by name, then the default style of its type, with an XPath over every style for each
        paragraph (a quarter of the Word copy's time). The same XML (pStyle, or none for Normal)."""
        p = self.doc.add_paragraph()
        if style is not None:
            if style not in self._style_ids:
                from docx.enum.style import WD_STYLE_TYPE

                self._style_ids[style] = self.doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            sid = self._style_ids[style]
            if sid is not None:
                p._p.style = sid
        return p

    def para(self, text: str = "", *, style: str | None = None, head: bool = False, bold: bool = False,
             size: float | None = None, grey: bool = False, center: bool = False, indent: bool = False):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self._paragraph(style)
        if text:
            self.run(p, text, head=head or (style or "").startswith(("Heading", "Title")), bold=bold, size=size, grey=grey)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.first_line_indent = self.Pt(21)  # 首行缩进两字
        return p

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        p = self.doc.add_paragraph()
        self.run(p, "").add_break(WD_BREAK.PAGE)  # a run with the East Asian font like every other

    def heading(self, text: str, level: int, en: str = "") -> None:
        p = self._paragraph(f"Heading {level}")
        self.run(p, text, head=True)
        p.paragraph_format.keep_with_next = True
        if en and en != text:
            q = self.para(en, grey=True, size=9)
            q.paragraph_format.keep_with_next = True

    def cell(self, cell, text: str, *, head: bool = False, grey: bool = False, size: float = 9) -> None:
        p = cell.paragraphs[0] if not cell.paragraphs[0].runs else cell.add_paragraph()
        self.run(p, text, head=head, bold=head, size=size, grey=grey)

    def L(self, label: Label | None) -> tuple[str, str]:  # noqa: N802
        if label is None:
            return "", ""
        if self.inp.lang == "en":
            return label.en or label.zh, label.zh
        return label.zh, label.en

    # -- the document

    def build(self) -> None:
        self.cover()
        self.page_break()
        self.notice()
        for sec in self.p.sections:
            self.page_break()
            a, b = self.L(sec.title)
            num = self.p.number(sec.id)
            self.heading(f"{num}　{a}" if num else a, 1, b)
            if sec.official is not None:
                self.para(self.L(sec.official)[0], indent=True)
            for ind in sec.indicators:
                self.indicator(ind)
        self.review_response()
        self.page_break()
        self.stamp_page()

    def cover(self) -> None:
        inp, p = self.inp, self.p
        for _ in range(3):
            self.para("")
        self.para(p.title.zh, head=True, bold=True, size=22, center=True)
        self.para("")
        self.para("申 报 书", head=True, bold=True, size=30, center=True)
        self.para(p.title.en, grey=True, size=11, center=True)
        if inp.draft:
            self.para(f"草稿：仍有 {len(inp.report.blocking)} 项阻止提交的问题，本文件不可作为正式申报材料。", size=11, center=True)
        for _ in range(2):
            self.para("")
        cov = inp.cover
        rows = [("申报单位（盖章）", inp.applicant + (f"\n{inp.applicant_en}" if inp.applicant_en else ""))]
        if p.document.recommender is not None:
            rows.append((p.document.recommender.zh, cov.get("recommender", "")))
        rows += [("联系人", cov.get("contact_name", "")), ("联系电话", cov.get("contact_phone", "")),
                 ("填报日期", zh_date(cov.get("fill_date") or inp.sealed_at.date().isoformat()))]
        period = (inp.extras.get("previous_period") or {}).get("period") or cov.get("period")  # the form's period wins
        if period:
            rows.append(("申报周期", period))
        t = self.doc.add_table(rows=len(rows), cols=2)
        for r, (k, v) in enumerate(rows):
            self.cell(t.cell(r, 0), k, head=True, size=13)
            self.cell(t.cell(r, 1), v or "（未填写）", size=13, grey=not v)
        for _ in range(3):
            self.para("")
        self.para(p.issuer.zh, size=12, center=True)
        src = p.source
        self.para(f"依据：{src.title.zh}" + (f"（{src.number}）" if src.number else ""), size=10.5, center=True)

    def notice(self) -> None:
        inp = self.inp
        self.heading("说明", 1, "About this copy")
        self.para("本文件是申报书的可编辑 Word 副本，内容与同一数据包中的 PDF 申报书一致；正式提交以加盖印章（或数字签章）的 PDF 为准。"
                  "内容摘要与核验方法见 PDF 申报书第 2 页。", indent=True)
        self.para("This is an editable Word copy of the application; its content is that of the PDF in the same data "
                  "package. The sealed (stamped or digitally signed) PDF is the submission; its page 2 gives the content "
                  "digest and how to verify it.", grey=True, size=9)
        rep = inp.report
        self.para(f"封装时间：{when(inp.sealed_at)}　完整度：{rep.completeness * 100:.1f}%　"
                  f"阻止提交的问题 {len(rep.blocking)} 项，警告 {len(rep.warnings)} 项")

    def indicator(self, ind) -> None:
        inp, p = self.inp, self.p
        a, b = self.L(ind.title)
        num = p.number(ind.id)
        self.heading(f"{num}　{a}" if num else a, 2, b)
        q = self.para("观测点：", head=True, bold=True, size=9)
        q.paragraph_format.keep_with_next = True
        oa, ob = self.L(ind.official)
        self.para(oa, indent=True)
        if ob and ob != oa:
            self.para(ob, grey=True, size=9)
        state = inp.report.indicators.get(ind.id)
        if state is not None and not state.visible:
            self.para("本项不适用（按已填写的内容）。", grey=True)
            return
        prev = inp.extras.get("previous_period") or {}
        for f in ind.fields:
            if f.path not in inp.report.visible_fields:
                continue
            self.field(f, inp.answers.get(f.path), prev)
        items = [e for e in inp.evidence if e.indicator_id == ind.id]
        h = self.para("证明材料：" + ("（无）" if not items else ""), head=True, bold=True, size=9)
        if items:
            h.paragraph_format.keep_with_next = True
            t = self.doc.add_table(rows=1, cols=4)
            t.style = "Table Grid"
            for c, text in enumerate(("#", "文件 File", "类型 / 大小", "SHA-256")):
                self.cell(t.rows[0].cells[c], text, head=True)
            for n, e in enumerate(items, 1):
                cells = t.add_row().cells
                self.cell(cells[0], str(n))
                self.cell(cells[1], e.name + (f"\n{e.note}" if e.note else "") + f"\n{e.path}")
                self.cell(cells[2], f"{e.mime}\n{human_size(e.size)}")
                self.cell(cells[3], e.sha256, size=7)

    def field(self, f: Field, v: Any, prev: dict) -> None:
        label = self.L(f.label)[0]
        if f.type == "table":
            self.para(label, head=True, bold=True, size=10).paragraph_format.keep_with_next = True
            if not v:
                self.para("（未填写）", grey=True)
                return
            t = self.doc.add_table(rows=1, cols=len(f.columns) + 1)
            t.style = "Table Grid"
            self.cell(t.rows[0].cells[0], "#", head=True)
            for c, col in enumerate(f.columns, 1):
                unit = "（%）" if col.type == "percent" else (f"（{col.unit.get(self.inp.lang)}）" if col.unit else "")
                self.cell(t.rows[0].cells[c], self.L(col.label)[0] + unit, head=True)
            for n, row in enumerate(v, 1):
                cells = t.add_row().cells
                self.cell(cells[0], str(n))
                for c, col in enumerate(f.columns, 1):
                    x = row.get(col.id)
                    if x is None:
                        continue
                    self.cell(cells[c], str(x) if col.type in ("integer", "number", "percent") else display(col, x, self.inp.lang))
            return
        if f.type == "multichoice":
            self.para(label, head=True, bold=True, size=10).paragraph_format.keep_with_next = True
            chosen = set(v or [])
            for ch in f.choices:
                self.para(("☑ " if ch.value in chosen else "☐ ") + self.L(ch.label)[0])
            return
        if f.type == "longtext":
            self.para(label, head=True, bold=True, size=10).paragraph_format.keep_with_next = True
            if v is None:
                self.para("（未填写）", grey=True)
            else:
                for part in str(v).split("\n"):
                    self.para(part, indent=True)
            return
        p = self.doc.add_paragraph()
        self.run(p, label + "：", head=True, bold=True, size=10)
        if v is None:
            self.run(p, "（未填写）", grey=True)
        elif f.type == "boolean":
            self.run(p, ("☑ 是　☐ 否" if v else "☐ 是　☑ 否"))
        else:
            self.run(p, display(f, v, self.inp.lang))
        from .pdf_story import previous_line_text

        change = previous_line_text(f, v, prev)
        if change:
            self.run(p, "　" + change, grey=True, size=9)

    def review_response(self) -> None:
        doc = self.inp.extras.get("review_response")
        if not doc:
            return
        p = self.p
        self.page_break()
        self.heading("对评审意见的答复", 1, "Response to review")
        self.para(f"评审人：{doc.get('reviewer') or '（未署名）'}")
        for n, item in enumerate(doc.get("items") or [], 1):
            where = ""
            if item.get("indicator"):
                ind = p.indicator(item["indicator"])
                num = p.number(item["indicator"])
                where = "　指标 " + (f"{num} " if num else "") + (ind.title.zh if ind else item["indicator"])
            if item.get("evidence"):
                where += f"　证明材料 {item['evidence']}"
            state = "已解决" if item.get("state") == "resolved" else "未解决"
            self.heading(f"意见 {n}{where}（{state}）", 3)
            self.para("评审意见：" + (item.get("note") or ""))
            self.para("答复：" + (item.get("reply") or "（未答复）"))
            ch = item.get("changed") or {}
            labels = [(p.field(x).label.zh if p.field(x) else x) for x in ch.get("answers") or []]
            if labels:
                self.para("修改的答案：" + "、".join(labels))
            if ch.get("evidence_added"):
                self.para("新增证明材料：" + "、".join(ch["evidence_added"]))
            if ch.get("evidence_removed"):
                self.para("删除证明材料：" + "、".join(ch["evidence_removed"]))

    def stamp_page(self) -> None:
        inp, p = self.inp, self.p
        self.para("盖章页", head=True, bold=True, size=24, center=True)
        self.para(f"项目：{p.title.zh}")
        self.para(f"申报单位：{inp.applicant}")
        self.para(f"封装时间：{when(inp.sealed_at)}")
        self.para("本单位郑重承诺：本申报书所填报的内容及所附证明材料真实、准确、完整，如有不实，本单位愿承担相应责任。", indent=True)
        for _ in range(2):
            self.para("")
        t = self.doc.add_table(rows=1, cols=2)
        t.style = "Table Grid"
        self.cell(t.rows[0].cells[0], "申报单位（盖章）\n\n\n\n\n", head=True, size=11)
        self.cell(t.rows[0].cells[1], "法定代表人或授权代表（签字）\n\n\n\n\n", head=True, size=11)
        self.para("")
        self.para("日期：　　　　年　　月　　日")

    def bytes(self) -> bytes:
        inp = self.inp
        cp = self.doc.core_properties
        cp.title = f"{self.p.title.zh} 申报书"
        cp.author = inp.applicant or "Dossier"
        cp.last_modified_by = "Dossier"
        cp.subject = self.p.title.en
        cp.keywords = f"{self.p.id} {self.p.version}"
        cp.language = "zh-CN" if inp.lang == "zh" else "en"
        when_utc = inp.sealed_at.astimezone(_utc()).replace(tzinfo=None)
        cp.created = cp.modified = when_utc
        cp.last_printed = when_utc
        cp.revision = 1
        buf = io.BytesIO()
        self.doc.save(buf)
        return _fixed_zip(buf.getvalue(), inp.sealed_at.timetuple()[:6])


def _utc():
    import datetime as _dt

    return _dt.timezone.utc


def _clean(text: str) -> str:
    """XML 1.0 cannot hold control characters (python-docx would raise)."""
    import unicodedata

    text = "" if text is None else str(text)
    if _CONTROL.search(text) is None:
        return text
    return "".join(" " if ch == "\t" else ch for ch in text if ch == "\n" or ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _fixed_zip(data: bytes, when6: tuple) -> bytes:
    """The same zip with every entry stamped with one time (python-docx uses the clock)."""
    if when6[0] < 1980:
        when6 = (1980, 1, 1, 0, 0, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for zi in src.infolist():
            ni = zipfile.ZipInfo(zi.filename, date_time=when6)
            ni.compress_type = zipfile.ZIP_DEFLATED
            ni.create_system = 3
            ni.external_attr = 0o100644 << 16
            z.writestr(ni, src.read(zi))
    return out.getvalue()


def build_docx(inp) -> bytes:
    """The Word copy of a PdfInput (its digest and listing are not used)."""
    w = _Writer(inp)
    w.build()
    return w.bytes()
