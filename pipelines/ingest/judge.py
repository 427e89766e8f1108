"""Check every sheet of one kind in a batch at once: the sheets' rows are stacked into one
frame (a few polars calls per batch, not per sheet), the kind's rules run once, in-file
duplicates are marked, and each row is either accepted or rejected with its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from pipelines.contract import Kind
from pipelines.ingest import checks as ck
from pipelines.ingest import limits
from pipelines.ingest.context import LoadContext
from pipelines.ingest.headers import Header
from pipelines.ingest.normalize import clean_text, clean_token, clean_tokens, per_values
from pipelines.ingest.readers import Sheet
from pipelines.ingest.resolve import Registry
from pipelines.ingest.rows import BLANK, OTHER, ROW, is_non_data, longest_cell, raw_json, stacked_rows
from pipelines.ingest.validate import FREE_TEXT

def col_flag(field: str) -> str:
    """The per-row flag that says the sheet has a table column for `field` (a value with the
    flag false came from the sheet's context: a line above or below the table, the title or
    the file name)."""
    return f"__col_{field}"


def guessed_flag(field: str) -> str:
    """The per-row flag that says the field's value came from the sheet's title, its name, the
    file's name or the sender — not from a column nor a line (Header.guessed)."""
    return f"__guessed_{field}"


GUESSABLE = ("school",)
ITEM = "__item"  # which (file, sheet) a stacked row came from
FILE = "__file"  # which file (its ingest id)
DEFAULT_DATE = "__default_report_date"


@dataclass
class SheetItem:
    """One sheet of one file in the batch."""

    ingest_id: int
    sheet: Sheet
    header: Header
    default_report_date: dt.date


@dataclass
class Judged:
    accepted: pl.DataFrame  # ITEM, ROW and the raw table's columns
    rejected: pl.DataFrame  # ITEM, ROW, column, reason (raw cells added by rejected_with_raw)
    counts: dict[int, tuple[int, int, int, int]]  # item → (rows_in, loaded, skipped, rejected)


def judge(kind: Kind, items: list[SheetItem], rules, registry: Registry, keys: tuple[str, ...] | None, not_null: tuple[str, ...], ctx: LoadContext) -> Judged:
    stacked = pl.concat(pl.collect_all(
        [stacked_rows(item.sheet.grid, item.header, item.sheet.excel_rows).with_columns(
            pl.lit(i, dtype=pl.Int32).alias(ITEM),
            pl.lit(item.ingest_id, dtype=pl.Int32).alias(FILE),
            pl.lit(item.default_report_date, dtype=pl.Date).alias(DEFAULT_DATE),
            *[pl.lit(c.field in item.header.fields).alias(col_flag(c.field)) for c in kind.columns],
            *[pl.lit(f in item.header.guessed).alias(guessed_flag(f)) for f in GUESSABLE if any(c.field == f for c in kind.columns)],
        ) for i, item in enumerate(items)]),
        how="vertical_relaxed",
    )
    # A fully blank row is skipped before any rule sees it: with a school from a line and every
    # field derived, the rules alone could accept it as a record.
    stacked = stacked.filter(~pl.col(BLANK)).drop(BLANK)
    stacked = stacked.with_columns((longest_cell(kind) > limits.MAX_CELL_CHARS).alias("__too_long"))
    cleaned = _clean(stacked.drop(OTHER), kind)
    ruled = rules(cleaned, registry, pl.col(DEFAULT_DATE), ctx)
    frame = ruled.frame.with_columns(**{f"__out_{name}": expr for name, expr in ruled.output.items()})
    frame = ck.apply(frame, [*ruled.checks, ck.Check("", pl.col("__too_long"), ck.reason("row.cell_too_long", limit=limits.MAX_CELL_CHARS))])
    frame = _net(frame, [n for n in not_null if n in ruled.output])
    frame = _drop_non_data(frame, stacked, kind)
    if keys:
        frame = _mark_duplicates(frame, kind, keys)
    ok = pl.col(ck.REASON).is_null()
    accepted = frame.filter(ok).select(ITEM, ROW, **{name: pl.col(f"__out_{name}") for name in ruled.output})
    rejected = frame.filter(~ok).select(ITEM, ROW, column=pl.col(ck.COLUMN), reason=pl.col(ck.REASON))
    return Judged(accepted, rejected, _counts(items, accepted, rejected))


def _drop_non_data(frame: pl.DataFrame, stacked: pl.DataFrame, kind: Kind) -> pl.DataFrame:
    """Leave out blank rows, totals, lone notes and repeated headers (they count as skipped).

    Such a row can never pass a ledger's rules, so for ledgers only the rows the rules
    rejected are tested; registry sheets are small and a totals row could pass there
    (镇代码 合计), so every one of their rows is tested."""
    suspects = frame if kind.registry else frame.filter(pl.col(ck.REASON).is_not_null())
    if suspects.height == 0:
        return frame
    raw = stacked.join(suspects.select(ITEM, ROW), on=[ITEM, ROW], how="semi")
    non_data = raw.filter(is_non_data(kind)).select(ITEM, ROW)
    return frame.join(non_data, on=[ITEM, ROW], how="anti", maintain_order="left") if non_data.height else frame


