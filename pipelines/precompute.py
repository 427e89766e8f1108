"""Figures precomputed at publish time, so that what every viewer of the evaluation page asks
first costs a lookup: the scores of towns and member units for each completed calendar quarter
(the quarter's start to its last day, as of that day), under no filter — the rows
`Metrics.score_trend` reads instead of re-running the score macros once a quarter.

They are a cache, never a second definition: they are written by the same macros
(Metrics.scores_by_quarter), stamped with a fingerprint of the rules and the macros' SQL, and
read only when the fingerprint matches. A load recomputes only the quarters it can have
changed: every quarter when the registry changed (schools, towns, units) or the fingerprint
did; otherwise those ending on or after the earliest date among the rows it added (a report
dated d changes states as of d and later; an inspection or meeting dated d, its own quarter).
"""

from __future__ import annotations

import datetime as dt
import logging

import duckdb

from xiaoan.metrics import DISTRICT, TIERS, Filters, Metrics, quarter_bounds, score_fingerprint
from xiaoan.rules import Rules, RulesError, load_rules

log = logging.getLogger(__name__)

TABLE = "precomputed_scores"
REGISTRY = {"raw_district", "raw_towns", "raw_villages", "raw_schools", "raw_departments"}
MAX_QUARTERS = 40  # ten years of quarters at most
_META_FINGERPRINT, _META_INGEST = "precomputed:fingerprint", "precomputed:ingest_id"


def refresh(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None, rules: Rules | None = None) -> list[dt.date]:
    """Bring `precomputed_scores` up to date on the warehouse being built (`changed`: the raw
    tables this load added rows to; None = recompute everything). Returns the starts of the
    quarters recomputed. With a broken rules file nothing is kept (pages compute live)."""
    con.execute(f"create table if not exists {TABLE} (tier varchar, quarter_start date, as_of date, "
                "unit_code varchar, unit_name varchar, score double, rank integer, fingerprint varchar)")
    try:
        rules = rules or load_rules()
    except RulesError as exc:  # rows kept from before could be stale after this load: none at all
        log.warning("scores not precomputed: %s", exc)
        con.execute(f"delete from {TABLE}")
        con.execute("delete from warehouse_meta where key in ($f, $i)", {"f": _META_FINGERPRINT, "i": _META_INGEST})
        return []
    fingerprint = score_fingerprint(rules)
    meta = dict(con.sql("select key, value from warehouse_meta where key in ($f, $i)",
                        params={"f": _META_FINGERPRINT, "i": _META_INGEST}).fetchall())
    last_ingest = int(meta[_META_INGEST]) if _META_INGEST in meta else None
    everything = (changed is None or last_ingest is None or meta.get(_META_FINGERPRINT) != fingerprint
                  or bool(changed & REGISTRY))
    wanted = _completed_quarters(con)
    present = {row[0] for row in con.sql(f"select distinct quarter_start from {TABLE}").fetchall()}
    if everything:
        redo = wanted
    else:
        since = _earliest_new_date(con, last_ingest)
        redo = [(q, end) for q, end in wanted if q not in present or (since is not None and end >= since)]
    redone = {q for q, _ in redo}
    keep = [q for q, _ in wanted if q not in redone]
    con.execute(f"delete from {TABLE} where not list_contains($keep, quarter_start)", {"keep": keep})
    if redo:
        metrics = Metrics(cursor=con.cursor, rules=rules)
        for tier in TIERS:
            for q_start, as_of in redo:
                query, params = metrics.quarter_scores_query(Filters(as_of=as_of), DISTRICT, tier, q_start, as_of)
                con.execute(f"insert into {TABLE} select $tier, quarter_start, as_of, unit_code, unit_name, score, rank, "
                            f"$fingerprint from ({query})", {**params, "tier": tier, "fingerprint": fingerprint})
    con.execute("insert or replace into warehouse_meta values ($k, $v)", {"k": _META_FINGERPRINT, "v": fingerprint})
    con.execute("insert or replace into warehouse_meta select $k, coalesce(max(ingest_id), 0)::varchar from raw_ingest_log",
                {"k": _META_INGEST})
    return sorted(redone)


def _completed_quarters(con: duckdb.DuckDBPyConnection) -> list[tuple[dt.date, dt.date]]:
    """(start, last day) of every calendar quarter from the earliest date in the data to the
    last one that ended on or before the latest date in it (the newest MAX_QUARTERS)."""
    first, last = con.sql(
        "select least(min(h.found_date), (select min(inspection_date) from inspections), (select min(meeting_date) from meetings)), "
        "greatest(max(h.report_date), (select max(inspection_date) from inspections), (select max(meeting_date) from meetings)) "
        "from hazard_reports h").fetchall()[0]
    if first is None or last is None:
        return []
    bounds = quarter_bounds(Filters(as_of=last, start=first))
    return [b for b in bounds if b[1] <= last][-MAX_QUARTERS:]


def _earliest_new_date(con: duckdb.DuckDBPyConnection, after_ingest: int) -> dt.date | None:
    """The earliest report, inspection or meeting date among rows loaded after `after_ingest`."""
    return con.sql(
        "select least((select min(report_date) from hazard_reports where ingest_id > $i), "
        "(select min(inspection_date) from inspections where ingest_id > $i), "
        "(select min(meeting_date) from meetings where ingest_id > $i))", params={"i": after_ingest}).fetchall()[0][0]
