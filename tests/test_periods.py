"""Period arithmetic is written twice on purpose — SQL helpers for the macros, xiaoan.periods for
Python — and each Python twin equals its SQL helper on any date; the one date parser
(xiaoan.dates) reads what a person types the same way for every caller."""

from __future__ import annotations

import datetime as dt
import functools

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiaoan import periods
from xiaoan.config import SQL_MODELS_DIR
from xiaoan.dates import DateError, keyword_date, parse_date
from xiaoan.rules import load_rules

D = dt.date
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
maybe_days = st.none() | days
# Semester months as the rules file allows them: autumn starts after spring.
semester_months = st.integers(1, 11).flatmap(lambda spring: st.tuples(st.just(spring), st.integers(spring + 1, 12)))
# The calendar of months the meeting grid and legal-education coverage walk: the period_months
# table macro (01_helpers.sql) both read.
MONTHS_SQL = "select month from period_months($a::date, $s::date, $e::date)"


@functools.cache
def helpers() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding only the metric file that defines the period helpers."""
    [source] = [p for p in sorted((SQL_MODELS_DIR / "metrics").glob("*.sql"))
                if "macro period_start(" in p.read_text(encoding="utf-8")]
    con = duckdb.connect()
    con.execute(source.read_text(encoding="utf-8"))
    return con


def sql(expression: str, **params):
    return helpers().execute(f"select {expression}", params).fetchall()[0][0]


@settings(max_examples=200, deadline=None)
@given(a=days, s=maybe_days)
def test_period_start_is_the_sql_helper(a, s):
    assert periods.period_start(a, s) == sql("period_start($a::date, $s::date)", a=a, s=s)


@settings(max_examples=200, deadline=None)
@given(a=days, e=maybe_days)
def test_period_end_is_the_sql_helper(a, e):
    assert periods.period_end(a, e) == sql("period_end($a::date, $e::date)", a=a, e=e)


@settings(max_examples=200, deadline=None)
@given(a=days)
def test_previous_month_end_is_the_sql_helper(a):
    assert periods.previous_month_end(a) == sql("previous_month_end($a::date)", a=a)


@settings(max_examples=300, deadline=None)
@given(d=days, months=semester_months)
def test_semester_start_and_end_are_the_sql_helpers(d, months):
    spring, autumn = months
    start = periods.semester_start(d, spring, autumn)
    assert start == sql("semester_start($d::date, $spring, $autumn)", d=d, spring=spring, autumn=autumn)
    assert periods.semester_end(start, spring, autumn) == sql("semester_end($s::date, $spring, $autumn)",
                                                               s=start, spring=spring, autumn=autumn)
    assert start <= d <= periods.semester_end(start, spring, autumn)


@settings(max_examples=200, deadline=None)
@given(a=days, s=maybe_days, e=maybe_days)
def test_period_months_are_the_months_the_sql_calendar_walks(a, s, e):
    rows = helpers().execute(MONTHS_SQL, {"a": a, "s": s, "e": e}).fetchall()
    assert periods.period_months(a, s, e) == [r[0] for r in rows]


@settings(max_examples=200, deadline=None)
@given(first=days, last=days)
def test_month_ends_are_the_ends_of_the_period_months_that_are_over(first, last):
    expected = [periods.next_month(m) - dt.timedelta(days=1) for m in periods.period_months(last, first)]
    assert periods.month_ends(first, last) == [end for end in expected if end <= last]


def test_quarters_are_the_calendar_quarters_over_by_the_last_day():
    assert periods.quarters(D(2025, 11, 5), D(2026, 6, 29)) == [(D(2025, 10, 1), D(2025, 12, 31)),
                                                                (D(2026, 1, 1), D(2026, 3, 31))]
    assert periods.quarter_bounds(D(2026, 2, 1), quarters=3)[0] == (D(2025, 7, 1), D(2025, 9, 30))


def test_a_trend_reads_each_quarter_as_of_its_last_day_or_a_if_sooner():
    assert periods.quarters_as_of(D(2026, 5, 10), D(2026, 1, 1)) == [(D(2026, 1, 1), D(2026, 3, 31)),
                                                                    (D(2026, 4, 1), D(2026, 5, 10))]


@pytest.mark.parametrize("day, label", [(D(2026, 1, 1), "2026Q1"), (D(2026, 3, 31), "2026Q1"),
                                        (D(2026, 5, 10), "2026Q2"), (D(2025, 12, 31), "2025Q4")])
def test_a_quarter_is_named_by_its_year_and_number(day, label):
    assert periods.quarter_label(day) == label


def test_the_semester_months_come_from_the_rules_file():
    rules = load_rules()
    semesters = periods.Semesters.of(rules)
    assert (semesters.spring, semesters.autumn) == (rules.get("semesters", "spring_start_month"),
                                                    rules.get("semesters", "autumn_start_month"))


def test_a_semester_period_without_the_rules_months_is_refused():
    with pytest.raises(ValueError, match="rules"):
        periods.period_bounds("semester", 2026, 1)


# ---- the one date parser

def test_a_date_may_have_blanks_around_it():
    assert parse_date(" 2026-03-31 ") == D(2026, 3, 31)


def test_a_date_or_nothing_passes_as_it_is():
    assert parse_date(D(2026, 3, 31)) == D(2026, 3, 31)
    assert parse_date(dt.datetime(2026, 3, 31, 8, 0)) == D(2026, 3, 31)
    assert parse_date(None) is None


@pytest.mark.parametrize("text", ["", "2026-02-30", "2026/01/01", "31.03.2026", "yesterday"])
def test_anything_else_is_not_a_date(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_keywords_are_read_only_where_an_as_of_date_is_asked_for():
    assert parse_date("last-month-end", keywords=True, today=D(2026, 3, 15)) == D(2026, 2, 28)
    assert parse_date(" Yesterday ", keywords=True, today=D(2026, 3, 1)) == D(2026, 2, 28)


@settings(max_examples=100, deadline=None)
@given(today=days)
def test_last_month_end_is_the_previous_month_end(today):
    assert keyword_date("last-month-end", today) == periods.previous_month_end(today)
