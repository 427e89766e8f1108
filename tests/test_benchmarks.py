"""The dashboard benchmark measures what the pages really ask: every Metrics call a view makes
is in benchmarks.dashboard_queries.page_calls for that page, and every listed call runs."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.dashboard_queries import call, called_names, page_calls
from tests.metrics_data import F, district, m, metrics_for  # noqa: F401 (fixtures)

SOME = {"town": "T01", "school": "S01", "dept": "D01", "hazard": "H1"}


def test_every_metric_a_page_calls_is_benchmarked_for_that_page():
    listed = {page: {name for _, name, _ in calls} for page, calls in page_calls(SOME).items()}
    called = called_names()
    assert called, "no view calls found: has dashboard/views moved?"
    for page, names in called.items():
        assert names <= listed.get(page, set()), f"{page}: not benchmarked: {sorted(names - listed.get(page, set()))}"


def test_every_benchmarked_call_runs(m):
    for calls in page_calls(SOME).values():
        for _, name, how in calls:
            assert call(m, name, how, F, replace(F, towns=(SOME["town"],))) is not None
