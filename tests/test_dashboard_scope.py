"""The viewer's scope reaches every query: a town viewer (城关镇 T01) and a department viewer
(公安分局 D02) walk every page and see only their rows; the URL can never widen the view."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field

import openpyxl
import polars as pl
import pytest
from streamlit.delta_generator import DeltaGenerator

from dashboard import nav, queries, widgets
from tests.test_dashboard_data import (D, chart_specs, dash_env, dashboard_warehouse, metric_values,  # noqa: F401
                                       metrics, open_app, year_filters)
from xiaoan.i18n import t
from xiaoan.labels import column_label
from xiaoan.metrics import Scope
from xiaoan.warehouse import open_read_only
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

pytestmark = pytest.mark.usefixtures("dash_env")

TOWN, DEPT = Scope.town("T01"), Scope.department("D02")
PAGES = ("overview", "risk", "departments", "evaluation", "supervision", "meetings", "inspections", "hazards", "school", "organisation")
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
    assert listed["检查单位"].unique().tolist() == ["青溪公安分局"]


@pytest.mark.parametrize("scope", [TOWN, DEPT], ids=["town", "department"])
def test_personal_data_and_data_quality_are_for_district_viewers_only(scope):
    at = open_app("organisation", scope=scope)
    members = at.dataframe[-1].value
    assert members[["成员", "联络员", "联系电话"]].isna().all().all()
    assert queries.rejected_rows(scope).is_empty() and queries.ingest_log(scope).is_empty()
    at = open_app("quality", scope=scope)  # not in this viewer's menu: the default page runs instead
    assert at.title[0].value != t("dash.page.quality")
    assert t("row.unknown_school", value="S99") not in _cells(at)


def test_a_department_gets_no_towns_row_of_scores_or_meetings_and_no_district_meeting_compliance():
    m, f = metrics(), year_filters()
    assert m.town_scores(f).height == 2 and m.meeting_compliance(f).height == 2      # the district's rows
    for name in ("town_scores", "town_score_breakdown", "meeting_months", "meeting_compliance"):
        assert getattr(m, name)(f, DEPT).is_empty(), name
    assert m.score_trend(f, DEPT, "town", quarters=4).is_empty()
    assert m.headline(f, DEPT)["meeting_compliance"].to_list() == [None]
    assert m.headline(f)["meeting_compliance"].to_list() != [None]


def test_a_town_gets_no_units_row_of_scores_or_attendance():
    m, f = metrics(), year_filters()
    assert m.dept_scores(f).height == 3 and m.dept_meeting_attendance(f).height == 3
    for name in ("dept_scores", "dept_score_breakdown", "dept_meeting_attendance"):
        assert getattr(m, name)(f, TOWN).is_empty(), name
    assert m.score_trend(f, TOWN, "dept", quarters=4).is_empty()


@pytest.mark.parametrize("scope,tier,code", [(TOWN, "town_scores", "town_code"), (DEPT, "dept_scores", "dept_code")],
                         ids=["town", "department"])
def test_a_scope_gets_its_own_score_row_with_its_district_rank(scope, tier, code):
    m, f = metrics(), year_filters()
    district = getattr(m, tier)(f).filter(pl.col(code) == scope.code).select(code, "score", "rank")
    assert getattr(m, tier)(f, scope).select(code, "score", "rank").to_dicts() == district.to_dicts() != []


def test_principals_are_named_to_the_district_and_their_own_town_only():
    assert set(queries.towns(TOWN)["principal"]) == {"李镇长"}
    assert set(queries.villages(TOWN)["principal"]) == {"张主任", "陈主任"}
    assert queries.towns(DEPT)["principal"].is_null().all() and queries.villages(DEPT)["principal"].is_null().all()
    assert queries.towns(DEPT).height == queries.towns(Scope()).height == 2


def test_the_last_load_counts_are_the_districts_only():
    district = queries.last_load(Scope())
    assert district["files"] > 0 and district["loaded"] > 0
    for scope in (TOWN, DEPT):
        scoped = queries.last_load(scope)
        assert scoped["finished_at"] == district["finished_at"]
        assert (scoped["files"], scoped["loaded"], scoped["rejected"]) == (None, None, None)


def test_the_url_cannot_widen_the_scope():
    at = open_app("hazards", scope=TOWN, params={"scope": "district", "viewer.scope": "district", "town": "T02"})
    at.toggle(key="hazards.in_period").set_value(False).run()
    assert set(at.dataframe[0].value["隐患编号"]) == VISIBLE[TOWN]


def test_the_server_environment_can_set_the_scope(monkeypatch):
    monkeypatch.setenv("XIAOAN_SCOPE", "town:T02")
    at = open_app("hazards")
    at.toggle(key="hazards.in_period").set_value(False).run()
    assert set(at.dataframe[0].value["隐患编号"]) == {"H3", "H4", "H6", "H7"}


# ---------------------------------------------------------------- the walk: every page × role against the district view
#
# For each page of the menu (and the hidden hazard page) and each scoped role, everything the page
# hands the browser — every table, every chart's data, every metric, every download's bytes and
# its text — is compared with the district view filtered to the scope: nothing of the district
# outside the scope appears, and what the scope holds is there (an empty page cannot pass).

WALK = [name for _, items in nav.SECTIONS for name, *_ in items] + [name for name, *_ in nav.HIDDEN]
OWN_NAME = {TOWN: "城关镇", DEPT: "青溪公安分局"}
SCORE_COLUMNS = {column_label(c, "zh") for c in ("rank", "meeting_attendance", "meeting_compliance")}
UNIT_COLUMNS = {column_label(c, "zh") for c in ("town_code", "town_name", "dept_code", "dept_name")}
SCORE_CHARTS = {t(k, "zh") for k in ("dash.evaluation.town_title", "dash.evaluation.dept_title",
                                     "dash.evaluation.trend_title", "dash.meetings.attendance_title",
                                     "dash.meetings.grid_title")}
CHART_DATA = ("x", "y", "z", "text", "customdata", "name", "hovertext", "labels", "ids")


@dataclass
class View:
    """What a page handed the browser: table cells, chart data, metrics, downloads, text."""

    tables: list = field(default_factory=list)        # pandas frames, as st.dataframe got them
    charts: list = field(default_factory=list)        # plotly JSON
    metrics: dict = field(default_factory=dict)       # label → (value, delta)
    files: dict = field(default_factory=dict)         # file name → set of cells (CSV and Excel)
    text: str = ""

    def cells(self) -> set[str]:
        found = {str(v) for frame in self.tables for column in frame.columns for v in frame[column].tolist()}
        found |= {str(v) for spec in self.charts for v in _chart_values(spec)}
        found |= {s for pair in self.metrics.items() for s in (pair[0], *pair[1])}
        return found.union(*self.files.values()) if self.files else found

    def table_with(self, column: str):
        return next(frame for frame in self.tables if column in frame.columns)


def _chart_values(spec: dict) -> list:
    """Every value a chart's traces carry (flattened), not their styling."""
    out, todo = [], [trace.get(k) for trace in spec.get("data", []) for k in CHART_DATA]
    while todo:
        value = todo.pop()
        if isinstance(value, (list, tuple)):
            todo.extend(value)
        elif value is not None:
            out.append(value)
    return out


