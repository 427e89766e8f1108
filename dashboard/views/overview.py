"""总览 Overview: the headline figures of the period with the change since the end of last
month, what needs attention (the open hazards that are overdue or 重大, riskiest first — the
briefing's list too — and the towns and departments furthest behind), and what was loaded last.
A district viewer also gets the month's 通报 (.docx) of the page's as-of date, written on demand
by the function that writes bulletin.docx into every snapshot (xiaoan.documents.bulletin)."""

from __future__ import annotations

import streamlit as st

from dashboard import context, lists, measures, page, queries, widgets
from xiaoan.documents import DocumentTemplateError
from xiaoan.documents.bulletin import write_bulletin
from xiaoan.inert import markdown as md
from xiaoan.labels import column_label, day_label, is_rate
from xiaoan.metrics import Filters, HazardPick

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
district = queries.district()
st.title(ctx.t("dash.overview.title", district=md(district.get("district_name", ""))))
st.caption(ctx.t("dash.filters.window", start=day_label(sel.start, lang), end=day_label(sel.end, lang),
                 as_of=day_label(sel.as_of, lang)))

if scope.is_office:  # the 通报 is the district office's document (not a wall screen's)
    made = st.session_state.get("overview.bulletin")
    # the page's period and as-of date, the whole district: the document `xiaoan export --as-of A
    # --start S --end E` writes into the snapshot of the same period
    period = Filters(as_of=sel.as_of, start=sel.start, end=sel.end)
    wanted = (context.version(), period)
    if made is None or made[0] != wanted:
        if st.button(ctx.t("documents.make"), key="overview.bulletin.make",
                     help=ctx.t("documents.download_help", date=day_label(sel.as_of, lang))):
            try:
                made = (wanted, write_bulletin(measures.metrics(), period, measures.rules()))
                st.session_state["overview.bulletin"] = made
            except DocumentTemplateError as exc:
                st.error(ctx.t("documents.failed", detail=md(str(exc))))
    if made is not None and made[0] == wanted:
        st.download_button(ctx.t("documents.download"), made[1], file_name=f"bulletin-{sel.as_of}.docx", mime=DOCX,
                           key="overview.bulletin.download", on_click="ignore",
                           help=ctx.t("documents.download_help", date=day_label(sel.as_of, lang)))

# Figures where a rise is bad news (shown red when they go up).
WORSE_WHEN_UP = {"open_hazards", "grave_open", "overdue_open", "open_risk"}
SHOWN = ("open_hazards", "grave_open", "overdue_open", "open_risk",
         "rectification_rate", "closure_rate", "inspection_coverage", "meeting_compliance")

change = measures.get("headline_change", sel, scope)
# 全体成员单位会议 held this year? (the headline's plenary_held; shared with the meetings page)
plenary = measures.call("district_plenary", measures.filters_of(sel)).to_dicts()
rows = {r["metric"]: r for r in change.to_dicts()}
previous_as_of = next(iter(rows.values()), {}).get("previous_as_of")
st.subheader(ctx.t("dash.overview.headline"))
columns = st.columns(4)
for i, name in enumerate(SHOWN):
    row = rows.get(name, {})
    value, delta = row.get("value"), row.get("change")
    if is_rate(name):
        shown = widgets.percent(value)
        delta_text = None if delta is None else ctx.t("dash.overview.pp", n=f"{100 * delta:+.1f}")
    else:
        shown = widgets.number(value)  # counts and risk: whole numbers
        delta_text = None if delta is None else f"{delta:+,.0f}"
    unchanged = not delta
    columns[i % 4].metric(column_label(name, lang), shown, delta_text, border=True,
                          delta_color="off" if unchanged else "inverse" if name in WORSE_WHEN_UP else "normal",
                          delta_arrow="off" if unchanged else "auto",
                          delta_description=ctx.t("dash.overview.vs_last_month"), help=ctx.t(f"dash.help.{name}"))
if previous_as_of:
    st.caption(ctx.t("dash.overview.change_since", date=day_label(previous_as_of, lang)))
if plenary:
    held = plenary[0].get("met")
    (st.success if held else st.warning)(ctx.t("dash.overview.plenary_yes" if held else "dash.overview.plenary_no",
                                               year=sel.as_of.year))

st.subheader(ctx.t("dash.overview.attention"))
lists.hazards(sel, scope, lang, "overview.urgent", "needs-attention",
              ("hazard_id", "school_name", "town_name", "category", "level", "dept_name", "found_date", "deadline",
               "days_overdue", "status", "description"),
              pick=HazardPick(attention=True), order="attention", count_text="dash.overview.urgent")

# The ranks: a town or a unit finds its own row (with its district-wide rank) in its own tier.
left, right = st.columns(2)
for column, (tier, scores, code, name) in zip((left, right), (("town", "town_scores", "town_code", "town_name"),
                                                              ("dept", "dept_scores", "dept_code", "dept_name"))):
    with column:
        behind = measures.get(scores, sel, scope).sort("rank", descending=True).head(3)
        own = scope.kind == {"town": "town", "dept": "department"}[tier]
        st.markdown(ctx.t(f"dash.overview.{tier}_own" if own else f"dash.overview.{tier}s_behind"))
        if behind.is_empty():
            widgets.scope_note(lang, tier)
        else:
            widgets.table(behind.select("rank", name, "score", "rectification_rate", "overdue_open"),
                          f"overview.{tier}s", lang, "towns-behind" if tier == "town" else "departments-behind")

st.subheader(ctx.t("dash.overview.last_load"))
last = queries.last_load(scope)
if not last:
    st.info(ctx.t("dash.overview.no_load"))
elif last["files"] is None:  # the district's load counts are for district viewers
    st.info(ctx.t("dash.overview.last_load_time", when=last["finished_at"].strftime("%Y-%m-%d %H:%M")))
else:
    st.info(ctx.t("dash.overview.last_load_text", when=last["finished_at"].strftime("%Y-%m-%d %H:%M"),
                  files=last["files"], loaded=last["loaded"], rejected=last["rejected"]))
