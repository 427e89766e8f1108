"""数据质量 Data quality: rejected rows grouped by file and by submitting unit with their
reasons, the ingest log, and the towns that have not sent a hazard ledger this month."""

from __future__ import annotations

import streamlit as st

from dashboard import page, queries, widgets

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.quality"))

rejected = queries.rejected_rows(scope)
log = queries.ingest_log(scope)
missing = queries.towns_without_ledger(scope, sel.as_of)

cols = st.columns(3)
cols[0].metric(ctx.t("dash.quality.rejected_rows"), widgets.number(rejected.height))
cols[1].metric(ctx.t("dash.quality.files"), widgets.number(log.height))
cols[2].metric(ctx.t("dash.quality.towns_missing", month=sel.as_of.strftime("%Y-%m")), widgets.number(missing.height))

st.subheader(ctx.t("dash.quality.by_file"))
widgets.table(queries.rejected_by_file(scope), "quality.by_file", lang, "rejected-by-file")

st.subheader(ctx.t("dash.quality.by_unit"))
widgets.table(queries.rejected_by_unit(scope), "quality.by_unit", lang, "rejected-by-unit")

st.subheader(ctx.t("dash.quality.rows"))
search = st.text_input(ctx.t("dash.quality.search"), key="quality.search", max_chars=100)
widgets.table(queries.rejected_rows(scope, search) if search else rejected, "quality.rows", lang, "rejected-rows")

st.subheader(ctx.t("dash.quality.missing", month=sel.as_of.strftime("%Y-%m")))
widgets.table(missing, "quality.missing", lang, "towns-without-ledger")

st.subheader(ctx.t("dash.quality.log"))
widgets.table(log, "quality.log", lang, "ingest-log")
