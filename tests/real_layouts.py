"""Real ledger layouts (tests/fixtures/real_layouts/layouts.json) written as the workbooks a clerk
would send: a title merged across the table in row 1, the label lines above, the header row(s)
with merged group cells, the sample rows with their placeholders filled from the sample
district's registry (`xiaoan sample`'s standard district, seed 2026), the lines below.

Sheet forms (README "Reading layouts.json"): `table` (a grid), `label_cells` (label in column A,
value in column B), `blocks` (numbered label lines in column A) and `questionnaire` (question,
ticked boxes, fill-in in columns A–C, no header row). A file name ending in .xls is written as an
old .xls (xlwt), every other one as .xlsx (openpyxl).

The builder also says, for every sample row, the Excel row it was written to (`Built.rows`), so
a test can compare what was loaded from that row with the cells the clerk typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_layouts"
LAYOUTS_FILE = FIXTURES / "layouts.json"

SAMPLE_SEED = 2026
# The sample period: {date} of every layout, and the --report-date the files are ingested with.
SAMPLE_DATE = dt.date(2026, 10, 12)
REPORT_DATE = dt.date(2026, 10, 31)
# The school every layout is about (a registry full name of the standard sample district).
SAMPLE_SCHOOL = "青溪区实验小学"


@functools.cache
def layouts() -> tuple[dict, ...]:
    """Every layout of layouts.json, in file order."""
    return tuple(json.loads(LAYOUTS_FILE.read_text(encoding="utf-8"))["layouts"])


def layout(layout_id: str) -> dict:
    return next(item for item in layouts() if item["id"] == layout_id)


# ---------------------------------------------------------------- the sample district's registry

@functools.cache
def sample_registry():
    """The registry `xiaoan sample` writes for the standard district (seed 2026): the same
    random stream generate() gives build_registry."""
    from pipelines.sample.params import SCALES
    from pipelines.sample.registry import build_registry

    rng = np.random.default_rng(np.random.SeedSequence(SAMPLE_SEED).spawn(6)[0])
    return build_registry(SCALES["standard"], rng)


def registry_workbook(folder: Path) -> Path:
    """registry/登记册.xlsx of the sample district, as `xiaoan sample` writes it."""
    from pipelines.sample.registry_files import write_registry

    write_registry(folder, sample_registry(), curated=True, fmt="mixed")
    return folder / "registry" / "登记册.xlsx"


def school_row(name: str = SAMPLE_SCHOOL) -> dict:
    reg = sample_registry()
    return reg.schools.filter(reg.schools["school_name"] == name).row(0, named=True)


def town_name(code: str) -> str:
    towns = sample_registry().towns
    return towns.filter(towns["town_code"] == code)["town_name"][0]


def dept_name(code: str) -> str:
    depts = sample_registry().departments
    return depts.filter(depts["dept_code"] == code)["dept_name"][0]


@dataclass(frozen=True)
class Place:
    """What the placeholders of a layout are filled with."""

    school: str = SAMPLE_SCHOOL
    date: dt.date = SAMPLE_DATE

    @property
    def school_code(self) -> str:
        return school_row(self.school)["school_code"]

    @property
    def town(self) -> str:
        return town_name(school_row(self.school)["town_code"])

    @property
    def district(self) -> str:
        return sample_registry().district_name


_PLACEHOLDER = re.compile(r"\{(school|town|district|month|date_no_year|date(?:[+-]\d+)?|dept:D\d+)\}")


def strftime(day: dt.date, fmt: str) -> str:
    """strftime with GNU's %-m / %-d (no leading zero) on every platform."""
    return (fmt.replace("%-m", str(day.month)).replace("%-d", str(day.day)).replace("%Y", str(day.year))
            .replace("%m", f"{day.month:02d}").replace("%d", f"{day.day:02d}"))


