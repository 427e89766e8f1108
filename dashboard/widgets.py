"""Building blocks pages share: a table with its CSV and Excel downloads, headline figures,
empty-state notes, a chart whose clicks can be read."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Collection

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.downloads import to_csv, to_xlsx
from xiaoan.i18n import t
from xiaoan.labels import MONTH_COLUMNS, RATE_COLUMNS, WHOLE_COLUMNS, column_label, for_display, rate_text

# Numbers shown with all their digits (coordinates).
EXACT_COLUMNS = ("lat", "lon")
ONE_DECIMAL_STEP = 0.001  # a fraction to three decimals: a percentage to one


def table(frame: pl.DataFrame, key: str, lang: str, file_stem: str, *, select: bool = False,
          height: int | str = "auto", percent: Collection[str] = RATE_COLUMNS,
          full: Callable[[], pl.DataFrame] | None = None):
    """Show a table with translated headers and its two downloads; with `select`, return the
    index of the selected row (or None). When the table shows only the first rows of a longer
    list, `full` returns the whole list (same columns) for the downloads, fetched on a click."""
    shown = for_display(frame, lang)
    # Rates with one decimal in every column (80.0% beside 78.4%, never 80% beside 78.38%): the
    # step sets the precision of Streamlit's "percent" format (3 decimals of the fraction).
    config = {column_label(c, lang): st.column_config.NumberColumn(format="percent", step=ONE_DECIMAL_STEP)
              for c in frame.columns if c in percent}
    config |= {column_label(c, lang): st.column_config.DateColumn(format="YYYY-MM-DD")
               for c, dtype in frame.schema.items() if dtype == pl.Date and c not in MONTH_COLUMNS}
    config |= {column_label(c, lang): st.column_config.NumberColumn(format="%,d" if c in WHOLE_COLUMNS else "%.2f")
               for c, dtype in frame.schema.items() if dtype == pl.Float64 and c not in percent and c not in EXACT_COLUMNS}
    if frame.is_empty():
        st.info(t("dash.empty.table", lang))
        return None
    # As Arrow: Streamlit serialises an Arrow table directly, while a polars frame goes through
    # pandas (importing it costs the first page ~0.4 s, and every table a copy).
    event = st.dataframe(shown.to_arrow(), key=key, hide_index=True, column_config=config, height=height, placeholder="—",
                         on_select="rerun" if select else "ignore", selection_mode="single-row")
    downloads((lambda: for_display(full(), lang)) if full is not None else shown, key, lang, file_stem)
    if select and event is not None:
        rows = event["selection"]["rows"]
        return rows[0] if rows else None
    return None


def downloads(shown: pl.DataFrame | Callable[[], pl.DataFrame], key: str, lang: str, file_stem: str) -> None:
    """CSV and Excel buttons for a table already in display form (or a function returning it)."""
    rows = shown if callable(shown) else (lambda: shown)
    row = st.container(horizontal=True)
    stamp = dt.date.today().isoformat()
    file_stem = re.sub(r"[^\w.-]+", "_", file_stem)[:80]  # ids from ledgers or the URL: no quotes or slashes in a file name
    # The files are made only when a button is pressed (large ledgers cost nothing until then).
    row.download_button(t("dash.download.csv", lang), lambda: to_csv(rows()), file_name=f"{file_stem}-{stamp}.csv",
                        mime="text/csv", key=f"{key}.csv", on_click="ignore", icon=":material/download:")
    row.download_button(t("dash.download.xlsx", lang), lambda: to_xlsx(rows(), file_stem, lang), file_name=f"{file_stem}-{stamp}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key=f"{key}.xlsx", on_click="ignore", icon=":material/table_view:")


def chart(fig: go.Figure, key: str, *, clickable: bool = False) -> list[dict]:
    """Draw a figure; with `clickable`, return the clicked points (empty when none)."""
    config = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
    if not clickable:
        st.plotly_chart(fig, key=key, config=config)
        return []
    event = st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points")
    try:
        return list(event["selection"]["points"])
    except (KeyError, TypeError):
        return []


def percent(value: float | None) -> str:
    """A rate as a percentage with one decimal (xiaoan.labels.rate_text)."""
    return rate_text(value)


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def empty_note(lang: str, key: str = "dash.empty.period") -> None:
    st.info(t(key, lang))


def scope_note(lang: str, tier: str) -> None:
    """In place of a tier's rows the viewer's scope holds none of (a town viewer and the member
    units' scores, a department viewer and the towns'): who sees them."""
    st.info(t(f"dash.scope.{tier}_rows_only", lang))


def new_click(key: str, points: list[dict]) -> dict | None:
    """The first clicked point when the chart's selection changed since the last run, else
    None (a selection persists across reruns; other widgets may have moved on since)."""
    signature = json.dumps(points, sort_keys=True, default=str)
    last = st.session_state.get(f"{key}.last")
    st.session_state[f"{key}.last"] = signature
    return points[0] if points and signature != last else None


def custom(point: dict, index: int = 0):
    """One value of a clicked point's customdata (a scalar or a list)."""
    data = point.get("customdata")
    if isinstance(data, (list, tuple)):
        return data[index] if len(data) > index else None
    return data if index == 0 else None
