"""A realistic filled demo project for any program: the definition's `demo` answers, a generic fill
for the rest, and small generated evidence files of an accepted type for every required slot."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

from .fsutil import private_temp_dir
from .models.program import Column, Field, Program
from .project import Project
from .rules import Evaluator
from .values import coerce

_CELL_SAMPLES = {
    "name": ["广西机电职业技术学院", "柳州五菱汽车工业有限公司", "广西大学", "南宁高新技术产业开发区管理委员会"],
    "province": ["广西", "广东", "云南", "湖南"],
}


def _number_for(col: Column, n: int = 0) -> int | float:
    lo = col.min if isinstance(col.min, (int, float)) else None
    hi = col.max if isinstance(col.max, (int, float)) else None
    if col.type == "percent":
        lo = 0 if lo is None else lo
        hi = 100 if hi is None else hi
        v = 85
    else:
        v = 12 + n
    if lo is not None and v < lo:
        v = lo
    if hi is not None and v > hi:
        v = hi
    return int(v) if col.type == "integer" else v


def _date_for(col: Column) -> str:
    v = "2024-03-01"
    if col.min and v < col.min:
        v = col.min
    if col.max and v > col.max:
        v = col.max
    return v


def _text_for(col: Column, n: int = 0, context: str = "") -> str:
    for key, samples in _CELL_SAMPLES.items():
        if key in col.id:
            return samples[n % len(samples)]
    if col.type == "longtext":
        base = f"围绕“{col.label.zh}”，{context}" if context else f"围绕“{col.label.zh}”开展的工作情况说明。"
        target = min(col.suggested_length or 300, 600)
        text = base
        while len(text) < target * 0.6:
            text += "本单位建立了工作机制，明确了责任分工和时间节点，相关工作已取得阶段性成效。"
        return text[: col.max_length] if col.max_length else text
    s = f"{col.label.zh}（示例{n + 1 if n else ''}）"
    return s[: col.max_length] if col.max_length else s


def _scalar_for(col: Column, n: int = 0, context: str = "") -> Any:
    t = col.type
    if t in ("text", "longtext"):
        return _text_for(col, n, context)
    if t in ("integer", "number", "percent"):
        return _number_for(col, n)
    if t == "date":
        return _date_for(col)
    if t == "choice":
        return col.choices[n % len(col.choices)].value
    if t == "boolean":
        return True
    return None


def generic_value(f: Field, context: str = "") -> Any:
    if f.type == "multichoice":
        k = max(f.min_selected or 0, min(2, len(f.choices)))
        if f.max_selected is not None:
            k = min(k, f.max_selected)
        return [c.value for c in f.choices[:max(k, 1)]]
    if f.type == "table":
        n = max(f.min_rows or 0, 2)
        if f.max_rows is not None:
            n = min(n, f.max_rows)
        return [{c.id: _scalar_for(c, i) for c in f.columns} for i in range(n)]
    return _scalar_for(f, 0, context)


def demo_answers(program: Program) -> dict[str, Any]:
    """The definition's `demo` answers; a field the demo does not list gets a generic fill (for
    programs a user installs without a demo). A demo lists `null` for a field it leaves empty on
    purpose. Every bundled demo lists every field it shows (tests/programs: no generic fill)."""
    given = dict((program.demo or {}).get("answers", {}) or {})
    answers: dict[str, Any] = {}
    for ind in program.indicators():
        ctx = ind.official.zh[:120]
        for f in ind.fields:
            answers[f.path] = coerce(f, given[f.path]) if f.path in given else coerce(f, generic_value(f, ctx))
    # keep only what is visible once everything is filled: hidden answers are not realistic
    ev = Evaluator(program, answers)
    return {p: v for p, v in answers.items() if v is not None and ev.field_visible(p)}


def generic_fill_paths(program: Program) -> list[str]:
    """The visible fields a demo fill would make up (not listed in the definition's demo)."""
    given = (program.demo or {}).get("answers", {}) or {}
    answers = demo_answers(program)
    return [p for p in answers if p not in given]


# ---------------------------------------------------------------- small evidence files


def _pdf_bytes(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    from .fonts import register_fonts, CJK_FONT

    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1, initialFontName=CJK_FONT, initialFontSize=14)
    c.setFont(CJK_FONT, 14)
    c.drawString(72, 770, title[:40])
    c.drawString(72, 740, "示例证明材料 / Sample evidence (demo)")
    c.showPage()
    c.save()
    return buf.getvalue()


def _image_bytes(fmt: str, n: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), (230 - 20 * (n % 5), 240, 250))
    d = ImageDraw.Draw(img)
    d.rectangle((10, 10, 310, 190), outline=(180, 30, 30), width=4)
    d.text((30, 90), f"Dossier demo evidence {n + 1}", fill=(40, 40, 40))
    buf = io.BytesIO()
    img.save(buf, format={"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "bmp": "BMP", "tif": "TIFF", "tiff": "TIFF", "webp": "WEBP"}[fmt])
    return buf.getvalue()


def _office_bytes(ext: str, title: str) -> bytes:
    if ext == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["示例", title])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # a minimal WordprocessingML package
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:body></w:document>')
    return buf.getvalue()


def sample_file(directory: Path, stem: str, accept: list[str], n: int, title: str) -> Path:
    order = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "txt"]
    ext = next((e for e in order if not accept or e in accept), accept[0] if accept else "pdf")
    if ext == "pdf":
        data = _pdf_bytes(f"{title} {n + 1}")
    elif ext in ("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp"):
        data = _image_bytes(ext, n)
    elif ext in ("docx", "xlsx"):
        data = _office_bytes(ext, f"{title} {n + 1}")
    else:
        data = f"{title} {n + 1}\n示例证明材料 / sample evidence\n".encode("utf-8")
    p = directory / f"{stem}-{n + 1}.{ext}"
    p.write_bytes(data)
    return p


def make_demo(program: Program, out: str | os.PathLike) -> Project:
    """A filled demo project at `out`, built under a temporary name: a kill or an error part-way
    leaves nothing under `out`."""
    demo = program.demo or {}
    applicant = (demo.get("applicant") or {}).get("zh") or f"示例申报单位（{program.title.zh[:20]}）"
    applicant_en = (demo.get("applicant") or {}).get("en") or "Demo applicant"
    with Project.building(out, program, applicant, applicant_en) as proj:
        answers = demo_answers(program)
        proj.set_many(answers)
        ev = Evaluator(program, answers)
        with private_temp_dir("demo") as tmp:
            tmpd = Path(tmp)
            for ind in program.indicators():
                if not ev.indicator_visible(ind.id):
                    continue
                for slot in ind.evidence:
                    need = slot.min_count if (slot.required_if is None or ev.cond(slot.required_if)) else 0
                    for n in range(max(need, 1 if need else 0)):
                        f = sample_file(tmpd, f"{ind.id}-{slot.id}".replace("/", "_"), slot.accept, n,
                                        f"{ind.title.zh} {slot.label.zh}")
                        proj.attach(f, ind.id, slot.id, note="示例材料 / demo")
    return Project.open(out)
