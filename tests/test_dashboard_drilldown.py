"""Clicking drills down: a heatmap cell or a town on the map to its schools and open hazards,
a department's bar to its hazards, a score bar to its breakdown, a table row to the hazard's
history. Clicks are simulated the way Streamlit stores them: a selection in session state."""

from __future__ import annotations

import polars as pl
import pytest

from tests.test_dashboard_data import dash_env, metrics, open_app, year_filters  # noqa: F401
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

pytestmark = pytest.mark.usefixtures("dash_env")


def _click(at, key: str, *points: dict):
    at.session_state[key] = {"selection": {"points": list(points), "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _pick_row(at, key: str, row: int = 0):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_clicking_a_heatmap_cell_lists_that_towns_schools_and_open_hazards_of_the_category():
    at = open_app("risk")
    assert len(at.dataframe) == 1  # only the per-school table before a click
    _click(at, "risk.heat", {"customdata": ["T02", "食品卫生"], "x": "食品卫生", "y": "河口镇"})
    assert at.selectbox(key="risk.town").value == "T02"
    schools, hazards = at.dataframe[1].value, at.dataframe[2].value
    assert set(schools["学校代码"]) == {"S03", "S04"}
    api = metrics().hazards(year_filters(towns=("T02",), categories=("食品卫生",))).filter(pl.col("is_open"))
    assert hazards["隐患编号"].tolist() == api["hazard_id"].to_list() == ["H3"]


def test_clicking_a_town_on_the_map_lists_all_its_open_hazards():
    at = open_app("risk")
    _click(at, "risk.map", {"customdata": "T01", "curve_number": 0})
    assert at.selectbox(key="risk.town").value == "T01" and at.selectbox(key="risk.category").value is None
    assert sorted(at.dataframe[2].value["隐患编号"]) == ["H1", "H5"]


def test_a_later_selectbox_choice_wins_over_an_old_click():
    at = open_app("risk")
    _click(at, "risk.heat", {"customdata": ["T02", "食品卫生"]})
    at.selectbox(key="risk.town").set_value("T01").run()
    assert at.selectbox(key="risk.town").value == "T01"


def test_picking_a_hazard_opens_its_history():
    at = open_app("risk")
    _click(at, "risk.heat", {"customdata": ["T01", "消防安全"]})
    _pick_row(at, "risk.hazards")
    assert at.title[0].value == "隐患 H1"
    assert at.dataframe[0].value["整改状态"].tolist() == ["未整改", "整改中"]


def test_clicking_a_department_bar_lists_its_hazards_found_in_the_period():
    at = open_app("departments")
    _click(at, "departments.rates", {"customdata": "D02", "x": "青溪公安分局"})
    listed = at.dataframe[1].value["隐患编号"].tolist()
    api = metrics().hazards(year_filters(), found_in_period=True).filter(pl.col("responsible_dept_code") == "D02")
    assert sorted(listed) == sorted(api["hazard_id"]) == ["H2", "H5", "H7"]


def test_clicking_a_score_bar_shows_that_units_breakdown():
    at = open_app("evaluation")
    _click(at, "evaluation.town.bars", {"customdata": "T02", "y": "河口镇"})
    assert at.selectbox(key="evaluation.town.unit").value == "T02"
    total = [m for m in at.metric if m.label.startswith("河口镇")][0]
    api = metrics().town_scores(year_filters()).filter(pl.col("town_code") == "T02").row(0, named=True)
    assert total.value == f"{api['score']:,.2f}"


def test_the_overview_attention_list_leads_to_the_hazard():
    at = open_app("overview")
    first = at.dataframe[0].value["隐患编号"].tolist()[0]
    _pick_row(at, "overview.urgent")
    assert at.title[0].value == f"隐患 {first}"
    assert at.query_params["id"] == first


def test_the_school_profile_follows_its_url_parameter_and_the_picker():
    at = open_app("school", params={"school": "S04"})
    assert at.selectbox(key="school.code").value == "S04"
    at.selectbox(key="school.code").set_value("S01").run()
    assert at.query_params["school"] == "S01"
    assert sorted(at.dataframe[0].value["隐患编号"]) == ["H1", "H5"]
