"""The app shell: the welcome page without data, the language switch, the sidebar filters and
the URL that reproduces them, a broken rules file, and following newly published versions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.publish import ingest
from tests import builders
from tests.test_dashboard_data import (APP, AS_OF, chart_specs, dash_env, metric_values, metrics, open_app,  # noqa: F401
                                       year_filters)
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)


def _fresh_app(monkeypatch, warehouse: Path) -> AppTest:
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(warehouse))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_without_a_warehouse_the_app_says_how_to_load_data(monkeypatch, tmp_path):
    at = _fresh_app(monkeypatch, tmp_path / "none" / "warehouse.duckdb")
    assert "欢迎使用校园安全工作看板" in [t.value for t in at.title]
    assert any("系统中尚无数据" in i.value for i in at.info)
    assert "xiaoan ingest --warehouse" in at.code[0].value


def test_a_warehouse_without_a_registry_gets_the_welcome_page_too(monkeypatch, tmp_path):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    junk = tmp_path / "notes.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    ingest([junk], warehouse)  # a load that rejects its only file publishes tables but no registry
    if not warehouse.exists():
        pytest.skip("ingestion published nothing for a rejected file")
    at = _fresh_app(monkeypatch, warehouse)
    assert any("尚无基础信息表" in i.value for i in at.info)


@pytest.mark.usefixtures("dash_env")
def test_the_language_switch_changes_every_label():
    at = open_app("departments")
    assert at.title[0].value == "成员单位整改情况"
    assert chart_specs(at)[0]["layout"]["title"]["text"].startswith("各责任单位整改率")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Member units' rectification"
    assert chart_specs(at)[0]["layout"]["title"]["text"].startswith("Rectification, closure and on-time rates")
    assert "Rectification rate" in at.dataframe[0].value.columns
    assert at.query_params["lang"] == "en"
    at.switch_page("views/overview.py").run()
    assert "Open hazards" in metric_values(at)


@pytest.mark.usefixtures("dash_env")
def test_english_from_the_url_translates_categories_too():
    at = open_app("risk", params={"lang": "en"})
    heat = chart_specs(at)[0]
    assert "Fire safety" in heat["data"][0]["x"] and "消防安全" not in heat["data"][0]["x"]


@pytest.mark.usefixtures("dash_env")
def test_filters_from_the_url_reach_the_metrics():
    at = open_app("overview", params={"town": "T02", "cat": "消防安全"})
    api = metrics().headline(year_filters(towns=("T02",), categories=("消防安全",))).row(0, named=True)
    assert metric_values(at)["未整改隐患数"] == str(api["open_hazards"]) == "1"  # H6 only
    assert at.sidebar.multiselect(key="f.towns").value == ["T02"]


@pytest.mark.usefixtures("dash_env")
def test_a_quarter_or_month_from_the_url_sets_the_period_and_as_of():
    at = open_app("overview", params={"period": "month", "year": "2026", "idx": "2", "asof": ""})
    assert any("2026年2月1日至2026年2月28日，截至2026年2月28日" in c.value for c in at.caption)
    api = metrics().headline_change(year_filters().__class__(as_of=dt.date(2026, 2, 28), start=dt.date(2026, 2, 1),
                                                             end=dt.date(2026, 2, 28)))
    open_now = api.filter(api["metric"] == "open_hazards")["value"][0]
    assert metric_values(at)["未整改隐患数"] == f"{open_now:,.0f}"
    at = open_app("overview", params={"period": "quarter", "year": "2026", "idx": "1"})
    assert any("2026年1月1日至2026年3月31日" in c.value for c in at.caption)


@pytest.mark.usefixtures("dash_env")
def test_changing_a_filter_updates_the_url_and_the_figures():
    at = open_app("inspections")
    at.sidebar.multiselect(key="f.towns").set_value(["T01"]).run()
    assert at.query_params["town"] == "T01"
    coverage = chart_specs(at)[0]["data"][0]
    assert coverage["x"] == ["城关镇"]
    at.sidebar.selectbox(key="f.period").set_value("quarter").run()
    at.sidebar.selectbox(key="f.idx").set_value(1).run()
    assert at.query_params["period"] == "quarter" and at.query_params["idx"] == "1"


@pytest.mark.usefixtures("dash_env")
def test_filters_survive_a_drill_down_to_another_page():
    at = open_app("hazards", params={"town": "T02"})
    at.session_state["hazards.table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.title[0].value.startswith("隐患 H")
    assert at.query_params["asof"] == AS_OF.isoformat() and at.query_params["town"] == "T02"


@pytest.mark.usefixtures("dash_env")
@pytest.mark.parametrize("params", [
    {"town": "T01');drop table hazards;--", "cat": "<script>alert(1)</script>", "stype": "=HYPERLINK(\"x\")"},
    {"asof": "2026-13-45", "year": "99999", "idx": "-1", "period": "decade", "lang": "fr"},
    {"start": "not-a-date", "end": "2026-01-01", "period": "custom"},
])
def test_hostile_url_parameters_are_ignored_not_errors(params):
    at = open_app("overview", params=params)
    assert at.title[0].value.endswith("校园安全总览")
    assert at.sidebar.multiselect(key="f.towns").value == []
    assert at.sidebar.multiselect(key="f.cats").value == []


@pytest.mark.usefixtures("dash_env")
def test_a_broken_rules_file_is_explained_not_a_traceback(monkeypatch, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[risk]\ngeneral = -1\n", encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(rules))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception
    assert "考核规则文件有误" in at.error[0].value and str(rules) in at.error[0].value


def test_the_app_follows_a_newly_published_version_without_restart(monkeypatch, tmp_path):
    from tests.test_dashboard_data import dashboard_warehouse

    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(dashboard_warehouse(), warehouse)
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(warehouse))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["asof"] = AS_OF.isoformat()
    at.switch_page("views/hazards.py")
    at.run()
    before = len(at.dataframe[0].value)
    # the office loads a new ledger while the app is open: the reader holds no lock against it
    extra = builders.xlsx(tmp_path / "补报.xlsx", builders.HAZARD_HEADERS,
                          [builders.hazard("H20", "S02", "交通安全", found=dt.date(2026, 3, 25), report=AS_OF)])
    result = ingest([extra], warehouse)
    assert result.published
    at.run()
    assert len(at.dataframe[0].value) == before + 1
    assert "H20" in at.dataframe[0].value["隐患编号"].tolist()
