"""Words for the metric tables (headers, codes in cells), from the one translation table
xiaoan.i18n, for the snapshot's workbook and briefing and for the dashboard."""

from __future__ import annotations

import datetime as dt

from xiaoan.i18n import DEFAULT_LANG, TEXT, t

# Columns that hold a fraction in [0, 1] (shown as a percentage).
RATE_COLUMNS = frozenset({
    "rectification_rate", "closure_rate", "on_time_rate", "inspection_coverage", "meeting_compliance",
    "meeting_attendance", "legal_education_coverage",
})


def column_label(column: str, lang: str = DEFAULT_LANG) -> str:
    """The header of a metric column (col.<name>), else the column name itself."""
    key = f"col.{column}"
    return t(key, lang) if key in TEXT else column


def table_label(table: str, lang: str = DEFAULT_LANG) -> str:
    """The title of a snapshot table (sheet.<name>), else its name."""
    key = f"sheet.{table}"
    return t(key, lang) if key in TEXT else table


def bucket_label(bucket: int | None, min_days: int | None, max_days: int | None, lang: str = DEFAULT_LANG) -> str:
    """An overdue bucket of overdue_buckets (0 not overdue … 3 beyond the medium threshold)."""
    if bucket is None:
        return ""
    return t(f"bucket.{bucket}", lang, min=min_days, max=max_days)


def term_label(term: str, semester_start: dt.date, lang: str = DEFAULT_LANG) -> str:
    """A semester of legal_education_coverage: 2026年春季学期 / spring 2026."""
    return t(f"term.{term}", lang, year=semester_start.year)


def yes_no(value: bool | None, lang: str = DEFAULT_LANG) -> str:
    if value is None:
        return ""
    return t("value.yes" if value else "value.no", lang)
