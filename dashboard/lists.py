"""Long lists on pages (hazards, inspections): the first rows in the page's order, fetched with
a limit in SQL, the count of the whole list beside them, and downloads of the whole list made
only when a button is pressed. A province has 340,000 hazards: a page never pulls them all to
show a screenful, and the browser never receives them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st

from dashboard import measures, nav, widgets
from dashboard.filters import Selection
from xiaoan.i18n import t
from xiaoan.metrics import HazardPick, Scope

# Rows a list shows on the page; the downloads carry them all.
SHOWN_ROWS = 1_000


def _table(rows: pl.DataFrame, total: int, everything: Callable[[], pl.DataFrame], lang: str, key: str,
           file_stem: str, *, select: bool = False):
    """The rows shown, a note when they are only the first of `total`, and downloads of the
    whole list (`everything`, called on a click) in that case; returns widgets.table's pick."""
    truncated = total > rows.height
    if truncated:
        st.caption(t("dash.list.truncated", lang, shown=f"{rows.height:,}", total=f"{total:,}"))
    return widgets.table(rows, key, lang, file_stem, select=select, full=everything if truncated else None)


def hazards(sel: Selection, scope: Scope, lang: str, key: str, file_stem: str, columns: Sequence[str], *,
            pick: HazardPick | None = None, order: str = "priority", found_in_period: bool = False,
            count_text: str | None = None, count_values: dict | None = None, limit: int | None = None) -> pl.DataFrame:
    """A hazard list with its count, downloads and a pick that opens the hazard's page; returns
    the rows shown. `count_text` is an i18n key given {n} (the list's length) and `count_values`."""
    columns, limit = list(columns), limit or SHOWN_ROWS
    rows = measures.get("hazards", sel, scope, found_in_period=found_in_period, pick=pick, order=order,
                        limit=limit).select(columns)
    total = rows.height if rows.height < limit else measures.get("hazard_count", sel, scope,
                                                                   found_in_period=found_in_period, pick=pick)
    if count_text:
        st.markdown(t(count_text, lang, n=f"{total:,}", **(count_values or {})))

    def everything() -> pl.DataFrame:  # for a download only: not kept in the cache
        return measures.metrics().hazards(measures.filters_of(sel), scope, found_in_period=found_in_period,
                                          pick=pick, order=order).select(columns)

    picked = _table(rows, total, everything, lang, key, file_stem, select=True)
    if picked is not None:
        st.switch_page(nav.page_path("hazard"), query_params={"id": rows["hazard_id"][picked]})
    return rows


def hazard_rows(rows: pl.DataFrame, lang: str, key: str, file_stem: str) -> None:
    """A list of hazards already fetched (the 督办 lists: open hazards only, a few hundred in a
    province): its first SHOWN_ROWS shown, all of them in the downloads, a pick opens the hazard."""
    shown = rows.head(SHOWN_ROWS)
    picked = _table(shown, rows.height, lambda: rows, lang, key, file_stem, select=True)
    if picked is not None:
        st.switch_page(nav.page_path("hazard"), query_params={"id": shown["hazard_id"][picked]})


def inspections(sel: Selection, scope: Scope, lang: str, key: str, file_stem: str, columns: Sequence[str], *,
                school_code: str | None = None, limit: int | None = None) -> pl.DataFrame:
    """The latest inspections of the period (of one school when given), with the count of them
    all and downloads of them all; returns the rows shown."""
    columns, limit = list(columns), limit or SHOWN_ROWS
    renamed = {"hazards_found": "hazards_found_on_inspection", "score": "inspection_score"}
    rows = measures.get("inspections", sel, scope, school_code=school_code, limit=limit).rename(renamed).select(columns)
    total = rows.height if rows.height < limit else measures.get("inspection_count", sel, scope, school_code=school_code)

    def everything() -> pl.DataFrame:  # for a download only: not kept in the cache
        return (measures.metrics().inspections(measures.filters_of(sel), scope, school_code=school_code)
                .reverse().rename(renamed).select(columns))

    _table(rows, total, everything, lang, key, file_stem)
    return rows
