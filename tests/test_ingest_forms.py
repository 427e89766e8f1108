"""How a real ledger's sheet is read (SPEC §2.1, pipelines/ingest/forms.py): label lines,
checklist forms, one-record label-cell forms, files of no known kind, zero reports and the
sender — each through a workbook written as a clerk would (tests/real_layouts.py)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tests import real_layouts as rl
from pipelines.ingest.forms import parse_line

sample_registry_warehouse = rl.sample_registry_warehouse


@pytest.fixture
def load_file(sample_registry_warehouse, tmp_path):
    """Plan and load one file into a copy of the sample registry's warehouse (raw tables only)."""
    loader = rl.RawLoader(sample_registry_warehouse, tmp_path / "wh")
    yield loader.load
    loader.close()


def test_label_lines_several_per_line_without_colon_and_bare_dates():
    assert ("school", "四寨民族小学", "学校(公章)") in parse_line("学校（公章）四寨民族小学")
    fields = {f: v for f, v, _ in parse_line("小学/幼儿园（盖章）：青溪区实验小学    校长（签名）：    时间：2026年10月12日")}
    assert fields == {"school": "青溪区实验小学", "date": "2026年10月12日"}
    assert parse_line("2024年2月25日") == [("date", "2024年2月25日", "")]
    assert {f: v for f, v, _ in parse_line("检查单位：区教育局        2026 年 10 月 12 日")} == {"department": "区教育局", "date": "2026年10月12日"}
    assert {f: v for f, v, _ in parse_line("负 责 人：张三")} == {}  # not a line label the product reads
    assert parse_line("学校名称：青溪区实验小学        2020年 月 日") == [("school", "青溪区实验小学", "学校名称")]  # a blank template date


def test_a_checklist_is_one_self_check_inspection_and_a_hazard_per_problem_row(load_file, tmp_path):
    report, con = load_file(rl.build("S04", tmp_path / "in").path)
    assert report.status == "loaded" and sorted(report.kinds) == ["hazards", "inspections"]
    assert rl.last(con, "select inspection_type, dept_code, inspector_kind, self_check, hazards_found, derived from raw_inspections where ingest_id = LAST") == [
        ("日常检查", None, "school", True, 3, ["department", "type", "date"])]
    rows = rl.last(con, "select description, measures from raw_hazard_reports where ingest_id = LAST order by row")
    assert rows == [("隐患台账未及时更新", "每月更新台账"), ("1名从业人员健康证过期", "立即停岗并补办"), ("围墙北垮塌与农户有纠纷", None)]
    assert rl.last(con, "select sender_kind, sender_name from raw_ingest_log where ingest_id = LAST") == [("school", rl.SAMPLE_SCHOOL)]


def test_a_result_only_checklist_takes_fine_words_with_a_full_stop_and_lines_below(load_file, tmp_path):
    report, con = load_file(rl.build("B01", tmp_path / "in").path)
    assert report.rejected == 0
    hazards = rl.last(con, "select description from raw_hazard_reports where ingest_id = LAST order by row")
    assert len(hazards) == 4 and all("正常" not in h for (h,) in hazards)
    assert rl.last(con, "select inspection_date, inspectors from raw_inspections where ingest_id = LAST") == [
        (rl.SAMPLE_DATE, "方杨 吴昊 王体雷 韦娜")]


def test_a_bureau_form_names_its_inspecting_unit_in_a_line(load_file, tmp_path):
    report, con = load_file(rl.build("B08", tmp_path / "in").path)
    assert rl.last(con, "select dept_code, inspector_kind, self_check from raw_inspections where ingest_id = LAST") == [
        ("D03", "department", False)]
    assert len(rl.last(con, "select 1 from raw_hazard_reports where ingest_id = LAST")) == 2


def test_one_meeting_per_sheet_with_type_inferred_and_people_kept_as_text(load_file, tmp_path):
    report, con = load_file(rl.build("S06", tmp_path / "in").path)
    assert report.loaded == 1
    assert rl.last(con, "select title, meeting_type, level, meeting_date, attendees, attendee_codes, derived from raw_meetings where ingest_id = LAST") == [
        ("消防安全工作会议", "专题会议", "区", rl.SAMPLE_DATE, "中层以上领导及班主任", [], ["meeting_type", "level", "date"])]
    # 9月8日: the year is the report date's, so the date is marked derived


def test_a_one_meeting_form_names_its_invited_units(load_file, tmp_path):
    # A 专题会议 record written as label cells with an 应到单位 line (SPEC §3 v2: attendance counts
    # the meetings a unit was invited to): the invited units are resolved like the attendees.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "专题会议记录"
    for row in (["校园周边交通安全专题会议记录"], ["会议名称", "校园周边交通安全专题会议"],
                ["会议时间", "2026年10月12日"], ["主持人", "王明"], ["会议类型", "专题会议"],
                ["应到单位", "区教育局、交警大队、公安分局"], ["参会单位", "区教育局、交警大队"],
                ["会议内容", "上下学时段校门口交通秩序"]):
        sheet.append(row)
    path = tmp_path / "专题会议记录.xlsx"
    book.save(path)
    report, con = load_file(path)
    assert (report.loaded, report.rejected) == (1, 0)
    [(invited, invited_codes, attendee_codes)] = rl.last(
        con, "select invited, invited_codes, attendee_codes from raw_meetings where ingest_id = LAST")
    assert invited == "区教育局、交警大队、公安分局"
    assert len(invited_codes) == 3 and set(attendee_codes) < set(invited_codes) and len(attendee_codes) == 2


def test_an_inspection_label_cell_form_is_one_inspection(load_file, tmp_path):
    report, con = load_file(rl.build("B10", tmp_path / "in").path)
    assert rl.last(con, "select school_code is not null, inspection_date, self_check from raw_inspections where ingest_id = LAST") == [
        (True, rl.SAMPLE_DATE, True)]


@pytest.mark.parametrize("layout_id", ["B15", "B16"])
def test_near_miss_files_are_rejected_whole_quoting_their_headers(load_file, tmp_path, layout_id):
    report, con = load_file(rl.build(layout_id, tmp_path / "in").path)
    assert report.status == "rejected" and report.loaded == 0
    first = rl.layout(layout_id)["header_rows"][0][1]
    assert first in report.message and "xiaoan template" in report.message and "隐患台账" in report.message


def test_a_ledger_with_its_header_and_no_rows_is_a_zero_report(load_file, tmp_path):
    path = tmp_path / "青溪区实验小学隐患台账2026年10月.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["学校名称", "问题隐患", "整改时限", "整改落实情况"])
    book.save(path)
    report, con = load_file(path)
    assert report.loaded == 0 and report.rejected == 0
    assert rl.last(con, "select kind, sender_kind, report_month from raw_zero_reports where ingest_id = LAST") == [
        ("hazards", "school", dt.date(2026, 10, 1))]


def test_a_sheet_that_names_no_school_gets_one_message(load_file, tmp_path):
    path = tmp_path / "排查记录.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["排查区域", "现状描述", "隐患等级", "完成时限"])
    for n in range(3):
        sheet.append(["走廊", f"楼梯扶手松动{n}", "一般", "2026-11-30"])
    book.save(path)
    report, con = load_file(path)
    assert report.loaded == 0 and report.rejected == 3
    rows = rl.last(con, 'select "row", "column", reason from raw_rejected_rows where ingest_id = LAST')
    assert len(rows) == 1 and rows[0][0] is None and "排查区域" in rows[0][2] and "学校" in rows[0][2]
