"""What a page is handed by the app shell on each run: language, viewer scope, selection.

The shell (app.py) draws the sidebar and stores the result in the session; a page calls
`current()` and never reads the sidebar widgets itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.filters import Selection

_KEY = "ctx.page"


@dataclass(frozen=True)
class PageContext:
    lang: str
    scope: object  # xiaoan.metrics.Scope
    selection: Selection

    def t(self, key: str, **values: object) -> str:
        from xiaoan.i18n import t

        return t(key, self.lang, **values)


def publish(ctx: PageContext) -> None:
    st.session_state[_KEY] = ctx


def current() -> PageContext:
    return st.session_state[_KEY]
