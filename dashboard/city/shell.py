"""The city view's sidebar and filters, kept in the URL so that a link reproduces the view, and
what a page is handed on each run.

Query parameters: lang, asof (a date with committed partitions), district (a 区代码 the viewer
may see), table (the drill-down's lake table). A value that is malformed, not in the lake or
outside the viewer's scope is ignored, never an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import context, filters
from dashboard.city.data import LakeState
from dashboard.city.scope import CityScope
from xiaoan.i18n import LANGS, t
from xiaoan.labels import day_label

ASOF_KEY, DISTRICT_KEY, TABLE_KEY = "c.asof", "c.district", "c.table"
ALL = ""  # the district filter's "every district in view"
_INIT = "c.initialised"
HERE = Path(__file__).resolve().parent
VIEWS = "views"
# (page file, url path, material icon)
PAGES = (("ranking", "ranking", ":material/leaderboard:"),
         ("risk", "risk", ":material/local_fire_department:"),
         ("closure", "closure", ":material/apartment:"),
         ("trend", "trend", ":material/trending_up:"),
         ("district", "district", ":material/table_view:"))
# A query parameter that belongs to one page (url path): dropped on the others.
PAGE_PARAMS = {"table": "district"}


@dataclass(frozen=True)
class CityContext:
    lang: str
    scope: CityScope
    state: LakeState
    as_of: dt.date
    district: str | None  # the district in focus (None: every district in view)
    districts: dict[str, str]  # 区代码 → 区名称 of the districts in view

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def name(self, code: str) -> str:
        return self.districts.get(code, code)


_KEY = "c.ctx"


def publish(ctx: CityContext) -> None:
    st.session_state[_KEY] = ctx


def current() -> CityContext:
    return st.session_state[_KEY]


def pages(lang: str) -> list[st.Page]:
    return [st.Page(HERE / VIEWS / f"{name}.py", title=t(f"city.view.page.{name}", lang), icon=icon, url_path=url,
                    default=name == "ranking") for name, url, icon in PAGES]


def page_path(name: str) -> str:
    """A page's file as st.switch_page takes it (relative to city_app.py)."""
    return f"city/{VIEWS}/{name}.py"


def init_from_url() -> None:
    """On a session's first run, take the language and filters from the URL (checked later)."""
    if st.session_state.get(_INIT):
        return
    params = st.query_params
    if params.get("lang") in LANGS:
        st.session_state[context.LANG_KEY] = params["lang"]
    st.session_state["c.url.asof"] = filters.url_date(params.get("asof"))
    st.session_state["c.url.district"] = str(params.get("district") or "")
    st.session_state["c.url.table"] = str(params.get("table") or "")
    st.session_state[_INIT] = True


# Widget values are kept in a shadow key as well: st.switch_page starts the next run without the
# widgets' state, and the filters must survive it (as dashboard/filters.py does for its own).
_SHADOW = "c.keep."


def remember(key: str) -> None:
    st.session_state[_SHADOW + key] = st.session_state.get(key)


def _kept(widget, key: str, *args, **kwargs):
    value = widget(*args, key=key, on_change=remember, args=(key,), **kwargs)
    remember(key)
    return value


def _take(key: str, url_key: str, options: list):
    """A widget's value: the URL's on the first run (when among the options), then the widget's
    own; a value no longer among the options (a stale link, a lake that changed) falls back."""
    if _SHADOW + key in st.session_state:
        st.session_state[key] = st.session_state[_SHADOW + key]
    wanted = st.session_state.pop(url_key, None)
    if wanted is not None and wanted in options:
        st.session_state[key] = wanted
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]


def render(lang: str, scope: CityScope, state: LakeState) -> CityContext:
    """Draw the filters in the sidebar and return the page context."""
    sb = st.sidebar
    sb.subheader(t("dash.filters.title", lang))
    districts = {c: n for c, n in state.districts().items() if scope.allows(c)}
    days = state.as_ofs(list(districts))
    _take(ASOF_KEY, "c.url.asof", days)
    as_of = _kept(sb.selectbox, ASOF_KEY, t("city.view.filter.as_of", lang), days,
                         format_func=lambda d: day_label(d, lang), help=t("city.view.filter.as_of_help", lang))
    if scope.is_city:
        options = [ALL, *districts]
        _take(DISTRICT_KEY, "c.url.district", options)
        chosen = _kept(sb.selectbox, DISTRICT_KEY, t("city.view.filter.district", lang), options,
                              format_func=lambda c: districts.get(c, t("city.view.filter.all", lang)),
                              help=t("city.view.filter.district_help", lang))
        district = chosen or None
    else:
        st.session_state.pop("c.url.district", None)
        district = scope.district
        sb.info(t("city.view.scope.district", lang, name=districts.get(district, district), code=district))
    return CityContext(lang, scope, state, as_of, district, districts)


def write_url(ctx: CityContext, current_page: st.Page) -> None:
    """Mirror the language and filters into the URL (only what differs from the defaults)."""
    wanted: dict[str, str] = {}
    if ctx.lang != "zh":
        wanted["lang"] = ctx.lang
    wanted["asof"] = ctx.as_of.isoformat()  # always: a link shows the same date after newer ones arrive
    if ctx.scope.is_city and ctx.district:
        wanted["district"] = ctx.district
    if current_page.url_path == PAGE_PARAMS["table"] and st.session_state.get(TABLE_KEY):
        wanted["table"] = st.session_state[TABLE_KEY]
    for name in ("lang", "asof", "district", "table"):
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


def focus(frame: pl.DataFrame, ctx: CityContext, column: str = "district") -> pl.DataFrame:
    """The rows of the district in focus (every row in view when none is)."""
    if ctx.district is None or column not in frame.columns:
        return frame
    return frame.filter(pl.col(column) == ctx.district)
