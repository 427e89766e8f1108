"""Writers that lay tables out the way offices do: .xlsx, .xls and .csv.

A `Table` is one block of a ledger: optional title and date lines above the header (the title
merged across the table), a header over one or two rows (group titles such as 隐患情况
merged across their columns, the other headers merged down both rows), then the cells.
Blank rows and a 合计 row are ordinary rows of the frame (see `messy`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import xlsxwriter
import xlwt

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A fixed creation time makes workbooks byte-identical from run to run.
_CREATED = dt.datetime(2026, 1, 1)
NOTES_SHEET = "填表说明"


@dataclass(frozen=True)
class Table:
    name: str                          # sheet name
    frame: pl.DataFrame                # header = column names; cells str / int / float / None
    title: str | None = None           # merged across the table's width
    subtitle: str | None = None        # a line under the title (unit, report date)
    groups: dict[str, str] = field(default_factory=dict)  # column -> group title (2-row header)
    date_columns: tuple[str, ...] = ()  # ISO text in these columns becomes an Excel date


def _layout(table: Table) -> tuple[list[tuple], int]:
    """Header cells as (row, first col, last row, last col, text) and the first data row."""
    cols = table.frame.columns
    r = 0
    cells: list[tuple] = []
    if table.title:
        cells.append((r, 0, r, len(cols) - 1, table.title))
        r += 1
    if table.subtitle:
        cells.append((r, 0, r, 0, table.subtitle))
        r += 1
    if not table.groups:
        cells += [(r, c, r, c, name) for c, name in enumerate(cols)]
        return cells, r + 1
    c = 0
    while c < len(cols):
        group = table.groups.get(cols[c])
        if group is None:
            cells.append((r, c, r + 1, c, cols[c]))
            c += 1
            continue
        end = c
        while end + 1 < len(cols) and table.groups.get(cols[end + 1]) == group:
            end += 1
        cells.append((r, c, r, end, group))
        cells += [(r + 1, k, r + 1, k, cols[k]) for k in range(c, end + 1)]
        c = end + 1
    return cells, r + 2


def _xlsx_writer(ws, table: Table, column: str, date_fmt):
    """The worksheet method that writes one column's cells."""
    if column in table.date_columns:
        def write_date(r: int, c: int, value: str) -> None:
            if _ISO.match(value):
                ws.write_datetime(r, c, dt.datetime.fromisoformat(value), date_fmt)
            else:
                ws.write_string(r, c, value)
        return write_date
    return ws.write_string if table.frame.schema[column] == pl.String else ws.write_number


def _cell(value: object, is_date_col: bool) -> object:
    if is_date_col and isinstance(value, str) and _ISO.match(value):
        return dt.date.fromisoformat(value)
    return value


def write_xlsx(path: Path, tables: list[Table], notes: list[str] | None = None,
               notes_first: bool = False, constant_memory: bool = False) -> None:
    """One workbook; a 填表说明 sheet (if notes) before or after the data sheets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory,
                                         "in_memory": not constant_memory})
    wb.set_properties({"created": _CREATED, "author": "xiaoan sample"})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter",
                          "border": 1, "text_wrap": True})
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})

    def add_notes() -> None:
        ws = wb.add_worksheet(NOTES_SHEET)
        ws.set_column(0, 0, 90)
        for i, line in enumerate(notes or []):
            ws.write_string(i, 0, line)

    if notes and notes_first:
        add_notes()
    for table in tables:
        ws = wb.add_worksheet(table.name)
        cells, start = _layout(table)
        ws.set_column(0, max(0, len(table.frame.columns) - 1), 14)
        for r1, c1, r2, c2, text in cells:
            fmt = title_fmt if (r1 == 0 and table.title) else head
            if (r1, c1) != (r2, c2):
                ws.merge_range(r1, c1, r2, c2, text, fmt)
            else:
                ws.write_string(r1, c1, text, None if text == table.subtitle else fmt)
        writers = [_xlsx_writer(ws, table, name, date_fmt) for name in table.frame.columns]
        for i, row in enumerate(table.frame.iter_rows(), start):
            for c, value in enumerate(row):
                if value is not None:
                    writers[c](i, c, value)
    if notes and not notes_first:
        add_notes()
    wb.close()


def write_xls(path: Path, tables: list[Table], notes: list[str] | None = None) -> None:
    """The same layout as an old-style .xls (BIFF8) workbook, via xlwt."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlwt.Workbook(encoding="utf-8")
    head = xlwt.easyxf("font: bold on; align: horiz center, vert center; "
                       "borders: left thin, right thin, top thin, bottom thin")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for table in tables:
        ws = wb.add_sheet(table.name)
        cells, start = _layout(table)
        for r1, c1, r2, c2, text in cells:
            if (r1, c1) != (r2, c2):
                ws.write_merge(r1, r2, c1, c2, text, head)
            else:
                ws.write(r1, c1, text, head if text != table.subtitle else xlwt.Style.default_style)
        date_cols = [c in table.date_columns for c in table.frame.columns]
        for i, row in enumerate(table.frame.iter_rows()):
            for c, value in enumerate(row):
                value = _cell(value, date_cols[c])
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(start + i, c, value, date_style)
                else:
                    ws.write(start + i, c, value)
    if notes:
        ws = wb.add_sheet(NOTES_SHEET)
        for i, line in enumerate(notes):
            ws.write(i, 0, line)
    wb.save(str(path))


def csv_text(table: Table, line_terminator: str = "\n") -> str:
    """A table as CSV text: title lines (padded to the table's width), header, rows."""
    width = len(table.frame.columns)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=line_terminator)
    for line in (table.title, table.subtitle):
        if line:
            writer.writerow([line] + [""] * (width - 1))
    body = table.frame.with_columns(pl.all().cast(pl.String)).write_csv(
        null_value="", line_terminator=line_terminator)
    return buf.getvalue() + body


def write_csv(path: Path, table: Table, encoding: str = "utf-8",
              line_terminator: str = "\n") -> None:
    """A table as a .csv file in the given encoding (utf-8, utf-8-sig or gbk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(table, line_terminator).encode(encoding))
