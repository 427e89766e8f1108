"""数据质量 Data quality (district only): the 回执 (receipts) of recent loads to send back to
their senders, rejected rows grouped by file and by submitting unit with their reasons, the
warnings of loaded rows, the zero reports (零报告), the ingest log with each file's sender, and
the towns that have not sent a hazard ledger this month."""

from __future__ import annotations

import streamlit as st

from dashboard import page, queries, widgets
from pipelines.publish.receipts import receipt_files
from xiaoan import config
from xiaoan.labels import month_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_LOADS = 10  # the loads whose receipts are offered

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.quality"))

rejected = queries.rejected_rows(scope)
log = queries.ingest_log(scope)
missing = queries.towns_without_ledger(scope, sel.as_of)

cols = st.columns(3)
cols[0].metric(ctx.t("dash.quality.rejected_rows"), widgets.number(rejected.height))
cols[1].metric(ctx.t("dash.quality.files"), widgets.number(log.height))
cols[2].metric(ctx.t("dash.quality.towns_missing", month=month_label(sel.as_of, lang)), widgets.number(missing.height))

# ---- 回执: the receipts `xiaoan ingest` (and the import page) wrote for the recent loads, one
# workbook per sender, downloaded through the guarded media files like every other download.
st.subheader(ctx.t("dash.quality.receipts"))
loads = queries.recent_loads(scope, RECENT_LOADS)
loads = loads.filter(loads["rejected"] > 0) if loads.height else loads
when = {row["batch_id"]: row["finished_at"] for row in loads.to_dicts()}
files = receipt_files(config.warehouse_path(), when) if when else []
if not files:
    st.caption(ctx.t("dash.quality.receipts_none"))
for batch_id in dict.fromkeys(b for b, _ in files):
    finished = when.get(batch_id)
    st.markdown(ctx.t("dash.quality.receipt_load", batch=batch_id[:8],
                      when=finished.strftime("%Y-%m-%d %H:%M") if finished else ""))
    row = st.container(horizontal=True)
    for _, path in (f for f in files if f[0] == batch_id):
        row.download_button(path.stem, lambda p=path: p.read_bytes(), file_name=path.name, mime=XLSX,
                            key=f"quality.receipt.{batch_id}.{path.name}", on_click="ignore", icon=":material/assignment_return:")

st.subheader(ctx.t("dash.quality.by_file"))
widgets.table(queries.rejected_by_file(scope), "quality.by_file", lang, "rejected-by-file")

st.subheader(ctx.t("dash.quality.by_unit"))
widgets.table(queries.rejected_by_unit(scope), "quality.by_unit", lang, "rejected-by-unit")

st.subheader(ctx.t("dash.quality.rows"))
search = st.text_input(ctx.t("dash.quality.search"), key="quality.search", max_chars=100)
widgets.table(queries.rejected_rows(scope, search) if search else rejected, "quality.rows", lang, "rejected-rows")

st.subheader(ctx.t("dash.quality.warnings"))
widgets.table(queries.warnings(scope), "quality.warnings", lang, "warnings")

st.subheader(ctx.t("dash.quality.zero_reports"))
widgets.table(queries.zero_reports(scope), "quality.zero_reports", lang, "zero-reports")

st.subheader(ctx.t("dash.quality.missing", month=month_label(sel.as_of, lang)))
widgets.table(missing, "quality.missing", lang, "towns-without-ledger")

st.subheader(ctx.t("dash.quality.log"))
widgets.table(log, "quality.log", lang, "ingest-log")
