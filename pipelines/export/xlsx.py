"""report.xlsx: one sheet per snapshot table, Chinese headers (xiaoan.i18n), column widths,
percentages, dates, frozen header and a filter. Ledger text is always written as text (inline
strings, never formulas): a description typed as `=1+1` or `@cmd` stays text.

xlsxwriter lays out the workbook (sheets, formats, widths, header rows, panes, filters); the
data rows are then written into each sheet's XML by polars, a column at a time — xlsxwriter
costs ~10 µs a cell, and a province's hazard sheet alone has 8 million cells. The cells are
those xlsxwriter writes in constant-memory mode: inline strings with its escaping (XML
characters, control characters as _xHHHH_), numbers and date serials with the column's style.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from xiaoan.i18n import DEFAULT_LANG, TEXT, t
from xiaoan.labels import (RATE_COLUMNS, WHOLE_COLUMNS, bucket_label, column_label, period_words, rate_text,
                           table_label, term_label, whole_text, yes_no)

MAX_ROWS = 1_048_575  # Excel's last row, less the header
MAX_WIDTH = 60
MAX_CHARS = 32_767  # Excel's longest text in a cell
CHUNK_ROWS = 50_000  # rows turned into XML at a time
SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
EXCEL_EPOCH_DAYS = 25_569  # 1970-01-01 as an Excel date serial
CONTROL = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20))]
# What _text_cell escapes as _xHHHH_: a control character, U+FFFE, U+FFFF, or a literal _xHHHH_.
_RARE = r"[\x00-\x08\x0B-\x1F\x{FFFE}\x{FFFF}]|_x[0-9a-fA-F]{4}_"


def write_report_xlsx(path: Path, tables: dict[str, pl.DataFrame], lang: str = DEFAULT_LANG) -> dict[str, int]:
    """Write the workbook; returns {table: rows left out} for tables beyond Excel's row limit."""
    sheets = [(table_label(name, lang), shown, [header_label(name, c, lang) for c in shown.columns], name)
              for name, frame in tables.items() for shown in [_readable(name, frame, lang)]]
    return write_xlsx(path, sheets, lang)


def header_label(table: str, column: str, lang: str = DEFAULT_LANG) -> str:
    """A column's header in one table: header.<table>.<column> where the shared label would
    mislead (unit_indicators.status is 计分情况, not 整改状态), else the column's label."""
    key = f"header.{table}.{column}"
    return t(key, lang) if key in TEXT else column_label(column, lang)


def write_xlsx(path: Path, sheets: list[tuple[str, pl.DataFrame, list[str], str]], lang: str = DEFAULT_LANG) -> dict[str, int]:
    """Write a workbook of (title, frame, headers, key) sheets; returns {key: rows left out} for
    frames beyond Excel's row limit. Also what the dashboard's Excel downloads use."""
    path = Path(path)
    layout = path.with_name(f".{path.name}.layout")
    book = xlsxwriter.Workbook(str(layout), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
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
    left_out, laid_out = {}, []
    try:
        used = set()
        for title, shown, headers, key in sheets:
            shown = shown.with_columns(  # a list of words (hazards' `derived`) as one cell: joined by 、
                pl.col(c).cast(pl.List(pl.String)).list.join("、") for c, d in shown.schema.items() if isinstance(d, pl.List))
            if shown.height > MAX_ROWS:
                left_out[key] = shown.height - MAX_ROWS
                shown = shown.head(MAX_ROWS)
            sheet = book.add_worksheet(_sheet_name(title, used))
            laid_out.append((sheet, shown, _lay_out_sheet(sheet, shown, headers, formats)))
        book.close()
        # Formats have their style numbers once the workbook is closed.
        fills = {f"xl/worksheets/sheet{sheet.index + 1}.xml": (shown, [f.xf_index if f else None for f in styles])
                 for sheet, shown, styles in laid_out}
        _fill_rows(layout, path, fills, lang)
    finally:
        layout.unlink(missing_ok=True)
    return left_out


def _lay_out_sheet(sheet, frame: pl.DataFrame, headers: list[str], formats: dict) -> list:
    """Widths, column formats, header row, frozen header and filter; returns each column's format."""
    styles = []
    for c, (column, header) in enumerate(zip(frame.columns, headers)):
        style = _column_format(column, frame.schema[column], formats)
        styles.append(style)
        sheet.set_column(c, c, _width(frame, column, header), style)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, None, formats["header"])
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, formats["header"])
    if frame.columns:
        sheet.autofilter(0, 0, max(frame.height, 1), len(frame.columns) - 1)
    return styles


