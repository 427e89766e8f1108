"""隐患台账 Hazard ledger: every hazard in its state as of the as-of date, searchable by id,
school, description and measures, filterable by status, level and whether open, overdue or
销号 without a passing verification (未经验收销号); each row carries the closed loop (SPEC §2.2):
the deadline in force and its extensions, 督办 and its notice number, verification and rework;
choosing a row opens that hazard's history. The 推断字段 column (and the downloads) name the
values the ledger did not type (SPEC §2.1: 隐患等级（默认）, 隐患类别（推断）…)."""

from __future__ import annotations

import streamlit as st

from dashboard import lists, measures, page
from xiaoan.labels import column_label, day_label, value_label
from xiaoan.metrics import HazardPick
from xiaoan.vocabulary import LEVELS, STATUSES

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.hazards"))
st.caption(ctx.t("dash.hazards.intro", as_of=day_label(sel.as_of, lang)))

top = st.columns([3, 2, 2])
search = top[0].text_input(ctx.t("dash.hazards.search"), key="hazards.search", max_chars=100,
                           placeholder=ctx.t("dash.hazards.search_hint"))
statuses = top[1].multiselect(column_label("status", lang), list(STATUSES), key="hazards.status",
                              format_func=lambda v: value_label(v, lang), placeholder=ctx.t("dash.filters.all"))
levels = top[2].multiselect(column_label("level", lang), list(LEVELS), key="hazards.level",
                            format_func=lambda v: value_label(v, lang), placeholder=ctx.t("dash.filters.all"))
flags = st.columns(4)
in_period = flags[0].toggle(ctx.t("dash.hazards.in_period", start=day_label(sel.start, lang),
                                  end=day_label(sel.end, lang)), value=True, key="hazards.in_period")
open_only = flags[1].toggle(ctx.t("dash.hazards.open_only"), key="hazards.open_only")
overdue_only = flags[2].toggle(ctx.t("dash.hazards.overdue_only"), key="hazards.overdue_only")
unverified_only = flags[3].toggle(ctx.t("dash.hazards.unverified_only"), key="hazards.unverified_only")

pick = HazardPick(statuses=tuple(statuses), levels=tuple(levels), open_only=open_only, overdue_only=overdue_only,
                  search=search, closed_unverified=unverified_only)
total = measures.get("hazard_count", sel, scope, found_in_period=in_period)
lists.hazards(sel, scope, lang, "hazards.table", "hazards",
              ("hazard_id", "school_name", "town_name", "category", "level", "status", "found_date", "deadline",
               "effective_deadline", "extensions", "rectified_date", "closed_date", "days_overdue", "risk",
               "responsible_name", "supervision", "notice_no", "verification", "rework", "closed_unverified",
               "description", "measures", "report_date", "derived"),
              pick=pick, order="priority", found_in_period=in_period, count_text="dash.hazards.count",
              count_values={"total": f"{total:,}"})
st.caption(ctx.t("dash.hazards.pick_hint"))
