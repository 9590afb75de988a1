"""Small program definitions built in tests (so core tests do not depend on bundled wording)."""

from __future__ import annotations

import copy

import yaml

from desktop.programs import load_definition_text

L = lambda zh, en=None: {"zh": zh, "en": en or zh}  # noqa: E731

BASE = {
    "format": 1,
    "id": "test-prog",
    "version": "1.0.0",
    "title": L("测试程序", "Test program"),
    "issuer": L("测试机关", "Test issuer"),
    "source": {"number": "测〔2024〕1号", "date": "2024-01-01", "title": L("测试文件", "Test document")},
    "sections": [
        {
            "id": "1",
            "title": L("基本情况", "Basics"),
            "indicators": [
                {
                    "id": "1.1",
                    "title": L("单位", "Units"),
                    "official": L("1.1 官方文字", "Official text"),
                    "fields": [
                        {"id": "name", "type": "text", "label": L("名称", "Name"), "required": True, "max_length": 50},
                        {"id": "intro", "type": "longtext", "label": L("简介", "Intro"), "suggested_length": 500},
                        {"id": "count", "type": "integer", "label": L("数量", "Count"), "min": 0, "max": 1000,
                         "unit": L("个", "units")},
                        {"id": "money", "type": "number", "label": L("经费", "Funding"), "unit": L("万元", "10k CNY")},
                        {"id": "share", "type": "percent", "label": L("比例", "Share")},
                        {"id": "since", "type": "date", "label": L("日期", "Date"), "min": "2000-01-01"},
                        {"id": "kind", "type": "choice", "label": L("类型", "Kind"), "required": True,
                         "choices": [{"value": "school", "label": L("学校", "School")},
                                     {"value": "enterprise", "label": L("企业", "Enterprise")}]},
                        {"id": "tags", "type": "multichoice", "label": L("标签", "Tags"), "max_selected": 2,
                         "choices": [{"value": "a", "label": L("甲", "A")}, {"value": "b", "label": L("乙", "B")},
                                     {"value": "c", "label": L("丙", "C")}]},
                        {"id": "ok", "type": "boolean", "label": L("是否", "OK")},
                        {"id": "school_only", "type": "text", "label": L("学校专用", "School only"),
                         "visible_if": {"field": "kind", "equals": "school"}, "required": True},
                        {"id": "units", "type": "table", "label": L("成员单位", "Members"), "max_rows": 50,
                         "columns": [
                             {"id": "name", "type": "text", "label": L("名称", "Name"), "required": True},
                             {"id": "role", "type": "choice", "label": L("角色", "Role"),
                              "choices": [{"value": "lead", "label": L("牵头", "Lead")},
                                          {"value": "member", "label": L("成员", "Member")}]},
                             {"id": "province", "type": "text", "label": L("省份", "Province")},
                             {"id": "months", "type": "integer", "label": L("月数", "Months")},
                             {"id": "start", "type": "date", "label": L("开始", "Start")},
                             {"id": "end", "type": "date", "label": L("结束", "End")},
                         ]},
                    ],
                    "evidence": [{"id": "proof", "label": L("证明", "Proof"), "min_count": 1, "accept": ["pdf", "png", "txt"]}],
                    "rules": [],
                }
            ],
        }
    ],
}


def program(rules=None, extra_fields=None, mutate=None):
    d = copy.deepcopy(BASE)
    ind = d["sections"][0]["indicators"][0]
    if rules:
        ind["rules"] = rules
    if extra_fields:
        ind["fields"] += extra_fields
    if mutate:
        mutate(d)
    text = yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
    return load_definition_text(text, "test.yaml")


def definition_text(mutate=None):
    d = copy.deepcopy(BASE)
    if mutate:
        mutate(d)
    return yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
