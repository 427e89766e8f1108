"""What the marts compute and the pages show beside their own figures (issue 16): repeat hazards
(反复出现) and 法治教育 coverage by school and semester.

REPEAT_COLUMNS: what a list of repeat hazards shows (the risk page's drill-down, the school
profile). `legal_education(ctx)`: the inspections page's section 法治教育开展情况 — for a semester
the viewer picks among those the period touches, each town's coverage (the share of its schools
with a 法治教育 visit, legal_education_coverage), the figure over every school in view, and the
schools not covered, with their downloads. It sits on the inspections page because a 法治教育 visit
is an inspection (检查类型 法治教育, a legal vice-principal's class at the school): a leader who asks
"did every school get its visit this semester?" looks where the inspections' coverage is.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import charts, measures, widgets
from dashboard.page import PageContext
from xiaoan.labels import day_label, term_label

# The columns of a list of repeat hazards.
REPEAT_COLUMNS = ("hazard_id", "school_name", "category", "level", "found_date", "status", "previous_hazard_id",
                  "previous_rectified_date", "days_since_rectified", "dept_name", "description")


def legal_education(ctx: PageContext) -> None:
    """The section as the page's context asks: its heading, the semester, coverage, uncovered schools."""
    lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
    st.subheader(ctx.t("insights.legal.title"))
    st.caption(ctx.t("insights.legal.intro", as_of=day_label(sel.as_of, lang)))
    if scope.kind == "department":
        st.caption(ctx.t("insights.legal.own_visits"))
    semesters = measures.get("legal_education_semesters", sel, scope)
    if semesters.is_empty() or not semesters["schools"].sum():
        widgets.empty_note(lang, "insights.legal.none")
        return
    labels = {r["semester_start"]: term_label(r["term"], r["semester_start"], lang)
              for r in semesters.iter_rows(named=True)}
    if st.session_state.get("inspections.semester") not in labels:
        st.session_state["inspections.semester"] = next(iter(labels))  # the latest semester
    start = st.selectbox(ctx.t("insights.legal.semester"), list(labels), key="inspections.semester",
                         format_func=labels.get)
    term = labels[start]
    total = semesters.filter(pl.col("semester_start") == start).row(0, named=True)
    st.markdown(ctx.t("insights.legal.district" if scope.kind == "district" and not sel.towns
                      and not sel.school_types else "insights.legal.scope_total",
                      visited=total["visited_schools"], schools=total["schools"],
                      rate=widgets.percent(total["legal_education_coverage"])))

    towns = (measures.get("legal_education_coverage", sel, scope).filter(pl.col("semester_start") == start)
             .sort("legal_education_coverage", descending=True, nulls_last=True))
    fig = go.Figure(go.Bar(
        x=towns["town_name"].to_list(), y=towns["legal_education_coverage"].to_list(), marker_color=charts.OKABE_ITO[2],
        text=[f"{v}/{n}" for v, n in zip(towns["visited_schools"], towns["schools"])], textposition="inside",
        hovertemplate="%{x}: %{y:.1%} (%{text})<extra></extra>"))
    charts.percent_axis(charts.styled(fig, ctx.t("insights.legal.coverage_title", term=term), height=360))
    widgets.chart(fig, "inspections.legal_coverage")
    widgets.table(towns.select("town_code", "town_name", "schools", "visited_schools", "legal_education_coverage"),
                  "inspections.legal_table", lang, f"legal-education-coverage-{start}")

    st.markdown(f"**{ctx.t('insights.legal.uncovered', term=term)}**")
    uncovered = measures.get("school_legal_education", sel, scope, semester_start=start, uncovered_only=True)
    if uncovered.is_empty():
        st.success(ctx.t("insights.legal.all_covered"))
        return
    st.markdown(ctx.t("insights.legal.uncovered_n", n=uncovered.height))
    widgets.table(uncovered.select("school_code", "school_name", "school_type", "town_name", "semester_start",
                                   "semester_end"),
                  "inspections.legal_uncovered", lang, f"legal-education-uncovered-{start}")
