"""Find a sheet's header row(s) by their names and tell which record kind the sheet holds.

Handles title lines above the header, a header over two rows whose group titles (隐患情况,
整改情况) are merged across the columns beneath them, and columns in any order.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def missing_required(self) -> list[str]:
        return [f for f in self.kind.required if f not in self.fields]


def is_instruction_sheet(name: str | None) -> bool:
    return name is not None and header_key_of(name) in {header_key_of(n) for n in INSTRUCTION_SHEETS}


def detect_header(grid: pl.DataFrame, sheet_name: str | None, kinds: tuple[Kind, ...] = ALL_KINDS) -> Header | None:
    """The best (kind, header rows) for this sheet, or None when no known header is found."""
    top = grid.head(SCAN_ROWS + 1).rows()
    if not top:
        return None
    # Each cell's key once; rows with no known header word cannot start a header.
    keys = [[header_key_of(v) if v is not None and str(v).strip() else "" for v in row] for row in top]
    known = [any(k in _KNOWN_KEYS for k in row) for row in keys]
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
                fields = _match(kind, candidates)
                if not any(f in fields for f in kind.signature) or len(fields) < min(2, len(kind.columns)):
                    continue
                score = len(fields) - 0.01 * span - 0.001 * r
                if kind.registry and sheet_key in _SHEET_KEYS[kind.name]:
                    score += 0.5
                if best is None or score > best[0]:
                    header = Header(kind, r, r + span, {f: grid.columns[i] for f, i in fields.items()}, _labels(top, r, span, grid.columns))
                    best = (score, header)
    return best[1] if best else None


def _match(kind: Kind, candidates: list[list[str]]) -> dict[str, int]:
    fields: dict[str, int] = {}
    for c, keys in enumerate(candidates):
        for key in keys:
            field = kind.field_for(key)
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
