"""会议 Meetings: the town × month grid of 例会 (monthly town meetings) held, each town's
compliance, the district plenary (全体成员单位会议) of the year, and member-unit attendance."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, measures, page, queries, widgets
from xiaoan.labels import day_label, month_label

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.meetings"))
st.caption(ctx.t("dash.meetings.intro", start=day_label(sel.start, lang), end=day_label(sel.end, lang)))

# ---- the district plenary of the year
plenary = measures.call("district_plenary", measures.filters_of(sel)).to_dicts()
if plenary and plenary[0]["met"]:
    st.success(ctx.t("dash.meetings.plenary_yes", year=plenary[0]["year"],
                     date=day_label(plenary[0]["last_plenary_date"], lang),
                     n=plenary[0]["plenaries"]))
else:
    st.warning(ctx.t("dash.meetings.plenary_no", year=sel.as_of.year))

# ---- the grid: one cell per town and month, the count written in it, ✓/✗ beside colour
grid = measures.get("meeting_months", sel, scope)
if grid.is_empty():  # a department viewer has no town's 例会: its own meetings are listed below
    widgets.scope_note(lang, "town") if scope.kind == "department" else widgets.empty_note(lang)
else:
    towns = dict(grid.select("town_code", "town_name").unique(maintain_order=True).iter_rows())
    months = sorted(set(grid["month"].to_list()))
    count = {(r["town_code"], r["month"]): r["meetings"] for r in grid.iter_rows(named=True)}
    z = [[min(count.get((t, m), 0), 1) for m in months] for t in towns]
    text = [[f"{'✓' if count.get((t, m), 0) else '✗'} {count.get((t, m), 0)}" for m in months] for t in towns]
    fig = go.Figure(go.Heatmap(
        z=z, x=[month_label(m, lang) for m in months], y=list(towns.values()), text=text, texttemplate="%{text}",
        colorscale=[[0, charts.OKABE_ITO[1]], [1, charts.OKABE_ITO[5]]], zmin=0, zmax=1, showscale=False,
        xgap=2, ygap=2, hovertemplate="%{y} %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    charts.top_axis_room(charts.styled(fig, ctx.t("dash.meetings.grid_title"), height=max(320, 120 + 34 * len(towns)),
                                       unit=ctx.t("dash.unit.times")))
    widgets.chart(fig, "meetings.grid")
    st.caption(ctx.t("dash.meetings.grid_legend"))

st.subheader(ctx.t("dash.meetings.compliance"))
compliance = measures.get("meeting_compliance", sel, scope)
if compliance.is_empty() and scope.kind == "department":
    widgets.scope_note(lang, "town")
else:
    widgets.table(compliance, "meetings.compliance", lang, "meeting-compliance")

# ---- member units' attendance of district meetings (a unit: its own)
st.subheader(ctx.t("dash.meetings.attendance"))
attendance = measures.get("dept_meeting_attendance", sel, scope).sort("meeting_attendance", descending=True, nulls_last=True)
if attendance.is_empty():
    widgets.scope_note(lang, "dept") if scope.kind == "town" else widgets.empty_note(lang)
else:
    fig = go.Figure(go.Bar(x=attendance["dept_name"].to_list(), y=attendance["meeting_attendance"].to_list(),
                           marker_color=charts.OKABE_ITO[2], hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    charts.percent_axis(charts.styled(fig, ctx.t("dash.meetings.attendance_title"), height=380,
                                      unit=ctx.t("dash.unit.percent")))
    widgets.chart(fig, "meetings.attendance")
    widgets.table(attendance, "meetings.attendance_table", lang, "meeting-attendance")

st.subheader(ctx.t("dash.meetings.list"))
widgets.table(queries.meetings(scope, sel.start, sel.end, sel.towns), "meetings.list", lang, "meetings")
