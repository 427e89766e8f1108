"""The shared formulas of the metric macros (pipelines/models/metrics/02_formulas.sql): each
word of the domain and each rate or predicate is written there once, equal to xiaoan.vocabulary,
and no other metric macro spells a word or a rate itself."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiaoan import periods, vocabulary
from xiaoan.config import SQL_MODELS_DIR
from xiaoan.rules import load_rules

METRICS = SQL_MODELS_DIR / "metrics"
FORMULAS = METRICS / "02_formulas.sql"
SCORING = METRICS / "03_scoring.sql"
CJK_LITERAL = re.compile(r"'[^']*[\u4e00-\u9fff][^']*'")


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute(FORMULAS.read_text(encoding="utf-8"))
    con.execute(SCORING.read_text(encoding="utf-8"))
    yield con
    con.close()


def one(con, sql: str, *params):
    return con.execute(f"select {sql}", list(params)).fetchone()[0]


@pytest.mark.parametrize("macro, word", [
    ("grave_level()", vocabulary.GRAVE_LEVEL),
    ("closed_status()", vocabulary.CLOSED_STATUS),
    ("legal_education_type()", vocabulary.LEGAL_EDUCATION),
    ("town_meeting_type()", vocabulary.TOWN_MEETING),
    ("plenary_type()", vocabulary.PLENARY),
    ("district_level()", vocabulary.DISTRICT_LEVEL),
    ("town_level()", vocabulary.TOWN_LEVEL),
])
def test_each_word_in_sql_is_the_vocabulary_word(con, macro, word):
    assert one(con, macro) == word


@pytest.mark.parametrize("status", vocabulary.STATUSES)
def test_a_status_is_rectified_in_sql_exactly_when_the_vocabulary_says(con, status):
    assert one(con, "is_rectified_status(?)", status) == (status in vocabulary.RECTIFIED_STATUSES)


@pytest.mark.parametrize("level", vocabulary.LEVELS)
def test_is_grave_holds_for_the_grave_level_only(con, level):
    assert one(con, "is_grave(?)", level) == (level == vocabulary.GRAVE_LEVEL)


@pytest.mark.parametrize("level", vocabulary.LEVELS)
def test_the_risk_of_an_open_hazard_is_its_level_weight_and_doubles_when_overdue(con, level):
    risk = load_rules().as_sql()["risk"]
    weights = [risk["general"], risk["major"], risk["grave"], risk["overdue_factor"]]
    weight = risk[vocabulary.LEVEL_RISK_KEY[level]]
    assert one(con, "hazard_risk(?, true, false, ?, ?, ?, ?)", level, *weights) == weight
    assert one(con, "hazard_risk(?, true, true, ?, ?, ?, ?)", level, *weights) == weight * risk["overdue_factor"]
    assert one(con, "hazard_risk(?, false, true, ?, ?, ?, ?)", level, *weights) == 0


def test_a_rate_over_nothing_is_no_data_not_zero(con):
    assert one(con, "rate(3, 4)") == 0.75
    assert one(con, "rate(0, 4)") == 0
    assert one(con, "rate(3, 0)") is None
    assert one(con, "rate(3, null)") is None


def test_on_time_means_rectified_on_or_before_the_deadline(con):
    assert one(con, "on_time(true, date '2026-03-05', date '2026-03-05')") is True
    assert one(con, "on_time(true, date '2026-03-06', date '2026-03-05')") is False
    assert one(con, "on_time(false, date '2026-03-01', date '2026-03-05')") is False


# 00_default_rules.sql is the rules file's values (its grade names, supervised levels, duty lists),
# kept equal to xiaoan/rules.toml by tests/test_metrics_headline.py: data, not a macro's word.
@pytest.mark.parametrize("path", sorted(p for p in METRICS.glob("*.sql") if p != FORMULAS and p.name != "00_default_rules.sql"),
                         ids=lambda p: p.name)
def test_no_other_metric_macro_spells_a_domain_word(path: Path):
    code = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
    assert CJK_LITERAL.findall(code) == []


# The breakdowns divide a score × weight by the unit's weights (its points): not a rate.
WEIGHTED_MEANS = {"41_town_score_breakdown.sql", "43_dept_score_breakdown.sql"}


@pytest.mark.parametrize("path", sorted(p for p in METRICS.glob("*.sql") if p not in (FORMULAS, SCORING)
                                        and p.name not in WEIGHTED_MEANS), ids=lambda p: p.name)
def test_no_other_metric_macro_writes_a_rate_itself(path: Path):
    code = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
    assert "nullif(" not in code


def test_the_metrics_api_computes_nothing():
    """xiaoan/metrics.py binds and names macros: no aggregation of its own (counts aside)."""
    source = (Path(__file__).parents[1] / "xiaoan" / "metrics.py").read_text(encoding="utf-8")
    assert "group by" not in source.lower()
    assert "strftime(" not in source and "filter (where" not in source


@pytest.mark.parametrize("level", vocabulary.LEVELS)
def test_a_hazard_needs_attention_when_open_and_overdue_or_grave(con, level):
    grave = level == vocabulary.GRAVE_LEVEL
    assert one(con, "needs_attention(true, true, ?)", level) is True
    assert one(con, "needs_attention(true, false, ?)", level) is grave
    assert one(con, "needs_attention(false, true, ?)", level) is False
    assert one(con, "needs_attention(false, false, ?)", level) is False


@settings(max_examples=200, deadline=None)
@given(a=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
       s=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
       e=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_the_period_months_macro_is_the_python_calendar(a, s, e):
    """period_months (01_helpers.sql), the calendar the meeting grid and legal-education
    coverage walk, equals its twin xiaoan.periods.period_months."""
    rows = period_helpers().execute("select month from period_months($a, $s, $e)", {"a": a, "s": s, "e": e}).fetchall()
    assert [r[0] for r in rows] == periods.period_months(a, s, e)


@functools.cache
def period_helpers() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute((METRICS / "01_helpers.sql").read_text(encoding="utf-8"))
    return con


# SPEC §3 Evaluation v2: no data no longer scores 100 (score_units makes it 不适用 or 未报送, see
# tests/test_evaluation_v2.py); a formula over no value is no score.
def test_a_rate_scores_100_times_itself_and_nothing_without_data(con):
    assert one(con, "rate_score(0.25)") == 25
    assert one(con, "rate_score(null)") is None


def test_a_count_loses_its_points_per_unit_down_to_zero(con):
    assert one(con, "per_unit_score(3, 10)") == 70
    assert one(con, "per_unit_score(30, 10)") == 0


def test_days_score_full_up_to_full_at_zero_from_zero_at_linear_between(con):
    assert [one(con, f"days_score({d}, 7, 37)") for d in ("null", 5, 7, 22, 37, 40)] == [None, 100, 100, 50, 0, 0]


def test_the_total_is_the_weighted_mean_rounded_to_the_rules_decimals(con):
    assert one(con, "weighted_score(100 * 30 + 50 * 70, 100, 2)") == 65
    assert one(con, "weighted_score(200, 3, 2)") == 66.67
    assert one(con, "weighted_score(0, 0, 2)") is None
