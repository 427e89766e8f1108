"""What pipelines/models/ declares, read from the SQL itself (parsed with sqlglot, DuckDB dialect):
the models of each layer and the tables each one reads, their build order, the raw tables each
mart depends on, and the columns models/raw.sql declares NOT NULL; and each model's schema file
(<layer>/<name>.toml beside its SQL: its columns and types in select order, its key, the columns
that are never null and the vocabulary a column's values come from).

What parsing finds is also kept in models/parsed.json, keyed by the SHA-256 of each SQL text
(`write_parsed`, run by scripts/write_parsed_models.py; tests/test_build.py checks it is current):
a process that finds its SQL there does not import or run sqlglot (~0.4 s of import and ~0.15 s
of parsing, at every `xiaoan ingest`). SQL not found there (an edited model) is parsed as before."""

from __future__ import annotations

import functools
import hashlib
import json
import tomllib
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

from xiaoan import vocabulary
from xiaoan.config import SQL_MODELS_DIR

PARSED = "parsed.json"  # in the models folder

LAYERS = {"staging": "view", "intermediate": "view", "marts": "table"}
# Columns of every raw table that record where a row came from, not what the ledger said.
BOOKKEEPING = frozenset({"ingest_id", "sheet_index", "row"})


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    sql: str

    @property
    def materialization(self) -> str:
        return LAYERS[self.layer]


def load_models(root: Path = SQL_MODELS_DIR) -> list[Model]:
    models = []
    for layer in LAYERS:
        for path in sorted((root / layer).glob("*.sql")):
            models.append(Model(path.stem, layer, path.read_text(encoding="utf-8")))
    return models


def references(model: Model) -> set[str]:
    """The tables and models a model's SQL reads: every table that a scope of the query (a CTE,
    a subquery, the final select) selects from, so a CTE named like a table it reads, a comma
    join, and words inside strings or comments are each taken for what they are."""
    return _sql_references(model.sql) - {model.name}


@functools.cache
def _sql_references(sql: str) -> frozenset[str]:
    known = _parsed().get("references", {}).get(_digest(sql))
    if known is not None:
        return frozenset(known)
    return _parse_references(sql)


def _parse_references(sql: str) -> frozenset[str]:
    import sqlglot
    from sqlglot import exp
    from sqlglot.optimizer.scope import traverse_scope

    tree = sqlglot.parse_one(sql, read="duckdb")
    return frozenset(
        source.name.lower()
        for scope in traverse_scope(tree)
        for source in scope.sources.values()
        if isinstance(source, exp.Table)
    )


@functools.cache
def declared_marts(root: Path = SQL_MODELS_DIR) -> frozenset[str]:
    """The marts models/marts declares: one table per file, named as the file. Read once per
    process and root (the dashboard asks on every run: the models a process ships with do not
    change under it)."""
    return frozenset(m.name for m in load_models(root) if m.layer == "marts")


@functools.cache
def declared_macros(root: Path = SQL_MODELS_DIR) -> frozenset[str]:
    """The macros models/metrics defines (`create [or replace] [temp] macro|function NAME`), read
    with sqlglot's DuckDB tokenizer, so a name in a comment or a string is not taken for one.
    Read once per process and root, as declared_marts."""
    names: set[str] = set()
    for path in sorted((root / "metrics").glob("*.sql")):
        names |= _sql_macros(path.read_text(encoding="utf-8"))
    return frozenset(names)


@functools.cache
def _sql_macros(sql: str) -> frozenset[str]:
    import sqlglot
    from sqlglot.tokens import TokenType

    tokens = sqlglot.Dialect.get_or_raise("duckdb").tokenize(sql)
    names = set()
    for i, token in enumerate(tokens[:-1]):
        if token.token_type != TokenType.FUNCTION:  # DuckDB's MACRO and FUNCTION are one token
            continue
        j = i - 1
        while j >= 0 and tokens[j].token_type in (TokenType.OR, TokenType.REPLACE, TokenType.TEMPORARY):
            j -= 1
        if j >= 0 and tokens[j].token_type == TokenType.CREATE:
            names.add(tokens[i + 1].text.lower())
    return frozenset(names)


def build_order(models: list[Model]) -> list[Model]:
    by_name = {m.name: m for m in models}
    graph = {m.name: references(m) & by_name.keys() for m in models}
    return [by_name[n] for n in TopologicalSorter(graph).static_order()]


def raw_sources(models: list[Model]) -> dict[str, set[str]]:
    """model → the raw tables it reads, directly or through other models."""
    by_name = {m.name: m for m in models}
    out: dict[str, set[str]] = {}
    for m in build_order(models):
        refs = references(m)
        out[m.name] = {r for r in refs if r.startswith("raw_")}.union(*(out[r] for r in refs if r in out))
    return out


def raw_not_null(table: str, root: Path = SQL_MODELS_DIR) -> tuple[str, ...]:
    """The columns models/raw.sql declares NOT NULL for a raw table, in declared order,
    bookkeeping columns left out: what every accepted row of that kind must carry."""
    columns = _raw_not_null(str(root / "raw.sql"))
    if table not in columns:
        raise KeyError(f"models/raw.sql declares no table {table}")
    return columns[table]