def fill(text: str, item: dict, place: Place) -> str:
    """A cell of the layout with its placeholders filled."""
    fmt = item.get("date_format") or "%Y年%-m月%-d日"

    def one(match: re.Match) -> str:
        key = match.group(1)
        if key == "school":
            return place.school
        if key == "town":
            return place.town
        if key == "district":
            return place.district
        if key == "month":
            return str(place.date.month)
        if key == "date_no_year":
            return f"{place.date.month}月{place.date.day}日"
        if key.startswith("dept:"):
            return dept_name(key[5:])
        days = int(key[4:]) if len(key) > 4 else 0
        return strftime(place.date + dt.timedelta(days=days), fmt)

    return _PLACEHOLDER.sub(one, text)


def sample_date(cell: str, place: Place) -> dt.date | None:
    """The date a sample cell stands for when it is exactly a {date} or {date+N} placeholder."""
    match = re.fullmatch(r"\{date(?:([+-]\d+))?\}", cell.strip())
    if not match:
        return None
    return place.date + dt.timedelta(days=int(match.group(1) or 0))


# ---------------------------------------------------------------- the grid a layout becomes

@dataclass
class Grid:
    cells: dict[tuple[int, int], object] = field(default_factory=dict)  # (row, col) 0-based → value
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    rows: list[int] = field(default_factory=list)  # Excel row (1-based) of each sample row
    header_row: int | None = None  # Excel row of the (last) header row


def _value(text: str) -> object:
    """What the clerk's cell holds: short whole numbers (序号, 得分, 寝室号) typed as numbers."""
    if re.fullmatch(r"[1-9]\d{0,4}", text):
        return int(text)
    return text


def grid_of(item: dict, place: Place) -> Grid:
    grid = Grid()
    form = item["sheet_form"].split(":")[0].strip()
    headers = item.get("header_rows") or []
    body = item["sample_rows"]
    width = max([len(h) for h in headers] + [len(r) for r in body] + [2])
    r = 0

    def line(text: str) -> None:
        nonlocal r
        grid.cells[(r, 0)] = fill(text, item, place)
        if form in ("table", "questionnaire") and width > 1:
            grid.merges.append((r, 0, r, width - 1))
        r += 1

    if item.get("title"):
        line(item["title"])
    for text in item.get("above") or []:
        line(text)
    if form == "table":
        for header in headers:
            for c, text in enumerate(header):
                if text != "":
                    grid.cells[(r, c)] = fill(text, item, place)
            c = 0
            while c < len(header):  # "" = a merged continuation of the cell to its left
                end = c
                while end + 1 < len(header) and header[end + 1] == "":
                    end += 1
                if end > c and header[c] != "":
                    grid.merges.append((r, c, r, end))
                c = end + 1
            r += 1
        grid.header_row = r  # 1-based number of the last header row
    first_body = r
    for row in body:
        grid.rows.append(r + 1)
        for c, text in enumerate(row):
            if text != "":
                grid.cells[(r, c)] = _value(fill(text, item, place))
        r += 1
    if form == "table":
        _merge_groups(grid, body, first_body)
    for text in item.get("below") or []:
        line(text)
    return grid


def _merge_groups(grid: Grid, body: list[list[str]], first: int) -> None:
    """Leading blank cells of a row that continues a group (序号, 项目 merged down) are merged
    with the filled cell above them, as the clerk's workbook holds them."""
    for c in range(max(len(row) for row in body)):
        start = None
        for i, row in enumerate(body):
            lead = c < len(row) and row[c] == "" and any(v != "" for v in row[c + 1:]) \
                and all(v == "" for v in row[:c])
            if lead and start is not None:
                continue
            if start is not None and i - 1 > start:
                grid.merges.append((first + start, c, first + i - 1, c))
            start = i if c < len(row) and row[c] != "" else None
        if start is not None and len(body) - 1 > start:
            grid.merges.append((first + start, c, first + len(body) - 1, c))


# ---------------------------------------------------------------- writing it

@dataclass
class Built:
    path: Path
    item: dict
    place: Place
    grid: Grid

    @property
    def rows(self) -> list[int]:
        return self.grid.rows


