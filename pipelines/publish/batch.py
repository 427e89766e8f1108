"""One batch of files published as one warehouse version: under the writer lock, in a copy of
the live file, plan → archive (pending) → load → build → precompute → swap; then the archive
marks the files published. A batch that fails leaves the live version as it was, and its
pending files are settled by the next writer (pipelines/publish/archive.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.ingest.load import FileReport, Offered, duplicate, load_planned, plan
from pipelines.publish import archive, build, precompute
from xiaoan.warehouse import next_version, open_read_only, writer_lock


def publish_batch(
    warehouse: Path,
    offered: list[Offered],
    batch_id: str,
    batch_seq: int,
    progress: Callable[[str], None] | None = None,
    archive_files: bool = True,
) -> tuple[list[FileReport], bool]:
    """Load one batch under the writer lock into the next version, and publish it. With
    archive_files false (a rebuild replaying the archive) nothing is archived again."""
    with writer_lock(warehouse):
        if archive_files:  # sidecars a killed writer left pending: settled against the live version
            archive.settle(warehouse, ingest_log_values(warehouse, "batch_id"))
        known = ingest_log_values(warehouse, "sha256") or set()
        new, duplicates, reports = [], [], {}
        for item in offered:
            if item.refused is None and item.sha256 in known:
                duplicates.append(duplicate(item))
            else:
                known.add(item.sha256)
                new.append(item)
        if not new:  # nothing new: the warehouse stays as it is (its log too)
            return [plan.report for plan in duplicates], False
        stored: list[archive.ArchivedFile] = []
        with next_version(warehouse) as con:
            build.create_raw_tables(con)
            build.build_models(con, layers=("staging", "intermediate"))
            before = _raw_counts(con)
            planned = plan(con, new, progress)
            for item in planned if archive_files else ():  # archived (pending) before the version is published
                if item.offered.refused is not None:
                    continue
                stored.append(_archive_entry(item.offered, batch_id, batch_seq))
                archive.store(warehouse, item.offered.data, stored[-1])
            load_planned(con, planned, duplicates, batch_id, _refresh_views, progress)
            after = _raw_counts(con)
            changed = {t for t, n in after.items() if n != before.get(t)}
            build.build_models(con, changed=changed)
            precompute.refresh(con, changed)
        archive.mark_published(warehouse, stored)
        for item in planned + duplicates:
            reports[item.offered.file_seq] = item.report
        return [reports[k] for k in sorted(reports)], True


_LOG_COLUMNS = frozenset({"sha256", "batch_id"})  # the columns ingest_log_values may be asked for


def ingest_log_values(warehouse: Path, column: str) -> set[str] | None:
    """The distinct values of one column of the live version's ingest log (content hashes,
    batch ids): None when there is no warehouse yet, empty when it has no log."""
    assert column in _LOG_COLUMNS, column  # a column name goes into the SQL text: only the known ones
    if not warehouse.exists():
        return None
    con = open_read_only(warehouse)
    try:
        return {row[0] for row in con.sql(f'select distinct "{column}" from raw_ingest_log').fetchall()}
    except duckdb.CatalogException:
        return set()
    finally:
        con.close()


def _refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    build.build_models(con, layers=("staging", "intermediate"))


def _raw_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each raw table: what a load changed decides which marts are rebuilt."""
    tables = [t for (t,) in con.sql("select table_name from duckdb_tables() where table_name like 'raw_%'").fetchall()]
    query = " union all ".join(f"select '{t}', count(*) from {t}" for t in tables)
    return dict(con.sql(query).fetchall())


def _archive_entry(item: Offered, batch_id: str, batch_seq: int) -> archive.ArchivedFile:
    return archive.ArchivedFile(
        sha256=item.sha256, name=Path(item.name).name, batch_id=batch_id, batch_seq=batch_seq, file_seq=item.file_seq,
        report_date=item.report_date.isoformat() if item.report_date else None,
        default_report_date=item.default_report_date.isoformat(), state=archive.PENDING,
    )
