"""考核评分 Evaluation (SPEC §3 v2): ranked scorecards of towns and member units with their grade
(优秀 / 良好 / 合格 / 不合格), units 不参与排名 and units with no score told apart, and each score's
breakdown by indicator — value, score, the rules' weight and the weight after rescaling, points,
and whether the indicator has data (有数据), does not apply (不适用) or was a duty not reported
(未报送) — and the trend by quarter. Current scores are computed live by the metric macros;
only the trend's completed quarters may come from the figures stored at publish."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, measures, page, widgets
from xiaoan.inert import markdown as md
from xiaoan.labels import column_label, day_label, is_rate, quarter_label, value_label
from xiaoan.metrics import TIERS
from xiaoan.vocabulary import INDICATOR_STATUSES, NOT_APPLICABLE, NOT_REPORTED

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
rules = measures.rules()
st.title(ctx.t("dash.page.evaluation"))
st.caption(ctx.t("dash.evaluation.intro", start=day_label(sel.start, lang), end=day_label(sel.end, lang),
                 as_of=day_label(sel.as_of, lang)))
st.caption(ctx.t("dash.evaluation.grades", below=value_label(rules.grade_below, lang),
                 bands="、".join(f"{value_label(grade, lang)} ≥ {low:g}" for grade, low in rules.grades())))
if rules.warnings and scope.kind == "district":  # a rules file written before v2: the office should know
    st.warning(ctx.t("dash.evaluation.rules_warnings", warnings=md("；".join(rules.warning_lines(lang)))))


def _value_text(indicator: str, value: float | None) -> str:
    """A rate as a percentage, a count or a number of days as a number."""
    if value is None:
        return "—"
    return widgets.percent(value) if is_rate(indicator) else f"{value:.2f}"


def _rank_text(rank: int | None, score: float | None) -> str:
    """A unit's place: its rank, 不参与排名 (scored, not ranked) or 无得分 (nothing applicable)."""
    if score is None:
        return ctx.t("dash.evaluation.no_score")
    return str(rank) if rank is not None else ctx.t("dash.evaluation.not_ranked")


def scorecard(tier: str) -> None:
    """One tier's ranking, breakdown and trend."""
    t = TIERS[tier]  # the indicators are the rules file's
    code, name = t.code, t.name
    indicators = rules.indicators(tier)
    scores = measures.get(t.scores, sel, scope).sort(["rank", "score", code], descending=[False, True, False],
                                                     nulls_last=True)
    if scores.is_empty():  # the other tier's scores: none in this viewer's scope
        widgets.scope_note(lang, tier)
        return
    names = dict(scores.select(code, name).iter_rows())
    key = f"evaluation.{tier}"

    scored = scores.filter(pl.col("score").is_not_null())
    bar_text = [ctx.t("dash.evaluation.bar_text", rank=r, score=f"{s:.1f}", grade=value_label(g, lang) if g else "")
                if r is not None else
                ctx.t("dash.evaluation.bar_text_unranked", score=f"{s:.1f}", grade=value_label(g, lang) if g else "")
                for r, s, g in zip(scored["rank"], scored["score"], scored["grade"])]
    colours = [charts.OKABE_ITO[0] if r is not None else charts.NO_DATA_COLOUR for r in scored["rank"]]
    fig = go.Figure(go.Bar(x=scored["score"].to_list(), y=scored[name].to_list(), orientation="h",
                           customdata=scored[code].to_list(), marker_color=colours,
                           text=bar_text, textposition="auto", hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], title_text=ctx.t("dash.evaluation.points_unit"))
    charts.styled(fig, ctx.t(f"dash.evaluation.{tier}_title"), height=max(320, 60 + 30 * max(scored.height, 1)),
                  unit=ctx.t("dash.unit.points"))
    clicked = widgets.new_click(f"{key}.bars", widgets.chart(fig, f"{key}.bars", clickable=True))
    if clicked and widgets.custom(clicked) in names:
        st.session_state[f"{key}.unit"] = widgets.custom(clicked)
    unranked = scores.filter(pl.col("rank").is_null())
    if not unranked.is_empty():
        st.caption(ctx.t("dash.evaluation.unscored", names=md("、".join(
            f"{n}（{_rank_text(None, s)}）" for n, s in zip(unranked[name], unranked["score"])))))

    table = scores.with_columns(
        pl.struct("rank", "score").map_elements(lambda r: _rank_text(r["rank"], r["score"]),
                                                return_dtype=pl.String).alias("rank_text"))
    widgets.table(table.select("rank_text", code, name, "score", "grade", *indicators), f"{key}.table", lang,
                  f"{tier}-scores")

    st.markdown(f"**{ctx.t('dash.evaluation.breakdown')}**")
    if st.session_state.get(f"{key}.unit") not in names:
        st.session_state[f"{key}.unit"] = next(iter(names), None)
    unit = st.selectbox(column_label(name, lang), list(names), key=f"{key}.unit", format_func=names.get)
    if unit:
        breakdown(tier, unit, names[unit], scores.filter(pl.col(code) == unit).row(0, named=True), key)

    trend = measures.get("score_trend", sel, scope, tier=tier, quarters=4)
    fig = go.Figure()
    for i, (unit_code, part) in enumerate(trend.group_by(code, maintain_order=True)):
        fig.add_scatter(x=[quarter_label(q, lang) for q in part["quarter"]], y=part["score"].to_list(),
                        mode="lines+markers",
                        name=names.get(unit_code[0], unit_code[0]), marker_symbol=i % 12,
                        line={"color": charts.OKABE_ITO[i % len(charts.OKABE_ITO)]})
    fig.update_yaxes(range=[0, 100], title_text=ctx.t("dash.evaluation.points_unit"))
    charts.styled(fig, ctx.t("dash.evaluation.trend_title"), height=380, unit=ctx.t("dash.unit.points"))
    widgets.chart(fig, f"{key}.trend")


