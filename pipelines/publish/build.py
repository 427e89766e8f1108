"""Build the SQL models into a warehouse: staging and intermediate as views, marts as tables,
metric macros last (a load whose macros are missing or stale binds them earlier, beside its
checks: create_macros_ahead). One model per file; the file name is the model's name; the order
comes from the tables each model's SQL reads (pipelines/catalog.py)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.catalog import LAYERS, Model, build_order, load_models, load_schema, raw_sources, schema_problems
from xiaoan.config import SQL_MODELS_DIR


@contextmanager
def one_commit(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The statements of a step in one transaction of the working copy. An autocommitted
    statement is a commit of its own, each writing the copy's WAL (and syncing it, without
    no_sync): a first load creates its tables, views, marts and macros in ~180 statements. The
    copy is published only after its checkpoint and thrown away on any error, so a step's
    statements need no commit of their own. Only steps whose every error fails the whole load
    go in one: an error inside a transaction aborts all of it (the checks and inserts of each
    file, whose failures reject that file alone, stay autocommitted)."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.Error:
            pass  # (the connection is closed and the copy thrown away all the same)
        raise
    con.execute("commit")


def no_sync(con: duckdb.DuckDBPyConnection) -> None:
    """The working copy a load builds syncs nothing while it is built (DuckDB's fsync_mode
    none: no sync of its WAL at each commit, nor of the file at checkpoints): it is published
    only after its checkpoint, by xiaoan.warehouse.next_version, which syncs the file itself
    before renaming it over the live version and syncs the folder after; a copy cut short is
    never published (orphans are removed by the next writer). Durability is unchanged; the
    load does not wait for the disk ~180 times."""
    con.execute("set fsync_mode = 'none'")


class SchemaError(Exception):
    """A mart just built breaks its schema file: the load stops and the version is discarded."""


def create_raw_tables(con: duckdb.DuckDBPyConnection, root: Path = SQL_MODELS_DIR) -> None:
    con.execute((root / "raw.sql").read_text(encoding="utf-8"))


def build_models(
    con: duckdb.DuckDBPyConnection,
    root: Path = SQL_MODELS_DIR,
    layers: tuple[str, ...] = tuple(LAYERS),
    changed: set[str] | None = None,
) -> None:
    """Create every model of the given layers, in dependency order, then the metric macros.
    Each mart built is checked against its schema file (catalog.schema_problems): a mart that
    breaks it raises SchemaError, so the version being built is thrown away.

    With `changed` (the raw tables that gained rows in this load), a mart table is rebuilt
    only when it is missing, when its SQL changed since it was built, or when a raw table it
    reads is in `changed`. New ingest-log rows alone do not count for a mart that also reads
    data tables: it uses the log only for the file names of its own rows, which arrive with
    new data rows. Views are recreated unless every one of them exists and was created from
    these very model files and raw.sql (fingerprint `views` in warehouse_meta): a view is only
    its SQL text, but creating ~20 of them binds each one, twice a load."""
    models = load_models(root)
    sources = raw_sources(models)
    built = _built_hashes(con)
    view_layers = [layer for layer, kind in LAYERS.items() if kind == "view"]
    views_fingerprint = _views_fingerprint(models, root)
    views_current = _views_current(con, models, views_fingerprint)
    rebuilt: list[tuple[str, str]] = []  # (mart, digest of its SQL)
    for model in build_order(models):
        if model.layer not in layers or (model.materialization == "view" and views_current):
            continue
        body = _strip_comments(model.sql).strip().rstrip(";")
        digest = hashlib.sha256(body.encode()).hexdigest()
        if model.materialization == "table" and changed is not None and built.get(model.name) == digest:
            data = sources[model.name] - {"raw_ingest_log"} or sources[model.name]
            if not data & changed:
                continue
        con.execute(f"create or replace {model.materialization} {model.name} as {body}")
        if model.materialization == "table":
            problems = schema_problems(con, load_schema(model, root), model.layer)
            if problems:
                raise SchemaError("; ".join(problems))
            rebuilt.append((model.name, digest))
    if rebuilt:  # what each mart was built from, and up to which load: one statement (~4 ms each)
        names = [name for name, _ in rebuilt]
        con.execute("insert or replace into warehouse_meta "
                    "select 'model:' || unnest($names), unnest($digests) "
                    "union all "
                    "select 'built:' || unnest($names), (select coalesce(max(ingest_id), 0)::varchar from raw_ingest_log)",
                    {"names": names, "digests": [digest for _, digest in rebuilt]})
    if not views_current and set(view_layers) <= set(layers):
        con.execute("insert or replace into warehouse_meta values (?, ?)", [_VIEWS, views_fingerprint])
    if "marts" in layers:
        create_macros(con, root)


_VIEWS = "views"


def _views_fingerprint(models: list[Model], root: Path) -> str:
    """What the views were created from: raw.sql (the columns a `select *` expands to) and
    every model's text (a view reading a model whose columns changed is created again)."""
    digest = hashlib.sha256((root / "raw.sql").read_bytes())
    for model in models:
        digest.update(b"\0" + model.layer.encode() + b"/" + model.name.encode() + b"\0" + model.sql.encode())
    return digest.hexdigest()