def _file_cells(name: str, data: bytes) -> set[str]:
    if name.endswith(".csv"):
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return {c.removeprefix("'") for row in rows for c in row}
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}


@functools.cache
def district_view() -> dict:
    """The district's view of the small district: what each scope's slice is cut from."""
    m = metrics()
    con = open_read_only(dashboard_warehouse())
    try:
        tables = {name: con.sql(f"select * from {name}").pl()
                  for name in ("towns", "villages", "schools", "departments", "meetings", "meeting_attendance",
                               "rejected_rows")}
        last = con.sql("select max(finished_at) as finished_at, count(*) as files, sum(loaded) as loaded, "
                       "sum(rejected) as rejected from ingest_log group by batch_id order by finished_at desc limit 1"
                       ).pl().row(0, named=True)
    finally:
        con.close()
    return {**tables, "hazards": m.hazards(year_filters()), "inspections": m.inspections(year_filters()),
            "town_scores": m.town_scores(year_filters()), "dept_scores": m.dept_scores(year_filters()),
            "compliance": m.meeting_compliance(year_filters()),
            "last_load": t("dash.overview.last_load_text", "zh", when=last["finished_at"].strftime("%Y-%m-%d %H:%M"),
                           files=last["files"], loaded=last["loaded"], rejected=last["rejected"]),
            "updated": t("dash.overview.last_load_time", "zh", when=last["finished_at"].strftime("%Y-%m-%d %H:%M"))}


def sliced(scope: Scope) -> dict:
    """The district view filtered to the scope (docs/security.md, Roles)."""
    d, code = district_view(), scope.code
    if scope.kind == "town":
        attended = d["meetings"].filter(pl.col("town_code") == code)
        return {"hazards": d["hazards"].filter(pl.col("town_code") == code),
                "inspections": d["inspections"].filter(pl.col("town_code") == code),
                "meetings": attended, "schools": d["schools"].filter(pl.col("town_code") == code),
                "scores": d["town_scores"].filter(pl.col("town_code") == code)}
    ids = d["meeting_attendance"].filter(pl.col("unit_code") == code)["meeting_id"]
    return {"hazards": d["hazards"].filter(pl.col("responsible_dept_code") == code),
            "inspections": d["inspections"].filter(pl.col("dept_code") == code),
            "meetings": d["meetings"].filter(pl.col("meeting_id").is_in(ids.implode())), "schools": d["schools"],
            "scores": d["dept_scores"].filter(pl.col("dept_code") == code)}


