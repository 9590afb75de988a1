"""Aggregation on known examples: statistics, z-score normalisation, recusals excluded from every
figure, disagreement, ties, gate failures first — and the same from a review file."""

from __future__ import annotations

import math

import pytest

from desktop.panel.aggregate import Settings, compute, stats
from desktop.panel.rubric import STANDARD_LEVELS, Rubric


def _rubric(n=2, gates=("g1",)) -> Rubric:
    return Rubric.from_dict({
        "format": "dossier-rubric", "format_version": 1, "program": {"id": "x", "version": "1"}, "total": 100,
        "criteria": [{"id": f"c{i}", "label": {"zh": f"指标{i}", "en": f"C{i}"}, "weight": 1, "indicators": [str(i)],
                      "levels": STANDARD_LEVELS} for i in range(1, n + 1)],
        "gates": [{"id": g, "label": {"zh": "门槛", "en": "gate"}} for g in gates],
        "overall": {"min": 0, "max": 100, "label": {"zh": "总体", "en": "overall"}},
        "confidence": [{"id": "high", "label": {"zh": "高", "en": "high"}}]})


def _scores(table):
    """{(expert, package): (v1, v2)} → score rows."""
    return [(e, p, f"c{i + 1}", v) for (e, p), vs in table.items() for i, v in enumerate(vs)]


def test_stats():
    s = stats([1, 2, 3, 4, 10])
    assert (s.n, s.mean, s.median, s.low, s.high, s.range) == (5, 4, 3, 1, 10, 9)
    assert math.isclose(s.sd, math.sqrt(sum((x - 4) ** 2 for x in [1, 2, 3, 4, 10]) / 4))
    assert stats([7]).sd == 0 and stats([]) is None


def test_weighted_total_uses_relative_weights_and_applicable_criteria():
    rub = _rubric(3)
    rub.criteria[0].weight = 2
    # (4/4·2 + 2/4·1 + 0/4·1) / 4 · 100
    assert rub.weighted_total({"c1": 4, "c2": 2, "c3": 0}) == pytest.approx(62.5)
    # a criterion that does not apply to the package is left out and the others weigh the same
    assert rub.weighted_total({"c1": 4, "c2": 2}) == pytest.approx((2 + 0.5) / 3 * 100)


def test_z_scores_on_a_known_example():
    """A lenient expert (1) scores P1, P2; a harsh one (2) scores P3, P4. Raw, 1's packages rank
    first; normalised, the experts' best packages tie for first and their worst for third."""
    rub = _rubric()
    rows = _scores({(1, 1): (4, 4), (1, 2): (3, 3), (2, 3): (3, 2), (2, 4): (2, 1)})
    raw = compute(rub, scores=rows)
    assert [(p.package, p.score, p.rank_text) for p in raw.packages] == [(1, 100, "1"), (2, 75, "2"), (3, 62.5, "3"), (4, 37.5, "4")]
    z = compute(rub, scores=rows, settings=Settings(normalise=True))
    mu = (100 + 75 + 62.5 + 37.5) / 4
    sd = math.sqrt(sum((x - mu) ** 2 for x in (100, 75, 62.5, 37.5)) / 3)
    s_e = math.sqrt(2 * 12.5 ** 2)  # each expert: two totals 25 apart
    hi, lo = mu + sd * 12.5 / s_e, mu - sd * 12.5 / s_e
    got = {p.package: p for p in z.packages}
    assert got[1].score == pytest.approx(hi) and got[3].score == pytest.approx(hi)
    assert got[2].score == pytest.approx(lo) and got[4].score == pytest.approx(lo)
    assert hi == pytest.approx(87.1495, abs=1e-4)  # 68.75 + 26.0208 · 0.7071
    assert [(p.rank, p.tied) for p in z.packages] == [(1, True), (1, True), (3, True), (3, True)]
    assert got[1].totals == {1: 100.0} and got[1].normalised[1] == pytest.approx(hi)  # the raw totals stay


