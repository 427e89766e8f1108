"""xiaoan dashboard (校园安全总校长制 看板): the entry `xiaoan serve` runs.

It sets the page up, takes the language and filters from the URL, draws the shared sidebar,
and routes to the pages with st.navigation. Without data it shows how to load some. The 驾驶舱
wall screen (/wall) gets neither sidebar nor filters: dashboard/wall_shell.py runs it; a wall
screen's account (role `wall`) gets that page only, any other page is refused.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import context, filters, login, measures, nav, queries, viewer, wall_shell
from dashboard.page import PageContext, publish
from xiaoan.i18n import t
from xiaoan.inert import markdown as md
from xiaoan.vocabulary import CATEGORIES, SCHOOL_TYPES

today = dt.date.today()
filters.init_from_url(today)
lang = context.lang()
st.set_page_config(page_title=t("dash.app.title", lang), page_icon=nav.PAGE_ICON, layout="wide",
                   menu_items={"About": t("dash.app.about", lang)})
login.gate(lang)  # nothing below runs for a viewer who has not logged in (when login is configured)
state = context.warehouse_state()
if state == "ready":
    scope = viewer.current()
    current = st.navigation(nav.pages(lang, scope), position="hidden" if scope.wall else "sidebar")
    if scope.wall and current.url_path != wall_shell.URL_PATH:  # a wall screen's account: the wall page only
        nav.wall_only(lang)
        st.stop()
    if current.url_path == wall_shell.URL_PATH:  # the 驾驶舱: no sidebar, no filters, its options from the URL
        measures.stop_if_rules_broken(lang)
        wall_shell.run(current, lang, scope, today)
        st.stop()
district = queries.district() if state == "ready" else {}
st.sidebar.title(md(district.get("district_name")) or t("dash.app.name", lang))
st.sidebar.caption(t("dash.app.subtitle", lang))
filters.language_switch(lang)

if state != "ready":
    welcome = st.Page(nav.empty_page(state, lang), title=t("dash.app.name", lang), url_path="welcome", default=True)
    filters.write_url(lang)
    st.navigation([welcome], position="hidden").run()
    st.stop()

measures.stop_if_rules_broken(lang)  # the office's rules file broken: which line, not a traceback
if scope.kind != "district":
    st.sidebar.info(nav.scope_label(scope, lang))
town_options = dict(queries.towns(scope).select("town_code", "town_name").iter_rows())
selection = filters.render(lang, town_options, list(SCHOOL_TYPES), list(CATEGORIES), queries.data_years(),
                           today, nav.semesters())
publish(PageContext(lang=lang, scope=scope, selection=selection))
filters.write_url(lang)
nav.drop_foreign_params(current)
current.run()
