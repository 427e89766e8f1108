"""The overview's headline figures and their change since the end of the previous month, and
the promise that a notebook calling the macros in plain SQL gets the dashboard's numbers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.metrics_data import A, D, F, district, m, metrics_for  # noqa: F401 (fixtures)
from xiaoan.metrics import Filters, Scope
from xiaoan.config import DEFAULT_RULES
from xiaoan.rules import load_rules
from xiaoan.warehouse import open_read_only


def test_headline_by_hand(m):
    h = m.headline(F).row(0, named=True)
    # Open as of A, whenever found: H2 (重大, overdue, 20), H4 (overdue, 6), H6 (1), H7 (overdue, 2), H9 (1).
    assert (h["open_hazards"], h["grave_open"], h["overdue_open"], h["open_risk"]) == (5, 1, 3, 30.0)
    # Found in Q1: H1 H2 H3 H4 H6 H8 H9; rectified H1 H3 H8 (on time H1 H3); closed H3.
    assert (h["hazards_found"], h["rectified"], h["closed"]) == (7, 3, 1)
    assert h["rectification_rate"] == pytest.approx(3 / 7)
    assert h["closure_rate"] == pytest.approx(1 / 7)
    assert h["on_time_rate"] == pytest.approx(2 / 3)
    assert h["inspection_coverage"] == 0.5           # S01, S03 of 4 schools
    assert h["meeting_compliance"] == 0.5            # T01 2/3 months + T02 1/3 months = 3 of 6
    assert h["plenary_held"] is True
    assert (h["period_start"], h["period_end"]) == (D(2026, 1, 1), A)


def test_headline_change_since_the_end_of_last_month(m):
    change = {r["metric"]: r for r in m.headline_change(F).iter_rows(named=True)}
    # As of 2026-02-28 (period 01-01 .. 02-28): open H2 (20) and H7 (2); found H1 H2 H8, rectified H1 H8
    # (on time H1); inspected S01 only; T01 met in January, T02 in February: 2 of 4 town-months.
    expected = {
        "open_hazards": (5, 2), "grave_open": (1, 1), "overdue_open": (3, 2), "open_risk": (30, 22),
        "hazards_found": (7, 3), "rectification_rate": (3 / 7, 2 / 3), "closure_rate": (1 / 7, 0),
        "on_time_rate": (2 / 3, 1 / 2), "inspection_coverage": (0.5, 0.25), "meeting_compliance": (0.5, 0.5),
    }
    assert list(change) == list(expected)
    for metric, (now, before) in expected.items():
        row = change[metric]
        assert (row["value"], row["previous"]) == (pytest.approx(now), pytest.approx(before)), metric
        assert row["change"] == pytest.approx(now - before), metric
        assert row["previous_as_of"] == D(2026, 2, 28)


def test_headline_change_in_january_looks_at_last_december(m):
    change = {r["metric"]: r for r in m.headline_change(Filters(D(2026, 1, 31))).iter_rows(named=True)}
    # 2025-12-31 with its own default period (2025): H7 found and open; nothing rectified.
    assert (change["open_hazards"]["previous"], change["hazards_found"]["previous"]) == (1, 1)
    assert change["rectification_rate"]["previous"] == 0
    # 2026-01-31: H1 (open), H7 (open), H8 (rectified): H1 and H8 found in January.
    assert (change["open_hazards"]["value"], change["hazards_found"]["value"]) == (2, 2)


def test_headline_for_a_town_and_a_department(m):
    t01 = m.headline(F, Scope.town("T01")).row(0, named=True)
    assert (t01["open_hazards"], t01["grave_open"], t01["open_risk"]) == (2, 0, 7.0)   # H4, H9
    assert t01["meeting_compliance"] == pytest.approx(2 / 3)
    d02 = m.headline(F, Scope.department("D02")).row(0, named=True)
    assert (d02["open_hazards"], d02["hazards_found"], d02["rectified"]) == (3, 3, 1)  # H2 H7 H9; H2 H3 H9
    assert d02["inspection_coverage"] == 0.25                                          # D02 inspected S03


def test_a_period_with_nothing_has_null_rates(m):
    h = m.headline(replace(F, start=D(2026, 3, 25), end=D(2026, 3, 31))).row(0, named=True)
    assert h["hazards_found"] == 0
    assert (h["rectification_rate"], h["closure_rate"], h["on_time_rate"]) == (None, None, None)


def test_plain_sql_in_a_notebook_gives_the_api_numbers(district, m):
    con = open_read_only(district)
    try:
        sql = con.sql("select * from dept_scores(date '2026-03-31')").pl()
        closure = con.sql("select * from dept_closure(?, s := ?, towns := ?)",
                          params=[A, D(2026, 1, 1), ["T02"]]).pl()
    finally:
        con.close()
    assert sql.equals(m.dept_scores(F))
    assert closure.equals(m.dept_closure(replace(F, towns=("T02",))))


def test_the_sql_default_rules_are_the_rules_file(district):
    con = open_read_only(district)
    try:
        in_sql = con.sql("select default_rules() as r").fetchall()[0][0]
    finally:
        con.close()
    assert in_sql == load_rules(DEFAULT_RULES).as_sql()


@pytest.mark.parametrize("start, end", [(None, None), (D(2025, 7, 1), None), (None, D(2026, 2, 1)),
                                        (D(2026, 2, 1), D(2026, 12, 31))])
def test_python_and_sql_resolve_the_period_alike(m, start, end):
    f = Filters(A, start=start, end=end)
    h = m.headline(f).row(0, named=True)
    assert (h["period_start"], h["period_end"]) == (f.period_start, f.period_end)
