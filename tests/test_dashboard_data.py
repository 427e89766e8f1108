"""The small district every dashboard test reads (and a check that it loads as designed).

Built once per test session through real ingestion of files made with tests/builders.py:
two towns (城关镇 T01 with S01, S02; 河口镇 T02 with S03, S04), three member units, seven
hazards with report histories, three inspections, six meetings, one bad row, and a town map.
The dashboard tests look at it as of AS_OF over the year 2026.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.publish import ingest
from tests import builders
from xiaoan.metrics import Filters, Metrics, Scope
from xiaoan.warehouse import open_read_only
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"

D = dt.date
AS_OF = D(2026, 3, 31)
FEB, MAR = D(2026, 2, 28), D(2026, 3, 31)
H = builders.hazard

# Every hazard's reports (a later report supersedes an earlier one).
HAZARD_ROWS = [
    H("H1", "S01", "消防安全", "重大", D(2026, 1, 10), "D01", D(2026, 2, 10), "未整改", report=FEB, description="配电箱老化"),
    H("H1", "S01", "消防安全", "重大", D(2026, 1, 10), "D01", D(2026, 2, 10), "整改中", report=MAR, description="配电箱老化"),
    H("H2", "S02", "交通安全", "一般", D(2026, 2, 1), "D02", D(2026, 4, 30), "未整改", report=FEB),
    H("H2", "S02", "交通安全", "一般", D(2026, 2, 1), "D02", D(2026, 4, 30), "已整改", rectified=D(2026, 3, 15), report=MAR),
    H("H3", "S03", "食品卫生", "较大", D(2026, 3, 5), "D03", D(2026, 3, 20), "未整改", report=MAR, description="后厨无防蝇设施"),
    H("H4", "S04", "消防安全", "一般", D(2026, 1, 15), "D01", D(2026, 2, 15), "已销号", rectified=D(2026, 2, 10), closed=D(2026, 2, 20), report=FEB),
    H("H5", "S01", "防溺水", "较大", D(2026, 3, 20), "D02", D(2026, 4, 20), "整改中", report=MAR),
    H("H6", "S03", "消防安全", "重大", D(2025, 11, 1), "D03", D(2025, 12, 1), "未整改", report=FEB, description="消防通道堵塞"),
    H("H7", "S04", "校舍建筑", "一般", D(2026, 2, 10), "D02", D(2026, 3, 10), "已整改", rectified=D(2026, 3, 12), report=MAR),
    # A row that breaks a rule: the school is unknown (rejected with its reason).
    H("H9", "S99", "其他", "一般", D(2026, 3, 1), "D01", None, "未整改", report=MAR),
]
INSPECTION_ROWS = [
    ["I1", D(2026, 2, 15), "D01", "S01", "日常检查", "消防安全", "张三", 1, 90],
    ["I2", D(2026, 3, 5), "D03", "S03", "专项检查", "食品卫生", "李四", 1, 75],
    ["I3", D(2026, 3, 10), "D02", "S01", "联合检查", None, "王五", 0, 95],
]
MEETING_ROWS = [
    ["M1", "城关镇一月例会", "例会", "镇", "T01", D(2026, 1, 20), "李镇长", "D01、D02", "安全排查", 2],
    ["M2", "城关镇二月例会", "例会", "镇", "T01", D(2026, 2, 18), "李镇长", "D01", "隐患整改", 1],
    ["M3", "城关镇三月例会", "例会", "镇", "T01", D(2026, 3, 18), "李镇长", "D02", "防溺水", 3],
    ["M4", "河口镇二月例会", "例会", "镇", "T02", D(2026, 2, 25), "赵镇长", "D03", "食品安全", 1],
    ["M5", "全体成员单位会议", "全体成员单位会议", "区", None, D(2026, 3, 1), "王总", "D01、D02", "年度部署", 5],
    ["M6", "消防专题会议", "专题会议", "区", None, D(2026, 3, 25), "王总", "D01、D03", "消防整治", 2],
]
# Two square towns side by side (x = longitude, y = latitude).
TOWN_SQUARES = {"T01": ("城关镇", 110.0), "T02": ("河口镇", 110.5)}


def towns_geojson(path: Path) -> Path:
    features = []
    for code, (name, x0) in TOWN_SQUARES.items():
        ring = [[x0, 30.0], [x0 + 0.5, 30.0], [x0 + 0.5, 30.4], [x0, 30.4], [x0, 30.0]]
        features.append({"type": "Feature", "properties": {"town_code": code, "town_name": name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    return path


def build(root: Path) -> Path:
    """Write the files, ingest them, and return the warehouse path (the map beside it)."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    warehouse = root / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(files / "登记册.xlsx")], warehouse)
    ingest([
        builders.xlsx(files / "隐患台账.xlsx", builders.HAZARD_HEADERS, HAZARD_ROWS),
        builders.xlsx(files / "检查记录.xlsx", builders.INSPECTION_HEADERS, INSPECTION_ROWS),
        builders.xlsx(files / "会议记录.xlsx", builders.MEETING_HEADERS, MEETING_ROWS),
    ], warehouse)
    towns_geojson(root / "towns.geojson")
    return warehouse


