"""Seal and export: outputs, bag validity, determinism, drafts, cancel, the stamp page, the sealer hook."""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pikepdf
import pytest

from desktop.models.rows import strip_all
from desktop.cli import _load_extensions
from desktop.cli import main as cli_main
from desktop.export import ExportBlocked, export_project
from desktop.export import answers_json
from desktop.export.digest import content_digest
from desktop.export.naming import UniqueNames, output_base_name, safe_component
from desktop.export.verify import verify_package
from desktop.programs import find_program
from desktop.project import STAMP_INDICATOR, Project
from desktop.tasks import Cancelled, TaskState

from .conftest import FIXED, fixed_clock
from .pdfcheck import assert_fonts_embedded, page_texts, squash




def _dir(base: Path, name: str) -> Path:
    d = base / name
    d.mkdir()
    return d


# ---------------------------------------------------------------------------- outputs


def test_export_writes_pdf_and_zip_with_safe_names(exported):
    r = exported
    assert r.pdf_path.name == "gx-city-consortium_柳州市人民政府_20250301.pdf"
    assert r.zip_path.name == "gx-city-consortium_柳州市人民政府_20250301.zip"
    assert r.pdf_path.exists() and r.zip_path.exists()
    assert sorted(p.name for p in r.pdf_path.parent.iterdir()) == sorted([r.pdf_path.name, r.zip_path.name])
    assert not r.draft and r.sealed_at == "2025-03-01T10:15:00+08:00"
    assert r.stamp_page_index == r.pages - 1


def test_zip_entries_are_utf8_fixed_time_stored_and_ordered(exported):
    with zipfile.ZipFile(exported.zip_path) as z:
        infos = z.infolist()
    root = exported.base_name
    names = [zi.filename for zi in infos]
    assert names[:7] == [f"{root}/{n}" for n in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "data/submission.pdf",
                                                 "data/answers.json", "data/answers.xlsx", "data/program.yaml")]
    assert names[-1] == f"{root}/tagmanifest-sha256.txt"
    assert names[7] == f"{root}/data/application.docx"  # the Word copy (desktop/export/docx.py)
    assert all(n.startswith(f"{root}/data/evidence/") for n in names[8:-1])
    for zi in infos:
        assert zi.flag_bits & 0x800, zi.filename  # UTF-8 names, even ASCII ones
        assert zi.date_time == (2025, 3, 1, 10, 15, 0)
        assert zi.compress_type == zipfile.ZIP_STORED
        assert zi.create_system == 3 and (zi.external_attr >> 16) == 0o100644


def test_bagit_python_validates(unpacked):
    import bagit

    bag = bagit.Bag(str(unpacked))
    assert bag.validate()
    assert bag.info["External-Identifier"] == "gx-city-consortium@1.0.0"


