"""The city view's data: the lake's committed partitions and the city tables over them.

The city tables are computed by the roll-up's own engine and SQL (pipelines/city/rollup.py:
`input_tables` and `run_duckdb` over the models in pipelines/city/models/*.sql — the very text
`xiaoan city rollup` runs), never by a second version here. Per run the page resolves the
lake's commit markers once (`committed`, cached for a few seconds); the tables are cached per
(the commits read, as-of date, rules file), so a district's re-export is seen at the next click
after it commits, and nothing is computed twice for the same lake state.

A district's drill-down reads the files its commit names (never a listing of part files).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard.city import LAKE_ENV
from dashboard.measures import rules, rules_of, rules_stamp  # noqa: F401 (rules: the city pages call data.rules())
from pipelines.lake.read import Partition, committed
from xiaoan.rules import Rules

COMMITS_TTL = 5  # seconds a resolution of the commit markers is reused by later runs
# The roll-up's city tables, as the pages name them.
TABLES = ("district_scores", "district_indicators", "district_score_trend", "district_risk", "district_closure",
          "district_unit_closure")


def lake_path() -> Path:
    """The lake `xiaoan serve --lake PATH` serves ($XIAOAN_LAKE)."""
    return Path(os.environ.get(LAKE_ENV) or "data/city/lake")


@dataclass(frozen=True)
class LakeState:
    """What the lake holds right now: its committed partitions (one resolution)."""

    path: Path
    partitions: tuple[Partition, ...]

    @property
    def exists(self) -> bool:
        return self.path.is_dir()

    def as_ofs(self, districts: list[str] | None = None) -> list[dt.date]:
        """The as-of dates with a partition (of one of `districts`), newest first."""
        return sorted({p.as_of for p in self.partitions if districts is None or p.district_code in districts},
                      reverse=True)

    def districts(self) -> dict[str, str]:
        """区代码 → 区名称 (the newest commit's name) of every district in the lake, by code."""
        names: dict[str, str] = {}
        for p in sorted(self.partitions, key=lambda p: (p.district_code, p.as_of)):
            names[p.district_code] = p.district_name or p.district_code
        return dict(sorted(names.items()))

    def partition(self, district: str, as_of: dt.date) -> Partition | None:
        return next((p for p in self.partitions if p.district_code == district and p.as_of == as_of), None)

    def key(self, as_of: dt.date) -> tuple:
        """The identity of what a roll-up as of `as_of` reads: every partition up to that date."""
        return tuple((p.district_code, p.as_of.isoformat(), p.version, p.written_at)
                     for p in self.partitions if p.as_of <= as_of)


@st.cache_data(ttl=COMMITS_TTL, show_spinner=False, max_entries=8)
def _resolve(path: str) -> tuple[Partition, ...]:
    return tuple(committed(Path(path)))


def lake_state() -> LakeState:
    path = lake_path()
    return LakeState(path, _resolve(str(path.resolve())) if path.is_dir() else ())


def compute(state: LakeState, as_of: dt.date, rules: Rules) -> dict[str, pl.DataFrame]:
    """The city tables as of `as_of`, by the roll-up's engine over the partitions of `state`
    (as-of ≤ D): exactly what `xiaoan city rollup --as-of D` writes for the same lake and rules.
    Raises pipelines.city.rollup.RollupError when the roll-up cannot run (no table, …)."""
    from pipelines.city import rollup as engine

    parts = [p for p in state.partitions if p.as_of <= as_of]
    if not any(p.as_of == as_of for p in parts):
        raise engine.RollupError("city.rollup.no_partitions", lake=state.path, as_of=as_of.isoformat())
    files = {table: [p.files[table] for p in parts if table in p.files] for table in engine.LAKE_TABLES}
    empty = [table for table, paths in files.items() if not paths]
    if empty:
        raise engine.RollupError("city.rollup.no_table", lake=state.path, table=", ".join(empty))
    tables = engine.run_duckdb(files, engine.input_tables(parts, rules, as_of))
    return {name: pl.from_arrow(tables[name]) for name in TABLES}


@st.cache_data(show_spinner=False, max_entries=16)
def _tables(lake: str, as_of: dt.date, key: tuple, stamp: tuple[str, int],
            _state: LakeState) -> dict[str, pl.DataFrame]:
    return compute(_state, as_of, rules_of(stamp))


def city_tables(state: LakeState, as_of: dt.date) -> dict[str, pl.DataFrame]:
    """The city tables as of `as_of` (every district: the pages narrow them to the viewer's
    scope), cached per (lake, as-of, the commits read, rules file)."""
    stamp = rules_stamp()
    rules()  # a broken rules file raises here, for the shell to report
    return _tables(str(state.path.resolve()), as_of, state.key(as_of), stamp, state)


@st.cache_data(show_spinner=False, max_entries=64)
def _read(path: str) -> pl.DataFrame:
    return pl.read_parquet(path, hive_partitioning=False)


def snapshot_table(partition: Partition, table: str) -> pl.DataFrame:
    """One lake table of one committed partition (the file its commit names; people's names
    were left out when it was written)."""
    return _read(str(partition.files[table]))
