"""Every dashboard page renders without an exception and shows the numbers of the metrics API
(or of the marts) for the same filters: the small district as of 2026-03-31, the year 2026."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from tests.test_dashboard_data import (AS_OF, chart_specs, closed_loop_warehouse, dash_env, metric_values,  # noqa: F401
                                       metrics, open_app, year_filters)
from xiaoan.labels import column_label, day_label, month_label
from xiaoan.metrics import Filters, Metrics
from xiaoan.rules import load_rules
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

D = dt.date


def metrics_with(rules_path: Path) -> Metrics:
    """The metrics API on the small district under another rules file."""
    from tests.test_dashboard_data import dashboard_warehouse

    return Metrics.open(dashboard_warehouse(), load_rules(rules_path))

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
    # risk is a whole number, its change too; dates in sentences are written out (2026年3月31日)
    assert shown["未整改风险指数合计"] == f"{change['open_risk']['value']:,.0f}"
    assert deltas["未整改风险指数合计"] == f"{change['open_risk']['change']:+,.0f}"
    captions = [c.value for c in at.caption]
    assert f"统计周期：2026年1月1日至2026年3月31日，截至{day_label(AS_OF)}" in captions
    assert any("上月末（2026年2月28日）" in c for c in captions)
    assert not [c for c in captions if re.search(r"\d{4}-\d{2}-\d{2}", c)]


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
    for text, grade in zip(bars["text"], api["grade"]):  # each bar names its rank, score and grade
        assert grade in text and grade in ("优秀", "良好", "合格", "不合格")
    table = at.dataframe[0].value
    assert table["考核等级"].tolist() == api["grade"].to_list()
    # 信息报送: January and February are due (wholly in the period, before March); each town's
    # schools reported in February only → 50 %
    assert api["reporting"].to_list() == [0.5, 0.5]
    assert "信息报送率" in table.columns
    breakdown = at.dataframe[1].value
    api_rows = (metrics().unit_indicators(year_filters())
                .filter((pl.col("tier") == "town") & (pl.col("unit_code") == "T01")).sort("position"))
    assert breakdown["考核指标"].tolist() == ["整改率", "按期整改率", "检查覆盖率", "例会达标率", "校均逾期未整改数",
                                           "信息报送率"]
    assert breakdown["折算后权重"].round(6).tolist() == api_rows["weight"].round(6).to_list()
    assert breakdown[column_label("base_weight")].tolist() == [27, 18, 18, 14, 13, 10]
    assert breakdown["考核得分"].round(6).tolist() == api_rows["score"].round(6).to_list()
    assert breakdown["数值"].tolist()[-1] == "50.0%"


def test_evaluation_breakdown_tells_data_not_applicable_and_not_reported_apart():
    at = open_app("evaluation")
    at.selectbox(key="evaluation.dept.unit").set_value("D03").run()
    rows = at.dataframe[3].value.set_index("考核指标")
    # 消防救援大队: no hazard rectified in the period (on-time, median days 不适用); not 公安 (法治副校长 不适用);
    # on the 履职检查 duty list (消防) with I2 at one of four schools
    assert rows.loc["按期整改率", "指标状态"] == rows.loc["整改用时中位数（天）", "指标状态"] == "○ 不适用（不计分）"
    assert rows.loc["法治教育覆盖率", "指标状态"] == "○ 不适用（不计分）"
    assert rows.loc["履职检查覆盖率", "指标状态"] == "● 已报送"
    assert rows.loc["履职检查覆盖率", "数值"] == "25.0%"
    # the applicable base weights: 整改率 27, 逾期 11, 参会 12, 履职检查 15 = 65 → rescaled to 100
    assert rows.loc["整改率", "折算后权重"] == pytest.approx(27 * 100 / 65)
    assert rows.loc["法治教育覆盖率", "折算后权重"] == 0
    assert rows["折算后权重"].sum() == pytest.approx(100)
    # 青溪公安分局: 法治副校长 is its duty, a semester began on 1 February, no 法治教育 visit → 未报送, 0
    at.selectbox(key="evaluation.dept.unit").set_value("D02").run()
    rows = at.dataframe[3].value.set_index("考核指标")
    assert rows.loc["法治教育覆盖率", "指标状态"] == "▲ 未报送（计0分）"
    assert rows.loc["法治教育覆盖率", "考核得分"] == 0
    assert any("法治教育覆盖率" in w.value and "计0分" in w.value for w in at.warning)
    api = metrics().dept_scores(year_filters()).filter(pl.col("dept_code") == "D02").row(0, named=True)
    assert metric_values(at)["考核等级"] == api["grade"]


def test_evaluation_shows_units_not_ranked_and_units_without_a_score(tmp_path, monkeypatch):
    from xiaoan.config import DEFAULT_RULES

    # 履职检查 the duty of 区教育局 alone; January: no district meeting (参会 不适用), no semester began
    # (法治副校长 不适用); hazards found in January are 区教育局's (H1, H4) → the other two have nothing
    rules = Path(DEFAULT_RULES).read_text(encoding="utf-8").replace(
        'duty = ["教育局", "公安", "交警", "消防", "市场监管", "卫生健康", "建设", "应急", "交通运输"]', 'duty = ["教育局"]')
    (tmp_path / "rules.toml").write_text(rules, encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(tmp_path / "rules.toml"))
    at = open_app("evaluation", params={"asof": "2026-01-31", "period": "month", "year": "2026", "idx": "1"})
    api = metrics_with(tmp_path / "rules.toml").dept_scores(Filters(as_of=D(2026, 1, 31), start=D(2026, 1, 1)))
    unscored = api.filter(pl.col("score").is_null())["dept_name"].to_list()
    assert sorted(unscored) == ["消防救援大队", "青溪公安分局"]
    table = at.dataframe[2].value.set_index("单位名称")
    assert table.loc["消防救援大队", "排名"] == "无得分"
    assert table.loc["区教育局", "排名"] == "1"
    bars = chart_specs(at)[2]["data"][0]  # the departments' bars: scored units only
    assert bars["y"] == ["区教育局"]
    at.selectbox(key="evaluation.dept.unit").set_value("D03").run()
    assert metric_values(at)["排名"] == "无得分"
    assert any("没有适用的考核指标" in i.value for i in at.info)


def test_supervision_page_lists_due_and_in_force_and_each_unit(monkeypatch):
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(closed_loop_warehouse()))
    at = open_app("supervision")
    shown = metric_values(at)
    # K5 due (58 days overdue, not listed); K1 and K6 listed and open; K2 extended, K3 reworked, K4 closed unverified
    assert (shown["应挂牌未挂牌"], shown["挂牌督办中"], shown["延期整改"], shown["验收不通过返工"],
            shown["未经验收销号"]) == ("1", "2", "1", "1", "1")
    api = Metrics.open(closed_loop_warehouse()).supervision(year_filters())
    due, in_force = at.dataframe[0].value, at.dataframe[1].value
    assert due["隐患编号"].tolist() == api.filter(pl.col("due"))["hazard_id"].to_list() == ["K5"]
    assert due["逾期天数"].tolist() == [58]
    assert due["责任单位"].tolist() == ["城关镇"] and due["责任单位类别"].tolist() == ["镇"]
    assert in_force["隐患编号"].tolist() == ["K1", "K6"]  # open the longest first
    assert in_force["整改通知书编号"].tolist() == ["校安督〔2026〕1号", "河督〔2026〕3号"]
    assert in_force[column_label("days_open")].tolist() == [80, 30]  # since found: 10 Jan and 1 Mar
    assert in_force["督办级别"].tolist() == ["区级挂牌", "镇级挂牌"]
    assert in_force["逾期天数"].tolist()[0] == 49
    units = at.dataframe[2].value.set_index("责任单位")
    assert sorted(units.index) == ["区教育局", "城关镇", "消防救援大队"]  # 公安 holds nothing overdue or listed
    assert units.loc["区教育局", "挂牌督办中（项）"] == 1 and units.loc["区教育局", "逾期未整改数"] == 1
    assert units.loc["城关镇", "应挂牌未挂牌（项）"] == 1 and units.loc["城关镇", "责任单位类别"] == "镇"
    assert units.loc["消防救援大队", "挂牌督办中（项）"] == 1 and units.loc["消防救援大队", "逾期未整改数"] == 0
    at.selectbox(key="supervision.unit").set_value(("department", "D03")).run()
    assert at.dataframe[3].value["隐患编号"].tolist() == ["K6"]


def test_supervision_page_on_a_ledger_without_supervision_columns_lists_the_grave_open_as_due():
    at = open_app("supervision")
    # H6 重大 120 days overdue, H1 重大 49 days overdue: due by level; H3 较大 11 days overdue: not yet
    assert at.dataframe[0].value["隐患编号"].tolist() == ["H6", "H1"]
    assert metric_values(at)["挂牌督办中"] == "0"
    assert any("暂无挂牌督办中的隐患" in i.value for i in at.info)


def test_hazard_page_shows_the_closed_loop(monkeypatch):
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(closed_loop_warehouse()))
    at = open_app("hazard", params={"id": "K2"})
    shown = metric_values(at)
    assert shown[column_label("effective_deadline")] == "2026年4月30日" and shown[column_label("extensions")] == "1"
    assert any("延期至 2026年4月30日（延期 1 次）" in m.value for m in at.markdown)
    at = open_app("hazard", params={"id": "K3"})
    assert metric_values(at)[column_label("rework")] == "1" and metric_values(at)["验收结果"] == "通过"
    at = open_app("hazard", params={"id": "K1"})
    assert any("校安督〔2026〕1号" in m.value and "督办中" in m.value for m in at.markdown)
    at = open_app("hazard", params={"id": "K4"})
    assert any("未经验收销号" in e.value for e in at.error)
    at = open_app("hazards", params={"asof": AS_OF.isoformat()})
    at.toggle(key="hazards.unverified_only").set_value(True).run()
    assert at.dataframe[0].value["隐患编号"].tolist() == ["K4"]


def test_meetings_grid_compliance_and_plenary_equal_the_metrics_api():
    at = open_app("meetings")
    assert any("2026年已召开全体成员单位会议 1 次" in s.value for s in at.success)
    grid = chart_specs(at)[0]["data"][0]
    months = metrics().meeting_months(year_filters())
    held = {(r["town_name"], month_label(r["month"])): int(r["met"]) for r in months.iter_rows(named=True)}
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
    assert metric_values(at)["风险指数"] == "20"  # 重大 10 × 2 overdue


def test_hazard_page_for_an_unknown_id_says_so():
    at = open_app("hazard", params={"id": "NOPE"})
    assert any("未找到隐患「NOPE」" in i.value for i in at.info)


def test_school_profile_equals_the_metrics_api():
    at = open_app("school", params={"school": "S03"})
    summary = metrics().school_summary(year_filters()).filter(pl.col("school_code") == "S03").row(0, named=True)
    shown = metric_values(at)
    assert shown["未整改隐患数"] == str(summary["open_hazards"]) == "2"
    assert shown["风险指数"] == f"{summary['risk']:,.0f}" == "26"  # risk: a whole number
    assert sorted(at.dataframe[0].value["隐患编号"]) == ["H3", "H6"]
    assert at.dataframe[1].value["检查日期"].astype(str).tolist() == ["2026-03-05"]  # tables keep ISO dates
    assert "2026年1月1日至2026年3月31日的检查记录" in [h.value for h in at.subheader]


def test_organisation_shows_the_three_tiers_from_the_registry():
    at = open_app("organisation")
    shown = metric_values(at)
    assert shown["区级安全总校（园）长"] == "王总"
    assert shown["镇级安全总校（园）长"] == "2 名"
    towns = at.dataframe[0].value
    assert dict(zip(towns["镇名称"], towns["安全总校（园）长"])) == {"城关镇": "李镇长", "河口镇": "赵镇长"}
    members = at.dataframe[2].value
    assert members.set_index("单位代码").loc["D03", "联络员"] == "冯联络"


def test_data_quality_shows_the_rejected_row_with_its_reason_and_unit():
    at = open_app("quality")
    assert metric_values(at)["未通过校验的记录（条）"] == "1"
    rows = at.dataframe[2].value
    assert rows["原因"].tolist() == ["学校不在基础信息表中：S99"]
    assert rows["文件"].tolist() == ["隐患台账.xlsx"]
    by_file = at.dataframe[0].value
    assert by_file["报送单位"].tolist() == ["多个单位（办公室汇总）"]  # the ledger names both towns
    assert metric_values(at)["2026年3月未报送台账的镇（个）"] == "0"  # both towns reported in March
    log = at.dataframe[-1].value
    assert len(log) == 4 and set(log["导入结果"]) == {"已导入"}


def test_data_quality_lists_towns_without_a_ledger_this_month():
    at = open_app("quality", params={"asof": "2026-04-15"})
    assert metric_values(at)["2026年4月未报送台账的镇（个）"] == "2"
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
