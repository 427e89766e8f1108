"""What a load would do with some files, without loading them (导入台账 preview): each file read,
guarded and its sheets' kinds found exactly as ingestion does (pipelines/ingest/isolate.py
`examine`), every sheet judged by the same rules against the live registry, opened read-only
(a published version is never locked: a load going on meanwhile is not blocked, and this
preview reads the version published when it started). Nothing is written.

For each file and sheet: the kind found, every header as typed with the field it maps to (None
when the contract does not know it, or the office chose to ignore it) and where that came from,
and the rows — loaded, skipped or rejected with the reason — the first `rows` of them shown,
counted over all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import catalog
from pipelines.contract import KINDS, Kind, header_key_of
from pipelines.ingest.context import LoadContext
from pipelines.ingest.headers import Header
from pipelines.ingest.isolate import examine
from pipelines.ingest.judge import ITEM, SheetItem, judge
from pipelines.ingest.load import RAW_TABLE, RECORD_KEYS, Offered
from pipelines.ingest.readers import Sheet
from pipelines.ingest.registry_rules import REGISTRY_KEYS, REGISTRY_RULES
from pipelines.ingest.resolve import Registry
from pipelines.ingest.rows import ROW
from pipelines.ingest.validate_events import RECORD_RULES
from xiaoan.mapping import Mapping
from xiaoan.rules import load_rules
from xiaoan.warehouse import open_read_only

PREVIEW_ROWS = 200  # rows of a sheet shown; the counts cover them all

# Where a header's field came from.
CONTRACT, MAPPING, CHOICE = "contract", "mapping", "choice"
# A row's outcome.
LOADED, SKIPPED, REJECTED = "loaded", "skipped", "rejected"

STATUS, REASON, COLUMN = "__status", "__reason", "__column"  # the outcome columns of SheetPreview.rows


@dataclass(frozen=True)
class HeaderField:
    """One column of a sheet: its header as typed, the field it maps to (None: not loaded)."""

    column: str  # the grid column (c0, c1, …)
    text: str
    field: str | None
    source: str | None  # CONTRACT / MAPPING / CHOICE, None when unknown


@dataclass
class SheetPreview:
    name: str | None  # None for a CSV
    index: int
    kind: str
    sheet_key: str  # the header row's key (the office mapping remembers a choice under it)
    headers: list[HeaderField]
    rows: pl.DataFrame  # ROW, STATUS, COLUMN, REASON, then the cells under their typed headers
    rows_in: int = 0
    loaded: int = 0
    skipped: int = 0
    rejected: int = 0

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields a header of this sheet may be mapped to: the contract's fields of its kind."""
        return tuple(c.field for c in KINDS[self.kind].columns)

    @property
    def missing_required(self) -> list[str]:
        mapped = {h.field for h in self.headers if h.field}
        return [f for f in KINDS[self.kind].required if f not in mapped]


@dataclass
class FilePreview:
    name: str
    sha256: str
    sheets: list[SheetPreview] = field(default_factory=list)
    message: str | None = None  # why the file would be rejected whole
    # The unit that sent the file (SPEC §2.1 "The sender"). The readers of real layouts
    # (pipelines/ingest, issue 14) find it from the 填报单位 / 镇 line or the file name; until
    # `examine` reports it, it is None and a remembered mapping is keyed by the header row.
    sender: str | None = None

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sheets})

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """(rows_in, loaded, skipped, rejected) over the file's sheets."""
        return tuple(sum(getattr(s, name) for s in self.sheets) for name in ("rows_in", "loaded", "skipped", "rejected"))


@dataclass
class Preview:
    files: list[FilePreview]
    mapping_hash: str


