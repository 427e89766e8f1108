"""风险热力图 Risk: the town × category heatmap of open-hazard risk, the town map coloured by
risk per school, the repeat hazards (反复出现) by town and category, and a drill-down to a town's
(and category's) schools, open hazards and repeat hazards."""

from __future__ import annotations

import dataclasses

import polars as pl
import streamlit as st

from dashboard import charts, insights, lists, measures, page, towns_map, widgets
from xiaoan import config
from xiaoan.inert import markdown as md
from xiaoan.labels import day_label, value_label
from xiaoan.metrics import HazardPick
from xiaoan.vocabulary import CATEGORIES

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.risk"))
st.caption(ctx.t("dash.risk.intro", as_of=day_label(sel.as_of, lang)))

cells = measures.get("town_risk", sel, scope)
per_school = measures.get("town_risk_per_school", sel, scope)
town_names = dict(per_school.select("town_code", "town_name").iter_rows())
categories = [c for c in CATEGORIES if not sel.categories or c in sel.categories]

# ---- heatmap: every town in view × every category; a cell without open hazards is 0.
risk = {(r["town_code"], r["category"]): r["risk"] for r in cells.iter_rows(named=True)}
codes = list(town_names)
z = [[risk.get((town, cat), 0.0) for cat in categories] for town in codes]
ids = [[[town, cat] for cat in categories] for town in codes]
fig = charts.heatmap(z, [town_names[c] for c in codes], [value_label(c, lang) for c in categories], ids,
                     ctx.t("dash.risk.heat_hover"), ctx.t("dash.risk.unit"))
charts.top_axis_room(charts.styled(fig, ctx.t("dash.risk.heat_title"), height=max(340, 100 + 36 * len(codes))))
clicked = widgets.new_click("risk.heat", widgets.chart(fig, "risk.heat", clickable=True))
if clicked:
    st.session_state["risk.town"] = widgets.custom(clicked, 0)
    st.session_state["risk.category"] = widgets.custom(clicked, 1)

# ---- the map: town polygons coloured by risk per school.
shapes = towns_map.shapes_for(config.map_path())
if shapes and scope.kind == "town":  # a town viewer's map: its own town, not its neighbours' outlines and names
    shapes = [s for s in shapes if s.code in town_names or s.name in town_names.values()]
if shapes:
    values = {r["town_code"]: r["risk_per_school"] for r in per_school.iter_rows(named=True)
              if r["risk_per_school"] is not None}
    fig = towns_map.town_map(shapes, values, town_names, ctx.t("dash.risk.map_hover"), ctx.t("dash.risk.per_school_unit"))
    charts.styled(fig, ctx.t("dash.risk.map_title"), height=520)
    clicked = widgets.new_click("risk.map", widgets.chart(fig, "risk.map", clickable=True))
    if clicked and widgets.custom(clicked) in town_names:
        st.session_state["risk.town"] = widgets.custom(clicked)
        st.session_state["risk.category"] = None
else:
    st.info(ctx.t("dash.risk.no_map", path=config.map_path()))

st.subheader(ctx.t("dash.risk.per_school_table"))
widgets.table(per_school, "risk.per_school", lang, "town-risk-per-school")

# ---- 反复出现的隐患: found again at a school soon after one of the same category was rectified;
# a pick sets the drill-down's town and category.
st.subheader(ctx.t("insights.repeat.title"))
st.caption(ctx.t("insights.repeat.intro", start=day_label(sel.start, lang), end=day_label(sel.end, lang),
                 days=measures.rules().as_sql()["repeat_window_days"]))
repeats = measures.get("repeat_hazard_counts", sel, scope)
if repeats.is_empty():
    widgets.empty_note(lang, "insights.repeat.none")
else:
    picked = widgets.table(repeats.select("town_code", "town_name", "category", "hazards", "open"), "risk.repeats",
                           lang, "repeat-hazards-by-town", select=True)
    picked = widgets.new_click("risk.repeats", [] if picked is None else [picked])
    if picked is not None:
        st.session_state["risk.town"] = repeats["town_code"][picked]
        st.session_state["risk.category"] = repeats["category"][picked]

# ---- drill-down: a town (and maybe a category) → its schools, open hazards and repeat hazards.
st.subheader(ctx.t("dash.risk.drill"))
if st.session_state.get("risk.town") not in town_names:
    st.session_state["risk.town"] = None
if st.session_state.get("risk.category") not in categories:
    st.session_state["risk.category"] = None
left, right = st.columns(2)
town = left.selectbox(ctx.t("dash.filters.towns"), codes, key="risk.town", format_func=town_names.get,
                      placeholder=ctx.t("dash.risk.pick_town"))
category = right.selectbox(ctx.t("dash.filters.categories"), categories, key="risk.category",
                           format_func=lambda c: value_label(c, lang), placeholder=ctx.t("dash.filters.all"))
if town:
    narrowed = dataclasses.replace(sel, towns=(town,), categories=(category,) if category else sel.categories)
    schools = measures.get("school_summary", narrowed, scope).sort("risk", descending=True)
    st.markdown(ctx.t("dash.risk.schools_of", town=md(town_names[town])))
    widgets.table(schools.select("school_code", "school_name", "school_type", "open_hazards", "grave_open",
                                 "overdue_open", "risk", "inspections", "last_inspection_date"),
                  "risk.schools", lang, "schools")
    st.markdown(ctx.t("dash.risk.hazards_of", town=md(town_names[town]),
                      category=value_label(category, lang) if category else ctx.t("dash.filters.all")))
    lists.hazards(narrowed, scope, lang, "risk.hazards", "open-hazards",
                  ("hazard_id", "school_name", "category", "level", "status", "found_date", "deadline",
                   "days_overdue", "risk", "dept_name", "description"),
                  pick=HazardPick(open_only=True), order="risk")
    st.markdown(ctx.t("insights.repeat.of", town=md(town_names[town]),
                      category=value_label(category, lang) if category else ctx.t("dash.filters.all")))
    repeated = measures.get("repeat_hazard_list", narrowed, scope)
    if repeated.is_empty():
        widgets.empty_note(lang, "insights.repeat.none")
    else:
        if scope.kind == "department":
            st.caption(ctx.t("insights.repeat.previous_hidden"))
        lists.hazard_rows(repeated.select(insights.REPEAT_COLUMNS), lang, "risk.repeat_list", "repeat-hazards")
