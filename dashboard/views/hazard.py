"""隐患详情 One hazard: its state as of the as-of date and every report of it as a timeline
(found → each report's status → rectified → closed), reached from any hazard list. Values the
ledger did not type are named under the description and in the reports' 系统推断项 (col.derived) column."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, measures, nav, page, queries, widgets
from xiaoan.inert import markdown as md
from xiaoan.labels import column_label, day_label, derived_label, value_label
from xiaoan.metrics import HazardPick
from xiaoan.vocabulary import STATUSES

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.page_link(nav.page_path("hazards"), label=ctx.t("dash.hazard.back"), icon=":material/arrow_back:")

wanted = str(st.query_params.get("id", "")).strip()[:100]
hazard_id = st.text_input(column_label("hazard_id", lang), value=wanted, key="hazard.id", max_chars=100).strip()
if hazard_id != wanted:
    st.query_params["id"] = hazard_id
history = queries.hazard_history(scope, hazard_id) if hazard_id else pl.DataFrame()
if history.is_empty():
    st.title(ctx.t("dash.page.hazard"))
    st.info(ctx.t("dash.hazard.not_found" if hazard_id else "dash.hazard.enter_id", id=md(hazard_id)))
    st.stop()



def _day(value) -> str:
    """A date in a sentence or a figure: 2026年10月31日."""
    return day_label(value, lang) if value else "—"


state = measures.get("hazards", sel, scope, pick=HazardPick(hazard_id=hazard_id)).to_dicts()
latest = history.row(-1, named=True)
st.title(ctx.t("dash.hazard.title", id=md(hazard_id)))
if state:
    now = state[0]
    st.markdown(ctx.t("dash.hazard.where", school=md(now["school_name"]), town=md(now["town_name"]), dept=md(now["responsible_name"])))
    cols = st.columns(4)
    cols[0].metric(column_label("status", lang), value_label(now["status"], lang), border=True)
    cols[1].metric(column_label("level", lang), value_label(now["level"], lang), border=True)
    cols[2].metric(column_label("days_overdue", lang), widgets.number(now["days_overdue"]) if now["is_overdue"] else "—", border=True)
    cols[3].metric(column_label("risk", lang), widgets.number(now["risk"]), border=True)  # a whole number
    # the closed loop (SPEC §2.2): deadline in force, extensions, rework, verification, 督办
    cols = st.columns(4)
    cols[0].metric(column_label("effective_deadline", lang), _day(now["effective_deadline"]), border=True)
    cols[1].metric(column_label("extensions", lang), widgets.number(now["extensions"]), border=True)
    cols[2].metric(column_label("rework", lang), widgets.number(now["rework"]), border=True)
    cols[3].metric(column_label("verification", lang), value_label(now["verification"], lang) or "—", border=True)
    if now["extensions"]:
        st.markdown(ctx.t("dash.hazard.deadline_extended", deadline=_day(now["deadline"]),
                          effective=_day(now["effective_deadline"]), n=now["extensions"]))
    else:
        st.markdown(ctx.t("dash.hazard.deadline_plain", deadline=_day(now["deadline"])))
    if now["supervision"]:
        state_word = "dash.hazard.supervision_in_force" if now["supervision_in_force"] else "dash.hazard.supervision_lifted"
        st.markdown(ctx.t("dash.hazard.supervised", level=value_label(now["supervision"], lang),
                          notice=md(now["notice_no"]) or "—", state=ctx.t(state_word)))
    if now["supervision_due"]:
        st.warning(ctx.t("dash.hazard.supervision_due"))
    # the latest verification known on the as-of date (the history below shows every report)
    checked = history.filter(pl.col("verification").is_not_null() & (pl.col("report_date") <= sel.as_of))
    if checked.is_empty():
        st.markdown(ctx.t("dash.hazard.no_verification"))
    else:
        last = checked.row(-1, named=True)
        st.markdown(ctx.t("dash.hazard.verification", result=value_label(last["verification"], lang),
                          date=_day(last["verified_date"]), verifier=md(last["verifier"]) or "—",
                          rework=now["rework"]))
    if now["closed_unverified"]:
        st.error(ctx.t("dash.hazard.closed_unverified"))
else:
    st.info(ctx.t("dash.hazard.after_as_of", as_of=_day(sel.as_of)))
st.markdown(ctx.t("dash.hazard.description", text=md(latest["description"]) or "—"))
derived = state[0].get("derived") if state else latest.get("derived")
if derived:  # values the ledger did not type: told apart from typed ones (SPEC §2.1)
    st.caption(ctx.t("dash.hazard.derived", fields=md("、".join(derived_label(f, lang) for f in derived))))

# ---- the timeline: one marker per report at its status; the key dates as dashed lines
order = list(STATUSES)
fig = go.Figure(go.Scatter(
    x=history["report_date"].to_list(), y=[value_label(s, lang) for s in history["status"]], mode="lines+markers+text",
    text=[ctx.t("dash.hazard.report_n", n=n) for n in history["report_seq"]], textposition="top center",
    marker={"size": 14, "color": charts.OKABE_ITO[0]}, line={"color": charts.OKABE_ITO[0]},
    hovertemplate="%{x|%Y-%m-%d}: %{y}<extra></extra>", showlegend=False))
# (date column, colour, label position): rectified and closed are often days apart, so their
# labels sit on opposite sides.
# The deadline in force is drawn only when an extension moved it.
KEY_DATES = (("found_date", 5, "bottom right"), ("deadline", 3, "top right"), ("effective_deadline", 1, "bottom left"),
             ("rectified_date", 2, "top left"), ("closed_date", 7, "bottom right"))
for column, colour, position in KEY_DATES:
    day = state[0].get(column) if state else latest.get(column)
    if column == "effective_deadline" and day == (state[0]["deadline"] if state else None):
        continue
    if day:
        fig.add_vline(x=day.isoformat(), line_dash="dash", line_color=charts.OKABE_ITO[colour],
                      annotation_text=column_label(column, lang), annotation_position=position)
fig.update_yaxes(categoryorder="array", categoryarray=[value_label(s, lang) for s in order], type="category",
                 range=[-0.5, len(order) - 0.5])
fig.update_xaxes(tickformat="%Y-%m-%d")
charts.styled(fig, ctx.t("dash.hazard.timeline_title"), height=360)
widgets.chart(fig, "hazard.timeline")

st.subheader(ctx.t("dash.hazard.reports"))
widgets.table(history, "hazard.history", lang, f"hazard-{hazard_id}")
st.page_link(nav.page_path("school"), label=ctx.t("dash.hazard.to_school"), icon=":material/school:",
             query_params={"school": latest["school_code"]})
