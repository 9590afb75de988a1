"""Cover details of the 申报书 (desktop/cover.py): the core service, `dossier cover`, and the dialog."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from desktop.cover import fields_for, get_cover, normalise, set_cover
from desktop.errors import DossierError
from desktop.programs import find_program
from desktop.project import Project


def test_set_cover_is_one_transaction_with_history(demo_copy):
    with Project.open(demo_copy) as proj:
        changed = set_cover(proj, {"contact_name": " 李明 ", "contact_phone": "0772-2801234 转 8021",
                                   "fill_date": "2025年3月1日"}, actor="办公室")
        assert changed == {"contact_name": "李明", "contact_phone": "0772-2801234 转 8021", "fill_date": "2025-03-01"}
        hist = [h for h in proj.history() if h.action == "cover"]
        assert {h.path for h in hist} == set(changed) and all(h.actor == "办公室" for h in hist)
        assert set_cover(proj, {"contact_name": "李明"}) == {}  # unchanged: nothing written
        before = get_cover(proj.meta())
        with pytest.raises(DossierError):  # one bad value: nothing of the call is written
            set_cover(proj, {"contact_name": "王五", "contact_phone": "call me"})
        assert get_cover(proj.meta()) == before
    with Project.open(demo_copy, readonly=True) as proj:  # committed
        assert get_cover(proj.meta())["contact_name"] == "李明"


@pytest.mark.parametrize("key,value", [("contact_phone", "abc"), ("fill_date", "2025-02-30"), ("fill_date", "next week"),
                                       ("contact_name", "x" * 201), ("contact_name", "a\x07b"), ("nope", "1")])
def test_bad_values_are_refused(key, value):
    with pytest.raises(DossierError):
        normalise(key, value)


def test_recommender_only_where_the_program_has_one():
    assert "recommender" not in [f.key for f in fields_for(find_program("gx-city-consortium"))]
    assert "recommender" in [f.key for f in fields_for(find_program("moe-city-consortium"))]


def test_cli_show_set_and_errors(demo_copy, capsys):
    assert main(["cover", str(demo_copy), "--contact-name", "李明", "--contact-phone", "+86 771 1234567", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cover"]["contact_name"] == "李明" and doc["changed"] == ["contact_name", "contact_phone"]
    assert main(["cover", str(demo_copy)]) == 0
    assert "李明" in capsys.readouterr().out
    assert main(["cover", str(demo_copy), "--fill-date", "tomorrow"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "YYYY-MM-DD" in err
    assert main(["cover", str(demo_copy), "--recommender", "某厅"]) == 2  # gx has no 推荐单位 line
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("recommending authority" in err or "推荐单位" in err)


def test_cover_details_change_the_seal(demo_copy, tmp_path):
    from desktop.export import export_project

    from tests.export.conftest import fixed_clock

    a = tmp_path / "a"
    a.mkdir()
    first = export_project(demo_copy, a, clock=fixed_clock)
    with Project.open(demo_copy) as proj:
        set_cover(proj, {"contact_name": "李明"})
    b = tmp_path / "b"
    b.mkdir()
    import datetime as _dt

    second = export_project(demo_copy, b, clock=lambda: _dt.datetime(2025, 3, 2, 9, 0, tzinfo=_dt.timezone.utc))
    assert second.sealed_at != first.sealed_at and second.content_digest != first.content_digest
    import zipfile

    with zipfile.ZipFile(second.zip_path) as z:
        doc = json.loads(z.read(f"{second.base_name}/data/answers.json"))
    assert doc["cover"] == {"contact_name": "李明"}
