"""Who is looking at the city view: the whole city, or one district (docs/security.md, "Roles").

A `city` user sees every district of the lake; a `district` user bound to a 区代码 (users file:
role = "district", code = "320102") sees its own district only — in every table, chart, filter
and download. Login (gate.py) sets the scope in the session on every run; without users, the
session key (tests) or the server's $XIAOAN_SCOPE ("district:320102") sets it, else the city.
The URL never does: a link cannot widen a view.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
import streamlit as st

from pipelines.contract import is_district_code

SESSION_KEY = "city.viewer"
SCOPE_ENV = "XIAOAN_SCOPE"


@dataclass(frozen=True)
class CityScope:
    """district None: the whole city; else the 区代码 of the one district in view."""

    district: str | None = None

    @property
    def is_city(self) -> bool:
        return self.district is None

    def allows(self, code: str) -> bool:
        return self.district is None or code == self.district

    def keep(self, codes: Iterable[str]) -> list[str]:
        """The codes this viewer may see, in the given order."""
        return [c for c in codes if self.allows(c)]

    def rows(self, frame: pl.DataFrame, column: str = "district") -> pl.DataFrame:
        """The rows of a city table this viewer may see (a table without the column: all of them,
        for a city viewer only)."""
        if self.district is None:
            return frame
        if column not in frame.columns:
            return frame.clear()
        return frame.filter(pl.col(column) == self.district)


CITY = CityScope()


def of_user(user) -> CityScope | None:
    """The scope of a users-file account (xiaoan.access.User) in the city view, or None when its
    role gives it none there (a town, a member unit, a district user without its 区代码)."""
    if user.role == "city":
        return CITY
    if user.role == "district" and user.code and is_district_code(user.code):
        return CityScope(user.code)
    return None


def parse(text: str | None) -> CityScope:
    """'district:320102' → that district; anything else is the city."""
    kind, _, code = (text or "").partition(":")
    if kind == "district" and is_district_code(code.strip()):
        return CityScope(code.strip())
    return CITY


def current() -> CityScope:
    """The scope of this session (set by login, tests, or the server's environment)."""
    value = st.session_state.get(SESSION_KEY)
    if isinstance(value, CityScope):
        return value
    if isinstance(value, str):
        return parse(value)
    return parse(os.environ.get(SCOPE_ENV))
