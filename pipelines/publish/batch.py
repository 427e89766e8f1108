"""One batch of files published as one warehouse version: under the writer lock, in a copy of
the live file, plan → archive (pending) → load → build → precompute → swap; then the archive
marks the files published. A batch that fails leaves the live version as it was, and its
pending files are settled by the next writer (pipelines/publish/archive.py).

A file is the same file only under the same mapping and rules (SPEC §2.1): a file whose content,
office mapping and reading rules the warehouse has all logged before is a duplicate; the same
content offered under another mapping (or other [derive] rules) is read again, and its rows
supersede the earlier read's where they report the same thing (a hazard on the same report date:
the later load wins in int_hazard_reports_deduped; an inspection or meeting of the same id).
Rows the earlier read loaded that the new read does not produce again (a description read from
another column gives another derived hazard id) stay as they were: `xiaoan rebuild` reads every
archived file once under the current mapping and rules, which leaves only the new reading."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.context import LoadContext
from pipelines.ingest.load import FileReport, Offered, Planned, duplicate, load_planned, plan
from pipelines.publish import archive, build, precompute
from pipelines.ingest.mapping_check import load_checked
from xiaoan.rules import load_rules
from xiaoan.warehouse import QUIET, next_version, open_read_only, writer_lock


ZERO_REPORT = "zero_report"  # a file whose sheets said "no hazards" (SPEC §2.1): not loaded, not rejected
ALL_REJECTED = "all_rejected"  # read, and every data row rejected (the 回执 lists them)
NO_ROWS = "nothing"  # read, and no data row at all (titles, blanks, totals only)
TOP_REASONS = 3
ARCHIVE_THREADS = 8  # files archived at once: mostly waiting on fsync, which the file system batches


@dataclass
class Outcome:
    """What the summary of a load says of one file beyond its counts."""

    ingest_id: int
    reasons: list[tuple[str, int]] = field(default_factory=list)  # its most frequent rejection reasons


def publish_batch(
    warehouse: Path,
    offered: list[Offered],
    batch_id: str,
    batch_seq: int,
    progress: Callable[[str], None] | None = None,
    archive_files: bool = True,
    ctx: LoadContext | None = None,
    outcomes: dict[int, Outcome] | None = None,
) -> tuple[list[FileReport], bool]:
    """Load one batch under the writer lock into the next version, and publish it. With
    archive_files false (a rebuild replaying the archive) nothing is archived again. ctx: the
    rules and office mapping the files are read under (default: the current ones); `outcomes`,
    when given, receives each loaded file's ingest id and top reasons by file_seq."""
    ctx = ctx or LoadContext()
    hashes = (ctx.mapping.hash, ctx.rules.derive.hash)
    with writer_lock(warehouse):
        known, batches = _live_log(warehouse)
        if archive_files:  # sidecars a killed writer left pending: settled against the live version
            archive.settle(warehouse, batches)
        new, duplicates, reports = [], [], {}
        for item in offered:
            if item.refused is None and (item.sha256, *hashes) in known:
                duplicates.append(duplicate(item))
            else:
                known.add((item.sha256, *hashes))
                new.append(item)
        if not new:  # nothing new: the warehouse stays as it is (its log too)
            return [plan.report for plan in duplicates], False
        stored = [_archive_entry(item, batch_id, batch_seq) for item in new if archive_files and item.refused is None]
        with ThreadPoolExecutor(ARCHIVE_THREADS, thread_name_prefix="xiaoan-archive") as writers:
            # Archived (pending) while the files are read and loaded, published after: each file
            # is a few fsyncs (the blob, its sidecar, their folder), I/O that the load need not wait for.
            data = {item.sha256: item.data for item in new}
            archiving = [writers.submit(archive.store, warehouse, data[entry.sha256], entry) for entry in stored]
            with next_version(warehouse) as con:
                build.no_sync(con)
                before: dict[str, int] = {}

                def setup() -> None:  # while the first files are read
                    with build.one_commit(con):
                        build.create_raw_tables(con)
                        # Only the views: building a new warehouse's marts (empty) and macros here
                        # too took ~0.75 s of CPU from the reading threads on 2 cores, and made
                        # a first load slower, not faster (province5: 4.86 → 4.47 s, median of 4).
                        _refresh_views(con)
                    before.update(_raw_counts(con))

                planned = plan(con, new, progress, ctx, setup=setup)
                with ThreadPoolExecutor(1, thread_name_prefix="xiaoan-macros") as beside:
                    # A first load's macros (or changed ones) bound while the rows are checked
                    # and inserted, on the core that work leaves mostly idle (~0.28 s on one
                    # core): province5 3.08 → 2.74 s (median of 6, alternating). Committed
                    # before the marts are built (the pool's exit); an error fails the load.
                    macros = beside.submit(_create_macros_ahead, con.cursor())
                    load_planned(con, planned, duplicates, batch_id, _refresh_views, progress, ctx)
                macros.result()
                with build.one_commit(con):
                    _log_reading(con, batch_id, hashes)
                    _mark_zero_reports(con, planned)
                    after = _raw_counts(con)
                    changed = {t for t, n in after.items() if n != before.get(t)}
                    build.build_models(con, changed=changed)
                precompute.refresh(con, changed)
                for done in archiving:  # every file archived before the version is published
                    done.result()
            for done in [writers.submit(archive.mark_published, warehouse, [entry]) for entry in stored]:
                done.result()
        for item in planned + duplicates:
            reports[item.offered.file_seq] = item.report
            if outcomes is not None:
                outcomes[item.offered.file_seq] = Outcome(item.ingest_id, _top_reasons(item))
        return [reports[k] for k in sorted(reports)], True


