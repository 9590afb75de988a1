"""docs/programs.md is generated from the definitions and per-program pages, and names every rule."""

import subprocess
import sys
from pathlib import Path

from desktop.programs import bundled_programs

ROOT = Path(__file__).resolve().parents[2]


def test_programs_doc_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_programs_doc.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_every_rule_is_documented_with_its_source():
    doc = (ROOT / "docs" / "programs.md").read_text("utf-8")
    for p in bundled_programs():
        page = (ROOT / "docs" / "programs" / f"{p.id}.md").read_text("utf-8")
        missing = [r.id for r in p.all_rules() if r.id not in page]
        assert missing == [], f"{p.id}: rules missing from docs/programs/{p.id}.md: {missing}"
        assert f'<a id="{p.id}"></a>' in doc
