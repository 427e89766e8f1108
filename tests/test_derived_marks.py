"""Derived values are told apart from typed ones (SPEC §2.1): a hazard whose ledger had no
隐患等级 column shows 隐患等级（默认）in its 推断字段; a typed 重大 shows nothing there."""

from __future__ import annotations

import datetime as dt

import duckdb

from pipelines.publish import ingest
from tests import builders
from xiaoan.labels import for_display

HEADERS = ["序号", "学校名称", "问题隐患", "整改时限", "整改落实情况"]


def test_a_defaulted_level_is_marked_and_a_typed_one_is_not(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    real = builders.xlsx(tmp_path / "清单.xlsx", HEADERS, [[1, "城关镇第一小学", "灭火器过期", dt.date(2026, 3, 20), "正在整改"]])
    typed = builders.xlsx(tmp_path / "台账.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H9", level="重大")])
    wh = tmp_path / "w.duckdb"
    ingest([registry, real, typed], wh, report_date=dt.date(2026, 3, 31))
    con = duckdb.connect(str(wh), read_only=True)
    try:
        frame = con.sql("select hazard_id, level, derived from hazards_as_of('2026-04-30'::date) order by hazard_id").pl()
    finally:
        con.close()
    shown = {row["隐患编号"]: row for row in for_display(frame).to_dicts()}
    assert shown["H9"]["隐患等级"] == "重大" and shown["H9"]["系统推断项"] == ""
    (derived_id,) = [h for h in shown if h != "H9"]
    marks = shown[derived_id]["系统推断项"].split("、")
    assert shown[derived_id]["隐患等级"] == "一般"
    assert "隐患等级（默认）" in marks and "隐患类别（推断）" in marks and "隐患编号（推导）" in marks
    assert for_display(frame, "en").columns[-1] == "Derived by the system"
