"""Property: whole workbooks and CSVs as offices make them — headers in any order, named in
Chinese or English with stray marks, a two-row header under merged group titles, merged
cells, several data sheets beside instructions and unrelated sheets, cells of every type,
CSV in every encoding offices use — loaded in batches beside junk. The loader never crashes
and never loses a row: for every file, loaded + skipped + rejected = the rows of its data
sheets, and the warehouse holds exactly the loaded rows and one rejected-rows entry per
rejected row (tests/test_ingest_properties.py holds the single-sheet version).

Second property (issue 12): such ledgers mutated at the byte level (bits flipped, the file cut
short, a stretch of it copied elsewhere) and at the cell level (numbers far out of a date's
range formatted as dates, NaN and infinities, a stray cell far below the ledger) are loaded
beside a good ledger. Whatever a mutant does, the good ledger loads exactly as it does alone,
and every mutant not rejected whole accounts for each of its rows."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import xlsxwriter
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.contract import HAZARDS, INSPECTIONS, MEETINGS
from pipelines.publish import ingest
from tests.test_ingest_properties import plausible
from xiaoan.warehouse import open_read_only

EXAMPLES = int(os.environ.get("XIAOAN_FUZZ_EXAMPLES") or 10)  # batches per run, each of FILES_PER_BATCH files (docs/reliability.md)
FILES_PER_BATCH = 3
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("XIAOAN_FUZZ_EXAMPLES"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
# The mutation property: batches of one good ledger and MUTANTS_PER_BATCH mutated ones;
# XIAOAN_FUZZ_MUTANT_BATCHES for a long run (docs/reliability.md quotes one).
MUTANT_BATCHES = int(os.environ.get("XIAOAN_FUZZ_MUTANT_BATCHES") or 6)
MUTANTS_PER_BATCH = 3
MUTANT_SETTINGS = settings(max_examples=MUTANT_BATCHES, deadline=None, derandomize=not os.environ.get("XIAOAN_FUZZ_MUTANT_BATCHES"),
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
KINDS = {k.name: k for k in (HAZARDS, INSPECTIONS, MEETINGS)}
RAW = {"hazards": "raw_hazard_reports", "inspections": "raw_inspections", "meetings": "raw_meetings"}
GROUP_TITLES = ("隐患情况", "整改情况", "基本信息", "检查情况")
DECORATIONS = ("{}", " {} ", "{}*", "*{}", "{}（必填）", "{}(yyyy-mm-dd)", "{}：")
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=40)
cell = st.one_of(
    st.none(), plausible, text, st.booleans(),
    st.integers(min_value=-10**9, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
)


@st.composite
def header(draw, kind_name: str) -> list[str]:
    """Every required column, some optional ones and some the contract does not name, in any
    order, each named by its Chinese header or an alias, decorated as clerks do."""
    kind = KINDS[kind_name]
    columns = [c for c in kind.columns if c.required or draw(st.booleans())]
    names = []
    for column in columns:
        name = draw(st.sampled_from((column.zh, *column.aliases)))
        name = draw(st.sampled_from(DECORATIONS)).format(name)
        if draw(st.integers(0, 9)) == 0:
            name = name.translate(FULL_WIDTH)
        names.append(name)
    names += draw(st.lists(st.sampled_from(("备注", "序号", "联系人", "Remarks")), max_size=2, unique=True))
    return draw(st.permutations(names))


@st.composite
def data_sheet(draw, kind_name: str) -> dict:
    names = draw(header(kind_name))
    rows = draw(st.lists(st.lists(cell, min_size=len(names), max_size=len(names)), max_size=12))
    return {
        "header": names, "rows": rows,
        "title": draw(st.one_of(st.none(), st.just("某镇隐患排查整改台账（2026年）"))),
        "groups": draw(st.booleans()),  # a row of merged group titles above the header
        "merges": draw(st.lists(st.tuples(st.integers(0, 11), st.integers(1, 3), st.integers(0, len(names) - 1)), max_size=3)),
    }


@st.composite
def ledger_file(draw) -> dict:
    kind = draw(st.sampled_from(sorted(KINDS)))
    fmt = draw(st.sampled_from(("xlsx", "xlsx", "xls", "csv")))
    sheets = draw(st.lists(data_sheet(kind), min_size=1, max_size=1 if fmt == "csv" else 3))
    return {
        "kind": kind, "format": fmt, "sheets": sheets,
        "encoding": draw(st.sampled_from(("utf-8", "utf-8-sig", "gbk", "utf-16"))),
        "separator": draw(st.sampled_from((",", ",", "\t"))),
        "instructions": draw(st.booleans()), "decoy": draw(st.booleans()),
    }


# ---------------------------------------------------------------- writing the files


def write(path: Path, spec: dict) -> int:
    """Write the file; returns the number of rows of its data sheets (what must be accounted for)."""
    return {"xlsx": _write_xlsx, "xls": _write_xls, "csv": _write_csv}[spec["format"]](path, spec)


def _layout(sheet: dict) -> tuple[list[list], list[tuple[int, int, int, str]]]:
    """The sheet's rows from the top (title, group titles, header, data) and its merged
    ranges (row, first column, last column, value) in the title and group rows."""
    width = len(sheet["header"])
    top, merged = [], []
    if sheet["title"]:
        merged.append((len(top), 0, max(width - 1, 1), sheet["title"]))
        top.append([None] * width)
    if sheet["groups"] and width >= 2:
        half = width // 2
        row = len(top)
        merged += [(row, 0, half - 1, GROUP_TITLES[0]), (row, half, width - 1, GROUP_TITLES[1])] if half >= 2 else []
        top.append([None] * width)
    return top + [list(sheet["header"])] + [list(r) for r in sheet["rows"]], merged


def _stored(value) -> bool:
    return value is not None and value != ""


def _height(rows: list[list], merged) -> int:
    last = max((i for i, r in enumerate(rows) if any(_stored(v) for v in r)), default=-1)
    return max([last, *[m[0] for m in merged]]) + 1


def _data_merges(sheet: dict, rows: list[list], first_data: int) -> list[tuple[int, int, int]]:
    """Vertical merges of a data column (a school named once over several rows), kept within
    rows that hold a value, where a clerk would put them."""
    out, used = [], set()
    for start, span, col in sheet["merges"]:
        r1, r2 = first_data + start, first_data + start + span
        if r2 >= len(rows) or not _stored(rows[r1][col]) or any((r, col) in used for r in range(r1, r2 + 1)):
            continue
        if not any(_stored(v) for v in rows[r2]):
            continue
        used |= {(r, col) for r in range(r1, r2 + 1)}
        for r in range(r1 + 1, r2 + 1):
            rows[r][col] = None
        out.append((r1, r2, col))
    return out


def _write_xlsx(path: Path, spec: dict) -> int:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
                                           "nan_inf_to_errors": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    total = 0
    if spec["instructions"]:
        book.add_worksheet("填表说明").write_string(0, 0, "请按表头填写，日期格式 2026-03-05")
    for i, sheet in enumerate(spec["sheets"]):
        ws = book.add_worksheet(f"台账{i + 1}")
        rows, merged = _layout(sheet)
        first_data = len(rows) - len(sheet["rows"])
        merges = _data_merges(sheet, rows, first_data)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _xlsx_cell(ws, r, c, value, date_format)
        for r, c1, c2, value in merged:
            ws.merge_range(r, c1, r, c2, value)
        for r1, r2, col in merges:
            ws.merge_range(r1, col, r2, col, None)
            _xlsx_cell(ws, r1, col, rows[r1][col], date_format)
        for r, c, value, as_date in spec.get("hostile", ()) if i == 0 else ():
            if as_date:
                ws.write_number(r, c, value, date_format)
            else:
                _xlsx_cell(ws, r, c, value, date_format)
        total += _height(rows, merged)
    if spec["decoy"]:
        decoy = book.add_worksheet("通讯录")
        decoy.write_row(0, 0, ["姓名", "电话"])
        decoy.write_row(1, 0, ["张三", "13800000000"])
    book.close()
    return total


def _xlsx_cell(ws, r: int, c: int, value, date_format) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
    elif isinstance(value, str):
        ws.write_string(r, c, value)
    else:
        ws.write_number(r, c, value)


def _write_xls(path: Path, spec: dict) -> int:
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    total = 0
    if spec["instructions"]:
        book.add_sheet("填表说明").write(0, 0, "请按表头填写")
    for i, sheet in enumerate(spec["sheets"]):
        ws = book.add_sheet(f"台账{i + 1}", cell_overwrite_ok=True)  # a hostile cell may land on a written one
        rows, merged = _layout(sheet)
        rows = [[_xls_value(v) for v in row] for row in rows]
        for r, row in enumerate(rows):
            if any(m[0] == r for m in merged):
                continue
            for c, value in enumerate(row):
                if value is None:
                    continue
                ws.write(r, c, dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else value,
                         date_style if isinstance(value, dt.date) else xlwt.Style.default_style)
        for r, c1, c2, value in merged:
            ws.write_merge(r, r, c1, c2, value)
        for r, c, value, as_date in spec.get("hostile", ()) if i == 0 else ():
            ws.write(min(r, 65535), min(c, 255), value, date_style if as_date else xlwt.Style.default_style)
        total += _height(rows, merged)
    if spec["decoy"]:
        book.add_sheet("通讯录").write(0, 0, "姓名")
    book.save(str(path))
    return total


def _xls_value(value):
    """What an .xls can hold: BIFF strings up to 32,767 characters, dates from 1900-03-01,
    numbers as doubles."""
    if isinstance(value, str):
        return value[:1000] or None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return float(value)
    return value


def _write_csv(path: Path, spec: dict) -> int:
    import csv
    import io

    sheet = spec["sheets"][0]
    rows, merged = _layout(sheet)
    for r, _, _, value in merged:  # a CSV has no merges: the title stands in the first cell
        rows[r][0] = value
    for r, c, value, _ in spec.get("hostile", ()):  # as text, within a few rows of the ledger
        r = min(r, len(rows) + 3)
        rows += [[None] * len(sheet["header"]) for _ in range(r + 1 - len(rows))]
        rows[r] += [None] * (c + 1 - len(rows[r]))
        rows[r][c] = repr(value)
    encoding = spec["encoding"]
    rows = [[_csv_value(v, encoding) for v in row] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=spec["separator"], lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return len(rows)


def _csv_value(value, encoding: str) -> str:
    """The cell as CSV text in that encoding, without control characters (typed text has
    none, and a text full of them is refused as binary)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    value = "".join(ch for ch in str(value) if ch in "\t\n" or not ch.isprintable() and ch.isspace() or ch.isprintable())
    if encoding == "gbk":
        value = value.encode("gbk", errors="ignore").decode("gbk")
    return value


