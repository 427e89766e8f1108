"""The city view (`xiaoan serve --lake PATH`, dashboard/city_app.py, issue 17) in AppTest, over a
small generated lake (pipelines.city.synthetic: four districts, three month ends, and a fourth
date only one district has sent): every page draws without an error; its tables are the
roll-up's (`xiaoan city rollup`'s function, the same SQL) for the same lake and date; a district
user sees its own district only in every table, chart, filter and download, whatever the URL
says; the filters live in the URL; the tables follow a re-export at the next run; the login
takes the users file's city and district roles; `xiaoan serve --lake` starts the city app."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import time
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import downloads, login, widgets
from dashboard.city import data, shell
from dashboard.city.scope import SESSION_KEY, CityScope
from pipelines.city.rollup import rollup
from pipelines.city.synthetic import write_lake
from pipelines.lake.read import committed
from xiaoan import access
from xiaoan.i18n import t
from xiaoan.labels import column_label, day_label
from xiaoan.scope import PEOPLE_COLUMNS
from xiaoan_cli.app import app as cli
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "city_app.py"
A1, A2, A3 = dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31)
A4 = dt.date(2026, 11, 30)  # only the first district has sent this one
PAGES = ("ranking", "risk", "closure", "trend", "district")
PASSWORD = "Xiaoan-2026-测试口令"
CODE, NAME = "区代码", "区名称"


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("city") / "lake"
    parts = write_lake(path, 4, [A1, A2, A3], hazards_per_district=120, seed=11)
    first = parts[0]
    write_lake(path, [(first.district_code, first.district_name)], [A4], hazards_per_district=120, seed=11)
    return path


@pytest.fixture(scope="module")
def districts(lake) -> dict[str, str]:
    return {p.district_code: p.district_name for p in committed(lake)}


@pytest.fixture
def city_env(lake, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XIAOAN_LAKE", str(lake))
    monkeypatch.setenv("XIAOAN_USERS", str(tmp_path / "no-users.toml"))
    for name in ("XIAOAN_SCOPE", "XIAOAN_RULES", "XIAOAN_LANG"):
        monkeypatch.delenv(name, raising=False)
    return lake


def open_city(page: str | None = None, *, scope: CityScope | None = None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if scope is not None:
        at.session_state[SESSION_KEY] = scope
    if page:
        at.switch_page(shell.page_path(page))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def chart_text(at: AppTest) -> str:
    return " ".join(c.proto.spec for c in at.get("plotly_chart"))


def rolled(lake: Path, as_of: dt.date, out: Path) -> dict[str, pl.DataFrame]:
    """What `xiaoan city rollup --as-of` writes for the lake (its own function, its own folder)."""
    result = rollup(lake, as_of, out)
    return {p.stem: pl.read_parquet(p) for p in result.path.glob("*.parquet")}


# ---------------------------------------------------------------- the pages


@pytest.mark.usefixtures("city_env")
@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_without_an_error_and_offers_every_table_for_download(page, districts):
    at = open_city(page, params={"asof": A3.isoformat(), "district": next(iter(districts))})
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == t(f"city.view.page.{page}")
    assert at.dataframe, "every page shows a table"
    assert len(at.get("download_button")) == 2 * len(at.dataframe)  # CSV and Excel of each
    assert at.sidebar.selectbox(key=shell.ASOF_KEY).value == A3
    if page != "district":
        assert at.get("plotly_chart")


@pytest.mark.usefixtures("city_env")
def test_the_ranking_is_the_rollups_district_scores(lake, districts, tmp_path):
    at = open_city("ranking", params={"asof": A3.isoformat()})
    expected = rolled(lake, A3, tmp_path / "out")["district_scores"]
    shown = frames(at)[0]
    rows = {(r[CODE], r[column_label("rank")], round(r[column_label("score")], 9), r[column_label("grade")])
            for r in shown.to_dict("records")}
    assert rows == {(r["district"], r["rank"], round(r["score"], 9), r["grade"])
                    for r in expected.iter_rows(named=True)}
    assert set(shown[CODE]) == set(districts) and len(shown) == len(districts)
    hazards = int(expected["hazards"].sum())
    figures = {m.label: m.value for m in at.metric}
    assert figures[t("city.view.ranking.districts")] == str(len(districts))
    assert figures[t("city.view.ranking.hazards")] == f"{hazards:,}"
    assert figures[t("city.view.ranking.rectification")] == f"{100 * expected['rectified'].sum() / hazards:.1f}%"


@pytest.mark.usefixtures("city_env")
def test_heatmap_closure_and_trend_are_the_rollups_tables(lake, districts, tmp_path):
    expected = rolled(lake, A3, tmp_path / "out")
    risk = open_city("risk", params={"asof": A3.isoformat()})
    spec = json.loads(risk.get("plotly_chart")[0].proto.spec)
    heat = spec["data"][0]
    cells = {(y, x): heat["z"][i][j] for i, y in enumerate(heat["y"]) for j, x in enumerate(heat["x"])}
    for r in expected["district_risk"].iter_rows(named=True):
        assert cells[(districts[r["district"]], r["category"])] == pytest.approx(r["risk"])
    assert sum(cells.values()) == pytest.approx(expected["district_risk"]["risk"].sum())

    closure = frames(open_city("closure", params={"asof": A3.isoformat()}))
    by_code = {r[CODE]: r for r in closure[0].to_dict("records")}
    for r in expected["district_closure"].iter_rows(named=True):
        assert by_code[r["district"]][column_label("total")] == r["total"]
        assert by_code[r["district"]][column_label("overdue_open")] == r["overdue_open"]
    assert len(closure[1]) == expected["district_unit_closure"].height

    trend = frames(open_city("trend", params={"asof": A3.isoformat()}))[0]
    assert len(trend) == expected["district_score_trend"].height == 3 * len(districts)
    assert {r[CODE]: r[column_label("score")] for r in trend.to_dict("records")
            if r[column_label("as_of")] == A2} == pytest.approx(
        {r["district"]: r["score"] for r in expected["district_score_trend"].iter_rows(named=True) if r["as_of"] == A2})


@pytest.mark.usefixtures("city_env")
def test_a_district_that_has_not_sent_the_date_is_listed_unranked(districts):
    at = open_city("ranking", params={"asof": A4.isoformat()})
    shown = frames(at)[0]
    ranked = shown[shown[column_label("rank")].notna()]
    assert list(ranked[CODE]) == [next(iter(districts))]  # the one district that sent it
    assert len(shown) == len(districts)
    assert at.warning and all(name in at.warning[0].value for code, name in districts.items()
                              if code != next(iter(districts)))


@pytest.mark.usefixtures("city_env")
def test_the_drill_down_shows_the_districts_lake_tables_without_names(lake, districts):
    code = list(districts)[1]
    at = open_city("district", params={"asof": A2.isoformat(), "district": code, "table": "hazards"})
    part = next(p for p in committed(lake, A2, [code]))
    assert at.selectbox(key=shell.TABLE_KEY).value == "hazards"
    listing, table = frames(at)
    assert set(listing[t("city.view.col.table")]) == set(part.files)
    assert len(table) == pl.read_parquet(part.files["hazards"]).height == part.row_counts["hazards"]
    assert not {column_label(c) for c in PEOPLE_COLUMNS} & set(table.columns)
    assert at.query_params["table"] == "hazards"
    at.selectbox(key=shell.TABLE_KEY).set_value("dept_closure").run()
    assert len(frames(at)[1]) == part.row_counts["dept_closure"] and at.query_params["table"] == "dept_closure"


# ---------------------------------------------------------------- scope: a district sees its own


@pytest.mark.usefixtures("city_env")
@pytest.mark.parametrize("page", PAGES)
def test_a_district_user_sees_only_its_own_district_everywhere(page, districts, monkeypatch):
    own, other = list(districts)[1], list(districts)[2]
    files: list[tuple[str, set[str]]] = []

    def capture(shown, key, lang, file_stem):
        frame = shown() if callable(shown) else shown
        csv = downloads.to_csv(frame).decode("utf-8-sig")
        sheet = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(frame, file_stem))).active
        files.append((key, {c.strip('"') for row in csv.splitlines() for c in row.split(",")}
                      | {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}))

    monkeypatch.setattr(widgets, "downloads", capture)
    hostile = {"asof": A3.isoformat(), "district": other, "table": "hazards"}
    at = open_city(page, scope=CityScope(own), params=hostile)
    assert not at.error, [e.value for e in at.error]
    assert not _has(at, shell.DISTRICT_KEY)  # no district filter: the URL's other district is ignored
    assert at.dataframe and files
    foreign = {name for code, name in districts.items() if code != own} | set(districts) - {own}
    for frame in frames(at):
        if CODE in frame.columns:
            assert set(frame[CODE]) <= {own}
        if NAME in frame.columns:
            assert set(frame[NAME]) <= {districts[own]}
        cells = {str(v) for v in frame.astype(str).to_numpy().ravel()}
        assert not foreign & cells
    assert not any(name in chart_text(at) for name in foreign if len(name) > 1)
    for key, cells in files:
        assert not foreign & cells, key
    if page == "district":
        assert districts[own] in at.caption[0].value and own in at.caption[0].value


def _has(at: AppTest, key: str) -> bool:
    return any(getattr(s, "key", None) == key for s in at.sidebar.selectbox)


@pytest.mark.usefixtures("city_env")
def test_a_district_user_has_no_district_filter_and_its_dates_only(districts):
    first, own = list(districts)[0], list(districts)[1]
    at = open_city("ranking", scope=CityScope(own), params={"asof": A4.isoformat()})
    assert not _has(at, shell.DISTRICT_KEY)
    dates = at.sidebar.selectbox(key=shell.ASOF_KEY)
    assert dates.value == A3 and dates.options == [day_label(d) for d in (A3, A2, A1)]  # A4: the first's only
    assert "district" not in at.query_params and first != own
    city = open_city("ranking", params={"asof": A4.isoformat()})
    assert city.sidebar.selectbox(key=shell.ASOF_KEY).value == A4


# ---------------------------------------------------------------- filters in the URL


@pytest.mark.usefixtures("city_env")
def test_filters_come_from_the_url_and_go_back_to_it(districts):
    code = list(districts)[2]
    at = open_city("closure", params={"asof": A2.isoformat(), "district": code, "lang": "en"})
    assert at.sidebar.selectbox(key=shell.ASOF_KEY).value == A2
    assert at.sidebar.selectbox(key=shell.DISTRICT_KEY).value == code
    assert at.title[0].value == t("city.view.page.closure", "en")
    units = frames(at)[1]
    assert set(units[t("city.view.col.district", "en")]) == {code}
    assert at.query_params["asof"] == A2.isoformat() and at.query_params["district"] == code
    assert at.query_params["lang"] == "en"
    at.sidebar.selectbox(key=shell.ASOF_KEY).set_value(A1).run()
    assert at.query_params["asof"] == A1.isoformat()
    at.sidebar.selectbox(key=shell.DISTRICT_KEY).set_value(shell.ALL).run()
    assert "district" not in at.query_params
    assert len(set(frames(at)[1][t("city.view.col.district", "en")])) == len(districts)


@pytest.mark.usefixtures("city_env")
@pytest.mark.parametrize("params", [{"asof": "2020-01-31", "district": "999999"},
                                    {"asof": "x'; drop", "district": "<b>"}])
def test_a_url_value_not_in_the_lake_is_ignored(params):
    at = open_city("ranking", params=params)
    assert not at.error
    assert at.sidebar.selectbox(key=shell.ASOF_KEY).value == A4  # the newest date
    assert at.sidebar.selectbox(key=shell.DISTRICT_KEY).value == shell.ALL
    assert at.query_params["asof"] == A4.isoformat() and "district" not in at.query_params


# ---------------------------------------------------------------- the cache follows the commits


def test_a_reexport_is_seen_at_the_next_run(lake, districts, tmp_path, monkeypatch):
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    monkeypatch.setenv("XIAOAN_LAKE", str(copy))
    monkeypatch.setenv("XIAOAN_USERS", str(tmp_path / "no-users.toml"))
    for name in ("XIAOAN_SCOPE", "XIAOAN_RULES"):
        monkeypatch.delenv(name, raising=False)
    code = list(districts)[3]

    def hazards_of(at: AppTest) -> int:
        return next(r[column_label("hazards")] for r in frames(at)[0].to_dict("records") if r[CODE] == code)

    before = hazards_of(open_city("ranking", params={"asof": A3.isoformat()}))
    resolved_by = time.monotonic()  # that run resolved the commit markers (cached for COMMITS_TTL)
    write_lake(copy, [(code, districts[code])], [A1, A2, A3], hazards_per_district=400, seed=23)
    time.sleep(max(0.0, resolved_by + data.COMMITS_TTL + 0.5 - time.monotonic()))  # the cached resolution has expired
    after = hazards_of(open_city("ranking", params={"asof": A3.isoformat()}))
    expected = rolled(copy, A3, tmp_path / "out")["district_scores"].filter(pl.col("district") == code)
    assert after == expected["hazards"][0] and after != before


# ---------------------------------------------------------------- login and roles


@pytest.fixture
def users(city_env, tmp_path, monkeypatch, districts) -> Path:
    path = tmp_path / "users.toml"
    own = list(districts)[1]
    for name, role, code in (("city", "city", None), ("qu", "district", own), ("wang", "district", None),
                             ("li", "town", "T01")):
        access.save_user(access.User(name, role, code, access.hash_password(PASSWORD, rounds=4)), path)
    monkeypatch.setenv("XIAOAN_USERS", str(path))
    login.failure_book.clear()
    return path


def log_in(name: str, page: str = "ranking", params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in (params or {"asof": A3.isoformat()}).items():
        at.query_params[key] = value
    at.switch_page(shell.page_path(page))
    at.run()
    assert not at.dataframe and at.text_input(key="login.name")  # nothing before the login
    at.text_input(key="login.name").input(name)
    at.text_input(key="login.password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.usefixtures("users")
def test_a_city_user_sees_every_district_and_a_district_user_its_own(districts):
    city = log_in("city")
    assert set(frames(city)[0][CODE]) == set(districts)
    assert any(t("access.signed_in", name="city", role=t("access.role.city")) in c.value for c in city.sidebar.caption)
    own = list(districts)[1]
    district = log_in("qu", "trend", params={"asof": A3.isoformat(), "district": list(districts)[0]})
    assert district.title[0].value == t("city.view.page.trend")  # the page the link asked for
    assert set(frames(district)[0][CODE]) == {own}
    assert any(own in c.value for c in district.sidebar.caption)


@pytest.mark.usefixtures("users")
@pytest.mark.parametrize("name", ["wang", "li"])
def test_an_account_without_a_city_role_sees_nothing(name):
    at = log_in(name)
    assert [e.value for e in at.error] == [t("city.view.no_role", name=name)]
    assert not at.dataframe and not at.get("plotly_chart") and not at.metric


def test_without_users_a_remote_browser_is_refused(city_env, monkeypatch):
    monkeypatch.setattr(login, "local_client", lambda: False)
    at = open_city("ranking")
    assert [e.value for e in at.error] == [t("access.remote_refused")] and not at.dataframe


def test_user_add_takes_the_city_and_a_district_role_with_its_code(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    path = tmp_path / "u.toml"
    runner = CliRunner()
    for argv in (["市教育局", "--role", "city"], ["青溪区", "--role", "district", "--code", "320102"]):
        result = runner.invoke(cli, ["user", "add", *argv, "--oidc", "--users", str(path)])
        assert result.exit_code == 0, result.output
    users = access.load_users(path)
    assert (users["市教育局"].role, users["市教育局"].code) == ("city", None)
    assert (users["青溪区"].role, users["青溪区"].code) == ("district", "320102")
    from dashboard.city.scope import of_user

    assert of_user(users["市教育局"]) == CityScope() and of_user(users["青溪区"]) == CityScope("320102")
    assert users["市教育局"].scope.kind == "district" and users["青溪区"].scope.kind == "district"
    assert of_user(access.User("x", "district")) is None and of_user(access.User("y", "town", "T01")) is None


# ---------------------------------------------------------------- xiaoan serve --lake


def test_serve_lake_starts_the_city_app_on_127_0_0_1_without_users(lake, tmp_path, monkeypatch):
    monkeypatch.setenv("XIAOAN_USERS", str(tmp_path / "none.toml"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    monkeypatch.delenv("XIAOAN_WAREHOUSE", raising=False)
    monkeypatch.delenv("XIAOAN_LAKE", raising=False)
    started = {}
    monkeypatch.setattr(os, "execvpe", lambda exe, argv, env: started.update(argv=argv, env=env))
    result = CliRunner().invoke(cli, ["serve", "--lake", str(lake), "--port", "8610"])
    assert result.exit_code == 0, result.output
    argv, env = started["argv"], started["env"]
    assert argv[argv.index("run") + 1] == str(APP) and argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert env["XIAOAN_LAKE"] == str(lake.resolve()) and "XIAOAN_WAREHOUSE" not in env
    refused = CliRunner().invoke(cli, ["serve", "--lake", str(lake), "--address", "0.0.0.0"])
    assert refused.exit_code == 2 and t("cli.serve.refused", bind="0.0.0.0") in refused.output
    missing = CliRunner().invoke(cli, ["serve", "--lake", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0 and t("city.rollup.no_lake", lake=tmp_path / "nowhere") in missing.output
    started.clear()
    assert CliRunner().invoke(cli, ["serve", "--port", "8611"]).exit_code == 0  # without --lake: as before
    assert started["argv"][started["argv"].index("run") + 1] == str(ROOT / "dashboard" / "app.py")
    assert "XIAOAN_WAREHOUSE" in started["env"] and "XIAOAN_LAKE" not in started["env"]


def test_an_empty_lake_says_how_to_fill_it(tmp_path, monkeypatch):
    (tmp_path / "lake").mkdir()
    monkeypatch.setenv("XIAOAN_LAKE", str(tmp_path / "lake"))
    monkeypatch.setenv("XIAOAN_USERS", str(tmp_path / "no-users.toml"))
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    at = open_city()
    assert [i.value for i in at.info] == [t("city.view.empty.no_commits", lake=tmp_path / "lake")]


def test_the_ranking_colours_follow_the_citys_grades(city_env, tmp_path, monkeypatch):
    """The city's rules rename the lowest grade and raise the bands so every district gets it: its
    bars take the lowest grade's colour of the rules-driven palette (dashboard.wall_parts), not grey."""
    from dashboard.wall_parts import GRADE_COLOURS

    text = (ROOT / "xiaoan" / "rules.toml").read_text(encoding="utf-8")
    for old, new in (('below = "不合格"', 'below = "待改进"'), ("excellent = 90", "excellent = 99.99"),
                     ("good = 80", "good = 99.98"), ("pass = 60", "pass = 99.97")):
        assert old in text
        text = text.replace(old, new)
    rules = tmp_path / "city_rules.toml"
    rules.write_text(text, encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(rules))
    at = open_city("ranking", params={"asof": A3.isoformat()})
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert bars["marker"]["color"] == [GRADE_COLOURS[-1]] * len(bars["x"]) and bars["x"]
    assert all("待改进" in label for label in bars["text"])
