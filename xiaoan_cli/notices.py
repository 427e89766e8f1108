"""`xiaoan notices --as-of D [--warehouse PATH] --out DIR [--unit CODE]`: one 督办通知书 (.docx) per
responsible unit holding overdue or 挂牌 hazards (SPEC §5, issue 16). Registered in xiaoan_cli/app.py.
(Being built in issue 16: the body below is replaced by the documents work.)"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from xiaoan_cli.common import WarehouseOpt, fail


def command(
    as_of: Annotated[str, typer.Option("--as-of", help="the as-of date: YYYY-MM-DD, today, yesterday or last-month-end")],
    out: Annotated[Path, typer.Option("--out", help="folder that receives the notices (.docx)")],
    warehouse: WarehouseOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="only this responsible unit's notice (its code)")] = None,
) -> None:
    """Write one 督办通知书 (.docx) per responsible unit with overdue or 挂牌 hazards."""
    fail("xiaoan notices: not built yet")
