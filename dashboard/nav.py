"""The pages and their sections, the welcome page of an empty warehouse, the viewer badge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard import measures, queries
from xiaoan import config, periods
from xiaoan.i18n import t
from xiaoan.inert import markdown as md

PAGE_ICON = "🏫"
HERE = Path(__file__).resolve().parent
# The pages live in views/, not pages/: Streamlit treats a pages/ folder beside the entry
# script as a legacy multipage app and runs its files without the shell on a first visit.
VIEWS = "views"
# (section, [(page file, url path, material icon, district viewers only)])
SECTIONS = (
    ("overview", [("overview", "overview", ":material/dashboard:", False),
                  ("risk", "risk", ":material/local_fire_department:", False)]),
    ("work", [("departments", "departments", ":material/apartment:", False),
              ("evaluation", "evaluation", ":material/leaderboard:", False),
              ("supervision", "supervision", ":material/campaign:", False),
              ("meetings", "meetings", ":material/groups:", False),
              ("inspections", "inspections", ":material/fact_check:", False)]),
    ("records", [("hazards", "hazards", ":material/list_alt:", False),
                 ("school", "school", ":material/school:", False)]),
    ("system", [("organisation", "organisation", ":material/account_tree:", False),
                ("quality", "quality", ":material/rule:", True),
                ("importer", "importer", ":material/upload_file:", True)]),
)
# Query parameters that belong to one page (url path): dropped on the others.
PAGE_PARAMS = {"id": "hazard", "school": "school", "refresh": "wall", "rotate": "wall", "panel": "wall"}
# Reached from other pages (a hazard's history), not listed in the menu.
HIDDEN = (("hazard", "hazard", ":material/history:"),)
# The 驾驶舱 wall screen: reached by its URL (/wall), not listed; app.py runs it without the sidebar.
WALL = ("wall", "wall", ":material/tv:")


def pages(lang: str, scope) -> dict[str, list[st.Page]]:
    """The menu for this viewer: data quality and the import page only for the district office; the
    hidden pages (a hazard's history, the wall screen) are reached by links and URLs. A wall
    screen's account gets the same pages, unlisted (app.py refuses all but the wall), so that a
    typed URL is refused instead of falling back to another page."""
    menu: dict[str, list[st.Page]] = {}
    for section, items in SECTIONS:
        entries = [st.Page(HERE / VIEWS / f"{name}.py", title=t(f"dash.page.{name}", lang), icon=icon,
                           url_path=url, default=name == "overview")
                   for name, url, icon, district_only in items if not district_only or scope.is_office]
        menu[t(f"dash.section.{section}", lang)] = entries
    hidden = [st.Page(HERE / VIEWS / f"{name}.py", title=t(f"dash.page.{name}", lang), icon=icon, url_path=url,
                      visibility="hidden") for name, url, icon in HIDDEN]
    menu[t("dash.section.records", lang)].extend(hidden)
    name, url, icon = WALL
    menu[t("dash.section.overview", lang)].append(st.Page(HERE / VIEWS / f"{name}.py", title=t("wall.page", lang),
                                                          icon=icon, url_path=url, visibility="hidden"))
    return menu


def wall_only(lang: str) -> None:
    """What a wall screen's account gets on any page but the wall: a refusal and the wall's link."""
    st.error(t("access.wall_only", lang))
    st.page_link(page_path(WALL[0]), label=t("access.wall_link", lang), icon=WALL[2])


def page_path(name: str) -> str:
    """A page's file as st.switch_page and st.page_link take it (relative to app.py)."""
    return f"{VIEWS}/{name}.py"


def drop_foreign_params(current: st.Page) -> None:
    """Remove a page's own parameter (a hazard id, a school) from the URL of the other pages."""
    for name, owner in PAGE_PARAMS.items():
        if current.url_path != owner and name in st.query_params:
            del st.query_params[name]


def empty_page(state: str, lang: str) -> Callable[[], None]:
    """The welcome page when there is no warehouse yet, or it holds no registry."""

    def welcome() -> None:
        st.title(t("dash.welcome.title", lang))
        st.info(t(f"dash.welcome.{state}", lang, path=config.warehouse_path()))
        st.markdown(t("dash.welcome.steps", lang))
        st.code(f"xiaoan ingest --warehouse {config.warehouse_path()} <folder>\n"
                "xiaoan template --out templates/\nmake run", language="bash")
        st.caption(t("dash.welcome.refresh", lang))

    return welcome


def scope_label(scope, lang: str) -> str:
    """'You are viewing: 城关镇' for a town or department viewer."""
    if scope.kind == "town":
        names = dict(queries.towns(scope).select("town_code", "town_name").iter_rows())
    else:
        names = dict(queries.departments(scope).select("dept_code", "dept_name").iter_rows())
    return t(f"dash.scope.{scope.kind}", lang, name=md(names.get(scope.code, scope.code)))


def semesters() -> periods.Semesters:
    """The semester months of the rules file in force."""
    return periods.Semesters.of(measures.rules())
