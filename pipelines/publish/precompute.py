"""Figures precomputed at publish time, so that what every viewer asks first costs a lookup:

- `precomputed_scores`: the scores of towns and member units for each calendar quarter that
  ended before the load (the quarter's start to its last day, as of that day), under no
  filter — what `Metrics.score_trend` reads instead of re-running the score macros a quarter
  at a time;
- `precomputed_headline`: the overview's headline figures at the end of each month that ended
  before the load (that year up to that day), under no filter — the "end of last month" side
  of `Metrics.headline_change`.

They are a cache, never a second definition: they are written by the same macros, stamped with
a fingerprint of the rules and the macros' SQL, and read only when the fingerprint matches. A
load recomputes only what it can have changed: everything when the registry changed (schools,
towns, units) or the fingerprint did; otherwise the periods ending on or after the earliest
date among the rows it added (a report dated d changes states as of d and later; an
inspection or a meeting dated d, the periods holding d), and periods not stored yet.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import duckdb

from pipelines.publish.build import one_commit
from xiaoan.metrics import DISTRICT, TIERS, Filters, Metrics
from xiaoan.periods import month_ends, quarters
from xiaoan.precomputed import PRECOMPUTED_HEADLINE, PRECOMPUTED_SCORES, score_fingerprint
from xiaoan.rules import Rules, RulesError, load_rules
from xiaoan.warehouse import QUIET

log = logging.getLogger(__name__)

SCORES, HEADLINE = PRECOMPUTED_SCORES, PRECOMPUTED_HEADLINE
REGISTRY = {"raw_district", "raw_towns", "raw_villages", "raw_schools", "raw_departments"}
MAX_QUARTERS = 40  # ten years
MAX_MONTHS = 36    # three years
_META_FINGERPRINT, _META_INGEST = "precomputed:fingerprint", "precomputed:ingest_id"


def refresh(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None,
            rules: Rules | None = None, today: dt.date | None = None) -> dict[str, list[dt.date]]:
    """Bring the precomputed tables up to date on the warehouse being built (`changed`: the raw
    tables this load added rows to; None = recompute everything). The periods stored are those
    from the earliest date in the data to the last one ended before `today` (default: the
    date now). Returns, per table, the periods recomputed (quarter starts, month ends). With a
    broken rules file nothing is kept (pages compute live)."""
    with one_commit(con):  # committed before the inserts, which read it on cursors of their own
        prepared = _prepare(con, changed, rules, today)
    if prepared is None:
        return {SCORES: [], HEADLINE: []}
    done, jobs, fingerprint = prepared
    _run_together(con, jobs)
    with one_commit(con):
        con.execute("insert or replace into warehouse_meta values ($k, $v)", {"k": _META_FINGERPRINT, "v": fingerprint})
        con.execute("insert or replace into warehouse_meta "
                    "select $k, coalesce(max(ingest_id), 0)::varchar from raw_ingest_log", {"k": _META_INGEST})
    return done


def _prepare(con: duckdb.DuckDBPyConnection, changed: set[str] | None, rules: Rules | None,
             today: dt.date | None) -> tuple[dict[str, list[dt.date]], list[Job], str] | None:
    """The periods to compute again (stale rows deleted) and the inserts that compute them; None
    with a broken rules file (every stored figure removed)."""
    con.execute(f"create table if not exists {SCORES} (tier varchar, quarter_start date, as_of date, "
                "unit_code varchar, unit_name varchar, score double, rank integer, fingerprint varchar)")
    try:
        rules = rules or load_rules()
    except RulesError as exc:  # rows kept from before could be stale after this load: none at all
        log.warning("figures not precomputed: %s", exc)
        con.execute(f"delete from {SCORES}")
        con.execute(f"drop table if exists {HEADLINE}")
        con.execute("delete from warehouse_meta where key in ($f, $i)", {"f": _META_FINGERPRINT, "i": _META_INGEST})
        return None
    fingerprint = score_fingerprint(rules)
    meta = dict(con.sql("select key, value from warehouse_meta where key in ($f, $i)",
                        params={"f": _META_FINGERPRINT, "i": _META_INGEST}).fetchall())
    last_ingest = int(meta[_META_INGEST]) if _META_INGEST in meta else None
    everything = (changed is None or last_ingest is None or meta.get(_META_FINGERPRINT) != fingerprint
                  or bool(changed & REGISTRY))
    if everything:  # the headline's columns follow its macro: a new fingerprint may change them
        con.execute(f"drop table if exists {HEADLINE}")
    since = None if everything else _earliest_new_date(con, last_ingest)
    metrics = Metrics(cursor=con.cursor, rules=rules)
    first = _first_date(con)
    last = (today or dt.date.today()) - dt.timedelta(days=1)
    jobs: list[Job] = []
    done = {SCORES: _refresh_scores(con, metrics, fingerprint, quarters(first, last)[-MAX_QUARTERS:], everything, since, jobs),
            HEADLINE: _refresh_headline(con, metrics, fingerprint, month_ends(first, last)[-MAX_MONTHS:], everything, since, jobs)}
    return done, jobs, fingerprint


def _to_redo(periods: list[dt.date], ends: list[dt.date], present: set[dt.date], everything: bool,
             since: dt.date | None) -> list[int]:
    """Indexes of the periods (keyed by `periods`, ending on `ends`) to compute again."""
    return [i for i, (key, end) in enumerate(zip(periods, ends))
            if everything or key not in present or (since is not None and end >= since)]


Job = tuple[str, dict]  # one insert and its bound values


def _run_together(con: duckdb.DuckDBPyConnection, jobs: list[Job]) -> None:
    """Run the inserts at once, each on a cursor of its own (a connection to the same database:
    each insert commits on its own, into a table no other job deletes from). Each lateral
    query keeps about one core busy for most of its time (DuckDB splits a scan by row groups,
    and a district's hazards fill a few of them), so the three side by side take less than
    one after another: 0.23 s against 0.26 s for the typed set (median of 5). The first
    error is raised after every job has ended (the version being built is then discarded)."""
    with _probe_sides_as_written(con):
        if len(jobs) <= 1:
            for query, params in jobs:
                con.execute(query, params)
            return
        _run_side_by_side(con, jobs)


@contextmanager
def _probe_sides_as_written(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """While the inserts run, DuckDB's join sides are taken as the query writes them (the
    optimizer `build_side_probe_side` is off; a global setting, put back after). The lateral
    join over the periods multiplies the hazards by the periods (682,123 rows for 36 month
    ends of the typed set), and DuckDB estimates that product below the schools' row count:
    it then builds its hash table on the product and probes it with the schools (0.24 s of the
    headline's 0.27 s CPU), where the written left join builds on the schools. Off, the three
    inserts take 0.29 s CPU, not 0.45 s; the plans differ only in join sides, so the rows are
    the same (tests/test_precompute.py)."""
    before = con.sql("select current_setting('disabled_optimizers')").fetchall()[0][0]
    names = [name.strip() for name in before.split(",") if name.strip()]
    con.execute("set disabled_optimizers = $names", {"names": ",".join({*names, "build_side_probe_side"})})
    try:
        yield
    finally:
        con.execute("set disabled_optimizers = $before", {"before": before})


def _run_side_by_side(con: duckdb.DuckDBPyConnection, jobs: list[Job]) -> None:
    """The jobs on threads of their own (see _run_together)."""

    def run(job: Job) -> None:
        cursor = con.cursor()
        try:
            cursor.execute(QUIET)
            cursor.execute(*job)
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="xiaoan-precompute") as pool:
        futures = [pool.submit(run, job) for job in jobs]
    for future in futures:
        future.result()


def _refresh_scores(con, metrics: Metrics, fingerprint: str, quarters: list[tuple[dt.date, dt.date]],
                    everything: bool, since: dt.date | None, jobs: list[Job]) -> list[dt.date]:
    present = {row[0] for row in con.sql(f"select distinct quarter_start from {SCORES}").fetchall()}
    redo = [quarters[i] for i in _to_redo([q for q, _ in quarters], [e for _, e in quarters], present, everything, since)]
    redone = {q for q, _ in redo}
    keep = [q for q, _ in quarters if q not in redone]
    con.execute(f"delete from {SCORES} where not list_contains($keep, quarter_start)", {"keep": keep})
    if redo:
        for tier, spec in TIERS.items():
            query, params = metrics.lateral_query(spec.scores, Filters(as_of=redo[-1][1]), DISTRICT,
                                                  [end for _, end in redo], [q for q, _ in redo],
                                                  columns=f"q.period_start, q.as_of, t.{spec.code}, t.{spec.name}, "
                                                          "t.score, t.rank")
            jobs.append((f"insert into {SCORES} select $tier, *, $fingerprint from ({query})",
                         {**params, "tier": tier, "fingerprint": fingerprint}))
    return [q for q, _ in redo]


def _refresh_headline(con, metrics: Metrics, fingerprint: str, month_ends: list[dt.date], everything: bool,
                      since: dt.date | None, jobs: list[Job]) -> list[dt.date]:
    query, params = metrics.query("headline", Filters(as_of=dt.date(2000, 1, 1)), columns="*, $fingerprint as fingerprint")
    con.execute(f"create table if not exists {HEADLINE} as {query} limit 0", {**params, "fingerprint": fingerprint})
    present = {row[0] for row in con.sql(f"select as_of from {HEADLINE}").fetchall()}
    redo = [month_ends[i] for i in _to_redo(month_ends, month_ends, present, everything, since)]
    keep = [m for m in month_ends if m not in redo]
    con.execute(f"delete from {HEADLINE} where not list_contains($keep, as_of)", {"keep": keep})
    if redo:
        query, params = metrics.lateral_query("headline", Filters(as_of=redo[-1]), DISTRICT, redo, columns="t.*")
        jobs.append((f"insert into {HEADLINE} select *, $fingerprint from ({query})", {**params, "fingerprint": fingerprint}))
    return redo


def _first_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The earliest date in the data (a hazard found or reported, an inspection, a meeting)."""
    return con.sql(
        "select least(min(found_date), min(report_date), (select min(inspection_date) from inspections), "
        "(select min(meeting_date) from meetings)) from hazard_reports").fetchall()[0][0]




def _earliest_new_date(con: duckdb.DuckDBPyConnection, after_ingest: int) -> dt.date | None:
    """The earliest report, inspection or meeting date among rows loaded after `after_ingest`."""
    return con.sql(
        "select least((select min(report_date) from hazard_reports where ingest_id > $i), "
        "(select min(inspection_date) from inspections where ingest_id > $i), "
        "(select min(meeting_date) from meetings where ingest_id > $i))", params={"i": after_ingest}).fetchall()[0][0]
