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
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import catalog
from pipelines.contract import KINDS, Kind, header_key_of
from pipelines.ingest import forms
from pipelines.ingest.context import LoadContext
from pipelines.ingest.headers import Header
from pipelines.ingest.isolate import examine
from pipelines.ingest.judge import ITEM, SheetItem, judge
from pipelines.ingest.load import RAW_TABLE, Offered, duplicate_keys
from pipelines.ingest.readers import Sheet
from pipelines.ingest.registry_rules import REGISTRY_RULES
from pipelines.ingest.resolve import Registry
from pipelines.ingest.rows import ROW
from pipelines.ingest.validate_events import RECORD_RULES
from xiaoan.mapping import Mapping, MappingError
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
    message: str | None = None  # one message for the whole sheet (no school found, …): its rows are rejected
    zero: bool = False  # a zero report (header and no data row, or a 无隐患 line): "no hazards", not rejected
    given: tuple[str, ...] = ()  # fields a line above the table, the title or the file name gives every row

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields a header of this sheet may be mapped to: the contract's fields of its kind."""
        return tuple(c.field for c in KINDS[self.kind].columns)

    @property
    def missing_required(self) -> list[str]:
        """The columns the sheet cannot do without and lacks: required, not derivable (SPEC §2.1),
        and given neither by a column nor by a line above the table."""
        mapped = {h.field for h in self.headers if h.field}
        return [f for f in KINDS[self.kind].needed if f not in mapped and f not in self.given]


@dataclass
class FilePreview:
    name: str
    sha256: str
    sheets: list[SheetPreview] = field(default_factory=list)
    message: str | None = None  # why the file would be rejected whole
    # The unit that sent the file (SPEC §2.1 "The sender": its 填报单位 / 镇 line, a unit in the
    # file's name, else the unit its rows are about), by its registry name; None when unknown
    # (a choice made on the import page is then remembered for the sheet's header row).
    sender: str | None = None

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sheets})

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """(rows_in, loaded, skipped, rejected) over the file's sheets."""
        names = ("rows_in", "loaded", "skipped", "rejected")
        return tuple(sum(getattr(s, name) for s in self.sheets) for name in names)


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
    registry = None
    for seq, item in enumerate(offered):
        examined = examine(item, ctx)
        file = FilePreview(item.name, item.sha256, message=examined.reason)
        out.append(file)
        if examined.sheets and registry is None:
            registry = _live_registry(warehouse)
        for sheet, header in _settled(file, examined.sheets, registry, ctx, base):
            items.append((file, SheetItem(seq + 1, sheet, header, item.default_report_date)))
    if items:
        for kind_name, rules in [*REGISTRY_RULES.items(), *RECORD_RULES.items()]:
            mine = [(file, item) for file, item in items if item.header.kind.name == kind_name]
            if not mine:
                continue
            judged = judge(KINDS[kind_name], [item for _, item in mine], rules, registry, duplicate_keys(kind_name),
                           catalog.raw_not_null(RAW_TABLE[kind_name]), ctx)
            for i, (file, item) in enumerate(mine):
                sheet = _sheet_preview(item.sheet, item.header, judged.accepted.filter(pl.col(ITEM) == i),
                                       judged.rejected.filter(pl.col(ITEM) == i), rows, mapping, base, file.sender)
                sheet.rows_in, sheet.loaded, sheet.skipped, sheet.rejected = judged.counts[i]
                file.sheets.append(sheet)
        for file in out:
            file.sheets.sort(key=lambda s: s.index)
    return Preview(out, mapping.hash)


