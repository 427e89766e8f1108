"""部门整改 Departments: each responsible unit's rectification (整改率) and closure (销号率)
rates against the target of the rules file, on-time rate, overdue open hazards by age, the
median days to rectify; clicking a department lists its hazards."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, lists, measures, page, widgets
from xiaoan.labels import column_label, day_label
from xiaoan.metrics import HazardPick

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.departments"))
st.caption(ctx.t("dash.departments.intro", start=day_label(sel.start, lang), end=day_label(sel.end, lang),
                 as_of=day_label(sel.as_of, lang)))

closure = measures.get("dept_closure", sel, scope).sort("rectification_rate", descending=True, nulls_last=True)
target = measures.rules().dept_rectification_target
names = dict(closure.select("dept_code", "dept_name").iter_rows())

# ---- rates against the target
fig = go.Figure()
for i, name in enumerate(("rectification_rate", "closure_rate", "on_time_rate")):
    fig.add_bar(x=closure["dept_name"].to_list(), y=closure[name].to_list(), name=column_label(name, lang),
                marker_color=charts.OKABE_ITO[i], customdata=closure["dept_code"].to_list(),
                hovertemplate="%{x}<br>" + column_label(name, lang) + " %{y:.1%}<extra></extra>")
fig.update_layout(barmode="group")
charts.percent_axis(charts.styled(fig, ctx.t("dash.departments.rates_title"), height=420,
                                  unit=ctx.t("dash.unit.percent")))
charts.target_line(fig, target, ctx.t("dash.departments.target", target=widgets.percent(target)))
clicked = widgets.new_click("departments.rates", widgets.chart(fig, "departments.rates", clickable=True))
if clicked and widgets.custom(clicked) in names:
    st.session_state["departments.dept"] = widgets.custom(clicked)

left, right = st.columns(2)
# ---- overdue open hazards by age (one stacked bar per department for district viewers)
with left:
    buckets = ("1", "2", "3")
    short, medium = (int(measures.rules().get("overdue_buckets", k)) for k in ("short_days", "medium_days"))
    labels = {b: ctx.t(f"dash.departments.bucket_{b}", short=short, short_next=short + 1, medium=medium) for b in buckets}
    fig = go.Figure()
    if scope.kind == "district":
        by_dept = measures.get("overdue_by_dept", sel, scope)
        for i, bucket in enumerate(buckets):
            counts = dict(by_dept.filter(pl.col("overdue_bucket") == int(bucket)).select("dept_code", "hazards").iter_rows())
            counts = [counts.get(c, 0) for c in names]
            fig.add_bar(y=[names[c] for c in names], x=counts, name=labels[bucket], orientation="h",
                        marker_color=charts.OKABE_ITO[[1, 3, 4][i]], customdata=list(names))
        fig.update_layout(barmode="stack")
    else:
        overall = measures.get("overdue_buckets", sel, scope).filter(pl.col("overdue_bucket") > 0)
        fig.add_bar(x=[labels[str(b)] for b in overall["overdue_bucket"]], y=overall["hazards"].to_list(),
                    marker_color=charts.OKABE_ITO[3])
    charts.counts_axis(fig, "xaxis" if scope.kind == "district" else "yaxis")
    charts.styled(fig, ctx.t("dash.departments.buckets_title"), height=max(360, 40 + 28 * len(names)),
                  unit=ctx.t("dash.unit.hazards"))
    clicked = widgets.new_click("departments.buckets", widgets.chart(fig, "departments.buckets", clickable=True))
    if clicked and widgets.custom(clicked) in names:
        st.session_state["departments.dept"] = widgets.custom(clicked)
# ---- median days to rectify
with right:
    days = closure.sort("median_days_to_rectify", nulls_last=True)
    fig = go.Figure(go.Bar(y=days["dept_name"].to_list(), x=days["median_days_to_rectify"].to_list(), orientation="h",
                           marker_color=charts.OKABE_ITO[0], customdata=days["dept_code"].to_list(),
                           hovertemplate="%{y}: %{x:.0f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=ctx.t("dash.departments.days_unit"))
    charts.styled(fig, ctx.t("dash.departments.days_title"), height=max(360, 40 + 28 * len(names)),
                  unit=ctx.t("dash.unit.days"))
    clicked = widgets.new_click("departments.days", widgets.chart(fig, "departments.days", clickable=True))
    if clicked and widgets.custom(clicked) in names:
        st.session_state["departments.dept"] = widgets.custom(clicked)

st.subheader(ctx.t("dash.departments.table"))
widgets.table(closure.select("dept_code", "dept_name", "total", "rectified", "rectification_rate", "closed",
                             "closure_rate", "on_time_rate", "overdue_open", "median_days_to_rectify"),
              "departments.table", lang, "dept-closure")

# ---- drill-down: one department's hazards found in the period
st.subheader(ctx.t("dash.departments.drill"))
if st.session_state.get("departments.dept") not in names:
    st.session_state["departments.dept"] = None
dept = st.selectbox(column_label("dept_name", lang), list(names), key="departments.dept", format_func=names.get,
                    placeholder=ctx.t("dash.departments.pick"))
if dept:
    lists.hazards(sel, scope, lang, "departments.hazards", "dept-hazards",
                  ("hazard_id", "school_name", "town_name", "category", "level", "status", "found_date",
                   "deadline", "rectified_date", "days_overdue", "description"),
                  pick=HazardPick(dept_code=dept), order="open_first", found_in_period=True)
