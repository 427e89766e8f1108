"""SPEC §2, the files as offices send them: formats, encodings, layouts, messy cells."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter

from tests import builders
from tests.builders import HAZARD_HEADERS, hazard

D = dt.date


def loaded_ids(query) -> list[str]:
    return [r[0] for r in query("select hazard_id from hazards order by hazard_id")]


@pytest.mark.parametrize("maker", ["xlsx", "xls", "csv-utf8", "csv-bom", "csv-gbk"])
def test_reads_xlsx_xls_and_csv_in_every_encoding(maker, load, query, tmp_path):
    rows = [hazard("H1", description="消防通道堵塞"), hazard("H2", school="城关镇第一小学")]
    if maker == "xlsx":
        f = builders.xlsx(tmp_path / "h.xlsx", HAZARD_HEADERS, rows)
    elif maker == "xls":
        f = builders.xls(tmp_path / "h.xls", HAZARD_HEADERS, rows)
    else:
        encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gbk"}[maker]
        f = builders.csv_file(tmp_path / "h.csv", HAZARD_HEADERS, rows, encoding=encoding)
    result = load(f)
    assert (result.files[0].loaded, result.files[0].rejected) == (2, 0)
    assert loaded_ids(query) == ["H1", "H2"]
    assert query("select description from hazards where hazard_id = 'H1'") == [("消防通道堵塞",)]


def test_columns_match_by_header_name_in_any_order_and_unknown_columns_are_ignored(load, query, tmp_path):
    order = list(reversed(range(len(HAZARD_HEADERS))))
    headers = [HAZARD_HEADERS[i] for i in order] + ["备注"]
    row = hazard("H1", level="重大")
    f = builders.xlsx(tmp_path / "h.xlsx", headers, [[row[i] for i in order] + ["随便写"]])
    assert load(f).files[0].loaded == 1
    assert query("select level, school_code from hazards") == [("重大", "S01")]


def test_english_headers_are_accepted(load, query, tmp_path):
    headers = ["hazard_id", "school", "town", "category", "level", "description", "found_date", "found_by",
               "responsible_dept", "deadline", "measures", "status", "rectified_date", "closed_date", "report_date"]
    f = builders.csv_file(tmp_path / "h.csv", headers, [hazard("H1")])
    assert load(f).files[0].loaded == 1


def test_title_and_date_lines_above_a_merged_title_are_skipped(load, query, tmp_path):
    path = tmp_path / "h.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("城关镇")
    ws.merge_range(0, 0, 0, 10, "青溪区城关镇中小学幼儿园安全隐患台账")
    ws.write(1, 0, "填报单位：城关镇　　填报日期：2026年3月31日")
    ws.write_row(3, 0, HAZARD_HEADERS)
    ws.write_row(4, 0, [str(v) if v is not None else None for v in hazard("H1")])
    book.close()
    result = load(path).files[0]
    assert (result.rows_in, result.loaded, result.skipped, result.rejected) == (5, 1, 4, 0)


def test_a_header_over_two_rows_with_merged_group_titles(load, query, tmp_path):
    """隐患情况 and 整改情况 merged across the columns beneath them; the others merged down."""
    path = tmp_path / "h.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("台账")
    groups = {"隐患情况": (3, 8), "整改情况": (9, 13)}
    for c, name in enumerate(HAZARD_HEADERS):
        if not any(lo <= c <= hi for lo, hi in groups.values()):
            ws.merge_range(0, c, 1, c, name)
        else:
            ws.write(1, c, name)
    for title, (lo, hi) in groups.items():
        ws.merge_range(0, lo, 0, hi, title)
    fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, v in enumerate(hazard("H1", status="已整改", rectified=D(2026, 3, 20))):
        if isinstance(v, dt.date):
            ws.write_datetime(2, c, dt.datetime.combine(v, dt.time()), fmt)
        elif v is not None:
            ws.write(2, c, v)
    book.close()
    assert load(path).files[0].loaded == 1
    assert query("select status, rectified_date from hazards") == [("已整改", D(2026, 3, 20))]


def test_several_sheets_of_one_kind_beside_an_instruction_sheet(load, query, tmp_path):
    f = builders.xlsx(
        tmp_path / "h.xlsx", HAZARD_HEADERS, [hazard("H1")], sheet="城关镇",
        extra_sheets={"河口镇": (HAZARD_HEADERS, [hazard("H2", school="S04")]), "填表说明": (["说明"], [["日期写成2026-03-05"]])},
    )
    result = load(f).files[0]
    assert (result.loaded, result.rejected) == (2, 0)
    assert query("select hazard_id, town_code, sheet from hazard_reports order by 1") == [("H1", "T01", "城关镇"), ("H2", "T02", "河口镇")]


def test_blank_rows_and_a_totals_row_are_skipped_not_rejected(load, query, tmp_path):
    rows = [hazard("H1"), [None] * 15, ["", " ", None], hazard("H2"), ["合计", "2"], ["总计：", None, None, 2]]
    f = builders.xlsx(tmp_path / "h.xlsx", HAZARD_HEADERS, rows)
    result = load(f).files[0]
    assert (result.loaded, result.rejected) == (2, 0)
    assert result.skipped == result.rows_in - 2


def test_full_width_characters_and_stray_spaces_are_cleaned(load, query, tmp_path):
    row = hazard("Ｈ１", school=" Ｓ０１ ", dept="  Ｄ０１", category=" 消防 安全 ", level="一般 ")
    row[6] = "２０２６－０３－０１"
    row[9] = " 2026/3/31 "
    f = builders.csv_file(tmp_path / "h.csv", HAZARD_HEADERS, [row])
    assert load(f).files[0].loaded == 1
    assert query("select hazard_id, school_code, responsible_dept_code, category, found_date, deadline from hazards") == [
        ("H1", "S01", "D01", "消防安全", D(2026, 3, 1), D(2026, 3, 31))
    ]


@pytest.mark.parametrize("typed", [D(2026, 3, 5), 46086, "46086", "2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "20260305", "2026-03-05 08:30:00"])
def test_every_date_form_of_the_contract(typed, load, query, tmp_path):
    row = hazard("H1", found=D(2026, 3, 1))
    row[6] = typed
    f = builders.xlsx(tmp_path / "h.xlsx", HAZARD_HEADERS, [row])
    assert load(f).files[0].loaded == 1
    assert query("select found_date from hazards") == [(D(2026, 3, 5),)]


def test_schools_and_departments_by_code_or_by_full_name(load, query, tmp_path):
    rows = [hazard("H1", school="S01", dept="D02"), hazard("H2", school="城关镇第一小学", dept="青溪公安分局"),
            hazard("H3", school="河口镇初级中学", dept="公安分局")]
    f = builders.xlsx(tmp_path / "h.xlsx", HAZARD_HEADERS, rows)
    assert load(f).files[0].loaded == 3
    assert query("select hazard_id, school_code, responsible_dept_code from hazards order by 1") == [
        ("H1", "S01", "D02"), ("H2", "S01", "D02"), ("H3", "S04", "D02")
    ]


@pytest.mark.parametrize("typed,canonical", [("待整改", "未整改"), ("整改中", "整改中"), ("已完成", "已整改"), ("完成", "已整改"), ("销号", "已销号")])
def test_status_synonyms_map_onto_the_four_statuses(typed, canonical, load, query, tmp_path):
    rectified = D(2026, 3, 10) if canonical in ("已整改", "已销号") else None
    closed = D(2026, 3, 20) if canonical == "已销号" else None
    f = builders.xlsx(tmp_path / "h.xlsx", HAZARD_HEADERS, [hazard("H1", status=typed, rectified=rectified, closed=closed)])
    assert load(f).files[0].loaded == 1
    assert query("select status from hazards") == [(canonical,)]