def foreign(scope: Scope) -> set[str]:
    """The district's words outside the scope: hazards (ids, descriptions), meetings, inspectors,
    personal data, rejected rows; for a town other towns, villages and schools; principals."""
    d, own = district_view(), sliced(scope)

    def outside(frame: str, column: str) -> set[str]:
        return set(d[frame][column].drop_nulls()) - set(own[frame][column].drop_nulls())

    words = outside("hazards", "hazard_id") | outside("hazards", "description") | outside("meetings", "title")
    words |= set(d["inspections"]["inspectors"].drop_nulls())  # people's names: the district's only
    words |= {v for c in ("member", "liaison", "phone") for v in d["departments"][c].drop_nulls()}
    words |= set(d["rejected_rows"]["reason"])
    principals = set(d["towns"]["principal"]) | set(d["villages"]["principal"])
    if scope.kind == "town":
        other_towns = d["towns"].filter(pl.col("town_code") != scope.code)
        other_villages = d["villages"].filter(pl.col("town_code") != scope.code)
        words |= set(other_towns["town_code"]) | set(other_towns["town_name"]) | set(other_towns["principal"])
        words |= set(other_villages["village_code"]) | set(other_villages["village_name"]) | set(other_villages["principal"])
        words |= outside("schools", "school_code") | outside("schools", "school_name")
    else:  # a department: no principal (nor the chair of a meeting it attended: docs/security.md)
        words |= principals
    return words


def walk(page: str, scope: Scope, monkeypatch) -> View:
    """Open the page as the scope and collect what it hands the browser."""
    view, offered = View(), []
    real = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        offered.append((kwargs["file_name"], data))
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    own = sorted(sliced(scope)["hazards"]["hazard_id"])
    at = open_app(page, scope=scope, params={"id": own[0]} if page == "hazard" else None)
    view.tables = [frame.value for frame in at.dataframe]
    view.charts = chart_specs(at)
    view.metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    view.files = {name: _file_cells(name, data() if callable(data) else data) for name, data in offered}
    view.text = " ".join(e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success")
                         for e in getattr(at, kind))
    view.school = at.selectbox(key="school.code").value if page == "school" else None
    return view


def _ids(frame) -> set[str]:
    return set(frame[column_label("hazard_id", "zh")])


def expect_overview(view: View, scope: Scope, own: dict) -> None:
    assert view.metrics[column_label("open_hazards", "zh")][0] == str(own["hazards"]["is_open"].sum())
    compliance = district_view()["compliance"].filter(pl.col("town_code") == scope.code)["meeting_compliance"]
    assert view.metrics[column_label("meeting_compliance", "zh")][0] == widgets.percent(compliance[0] if compliance.len() else None)
    ranks = view.table_with(column_label("rank", "zh"))
    assert ranks.iloc[:, 1].tolist() == [OWN_NAME[scope]] and ranks.iloc[0, 0] == own["scores"]["rank"][0]
    assert district_view()["updated"] in view.text  # when the data was last loaded, without the district's counts


def expect_risk(view: View, scope: Scope, own: dict) -> None:
    heat = next(spec for spec in view.charts if spec["data"][0]["type"] == "heatmap")
    shown = sum(v for row in heat["data"][0]["z"] for v in row)
    assert shown == pytest.approx(own["hazards"].filter(pl.col("is_open"))["risk"].sum()) and shown > 0


def expect_departments(view: View, scope: Scope, own: dict) -> None:
    found = own["hazards"].filter(pl.col("found_date") >= D(2026, 1, 1))
    closure = view.table_with(column_label("total", "zh"))
    assert closure[column_label("total", "zh")].sum() == found.height > 0
    assert set(found["dept_name"]) <= set(closure[column_label("dept_name", "zh")])


def expect_evaluation(view: View, scope: Scope, own: dict) -> None:
    label = t("dash.evaluation.total", "zh", name=OWN_NAME[scope])
    assert view.metrics[label][0] == f"{own['scores']['score'][0]:,.2f}"
    assert view.metrics[t("dash.col.rank_text", "zh")][0] == str(own["scores"]["rank"][0])


