"""The 驾驶舱 wall screen (/wall, dashboard/views/wall.py) in AppTest: no sidebar or filters, the
figures equal to the metrics API for the same period and scope, the panels, the URL's options
(refresh, rotate, panel, period) and the timed runs that rotate the panels and refresh the data.
In a real browser at 1920×1080: tests/test_browser_wall.py."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import measures, nav, queries, wall_parts, wall_shell, widgets
from tests.test_dashboard_data import AS_OF, D, dash_env, metrics, open_app, year_filters  # noqa: F401
from xiaoan import periods
from xiaoan.i18n import t
from xiaoan.labels import column_label, day_label, time_label, value_label, whole_text
from xiaoan.metrics import Filters, Scope
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

TOWN, DEPT = Scope.town("T01"), Scope.department("D02")
DECIMALS = int(measures.rules().get("scores", "decimals"))  # [scores] decimals of the rules file
SEMESTERS = periods.Semesters(3, 9)


def open_wall(params: dict | None = None, scope: Scope | None = None):
    return open_app("wall", scope=scope, params=params)


def html_blocks(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def html_text(at) -> str:
    """The text of every HTML block (tags dropped, entities resolved)."""
    shown = [b for b in html_blocks(at) if not b.lstrip().startswith("<style")]
    return unescape(re.sub(r"<[^>]+>", " ", "\n".join(shown)))


def tiles(at) -> dict[str, tuple[str, str, str]]:
    """{figure: (label, value, change)} of the headline tiles."""
    body = next(b for b in html_blocks(at) if "wall-kpis" in b)
    found = re.findall(r'data-figure="([^"]+)"><div class="wall-kpi-label">([^<]*)</div>'
                       r'<div class="wall-kpi-value">([^<]*)</div><div class="wall-kpi-delta[^"]*">([^<]*)</div>', body)
    return {name: (unescape(label), unescape(value), unescape(delta)) for name, label, value, delta in found}


def charts(at) -> dict[str, dict]:
    """The figures drawn, by their title."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"]: s for s in specs}


def api_supervision(f: Filters, scope: Scope = Scope()) -> tuple[int, int]:
    listed = metrics().supervision(f, scope)
    return int(listed["in_force"].sum() or 0), int(listed["due"].sum() or 0)


# ---------------------------------------------------------------- the shell


@pytest.mark.usefixtures("dash_env")
def test_the_wall_has_no_sidebar_filters_and_hides_streamlits_chrome():
    at = open_wall()
    assert not at.sidebar.selectbox and not at.sidebar.multiselect and not at.sidebar.radio
    assert not at.sidebar.date_input and not at.sidebar.title
    style = next(b for b in html_blocks(at) if "stSidebar" in b)
    for chrome in ("stSidebar", "stHeader", "stToolbar", "stDecoration", "stStatusWidget"):
        assert f"[data-testid={chrome}]" in style
    assert wall_shell.BACKGROUND in style
    # the other pages keep their sidebar and filters
    overview = open_app("overview")
    assert overview.sidebar.selectbox(key="f.period") and overview.sidebar.radio(key="lang")
    assert "wall-kpis" not in "".join(html_blocks(overview))


@pytest.mark.usefixtures("dash_env")
def test_the_headline_figures_and_their_change_are_the_metrics_apis():
    at = open_wall()
    f = year_filters()
    api = {r["metric"]: r for r in metrics().headline_change(f).to_dicts()}
    shown = tiles(at)
    names = [n for n in shown if n != "supervision"]
    assert len(names) == 7
    for name in names:
        label, value, delta = shown[name]
        assert label == column_label(name, "zh")
        assert value == wall_parts.figure_text(name, api[name]["value"], "zh")
        assert delta == wall_parts.change_text(name, api[name]["change"], "zh")[0]
    # the counts are whole numbers as the API gives them (no thousands comma in Chinese), the rates to one decimal
    assert shown["open_hazards"][1] == f"{api['open_hazards']['value']:.0f}"
    assert shown["rectification_rate"][1] == f"{api['rectification_rate']['value']:.1%}"
    change = api["open_hazards"]["change"]
    assert shown["open_hazards"][2].startswith("▲" if change > 0 else "▼" if change < 0 else "持")
    # dates in the header's sentences are written out, as on the pages: 较上月末（2026年2月28日）
    header = re.sub(r"\s+", "", next(b for b in html_text(at).split("\n") if "数据截至" in b))
    assert f'较上月末（{day_label(api["open_hazards"]["previous_as_of"])}）' in header
    assert f"统计周期：2026年1月1日至2026年3月31日·数据截至{day_label(AS_OF)}" in header
    assert not re.search(r"\d{4}-\d{2}-\d{2}", header)


