"""SPEC §3 on inspections and meetings: inspection coverage, uninspected schools, 法治教育
coverage by semester, town meeting compliance (monthly 例会), the district plenary and the
departments' meeting attendance — expected numbers by hand from tests/metrics_data.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.metrics_data import D, F, by, district, m, metrics_for, rows  # noqa: F401 (fixtures)
from xiaoan.metrics import Filters, Scope


def test_inspection_coverage_by_hand(m):
    cov = by(m.inspection_coverage(F), "town_code")
    # T01: S01 inspected (I1, I6); S02's only inspection (I3) is after A.
    assert (cov["T01"]["schools"], cov["T01"]["inspected_schools"], cov["T01"]["inspections"]) == (2, 1, 2)
    assert cov["T01"]["inspection_coverage"] == 0.5
    # T02: S03 inspected (I2); S04's (I4) was before the period.
    assert (cov["T02"]["inspected_schools"], cov["T02"]["inspection_coverage"]) == (1, 0.5)


def test_inspection_coverage_filters(m):
    # A department sees its own inspections: D03 inspected S01 only (I6).
    d03 = by(m.inspection_coverage(F, Scope.department("D03")), "town_code")
    assert (d03["T01"]["inspection_coverage"], d03["T02"]["inspection_coverage"]) == (0.5, 0.0)
    # Category 交通安全: I6 (消防安全) drops out, general inspections (no category) count.
    traffic = by(m.inspection_coverage(replace(F, categories=("交通安全",))), "town_code")
    assert traffic["T01"]["inspections"] == 1
    # A period with a town that has no schools of a type: coverage is null.
    middle = by(m.inspection_coverage(replace(F, school_types=("初中",))), "town_code")
    assert (middle["T01"]["schools"], middle["T01"]["inspection_coverage"]) == (0, None)
    assert (middle["T02"]["schools"], middle["T02"]["inspection_coverage"]) == (1, 0.0)  # S04


def test_uninspected_schools_and_school_summary(m):
    assert sorted(m.uninspected_schools(F)["school_code"]) == ["S02", "S04"]
    summary = by(m.school_summary(F), "school_code")
    s01 = summary["S01"]
    assert (s01["inspections"], s01["last_inspection_date"], s01["open_hazards"]) == (2, D(2026, 3, 15), 0)
    s02 = summary["S02"]  # H4 (open, overdue, 较大), H8 (rectified), H9 (open)
    assert (s02["open_hazards"], s02["overdue_open"], s02["risk"], s02["hazards_found"], s02["hazards_rectified"]) == (
        2, 1, 7.0, 3, 1)
    profile = m.school_profile("S03", F)
    assert profile.summary["legal_education_visits"].to_list() == [1]
    assert sorted(profile.hazards["hazard_id"]) == ["H2", "H7"]
    assert profile.inspections["inspection_id"].to_list() == ["I2"]


def test_school_summary_last_inspection_is_one_of_the_inspections_counted(m):
    # The drill-down defect (阳光幼儿园: 检查次数 0 beside 最近检查日期 inside the period): the date
    # comes from the same inspections as the count — in [S, E], of the chosen categories (an
    # inspection with no category counts under any), by the chosen units; null when none.
    summary = by(m.school_summary(replace(F, categories=("交通安全",))), "school_code")
    got = {code: (row["inspections"], row["last_inspection_date"]) for code, row in summary.items()}
    assert got == {
        "S01": (1, D(2026, 2, 3)),   # I1 (no category) counts; I6 03-15 is 消防安全: neither count nor date
        "S02": (0, None),            # I3 is after A
        "S03": (1, D(2026, 3, 3)),   # I2 (no category)
        "S04": (0, None),            # I4 2025-12-15 is before the period: no date either
    }
    # Unfiltered, S01's latest is I6; a period that ends before it gives I1.
    assert by(m.school_summary(F), "school_code")["S01"]["last_inspection_date"] == D(2026, 3, 15)
    early = by(m.school_summary(replace(F, end=D(2026, 2, 28))), "school_code")
    assert (early["S01"]["inspections"], early["S01"]["last_inspection_date"]) == (1, D(2026, 2, 3))


def test_legal_education_coverage_per_semester(m):
    cov = {(r[0], r[1]): (r[2], r[3], r[4]) for r in
           rows(m.legal_education_coverage(F), "town_code", "semester_start", "term", "visited_schools",
                "legal_education_coverage")}
    # January belongs to the autumn 2025 semester (08-01 .. 01-31); February, March to spring 2026.
    assert cov == {
        ("T01", D(2025, 8, 1)): ("autumn", 1, 0.5),   # S01 visited 2025-10-10 (I5)
        ("T01", D(2026, 2, 1)): ("spring", 0, 0.0),
        ("T02", D(2025, 8, 1)): ("autumn", 0, 0.0),
        ("T02", D(2026, 2, 1)): ("spring", 1, 0.5),   # S03 visited 03-03 (I2)
    }
    ends = set(m.legal_education_coverage(F)["semester_end"])
    assert ends == {D(2026, 1, 31), D(2026, 7, 31)}


def test_meeting_compliance_counts_months_not_meetings(m):
    mc = by(m.meeting_compliance(F), "town_code")
    # T01 met in January (twice) and March: 2 of 3 months; 3 meetings.
    assert (mc["T01"]["months"], mc["T01"]["months_met"], mc["T01"]["meetings"]) == (3, 2, 3)
    assert mc["T01"]["meeting_compliance"] == pytest.approx(2 / 3)
    # T02 met in February only; its April meeting is after A.
    assert (mc["T02"]["months_met"], mc["T02"]["meeting_compliance"]) == (1, pytest.approx(1 / 3))
    grid = {(r[0], r[1]): (r[2], r[3]) for r in rows(m.meeting_months(F), "town_code", "month", "meetings", "met")}
    assert grid[("T01", D(2026, 1, 1))] == (2, True)
    assert grid[("T01", D(2026, 2, 1))] == (0, False)
    assert len(grid) == 6


def test_meeting_compliance_months_touched_by_a_partial_period(m):
    # [01-15, 02-10] touches January and February; T01's January meetings count for January.
    mc = by(m.meeting_compliance(replace(F, start=D(2026, 1, 15), end=D(2026, 2, 10))), "town_code")
    assert (mc["T01"]["months"], mc["T01"]["months_met"]) == (2, 1)
    assert (mc["T02"]["months"], mc["T02"]["months_met"]) == (2, 1)


def test_district_plenary_in_the_year_of_a(m):
    assert rows(m.district_plenary(F), "year", "plenaries", "met") == [(2026, 1, True)]
    assert rows(m.district_plenary(Filters(D(2026, 1, 31))), "plenaries", "met") == [(0, False)]


def test_dept_meeting_attendance(m):
    att = by(m.dept_meeting_attendance(F), "dept_code")
    # District meetings in the period: M5 (plenary: invites D01–D03; D01, D02 attend) and M6 (专题会议
    # without 应到单位: invites its attendee D01); M8 was in 2025. Attendance = attended / invited.
    assert {k: (v["district_meetings"], v["invited"], v["attended"], v["meeting_attendance"]) for k, v in att.items()} == {
        "D01": (2, 2, 2, 1.0), "D02": (2, 1, 1, 1.0), "D03": (2, 1, 0, 0.0)}
    # No district meeting in the period: attendance has no data (null).
    none = by(m.dept_meeting_attendance(replace(F, start=D(2026, 1, 1), end=D(2026, 1, 31))), "dept_code")
    assert none["D01"]["meeting_attendance"] is None