@functools.cache
def _raw_not_null(path: str) -> dict[str, tuple[str, ...]]:
    sql = Path(path).read_text(encoding="utf-8")
    known = _parsed(str(Path(path).parent)).get("raw_not_null", {}).get(_digest(sql))
    if known is not None:
        return {table: tuple(columns) for table, columns in known.items()}
    return _parse_raw_not_null(sql)


def _parse_raw_not_null(sql: str) -> dict[str, tuple[str, ...]]:
    import sqlglot
    from sqlglot import exp

    out = {}
    for statement in sqlglot.parse(sql, read="duckdb"):
        if not isinstance(statement, exp.Create) or statement.kind != "TABLE":
            continue
        schema = statement.this
        out[schema.this.name] = tuple(
            column.name
            for column in schema.expressions
            if isinstance(column, exp.ColumnDef)
            and column.name not in BOOKKEEPING
            and any(isinstance(c.kind, exp.NotNullColumnConstraint) and not c.kind.args.get("allow_null")
                    for c in column.constraints)
        )
    return out


def _digest(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


@functools.cache
def _parsed(root: str = str(SQL_MODELS_DIR)) -> dict:
    """models/parsed.json ({} when missing or unreadable: everything is parsed)."""
    try:
        return json.loads((Path(root) / PARSED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def parsed_now(root: Path = SQL_MODELS_DIR) -> dict:
    """What parsing the models under root finds, as models/parsed.json keeps it."""
    raw = (root / "raw.sql").read_text(encoding="utf-8")
    return {
        "references": {_digest(m.sql): sorted(_parse_references(m.sql)) for m in load_models(root)},
        "raw_not_null": {_digest(raw): {t: list(c) for t, c in _parse_raw_not_null(raw).items()}},
    }


def write_parsed(root: Path = SQL_MODELS_DIR) -> Path:
    """Write models/parsed.json from the models as they are now."""
    path = root / PARSED
    path.write_text(json.dumps(parsed_now(root), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as DuckDB's DESCRIBE names it
    not_null: bool = False
    accepted: str | None = None  # the name of a word list of xiaoan.vocabulary (LEVELS, STATUSES…)

    @property
    def words(self) -> tuple[str, ...]:
        return getattr(vocabulary, self.accepted) if self.accepted else ()


@dataclass(frozen=True)
class Schema:
    model: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]


def schema_path(model: Model, root: Path = SQL_MODELS_DIR) -> Path:
    return root / model.layer / f"{model.name}.toml"


def load_schema(model: Model, root: Path = SQL_MODELS_DIR) -> Schema:
    """The schema file beside a model's SQL."""
    path = schema_path(model, root)
    with path.open("rb") as f:
        data = tomllib.load(f)
    columns = []
    for name, spec in data["columns"].items():
        accepted = spec.get("accepted")
        if accepted is not None and not isinstance(getattr(vocabulary, accepted, None), tuple):
            raise ValueError(f"{path}: {name}: accepted = {accepted!r} is not a word list of xiaoan.vocabulary")
        columns.append(Column(name, spec["type"], bool(spec.get("not_null", False)), accepted))
    key = tuple(data["key"])
    unknown = set(key) - {c.name for c in columns}
    if unknown:
        raise ValueError(f"{path}: key names columns it does not list: {sorted(unknown)}")
    return Schema(model.name, key, tuple(columns))


def schema_problems(con, schema: Schema, layer: str) -> list[str]:
    """What a built model breaks of its schema file: its columns and types (DESCRIBE), then, in
    one query, the null count of each not_null column, the rows repeating the key, and the
    values outside each accepted word list. Empty when it keeps the file."""
    where = f"{layer}/{schema.model}"
    described = [(name, typ) for name, typ, *_ in con.execute(f'describe "{schema.model}"').fetchall()]
    expected = [(c.name, c.type) for c in schema.columns]
    if described != expected:
        return [f"{where}: columns {described} differ from its schema file {expected}"]
    checks, params, says = [], [], []
    for c in schema.columns:
        if c.not_null:
            checks.append(f'count(*) filter (where "{c.name}" is null)')
            says.append(f"rows with null {c.name}")
    if schema.key:
        checks.append(f"count(*) - count(distinct row({', '.join(f'{chr(34)}{k}{chr(34)}' for k in schema.key)}))")
        says.append(f"rows repeating the key of another row ({', '.join(schema.key)})")
    for c in schema.columns:
        if c.accepted:
            checks.append(f'count(*) filter (where "{c.name}" is not null and not list_contains(?, "{c.name}"))')
            params.append(list(c.words))
            says.append(f"rows whose {c.name} is not one of {c.accepted}")
    if not checks:
        return []
    (counts,) = con.execute(f'select {", ".join(checks)} from "{schema.model}"', params).fetchall()
    return [f"{where}: {n} {said}" for n, said in zip(counts, says) if n]
