"""驾驶舱 Wall screen (/wall): a full-screen view for a 1920×1080 display in the office — the
headline figures with their change since last month end, the 挂牌督办 count, the town map
coloured by risk per school, the towns' and member units' rankings with grades, and the
latest ledgers received. No sidebar, no Streamlit chrome (dashboard/wall_shell.py), dark.

It refreshes itself (?refresh=seconds: a full run of the app, so the login is checked again)
and may rotate between panels (?rotate=seconds) or pin one (?panel=overview|map|rankings|
arrivals). Everything is in the viewer's scope: a town's screen shows its town."""

from __future__ import annotations

import datetime as dt
import time
from html import escape

import streamlit as st

from dashboard import measures, page, queries, towns_map, wall_parts, wall_shell
from xiaoan import config
from xiaoan.i18n import t
from xiaoan.labels import day_label, time_label

ctx = page.current()
lang, scope, sel = ctx.lang, ctx.scope, ctx.selection
opts = wall_shell.options(st.query_params)
st.set_page_config(page_title=t("wall.page", lang))

# The headline figures, as the overview shows them (rates first to one decimal, risk whole).
SHOWN = ("open_hazards", "grave_open", "overdue_open", "open_risk", "rectification_rate", "inspection_coverage",
         "meeting_compliance")
ARRIVALS = {"overview": 8, "arrivals": 12}  # ledgers listed

# ---- the figures of this run (a refresh reads them again; rotation reuses them)
district = queries.district()
rows = {r["metric"]: r for r in measures.get("headline_change", sel, scope).to_dicts()}
previous_as_of = next((r.get("previous_as_of") for r in rows.values() if r.get("previous_as_of")), None)
listed = measures.get("supervision", sel, scope)
supervision = (int(listed["in_force"].sum() or 0), int(listed["due"].sum() or 0)) if listed.height else (0, 0)
town_scores = measures.get("town_scores", sel, scope)
dept_scores = measures.get("dept_scores", sel, scope)
per_school = measures.get("town_risk_per_school", sel, scope)
shapes = towns_map.shapes_for(config.map_path())
if shapes and scope.kind == "town":  # a town's screen: its own town, not its neighbours' outlines (as the risk page)
    town_names = dict(per_school.select("town_code", "town_name").iter_rows())
    shapes = [s for s in shapes if s.code in town_names or s.name in town_names.values()]
log = queries.ingest_log(scope)  # empty outside the district view (the load log is the district's)
last = queries.last_load(scope)
decimals = int(measures.rules().get("scores", "decimals"))  # the ranks are computed on scores to these
colours = wall_parts.grade_colours([g for g, _ in measures.rules().grades()] + [measures.rules().grade_below])
panels = tuple(p for p in opts.panels if p != "arrivals" or scope.kind == "district" or opts.panel)


def scope_name() -> str | None:
    """The town's or member unit's name of a scoped screen."""
    if scope.kind == "town":
        names = dict(queries.towns(scope).select("town_code", "town_name").iter_rows())
    elif scope.kind == "department":
        names = dict(queries.departments(scope).select("dept_code", "dept_name").iter_rows())
    else:
        return None
    return names.get(scope.code, scope.code)


# ---- header and the headline tiles (drawn by every full run)
st.html(wall_parts.CSS)
meta = [t("wall.period", lang, start=day_label(sel.start, lang), end=day_label(sel.end, lang)) + " · "
        + t("wall.as_of", lang, as_of=f"<b>{day_label(sel.as_of, lang)}</b>")]
line = t("wall.refreshed", lang, time=dt.datetime.now().strftime("%H:%M:%S"))
if previous_as_of:
    line = t("wall.vs_last_month", lang, date=day_label(previous_as_of, lang)) + " · " + line
name = scope_name()
if name:
    line = t("wall.scope", lang, name=escape(str(name))) + " · " + line
