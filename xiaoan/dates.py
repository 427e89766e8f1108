"""The one parser of a date typed by a person: a command-line option, a URL parameter of the
dashboard, an argument of export_snapshot. YYYY-MM-DD with blanks around it, or — for an as-of
date — a keyword (today, yesterday, last-month-end) relative to today.

Callers only say what a bad date means to them (exit 2, ignored, ExportError). Dates in ledger
cells are another job (pipelines/ingest/normalize.py reads whole columns of them).
"""

from __future__ import annotations

import datetime as dt

from xiaoan.periods import ONE_DAY, previous_month_end

AS_OF_KEYWORDS = ("today", "yesterday", "last-month-end")


class DateError(ValueError):
    """A value that names no date."""


def keyword_date(value: str, today: dt.date | None = None) -> dt.date | None:
    """The date a keyword names, relative to `today` (default: the machine's local date), or
    None when `value` is not a keyword. last-month-end: the last day of the previous month."""
    word = value.strip().lower()
    if word not in AS_OF_KEYWORDS:
        return None
    today = today or dt.date.today()
    if word == "today":
        return today
    if word == "yesterday":
        return today - ONE_DAY
    return previous_month_end(today)


def parse_date(value: str | dt.date | None, *, keywords: bool = False, today: dt.date | None = None) -> dt.date | None:
    """None as None, a date as itself (a datetime as its day), YYYY-MM-DD text (blanks around it
    allowed) as that day; with `keywords`, also an as-of keyword relative to `today`.
    DateError for anything else."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = str(value)
    if keywords and (day := keyword_date(text, today)) is not None:
        return day
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DateError(f"not a date YYYY-MM-DD: {text!r}") from None
