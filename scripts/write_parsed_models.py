"""Write pipelines/models/parsed.json: the tables each model reads and the NOT NULL columns of
models/raw.sql, as sqlglot parses them, keyed by the SHA-256 of each SQL text. Run it after
editing a model (tests/test_build.py fails while the file is stale; a stale file only costs
speed: SQL it does not hold is parsed at run time).

    .venv/bin/python scripts/write_parsed_models.py
"""

from pipelines.catalog import write_parsed

if __name__ == "__main__":
    print(write_parsed())