def test_expert_with_one_package_is_not_normalised():
    rub = _rubric()
    rows = _scores({(1, 1): (4, 4), (1, 2): (2, 2), (2, 3): (1, 1)})
    z = compute(rub, scores=rows, settings=Settings(normalise=True))
    assert {p.package: p for p in z.packages}[3].score == 25


def test_recusals_are_left_out_of_every_aggregate():
    rub = _rubric()
    scores = _scores({(1, 1): (4, 4), (2, 1): (2, 2), (3, 1): (0, 0), (3, 2): (4, 4), (1, 2): (4, 4)})
    gates = [(1, 1, "g1", True, ""), (2, 1, "g1", True, ""), (3, 1, "g1", False, "不符合")]
    overall = [(1, 1, 90, "high"), (2, 1, 70, "high"), (3, 1, 5, "high")]
    res = compute(rub, scores=scores, recusals=[(3, 1, "本人是该校教师")], gates=gates, overall=overall,
                  settings=Settings(normalise=True))
    p1 = res.by_package()[1]
    assert p1.experts == [1, 2] and p1.recused == [(3, "本人是该校教师")]
    assert p1.criteria["c1"].stats.n == 2 and p1.criteria["c1"].stats.mean == 3 and 3 not in p1.criteria["c1"].values
    assert p1.total_raw.mean == 75 and p1.overall.mean == 80 and p1.confidence == {"high": 2}
    assert not p1.gate_failed and p1.gates["g1"].not_met == 0
    # expert 3's recused package does not count towards expert 3's normalisation either
    assert res.expert_stats[3].n == 1


def test_disagreement_threshold():
    rub = _rubric()
    rows = _scores({(1, 1): (4, 2), (2, 1): (2, 2)})
    half = compute(rub, scores=rows, settings=Settings(threshold=0.5)).by_package()[1]
    assert half.criteria["c1"].disagreement and not half.criteria["c2"].disagreement and half.disagreement
    strict = compute(rub, scores=rows, settings=Settings(threshold=0.6)).by_package()[1]
    assert not strict.criteria["c1"].disagreement and not strict.disagreement
    # the totals (75 and 50) are 25 apart: a quarter of the total
    assert compute(rub, scores=rows, settings=Settings(threshold=0.25)).by_package()[1].total_disagreement


def test_gate_failures_come_first_and_unscored_last():
    rub = _rubric()
    rows = _scores({(1, 1): (4, 4), (1, 2): (3, 3), (2, 2): (3, 3), (1, 3): (1, 1)})
    gates = [(1, 1, "g1", False, "近三年有投诉记录"), (1, 2, "g1", True, ""), (2, 2, "g1", False, "材料缺失"),
             (1, 3, "g1", True, "")]
    res = compute(rub, scores=rows, gates=gates, assigned={4: [1], 1: [1]})
    assert [(p.package, p.group, p.rank) for p in res.packages] == [
        (1, "gate_failed", None), (2, "gate_failed", None), (3, "ranked", 1), (4, "unscored", None)]
    assert res.by_package()[1].gates["g1"].reasons == [(1, "近三年有投诉记录")]
    # by majority, one "not met" of two is not a failure
    maj = compute(rub, scores=rows, gates=gates, settings=Settings(gate_rule="majority"))
    assert [(p.package, p.group) for p in maj.packages][:2] == [(1, "gate_failed"), (2, "ranked")]


def test_ties_use_competition_ranking():
    rub = _rubric()
    rows = _scores({(1, 1): (3, 3), (1, 2): (4, 2), (1, 3): (4, 4), (1, 4): (1, 1)})
    res = compute(rub, scores=rows)
    assert [(p.package, p.rank_text) for p in res.packages] == [(3, "1"), (1, "2="), (2, "2="), (4, "4")]


