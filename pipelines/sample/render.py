"""From clean records to the cells of one file, in that file's style.

`render` turns a clean frame (English contract names, typed values) into the frame a writer
lays out, following a `FileStyle`; `Rendered.table` cuts it into sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.sample import messy
from pipelines.sample.lookups import choose
from pipelines.sample.sheets import Table
from pipelines.sample.styles import FileStyle

REMARKS = ("已督办", "逾期未改", "已约谈责任人", "复查合格", "等待资金", "已上报区办")


@dataclass(frozen=True)
class Rendered:
    """The rows of one file, ready to be cut into sheets."""

    frame: pl.DataFrame
    style: FileStyle
    excel_dates: tuple[str, ...]   # headers of columns written as Excel dates
    groups: dict[str, str]         # header -> group title, for a two-row header
    sum_cols: tuple[str, ...]      # headers summed in a 合计 row

    def table(self, name: str, rng: np.random.Generator, title: str | None = None,
              subtitle: str | None = None, rows: np.ndarray | None = None) -> Table:
        """One sheet (or CSV) of the file: the selected rows, blank rows and 合计 added."""
        style = self.style
        df = self.frame if rows is None else self.frame.filter(pl.Series(rows))
        n = df.height
        if style.blank_rows:
            df = messy.with_blank_rows(df, rng, style.blank_rows)
        if style.totals and n:
            df = messy.with_totals(df, n, {c: int(df[c].sum()) for c in self.sum_cols})
        return Table(name, df, title if style.title else None,
                     subtitle if style.title else None, self.groups, self.excel_dates)


def render(frame: pl.DataFrame, headers: dict[str, str], style: FileStyle,
           rng: np.random.Generator, *, date_cols: tuple[str, ...] = (),
           dirty_cols: tuple[str, ...] = (), wide_cols: tuple[str, ...] = (),
           groups: dict[str, str] | None = None, sum_cols: tuple[str, ...] = ()) -> Rendered:
    """The rows of one file as that file shows them.

    `frame` has the English contract names of `headers` (English -> Chinese). Dates become
    text in the file's styles (ISO text marks an Excel date), some cells get untidy, a 备注
    column may join, headers turn Chinese or English and columns may change order.
    """
    n = frame.height
    exprs = []
    for col in date_cols:
        main = "iso" if style.date_style == messy.EXCEL else style.date_style
        styles = messy.date_styles(rng, n, main, style.date_mix)
        exprs.append(messy.date_text(col, styles).alias(col))
    if style.dirty > 0:
        exprs += [messy.stray_spaces(pl.col(c), messy.sprinkle(rng, n, style.dirty)).alias(c)
                  for c in dirty_cols if c not in date_cols]
    df = frame.with_columns(exprs) if exprs else frame
    if style.dirty > 0:
        df = df.with_columns(
            messy.fullwidth(pl.col(c), messy.sprinkle(rng, n, style.dirty / 2)).alias(c)
            for c in wide_cols)
    if style.remark:
        picks = np.asarray(REMARKS)[rng.integers(0, len(REMARKS), n)]
        df = df.with_columns(remarks=choose(rng.random(n) < 0.2, pl.Series(picks)))
        headers = {**headers, "remarks": "备注"}
    names = {k: (k if style.english else v) for k, v in headers.items()}
    df = df.select(list(headers)).rename(names)
    groups_out = {names[k]: g for k, g in (groups or {}).items()} if style.two_row else {}
    if style.shuffle:
        df = df.select(messy.shuffled(df.columns, rng, groups_out or None))
    excel_dates = tuple(names[c] for c in date_cols) if style.excel_dates else ()
    return Rendered(df, style, excel_dates, groups_out,
                    tuple(names[c] for c in sum_cols if c in names))
