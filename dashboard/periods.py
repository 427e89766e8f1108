"""Reporting periods (统计周期): year, semester, quarter, month or custom, and the as-of date.

Pure date arithmetic with no Streamlit, so the rules are tested on their own. A period is
cut at the as-of date A: hazards found after A cannot count as of A (SPEC §3).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

PERIOD_KINDS = ("year", "semester", "quarter", "month", "custom")


@dataclass(frozen=True)
class Semesters:
    """School semesters (学期): spring starts on the 1st of `spring`, autumn on the 1st of
    `autumn` and runs into the next year. The months come from the rules file."""

    spring: int = 2
    autumn: int = 8


@dataclass(frozen=True)
class Window:
    """What every query is asked for: the as-of date and the period [start, end]."""

    as_of: dt.date
    start: dt.date
    end: dt.date


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(kind: str, year: int, index: int = 1, semesters: Semesters = Semesters()) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, semester (1 spring, 2 autumn), quarter or month."""
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == "semester":
        if index == 1:
            return dt.date(year, semesters.spring, 1), dt.date(year, semesters.autumn, 1) - dt.timedelta(days=1)
        return dt.date(year, semesters.autumn, 1), dt.date(year + 1, semesters.spring, 1) - dt.timedelta(days=1)
    if kind == "quarter":
        first = 3 * (index - 1) + 1
        return dt.date(year, first, 1), month_end(year, first + 2)
    if kind == "month":
        return dt.date(year, index, 1), month_end(year, index)
    raise ValueError(f"unknown period kind {kind!r}")


def index_range(kind: str) -> range:
    """The valid indexes of a period kind (semester 1–2, quarter 1–4, month 1–12)."""
    return {"semester": range(1, 3), "quarter": range(1, 5), "month": range(1, 13)}.get(kind, range(1, 2))


def current_index(kind: str, day: dt.date, semesters: Semesters = Semesters()) -> tuple[int, int]:
    """(year, index) of the period of `kind` that contains `day`."""
    if kind == "semester":
        if day.month >= semesters.autumn:
            return day.year, 2
        if day.month < semesters.spring:
            return day.year - 1, 2
        return day.year, 1
    if kind == "quarter":
        return day.year, (day.month - 1) // 3 + 1
    if kind == "month":
        return day.year, day.month
    return day.year, 1


def resolve(kind: str, year: int, index: int, custom: tuple[dt.date, dt.date] | None,
            as_of: dt.date | None, today: dt.date, semesters: Semesters = Semesters()) -> Window:
    """The window for a chosen period. Without an explicit as-of date, A is the period's last
    day or today, whichever comes first; the period's end is cut at A."""
    if kind == "custom" and custom:
        start, end = sorted(custom)
    else:
        start, end = period_bounds(kind if kind != "custom" else "year", year, index, semesters)
    a = as_of or min(end, today)
    return Window(as_of=a, start=min(start, a), end=min(end, a))


def month_earlier(day: dt.date) -> dt.date:
    """The same day one month earlier (clipped to the month's end): 'since last month'."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD query parameter, or None when absent or malformed (never an error)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None
