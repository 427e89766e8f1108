"""A small hand-made district for the metric and export tests: the SMALL_REGISTRY of
tests/builders.py (towns T01: S01 小学, S02 幼儿园; T02: S03 幼儿园, S04 初中; units D01–D03)
plus the hazard, inspection and meeting ledgers below, loaded through real ingestion.

The tests compute every expected number by hand from these rows; the comments say what each
row is there for. A = 2026-03-31, period = 2026-01-01 .. 2026-03-31 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipelines.publish import ingest
from tests import builders
from xiaoan.config import DEFAULT_RULES
from xiaoan.metrics import Filters, Metrics
from xiaoan.warehouse import open_read_only

D = dt.date
A = D(2026, 3, 31)
F = Filters(as_of=A)

HAZARD_ROWS = [
    # H1 S01 消防 一般 D01: open in January, rectified 02-05 (on time, 26 days), reported 02-28.
    builders.hazard("H1", "S01", "消防安全", "一般", D(2026, 1, 10), "D01", D(2026, 2, 10), report=D(2026, 1, 31)),
    builders.hazard("H1", "S01", "消防安全", "一般", D(2026, 1, 10), "D01", D(2026, 2, 10), "已整改",
                    rectified=D(2026, 2, 5), report=D(2026, 2, 28)),
    # H2 S03 消防 重大 D02: open, overdue since 02-15 (44 days at A): risk 10 × 2.
    builders.hazard("H2", "S03", "消防安全", "重大", D(2026, 2, 1), "D02", D(2026, 2, 15), report=D(2026, 2, 28)),
    # H3 S04 交通 较大 D02: rectified 03-05 (4 days, on time) and closed (销号) 03-06.
    builders.hazard("H3", "S04", "交通安全", "较大", D(2026, 3, 1), "D02", D(2026, 4, 30), "已销号",
                    rectified=D(2026, 3, 5), closed=D(2026, 3, 6), report=D(2026, 3, 31)),
    # H4 S02 食品 较大 D01: 整改中 on 03-15; a report AFTER A says rectified 04-05. As of A: open,
    # overdue 11 days (deadline 03-20): risk 3 × 2.
    builders.hazard("H4", "S02", "食品卫生", "较大", D(2026, 3, 10), "D01", D(2026, 3, 20), "整改中", report=D(2026, 3, 15)),
    builders.hazard("H4", "S02", "食品卫生", "较大", D(2026, 3, 10), "D01", D(2026, 3, 20), "已整改",
                    rectified=D(2026, 4, 5), report=D(2026, 4, 10)),
    # H5 S01: found AFTER A — not known as of A.
    builders.hazard("H5", "S01", "消防安全", "重大", D(2026, 4, 2), "D01", D(2026, 4, 30), report=D(2026, 4, 5)),
    # H6 S04 治安 一般 D01: reported 已整改 but rectified 04-02, after A: open as of A, not overdue.
    builders.hazard("H6", "S04", "治安防范", "一般", D(2026, 3, 20), "D01", D(2026, 4, 20), "已整改",
                    rectified=D(2026, 4, 2), report=D(2026, 3, 31)),
    # H7 S03 周边 一般 D02: found last year, still open, overdue 120 days: in the heatmap, not the period.
    builders.hazard("H7", "S03", "周边环境", "一般", D(2025, 11, 1), "D02", D(2025, 12, 1), report=D(2025, 12, 31)),
    # H8 S02 消防 一般 D01: rectified late (01-25 > deadline 01-15), 20 days.
    builders.hazard("H8", "S02", "消防安全", "一般", D(2026, 1, 5), "D01", D(2026, 1, 15), "已整改",
                    rectified=D(2026, 1, 25), report=D(2026, 1, 31)),
    # H9 S02 消防 一般 D02: a repeat (S02 rectified 消防 H8 35 days before); deadline = A: not overdue.
    builders.hazard("H9", "S02", "消防安全", "一般", D(2026, 3, 1), "D02", D(2026, 3, 31), report=D(2026, 3, 31)),
]

INSPECTION_ROWS = [
    # inspection_id, date, unit, school, type, category, inspectors, hazards found, score
    ["I1", D(2026, 2, 3), "D01", "S01", "日常检查", None, "甲", 1, 90],
    ["I2", D(2026, 3, 3), "D02", "S03", "法治教育", None, "乙", 0, None],
    ["I3", D(2026, 4, 2), "D01", "S02", "日常检查", None, "丙", 0, None],      # after A
    ["I4", D(2025, 12, 15), "D01", "S04", "日常检查", None, "丁", 0, None],    # before the period
    ["I5", D(2025, 10, 10), "D02", "S01", "法治教育", None, "戊", 0, None],    # autumn 2025 semester
    ["I6", D(2026, 3, 15), "D03", "S01", "专项检查", "消防安全", "己", 1, 80],  # S01's second inspection
]

MEETING_ROWS = [
    # meeting_id, title, type, level, town, date, chair, attendees, topics, decisions
    ["M1", "一月例会", "例会", "镇", "T01", D(2026, 1, 5), "李镇长", "D01、D02", "x", 1],
    ["M2", "一月例会二", "例会", "镇", "T01", D(2026, 1, 20), "李镇长", "D01", "x", 1],  # two in January
    ["M3", "三月例会", "例会", "镇", "T01", D(2026, 3, 10), "李镇长", "D01", "x", 1],
    ["M4", "二月例会", "例会", "镇", "T02", D(2026, 2, 10), "赵镇长", "D02", "x", 1],
    ["M5", "全体会议", "全体成员单位会议", "区", None, D(2026, 2, 5), "王总", "D01、D02", "x", 3],
    ["M6", "专题会议", "专题会议", "区", None, D(2026, 3, 12), "王总", "D01", "x", 2],
    ["M7", "四月例会", "例会", "镇", "T02", D(2026, 4, 5), "赵镇长", "D02", "x", 1],  # after A
    ["M8", "去年专题", "专题会议", "区", None, D(2025, 12, 20), "王总", "D03", "x", 1],  # before the period
]


def write_ledgers(folder: Path, hazards=HAZARD_ROWS, inspections=INSPECTION_ROWS, meetings=MEETING_ROWS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    if hazards:
        files.append(builders.xlsx(folder / "隐患台账.xlsx", builders.HAZARD_HEADERS, hazards))
    if inspections:
        files.append(builders.xlsx(folder / "检查记录.xlsx", builders.INSPECTION_HEADERS, inspections))
    if meetings:
        files.append(builders.xlsx(folder / "会议记录.xlsx", builders.MEETING_HEADERS, meetings))
    return files


def build_warehouse(folder: Path, hazards=HAZARD_ROWS, inspections=INSPECTION_ROWS, meetings=MEETING_ROWS,
                    registry: dict | None = None) -> Path:
    """Ingest the registry, then the ledgers, into folder/wh/warehouse.duckdb; every row must load."""
    warehouse = folder / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(folder / "登记册.xlsx", registry)], warehouse)
    result = ingest(write_ledgers(folder / "ledgers", hazards, inspections, meetings), warehouse)
    rejected = [(f.file, f.rejected, f.message) for f in result.files if f.rejected or f.status != "loaded"]
    assert not rejected, rejected
    return warehouse


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """The warehouse of the hand-made district (built once per test module)."""
    return build_warehouse(tmp_path_factory.mktemp("district"))


@pytest.fixture
def metrics_for():
    """metrics_for(warehouse, rules=None) → Metrics on a read-only connection, closed after the test."""
    opened = []

    def _open(warehouse: Path, rules=None) -> Metrics:
        con = open_read_only(warehouse)
        opened.append(con)
        return Metrics.from_connection(con, rules)

    yield _open
    for con in opened:
        con.close()


@pytest.fixture
def m(district, metrics_for) -> Metrics:
    return metrics_for(district)


def rules_text(changes: dict[tuple[str, str], object], text: str | None = None) -> str:
    """The default rules file with some values changed: {(table, key): value}."""
    text = DEFAULT_RULES.read_text(encoding="utf-8") if text is None else text
    for (table, key), value in changes.items():
        pattern = re.compile(rf"(\[{re.escape(table)}\][^\[]*?\n{re.escape(key)} = )[^\n]*")
        text, n = pattern.subn(lambda match: f"{match.group(1)}{value}", text, count=1)
        assert n == 1, (table, key)
    return text


def rows(frame, *columns) -> list[tuple]:
    """The frame's rows as tuples of the given columns."""
    return list(frame.select(*columns).iter_rows())


def by(frame, key: str) -> dict:
    """{key value: row as dict}."""
    return {row[key]: row for row in frame.iter_rows(named=True)}
