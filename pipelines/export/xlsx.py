"""report.xlsx: one sheet per snapshot table, Chinese headers (xiaoan.i18n), column widths,
percentages, dates, frozen header and a filter. Ledger text is always written as text
(write_string, strings_to_formulas off): a description typed as `=1+1` or `@cmd` stays text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import xlsxwriter

from xiaoan.i18n import DEFAULT_LANG
from xiaoan.metrics_labels import RATE_COLUMNS, bucket_label, column_label, table_label, term_label, yes_no

MAX_ROWS = 1_048_575  # Excel's last row, less the header
MAX_WIDTH = 60
SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_report_xlsx(path: Path, tables: dict[str, pl.DataFrame], lang: str = DEFAULT_LANG) -> dict[str, int]:
    """Write the workbook; returns {table: rows left out} for tables beyond Excel's row limit."""
    book = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "constant_memory": True, "nan_inf_to_errors": True,
    })
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "top"}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "float": book.add_format({"num_format": "0.00"}),
        "int": book.add_format({"num_format": "0"}),
    }
    left_out = {}
    try:
        used = set()
        for name, frame in tables.items():
            shown = _readable(name, frame, lang)
            if shown.height > MAX_ROWS:
                left_out[name] = shown.height - MAX_ROWS
                shown = shown.head(MAX_ROWS)
            sheet = book.add_worksheet(_sheet_name(table_label(name, lang), used))
            _write_sheet(sheet, shown, formats, lang)
    finally:
        book.close()
    return left_out


def _readable(name: str, frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Codes that only the program reads (figure and indicator names, buckets, terms) in words."""
    for column in ("metric", "indicator"):
        if column in frame.columns:
            names = frame.get_column(column).drop_nulls().unique().to_list()
            frame = frame.with_columns(pl.col(column).replace({n: column_label(n, lang) for n in names}))
    if name == "overdue_buckets":
        labels = [bucket_label(b, lo, hi, lang) for b, lo, hi in frame.select("overdue_bucket", "min_days", "max_days").iter_rows()]
        frame = frame.with_columns(pl.Series("overdue_bucket", labels, dtype=pl.String))
    if "term" in frame.columns and "semester_start" in frame.columns:
        pairs = frame.select("term", "semester_start").unique().iter_rows()
        words = {(term, start): term_label(term, start, lang) for term, start in pairs if term and start}
        frame = frame.with_columns(pl.struct("term", "semester_start").map_elements(
            lambda v: words.get((v["term"], v["semester_start"])), return_dtype=pl.String).alias("term"))
    return frame


def _write_sheet(sheet, frame: pl.DataFrame, formats: dict, lang: str) -> None:
    columns = frame.columns
    for c, column in enumerate(columns):
        dtype = frame.schema[column]
        width = _width(frame, column, column_label(column, lang))
        sheet.set_column(c, c, width, _column_format(column, dtype, formats))
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, None, formats["header"])
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column_label(column, lang), formats["header"])
    writers = [_writer(column, frame.schema[column], formats, lang) for column in columns]
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            writers[c](sheet, r, c, value)
    if columns:
        sheet.autofilter(0, 0, max(frame.height, 1), len(columns) - 1)


def _column_format(column: str, dtype: pl.DataType, formats: dict):
    if column in RATE_COLUMNS:
        return formats["pct"]
    if dtype == pl.Date:
        return formats["date"]
    if isinstance(dtype, pl.Datetime):
        return formats["datetime"]
    if dtype.is_float():
        return formats["float"]
    if dtype.is_integer():
        return formats["int"]
    return None


def _writer(column: str, dtype: pl.DataType, formats: dict, lang: str):
    """A function (sheet, row, col, value) writing one non-null cell of this column."""
    if dtype == pl.Boolean:
        return lambda s, r, c, v: s.write_string(r, c, yes_no(v, lang))
    if dtype == pl.Date:
        fmt = formats["date"]
        return lambda s, r, c, v: s.write_datetime(r, c, dt.datetime.combine(v, dt.time()), fmt)
    if isinstance(dtype, pl.Datetime):
        fmt = formats["datetime"]
        return lambda s, r, c, v: s.write_datetime(r, c, v.replace(tzinfo=None), fmt)
    if dtype.is_numeric():
        fmt = formats["pct"] if column in RATE_COLUMNS else formats["float"] if dtype.is_float() else formats["int"]
        return lambda s, r, c, v: s.write_number(r, c, v, fmt) if v == v else None  # NaN: left blank
    return lambda s, r, c, v: s.write_string(r, c, str(v))


def _width(frame: pl.DataFrame, column: str, header: str) -> float:
    """Display width: CJK characters count double (≈ UTF-8 bytes − characters, halved, added)."""
    def shown(text_len: int, text_bytes: int) -> float:
        return text_len + (text_bytes - text_len) / 2

    best = shown(len(header), len(header.encode("utf-8")))
    if frame.height:
        text = frame.get_column(column).head(10_000).cast(pl.String, strict=False)
        lengths = pl.DataFrame({"n": text.str.len_chars(), "b": text.str.len_bytes()}).drop_nulls()
        if lengths.height:
            best = max(best, float((lengths["n"] + (lengths["b"] - lengths["n"]) / 2).max()))
    return min(max(best + 2, 6), MAX_WIDTH)


def _sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = title.translate(SHEET_FORBIDDEN)[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
