"""The viewer's scope reaches every query: a town viewer (城关镇 T01) and a department viewer
(公安分局 D02) walk every page and see only their rows; the URL can never widen the view."""

from __future__ import annotations

import pytest

from dashboard import queries
from tests.test_dashboard_data import chart_specs, dash_env, metric_values, metrics, open_app, year_filters  # noqa: F401
from xiaoan.i18n import t
from xiaoan.metrics import Scope

pytestmark = pytest.mark.usefixtures("dash_env")

TOWN, DEPT = Scope.town("T01"), Scope.department("D02")
PAGES = ("overview", "risk", "departments", "evaluation", "meetings", "inspections", "hazards", "school", "organisation")
# Hazards each viewer may see, and the ones they must never see.
VISIBLE = {TOWN: {"H1", "H2", "H5"}, DEPT: {"H2", "H5", "H7"}}
ALL_HAZARDS = {"H1", "H2", "H3", "H4", "H5", "H6", "H7"}


def _cells(at) -> set[str]:
    """Every string cell of every table on the page."""
    found = set()
    for frame in at.dataframe:
        for column in frame.value.columns:
            found |= {str(v) for v in frame.value[column].tolist()}
    return found


@pytest.mark.parametrize("scope", [TOWN, DEPT], ids=["town", "department"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_a_scoped_viewer_without_foreign_hazards(scope, page):
    at = open_app(page, scope=scope, params={"id": "H1"} if page == "hazard" else None)
    # The page itself ran (an empty page would pass the check below): its own title is on top.
    title = t("dash.overview.title", "zh", district="") if page == "overview" else t(f"dash.page.{page}", "zh")
    assert at.title and at.title[0].value.endswith(title), f"{page}: {[x.value for x in at.title]}"
    foreign = ALL_HAZARDS - VISIBLE[scope]
    assert not (_cells(at) & foreign), f"{page} shows {sorted(_cells(at) & foreign)} to {scope}"


@pytest.mark.parametrize("scope", [TOWN, DEPT], ids=["town", "department"])
def test_the_ledger_holds_exactly_the_viewers_hazards(scope):
    at = open_app("hazards", scope=scope)
    at.toggle(key="hazards.in_period").set_value(False).run()
    shown = set(at.dataframe[0].value["隐患编号"])
    assert shown == VISIBLE[scope] == set(metrics().hazards(year_filters(), scope)["hazard_id"])


def test_a_town_viewer_sees_its_own_figures_and_town_only():
    at = open_app("overview", scope=TOWN)
    api = metrics().headline(year_filters(), TOWN).row(0, named=True)
    assert metric_values(at)["未整改隐患数"] == str(api["open_hazards"]) == "2"
    assert any("当前查看范围：城关镇" in i.value for i in at.sidebar.info)
    at.switch_page("views/risk.py").run()
    assert chart_specs(at)[0]["data"][0]["y"] == ["城关镇"]
    assert at.sidebar.multiselect(key="f.towns").options == ["城关镇"]


def test_a_town_viewer_cannot_open_another_towns_hazard_or_school():
    at = open_app("hazard", scope=TOWN, params={"id": "H3"})  # H3 is at S03 in 河口镇
    assert any("未找到隐患「H3」" in i.value for i in at.info)
    at = open_app("school", scope=TOWN, params={"school": "S03"})
    assert at.selectbox(key="school.code").value in {"S01", "S02"}
    assert "S03" not in at.selectbox(key="school.code").options


def test_a_department_viewer_sees_its_own_closure_only():
    at = open_app("departments", scope=DEPT)
    table = at.dataframe[0].value
    assert table["单位代码"].tolist() == ["D02"]
    api = metrics().dept_closure(year_filters(), DEPT).row(0, named=True)
    assert table["整改率"].tolist() == [api["rectification_rate"]]


def test_a_department_viewer_sees_only_meetings_it_attended_and_its_inspections():
    at = open_app("meetings", scope=DEPT)
    listed = at.dataframe[-1].value["会议名称"].tolist()
    assert sorted(listed) == ["全体成员单位会议", "城关镇一月例会", "城关镇三月例会"]
    at = open_app("inspections", scope=DEPT)
    listed = at.dataframe[1].value
    assert listed["单位名称"].unique().tolist() == ["青溪公安分局"]


@pytest.mark.parametrize("scope", [TOWN, DEPT], ids=["town", "department"])
def test_personal_data_and_data_quality_are_for_district_viewers_only(scope):
    at = open_app("organisation", scope=scope)
    members = at.dataframe[-1].value
    assert members[["成员", "联络员", "联系电话"]].isna().all().all()
    assert queries.rejected_rows(scope).is_empty() and queries.ingest_log(scope).is_empty()
    at = open_app("quality", scope=scope)  # not in this viewer's menu: the default page runs instead
    assert at.title[0].value != "数据质量"
    assert "学校不在登记册中" not in _cells(at)


def test_the_url_cannot_widen_the_scope():
    at = open_app("hazards", scope=TOWN, params={"scope": "district", "viewer.scope": "district", "town": "T02"})
    at.toggle(key="hazards.in_period").set_value(False).run()
    assert set(at.dataframe[0].value["隐患编号"]) == VISIBLE[TOWN]


def test_the_server_environment_can_set_the_scope(monkeypatch):
    monkeypatch.setenv("XIAOAN_SCOPE", "town:T02")
    at = open_app("hazards")
    at.toggle(key="hazards.in_period").set_value(False).run()
    assert set(at.dataframe[0].value["隐患编号"]) == {"H3", "H4", "H6", "H7"}
