"""趋势 The trend over the as-of dates: every district at every as-of date in the lake up to the
page's date, scored and ranked among the districts of that date by the city's rules
(district_score_trend) — the score, or another figure, one line per district."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, widgets
from dashboard.city import shell, show
from xiaoan.labels import column_label, day_label, is_rate

MEASURES = ("score", "rectification_rate", "on_time_rate", "overdue_open", "open_hazards", "risk")

ctx = shell.current()
lang = ctx.lang
st.title(ctx.t("city.view.page.trend"))
tables = show.city_tables(ctx)
trend = shell.focus(tables["district_score_trend"], ctx).sort(["as_of", "district"])
days = trend["as_of"].unique().sort().to_list()
st.caption(ctx.t("city.view.trend.intro", dates=len(days), first=day_label(days[0], lang) if days else "—",
                 last=day_label(ctx.as_of, lang)))

measure = st.selectbox(ctx.t("city.view.trend.measure"), MEASURES, key="c.trend.measure",
                       format_func=lambda m: column_label(m, lang))
if trend.height:
    fig = go.Figure()
    for i, (code,) in enumerate(trend.select("district").unique(maintain_order=True).iter_rows()):
        rows = trend.filter(pl.col("district") == code)
        fig.add_trace(go.Scatter(
            x=[day_label(d, lang) for d in rows["as_of"].to_list()], y=rows[measure].to_list(), name=ctx.name(code),
            mode="lines+markers", line={"color": charts.OKABE_ITO[i % len(charts.OKABE_ITO)],
                                        "dash": ("solid", "dash", "dot")[(i // len(charts.OKABE_ITO)) % 3]},
            hovertemplate=ctx.t("city.view.trend.hover",
                                value="%{y" + (":.1%" if is_rate(measure) else ":,.1f") + "}")))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[day_label(d, lang) for d in days])
    charts.styled(fig, ctx.t("city.view.trend.chart", measure=column_label(measure, lang)), height=420)
    if is_rate(measure):
        charts.percent_axis(fig)
    widgets.chart(fig, "city.trend.chart")
else:
    widgets.empty_note(lang, "city.view.trend.none")

st.subheader(ctx.t("city.view.trend.table"))
show.table(trend.sort(["as_of", "rank", "district"], descending=[True, False, False], nulls_last=True),
           "city.trend", ctx, f"district-score-trend-{ctx.as_of}",
           ["as_of", "district_name", "district", "score", "rank", "grade", "rectification_rate", "on_time_rate",
            "hazards", "rectified", "overdue_open", "open_hazards", "risk"])
