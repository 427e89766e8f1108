"""One SQL text for two engines: the city's models (pipelines/city/models/*.sql) are written in
DuckDB's dialect and call the district's scalar formula macros (pipelines/models/metrics/
02_formulas.sql, 03_scoring.sql: rate, on_time, hazard_risk, indicator_status, rescaled_weight,
indicator_score, weighted_score, indicator_points, ...). DuckDB runs them as they are, with the
macros created on the connection. For Spark SQL, `to_spark(sql)` expands every macro call into
the macro's body (sqlglot, recursively: a body may call other macros), makes ROUND behave as
DuckDB's, and transpiles with `sqlglot.transpile(read="duckdb", write="spark")`. No model is
written twice.

ROUND: DuckDB (2.0) rounds a double's exact decimal value half away from zero; Spark rounds its
shortest decimal text (Scala BigDecimal(double), HALF_UP) and wants d constant. 0.015 (really
0.01499…) rounds to 0.01 on one and to 0.02 on the other, and a score total can land there, so
on Spark round(x, d) calls xiaoan_round(x, d), a temporary SQL function whose body is DuckDB's
rule in double arithmetic (round_body; a test checks it against DuckDB's own ROUND, and
pipelines/city/rounding.py states the rule with Python's Decimal). As a function, not an inline
expression: weighted_score() nests two ROUNDs, and inlined the body copied x some 400 times
(50 KB of SQL that Spark's analyzer took minutes over).
"""

from __future__ import annotations

import functools
from pathlib import Path

import sqlglot
from sqlglot import exp

METRICS = Path(__file__).resolve().parent.parent / "models" / "metrics"
# The district's scalar formulas the city models call (plain scalar SQL by design: 02_formulas.sql).
MACRO_FILES = (METRICS / "02_formulas.sql", METRICS / "03_scoring.sql")
ROUND_FUNCTION = "xiaoan_round"  # DuckDB's ROUND as a Spark SQL function (spark_functions)


@functools.cache
def macros() -> dict[str, tuple[tuple[str, ...], exp.Expression]]:
    """name -> (parameters, body) of every scalar macro in MACRO_FILES."""
    found: dict[str, tuple[tuple[str, ...], exp.Expression]] = {}
    for path in MACRO_FILES:
        for statement in sqlglot.parse(path.read_text(encoding="utf-8"), read="duckdb"):
            if not isinstance(statement, exp.Create) or str(statement.args.get("kind", "")).upper() != "MACRO":
                continue
            udf = statement.this
            body = statement.expression
            if isinstance(body, exp.Query):  # a table macro: not a formula
                continue
            found[udf.this.name.lower()] = (tuple(p.name for p in udf.expressions), body)
    return found


def macro_sql() -> str:
    """The macro files' text, for DuckDB (`con.execute(macro_sql())`)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in MACRO_FILES)


def expand_macros(tree: exp.Expression) -> exp.Expression:
    """Every call of a known macro replaced by its body with the arguments put in (each in
    parentheses), innermost first; the bodies' own macro calls expanded the same way."""
    known = macros()

    def replace(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Anonymous) or node.name.lower() not in known:
            return node
        params, body = known[node.name.lower()]
        args = list(node.expressions)
        if len(args) != len(params):
            raise ValueError(f"macro {node.name} takes {len(params)} arguments, got {len(args)}: {node.sql()}")
        values = dict(zip(params, args))

        def put(inner: exp.Expression) -> exp.Expression:
            if isinstance(inner, exp.Column) and not inner.table and inner.name in values:
                return exp.Paren(this=values[inner.name].copy())
            return inner

        return expand_macros(exp.Paren(this=body.copy().transform(put, copy=False)))

    return tree.transform(replace)


def _rounds(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Round) and node.args.get("decimals") is not None:
        return exp.Anonymous(this=ROUND_FUNCTION,
                             expressions=[node.this.transform(_rounds), node.args["decimals"].transform(_rounds)])
    return node


def round_body() -> str:
    """DuckDB's ROUND(x, d) for a double x, in plain double arithmetic that every IEEE engine
    evaluates alike (DuckDB dialect; parameters x and d): the exact decimal value of x rounded
    half away from zero. p = |x|·10^d is rounded; its exact error comes from Dekker's two-product
    (Veltkamp split by 2^27 + 1) and decides the one case p's fraction cannot: a fraction of exactly
    0.5 (0.015·100 gives 1.5, while 0.015 is really 0.01499… and rounds down)."""
    split = "cast(134217729 as double)"
    p = "(abs(x) * power(10, d))"
    xh = f"({split} * abs(x) - ({split} * abs(x) - abs(x)))"
    mh = f"({split} * power(10, d) - ({split} * power(10, d) - power(10, d)))"
    xl, ml = f"(abs(x) - {xh})", f"(power(10, d) - {mh})"
    error = f"((({xh} * {mh} - {p}) + {xh} * {ml} + {xl} * {mh}) + {xl} * {ml})"
    return (f"sign(x) * (case when {p} - floor({p}) > 0.5 or ({p} - floor({p}) = 0.5 and {error} >= 0) "
            f"then floor({p}) + 1 else floor({p}) end) / power(10, d)")


def spark_functions() -> list[str]:
    """The statements that define, on a Spark session, the functions to_spark() calls: ROUND_FUNCTION
    as a temporary SQL function (its parameters are projected once, so nesting does not copy x)."""
    body = sqlglot.parse_one(round_body(), read="duckdb").sql(dialect="spark")
    return [f"create or replace temporary function {ROUND_FUNCTION}(x double, d int) returns double return {body}"]


def to_spark(sql: str) -> str:
    """A city model (DuckDB dialect, macro calls) as Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = expand_macros(tree)
    tree = tree.transform(_rounds)
    return tree.sql(dialect="spark")


def to_duckdb_expanded(sql: str) -> str:
    """The macro expansion written back in DuckDB's dialect (tests: the expanded text means what
    the macros mean)."""
    return expand_macros(sqlglot.parse_one(sql, read="duckdb")).sql(dialect="duckdb")
