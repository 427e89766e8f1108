"""Labels for what the data holds, from the one translation table xiaoan.i18n: column headers,
the vocabulary values in cells, table titles, overdue buckets and terms — for the dashboard,
the snapshot's workbook and briefing, and the notebooks.

Column labels use the shared `col.*` keys (the export's Chinese headers), then the
dashboard's own `dash.col.*`; values use `dash.val.<value>`. Data values stay as stored
(Chinese) everywhere else: only what is shown is translated.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from xiaoan.i18n import DEFAULT_LANG, TEXT, t

# Columns that hold a fraction in [0, 1] (shown as a percentage) — the one list every page,
# the workbook and the briefing read.
RATE_COLUMNS = frozenset({
    "rectification_rate", "closure_rate", "on_time_rate", "inspection_coverage", "meeting_compliance",
    "meeting_attendance", "legal_education_coverage", "reporting", "duty_inspection_coverage",
})
# Risk totals: whole numbers wherever they are shown (the risk of one hazard, a town's open risk).
WHOLE_COLUMNS = frozenset({"risk", "open_risk"})
# Columns that name a calendar month (its first day, or 'YYYY-MM' text): shown as 2026年10月.
MONTH_COLUMNS = frozenset({"month", "report_month"})
# Columns that name a calendar quarter by its key ('2026Q1', xiaoan.periods.quarter_label): shown
# as 2026年第一季度.
QUARTER_COLUMNS = frozenset({"quarter"})
# Columns whose values come from a fixed vocabulary and are shown translated.
VOCABULARY_COLUMNS = ("category", "level", "status", "school_type", "ownership", "meeting_type",
                      "inspection_type", "meeting_level", "load_status", "unit_name", "unit_kind",
                      "supervision", "verification", "last_verification", "grade")


def is_rate(column: str) -> bool:
    """Whether a column (or a score indicator) holds a fraction in [0, 1]."""
    return column in RATE_COLUMNS


# ---- numbers, days, months and quarters as a leader reads them (one place for every page, the
# workbook, the briefing and the documents)

def rate_text(value: float | None) -> str:
    """A rate kept as a fraction, as a percentage with one decimal: 0.8 → 80.0%, — for none."""
    return "—" if value is None else f"{100 * value:.1f}%"


def whole_text(value: float | None, lang: str | None = None) -> str:
    """A risk total (or any count) as a whole number, — for none. In Chinese without a thousands
    separator (1042, as 政务 text and the 通报 write it: GB/T 15835 leaves a 4-digit figure ungrouped),
    in English with one (1,042); without a language (tables, the workbook) with one."""
    if value is None:
        return "—"
    return f"{value:.0f}" if lang == "zh" else f"{value:,.0f}"


def _as_date(day: dt.date | str) -> dt.date:
    """A date, or a 'YYYY-MM-DD' / 'YYYY-MM' text, as a date."""
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    parts = [int(p) for p in str(day)[:10].split("-")]
    return dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def day_label(day: dt.date | str | None, lang: str = DEFAULT_LANG) -> str:
    """A date in a sentence: 2026年10月31日 / 31 October 2026 ("" for none). Tables keep ISO dates."""
    if day is None:
        return ""
    d = _as_date(day)
    return t("label.day", lang, year=d.year, month=t(f"label.month_name.{d.month}", lang), day=d.day)


def time_label(when: dt.datetime | None, lang: str = DEFAULT_LANG, *, year: bool = True) -> str:
    """A moment in words: 2026年11月29日 20:19 / 29 November 2026, 20:19; with year=False (a list of
    this year's arrivals) 11月29日 20:19 / 29 November, 20:19 ("" for none)."""
    if not isinstance(when, dt.datetime):
        return ""
    month = t(f"label.month_name.{when.month}", lang)
    day = (t("label.day", lang, year=when.year, month=month, day=when.day) if year
           else t("label.month_day", lang, month=month, day=when.day))
    return t("label.day_time", lang, day=day, time=f"{when:%H:%M}")


def month_label(month: dt.date | str | None, lang: str = DEFAULT_LANG) -> str:
    """A calendar month (any day of it, or 'YYYY-MM'): 2026年10月 / October 2026 ("" for none)."""
    if month is None:
        return ""
    d = _as_date(month)
    return t("label.month", lang, year=d.year, month=t(f"label.month_name.{d.month}", lang))


def quarter_label(quarter: dt.date | str | None, lang: str = DEFAULT_LANG) -> str:
    """A calendar quarter (a day of it, or its key '2026Q1'): 2026年第一季度 / Q1 2026 ("" for none)."""
    if quarter is None:
        return ""
    if isinstance(quarter, str) and "Q" in quarter:
        year, _, n = quarter.partition("Q")
        year, n = int(year), int(n)
    else:
        d = _as_date(quarter)
        year, n = d.year, (d.month - 1) // 3 + 1
    return t(f"label.quarter.{n}", lang, year=year)


def period_words(frame: pl.DataFrame, lang: str = DEFAULT_LANG) -> pl.DataFrame:
    """Month and quarter columns (MONTH_COLUMNS, QUARTER_COLUMNS) as their labels, for tables and
    files a person reads; other columns as they are."""
    for column in frame.columns:
        dtype = frame.schema[column]
        if column in MONTH_COLUMNS and (dtype == pl.Date or dtype == pl.String):
            label = month_label
        elif column in QUARTER_COLUMNS and dtype == pl.String:
            label = quarter_label
        else:
            continue
        words = {v: label(v, lang) for v in frame[column].drop_nulls().unique().to_list()}
        frame = frame.with_columns(
            pl.col(column).replace_strict(words, default=None, return_dtype=pl.String).alias(column))
    return frame


def column_label(column: str, lang: str = DEFAULT_LANG) -> str:
    """The header of a column (col.<name>, else dash.col.<name>), else the column name itself."""
    for key in (f"col.{column}", f"dash.col.{column}"):
        if key in TEXT:
            return t(key, lang)
    return column


def value_label(value: object, lang: str = DEFAULT_LANG) -> str:
    """A vocabulary value in the interface language (unknown values are shown as they are)."""
    if value is None:
        return ""
    key = f"dash.val.{value}"
    return t(key, lang) if key in TEXT else str(value)


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


def _vocabulary(values: pl.Series, lang: str) -> dict[str, str]:
    return {v: value_label(v, lang) for v in values.unique().drop_nulls().to_list()}


# Derived values (SPEC §2.1): how each field came to be when the ledger did not type it —
# inferred from the description, defaulted, or derived from other values — and the column whose
# label names a field whose name is not a column's.
DERIVED_HOW = {"category": "inferred", "level": "defaulted", "status": "defaulted"}
DERIVED_COLUMN_OF = {"responsible": "responsible_dept_code"}


def derived_label(field: str, lang: str = DEFAULT_LANG) -> str:
    """One derived field in words: 隐患等级（默认）, 隐患类别（推断）."""
    name = column_label(DERIVED_COLUMN_OF.get(field, field), lang)
    return t(f"dash.derived.{DERIVED_HOW.get(field, 'derived')}", lang, field=name)


def derived_text(frame: pl.DataFrame, lang: str = DEFAULT_LANG) -> pl.DataFrame:
    """A `derived` list column (field names) as its labels joined by 、 ("" when every value was
    typed), so an analyst tells a typed 重大 from a defaulted 一般; other frames as they are."""
    if "derived" not in frame.columns or not isinstance(frame.schema["derived"], pl.List):
        return frame
    fields = frame.select(pl.col("derived").explode().drop_nulls().unique())["derived"].to_list()
    words = {f: derived_label(f, lang) for f in fields}  # one lookup per distinct field, not per row
    return frame.with_columns(
        pl.col("derived").list.eval(pl.element().replace_strict(words, default=pl.element(), return_dtype=pl.String))
        .list.join("、").fill_null("").alias("derived")
    )


def for_display(frame: pl.DataFrame, lang: str = DEFAULT_LANG) -> pl.DataFrame:
    """Vocabulary values translated, derived fields named (derived_text), months and quarters in
    words (period_words) and columns renamed to their labels, for tables and files."""
    frame = period_words(derived_text(frame, lang), lang)
    frame = frame.with_columns(
        pl.col(c).replace_strict(_vocabulary(frame[c], lang), default=pl.col(c), return_dtype=pl.String)
        for c in VOCABULARY_COLUMNS if c in frame.columns and frame.schema[c] == pl.String
    )
    labels = {c: column_label(c, lang) for c in frame.columns}
    seen: dict[str, int] = {}
    for c, label in labels.items():  # two columns may share a label: keep names unique
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[c] = f"{label} ({c})"
    return frame.rename(labels)