def file_name(item: dict, place: Place) -> str:
    return fill(item["file_name"], item, place)


def build(item: dict | str, folder: Path, place: Place | None = None, name: str | None = None) -> Built:
    """Write one layout as the file a clerk would send, into folder; returns where and how."""
    item = layout(item) if isinstance(item, str) else item
    place = place or Place()
    grid = grid_of(item, place)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or file_name(item, place))
    sheet = _sheet_name(item)
    if path.suffix.lower() == ".xls":
        _write_xls(path, grid, sheet)
    else:
        _write_xlsx(path, grid, sheet)
    return Built(path, item, place, grid)


def _sheet_name(item: dict) -> str:
    return "Sheet1"


def _write_xlsx(path: Path, grid: Grid, sheet: str) -> None:
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for (r, c), value in grid.cells.items():
        cell = ws.cell(row=r + 1, column=c + 1, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # as typed: a leading = stays text
            if "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r0, c0, r1, c1 in grid.merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)


def _write_xls(path: Path, grid: Grid, sheet: str) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    wrap = xlwt.easyxf("align: wrap on, vert centre")
    merged_at = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in grid.merges}
    covered = {(r, c) for r0, c0, r1, c1 in grid.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for (r0, c0), (r1, c1) in merged_at.items():
        value = grid.cells.get((r0, c0), "")
        ws.write_merge(r0, r1, c0, c1, value, wrap)
    for (r, c), value in grid.cells.items():
        if (r, c) in covered:
            continue
        ws.write(r, c, value, wrap)
    book.save(str(path))


# ---------------------------------------------------------------- a warehouse with the sample registry

def registry_warehouse(root: Path) -> Path:
    """A warehouse folder with the sample district's registry loaded (root/wh)."""
    from pipelines.publish import ingest

    registry = registry_workbook(root)
    result = ingest([registry], root / "wh" / "warehouse.duckdb")
    assert [f.status for f in result.files] == ["loaded"], result.files
    return root / "wh"


@pytest.fixture(scope="session")
def sample_registry_warehouse(tmp_path_factory) -> Path:
    """The sample district's registry loaded once per session; tests copy the folder."""
    return registry_warehouse(tmp_path_factory.mktemp("sample-registry"))


def copy_warehouse(source: Path, folder: Path) -> Path:
    """A copy of a registry-loaded warehouse folder; returns the warehouse file."""
    shutil.copytree(source, folder)
    return folder / "warehouse.duckdb"


class RawLoader:
    """Plan and load files into a copy of the sample registry's warehouse, raw tables and the
    staging/intermediate views only (no publish): what one sheet's reading puts in the tables."""

    def __init__(self, source: Path, folder: Path) -> None:
        import duckdb

        from pipelines.publish import build

        self.con = duckdb.connect(str(copy_warehouse(source, folder)))
        build.create_raw_tables(self.con)
        build.build_models(self.con, layers=("staging", "intermediate"))

    def load(self, path: Path, mapping=None):
        """(FileReport, connection) of loading one file under the office mapping given."""
        from pipelines.ingest.context import LoadContext
        from pipelines.ingest.load import Offered, load_planned, plan
        from pipelines.publish.build import build_models
        from xiaoan.mapping import Mapping

        def refresh(con) -> None:  # as a load does after a registry table changed
            build_models(con, layers=("staging", "intermediate"))

        ctx = LoadContext(mapping=mapping or Mapping())
        offered = Offered(path.name, path.read_bytes(), REPORT_DATE, REPORT_DATE, 0)
        planned = plan(self.con, [offered], None, ctx)
        load_planned(self.con, planned, [], "t", refresh, None, ctx)
        return planned[0].report, self.con

    def close(self) -> None:
        self.con.close()


def last(con, sql: str) -> list[tuple]:
    """Run sql with LAST standing for the latest load's ingest id."""
    return con.sql(sql.replace("LAST", "(select max(ingest_id) from raw_ingest_log)")).fetchall()
