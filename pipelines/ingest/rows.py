"""Stack a sheet's rows under the contract's field names, and tell data rows from non-data
rows (blank, totals, notes, a repeated header) — once per batch, on the stacked frame."""

from __future__ import annotations

import polars as pl

from pipelines.contract import NOTE_PREFIXES, TOTALS_WORDS, Kind, header_key_of
from pipelines.ingest.headers import Header

ROW = "__row"  # the row number as Excel shows it
OTHER = "__other"  # the cells of columns the contract does not name, as a list
BLANK = "__blank"  # every cell of the clerk's row is empty or whitespace (lines' values not counted)
TOTALS_PATTERN = "^(" + "|".join(TOTALS_WORDS) + r")[:：]?\S{0,8}$"
NOTE_PATTERN = "^(" + "|".join(NOTE_PREFIXES) + ")"


def stacked_rows(grid: pl.DataFrame, header: Header, excel_rows: pl.Series | None = None) -> pl.LazyFrame:
    """The rows below the header, each with its Excel row number (ROW: grid row i is Excel row
    i + 1, unless `excel_rows` gives each row's number, for a compacted sheet), the contract's
    fields as typed (absent ones null) and the other cells as a list — so that sheets of one
    kind, whatever their layout, stack into one frame."""
    mapped = set(header.fields.values())
    others = [c for c in grid.columns if c not in mapped]
    numbered = (grid.lazy().with_row_index(ROW, offset=1) if excel_rows is None
                else grid.with_columns(excel_rows.cast(pl.Int32).alias(ROW)).lazy())
    end = None if header.data_end is None else max(header.data_end - header.data_start, 0)
    return (
        numbered
        .slice(header.data_start, end)
        .select(
            pl.col(ROW).cast(pl.Int32),
            *[_cell(header, c.field).alias(c.field) for c in header.kind.columns],
            (pl.concat_list(others) if others else pl.lit([], dtype=pl.List(pl.String))).alias(OTHER),
            blank_row(grid).alias(BLANK),
        )
    )


def blank_row(grid: pl.DataFrame) -> pl.Expr:
    """True where every cell of the grid's row is empty or whitespace: such a row is never data,
    whatever the sheet's lines, title or derivations could fill in (one pass over the cells)."""
    cells = [pl.col(c).is_null() | pl.col(c).str.contains(r"^\s*$") if dtype == pl.String
             else pl.col(c).is_null() for c, dtype in grid.schema.items()]
    return pl.all_horizontal(cells) if cells else pl.lit(True)


def _cell(header: Header, field: str) -> pl.Expr:
    """The field's column; where the table has none, the value a line gave the sheet (SPEC §2.1)."""
    if field in header.fields:
        return pl.col(header.fields[field])
    return pl.lit(header.context.get(field), dtype=pl.String)


def _typed(field: str) -> pl.Expr:
    """The cell as the table holds it: null where the value came from a line (the sheet's
    context), so that a blank row under a 学校： line is still blank. The flag `__col_<field>`
    is judge's (pipelines/ingest/judge.col_flag)."""
    return pl.when(pl.col(f"__col_{field}")).then(pl.col(field))


def _squeezed(e: pl.Expr) -> pl.Expr:
    return e.str.replace_all(r"\s+", "").str.to_lowercase()


def _any_cell(kind: Kind, test) -> pl.Expr:
    """True where any cell of the row (named columns or others) passes `test`."""
    named = [test(_typed(c.field)).fill_null(False) for c in kind.columns]
    other = pl.col(OTHER).list.eval(test(pl.element())).list.any().fill_null(False)
    return pl.any_horizontal([*named, other])


def is_non_data(kind: Kind) -> pl.Expr:
    """True for a row that is not data: blank, a totals row, a lone note, a repeated header."""
    filled = pl.sum_horizontal(
        [(_typed(c.field).str.strip_chars().str.len_chars() > 0).fill_null(False).cast(pl.Int32) for c in kind.columns]
    ) + pl.col(OTHER).list.eval(pl.element().str.strip_chars().str.len_chars() > 0).list.sum().fill_null(0)
    totals = _any_cell(kind, lambda e: _squeezed(e).str.contains(TOTALS_PATTERN))
    note = (filled == 1) & _any_cell(kind, lambda e: _squeezed(e).str.contains(NOTE_PATTERN))
    return (filled == 0) | totals | note | _repeated_header(kind)


def longest_cell(kind: Kind) -> pl.Expr:
    cells = [pl.col(c.field).str.len_chars().fill_null(0) for c in kind.columns]
    return pl.max_horizontal([*cells, pl.col(OTHER).list.eval(pl.element().str.len_chars()).list.max().fill_null(0)])


def _repeated_header(kind: Kind) -> pl.Expr:
    """A row that repeats the header (one per pasted month, say) is not data."""
    hits = [_in_names(col.field, {header_key_of(n) for n in (col.zh, col.field, *col.aliases)}) & pl.col(f"__col_{col.field}")
            for col in kind.columns]
    filled = pl.sum_horizontal([_typed(c.field).is_not_null().cast(pl.Int32) for c in kind.columns])
    matched = pl.sum_horizontal([h.fill_null(False).cast(pl.Int32) for h in hits])
    return (matched >= 2) & (2 * matched >= filled)


def _in_names(column: str, names: set[str]) -> pl.Expr:
    cleaned = (
        pl.col(column)
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"[(\[（【<《].*?[)\]）】>》]", "")
        .str.replace_all(r"[\s*＊:：#_\-—./、]+", "")
    )
    return cleaned.is_in(sorted(names))


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
