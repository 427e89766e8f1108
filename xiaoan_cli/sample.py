"""`xiaoan sample --out DIR [--seed N] [--scale NAME] [--districts N]`: a synthetic district as the
files offices send; with --districts, a sample city of N small districts in DIR/<区代码>/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from xiaoan.i18n import t
from xiaoan_cli.common import console, fail, lang, parse_day


def command(
    out: Annotated[Path, typer.Option("--out", help="folder to write the synthetic district into")],
    seed: Annotated[int, typer.Option("--seed")] = 2026,
    scale: Annotated[str, typer.Option("--scale", help="standard or large")] = "standard",
    fmt: Annotated[str, typer.Option("--format", help="mixed (xlsx, xls, csv) or csv")] = "mixed",
    end: Annotated[Optional[str], typer.Option("--end", help="last day covered, YYYY-MM-DD (default: end of last month)")] = None,
    districts: Annotated[Optional[int], typer.Option(
        "--districts", help="write a sample city of N small districts (different names, 区代码 and sizes), "
                            "each in DIR/<区代码>/; --scale is not used then")] = None,
) -> None:
    """Write a synthetic district (or, with --districts, a city of them) as the files offices send."""
    from pipelines.sample import names, write_city, write_sample

    if scale not in ("standard", "large"):
        fail(t("cli.bad_choice", lang(), option="--scale", allowed="standard, large", value=scale))
    if fmt not in ("mixed", "csv"):
        fail(t("cli.bad_choice", lang(), option="--format", allowed="mixed, csv", value=fmt))
    last = parse_day(end, "--end") if end else None
    if districts is not None:
        most = len(names.CITY_DISTRICTS)
        if not 1 <= districts <= most:
            fail(t("city.sample.bad_count", lang(), most=most, value=districts))
        _city(write_city(out, districts, seed=seed, fmt=fmt, end=last), out)
        return
    summary = write_sample(out, seed=seed, scale=scale, fmt=fmt, end=last)
    table = Table(title=t("cli.sample.title", lang(), out=out))
    table.add_column(t("cli.sample.what", lang()))
    table.add_column(t("cli.sample.count", lang()), justify="right")
    for key, value in summary.items():
        table.add_row(t(f"cli.sample.{key}", lang()), str(value))
    console.print(table)


def _city(written: list[dict], out: Path) -> None:
    table = Table(title=t("city.sample.title", lang(), count=len(written), out=out))
    columns = ("code", "district", "folder", "towns", "schools", "hazard_reports", "files")
    for column in columns:
        table.add_column(t(f"city.sample.{column}", lang()), justify="right" if column in columns[3:] else "left")
    for row in written:
        table.add_row(*[str(row[c]) for c in columns])
    console.print(table)
