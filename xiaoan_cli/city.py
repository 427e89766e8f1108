"""`xiaoan city rollup --lake PATH --as-of D --out DIR [--engine duckdb|spark] [--spark-master URL]`:
the city's tables over a Parquet lake of district snapshots (SPEC §5, issue 17). Registered in
xiaoan_cli/app.py as the `city` group. (Being built in issue 17: the body below is replaced.)"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from xiaoan_cli.common import fail

app = typer.Typer(add_completion=False, no_args_is_help=True, help="the city's roll-up over a lake of district snapshots")


@app.command("rollup")
def rollup(
    lake: Annotated[Path, typer.Option("--lake", help="the lake: PATH/<table>/district=<code>/as_of=<date>/")],
    as_of: Annotated[str, typer.Option("--as-of", help="the as-of date of the roll-up (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option("--out", help="folder that receives the dated roll-up folder DIR/<as-of>/")],
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark")] = "duckdb",
    spark_master: Annotated[Optional[str], typer.Option("--spark-master", help="Spark master URL (default local[*])")] = None,
) -> None:
    """Roll the districts' snapshots in the lake up into the city's tables."""
    fail("xiaoan city rollup: not built yet")
