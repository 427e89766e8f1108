"""风险热力图 District × category risk: the risk of the hazards open on the date in every district
and category (district_risk, the city's risk weights), as a heatmap with the figures in the
cells; a click on a cell lists that district's and category's figures."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, widgets
from dashboard.city import shell, show
from xiaoan.labels import day_label, value_label
from xiaoan.vocabulary import CATEGORIES

ctx = shell.current()
lang = ctx.lang
st.title(ctx.t("city.view.page.risk"))
st.caption(ctx.t("city.view.risk.intro", as_of=day_label(ctx.as_of, lang)))
tables = show.city_tables(ctx)
cells = tables["district_risk"]
scores = tables["district_scores"]

measure = st.segmented_control(ctx.t("city.view.risk.measure"), ["risk", "risk_per_school"], key="c.risk.measure",
                               default="risk", format_func=lambda m: ctx.t(f"city.view.risk.{m}"))
measure = measure or "risk"
# every district in view (ranked first) × every category with an open hazard; an empty cell is 0
codes = [c for c in scores.sort(["rank", "district"], nulls_last=True)["district"].to_list()]
found = set(cells["category"].to_list())
categories = [c for c in CATEGORIES if c in found] + sorted(found - set(CATEGORIES))
if codes and categories:
    value = {(r["district"], r["category"]): r[measure] or 0.0 for r in cells.iter_rows(named=True)}
    z = [[value.get((d, c), 0.0) for c in categories] for d in codes]
    ids = [[[d, c] for c in categories] for d in codes]
    fig = charts.heatmap(z, [ctx.name(d) for d in codes], [value_label(c, lang) for c in categories], ids,
                         ctx.t(f"city.view.risk.hover_{measure}"), ctx.t(f"city.view.risk.{measure}_unit"),
                         text_format=".0f" if measure == "risk" else ".2f")
    charts.top_axis_room(charts.styled(fig, ctx.t(f"city.view.risk.title_{measure}"),
                                       height=max(340, 120 + 40 * len(codes))))
    clicked = widgets.new_click("c.risk.heat", widgets.chart(fig, "c.risk.heat", clickable=True))
    if clicked:
        st.session_state["c.risk.cell"] = (widgets.custom(clicked, 0), widgets.custom(clicked, 1))
else:
    widgets.empty_note(lang, "city.view.risk.none")

cell = st.session_state.get("c.risk.cell")
shown = shell.focus(cells, ctx)
if isinstance(cell, tuple) and ctx.scope.allows(str(cell[0])) and (ctx.district in (None, cell[0])):
    st.subheader(ctx.t("city.view.risk.cell", name=ctx.name(cell[0]), category=value_label(cell[1], lang)))
    shown = cells.filter((pl.col("district") == cell[0]) & (pl.col("category") == cell[1]))
    st.button(ctx.t("city.view.risk.clear"), key="c.risk.clear",
              on_click=lambda: st.session_state.pop("c.risk.cell", None))
else:
    st.subheader(ctx.t("city.view.risk.table"))
show.table(shown, "city.risk", ctx, f"district-risk-{ctx.as_of}",
           ["district_name", "district", "category", "risk", "open_hazards", "overdue_open", "grave_open",
            "risk_per_school"])