@pytest.mark.usefixtures("dash_env")
def test_the_supervision_tile_counts_what_the_metrics_api_lists():
    at = open_wall()
    in_force, due = api_supervision(year_filters())
    label, value, delta = tiles(at)["supervision"]
    assert label == t("wall.supervision", "zh") and value == str(in_force)
    assert delta == (t("wall.supervision_due", "zh", n=due) if due else t("wall.supervision_none_due", "zh"))
    assert delta == (f"应挂牌未挂牌 {due} 项" if due else "无应挂牌未挂牌")  # the supervision page's words


@pytest.mark.usefixtures("dash_env")
def test_the_overview_panel_draws_the_map_the_rankings_and_the_latest_ledgers():
    at = open_wall()
    f = year_filters()
    drawn = charts(at)
    assert set(drawn) == {t("wall.map.title", "zh"), t("wall.rank.towns", "zh"), t("wall.rank.units", "zh")}
    # the rankings: every ranked unit, in rank order, with its score and grade
    for tier, scores, name in (("towns", metrics().town_scores(f), "town_name"),
                               ("units", metrics().dept_scores(f), "dept_name")):
        bars = drawn[t(f"wall.rank.{tier}", "zh")]["data"][0]
        ranked = scores.filter(pl.col("rank").is_not_null()).sort("rank")
        assert bars["y"] == [f"{r}  {n}" for r, n in zip(ranked["rank"], ranked[name])]
        assert bars["x"] == pytest.approx(ranked["score"].to_list())
        assert all(g in text for g, text in zip(ranked["grade"], bars["text"]))
        # each score with the rules' decimals (the ranks are computed on them), as the 通报 and the evaluation page
        assert bars["text"] == [t("wall.rank.bar", "zh", score=widgets.number(s, DECIMALS), grade=value_label(g, "zh"))
                                for s, g in zip(ranked["score"], ranked["grade"])]
    # the map: the towns of the per-school risk, each one named
    per_school = metrics().town_risk_per_school(f)
    town_map = drawn[t("wall.map.title", "zh")]
    assert {a["text"] for a in town_map["layout"]["annotations"]} == set(per_school["town_name"])
    assert town_map["layout"]["paper_bgcolor"] == wall_shell.PANEL
    # the latest ledgers: the load log's files, newest first
    log = queries.run(queries.INGEST_LOG, Scope())
    text = html_text(at)
    assert t("wall.arrivals.title", "zh") in text
    for file in log.head(8)["file"]:
        assert file in text
    # their times in words (11月29日 20:19), not ISO
    for when in log.head(8)["finished_at"]:
        assert time_label(when, "zh", year=False) in text
    assert not re.search(r"\d{2}-\d{2} \d{2}:\d{2}", text)
    # nothing rotates by default: no panel pills
    assert not any('class="wall wall-pills"' in b for b in html_blocks(at))


@pytest.mark.usefixtures("dash_env")
@pytest.mark.parametrize(("panel", "charts_drawn", "marker"), [
    ("map", {"wall.map.title"}, 'data-panel-part="risk-table"'),
    ("rankings", {"wall.rank.towns", "wall.rank.units"}, None),
    ("arrivals", set(), "wall-table"),
])
def test_a_pinned_panel_is_the_only_one_shown(panel, charts_drawn, marker):
    at = open_wall({"panel": panel})
    assert set(charts(at)) == {t(k, "zh") for k in charts_drawn}
    if marker:
        assert any(marker in b for b in html_blocks(at))
    if panel == "map":  # the towns by risk per school, riskiest first, one decimal
        per_school = metrics().town_risk_per_school(year_filters()).sort("risk_per_school", descending=True)
        text = html_text(at)
        positions = [text.index(n) for n in per_school["town_name"]]
        assert positions == sorted(positions)
        assert f"{per_school['risk_per_school'][0]:.1f}" in text


