"""区级快照 A district's snapshot: the lake tables of one district and as-of date — the files its
commit names, as the district exported them (people's names left out) — with the commit's facts
(version, when written, rules, source files, rows per table) and every table's downloads."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.city import data, shell, show
from xiaoan.labels import day_label, table_label

ctx = shell.current()
lang = ctx.lang
st.title(ctx.t("city.view.page.district"))


def _pick() -> None:
    chosen = st.session_state.get("c.district.pick")
    st.session_state[shell.DISTRICT_KEY] = chosen
    shell.remember(shell.DISTRICT_KEY)


district = ctx.district
if district is None:  # a city viewer without a district in focus: choose one here (the sidebar's filter follows)
    st.info(ctx.t("city.view.district.choose"))
    st.selectbox(ctx.t("city.view.filter.district"), [None, *ctx.districts], key="c.district.pick",
                 format_func=lambda c: ctx.t("city.view.district.none") if c is None
                 else ctx.t("city.view.named", name=ctx.name(c), detail=c),
                 on_change=_pick)
    st.stop()

part = ctx.state.partition(district, ctx.as_of) if ctx.scope.allows(district) else None
if part is None:
    others = [day_label(d, lang) for d in ctx.state.as_ofs([district])]
    st.info(ctx.t("city.view.district.no_partition", name=ctx.name(district), as_of=day_label(ctx.as_of, lang),
                  dates=ctx.t("city.view.list_sep").join(others) or "—"))
    st.stop()

st.caption(ctx.t("city.view.district.intro", name=part.district_name or district, code=district,
                 as_of=day_label(part.as_of, lang), version=part.version, written=part.written_at[:19] or "—",
                 rules=str(part.manifest.get("rules_hash") or "—")[:12],
                 sources=len(part.manifest.get("source_files") or [])))

names = sorted(part.files, key=lambda n: (table_label(n, lang) == n, table_label(n, lang)))
counts = part.row_counts
with st.expander(ctx.t("city.view.district.tables", count=len(names))):
    listing = pl.DataFrame({"table": names, "table_name": [table_label(n, lang) for n in names],
                            "rows": [counts.get(n) for n in names]}, schema={"table": pl.String,
                                                                             "table_name": pl.String,
                                                                             "rows": pl.Int64})
    show.table(listing, "city.district.tables", ctx, f"lake-tables-{district}-{ctx.as_of}")

wanted = st.session_state.pop("c.url.table", None)
if wanted in names:
    st.session_state[shell.TABLE_KEY] = wanted
if st.session_state.get(shell.TABLE_KEY) not in names:
    st.session_state[shell.TABLE_KEY] = "hazards" if "hazards" in names else names[0]
table = st.selectbox(ctx.t("city.view.district.table"), names, key=shell.TABLE_KEY,
                     format_func=lambda n: ctx.t("city.view.named", name=table_label(n, lang), detail=n)
                     if table_label(n, lang) != n else n)
if st.query_params.get("table") != table:
    st.query_params["table"] = table
frame = data.snapshot_table(part, table)
st.subheader(ctx.t("city.view.district.rows", table=table_label(table, lang), rows=frame.height))
show.table(frame, f"city.district.{table}", ctx, f"{district}-{ctx.as_of}-{table}", height=520)