def _settled(file: FilePreview, sheets: list[tuple[Sheet, Header]], registry: Registry | None,
             ctx: LoadContext, base: Mapping | None) -> list[tuple[Sheet, Header]]:
    """As the load settles a file against the registry (pipelines/ingest/load.py): its sender,
    the school of a sheet that names it only in a line, its title or the file's name; a sheet
    that cannot be read for want of a column gets one message, a zero report is shown as one.
    Returns the sheets whose rows are judged."""
    if registry is None:
        return sheets
    sender, settled = forms.settle_file(file.name, sheets, registry, ctx.mapping)
    file.sender = sender.name if sender is not None else None
    kept = []
    for sheet, header, problem in ((s.sheet, s.header, s.problem) for s in settled):
        if header.zero or problem is not None:
            bad = 0 if header.zero else forms.data_rows(sheet, header)
            file.sheets.append(SheetPreview(
                sheet.name, sheet.index, header.kind.name, header_row_key(sheet, header),
                _header_fields(sheet, header, ctx.mapping, base, file.sender),
                _rows(sheet, header, pl.DataFrame(schema={ROW: pl.Int32}),
                      pl.DataFrame(schema={ROW: pl.Int32, "column": pl.String, "reason": pl.String}), PREVIEW_ROWS,
                      problem),
                rows_in=sheet.grid.height, skipped=sheet.grid.height - bad, rejected=bad,
                message=problem[1] if problem else None, zero=header.zero, given=tuple(header.context)))
            continue
        kept.append((sheet, header))
    return kept


def _live_registry(warehouse: Path) -> Registry:
    """The registry of the published version, read through a read-only attachment (closed at once)."""
    con = open_read_only(warehouse)
    try:
        return Registry.load(con)
    finally:
        con.close()


def header_row_key(sheet: Sheet, header: Header) -> str:
    """The key of a sheet's header row, as ingestion looks a remembered mapping up by it
    (pipelines/ingest/forms.py sheet_key)."""
    return forms.sheet_key(sheet.grid, header.first_row, header.data_start)


def _sheet_preview(sheet: Sheet, header: Header, accepted: pl.DataFrame, rejected: pl.DataFrame, limit: int,
                   mapping: Mapping, base: Mapping | None, sender: str | None) -> SheetPreview:
    return SheetPreview(sheet.name, sheet.index, header.kind.name, header_row_key(sheet, header),
                        _header_fields(sheet, header, mapping, base, sender),
                        _rows(sheet, header, accepted, rejected, limit), given=tuple(header.context))


def _header_fields(sheet: Sheet, header: Header, mapping: Mapping, base: Mapping | None,
                   sender: str | None) -> list[HeaderField]:
    key = header_row_key(sheet, header)
    effective = mapping.header_map(sender, key)
    saved = effective if base is None else base.header_map(sender, key)
    by_column = {column: name for name, column in header.fields.items()}
    return [_header_field(header.kind, column, text, by_column.get(column), effective, saved)
            for column, text in header.labels.items()]


def _header_field(kind: Kind, column: str, text: str, mapped: str | None, effective: dict[str, str],
                  saved: dict[str, str]) -> HeaderField:
    typed = header_key_of(text)  # matched as ingestion matches the mapping's headers
    effective = {header_key_of(h): f for h, f in effective.items()}
    saved = {header_key_of(h): f for h, f in saved.items()}
    if typed in effective:  # the office's mapping (or this page's choice) names it
        source = CHOICE if saved.get(typed) != effective[typed] else MAPPING
        return HeaderField(column, text, mapped, source)
    if mapped is not None:
        return HeaderField(column, text, mapped, CONTRACT if kind.field_for(header_key_of(text)) == mapped else MAPPING)
    return HeaderField(column, text, None, None)


def _rows(sheet: Sheet, header: Header, accepted: pl.DataFrame, rejected: pl.DataFrame, limit: int,
          problem: tuple[str, str] | None = None) -> pl.DataFrame:
    """The first `limit` rows below the header with their outcome: loaded, rejected with the
    reason (the first one, and its column), else skipped (blank, totals, notes). With a
    `problem` (column, message) for the whole sheet, every row holding a cell is rejected by it."""
    reasons = rejected.group_by(ROW, maintain_order=True).agg(
        pl.col("column").first().alias(COLUMN), pl.col("reason").first().alias(REASON))
    grid = sheet.grid.with_columns(sheet.row_numbers().alias(ROW)).slice(header.data_start, limit)
    labels = _unique_labels(header)
    shown = (grid.join(accepted.select(ROW).unique().with_columns(pl.lit(True).alias("__ok")), on=ROW, how="left",
                       maintain_order="left")
             .join(reasons, on=ROW, how="left", maintain_order="left"))
    if problem is not None:
        filled = pl.any_horizontal([pl.col(c).str.strip_chars().str.len_chars() > 0 for c in labels]).fill_null(False)
        shown = shown.with_columns(pl.when(filled).then(pl.lit(problem[0])).alias(COLUMN),
                                   pl.when(filled).then(pl.lit(problem[1])).alias(REASON))
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