# ---------------------------------------------------------------- the property


@SETTINGS
@given(batch=st.lists(ledger_file(), min_size=FILES_PER_BATCH - 1, max_size=FILES_PER_BATCH - 1), junk=st.binary(max_size=300))
def test_whole_workbooks_and_csvs_never_crash_the_loader_and_never_lose_a_row(batch, junk, load, query, tmp_path):
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    expected, kinds = {}, {}
    for spec in batch:
        path = folder / f"{uuid.uuid4().hex[:8]}.{spec['format']}"
        expected[path.name] = write(path, spec)
        kinds[path.name] = spec["kind"]
    bad = folder / "junk.xlsx"
    bad.write_bytes(b"PK\x03\x04" + junk)
    result = load(*sorted(folder.iterdir()))
    assert len(result.files) == FILES_PER_BATCH
    for report in result.files:
        name = Path(report.file).name
        if report.status == "duplicate":
            continue
        ingest_id = query("select ingest_id from ingest_log where file = ? order by ingest_id desc limit 1", name)[0][0]
        if report.status == "rejected":  # rejected whole: said why, loaded nothing, one entry in rejected rows
            assert name == "junk.xlsx", f"a ledger as offices make them was rejected whole: {report.message}"
            assert report.message and report.loaded == 0
            assert query('select count(*) from rejected_rows where ingest_id = ? and "row" is null', ingest_id) == [(1,)]
            continue
        assert report.kinds == [kinds[name]], (name, report)
        assert report.loaded + report.skipped + report.rejected == report.rows_in == expected[name], (name, report)
        assert query("select count(*) from rejected_rows where ingest_id = ?", ingest_id) == [(report.rejected,)]
        assert query(f"select count(*) from {RAW[kinds[name]]} where ingest_id = ?", ingest_id) == [(report.loaded,)]


