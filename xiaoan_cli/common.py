"""What every subcommand shares: the consoles, the one-line failure, the --warehouse option, and
the language of the messages (Chinese; English with XIAOAN_LANG=en): every message goes through
xiaoan.i18n as t(key, lang(), ...)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from xiaoan import config
from xiaoan.dates import DateError, parse_date
from xiaoan.i18n import t

# Wide when not a terminal: scheduled jobs' logs and mails keep one line per file.
console = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)

lang = config.cli_lang  # the language of every message the command prints

WarehouseOpt = Annotated[Optional[Path], typer.Option("--warehouse", help="warehouse file (default data/warehouse.duckdb or $XIAOAN_WAREHOUSE)")]


def fail(message: str, code: int = 2) -> None:
    """Stop with a one-line reason on stderr."""
    sys.stderr.write(f"xiaoan: {' '.join(message.split())}\n")  # one line, never wrapped
    raise typer.Exit(code)


def parse_day(value: str, option: str) -> dt.date:
    try:
        return parse_date(value)
    except DateError:
        fail(t("cli.bad_date", lang(), option=option, value=value))
        raise  # unreachable


def warn_rules() -> None:
    """Print, one line each on stderr, the Evaluation v2 keys the rules file in force leaves out
    (their defaults are used; SPEC §3). Never fails: a broken file is the command's own concern."""
    from xiaoan.rules import RulesError, load_rules

    try:
        rules = load_rules()
    except RulesError:
        return
    for line in rules.warning_lines(lang()):
        err.print(f"xiaoan: {line}", markup=False, highlight=False, soft_wrap=True)
