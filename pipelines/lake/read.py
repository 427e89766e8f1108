"""Reading the lake: only through its commit markers, never by listing part files.

    from pipelines.lake.read import committed, table_files, register_lake
    parts = committed(lake)                               # every visible (district, as-of)
    files = table_files(lake, "town_scores", as_of="2026-09-30")
    con = duckdb.connect(); register_lake(con, lake)      # one view per table + lake_partitions

A partition is visible when LAKE/_commits/district=<code>/as_of=<date>/COMMIT.json exists; that
file is replaced atomically (tmp + os.replace) by each re-export and names the files of one
complete version (pipelines/lake/write.py). A reader that resolved a commit finds its files while
that commit is at most one commit old, or was superseded less than ten minutes ago (a version's
files go two commits later, not before: write.KEEP_SECONDS); so resolve, then read.

The Parquet files hold no district or as_of column: both are Hive partition keys of the path
(read them with hive_partitioning; `district` is text — codes are not numbers — and `as_of` a
date). A column a snapshot table names `as_of` (the score trends) is `quarter_as_of` in the lake.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

COMMITS = "_commits"
COMMIT_FILE = "COMMIT.json"
DISTRICT_KEY, AS_OF_KEY = "district", "as_of"
# DuckDB's read_parquet options for the lake's partition keys (text codes, real dates).
HIVE_TYPES = {DISTRICT_KEY: "VARCHAR", AS_OF_KEY: "DATE"}
PARTITIONS_VIEW = "lake_partitions"


@dataclass(frozen=True)
class Partition:
    """One committed (district, as-of) of the lake: the version its COMMIT.json names.

    files: table -> absolute path of that table's Parquet file of this version.
    manifest: the snapshot's facts: rules_hash, rules_sha256, rules_values, period,
    generated_at, generator, source_files, row_counts (rows of each lake file),
    dropped_columns, renamed_columns."""

    district_code: str
    district_name: str
    as_of: dt.date
    version: int
    files: dict[str, Path] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    written_at: str = ""

    @property
    def row_counts(self) -> dict[str, int]:
        return dict(self.manifest.get("row_counts", {}))


def commit_dir(lake: Path, district_code: str, as_of: dt.date | str) -> Path:
    """LAKE/_commits/district=<code>/as_of=<date>/ (the folder of one partition's COMMIT.json)."""
    return Path(lake) / COMMITS / f"{DISTRICT_KEY}={district_code}" / f"{AS_OF_KEY}={_day(as_of).isoformat()}"


def partition_dir(lake: Path, table: str, district_code: str, as_of: dt.date | str) -> Path:
    """LAKE/<table>/district=<code>/as_of=<date>/ (where that table's part files live)."""
    return Path(lake) / table / f"{DISTRICT_KEY}={district_code}" / f"{AS_OF_KEY}={_day(as_of).isoformat()}"


def read_commit(path: Path, lake: Path) -> Partition:
    """The Partition a COMMIT.json describes (its file paths made absolute under `lake`)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Partition(
        district_code=str(data["district_code"]),
        district_name=str(data.get("district_name") or ""),
        as_of=_day(data["as_of"]),
        version=int(data["version"]),
        files={table: Path(lake) / rel for table, rel in data["files"].items()},
        manifest=data.get("manifest") or {},
        written_at=str(data.get("written_at") or ""),
    )


def committed(lake: Path, as_of: dt.date | str | Iterable | None = None,
              districts: Iterable[str] | None = None) -> list[Partition]:
    """Every committed partition of the lake, ordered by district code then as-of date.
    as_of: None (all dates), one date, or several; districts: None (all) or some codes.
    An empty or missing lake has none."""
    root = Path(lake) / COMMITS
    if not root.is_dir():
        return []
    days = _days(as_of)
    wanted = None if districts is None else {str(d) for d in districts}
    out = []
    for path in root.glob(f"{DISTRICT_KEY}=*/{AS_OF_KEY}=*/{COMMIT_FILE}"):
        code = path.parent.parent.name.split("=", 1)[1]
        day = _day(path.parent.name.split("=", 1)[1])
        if (wanted is not None and code not in wanted) or (days is not None and day not in days):
            continue
        try:
            out.append(read_commit(path, lake))
        except FileNotFoundError:  # removed between the listing and the read
            continue
    return sorted(out, key=lambda p: (p.district_code, p.as_of))


def table_files(lake: Path, table: str, as_of: dt.date | str | Iterable | None = None,
                districts: Iterable[str] | None = None) -> list[Path]:
    """The committed files of one table (one per partition that has it), in committed() order."""
    return [p.files[table] for p in committed(lake, as_of, districts) if table in p.files]


def tables(partitions: Iterable[Partition]) -> list[str]:
    """The tables the given partitions hold, sorted."""
    return sorted({table for p in partitions for table in p.files})


def parquet_source(files: Iterable[Path]) -> str:
    """A DuckDB read_parquet(...) over the files, with the lake's partition keys typed."""
    paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    types = ", ".join(f"'{k}': '{v}'" for k, v in HIVE_TYPES.items())
    return f"read_parquet([{paths}], hive_partitioning = true, union_by_name = true, hive_types = {{{types}}})"


def register_lake(con, lake: Path, as_of: dt.date | str | Iterable | None = None,
                  districts: Iterable[str] | None = None) -> list[Partition]:
    """Create, on a DuckDB connection, one view per lake table over the committed files (columns
    of the file plus `district` VARCHAR and `as_of` DATE from the path), and the view
    lake_partitions(district, district_name, as_of, version, rules_hash, written_at). Returns
    the partitions the views read (resolved once: every view reads the same versions). A table
    no partition holds gets no view. Should a file have gone since its commit was read (superseded
    twice, long ago), the commits are read again."""
    import duckdb

    for attempt in range(3):
        parts = committed(lake, as_of, districts)
        try:
            for table in tables(parts):
                files = [p.files[table] for p in parts if table in p.files]
                con.execute(f'create or replace view "{table}" as select * from {parquet_source(files)}')
            break
        except duckdb.IOException:
            if attempt == 2:
                raise
    rows = ", ".join(
        "(" + ", ".join([_lit(p.district_code), _lit(p.district_name), f"date '{p.as_of.isoformat()}'",
                         str(p.version), _lit(p.manifest.get("rules_hash")), _lit(p.written_at)]) + ")"
        for p in parts
    )
    columns = "district, district_name, as_of, version, rules_hash, written_at"
    body = (f"select * from (values {rows}) t({columns})" if parts else
            "select null::varchar as district, null::varchar as district_name, null::date as as_of, "
            "null::integer as version, null::varchar as rules_hash, null::varchar as written_at where false")
    con.execute(f"create or replace view {PARTITIONS_VIEW} as {body}")
    return parts


def _lit(value: object) -> str:
    return "null" if value is None else "'" + str(value).replace("'", "''") + "'"


def _day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _days(as_of) -> set[dt.date] | None:
    if as_of is None:
        return None
    if isinstance(as_of, (str, dt.date)):
        return {_day(as_of)}
    return {_day(d) for d in as_of}
