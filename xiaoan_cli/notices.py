"""`xiaoan notices --as-of D [--warehouse PATH] --out DIR [--unit CODE]`: one 督办通知书 (.docx) per
responsible unit holding overdue or 挂牌 hazards (SPEC §5, issue 16). Registered in xiaoan_cli/app.py.

Prints the notices written (unit, notice number, hazards, file) and a summary. Exit 0 when the
notices were written (or no unit holds such a hazard: nothing to write); 1 when `--unit` names a
unit that holds none; 2 with a one-line reason when they cannot be written (a bad date, no or an
outdated warehouse, an unknown unit, a broken template, pattern or rules file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from xiaoan import config
from xiaoan.dates import DateError, parse_date
from xiaoan.i18n import t
from xiaoan.labels import day_label
from xiaoan_cli.common import WarehouseOpt, console, fail, lang, warn_rules


def command(
    as_of: Annotated[str, typer.Option("--as-of", help="the as-of date: YYYY-MM-DD, today, yesterday or "
                                                       "last-month-end")],
    out: Annotated[Path, typer.Option("--out", help="folder that receives the notices (.docx)")],
    warehouse: WarehouseOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="only this responsible unit's notice (its "
                                                              "code)")] = None,
) -> None:
    """Write one 督办通知书 (.docx) per responsible unit with overdue or 挂牌 hazards."""
    # Imported here: polars, DuckDB and docxtpl would otherwise load for every `xiaoan` command.
    from pipelines.publish.notices import NoticesError, issue_notices

    try:
        day = parse_date(as_of, keywords=True)
    except DateError:
        fail(t("cli.bad_date", lang(), option="--as-of", value=as_of))
        raise  # unreachable
    target = config.warehouse_path(warehouse)
    warn_rules()
    try:
        written = issue_notices(target, day, out, unit.strip() if unit else None)
    except NoticesError as exc:
        fail(exc.message(lang()))
        raise  # unreachable
    if not written:
        if unit:
            fail(t("notices.unit_none", lang(), as_of=day_label(day, lang()), unit=unit), code=1)
        console.print(t("notices.none", lang(), as_of=day_label(day, lang())), markup=False, highlight=False)
        return
    table = Table(title=t("notices.title", lang(), path=out))
    for key, justify in (("unit", "left"), ("kind", "left"), ("number", "left"), ("hazards", "right"),
                         ("file", "left")):
        table.add_column(t(f"notices.col.{key}", lang()), justify=justify)
    for notice in written:
        table.add_row(notice.unit_name, t(f"kind.{notice.unit_kind}", lang()), notice.notice_no, str(notice.hazards),
                      notice.path.name)
    console.print(table)
    console.print(t("notices.wrote", lang(), count=len(written), hazards=sum(n.hazards for n in written),
                    as_of=day_label(day, lang()), path=out), markup=False, highlight=False)
