"""A hazard's identity without 隐患编号 (SPEC §2.1): the education bureau's district-wide list
(layout S01: 序号 / 学校名称 / 问题隐患 / 整改时限 / 整改落实情况) sent every month, the year's whole
list in each, the description retyped each time with other spacing and full-width punctuation.
The same hazard across three monthly ledgers is one hazard with three reports and its history
shows all three; reported open again after 已销号, it starts a new hazard (a repeat)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.publish import ingest, rebuild
from tests import real_layouts as rl
from tests.real_layouts import sample_registry_warehouse  # noqa: F401  (a session fixture)
from xiaoan.warehouse import open_read_only

MONTH_ENDS = (dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31))
# One hazard as the clerk typed it in August, September and October.
RETYPED = ("1号楼东侧楼梯扶手松动，存在安全隐患", "1号楼 东侧楼梯扶手松动 存在安全隐患。", "１号楼东侧楼梯扶手松动；存在安全隐患！")
OTHER = "门卫室玻璃破裂"


def _monthly(folder, month_end: dt.date, rows: list[list[str]]):
    """The S01 layout for one month, its rows given as typed."""
    item = {**rl.layout("S01"), "sample_rows": rows}
    return rl.build(item, folder, rl.Place(date=month_end)).path


def _load_months(tmp_path, registry_wh, monthly_rows: list[list[list[str]]]):
    warehouse = rl.copy_warehouse(registry_wh, tmp_path / "wh")
    for month_end, rows in zip(MONTH_ENDS, monthly_rows):
        path = _monthly(tmp_path / f"in-{month_end.month}", month_end, rows)
        result = ingest([path], warehouse, month_end)
        report = result.files[0]
        assert report.status == "loaded" and report.loaded == len(rows) and report.rejected == 0, report
    return warehouse


def _sql(warehouse, sql: str, **params):
    con = open_read_only(warehouse)
    try:
        return con.sql(sql, params=params or None).fetchall()
    finally:
        con.close()


def test_one_hazard_across_three_monthly_ledgers(tmp_path, sample_registry_warehouse):  # noqa: F811
    school = rl.SAMPLE_SCHOOL
    statuses = ("未整改", "整改中", "已整改")
    months = [[["1", school, RETYPED[i], "2026年9月15日", statuses[i]],
               ["2", school, OTHER, "2026年9月20日", "整改中" if i < 2 else "已整改"]] for i in range(3)]
    warehouse = _load_months(tmp_path, sample_registry_warehouse, months)
    code = rl.Place().school_code

    ids = _sql(warehouse, "select hazard_id, count(*) from hazard_reports where school_code = $s group by 1 order by 1",
               s=code)
    assert len(ids) == 2 and all(n == 3 for _, n in ids), ids
    assert all(hazard_id.startswith(code) for hazard_id, _ in ids), ids
    stair = _sql(warehouse, "select distinct hazard_id from hazard_reports where description like '%扶手%'")
    assert len(stair) == 1, stair
    stair_id = stair[0][0]

    history = _sql(warehouse, "select report_date, status, description from hazard_history($id)", id=stair_id)
    assert [(d, s) for d, s, _ in history] == list(zip(MONTH_ENDS, statuses)), history
    assert [text for *_, text in history] == list(RETYPED)  # each report keeps the text as typed
    current = _sql(warehouse, "select status, rectified_date, found_date from hazards where hazard_id = $id", id=stair_id)
    # 已整改 without 整改完成日期: the report date of the first report that says so; found date: the first report's.
    assert current == [("已整改", MONTH_ENDS[2], MONTH_ENDS[0])], current

    # The derived identity is stable across a rebuild from the archive.
    rebuild(warehouse)
    again = _sql(warehouse, "select hazard_id, count(*) from hazard_reports where school_code = $s group by 1 order by 1",
                 s=code)
    assert again == ids


def test_reopened_after_closing_is_a_new_hazard(tmp_path, sample_registry_warehouse):  # noqa: F811
    school = rl.SAMPLE_SCHOOL
    statuses = ("整改中", "已销号", "未整改")
    months = [[["1", school, RETYPED[i], "2026年9月15日", statuses[i]]] for i in range(3)]
    warehouse = _load_months(tmp_path, sample_registry_warehouse, months)

    rows = _sql(warehouse, "select hazard_id, report_date, status from hazard_reports order by report_date")
    first, second = rows[0][0], rows[2][0]
    assert rows[1][0] == first and second != first, rows
    assert [s for _, _, s in _sql(warehouse, "select * from (select hazard_id, report_date, status from "
                                   "hazard_history($id))", id=first)] == ["整改中", "已销号"]
    assert [(d, s) for _, d, s in _sql(warehouse, "select hazard_id, report_date, status from hazard_history($id)",
                                       id=second)] == [(MONTH_ENDS[2], "未整改")]
    states = dict(_sql(warehouse, "select hazard_id, status from hazards"))
    assert states == {first: "已销号", second: "未整改"}, states
    assert all(hazard_id.startswith(rl.Place().school_code) for hazard_id in states)


@pytest.mark.parametrize("retyped", [RETYPED[1], RETYPED[2], "1号楼东侧楼梯扶手松动,存在安全隐患", "1号楼东侧楼梯扶手松动　存在安全隐患"])
def test_retyped_description_in_one_ledger_is_a_duplicate(tmp_path, sample_registry_warehouse, retyped):  # noqa: F811
    """Two rows of one ledger with the same identity: the second is rejected as a duplicate (§2)."""
    warehouse = rl.copy_warehouse(sample_registry_warehouse, tmp_path / "wh")
    path = _monthly(tmp_path / "in", MONTH_ENDS[0], [["1", rl.SAMPLE_SCHOOL, RETYPED[0], "2026年9月15日", "未整改"],
                                                     ["2", rl.SAMPLE_SCHOOL, retyped, "2026年9月15日", "未整改"]])
    report = ingest([path], warehouse, MONTH_ENDS[0]).files[0]
    assert (report.loaded, report.rejected) == (1, 1), report
    assert _sql(warehouse, "select count(*) from hazard_reports") == [(1,)]
