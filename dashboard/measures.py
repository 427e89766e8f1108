"""The metrics of record (xiaoan.metrics) as the pages call them: one Metrics object per
process over the cached reader, results cached per published version and rules file.

Pages ask `measures.get("dept_closure", ctx)` and draw the frame; they never compute a
number themselves.
"""

from __future__ import annotations

import streamlit as st

from dashboard import context
from dashboard.filters import Selection
from xiaoan import config
from xiaoan.metrics import Filters, Metrics, Scope
from xiaoan.i18n import t
from xiaoan.rules import Rules, RulesError, load_rules


def rules_stamp() -> tuple[str, int]:
    """The rules file in force ($XIAOAN_RULES, else the shipped one) and its mtime."""
    path = config.rules_path()
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), 0


@st.cache_resource(show_spinner=False)
def rules_of(stamp: tuple[str, int]) -> Rules:
    """The rules file of `stamp` (a `rules_stamp()`), read once per file and mtime."""
    return load_rules(stamp[0])


def rules() -> Rules:
    """The rules file in force (re-read when it changes). Raises RulesError when it is broken."""
    return rules_of(rules_stamp())


def stop_if_rules_broken(lang: str) -> None:
    """When the rules file in force is broken, say which line (not a traceback) and stop the run
    (the district's app and the city view, before any page)."""
    try:
        rules()
    except RulesError as problem:
        st.error(t("dash.rules.broken", lang, problem=problem))
        st.stop()


def metrics() -> Metrics:
    return Metrics(cursor=context.reader().cursor, rules=rules())


def filters_of(sel: Selection) -> Filters:
    """The metrics API's filters for the sidebar selection."""
    return Filters(as_of=sel.as_of, start=sel.start, end=sel.end, towns=sel.towns,
                   school_types=sel.school_types, categories=sel.categories)


@st.cache_data(show_spinner=False, max_entries=2048, ttl=6 * 3600)
def _call(version: tuple, rules_stamp: tuple, name: str, args: tuple, kwargs: tuple):
    return getattr(metrics(), name)(*args, **dict(kwargs))


def call(name: str, *args: object, **kwargs: object):
    """Metrics.<name>(*args, **kwargs), cached on the warehouse version and the rules file."""
    return _call(context.version(), rules_stamp(), name, args, tuple(sorted(kwargs.items())))


def get(name: str, sel: Selection, scope: Scope, **kwargs: object):
    """A metric for the page's selection and the viewer's scope."""
    return call(name, filters_of(sel), scope, **kwargs)