meta.append(line)
st.html(wall_parts.header(t("wall.title", lang, district=district.get("district_name") or ""), meta))
st.html(wall_parts.kpis(rows, SHOWN, supervision, lang))


# ---- the panels
def _ranking(tier: str, height: int) -> None:
    scores, name = (town_scores, "town_name") if tier == "town" else (dept_scores, "dept_name")
    title = t("wall.rank.towns" if tier == "town" else "wall.rank.units", lang)
    shown, total = wall_parts.ranking_rows(scores)
    if shown.is_empty():
        reason = t("wall.rank.none", lang)
        if (scope.kind == "town" and tier == "dept") or (scope.kind == "department" and tier == "town"):
            reason = t(f"dash.scope.{tier}_rows_only", lang)
        st.html(wall_parts.card(title, wall_parts.note(reason), height, f"{tier}-ranking"))
        return
    if total > shown.height:
        title = t("wall.rank.title_shown", lang, title=title, shown=t("wall.rank.shown", lang, total=total,
                                                                     top=shown.height // 2, bottom=shown.height // 2))
    st.plotly_chart(wall_parts.ranking(scores, name, title, height, colours, lang, decimals),
                    config=wall_parts.PLOT_CONFIG, theme=None, key=f"wall.{tier}.ranking")


def _map(height: int) -> None:
    title = t("wall.map.title", lang)
    if not shapes:
        st.html(wall_parts.card(title, wall_parts.note(t("wall.map.none", lang)), height, "map"))
        return
    st.plotly_chart(wall_parts.town_map(shapes, per_school, title, height, lang), config=wall_parts.PLOT_CONFIG,
                    theme=None, key="wall.map")


def _arrivals(height: int, wide: bool) -> None:
    title = t("wall.arrivals.title", lang)
    if scope.kind != "district":  # the load log is the district's; others learn how fresh the data is
        when = time_label(last.get("finished_at"), lang) or "—"
        body = wall_parts.note(t("wall.arrivals.scoped", lang, when=when))
    elif log.is_empty():
        body = wall_parts.note(t("wall.arrivals.none", lang))
    else:
        latest = log.head(ARRIVALS["arrivals" if wide else "overview"])
        body = wall_parts.arrivals_table(latest, lang) if wide else wall_parts.arrivals_list(latest, lang)
    st.html(wall_parts.card(title, body, height, "arrivals"))


def draw(panel: str) -> None:
    if len(panels) > 1:
        st.html(wall_parts.pills(panels, panel, lang))
    height = 748 if len(panels) > 1 else 800  # (the row of panel names takes the rest)
    if panel == "overview":
        left, middle, right = st.columns([1.05, 1, 0.9], gap="small")
        with left:
            _map(height)
        with middle:  # the two rankings share the height by their number of bars
            towns, units = (wall_parts.ranking_rows(s)[0].height + 2 for s in (town_scores, dept_scores))
            upper = min(max(round((height - 12) * towns / (towns + units)), 260), height - 12 - 260)
            _ranking("town", upper)
            _ranking("dept", height - 12 - upper)
        with right:
            _arrivals(height, wide=False)
    elif panel == "map":
        left, right = st.columns([1.7, 1], gap="small")
        with left:
            _map(height)
        with right:
            st.html(wall_parts.card(t("wall.map.ranking", lang), wall_parts.risk_table(per_school, lang), height,
                                    "risk-table"))
    elif panel == "rankings":
        left, right = st.columns(2, gap="small")
        with left:
            _ranking("town", height)
        with right:
            _ranking("dept", height)
    else:
        _arrivals(height, wide=True)


@st.fragment(run_every=opts.tick)
def screen() -> None:
    """The panel area. A full run draws the current panel; a timed run (every tick) shows the
    next panel, or — when the refresh is due — reruns the whole app (data and login again)."""
    panel = wall_shell.panel_now(st.session_state, time.monotonic(), opts, panels)
    if panel is None:
        st.rerun()
    draw(panel)


wall_shell.full_run(st.session_state, time.monotonic())
screen()
