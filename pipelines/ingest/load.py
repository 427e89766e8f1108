"""One ingestion batch, inside one connection: files → sheets → kinds → checked rows → raw tables
and the ingest log (pipelines/publish builds the models over them and publishes the version).

Every row of every data sheet ends in exactly one place: loaded, skipped (title, header,
blank, totals, notes) or rejected with its reason. The registry is loaded before the records
of the same batch. A file whose content was loaded before is not loaded again.

Every offered file is read, guarded and its sheets' kinds found on its own
(pipelines/ingest/isolate.py): whatever happens to one file — there or while its rows are
checked and inserted here — ends as that file's "rejected whole" with a reason, and the other
files go on. A load holds at most limits.MAX_HELD_CELLS cells of
ledgers at once: the files past that budget are read again, in groups under it, after the
first group is loaded (the registry files are always in the first group).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines import catalog
from pipelines.contract import KINDS
from pipelines.ingest import arrow, forms, limits
from pipelines.ingest.context import LoadContext
from pipelines.ingest.headers import Header, detect_header
from pipelines.ingest.isolate import Examined, examine_all
from pipelines.ingest.readers import SPREADSHEET_SUFFIXES, Sheet, read_sheets, short
from pipelines.ingest.registry_rules import REGISTRY_KEYS, REGISTRY_RULES
from pipelines.ingest.resolve import Registry
from pipelines.ingest.judge import ITEM, Judged, SheetItem, judge, rejected_with_raw
from pipelines.ingest.rows import ROW
from pipelines.ingest.validate_events import RECORD_RULES
from xiaoan.i18n import t

RAW_TABLE = {
    "district": "raw_district", "towns": "raw_towns", "villages": "raw_villages", "schools": "raw_schools",
    "departments": "raw_departments", "hazards": "raw_hazard_reports", "inspections": "raw_inspections",
    "meetings": "raw_meetings",
}
# Within one file, a second row with the same key is a duplicate of the first.
RECORD_KEYS = {"hazards": ("hazard_id", "report_date"), "inspections": ("inspection_id",), "meetings": ("meeting_id",)}


def duplicate_keys(kind_name: str) -> tuple[str, ...] | None:
    """The key a second row of one file must not repeat, for any kind (None: no such key)."""
    if kind_name in RECORD_KEYS:
        return RECORD_KEYS[kind_name]
    key = REGISTRY_KEYS[kind_name]
    return (key,) if key else None


@dataclass
class Offered:
    """A file offered to ingestion."""

    name: str
    data: bytes
    report_date: dt.date | None
    default_report_date: dt.date
    file_seq: int
    sha256: str = ""
    refused: str | None = None  # why the path could not even be read (not a regular file, …): logged, never archived

    def __post_init__(self) -> None:
        if self.refused is None:
            self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()


@dataclass
class FileReport:
    file: str
    status: str  # loaded / duplicate / rejected
    kinds: list[str] = field(default_factory=list)
    rows_in: int = 0
    loaded: int = 0
    skipped: int = 0
    rejected: int = 0
    message: str | None = None
    sender: str | None = None  # the unit that sent the file (SPEC §2.1): its registry name, when known


@dataclass
class Planned:
    offered: Offered
    report: FileReport
    ingest_id: int = 0
    sheets: list[tuple[Sheet, Header]] = field(default_factory=list)
    rejected_frames: list[pl.DataFrame] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    cells: int = 0  # cells of its data sheets (rows × columns), held or not
    deferred: bool = False  # read, then let go to keep the load under its budget: read again later
    sender: forms.Sender | None = None  # (kind, code, name) of the unit that sent the file


@dataclass
class IngestResult:
    warehouse: Path
    files: list[FileReport]
    published: bool
    seconds: float


def expand(paths: list[Path]) -> list[Path]:
    """Files, and the spreadsheets found under folders (hidden and Office lock files left out).
    Under a folder, whatever bears a spreadsheet's name is offered even when it is not a
    regular file (a folder named x.xlsx, a broken link, a pipe): it is then rejected with the
    reason, so that no offered path goes without a status."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*"))
                if p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith((".", "~$"))
            )
        else:
            out.append(path)
    return out