def load_context(warehouse: Path, mapping: Path | None = None) -> LoadContext:
    """The rules in force and the office's mapping (checked against the contract) that a load
    of this warehouse reads under; MappingError when the mapping cannot be used."""
    return LoadContext(rules=load_rules(), mapping=load_checked(mapping, warehouse))


def _live_log(warehouse: Path) -> tuple[set[tuple[str, str, str]], set[str] | None]:
    """What a load reads of the live version's ingest log, through one read-only open (each
    open attaches the file and reads its catalog): the keys of the files it logged (_keys) and
    its batch ids (ingest_log_values(warehouse, "batch_id"): None when there is no warehouse)."""
    if not warehouse.exists():
        return set(), None
    con = open_read_only(warehouse)
    try:
        return _keys(con), _log_values(con, "batch_id")
    finally:
        con.close()


def _keys(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    """(content hash, mapping hash, rules hash) of every file the log holds: what makes a file
    offered again a duplicate (an older log without the two hashes: "")."""
    try:
        try:
            rows = con.sql("select distinct sha256, coalesce(mapping_hash, ''), coalesce(rules_hash, '') from raw_ingest_log")
        except duckdb.BinderException:  # a log written before the two hashes existed
            rows = con.sql("select distinct sha256, '', '' from raw_ingest_log")
        return set(rows.fetchall())
    except duckdb.CatalogException:
        return set()


def _log_reading(con: duckdb.DuckDBPyConnection, batch_id: str, hashes: tuple[str, str]) -> None:
    """The batch's log lines name the mapping and rules its files were read under."""
    con.execute("update raw_ingest_log set mapping_hash = ?, rules_hash = ? where batch_id = ?", [*hashes, batch_id])


def _mark_zero_reports(con: duckdb.DuckDBPyConnection, planned: list[Planned]) -> None:
    """A file that loaded no row is never "loaded", in its report and in the log (SPEC §2.1): a
    zero report (零报告) when it rejected none and its sheets said "no hazards", else all rejected
    (ALL_REJECTED) or no data rows at all (NO_ROWS)."""
    ids = [p.ingest_id for p in planned if p.report.status == "loaded" and p.report.loaded == 0]
    if not ids:
        return
    zero = {i for (i,) in con.execute("select distinct ingest_id from raw_zero_reports where list_contains(?, ingest_id)", [ids]).fetchall()}
    for p in planned:
        if p.ingest_id not in ids:
            continue
        if p.report.rejected:
            p.report.status = ALL_REJECTED
        else:
            p.report.status = ZERO_REPORT if p.ingest_id in zero else NO_ROWS
        con.execute("update raw_ingest_log set status = ? where ingest_id = ?", [p.report.status, p.ingest_id])


def _top_reasons(item: Planned) -> list[tuple[str, int]]:
    """The file's most frequent rejection reasons with their counts (a file rejected whole: its one reason)."""
    frames = [f.select("reason") for f in item.rejected_frames if f.height]
    if not frames:
        return []
    counts = pl.concat(frames).group_by("reason").len().sort(["len", "reason"], descending=[True, False]).head(TOP_REASONS)
    return list(counts.iter_rows())


_LOG_COLUMNS = frozenset({"sha256", "batch_id"})  # the columns ingest_log_values may be asked for


def ingest_log_values(warehouse: Path, column: str) -> set[str] | None:
    """The distinct values of one column of the live version's ingest log (content hashes,
    batch ids): None when there is no warehouse yet, empty when it has no log."""
    if not warehouse.exists():
        return None
    con = open_read_only(warehouse)
    try:
        return _log_values(con, column)
    finally:
        con.close()


def _log_values(con: duckdb.DuckDBPyConnection, column: str) -> set[str]:
    assert column in _LOG_COLUMNS, column  # a column name goes into the SQL text: only the known ones
    try:
        return {row[0] for row in con.sql(f'select distinct "{column}" from raw_ingest_log').fetchall()}
    except duckdb.CatalogException:
        return set()


def _create_macros_ahead(cursor: duckdb.DuckDBPyConnection) -> None:
    """build.create_macros_ahead on a cursor of its own (opened by the thread that owns the
    connection), in one transaction; the cursor is closed after."""
    try:
        cursor.execute(QUIET)
        with build.one_commit(cursor):
            build.create_macros_ahead(cursor)
    finally:
        cursor.close()


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
