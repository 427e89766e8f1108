"""Scores precomputed at publish (pipelines/publish/precompute.py) are a cache of the score macros: the
score trend read from them equals the trend computed live, for every filter and scope; they are
used only under the rules and macros that wrote them; a load recomputes exactly the quarters it
can have changed."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

import duckdb
import pytest

from pipelines.publish import precompute
from pipelines.publish import ingest
from tests import builders
from tests.metrics_data import A, D, F, build_warehouse, metrics_for, rules_text  # noqa: F401 (fixtures)
from xiaoan.metrics import Filters, Metrics, Scope
from xiaoan.rules import RulesError, parse_rules


def live(m: Metrics, *args, **kwargs):
    """score_trend with the precomputed table ignored."""
    original = m._stored_scores
    m._stored_scores = lambda *a, **k: None
    try:
        return m.score_trend(*args, **kwargs)
    finally:
        m._stored_scores = original


def stored_months(warehouse) -> list[dt.date]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [d for (d,) in con.sql("select as_of from precomputed_headline order by as_of").fetchall()]
    finally:
        con.close()


def stored_quarters(warehouse) -> dict[str, set[dt.date]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.sql("select tier, quarter_start from precomputed_scores").fetchall()
    finally:
        con.close()
    out: dict[str, set[dt.date]] = {}
    for tier, start in rows:
        out.setdefault(tier, set()).add(start)
    return out


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("pre"))


def test_the_quarters_ended_before_the_load_are_stored_for_both_tiers(warehouse):
    # The district's data starts in October 2025: every quarter from 2025Q4 to the last one that
    # ended before today (the day of the load).
    today = dt.date.today()
    expected, q = set(), D(2025, 10, 1)
    while True:
        following = D(q.year + (q.month > 9), (q.month + 2) % 12 + 1, 1)
        if following > today:  # its last day, following − 1, is not before today
            break
        expected.add(q)
        q = following
    assert {D(2025, 10, 1), D(2026, 1, 1)} <= expected
    assert stored_quarters(warehouse) == {"town": expected, "dept": expected}


CASES = [
    (F, Scope(), {}),
    (F, Scope(), {"quarters": 4}),
    (Filters(D(2026, 4, 30)), Scope(), {"quarters": 3}),                 # 2026Q2 as of 04-30: live
    (Filters(A, start=D(2025, 11, 1)), Scope(), {}),
    (replace(F, towns=("T01",)), Scope(), {"quarters": 2}),            # towns choose rows of town scores
    (F, Scope.town("T02"), {"quarters": 2}),
    (F, Scope.department("D02"), {"quarters": 2}),                     # cross-tier for towns: live
    (replace(F, school_types=("幼儿园",)), Scope(), {"quarters": 2}),     # live
    (replace(F, categories=("消防安全",)), Scope(), {"quarters": 2}),      # live
    (Filters(D(2025, 12, 15)), Scope(), {"quarters": 1}),              # 2025Q4 cut at 12-15: live
]


@pytest.mark.parametrize("tier", ["town", "dept"])
@pytest.mark.parametrize("f,scope,kwargs", CASES)
def test_the_trend_read_from_the_stored_scores_equals_the_live_trend(warehouse, metrics_for, tier, f, scope, kwargs):
    m = metrics_for(warehouse)
    got = m.score_trend(f, scope, tier=tier, **kwargs)
    assert got.to_dicts() == live(m, f, scope, tier=tier, **kwargs).to_dicts()
    # and each quarter equals the score macro called for that quarter alone
    code = "town_code" if tier == "town" else "dept_code"
    for q in got.partition_by("quarter_start", as_dict=False):
        start, as_of = q["quarter_start"][0], q["as_of"][0]
        alone = m.table(f"{tier}_scores", replace(f, as_of=as_of, start=start, end=None), scope).sort("rank", code)
        assert q.select(code, "score", "rank").to_dicts() == alone.select(code, "score", "rank").to_dicts()


def test_other_rules_do_not_read_the_stored_scores(warehouse, metrics_for):
    same = metrics_for(warehouse)
    assert same._stored_scores(F, Scope(), "town", [(D(2026, 1, 1), A)]).height == 2  # T01, T02
    other = parse_rules(rules_text({("town.rectification_rate", "weight"): 7, ("town.on_time_rate", "weight"): 38}))  # still 100 in all
    m = metrics_for(warehouse, other)
    assert m._stored_scores(F, Scope(), "town", [(D(2026, 1, 1), A)]).is_empty()
    trend = m.score_trend(F, tier="town", quarters=2)
    assert trend.to_dicts() == live(m, F, tier="town", quarters=2).to_dicts()
    assert trend.to_dicts() != live(metrics_for(warehouse), F, tier="town", quarters=2).to_dicts()


def test_a_load_recomputes_only_the_quarters_it_can_change(tmp_path, monkeypatch):
    calls = []
    refresh = precompute.refresh
    today = D(2026, 4, 20)  # loads made on 2026-04-20; the data runs to 2026-04-10

    def on_that_day(con, changed, rules=None):
        calls.append(refresh(con, changed, rules, today=today))
        return calls[-1]

    monkeypatch.setattr(precompute, "refresh", on_that_day)
    warehouse = build_warehouse(tmp_path)
    months = [D(2025, 10, 31), D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
    assert stored_months(warehouse) == months
    assert stored_quarters(warehouse) == {"town": {D(2025, 10, 1), D(2026, 1, 1)}, "dept": {D(2025, 10, 1), D(2026, 1, 1)}}
    # A report dated in April (after every ended quarter and month) changes none of them.
    april = [builders.hazard("H9", "S01", "消防安全", "一般", D(2026, 4, 2), "D01", D(2026, 6, 1), report=D(2026, 4, 12))]
    ingest([builders.xlsx(tmp_path / "april.xlsx", builders.HAZARD_HEADERS, april)], warehouse)
    assert calls[-1] == {"precomputed_scores": [], "precomputed_headline": []}
    # A late report dated in February changes 2026Q1 (not 2025Q4) and the months from February.
    late = [builders.hazard("H20", "S03", "食品卫生", "重大", D(2026, 2, 1), "D02", D(2026, 2, 10), report=D(2026, 2, 20))]
    ingest([builders.xlsx(tmp_path / "late.xlsx", builders.HAZARD_HEADERS, late)], warehouse)
    assert calls[-1] == {"precomputed_scores": [D(2026, 1, 1)], "precomputed_headline": [D(2026, 2, 28), D(2026, 3, 31)]}
    # The registry again: everything.
    ingest([builders.registry_workbook(tmp_path / "登记册2.xlsx", None, instructions=False)], warehouse)
    assert calls[-1] == {"precomputed_scores": [D(2025, 10, 1), D(2026, 1, 1)], "precomputed_headline": months}
    # A load a month later stores the quarter and the month that ended meanwhile.
    today = D(2026, 5, 2)
    may = [builders.hazard("H21", "S01", "消防安全", "一般", D(2026, 5, 1), "D01", D(2026, 6, 1), report=D(2026, 5, 1))]
    ingest([builders.xlsx(tmp_path / "may.xlsx", builders.HAZARD_HEADERS, may)], warehouse)
    assert calls[-1] == {"precomputed_scores": [], "precomputed_headline": [D(2026, 4, 30)]}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        m = Metrics.from_connection(con)
        for tier in ("town", "dept"):
            assert m.score_trend(F, tier=tier, quarters=2).to_dicts() == live(m, F, tier=tier, quarters=2).to_dicts()
        for a in (A, D(2026, 5, 10), D(2026, 4, 12)):
            assert m.headline_change(Filters(a)).to_dicts() == m.table("headline_change", Filters(a)).to_dicts()
    finally:
        con.close()


def test_a_broken_rules_file_stops_the_load_and_leaves_the_warehouse_as_it_was(warehouse, tmp_path, monkeypatch):
    """Derived values (category, deadline …) follow the rules file (SPEC §2.1): a load under a
    broken one would guess them, so it reads nothing; the published version stays whole."""
    shutil.copytree(warehouse.parent, tmp_path / "wh")  # the module's district (the load is refused: no change)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    before = stored_quarters(warehouse)
    assert before
    mtime = warehouse.stat().st_mtime_ns
    bad = tmp_path / "rules.toml"
    bad.write_text("[risk]\ngeneral = 'x'\n", encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(bad))
    more = builders.xlsx(tmp_path / "more.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H-NEW")])
    with pytest.raises(RulesError, match="rules.toml"):
        ingest([more], warehouse)
    assert warehouse.stat().st_mtime_ns == mtime
    assert stored_quarters(warehouse) == before


HEADLINE_CASES = [
    Filters(A),
    Filters(D(2026, 2, 14)),
    Filters(D(2026, 1, 20)),                                   # the previous month is last year's December
    Filters(A, start=D(2026, 1, 1), end=A),                    # the dashboard's default: the year so far
    Filters(A, start=D(2026, 1, 1), end=D(2026, 3, 15)),
    Filters(A, start=D(2026, 2, 1)),                           # another period: both sides computed
    Filters(A, start=D(2026, 1, 1), end=D(2026, 2, 10)),       # ends before the previous month end
    Filters(D(2026, 1, 20), start=D(2026, 1, 1)),              # S is this year, A' last year: computed
    replace(F, towns=("T01",)),
    replace(F, categories=("消防安全",)),
    replace(F, school_types=("小学",)),
    Filters(D(2026, 6, 30)),                                   # May's end is not stored: computed
]


@pytest.mark.parametrize("f", HEADLINE_CASES)
@pytest.mark.parametrize("scope", [Scope(), Scope.town("T02"), Scope.department("D01")])
def test_the_headline_change_read_from_the_stored_month_equals_the_macro(warehouse, metrics_for, f, scope):
    m = metrics_for(warehouse)
    assert m.headline_change(f, scope).to_dicts() == m.table("headline_change", f, scope).to_dicts()


def test_the_stored_month_is_what_the_default_view_reads(warehouse, metrics_for):
    m = metrics_for(warehouse)
    assert D(2026, 3, 31) in stored_months(warehouse)
    assert m._stored_headline_applies(Filters(D(2026, 4, 10), start=D(2026, 1, 1), end=D(2026, 4, 10)), Scope())
    assert m._stored_headline_exists(D(2026, 4, 10)) and not m._stored_headline_exists(D(2020, 4, 10))
    assert not m._stored_headline_applies(Filters(D(2026, 1, 20), start=D(2026, 1, 1)), Scope())
    # with the stored row removed from view (other rules), the same figures come from the macro
    other = metrics_for(warehouse, parse_rules(rules_text({("town.rectification_rate", "weight"): 7,
                                                           ("town.on_time_rate", "weight"): 38})))
    f = Filters(D(2026, 4, 10))
    assert other.headline_change(f).to_dicts() == m.headline_change(f).to_dicts()
