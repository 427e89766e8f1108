"""The shared formulas (pipelines/models/metrics/02_formulas.sql, 03_scoring.sql) are plain scalar SQL that
another engine can run: issue 17 expands them into Spark SQL with sqlglot, so every macro body
must transpile from DuckDB to Spark with nothing unsupported (plan §5)."""

from __future__ import annotations

import re

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from xiaoan.config import SQL_MODELS_DIR

SHARED = [SQL_MODELS_DIR / "metrics" / name for name in ("02_formulas.sql", "03_scoring.sql")]
MACRO = re.compile(r"create or replace macro (\w+)\(([^)]*)\)\s+as\s+(.*?);", re.S | re.I)


def macros() -> dict[str, str]:
    code = "\n".join(line.split("--")[0] for path in SHARED for line in path.read_text(encoding="utf-8").splitlines())
    found = {m.group(1): m.group(3) for m in MACRO.finditer(code)}
    assert len(found) == code.lower().count("create or replace macro"), "a macro the pattern did not read"
    return found


def test_the_formulas_are_all_read():
    assert {"rate", "on_time", "is_grave", "hazard_risk", "grave_level", "rate_score", "weighted_score",
            "indicator_score"} <= set(macros())


@pytest.mark.parametrize("name, body", sorted(macros().items()))
def test_each_formula_transpiles_to_spark(name, body):
    tree = sqlglot.parse_one(body, read="duckdb")
    assert not list(tree.find_all(sqlglot.exp.Bracket)), f"{name}: a struct or list lookup is not portable"
    assert tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)


def test_the_check_catches_a_struct_lookup():
    tree = sqlglot.parse_one("case when x then risk['grave'] end", read="duckdb")
    assert list(tree.find_all(sqlglot.exp.Bracket))