def test_sha256sum_check_passes_and_digest_recomputes_with_shell(unpacked, exported):
    if not shutil.which("sha256sum"):
        pytest.skip("sha256sum not installed")
    r = subprocess.run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=unpacked, capture_output=True)
    assert r.returncode == 0, r.stdout + r.stderr
    # the documented recipe (docs/content-digest.md)
    cmd = "grep -v '  data/submission\\.pdf$' manifest-sha256.txt | LC_ALL=C sort | sha256sum"
    out = subprocess.run(["bash", "-c", cmd], cwd=unpacked, capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == exported.content_digest


def test_pdf_outside_equals_pdf_inside(exported):
    with zipfile.ZipFile(exported.zip_path) as z:
        inner = z.read(f"{exported.base_name}/data/submission.pdf")
    assert inner == exported.pdf_path.read_bytes()


def test_verify_intact(exported):
    v = verify_package(exported.zip_path)
    assert v.status == "intact", v.to_dict()
    assert v.exit_code == 0
    assert v.content_digest == v.recorded_digest == exported.content_digest
    assert v.signature == {"status": "unsigned"}
    assert v.program["id"] == "gx-city-consortium" and v.applicant == "柳州市人民政府"


def test_verify_unpacked_folder(unpacked):
    assert verify_package(unpacked).status == "intact"


# ---------------------------------------------------------------------------- the PDF


def test_every_font_embedded_no_base14(exported):
    assert_fonts_embedded(exported.pdf_path)


def test_pdf_metadata_attachments_and_xmp(exported):
    with pikepdf.open(exported.pdf_path) as pdf:
        info = pdf.docinfo
        assert "广西壮族自治区市域产教联合体建设指标" in str(info["/Title"])
        assert str(info["/Author"]) == "柳州市人民政府"
        assert exported.content_digest in str(info["/Subject"])
        assert str(info["/DossierContentDigest"]) == exported.content_digest
        assert str(info["/CreationDate"]).startswith("D:20250301101500+08")
        assert str(pdf.Root.Lang) == "zh-CN"
        meta = pdf.open_metadata()
        assert "zh-CN" in str(meta.get("dc:language"))
        assert "广西" in str(meta.get("dc:title"))
        att = pdf.attachments
        assert set(att) == {"answers.json", "content-listing.txt"}
        af = pdf.Root.AF
        assert len(af) == 2
        for spec in af:
            assert spec.AFRelationship == pikepdf.Name.Data
        listing = att["content-listing.txt"].get_file().read_bytes()
        embedded_answers = att["answers.json"].get_file().read_bytes()
    assert content_digest(listing) == exported.content_digest
    with zipfile.ZipFile(exported.zip_path) as z:
        assert embedded_answers == z.read(f"{exported.base_name}/data/answers.json")
        # the listing is the manifest without the PDF's line, sorted bytewise
        manifest = z.read(f"{exported.base_name}/manifest-sha256.txt").splitlines(keepends=True)
    assert listing == b"".join(sorted(ln for ln in manifest if not ln.endswith(b"  data/submission.pdf\n")))


def test_cover_toc_footer_and_official_text(exported):
    pages = page_texts(exported.pdf_path)
    n = len(pages)
    cover = squash(pages[0])
    prog = find_program("gx-city-consortium")
    for s in ("广西壮族自治区市域产教联合体建设指标", "申报书", "广西壮族自治区人民政府办公厅", "桂政办发〔2023〕70号",
              "柳州市人民政府", "填报日期", "2025年3月1日"):
        assert squash(s) in cover, s
    seal = squash(pages[1])  # the seal-and-verification page after the cover
    for s in ("封装与核验", "2025-03-0110:15:00+0800", "100.0%", "gx-city-consortium1.0.0"):
        assert squash(s) in seal, s
    digest = exported.content_digest
    assert all(squash(" ".join(digest[i:i + 4] for i in range(j, j + 16, 4))) in seal for j in range(0, 64, 16))
    assert "目" in pages[2] and "Contents" in pages[2]
    body = squash("".join(pages))
    for ind in prog.indicators():  # every observation point's official text is printed
        assert squash(ind.official.zh) in body, ind.id
    for i, text in enumerate(pages[1:], 2):
        t = squash(text)
        assert f"{i}/{n}" in t and squash(prog.short_title.zh) in t and digest[:16] in t, i
    assert "盖章页" in pages[-1] and "电子签章" in pages[-1]


def test_chinese_text_extracts_as_typed(demo_copy, tmp_path):
    text = "职业教育与产业深度融合，校企共建“双师型”教师队伍；2024年完成实训基地建设（共计12个项目）。" * 6
    with Project.open(demo_copy) as proj:
        path = next(f.path for f in proj.program.fields.values() if f.type == "longtext"
                    and f.path in proj.report().visible_fields)
        proj.set(path, text)
    res = export_project(demo_copy, tmp_path, clock=fixed_clock)
    assert squash(text) in squash("".join(page_texts(res.pdf_path)))


SAMPLES = {
    "thai": "การศึกษาวิชาชีพและการฝึกอบรมในสถานประกอบการ ผู้เรียนที่สำเร็จการศึกษาได้รับการรับรองมาตรฐานฝีมือแรงงาน" * 3,
    "khmer": "ការអប់រំបណ្តុះបណ្តាលបច្ចេកទេសនិងវិជ្ជាជីវៈ ភាសាខ្មែរគឺជាភាសាផ្លូវការរបស់ប្រទេសកម្ពុជា",
    "lao": "ພາສາລາວແມ່ນພາສາທາງການຂອງ ສປປ ລາວ ການສຶກສາວິຊາຊີບ",
    "myanmar": "မြန်မာဘာသာစကားသည် မြန်မာနိုင်ငံ၏ ရုံးသုံးဘာသာစကား ဖြစ်သည်။",
    "vietnamese": "Tiếng Việt là ngôn ngữ chính thức của Việt Nam. Giáo dục nghề nghiệp và đào tạo kỹ năng nghề.",
}


def test_south_east_asian_scripts_render_shaped_and_embedded(demo_copy, tmp_path):
    with Project.open(demo_copy) as proj:
        fields = [f.path for f in proj.program.fields.values() if f.type == "longtext"
                  and f.path in proj.report().visible_fields]
        values = {fields[i]: v for i, v in enumerate(SAMPLES.values())}
        values[fields[len(SAMPLES)]] = "混合：" + SAMPLES["thai"] + " 与 " + SAMPLES["vietnamese"]
        proj.set_many(values)
        proj.set_applicant("วิทยาลัยเทคนิคเชียงใหม่", "Chiang Mai Technical College")
    res = export_project(demo_copy, tmp_path, clock=fixed_clock)
    names = assert_fonts_embedded(res.pdf_path)
    for font in ("NotoSansThai", "NotoSansKhmer", "NotoSansLao", "NotoSansMyanmar", "NotoSans-Regular", "DossierSerifSC"):
        assert any(font in n for n in names), (font, names)
    body = squash("".join(page_texts(res.pdf_path)))
    assert squash(SAMPLES["vietnamese"]) in body  # precomposed Vietnamese letters extract as typed
    assert "วิทยาลัยเทคนิคเชียงใหม่" in res.pdf_path.name
    assert verify_package(res.zip_path).status == "intact"


def test_checklists_show_checked_boxes(exported):
    # the demo answers every multichoice; a checked box carries a real ✓ in the text layer
    assert "✓" in "".join(page_texts(exported.pdf_path))


# ---------------------------------------------------------------------------- the stamp page


def _png_scan(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (620, 877), "white")
    d = ImageDraw.Draw(img)
    d.ellipse((380, 560, 560, 740), outline=(200, 20, 20), width=8)
    d.text((60, 60), "stamped and signed", fill=(0, 0, 0))
    img.save(path, "PNG")
    return path


def _pdf_scan(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    from desktop.fonts import LATIN_FONT, register_fonts

    register_fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1, initialFontName=LATIN_FONT)
    c.setFont(LATIN_FONT, 14)
    c.drawString(72, 760, "SCANNED STAMP PAGE MARKER")
    c.circle(400, 300, 60)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_stamp_scan_replaces_blank_page(demo_copy, tmp_path, kind):
    blank = export_project(demo_copy, _dir(tmp_path, "a"), clock=fixed_clock)
    scan = _png_scan(tmp_path / "scan.png") if kind == "png" else _pdf_scan(tmp_path / "scan.pdf")
    with Project.open(demo_copy) as proj:
        proj.attach(scan, STAMP_INDICATOR)
    res = export_project(demo_copy, _dir(tmp_path, "b"), clock=fixed_clock)
    assert res.pages == blank.pages  # replaced, not added
    assert res.stamp_page_index == res.pages - 1
    last = page_texts(res.pdf_path)[-1]
    assert "盖章页（扫描件）" in last and "日期" not in last
    with pikepdf.open(res.pdf_path) as pdf:
        xobjs = pdf.pages[-1].obj.Resources.get("/XObject", {})
        kinds = {str(x.get("/Subtype")) for x in xobjs.values()}
    assert ("/Image" if kind == "png" else "/Form") in kinds
    if kind == "pdf":
        assert "SCANNED STAMP PAGE MARKER" in last
    assert_fonts_embedded(res.pdf_path)
    with zipfile.ZipFile(res.zip_path) as z:
        assert f"{res.base_name}/data/evidence/_stamp/{scan.name}" in z.namelist()
    assert verify_package(res.zip_path).status == "intact"


# ---------------------------------------------------------------------------- determinism & seal time


def test_sealing_twice_is_byte_identical_and_reuses_seal_time(demo_copy, tmp_path):
    later = lambda: FIXED + _dt.timedelta(hours=5)  # noqa: E731
    a = export_project(demo_copy, _dir(tmp_path, "1"), clock=fixed_clock)
    b = export_project(demo_copy, _dir(tmp_path, "2"), clock=later)
    assert b.reused_seal_time and b.sealed_at == a.sealed_at
    assert a.pdf_path.read_bytes() == b.pdf_path.read_bytes()
    assert a.zip_path.read_bytes() == b.zip_path.read_bytes()
    with Project.open(demo_copy) as proj:
        assert proj.meta()["sealed_at"] == "2025-03-01T10:15:00+08:00"
        path = next(p for p, f in proj.program.fields.items() if f.type == "text" and p in proj.answers())
        proj.set(path, "改过的内容")
    c = export_project(demo_copy, _dir(tmp_path, "3"), clock=later)
    assert not c.reused_seal_time and c.sealed_at == "2025-03-01T15:15:00+08:00"
    assert c.content_digest != a.content_digest
    assert c.pdf_path.name.endswith("_20250301.pdf")


# ---------------------------------------------------------------------------- drafts and refusal


@pytest.fixture
def incomplete(tmp_path) -> Path:
    p = tmp_path / "empty.dossier"
    Project.create(p, find_program("moe-quality-textbook"), "测试学校").close()
    return p


def test_blocking_problems_refuse_export(incomplete, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportBlocked) as e:
        export_project(incomplete, out)
    assert e.value.exit_code == 1 and e.value.problems
    assert list(out.iterdir()) == []


def test_cli_refuses_with_exit_1_and_lists_problems(incomplete, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert cli_main(["export", str(incomplete), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "BLOCKING" in err and "--allow-incomplete" in err
    assert list(out.iterdir()) == []


def test_draft_has_watermark_on_every_page(incomplete, tmp_path):
    res = export_project(incomplete, tmp_path, allow_incomplete=True, clock=fixed_clock)
    assert res.draft and res.pdf_path.name.endswith("_DRAFT.pdf") and res.blocking > 0
    pages = page_texts(res.pdf_path)
    assert all("草稿 DRAFT" in t for t in pages)
    assert_fonts_embedded(res.pdf_path)
    with zipfile.ZipFile(res.zip_path) as z:
        doc = json.loads(z.read(f"{res.base_name}/data/answers.json"))
        info = z.read(f"{res.base_name}/bag-info.txt").decode()
    assert doc["status"] == "draft" and doc["problems"]
    assert "Dossier-Status: draft" in info
    v = verify_package(res.zip_path)
    assert v.status == "intact" and v.draft


def test_complete_project_is_not_a_draft(exported):
    assert "草稿 DRAFT" not in "".join(page_texts(exported.pdf_path))


# ---------------------------------------------------------------------------- cancel and failures


def test_cancel_during_packaging_leaves_nothing(demo_copy, tmp_path):
    def on_progress(done, total, status):
        if status == "package":
            task.cancel()

    task = TaskState(on_progress, min_interval=0)
    with pytest.raises(Cancelled):
        export_project(demo_copy, tmp_path, task=task, clock=fixed_clock)
    assert [p for p in tmp_path.iterdir() if p.suffix != ".dossier"] == []
    with Project.open(demo_copy) as proj:
        assert "sealed_at" not in proj.meta()


def test_cancel_during_pdf_leaves_nothing(demo_copy, tmp_path):
    calls = []

    def on_progress(done, total, status):
        calls.append(status)

    task = TaskState(on_progress, min_interval=0)
    orig = task.check

    def check():
        if "pdf" in calls:
            task.cancel()
        orig()

    task.check = check
    with pytest.raises(Cancelled):
        export_project(demo_copy, tmp_path, task=task, clock=fixed_clock)
    assert [p for p in tmp_path.iterdir() if p.suffix != ".dossier"] == []


def test_progress_reaches_total(demo_copy, tmp_path):
    seen = []
    task = TaskState(lambda d, t, s: seen.append((d, t, s)), min_interval=0)
    (tmp_path / "o").mkdir()
    export_project(demo_copy, tmp_path / "o", task=task, clock=fixed_clock)
    assert seen[-1][0] == seen[-1][1] and seen[-1][2] == "done"


def test_missing_output_folder_is_created(demo_copy, tmp_path):
    """`--out 提交/` as in the README: a missing folder is created; one that cannot be is a clear error."""
    from desktop.errors import DossierError

    res = export_project(demo_copy, tmp_path / "提交" / "第一批", clock=fixed_clock)
    assert res.zip_path.parent == tmp_path / "提交" / "第一批" and res.zip_path.is_file()
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(DossierError, match="Cannot create the output folder"):
        export_project(demo_copy, tmp_path / "a-file" / "sub")


# ---------------------------------------------------------------------------- answers.json and xlsx


def test_answers_json_schema_round_trip(exported, demo_master):
    with zipfile.ZipFile(exported.zip_path) as z:
        raw = z.read(f"{exported.base_name}/data/answers.json")
        yaml_text = z.read(f"{exported.base_name}/data/program.yaml").decode()
    doc = answers_json.loads(raw)
    assert answers_json.dumps(doc) == raw  # stable serialisation
    assert doc["format"] == "dossier-answers" and doc["format_version"] == 2
    assert doc["program"]["id"] == "gx-city-consortium" and doc["program"]["version"] == "1.0.0"
    assert doc["program"]["definition_sha256"] == hashlib.sha256(yaml_text.encode()).hexdigest()
    with Project.open(demo_master, readonly=True) as proj:
        assert yaml_text == proj.program.text
        visible = proj.report().visible_fields
        assert doc["answers"] == {p: v for p, v in strip_all(proj.answers()).items() if p in visible}
        assert list(doc["answers"]) == [p for p in proj.program.fields if p in doc["answers"]]
        assert answers_json.check_against_program(doc, proj.program) == []
    assert {e["path"] for e in doc["evidence"]} <= set(zipfile.ZipFile(exported.zip_path).namelist()) | {
        e["path"] for e in doc["evidence"]}
    bad = json.loads(raw)
    bad["answers"]["9.9/nope"] = "x"
    from desktop.programs import load_definition_text

    assert any("9.9/nope" in p for p in answers_json.check_against_program(bad, load_definition_text(yaml_text, "p")))
    bad2 = json.loads(raw)
    del bad2["program"]
    with pytest.raises(answers_json.AnswersFormatError):
        answers_json.loads(json.dumps(bad2).encode())


def test_xlsx_sheets_and_evidence(exported):
    from openpyxl import load_workbook

    with zipfile.ZipFile(exported.zip_path) as z:
        data = z.read(f"{exported.base_name}/data/answers.xlsx")
    wb = load_workbook(io.BytesIO(data))
    prog = find_program("gx-city-consortium")
    assert len(wb.sheetnames) == len(prog.sections) + 2
    ev = wb[wb.sheetnames[-1]]
    assert ev.max_row - 1 == 8
    assert wb.properties.created == wb.properties.modified == _dt.datetime(2025, 3, 1, 2, 15, 0)


# ---------------------------------------------------------------------------- names


def test_safe_names():
    assert safe_component("报告/第1版:最终?.pdf") == "报告_第1版_最终_.pdf"
    assert safe_component("..\\..\\evil.pdf") == "_.._evil.pdf"
    assert safe_component("CON.txt") == "_CON.txt"
    assert safe_component("50%.pdf") == "50％.pdf"
    assert safe_component("a\u202egpj.exe") == "a_gpj.exe"
    long = safe_component("很" * 200 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 150
    u = UniqueNames()
    assert [u.claim(n) for n in ("A.pdf", "a.pdf", "a.pdf")] == ["A.pdf", "a (2).pdf", "a (3).pdf"]
    assert output_base_name("p", "广西 职业/学院", "20250301") == "p_广西-职业_学院_20250301"
    assert output_base_name("p", "", "20250301", draft=True) == "p_applicant_20250301_DRAFT"


def test_colliding_evidence_names_get_unique_paths(demo_copy, tmp_path):
    a = tmp_path / "x" / "同名.pdf"
    b = tmp_path / "y" / "同名.pdf"
    a.parent.mkdir()
    b.parent.mkdir()
    a.write_bytes(b"%PDF-1.4 first\n")
    b.write_bytes(b"%PDF-1.4 second\n")
    with Project.open(demo_copy) as proj:
        ind = next(i for i in proj.program.indicators() if i.evidence)
        proj.attach(a, ind.id)
        proj.attach(b, ind.id)
    (tmp_path / "o").mkdir()
    res = export_project(demo_copy, tmp_path / "o", clock=fixed_clock)
    names = zipfile.ZipFile(res.zip_path).namelist()
    folder = f"{res.base_name}/data/evidence/{ind.id}/"
    assert folder + "同名.pdf" in names and folder + "同名 (2).pdf" in names
    assert verify_package(res.zip_path).status == "intact"


# ---------------------------------------------------------------------------- the sealer hook (issue #5)


class FakeSealer:
    fingerprint = "ABCDEF0123456789ABCDEF0123456789ABCDEF01"
    display_fingerprint = "ABCD EF01 2345 6789 ABCD EF01 2345 6789 ABCD EF01"
    name = "柳州市人民政府（测试签章）"

    def __init__(self):
        self.calls = []

    def sign_pdf(self, src: Path, dst: Path, *, page_index: int, box: tuple[float, float, float, float]) -> None:
        self.calls.append(("pdf", page_index, box))
        data = src.read_bytes()
        # an incremental "signature revision" whose byte range covers the whole file, like PAdES
        n, k = len(data), 0
        for _ in range(5):  # the length of the tail names itself: iterate to the fixed point
            tail = f"\n/ByteRange [0 {n} {n} {k}]\n%signed\n".encode()
            k = len(tail)
        dst.write_bytes(data + tail)

    def sign_bytes(self, data: bytes) -> dict[str, bytes]:
        self.calls.append(("bytes", data))
        return {"signature.p7s": b"SIG:" + hashlib.sha256(data).digest(), "signer-cert.pem": b"-----BEGIN CERTIFICATE-----\n"}


def test_sealer_hook(demo_copy, tmp_path):
    s = FakeSealer()
    res = export_project(demo_copy, tmp_path, sealer=s, clock=fixed_clock)
    assert res.signed and res.signer_fingerprint == s.fingerprint.lower()
    kind, page_index, box = s.calls[0]
    assert kind == "pdf" and page_index == res.stamp_page_index == res.pages - 1
    x0, y0, x1, y1 = box
    assert 0 < x0 < x1 <= 595.3 and 0 < y0 < y1 < 842
    assert res.pdf_path.read_bytes().endswith(b"%signed\n")  # the signed file is final, not re-saved
    pages = page_texts(res.pdf_path)
    assert squash(s.name) in squash(pages[1]) and squash(s.display_fingerprint) in squash(pages[1])
    assert squash(s.name) in squash(pages[-1])
    with zipfile.ZipFile(res.zip_path) as z:
        tm = z.read(f"{res.base_name}/tagmanifest-sha256.txt")
        assert z.read(f"{res.base_name}/signature.p7s") == b"SIG:" + hashlib.sha256(tm).digest()
        z.extractall(tmp_path / "u")
    assert s.calls[1] == ("bytes", tm)
    import bagit

    assert bagit.Bag(str(tmp_path / "u" / res.base_name)).validate()
    doc = json.loads((tmp_path / "u" / res.base_name / "data" / "answers.json").read_bytes())
    assert doc["sealer"] == {"name": s.name, "fingerprint": s.fingerprint.lower()}


def test_verify_calls_identity_hook(demo_copy, tmp_path, monkeypatch):
    res = export_project(demo_copy, tmp_path, sealer=FakeSealer(), clock=fixed_clock)
    seen = {}

    def check_package_signature(tagmanifest_bytes, tag_files, trust_cert_pem=None, trust_fingerprint=None):
        seen.update(tm=tagmanifest_bytes, files=tag_files, cert=trust_cert_pem, fp=trust_fingerprint)
        ok = tag_files["signature.p7s"] == b"SIG:" + hashlib.sha256(tagmanifest_bytes).digest()
        return {"status": "valid" if ok else "invalid", "signer": "测试"}

    _load_extensions()  # import the CLI extensions before desktop.identity is replaced below
    pkg = types.ModuleType("desktop.identity")
    mod = types.ModuleType("desktop.identity.verify")
    mod.check_package_signature = check_package_signature
    mod.check_pdf_signature = lambda pdf, trust_cert_pem=None, trust_fingerprint=None: {"status": "valid"}
    pkg.verify = mod
    monkeypatch.setitem(sys.modules, "desktop.identity", pkg)
    monkeypatch.setitem(sys.modules, "desktop.identity.verify", mod)
    v = verify_package(res.zip_path, trust_fingerprint="AB" * 32)
    assert v.status == "intact" and v.signature["status"] == "valid"
    assert set(seen["files"]) == {"signature.p7s", "signer-cert.pem"} and seen["fp"] == ["ab" * 32]
    # a forged signature makes the package tampered
    from .conftest import rewrite_zip

    def forge(items):
        return [(zi, b"SIG:forged" if zi.filename.endswith("/signature.p7s") else d) for zi, d in items]

    bad = rewrite_zip(res.zip_path, tmp_path / "forged.zip", forge)
    v = verify_package(bad)
    assert v.status == "tampered" and v.signature["status"] == "invalid"


def test_verify_without_identity_module_reports_unsigned_or_not_checked(exported, monkeypatch):
    _load_extensions()
    monkeypatch.setitem(sys.modules, "desktop.identity", None)
    assert verify_package(exported.zip_path).signature == {"status": "unsigned"}
    v = verify_package(exported.zip_path, trust_fingerprint="ab" * 32)
    # content intact, a required trust not met: its own verdict (issue #15 item 6), not "tampered"
    assert v.status == "untrusted" and v.exit_code == 3 and v.trust["required"] and not v.trust["met"]
    assert all(c.ok for c in v.checks) and not v.findings


def test_cli_sign_without_identity_is_one_line_error(demo_copy, tmp_path, capsys, monkeypatch):
    _load_extensions()
    monkeypatch.setitem(sys.modules, "desktop.identity", None)
    assert cli_main(["export", str(demo_copy), "--out", str(tmp_path), "--sign"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "desktop.identity" in err


def test_cli_export_and_verify_json(demo_copy, tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    assert cli_main(["export", str(demo_copy), "--out", str(out), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["ok"] and Path(res["zip_path"]).exists()
    assert cli_main(["verify", res["zip_path"], "--json"]) == 0
    v = json.loads(capsys.readouterr().out)
    assert v["status"] == "intact" and v["exit_code"] == 0
    assert cli_main(["verify", res["zip_path"]]) == 0
    assert "INTACT" in capsys.readouterr().out


def test_image_evidence_gets_a_thumbnail(demo_copy, tmp_path):
    from PIL import Image

    img = tmp_path / "现场照片.jpg"
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(img, "JPEG")
    with Project.open(demo_copy) as proj:
        ind = proj.program.indicator("1.1")
        proj.attach(img, ind.id)
    res = export_project(demo_copy, _dir(tmp_path, "o"), clock=fixed_clock)
    pages = page_texts(res.pdf_path)
    (n,) = [i for i, t in enumerate(pages) if "现场照片.jpg" in t][:1]
    with pikepdf.open(res.pdf_path) as pdf:
        images = [x for page in pdf.pages[n:n + 2]  # the thumbnail follows the evidence table
                  for x in page.obj.Resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Image"]
    assert images and max(int(x.Width) for x in images) <= 480  # a thumbnail, not the original


def test_english_first_pdf(demo_copy, tmp_path):
    res = export_project(demo_copy, tmp_path, lang="en", clock=fixed_clock)
    pages = page_texts(res.pdf_path)
    assert "Basic information" in pages[2]  # the table of contents in English
    with pikepdf.open(res.pdf_path) as pdf:
        assert str(pdf.Root.Lang) == "en"
    assert_fonts_embedded(res.pdf_path)


def test_export_on_a_worker_thread_while_the_project_is_open(demo_copy, tmp_path):
    """The UI keeps its own connection open (and may edit) while the export runs on a worker."""
    import threading

    box = {}
    with Project.open(demo_copy) as ui:
        path = next(p for p, f in ui.program.fields.items() if f.type == "text" and p in ui.answers())
        t = threading.Thread(target=lambda: box.update(r=export_project(demo_copy, tmp_path, clock=fixed_clock)))
        t.start()
        ui.set(path, "导出期间的修改")
        t.join(60)
        assert ui.meta().get("applicant") == "柳州市人民政府"
    assert "r" in box and box["r"].zip_path.exists()
    assert verify_package(box["r"].zip_path).status == "intact"


def test_real_identity_end_to_end(demo_copy, tmp_path, monkeypatch, capsys):
    """With desktop.identity (issue #5) present: `export --sign`, then `verify --trust-fingerprint`."""
    identity = pytest.importorskip("desktop.identity.sealer")
    from desktop import identity as ident_pkg

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # never the OS keyring
    monkeypatch.setenv("DOSSIER_KEY_PASSPHRASE", "correct horse battery staple")
    me = ident_pkg.create_identity("柳州市人民政府", "Liuzhou Municipal People's Government", "CN", storage="file",
                                   passphrase="correct horse battery staple")
    assert identity.get_sealer().fingerprint == me.fingerprint
    out = _dir(tmp_path, "o")
    assert cli_main(["export", str(demo_copy), "--out", str(out), "--sign", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["signed"]
    assert cli_main(["verify", res["zip_path"], "--trust-fingerprint", me.fingerprint, "--json"]) == 0
    v = json.loads(capsys.readouterr().out)
    assert v["signature"]["status"] == "trusted" and v["pdf_signature"]["status"] == "trusted"
    assert cli_main(["verify", res["zip_path"], "--trust-fingerprint", "ab" * 32]) == 3  # untrusted
    capsys.readouterr()
    # appending to the signed PDF inside the package breaks it twice: the manifest and the PDF seal
    from .conftest import rewrite_zip

    bad = rewrite_zip(Path(res["zip_path"]), tmp_path / "bad.zip", lambda items: [
        (zi, d + b"%x\n" if zi.filename.endswith("/data/submission.pdf") else d) for zi, d in items])
    v = verify_package(bad)
    assert v.exit_code == 1 and {f.path for f in v.findings} == {"data/submission.pdf"}
    assert v.pdf_signature["status"] == "invalid"


def test_byte_identical_across_processes(demo_copy, tmp_path):
    """Two processes with different hash seeds (set iteration order) seal the same bytes."""
    with Project.open(demo_copy) as proj:
        path = next(f.path for f in proj.program.fields.values() if f.type == "longtext"
                    and f.path in proj.report().visible_fields)
        proj.set(path, SAMPLES["thai"] + " " + SAMPLES["khmer"] + " 中文 " + SAMPLES["vietnamese"])
    root = Path(__file__).resolve().parents[2]
    outs = []
    for seed in ("1", "12345"):
        out = _dir(tmp_path, f"s{seed}")
        code = ("import sys, datetime as d; from desktop.export import export_project; "
                "t = d.datetime(2025, 3, 1, 10, 15, tzinfo=d.timezone(d.timedelta(hours=8))); "
                "export_project(sys.argv[1], sys.argv[2], clock=lambda: t)")
        subprocess.run([sys.executable, "-c", code, str(demo_copy), str(out)], check=True, cwd=root,
                       env={**__import__("os").environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)})
        outs.append(sorted(out.iterdir()))
    for a, b in zip(*outs):
        assert a.name == b.name and a.read_bytes() == b.read_bytes(), a.name


def test_table_of_contents_page_numbers_are_right(exported):
    import re

    from .pdfcheck import page_lines

    pages = page_texts(exported.pdf_path)
    # each entry: its title, then (on the same baseline, after the dot leader) the page number
    entries = {squash(m.group(1)): int(m.group(2)) for ln in page_lines(exported.pdf_path, [2, 3])
               if (m := re.fullmatch(r"(.+?)\s+(\d+)", ln))}
    prog = find_program("gx-city-consortium")
    for ind in prog.indicators():
        title = squash(f"{ind.id} {ind.title.zh}")
        page = entries[title]
        assert title in squash(pages[page - 1]), (title, page)
    assert len([t for t in entries if t[0].isdigit()]) >= 28 + len(prog.sections)
