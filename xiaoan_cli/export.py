"""`xiaoan export --as-of DATE|today|yesterday|last-month-end [--start D --end D] [--warehouse PATH] --out DIR [--keep N] [--no-mask]
[--lake PATH]`: the typer command (registered in xiaoan_cli/app.py).
Exit 0 when the snapshot was written (and, with --lake, committed to the lake); non-zero with a one-line reason
when it could not run. --lake refuses a registry without 区代码 before anything is written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from pipelines.contract import is_district_code
from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import fail, lang, warn_rules


def command(
    as_of: Annotated[str, typer.Option("--as-of", help="the as-of date A: YYYY-MM-DD, today, yesterday or last-month-end")],
    out: Annotated[Path, typer.Option("--out", help="folder that receives the dated snapshot folder DIR/<as-of>/")],
    start: Annotated[Optional[str], typer.Option("--start", help="first day of the period (default: 1 January of A's year)")] = None,
    end: Annotated[Optional[str], typer.Option("--end", help="last day of the period (default and at most: A)")] = None,
    warehouse: Annotated[Optional[Path], typer.Option("--warehouse", help="warehouse file (default data/warehouse.duckdb or $XIAOAN_WAREHOUSE)")] = None,
    keep: Annotated[Optional[int], typer.Option("--keep", help="afterwards keep only the newest N dated snapshots in --out (DIR/latest always names the newest)")] = None,
    mask: Annotated[bool, typer.Option("--mask/--no-mask", help="mask the names and phone numbers of members and liaisons (default); --no-mask writes them in full")] = True,
    lake: Annotated[Optional[Path], typer.Option("--lake", help="also write the snapshot's tables (without people's names) into the city's lake PATH/<table>/district=<区代码>/as_of=<date>/ (the registry must hold 区代码)")] = None,
) -> None:
    """Write the dated snapshot: Parquet tables, report.xlsx, report.html, manifest.json."""
    # Imported here: polars and DuckDB would otherwise load for every `xiaoan` command (serve too).
    from pipelines.export.snapshot import ExportError, export_snapshot

    warn_rules()
    path = config.warehouse_path(warehouse)
    district = _registry_district(path) if lake is not None else None
    # --lake needs the registry's 区代码: refused before anything is written, also when the warehouse
    # has no 区 row at all (a missing warehouse is the export's to report: it writes nothing either)
    if lake is not None and path.is_file() and (district is None or not is_district_code(district[1])):
        fail(t("city.lake.no_code", lang(), lake=lake))
    try:
        result = export_snapshot(path, as_of, start, end, out, keep=keep, mask_personal=mask)
    except ExportError as exc:
        fail(exc.message(lang()))
    console = Console(width=None if sys.stdout.isatty() else 200)
    table = Table(title=t("cli.export.title", lang(), path=result.path))
    table.add_column(t("cli.export.table", lang()))
    table.add_column(t("cli.export.rows", lang()), justify="right")
    for name, rows in result.row_counts.items():
        table.add_row(name, str(rows))
    console.print(table)
    console.print(t("cli.export.wrote", lang(), path=result.path, as_of=result.as_of, start=result.period[0], end=result.period[1],
                    files=len(result.files) + 1, seconds=f"{result.seconds:.1f}"), markup=False, highlight=False)
    if lake is not None:
        _write_lake(lake, result, district)


def _registry_district(warehouse: Path) -> tuple[str, str | None] | None:
    """The registry's (区名称, 区代码) as the warehouse holds them; None when it cannot tell (no
    readable warehouse, no registry: the export says why). 区代码 is None in a warehouse without it."""
    import duckdb

    from xiaoan.warehouse import open_read_only

    if not Path(warehouse).is_file():
        return None
    try:
        con = open_read_only(warehouse)
    except duckdb.Error:
        return None
    try:
        frame = con.sql("select * from district limit 1").pl()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if frame.height == 0:
        return None
    row = frame.row(0, named=True)
    return row["district_name"], row.get("district_code")


def _write_lake(lake: Path, result, district: tuple[str, str | None] | None) -> None:
    from pipelines.lake.write import LakeError, write_partition

    if district is None or not is_district_code(district[1]):
        fail(t("city.lake.no_code", lang(), lake=lake))
    try:
        part = write_partition(lake, result.path, district[1], district[0], result.as_of)
    except LakeError as exc:
        fail(exc.message(lang()))
    except OSError as exc:
        fail(t("city.lake.cannot_write", lang(), lake=lake, detail=exc.strerror or exc))
    Console(width=None if sys.stdout.isatty() else 200).print(
        t("city.lake.wrote", lang(), lake=lake, district=part.district_name, code=part.district_code,
          as_of=part.as_of, version=part.version, tables=len(part.files)), markup=False, highlight=False)
