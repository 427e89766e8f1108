"""`xiaoan sample --out DIR [--seed N] [--scale NAME]`: a synthetic district as the files offices send."""

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
) -> None:
    """Write a synthetic district as the files offices send."""
    from pipelines.sample import write_sample

    if scale not in ("standard", "large"):
        fail(t("cli.bad_choice", lang(), option="--scale", allowed="standard, large", value=scale))
    if fmt not in ("mixed", "csv"):
        fail(t("cli.bad_choice", lang(), option="--format", allowed="mixed, csv", value=fmt))
    summary = write_sample(out, seed=seed, scale=scale, fmt=fmt, end=parse_day(end, "--end") if end else None)
    table = Table(title=t("cli.sample.title", lang(), out=out))
    table.add_column(t("cli.sample.what", lang()))
    table.add_column(t("cli.sample.count", lang()), justify="right")
    for key, value in summary.items():
        table.add_row(t(f"cli.sample.{key}", lang()), str(value))
    console.print(table)
