"""The dated snapshot (SPEC §4, §5): `export_snapshot` writes DIR/<as-of>/ with every table and
metric as Parquet, report.xlsx, report.html, bulletin.docx (the month's 通报) and manifest.json.

Atomic: everything is written into a hidden folder beside the target, synced to disk, then put
in place by one rename (an existing snapshot of the same date is swapped out in one step where
the system allows, else renamed aside first and deleted after). A reader sees the old snapshot
or the new one, never a mixture; a run that fails leaves no folder behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb
import polars as pl

from pipelines.catalog import declared_macros, declared_marts
from pipelines.export.html import TOP_HAZARDS, write_report_html
from pipelines.export.schedule import dated_snapshots, update_latest
from pipelines.export.tables import gather
from pipelines.export.xlsx import write_report_xlsx
from xiaoan import dates
from xiaoan.dates import AS_OF_KEYWORDS, DateError
from xiaoan.documents import DocumentTemplateError
from xiaoan.documents.bulletin import write_bulletin
from xiaoan.i18n import DEFAULT_LANG, TranslatedError
from xiaoan.metrics import Filters, Metrics
from xiaoan.rules import RulesError, load_rules
from xiaoan.warehouse import open_read_only, readiness
from xiaoan.warehouse import fsync_path

LOCK_NAME = ".export.lock"


class ExportError(TranslatedError):
    """The export cannot run; str() is a one-line reason (English), message(lang) translates."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    as_of: dt.date
    period: tuple[dt.date, dt.date]
    row_counts: dict[str, int]
    files: dict[str, dict[str, object]]
    seconds: float


def parse_date(value: str | dt.date | None, option: str) -> dt.date | None:
    """A date given as a date or as YYYY-MM-DD text; ExportError naming the option otherwise."""
    try:
        return dates.parse_date(value)
    except DateError:
        raise ExportError("export.bad_date", option=option, value=value) from None


def parse_as_of(value: str | dt.date | None, today: dt.date | None = None) -> dt.date:
    """The as-of date: a date, YYYY-MM-DD, or a keyword (today, yesterday, last-month-end)
    relative to `today` (default: the machine's local date)."""
    try:
        day = dates.parse_date(value, keywords=True, today=today)
    except DateError:
        day = None
    if day is None:
        raise ExportError("export.bad_as_of", value=value, keywords=", ".join(AS_OF_KEYWORDS))
    return day


def export_snapshot(warehouse: Path, as_of: dt.date | str, start: dt.date | str | None, end: dt.date | str | None,
                    out: Path, rules_path: Path | None = None, mask_personal: bool = True,
                    keep: int | None = None, lang: str = DEFAULT_LANG, today: dt.date | None = None) -> ExportResult:
    """Write the snapshot of `warehouse` as of `as_of` over [start, end] (default: the calendar
    year of as_of up to as_of) to out/<as-of>/, replacing a snapshot of the same date whole,
    then point out/latest and out/latest.txt at the newest snapshot (pipelines/export/schedule).
    `as_of` may be a keyword: today, yesterday, last-month-end (relative to `today`).
    `keep`: afterwards, delete all but the newest `keep` dated snapshots in `out`.
    Any failure raises ExportError and leaves the earlier snapshots and the pointer as they were."""
    began = time.perf_counter()
    as_of = parse_as_of(as_of, today)
    start, end = parse_date(start, "--start"), parse_date(end, "--end")
    if start and end and start > end:
        raise ExportError("export.bad_period", start=start, end=end)
    if keep is not None and keep < 1:
        raise ExportError("export.bad_keep", value=keep)
    try:
        rules = load_rules(rules_path)
    except RulesError as exc:
        raise ExportError("export.rules", detail=str(exc)) from None
    warehouse, out = Path(warehouse), Path(out)
    if not warehouse.is_file():
        raise ExportError("export.no_warehouse", path=warehouse)

    filters = Filters(as_of, start, end)
    # One connection on one version of the warehouse for every table: a load published while
    # the export runs cannot mix two versions into one snapshot.
    try:
        con = open_read_only(warehouse)
    except duckdb.Error as exc:
        raise ExportError("export.unreadable", path=warehouse, detail=str(exc).splitlines()[0]) from None
    try:
        metrics = Metrics.from_connection(con, rules)
        _check_warehouse(metrics, warehouse)
        tables = gather(metrics, filters, mask_personal)
        attention = metrics.needs_attention(filters, limit=TOP_HAZARDS)  # the briefing's list: the overview's
        district = metrics.sql("select district_name from district limit 1")
        sources = metrics.sql("select file, sha256, kind, status, report_date, finished_at as loaded_at "
                              "from ingest_log order by ingest_id")
        # the month's 通报 (issue 16), from the same connection and filters as the tables
        bulletin = write_bulletin(metrics, filters, rules,
                                  district["district_name"][0] if district.height else None)
    except DocumentTemplateError as exc:
        raise ExportError("documents.failed", detail=str(exc)) from None
    finally:
        con.close()

    name = as_of.isoformat()
    generated_at = dt.datetime.now().astimezone().replace(microsecond=0)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with locked_output(out):
            remove_leftovers(out)
            work = out / f".{name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            work.mkdir()
            try:
                files = _write_all(work, tables, attention, filters, generated_at, rules, district, sources,
                                   warehouse, rules_path, mask_personal, lang, bulletin)
                publish_folder(work, out / name)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
            update_latest(out)  # the newest snapshot, which pruning always keeps
            if keep:
                _prune(out, keep)
    except OSError as exc:
        raise ExportError("export.cannot_write", path=out / name, detail=exc.strerror or exc) from exc
    return ExportResult(out / name, as_of, (filters.period_start, filters.period_end),
                        {k: v.height for k, v in tables.items()}, files, time.perf_counter() - began)


