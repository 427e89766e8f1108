"""Tables as files to download: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and
Excel (.xlsx via xlsxwriter).

Ledger text is typed by hand and may carry formulas (`=HYPERLINK(...)`, `+cmd|...`, `@SUM`).
Both files keep every cell inert: Excel cells hold strings written as strings (never
formulas), and CSV cells that a spreadsheet would read as a formula are prefixed with an
apostrophe, the usual defence against CSV injection, and every text is quoted.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import xlsxwriter

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert(text: str) -> str:
    """The text as a spreadsheet will show it, never as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with 、 and structs as text, so every cell fits a spreadsheet cell."""
    return frame.with_columns(
        pl.col(name).list.eval(pl.element().cast(pl.String)).list.join("、") if isinstance(dtype, pl.List)
        else pl.col(name).struct.json_encode()
        for name, dtype in frame.schema.items() if isinstance(dtype, (pl.List, pl.Struct))
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    """CSV bytes, UTF-8 with BOM, formula-looking text made inert."""
    frame = flatten(frame)
    safe = frame.with_columns(
        pl.col(name).map_elements(inert, return_dtype=pl.String)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )
    safe = safe.with_columns(
        pl.col(name).cast(pl.String) for name, dtype in safe.schema.items() if not dtype.is_numeric() and dtype != pl.String
    )
    # Text in quotes: a spreadsheet that splits on ';' (some locales) cannot cut a cell open
    # and start a new one with a formula.
    return b"\xef\xbb\xbf" + safe.write_csv(quote_style="non_numeric").encode("utf-8")


def to_xlsx(frame: pl.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx with one sheet: header row bold, dates as dates, numbers as numbers, and every
    string written with write_string (so `=...` stays text)."""
    frame = flatten(frame)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    ws = book.add_worksheet(_sheet_name(sheet))
    bold = book.add_format({"bold": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for c, name in enumerate(frame.columns):
        ws.write_string(0, c, str(name), bold)
        ws.set_column(c, c, max(10, min(40, 2 * len(str(name)) + 2)))
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                if value == value and abs(value) != float("inf"):  # NaN and inf stay empty
                    ws.write_number(r, c, value)
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value.replace(tzinfo=None), time_fmt)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
            else:
                ws.write_string(r, c, str(value))
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    return cleaned or "data"