# ---------------------------------------------------------------- mutated ledgers beside a good one

HOSTILE_NUMBERS = (-1e20, -1e15, -1e308, 1e308, -1.0, 2958466.0, 1e11, float("nan"), float("inf"), float("-inf"))


@st.composite
def mutant(draw) -> dict:
    """A ledger as offices make them, then damaged: bytes flipped, cut short or spliced, or
    hostile cells written into it (a date-formatted number far out of range, NaN, inf, a
    stray cell far below the ledger)."""
    spec = draw(ledger_file())
    how = draw(st.sampled_from(("flip", "truncate", "splice", "cells", "cells")))
    spec["mutation"] = how
    if how == "cells":
        far = 1_048_575 if spec["format"] == "xlsx" else 65_535
        row = st.one_of(st.integers(0, 15), st.integers(1_000, far), st.just(far))
        spec["hostile"] = draw(st.lists(st.tuples(row, st.integers(0, 30), st.sampled_from(HOSTILE_NUMBERS), st.booleans()),
                                        min_size=1, max_size=4))
    else:
        spec["bytes"] = draw(st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=8))
        spec["splice"] = draw(st.tuples(st.floats(0, 1), st.floats(0, 1), st.integers(1, 4096)))
    return spec


def mutate(data: bytes, spec: dict) -> bytes:
    if spec["mutation"] == "cells" or not data:
        return data
    if spec["mutation"] == "truncate":
        return data[: int(spec["bytes"][0][0] * (len(data) - 1))]
    if spec["mutation"] == "splice":
        source, target, size = spec["splice"]
        start, at = int(source * len(data)), int(target * len(data))
        return data[:at] + data[start:start + size] + data[at:]
    out = bytearray(data)
    for where, mask in spec["bytes"]:
        out[min(int(where * len(out)), len(out) - 1)] ^= mask
    return bytes(out)


