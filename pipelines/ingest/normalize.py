"""Vectorised cleaning and parsing of text cells: full-width characters, stray spaces, every
date form of SPEC §2, vocabularies with synonyms, whole numbers.

Each parser returns an expression that is null where the cell is empty *or* unparseable;
the validator tells the two apart by looking at the cleaned text.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines.contract import vocabulary_map

EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Free text: trimmed, empty → null. The clerk's own characters are kept."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_chars() > 0).then(stripped).otherwise(None)


def clean_token(expr: pl.Expr) -> pl.Expr:
    """A code, name, date or vocabulary word: full-width → half-width (NFKC), trimmed, empty → null."""
    return clean_text(expr.str.normalize("NFKC"))


def key(expr: pl.Expr) -> pl.Expr:
    """A matching key for names and codes: no white space at all, lower case."""
    return expr.str.replace_all(r"\s+", "").str.to_lowercase()


def parse_date(expr: pl.Expr) -> pl.Expr:
    """A cleaned date cell → Date. Accepts Excel dates (as calamine renders them, or serial
    numbers), 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, with or without a time."""
    serial = (
        pl.when(expr.str.contains(r"^\d{5}(\.\d+)?$"))
        .then(pl.lit(EXCEL_EPOCH) + pl.duration(days=expr.str.extract(r"^(\d{5})", 1).cast(pl.Int64)))
        .otherwise(None)
    )
    compact = pl.when(expr.str.contains(r"^\d{8}$")).then(expr.str.to_date("%Y%m%d", strict=False)).otherwise(None)
    dashed = expr.str.replace_all(r"[年月./]", "-").str.replace_all("日", "")
    parts = dashed.str.extract_groups(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[\sT])")
    ymd = pl.concat_str([parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3")], separator="-")
    written = ymd.str.to_date("%Y-%m-%d", strict=False)
    parsed = pl.coalesce(written, compact, serial.cast(pl.Date))
    return pl.when(parsed.is_between(pl.lit(EARLIEST), pl.lit(LATEST))).then(parsed).otherwise(None)


def parse_vocabulary(expr: pl.Expr, vocab: dict[str, tuple[str, ...]]) -> pl.Expr:
    """A cleaned cell → its canonical vocabulary word (synonyms mapped), or null."""
    return key(expr).replace_strict(vocabulary_map(vocab), default=None, return_dtype=pl.String)


def parse_whole_number(expr: pl.Expr) -> pl.Expr:
    """'3', '3.0', '３' → 3; anything else (negative, fractional, text) → null."""
    return pl.when(expr.str.contains(r"^\d{1,9}(\.0+)?$")).then(expr.str.extract(r"^(\d+)", 1).cast(pl.Int64)).otherwise(None)


def parse_number(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(",", "").cast(pl.Float64, strict=False)


def per_value(frame: pl.DataFrame, column: str, exprs: dict[str, pl.Expr]) -> pl.DataFrame:
    """Add columns computed from `column` once per distinct value, then mapped back.

    Ledger columns such as dates, categories, statuses, schools and departments hold a few
    thousand distinct values over a million rows: parsing each value once is what makes
    the row-wise rules cheap. Every expression must map null to null."""
    values = frame.get_column(column).unique().drop_nulls()
    mapped = pl.DataFrame({column: values}).with_columns(**exprs)
    return frame.with_columns(**{
        name: pl.col(column).replace_strict(mapped[column], mapped[name], default=None, return_dtype=mapped.schema[name])
        for name in exprs
    })
