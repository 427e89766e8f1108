"""SPEC §3 on hazards: the state as of A (time travel), department closure, the risk heatmap,
risk per school, overdue buckets, repeat hazards and a hazard's history — each expected number
worked out by hand from tests/metrics_data.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest

from tests.metrics_data import A, D, F, by, district, m, metrics_for, rows  # noqa: F401 (fixtures)
from xiaoan.metrics import HAZARD_SEARCHED, Filters, HazardPick, Scope
from xiaoan.rules import parse_rules
from xiaoan.config import DEFAULT_RULES


def test_state_as_of_a_uses_the_latest_report_on_or_before_a(m):
    h = by(m.hazards(F), "hazard_id")
    # H5 was found after A; every other hazard is known.
    assert sorted(h) == ["H1", "H2", "H3", "H4", "H6", "H7", "H8", "H9"]
    # H4: the 04-10 report (rectified) is after A, so the 03-15 report (整改中) is its state.
    assert (h["H4"]["status"], h["H4"]["report_date"], h["H4"]["is_open"]) == ("整改中", D(2026, 3, 15), True)
    # H1: the later of its two reports, both before A.
    assert (h["H1"]["status"], h["H1"]["is_rectified"], h["H1"]["is_open"]) == ("已整改", True, False)
    # H6 says 已整改 but its rectified date (04-02) is after A: still open as of A.
    assert (h["H6"]["status"], h["H6"]["is_rectified"], h["H6"]["is_open"]) == ("已整改", False, True)
    # H3 is closed (销号) as of A; closed implies rectified.
    assert (h["H3"]["is_rectified"], h["H3"]["is_closed"]) == (True, True)


def test_open_overdue_and_risk_as_of_a(m):
    h = by(m.hazards(F), "hazard_id")
    # risk = level weight (一般 1, 较大 3, 重大 10) × 2 when overdue; 0 when rectified.
    expected = {
        "H1": (False, False, 0.0),
        "H2": (True, True, 20.0),   # 重大, deadline 02-15 < A
        "H3": (False, False, 0.0),
        "H4": (True, True, 6.0),    # 较大, deadline 03-20 < A
        "H6": (True, False, 1.0),   # 一般, deadline 04-20
        "H7": (True, True, 2.0),    # 一般, deadline 2025-12-01
        "H8": (False, False, 0.0),
        "H9": (True, False, 1.0),   # deadline = A is not overdue
    }
    assert {k: (v["is_open"], v["is_overdue"], v["risk"]) for k, v in h.items()} == expected
    assert (h["H2"]["days_overdue"], h["H4"]["days_overdue"], h["H7"]["days_overdue"]) == (44, 11, 120)


def test_the_state_moves_with_a(m):
    # As of 2026-04-30 H4's later report counts (rectified 04-05) and H5 (found 04-02) exists.
    later = by(m.hazards(Filters(D(2026, 4, 30))), "hazard_id")
    assert later["H4"]["is_rectified"] and later["H4"]["status"] == "已整改"
    assert "H5" in later and later["H6"]["is_rectified"]
    # As of 2026-01-31 only H1 (open), H7 and H8 exist; H1's state is its January report.
    early = by(m.hazards(Filters(D(2026, 1, 31))), "hazard_id")
    assert sorted(early) == ["H1", "H7", "H8"]
    assert early["H1"]["status"] == "未整改" and early["H1"]["is_open"]


def test_hazards_found_in_period_only(m):
    found = m.hazards(F, found_in_period=True)
    assert sorted(found["hazard_id"]) == ["H1", "H2", "H3", "H4", "H6", "H8", "H9"]  # not H7 (2025)


def test_dept_closure_by_hand(m):
    dc = by(m.dept_closure(F), "dept_code")
    # D01: H1 (rectified on time, 26 d), H4 (open, overdue), H6 (open), H8 (rectified late, 20 d).
    d01 = dc["D01"]
    assert (d01["total"], d01["rectified"], d01["closed"], d01["overdue_open"]) == (4, 2, 0, 1)
    assert d01["rectification_rate"] == pytest.approx(2 / 4)
    assert d01["closure_rate"] == 0
    assert d01["on_time_rate"] == pytest.approx(1 / 2)
    assert d01["median_days_to_rectify"] == pytest.approx((20 + 26) / 2)
    # D02: H2 (open, overdue), H3 (closed, 4 d, on time), H9 (open). H7 was found in 2025.
    d02 = dc["D02"]
    assert (d02["total"], d02["rectified"], d02["closed"], d02["overdue_open"]) == (3, 1, 1, 1)
    assert d02["rectification_rate"] == pytest.approx(1 / 3)
    assert d02["closure_rate"] == pytest.approx(1 / 3)
    assert d02["on_time_rate"] == 1
    assert d02["median_days_to_rectify"] == 4
    # D03 is responsible for nothing: counts 0, every rate null.
    d03 = dc["D03"]
    assert (d03["total"], d03["rectified"], d03["overdue_open"]) == (0, 0, 0)
    assert (d03["rectification_rate"], d03["closure_rate"], d03["on_time_rate"], d03["median_days_to_rectify"]) == (
        None, None, None, None)


def test_dept_closure_with_filters_and_scopes(m):
    fire = by(m.dept_closure(replace(F, categories=("消防安全",))), "dept_code")
    assert (fire["D01"]["total"], fire["D01"]["rectification_rate"]) == (2, 1.0)      # H1, H8
    assert (fire["D02"]["total"], fire["D02"]["rectified"], fire["D02"]["on_time_rate"]) == (2, 0, None)  # H2, H9
    kinder = by(m.dept_closure(replace(F, school_types=("幼儿园",))), "dept_code")   # S02, S03
    assert (kinder["D01"]["total"], kinder["D01"]["rectified"]) == (2, 1)             # H4, H8
    assert (kinder["D02"]["total"], kinder["D02"]["rectified"]) == (2, 0)             # H2, H9
    # A town sees the departments' work at its own schools (T02: S03, S04).
    t02 = by(m.dept_closure(F, Scope.town("T02")), "dept_code")
    assert (t02["D01"]["total"], t02["D01"]["rectified"]) == (1, 0)                   # H6
    assert (t02["D02"]["total"], t02["D02"]["rectified"]) == (2, 1)                   # H2, H3
    # A department sees its own row only, with the district's numbers.
    own = m.dept_closure(F, Scope.department("D02"))
    assert rows(own, "dept_code", "total", "rectified") == [("D02", 3, 1)]
    # A town scope outside the chosen towns sees nothing.
    assert m.dept_closure(replace(F, towns=("T01",)), Scope.town("T02"))["total"].sum() == 0


def test_period_bounds_count_found_dates_inclusively(m):
    # [03-01, 03-10]: H3 and H9 (found 03-01) and H4 (found 03-10).
    dc = by(m.dept_closure(replace(F, start=D(2026, 3, 1), end=D(2026, 3, 10))), "dept_code")
    assert (dc["D01"]["total"], dc["D02"]["total"]) == (1, 2)
    # An end after A is cut at A: nothing found after A counts (H5).
    assert m.dept_closure(replace(F, end=D(2026, 12, 31)))["total"].sum() == 7


def test_risk_heatmap_counts_every_open_hazard_whenever_found(m):
    heat = {(r[0], r[1]): r[2] for r in rows(m.town_risk(F), "town_code", "category", "risk")}
    assert heat == {
        ("T01", "食品卫生"): 6.0,   # H4 (S02)
        ("T01", "消防安全"): 1.0,   # H9 (S02)
        ("T02", "消防安全"): 20.0,  # H2 (S03)
        ("T02", "治安防范"): 1.0,   # H6 (S04)
        ("T02", "周边环境"): 2.0,   # H7 (S03, found in 2025)
    }


def test_risk_per_school(m):
    per = by(m.town_risk_per_school(F), "town_code")
    assert (per["T01"]["schools"], per["T01"]["risk"], per["T01"]["risk_per_school"]) == (2, 7.0, 3.5)
    assert (per["T02"]["schools"], per["T02"]["risk"], per["T02"]["risk_per_school"]) == (2, 23.0, 11.5)
    # Kindergartens only: T01 has S02 (H4 6 + H9 1), T02 has S03 (H2 20 + H7 2).
    kinder = by(m.town_risk_per_school(replace(F, school_types=("幼儿园",))), "town_code")
    assert (kinder["T01"]["risk_per_school"], kinder["T02"]["risk_per_school"]) == (7.0, 22.0)


def test_risk_weights_come_from_the_rules(district, metrics_for):
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    rules = parse_rules(text.replace("grave = 10", "grave = 5").replace("overdue_factor = 2", "overdue_factor = 3"))
    h = by(metrics_for(district, rules).hazards(F), "hazard_id")
    assert (h["H2"]["risk"], h["H4"]["risk"], h["H6"]["risk"]) == (15.0, 9.0, 1.0)


def test_overdue_buckets(m):
    buckets = rows(m.overdue_buckets(F), "overdue_bucket", "min_days", "max_days", "hazards")
    assert buckets == [
        (0, None, None, 2),  # H6, H9 not overdue
        (1, 1, 7, 0),
        (2, 8, 30, 1),       # H4: 11 days
        (3, 31, None, 2),    # H2: 44 days, H7: 120 days
    ]
    assert by(m.hazards(F), "hazard_id")["H4"]["overdue_bucket"] == 2


def test_repeat_hazards(m, district, metrics_for):
    repeat = m.repeat_hazards(F)
    # H9 at S02 (消防) follows H8 at S02 (消防) rectified 01-25, 35 days before H9 was found.
    assert rows(repeat, "hazard_id", "previous_hazard_id", "previous_rectified_date", "days_since_rectified") == [
        ("H9", "H8", D(2026, 1, 25), 35)]
    # With a 30-day window it is no longer a repeat.
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace("window_days = 180", "window_days = 30")
    assert metrics_for(district, parse_rules(text)).repeat_hazards(F).is_empty()
    # As of 2026-01-31 H9 does not exist yet.
    assert m.repeat_hazards(Filters(D(2026, 1, 31))).is_empty()


def test_hazard_history_lists_every_report(m):
    history = m.hazard_history("H4")
    assert rows(history, "report_date", "status") == [(D(2026, 3, 15), "整改中"), (D(2026, 4, 10), "已整改")]
    assert rows(m.hazard_history("H4", as_of=A), "report_date") == [(D(2026, 3, 15),)]
    assert m.hazard_history("nope").is_empty()


def test_filters_validate_the_period():
    with pytest.raises(ValueError, match="after it ends"):
        Filters(A, start=D(2026, 3, 2), end=D(2026, 3, 1))
    with pytest.raises(ValueError):
        Scope("town")
    assert Filters(dt.datetime(2026, 3, 31, 12)).as_of == A
    assert (F.period_start, F.period_end) == (D(2026, 1, 1), A)


# ---- hazard lists narrowed in the warehouse (HazardPick, order, limit) equal the whole list filtered


def _filtered(frame, pick):
    keep = pl.lit(True)
    if pick.hazard_id is not None:
        keep &= pl.col("hazard_id") == pick.hazard_id
    if pick.school_code is not None:
        keep &= pl.col("school_code") == pick.school_code
    if pick.dept_code is not None:
        keep &= pl.col("responsible_dept_code") == pick.dept_code
    if pick.statuses:
        keep &= pl.col("status").is_in(pick.statuses)
    if pick.levels:
        keep &= pl.col("level").is_in(pick.levels)
    if pick.open_only:
        keep &= pl.col("is_open")
    if pick.overdue_only:
        keep &= pl.col("is_overdue")
    if pick.search:
        needle = pick.search.lower()
        keep &= pl.any_horizontal(pl.col(c).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
                                  for c in HAZARD_SEARCHED)
    return frame.filter(keep)


PICKS = [
    HazardPick(),
    HazardPick(hazard_id="H4"),
    HazardPick(hazard_id="NOPE"),
    HazardPick(school_code="S01"),
    HazardPick(dept_code="D01"),
    HazardPick(statuses=("整改中", "已整改")),
    HazardPick(levels=("重大",), overdue_only=True),
    HazardPick(open_only=True),
    HazardPick(search="h"),        # case-insensitive: every id
    HazardPick(search="  配电箱 "),  # trimmed
    HazardPick(search="%"),         # literal, not a LIKE pattern
    HazardPick(dept_code="D01", open_only=True, levels=("较大", "一般")),
]


@pytest.mark.parametrize("pick", PICKS, ids=repr)
@pytest.mark.parametrize("in_period", [False, True])
def test_a_picked_list_equals_the_whole_list_filtered(m, pick, in_period):
    whole = m.hazards(F, found_in_period=in_period)
    expected = _filtered(whole, pick)
    got = m.hazards(F, found_in_period=in_period, pick=pick)
    assert got.to_dicts() == expected.to_dicts()
    assert m.hazard_count(F, found_in_period=in_period, pick=pick) == expected.height
    for scope in (Scope.town("T01"), Scope.department("D02")):
        assert m.hazard_count(F, scope, in_period, pick=pick) == _filtered(m.hazards(F, scope, in_period), pick).height


@pytest.mark.parametrize("order,keys,descending", [
    ("priority", ["is_overdue", "risk", "found_date"], True),
    ("risk", ["risk", "found_date"], True),
    ("overdue", ["days_overdue"], True),
    ("open_first", ["is_open", "days_overdue"], True),
    ("open_risk", ["is_open", "risk", "found_date"], True),
])
def test_an_ordered_limited_list_is_the_head_of_the_sorted_list(m, order, keys, descending):
    whole = m.hazards(F).sort([*keys, "hazard_id"], descending=[descending] * len(keys) + [False], nulls_last=True)
    for limit in (0, 1, 3, 100):
        got = m.hazards(F, order=order, limit=limit)
        assert got["hazard_id"].to_list() == whole["hazard_id"].head(limit).to_list()


def test_an_unknown_order_is_refused(m):
    with pytest.raises(ValueError, match="order must be one of"):
        m.hazards(F, order="hazard_id; drop table hazards")


def test_inspections_of_one_school_latest_first_and_by_month(m):
    whole = m.inspections(F)
    one = m.inspections(F, school_code="S01")
    assert one.to_dicts() == whole.filter(pl.col("school_code") == "S01").to_dicts()
    assert m.inspection_count(F, school_code="S01") == one.height
    assert m.inspection_count(F) == whole.height
    latest = m.inspections(F, limit=2)
    assert latest["inspection_date"].to_list() == sorted(whole["inspection_date"].to_list(), reverse=True)[:2]
    months = m.inspection_months(F)
    expected = (whole.group_by("dept_code", "dept_name", pl.col("inspection_date").dt.strftime("%Y-%m").alias("month"))
                .len("inspections").sort("dept_code", "month"))
    assert months.select("dept_code", "dept_name", "month", "inspections").to_dicts() == \
        expected.with_columns(pl.col("inspections").cast(pl.Int32)).to_dicts()
    assert months["inspections"].sum() == whole.height


def test_overdue_by_dept_equals_overdue_buckets_for_each_unit(m):
    by_dept = m.overdue_by_dept(F)
    units = set(by_dept["dept_code"])
    assert units  # the hand-made district has overdue hazards
    for dept in units | {"D99"}:
        one = m.overdue_buckets(F, Scope.department(dept)).filter(pl.col("overdue_bucket") > 0)
        mine = by_dept.filter(pl.col("dept_code") == dept)
        got = {r["overdue_bucket"]: (r["hazards"], r["grave_open"], r["risk"]) for r in mine.iter_rows(named=True)}
        want = {r["overdue_bucket"]: (r["hazards"], r["grave_open"], r["risk"]) for r in one.iter_rows(named=True) if r["hazards"]}
        assert got == want
