"""学校档案 School profile (一校一档): one school's registry facts, its risk and open hazards as of
the as-of date, every hazard known for it, its inspections in the period, its repeat hazards
(反复出现) and its 法治教育 visits by semester."""

from __future__ import annotations

import dataclasses

import polars as pl
import streamlit as st

from dashboard import insights, lists, measures, page, queries, widgets
from xiaoan.inert import markdown as md
from xiaoan.labels import column_label, day_label, term_label, value_label
from xiaoan.metrics import HazardPick

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.school"))

schools = queries.schools(scope, sel.towns, sel.school_types)
if schools.is_empty():
    widgets.empty_note(lang, "dash.school.none")
    st.stop()
names = {r["school_code"]: f"{r['school_name']} · {r['town_name']} ({r['school_code']})" for r in schools.iter_rows(named=True)}
wanted = st.query_params.get("school")
if "school.code" not in st.session_state or (wanted in names and wanted != st.session_state.get("school.shown")):
    st.session_state["school.code"] = wanted if wanted in names else next(iter(names))
if st.session_state["school.code"] not in names:
    st.session_state["school.code"] = next(iter(names))
code = st.selectbox(ctx.t("dash.school.pick"), list(names), key="school.code", format_func=names.get)
st.session_state["school.shown"] = code
st.query_params["school"] = code
info = queries.school(scope, code)

# The school's own figures: the metrics for this one school, whatever the town filter says.
one = dataclasses.replace(sel, towns=(info["town_code"],), school_types=())
summary = measures.get("school_summary", one, scope).filter(pl.col("school_code") == code).to_dicts()
facts = summary[0] if summary else {}
st.subheader(md(info["school_name"]))
st.caption(ctx.t("dash.school.facts", type=value_label(info["school_type"], lang), ownership=value_label(info["ownership"], lang),
                 town=md(info["town_name"]) or "—", village=md(info["village_name"]) or "—", students=info["students"] or "—"))
cols = st.columns(5)
cols[0].metric(column_label("open_hazards", lang), widgets.number(facts.get("open_hazards")), border=True)
cols[1].metric(column_label("grave_open", lang), widgets.number(facts.get("grave_open")), border=True)
cols[2].metric(column_label("overdue_open", lang), widgets.number(facts.get("overdue_open")), border=True)
cols[3].metric(column_label("risk", lang), widgets.number(facts.get("risk")), border=True)
cols[4].metric(column_label("inspections", lang), widgets.number(facts.get("inspections")), border=True)

st.subheader(ctx.t("dash.school.hazards"))
lists.hazards(one, scope, lang, "school.hazards", f"school-{code}-hazards",
              ("hazard_id", "category", "level", "status", "found_date", "deadline", "rectified_date",
               "closed_date", "days_overdue", "risk", "dept_name", "description"),
              pick=HazardPick(school_code=code), order="open_risk")

st.subheader(ctx.t("dash.school.inspections", start=day_label(sel.start, lang), end=day_label(sel.end, lang)))
lists.inspections(one, scope, lang, "school.inspections", f"school-{code}-inspections",
                  ("inspection_date", "dept_name", "inspection_type", "category", "inspectors",
                   "hazards_found_on_inspection", "inspection_score"), school_code=code)

# ---- 反复出现的隐患 at this school: found in the period soon after one of the same category was rectified
st.subheader(ctx.t("insights.repeat.school", start=day_label(sel.start, lang), end=day_label(sel.end, lang)))
repeated = measures.get("repeat_hazard_list", one, scope, school_code=code)
if repeated.is_empty():
    widgets.empty_note(lang, "insights.repeat.school_none")
else:
    if scope.kind == "department":
        st.caption(ctx.t("insights.repeat.previous_hidden"))
    lists.hazard_rows(repeated.select(c for c in insights.REPEAT_COLUMNS if c != "school_name"), lang,
                      "school.repeats", f"school-{code}-repeat-hazards")

# ---- 法治教育 at this school, semester by semester (the latest first)
st.subheader(ctx.t("insights.legal.school"))
if scope.kind == "department":
    st.caption(ctx.t("insights.legal.own_visits"))
legal = measures.get("school_legal_education", one, scope, school_code=code)
if legal.is_empty():
    widgets.empty_note(lang, "insights.legal.none")
else:
    latest = legal.row(0, named=True)
    term = term_label(latest["term"], latest["semester_start"], lang)
    if latest["legal_education_visits"]:
        st.markdown(ctx.t("insights.legal.school_covered", term=term, n=latest["legal_education_visits"],
                          date=day_label(latest["last_inspection_date"], lang)))
    else:
        st.markdown(ctx.t("insights.legal.school_uncovered", term=term))
    terms = [term_label(r["term"], r["semester_start"], lang) for r in legal.iter_rows(named=True)]
    widgets.table(legal.with_columns(term=pl.Series(terms, dtype=pl.String))
                  .select("term", "semester_start", "semester_end", "legal_education_visits", "inspector_name",
                          "last_inspection_date"),
                  "school.legal_education", lang, f"school-{code}-legal-education")