# ---- in a process of its own ---------------------------------------------------------------------
# The dashboard reads and loads uploaded files in a child process: the readers send native
# panics' text away from fd 2 while they run (the server must keep its stderr), and a reader
# that crashes takes the child down, not the server.

WORKER_SECONDS = 3600  # a load of the largest files allowed; a child still busy then is stopped
PREVIEW_SECONDS = 900  # reading and judging the files offered; a child still busy then is stopped


class WorkerFailed(RuntimeError):
    """The child process ended without an answer: `reason` is "crash" (it died: `code` is its exit
    status, negative for a signal) or "timeout" (`seconds` passed; it was stopped). `detail` is the
    end of its stderr, for the server's log, not for the page."""

    def __init__(self, reason: str, code: int | None = None, seconds: int | None = None, detail: str = ""):
        super().__init__(f"{reason} (exit {code})" if reason == "crash" else f"{reason} after {seconds} s")
        self.reason, self.code, self.seconds, self.detail = reason, code, seconds, detail


@dataclass
class Loaded:
    """What the import page's load did: ingest_files' result and the 回执 written for it (one
    workbook per sender with rejected rows; none when nothing was published)."""

    result: object  # pipelines.publish.IngestResult
    receipts: list[Path] = field(default_factory=list)
    receipts_error: str | None = None  # why the receipts could not be written (the load stands)


def load_files(paths: list[Path], warehouse: Path, mapping: Path, lang: str) -> Loaded:
    """The import page's load: ingest_files under exactly the office mapping file `mapping` (the
    one the page saved its choices into), then the 回执 of the load, as `xiaoan ingest` does."""
    from pipelines.publish import ingest_files
    from pipelines.publish.receipts import write_receipts

    result = ingest_files(paths, warehouse, mapping=mapping)
    if not result.published:
        return Loaded(result)
    try:
        return Loaded(result, write_receipts(warehouse, result.batch_id, None, lang))
    except OSError as exc:
        return Loaded(result, [], str(exc.strerror or exc))


CALLS = ("preview", "load_files")


def in_worker(call: str, *args, seconds: int | None = None, **kwargs):
    """`preview(...)` or `load_files(...)` run by `python -m pipelines.publish.preview` in a child
    process; its result, or WorkerFailed (the child's stderr goes on to this process's stderr)."""
    assert call in CALLS, call
    limit = seconds or (PREVIEW_SECONDS if call == "preview" else WORKER_SECONDS)
    with tempfile.TemporaryDirectory(prefix="xiaoan-worker-") as tmp:
        request, answer = Path(tmp) / "request.pickle", Path(tmp) / "answer.pickle"
        request.write_bytes(pickle.dumps((call, args, kwargs)))
        try:
            done = subprocess.run([sys.executable, "-m", "pipelines.publish.preview", str(request), str(answer)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=limit)
        except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child
            detail = (exc.stderr or b"").decode("utf-8", "replace")[-2000:]
            _log(detail)
            raise WorkerFailed("timeout", seconds=limit, detail=detail) from exc
        detail = done.stderr.decode("utf-8", "replace")[-2000:]
        _log(detail)
        if done.returncode != 0 or not answer.exists():
            raise WorkerFailed("crash", code=done.returncode, detail=detail)
        ok, value = pickle.loads(answer.read_bytes())
        if not ok:  # the office's mapping could not be used: its message is for the page
            raise value
        return value


def _log(detail: str) -> None:
    """The child's stderr (a panic's text, a traceback) to the server's log."""
    if detail.strip():
        print(f"[xiaoan import worker] {detail.rstrip()}", file=sys.stderr, flush=True)


def _worker_main(request: str, answer: str) -> None:
    from pipelines.publish import preview as module  # not __main__'s copy: its classes pickle by their module's name

    call, args, kwargs = pickle.loads(Path(request).read_bytes())  # written by in_worker, in a private folder
    fn = {"preview": module.preview, "load_files": module.load_files}[call]
    try:
        out = (True, fn(*args, **kwargs))
    except MappingError as exc:
        out = (False, MappingError(str(exc)))
    Path(answer).write_bytes(pickle.dumps(out))


if __name__ == "__main__":
    _worker_main(*sys.argv[1:3])
