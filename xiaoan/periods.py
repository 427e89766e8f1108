"""Period arithmetic (统计周期), the Python twin of the period helpers of the metric macros
(period_start, period_end, previous_month_end, semester_start, semester_end, period_months in
pipelines/models/metrics; tests/test_periods.py proves each twin equal), plus the dashboard's
period kinds (year, semester, quarter, month, custom) and the calendar steps precompute walks.

Pure date arithmetic. A period [S, E] is cut at the as-of date A: nothing after A is known
(SPEC §3). The semester months come from the rules file only (`Semesters.of(rules)`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xiaoan.rules import Rules

PERIOD_KINDS = ("year", "semester", "quarter", "month", "custom")
ONE_DAY = dt.timedelta(days=1)


# ---- the twins of the SQL helpers

def period_start(a: dt.date, s: dt.date | None = None) -> dt.date:
    """S as the macros resolve it: the given start, else 1 January of A's year."""
    return s if s is not None else dt.date(a.year, 1, 1)


def period_end(a: dt.date, e: dt.date | None = None) -> dt.date:
    """E as the macros resolve it: the given end, else A; never after A."""
    return min(e if e is not None else a, a)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def previous_month_end(a: dt.date) -> dt.date:
    """The last day of the month before A's month ("change since last month")."""
    return month_start(a) - ONE_DAY


def period_months(a: dt.date, s: dt.date | None = None, e: dt.date | None = None) -> list[dt.date]:
    """The first days of the calendar months touched by [S, E] (none when S is after E)."""
    first, last = period_start(a, s), period_end(a, e)
    if first > last:
        return []
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def semester_start(day: dt.date, spring: int, autumn: int) -> dt.date:
    """The first day of the school semester (学期) holding `day`: spring starts on the 1st of
    month `spring`, autumn on the 1st of month `autumn` and runs into the next year."""
    if day.month >= autumn:
        return dt.date(day.year, autumn, 1)
    if day.month >= spring:
        return dt.date(day.year, spring, 1)
    return dt.date(day.year - 1, autumn, 1)


def semester_end(start: dt.date, spring: int, autumn: int) -> dt.date:
    """The last day of the semester that starts on `start`."""
    if start.month == autumn:
        return dt.date(start.year + 1, spring, 1) - ONE_DAY
    return dt.date(start.year, autumn, 1) - ONE_DAY


# ---- calendar steps: quarters and month ends

def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_bounds(a: dt.date, s: dt.date | None = None, e: dt.date | None = None,
                   quarters: int | None = None) -> list[tuple[dt.date, dt.date]]:
    """Calendar quarters (first day, last day): those touched by [S, E], or the last `quarters`
    ending with A's quarter."""
    last = quarter_start(a)
    if quarters is not None:
        first = last
        for _ in range(max(quarters, 1) - 1):
            first = quarter_start(first - ONE_DAY)
    else:
        if period_start(a, s) > period_end(a, e):
            return []
        first, last = quarter_start(period_start(a, s)), quarter_start(period_end(a, e))
    bounds = []
    q = first
    while q <= last:
        following = next_month(next_month(next_month(q)))
        bounds.append((q, following - ONE_DAY))
        q = following
    return bounds


def quarters_as_of(a: dt.date, s: dt.date | None = None, e: dt.date | None = None,
                   quarters: int | None = None) -> list[tuple[dt.date, dt.date]]:
    """The quarters of quarter_bounds as a score trend reads them: (first day, as-of day), the
    as-of day being the quarter's last day, or A if sooner (A's own quarter is not over yet)."""
    return [(start, min(end, a)) for start, end in quarter_bounds(a, s, e, quarters)]


def quarter_label(day: dt.date) -> str:
    """The key of the calendar quarter a day falls in, as the trend's data names it: 2026-05-10 →
    "2026Q2". A person reads it through xiaoan.labels.quarter_label (2026年第二季度)."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarters(first: dt.date | None, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of the calendar quarters from `first`'s to the last one ended by `last`."""
    if first is None or first > last:
        return []
    return [b for b in quarter_bounds(last, first) if b[1] <= last]


def month_ends(first: dt.date | None, last: dt.date) -> list[dt.date]:
    """The last days of the months from `first`'s to the last one ended by `last`."""
    if first is None or first > last:
        return []
    return [end for m in period_months(last, first) if (end := next_month(m) - ONE_DAY) <= last]


def month_earlier(day: dt.date) -> dt.date:
    """The same day one month earlier (clipped to the month's end): 'since last month'."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---- the dashboard's period kinds

@dataclass(frozen=True)
class Semesters:
    """School semesters (学期): spring starts on the 1st of `spring`, autumn on the 1st of
    `autumn` and runs into the next year."""

    spring: int
    autumn: int

    @classmethod
    def of(cls, rules: Rules) -> Semesters:
        """The semester months of a rules file ([semesters] of rules.toml)."""
        return cls(int(rules.get("semesters", "spring_start_month")), int(rules.get("semesters", "autumn_start_month")))


@dataclass(frozen=True)
class Window:
    """What every query is asked for: the as-of date and the period [start, end]."""

    as_of: dt.date
    start: dt.date
    end: dt.date


def _needed(semesters: Semesters | None) -> Semesters:
    if semesters is None:
        raise ValueError("a semester period needs the semester months of the rules file")
    return semesters


def period_bounds(kind: str, year: int, index: int = 1, semesters: Semesters | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, semester (1 spring, 2 autumn), quarter or month."""
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == "semester":
        sem = _needed(semesters)
        start = dt.date(year, sem.spring if index == 1 else sem.autumn, 1)
        return start, semester_end(start, sem.spring, sem.autumn)
    if kind == "quarter":
        first = 3 * (index - 1) + 1
        return dt.date(year, first, 1), month_end(year, first + 2)
    if kind == "month":
        return dt.date(year, index, 1), month_end(year, index)
    raise ValueError(f"unknown period kind {kind!r}")


def index_range(kind: str) -> range:
    """The valid indexes of a period kind (semester 1–2, quarter 1–4, month 1–12)."""
    return {"semester": range(1, 3), "quarter": range(1, 5), "month": range(1, 13)}.get(kind, range(1, 2))


def current_index(kind: str, day: dt.date, semesters: Semesters | None = None) -> tuple[int, int]:
    """(year, index) of the period of `kind` that contains `day`."""
    if kind == "semester":
        sem = _needed(semesters)
        start = semester_start(day, sem.spring, sem.autumn)
        return start.year, 2 if start.month == sem.autumn else 1
    if kind == "quarter":
        return day.year, (day.month - 1) // 3 + 1
    if kind == "month":
        return day.year, day.month
    return day.year, 1


def resolve(kind: str, year: int, index: int, custom: tuple[dt.date, dt.date] | None,
            as_of: dt.date | None, today: dt.date, semesters: Semesters | None = None) -> Window:
    """The window for a chosen period. Without an explicit as-of date, A is the period's last
    day or today, whichever comes first; the period's end is cut at A."""
    if kind == "custom" and custom:
        start, end = sorted(custom)
    else:
        start, end = period_bounds(kind if kind != "custom" else "year", year, index, semesters)
    a = as_of or min(end, today)
    return Window(as_of=a, start=min(start, a), end=min(end, a))
