"""检查 Inspections: coverage of each town's schools in the period, inspections by member
unit and month, the schools not inspected at all in the period, and 法治教育 by semester."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, insights, lists, measures, page, widgets
from xiaoan.labels import day_label, month_label

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.inspections"))
st.caption(ctx.t("dash.inspections.intro", start=day_label(sel.start, lang), end=day_label(sel.end, lang)))

coverage = measures.get("inspection_coverage", sel, scope).sort("inspection_coverage", descending=True, nulls_last=True)
fig = go.Figure(go.Bar(
    x=coverage["town_name"].to_list(), y=coverage["inspection_coverage"].to_list(), marker_color=charts.OKABE_ITO[0],
    text=[f"{i}/{n}" for i, n in zip(coverage["inspected_schools"], coverage["schools"])], textposition="inside",
    hovertemplate="%{x}: %{y:.1%} (%{text})<extra></extra>"))
charts.percent_axis(charts.styled(fig, ctx.t("dash.inspections.coverage_title"), height=380,
                                  unit=ctx.t("dash.inspections.coverage_unit")))
widgets.chart(fig, "inspections.coverage")
widgets.table(coverage, "inspections.coverage_table", lang, "inspection-coverage")

st.subheader(ctx.t("dash.inspections.by_dept"))
by_month = measures.get("inspection_months", sel, scope)
if by_month.is_empty():
    widgets.empty_note(lang)
else:
    # One cell per unit and month: the number of inspections it wrote (counted in the warehouse).
    grid = by_month.pivot("month", index="dept_name", values="inspections", sort_columns=True).sort("dept_name").fill_null(0)
    months = [c for c in grid.columns if c != "dept_name"]
    counts = grid.select(months).to_numpy()
    fig = go.Figure(go.Heatmap(
        x=[month_label(m, lang) for m in months], y=grid["dept_name"].to_list(), z=counts, colorscale=charts.COVERAGE_SCALE,
        texttemplate="%{z}", xgap=2, ygap=2, hovertemplate="%{y} %{x}: %{z}<extra></extra>",
        colorbar={"title": {"text": ctx.t("dash.inspections.count_unit")}}))
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed")
    charts.top_axis_room(charts.styled(fig, ctx.t("dash.inspections.by_dept_title"),
                                       height=max(340, 120 + 30 * grid.height), unit=ctx.t("dash.unit.times")))
    widgets.chart(fig, "inspections.by_dept")
lists.inspections(sel, scope, lang, "inspections.list", "inspections",
                  ("inspection_date", "inspector_name", "self_check", "school_name", "town_name", "inspection_type", "category",
                   "inspectors", "hazards_found_on_inspection", "inspection_score"))

insights.legal_education(ctx)  # 法治教育开展情况: coverage by town for a semester, schools not covered

st.subheader(ctx.t("dash.inspections.uninspected"))
uninspected = measures.get("uninspected_schools", sel, scope)
st.markdown(ctx.t("dash.inspections.uninspected_n", n=uninspected.height))
widgets.table(uninspected.select("school_code", "school_name", "school_type", "town_name", "students", "open_hazards",
                                 "risk", "last_inspection_date"),
              "inspections.uninspected", lang, "uninspected-schools")