def test_aggregate_from_a_review_file(review, tmp_path):
    from desktop.panel.aggregate import aggregate, save_settings, settings_of
    from desktop.panel.assign import assign
    from desktop.panel.merge import merge
    from desktop.panel.submit import submit
    from desktop.review import Review, ReviewError
    from tests.panel.conftest import score_all

    with Review.open(review) as rv:
        a = assign(rv, "张明", "all", tmp_path / "a.dsheet")
        b = assign(rv, "李华", "all", tmp_path / "b.dsheet")
        ids = sorted(a.packages)
    score_all(a.path, {ids[0]: 4, ids[1]: 3, ids[2]: 2}, overall=80)
    score_all(b.path, {ids[1]: 1, ids[2]: 0}, recuse={ids[0]}, overall=60)
    with Review.open(review) as rv:
        merge(rv, submit(a.path, tmp_path / "a.dscores").path)
        merge(rv, submit(b.path, tmp_path / "b.dscores").path)
        res = aggregate(rv)
        by = res.by_package()
        assert by[ids[0]].experts == [1] and [n for _e, n in by[ids[0]].recused] == ["本人曾参与该校申报书撰写"]
        assert by[ids[0]].score == 100 and by[ids[1]].score == pytest.approx((75 + 25) / 2)
        assert by[ids[1]].disagreement and by[ids[1]].total.range == 50
        assert [p.package for p in res.packages] == ids
        with pytest.raises(ReviewError):
            save_settings(rv, threshold=1.5)
        save_settings(rv, threshold=0.75, normalise=True)
        assert settings_of(rv).threshold == 0.75 and aggregate(rv).settings.normalise


def test_stats_match_the_statistics_module():
    import random
    import statistics

    rnd = random.Random(7)
    for n in range(1, 12):
        vals = [float(rnd.randint(0, 4)) for _ in range(n)]
        s = stats(vals)
        assert s.mean == pytest.approx(statistics.fmean(vals)) and s.median == statistics.median(vals)
        assert s.sd == pytest.approx(statistics.stdev(vals) if n > 1 else 0.0)
        assert (s.low, s.high) == (min(vals), max(vals))


def test_totals_and_comments_do_not_depend_on_how_the_rows_come():
    """aggregate() reads the levels alone and the comments apart; the result is the one of rows
    carrying their comments, whatever the order of the rows, and equals Rubric.weighted_total."""
    rub = _rubric(3)
    rub.criteria[1].weight = 3
    table = {(1, 1): (4, 1, 3), (2, 1): (2, 3, 0), (1, 2): (3, 3, 3), (2, 2): (1, 4, 2), (3, 1): (0, 0, 0)}
    rows = [(e, p, f"c{i + 1}", v, f"意见{e}{p}{i}" if i == 1 else "", {"name": "证明.pdf"} if i == 1 else None)
            for (e, p), vs in table.items() for i, v in enumerate(vs)]
    recusals = [(3, 1, "回避")]
    inline = compute(rub, scores=rows, recusals=recusals)
    apart = compute(rub, scores=[r[:4] for r in reversed(rows)], recusals=recusals,
                    comments=[(e, p, c, cm, ev) for e, p, c, _v, cm, ev in rows if cm or ev])
    for a, b in zip(inline.packages, apart.packages):
        assert a.package == b.package and a.totals == b.totals and a.score == b.score
        assert {c: cr.comments for c, cr in a.criteria.items()} == {c: cr.comments for c, cr in b.criteria.items()}
    got = {p.package: p for p in apart.packages}
    for (e, p), vs in table.items():
        if (e, p) == (3, 1):
            assert e not in got[p].totals  # recused: no total, no comment
            assert all(x[0] != 3 for cr in got[p].criteria.values() for x in cr.comments)
            continue
        assert got[p].totals[e] == pytest.approx(rub.weighted_total({f"c{i + 1}": v for i, v in enumerate(vs)}))
    assert got[1].criteria["c2"].comments == [(1, "意见111", {"name": "证明.pdf"}), (2, "意见211", {"name": "证明.pdf"})]
