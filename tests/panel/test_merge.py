"""Merging score sheets: refused when tampered, foreign, duplicate or outdated — with a clear
message and the review file unchanged; signed sheets checkable with openssl; the frozen rubric."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile

import pytest

from desktop.panel import rounds, scores_file
from desktop.panel.assign import assign
from desktop.panel.merge import merge
from desktop.panel.rubric import with_changes
from desktop.panel.scores_file import ScoresFileError
from desktop.panel.submit import submit
from desktop.review import Review, ReviewError
from tests.panel.conftest import score_all


def _snapshot(path) -> str:
    """Everything the review file holds, as one digest (its bytes change with every write)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scored(review, tmp_path, expert="张明", name="a"):
    with Review.open(review) as rv:
        sheet = assign(rv, expert, "all", tmp_path / f"{name}.dsheet")
    score_all(sheet.path)
    return submit(sheet.path, tmp_path / f"{name}.dscores")


def _rewrite(src, dst, change):
    """A copy of a score sheet with scores.json changed by `change(doc)` (manifest left as it was)."""
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    with zipfile.ZipFile(dst, "w") as z:
        for zi, data in items:
            if zi.filename == "scores.json":
                doc = json.loads(data)
                change(doc)
                data = json.dumps(doc, ensure_ascii=False).encode()
            z.writestr(zi, data)
    return dst


def _refused(review, path, kind):
    before = _snapshot(review)
    with Review.open(review) as rv:
        with pytest.raises((ReviewError, ScoresFileError)) as e:
            merge(rv, path)
    assert _snapshot(review) == before, "a refused sheet changed the review file"
    assert kind in e.value.key, e.value.key
    assert "\n" not in e.value.en
    return e.value


def test_tampered_sheet_is_refused(review, tmp_path):
    s = _scored(review, tmp_path)
    bad = _rewrite(s.path, tmp_path / "bad.dscores", lambda d: d["packages"][0]["criteria"][0].update(value=0))
    err = _refused(review, bad, "tampered")
    assert "manifest" in err.en


def test_tampered_with_manifest_recomputed_is_refused_on_content(review, tmp_path):
    """Someone who also fixes the manifest still cannot score a package the sheet did not hold."""
    s = _scored(review, tmp_path)
    sf = scores_file.read(s.path)
    doc = sf.doc
    doc["packages"][0]["package"] = 999
    forged = tmp_path / "forged.dscores"
    forged.write_bytes(scores_file.build_bytes(doc))
    err = _refused(review, forged, "tampered")
    assert "999" in err.en


def test_foreign_sheet_is_refused(review, tmp_path, panel_master):
    s = _scored(review, tmp_path)
    other = tmp_path / "other.dreview"
    shutil.copyfile(panel_master, other)
    with Review.open(other) as rv:
        rv.conn.execute("UPDATE meta SET value='00000000-0000-0000-0000-000000000000' WHERE key='review_uuid'")
    err = _refused(other, s.path, "foreign")
    assert "another review" in err.en


def test_sheet_never_issued_is_refused(review, tmp_path):
    s = _scored(review, tmp_path)
    sf = scores_file.read(s.path)
    sf.doc["sheet"]["id"] = "f" * 32
    p = tmp_path / "invented.dscores"
    p.write_bytes(scores_file.build_bytes(sf.doc))
    err = _refused(review, p, "foreign")
    assert "never issued" in err.en


def test_duplicate_is_refused(review, tmp_path):
    s = _scored(review, tmp_path)
    with Review.open(review) as rv:
        merge(rv, s.path)
    err = _refused(review, s.path, "duplicate")
    assert "were merged on" in err.en


def test_outdated_round_is_refused(review, tmp_path):
    s1 = _scored(review, tmp_path, "张明", "a")
    with Review.open(review) as rv:
        sheet_b = assign(rv, "李华", "all", tmp_path / "b.dsheet")
        merge(rv, s1.path)
        rounds.new_round(rv, "第一轮评分标准理解不一致，重新评审")
    score_all(sheet_b.path)
    s2 = submit(sheet_b.path, tmp_path / "b.dscores")
    err = _refused(review, s2.path, "outdated")
    assert "round 1" in err.en and "round 2" in err.en


def test_sheet_issued_before_a_rubric_change_is_outdated(review, tmp_path):
    with Review.open(review) as rv:
        sheet = assign(rv, "张明", "all", tmp_path / "a.dsheet")
        info = rounds.current_round(rv)
        c0 = info.rubric.criteria[0].id
        _info, outdated = rounds.set_rubric(rv, with_changes(info.rubric, weights={c0: 3}), "指标一加权")
        assert outdated == [sheet.sheet_id]
    score_all(sheet.path)
    s = submit(sheet.path, tmp_path / "a.dscores")
    err = _refused(review, s.path, "outdated")
    assert "rubric was changed" in err.en


