"""Who is looking (查看范围): the viewer's scope, threaded through every query.

district — everything; town — its own schools, villages, hazards, inspections at its schools,
its 例会 and its own score row; department — the hazards assigned to it, its own inspections,
the meetings it attended and its own closure and score row (docs/security.md, "Roles"). Login (dashboard/login.py) sets the scope
in the session on every run from who logged in; without users configured, the session key
(tests) or the server's $XIAOAN_SCOPE ("town:T01", "department:D01") sets it. The URL never
does: a link cannot widen a view.
"""

from __future__ import annotations

import os

import streamlit as st

from xiaoan.scope import Scope

SESSION_KEY = "viewer.scope"
SCOPE_ENV = "XIAOAN_SCOPE"


def parse(text: str | None) -> Scope:
    """'town:T01' → Scope('town', 'T01'); anything unknown is the district view."""
    kind, _, code = (text or "").partition(":")
    if kind in ("town", "department") and code.strip():
        return Scope(kind, code.strip())
    return Scope()


def current() -> Scope:
    """The scope of this session (set by login, tests, or the server's environment)."""
    value = st.session_state.get(SESSION_KEY)
    if isinstance(value, Scope):
        return value
    if isinstance(value, str):
        return parse(value)
    return parse(os.environ.get(SCOPE_ENV))
