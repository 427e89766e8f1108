"""One ingestion batch: files → sheets → kinds → checked rows → raw tables → models → publish.

Every row of every data sheet ends in exactly one place: loaded, skipped (title, header,
blank, totals, notes) or rejected with its reason. The registry is loaded before the records
of the same batch. A file whose content was loaded before is not loaded again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines import archive, build, precompute
from pipelines.contract import KINDS
from pipelines.ingest.headers import Header, detect_header, is_instruction_sheet
from pipelines.ingest.readers import SPREADSHEET_SUFFIXES, Sheet, UnreadableFile, read_sheets
from pipelines.ingest.registry_rules import REGISTRY_KEYS, REGISTRY_RULES
from pipelines.ingest.resolve import Registry
from pipelines.ingest.judge import ITEM, SheetItem, judge, rejected_with_raw
from pipelines.ingest.rows import ROW
from pipelines.ingest.validate import RECORD_RULES
from xiaoan.i18n import t
from xiaoan.warehouse import next_version, open_read_only, writer_lock

RAW_TABLE = {
    "district": "raw_district", "towns": "raw_towns", "villages": "raw_villages", "schools": "raw_schools",
    "departments": "raw_departments", "hazards": "raw_hazard_reports", "inspections": "raw_inspections",
    "meetings": "raw_meetings",
}
# Columns each raw table declares NOT NULL (besides the bookkeeping ones): see models/raw.sql.
NOT_NULL = {
    "district": ("district_name",), "towns": ("town_code", "town_name"), "villages": ("village_code", "village_name", "town_code"),
    "schools": ("school_code", "school_name", "school_type", "town_code"), "departments": ("dept_code", "dept_name"),
    "hazards": ("hazard_id", "school_code", "town_code", "category", "level", "found_date", "responsible_dept_code", "deadline", "status", "report_date"),
    "inspections": ("inspection_date", "dept_code", "school_code", "town_code", "inspection_type"),
    "meetings": ("meeting_type", "level", "meeting_date"),
}
# Within one file, a second row with the same key is a duplicate of the first.
RECORD_KEYS = {"hazards": ("hazard_id", "report_date"), "inspections": ("inspection_id",), "meetings": ("meeting_id",)}
READ_THREADS = 2  # files read at once (this server has two cores; more only queues)


@dataclass
class Offered:
    """A file offered to ingestion."""

    name: str
    data: bytes
    report_date: dt.date | None
    default_report_date: dt.date
    file_seq: int
    sha256: str = ""

    def __post_init__(self) -> None:
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


@dataclass
class _Planned:
    offered: Offered
    report: FileReport
    ingest_id: int = 0
    sheets: list[tuple[Sheet, Header]] = field(default_factory=list)
    rejected_frames: list[pl.DataFrame] = field(default_factory=list)
    started: float = field(default_factory=time.time)


@dataclass
class IngestResult:
    warehouse: Path
    files: list[FileReport]
    published: bool
    seconds: float


def expand(paths: list[Path]) -> list[Path]:
    """Files, and the spreadsheets found under folders (hidden and Office lock files left out)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith((".", "~$"))
            )
        else:
            out.append(path)
    return out


