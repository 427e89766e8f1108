"""`xiaoan city rollup --lake PATH --as-of D --out DIR [--engine duckdb|spark] [--spark-master URL]
[--rules PATH]`: the city's tables over a Parquet lake of district snapshots (SPEC §5, issue 17;
pipelines/city/rollup.py). Registered in xiaoan_cli/app.py as the `city` group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from xiaoan.i18n import t
from xiaoan_cli.common import console, fail, lang

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="the city's roll-up over a lake of district snapshots")


LAKE_HELP = "the lake: PATH/<table>/district=<code>/as_of=<date>/"
MASTER_HELP = "Spark master URL (default local[*]), e.g. spark://host:7077, yarn, k8s://https://host:443"
RULES_HELP = ("the city's rules file (default: the rules in force, xiaoan/rules.toml or $XIAOAN_RULES); "
              "its town.* weights rank the districts")
LAKE_URL_HELP = ("where Spark reads the lake's files, e.g. s3a://bucket/lake, when --lake is a mount of the same "
                 "store (default: --lake)")


@app.command("rollup")
def rollup(
    lake: Annotated[Path, typer.Option("--lake", help=LAKE_HELP)],
    as_of: Annotated[str, typer.Option("--as-of", help="the as-of date of the roll-up (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option("--out", help="folder that receives the dated roll-up folder DIR/<as-of>/")],
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark")] = "duckdb",
    spark_master: Annotated[Optional[str], typer.Option("--spark-master", help=MASTER_HELP)] = None,
    rules: Annotated[Optional[Path], typer.Option("--rules", help=RULES_HELP)] = None,
    lake_url: Annotated[Optional[str], typer.Option("--lake-url", help=LAKE_URL_HELP)] = None,
) -> None:
    """Roll the districts' snapshots in the lake up into the city's tables."""
    from pipelines.city.rollup import RollupError
    from pipelines.city.rollup import rollup as run

    language = lang()
    if engine == "spark":
        try:
            import pyspark  # noqa: F401
        except ImportError:
            fail(t("city.rollup.no_spark", language))
    try:
        result = run(lake, as_of, out, engine=engine, spark_master=spark_master, rules_path=rules, lake_url=lake_url)
    except RollupError as exc:
        fail(exc.message(language))
        return
    except Exception as exc:  # a Spark/Java failure: one line, not a JVM stack
        if engine != "spark" or type(exc).__module__.split(".")[0] not in ("py4j", "pyspark"):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(t("city.rollup.spark_failed", language, detail=detail))
        return
    console.print(t("city.rollup.title", language, path=result.path, engine=result.engine))
    table = Table(show_header=True)
    table.add_column(t("city.rollup.table", language))
    table.add_column(t("city.rollup.rows", language), justify="right")
    for name, rows in result.row_counts.items():
        table.add_row(name, str(rows))
    console.print(table)
    console.print(t("city.rollup.wrote", language, path=result.path, as_of=result.as_of.isoformat(),
                    districts=len({p.district_code for p in result.partitions}), partitions=len(result.partitions),
                    files=len(result.row_counts) + 1, seconds=f"{result.seconds:.1f}"))