def breakdown(tier: str, unit: str, unit_name: str, row: dict, key: str) -> None:
    """One unit's total, grade and place, and every indicator of it (unit_indicators)."""
    rows = (measures.get("unit_indicators", sel, scope)
            .filter((pl.col("tier") == tier) & (pl.col("unit_code") == unit)).sort("position"))
    score = row.get("score")
    cards = st.columns(3)
    cards[0].metric(ctx.t("dash.evaluation.total", name=md(unit_name)), widgets.number(score, 2), border=True)
    cards[1].metric(column_label("grade", lang), value_label(row["grade"], lang) if row.get("grade") else "—",
                    border=True)
    cards[2].metric(ctx.t("dash.col.rank_text"), _rank_text(row.get("rank"), score), border=True)
    if score is None:
        st.info(ctx.t("dash.evaluation.no_score_note", name=md(unit_name)))
    elif row.get("rank") is None:
        st.info(ctx.t("dash.evaluation.not_ranked_note", name=md(unit_name)))
    label = {k: ctx.t(f"dash.indicator.{tier}.{k}") for k in rows["indicator"].to_list()}
    for status, note, box in ((NOT_REPORTED, "dash.evaluation.not_reported_note", st.warning),
                              (NOT_APPLICABLE, "dash.evaluation.not_applicable_note", st.caption)):
        named = [label[k] for k in rows.filter(pl.col("status") == status)["indicator"]]
        if named:
            box(ctx.t(note, names="、".join(named)))
    words = {s: ctx.t(f"dash.evaluation.status.{s}") for s in INDICATOR_STATUSES}
    shown = rows.with_columns(
        pl.col("indicator").replace_strict(label, return_dtype=pl.String).alias("indicator_name"),
        pl.struct("indicator", "value").map_elements(lambda r: _value_text(r["indicator"], r["value"]),
                                                     return_dtype=pl.String).alias("value"),
        pl.col("status").replace_strict(words, default=pl.col("status"), return_dtype=pl.String).alias("indicator_status"),
        pl.col("weight").alias("rescaled_weight"),
    ).select(pl.col("indicator_name").alias("indicator"), "value", "score", "base_weight", "rescaled_weight", "points",
             "indicator_status")
    widgets.table(shown, f"{key}.breakdown", lang, f"{tier}-breakdown", percent=())


towns_tab, depts_tab = st.tabs([ctx.t("dash.evaluation.towns"), ctx.t("dash.evaluation.depts")])
with towns_tab:
    scorecard("town")
with depts_tab:
    scorecard("dept")
