"""Blank ledgers to fill in (`xiaoan template`): 基础信息表.xlsx (registry), 隐患台账.xlsx (hazards),
检查记录.xlsx (inspections) and 会议记录.xlsx (meetings).

    from pipelines.templates import write_templates
    paths = write_templates(Path("templates"), warehouse=Path("data/warehouse.duckdb"))

Each has the contract's Chinese headers (pipelines/contract.py, the one source of column names),
required columns in red, dates formatted as dates, a hint on every column, dropdowns for the
vocabularies (category, level, status, school type, ownership, inspection and meeting type,
meeting level) and — when the warehouse holds a registry — for its towns, schools and member
units, a 填表说明 sheet, and the lists on a hidden 下拉列表 sheet. Any value picked from a
dropdown loads: the lists are written the way ingestion resolves them (choices.py).

Modules: choices (what the dropdowns offer), layout (what each ledger and column holds),
workbook (the xlsxwriter writer).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from pipelines.templates.choices import Choices, load_choices
from pipelines.templates.layout import LEDGERS, Ledger
from pipelines.templates.workbook import write_ledger

__all__ = ["Choices", "LEDGERS", "Ledger", "load_choices", "template_paths", "write_templates"]


def template_paths(out: Path) -> list[Path]:
    """The files write_templates writes into `out`."""
    return [Path(out) / ledger.file for ledger in LEDGERS]


def write_templates(out: Path, warehouse: Path | None = None, choices: Choices | None = None,
                    lang: str = "zh", today: dt.date | None = None) -> list[Path]:
    """Write every blank ledger into `out` (created if needed; files of the same names are
    replaced, each in one step) and return their paths. The registry lists come from
    `warehouse` when it exists, or from `choices` when given."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    choices = choices or load_choices(warehouse)
    written = []
    for ledger in LEDGERS:
        target = out / ledger.file
        work = out / f".{ledger.file}.tmp-{uuid.uuid4().hex[:8]}"
        try:
            write_ledger(work, ledger, choices, lang, today)
            os.replace(work, target)
        finally:
            work.unlink(missing_ok=True)
        written.append(target)
    return written
