"""SPEC §2.1/§2.2: the fields a real ledger lacks are derived, never a reason to reject a row, and
every derived value is listed in the hazard's `derived`; the cross-report parts (found date,
rectified/closed dates, a repeat after 已销号) are settled in the warehouse. Through real files."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.publish import rebuild
from tests import builders
from xiaoan.config import DEFAULT_RULES

D = dt.date
DISTRICT_LIST = ["序号", "学校名称", "问题隐患", "整改时限", "整改落实情况"]


def reports(query, where: str = "true"):
    return query(f"""select hazard_id, school_code, category, level, found_date, deadline, status, rectified_date,
                            closed_date, responsible_kind, responsible_code, responsible_dept_code, derived
                     from hazard_reports where {where} order by report_date, "row" """)


def test_a_district_list_without_id_category_level_dates_or_unit_loads_every_row_derived(load, query, tmp_path):
    rows = [
        [1, "城关镇第一小学", "教学楼楼梯扶手松动", "2026年3月31日前", "整改中"],
        [2, "河口镇初级中学", "食堂灭火器过期", "7日内", "80%"],
        [3, "城关镇第一小学", "门卫室无防护器械", "立即整改", "100%"],
        [4, "S04", "值班记录不全", "15天内", "未开始"],
    ]
    f = builders.xlsx(tmp_path / "问题隐患清单.xlsx", DISTRICT_LIST, rows, title="全区学校问题隐患清单")
    result = load(f, report_date=D(2026, 3, 15)).files[0]
    assert (result.loaded, result.rejected) == (4, 0)
    got = reports(query)
    ids = [r[0] for r in got]
    assert [i.split("-")[0] for i in ids] == ["S01", "S04", "S01", "S04"] and len(set(ids)) == 4
    assert all(len(i.split("-")[1]) == 12 for i in ids)
    # category: the first keyword table entry that occurs (消防 before 食堂), else 其他
    assert [r[2] for r in got] == ["校舍建筑", "消防安全", "治安防范", "其他"]
    assert {r[3] for r in got} == {"一般"}
    # found date = min(report date, dates typed); deadline forms: 前, N日内, 立即整改, N天内
    assert [(r[4], r[5]) for r in got] == [
        (D(2026, 3, 15), D(2026, 3, 31)), (D(2026, 3, 15), D(2026, 3, 22)), (D(2026, 3, 15), D(2026, 3, 15)),
        (D(2026, 3, 15), D(2026, 3, 30))]
    assert [r[6] for r in got] == ["整改中", "整改中", "已整改", "未整改"]
    assert got[2][7] == D(2026, 3, 15)  # 已整改 without a date column: the report's date
    assert {(r[9], r[10], r[11]) for r in got} == {("school", "S01", None), ("school", "S04", None)}
    assert got[0][12] == ["hazard_id", "category", "level", "found_date", "responsible"]
    # 立即整改 counts from the found date, itself derived: the deadline is derived too
    assert got[2][12] == ["hazard_id", "category", "level", "found_date", "deadline", "responsible", "rectified_date"]
    assert "deadline" in got[1][12] and "deadline" not in got[0][12]  # 7日内 derived; 3月31日前 typed
    # The same ledger loaded into a fresh warehouse gives the same ids (a hash, not a counter).
    assert query("select count(*) from hazards where derived is not null")[0][0] == 4


def test_a_relative_deadline_counts_from_the_hazards_earliest_found_date(load, query, tmp_path):
    # No 发现日期 column: each monthly report's found date is derived (its report date), and the
    # hazard's is the earliest. "7日内" counts from that date in every report, not from each
    # report's own date (SPEC §2.1: the found date of a hazard is its first report's).
    LIST = ["序号", "学校名称", "问题隐患", "整改时限", "整改落实情况"]
    march = builders.xlsx(tmp_path / "三月.xlsx", LIST, [[1, "城关镇第一小学", "食堂灭火器过期", "7日内", "未整改"]])
    april = builders.xlsx(tmp_path / "四月.xlsx", LIST, [[1, "城关镇第一小学", "食堂灭火器过期", "7日内", "整改中"]])
    for f, day in ((march, D(2026, 3, 15)), (april, D(2026, 4, 15))):
        assert load(f, report_date=day).files[0].rejected == 0
    got = query("select hazard_id, found_date, deadline from hazard_reports order by report_date")
    assert len({r[0] for r in got}) == 1
    assert [r[1:] for r in got] == [(D(2026, 3, 15), D(2026, 3, 22))] * 2


def test_the_derived_id_is_stable_and_ignores_spacing_and_full_width_punctuation(load, query, tmp_path):
    MONTHLY = ["序号", "学校名称", "问题隐患", "整改落实情况"]
    march = builders.xlsx(tmp_path / "三月.xlsx", MONTHLY, [[1, "城关镇第一小学", "教学楼楼梯扶手松动，需加固。", "未整改"]])
    april = builders.xlsx(tmp_path / "四月.xlsx", MONTHLY, [[1, "城关镇第一小学", " 教学楼 楼梯扶手松动,需加固 ", "整改中"]])
    may = builders.xlsx(tmp_path / "五月.xlsx", MONTHLY, [[1, "城关镇第一小学", "教学楼楼梯扶手松动；需加固", "已销号"]])
    june = builders.xlsx(tmp_path / "六月.xlsx", MONTHLY, [[1, "城关镇第一小学", "教学楼楼梯扶手松动,需加固", "未整改"]])
    for f, day in ((march, D(2026, 3, 31)), (april, D(2026, 4, 30)), (may, D(2026, 5, 31)), (june, D(2026, 6, 30))):
        assert load(f, report_date=day).files[0].rejected == 0
    got = query("select hazard_id, report_date, status, found_date, deadline, rectified_date, closed_date "
                "from hazard_reports order by report_date")
    first, repeat = got[0][0], got[3][0]
    assert [r[0] for r in got[:3]] == [first] * 3  # one hazard, three reports
    assert repeat == first + "-R1"  # open again after 已销号: a new hazard (a repeat)
    # found date: the earliest report; rectified/closed: the first report that says so
    assert {r[3] for r in got[:3]} == {D(2026, 3, 31)}
    assert {r[4] for r in got[:3]} == {D(2026, 4, 30)}  # found + 30 days (一般)
    assert got[2][5:] == (D(2026, 5, 31), D(2026, 5, 31))
    assert got[3][3] == D(2026, 6, 30)
    assert query("select report_count, status from hazards where hazard_id = ?", first) == [(3, "已销号")]


def test_a_typed_grave_level_and_a_defaulted_general_are_told_apart(load, query, tmp_path):
    typed = builders.xlsx(tmp_path / "排查.xlsx", ["排查区域", "学校", "现状描述", "隐患等级", "整改建议", "责任人", "完成时限"],
                          [["教学楼", "S01", "教学楼外墙瓷砖脱落", "重大隐患", "设置警戒", "张三", "2026-03-20"]])
    plain = builders.xlsx(tmp_path / "清单.xlsx", DISTRICT_LIST, [[1, "S04", "宿舍楼吊顶破损", "2026-03-25", "整改中"]])
    load(typed, plain, report_date=D(2026, 3, 10))
    got = dict(query("select school_code, struct_pack(level, derived, responsible_person, deadline) from hazards"))
    assert got["S01"]["level"] == "重大" and "level" not in got["S01"]["derived"]
    assert got["S01"]["responsible_person"] == "张三" and got["S01"]["deadline"] == D(2026, 3, 20)
    assert got["S04"]["level"] == "一般" and "level" in got["S04"]["derived"]


def test_a_responsible_unit_may_be_a_department_town_village_or_the_school(load, query, tmp_path):
    headers = ["学校", "隐患描述", "发现日期", "责任单位", "整改时限", "整改状态"]
    rows = [["S01", f"问题{i}", "2026-03-01", unit, "2026-03-31", "未整改"]
            for i, unit in enumerate(["区教育局", "城关镇", "东村", "河口镇初级中学", "本校", "火星局"])]
    result = load(builders.xlsx(tmp_path / "h.xlsx", headers, rows)).files[0]
    assert (result.loaded, result.rejected) == (5, 1)
    got = query("select responsible_kind, responsible_code, responsible_dept_code, derived from hazards order by description")
    assert [g[:3] for g in got] == [("department", "D01", "D01"), ("town", "T01", None), ("village", "V01", None),
                                   ("school", "S04", None), ("school", "S01", None)]
    assert got[0][3] == ["hazard_id", "category", "level"]  # a typed 责任单位 is not derived
    [(column, reason)] = query('select "column", reason from rejected_rows')
    assert column == "责任单位" and "火星局" in reason


def test_a_present_column_left_empty_is_still_rejected(load, query, tmp_path):
    headers = ["学校", "隐患描述", "隐患等级", "整改状态"]
    result = load(builders.xlsx(tmp_path / "h.xlsx", headers, [["S01", "插座破损", None, "未整改"],
                                                             ["S01", None, "一般", "未整改"]])).files[0]
    assert (result.loaded, result.rejected) == (0, 2)
    reasons = [r[0] for r in query('select reason from rejected_rows order by "row"')]
    assert "「隐患等级」为必填项" in reasons[0] and "「隐患描述」为必填项" in reasons[1]


def test_closed_loop_columns_and_their_words(load, query, tmp_path):
    headers = ["学校", "隐患描述", "发现日期", "整改时限", "督办级别", "整改通知书编号", "延期至", "验收人", "验收日期", "复查情况"]
    rows = [
        ["S01", "消防通道堵塞", "2026-03-01", "2026-03-10", "区级挂牌", "青教督〔2026〕3号", "2026-03-20", "李四", "2026-03-18", "合格"],
        ["S01", "电线老化", "2026-03-01", "2026-03-10", "镇级", None, None, "王五", "2026-03-18", "未达标，需二次整改"],
        ["S01", "围栏缺失", "2026-03-01", "2026-03-10", None, None, "2026-03-05", None, None, None],
        ["S01", "监控损坏", "2026-03-01", "2026-03-10", None, None, None, None, "不是日期", "看情况"],
    ]
    result = load(builders.xlsx(tmp_path / "h.xlsx", headers, rows), report_date=D(2026, 3, 31)).files[0]
    assert (result.loaded, result.rejected) == (2, 2)
    got = query("select description, status, rectified_date, supervision, notice_no, extended_deadline, verifier, "
                "verified_date, verification, derived from hazards order by description")
    assert got[0][:9] == ("消防通道堵塞", "已整改", D(2026, 3, 31), "区级挂牌", "青教督〔2026〕3号", D(2026, 3, 20), "李四",
                          D(2026, 3, 18), "通过")
    assert "status" in got[0][9] and "rectified_date" in got[0][9]
    assert got[1][:2] == ("电线老化", "未整改") and got[1][3] == "镇级挂牌" and got[1][8] == "不通过"
    reasons = dict(query('select "row", reason from rejected_rows'))
    assert "延期至早于整改时限" in reasons[4]
    assert "验收日期" in reasons[5] and "看情况" in reasons[5]


def test_the_office_value_map_and_school_short_names_apply_before_the_vocabulary(load, query, tmp_path, monkeypatch):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[values.status]\n"已处理好" = "已整改"\n\n[schools]\n"城一小" = "S01"\n', encoding="utf-8")
    monkeypatch.setenv("XIAOAN_MAPPING", str(mapping))
    rows = [[1, "城一小", "玩具破损", "2026-03-20", "已处理好"], [2, "城一小", "塑胶跑道起皮", "2026-03-20", "轻微"]]
    result = load(builders.xlsx(tmp_path / "h.xlsx", DISTRICT_LIST, rows), report_date=D(2026, 3, 15)).files[0]
    assert (result.loaded, result.rejected) == (1, 1)
    assert query("select school_code, category, status from hazards") == [("S01", "设施设备", "已整改")]
    [(reason,)] = query("select reason from rejected_rows")
    assert "轻微" in reason and "「整改落实情况」" in reason  # the clerk's own header (SPEC §2.1)


def test_rebuild_derives_again_with_the_rules_in_force(load, query, tmp_path, monkeypatch, warehouse):
    rules = tmp_path / "rules.toml"
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(rules))
    f = builders.xlsx(tmp_path / "h.xlsx", ["学校", "隐患描述", "发现日期", "整改状态"], [["S01", "墙面开裂", "2026-03-01", "未整改"]])
    load(f)
    assert query("select deadline, derived from hazards") == [(D(2026, 3, 31), ["hazard_id", "category", "level", "deadline", "responsible"])]
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8").replace('"一般" = 30', '"一般" = 10'), encoding="utf-8")
    rebuild(warehouse)
    assert query("select deadline from hazards") == [(D(2026, 3, 11),)]


@pytest.mark.parametrize("typed, category", [("消防设施", "消防安全"), ("食物、饮用水安全", "食品卫生"), ("校园及周边安全", "周边环境"),
                                             ("安全保卫", "治安防范"), ("用电安全", "设施设备")])
def test_category_synonyms_of_real_ledgers(typed, category):
    import polars as pl

    from pipelines import contract
    from pipelines.ingest.normalize import parse_vocabulary
    assert pl.select(parse_vocabulary(pl.lit(typed), contract.CATEGORIES)).item() == category


def test_a_unit_name_two_kinds_share_is_ambiguous_not_guessed():
    import polars as pl

    from pipelines.ingest.resolve import Registry, any_unit_lookup, resolve_unit
    frame = lambda rows, cols: pl.DataFrame(rows, schema=cols, orient="row")  # noqa: E731
    reg = Registry("青溪区", frame([["T01", "城关镇"]], ["code", "name"]),
                   frame([["V01", "城关镇"], ["V02", "东村"]], ["code", "name", "town_code"][:2]).with_columns(town_code=pl.lit("T01")),
                   frame([["S01", "城关镇第一小学", "T01"]], ["code", "name", "town_code"]),
                   frame([["D01", "区教育局"]], ["code", "name"]))
    rows = pl.DataFrame({"unit": ["城关镇", "东村", "教育局", "S01", "T01", None]})
    got = resolve_unit(rows, "unit", any_unit_lookup(reg), "r")
    assert got.select("r_kind", "r_code", "r_ambiguous").rows() == [
        (None, None, True), ("village", "V02", False), ("department", "D01", False), ("school", "S01", False),
        ("town", "T01", False), (None, None, False)]