def expect_supervision(view: View, scope: Scope, own: dict) -> None:
    # nothing is 挂牌 in the small district: due are its open 重大 hazards (the town's H1; none of 公安's)
    due = set(own["hazards"].filter(pl.col("is_open") & (pl.col("level") == "重大"))["hazard_id"])
    assert due == set(metrics().supervision(year_filters(), scope).filter(pl.col("due"))["hazard_id"])
    listed = [_ids(frame) for frame in view.tables if column_label("hazard_id", "zh") in frame.columns]
    assert set().union(*listed) == due
    assert view.metrics[t("dash.supervision.due", "zh")][0] == str(len(due))


def expect_meetings(view: View, scope: Scope, own: dict) -> None:
    listed = view.table_with(column_label("title", "zh"))
    assert set(listed[column_label("title", "zh")]) == set(own["meetings"]["title"]) != set()


def expect_inspections(view: View, scope: Scope, own: dict) -> None:
    listed = view.table_with(column_label("inspectors", "zh"))
    assert listed[column_label("inspectors", "zh")].isna().all()  # people's names: district viewers only
    dates = {str(d)[:10] for d in listed[column_label("inspection_date", "zh")]}
    assert dates == {d.isoformat() for d in own["inspections"]["inspection_date"]} != set()


def expect_hazards(view: View, scope: Scope, own: dict) -> None:
    in_year = own["hazards"].filter(pl.col("found_date") >= D(2026, 1, 1))
    assert _ids(view.table_with(column_label("hazard_id", "zh"))) == set(in_year["hazard_id"]) != set()


def expect_school(view: View, scope: Scope, own: dict) -> None:
    assert view.school in set(own["schools"]["school_code"])
    at_school = own["hazards"].filter(pl.col("school_code") == view.school)
    assert _ids(view.table_with(column_label("hazard_id", "zh"))) == set(at_school["hazard_id"]) != set()


def expect_organisation(view: View, scope: Scope, own: dict) -> None:
    d = district_view()
    if scope.kind == "town":
        mine = {*d["towns"].filter(pl.col("town_code") == scope.code).row(0)[1:],
                *d["villages"].filter(pl.col("town_code") == scope.code)["principal"]}
    else:
        mine = {OWN_NAME[scope]}
    assert mine <= view.cells()


def expect_hazard(view: View, scope: Scope, own: dict) -> None:
    hazard_id = sorted(own["hazards"]["hazard_id"])[0]
    assert t("dash.hazard.title", "zh", id=hazard_id) in view.text
    reports = view.table_with(column_label("report_seq", "zh"))
    assert len(reports) == metrics().hazard_history(hazard_id).height > 0


EXPECT = {"overview": expect_overview, "quality": expect_overview,  # quality, importer: the default page runs instead
          "importer": expect_overview,
          "risk": expect_risk, "departments": expect_departments, "evaluation": expect_evaluation,
          "supervision": expect_supervision,
          "meetings": expect_meetings, "inspections": expect_inspections, "hazards": expect_hazards,
          "school": expect_school, "organisation": expect_organisation, "hazard": expect_hazard}


def test_the_walk_covers_every_page_of_the_menu():
    assert set(WALK) == set(EXPECT) and len(WALK) == 13


@pytest.mark.parametrize("scope", [TOWN, DEPT], ids=["town", "department"])
@pytest.mark.parametrize("page", WALK)
def test_each_page_holds_the_district_view_filtered_to_the_scope(page, scope, monkeypatch):
    view, own = walk(page, scope, monkeypatch), sliced(scope)
    seen = view.cells()
    leaked = seen & foreign(scope)
    assert not leaked, f"{page} shows {sorted(leaked)} to {scope}"
    # Other units' rows of scores, 例会 and attendance: none, in tables and in charts.
    units = set(district_view()["towns"]["town_name"]) | set(district_view()["departments"]["dept_name"])
    units |= set(district_view()["towns"]["town_code"]) | set(district_view()["departments"]["dept_code"])
    mine = {scope.code, OWN_NAME[scope]}
    for frame in view.tables:
        if SCORE_COLUMNS & set(frame.columns):
            shown = {str(v) for c in UNIT_COLUMNS & set(frame.columns) for v in frame[c]}
            assert shown <= mine, f"{page}: a score or meeting table shows {sorted(shown - mine)} to {scope}"
    for spec in view.charts:
        if spec.get("layout", {}).get("title", {}).get("text") in SCORE_CHARTS:
            shown = {str(v) for v in _chart_values(spec)} & units
            assert shown <= mine, f"{page}: a score or meeting chart shows {sorted(shown - mine)} to {scope}"
    # District-wide counts: the last load's files and rows.
    assert district_view()["last_load"] not in view.text
    # What the scope holds is there, as the district view has it.
    EXPECT[page](view, scope, own)
    if view.tables:
        assert view.files, f"{page}: tables without downloads"
