"""Readers of the figures pipelines/publish/precompute.py stores at publish (docs/warehouse.md,
Precomputed figures): the completed quarters of the score trend (`precomputed_scores`) and the
month-end headlines (`precomputed_headline`). xiaoan.metrics asks here first and computes live
what is not stored, or stored under other rules or macros (the fingerprint differs).

Each reader takes `sql`, the caller's way of running one bound query (Metrics.sql), so this
module opens nothing and knows no connection; every value is bound, the text is fixed here.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import polars as pl

from xiaoan import periods
from xiaoan.config import SQL_MODELS_DIR
from xiaoan.rules import Rules

PRECOMPUTED_SCORES = "precomputed_scores"
PRECOMPUTED_HEADLINE = "precomputed_headline"
METRIC_SQL = SQL_MODELS_DIR / "metrics"

Sql = Callable[[str, dict[str, Any]], pl.DataFrame]


def score_fingerprint(rules: Rules) -> str:
    """What precomputed figures depend on besides the data: the rules and the metric macros."""
    return _fingerprint(json.dumps(rules.as_sql(), sort_keys=True))


@functools.lru_cache(maxsize=16)
def _fingerprint(rules_json: str) -> str:
    """A hash of the rules and of the metric macro files' bytes. The one place the core reads
    pipelines/models: it hashes the files, it does not read what they declare (that is
    pipelines/catalog.py's job) — any edit, even a comment, only makes the cache miss and the
    figures be computed live and rewritten at the next load, which is always correct."""
    digest = hashlib.sha256(rules_json.encode())
    for path in sorted(METRIC_SQL.glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def headline_applies(as_of: dt.date, start: dt.date | None, end: dt.date | None, unfiltered: bool) -> bool:
    """Whether the previous side of headline_change is a stored month end: no filter
    (`unfiltered`: district scope, no list filter), and the period it gets ([S, min(E, A')] or
    A''s year) is the stored one (A''s year to A')."""
    if not unfiltered:
        return False
    before = periods.previous_month_end(as_of)
    return (start in (None, dt.date(before.year, 1, 1))) and (end is None or end >= before)


def headline_exists(sql: Sql, as_of: dt.date, rules: Rules) -> bool:
    """Whether precomputed_headline holds the end of the month before `as_of` for these rules."""
    try:
        found = sql(f"select count(*) as n from {PRECOMPUTED_HEADLINE} "
                    "where as_of = previous_month_end($a) and fingerprint = $fingerprint",
                    {"a": as_of, "fingerprint": score_fingerprint(rules)})
    except duckdb.CatalogException:  # a warehouse written before the table existed
        return False
    return found["n"][0] > 0


def scores(sql: Sql, tier: str, rules: Rules, bounds: Sequence[tuple[dt.date, dt.date]],
           own: Sequence[str]) -> pl.DataFrame | None:
    """The stored scores of `tier` for those (quarter start, as-of) pairs, of the units `own`
    (empty: all): columns quarter_start, as_of, unit_code, unit_name, score, rank. None when the
    warehouse predates the table."""
    try:
        return sql(
            "select quarter_start, as_of, unit_code, unit_name, score, rank from " + PRECOMPUTED_SCORES + " "
            "where tier = $tier and fingerprint = $fingerprint "
            "and list_contains($starts, quarter_start) and list_contains($ends, as_of) "
            "and (len($own) = 0 or list_contains($own, unit_code))",
            {"tier": tier, "fingerprint": score_fingerprint(rules), "starts": [b[0] for b in bounds],
             "ends": [b[1] for b in bounds], "own": list(own)})
    except duckdb.CatalogException:  # a warehouse written before the table existed
        return None
