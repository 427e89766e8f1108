"""`xiaoan ingest [--warehouse PATH] [--report-date YYYY-MM-DD] PATH...`: load ledgers, print per file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import WarehouseOpt, console, err, fail, lang, parse_day

# the table's columns, in order (keys of xiaoan.i18n)
COLUMNS = ("cli.col.file", "cli.col.kind", "cli.col.status", "cli.col.rows", "cli.col.loaded",
           "cli.col.skipped", "cli.col.rejected", "cli.col.message")


def command(
    paths: Annotated[list[Path], typer.Argument(help="ledger files or folders")],
    warehouse: WarehouseOpt = None,
    report_date: Annotated[Optional[str], typer.Option("--report-date", help="date of the ledgers when they carry no 填报日期")] = None,
) -> None:
    """Load the registry and hazard, inspection and meeting ledgers."""
    from pipelines.publish import SchemaError, ingest_files, ledger_files

    target = config.warehouse_path(warehouse)
    day = parse_day(report_date, "--report-date") if report_date else None
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(t("cli.ingest.missing", lang(), path=missing[0]))
    files = ledger_files(paths)
    if not files:
        fail(t("cli.ingest.no_files", lang()))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=len(files) < 5 or not err.is_terminal) as bar:
        task = bar.add_task(t("cli.ingest.reading", lang(), name=""), total=len(files))

        def step(name: str) -> None:
            bar.update(task, advance=1, description=t("cli.ingest.reading", lang(), name=name[:40]))

        try:
            result = ingest_files(files, target, day, progress=step)
        except OSError as exc:
            fail(t("cli.cannot_write", lang(), path=target, reason=exc.strerror or exc))
        except SchemaError as exc:
            fail(t("cli.schema_broken", lang(), detail=exc))
    table = Table(title=t("cli.ingest.title", lang(), target=target), show_lines=False)
    for column in COLUMNS:
        table.add_column(t(column, lang()), overflow="fold")
    for f in result.files:
        kinds = "+".join(t(f"cli.kind.{k}", lang()) for k in f.kinds) or "-"
        status = t(f"cli.status.{f.status}", lang())
        table.add_row(Path(f.file).name, kinds, status, str(f.rows_in), str(f.loaded), str(f.skipped), str(f.rejected), f.message or "")
    console.print(table)
    total = {k: sum(getattr(f, k) for f in result.files) for k in ("rows_in", "loaded", "skipped", "rejected")}
    outcome = t("cli.ingest.published", lang()) if result.published else t("cli.ingest.unchanged", lang())
    console.print(t("cli.ingest.summary", lang(), files=len(result.files), loaded=total["loaded"], skipped=total["skipped"],
                    rejected=total["rejected"], seconds=f"{result.seconds:.1f}", outcome=outcome))
