"""考核评分 Evaluation: ranked scorecards of towns and member units, each score's breakdown by
indicator (value, score, weight, points, "no data" flagged), and the trend by quarter."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, measures, page, widgets
from xiaoan.inert import markdown as md
from xiaoan.labels import column_label, is_rate
from xiaoan.metrics import TIERS

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.evaluation"))
st.caption(ctx.t("dash.evaluation.intro", start=sel.start, end=sel.end, as_of=sel.as_of))


def _value_text(indicator: str, value: float | None) -> str:
    """A rate as a percentage, a count or a number of days as a number."""
    if value is None:
        return "—"
    return widgets.percent(value) if is_rate(indicator) else f"{value:.2f}"


def scorecard(tier: str) -> None:
    """One tier's ranking, breakdown and trend."""
    t = TIERS[tier]  # the indicators are the rules file's
    scores_name, breakdown_name, code, name = t.scores, t.breakdown, t.code, t.name
    indicators = measures.rules().indicators(tier)
    scores = measures.get(scores_name, sel, scope).sort(["rank", name])
    if scores.is_empty():  # the other tier's scores: none in this viewer's scope
        widgets.scope_note(lang, tier)
        return
    names = dict(scores.select(code, name).iter_rows())
    key = f"evaluation.{tier}"

    fig = go.Figure(go.Bar(x=scores["score"].to_list(), y=scores[name].to_list(), orientation="h",
                           customdata=scores[code].to_list(), marker_color=charts.OKABE_ITO[0],
                           text=[f"#{r}  {s:.1f}" for r, s in zip(scores["rank"], scores["score"])], textposition="auto",
                           hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], title_text=ctx.t("dash.evaluation.points_unit"))
    charts.styled(fig, ctx.t(f"dash.evaluation.{tier}_title"), height=max(320, 60 + 30 * len(names)))
    clicked = widgets.new_click(f"{key}.bars", widgets.chart(fig, f"{key}.bars", clickable=True))
    if clicked and widgets.custom(clicked) in names:
        st.session_state[f"{key}.unit"] = widgets.custom(clicked)

    widgets.table(scores.select("rank", code, name, "score", *indicators), f"{key}.table", lang, f"{tier}-scores")

    st.markdown(f"**{ctx.t('dash.evaluation.breakdown')}**")
    if st.session_state.get(f"{key}.unit") not in names:
        st.session_state[f"{key}.unit"] = next(iter(names), None)
    unit = st.selectbox(column_label(name, lang), list(names), key=f"{key}.unit", format_func=names.get)
    if unit:
        breakdown = (measures.get(breakdown_name, sel, scope).filter(pl.col(code) == unit).sort("position")
                     .with_columns(pl.col("indicator").alias("indicator_key")))
        row = breakdown.row(0, named=True) if breakdown.height else {}
        st.metric(ctx.t("dash.evaluation.total", name=md(names[unit])), widgets.number(row.get("total_score"), 2),
                  ctx.t("dash.evaluation.rank", rank=row.get("rank", "—")), delta_color="off", delta_arrow="off")
        shown = breakdown.with_columns(
            pl.col("indicator_key").map_elements(lambda k: ctx.t(f"dash.indicator.{tier}.{k}"), return_dtype=pl.String).alias("indicator"),
            pl.when(pl.col("has_data")).then(pl.lit(ctx.t("dash.evaluation.has_data")))
              .otherwise(pl.lit(ctx.t("dash.evaluation.no_data"))).alias("data_flag"),
            pl.struct("indicator_key", "value").map_elements(
                lambda r: _value_text(r["indicator_key"], r["value"]), return_dtype=pl.String).alias("value"),
        ).select("indicator", "value", "score", "weight", "points", "data_flag")
        if not breakdown["has_data"].all():
            st.warning(ctx.t("dash.evaluation.no_data_note"))
        widgets.table(shown, f"{key}.breakdown", lang, f"{tier}-breakdown", percent=())

    trend = measures.get("score_trend", sel, scope, tier=tier, quarters=4)
    fig = go.Figure()
    for i, (unit_code, part) in enumerate(trend.group_by(code, maintain_order=True)):
        fig.add_scatter(x=part["quarter"].to_list(), y=part["score"].to_list(), mode="lines+markers",
                        name=names.get(unit_code[0], unit_code[0]), marker_symbol=i % 12,
                        line={"color": charts.OKABE_ITO[i % len(charts.OKABE_ITO)]})
    fig.update_yaxes(range=[0, 100], title_text=ctx.t("dash.evaluation.points_unit"))
    charts.styled(fig, ctx.t("dash.evaluation.trend_title"), height=380)
    widgets.chart(fig, f"{key}.trend")


towns_tab, depts_tab = st.tabs([ctx.t("dash.evaluation.towns"), ctx.t("dash.evaluation.depts")])
with towns_tab:
    scorecard("town")
with depts_tab:
    scorecard("dept")
