"""Reading and comparing: recomputed checks, the comparison table (sort, filter, XLSX read by
openpyxl), and a package opened as a read-only project."""

from __future__ import annotations

import shutil
import sqlite3


from desktop.review import Review, add_packages

from .conftest import T0, _export


def _relaxed_package(packages, tmp_path):
    """A package made with a definition the applicant edited: a required field made optional and
    left empty. The package claims to be complete and final."""
    from desktop.project import Project

    p = tmp_path / "relaxed.dossier"
    shutil.copyfile(packages.projects / "c.dossier", p)
    with Project.open(p) as proj:
        prog = proj.program
        path, f = next((p_, f) for p_, f in prog.fields.items() if f.required and f.type in ("text", "longtext")
                       and proj.get(p_) is not None and f.visible_if is None and f.required_if is None)
        yaml_text = proj.meta()["program_yaml"]
    marker = f"id: {f.id}\n"
    i = yaml_text.index(marker)
    j = yaml_text.index("required: true", i)
    relaxed = yaml_text[:j] + "required: false" + yaml_text[j + len("required: true"):]
    c = sqlite3.connect(p)
    c.execute("UPDATE meta SET value=? WHERE key='program_yaml'", (relaxed,))
    c.execute("DELETE FROM answers WHERE path=?", (path,))
    c.commit()
    c.close()
    return _export(p, tmp_path / "out", T0), path


def test_recomputed_checks_find_a_relaxed_definition(packages, review_path, tmp_path):
    z, path = _relaxed_package(packages, tmp_path)
    with Review.open(review_path) as rv:
        (rec,) = add_packages(rv, [z]).added
        rc = rec.recheck
        assert rc["available"] and rc["definition"] == "differs" and rc["differs"]
        assert rc["claimed"]["blocking"] == 0 and rc["claimed"]["status"] == "final"
        assert rc["recomputed"]["blocking"] >= 1
        kinds = {f["kind"] for f in rc["findings"]}
        assert {"definition", "final_blocked", "missing"} <= kinds
        assert any(p["path"] == path and p["code"] == "required" for p in rc["missing"])
        assert rec.status == "intact"  # the seal is sound: only the recomputation tells


def test_recomputed_checks_agree_on_a_normal_package(packages, review_path):
    with Review.open(review_path) as rv:
        (rec,) = add_packages(rv, [packages.a]).added
        assert rec.recheck["available"] and not rec.recheck["differs"] and rec.recheck["definition"] == "same"


def test_comparison_table_sort_filter_xlsx(packages, review_path, tmp_path):
    from openpyxl import load_workbook

    from desktop.review.table import comparison, write_xlsx

    with Review.open(review_path) as rv:
        rv.add_trust(certificate=packages.trusted_cert)
        add_packages(rv, [packages.folder])
        t = comparison(rv, lang="zh")
        n = len(rv.packages())
    assert len(t.rows) == n
    keys = [c.key for c in t.columns]
    assert keys[:5] == ["id", "applicant", "verdict", "signer", "state"]
    fields = [c for c in t.columns if c.field is not None]
    assert fields and all(c.field.type in ("integer", "number", "percent", "choice", "multichoice", "boolean", "table")
                          for c in fields)
    num = next(c for c in fields if c.field.type in ("integer", "number"))
    col = t.columns.index(num)
    order = t.sort_order(col)
    vals = [t.rows[i][col] for i in order]
    present = [v for v in vals if v is not None]
    assert present == sorted(present) and vals[len(present):] == [None] * (len(vals) - len(present))
    assert [t.rows[i][col] for i in t.sort_order(col, True)][: len(present)] == sorted(present, reverse=True)
    vcol = keys.index("verdict")
    ranked = [t.rows[i][vcol] for i in t.sort_order(vcol)]
    assert ranked[0] == "unreadable" and ranked[-1] == "intact"
    assert {t.rows[i][keys.index("applicant")] for i in t.matching("乙学校")} == {"乙学校"}
    assert len(t.matching("")) == n

    out = write_xlsx(t, tmp_path / "对比表.xlsx", title="推荐")
    wb = load_workbook(out)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [c.label.zh for c in t.columns]
    assert len(rows) == n + 1
    by_id = {r[0]: r for r in rows[1:]}
    for row, cells in zip(t.rows, rows[1:]):
        if isinstance(row[col], (int, float)):
            assert cells[col] == row[col]  # numbers stay numbers
    a2 = next(r for r in t.rows if r[keys.index("applicant")] == "甲学校" and r[keys.index("previous")])
    assert by_id[a2[0]][keys.index("previous")] == a2[keys.index("previous")]


def test_read_only_project_of_a_package(packages, review_path):
    from desktop.project import Project
    from desktop.review.reader import materialize

    with Review.open(review_path) as rv:
        (rec,) = add_packages(rv, [packages.b]).added
        path = materialize(rv, rec.id)
        assert materialize(rv, rec.id) == path  # cached
    with Project.open(path) as proj:
        assert proj.readonly  # the cached file itself is read-only
        assert proj.applicant == "乙学校"
        from desktop.models.rows import strip_all

        assert strip_all(proj.answers()) == rec.answers["answers"]
        assert sorted(e.sha256 for e in proj.evidence()) == sorted({e["sha256"] for e in rec.answers["evidence"]})
        assert proj.meta().get("review_skipped") == "[]"
