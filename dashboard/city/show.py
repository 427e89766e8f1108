"""Building blocks of the city's pages: the city tables in the viewer's scope, a table with its
CSV and Excel downloads (dashboard/widgets.py: same formats, same inert cells), the city's own
column headers, a roll-up that cannot run said in one line."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import polars as pl
import streamlit as st

from dashboard import widgets
from dashboard.city import data
from dashboard.city.shell import CityContext
from xiaoan.i18n import TEXT
from xiaoan.labels import RATE_COLUMNS

# Columns whose header the city view names itself (the others: the shared col.* labels).
CITY_COLUMNS = ("district", "district_name", "last_as_of", "reported", "towns", "town_months", "town_months_met",
                "units", "units_overdue", "quarter_as_of", "version", "written_at", "rules_hash", "rows",
                "table_name", "table")


def city_tables(ctx: CityContext) -> dict[str, pl.DataFrame]:
    """The city tables as of the page's date, narrowed to the viewer's scope; stops the page with
    the roll-up's one-line reason when it cannot run."""
    from pipelines.city.rollup import RollupError

    try:
        tables = data.city_tables(ctx.state, ctx.as_of)
    except RollupError as problem:
        st.error(problem.message(ctx.lang))
        st.stop()
    return {name: ctx.scope.rows(frame) for name, frame in tables.items()}


def headers(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The city's own columns renamed to their labels (city.view.col.*); the rest keep their names
    for widgets.table, which labels them as every page does."""
    names = {c: TEXT[f"city.view.col.{c}"].get(lang) or TEXT[f"city.view.col.{c}"]["zh"]
             for c in frame.columns if c in CITY_COLUMNS and f"city.view.col.{c}" in TEXT}
    return frame.rename(names)


def table(frame: pl.DataFrame, key: str, ctx: CityContext, file_stem: str, columns: Sequence[str] | None = None,
          *, select: bool = False, height: int | str = "auto", percent: Collection[str] = RATE_COLUMNS):
    """A city table (its columns in `columns`' order, those it has) with its two downloads."""
    if columns is not None:
        frame = frame.select([c for c in columns if c in frame.columns])
    return widgets.table(headers(frame, ctx.lang), key, ctx.lang, file_stem, select=select, height=height,
                         percent=percent)
