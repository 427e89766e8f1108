"""A small district whose ledgers name people everywhere the contract lets them (责任人, 验收人,
检查人员, 主持人; the registry's 总校长, 成员, 联络员, 联系电话), with repeat hazards and 法治教育
visits: for tests/test_people_names.py (who sees which names) and tests/test_insights.py
(repeat hazards and 法治教育 on the pages).

Registry: tests/builders.SMALL_REGISTRY (T01: S01, S02; T02: S03, S04; units D01–D03).
As of 2026-03-31 over 2026-01-01 .. 2026-03-31 (the repeat window is the rules' 180 days):
  P1 S01 消防 D01 rectified 01-20 (verified) → P2 S01 消防 D02 found 02-10: a repeat whose earlier
     hazard is another unit's (D02 must not learn P1's id);
  P3 S03 食品 D03 rectified 02-01 → P4 S03 食品 D03 found 03-01: a repeat, open;
  P5 S02 交通 重大 D01 open; P6 S04 校舍 D02 销号 (verified); P9 at an unknown school (rejected,
     its 责任人 in the rejected row's cells).
  法治教育 (D02): S01 in spring 2026, S03 in spring 2026, S02 in autumn 2025.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

from pipelines.publish import ingest
from tests import builders
from tests.test_dashboard_data import towns_geojson

D = dt.date
AS_OF = D(2026, 3, 31)
START = D(2026, 1, 1)

HEADERS = builders.HAZARD_HEADERS + ["责任人", "督办级别", "整改通知书编号", "延期至", "验收人", "验收日期", "验收结果"]


def _row(hazard_id, school, category, level, found, dept, deadline, status, *, rectified=None, closed=None,
         person=None, verifier=None, verified=None, result=None, report=AS_OF):
    return [*builders.hazard(hazard_id, school, category, level, found, dept, deadline, status, rectified, closed,
                             report=report, description=f"{hazard_id}隐患"),
            person, None, None, None, verifier, verified, result]


HAZARD_ROWS = [
    _row("P1", "S01", "消防安全", "一般", D(2026, 1, 5), "D01", D(2026, 1, 31), "已整改", rectified=D(2026, 1, 20),
         person="韩梅梅", verifier="苏晓明", verified=D(2026, 1, 25), result="通过"),
    _row("P2", "S01", "消防安全", "较大", D(2026, 2, 10), "D02", D(2026, 3, 10), "未整改", person="何建国"),
    _row("P3", "S03", "食品卫生", "一般", D(2026, 1, 10), "D03", D(2026, 2, 10), "已整改", rectified=D(2026, 2, 1),
         person="罗晓峰", verifier="苏晓明", verified=D(2026, 2, 5), result="通过"),
    _row("P4", "S03", "食品卫生", "一般", D(2026, 3, 1), "D03", D(2026, 4, 1), "整改中", person="罗晓峰"),
    _row("P5", "S02", "交通安全", "重大", D(2026, 3, 5), "D01", D(2026, 4, 5), "未整改", person="韩梅梅"),
    _row("P6", "S04", "校舍建筑", "一般", D(2026, 2, 1), "D02", D(2026, 3, 1), "已销号", rectified=D(2026, 2, 20),
         closed=D(2026, 2, 25), person="邵东升", verifier="苏晓明", verified=D(2026, 2, 24), result="通过"),
    _row("P9", "S99", "其他", "一般", D(2026, 3, 1), "D01", D(2026, 3, 31), "未整改", person="袁立新"),
]
INSPECTION_ROWS = [
    ["I1", D(2026, 2, 15), "D01", "S01", "日常检查", "消防安全", "唐国强、罗文", 1, 90],
    ["I2", D(2026, 3, 3), "D02", "S01", "法治教育", None, "潘志刚", 0, None],
    ["I3", D(2026, 3, 10), "D02", "S03", "法治教育", None, "潘志刚", 0, None],
    ["I4", D(2025, 10, 10), "D02", "S02", "法治教育", None, "潘志刚", 0, None],
    ["I5", D(2026, 3, 12), "D03", "S04", "专项检查", "消防安全", "邹凯", 1, 80],
]
MEETING_ROWS = [
    ["M1", "城关镇一月例会", "例会", "镇", "T01", D(2026, 1, 20), "曹建华", "D01、D02", "安全排查", 2],
    ["M2", "河口镇二月例会", "例会", "镇", "T02", D(2026, 2, 25), "严华", "D03", "食品安全", 1],
    ["M3", "全体成员单位会议", "全体成员单位会议", "区", None, D(2026, 3, 1), "顾明", "D01、D02、D03", "年度部署", 5],
]

# Names district viewers alone read (xiaoan.scope.PERSONAL_COLUMNS), as typed.
PERSONAL_NAMES = frozenset({
    "韩梅梅", "何建国", "罗晓峰", "邵东升", "袁立新",          # 责任人
    "苏晓明",                                                 # 验收人
    "唐国强", "罗文", "潘志刚", "邹凯",                       # 检查人员
    "曹建华", "严华", "顾明",                                 # 主持人
    *(v for row in builders.SMALL_REGISTRY["成员单位"] for v in row[2:]),  # 成员, 联络员, 联系电话
})
# The principals-in-chief (总校长) of the towns and villages: a town reads its own, a department none.
TOWN_PRINCIPALS = {"T01": {"李镇长", "张主任", "陈主任"}, "T02": {"赵镇长", "刘主任"}}


@functools.cache
def people_warehouse() -> Path:
    """The district above, built once per test process (its town map beside it)."""
    root = Path(tempfile.mkdtemp(prefix="xiaoan-people-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    files = root / "files"
    files.mkdir(parents=True)
    warehouse = root / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(files / "登记册.xlsx")], warehouse)
    result = ingest([builders.xlsx(files / "隐患台账.xlsx", HEADERS, HAZARD_ROWS),
                     builders.xlsx(files / "检查记录.xlsx", builders.INSPECTION_HEADERS, INSPECTION_ROWS),
                     builders.xlsx(files / "会议记录.xlsx", builders.MEETING_HEADERS, MEETING_ROWS)], warehouse)
    rejected = sum(f.rejected for f in result.files)
    assert rejected == 1, [(f.file, f.rejected, f.message) for f in result.files]  # P9 only
    towns_geojson(root / "towns.geojson")
    return warehouse


def map_file() -> Path:
    return people_warehouse().parent.parent / "towns.geojson"