MUTANT_TOTALS = {"batches": 0, "files": 0, "rejected_whole": 0, "rows": 0, "seconds": 0.0}
_CURRENT: dict[str, Path] = {}


def _memory_watch() -> None:
    """Long runs on a shared server: should the process ever pass XIAOAN_FUZZ_RSS_MIB (4 GiB),
    the batch being loaded is kept beside the temporary folders and the run stops at once,
    before the machine has to kill something."""
    import threading

    import psutil

    limit = int(os.environ.get("XIAOAN_FUZZ_RSS_MIB") or 4096) << 20

    def watch() -> None:
        me = psutil.Process()
        while True:
            if me.memory_info().rss > limit:
                if "batch" in _CURRENT:
                    shutil.copytree(_CURRENT["batch"], Path(tempfile.gettempdir()) / f"xiaoan-fuzz-culprit-{os.getpid()}", dirs_exist_ok=True)
                print(f"\nmemory past {limit >> 20} MiB loading {_CURRENT.get('batch')}: stopped", flush=True)
                os._exit(3)
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True, name="fuzz-memory-watch").start()


if os.environ.get("XIAOAN_FUZZ_MUTANT_BATCHES"):
    _memory_watch()


def _fresh(registry_warehouse: Path, root: Path) -> Path:
    shutil.copytree(registry_warehouse, root)
    return root / "warehouse.duckdb"


