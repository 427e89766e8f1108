"""Sheets of real ledgers in shapes beyond a grid of records (fixtures README gaps 11, 16, 19, 20,
25; pipelines/ingest/forms.py): tables whose rows are rooms, questionnaires of ticked boxes,
reports in numbered label blocks — and two rules every sheet keeps: a fully blank row is never
data, and the office's mapping applies to a checklist's headers as to a ledger's. Each through a
workbook written as a clerk would, loaded into a warehouse holding the sample district."""

from __future__ import annotations

import datetime as dt

import openpyxl
import polars as pl
import pytest

from pipelines.contract import HAZARDS
from pipelines.ingest.context import LoadContext
from pipelines.ingest.forms import checklist_score, question_polarity
from pipelines.ingest.headers import Header
from pipelines.ingest.judge import SheetItem, judge
from pipelines.ingest.readers import Sheet
from pipelines.ingest.validate import Rules
from tests import real_layouts as rl
from xiaoan.mapping import Mapping

sample_registry_warehouse = rl.sample_registry_warehouse
SCHOOL = rl.SAMPLE_SCHOOL


@pytest.fixture
def load_rows(sample_registry_warehouse, tmp_path):
    """load(rows, name, mapping=None) → (FileReport, connection): the rows written as one sheet."""
    loader = rl.RawLoader(sample_registry_warehouse, tmp_path / "wh")

    def load(rows: list[list[str | None]], name: str, mapping: Mapping | None = None):
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        path = tmp_path / name
        book.save(path)
        return loader.load(path, mapping)

    yield load
    loader.close()


def test_blank_rows_never_reach_the_rules():
    """Even rules that accept every row (a sheet whose every field a line or a derivation can
    fill) load no fully blank row: it is skipped, whitespace-only cells included."""
    grid = pl.DataFrame({"c0": ["问题隐患", "楼梯扶手松动", None, "  ", "灭火器过期"], "c1": ["整改措施", "加固", None, "\u3000", None]})
    header = Header(HAZARDS, 0, 1, {"description": "c0", "measures": "c1"}, {"c0": "问题隐患", "c1": "整改措施"},
                    context={"school": SCHOOL})
    item = SheetItem(1, Sheet("台账", 0, grid), header, rl.REPORT_DATE)

    def accept_all(f, reg, report_date, ctx):
        return Rules(f, [], {"description": pl.col("description"), "school": pl.col("school")})

    judged = judge(HAZARDS, [item], accept_all, None, None, (), LoadContext(mapping=Mapping()))
    assert judged.accepted.get_column("description").to_list() == ["楼梯扶手松动", "灭火器过期"]
    assert judged.accepted.get_column("__row").to_list() == [2, 5]
    assert judged.counts[0] == (5, 2, 3, 0)  # header + the two blank rows skipped


def test_a_ledger_with_blank_rows_under_a_school_line_loads_only_its_rows(load_rows):
    report, con = load_rows([
        [f"学校：{SCHOOL}"],
        ["问题隐患", "整改措施", "责任人"],
        ["二楼楼梯扶手松动", "加固", "张三"],
        [None, None, None],
        ["  ", "", " "],
        ["灭火器过期", "更换", "李四"],
    ], "隐患台账10月.xlsx")
    assert (report.rows_in, report.loaded, report.skipped, report.rejected) == (6, 2, 4, 0), report
    assert sorted(r[0] for r in rl.last(con, "select description from raw_hazard_reports where ingest_id = LAST")) == [
        "二楼楼梯扶手松动", "灭火器过期"]


CHECKLIST = [
    [f"学校：{SCHOOL}    检查时间：2026年10月12日"],
    ["序号", "检查内容", "检查结果", "隐患情况说明"],
    ["1", "消防通道是否畅通", "合格", "北侧通道堆放杂物"],
    ["2", "灭火器是否在有效期内", "合格", "无"],
    ["3", "电线是否老化", "合格", "三楼走廊电线外露"],
]


def test_the_office_mapping_applies_to_a_checklist_header(load_rows):
    report, con = load_rows(CHECKLIST, "安全检查表.xlsx")
    assert report.status == "loaded" and rl.last(con, "select count(*) from raw_hazard_reports where ingest_id = LAST") == [(0,)]
    # The office says its 隐患情况说明 column is the problem: its filled rows (not 无) are hazards.
    report, con = load_rows(CHECKLIST, "安全检查表2.xlsx", Mapping(headers={"隐患情况说明": "description"}))
    assert report.status == "loaded", report
    assert sorted(r[0] for r in rl.last(con, "select description from raw_hazard_reports where ingest_id = LAST")) == [
        "三楼走廊电线外露", "北侧通道堆放杂物"]
    assert rl.last(con, "select hazards_found from raw_inspections where ingest_id = LAST") == [(2,)]
    # …and a column it maps to "" is not read: with the result column ignored, nothing is a checklist.
    report, _ = load_rows(CHECKLIST, "安全检查表3.xlsx", Mapping(headers={"检查结果": ""}))
    assert report.status == "rejected" and report.loaded == 0, report


