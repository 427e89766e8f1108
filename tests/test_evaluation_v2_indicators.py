"""The indicators Evaluation v2 adds (SPEC §3 v2), computed by hand on a tiny district: meeting
attendance over the meetings a unit was invited to (应到), towns' reporting (信息报送), the
departments' duty inspections (履职检查) and legal education by semester (法治副校长), and the
ingestion of a meeting ledger's 应到单位 column.

The district is tests/builders.SMALL_REGISTRY: towns T01 (schools S01, S02; villages V01, V02)
and T02 (S03, S04; V03); member units D01 区教育局, D02 青溪公安分局, D03 消防救援大队.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.publish import ingest
from tests import builders
from tests.metrics_data import build_warehouse
from xiaoan.warehouse import open_read_only

D = dt.date
A = D(2026, 6, 15)  # mid-month: June is A's month, never due

MEETING_HEADERS = [*builders.MEETING_HEADERS, "应到单位"]
MEETINGS = [
    # meeting_id, title, type, level, town, date, chair, attendees, topics, decisions, 应到单位
    # P1 plenary: invites every member unit (D01–D03); only D01 attends.
    ["P1", "全体会议", "全体成员单位会议", "区", None, D(2026, 2, 10), "王总", "区教育局", "x", 1, None],
    # T1 专题会议 with 应到单位 D01, D02: D01 and D03 attend; D03 was not invited (not counted),
    # D02 was and stayed away.
    ["T1", "校园安全专题", "专题会议", "区", None, D(2026, 3, 5), "王总", "区教育局、消防救援大队", "x", 1,
     "区教育局、青溪公安分局"],
    # T2 专题会议 without 应到单位: its attendee D02 is the one invited.
    ["T2", "护学岗专题", "专题会议", "区", None, D(2026, 4, 5), "王总", "青溪公安分局", "x", 1, None],
    # A town's 例会 that names D03: not a district meeting, no part of attendance.
    ["R1", "城关镇例会", "例会", "镇", "T01", D(2026, 4, 8), "李镇长", "消防救援大队", "x", 1, None],
]

HAZARDS = [
    # Reports of T01's schools: January (01-20), February, March (S02 alone), May, June (A's month).
    builders.hazard("H1", "S01", found=D(2026, 1, 10), report=D(2026, 1, 20)),
    builders.hazard("H1", "S01", found=D(2026, 1, 10), report=D(2026, 2, 28)),
    builders.hazard("H2", "S02", found=D(2026, 3, 1), report=D(2026, 3, 31)),
    builders.hazard("H2", "S02", found=D(2026, 3, 1), report=D(2026, 5, 31)),
    builders.hazard("H2", "S02", found=D(2026, 3, 1), report=D(2026, 6, 10)),
    # T02: only S04's report in May (one school's report is the town's month); April is a zero report.
    builders.hazard("H3", "S04", found=D(2026, 5, 2), report=D(2026, 5, 20)),
]

INSPECTIONS = [
    # inspection_id, date, unit, school, type, category, inspectors, hazards found, score
    ["I1", D(2026, 2, 3), "D01", "S01", "日常检查", None, "甲", 0, None],
    ["I2", D(2026, 3, 3), "D01", "S01", "日常检查", None, "甲", 0, None],   # S01 again: one school
    ["I3", D(2026, 4, 4), "D01", "S03", "专项检查", "消防安全", "甲", 0, None],
    ["I4", D(2026, 3, 10), "D01", "S04", "法治教育", None, "甲", 0, None],   # a 法治教育 visit: not 履职检查
    ["L1", D(2025, 9, 1), "D02", "S03", "法治教育", None, "乙", 0, None],    # autumn 2025 semester
    ["L2", D(2026, 3, 1), "D02", "S01", "法治教育", None, "乙", 0, None],    # spring 2026 semester
    ["L3", D(2026, 3, 2), "D02", "S02", "法治教育", None, "乙", 0, None],
    ["L4", D(2026, 4, 10), "D02", "S04", "法治教育", None, "乙", 0, None],   # spring, after 03-31
    ["I5", D(2025, 12, 20), "D03", "S02", "日常检查", None, "丙", 0, None],  # before the period
    ["I6", D(2026, 2, 20), "城关镇", "S04", "日常检查", None, "丁", 0, None],  # a town's check: no unit's duty
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("v2")
    warehouse = build_warehouse(folder, HAZARDS, INSPECTIONS, [])
    # the meeting ledger with its 应到单位 column, and T02's April zero report (an empty ledger)
    meetings = builders.xlsx(folder / "会议记录.xlsx", MEETING_HEADERS, MEETINGS)
    empty = builders.xlsx(folder / "河口镇四月台账.xlsx", builders.HAZARD_HEADERS, [], title="河口镇2026年4月隐患排查台账")
    result = ingest([meetings, empty], warehouse, D(2026, 4, 30))
    assert [(Path(f.file).name, f.status, f.rejected) for f in result.files] == [
        ("会议记录.xlsx", "loaded", 0), ("河口镇四月台账.xlsx", "zero_report", 0)]
    connection = open_read_only(warehouse)
    yield connection
    connection.close()


def query(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


# ---- meeting attendance: invited meetings only ----

def test_the_attendance_mart_lists_the_invited_and_the_attending(con):
    assert query(con, "select meeting_id, unit_code, invited, attended from meeting_attendance "
                      "where meeting_id in ('P1', 'T1', 'T2') order by 1, 2") == [
        ("P1", "D01", True, True), ("P1", "D02", True, False), ("P1", "D03", True, False),   # plenary invites all
        ("T1", "D01", True, True), ("T1", "D02", True, False), ("T1", "D03", False, True),   # 应到单位
        ("T2", "D02", True, True),                                                            # no 应到单位: attendees
    ]


def test_attendance_counts_only_the_meetings_a_unit_was_invited_to(con):
    got = query(con, "select dept_code, district_meetings, invited, attended, meeting_attendance "
                     "from dept_meeting_attendance(?::date)", A)
    assert got == [
        ("D01", 3, 2, 2, 1.0),          # P1, T1
        ("D02", 3, 3, 1, pytest.approx(1 / 3)),  # P1, T1, T2: attended T2
        ("D03", 3, 1, 0, 0.0),          # P1 only; T1 (not invited) and R1 (a town's) do not count
    ]


def test_a_unit_invited_to_none_has_no_attendance(con):
    april = query(con, "select dept_code, invited, meeting_attendance from dept_meeting_attendance(?::date, s := ?::date, e := ?::date)",
                  A, D(2026, 4, 1), D(2026, 4, 30))
    assert april == [("D01", 0, None), ("D02", 1, 1.0), ("D03", 0, None)]
    rows = query(con, "select unit_code, value, has_data, measurable from dept_indicator_values(?::date, s := ?::date, e := ?::date) "
                      "where indicator = 'meeting_attendance' order by 1", A, D(2026, 4, 1), D(2026, 4, 30))
    assert rows == [("D01", None, False, True), ("D02", 1.0, True, True), ("D03", None, False, True)]


# ---- reporting (信息报送) ----

def reporting(con, **period) -> dict:
    params = [A, period.get("s"), period.get("e")]
    return {r[0]: r[1:] for r in query(con, "select town_code, months_due, months_reported, reporting "
                                            "from town_reporting(?::date, s := ?::date, e := ?::date)", *params)}


def test_due_months_lie_wholly_inside_the_period_and_end_before_as_of_month(con):
    # Default period 01-01 .. A (06-15): January to May are due, June (A's month) is not.
    # T01: Jan, Feb, Mar, May reported (not April); T02: April (zero report), May (S04 alone).
    assert reporting(con) == {"T01": (5, 4, 0.8), "T02": (5, 2, 0.4)}
    # S = 01-15: January is not wholly inside (its report does not count): Feb–May.
    assert reporting(con, s=D(2026, 1, 15)) == {"T01": (4, 3, 0.75), "T02": (4, 2, 0.5)}
    # E = 05-20: May is not wholly inside: Jan–Apr.
    assert reporting(con, e=D(2026, 5, 20)) == {"T01": (4, 3, 0.75), "T02": (4, 1, 0.25)}


def test_a_zero_report_and_a_single_schools_report_count_for_the_town(con):
    grid = query(con, "select month, hazard_reports, zero_report, reported from town_reporting_months(?::date) "
                      "where town_code = 'T02' order by month", A)
    assert grid == [(D(2026, 1, 1), 0, False, False), (D(2026, 2, 1), 0, False, False), (D(2026, 3, 1), 0, False, False),
                    (D(2026, 4, 1), 0, True, True), (D(2026, 5, 1), 1, False, True)]


def test_the_quality_pages_towns_without_a_ledger_read_reporting_the_same_way(con):
    # As of 04-30: T01 has no April report; T02 sent April's zero report, so it has reported.
    from dashboard.queries import TOWNS_WITHOUT_LEDGER
    rows = con.execute(TOWNS_WITHOUT_LEDGER.replace("$scope_towns", "[]::varchar[]").replace("$as_of", "?"),
                       [D(2026, 4, 30)] * 3).fetchall()
    assert rows == [("T01", "城关镇", D(2026, 3, 31))]
    # As of 05-31 both towns reported in May (T02 through S04 alone).
    assert con.execute(TOWNS_WITHOUT_LEDGER.replace("$scope_towns", "[]::varchar[]").replace("$as_of", "?"),
                       [D(2026, 5, 31)] * 3).fetchall() == []


def test_no_month_due_is_not_measurable_for_any_town(con):
    assert reporting(con, s=D(2026, 6, 1)) == {"T01": (0, 0, None), "T02": (0, 0, None)}
    rows = query(con, "select unit_code, value, has_data, measurable from town_indicator_values(?::date, s := ?::date) "
                      "where indicator = 'reporting' order by 1", A, D(2026, 6, 1))
    assert rows == [("T01", None, False, False), ("T02", None, False, False)]
    rows = query(con, "select unit_code, value, has_data, measurable from town_indicator_values(?::date) "
                      "where indicator = 'reporting' order by 1", A)
    assert rows == [("T01", 0.8, True, True), ("T02", 0.4, True, True)]


# ---- 履职检查: duty inspection coverage ----

def test_duty_inspection_coverage_counts_the_units_own_inspections_without_legal_visits(con):
    got = query(con, "select dept_code, schools, inspected_schools, inspections, duty_inspection_coverage "
                     "from dept_duty_inspections(?::date)", A)
    # D01: S01 (twice) and S03; its 法治教育 visit to S04 is not counted. D02: 法治教育 only. D03: before
    # the period. The town's check of S04 is nobody's.
    assert got == [("D01", 4, 2, 3, 0.5), ("D02", 4, 0, 0, 0.0), ("D03", 4, 0, 0, 0.0)]
    rows = query(con, "select unit_code, value, has_data, measurable from dept_indicator_values(?::date) "
                      "where indicator = 'duty_inspection_coverage' order by 1", A)
    assert rows == [("D01", 0.5, True, True), ("D02", 0.0, False, True), ("D03", 0.0, False, True)]


# ---- 法治副校长: legal education by semester ----

def test_legal_education_is_the_mean_over_the_semesters_beginning_in_the_period(con):
    s, e = D(2025, 8, 1), D(2026, 3, 31)
    semesters = query(con, "select dept_code, semester_start, window_end, visited_schools, coverage "
                           "from dept_legal_education_semesters(?::date, s := ?::date, e := ?::date) "
                           "where dept_code = 'D02'", A, s, e)
    # autumn 2025: S03 → 1/4; spring 2026 cut at E (03-31): S01, S02 → 2/4 (S04 on 04-10 is after E).
    assert semesters == [("D02", D(2025, 8, 1), D(2026, 1, 31), 1, 0.25), ("D02", D(2026, 2, 1), e, 2, 0.5)]
    got = query(con, "select dept_code, semesters, visits, legal_education_coverage, measurable "
                     "from dept_legal_education(?::date, s := ?::date, e := ?::date)", A, s, e)
    # D01's one visit (S04, spring) is its own: 0 and 1/4 → 0.125; D02 does not get it.
    assert got == [("D01", 2, 1, 0.125, True), ("D02", 2, 3, 0.375, True), ("D03", 2, 0, 0.0, True)]
    rows = query(con, "select unit_code, value, has_data, measurable from dept_indicator_values(?::date, s := ?::date, e := ?::date) "
                      "where indicator = 'legal_education_coverage' order by 1", A, s, e)
    assert rows == [("D01", 0.125, True, True), ("D02", 0.375, True, True), ("D03", 0.0, False, True)]


def test_no_semester_beginning_in_the_period_is_not_measurable(con):
    s = D(2026, 3, 1)  # 03-01 .. 06-15: neither 02-01 nor 08-01 is inside
    got = query(con, "select dept_code, semesters, legal_education_coverage, measurable "
                     "from dept_legal_education(?::date, s := ?::date)", A, s)
    assert got == [("D01", 0, None, False), ("D02", 0, None, False), ("D03", 0, None, False)]
    rows = query(con, "select unit_code, has_data, measurable from dept_indicator_values(?::date, s := ?::date) "
                      "where indicator = 'legal_education_coverage' order by 1", A, s)
    assert rows == [("D01", False, False), ("D02", False, False), ("D03", False, False)]


def test_every_indicator_row_says_whether_it_is_measurable(con):
    towns = query(con, "select indicator, bool_and(measurable) from town_indicator_values(?::date) group by 1 order by 1", A)
    assert towns == [(i, True) for i in sorted(("rectification_rate", "on_time_rate", "inspection_coverage",
                                                "meeting_compliance", "overdue_open_per_school", "reporting"))]
    depts = query(con, "select indicator, bool_and(measurable) from dept_indicator_values(?::date) group by 1 order by 1", A)
    assert depts == [(i, True) for i in sorted(("rectification_rate", "on_time_rate", "overdue_open", "meeting_attendance",
                                                "median_days_to_rectify", "duty_inspection_coverage",
                                                "legal_education_coverage"))]


# ---- ingest: 应到单位 ----

def test_a_meeting_ledgers_invited_column_is_resolved_like_its_attendees(con):
    assert query(con, "select meeting_id, invited, invited_codes from meetings where meeting_id in ('T1', 'T2') order by 1") == [
        ("T1", "区教育局、青溪公安分局", ["D01", "D02"]), ("T2", None, [])]


def test_an_invited_name_not_in_the_registry_is_a_warning(tmp_path):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
    headers = [*builders.MEETING_HEADERS[:-2], "应参会单位", *builders.MEETING_HEADERS[-2:]]  # an alias, anywhere
    row = ["T9", "专题", "专题会议", "区", None, D(2026, 3, 1), "王总", "区教育局", "区财政局、公安分局、各校校长", "x", 1]
    result = ingest([builders.xlsx(tmp_path / "m.xlsx", headers, [row])], warehouse)
    assert (result.files[0].loaded, result.files[0].rejected) == (1, 0)
    connection = open_read_only(warehouse)
    try:
        assert query(connection, "select invited_codes from meetings") == [(["D02"],)]
        assert query(connection, "select \"column\", value from warnings") == [("invited", "区财政局")]
    finally:
        connection.close()
