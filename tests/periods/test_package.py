"""The previous period's figures in a sealed package: data/previous-period.json (docs/previous-period.md),
the same data for the PDF through the extras seam, and a reader that refuses what it does not know."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from desktop.errors import DossierError
from desktop.periods import start_next_period
from desktop.periods.compare import numeric_per_period
from desktop.periods.package import FORMAT, PATH, document, encode, read_document
from desktop.project import Project

CLOCK = lambda: dt.datetime(2025, 1, 31, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # noqa: E731


@pytest.fixture
def next_project(wf, tmp_path):
    out = tmp_path / "2025.dossier"
    start_next_period(wf, out, "2025")
    return out


def test_the_document_has_exactly_the_agreed_shape(next_project):
    with Project.open(next_project) as proj:
        doc = document(proj.meta(), proj.program)
        paths = [f.path for f in numeric_per_period(proj.program)]
    assert list(doc) == ["format", "format_version", "period", "previous_period", "previous_package_digest", "values"]
    assert doc["format"] == FORMAT and doc["format_version"] == 1
    assert (doc["period"], doc["previous_period"], doc["previous_package_digest"]) == ("2025", "2024", None)
    assert list(doc["values"]) == paths and doc["values"]["3.3/releases"] == 36
    assert all(v is None or isinstance(v, (int, float)) for v in doc["values"].values())
    assert read_document(encode(doc)) == doc


def test_a_project_not_started_from_a_previous_period_has_none(wf):
    with Project.open(wf) as proj:
        assert document(proj.meta(), proj.program) is None


def test_the_package_carries_it_and_the_pdf_gets_it(next_project, tmp_path, monkeypatch):
    from desktop.export import export_project
    from desktop.export import package as pkg
    from desktop.export.verify import verify_package

    seen = {}
    real = pkg.render

    def spy(inp, task=None):
        seen.update(inp.extras)
        return real(inp, task)

    monkeypatch.setattr(pkg, "render", spy)
    out = tmp_path / "out"
    out.mkdir()
    res = export_project(next_project, out, allow_incomplete=True, clock=CLOCK)
    with zipfile.ZipFile(res.zip_path) as z:
        (name,) = [n for n in z.namelist() if n.endswith("/" + PATH)]
        data = z.read(name)
        manifest = z.read(name.split("/")[0] + "/manifest-sha256.txt").decode()
    doc = read_document(data)
    assert seen["previous_period"] == doc
    assert PATH in manifest
    v = verify_package(res.zip_path)
    assert v.status in ("intact",), [f.line() for f in v.findings]
    # sealing the same project again gives the same document, byte for byte
    out2 = tmp_path / "out2"
    out2.mkdir()
    res2 = export_project(next_project, out2, allow_incomplete=True, clock=CLOCK)
    with zipfile.ZipFile(res2.zip_path) as z:
        assert z.read(name) == data


@pytest.mark.parametrize("data,why", [
    (b"\xff\xfe", "UTF-8"),
    (b"[]", "not a dossier-previous-period"),
    (json.dumps({"format": "dossier-review-response", "format_version": 1}).encode(), "not a dossier-previous-period"),
    (json.dumps({"format": FORMAT, "format_version": 2}).encode(), "newer"),
    (json.dumps({"format": FORMAT, "format_version": "1"}).encode(), "whole number"),
    (json.dumps({"format": FORMAT, "format_version": 1, "period": 2025, "previous_period": "2024", "values": {}}).encode(), "period must be text"),
    (json.dumps({"format": FORMAT, "format_version": 1, "period": "2025", "previous_period": "2024",
                 "previous_package_digest": 5, "values": {}}).encode(), "digest"),
    (json.dumps({"format": FORMAT, "format_version": 1, "period": "2025", "previous_period": "2024", "values": []}).encode(), "values must"),
    (json.dumps({"format": FORMAT, "format_version": 1, "period": "2025", "previous_period": "2024",
                 "values": {"a/b": "12"}}).encode(), "number or null"),
    (json.dumps({"format": FORMAT, "format_version": 1, "period": "2025", "previous_period": "2024",
                 "values": {"a/b": True}}).encode(), "number or null"),
    (b" " * (5 << 20), "too large"),
])
def test_the_reader_refuses_what_it_does_not_know(data, why):
    with pytest.raises(DossierError) as e:
        read_document(data)
    assert why in e.value.en and e.value.key == "previous_period.invalid"