def ingest(
    paths: list[Path],
    warehouse: Path,
    report_date: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestResult:
    """Load files into the warehouse and publish the new version. Files that cannot even be
    opened are reported as rejected; the others go on."""
    started = time.monotonic()
    today = dt.date.today()
    offered, unreadable = [], []
    for seq, path in enumerate(expand([Path(p) for p in paths])):
        try:
            data = path.read_bytes()
        except OSError as exc:
            unreadable.append(FileReport(str(path), "rejected", message=f"{t('file.not_found')}: {exc.strerror or exc}"))
            continue
        offered.append(Offered(str(path), data, report_date, report_date or today, seq))
    batch_id = uuid.uuid4().hex
    reports, published = load_batch(warehouse, offered, batch_id, time.time_ns(), progress)
    return IngestResult(warehouse, unreadable + reports, published, time.monotonic() - started)


def load_batch(
    warehouse: Path,
    offered: list[Offered],
    batch_id: str,
    batch_seq: int,
    progress: Callable[[str], None] | None = None,
    archive_files: bool = True,
) -> tuple[list[FileReport], bool]:
    """Load one batch under the writer lock into the next version, and publish it. With
    archive_files false (a rebuild replaying the archive) nothing is archived again."""
    with writer_lock(warehouse):
        if archive_files:  # sidecars a killed writer left pending: settled against the live version
            archive.settle(warehouse, _published_batches(warehouse))
        known = _known_hashes(warehouse)
        new, reports = [], {}
        for item in offered:
            if item.sha256 in known:
                reports[item.file_seq] = FileReport(item.name, "duplicate", message=t("file.duplicate"))
            else:
                known.add(item.sha256)
                new.append(item)
        if not new:
            return [reports[k] for k in sorted(reports)], False
        stored: list[archive.ArchivedFile] = []
        with next_version(warehouse) as con:
            build.create_raw_tables(con)
            build.build_models(con, layers=("staging", "intermediate"))
            before = _raw_counts(con)
            planned = _plan(con, new, progress)
            for item in planned if archive_files else ():  # archived (pending) before the version is published
                stored.append(_archive_entry(item.offered, batch_id, batch_seq))
                archive.store(warehouse, item.offered.data, stored[-1])
            _load_registry(con, planned)
            _load_records(con, planned)
            _write_log(con, planned, batch_id)
            after = _raw_counts(con)
            changed = {t for t, n in after.items() if n != before.get(t)}
            build.build_models(con, changed=changed)
            precompute.refresh(con, changed)
        archive.mark_published(warehouse, stored)
        for item in planned:
            reports[item.offered.file_seq] = item.report
        return [reports[k] for k in sorted(reports)], True


def _raw_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each raw table: what a load changed decides which marts are rebuilt."""
    tables = [t for (t,) in con.sql("select table_name from duckdb_tables() where table_name like 'raw_%'").fetchall()]
    query = " union all ".join(f"select '{t}', count(*) from {t}" for t in tables)
    return dict(con.sql(query).fetchall())


def _known_hashes(warehouse: Path) -> set[str]:
    if not warehouse.exists():
        return set()
    con = open_read_only(warehouse)
    try:
        return {row[0] for row in con.sql("select sha256 from raw_ingest_log").fetchall()}
    except duckdb.CatalogException:
        return set()
    finally:
        con.close()


def _published_batches(warehouse: Path) -> set[str] | None:
    """The batches the live version logged (None when there is no warehouse yet)."""
    if not warehouse.exists():
        return None
    con = open_read_only(warehouse)
    try:
        return {row[0] for row in con.sql("select distinct batch_id from raw_ingest_log").fetchall()}
    except duckdb.CatalogException:
        return set()
    finally:
        con.close()


def _archive_entry(item: Offered, batch_id: str, batch_seq: int) -> archive.ArchivedFile:
    return archive.ArchivedFile(
        sha256=item.sha256, name=Path(item.name).name, batch_id=batch_id, batch_seq=batch_seq, file_seq=item.file_seq,
        report_date=item.report_date.isoformat() if item.report_date else None,
        default_report_date=item.default_report_date.isoformat(), state=archive.PENDING,
    )


def _plan(con: duckdb.DuckDBPyConnection, offered: list[Offered], progress) -> list[_Planned]:
    """Read every file, find each sheet's kind; registry files first; give ingest ids."""
    planned = []
    # Files are read two at a time: calamine and the CSV reader work outside Python's lock.
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        read = pool.map(_read, offered)
        for item in offered:
            if progress:
                progress(Path(item.name).name)
            report = FileReport(item.name, "loaded")
            plan = _Planned(item, report)
            sheets = next(read)
            if isinstance(sheets, UnreadableFile):
                _reject_whole(plan, str(sheets))
                planned.append(plan)
                continue
            _find_kinds(plan, sheets)
            planned.append(plan)
    planned.sort(key=lambda p: (0 if "registry" in p.report.kinds else 1, p.offered.file_seq))
    next_id = con.sql("select coalesce(max(ingest_id), 0) + 1 from raw_ingest_log").fetchall()[0][0]
    for i, plan in enumerate(planned):
        plan.ingest_id = next_id + i
    return planned


def _read(item: Offered) -> list[Sheet] | UnreadableFile:
    try:
        return read_sheets(Path(item.name), item.data)
    except UnreadableFile as exc:
        return exc


def _find_kinds(plan: _Planned, sheets: list[Sheet]) -> None:
    """The kind of each sheet (by its headers); the file is rejected when no sheet has one."""
    for sheet in sheets:
        if is_instruction_sheet(sheet.name):
            continue
        header = detect_header(sheet.grid, sheet.name)
        if header is not None:
            plan.sheets.append((sheet, header))
    if not plan.sheets:  # a CSV in an unexpected encoding reads as garbage: say so
        _reject_whole(plan, t("file.encoding" if any(s.doubtful_encoding for s in sheets) else "file.no_known_headers"))
    plan.report.kinds = sorted({("registry" if h.kind.registry else h.kind.name) for _, h in plan.sheets})


def _reject_whole(plan: _Planned, message: str) -> None:
    plan.report.status = "rejected"
    plan.report.message = message
    plan.rejected_frames.append(pl.DataFrame(
        {"sheet": [None], "row": [None], "column": [None], "reason": [message], "raw": [None]},
        schema=_REJECTED_SCHEMA,
    ))


_REJECTED_SCHEMA = {"sheet": pl.String, "row": pl.Int64, "column": pl.String, "reason": pl.String, "raw": pl.String}


def _load_registry(con: duckdb.DuckDBPyConnection, planned: list[_Planned]) -> None:
    """Registry tables in order (towns before the villages and schools that name them)."""
    offered = {header.kind.name for plan in planned for _, header in plan.sheets}
    for kind_name, rules in REGISTRY_RULES.items():
        if kind_name not in offered:  # (reading the registry costs a query: only for kinds in the batch)
            continue
        key = REGISTRY_KEYS[kind_name]
        if _load_kind(con, planned, kind_name, rules, Registry.load(con), (key,) if key else None):
            build.build_models(con, layers=("staging", "intermediate"))


def _load_records(con: duckdb.DuckDBPyConnection, planned: list[_Planned]) -> None:
    registry = Registry.load(con)
    for kind_name, rules in RECORD_RULES.items():
        _load_kind(con, planned, kind_name, rules, registry, RECORD_KEYS[kind_name])


def _load_kind(con, planned: list[_Planned], kind_name: str, rules, registry: Registry, keys) -> bool:
    """Check every sheet of this kind in the batch at once; insert the accepted rows."""
    owners, items = [], []
    for plan in planned:
        for sheet, header in plan.sheets:
            if header.kind.name == kind_name:
                owners.append(plan)
                items.append(SheetItem(plan.ingest_id, sheet, header, plan.offered.default_report_date))
    if not items:
        return False
    judged = judge(KINDS[kind_name], items, rules, registry, keys, NOT_NULL[kind_name])
    for i, (plan, item) in enumerate(zip(owners, items)):
        rows_in, loaded, skipped, rejected = judged.counts[i]
        plan.report.rows_in += rows_in
        plan.report.loaded += loaded
        plan.report.skipped += skipped
        plan.report.rejected += rejected
        if rejected:
            rows = judged.rejected.filter(pl.col(ITEM) == i).drop(ITEM)
            plan.rejected_frames.append(rejected_with_raw(item, rows).select(
                sheet=pl.lit(item.sheet.name, dtype=pl.String), row=pl.col(ROW).cast(pl.Int64),
                column=pl.col("column"), reason=pl.col("reason"), raw=pl.col("raw"),
            ))
    if judged.accepted.height:
        book = pl.DataFrame({
            ITEM: list(range(len(items))),
            "ingest_id": [it.ingest_id for it in items],
            "sheet_index": [it.sheet.index for it in items],
            "sheet": [it.sheet.name for it in items],
        }, schema={ITEM: pl.Int32, "ingest_id": pl.Int32, "sheet_index": pl.Int32, "sheet": pl.String})
        frame = judged.accepted.join(book, on=ITEM, how="left").rename({ROW: "row"})
        columns = ["ingest_id", "sheet_index", *([] if KINDS[kind_name].registry else ["sheet"]), "row",
                   *[c for c in judged.accepted.columns if c not in (ITEM, ROW)]]
        con.register("__accepted", frame.select(columns))
        try:
            names = ", ".join(f'"{c}"' for c in columns)
            con.execute(f"insert into {RAW_TABLE[kind_name]} ({names}) select {names} from __accepted")
        finally:
            con.unregister("__accepted")
    return True


def _write_log(con: duckdb.DuckDBPyConnection, planned: list[_Planned], batch_id: str) -> None:
    now = dt.datetime.now()
    logs, rejected = [], []
    for plan in planned:
        r = plan.report
        logs.append({
            "ingest_id": plan.ingest_id, "batch_id": batch_id, "file": Path(r.file).name, "sha256": plan.offered.sha256,
            "kind": "+".join(r.kinds) or None, "status": r.status, "rows_in": r.rows_in, "loaded": r.loaded,
            "skipped": r.skipped, "rejected": r.rejected, "message": r.message,
            "report_date": plan.offered.default_report_date,
            "started_at": dt.datetime.fromtimestamp(plan.started), "finished_at": now,
        })
        for frame in plan.rejected_frames:
            rejected.append(frame.select(
                ingest_id=pl.lit(plan.ingest_id, dtype=pl.Int32), file=pl.lit(Path(r.file).name), sheet="sheet", row="row",
                column="column", reason="reason", raw="raw",
            ))
    con.register("__log", pl.DataFrame(logs))
    con.execute("insert into raw_ingest_log select * from __log")
    con.unregister("__log")
    if rejected:
        con.register("__rejected", pl.concat(rejected, how="vertical_relaxed"))
        con.execute('insert into raw_rejected_rows (ingest_id, file, sheet, "row", "column", reason, raw) select * from __rejected')
        con.unregister("__rejected")
