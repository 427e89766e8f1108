"""隐患台账 Hazard ledger: every hazard in its state as of the as-of date, searchable by id,
school, description and measures, filterable by status, level and whether open or overdue;
choosing a row opens that hazard's history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import measures, nav, page, widgets
from dashboard.labels import column_label, value_label
from pipelines.contract import LEVELS, STATUSES

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.hazards"))
st.caption(ctx.t("dash.hazards.intro", as_of=sel.as_of))

SEARCHED = ("hazard_id", "school_name", "school_code", "description", "measures", "dept_name", "town_name")
top = st.columns([3, 2, 2])
search = top[0].text_input(ctx.t("dash.hazards.search"), key="hazards.search", max_chars=100,
                           placeholder=ctx.t("dash.hazards.search_hint"))
statuses = top[1].multiselect(column_label("status", lang), list(STATUSES), key="hazards.status",
                              format_func=lambda v: value_label(v, lang), placeholder=ctx.t("dash.filters.all"))
levels = top[2].multiselect(column_label("level", lang), list(LEVELS), key="hazards.level",
                            format_func=lambda v: value_label(v, lang), placeholder=ctx.t("dash.filters.all"))
flags = st.columns(3)
in_period = flags[0].toggle(ctx.t("dash.hazards.in_period", start=sel.start, end=sel.end), value=True, key="hazards.in_period")
open_only = flags[1].toggle(ctx.t("dash.hazards.open_only"), key="hazards.open_only")
overdue_only = flags[2].toggle(ctx.t("dash.hazards.overdue_only"), key="hazards.overdue_only")

ledger = measures.get("hazards", sel, scope, found_in_period=in_period)
conditions = []
if search.strip():
    needle = search.strip().lower()
    conditions.append(pl.any_horizontal(pl.col(c).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
                                        for c in SEARCHED))
if statuses:
    conditions.append(pl.col("status").is_in(statuses))
if levels:
    conditions.append(pl.col("level").is_in(levels))
if open_only:
    conditions.append(pl.col("is_open"))
if overdue_only:
    conditions.append(pl.col("is_overdue"))
shown = ledger.filter(*conditions) if conditions else ledger
shown = shown.sort(["is_overdue", "risk", "found_date"], descending=True).select(
    "hazard_id", "school_name", "town_name", "category", "level", "status", "found_date", "deadline",
    "rectified_date", "closed_date", "days_overdue", "risk", "dept_name", "description", "measures", "report_date")
st.markdown(ctx.t("dash.hazards.count", n=shown.height, total=ledger.height))
picked = widgets.table(shown, "hazards.table", lang, "hazards", select=True, height=480)
st.caption(ctx.t("dash.hazards.pick_hint"))
if picked is not None:
    st.switch_page(nav.page_path("hazard"), query_params={"id": shown["hazard_id"][picked]})
