"""Opening the warehouse: one writer at a time builds the next version beside the live file and
publishes it atomically; readers attach the live file read-only and follow new versions.

Why: DuckDB allows one read-write process or many read-only ones, never both. Ingestion never
opens the live file for writing, so a dashboard holding it open can never make a load fail,
and a reader never sees a load half done: it sees the version before or the version after.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb


ALIAS = "wh"
# No progress bar: it would write into the output of commands (per connection).
QUIET = "set enable_progress_bar = false"


def _quiet(con: duckdb.DuckDBPyConnection) -> None:
    """Turn DuckDB's progress bar off. Inside a Jupyter kernel DuckDB refuses the setting (and
    shows no bar there anyway), so a refusal is fine."""
    try:
        con.execute(QUIET)
    except duckdb.InvalidInputException:
        pass


class WarehouseMissing(Exception):
    """There is no warehouse at that path yet."""


# ---------------------------------------------------------------- writing


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Serialise writers (ingest, rebuild) on one warehouse; readers never take it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def next_version(path: Path, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a copy of the live warehouse (or to a new one when `fresh`).
    On normal exit the copy is checkpointed and published over the live path atomically; on
    an exception it is thrown away and the live file is untouched. Call under writer_lock."""
    remove_orphans(path)
    work = path.with_name(f".{path.name}.next-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    if path.exists() and not fresh:
        shutil.copyfile(path, work)
    con = _open_writable(work)
    try:
        yield con
        con.execute("checkpoint")
        con.close()
        fsync_path(work)
        os.replace(work, path)
        fsync_path(path.parent)
    except BaseException:
        con.close()
        for leftover in (work, Path(str(work) + ".wal")):
            leftover.unlink(missing_ok=True)
        raise


# Rows per row group in what a writer writes (DuckDB's default is 122,880). A load's tables are
# written at commit in one piece per table while they hold less than a row group: the raw hazard
# rows, then the hazard_reports mart, each on one core (0.3 s each for 103k typed hazard rows).
# From a full row group on, DuckDB writes the groups as the rows come, on every thread. At 30,720
# the typed set loads in 2.28 s, not 2.67 s (median of 4, alternating), with the same rows in every
# table; a province's warehouse file is 13 % larger and its dashboard queries take the same time
# (benchmarks/dashboard_queries.py, docs/performance.md "Session 10"). The size is an option of
# ATTACH, not kept in the file: every writer attaches with it (readers need not).
ROW_GROUP_ROWS = 30_720


def _open_writable(work: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the working copy `work`, attached with ROW_GROUP_ROWS, as the
    connection's only database: its cursors (precompute's, the metrics') open on it too."""
    return _attached(work, f"row_group_size {ROW_GROUP_ROWS}", alone=True)


def _attached(path: Path, options: str, alone: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with `path` attached as ALIAS (with `options`) and in use; with
    `alone`, the in-memory database detached, so that a new cursor opens on `path` too. The
    connection is closed again when the attach fails."""
    con = duckdb.connect(":memory:")
    try:
        _quiet(con)
        con.execute(f"attach '{_quote(Path(path))}' as {ALIAS} ({options})")
        con.execute(f"use {ALIAS}")
        if alone:
            con.execute("detach memory")
    except BaseException:
        con.close()
        raise
    return con


def remove_orphans(path: Path) -> None:
    """Working copies left by a writer that was killed (we hold the lock: none is live)."""
    for orphan in path.parent.glob(f".{path.name}.next-*"):
        orphan.unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    """Flush a file or a folder (after a rename in it) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- reading


@dataclass
class _Version:
    con: duckdb.DuckDBPyConnection
    identity: tuple[int, int, int]
    opened: float


class Reader:
    """Read-only access that follows published versions.

    Each version is ATTACHed to its own in-memory connection (a plain `duckdb.connect(path)`
    would hand back the already-open old file). `cursor()` gives a thread-private cursor on
    the newest version; an old version stays open for a grace period so queries running on
    it finish, then it is closed.
    """

    GRACE_SECONDS = 120.0

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._current: _Version | None = None
        self._retired: list[_Version] = []

    def identity(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError as exc:
            raise WarehouseMissing(str(self.path)) from exc
        return (st.st_dev, st.st_ino, st.st_mtime_ns)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the newest published version, its default database the warehouse."""
        with self._lock:
            version = self._refresh()
            cur = version.con.cursor()
        _quiet(cur)
        cur.execute(f"use {ALIAS}")
        return cur

    @property
    def version(self) -> tuple[int, int, int]:
        with self._lock:
            return self._refresh().identity

    def _refresh(self) -> _Version:
        identity = self.identity()
        if self._current is None or self._current.identity != identity:
            con = duckdb.connect(":memory:")
            con.execute(f"attach '{_quote(self.path)}' as {ALIAS} (read_only)")
            if self._current is not None:
                self._retired.append(self._current)
            self._current = _Version(con, identity, time.monotonic())
        now = time.monotonic()
        keep = []
        for old in self._retired:
            if now - self._current.opened > self.GRACE_SECONDS:
                old.con.close()
            else:
                keep.append(old)
        self._retired = keep
        return self._current

    def close(self) -> None:
        with self._lock:
            for version in [*self._retired, *([self._current] if self._current else [])]:
                version.con.close()
            self._retired, self._current = [], None


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current version, for notebooks and one-off scripts."""
    if not Path(path).exists():
        raise WarehouseMissing(str(path))
    return _attached(path, "read_only")


def readiness(cur: duckdb.DuckDBPyConnection, marts: Collection[str], macros: Collection[str]) -> str:
    """Whether the warehouse `cur` reads is usable: 'empty' (nothing loaded, or no school in the
    registry yet), 'outdated' (built by another version: one of the `marts` or metric `macros`
    this version declares is missing; `xiaoan rebuild` mends it) or 'ready'. The one test the
    dashboard and the export share; they pass what pipelines/catalog.py reads from the models
    (declared_marts, declared_macros): the core does not read pipelines/models."""
    tables = {r[0] for r in cur.sql("select table_name from duckdb_tables() where database_name = current_database()")
              .fetchall()}
    if "schools" not in tables:
        return "empty"
    present = {r[0] for r in cur.sql("select distinct function_name from duckdb_functions() "
                                     "where database_name = current_database()").fetchall()}
    if not set(marts) <= tables or not set(macros) <= present:
        return "outdated"
    (schools,) = cur.sql("select count(*) from schools").fetchall()[0]
    return "ready" if schools else "empty"
