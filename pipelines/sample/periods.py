"""The calendar of a sample: the months it covers, report days, working days, semesters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

_MONDAY = np.datetime64("1970-01-05", "D")


def default_end(today: dt.date | None = None) -> dt.date:
    """The last day of the calendar month before `today`."""
    today = today or dt.date.today()
    return today.replace(day=1) - dt.timedelta(days=1)


def coverage_start(end: dt.date) -> dt.date:
    """September three years before `end`'s year: three school years and the months since."""
    return dt.date(end.year - 3, 9, 1)


def weekday(days: np.ndarray) -> np.ndarray:
    """Day of week of datetime64[D] values, 0 = Monday."""
    return (days - _MONDAY).astype(np.int64) % 7


def last_working_day(year: int, month: int) -> dt.date:
    """The last Monday-to-Friday day of a month (public holidays are ignored)."""
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    day = nxt - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Calendar:
    """The report months of a sample, from `start` to `end`.

    months[i] is (year, month); first[i] / report[i] are the month's first day and the day its
    ledger is filled in (last working day, never after `end`).
    """

    start: dt.date
    end: dt.date
    months: tuple[tuple[int, int], ...]
    first: np.ndarray   # datetime64[D]
    report: np.ndarray  # datetime64[D]

    @classmethod
    def covering(cls, end: dt.date) -> Calendar:
        start = coverage_start(end)
        months = []
        y, m = start.year, start.month
        while (y, m) <= (end.year, end.month):
            months.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        first = np.array([np.datetime64(dt.date(y, m, 1), "D") for y, m in months])
        report = np.array([
            np.datetime64(min(last_working_day(y, m), end), "D") for y, m in months
        ])
        return cls(start, end, tuple(months), first, report)

    @property
    def n_months(self) -> int:
        return len(self.months)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Index of the calendar month of each date (may fall outside 0..n_months-1)."""
        ym = days.astype("datetime64[M]").astype(np.int64)
        y0, m0 = self.months[0]
        return ym - ((y0 - 1970) * 12 + m0 - 1)

    def report_month_of(self, days: np.ndarray) -> np.ndarray:
        """Index of the first monthly report on or after each date."""
        idx = self.month_of(days)
        safe = np.clip(idx, 0, self.n_months - 1)
        return idx + (days > self.report[safe]).astype(np.int64)

    def month_last(self, i: int) -> np.datetime64:
        """The last day of month i that a record may carry (never after `end`)."""
        y, m = self.months[i]
        nxt = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        return np.datetime64(min(nxt, self.end), "D")


def working_days(rng: np.random.Generator, lo: np.datetime64, hi: np.datetime64,
                 n: int) -> np.ndarray:
    """n random Monday-to-Friday dates in [lo, hi] (weekend draws move to a nearby weekday)."""
    span = int((hi - lo).astype(np.int64)) + 1
    days = lo + rng.integers(0, span, size=n).astype("timedelta64[D]")
    wd = weekday(days)
    back = np.where(wd == 5, 1, np.where(wd == 6, 2, 0)).astype("timedelta64[D]")
    fwd = np.where(wd == 5, 2, np.where(wd == 6, 1, 0)).astype("timedelta64[D]")
    moved = np.where(days - back >= lo, days - back, days + fwd)
    return np.minimum(np.maximum(moved, lo), hi)


def month_weights(months: tuple[tuple[int, int], ...], table: dict[str, tuple[float, ...]],
                  keys: tuple[str, ...]) -> np.ndarray:
    """Matrix [month index, key] of seasonal weights, rows normalised to sum 1."""
    w = np.array([[table[k][m - 1] for k in keys] for _, m in months], dtype=float)
    return w / w.sum(axis=1, keepdims=True)


def semester_of(year: int, month: int) -> tuple[str, dt.date, dt.date] | None:
    """The semester a month belongs to: (label, first day, last day), None in summer."""
    if month >= 9:
        return f"{year}秋季学期", dt.date(year, 9, 1), dt.date(year + 1, 1, 20)
    if month == 1:
        return f"{year - 1}秋季学期", dt.date(year - 1, 9, 1), dt.date(year, 1, 20)
    if 2 <= month <= 6:
        return f"{year}春季学期", dt.date(year, 2, 20), dt.date(year, 6, 30)
    return None


def school_year_of(year: int, month: int) -> str:
    """The school year label of a month, e.g. 2024-2025学年."""
    y = year if month >= 9 else year - 1
    return f"{y}-{y + 1}学年"
