"""组织体系 Organisation: the three tiers of principals-in-chief (区 → 镇 → 村/社区), the office,
and the member units with their member and liaison — from the registry."""

from __future__ import annotations

import streamlit as st

from dashboard import page, queries, widgets

ctx = page.current()
lang, scope = ctx.lang, ctx.scope
st.title(ctx.t("dash.page.organisation"))
st.caption(ctx.t("dash.org.intro"))

district = queries.district()
towns = queries.towns(scope)
villages = queries.villages(scope)
departments = queries.departments(scope)

tiers = st.columns(3)
tiers[0].metric(ctx.t("dash.org.tier.district"), district.get("principal") or "—", help=district.get("district_name"))
tiers[1].metric(ctx.t("dash.org.tier.town"), ctx.t("dash.org.count", n=towns.height))
tiers[2].metric(ctx.t("dash.org.tier.village"), ctx.t("dash.org.count", n=villages.height))

st.subheader(ctx.t("dash.org.office"))
st.markdown(ctx.t("dash.org.office_text"))

st.subheader(ctx.t("dash.org.towns"))
if scope.kind == "department":  # the principals' names are null in SQL for a department
    st.caption(ctx.t("dash.org.principals_masked"))
widgets.table(towns, "org.towns", lang, "towns")
with st.expander(ctx.t("dash.org.villages"), expanded=False):
    widgets.table(villages, "org.villages", lang, "villages")

st.subheader(ctx.t("dash.org.members"))
if scope.kind != "district":
    st.caption(ctx.t("dash.org.masked"))
widgets.table(departments, "org.departments", lang, "departments")