def test_rows_that_are_rooms_two_rooms_two_hazards_and_grades_are_no_findings(load_rows):
    report, con = load_rows([
        ["宿舍抽查情况记录表"],
        ["楼栋", "寝室号", "违禁电器使用情况", "卫生情况"],
        ["3栋", "301", "私拉电线", "一般"],
        ["3栋", "302", "私拉电线", "良好"],
        ["5栋", "101", "无", "较差"],
        ["5栋", "102", "无", "优秀"],
    ], f"{SCHOOL}宿舍抽查.xlsx")
    assert report.status == "loaded" and report.rejected == 0, report
    hazards = rl.last(con, "select hazard_id, description, level, derived from raw_hazard_reports where ingest_id = LAST order by row")
    assert len(hazards) == 2 and hazards[0][0] != hazards[1][0]  # same text, two rooms: two hazards
    assert "301" in hazards[0][1] and "302" in hazards[1][1] and all("私拉电线" in h[1] for h in hazards)
    assert all(h[2] == "一般" and "level" in h[3] for h in hazards)  # 一般 defaulted, not read from 卫生情况
    # The inspection's category is the one its title names (宿舍 → 校舍建筑), inferred like the rest.
    assert rl.last(con, "select hazards_found, category, derived from raw_inspections where ingest_id = LAST") == [
        (2, "校舍建筑", ["department", "type", "date", "school", "category"])]


def test_question_polarity_from_its_wording():
    assert question_polarity("是否存在安全隐患？") == "yes"
    assert question_polarity("建筑物有无明显缺陷、损坏及开裂？") == "yes"
    assert question_polarity("是否建立实验室管理制度？") == "no"
    assert question_polarity("是否未建立值班制度？") == "yes"
    assert question_polarity("门卫室是否有值班记录本？") is None
    assert question_polarity("是否建立隐患排查制度？") is None  # both: nothing is guessed


def test_a_questionnaire_loads_the_bad_answers_and_warns_where_the_question_cannot_tell(load_rows):
    report, con = load_rows([
        ["安全检查问卷"],
        [f"学校名称：{SCHOOL}"],
        ["一、消防"],
        ["是否配备灭火器？", "□是 ☑否", ""],
        ["楼梯扶手是否松动？", "☑是 □否", "若有，为 2 楼"],
        ["消防通道是否畅通？", "☑是 □否", ""],
        ["门卫室是否有值班记录本？", "☑有 □无", ""],
        ["教室悬挂物是否安全？", "□安全 ☑不安全", ""],
    ], "问卷.xlsx")
    assert report.status == "loaded" and report.rejected == 0, report
    assert report.loaded + report.skipped == report.rows_in
    descriptions = sorted(r[0] for r in rl.last(con, "select description from raw_hazard_reports where ingest_id = LAST"))
    assert descriptions == ["教室悬挂物是否安全：不安全", "是否配备灭火器：否", "楼梯扶手是否松动：是，2 楼"]
    assert rl.last(con, "select hazards_found, self_check from raw_inspections where ingest_id = LAST") == [(3, True)]
    warnings = rl.last(con, 'select "row", value from raw_warnings where ingest_id = LAST')
    assert len(warnings) == 1 and warnings[0][0] == 7 and "值班记录本" in warnings[0][1], warnings


def test_a_report_in_label_blocks_is_one_hazard_per_block(load_rows):
    report, con = load_rows([
        [f"{SCHOOL}安全隐患整改情况报告"],
        ["区教育局："],
        ["2026年10月8日，区教育局对我校进行了安全检查，发现以下问题："],
        ["存在问题：食堂燃气管道老化"],
        ["整改措施：更换燃气管道"],
        ["整改时限：2026年10月30日"],
        ["存在问题：操场围栏破损"],
        ["整改措施：修补围栏"],
        ["特此报告。"],
    ], "整改报告.xlsx")
    assert report.status == "loaded" and (report.loaded, report.rejected) == (2, 0), report
    rows = rl.last(con, "select row, description, measures, deadline, found_date, category, derived from raw_hazard_reports "
                      "where ingest_id = LAST order by row")
    assert [r[:3] for r in rows] == [(4, "食堂燃气管道老化", "更换燃气管道"), (7, "操场围栏破损", "修补围栏")]
    assert rows[0][3] == dt.date(2026, 10, 30) and "deadline" not in rows[0][6] and "deadline" in rows[1][6]
    assert all(r[4] == dt.date(2026, 10, 8) and "found_date" in r[6] for r in rows)
    assert rows[0][5] == "食品卫生"