@pytest.mark.usefixtures("dash_env")
def test_the_period_comes_from_the_url_like_the_other_pages_links():
    at = open_wall({"period": "month", "year": "2026", "idx": "2", "asof": ""})
    f = Filters(as_of=D(2026, 2, 28), start=D(2026, 2, 1), end=D(2026, 2, 28))
    api = {r["metric"]: r for r in metrics().headline_change(f).to_dicts()}
    assert tiles(at)["open_hazards"][1] == wall_parts.figure_text("open_hazards", api["open_hazards"]["value"], "zh")
    assert "2026年2月1日至2026年2月28日" in html_text(at)


@pytest.mark.usefixtures("dash_env")
def test_english_from_the_url():
    at = open_wall({"lang": "en"})
    assert "school safety command screen" in html_text(at)
    assert tiles(at)["open_hazards"][0] == "Open hazards"


# ---------------------------------------------------------------- the viewer's scope


@pytest.mark.usefixtures("dash_env")
def test_a_town_screen_shows_its_town_only():
    at = open_wall(scope=TOWN)
    f = year_filters()
    api = {r["metric"]: r for r in metrics().headline_change(f, TOWN).to_dicts()}
    district = {r["metric"]: r for r in metrics().headline_change(f).to_dicts()}
    shown = tiles(at)
    assert shown["open_hazards"][1] == wall_parts.figure_text("open_hazards", api["open_hazards"]["value"], "zh")
    assert api["open_hazards"]["value"] != district["open_hazards"]["value"]  # (so the check above can fail)
    assert shown["supervision"][1] == str(api_supervision(f, TOWN)[0])
    drawn = charts(at)
    own = metrics().town_scores(f, TOWN)
    assert drawn[t("wall.rank.towns", "zh")]["data"][0]["y"] == [f"{own['rank'][0]}  {own['town_name'][0]}"]
    assert t("wall.rank.units", "zh") not in drawn  # no member unit's score row for a town
    text = html_text(at)
    assert t("dash.scope.dept_rows_only", "zh") in text
    names = {a["text"] for a in drawn[t("wall.map.title", "zh")]["layout"]["annotations"]}
    assert names == {own["town_name"][0]}  # its own outline, not its neighbours'
    # the load log is the district's: the time of the last load only, no file of it
    assert "隐患台账.xlsx" not in text and t("wall.title", "zh", district="").strip() in text
    assert "数据更新于" in text
    when = queries.last_load(TOWN)["finished_at"]
    assert t("wall.arrivals.scoped", "zh", when=time_label(when, "zh")) in re.sub(r"\s+", " ", text)


@pytest.mark.usefixtures("dash_env")
def test_a_department_screen_gets_its_own_score_row_and_no_towns():
    at = open_wall(scope=DEPT)
    drawn = charts(at)
    own = metrics().dept_scores(year_filters(), DEPT)
    assert drawn[t("wall.rank.units", "zh")]["data"][0]["y"] == [f"{own['rank'][0]}  {own['dept_name'][0]}"]
    assert t("wall.rank.towns", "zh") not in drawn


@pytest.mark.usefixtures("dash_env")
def test_the_url_cannot_widen_a_town_screen():
    at = open_wall({"scope": "district", "viewer.scope": "district", "town": "T02"}, scope=TOWN)
    api = {r["metric"]: r for r in metrics().headline_change(year_filters(), TOWN).to_dicts()}
    assert tiles(at)["open_hazards"][1] == wall_parts.figure_text("open_hazards", api["open_hazards"]["value"], "zh")


# ---------------------------------------------------------------- options and timed runs


