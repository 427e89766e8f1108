"""What was computed but not shown, now on the pages a leader reads (issue 16): repeat hazards
(反复出现) by town and category on the risk page with a drill-down list, and at each school; 法治教育
coverage by school and semester on the school profile, and by town for a semester, with the
schools not covered, on the inspections page — each equal to the metrics API, in the viewer's
scope, with its downloads. The district of tests/people_data.py."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from streamlit.delta_generator import DeltaGenerator

from tests.people_data import AS_OF, START, map_file, people_warehouse
from tests.test_dashboard_data import open_app
from xiaoan.i18n import t
from xiaoan.labels import column_label, term_label
from xiaoan.metrics import Filters, Metrics, Scope
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

F = Filters(as_of=AS_OF, start=START, end=AS_OF)
TOWN, DEPT = Scope.town("T01"), Scope.department("D02")


@pytest.fixture(autouse=True)
def people_env(monkeypatch):
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(people_warehouse()))
    monkeypatch.setenv("XIAOAN_MAP", str(map_file()))
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    monkeypatch.delenv("XIAOAN_RULES", raising=False)


@pytest.fixture(scope="module")
def m() -> Metrics:
    return Metrics.open(people_warehouse())


def label(column: str) -> str:
    return column_label(column, "zh")


def table_with(at, *columns: str):
    """The first table on the page holding all these columns (by their labels)."""
    wanted = {label(c) for c in columns}
    return next(frame.value for frame in at.dataframe if wanted <= set(frame.value.columns))


def pick_row(at, key: str, row: int):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def offered(monkeypatch) -> dict:
    """The downloads the page offers: file name → CSV rows (read on a click)."""
    files = {}
    real = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        if kwargs["file_name"].endswith(".csv"):
            files[kwargs["file_name"]] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return files


def csv_rows(data) -> list[dict]:
    raw = data() if callable(data) else data
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


# ---------------------------------------------------------------- repeat hazards (反复出现)


def test_the_risk_page_counts_repeat_hazards_by_town_and_category_as_the_api_does(m, monkeypatch):
    files = offered(monkeypatch)
    at = open_app("risk")
    api = m.repeat_hazard_counts(F)
    shown = table_with(at, "town_name", "category", "hazards", "open")
    assert shown[label("hazards")].tolist() == api["hazards"].to_list() == [1, 1]
    assert shown[label("open")].tolist() == api["open"].to_list()
    assert shown[label("town_name")].tolist() == api["town_name"].to_list() == ["城关镇", "河口镇"]
    assert api["hazards"].sum() == m.repeat_hazards(F).height  # the macro's rows, counted
    download = next(data for name, data in files.items() if name.startswith("repeat-hazards-by-town"))
    assert [r[label("hazards")] for r in csv_rows(download)] == ["1", "1"]


def test_picking_a_town_and_category_lists_its_repeat_hazards_with_the_earlier_one(m):
    at = pick_row(open_app("risk"), "risk.repeats", 1)  # 河口镇 · 食品卫生
    assert at.selectbox(key="risk.town").value == "T02" and at.selectbox(key="risk.category").value == "食品卫生"
    listed = table_with(at, "previous_hazard_id", "days_since_rectified")
    api = m.repeat_hazard_list(Filters(as_of=AS_OF, start=START, end=AS_OF, towns=("T02",), categories=("食品卫生",)))
    assert listed[label("hazard_id")].tolist() == api["hazard_id"].to_list() == ["P4"]
    assert listed[label("previous_hazard_id")].tolist() == ["P3"]
    assert listed[label("days_since_rectified")].tolist() == api["days_since_rectified"].to_list() == [28]
    pick_row(at, "risk.repeat_list", 0)
    assert at.title[0].value == t("dash.hazard.title", id="P4")


def test_a_department_is_not_told_the_id_of_another_units_earlier_hazard(m):
    # P2 (D02's) repeats P1, which was the education bureau's (D01): D02 sees P2, not P1's id
    at = pick_row(open_app("risk", scope=DEPT), "risk.repeats", 0)
    listed = table_with(at, "previous_hazard_id")
    assert listed[label("hazard_id")].tolist() == ["P2"] and listed[label("previous_hazard_id")].isna().all()
    assert m.repeat_hazard_list(F)["previous_hazard_id"].to_list() == ["P3", "P1"]  # the district sees both
    assert m.repeat_hazard_list(F, TOWN)["previous_hazard_id"].to_list() == ["P1"]  # a town: its school's hazards
    assert any(t("insights.repeat.previous_hidden") in c.value for c in at.caption)


def test_a_town_sees_only_its_own_repeat_hazards():
    at = open_app("risk", scope=TOWN)
    assert table_with(at, "town_name", "hazards")[label("town_name")].tolist() == ["城关镇"]


def test_the_school_profile_lists_that_schools_repeat_hazards(m):
    at = open_app("school", params={"school": "S01"})
    listed = table_with(at, "previous_hazard_id")
    api = m.repeat_hazard_list(F, school_code="S01")
    assert listed[label("hazard_id")].tolist() == api["hazard_id"].to_list() == ["P2"]
    at = open_app("school", params={"school": "S02"})
    assert any(t("insights.repeat.school_none") in i.value for i in at.info)


# ---------------------------------------------------------------- 法治教育 by school and semester


def test_school_legal_education_is_legal_education_coverage_below_the_town(m):
    for scope in (Scope(), TOWN, DEPT):
        per_school = m.school_legal_education(F, scope)
        summed = (per_school.group_by("town_code", "semester_start")
                  .agg(pl.len().alias("schools"), (pl.col("legal_education_visits") > 0).sum().alias("visited_schools"))
                  .sort("town_code", "semester_start"))
        macro = m.legal_education_coverage(F, scope).select("town_code", "semester_start", "schools", "visited_schools")
        assert summed.with_columns(pl.col("schools", "visited_schools").cast(pl.Int32)).to_dicts() == macro.to_dicts()
        per_semester = m.legal_education_semesters(F, scope)
        assert per_semester["visited_schools"].to_list() == [macro.filter(pl.col("semester_start") == s)[
            "visited_schools"].sum() for s in per_semester["semester_start"]]


def test_the_school_profile_shows_its_legal_education_by_semester(m):
    at = open_app("school", params={"school": "S01"})
    shown = table_with(at, "legal_education_visits", "inspector_name")
    api = m.school_legal_education(F, school_code="S01")
    assert shown[label("legal_education_visits")].tolist() == api["legal_education_visits"].to_list() == [1, 0]
    assert shown[label("term")].tolist() == ["2026年春季学期", "2025年秋季学期"]
    assert shown[label("inspector_name")].tolist()[0] == "青溪公安分局"
    latest = t("insights.legal.school_covered", term="2026年春季学期", n=1, date="2026年3月3日")
    assert api["last_inspection_date"][0] == AS_OF.replace(month=3, day=3)
    assert any(latest in x.value for x in at.markdown)


def test_the_inspections_page_shows_coverage_by_town_and_the_schools_not_covered(m, monkeypatch):
    files = offered(monkeypatch)
    at = open_app("inspections")
    assert at.selectbox(key="inspections.semester").value == AS_OF.replace(month=2, day=1)  # the latest semester
    spring = m.legal_education_coverage(F).filter(pl.col("semester_start") == AS_OF.replace(month=2, day=1))
    shown = table_with(at, "visited_schools", "legal_education_coverage")
    assert shown[label("visited_schools")].tolist() == spring.sort("legal_education_coverage", descending=True)[
        "visited_schools"].to_list()
    assert shown[label("legal_education_coverage")].tolist() == [0.5, 0.5]
    total = m.legal_education_semesters(F).row(0, named=True)
    assert any(t("insights.legal.district", visited=total["visited_schools"], schools=total["schools"],
                 rate="50.0%") in x.value for x in at.markdown)
    uncovered = table_with(at, "school_code", "semester_start")
    assert uncovered[label("school_code")].tolist() == ["S02", "S04"]
    download = next(data for name, data in files.items() if name.startswith("legal-education-uncovered"))
    assert [r[label("school_code")] for r in csv_rows(download)] == ["S02", "S04"]

    at.selectbox(key="inspections.semester").set_value(AS_OF.replace(year=2025, month=8, day=1)).run()
    assert table_with(at, "school_code", "semester_start")[label("school_code")].tolist() == ["S01", "S03", "S04"]
    assert any(term_label("autumn", AS_OF.replace(year=2025, month=8, day=1)) in s.value for s in at.markdown)


def test_a_town_sees_its_own_schools_and_a_department_its_own_visits_on_the_inspections_page(m):
    at = open_app("inspections", scope=TOWN)
    assert table_with(at, "visited_schools")[label("town_name")].tolist() == ["城关镇"]
    assert table_with(at, "school_code", "semester_start")[label("school_code")].tolist() == ["S02"]
    at = open_app("inspections", scope=Scope.department("D01"))  # the education bureau made no 法治教育 visit
    assert table_with(at, "school_code", "semester_start")[label("school_code")].tolist() == ["S01", "S02", "S03",
                                                                                              "S04"]
    assert any(t("insights.legal.own_visits") in c.value for c in at.caption)
