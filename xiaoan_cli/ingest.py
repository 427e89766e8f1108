"""`xiaoan ingest [--warehouse PATH] [--report-date YYYY-MM-DD] PATH...`: load ledgers, print per file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import WarehouseOpt, console, err, fail, parse_day


def command(
    paths: Annotated[list[Path], typer.Argument(help="ledger files or folders")],
    warehouse: WarehouseOpt = None,
    report_date: Annotated[Optional[str], typer.Option("--report-date", help="date of the ledgers when they carry no 填报日期")] = None,
) -> None:
    """Load the registry and hazard, inspection and meeting ledgers."""
    from pipelines.ingest.load import expand
    from pipelines.publish import ingest as run_ingest

    target = config.warehouse_path(warehouse)
    day = parse_day(report_date, "--report-date") if report_date else None
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {missing[0]}")
    files = expand(paths)
    if not files:
        fail("no .xlsx, .xls or .csv files found in the given paths")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=len(files) < 5 or not err.is_terminal) as bar:
        task = bar.add_task("读取 reading", total=len(files))

        def step(name: str) -> None:
            bar.update(task, advance=1, description=f"读取 {name[:40]}")

        try:
            result = run_ingest(paths, target, day, progress=step)
        except OSError as exc:
            fail(f"cannot write the warehouse {target}: {exc}")
    table = Table(title=f"xiaoan ingest → {target}", show_lines=False)
    for column in ("file", "kind", "status", "rows", "loaded", "skipped", "rejected", "message"):
        table.add_column(column, overflow="fold")
    for f in result.files:
        kinds = "+".join(t(f"cli.kind.{k}") for k in f.kinds) or "-"
        table.add_row(Path(f.file).name, kinds, f.status, str(f.rows_in), str(f.loaded), str(f.skipped), str(f.rejected), f.message or "")
    console.print(table)
    total = {k: sum(getattr(f, k) for f in result.files) for k in ("rows_in", "loaded", "skipped", "rejected")}
    console.print(
        f"{len(result.files)} files: {total['loaded']} rows loaded, {total['skipped']} skipped, {total['rejected']} rejected "
        f"in {result.seconds:.1f} s; {'published a new version' if result.published else 'nothing new: warehouse unchanged'}."
    )