def test_a_sender_line_that_names_a_school_gives_every_row_its_school(load_rows):
    """SPEC §2.1: 填报单位 names the sender and, when it is a school, the school of every row of a
    table with no school column — a line, so the school is not marked as guessed."""
    rows = [
        [f"填报单位：{SCHOOL}"],
        ["排查区域", "现状描述", "隐患等级", "整改建议", "责任人", "完成时限"],
        ["教学楼", "三楼走廊插座面板破损", "一般隐患", "更换面板", "张强", "2026年11月10日"],
        ["操场", "篮球架底座松动", "较大隐患", "加固", "王丽", "15天内"],
    ]
    report, con = load_rows(rows, "台账.xlsx")
    assert report.status == "loaded" and (report.loaded, report.rejected) == (2, 0), report
    assert report.sender == SCHOOL
    assert rl.last(con, "select distinct school_code from raw_hazard_reports where ingest_id = LAST") == [("QXS003",)]
    assert rl.last(con, "select sender_kind, sender_code from raw_ingest_log where ingest_id = LAST") == [("school", "QXS003")]
    # A 填报单位 that is a town names no school: the sheet gets the one message asking which school.
    rows[0] = ["填报单位：城关镇"]
    report, con = load_rows(rows, "台账2.xlsx")
    assert (report.loaded, report.rejected) == (0, 2), report
    reasons = rl.last(con, "select reason from raw_rejected_rows where ingest_id = LAST")
    assert len(reasons) == 1 and "学校：" in reasons[0][0] and "现状描述" in reasons[0][0], reasons


SCORED = [
    [f"学校：{SCHOOL}    检查时间：2026年10月12日"],
    ["检查项目", "检查内容", "分值", "存在问题", "得分"],
    ["消防安全", "灭火器配备齐全、在有效期内", "40", "二楼灭火器过期", "36"],
    ["校舍安全", "墙体、楼梯无破损", "30", "", "30"],
    ["食品卫生", "食堂证照齐全", "30", "从业人员健康证过期", "25"],
]


def test_a_scored_checklist_whose_maxima_total_100_has_the_sum_as_its_score(load_rows):
    report, con = load_rows(SCORED, "考核表.xlsx")
    assert report.status == "loaded" and report.rejected == 0, report
    assert rl.last(con, "select score, hazards_found, derived from raw_inspections where ingest_id = LAST") == [
        (91.0, 2, ["department", "type", "score"])]
    assert rl.last(con, "select count(*) from raw_hazard_reports where ingest_id = LAST") == [(2,)]
    # Maxima totalling 80 and no 合计 row: no 检查得分 on 0–100 can be told, none is made up.
    report, con = load_rows([*SCORED[:4], ["食品卫生", "食堂证照齐全", "10", "从业人员健康证过期", "5"]], "考核表2.xlsx")
    assert report.status == "loaded", report
    assert rl.last(con, "select score, derived from raw_inspections where ingest_id = LAST") == [(None, ["department", "type"])]


def test_a_checklist_score_from_group_maxima_or_its_totals_row():
    def body(rows):
        return pl.DataFrame(rows, schema=["c0", "c1", "c2"], orient="row")

    col = {"item": "c1", "score": "c2"}
    groups = body([["1.四防建设（60分）", "保安器械配备", "55"], ["1.四防建设（60分）", "监控运行", None],
                   ["2.校舍安全(40分)", "墙体无裂缝", "38"]])
    assert checklist_score(groups, col) == "93"  # the group titles' maxima total 100 (a merged title counted once)
    totals = body([["1.四防建设（15分）", "保安器械配备", "13"], ["2.校车（30分）", "车辆年检", "30"], ["合 计", "", "61"]])
    assert checklist_score(totals, col) == "61"  # maxima total 45: the 合计 row's 61, on 0–100
    assert checklist_score(totals.with_columns(pl.when(pl.col("c0") == "合 计").then(pl.lit("120")).otherwise("c2").alias("c2")),
                           col) is None  # a total beyond 100 is no 检查得分
    assert checklist_score(groups, {"item": "c1"}) is None  # no 得分 column


def test_a_label_cell_inspection_takes_its_category_from_its_title(load_rows):
    report, con = load_rows([
        ["学校消防安全检查记录表"],
        ["检查时间", "2026年10月12日"],
        ["检查地点", SCHOOL],
        ["检查人员", "张三、李四"],
        ["检查内容", "消防设施是否完备"],
        ["检查结果", "三楼通道堆放课桌椅"],
    ], "检查记录.xlsx")
    assert report.status == "loaded" and report.loaded == 1, report
    assert rl.last(con, "select school_code, category, hazards_found, derived from raw_inspections where ingest_id = LAST") == [
        ("QXS003", "消防安全", 0, ["department", "type", "category", "hazards_found"])]


@pytest.mark.parametrize(("when", "day", "derived"), [
    ("10月份", dt.date(2026, 10, 31), ["meeting_type", "level", "date"]),
    ("2026年10月9日", dt.date(2026, 10, 9), ["meeting_type", "level"]),
])
def test_a_meeting_dated_by_its_month_alone_is_its_last_day_marked_derived(load_rows, when, day, derived):
    report, con = load_rows([
        ["学校安全工作会议记录"],
        ["时间", when],
        ["地点", "会议室"],
        ["主持人", "王校长"],
        ["参加人员", "全体教师"],
        ["会议内容", "布置消防安全检查"],
    ], f"{SCHOOL}会议记录.xlsx")
    assert report.status == "loaded" and report.loaded == 1, report
    assert rl.last(con, "select meeting_date, derived from raw_meetings where ingest_id = LAST") == [(day, derived)]
