"""区排名 District ranking: the districts scored and ranked on the towns' indicators by the city's
rules (district_scores), with grades, the city's figures, and each indicator's part of a score
(district_indicators) for the district in focus."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, widgets
from dashboard.city import data, shell, show
from dashboard.wall_parts import grade_colours
from xiaoan.labels import day_label, is_rate, rate_text, value_label, whole_text
from xiaoan.vocabulary import INDICATOR_STATUSES

ctx = shell.current()
lang = ctx.lang
st.title(ctx.t("city.view.page.ranking"))
tables = show.city_tables(ctx)
scores = tables["district_scores"]
reported = scores.filter(pl.col("reported"))
st.caption(ctx.t("city.view.ranking.intro", as_of=day_label(ctx.as_of, lang), reported=reported.height,
                 listed=scores.height))

# ---- the city's figures (the districts in view with a snapshot on the date), from the same counts
hazards, rectified = int(reported["hazards"].sum() or 0), int(reported["rectified"].sum() or 0)
cols = st.columns(4)
cols[0].metric(ctx.t("city.view.ranking.districts"), f"{reported.height}")
cols[1].metric(ctx.t("city.view.ranking.hazards"), whole_text(hazards))
cols[2].metric(ctx.t("city.view.ranking.rectification"), rate_text(rectified / hazards if hazards else None))
cols[3].metric(ctx.t("city.view.ranking.overdue"), whole_text(int(reported["overdue_open"].sum() or 0)))
late = scores.filter(~pl.col("reported"))
if late.height:
    st.warning(ctx.t("city.view.ranking.late", names=ctx.t("city.view.list_sep").join(
        ctx.t("city.view.named", name=r["district_name"], detail=day_label(r["last_as_of"], lang))
        for r in late.iter_rows(named=True))))

# ---- the ranking as bars, with score and grade written on each (colour is never the only cue)
ranked = reported.filter(pl.col("score").is_not_null()).sort(["rank", "district"])
if ranked.height:
    # a colour per grade of the city's rules, best first (the wall's palette; the grade is written on each bar)
    rules = data.rules()
    colours = grade_colours([g for g, _ in rules.grades()] + [rules.grade_below])
    fig = go.Figure(go.Bar(
        x=ranked["score"].to_list(), y=ranked["district_name"].to_list(), orientation="h",
        marker={"color": [colours.get(g, "#999999") for g in ranked["grade"].to_list()]},
        text=[ctx.t("city.view.named", name=f"{s:.1f}", detail=value_label(g, lang))
              for s, g in zip(ranked["score"], ranked["grade"])],
        textposition="auto", customdata=ranked["district"].to_list(),
        hovertemplate="%{y}<br>%{x:.1f}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(range=[0, 105])
    charts.styled(fig, ctx.t("city.view.ranking.chart"), height=max(260, 90 + 34 * ranked.height),
                  unit=ctx.t("city.view.unit.score"), showlegend=False)
    widgets.chart(fig, "city.ranking.chart")
else:
    widgets.empty_note(lang, "city.view.ranking.none")

st.subheader(ctx.t("city.view.ranking.table"))
show.table(scores, "city.ranking", ctx, f"district-scores-{ctx.as_of}",
           ["rank", "district_name", "district", "score", "grade", "rectification_rate", "on_time_rate",
            "inspection_coverage", "meeting_compliance", "overdue_open_per_school", "reporting", "towns", "schools",
            "hazards", "rectified", "overdue_open", "open_hazards", "risk", "risk_per_school", "reported",
            "last_as_of"])

# ---- each indicator's part of the score, for the district in focus (or every one in view)
st.subheader(ctx.t("city.view.ranking.breakdown", name=ctx.name(ctx.district) if ctx.district
                   else ctx.t("city.view.filter.all")))
indicators = shell.focus(tables["district_indicators"], ctx)
names = {k: ctx.t(f"dash.indicator.town.{k}") for k in indicators["indicator"].unique().to_list()}
words = {s: ctx.t(f"dash.evaluation.status.{s}") for s in INDICATOR_STATUSES}
parts = indicators.with_columns(  # as the evaluation page shows a town's breakdown
    pl.struct("indicator", "value").map_elements(
        lambda r: "—" if r["value"] is None else rate_text(r["value"]) if is_rate(r["indicator"])
        else f"{r['value']:.2f}", return_dtype=pl.String).alias("value"),
    pl.col("indicator").replace_strict(names, return_dtype=pl.String),
    pl.col("status").replace_strict(words, default=pl.col("status"), return_dtype=pl.String).alias("indicator_status"),
    pl.col("weight").alias("rescaled_weight"),
)
show.table(parts, "city.indicators", ctx, f"district-indicators-{ctx.as_of}",
           ["district_name", "district", "indicator", "value", "score", "base_weight", "rescaled_weight", "points",
            "indicator_status"], percent=())