def _fill_rows(layout: Path, path: Path, fills: dict[str, tuple[pl.DataFrame, list]], lang: str) -> None:
    """Copy the laid-out workbook to `path`, writing each sheet's data rows after its header."""
    with zipfile.ZipFile(layout) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename not in fills or not fills[item.filename][0].height:
                target.writestr(item, data)
                continue
            frame, styles = fills[item.filename]
            head, tail = data.split(b"</sheetData>", 1)
            last = f"{xl_col_to_name(len(frame.columns) - 1)}{frame.height + 1}"
            head = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
            # Opened by name, the part takes the archive's compression (a bare ZipInfo is stored:
            # a province's hazard sheet would be 10 times larger).
            with target.open(item.filename, "w", force_zip64=True) as out:
                out.write(head)
                for chunk in _rows_xml(frame, styles, lang):
                    out.write(chunk)
                out.write(b"</sheetData>" + tail)


def _rows_xml(frame: pl.DataFrame, styles: list, lang: str) -> Iterator[bytes]:
    """The <row> elements of the data (Excel rows 2…), CHUNK_ROWS at a time."""
    for offset in range(0, frame.height, CHUNK_ROWS):
        part = frame.slice(offset, CHUNK_ROWS)
        row = (pl.int_range(pl.len(), dtype=pl.Int64) + (offset + 2)).cast(pl.String)
        # Excel's escapes (_xHHHH_) take ~35 passes over a text column; most columns hold none
        # of what they escape, which one pass per column tells.
        texts = [column for column in part.columns if part.schema[column] == pl.String]
        rare = part.select(pl.col(texts).str.contains(_RARE).any()).row(0, named=True) if texts else {}
        cells = [_cell(column, part.schema[column], xl_col_to_name(c), styles[c], row, lang, rare.get(column, True))
                 for c, column in enumerate(part.columns)]
        xml = part.select(pl.concat_str([pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>")])
                          .str.join(""))
        yield xml.item().encode("utf-8")


def _cell(column: str, dtype: pl.DataType, letter: str, style: int | None, row: pl.Expr, lang: str,
          rare: bool = True) -> pl.Expr:
    """One column's cells as XML text ('' where the value is null). `rare`: whether a text
    column may hold what Excel escapes as _xHHHH_ (control characters, U+FFFE/U+FFFF, a literal
    _xHHHH_); without, those replacements are skipped (they would change nothing)."""
    value = pl.col(column)
    ref = [pl.lit(f'<c r="{letter}'), row]
    styled = pl.lit(f'" s="{style}"' if style else '"')
    if dtype == pl.Boolean:
        text = pl.when(value).then(pl.lit(yes_no(True, lang))).when(value.not_()).then(pl.lit(yes_no(False, lang)))
        return _text_cell(ref, styled, text)
    if dtype == pl.Date:
        return _number_cell(ref, styled, value.cast(pl.Int32) + EXCEL_EPOCH_DAYS)
    if isinstance(dtype, pl.Datetime):
        days = value.dt.replace_time_zone(None).dt.epoch("us").cast(pl.Float64) / 86_400_000_000
        return _number_cell(ref, styled, days + EXCEL_EPOCH_DAYS)
    if dtype.is_float():
        number = value.cast(pl.Float64)
        infinite = number.is_infinite()
        finite = _number_cell(ref, styled, pl.when(number.is_nan() | infinite).then(None).otherwise(number))
        error = pl.concat_str([*ref, styled, pl.lit(' t="e"><v>#DIV/0!</v></c>')])  # as nan_inf_to_errors
        return pl.when(infinite).then(error).otherwise(finite)
    if dtype.is_numeric():
        return _number_cell(ref, styled, value)
    if dtype == pl.String:
        return _text_cell(ref, styled, value, rare)
    # Anything else (lists, structs) as Python shows it, as the cell-by-cell writer did.
    return _text_cell(ref, styled, value.map_elements(str, return_dtype=pl.String))


def _number_cell(ref: list, styled: pl.Expr, number: pl.Expr) -> pl.Expr:
    """<c r=… s=…><v>number</v></c>, '' where the number is null."""
    return pl.concat_str([*ref, styled, pl.lit("><v>"), number.cast(pl.String), pl.lit("</v></c>")]).fill_null("")


def _text_cell(ref: list, styled: pl.Expr, text: pl.Expr, rare: bool = True) -> pl.Expr:
    text = text.str.slice(0, MAX_CHARS)
    if rare:
        # Excel's own escapes first: a literal _xHHHH_ keeps its text, control characters become _xHHHH_.
        text = text.str.replace_all(r"(_x[0-9a-fA-F]{4}_)", "_x005F$1")
        for ch in CONTROL:
            text = text.str.replace_all(ch, f"_x{ord(ch):04X}_", literal=True)
        text = text.str.replace_all("\ufffe", "_xFFFE_", literal=True).str.replace_all("\uffff", "_xFFFF_", literal=True)
    text = (text.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))
    return pl.concat_str([*ref, styled, pl.lit(' t="inlineStr"><is><t xml:space="preserve">'), text,
                          pl.lit("</t></is></c>")]).fill_null("")


def _readable(name: str, frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Codes that only the program reads (figure and indicator names, buckets, terms, quarter keys,
    months) in words."""
    frame = period_words(frame, lang)  # 2026Q1 → 2026年第一季度, a month's first day → 2026年10月
    if name == "headline":
        frame = _headline_words(frame, lang)
    for column in ("metric", "indicator"):
        if column in frame.columns:
            names = frame.get_column(column).drop_nulls().unique().to_list()
            frame = frame.with_columns(pl.col(column).replace({n: column_label(n, lang) for n in names}))
    words = {"tier": "tier", "responsible_kind": "kind"}  # codes of a kind → their words
    words.update({c: "status" for c in frame.columns if c.endswith("_status")
                  or (c == "status" and name == "unit_indicators")})
    for column, prefix in words.items():
        if column in frame.columns and frame.schema[column] == pl.String:
            frame = frame.with_columns(pl.col(column).replace(_words(frame[column], prefix, lang)))
    if "ranked" in frame.columns and frame.schema["ranked"] == pl.Boolean:  # the scorecards: 不参与排名 in words
        frame = frame.with_columns(pl.when(pl.col("ranked")).then(pl.lit(t("ranked.yes", lang)))
                                   .when(pl.col("ranked").not_()).then(pl.lit(t("ranked.no", lang))).alias("ranked"))
    if name == "overdue_buckets":
        labels = [bucket_label(b, lo, hi, lang) for b, lo, hi in frame.select("overdue_bucket", "min_days", "max_days").iter_rows()]
        frame = frame.with_columns(pl.Series("overdue_bucket", labels, dtype=pl.String))
    if "term" in frame.columns and "semester_start" in frame.columns:
        pairs = frame.select("term", "semester_start").unique().iter_rows()
        words = {(term, start): term_label(term, start, lang) for term, start in pairs if term and start}
        frame = frame.with_columns(pl.struct("term", "semester_start").map_elements(
            lambda v: words.get((v["term"], v["semester_start"])), return_dtype=pl.String).alias("term"))
    return frame


def _headline_words(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The headline sheet mixes rates and counts in one column: each figure as it is read — a
    rate with one decimal (78.4%) and its change in percentage points, a risk total whole."""
    if not {"metric", "value", "previous", "change"} <= set(frame.columns):
        return frame

    def shown(metric: str, value, change: bool = False) -> str | None:
        if value is None:
            return None
        if metric in RATE_COLUMNS:
            return t("dash.overview.pp", lang, n=f"{100 * value:+.1f}") if change else rate_text(value)
        if isinstance(value, bool):
            return yes_no(value, lang)
        text = whole_text(value) if metric in WHOLE_COLUMNS or float(value).is_integer() else f"{value:,.2f}"
        return f"+{text}" if change and value > 0 else text

    rows = list(frame.select("metric", "value", "previous", "change").iter_rows())
    return frame.with_columns(
        pl.Series("value", [shown(m, v) for m, v, _, _ in rows], dtype=pl.String),
        pl.Series("previous", [shown(m, p) for m, _, p, _ in rows], dtype=pl.String),
        pl.Series("change", [shown(m, c, True) for m, _, _, c in rows], dtype=pl.String))


def _words(values: pl.Series, prefix: str, lang: str) -> dict[str, str]:
    """{value: its words} for the values of a column that have a <prefix>.<value> text."""
    return {v: t(f"{prefix}.{v}", lang) for v in values.drop_nulls().unique().to_list() if f"{prefix}.{v}" in TEXT}


def _column_format(column: str, dtype: pl.DataType, formats: dict):
    if column in RATE_COLUMNS:
        return formats["pct"]
    if column in WHOLE_COLUMNS and dtype.is_numeric():
        return formats["int"]
    if dtype == pl.Date:
        return formats["date"]
    if isinstance(dtype, pl.Datetime):
        return formats["datetime"]
    if dtype.is_float():
        return formats["float"]
    if dtype.is_integer():
        return formats["int"]
    return None


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