def _rows_of(warehouse: Path, ingest_id: int) -> tuple[int, list[tuple]]:
    """The rows a file loaded (into any ledger table: a mutant may read as another kind) and its rejected rows."""
    con = open_read_only(warehouse)
    try:
        loaded = sum(con.sql(f"select count(*) from {table} where ingest_id = ?", params=[ingest_id]).fetchall()[0][0]
                     for table in RAW.values())
        rejected = con.sql('select "row", "column", reason from rejected_rows where ingest_id = ? order by all', params=[ingest_id]).fetchall()
    finally:
        con.close()
    return loaded, rejected


def _ingest_ids(warehouse: Path) -> dict[str, int]:
    con = open_read_only(warehouse)
    try:
        return dict(con.sql("select file, max(ingest_id) from ingest_log group by file").fetchall())
    finally:
        con.close()


@MUTANT_SETTINGS
@given(good=ledger_file(), mutants=st.lists(mutant(), min_size=MUTANTS_PER_BATCH, max_size=MUTANTS_PER_BATCH))
def test_mutated_ledgers_never_change_what_the_good_ledger_beside_them_loads(good, mutants, registry_warehouse, tmp_path):
    started = time.monotonic()
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    _CURRENT["batch"] = folder
    good_path = folder / f"0-good.{good['format']}"
    write(good_path, good)
    paths = [good_path]
    for i, spec in enumerate(mutants, start=1):
        path = folder / f"{i}-mutant-{spec['mutation']}.{spec['format']}"
        write(path, spec)
        path.write_bytes(mutate(path.read_bytes(), spec))
        paths.append(path)
    alone_wh = _fresh(registry_warehouse, folder / "alone")
    batch_wh = _fresh(registry_warehouse, folder / "batch")
    alone = ingest([good_path], alone_wh).files[0]
    result = ingest(paths, batch_wh)  # never raises: every file ends with a status
    assert len(result.files) == len(paths)
    by_name = {Path(f.file).name: f for f in result.files}
    beside = by_name[good_path.name]
    assert (beside.status, beside.kinds, beside.rows_in, beside.loaded, beside.skipped, beside.rejected) == \
           (alone.status, alone.kinds, alone.rows_in, alone.loaded, alone.skipped, alone.rejected)
    assert _rows_of(batch_wh, _ingest_ids(batch_wh)[good_path.name]) == _rows_of(alone_wh, _ingest_ids(alone_wh)[good_path.name])
    ids = _ingest_ids(batch_wh)
    for path, spec in zip(paths[1:], mutants):
        report = by_name[path.name]
        MUTANT_TOTALS["files"] += 1
        if report.status == "duplicate":
            continue
        if report.status == "rejected":
            MUTANT_TOTALS["rejected_whole"] += 1
            assert report.message and report.loaded == report.rejected == 0, (path.name, report)
            continue
        MUTANT_TOTALS["rows"] += report.rows_in
        assert report.loaded + report.skipped + report.rejected == report.rows_in, (path.name, report)
        loaded, rejected = _rows_of(batch_wh, ids[path.name])
        assert (loaded, len(rejected)) == (report.loaded, report.rejected), (path.name, report)
    MUTANT_TOTALS["batches"] += 1
    MUTANT_TOTALS["seconds"] += time.monotonic() - started
    if os.environ.get("XIAOAN_FUZZ_MUTANT_BATCHES"):
        print(f"\nmutants so far: {MUTANT_TOTALS}", flush=True)
