"""Build the SQL models into a warehouse: staging and intermediate as views, marts as tables,
metric macros last. One model per file; the file name is the model's name; the order comes
from the names each model's SQL mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from xiaoan.config import SQL_MODELS_DIR

LAYERS = {"staging": "view", "intermediate": "view", "marts": "table"}


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


def build_order(models: list[Model]) -> list[Model]:
    by_name = {m.name: m for m in models}
    graph = {}
    for m in models:
        sql = _strip_comments(m.sql).lower()
        ctes = set(re.findall(r"([a-z_][a-z0-9_]*)\s+as\s*\(", sql))
        referenced = set(re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", sql)) - ctes
        graph[m.name] = {n for n in referenced & by_name.keys() if n != m.name}
    return [by_name[n] for n in TopologicalSorter(graph).static_order()]


def create_raw_tables(con: duckdb.DuckDBPyConnection, root: Path = SQL_MODELS_DIR) -> None:
    con.execute((root / "raw.sql").read_text(encoding="utf-8"))


def build_models(con: duckdb.DuckDBPyConnection, root: Path = SQL_MODELS_DIR, layers: tuple[str, ...] = tuple(LAYERS)) -> None:
    """Create every model of the given layers, in dependency order, then the metric macros."""
    for model in build_order(load_models(root)):
        if model.layer not in layers:
            continue
        body = _strip_comments(model.sql).strip().rstrip(";")
        con.execute(f"create or replace {model.materialization} {model.name} as {body}")
    if "marts" in layers:
        for path in sorted((root / "metrics").glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)
