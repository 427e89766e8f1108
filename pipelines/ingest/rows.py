"""Split a sheet's body into data rows and non-data rows (blank, totals, notes, a repeated
header), and give every data row its Excel row number and its raw cells."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.contract import NOTE_PREFIXES, TOTALS_WORDS, header_key_of
from pipelines.ingest.headers import Header

ROW = "__row"  # the row number as Excel shows it
TOTALS_PATTERN = "^(" + "|".join(TOTALS_WORDS) + r")[:：]?\S{0,8}$"
NOTE_PATTERN = "^(" + "|".join(NOTE_PREFIXES) + ")"


@dataclass
class Body:
    data: pl.DataFrame  # grid columns plus ROW, one row per data row
    rows_in: int  # every row below the header
    skipped: int  # blank, totals, notes and repeated headers


def split_body(grid: pl.DataFrame, header: Header) -> Body:
    body = grid.slice(header.data_start).with_row_index(ROW, offset=header.data_start + 1)
    cells = grid.columns
    filled = [pl.col(c).is_not_null() & (pl.col(c).str.strip_chars().str.len_chars() > 0) for c in cells]
    n_filled = pl.sum_horizontal(filled)
    stripped = [pl.col(c).str.replace_all(r"\s+", "").str.to_lowercase() for c in cells]
    totals = pl.any_horizontal([s.str.contains(TOTALS_PATTERN) for s in stripped])
    note = (n_filled == 1) & pl.any_horizontal([s.str.contains(NOTE_PATTERN) for s in stripped])
    repeated_header = _repeated_header(header)
    skip = (n_filled == 0) | totals.fill_null(False) | note.fill_null(False) | repeated_header
    flagged = body.with_columns(__skip=skip)
    data = flagged.filter(~pl.col("__skip")).drop("__skip")
    return Body(data=data, rows_in=body.height, skipped=body.height - data.height)


def _repeated_header(header: Header) -> pl.Expr:
    """A row that repeats the header (one per pasted month, say) is not data."""
    checks = []
    for field, column in header.fields.items():
        names = {header_key_of(n) for n in _names_of(header, field)}
        checks.append(_in_names(column, names))
    matched = pl.sum_horizontal([c.fill_null(False).cast(pl.Int32) for c in checks])
    return matched >= max(2, (len(checks) + 1) // 2)


def _in_names(column: str, names: set[str]) -> pl.Expr:
    cleaned = (
        pl.col(column)
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"[(\[（【<《].*?[)\]）】>》]", "")
        .str.replace_all(r"[\s*＊:：#_\-—./、]+", "")
    )
    return cleaned.is_in(sorted(names))


def _names_of(header: Header, field: str) -> tuple[str, ...]:
    col = header.kind.column(field)
    return (col.zh, col.field, *col.aliases)


def raw_json(data: pl.DataFrame, header: Header) -> pl.Expr:
    """The row's cells as JSON {header as typed: value}, for the rejected-rows table."""
    seen: dict[str, int] = {}
    parts = []
    for column in data.columns:
        if column not in header.labels:
            continue
        label = header.labels[column]
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label}_{seen[label]}"
        parts.append(pl.col(column).alias(label))
    return pl.struct(parts).struct.json_encode()
