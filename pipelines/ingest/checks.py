"""The check engine: a rule is a boolean expression that is true where a row breaks it, and
a reason in the clerk's words. All rules of a sheet are evaluated at once, column-wise."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.contract import Kind
from xiaoan.i18n import TEXT, t

REASON = "__reason"
COLUMN = "__column"


@dataclass
class Check:
    column: str  # the Chinese header the rule is about
    failed: pl.Expr  # true where the row breaks the rule
    reason: pl.Expr  # the reason, a string expression (may quote the cell)


def reason(key: str, **values: object) -> pl.Expr:
    """A reason from the translation table; a value given as an expression is quoted from the row."""
    raw = TEXT[key]["zh"]  # a value the text does not quote is left out (pl.format counts its {})
    exprs = {k: v for k, v in values.items() if isinstance(v, pl.Expr) and "{" + k + "}" in raw}
    fixed = {k: v for k, v in values.items() if not isinstance(v, pl.Expr)}
    template = t(key, **fixed, **{k: "{}" for k in exprs})
    if not exprs:
        return pl.lit(template)
    return pl.format(template, *[e.fill_null("") for e in exprs.values()])


def required(kind: Kind, field: str) -> Check:
    """The column must be in the header, and the cell filled."""
    zh = kind.column(field).zh
    has = pl.col(f"__col_{field}") | pl.col(field).is_not_null()  # (a value from a line counts)
    reason_expr = pl.when(has).then(reason("row.required", column=zh)).otherwise(reason("row.missing_column", column=zh))
    return Check(zh, ~has | pl.col(field).is_null(), reason_expr)


def parsed(kind: Kind, field: str, typed: str, key: str, **values: object) -> Check:
    """The cell is filled but did not parse into the typed column."""
    zh = kind.column(field).zh
    values.setdefault("value", pl.col(field))  # every message quotes the clerk's cell (SPEC §2.1)
    return Check(zh, pl.col(field).is_not_null() & pl.col(typed).is_null(), reason(key, column=zh, **values))


def apply(frame: pl.DataFrame, checks: list[Check]) -> pl.DataFrame:
    """Add REASON (every broken rule, joined by ；) and COLUMN (the first broken rule's column).
    The flags are computed for every row; the words only for the few rows that broke a rule."""
    flags = frame.select([c.failed.fill_null(False).alias(f"__f{i}") for i, c in enumerate(checks)])
    failed = flags.select(pl.any_horizontal(pl.all())).to_series() if checks else pl.Series([False] * frame.height)
    out = frame.with_columns(pl.lit(None, dtype=pl.String).alias(REASON), pl.lit(None, dtype=pl.String).alias(COLUMN))
    if not failed.any():
        return out
    index = failed.arg_true()
    bad = pl.concat([frame.filter(failed), flags.filter(failed)], how="horizontal")
    words = bad.select(
        pl.concat_str([pl.when(pl.col(f"__f{i}")).then(c.reason) for i, c in enumerate(checks)], separator="；", ignore_nulls=True).alias(REASON),
        pl.coalesce([pl.when(pl.col(f"__f{i}")).then(pl.lit(c.column)) for i, c in enumerate(checks)]).alias(COLUMN),
    )
    return out.with_columns(
        out.get_column(REASON).scatter(index, words.get_column(REASON)),
        out.get_column(COLUMN).scatter(index, words.get_column(COLUMN)),
    )


def apply_where_unjudged(frame: pl.DataFrame, check: Check) -> pl.DataFrame:
    """One more check, for the rows no earlier check rejected."""
    caught = frame.select((pl.col(REASON).is_null() & check.failed.fill_null(False)).alias("c")).to_series()
    if not caught.any():
        return frame
    index = caught.arg_true()
    words = frame.filter(caught).select(check.reason.alias(REASON))
    return frame.with_columns(
        frame.get_column(REASON).scatter(index, words.get_column(REASON)),
        frame.get_column(COLUMN).scatter(index, pl.Series([check.column] * len(index), dtype=pl.String)),
    )
