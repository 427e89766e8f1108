"""xiaoan city view (市级校园安全工作看板): the entry `xiaoan serve --lake PATH` runs.

It sets the page up, takes the language and filters from the URL, lets the viewer in (a city
user sees every district, a district user its own), resolves the lake's commits once, draws the
sidebar and routes to the pages (dashboard/city/views/). The district dashboard (app.py) is not
involved. Without committed partitions it says how to write some.
"""

from __future__ import annotations

import streamlit as st

from dashboard import context, filters, measures
from dashboard.city import data, gate, shell
from xiaoan.i18n import t

shell.init_from_url()
lang = context.lang()
st.set_page_config(page_title=t("city.view.app.title", lang), page_icon="🏙️", layout="wide",
                   menu_items={"About": t("city.view.app.about", lang)})
pages = shell.pages(lang)
scope = gate.gate(lang, pages)  # nothing below runs for a viewer who has not logged in (when login is configured)
state = data.lake_state()
st.sidebar.title(t("city.view.app.name", lang))
st.sidebar.caption(t("city.view.app.subtitle", lang))
filters.language_switch(lang)

visible = [p for p in state.partitions if scope.allows(p.district_code)]
if not visible:
    def empty() -> None:
        st.title(t("city.view.app.name", lang))
        if not state.exists:
            st.info(t("city.view.empty.no_lake", lang, lake=state.path))
        elif scope.is_city:
            st.info(t("city.view.empty.no_commits", lang, lake=state.path))
        else:
            st.info(t("city.view.empty.no_district", lang, code=scope.district))

    st.navigation([st.Page(empty, title=t("city.view.app.name", lang), url_path="welcome", default=True)],
                  position="hidden").run()
    st.stop()

measures.stop_if_rules_broken(lang)  # the city's rules file broken: which line, not a traceback
current = st.navigation(pages)
ctx = shell.render(lang, scope, state)
shell.publish(ctx)
shell.write_url(ctx, current)
current.run()
