"""The sidebar filters (筛选) every page shares, kept in the URL so a link reproduces the view.

Query parameters: lang, period (year/semester/quarter/month/custom), year, idx (semester,
quarter or month number), start and end (custom), asof, town, stype, cat (comma-separated).
A value that is malformed or not among the options is ignored, never an error: URL
parameters reach queries only as validated values bound as parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard import context
from xiaoan import periods
from xiaoan.dates import DateError, parse_date
from xiaoan.i18n import LANGS, t
from xiaoan.labels import day_label, value_label

# Multi-value filters: session-state key → query-parameter name.
LIST_PARAMS = {"f.towns": "town", "f.stypes": "stype", "f.cats": "cat"}
LIST_KEYS = tuple(LIST_PARAMS)
_INIT = "f.initialised"


@dataclass(frozen=True)
class Selection:
    """What the viewer asked for: the as-of date, the period, and the slicing filters."""

    as_of: dt.date
    start: dt.date
    end: dt.date
    towns: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    period_label: str = ""


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def url_date(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD query parameter, or None when absent or malformed (never an error)."""
    try:
        return parse_date(str(text)[:10]) if text else None
    except DateError:
        return None


def init_from_url(today: dt.date) -> None:
    """On a session's first run, take the language and filters from the URL."""
    if st.session_state.get(_INIT):
        return
    params = st.query_params
    if params.get("lang") in LANGS:
        st.session_state[context.LANG_KEY] = params["lang"]
    kind = params.get("period")
    st.session_state["f.period"] = kind if kind in periods.PERIOD_KINDS else "year"
    year = params.get("year", "")
    st.session_state["f.year"] = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    idx = params.get("idx", "")
    if idx.isdigit():
        st.session_state["f.idx"] = int(idx)
    start, end = url_date(params.get("start")), url_date(params.get("end"))
    if start and end:
        st.session_state["f.custom"] = tuple(sorted((start, end)))
    st.session_state["f.asof"] = url_date(params.get("asof"))
    for key in LIST_KEYS:
        st.session_state[key] = _split(params.get(LIST_PARAMS[key]))
    st.session_state[_INIT] = True


# Widget values are kept in a shadow key as well: st.switch_page (a drill-down) starts the
# next run without the widgets' state, and the filters must survive it.
_SHADOW = "keep."


def _restore(key: str) -> None:
    if _SHADOW + key in st.session_state:
        st.session_state[key] = st.session_state[_SHADOW + key]


def _remember(key: str) -> None:
    st.session_state[_SHADOW + key] = st.session_state.get(key)


def kept(widget, key: str, *args, **kwargs):
    """Draw a keyed widget whose value survives page switches."""
    _restore(key)
    value = widget(*args, key=key, on_change=_remember, args=(key,), **kwargs)
    _remember(key)
    return value


def language_switch(lang: str) -> str:
    """The 中文 / English switch at the top of the sidebar; returns the language chosen."""
    return kept(st.sidebar.radio, context.LANG_KEY, t("dash.lang.label", lang), LANGS, horizontal=True,
                format_func=lambda code: t(f"dash.lang.{code}", lang))


def period_name(kind: str, index: int, lang: str) -> str:
    """'春季学期', '第二季度', '3月' (or their English) for a period index."""
    if kind in ("semester", "quarter"):
        return t(f"dash.period.{kind}_{index}", lang)
    return t(f"dash.period.{kind}_n", lang, n=index)


def _multi(key: str, label: str, options: list[str], format_func, lang: str) -> list[str]:
    """A multiselect filter; values not among the options (a stale or hostile URL) are dropped."""
    _restore(key)
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
    value = st.sidebar.multiselect(label, options, key=key, format_func=format_func, on_change=_remember, args=(key,),
                                   placeholder=t("dash.filters.all", lang))
    _remember(key)
    return value


def render(lang: str, town_options: dict[str, str], school_types: Sequence[str], categories: Sequence[str],
           years: Sequence[int], today: dt.date, semesters: periods.Semesters) -> Selection:
    """Draw the filters in the sidebar and return the selection."""
    sb = st.sidebar
    sb.subheader(t("dash.filters.title", lang))
    kind = kept(sb.selectbox, "f.period", t("dash.filters.period", lang), periods.PERIOD_KINDS,
                format_func=lambda k: t(f"dash.period.{k}", lang))
    year_options = sorted(set(years) | {st.session_state.get("f.year", today.year), today.year}, reverse=True)
    custom = None
    year, index = today.year, 1
    if kind == "custom":
        if "f.custom" not in st.session_state:
            st.session_state["f.custom"] = (dt.date(today.year, 1, 1), today)
        chosen = kept(sb.date_input, "f.custom", t("dash.filters.custom", lang))
        custom = tuple(chosen) if isinstance(chosen, (tuple, list)) and len(chosen) == 2 else None
    else:
        year = kept(sb.selectbox, "f.year", t("dash.filters.year", lang), year_options,
                    format_func=lambda y: t("dash.period.year_n", lang, year=y))
        if kind != "year":
            options = list(periods.index_range(kind))
            _restore("f.idx")
            if st.session_state.get("f.idx") not in options:
                st.session_state["f.idx"] = st.session_state[_SHADOW + "f.idx"] = periods.current_index(kind, today, semesters)[1]
            index = kept(sb.selectbox, "f.idx", t(f"dash.filters.{kind}", lang), options,
                         format_func=lambda i: period_name(kind, i, lang))
    as_of = kept(sb.date_input, "f.asof", t("dash.filters.as_of", lang), help=t("dash.filters.as_of_help", lang))
    window = periods.resolve(kind, year, index, custom, as_of, today, semesters)
    sb.caption(t("dash.filters.window", lang, start=day_label(window.start, lang), end=day_label(window.end, lang),
                 as_of=day_label(window.as_of, lang)))

    towns = _multi("f.towns", t("dash.filters.towns", lang), list(town_options), lambda c: town_options.get(c, c), lang)
    stypes = _multi("f.stypes", t("dash.filters.school_types", lang), list(school_types), lambda v: value_label(v, lang), lang)
    cats = _multi("f.cats", t("dash.filters.categories", lang), list(categories), lambda v: value_label(v, lang), lang)
    label = t("dash.filters.window_short", lang, start=day_label(window.start, lang), end=day_label(window.end, lang))
    return Selection(window.as_of, window.start, window.end, tuple(towns), tuple(stypes), tuple(cats), label)


def write_url(lang: str) -> None:
    """Mirror the language and filters into the URL (only what differs from the defaults)."""
    state = st.session_state
    wanted: dict[str, str] = {}
    if lang != "zh":
        wanted["lang"] = lang
    kind = state.get("f.period", "year")
    if kind != "year":
        wanted["period"] = kind
    if kind == "custom" and isinstance(state.get("f.custom"), (tuple, list)) and len(state["f.custom"]) == 2:
        wanted["start"], wanted["end"] = (d.isoformat() for d in state["f.custom"])
    elif kind != "custom":
        wanted["year"] = str(state.get("f.year"))
        if kind != "year" and state.get("f.idx"):
            wanted["idx"] = str(state["f.idx"])
    if state.get("f.asof"):
        wanted["asof"] = state["f.asof"].isoformat()
    for key in LIST_KEYS:
        if state.get(key):
            wanted[LIST_PARAMS[key]] = ",".join(state[key])
    for name in ("lang", "period", "year", "idx", "start", "end", "asof", "town", "stype", "cat"):
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]
