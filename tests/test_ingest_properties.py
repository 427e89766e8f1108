"""Property: whatever the cells hold, the loader never crashes and never loses a row —
loaded + skipped + rejected = the rows of the sheet, and the warehouse holds exactly the
loaded rows and one rejected-rows entry per rejected row."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import builders
from tests.builders import HAZARD_HEADERS, INSPECTION_HEADERS, MEETING_HEADERS

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

plausible = st.sampled_from([
    "S01", "城关镇第一小学", "中心幼儿园", "D01", "公安分局", "城关镇", "T02", "消防", "防溺水", "一般", "重大", "已完成",
    "销号", "整改中", "2026-03-05", "2026/3/5", "2026年3月5日", "46086", "合计", "H1", "H2", "例会", "区", "镇",
    "日常检查", "区教育局、公安分局", "３", "0", "100", "-1", "=HYPERLINK(\"http://x\")", "<script>alert(1)</script>",
    "'; drop table hazards; --", "😀", "\u202e反向", "　", "",
])
cell = st.one_of(
    st.none(),
    plausible,
    st.text(max_size=30),
    st.integers(min_value=-10**6, max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
)
LEDGERS = {"hazards": HAZARD_HEADERS, "inspections": INSPECTION_HEADERS, "meetings": MEETING_HEADERS}


@st.composite
def ledgers(draw):
    kind = draw(st.sampled_from(sorted(LEDGERS)))
    headers = list(LEDGERS[kind])
    headers = draw(st.permutations(headers))
    width = len(headers)
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=0, max_size=25))
    fmt = draw(st.sampled_from(["xlsx", "csv", "csv-gbk"]))
    title = draw(st.one_of(st.none(), st.just("某镇隐患台账（2026年3月）")))
    return headers, rows, fmt, title


def _printable_gbk(value):
    """GBK cannot encode every character: keep the cells it can (a real GBK file holds no others)."""
    if isinstance(value, str):
        return value.encode("gbk", errors="ignore").decode("gbk")
    return value


@SETTINGS
@given(ledger=ledgers())
def test_random_cells_never_crash_the_loader_and_never_lose_a_row(ledger, load, query, tmp_path):
    headers, rows, fmt, title = ledger
    path = tmp_path / f"{uuid.uuid4().hex}.{ 'xlsx' if fmt == 'xlsx' else 'csv'}"
    if fmt == "xlsx":
        builders.xlsx(path, headers, rows, title=title)
        written = _last_filled(rows) + 1 + (1 if title else 0)
    else:
        encoding = "gbk" if fmt == "csv-gbk" else "utf-8"
        rows = [[_printable_gbk(v) for v in r] for r in rows] if encoding == "gbk" else rows
        rows = [[_csv_safe(v) for v in r] for r in rows]
        builders.csv_file(path, headers, rows, encoding=encoding, title=title)
        written = len(rows) + 1 + (1 if title else 0)
    result = load(path).files[0]
    if result.status == "duplicate":  # hypothesis drew the same content twice: nothing loads again
        return
    if result.status == "rejected":  # rejected whole: said why, and nothing was loaded
        assert result.message and result.loaded == 0
        return
    assert result.loaded + result.skipped + result.rejected == result.rows_in == written
    ingest_id = query("select max(ingest_id) from ingest_log")[0][0]
    assert query("select count(*) from rejected_rows where ingest_id = ?", ingest_id) == [(result.rejected,)]
    raw_table = {"hazards": "raw_hazard_reports", "inspections": "raw_inspections", "meetings": "raw_meetings"}[result.kinds[0]]
    assert query(f"select count(*) from {raw_table} where ingest_id = ?", ingest_id) == [(result.loaded,)]


def _last_filled(rows) -> int:
    """Index (1-based) of the last row an .xlsx actually stores: trailing empty rows are not
    written (an empty text is: xlsxwriter stores it as a string cell, and the reader reads it)."""
    last = 0
    for i, row in enumerate(rows, start=1):
        if any(v is not None for v in row):
            last = i
    return last


def _csv_safe(value):
    # A CSV record cannot hold a bare carriage return as data in every reader; quotes keep newlines.
    return value.replace("\r", " ") if isinstance(value, str) else value