def _clean(frame: pl.DataFrame, kind: Kind) -> pl.DataFrame:
    """Trim every cell; full-width → half-width (NFKC) for codes, names, dates and words.
    Columns with few distinct values are cleaned once per value."""
    text = [c.field for c in kind.columns if c.field in FREE_TEXT]
    ids = [c.field for c in kind.columns if c.field not in FREE_TEXT and c.field.endswith("_id")]
    frame = frame.with_columns(**{f: clean_text(pl.col(f)) for f in text})
    frame = frame.with_columns([clean_tokens(frame.get_column(f)) for f in ids])
    few = [c.field for c in kind.columns if c.field not in FREE_TEXT and c.field not in ids]
    return per_values(frame, [(f, {f: clean_token(pl.col(f))}) for f in few])


def _net(frame: pl.DataFrame, not_null: list[str]) -> pl.DataFrame:
    """A last net under the rules: a value the raw table cannot be without is never inserted null."""
    if not not_null:
        return frame
    return ck.apply_where_unjudged(frame, ck.Check(
        "",
        pl.any_horizontal([pl.col(f"__out_{n}").is_null() for n in not_null]),
        ck.reason("row.incomplete", value=pl.concat_str(
            [pl.when(pl.col(f"__out_{n}").is_null()).then(pl.lit(n)) for n in not_null], separator=",", ignore_nulls=True)),
    ))


def _mark_duplicates(frame: pl.DataFrame, kind: Kind, keys: tuple[str, ...]) -> pl.DataFrame:
    """Within one file, a row whose key repeats an earlier accepted row is rejected (the first is kept)."""
    key_cols = [f"__out_{k}" for k in keys]
    group = [FILE, *key_cols]
    candidate = pl.col(ck.REASON).is_null() & pl.all_horizontal([pl.col(c).is_not_null() for c in key_cols])
    if not frame.select((pl.struct(group).is_duplicated() & candidate).any()).item():
        return frame
    ranked = frame.with_columns(__cand=candidate).with_columns(
        __first=pl.col(ROW).filter(pl.col("__cand")).first().over(group),
        __nth=pl.col("__cand").cast(pl.Int32).cum_sum().over(group),
    )
    dup = pl.col("__cand") & (pl.col("__nth") > 1)
    return ranked.with_columns(
        pl.when(dup).then(ck.reason("row.duplicate_in_file", value=pl.col("__first").cast(pl.String))).otherwise(pl.col(ck.REASON)).alias(ck.REASON),
        pl.when(dup).then(pl.lit(kind.columns[0].zh)).otherwise(pl.col(ck.COLUMN)).alias(ck.COLUMN),
    ).drop("__cand", "__first", "__nth")


def _counts(items: list[SheetItem], accepted: pl.DataFrame, rejected: pl.DataFrame) -> dict[int, tuple[int, int, int, int]]:
    loaded = dict(accepted.group_by(ITEM).len().iter_rows())
    bad = dict(rejected.group_by(ITEM).len().iter_rows())
    out = {}
    for i, item in enumerate(items):
        rows_in = item.sheet.grid.height if item.header.rows_in is None else item.header.rows_in
        n_ok, n_bad = loaded.get(i, 0), bad.get(i, 0)
        out[i] = (rows_in, n_ok, rows_in - n_ok - n_bad, n_bad)
    return out


def rejected_with_raw(item: SheetItem, rows: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows of one sheet with their raw cells as typed (JSON). The column, and the
    header a reason quotes, are the clerk's own (整改落实情况, not the contract's 整改状态)."""
    grid = item.sheet.grid.with_columns(item.sheet.row_numbers().alias(ROW))
    joined = rows.join(grid, on=ROW, how="left", maintain_order="left")
    out = joined.select(ROW, "column", "reason", raw=raw_json(joined, item.header))
    own = clerks_headers(item.header)
    if not own:
        return out
    reason = pl.col("reason")
    for zh, label in own.items():
        reason = reason.str.replace_all(f"「{zh}」", f"「{label}」", literal=True)
    return out.with_columns(pl.col("column").replace(own), reason.alias("reason"))


def clerks_headers(header: Header) -> dict[str, str]:
    """The contract's header → the clerk's, for the fields this sheet has under another name."""
    own = {}
    for field, column in header.fields.items():
        label = " ".join(str(header.labels.get(column, "")).split())
        zh = header.kind.column(field).zh
        if label and label != zh:
            own[zh] = label
    return own