def test_the_options_from_the_url_are_validated():
    o = wall_shell.options({})
    assert (o.refresh, o.rotate, o.panel, o.panels, o.tick) == (300, 0, None, ("overview",), 300)
    o = wall_shell.options({"refresh": "120", "rotate": "30"})
    assert o.panels == wall_shell.PANELS and o.tick == 30 and o.refresh == 120
    o = wall_shell.options({"refresh": "5", "rotate": "9999", "panel": "nonsense"})  # out of range: defaults
    assert (o.refresh, o.rotate, o.panel) == (300, 0, None)
    o = wall_shell.options({"refresh": "-3", "rotate": "1e3", "panel": "map"})
    assert (o.refresh, o.rotate, o.panels, o.tick) == (300, 0, ("map",), 300)
    o = wall_shell.options({"rotate": "20", "panel": "rankings"})  # pinned: no rotation, refresh only
    assert o.panels == ("rankings",) and o.tick == 300


def test_the_period_follows_the_date_when_the_url_names_none():
    sel = wall_shell.selection({}, D(2027, 1, 2), SEMESTERS)
    assert (sel.start, sel.end, sel.as_of) == (D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 2))
    sel = wall_shell.selection({"period": "quarter", "year": "2026", "idx": "2"}, D(2026, 11, 29), SEMESTERS)
    assert (sel.start, sel.end, sel.as_of) == (D(2026, 4, 1), D(2026, 6, 30), D(2026, 6, 30))
    sel = wall_shell.selection({"period": "month", "asof": "2026-05-20"}, D(2026, 5, 29), SEMESTERS)
    assert (sel.start, sel.end, sel.as_of) == (D(2026, 5, 1), D(2026, 5, 20), D(2026, 5, 20))
    sel = wall_shell.selection({"period": "custom", "year": "junk", "idx": "99"}, D(2026, 11, 29), SEMESTERS)
    assert (sel.start, sel.end) == (D(2026, 1, 1), D(2026, 11, 29))
    assert not (sel.towns or sel.school_types or sel.categories)


def test_timed_runs_rotate_the_panels_and_refresh_the_whole_app():
    opts = wall_shell.options({"rotate": "10", "refresh": "30"})
    panels, state = opts.panels, {}
    wall_shell.full_run(state, now=1000.0)
    assert wall_shell.panel_now(state, 1000.0, opts, panels) == "overview"  # part of the full run: no turn
    assert wall_shell.panel_now(state, 1010.0, opts, panels) == "map"
    assert wall_shell.panel_now(state, 1020.0, opts, panels) == "rankings"
    assert wall_shell.panel_now(state, 1030.0, opts, panels) is None  # refresh due: the app runs again
    wall_shell.full_run(state, now=1030.5)
    assert wall_shell.panel_now(state, 1030.5, opts, panels) == "arrivals"  # ... and shows the next panel
    assert wall_shell.panel_now(state, 1040.5, opts, panels) == "overview"
    # a rotation slower than the refresh: the refresh does not turn the panel, the rotation does
    slow = wall_shell.options({"rotate": "600", "refresh": "300"})
    state = {}
    wall_shell.full_run(state, now=0.0)
    assert wall_shell.panel_now(state, 0.0, slow, slow.panels) == "overview"
    assert wall_shell.panel_now(state, 300.0, slow, slow.panels) is None  # refresh due, not a turn
    wall_shell.full_run(state, now=300.4)
    assert wall_shell.panel_now(state, 300.4, slow, slow.panels) == "overview"
    assert wall_shell.panel_now(state, 600.3, slow, slow.panels) is None  # the second refresh, and a turn
    wall_shell.full_run(state, now=600.6)
    assert wall_shell.panel_now(state, 600.6, slow, slow.panels) == "map"
    assert wall_shell.panel_now(state, 900.6, slow, slow.panels) is None
    wall_shell.full_run(state, now=900.9)
    assert wall_shell.panel_now(state, 900.9, slow, slow.panels) == "map"  # 300 s on: still the same panel
    assert wall_shell.panel_now(state, 1200.6, slow, slow.panels) is None
    wall_shell.full_run(state, now=1201.0)
    assert wall_shell.panel_now(state, 1201.0, slow, slow.panels) == "rankings"
    still = wall_shell.options({"refresh": "60"})
    state = {}
    wall_shell.full_run(state, now=0.0)
    assert wall_shell.panel_now(state, 0.0, still, still.panels) == "overview"
    assert wall_shell.panel_now(state, 60.0, still, still.panels) is None  # every tick is a refresh