def _views_current(con: duckdb.DuckDBPyConnection, models: list[Model], fingerprint: str) -> bool:
    stored = con.execute("select value from warehouse_meta where key = ?", [_VIEWS]).fetchall()
    if not stored or stored[0][0] != fingerprint:
        return False
    have = {n for (n,) in con.sql("select view_name from duckdb_views() where database_name = current_database()").fetchall()}
    return {m.name for m in models if m.materialization == "view"} <= have


def create_macros(con: duckdb.DuckDBPyConnection, root: Path = SQL_MODELS_DIR) -> bool:
    """Create the metric macros (models/metrics/*.sql, in file order) unless this warehouse
    already holds the ones of these very files: their names and texts are fingerprinted in
    warehouse_meta (`macros`, with the macro names present after they were created, `macros:names`),
    and a macro lives in the database file, so the copy a load works on keeps what the live
    version had. Binding ~35 macros costs ~0.2 s a load; a load that changed no macro file
    skips it. Returns whether they were created."""
    texts, fingerprint = _macro_texts(root)
    if _macros_current(con, fingerprint):
        return False
    _create(con, texts, fingerprint)
    return True


def create_macros_ahead(con: duckdb.DuckDBPyConnection, root: Path = SQL_MODELS_DIR) -> bool:
    """The macros of a warehouse that lacks these very ones (a first load, a changed macro
    file), created before the marts are built: a macro binds against the columns of the marts
    it reads, not their rows, so every mart not there yet is first created empty, as its schema
    file lists its columns (build_models replaces it, and checks it against that same file).
    A load runs this on a cursor of its own while its rows are checked and inserted: binding
    the macros is ~0.28 s on one core, the other being mostly idle then (province5, a first
    load). build_models then finds them current. Returns whether they were created."""
    texts, fingerprint = _macro_texts(root)
    if _macros_current(con, fingerprint):
        return False
    for model in load_models(root):
        if model.layer == "marts" and model.materialization == "table":
            columns = ", ".join(f'"{c.name}" {c.type}' for c in load_schema(model, root).columns)
            con.execute(f'create table if not exists "{model.name}" ({columns})')
    _create(con, texts, fingerprint)
    return True


def _create(con: duckdb.DuckDBPyConnection, texts: list[str], fingerprint: str) -> None:
    """Run the macro files' texts, then record their fingerprint and the macros now present."""
    for text in texts:
        con.execute(text)
    con.execute("insert or replace into warehouse_meta values (?, ?), (?, ?)",
                [_MACROS, fingerprint, _MACRO_NAMES, ",".join(sorted(_macros_here(con)))])


def _macro_texts(root: Path) -> tuple[list[str], str]:
    """The macro files' texts, in file order, and their fingerprint."""
    files = sorted((root / "metrics").glob("*.sql"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    digest = hashlib.sha256()
    for path, text in zip(files, texts):
        digest.update(path.name.encode() + b"\0" + text.encode() + b"\0")
    return texts, digest.hexdigest()


def _macros_current(con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    """Whether the warehouse holds the macros of that fingerprint (a fingerprint is never
    trusted alone: every macro it names must be here)."""
    meta = dict(con.execute("select key, value from warehouse_meta where key in (?, ?)", [_MACROS, _MACRO_NAMES]).fetchall())
    return meta.get(_MACROS) == fingerprint and set(meta.get(_MACRO_NAMES, "").split(",")) <= _macros_here(con)


_MACROS, _MACRO_NAMES = "macros", "macros:names"


def _macros_here(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {n for (n,) in con.sql("select distinct function_name from duckdb_functions() "
                                  "where database_name = current_database() and macro_definition is not null").fetchall()}


def _built_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.sql("select key, value from warehouse_meta where key like 'model:%'").fetchall()
    return {k.removeprefix("model:"): v for k, v in rows}


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)
