"""挂牌督办 Supervision (SPEC §2.2): the hazards due for 挂牌督办 and not yet listed, those listed
and still in force with their 整改通知书编号, the closed loop's headline counts (延期, 返工,
未经验收销号), and what each responsible unit of any kind (成员单位, 镇, 村（社区）, 学校) holds
overdue and under supervision; choosing a hazard opens its history. A district viewer writes
here the 督办通知书 of the page's as-of date, numbered in the warehouse as `xiaoan notices` numbers
them (pipelines/publish/notices.py: the one write this page makes, under the writer lock into a
new version, as the import page's loads), and downloads them as one .zip."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import lists, measures, page, queries, widgets
from xiaoan import config
from xiaoan.inert import markdown as md
from xiaoan.labels import day_label, value_label
from xiaoan.metrics import HazardPick

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
st.title(ctx.t("dash.page.supervision"))
st.caption(ctx.t("dash.supervision.intro", as_of=day_label(sel.as_of, lang),
                 days=measures.rules().get("supervision", "overdue_days"),
                 levels=ctx.t("dash.list_sep").join(value_label(v, lang) for v in measures.rules().get("supervision", "levels"))))

listed = measures.get("supervision", sel, scope)  # one row per open hazard due for 挂牌 or under it
due = listed.filter(pl.col("due")).sort(["days_overdue", "days_open", "hazard_id"], descending=[True, True, False],
                                        nulls_last=True)
in_force = listed.filter(pl.col("in_force")).sort(["days_open", "hazard_id"], descending=[True, False], nulls_last=True)


def _found_in_period(**flag: bool) -> int:
    """Hazards found in the period with one closed-loop flag (HazardPick: extended, reworked,
    closed_unverified)."""
    return measures.get("hazard_count", sel, scope, found_in_period=True, pick=HazardPick(**flag))


# ---- headline counts
cards = st.columns(5)
for column, (label, value) in zip(cards, (
        ("due", due.height), ("in_force", in_force.height), ("extended", _found_in_period(extended=True)),
        ("rework", _found_in_period(reworked=True)), ("unverified", _found_in_period(closed_unverified=True)))):
    column.metric(ctx.t(f"dash.supervision.{label}"), widgets.number(value), help=ctx.t(f"dash.supervision.{label}_help"),
                  border=True)

# ---- 督办通知书 (district viewers): the notices of the as-of date as one .zip
NOTICES = "supervision.notices"  # session: (as-of date, zip bytes, notices, hazards) of the last click


def _notices_zip(as_of: dt.date) -> tuple[bytes, int, int]:
    """Write the notices of `as_of` (numbered in the warehouse) and pack them: the .zip, how many
    notices, how many hazards they list. NoticesError when they cannot be written."""
    from pipelines.publish.notices import issue_notices  # on a click only: the publishing code stays unloaded

    with tempfile.TemporaryDirectory(prefix="xiaoan-notices-") as tmp:
        written = issue_notices(config.warehouse_path(), as_of, Path(tmp), rules=measures.rules())
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for notice in written:
                archive.write(notice.path, notice.path.name)
    return packed.getvalue(), len(written), sum(n.hazards for n in written)


def _notices() -> None:
    st.subheader(ctx.t("notices.page.heading"))
    st.caption(ctx.t("notices.page.intro", as_of=day_label(sel.as_of, lang)))
    if st.button(ctx.t("notices.page.button"), key="supervision.notices.write", icon=":material/description:"):
        from pipelines.publish.notices import NoticesError

        try:
            with st.spinner(ctx.t("notices.page.writing")):
                st.session_state[NOTICES] = (sel.as_of, *_notices_zip(sel.as_of))
        except NoticesError as exc:
            st.session_state.pop(NOTICES, None)
            st.error(exc.message(lang))
            return
    made = st.session_state.get(NOTICES)
    if not made or made[0] != sel.as_of:  # written for another date: write them again
        return
    as_of, data, count, hazards = made
    if not count:
        st.info(ctx.t("notices.none", as_of=day_label(as_of, lang)))
        return
    st.success(ctx.t("notices.page.written", count=count, as_of=day_label(as_of, lang), hazards=hazards))
    st.download_button(ctx.t("notices.page.download", count=count), data, key="supervision.notices.download",
                       file_name=ctx.t("notices.page.zip_name", as_of=as_of), mime="application/zip",
                       on_click="ignore", icon=":material/download:")


if scope.is_office:  # the district office issues notices: not a town, a member unit or a wall screen
    _notices()


def _shown(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """The list's columns with the unit's kind in the interface language (the supervision level
    is a vocabulary column: widgets.table translates it)."""
    kinds = {k: ctx.t(f"kind.{k}") for k in frame["responsible_kind"].drop_nulls().unique().to_list()}
    return frame.with_columns(
        pl.col("responsible_kind").replace_strict(kinds, default=pl.col("responsible_kind"), return_dtype=pl.String),
    ).select(columns)


DUE_COLUMNS = ("hazard_id", "school_name", "town_name", "category", "level", "responsible_kind", "responsible_name",
               "found_date", "effective_deadline", "days_overdue", "days_open", "extensions", "rework", "status",
               "description")
IN_FORCE_COLUMNS = ("hazard_id", "supervision", "notice_no", "school_name", "town_name", "category", "level",
                    "responsible_kind", "responsible_name", "found_date", "effective_deadline", "days_open",
                    "days_overdue", "extensions", "rework", "status", "description")

st.subheader(ctx.t("dash.supervision.due_list"))
if due.is_empty():
    st.success(ctx.t("dash.supervision.due_none"))
else:
    lists.hazard_rows(_shown(due, DUE_COLUMNS), lang, "supervision.due", "supervision-due")
st.subheader(ctx.t("dash.supervision.in_force_list"))
if in_force.is_empty():
    st.info(ctx.t("dash.supervision.in_force_none"))
else:
    lists.hazard_rows(_shown(in_force, IN_FORCE_COLUMNS), lang, "supervision.in_force", "supervision-in-force")
if not listed.is_empty():
    st.caption(ctx.t("dash.hazards.pick_hint"))

# ---- per responsible unit of any kind: its closure figures (hazards found in the period) and
# what it holds due for or under 挂牌 as of A
st.subheader(ctx.t("dash.supervision.units"))
key = ["responsible_kind", "responsible_code"]
held = (listed.group_by(key).agg(pl.col("in_force").cast(pl.Int64).sum().alias("in_force_count"),
                                 pl.col("due").cast(pl.Int64).sum().alias("due_count"),
                                 pl.col("responsible_name").first(),
                                 # a town's, village's or school's hazards lie in its own town; a member unit has none
                                 pl.when(pl.col("responsible_kind") != "department").then(pl.col("town_code"))
                                 .first().alias("town_code")))
closure = measures.get("unit_closure", sel, scope).rename({"name": "responsible_name"})
towns = dict(queries.towns(scope).select("town_code", "town_name").iter_rows())
units = (closure.join(held, on=key, how="full", coalesce=True, suffix="_listed")
         .with_columns(pl.coalesce("responsible_name", "responsible_name_listed").alias("responsible_name"),
                       pl.coalesce("town_code", "town_code_listed").alias("town_code"),
                       pl.col("in_force_count", "due_count").fill_null(0).cast(pl.Int64),
                       pl.col("overdue_open").fill_null(0))
         .filter((pl.col("overdue_open") > 0) | (pl.col("in_force_count") > 0) | (pl.col("due_count") > 0))
         .with_columns(pl.col("town_code").replace_strict(towns, default=None, return_dtype=pl.String).alias("town_name"))
         .sort(["in_force_count", "overdue_open", "due_count", "responsible_code"], descending=[True, True, True, False]))
if units.is_empty():
    st.success(ctx.t("dash.supervision.units_none"))
    st.stop()
names = {(k, c): n for k, c, n in units.select(*key, "responsible_name").iter_rows()}
widgets.table(_shown(units, ("responsible_kind", "responsible_name", "town_name", "total", "open", "overdue_open",
                             "rectification_rate", "on_time_rate", "in_force_count", "due_count")),
              "supervision.units", lang, "supervision-units")

unit = st.selectbox(ctx.t("dash.supervision.unit_pick"), list(names), key="supervision.unit", index=None,
                    format_func=lambda u: f"{names[u]}（{ctx.t(f'kind.{u[0]}')}）",
                    placeholder=ctx.t("dash.supervision.unit_pick_hint"))
if unit:
    st.markdown(f"**{ctx.t('dash.supervision.unit_hazards', name=md(names[unit]))}**")
    mine = listed.filter((pl.col("responsible_kind") == unit[0]) & (pl.col("responsible_code") == unit[1]))
    lists.hazard_rows(_shown(mine.sort(["in_force", "days_open"], descending=True, nulls_last=True),
                             ("hazard_id", "supervision", "notice_no", "school_name", "level", "found_date",
                              "effective_deadline", "days_open", "days_overdue", "status", "description")),
                      lang, "supervision.unit_hazards", "supervision-unit")
