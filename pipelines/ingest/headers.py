"""Find a sheet's header row(s) by their names and tell which record kind the sheet holds.

Handles title lines above the header, a header over two rows whose group titles (隐患情况,
整改情况) are merged across the columns beneath them, and columns in any order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pipelines.contract import ALL_KINDS, INSTRUCTION_SHEETS, Kind, header_key_of
from xiaoan.i18n import t

SCAN_ROWS = 30  # the header must start within the first rows of a sheet


@dataclass
class Header:
    kind: Kind
    first_row: int  # grid index of the first header row
    data_start: int  # grid index of the first row below the header
    fields: dict[str, str]  # contract field → grid column
    labels: dict[str, str]  # grid column → header text as typed (for the raw cells)
    # SPEC §2.1: field → value for the fields the table lacks, from a line above or below it
    # (学校：…, 检查时间：…), the title or the file name; applied to every row of the sheet.
    context: dict[str, str] = field(default_factory=dict)
    # Text a school or town may be named in when neither a column nor a line names it: the
    # title, the sheet's name and the file's name (settled against the registry at load time).
    hints: tuple[str, ...] = ()
    form: str = "table"  # table / checklist / label_cells (pipelines/ingest/forms.py)
    zero: bool = False  # a zero report: the header and no data row, or a 无隐患 line
    # The last grid row of the table (exclusive), when lines follow it below; None = to the end.
    data_end: int | None = None
    # The clerk's rows this sheet accounts for, when it is a form's synthetic sheet (a checklist's
    # one-row inspection stands for its sheet's rows that are not problem rows); None = its grid.
    rows_in: int | None = None
    # What the sheet's reading could not decide and leaves for a look (a questionnaire's answer
    # whose bad box the question does not tell): rows (row, column, message, value) written to
    # raw_warnings at load; None = nothing.
    warnings: pl.DataFrame | None = None
    # Fields whose value neither a column nor a line gave, but the title, the sheet's or file's
    # name or the sender (settled at load: forms.settle); rules mark them derived.
    guessed: tuple[str, ...] = ()

    @property
    def missing_required(self) -> list[str]:
        return [f for f in self.kind.required if f not in self.fields]


def is_instruction_sheet(name: str | None) -> bool:
    return name is not None and header_key_of(name) in {header_key_of(n) for n in INSTRUCTION_SHEETS}


def detect_header(grid: pl.DataFrame, sheet_name: str | None, kinds: tuple[Kind, ...] = ALL_KINDS,
                  office: dict[str, str] | None = None) -> Header | None:
    """The best (kind, header rows) for this sheet, or None when no known header is found.
    `office` is the office's mapping (header key → field, `kind.field`, or "" to ignore the
    column): it is applied before the contract's aliases."""
    top = grid.head(SCAN_ROWS + 1).rows()
    if not top:
        return None
    office = office or {}
    # Each cell's key once; rows with no known header word cannot start a header.
    keys = [[header_key_of(v) if v is not None and str(v).strip() else "" for v in row] for row in top]
    known = [any(k in _KNOWN_KEYS or k in office for k in row) for row in keys]
    sheet_key = header_key_of(sheet_name) if sheet_name else ""
    best: tuple[float, Header] | None = None
    for r in range(min(SCAN_ROWS, len(top))):
        if not known[r] and not (r + 1 < len(top) and known[r + 1]):
            continue
        for span in (1, 2):
            if r + span > len(top):
                continue
            # Per column: the lower row's word first, then the upper's (a merged group title).
            candidates = [[keys[r + k][c] for k in reversed(range(span)) if keys[r + k][c]] for c in range(len(top[r]))]
            for kind in kinds:
                fields = _match(kind, candidates, office)
                if not is_evidence(kind, fields):
                    continue
                score = len(fields) - 0.01 * span - 0.001 * r
                if kind.registry and sheet_key in _SHEET_KEYS[kind.name]:
                    score += 0.5
                if best is None or score > best[0]:
                    header = Header(kind, r, r + span, {f: grid.columns[i] for f, i in fields.items()}, _labels(top, r, span, grid.columns))
                    best = (score, header)
    return best[1] if best else None


def is_evidence(kind: Kind, fields: dict) -> bool:
    """Whether the columns found say the sheet is of this kind: one of the kind's signature
    columns and at least two of its columns — for hazards, a description-like column stands
    for the signature (most offices' ledgers have neither 隐患编号 nor 隐患等级: SPEC §2.1), so
    a register with only 序号 and 责任人 is no hazard ledger."""
    signature = (*kind.signature, "description") if kind.name == "hazards" else kind.signature
    return any(f in fields for f in signature) and len(fields) >= min(2, len(kind.columns))


def office_field(kind: Kind, key: str, office: dict[str, str]) -> str | None:
    """The field the office's mapping gives a header key for this kind: "" = ignore the column,
    None = the mapping says nothing (or names another kind's field)."""
    if key not in office:
        return None
    target = office[key]
    if target == "":
        return ""
    name, dot, fld = target.partition(".")
    if dot and name != kind.name:
        return None
    fld = fld if dot else target
    return fld if any(c.field == fld for c in kind.columns) else None


def _match(kind: Kind, candidates: list[list[str]], office: dict[str, str] | None = None) -> dict[str, int]:
    fields: dict[str, int] = {}
    for c, keys in enumerate(candidates):
        for key in keys:
            field = office_field(kind, key, office) if office else None
            if field == "":
                break  # the office ignores this column
            field = field or kind.field_for(key)
            if field is not None:
                fields.setdefault(field, c)
                break
    return fields


_KNOWN_KEYS = {header_key_of(n) for kind in ALL_KINDS for col in kind.columns for n in (col.zh, col.field, *col.aliases)}
_SHEET_KEYS = {kind.name: {header_key_of(n) for n in kind.sheet_names} for kind in ALL_KINDS}


def _labels(top: list[tuple], r: int, span: int, columns: list[str]) -> dict[str, str]:
    labels = {}
    for c, name in enumerate(columns):
        parts = [str(top[r + k][c]).strip() for k in range(span) if top[r + k][c] is not None and str(top[r + k][c]).strip()]
        labels[name] = parts[-1] if parts else t("ingest.header.nth_column", number=c + 1)
    return labels
