"""成员单位整改 Member-unit closure by district: the hazards for which a district's member units
(成员单位) are responsible, rectified and closed (district_closure), and each member unit's
figures (district_unit_closure) for the district in focus or every district in view."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, widgets
from dashboard.city import shell, show
from xiaoan.labels import column_label, day_label

ctx = shell.current()
lang = ctx.lang
st.title(ctx.t("city.view.page.closure"))
st.caption(ctx.t("city.view.closure.intro", as_of=day_label(ctx.as_of, lang)))
tables = show.city_tables(ctx)
closure = tables["district_closure"].sort(["rectification_rate", "district"], descending=[True, False],
                                           nulls_last=True)

if closure.height:
    names = [ctx.name(d) for d in closure["district"].to_list()]
    fig = go.Figure()
    for column, colour in (("rectification_rate", charts.OKABE_ITO[0]), ("closure_rate", charts.OKABE_ITO[1]),
                           ("on_time_rate", charts.OKABE_ITO[2])):
        values = closure[column].to_list()
        fig.add_trace(go.Bar(x=names, y=values, name=column_label(column, lang), marker_color=colour,
                             text=["—" if v is None else f"{100 * v:.1f}%" for v in values], textposition="outside",
                             hovertemplate="%{x}<br>%{y:.1%}<extra></extra>"))
    charts.percent_axis(charts.styled(fig, ctx.t("city.view.closure.chart"), height=420, barmode="group"))
    fig.update_xaxes(type="category")
    widgets.chart(fig, "city.closure.chart")
else:
    widgets.empty_note(lang, "city.view.closure.none")

st.subheader(ctx.t("city.view.closure.table"))
show.table(closure, "city.closure", ctx, f"district-closure-{ctx.as_of}",
           ["district_name", "district", "units", "units_overdue", "total", "rectified", "rectification_rate",
            "closed", "closure_rate", "on_time_rate", "overdue_open", "median_days_to_rectify", "open", "risk"])

st.subheader(ctx.t("city.view.closure.units", name=ctx.name(ctx.district) if ctx.district
                   else ctx.t("city.view.filter.all")))
units = shell.focus(tables["district_unit_closure"], ctx).sort(["district", "overdue_open", "dept_code"],
                                                                descending=[False, True, False])
only_overdue = st.toggle(ctx.t("city.view.closure.only_overdue"), key="c.closure.overdue")
if only_overdue:
    units = units.filter(pl.col("overdue_open") > 0)
show.table(units, "city.units", ctx, f"district-unit-closure-{ctx.as_of}",
           ["district_name", "district", "dept_code", "dept_name", "total", "rectified", "rectification_rate",
            "closed", "closure_rate", "on_time_rate", "overdue_open", "median_days_to_rectify", "open", "risk"])
