"""Every dashboard page renders without an exception and shows the numbers of the metrics API
(or of the marts) for the same filters: the small district as of 2026-03-31, the year 2026."""

from __future__ import annotations

import re

import polars as pl
import pytest

from tests.test_dashboard_data import (AS_OF, chart_specs, dash_env, metric_values, metrics, open_app,  # noqa: F401
                                       year_filters)

pytestmark = pytest.mark.usefixtures("dash_env")


def test_overview_headline_equals_the_metrics_api():
    at = open_app("overview")
    shown = metric_values(at)
    change = {r["metric"]: r for r in metrics().headline_change(year_filters()).to_dicts()}
    assert shown["未整改隐患数"] == f"{change['open_hazards']['value']:,.0f}" == "4"
    assert shown["逾期未整改数"] == f"{change['overdue_open']['value']:,.0f}" == "3"
    assert shown["整改率"] == f"{change['rectification_rate']['value']:.1%}" == "50.0%"
    assert shown["销号率"] == f"{change['closure_rate']['value']:.1%}"
    # the change since the end of February: one more open hazard (H3, H5 found in March; H2 rectified)
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["未整改隐患数"] == f"{change['open_hazards']['change']:+,.0f}" == "+1"


def test_overview_needs_attention_lists_the_open_hazards_overdue_or_grave_riskiest_first():
    at = open_app("overview")
    urgent = at.dataframe[0].value
    api = metrics().needs_attention(year_filters())
    # H6 重大 120 days overdue, H1 重大 49 days overdue (risk 20 each), H3 较大 11 days overdue (risk 6);
    # H5 较大 is open within its deadline: not listed
    assert urgent["隐患编号"].tolist() == api["hazard_id"].to_list() == ["H6", "H1", "H3"]
    towns_behind = at.dataframe[1].value
    assert towns_behind["镇名称"].tolist()[0] == "河口镇"  # rank 2 of 2: furthest behind first
    assert any("最近一次" in s.value or "导入" in s.value for s in at.subheader)


def test_risk_heatmap_and_map_equal_the_metrics_api():
    at = open_app("risk")
    heat, town_map = chart_specs(at)[:2]
    api = metrics().town_risk(year_filters())
    towns, cats, z = heat["data"][0]["y"], heat["data"][0]["x"], heat["data"][0]["z"]
    cells = {(towns[i], cats[j]): z[i][j] for i in range(len(towns)) for j in range(len(cats))}
    for row in api.iter_rows(named=True):
        assert cells[(row["town_name"], row["category"])] == row["risk"]
    assert sum(sum(r) for r in z) == api["risk"].sum() == 49
    per_school = metrics().town_risk_per_school(year_filters())
    fills = {t["name"]: t["fillcolor"] for t in town_map["data"] if t.get("fill") == "toself"}
    assert set(fills) == set(per_school["town_name"])
    worst = per_school.sort("risk_per_school")["town_name"][-1]
    assert fills[worst].replace(" ", "") == "rgb(128,0,38)"  # the top of YlOrRd: the highest risk per school


def test_departments_rates_and_target_equal_the_metrics_api():
    at = open_app("departments")
    rates = chart_specs(at)[0]
    api = metrics().dept_closure(year_filters())
    by_name = dict(zip(api["dept_name"], api["rectification_rate"]))
    bars = rates["data"][0]
    assert dict(zip(bars["x"], bars["y"])) == by_name
    assert rates["layout"]["shapes"][0]["y0"] == metrics().rules.dept_rectification_target
    table = at.dataframe[0].value
    assert table["逾期未整改数"].sum() == api["overdue_open"].sum() == 2


def test_evaluation_scores_and_breakdown_equal_the_metrics_api():
    at = open_app("evaluation")
    bars = chart_specs(at)[0]["data"][0]
    api = metrics().town_scores(year_filters())
    assert dict(zip(bars["y"], bars["x"])) == dict(zip(api["town_name"], api["score"]))
    breakdown = at.dataframe[1].value
    api_rows = metrics().town_score_breakdown(year_filters()).filter(pl.col("town_code") == "T01").sort("position")
    assert breakdown["权重"].tolist() == api_rows["weight"].to_list()
    assert breakdown["考核得分"].round(6).tolist() == api_rows["score"].round(6).to_list()
    dept_breakdown = at.dataframe[3].value  # the departments tab: 消防救援大队 has no on-time data
    assert "无数据（按满分计）" not in dept_breakdown["数据情况"].tolist()  # D01 (first) has data everywhere
    at.selectbox(key="evaluation.dept.unit").set_value("D03").run()
    flags = at.dataframe[3].value["数据情况"].tolist()
    assert flags.count("无数据（按满分计）") == 2  # on-time rate and median days: no rectified hazard


def test_meetings_grid_compliance_and_plenary_equal_the_metrics_api():
    at = open_app("meetings")
    assert any("2026 年已召开全体成员单位会议 1 次" in s.value for s in at.success)
    grid = chart_specs(at)[0]["data"][0]
    months = metrics().meeting_months(year_filters())
    held = {(r["town_name"], r["month"].strftime("%Y-%m")): int(r["met"]) for r in months.iter_rows(named=True)}
    shown = {(grid["y"][i], grid["x"][j]): grid["z"][i][j] for i in range(len(grid["y"])) for j in range(len(grid["x"]))}
    assert shown == held
    compliance = at.dataframe[0].value
    api = metrics().meeting_compliance(year_filters())
    assert compliance["例会达标率"].round(6).tolist() == api["meeting_compliance"].round(6).to_list()