# ---------------------------------------------------------------- how figures are written


def test_scores_are_shown_with_the_rules_decimals_so_two_ranks_never_read_the_same():
    # ranks come from scores rounded to [scores] decimals: 88.84 (4th) and 88.75 (5th) must not both read 88.8
    scores = pl.DataFrame({"rank": [1, 4, 5], "town_name": ["甲镇", "白沙镇", "城关镇"],
                           "score": [89.95, 88.84, 88.75], "grade": ["良好", "良好", "良好"]})
    fig = wall_parts.ranking(scores, "town_name", "t", 600, {}, "zh", DECIMALS)
    shown = [text.split(" ", 1)[0] for text in fig.data[0].text]
    assert shown == [widgets.number(s, DECIMALS) for s in scores["score"]]
    assert [float(s) for s in shown] == [round(s, DECIMALS) for s in scores["score"]]
    assert len(set(shown)) == 3  # three ranks, three different scores


@pytest.mark.usefixtures("dash_env")
def test_no_two_ranked_units_with_different_scores_read_the_same_on_the_wall():
    at = open_wall({"panel": "rankings"})
    drawn = charts(at)
    for tier, scores in (("towns", metrics().town_scores(year_filters())),
                         ("units", metrics().dept_scores(year_filters()))):
        ranked = scores.filter(pl.col("rank").is_not_null()).sort("rank")
        texts = drawn[t(f"wall.rank.{tier}", "zh")]["data"][0]["text"]
        distinct = ranked["score"].round(DECIMALS).n_unique()
        assert len({text.split(" ", 1)[0] for text in texts}) == distinct


def test_counts_carry_no_thousands_comma_in_chinese_and_one_in_english():
    rows = {"open_hazards": {"value": 1042.0, "change": 1203.0}, "rectification_rate": {"value": 0.8, "change": -0.016}}
    for lang in ("zh", "en"):
        body = wall_parts.kpis(rows, ("open_hazards", "rectification_rate"), (1042, 2001), lang)
        shown = dict(re.findall(r'data-figure="([^"]+)">.*?<div class="wall-kpi-value">([^<]*)</div>', body))
        assert shown == {"open_hazards": whole_text(1042, lang), "rectification_rate": "80.0%",
                         "supervision": whole_text(1042, lang)}
        assert f"+{whole_text(1203, lang)}" in body
        assert unescape(t("wall.supervision_due", lang, n=whole_text(2001, lang))) in unescape(body)
        log = pl.DataFrame({"unit_name": ["城关镇"], "kind": ["hazards"], "file": ["a.xlsx"], "rows_in": [1042],
                            "rejected": [1200], "load_status": ["loaded"],
                            "finished_at": [dt.datetime(2026, 11, 29, 20, 19)]})
        for html in (wall_parts.arrivals_list(log, lang), wall_parts.arrivals_table(log, lang)):
            assert whole_text(1042, lang) in html and whole_text(1200, lang) in html
            assert escape_text(time_label(log["finished_at"][0], lang, year=False)) in html
    assert "1,042" not in wall_parts.kpis(rows, ("open_hazards",), (0, 0), "zh")


def escape_text(text: str) -> str:
    from html import escape
    return escape(text)


def _menu() -> None:
    import streamlit as st

    from dashboard import nav
    from xiaoan.scope import Scope

    st.session_state["menu"] = {p.url_path: p._visibility for pages in nav.pages("zh", Scope("town", "T01")).values()
                                for p in pages}


def test_the_wall_is_a_hidden_page_of_every_menu_and_its_parameters_stay_on_it():
    at = AppTest.from_function(_menu)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["menu"][wall_shell.URL_PATH] == "hidden"
    assert {k for k, owner in nav.PAGE_PARAMS.items() if owner == "wall"} == {"refresh", "rotate", "panel"}


@pytest.mark.usefixtures("dash_env")
def test_another_page_drops_the_walls_parameters():
    at = open_app("overview", params={"rotate": "30", "refresh": "60", "panel": "map"})
    assert not {"rotate", "refresh", "panel"} & set(at.query_params)