@functools.cache
def dashboard_warehouse() -> Path:
    """The small district's warehouse, built once per test process."""
    root = Path(tempfile.mkdtemp(prefix="xiaoan-dash-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return build(root)


def map_file() -> Path:
    return dashboard_warehouse().parent.parent / "towns.geojson"


def metrics() -> Metrics:
    """The metrics API on the small district (what every page must agree with)."""
    return Metrics.open(dashboard_warehouse())


def year_filters(**changes) -> Filters:
    """The filters the dashboard asks for by default in these tests: 2026 up to AS_OF."""
    return Filters(as_of=AS_OF, start=D(2026, 1, 1), end=AS_OF, **changes)


@pytest.fixture
def dash_env(monkeypatch):
    """The dashboard pointed at the small district and its map."""
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(dashboard_warehouse()))
    monkeypatch.setenv("XIAOAN_MAP", str(map_file()))
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    monkeypatch.delenv("XIAOAN_RULES", raising=False)


def open_app(page: str | None = None, *, scope: str | Scope | None = None, params: dict | None = None) -> AppTest:
    """Run the app as of AS_OF (plus `params` as URL query parameters) on `page`, as `scope`."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in ({"asof": AS_OF.isoformat()} | (params or {})).items():
        at.query_params[key] = value
    if scope is not None:
        at.session_state["viewer.scope"] = scope
    if page:
        at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_specs(at: AppTest) -> list[dict]:
    """The figures a page drew, as plotly JSON."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# ---- the district loads as designed (the other dashboard tests rely on it) ----


def test_small_district_loads_as_designed():
    con = open_read_only(dashboard_warehouse())
    try:
        assert con.sql("select count(*) from hazards").fetchall() == [(7,)]
        assert con.sql("select count(*) from hazard_reports").fetchall() == [(9,)]
        assert con.sql("select count(*) from inspections").fetchall() == [(3,)]
        assert con.sql("select count(*) from meetings").fetchall() == [(6,)]
        assert con.sql("select count(*) from rejected_rows").fetchall() == [(1,)]
    finally:
        con.close()


# ---- the closed loop (SPEC §2.2): the same registry, a ledger with 督办, 延期, 验收 columns ----

LOOP_HEADERS = builders.HAZARD_HEADERS + ["督办级别", "整改通知书编号", "延期至", "验收人", "验收日期", "验收结果"]


def _loop(row: list, supervision=None, notice=None, extended=None, verifier=None, verified=None, result=None) -> list:
    return [*row, supervision, notice, extended, verifier, verified, result]


# As of 2026-03-31 under the default rules (重大 open, or overdue more than 30 days → due for 挂牌):
# K1 重大, 区级挂牌 with its notice, 49 days overdue, open 80 days → in force;
# K2 extended once (deadline 02-05 → 04-30): not overdue, not due;
# K3 failed verification in February, passed in March → rework 1, rectified;
# K4 销号 with the verification column empty → 未经验收销号;
# K5 较大, 58 days overdue, the town 城关镇 responsible, not listed → due;
# K6 重大, 镇级挂牌, within its deadline, open 30 days → in force.
LOOP_ROWS = [
    _loop(H("K1", "S01", "消防安全", "重大", D(2026, 1, 10), "D01", D(2026, 2, 10), "未整改", report=FEB),
          "区级挂牌", "校安督〔2026〕1号"),
    _loop(H("K1", "S01", "消防安全", "重大", D(2026, 1, 10), "D01", D(2026, 2, 10), "整改中", report=MAR),
          "区级挂牌", "校安督〔2026〕1号"),
    _loop(H("K2", "S02", "交通安全", "一般", D(2026, 1, 5), "D02", D(2026, 2, 5), "整改中", report=FEB)),
    _loop(H("K2", "S02", "交通安全", "一般", D(2026, 1, 5), "D02", D(2026, 2, 5), "整改中", report=MAR),
          extended=D(2026, 4, 30)),
    _loop(H("K3", "S03", "食品卫生", "较大", D(2026, 1, 20), "D03", D(2026, 2, 20), "已整改", rectified=D(2026, 2, 18),
            report=FEB), verifier="钱队长", verified=D(2026, 2, 25), result="不通过"),
    _loop(H("K3", "S03", "食品卫生", "较大", D(2026, 1, 20), "D03", D(2026, 2, 20), "已整改", rectified=D(2026, 3, 20),
            report=MAR), verifier="钱队长", verified=D(2026, 3, 25), result="通过"),
    _loop(H("K4", "S04", "消防安全", "一般", D(2026, 1, 15), "D01", D(2026, 2, 15), "已销号", rectified=D(2026, 2, 10),
            closed=D(2026, 2, 20), report=FEB)),
    _loop(H("K5", "S01", "防溺水", "较大", D(2026, 1, 2), "城关镇", D(2026, 2, 1), "未整改", report=MAR)),
    _loop(H("K6", "S03", "消防安全", "重大", D(2026, 3, 1), "D03", D(2026, 4, 1), "未整改", report=MAR),
          "镇级挂牌", "河督〔2026〕3号"),
]


@functools.cache
def closed_loop_warehouse() -> Path:
    """The small district's registry with the closed-loop ledger above, built once per process."""
    root = Path(tempfile.mkdtemp(prefix="xiaoan-loop-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    files = root / "files"
    files.mkdir(parents=True)
    warehouse = root / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(files / "登记册.xlsx")], warehouse)
    ingest([builders.xlsx(files / "隐患台账.xlsx", LOOP_HEADERS, LOOP_ROWS)], warehouse)
    return warehouse


@pytest.fixture
def loop_env(monkeypatch):
    """The dashboard pointed at the closed-loop district (no map)."""
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(closed_loop_warehouse()))
    monkeypatch.delenv("XIAOAN_MAP", raising=False)
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    monkeypatch.delenv("XIAOAN_RULES", raising=False)
