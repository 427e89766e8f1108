"""`xiaoan template [--warehouse PATH] --out DIR`: blank ledgers to fill in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import WarehouseOpt, console, fail, lang


def command(
    out: Annotated[Path, typer.Option("--out", help="folder to write the blank ledgers into")],
    warehouse: WarehouseOpt = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite ledgers of the same names in --out")] = False,
) -> None:
    """Write blank ledgers to fill in: registry, hazards, inspections, meetings (.xlsx)."""
    from pipelines.templates import load_choices, template_paths, write_templates

    taken = [p for p in template_paths(out) if p.exists()]
    if taken and not force:
        fail(t("tpl.cli.exists", lang(), path=taken[0]))
    source = config.warehouse_path(warehouse)
    choices = load_choices(source)
    if not choices.has_registry:
        sys.stderr.write(f"xiaoan: {t('tpl.cli.no_registry', lang(), path=source)}\n")  # a note, one line
    try:
        written = write_templates(out, choices=choices)
    except OSError as exc:
        fail(t("cli.cannot_write", lang(), path=out, reason=exc.strerror or exc))
    console.print(t("tpl.cli.wrote", lang(), path=out, files=", ".join(p.name for p in written)), markup=False, highlight=False)
