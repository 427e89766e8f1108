"""SPEC §3 evaluation scores (考核得分, Evaluation v2): indicator values, their 0–100 scores, statuses,
rescaled weights, has_data, the weighted total, grade and rank (ties share), the weights from the rules file, the quarterly
trend — worked out by hand from tests/metrics_data.py (A = 2026-03-31, period Q1 2026)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests import builders
from tests.metrics_data import A, D, F, build_warehouse, by, district, m, metrics_for, rows, rules_text  # noqa: F401
from xiaoan.metrics import Filters, Scope
from xiaoan.config import DEFAULT_RULES
from xiaoan.rules import load_rules, parse_rules
from xiaoan.warehouse import open_read_only

ROUNDING = 0.005 + 1e-9  # scores are rounded to 2 decimals


def weighted(*pairs: tuple[float, float]) -> float:
    return sum(score * weight for score, weight in pairs) / sum(weight for _, weight in pairs)


# SPEC §3 Evaluation v2 (weights towns 27 18 18 14 13 10, departments 27 18 11 12 7 15 10). Which
# expectations changed from v1: every total (new weights and indicators: reporting, duty
# inspections, 法治副校长); T01 and T02 no longer tie; D03 (no hazards) no longer scores 100 on its
# hazard indicators: they are 不适用 and its weight goes to what applies; meeting attendance counts
# the meetings a unit was invited to; a unit with no data anywhere gets no score and no rank.

def test_town_scores_by_hand(m):
    ts = by(m.town_scores(F), "town_code")
    # T01 (S01, S02): found H1 H4 H8 H9; rectified H1 (on time), H8 (late); H4 overdue open.
    # Reporting: January and February are due (wholly in Q1, before March): S01 reported in both.
    t01 = ts["T01"]
    assert t01["rectification_rate"] == 0.5 and t01["on_time_rate"] == 0.5
    assert t01["inspection_coverage"] == 0.5 and t01["meeting_compliance"] == pytest.approx(2 / 3)
    assert t01["overdue_open_per_school"] == 0.5                     # 1 overdue / 2 schools
    assert t01["overdue_open_per_school_score"] == 87.5              # 100 − 25 × 0.5
    assert t01["reporting"] == 1.0
    expected_t01 = weighted((50, 27), (50, 18), (50, 18), (200 / 3, 14), (87.5, 13), (100, 10))   # 62.208
    assert abs(t01["score"] - expected_t01) <= ROUNDING and t01["score"] == 62.21
    # T02 (S03, S04): found H2 H3 H6; rectified H3 (on time); H2 overdue open; reported in February only.
    t02 = ts["T02"]
    assert t02["rectification_rate"] == pytest.approx(1 / 3) and t02["on_time_rate"] == 1.0
    assert t02["meeting_compliance"] == pytest.approx(1 / 3) and t02["reporting"] == 0.5
    expected_t02 = weighted((100 / 3, 27), (100, 18), (50, 18), (100 / 3, 14), (87.5, 13), (50, 10))  # 57.042
    assert abs(t02["score"] - expected_t02) <= ROUNDING and t02["score"] == 57.04
    assert (t01["rank"], t02["rank"]) == (1, 2)
    assert (t01["grade"], t02["grade"]) == ("合格", "不合格") and t01["ranked"] and t02["ranked"]
    indicators = ("rectification_rate", "on_time_rate", "inspection_coverage", "meeting_compliance",
                  "overdue_open_per_school", "reporting")
    assert all(t01[f"{i}_has_data"] and t01[f"{i}_status"] == "有数据" for i in indicators)
    assert sum(t01[f"{i}_weight"] for i in indicators) == pytest.approx(100)


def test_dept_scores_by_hand(m):
    ds = by(m.dept_scores(F), "dept_code")
    # D01 区教育局: 整改率 1/2, on time 1/2, 1 overdue open, attended both district meetings it was
    # invited to (M5 plenary, M6 named it), median 23 days; inspected S01 (I1): 1 of 4 schools
    # (its duty: 教育局); 法治副校长 is 公安's duty: 不适用. Applicable weights 27+18+11+12+7+15 = 90.
    d01 = ds["D01"]
    assert d01["median_days_to_rectify_score"] == pytest.approx(100 * (60 - 23) / (60 - 7))
    assert d01["overdue_open_score"] == 90 and d01["duty_inspection_coverage"] == 0.25
    assert d01["legal_education_coverage_status"] == "不适用" and d01["legal_education_coverage_weight"] == 0
    expected_d01 = weighted((50, 27), (50, 18), (90, 11), (100, 12), (100 * 37 / 53, 7), (25, 15))   # 58.93
    assert abs(d01["score"] - expected_d01) <= ROUNDING
    assert d01["rectification_rate_weight"] == pytest.approx(27 * 100 / 90)
    # D02 青溪公安分局: 整改率 1/3, on time 1/1, 1 overdue open, invited to M5 only and attended it
    # (M6 named D01 alone), median 4 days (≤ 7: 100); no inspection of its own (I2 is 法治教育):
    # 未报送, 0; 法治教育 at S03 in the spring semester (begins 02-01, in Q1): 1 of 4 schools.
    d02 = ds["D02"]
    assert d02["meeting_attendance"] == 1.0
    assert d02["duty_inspection_coverage_status"] == "未报送" and d02["duty_inspection_coverage_score"] == 0
    assert d02["legal_education_coverage"] == 0.25
    expected_d02 = weighted((100 / 3, 27), (100, 18), (90, 11), (100, 12), (100, 7), (0, 15), (25, 10))  # 58.40
    assert abs(d02["score"] - expected_d02) <= ROUNDING
    # D03 消防救援大队: no hazards (four indicators 不适用); invited to M5, absent: 0; inspected
    # S01 (I6, its duty: 消防): 1 of 4. Weights 12 and 15 of 27.
    d03 = ds["D03"]
    assert d03["score"] == round(weighted((0, 12), (25, 15)), 2) == 13.89
    assert [ds[d]["rank"] for d in ("D01", "D02", "D03")] == [1, 2, 3]
    assert [ds[d]["grade"] for d in ("D01", "D02", "D03")] == ["不合格"] * 3


def test_a_department_without_hazards_leaves_them_out(m):
    breakdown = {(r["indicator"]): r for r in m.dept_score_breakdown(F).iter_rows(named=True) if r["dept_code"] == "D03"}
    for indicator in ("rectification_rate", "on_time_rate", "overdue_open", "median_days_to_rectify",
                      "legal_education_coverage"):
        assert breakdown[indicator]["status"] == "不适用"
        assert breakdown[indicator]["score"] is None and breakdown[indicator]["weight"] == 0
    for indicator in ("rectification_rate", "on_time_rate", "overdue_open", "median_days_to_rectify"):
        assert breakdown[indicator]["has_data"] is False
    assert breakdown["rectification_rate"]["value"] is None
    assert breakdown["meeting_attendance"]["status"] == "有数据" and breakdown["meeting_attendance"]["score"] == 0
    # The parts add up to the total.
    assert sum(r["points"] for r in breakdown.values()) == pytest.approx(375 / 27)
    assert [r["weight"] for r in sorted(breakdown.values(), key=lambda r: r["position"])] == pytest.approx(
        [0, 0, 0, 1200 / 27, 0, 1500 / 27, 0])
    assert [r["base_weight"] for r in sorted(breakdown.values(), key=lambda r: r["position"])] == [27, 18, 11, 12, 7, 15, 10]


def test_town_breakdown_points_add_up(m):
    for town, parts in by_unit(m.town_score_breakdown(F), "town_code").items():
        total = parts[0]["total_score"]
        assert abs(sum(p["points"] for p in parts) - total) <= ROUNDING
        assert [p["indicator"] for p in parts] == ["rectification_rate", "on_time_rate", "inspection_coverage",
                                                   "meeting_compliance", "overdue_open_per_school", "reporting"]


def by_unit(frame, key):
    out = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row[key], []).append(row)
    return out


def test_weights_come_from_the_rules_file(district, metrics_for):
    text = rules_text({("town.rectification_rate", "weight"): 100, ("town.on_time_rate", "weight"): 0,
                       ("town.inspection_coverage", "weight"): 0, ("town.meeting_compliance", "weight"): 0,
                       ("town.overdue_open_per_school", "weight"): 0, ("town.reporting", "weight"): 0})
    rules = parse_rules(text)
    ts = by(metrics_for(district, rules).town_scores(F), "town_code")
    # Only the rectification rate counts now: T01 50, T02 33.33.
    assert (ts["T01"]["score"], ts["T02"]["score"]) == (50.0, 33.33)
    assert (ts["T01"]["rank"], ts["T02"]["rank"]) == (1, 2)
    assert ts["T01"]["on_time_rate_weight"] == 0 and ts["T01"]["rectification_rate_weight"] == 100


def test_ties_share_a_rank_and_the_next_rank_is_skipped(tmp_path, metrics_for):
    # Four departments on the duty-inspection list (教育局, 卫生健康, 消防, 建设), none on 公安's.
    registry = {**builders.SMALL_REGISTRY, "成员单位": [
        ["D01", "区教育局", "周局长", "吴联络", "0774-0000001"],
        ["D02", "区卫生健康局", "郑局长", "孙联络", "0774-0000002"],
        ["D03", "消防救援大队", "钱队长", "冯联络", "0774-0000003"],
        ["D04", "区建设局", "甲局长", "乙联络", "0774-0000004"]]}
    same = dict(category="消防安全", level="一般", found=D(2026, 2, 1), deadline=D(2026, 3, 1), status="已整改",
                rectified=D(2026, 2, 11), report=D(2026, 2, 28))
    hazards = [
        builders.hazard("T1", school="S01", dept="D01", **same),
        builders.hazard("T2", school="S03", dept="D02", **same),  # the same performance elsewhere
        builders.hazard("T3", school="S02", dept="D04", found=D(2026, 2, 1), deadline=D(2026, 2, 10),
                        report=D(2026, 2, 28)),  # open and overdue
    ]
    warehouse = build_warehouse(tmp_path, hazards=hazards, inspections=[], meetings=[], registry=registry)
    ds = by(metrics_for(warehouse).dept_scores(F), "dept_code")
    # No meetings (attendance 不适用 for all) and no inspections (duty inspections 未报送, 0).
    # D01 and D02: 100, 100, 100, median 10 days → 100 × 50/53, 0; weights 27 18 11 7 15.
    expected = weighted((100, 27), (100, 18), (100, 11), (100 * 50 / 53, 7), (0, 15))
    assert abs(ds["D01"]["score"] - expected) <= ROUNDING
    assert ds["D01"]["score"] == ds["D02"]["score"] == 80.26
    # D04: 整改率 0, on time 不适用 (none rectified), 1 overdue → 90, 0: (0 + 990 + 0) / 53.
    assert ds["D04"]["score"] == round(weighted((0, 27), (90, 11), (0, 15)), 2) == 18.68
    # D03: no hazards, no meetings; its duty 未报送: 0, ranked last.
    assert ds["D03"]["score"] == 0 and ds["D03"]["duty_inspection_coverage_status"] == "未报送"
    assert (ds["D01"]["rank"], ds["D02"]["rank"], ds["D04"]["rank"], ds["D03"]["rank"]) == (1, 1, 3, 4)


def test_a_scope_keeps_its_own_row_with_the_district_rank(m):
    own = m.dept_scores(F, Scope.department("D01"))
    assert rows(own, "dept_code", "rank") == [("D01", 1)]
    town = m.town_scores(F, Scope.town("T02"))
    assert rows(town, "town_code", "score", "rank") == [("T02", 57.04, 2)]
    # The towns filter chooses rows of town_scores, it does not re-rank.
    assert rows(m.town_scores(replace(F, towns=("T01",))), "town_code", "rank") == [("T01", 1)]


def test_score_trend_by_quarter(m):
    trend = m.score_trend(F, tier="dept", quarters=2)
    assert sorted(set(trend["quarter"])) == ["2025Q4", "2026Q1"]
    q1 = {r[0]: r[1] for r in rows(trend.filter(trend["quarter"] == "2026Q1"), "dept_code", "score")}
    assert q1 == {r[0]: r[1] for r in rows(m.dept_scores(F), "dept_code", "score")}
    q4 = by(trend.filter(trend["quarter"] == "2025Q4"), "dept_code")
    # 2025Q4 as of 12-31: D02 has H7 (open, overdue; 整改率 0, 1 overdue → 90), nothing rectified
    # (on time, median 不适用), was not invited to M8 (不适用), no inspection of its own (I5 is 法治教育):
    # 未报送 0; no semester begins in Q4: 法治副校长 不适用 for everyone.
    assert q4["D02"]["score"] == round(weighted((0, 27), (90, 11), (0, 15)), 2) == 18.68
    # D03: no hazards; invited to M8 and attended (100); no inspection in Q4: 未报送 0.
    assert q4["D03"]["score"] == round(weighted((100, 12), (0, 15)), 2) == 44.44
    assert q4["D02"]["as_of"] == D(2025, 12, 31)
    # By default: the quarters touched by the period (Q1 only).
    assert set(m.score_trend(F)["quarter"]) == {"2026Q1"}
    assert m.score_trend(Filters(A, start=D(2025, 12, 1)), tier="town")["quarter"].unique().sort().to_list() == [
        "2025Q4", "2026Q1"]


# One scoring for both tiers (issue 13): score_units() scores a tier's indicator values
# (town_indicator_values, dept_indicator_values: one row per unit × indicator) with the specs of
# rules.indicators; town_scores / dept_scores pivot its rows, the breakdowns list them.

def scored_units(con, tier: str, values: list[dict], rules: dict):
    return con.sql(f"select * from score_units('{tier}', $values, $rules) order by rank nulls last, unit_code, position",
                   params={"values": values, "rules": rules}).pl()


def test_each_indicator_a_tier_measures_has_one_spec_in_the_rules(district):
    specs = load_rules(DEFAULT_RULES).as_sql()["indicators"]
    con = open_read_only(district)
    try:
        for tier in ("town", "dept"):
            measured = [r[0] for r in con.sql(f"select distinct indicator from {tier}_indicator_values(?) order by all",
                                              params=[A]).fetchall()]
            assert sorted(s["indicator"] for s in specs if s["tier"] == tier) == measured
            assert [s["indicator"] for s in specs if s["tier"] == tier] == load_rules(DEFAULT_RULES).indicators(tier)
    finally:
        con.close()


def test_score_units_scores_totals_and_ranks_any_units_by_the_rules_rows(district):
    """The one scoring tail, on values made up here: a rate, a count (points per unit) and a
    days indicator; a tie shares rank 1 and the next unit is 3rd."""
    spec = {"points_per_unit": None, "full_at_days": None, "zero_at_days": None, "duty": None}
    rules = {**load_rules(DEFAULT_RULES).as_sql(), "indicators": [
        {"tier": "x", "position": 1, "indicator": "share", "weight": 50.0, **spec},
        {"tier": "x", "position": 2, "indicator": "count", "weight": 30.0, **spec, "points_per_unit": 20.0},
        {"tier": "x", "position": 3, "indicator": "days", "weight": 20.0, **spec, "full_at_days": 10.0,
         "zero_at_days": 30.0},
        {"tier": "y", "position": 1, "indicator": "share", "weight": 1.0, **spec},  # another tier's: not used
    ]}

    def unit(code, share, count, days, count_has_data=True):
        row = {"unit_code": code, "unit_name": code, "measurable": True}
        return [{**row, "indicator": "share", "value": share, "has_data": share is not None},
                {**row, "indicator": "count", "value": count, "has_data": count_has_data},
                {**row, "indicator": "days", "value": days, "has_data": days is not None}]

    values = unit("U1", 0.5, 2.0, 20.0) + unit("U2", 0.5, 2.0, 20.0) + unit("U3", None, 9.0, None, count_has_data=False)
    con = open_read_only(district)
    try:
        out = scored_units(con, "x", values, rules)
    finally:
        con.close()
    u1 = {r["indicator"]: r for r in out.iter_rows(named=True) if r["unit_code"] == "U1"}
    assert (u1["share"]["score"], u1["count"]["score"], u1["days"]["score"]) == (50, 60, 50)
    assert [u1[i]["position"] for i in ("share", "count", "days")] == [1, 2, 3]
    assert u1["share"]["total_score"] == weighted((50, 50), (60, 30), (50, 20)) == 53
    # U3 has no data anywhere: every indicator 不适用, no score and no rank (v1 gave it 100 and rank 1).
    assert rows(out.unique(["unit_code"], maintain_order=True), "unit_code", "total_score", "rank") == [
        ("U1", 53, 1), ("U2", 53, 1), ("U3", None, None)]


@pytest.mark.parametrize("tier", ["town", "dept"])
def test_the_wide_scores_are_the_breakdown_side_by_side(m, tier):
    wide = by(getattr(m, f"{tier}_scores")(F), f"{tier}_code")
    for row in getattr(m, f"{tier}_score_breakdown")(F).iter_rows(named=True):
        unit = wide[row[f"{tier}_code"]]
        assert (row["total_score"], row["rank"]) == (unit["score"], unit["rank"])
        i = row["indicator"]
        assert (row["score"], row["weight"], row["has_data"], row["status"]) == (
            unit[f"{i}_score"], unit[f"{i}_weight"], unit[f"{i}_has_data"], unit[f"{i}_status"])
        assert (row["grade"], row["ranked"]) == (unit["grade"], unit["ranked"])
        assert row["value"] == (None if unit[i] is None else float(unit[i]))
