"""SPEC §2 rules of inspections (检查记录), meetings (会议记录) and the registry (登记册)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import builders
from tests.builders import INSPECTION_HEADERS, MEETING_HEADERS

D = dt.date


def inspection(iid="I1", date=D(2026, 3, 3), dept="D02", school="S01", kind="日常检查", category="消防安全",
               inspectors="张三、李四", found=1, score=92) -> list:
    return [iid, date, dept, school, kind, category, inspectors, found, score]


def meeting(mid="M1", title="三月例会", kind="例会", level="镇", town="城关镇", date=D(2026, 3, 5), chair="李镇长",
            attendees="区教育局、青溪公安分局", topics="防溺水", decisions=3) -> list:
    return [mid, title, kind, level, town, date, chair, attendees, topics, decisions]


def reasons(query):
    return query('select "row", "column", reason from rejected_rows order by "row"')


# ---- inspections ----

def test_an_inspection_loads_with_its_school_town_and_department(load, query, tmp_path):
    f = builders.xlsx(tmp_path / "i.xlsx", INSPECTION_HEADERS, [inspection(school="城关镇第一小学", dept="公安分局")])
    assert load(f).files[0].loaded == 1
    assert query("select inspection_id, dept_code, school_code, town_code, inspection_type, hazards_found, score from inspections") == [
        ("I1", "D02", "S01", "T01", "日常检查", 1, 92.0)
    ]


@pytest.mark.parametrize("index,column", [(1, "检查日期"), (2, "检查单位"), (3, "学校"), (4, "检查类型")])
def test_inspection_required_columns(index, column, load, query, tmp_path):
    row = inspection()
    row[index] = None
    assert load(builders.xlsx(tmp_path / "i.xlsx", INSPECTION_HEADERS, [row])).files[0].rejected == 1
    assert reasons(query)[0][1] == column


@pytest.mark.parametrize("found,score,column", [(-1, 90, "发现隐患数"), (1.5, 90, "发现隐患数"), ("两个", 90, "发现隐患数"), (1, 101, "检查得分"), (1, -3, "检查得分"), (1, "优", "检查得分")])
def test_hazards_found_is_a_whole_number_and_score_is_0_to_100(found, score, column, load, query, tmp_path):
    f = builders.xlsx(tmp_path / "i.xlsx", INSPECTION_HEADERS, [inspection(found=found, score=score)])
    assert load(f).files[0].rejected == 1
    assert reasons(query)[0][1] == column


def test_inspection_type_must_be_one_of_the_list(load, query, tmp_path):
    f = builders.xlsx(tmp_path / "i.xlsx", INSPECTION_HEADERS, [inspection(kind="随便看看"), inspection("I2", kind="法治宣传教育")])
    assert load(f).files[0].rejected == 1
    assert query("select inspection_type from inspections") == [("法治教育",)]


def test_inspections_without_an_id_load_once_even_when_sent_twice(load, query, tmp_path):
    rows = [inspection(iid=None), inspection(iid=None, school="S04")]
    load(builders.xlsx(tmp_path / "a.xlsx", INSPECTION_HEADERS, rows))
    load(builders.csv_file(tmp_path / "b.csv", INSPECTION_HEADERS, rows))  # same rows, another file
    assert query("select count(*) from inspections") == [(2,)]


# ---- meetings ----

def test_meetings_load_with_attendees_resolved_to_member_units(load, query, tmp_path):
    rows = [meeting(), meeting("M2", "全体会议", "全体成员单位会议", "区", None, D(2026, 1, 10), "王总", "区教育局，D02;消防救援大队；河口镇", None, 5)]
    assert load(builders.xlsx(tmp_path / "m.xlsx", MEETING_HEADERS, rows)).files[0].loaded == 2
    assert query("select meeting_id, level, town_code, attendee_count from meetings order by 1") == [("M1", "镇", "T01", 2), ("M2", "区", None, 4)]
    assert query("select unit_code, unit_kind from meeting_attendance where meeting_id = 'M2' order by 1") == [
        ("D01", "department"), ("D02", "department"), ("D03", "department"), ("T02", "town")
    ]


def test_a_town_meeting_needs_its_town(load, query, tmp_path):
    f = builders.xlsx(tmp_path / "m.xlsx", MEETING_HEADERS, [meeting(town=None)])
    assert load(f).files[0].rejected == 1
    assert reasons(query)[0][1:] == ("所属镇", "层级为「镇」的会议必须填写所属镇")


def test_meeting_type_and_date_are_required(load, query, tmp_path):
    f = builders.xlsx(tmp_path / "m.xlsx", MEETING_HEADERS, [meeting(kind=None), meeting("M2", date=None)])
    assert load(f).files[0].rejected == 2
    assert [r[1] for r in reasons(query)] == ["会议类型", "召开日期"]


def test_an_attendee_not_in_the_registry_is_a_warning_not_a_rejection(load, query, tmp_path):
    # SPEC §2.1: an unknown name that looks like a unit is listed as a warning; the meeting loads.
    f = builders.xlsx(tmp_path / "m.xlsx", MEETING_HEADERS, [meeting(attendees="区教育局、区外星局、各校校长")])
    assert load(f).files[0].loaded == 1
    assert query("select attendee_count from meetings") == [(1,)]
    assert query('select "column", value from raw_warnings') == [("attendees", "区外星局")]


def test_meeting_level_is_inferred_when_left_blank(load, query, tmp_path):
    rows = [meeting(level=None), meeting("M2", kind="专题会议", level=None, town=None)]
    load(builders.xlsx(tmp_path / "m.xlsx", MEETING_HEADERS, rows))
    assert query("select meeting_id, level from meetings order by 1") == [("M1", "镇"), ("M2", "区")]


# ---- registry ----

def test_the_registry_workbook_is_known_by_its_sheets_and_loads_every_table(warehouse, query, tmp_path):
    from pipelines.publish import ingest

    result = ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
    assert result.files[0].kinds == ["registry"]
    assert query("select (select count(*) from towns), (select count(*) from villages), (select count(*) from schools), "
                 "(select count(*) from departments), (select district_name from district)") == [(2, 3, 4, 3, "青溪区")]


def test_the_registry_loads_before_records_given_in_the_same_call(warehouse, query, tmp_path):
    from pipelines.publish import ingest

    ledger = builders.xlsx(tmp_path / "a-first.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")])
    registry = builders.registry_workbook(tmp_path / "z-registry.xlsx")
    result = ingest([ledger, registry], warehouse)
    assert [f.loaded for f in result.files] == [1, 13]
    assert query("select hazard_id from hazards") == [("H1",)]


def test_registry_rows_are_checked(warehouse, query, tmp_path):
    from pipelines.publish import ingest

    tables = {k: list(v) for k, v in builders.SMALL_REGISTRY.items()}
    tables["学校"] = tables["学校"] + [
        ["S09", "某学校", "大学", "公办", "T01", None, 10, None, None],  # not a school type of the plan
        ["S10", "某小学", "小学", "公办", "T99", None, 10, None, None],  # unknown town
        ["S11", "某幼儿园", "幼儿园", "公办", "T01", "V03", 10, None, None],  # village of another town
        ["S12", "某初中", "初中", "公办", "T01", None, 10, 200, None],  # latitude out of range
    ]
    result = ingest([builders.registry_workbook(tmp_path / "r.xlsx", tables)], warehouse)
    assert result.files[0].rejected == 4
    assert [r[0] for r in query('select "column" from rejected_rows order by "row"')] == ["学校类型", "镇代码", "村代码", "纬度"]


def test_a_later_registry_updates_rows_by_code_and_keeps_the_others(load, query, tmp_path):
    tables = {"学校": [["S01", "城关镇第一小学（新校区）", "小学", "公办", "T01", "V01", 650, None, None],
                      ["S05", "城关镇第二小学", "小学", "公办", "T01", "V01", 300, None, None]]}
    load(builders.registry_workbook(tmp_path / "update.xlsx", tables))
    assert query("select school_code, school_name, students from schools order by 1") == [
        ("S01", "城关镇第一小学（新校区）", 650), ("S02", "中心幼儿园", 150), ("S03", "中心幼儿园", 90),
        ("S04", "河口镇初级中学", 800), ("S05", "城关镇第二小学", 300),
    ]
