"""verify and the PDF re-render share one parsed program.yaml per text (programs.shared_definition):
neither may change it, or the next package would be checked against an altered definition."""

from __future__ import annotations

import pickle
import zipfile

from desktop.export.verify import verify_package
from desktop.programs import loader


def test_verify_and_rerender_leave_the_shared_definition_as_it_was(exported, monkeypatch):
    monkeypatch.setenv("DOSSIER_NO_FORK", "1")  # the re-render in this process, where a change would show
    loader._shared.clear()
    with zipfile.ZipFile(exported.zip_path) as z:
        (yaml_name,) = [n for n in z.namelist() if n.endswith("/data/program.yaml")]
        text = z.read(yaml_name).decode("utf-8")
    prog = loader.shared_definition(text, "program.yaml")
    before = pickle.dumps(prog)
    for _ in range(2):
        v = verify_package(exported.zip_path)  # its checks and its re-render, in this process
        assert v.status == "intact", v.errors
        assert any(c.name.startswith("PDF") and "rendering" in c.detail for c in v.checks), [c.name for c in v.checks]
    assert loader.shared_definition(text, "program.yaml") is prog  # the one both used
    assert pickle.dumps(prog) == before