def _check_warehouse(metrics: Metrics, path: Path) -> None:
    """A readable warehouse, built by this version (every mart and metric macro), holding a registry."""
    cur = metrics.cursor()
    try:
        state = readiness(cur, declared_marts(), declared_macros())
    except duckdb.Error as exc:
        raise ExportError("export.unreadable", path=path, detail=str(exc).splitlines()[0]) from None
    finally:
        cur.close()
    if state != "ready":
        raise ExportError("export.no_macros" if state == "outdated" else "export.empty", path=path)


def _write_all(work: Path, tables: dict[str, pl.DataFrame], attention: pl.DataFrame, f: Filters,
               generated_at: dt.datetime, rules, district: pl.DataFrame, sources: pl.DataFrame, warehouse: Path,
               rules_path, mask_personal: bool, lang: str, bulletin: bytes) -> dict[str, dict[str, object]]:
    for table, frame in tables.items():
        frame.write_parquet(work / f"{table}.parquet")
    (work / "bulletin.docx").write_bytes(bulletin)
    left_out = write_report_xlsx(work / "report.xlsx", tables, lang)
    write_report_html(work / "report.html", tables, attention=attention, district=district["district_name"][0] if district.height else None,
                      as_of=f.as_of, period=(f.period_start, f.period_end), generated_at=generated_at,
                      rules=rules, lang=lang)
    files = {p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)} for p in sorted(work.iterdir())}
    rules_file = Path(rules.source) if rules.source else None
    manifest = {
        "as_of": f.as_of.isoformat(),
        "period": {"start": f.period_start.isoformat(), "end": f.period_end.isoformat()},
        "generated_at": generated_at.isoformat(),
        "generator": f"xiaoan {xiaoan_version()}",
        "warehouse": str(warehouse),
        "rules": {"path": str(rules_file) if rules_file else None,
                  "sha256": sha256_of(rules_file) if rules_file and rules_file.is_file() else None,
                  "values": rules.values},
        "personal_data_masked": mask_personal,
        "source_files": [_jsonable(row) for row in sources.iter_rows(named=True)],
        "row_counts": {table: frame.height for table, frame in tables.items()},
        "xlsx_rows_left_out": left_out,
        "files": files,
    }
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for path in work.iterdir():
        fsync_path(path)
    fsync_path(work)
    return files


def publish_folder(work: Path, target: Path) -> None:
    """Put the finished folder at `target` in one step; an old snapshot there goes whole."""
    if not target.exists():
        os.rename(work, target)
        fsync_path(target.parent)
        return
    if _exchange(work, target):  # atomic swap: `work` now holds the old snapshot
        fsync_path(target.parent)
        shutil.rmtree(work, ignore_errors=True)
        return
    aside = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, aside)
    try:
        os.rename(work, target)
    except BaseException:
        os.rename(aside, target)
        raise
    fsync_path(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def locked_output(out: Path) -> Iterator[None]:
    """One export at a time per output folder (a scheduled job and a person may overlap)."""
    with open(out / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(out: Path) -> None:
    """Working folders of an export that was killed (we hold the lock: none is live). An old
    snapshot set aside (where the system cannot swap folders) whose new one never arrived is
    put back, not deleted."""
    for path in out.glob(".*"):
        aside = re.match(r"^\.(\d{4}-\d{2}-\d{2})\.old-", path.name)
        if aside and path.is_dir() and not path.is_symlink() and not (out / aside.group(1)).exists():
            os.rename(path, out / aside.group(1))
        elif path.is_dir() and not path.is_symlink() and re.match(r"^\.\d{4}-\d{2}-\d{2}\.(tmp|old)-", path.name):
            shutil.rmtree(path, ignore_errors=True)
        elif re.match(r"^\.latest(\.txt)?\.tmp-", path.name):  # a pointer being replaced
            path.unlink(missing_ok=True)


def _prune(out: Path, keep: int) -> None:
    """Delete all but the newest `keep` dated snapshots."""
    for old in dated_snapshots(out)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)



def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _jsonable(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in row.items()}


def xiaoan_version() -> str:
    try:
        return metadata.version("xiaoan")
    except metadata.PackageNotFoundError:
        return "unknown"
