"""检查 Inspections: coverage of each town's schools in the period, inspections by member
unit and month, and the schools not inspected at all in the period."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, measures, page, widgets

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.inspections"))
st.caption(ctx.t("dash.inspections.intro", start=sel.start, end=sel.end))

coverage = measures.get("inspection_coverage", sel, scope).sort("inspection_coverage", descending=True, nulls_last=True)
fig = go.Figure(go.Bar(
    x=coverage["town_name"].to_list(), y=coverage["inspection_coverage"].to_list(), marker_color=charts.OKABE_ITO[0],
    text=[f"{i}/{n}" for i, n in zip(coverage["inspected_schools"], coverage["schools"])], textposition="inside",
    hovertemplate="%{x}: %{y:.0%} (%{text})<extra></extra>"))
charts.percent_axis(charts.styled(fig, ctx.t("dash.inspections.coverage_title"), height=380))
widgets.chart(fig, "inspections.coverage")
widgets.table(coverage, "inspections.coverage_table", lang, "inspection-coverage")

st.subheader(ctx.t("dash.inspections.by_dept"))
inspections = measures.get("inspections", sel, scope)
if inspections.is_empty():
    widgets.empty_note(lang)
else:
    # One cell per unit and month, the number of inspections written in it (plotly counts the rows).
    months = inspections["inspection_date"].dt.strftime("%Y-%m")
    fig = go.Figure(go.Histogram2d(
        x=months.to_list(), y=inspections["dept_name"].to_list(), colorscale=charts.COVERAGE_SCALE,
        texttemplate="%{z}", xgap=2, ygap=2, hovertemplate="%{y} %{x}: %{z}<extra></extra>",
        colorbar={"title": {"text": ctx.t("dash.inspections.count_unit")}}))
    fig.update_xaxes(type="category", categoryorder="category ascending", side="top")
    fig.update_yaxes(type="category", categoryorder="category descending")
    depts = inspections["dept_name"].n_unique()
    charts.top_axis_room(charts.styled(fig, ctx.t("dash.inspections.by_dept_title"), height=max(340, 120 + 30 * depts)))
    widgets.chart(fig, "inspections.by_dept")
listing = inspections.rename({"hazards_found": "hazards_found_on_inspection", "score": "inspection_score"})
widgets.table(listing.select("inspection_date", "dept_name", "school_name", "town_name", "inspection_type", "category",
                             "inspectors", "hazards_found_on_inspection", "inspection_score"),
              "inspections.list", lang, "inspections")

st.subheader(ctx.t("dash.inspections.uninspected"))
uninspected = measures.get("uninspected_schools", sel, scope)
st.markdown(ctx.t("dash.inspections.uninspected_n", n=uninspected.height))
widgets.table(uninspected.select("school_code", "school_name", "school_type", "town_name", "students", "open_hazards",
                                 "risk", "last_inspection_date"),
              "inspections.uninspected", lang, "uninspected-schools")
