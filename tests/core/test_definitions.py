"""Program definitions: malformed files are refused with file, location and reason; import; XLSX."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from desktop.errors import DefinitionError, DossierError
from desktop.programs import all_programs, import_program, load_definition_file, load_definition_text
from tests.core.helpers import L, definition_text


def ind(d):
    return d["sections"][0]["indicators"][0]


@pytest.mark.parametrize(
    "mutate,location,reason",
    [
        (lambda d: d.pop("title"), "", "'title' is a required property"),
        (lambda d: ind(d)["fields"][0].update(type="money"), "sections[0].indicators[0].fields[0].type", "'money' is not one of"),
        (lambda d: ind(d)["fields"][0].update(label={"zh": "名称"}), "sections[0].indicators[0].fields[0].label", "'en' is a required property"),
        (lambda d: ind(d)["fields"].append(dict(ind(d)["fields"][0])), "sections[0].indicators[0].fields[11].id", "duplicate field id"),
        (lambda d: ind(d)["fields"][1].update(visible_if={"field": "nope", "equals": 1}), "fields[1].visible_if.field", "unknown field 'nope'"),
        (lambda d: ind(d)["fields"][1].update(visible_if={"field": "kind", "equals": "shop"}), "fields[1].visible_if.equals", "'shop' is not a choice"),
        (lambda d: ind(d).update(rules=[{"id": "r", "kind": "distinct_count", "table": "name", "column": "x", "gte": 2, "message": L("m")}]),
         "rules[0].table", "is a text, not a table"),
        (lambda d: ind(d).update(rules=[{"id": "r", "kind": "distinct_count", "table": "units", "column": "x", "gte": 2, "message": L("m")}]),
         "rules[0].column", "has no column 'x'"),
        (lambda d: ind(d).update(rules=[{"id": "r", "kind": "threshold", "expr": {"field": "count"}, "message": L("m")}]),
         "rules[0]", "exactly one comparison"),
        (lambda d: ind(d).update(rules=[{"id": "r", "kind": "at_least", "k": 5, "of": [{"field": "ok", "equals": True}], "message": L("m")}]),
         "rules[0].k", "more than the 1 conditions"),
        (lambda d: ind(d)["fields"][2].update(min=10, max=1), "fields[2]", "min is greater than max"),
        (lambda d: d.update(demo={"answers": {"1.1/count": "many"}}), "demo.answers.1.1/count", "not a whole number"),
    ],
)
def test_malformed_definition_is_refused_with_location(mutate, location, reason):
    with pytest.raises(DefinitionError) as ei:
        load_definition_text(definition_text(mutate), "bad.yaml")
    e = ei.value
    assert e.file == "bad.yaml"
    assert location in e.location
    assert reason in e.reason
    assert "bad.yaml" in str(e) and e.zh.startswith("程序定义文件有误")


def test_yaml_syntax_error_names_the_line():
    text = definition_text() + "\n  : : bad\n\t- x"
    with pytest.raises(DefinitionError) as ei:
        load_definition_text(text, "broken.yaml")
    assert "line" in ei.value.location


def test_a_key_given_twice_is_refused_with_its_line():
    # YAML keeps the last of two equal keys without a word; a merged definition once carried two
    # demo answers for one field that way. The reader names the second one instead.
    text = definition_text() + "\nid: again\n"
    line = text.count("\n")
    with pytest.raises(DefinitionError) as ei:
        load_definition_text(text, "twice.yaml")
    assert "duplicate key 'id'" in ei.value.reason and f"line {line}," in ei.value.location


def test_schema_error_names_the_yaml_line():
    text = definition_text(lambda d: ind(d)["fields"][0].update(type="money"))
    with pytest.raises(DefinitionError) as ei:
        load_definition_text(text, "bad.yaml")
    assert "(line " in ei.value.location


def test_dates_stay_strings_and_rules_are_data():
    p = load_definition_text(definition_text(), "ok.yaml")
    assert p.source.date == "2024-01-01"
    assert p.field("1.1/since").min == "2000-01-01"


def test_import_yaml_and_collision_refused(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(definition_text(lambda d: d.update(id="my-prog")), "utf-8")
    prog = import_program(f)
    assert prog.origin == "installed"
    assert any(p.id == "my-prog" and p.origin == "installed" for p in all_programs())
    with pytest.raises(DossierError) as ei:
        import_program(f)
    assert "already" in ei.value.en
    f2 = tmp_path / "mine2.yaml"
    f2.write_text(definition_text(lambda d: d.update(id="my-prog", version="1.1.0")), "utf-8")
    import_program(f2)
    assert sorted(p.version for p in all_programs() if p.id == "my-prog") == ["1.0.0", "1.1.0"]


def test_import_refuses_a_bundled_id_and_version(tmp_path):
    bundled = next(p for p in all_programs() if p.origin == "bundled")
    f = tmp_path / "clash.yaml"
    f.write_text(bundled.text, "utf-8")
    with pytest.raises(DossierError, match="already bundled"):
        import_program(f)


def test_import_wrong_extension_and_missing(tmp_path):
    with pytest.raises(DossierError, match="not found"):
        load_definition_file(tmp_path / "nope.yaml")
    (tmp_path / "x.txt").write_text("id: x")
    with pytest.raises(DossierError, match=".yaml, .yml or .xlsx"):
        load_definition_file(tmp_path / "x.txt")
    (tmp_path / "latin1.yaml").write_bytes("id: caf\xe9".encode("latin-1"))
    with pytest.raises(DefinitionError, match="UTF-8"):
        load_definition_file(tmp_path / "latin1.yaml")


def make_xlsx(path, *, bad_kind=False):
    wb = Workbook()
    ws = wb.active
    ws.title = "settings"
    ws.append(["key", "value"])
    for k, v in [("id", "xlsx-prog"), ("version", "2.0"), ("title_zh", "表格程序"), ("title_en", "Workbook program"),
                 ("issuer_zh", "某厅"), ("issuer_en", "A department"), ("source_number", "某〔2024〕2号"),
                 ("source_date", "2024-02-02"), ("source_title_zh", "某文件"), ("source_title_en", "A document")]:
        ws.append([k, v])
    sv = wb.create_sheet("survey")
    sv.append(["kind", "id", "type", "label_zh", "label_en", "official_zh", "official_en", "required", "choices",
               "min", "max", "unit_zh", "unit_en", "min_count", "accept"])
    sv.append(["section", "1", None, "基本情况", "Basics"])
    sv.append(["indicator", "1.1", None, "园区", "Park", "园区总产值在区内位于前列。", "The park's output ranks high."])
    sv.append(["field", "cluster", "choice", "产业集群", "Cluster", None, None, "yes", "clusters"])
    sv.append(["field", "output", "number", "总产值", "Output", None, None, "yes", None, 0, None, "亿元", "100M CNY"])
    sv.append(["field" if not bad_kind else "widget", "members", "table", "成员", "Members"])
    sv.append(["column", "name", "text", "名称", "Name", None, None, "yes"])
    sv.append(["column", "province", "text", "省份", "Province"])
    sv.append(["evidence", "report", None, "统计报告", "Statistics report", None, None, None, None, None, None, None, None, 1, "pdf, jpg"])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "value", "label_zh", "label_en"])
    ch.append(["clusters", "machinery", "机械装备制造", "Machinery"])
    ch.append(["clusters", "auto", "汽车", "Automobiles"])
    wb.save(path)


def test_xlsx_import_round_trip(tmp_path):
    f = tmp_path / "程序 定义.xlsx"
    make_xlsx(f)
    prog = import_program(f)
    assert (prog.id, prog.version) == ("xlsx-prog", "2.0")
    assert prog.field("1.1/cluster").choice_values == ["machinery", "auto"]
    assert prog.field("1.1/output").unit.zh == "亿元" and prog.field("1.1/output").min == 0
    assert [c.id for c in prog.field("1.1/members").columns] == ["name", "province"]
    assert prog.slot("1.1", "report").accept == ["pdf", "jpg"]
    assert prog.indicator("1.1").official.zh == "园区总产值在区内位于前列。"
    # installed as YAML: it loads again identically
    again = next(p for p in all_programs() if p.id == "xlsx-prog")
    assert again.field("1.1/cluster").required


def test_xlsx_errors_name_sheet_and_row(tmp_path):
    f = tmp_path / "bad.xlsx"
    make_xlsx(f, bad_kind=True)
    with pytest.raises(DefinitionError) as ei:
        import_program(f)
    assert "sheet 'survey' row 6" in ei.value.location
    g = tmp_path / "notxlsx.xlsx"
    g.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(DefinitionError, match="not a readable XLSX"):
        import_program(g)
