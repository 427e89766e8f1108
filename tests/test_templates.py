"""`xiaoan template`: blank ledgers with the contract's headers, an instruction sheet, dropdowns
from the vocabularies and the loaded registry, date columns — and a filled template always
loads with zero rejections (filled with openpyxl, every value picked from the dropdown the
template itself offers)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipelines import contract as k
from pipelines.publish import ZERO_REPORT, ingest
from pipelines.templates import template_paths, write_templates
from tests import builders
from xiaoan.i18n import t
from xiaoan_cli.app import app

D = dt.date


@pytest.fixture(scope="module")
def small_templates(registry_warehouse, tmp_path_factory) -> Path:
    """The blank ledgers of the small district (two kindergartens share the name 中心幼儿园)."""
    out = tmp_path_factory.mktemp("templates")
    write_templates(out, registry_warehouse / "warehouse.duckdb", today=D(2026, 11, 1))
    return out


# ---------------------------------------------------------------- reading a template back


def dropdowns(book: openpyxl.Workbook, sheet: str) -> dict[str, list[str]]:
    """{header: the values its dropdown offers} for one data sheet, read from the workbook's
    own data validations and the ranges they point at."""
    ws = book[sheet]
    headers = {cell.column_letter: cell.value for cell in ws[1]}
    out = {}
    for validation in ws.data_validations.dataValidation:
        if validation.type != "list":
            continue
        source = re.fullmatch(r"=?'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", validation.formula1)
        assert source, validation.formula1
        name, col, first, _, last = source.groups()
        values = [book[name][f"{col}{r}"].value for r in range(int(first), int(last) + 1)]
        letter = re.match(r"[A-Z]+", str(validation.sqref)).group()
        out[headers[letter]] = [str(v) for v in values if v not in (None, "")]
    return out


def fill(ws, rows: list[dict[str, object]]) -> None:
    """Write rows under the header, each a {header: value} dict, as a clerk would."""
    columns = {cell.value: cell.column for cell in ws[1]}
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            if value is not None:
                ws.cell(row=r, column=columns[header], value=value)


def assert_loads_whole(result, rows: int) -> None:
    """Every file read and nothing rejected; a file of which no row was loaded is never said to be
    loaded (SPEC §2.1): a blank ledger is a zero report (零报告), a blank registry has no data rows."""
    for f in result.files:
        blank = ZERO_REPORT if f.kinds != ["registry"] else "nothing"
        assert (f.status, f.rejected) == ("loaded" if f.loaded else blank, 0), \
            (Path(f.file).name, f.status, f.rejected, f.message)
    assert sum(f.loaded for f in result.files) == rows


# ---------------------------------------------------------------- the blank ledgers


def test_every_ledger_has_the_contract_headers_instructions_and_a_hidden_list_sheet(small_templates):
    expected = {"基础信息表.xlsx": [k.DISTRICT, k.TOWNS, k.VILLAGES, k.SCHOOLS, k.DEPARTMENTS],
                "隐患台账.xlsx": [k.HAZARDS], "检查记录.xlsx": [k.INSPECTIONS], "会议记录.xlsx": [k.MEETINGS]}
    assert sorted(p.name for p in small_templates.iterdir()) == sorted(expected)
    for name, kinds in expected.items():
        book = openpyxl.load_workbook(small_templates / name)
        assert book.sheetnames == [kind.zh for kind in kinds] + [k.INSTRUCTIONS_SHEET, k.LISTS_SHEET]
        assert book[k.LISTS_SHEET].sheet_state == "hidden"
        for kind in kinds:
            ws = book[kind.zh]
            assert [c.value for c in ws[1]] == [c.zh for c in kind.columns]
            red = {c.value for c in ws[1] if c.font.color is not None and c.font.color.rgb == "FFC00000"}
            assert red == {c.zh for c in kind.columns if c.required}
        notes = "\n".join(str(v) for row in book[k.INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v)
        assert "填表说明" in notes and all(c.zh in notes for kind in kinds for c in kind.columns)


def test_dropdowns_offer_the_vocabularies_and_the_registry(small_templates):
    book = openpyxl.load_workbook(small_templates / "隐患台账.xlsx")
    lists = dropdowns(book, k.HAZARDS.zh)
    assert lists["隐患类别"] == list(k.CATEGORIES)
    assert lists["隐患等级"] == ["一般", "较大", "重大"]
    assert lists["整改状态"] == ["未整改", "整改中", "已整改", "已销号"]
    assert lists["所属镇"] == ["城关镇", "河口镇"]
    assert lists["责任单位"] == lists["发现单位"] == ["区教育局", "青溪公安分局", "消防救援大队"]
    # 中心幼儿园 is the name of a school in each town: offered by code, so it can never be ambiguous.
    assert lists["学校"] == ["城关镇第一小学", "S02", "S03", "河口镇初级中学"]
    meetings = dropdowns(openpyxl.load_workbook(small_templates / "会议记录.xlsx"), k.MEETINGS.zh)
    assert meetings["会议类型"] == list(k.MEETING_TYPES) and meetings["层级"] == ["区", "镇"]
    assert meetings["参会单位"] == ["区教育局", "青溪公安分局", "消防救援大队", "城关镇", "河口镇"]
    inspections = dropdowns(openpyxl.load_workbook(small_templates / "检查记录.xlsx"), k.INSPECTIONS.zh)
    assert inspections["检查类型"] == list(k.INSPECTION_TYPES)


def test_vocabularies_refuse_other_words_registry_lists_only_warn_and_attendees_take_several(small_templates):
    ws = openpyxl.load_workbook(small_templates / "会议记录.xlsx")[k.MEETINGS.zh]
    headers = {cell.column_letter: cell.value for cell in ws[1]}
    checks = {headers[str(v.sqref)[0]]: v for v in ws.data_validations.dataValidation if v.type == "list"}
    assert checks["会议类型"].errorStyle in (None, "stop") and checks["会议类型"].showErrorMessage
    assert checks["所属镇"].errorStyle == "warning"  # a town code typed by hand is fine too
    assert not checks["参会单位"].showErrorMessage  # 区教育局、消防救援大队 is not one list entry, and is right


def test_date_columns_are_formatted_as_dates_and_codes_as_text(small_templates):
    ws = openpyxl.load_workbook(small_templates / "隐患台账.xlsx")[k.HAZARDS.zh]
    letters = {cell.value: cell.column_letter for cell in ws[1]}
    checks = {str(v.sqref)[0]: v for v in ws.data_validations.dataValidation if v.type}

    def column_format(header: str) -> str:  # adjacent columns of one format share a <col> range
        index = openpyxl.utils.column_index_from_string(letters[header])
        return next(d.number_format for d in ws.column_dimensions.values() if d.min <= index <= d.max)

    for header in ("发现日期", "整改时限", "整改完成日期", "销号日期", "填报日期"):
        assert column_format(header) == "yyyy-mm-dd", header
        assert checks[letters[header]].type == "date", header
    assert column_format("隐患编号") == "@"  # leading zeros stay


def test_without_a_registry_only_the_vocabularies_get_dropdowns(tmp_path):
    write_templates(tmp_path, tmp_path / "no-warehouse.duckdb")
    lists = dropdowns(openpyxl.load_workbook(tmp_path / "隐患台账.xlsx"), k.HAZARDS.zh)
    assert set(lists) == {"隐患类别", "隐患等级", "整改状态"}
    notes = [v for row in openpyxl.load_workbook(tmp_path / "隐患台账.xlsx")[k.INSTRUCTIONS_SHEET].iter_rows(values_only=True)
             for v in row if v]
    assert any("尚未导入基础信息表" in str(v) for v in notes)


def test_blank_ledgers_load_as_nothing_and_reject_nothing(small_templates, tmp_path):
    result = ingest([small_templates], tmp_path / "wh" / "warehouse.duckdb")
    assert_loads_whole(result, 0)


def test_the_command_writes_refuses_to_overwrite_and_says_why_in_one_line(registry_warehouse, tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    runner = CliRunner()
    args = ["template", "--warehouse", str(registry_warehouse / "warehouse.duckdb"), "--out", str(tmp_path)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert all(p.exists() for p in template_paths(tmp_path)) and "隐患台账.xlsx" in first.stdout
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and again.stderr.count("\n") == 1 and t("tpl.cli.exists", path=template_paths(tmp_path)[0]) in again.stderr
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    bare = runner.invoke(app, ["template", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "b")])
    assert bare.exit_code == 0 and t("tpl.cli.no_registry", path=(tmp_path / "none.duckdb").resolve()) in bare.stderr


# ---------------------------------------------------------------- filled templates load whole

# The small registry (tests/builders.py), independently of the templates: each school's town.
SCHOOL_TOWN = {row[0]: row[4] for row in builders.SMALL_REGISTRY["学校"]}
TOWN_NAME = {row[0]: row[1] for row in builders.SMALL_REGISTRY["镇"]}
SCHOOL_CODE = {**{row[0]: row[0] for row in builders.SMALL_REGISTRY["学校"]},
               **{row[1]: row[0] for row in builders.SMALL_REGISTRY["学校"]}}
DAYS = st.dates(D(2024, 1, 1), D(2026, 10, 31))


@st.composite
def hazard_row(draw, lists, n: int) -> dict:
    school = draw(st.sampled_from(lists["学校"]))
    town = TOWN_NAME[SCHOOL_TOWN[SCHOOL_CODE[school]]]
    found = draw(DAYS)
    status = draw(st.sampled_from(lists["整改状态"]))
    rectified = found + dt.timedelta(days=draw(st.integers(0, 60))) if status in ("已整改", "已销号") else None
    closed = rectified + dt.timedelta(days=draw(st.integers(0, 30))) if status == "已销号" else None
    return {
        "隐患编号": f"T-{n:04d}", "学校": school, "所属镇": draw(st.sampled_from([None, town])),
        "隐患类别": draw(st.sampled_from(lists["隐患类别"])), "隐患等级": draw(st.sampled_from(lists["隐患等级"])),
        "隐患描述": draw(st.sampled_from(["灭火器过期", "围墙开裂", "=1+1", None])), "发现日期": found,
        "发现单位": draw(st.sampled_from([None, *lists["发现单位"]])), "责任单位": draw(st.sampled_from(lists["责任单位"])),
        "整改时限": found + dt.timedelta(days=draw(st.integers(0, 90))), "整改措施": None, "整改状态": status,
        "整改完成日期": rectified, "销号日期": closed,
        "填报日期": draw(st.sampled_from([None, max(d for d in (found, rectified, closed) if d)])),
    }


@st.composite
def inspection_row(draw, lists, n: int) -> dict:
    return {
        "检查编号": draw(st.sampled_from([None, f"J{n:05d}"])), "检查日期": draw(DAYS),
        "检查单位": draw(st.sampled_from(lists["检查单位"])), "学校": draw(st.sampled_from(lists["学校"])),
        "检查类型": draw(st.sampled_from(lists["检查类型"])), "检查类别": draw(st.sampled_from([None, *lists["检查类别"]])),
        "检查人员": "张三、李四", "发现隐患数": draw(st.integers(0, 9)),
        "检查得分": draw(st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100).map(lambda x: round(x, 1)))),
    }


@st.composite
def meeting_row(draw, lists, n: int) -> dict:
    kind = draw(st.sampled_from(lists["会议类型"]))
    level = draw(st.sampled_from([None, *lists["层级"]]))
    town_needed = level == "镇" or (level is None and kind == "例会")
    town = draw(st.sampled_from(lists["所属镇"])) if town_needed else None
    attendees = draw(st.lists(st.sampled_from(lists["参会单位"]), min_size=0, max_size=3, unique=True))
    return {
        "会议编号": f"M{n:04d}", "会议名称": f"第{n}次会议", "会议类型": kind, "层级": level, "所属镇": town,
        "召开日期": draw(DAYS), "主持人": "王总", "参会单位": "、".join(attendees) or None, "议题": "安全工作",
        "议定事项数": draw(st.one_of(st.none(), st.integers(0, 12))),
    }


@given(data=st.data())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
def test_a_template_filled_from_its_dropdowns_always_loads_with_zero_rejections(data, small_templates, registry_warehouse):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(registry_warehouse, folder / "wh")
        files, total = [], 0
        for name, sheet, row in (("隐患台账.xlsx", k.HAZARDS.zh, hazard_row), ("检查记录.xlsx", k.INSPECTIONS.zh, inspection_row),
                                 ("会议记录.xlsx", k.MEETINGS.zh, meeting_row)):
            book = openpyxl.load_workbook(small_templates / name)
            lists = dropdowns(book, sheet)
            count = data.draw(st.integers(1, 8), label=f"{sheet} rows")
            fill(book[sheet], [data.draw(row(lists, n), label=sheet) for n in range(count)])
            book.save(folder / name)
            files.append(folder / name)
            total += count
        result = ingest(files, folder / "wh" / "warehouse.duckdb", D(2026, 11, 1))
        assert_loads_whole(result, total)


def test_a_registry_filled_in_its_template_loads_and_feeds_the_next_templates(tmp_path):
    write_templates(tmp_path / "blank", None)
    book = openpyxl.load_workbook(tmp_path / "blank" / "基础信息表.xlsx")
    fill(book["区"], [{"区名称": "新区", "总校长": "钱区长"}])
    fill(book["镇"], [{"镇代码": "N01", "镇名称": "东镇", "总校长": "甲"}, {"镇代码": "N02", "镇名称": "西镇"}])
    town_codes = dropdowns(book, "村社区")["镇代码"]
    assert town_codes == ["N01", "N02"]  # the dropdown reads the 镇 sheet of the same workbook
    fill(book["村社区"], [{"村代码": f"C{i}", "村名称": f"村{i}", "镇代码": code} for i, code in enumerate(town_codes)])
    schools = dropdowns(book, "学校")
    assert schools["村代码"] == ["C0", "C1"] and schools["学校类型"] == list(k.SCHOOL_TYPES)
    fill(book["学校"], [
        {"学校代码": "X01", "学校名称": "东镇小学", "学校类型": "小学", "办学性质": "公办", "镇代码": "N01", "村代码": "C0",
         "在校生数": 420, "纬度": 30.1, "经度": 110.2},
        {"学校代码": "X02", "学校名称": "西镇幼儿园", "学校类型": schools["学校类型"][0], "办学性质": schools["办学性质"][1],
         "镇代码": "N02", "村代码": "C1"},
    ])
    fill(book["成员单位"], [{"单位代码": "B01", "单位名称": "区教育局", "成员": "赵", "联络员": "钱", "联系电话": "0774-1234567"}])
    book.save(tmp_path / "基础信息表.xlsx")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    assert_loads_whole(ingest([tmp_path / "基础信息表.xlsx"], warehouse), 1 + 2 + 2 + 2 + 1)
    # the registry is known by its sheets, not its name: one kept as 登记册.xlsx (the template's old name) loads too
    (tmp_path / "old").mkdir()
    book.save(tmp_path / "old" / "登记册.xlsx")
    old = ingest([tmp_path / "old" / "登记册.xlsx"], tmp_path / "old" / "wh" / "warehouse.duckdb")
    assert [f.kinds for f in old.files] == [["registry"]]
    assert_loads_whole(old, 1 + 2 + 2 + 2 + 1)
    write_templates(tmp_path / "next", warehouse)
    lists = dropdowns(openpyxl.load_workbook(tmp_path / "next" / "隐患台账.xlsx"), k.HAZARDS.zh)
    assert lists["学校"] == ["东镇小学", "西镇幼儿园"] and lists["所属镇"] == ["东镇", "西镇"] and lists["责任单位"] == ["区教育局"]


def test_the_lists_sheet_is_never_read_as_data(small_templates, tmp_path):
    """Even a lists sheet whose values look like headers (层级: 区, 镇) is passed over by name."""
    book = openpyxl.load_workbook(small_templates / "会议记录.xlsx")
    book[k.LISTS_SHEET].append(["会议类型", "召开日期"])  # would read as a meetings header anywhere else
    book.save(tmp_path / "会议记录.xlsx")
    assert_loads_whole(ingest([tmp_path / "会议记录.xlsx"], tmp_path / "wh" / "warehouse.duckdb"), 0)