def test_newer_format_is_refused_as_newer(review, tmp_path):
    s = _scored(review, tmp_path)
    sf = scores_file.read(s.path)
    sf.doc["format_version"] = 2
    p = tmp_path / "newer.dscores"
    files = {"mimetype": scores_file.MIMETYPE, "scores.json": json.dumps(sf.doc).encode()}
    files[scores_file.MANIFEST] = scores_file.manifest_bytes(files)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in scores_file.REQUIRED:
            z.writestr(zipfile.ZipInfo(n, (2025, 1, 1, 0, 0, 0)), files[n])
    p.write_bytes(buf.getvalue())
    err = _refused(review, p, "too_new")
    assert "newer version" in err.en


@pytest.mark.parametrize("content", [b"", b"hello", b"PK\x03\x04" + b"\0" * 60, b"SQLite format 3\x00" + b"\0" * 200])
def test_not_a_score_sheet(review, tmp_path, content):
    p = tmp_path / "x.dscores"
    p.write_bytes(content)
    _refused(review, p, "scores.")


def test_an_expert_sheet_given_to_merge_says_what_to_do(review, tmp_path):
    with Review.open(review) as rv:
        sheet = assign(rv, "张明", "all", tmp_path / "a.dsheet")
    err = _refused(review, sheet.path, "not_scores")
    assert "Submit it first" in err.en


def test_frozen_rubric_refuses_changes_until_a_new_round(review, tmp_path):
    s = _scored(review, tmp_path)
    with Review.open(review) as rv:
        merge(rv, s.path)
        info = rounds.current_round(rv)
        assert info.frozen and info.version == 1
        changed = with_changes(info.rubric, weights={info.rubric.criteria[0].id: 2})
        with pytest.raises(ReviewError) as e:
            rounds.set_rubric(rv, changed)
        assert e.value.key == "panel.rubric_frozen" and "new round" in e.value.en
        with pytest.raises(ReviewError) as e:
            rounds.new_round(rv, "  ")
        assert e.value.key == "panel.reason_required"
        r2 = rounds.new_round(rv, "调整权重", changed)
        assert r2.round == 2 and not r2.frozen and r2.rubric.criteria[0].weight == 2
        assert [v["round"] for v in rounds.rubric_versions(rv)] == [1, 2]


def test_signed_score_sheet_checks_with_openssl(review, tmp_path, mem_keyring):
    from desktop import identity

    identity.create_identity("省专家库", "Provincial expert pool", "CN", storage="keyring")
    with Review.open(review) as rv:
        sheet = assign(rv, "张明", "all", tmp_path / "a.dsheet")
    score_all(sheet.path)
    s = submit(sheet.path, tmp_path / "a.dscores", sealer=identity.get_sealer())
    assert s.signed and len(s.fingerprint) == 64
    with Review.open(review) as rv:
        rv.add_trust(fingerprint=s.fingerprint, label="专家库")
        res = merge(rv, s.path)
    assert res.signed and res.trusted and not res.warnings
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    out = tmp_path / "x"
    with zipfile.ZipFile(s.path) as z:
        z.extractall(out)
    subprocess.run(["sha256sum", "-c", "manifest-sha256.txt"], cwd=out, check=True, capture_output=True)
    r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature.p7s",
                        "-content", "manifest-sha256.txt", "-noverify", "-out", "/dev/null"],
                       cwd=out, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # and a signature that no longer matches is tampering
    body = json.loads((out / "scores.json").read_text("utf-8"))
    body["packages"][0]["comment"] = "改过"
    files = {"mimetype": scores_file.MIMETYPE, "scores.json": json.dumps(body).encode()}
    files[scores_file.MANIFEST] = scores_file.manifest_bytes(files)
    with zipfile.ZipFile(tmp_path / "resigned.dscores", "w") as z:
        for n in scores_file.REQUIRED:
            z.writestr(zipfile.ZipInfo(n, (2025, 1, 1, 0, 0, 0)), files[n])
        for n in scores_file.OPTIONAL:
            z.writestr(zipfile.ZipInfo(n, (2025, 1, 1, 0, 0, 0)), (out / n).read_bytes())
    with pytest.raises(ScoresFileError) as e:
        scores_file.read(tmp_path / "resigned.dscores")
    assert e.value.key == "scores.tampered" and "signature" in e.value.en


def test_require_signed(review, tmp_path):
    s = _scored(review, tmp_path)
    before = _snapshot(review)
    with Review.open(review) as rv:
        with pytest.raises(ReviewError) as e:
            merge(rv, s.path, require_signed=True)
    assert e.value.key == "panel.merge_unsigned" and _snapshot(review) == before