def test_inspections_coverage_and_uninspected_equal_the_metrics_api():
    at = open_app("inspections")
    coverage = chart_specs(at)[0]["data"][0]
    api = metrics().inspection_coverage(year_filters())
    assert dict(zip(coverage["x"], coverage["y"])) == dict(zip(api["town_name"], api["inspection_coverage"]))
    uninspected = at.dataframe[-1].value
    assert sorted(uninspected["学校代码"]) == sorted(metrics().uninspected_schools(year_filters())["school_code"]) == ["S02", "S04"]


def test_hazard_ledger_lists_the_metrics_api_hazards_and_searches():
    at = open_app("hazards")
    ledger = at.dataframe[0].value
    api = metrics().hazards(year_filters(), found_in_period=True)
    assert sorted(ledger["隐患编号"]) == sorted(api["hazard_id"])  # H6 was found in 2025: not listed
    assert "H6" not in ledger["隐患编号"].tolist()
    at.text_input(key="hazards.search").input("配电箱").run()
    assert at.dataframe[0].value["隐患编号"].tolist() == ["H1"]
    at.text_input(key="hazards.search").input("").run()
    at.toggle(key="hazards.in_period").set_value(False).run()
    at.toggle(key="hazards.overdue_only").set_value(True).run()
    assert sorted(at.dataframe[0].value["隐患编号"]) == ["H1", "H3", "H6"]


def test_hazard_page_shows_every_report_as_a_timeline():
    at = open_app("hazard", params={"id": "H1"})
    assert at.title[0].value == "隐患 H1"
    history = at.dataframe[0].value
    assert history["整改状态"].tolist() == ["未整改", "整改中"]
    timeline = chart_specs(at)[0]
    assert timeline["data"][0]["y"] == ["未整改", "整改中"]
    assert metric_values(at)["整改状态"] == "整改中"
    assert metric_values(at)["风险指数"] == "20.0"  # 重大 10 × 2 overdue


def test_hazard_page_for_an_unknown_id_says_so():
    at = open_app("hazard", params={"id": "NOPE"})
    assert any("未找到隐患「NOPE」" in i.value for i in at.info)


def test_school_profile_equals_the_metrics_api():
    at = open_app("school", params={"school": "S03"})
    summary = metrics().school_summary(year_filters()).filter(pl.col("school_code") == "S03").row(0, named=True)
    shown = metric_values(at)
    assert shown["未整改隐患数"] == str(summary["open_hazards"]) == "2"
    assert shown["风险指数"] == f"{summary['risk']:.1f}" == "26.0"
    assert sorted(at.dataframe[0].value["隐患编号"]) == ["H3", "H6"]
    assert at.dataframe[1].value["检查日期"].astype(str).tolist() == ["2026-03-05"]


def test_organisation_shows_the_three_tiers_from_the_registry():
    at = open_app("organisation")
    shown = metric_values(at)
    assert shown["区级总校（园）长"] == "王总"
    assert shown["镇级总校（园）长"] == "2 名"
    towns = at.dataframe[0].value
    assert dict(zip(towns["镇名称"], towns["总校（园）长"])) == {"城关镇": "李镇长", "河口镇": "赵镇长"}
    members = at.dataframe[2].value
    assert members.set_index("单位代码").loc["D03", "联络员"] == "冯联络"


def test_data_quality_shows_the_rejected_row_with_its_reason_and_unit():
    at = open_app("quality")
    assert metric_values(at)["被拒收的行"] == "1"
    rows = at.dataframe[2].value
    assert rows["原因"].tolist() == ["学校不在登记册中：S99"]
    assert rows["文件"].tolist() == ["隐患台账.xlsx"]
    by_file = at.dataframe[0].value
    assert by_file["报送单位"].tolist() == ["多个单位（办公室汇总）"]  # the ledger names both towns
    assert metric_values(at)["2026-03 未报送台账的镇"] == "0"  # both towns reported in March
    log = at.dataframe[-1].value
    assert len(log) == 4 and set(log["导入结果"]) == {"已导入"}


def test_data_quality_lists_towns_without_a_ledger_this_month():
    at = open_app("quality", params={"asof": "2026-04-15"})
    assert metric_values(at)["2026-04 未报送台账的镇"] == "2"
    missing = at.dataframe[3].value
    assert dict(zip(missing["镇名称"], missing["最近填报日期"].astype(str))) == {"城关镇": "2026-03-31", "河口镇": "2026-03-31"}


def test_a_long_list_shows_its_first_rows_and_says_how_many_there_are(monkeypatch):
    from dashboard import lists

    monkeypatch.setattr(lists, "SHOWN_ROWS", 2)
    at = open_app("hazards")
    api = metrics().hazards(year_filters(), found_in_period=True, order="priority")
    assert api.height > 2
    assert at.dataframe[0].value["隐患编号"].tolist() == api["hazard_id"].head(2).to_list()
    notes = [c.value for c in at.caption]
    assert f"表中显示前 2 条（共 {api.height} 条）。请用筛选缩小范围，或用下方按钮下载全部。" in notes
    assert any(f"符合条件的隐患 {api.height} 项" in m.value for m in at.markdown)


def test_the_briefing_lists_the_same_hazards_that_need_attention_as_the_overview(tmp_path):
    from pipelines.export.snapshot import export_snapshot
    from tests.test_dashboard_data import dashboard_warehouse

    shown = open_app("overview").dataframe[0].value["隐患编号"].tolist()
    html = export_snapshot(dashboard_warehouse(), AS_OF, None, None, tmp_path).path.joinpath("report.html")
    last_table = html.read_text(encoding="utf-8").rsplit("<table>", 1)[1]
    briefed = re.findall(r"<tr><td>(H\d+)</td>", last_table)
    assert briefed == shown == metrics().needs_attention(year_filters())["hazard_id"].to_list()
