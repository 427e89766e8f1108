"""Tables as files to download: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and
Excel (.xlsx, written by the snapshot's writer, pipelines/export/xlsx.py).

Ledger text is typed by hand and may carry formulas (`=HYPERLINK(...)`, `+cmd|...`, `@SUM`).
Both files keep every cell inert: Excel cells hold strings written as strings (never
formulas), and CSV cells that a spreadsheet would read as a formula are prefixed with an
apostrophe, the usual defence against CSV injection, and every text is quoted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from xiaoan.i18n import DEFAULT_LANG

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_START = r"^[=+\-@\t\r\n]"  # the same, as a pattern for a whole column


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
    safe = frame.with_columns(  # inert(), a column at a time
        pl.when(pl.col(name).str.contains(FORMULA_START)).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )
    safe = safe.with_columns(
        pl.col(name).cast(pl.String) for name, dtype in safe.schema.items() if not dtype.is_numeric() and dtype != pl.String
    )
    # Text in quotes: a spreadsheet that splits on ';' (some locales) cannot cut a cell open
    # and start a new one with a formula.
    return b"\xef\xbb\xbf" + safe.write_csv(quote_style="non_numeric").encode("utf-8")


def to_xlsx(frame: pl.DataFrame, sheet: str = "data", lang: str = DEFAULT_LANG) -> bytes:
    """An .xlsx with one sheet, written as `xiaoan export` writes report.xlsx (a column at a
    time; a province's 340,000 hazards in seconds, not minutes): header row bold, frozen and
    filtered, dates as dates, numbers as numbers, yes/no in words, every string as text (so
    `=...` stays text)."""
    from pipelines.export.xlsx import write_xlsx  # on a click only: keeps xlsxwriter off the page's start

    frame = flatten(frame)
    with tempfile.TemporaryDirectory(prefix="xiaoan-download-") as tmp:
        path = Path(tmp) / "download.xlsx"
        write_xlsx(path, [(sheet or "data", frame, list(frame.columns), sheet)], lang)
        return path.read_bytes()
