"""SPEC §2 hazard-ledger rules (隐患台账): each rule rejects the row that breaks it, with the
file, sheet, Excel row number, column, a reason in Chinese and the raw cells."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests import builders
from tests.builders import HAZARD_HEADERS, hazard
from xiaoan.i18n import t

D = dt.date


def rejected(query):
    return query('select file, sheet, "row", "column", reason, raw from rejected_rows order by "row"')


def load_rows(load, tmp_path, *rows, report_date=None):
    f = builders.xlsx(tmp_path / "台账.xlsx", HAZARD_HEADERS, list(rows), sheet="三月")
    return load(f, report_date=report_date).files[0]


def test_a_rejected_row_keeps_file_sheet_excel_row_column_reason_and_raw_cells(load, query, tmp_path):
    result = load_rows(load, tmp_path, hazard("H1"), hazard("H2", level="超级"))
    assert (result.loaded, result.rejected) == (1, 1)
    [(file, sheet, row, column, reason, raw)] = rejected(query)
    assert (file, sheet, row, column) == ("台账.xlsx", "三月", 3, "隐患等级")
    assert "隐患等级" in reason and "一般、较大、重大" in reason
    assert json.loads(raw)["隐患等级"] == "超级" and json.loads(raw)["隐患编号"] == "H2"


@pytest.mark.parametrize("column,index", [("隐患编号", 0), ("学校", 1), ("隐患类别", 3), ("隐患等级", 4), ("发现日期", 6),
                                           ("责任单位", 8), ("整改时限", 9), ("整改状态", 11)])
def test_required_columns_must_be_filled(column, index, load, query, tmp_path):
    row = hazard("H1")
    row[index] = None if index != 9 else None
    result = load_rows(load, tmp_path, row)
    assert result.rejected == 1
    [(_, _, _, col, reason, _)] = rejected(query)
    assert col == column and f"「{column}」为必填项" in reason


def test_a_ledger_without_a_needed_column_rejects_every_row_naming_the_column(load, query, tmp_path):
    # SPEC §2.1: of the required columns only the school's cannot be derived (整改时限 and the
    # others a ledger lacks are derived: tests/test_ingest_derive.py).
    headers = [h for h in HAZARD_HEADERS if h != "学校"]
    rows = [[v for h, v in zip(HAZARD_HEADERS, hazard(f"H{i}")) if h != "学校"] for i in range(3)]
    result = load(builders.xlsx(tmp_path / "h.xlsx", headers, rows)).files[0]
    assert (result.loaded, result.rejected) == (0, 3)
    # One message for the sheet, not one per row, quoting the clerk's own headers (SPEC §2.1).
    [message] = rejected(query)
    assert message[2] is None and "学校" in message[4] and "隐患编号、所属镇" in message[4]


def test_school_must_exist_in_the_registry(load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", school="不存在的学校")).rejected == 1
    assert rejected(query)[0][3:5] == ("学校", t("row.unknown_school", value="不存在的学校"))


def test_a_school_name_two_towns_share_is_resolved_by_town_else_rejected_as_ambiguous(load, query, tmp_path):
    result = load_rows(load, tmp_path, hazard("H1", school="中心幼儿园", town="河口镇"), hazard("H2", school="中心幼儿园"))
    assert (result.loaded, result.rejected) == (1, 1)
    assert query("select school_code, town_code from hazards") == [("S03", "T02")]
    assert "重名" in rejected(query)[0][4]


def test_town_is_optional_but_must_match_the_schools_town(load, query, tmp_path):
    result = load_rows(load, tmp_path, hazard("H1", town="城关镇"), hazard("H2", town="T01"), hazard("H3", town="河口镇"), hazard("H4", town="火星镇"))
    assert (result.loaded, result.rejected) == (2, 2)
    reasons = [r[4] for r in rejected(query)]
    assert reasons == [t("row.town_mismatch", value="河口镇"), t("row.unknown_town", value="火星镇")]


@pytest.mark.parametrize("typed,canonical", [("消防", "消防安全"), ("溺水", "防溺水"), ("食品安全", "食品卫生"), ("其它", "其他")])
def test_category_synonyms_map_onto_the_ten_categories(typed, canonical, load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", category=typed)).loaded == 1
    assert query("select category from hazards") == [(canonical,)]


def test_category_outside_the_list_is_rejected(load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", category="外星入侵")).rejected == 1
    assert rejected(query)[0][3] == "隐患类别"


def test_found_by_is_optional_but_must_be_a_member_unit_when_given(load, query, tmp_path):
    result = load_rows(load, tmp_path, hazard("H1", found_by="D03"), hazard("H2", found_by="路人甲"))
    assert (result.loaded, result.rejected) == (1, 1)
    assert query("select found_by_code from hazards") == [("D03",)]
    assert rejected(query)[0][3:5] == ("发现单位", "「发现单位」不在成员单位名单中：路人甲")


def test_responsible_department_must_be_a_member_unit(load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", dept="区外星局")).rejected == 1
    assert rejected(query)[0][3] == "责任单位"


def test_deadline_not_before_found_date(load, query, tmp_path):
    result = load_rows(load, tmp_path, hazard("H1", found=D(2026, 3, 5), deadline=D(2026, 3, 4)), hazard("H2", found=D(2026, 3, 5), deadline=D(2026, 3, 5)))
    assert (result.loaded, result.rejected) == (1, 1)
    assert rejected(query)[0][4] == "整改时限早于发现日期"


def test_unparseable_dates_are_rejected_quoting_the_cell(load, query, tmp_path):
    row = hazard("H1")
    row[6] = "三月初"
    assert load_rows(load, tmp_path, row).rejected == 1
    assert rejected(query)[0][4] == "「发现日期」不是有效日期：三月初"


@pytest.mark.parametrize("status", ["已整改", "已销号"])
def test_rectified_date_required_when_rectified_or_closed(status, load, query, tmp_path):
    closed = D(2026, 3, 20) if status == "已销号" else None
    assert load_rows(load, tmp_path, hazard("H1", status=status, rectified=None, closed=closed)).rejected == 1
    assert rejected(query)[0][3] == "整改完成日期"


def test_rectified_date_not_before_found_date(load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", status="已整改", found=D(2026, 3, 5), rectified=D(2026, 3, 1))).rejected == 1
    assert rejected(query)[0][4] == "整改完成日期早于发现日期"


def test_closed_date_required_when_closed_and_not_before_rectified(load, query, tmp_path):
    result = load_rows(
        load, tmp_path,
        hazard("H1", status="已销号", rectified=D(2026, 3, 10), closed=None),
        hazard("H2", status="已销号", rectified=D(2026, 3, 10), closed=D(2026, 3, 9)),
        hazard("H3", status="已销号", rectified=D(2026, 3, 10), closed=D(2026, 3, 10)),
    )
    assert (result.loaded, result.rejected) == (1, 2)
    assert [r[4] for r in rejected(query)] == ["整改状态为「已销号」时必须填写销号日期", "销号日期早于整改完成日期"]


def test_status_outside_the_list_is_rejected(load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", status="看情况")).rejected == 1
    assert rejected(query)[0][3] == "整改状态"


def test_report_date_is_the_column_else_the_given_date_else_the_day_of_loading(load, query, tmp_path):
    load_rows(load, tmp_path, hazard("H1", report=D(2026, 3, 31)), hazard("H2", report=None), report_date=D(2026, 4, 2))
    f = builders.xlsx(tmp_path / "other.xlsx", HAZARD_HEADERS, [hazard("H3", report=None)])
    load(f)
    assert query("select hazard_id, report_date from hazards order by 1") == [
        ("H1", D(2026, 3, 31)), ("H2", D(2026, 4, 2)), ("H3", dt.date.today())
    ]


def test_every_broken_rule_of_a_row_is_named_in_its_reason(load, query, tmp_path):
    assert load_rows(load, tmp_path, hazard("H1", category="?", level="?", dept="?")).rejected == 1
    [(_, _, _, column, reason, _)] = rejected(query)
    assert column == "隐患类别" and reason.count("；") == 2


def test_the_same_hazard_twice_in_one_ledger_keeps_the_first_and_rejects_the_repeat(load, query, tmp_path):
    result = load_rows(load, tmp_path, hazard("H1", level="一般"), hazard("H1", level="重大"))
    assert (result.loaded, result.rejected) == (1, 1)
    assert query("select level from hazards") == [("一般",)]
    assert rejected(query)[0][2:5] == (3, "隐患编号", "同一台账中重复出现（以第 2 行为准）")


def test_a_later_report_supersedes_the_earlier_and_every_report_is_kept(load, query, tmp_path):
    march = builders.xlsx(tmp_path / "03.xlsx", HAZARD_HEADERS, [hazard("H1", status="未整改", report=D(2026, 3, 31))])
    april = builders.xlsx(tmp_path / "04.xlsx", HAZARD_HEADERS, [hazard("H1", status="已整改", rectified=D(2026, 4, 10), report=D(2026, 4, 30))])
    load(april)
    load(march)  # arrives late: the April report is still the current state
    assert query("select status, report_count from hazards") == [("已整改", 2)]
    assert query("select report_date, status, report_seq from hazard_reports order by report_date") == [
        (D(2026, 3, 31), "未整改", 1), (D(2026, 4, 30), "已整改", 2)
    ]


def test_a_rejection_names_the_clerks_own_header_and_quotes_the_cell(load, query, tmp_path):
    """SPEC §2.1: every message quotes the clerk's own header and cell value — 整改落实情况 as
    typed, not the contract's 整改状态."""
    headers = ["学校名称", "问题隐患", "整改时限", "整改落实情况"]
    rows = [["S01", "灭火器过期", "2026年3月31日前", "基本可以"], ["S01", "楼梯扶手松动", "2026-04-15", "已整改到位"]]
    result = load(builders.xlsx(tmp_path / "清单.xlsx", headers, rows, title="问题隐患清单")).files[0]
    assert (result.loaded, result.rejected) == (1, 1)
    [(_, _, row, column, reason, _)] = rejected(query)
    assert (row, column) == (3, "整改落实情况")
    assert "「整改落实情况」" in reason and "基本可以" in reason and "整改状态" not in reason