def not_regular(path: Path) -> str | None:
    """Why the path is not a regular file to read (a pipe would hang the read), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return t("file.not_regular", what=t("ingest.path.broken_link")) if path.is_symlink() else None
    except OSError:
        return None  # the read says what is wrong
    if stat.S_ISREG(mode):
        return None
    what = "folder" if stat.S_ISDIR(mode) else "pipe" if stat.S_ISFIFO(mode) else "special"
    return t("file.not_regular", what=t(f"ingest.path.{what}"))


def duplicate(item: Offered) -> Planned:
    """A file whose content the warehouse already holds: logged as a duplicate, not loaded."""
    return Planned(item, FileReport(item.name, "duplicate", message=t("file.duplicate")))


def load_planned(
    con: duckdb.DuckDBPyConnection,
    planned: list[Planned],
    duplicates: list[Planned],
    batch_id: str,
    refresh_views: Callable[[duckdb.DuckDBPyConnection], None],
    progress: Callable[[str], None] | None = None,
    ctx: LoadContext | None = None,
) -> None:
    """The planned files' rows into the raw tables of con: the registry first, the ledgers read
    with it, then the deferred ones a group at a time; then every file's line in the ingest log
    (duplicates numbered after the others). refresh_views rebuilds the staging and intermediate
    views after a registry table changed."""
    ctx = ctx or LoadContext()
    _load_registry(con, planned, refresh_views, ctx)
    _load_records(con, [plan for plan in planned if not plan.deferred], ctx)
    _release(planned)
    for group in _deferred_groups(planned, progress, ctx):  # the rest, a group at a time
        _load_registry(con, group, refresh_views, ctx)  # (none, unless a CSV's first rows hid a registry header)
        _load_records(con, group, ctx)
        _release(group)
    _number(con, duplicates, start=planned[-1].ingest_id + 1)
    _write_log(con, planned + duplicates, batch_id)


def plan(con: duckdb.DuckDBPyConnection, offered: list[Offered], progress, ctx: LoadContext | None = None,
         setup: Callable[[], None] | None = None) -> list[Planned]:
    """Read the files that may hold the registry (every workbook; a CSV only when its first
    rows show a registry header: `_ledger_csv`) and find each sheet's kind; give ingest ids,
    registry files first. Registry files are held (they are loaded before any record); the
    other files read now are held while the cells held stay under the budget, else let go
    (`deferred`: read again in their group). Ledger CSVs are read later, a group at a time.

    `setup`, when given, runs once the first files are being read (on their threads), before
    anything is asked of con: the caller prepares the warehouse (its tables and views) while
    they are read."""
    planned, held = [], 0
    now = [item for item in offered if not _ledger_csv(item)]
    examining = examine_all(now, ctx=ctx)
    if setup is not None:
        setup()
    for item, examined in examining:
        if progress:
            progress(Path(item.name).name)
        plan = Planned(item, FileReport(item.name, "loaded"))
        _attach(plan, examined)
        if plan.sheets and "registry" not in plan.report.kinds and held and held + plan.cells > limits.MAX_HELD_CELLS:
            plan.sheets, plan.deferred = [], True
        else:
            held += plan.cells
        planned.append(plan)
    read = {id(plan.offered) for plan in planned}
    planned += [Planned(item, FileReport(item.name, "loaded"), deferred=True) for item in offered if id(item) not in read]
    planned.sort(key=lambda p: (0 if "registry" in p.report.kinds else 1, p.offered.file_seq))
    _number(con, planned)
    return planned


def _ledger_csv(item: Offered) -> bool:
    """A CSV whose first rows show a ledger's header (not the registry's): it can be read
    after the registry is loaded, in its group. Its first 200 records decide the grid's width
    and its first 31 rows the header, so they tell the kind exactly as the whole file would."""
    if item.refused is not None or Path(item.name).suffix.lower() != ".csv" or item.data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    cut, lines = 0, 0
    while lines < 201:
        cut = item.data.find(b"\n", cut, 1 << 20) + 1
        if not cut:
            return False  # a long head, or a file of fewer lines: read with the workbooks
        lines += 1
    try:
        head = read_sheets(Path(item.name), item.data[:cut])
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return False
    header = detect_header(head[0].grid, None) if head else None
    return header is not None and not header.kind.registry


def _number(con: duckdb.DuckDBPyConnection, planned: list[Planned], start: int | None = None) -> None:
    """Ingest ids, in order, after the last one the warehouse logged (or from `start`)."""
    if start is None:
        start = con.sql("select coalesce(max(ingest_id), 0) + 1 from raw_ingest_log").fetchall()[0][0]
    for i, plan in enumerate(planned):
        plan.ingest_id = start + i


def _attach(plan: Planned, examined: Examined) -> None:
    if examined.reason is not None:
        _reject_whole(plan, examined.reason)
    else:
        plan.sheets = examined.sheets
        plan.report.kinds = sorted({("registry" if h.kind.registry else h.kind.name) for _, h in plan.sheets})
        plan.cells = sum(sheet.grid.height * max(sheet.grid.width, 1) for sheet, _ in plan.sheets)


def _release(planned: Iterable[Planned]) -> None:
    """Let go of the sheets of files whose rows are loaded (their reports keep the counts)."""
    for plan in planned:
        plan.sheets = []


def _deferred_groups(planned: list[Planned], progress=None, ctx: LoadContext | None = None) -> Iterator[list[Planned]]:
    """The files not held (ledger CSVs, and workbooks let go past the budget) read, in file
    order, in groups whose cells stay under the budget (a file larger than the budget is a
    group of its own)."""
    waiting = sorted((plan for plan in planned if plan.deferred and plan.report.status != "rejected"), key=lambda p: p.offered.file_seq)
    group: list[Planned] = []
    held = 0
    for plan, examined in examine_all([plan.offered for plan in waiting], plans=waiting, ctx=ctx):
        if progress and not plan.report.kinds:
            progress(Path(plan.offered.name).name)
        _attach(plan, examined)
        if group and held + plan.cells > limits.MAX_HELD_CELLS:
            yield group
            group, held = [], 0
        group.append(plan)
        held += plan.cells
    if group:
        yield group


def _reject_whole(plan: Planned, message: str) -> None:
    plan.report.status = "rejected"
    plan.report.message = message
    plan.rejected_frames.append(pl.DataFrame(
        {"sheet": [None], "row": [None], "column": [None], "reason": [message], "raw": [None]},
        schema=_REJECTED_SCHEMA,
    ))


_REJECTED_SCHEMA = {"sheet": pl.String, "row": pl.Int64, "column": pl.String, "reason": pl.String, "raw": pl.String}


def _load_registry(con: duckdb.DuckDBPyConnection, planned: list[Planned], refresh_views: Callable[[duckdb.DuckDBPyConnection], None], ctx: LoadContext) -> None:
    """Registry tables in order (towns before the villages and schools that name them); after
    each, refresh_views makes the views the next kind is checked against see it."""
    offered = {header.kind.name for plan in planned for _, header in plan.sheets}
    for kind_name, rules in REGISTRY_RULES.items():
        if kind_name not in offered:  # (reading the registry costs a query: only for kinds in the batch)
            continue
        if _load_kind(con, planned, kind_name, rules, Registry.load(con), duplicate_keys(kind_name), ctx):
            refresh_views(con)


def _load_records(con: duckdb.DuckDBPyConnection, planned: list[Planned], ctx: LoadContext) -> None:
    registry = Registry.load(con)
    for plan in planned:  # the sender, the school a sheet names only in its title, zero reports
        _settle(con, plan, registry, ctx)
    for kind_name, rules in RECORD_RULES.items():
        _load_kind(con, planned, kind_name, rules, registry, duplicate_keys(kind_name), ctx)


def _load_kind(con, planned: list[Planned], kind_name: str, rules, registry: Registry, keys, ctx: LoadContext) -> bool:
    """Check every sheet of this kind in the group at once; insert the accepted rows. Should
    that fail, each file is checked alone, and a file that fails alone is rejected whole (its
    rows already inserted taken out again): one file never takes the others down."""
    owners = [plan for plan in planned if any(h.kind.name == kind_name for _, h in plan.sheets)]
    if not owners:
        return False
    try:
        _judge_and_insert(con, owners, kind_name, rules, registry, keys, ctx)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        if len(owners) == 1:
            _fail(con, owners[0], exc)
        else:
            for plan in owners:
                try:
                    _judge_and_insert(con, [plan], kind_name, rules, registry, keys, ctx)
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as alone:
                    _fail(con, plan, alone)
    return True


def _settle(con: duckdb.DuckDBPyConnection, plan: Planned, registry: Registry, ctx: LoadContext) -> None:
    """What a file's sheets say only against the registry (SPEC §2.1): its sender; the school
    of a sheet with no school column, from its lines, title or file name; a sheet that cannot
    be read for want of a column gets one message; a zero report is recorded as one."""
    plan.sender, settled = forms.settle_file(plan.offered.name, plan.sheets, registry, ctx.mapping)
    if plan.sender is not None:
        plan.report.sender = plan.sender.name
    kept = []
    for sheet, header, problem in ((s.sheet, s.header, s.problem) for s in settled):
        if header.kind.registry:
            kept.append((sheet, header))
            continue
        if header.warnings is not None and header.warnings.height:
            _form_warnings(con, plan, sheet, header.warnings)
        if header.zero:
            _zero_report(con, plan, sheet, header)
            continue
        if problem is not None:
            bad = forms.data_rows(sheet, header)
            plan.report.rows_in += sheet.grid.height
            plan.report.rejected += bad
            plan.report.skipped += sheet.grid.height - bad
            plan.rejected_frames.append(pl.DataFrame(
                {"sheet": [sheet.name], "row": [None], "column": [problem[0]], "reason": [problem[1]], "raw": [None]},
                schema=_REJECTED_SCHEMA,
            ))
            continue
        kept.append((sheet, header))
    plan.sheets = kept


def _form_warnings(con: duckdb.DuckDBPyConnection, plan: Planned, sheet: Sheet, warnings: pl.DataFrame) -> None:
    """What reading a sheet's form left undecided (forms: a questionnaire answer whose bad box
    the question does not tell) → raw_warnings, for the quality page."""
    arrow.register(con, "__form_warnings", warnings.select(
        ingest_id=pl.lit(plan.ingest_id, dtype=pl.Int32), sheet=pl.lit(sheet.name, dtype=pl.String),
        row="row", column="column", message="message", value="value"))
    try:
        con.execute('insert into raw_warnings (ingest_id, sheet, "row", "column", message, value) '
                    'select ingest_id, sheet, "row", "column", message, value from __form_warnings')
    finally:
        con.unregister("__form_warnings")


def _zero_report(con: duckdb.DuckDBPyConnection, plan: Planned, sheet: Sheet, header: Header) -> None:
    """A ledger sheet with its header and no data row, or a 无隐患 line: "no hazards" for its
    sender and report month (SPEC §2.1), neither loaded nor rejected."""
    month = forms.report_month(header, plan.offered.default_report_date)
    sender = plan.sender or forms.Sender(None, None, None)
    con.execute(
        "insert into raw_zero_reports (ingest_id, sheet_index, sheet, kind, sender_kind, sender_code, report_month) values (?, ?, ?, ?, ?, ?, ?)",
        [plan.ingest_id, sheet.index, sheet.name, header.kind.name, sender.kind, sender.code, month],
    )
    plan.report.rows_in += sheet.grid.height
    plan.report.skipped += sheet.grid.height


def _fail(con: duckdb.DuckDBPyConnection, plan: Planned, exc: BaseException) -> None:
    """Checking this file failed: none of its rows stay, the file is rejected whole."""
    for table in dict.fromkeys(RAW_TABLE.values()):
        con.execute(f"delete from {table} where ingest_id = ?", [plan.ingest_id])
    plan.sheets = []
    plan.rejected_frames = []
    plan.report.rows_in = plan.report.loaded = plan.report.skipped = plan.report.rejected = 0
    _reject_whole(plan, t("file.memory") if isinstance(exc, MemoryError) else t("file.failed", detail=short(exc)))


def _judge_and_insert(con, owners: list[Planned], kind_name: str, rules, registry: Registry, keys, ctx: LoadContext) -> None:
    mine, items = [], []
    for plan in owners:
        for sheet, header in plan.sheets:
            if header.kind.name == kind_name:
                mine.append(plan)
                items.append(SheetItem(plan.ingest_id, sheet, header, plan.offered.default_report_date))
    judged = _judge_side_by_side(kind_name, items, rules, registry, keys, ctx)
    frames = [judged.rejected.filter(pl.col(ITEM) == i).drop(ITEM) if judged.counts[i][3] else None for i in range(len(items))]
    rejected_frames = [None if rows is None else rejected_with_raw(item, rows).select(
        sheet=pl.lit(item.sheet.name, dtype=pl.String), row=pl.col(ROW).cast(pl.Int64),
        column=pl.col("column"), reason=pl.col("reason"), raw=pl.col("raw"),
    ) for item, rows in zip(items, frames)]
    _insert(con, kind_name, items, judged)
    for i, (plan, frame) in enumerate(zip(mine, rejected_frames)):  # counted once the rows are in
        rows_in, loaded, skipped, rejected = judged.counts[i]
        plan.report.rows_in += rows_in
        plan.report.loaded += loaded
        plan.report.skipped += skipped
        plan.report.rejected += rejected
        if frame is not None:
            plan.rejected_frames.append(frame)


# The rows of one kind a load checks in two halves at once, each on a core (two files or more):
# checking is mostly one polars call after another, each on about one core.
SIDE_BY_SIDE_ROWS = 40_000


def _judge_side_by_side(kind_name: str, items: list[SheetItem], rules, registry: Registry, keys, ctx: LoadContext) -> Judged:
    """judge() over the items; with SIDE_BY_SIDE_ROWS rows or more in two files or more, over two
    halves at once (cut between files: a file's duplicate rows are told within the file; every
    other rule reads one row), joined back in item order: the same rows, reasons and counts."""
    not_null = catalog.raw_not_null(RAW_TABLE[kind_name])
    cut = _half(items)
    if cut is None:
        return judge(KINDS[kind_name], items, rules, registry, keys, not_null, ctx)
    halves = [items[:cut], items[cut:]]
    with ThreadPoolExecutor(len(halves), thread_name_prefix="xiaoan-judge") as pool:
        first, second = pool.map(lambda part: judge(KINDS[kind_name], part, rules, registry, keys, not_null, ctx), halves)
    shift = pl.col(ITEM) + cut
    return Judged(
        pl.concat([first.accepted, second.accepted.with_columns(shift)], how="vertical_relaxed"),
        pl.concat([first.rejected, second.rejected.with_columns(shift)], how="vertical_relaxed"),
        {**first.counts, **{i + cut: n for i, n in second.counts.items()}},
    )


def _half(items: list[SheetItem]) -> int | None:
    """Where to cut the items in two of about equal rows, between two files; None when they
    are fewer than SIDE_BY_SIDE_ROWS rows or all of one file."""
    rows = [item.sheet.grid.height for item in items]
    total = sum(rows)
    if total < SIDE_BY_SIDE_ROWS:
        return None
    cuts = [i for i in range(1, len(items)) if items[i].ingest_id != items[i - 1].ingest_id]
    if not cuts:
        return None
    return min(cuts, key=lambda i: abs(2 * sum(rows[:i]) - total))


def _insert(con, kind_name: str, items: list[SheetItem], judged) -> None:
    if judged.accepted.height:
        book = pl.DataFrame({
            ITEM: list(range(len(items))),
            "ingest_id": [it.ingest_id for it in items],
            "sheet_index": [it.sheet.index for it in items],
            "sheet": [it.sheet.name for it in items],
        }, schema={ITEM: pl.Int32, "ingest_id": pl.Int32, "sheet_index": pl.Int32, "sheet": pl.String})
        frame = judged.accepted.join(book, on=ITEM, how="left").rename({ROW: "row"})
        _insert_warnings(con, frame)
        columns = ["ingest_id", "sheet_index", *([] if KINDS[kind_name].registry else ["sheet"]), "row",
                   *[c for c in judged.accepted.columns if c not in (ITEM, ROW) and not c.startswith(WARNING_PREFIX)]]
        arrow.register(con, "__accepted", frame.select(columns))
        try:
            names = ", ".join(f'"{c}"' for c in columns)
            con.execute(f"insert into {RAW_TABLE[kind_name]} ({names}) select {names} from __accepted")
        finally:
            con.unregister("__accepted")


WARNING_PREFIX = "__warning"  # a rules output column "__warning:<column>" holds a warning message for that column


def _insert_warnings(con, frame: pl.DataFrame) -> None:
    """Outputs named __warning:<column> (a message, or null) → raw_warnings rows: what loaded
    but deserves a look (an attendee that looks like a unit and is not in the registry)."""
    parts = [frame.filter(pl.col(c).is_not_null()).select(
        "ingest_id", "sheet", "row", column=pl.lit(c.split(":", 1)[1]), message=pl.col(c).struct.field("message"),
        value=pl.col(c).struct.field("value"),
    ) for c in frame.columns if c.startswith(WARNING_PREFIX)]
    parts = [p for p in parts if p.height]
    if parts:
        arrow.register(con, "__warnings", pl.concat(parts))
        try:
            con.execute('insert into raw_warnings (ingest_id, sheet, "row", "column", message, value) '
                        'select ingest_id, sheet, "row", "column", message, value from __warnings')
        finally:
            con.unregister("__warnings")


def _write_log(con: duckdb.DuckDBPyConnection, planned: list[Planned], batch_id: str) -> None:
    now = dt.datetime.now()
    logs, rejected = [], []
    for plan in planned:
        r = plan.report
        logs.append({
            "ingest_id": plan.ingest_id, "batch_id": batch_id, "file": Path(r.file).name, "sha256": plan.offered.sha256,
            "kind": "+".join(r.kinds) or None, "status": r.status,
            "sender_kind": plan.sender.kind if plan.sender else None, "sender_code": plan.sender.code if plan.sender else None,
            "sender_name": plan.sender.name if plan.sender else None, "rows_in": r.rows_in, "loaded": r.loaded,
            "skipped": r.skipped, "rejected": r.rejected, "message": r.message,
            "report_date": plan.offered.default_report_date,
            "started_at": dt.datetime.fromtimestamp(plan.started), "finished_at": now,
        })
        for frame in plan.rejected_frames:
            rejected.append(frame.select(
                ingest_id=pl.lit(plan.ingest_id, dtype=pl.Int32), file=pl.lit(Path(r.file).name), sheet="sheet", row="row",
                column="column", reason="reason", raw="raw",
            ))
    arrow.register(con, "__log", pl.DataFrame(logs))
    names = ", ".join(logs[0]) if logs else ""
    con.execute(f"insert into raw_ingest_log ({names}) select {names} from __log")
    con.unregister("__log")
    if rejected:
        arrow.register(con, "__rejected", pl.concat(rejected, how="vertical_relaxed"))
        con.execute('insert into raw_rejected_rows (ingest_id, file, sheet, "row", "column", reason, raw) select * from __rejected')
        con.unregister("__rejected")
