"""`xiaoan export --as-of DATE|today|yesterday|last-month-end [--start D --end D] [--warehouse PATH] --out DIR [--keep N] [--no-mask]`:
the typer command (registered in xiaoan_cli/app.py).
Exit 0 when the snapshot was written; non-zero with a one-line reason when it could not run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import lang, warn_rules


def command(
    as_of: Annotated[str, typer.Option("--as-of", help="the as-of date A: YYYY-MM-DD, today, yesterday or last-month-end")],
    out: Annotated[Path, typer.Option("--out", help="folder that receives the dated snapshot folder DIR/<as-of>/")],
    start: Annotated[Optional[str], typer.Option("--start", help="first day of the period (default: 1 January of A's year)")] = None,
    end: Annotated[Optional[str], typer.Option("--end", help="last day of the period (default and at most: A)")] = None,
    warehouse: Annotated[Optional[Path], typer.Option("--warehouse", help="warehouse file (default data/warehouse.duckdb or $XIAOAN_WAREHOUSE)")] = None,
    keep: Annotated[Optional[int], typer.Option("--keep", help="afterwards keep only the newest N dated snapshots in --out (DIR/latest always names the newest)")] = None,
    mask: Annotated[bool, typer.Option("--mask/--no-mask", help="mask the names and phone numbers of members and liaisons (default); --no-mask writes them in full")] = True,
) -> None:
    """Write the dated snapshot: Parquet tables, report.xlsx, report.html, manifest.json."""
    # Imported here: polars and DuckDB would otherwise load for every `xiaoan` command (serve too).
    from pipelines.export.snapshot import ExportError, export_snapshot

    warn_rules()
    try:
        result = export_snapshot(config.warehouse_path(warehouse), as_of, start, end, out, keep=keep, mask_personal=mask)
    except ExportError as exc:
        sys.stderr.write(f"xiaoan: {' '.join(exc.message(lang()).split())}\n")  # one line, never wrapped
        raise typer.Exit(2) from None
    console = Console(width=None if sys.stdout.isatty() else 200)
    table = Table(title=t("cli.export.title", lang(), path=result.path))
    table.add_column(t("cli.export.table", lang()))
    table.add_column(t("cli.export.rows", lang()), justify="right")
    for name, rows in result.row_counts.items():
        table.add_row(name, str(rows))
    console.print(table)
    console.print(t("cli.export.wrote", lang(), path=result.path, as_of=result.as_of, start=result.period[0], end=result.period[1],
                    files=len(result.files) + 1, seconds=f"{result.seconds:.1f}"), markup=False, highlight=False)
