"""The city's roll-up over a lake of district snapshots (issue 17): the city tables defined once
in SQL (models/*.sql), run on DuckDB or, transpiled by sqlglot, on Spark SQL (rollup.py,
dialect.py); a synthetic lake for tests and benchmarks (synthetic.py)."""