def preview(warehouse: Path, files: list[tuple[str, bytes]], mapping: Mapping, report_date: dt.date | None = None,
            *, base: Mapping | None = None, rows: int = PREVIEW_ROWS) -> Preview:
    """What loading `files` (name, content) under `mapping` would do, as of the live registry of
    `warehouse`. `base` is the office's mapping as saved: a header `mapping` maps otherwise is
    marked as the import page's CHOICE. Nothing is written."""
    ctx = LoadContext(rules=load_rules(), mapping=mapping)
    today = dt.date.today()
    offered = [Offered(name, data, report_date, report_date or today, seq) for seq, (name, data) in enumerate(files)]
    out: list[FilePreview] = []
    items: list[tuple[FilePreview, SheetItem]] = []
    for seq, item in enumerate(offered):
        examined = examine(item)
        file = FilePreview(item.name, item.sha256, message=examined.reason)
        out.append(file)
        for sheet, header in examined.sheets:
            items.append((file, SheetItem(seq + 1, sheet, header, item.default_report_date)))
    if items:
        registry = _live_registry(warehouse)
        for kind_name, rules in [*REGISTRY_RULES.items(), *RECORD_RULES.items()]:
            mine = [(file, item) for file, item in items if item.header.kind.name == kind_name]
            if not mine:
                continue
            keys = RECORD_KEYS.get(kind_name) or ((REGISTRY_KEYS[kind_name],) if REGISTRY_KEYS.get(kind_name) else None)
            judged = judge(KINDS[kind_name], [item for _, item in mine], rules, registry, keys,
                           catalog.raw_not_null(RAW_TABLE[kind_name]), ctx)
            for i, (file, item) in enumerate(mine):
                sheet = _sheet_preview(item.sheet, item.header, judged.accepted.filter(pl.col(ITEM) == i),
                                       judged.rejected.filter(pl.col(ITEM) == i), rows, mapping, base, file.sender)
                sheet.rows_in, sheet.loaded, sheet.skipped, sheet.rejected = judged.counts[i]
                file.sheets.append(sheet)
        for file in out:
            file.sheets.sort(key=lambda s: s.index)
    return Preview(out, mapping.hash)


def _live_registry(warehouse: Path) -> Registry:
    """The registry of the published version, read through a read-only attachment (closed at once)."""
    con = open_read_only(warehouse)
    try:
        return Registry.load(con)
    finally:
        con.close()


def header_row_key(header: Header) -> str:
    """The key of a sheet's header row: its typed headers' keys in order (how the office mapping
    remembers a choice made for a sheet whose sender is not known)."""
    return "|".join(header_key_of(header.labels[c]) for c in header.labels)


def _sheet_preview(sheet: Sheet, header: Header, accepted: pl.DataFrame, rejected: pl.DataFrame, limit: int,
                   mapping: Mapping, base: Mapping | None, sender: str | None) -> SheetPreview:
    key = header_row_key(header)
    effective = mapping.header_map(sender, key)
    saved = effective if base is None else base.header_map(sender, key)
    by_column = {column: name for name, column in header.fields.items()}
    headers = [_header_field(header.kind, column, text, by_column.get(column), effective, saved)
               for column, text in header.labels.items()]
    return SheetPreview(sheet.name, sheet.index, header.kind.name, key, headers,
                        _rows(sheet, header, accepted, rejected, limit))


def _header_field(kind: Kind, column: str, text: str, mapped: str | None, effective: dict[str, str],
                  saved: dict[str, str]) -> HeaderField:
    typed = text.strip()
    if typed in effective:  # the office's mapping (or this page's choice) names it
        source = CHOICE if saved.get(typed) != effective[typed] else MAPPING
        return HeaderField(column, text, mapped, source)
    if mapped is not None:
        return HeaderField(column, text, mapped, CONTRACT if kind.field_for(header_key_of(text)) == mapped else MAPPING)
    return HeaderField(column, text, None, None)


def _rows(sheet: Sheet, header: Header, accepted: pl.DataFrame, rejected: pl.DataFrame, limit: int) -> pl.DataFrame:
    """The first `limit` rows below the header with their outcome: loaded, rejected with the
    reason (the first one, and its column), else skipped (blank, totals, notes)."""
    reasons = rejected.group_by(ROW, maintain_order=True).agg(
        pl.col("column").first().alias(COLUMN), pl.col("reason").first().alias(REASON))
    grid = sheet.grid.with_columns(sheet.row_numbers().alias(ROW)).slice(header.data_start, limit)
    labels = _unique_labels(header)
    shown = (grid.join(accepted.select(ROW).unique().with_columns(pl.lit(True).alias("__ok")), on=ROW, how="left",
                       maintain_order="left")
             .join(reasons, on=ROW, how="left", maintain_order="left"))
    status = (pl.when(pl.col(REASON).is_not_null()).then(pl.lit(REJECTED))
              .when(pl.col("__ok").fill_null(False)).then(pl.lit(LOADED)).otherwise(pl.lit(SKIPPED)))
    return shown.select(pl.col(ROW), status.alias(STATUS), pl.col(COLUMN), pl.col(REASON),
                        *[pl.col(c).alias(label) for c, label in labels.items()])


def _unique_labels(header: Header) -> dict[str, str]:
    """Grid column → its typed header, made unique (a header typed twice gets _2)."""
    seen: dict[str, int] = {}
    out = {}
    for column, text in header.labels.items():
        seen[text] = seen.get(text, 0) + 1
        out[column] = text if seen[text] == 1 else f"{text}_{seen[text]}"
    return out
