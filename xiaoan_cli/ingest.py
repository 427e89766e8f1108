"""`xiaoan ingest [--warehouse PATH] [--report-date YYYY-MM-DD] [--mapping PATH] [--receipts DIR] PATH...`:
load ledgers, print per file its kind, its counts and its most frequent reasons (never "loaded"
for a file of which no row was loaded: all rejected, a zero report, a duplicate say so), and
write a 回执 workbook for every sender with rejected rows (pipelines/publish/receipts.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xiaoan import config
from xiaoan.i18n import t
from xiaoan.rules import RulesError
from xiaoan_cli.common import WarehouseOpt, console, err, fail, lang, parse_day, warn_rules

# the table's columns, in order (keys of xiaoan.i18n)
COLUMNS = ("cli.col.file", "cli.col.kind", "cli.col.status", "cli.col.rows", "cli.col.loaded",
           "cli.col.skipped", "cli.col.rejected", "cli.col.message")


def command(
    paths: Annotated[list[Path], typer.Argument(help="ledger files or folders")],
    warehouse: WarehouseOpt = None,
    report_date: Annotated[Optional[str], typer.Option("--report-date", help="date of the ledgers when they carry no 填报日期")] = None,
    mapping: Annotated[Optional[Path], typer.Option(
        "--mapping", help="the office's mapping file (default: mapping.toml beside the warehouse, or $XIAOAN_MAPPING)")] = None,
    receipts: Annotated[Optional[Path], typer.Option(
        "--receipts", help="folder for the 回执 workbooks (default: receipts/<load>/ beside the warehouse)")] = None,
) -> None:
    """Load the registry and hazard, inspection and meeting ledgers."""
    from pipelines.publish import ZERO_REPORT, MappingError, SchemaError, ingest_files, ledger_files
    from pipelines.publish.receipts import write_receipts

    target = config.warehouse_path(warehouse)
    warn_rules()
    day = parse_day(report_date, "--report-date") if report_date else None
    missing = [str(p) for p in paths if not p.exists()]
    if mapping is not None and not mapping.is_file():
        missing.append(str(mapping))
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
            result = ingest_files(files, target, day, progress=step, mapping=mapping)
        except OSError as exc:
            fail(t("cli.cannot_write", lang(), path=target, reason=exc.strerror or exc))
        except SchemaError as exc:
            fail(t("cli.schema_broken", lang(), detail=exc))
        except MappingError as exc:
            fail(t("cli.ingest.mapping_broken", lang(), detail=str(exc).splitlines()[0]))
        except RulesError as exc:  # derived values follow the rules file: none are guessed without it
            fail(t("cli.rules_broken", lang(), detail=str(exc).splitlines()[0]))
    table = Table(title=t("cli.ingest.title", lang(), target=target), show_lines=False)
    for column in COLUMNS:
        table.add_column(t(column, lang()), overflow="fold")
    for f in result.files:
        kinds = "+".join(t(f"cli.kind.{k}", lang()) for k in f.kinds) or "-"
        message = f.message or (t("cli.ingest.zero_report_note", lang()) if f.status == ZERO_REPORT else "")
        table.add_row(Path(f.file).name, kinds, t(f"cli.status.{shown_status(f)}", lang()), str(f.rows_in), str(f.loaded),
                      str(f.skipped), str(f.rejected), message)
    console.print(table)
    for f, outcome in zip(result.files, result.outcomes):
        if outcome.reasons and f.status != "rejected":  # (a file rejected whole: its reason is its message)
            console.print(Path(f.file).name + t("cli.ingest.top_reasons", lang(), reasons="；".join(
                t("cli.ingest.reason_count", lang(), reason=r, n=n) for r, n in outcome.reasons)),
                markup=False, highlight=False, soft_wrap=True)  # one line per file, however long
    total = {k: sum(getattr(f, k) for f in result.files) for k in ("rows_in", "loaded", "skipped", "rejected")}
    outcome = t("cli.ingest.published", lang()) if result.published else t("cli.ingest.unchanged", lang())
    console.print(t("cli.ingest.summary", lang(), files=len(result.files), loaded=total["loaded"], skipped=total["skipped"],
                    rejected=total["rejected"], seconds=f"{result.seconds:.1f}", outcome=outcome))
    if result.published:
        try:
            written = write_receipts(target, result.batch_id, receipts, lang())
        except OSError as exc:
            err.print(t("cli.ingest.receipts_failed", lang(), reason=exc.strerror or exc), markup=False, highlight=False)
            written = []
        if written:
            console.print(t("cli.ingest.receipts", lang(), n=len(written)), markup=False, highlight=False)
            for path in written:
                console.print(f"  {path}", markup=False, highlight=False, soft_wrap=True)


def shown_status(f) -> str:
    """What the table says of a file: never "loaded" when no row of it was (SPEC §2.1; the load
    already says so: pipelines.publish.batch._mark_zero_reports)."""
    if f.status != "loaded" or f.loaded:
        return f.status
    return "all_rejected" if f.rejected else "nothing"
