"""Writing one district's snapshot into the lake: `write_partition`.

    from pipelines.lake.write import write_partition
    part = write_partition(lake, Path("out/2026-09-30"), "990102", "青溪区", "2026-09-30")

Each Parquet table of the snapshot folder becomes
LAKE/<table>/district=<code>/as_of=<date>/part-<version>.parquet (version: the partition's
previous version + 1, zero-padded to six digits in the name), without people's names
(PERSONAL_COLUMNS) and without district/as_of columns (the Hive partition keys; a table's own
`as_of` column is written as `quarter_as_of`). Every file is written under a temporary name,
fsynced and renamed; then COMMIT.json is written the same way (tmp + fsync + os.replace): only
then does the new version become visible (pipelines/lake/read.py). Files of a version are
deleted by the commit two versions later, and only once it has been superseded for
KEEP_SECONDS: a reader that resolved the previous commit, or any commit in the last ten minutes,
still finds its files. Writers of one partition take turns (an flock on the commit folder's .lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from pipelines.contract import is_district_code
from pipelines.lake.read import (AS_OF_KEY, COMMIT_FILE, COMMITS, DISTRICT_KEY, Partition, commit_dir, partition_dir,
                                 read_commit)
from xiaoan.i18n import TranslatedError
from xiaoan.scope import PEOPLE_COLUMNS
from xiaoan.warehouse import fsync_path

# People's names (and phone numbers) never leave the district (issue 17): the product's one list of
# such columns (xiaoan.scope.PEOPLE_COLUMNS: 责任人, 验收人, 检查人员, 主持人, members, liaisons, phones,
# principals), and `raw`, a rejected row's cells as typed, which may hold any of them.
PERSONAL_COLUMNS = frozenset(PEOPLE_COLUMNS) | {"raw"}
# A snapshot column named like a partition key is renamed inside the file.
RENAMED_COLUMNS = {AS_OF_KEY: "quarter_as_of", DISTRICT_KEY: "district_in_table"}
KEEP_COMMITS = 2           # versions kept: the committed one and the one before it …
KEEP_SECONDS = 600.0       # … and older ones for 10 minutes after they were superseded
_PART = re.compile(r"^part-(\d+)\.parquet$")
LOCK_NAME = ".lock"


class LakeError(TranslatedError, ValueError):
    """A partition that cannot be written (bad district code, no snapshot): key is an i18n key."""


def part_name(version: int) -> str:
    return f"part-{version:06d}.parquet"


def write_partition(lake: Path, snapshot_dir: Path, district_code: str, district_name: str,
                    as_of: dt.date | str, manifest: dict | None = None,
                    keep_seconds: float = KEEP_SECONDS) -> Partition:
    """Write the snapshot folder's tables as the (district_code, as_of) partition of the lake and
    commit it; returns the committed Partition. manifest: the snapshot's manifest.json (read from
    the folder when not given). An earlier version of the partition stays visible until the
    commit; its files are deleted by the commit two versions later, and not before they have
    been superseded for keep_seconds (a long roll-up still reads them)."""
    lake, snapshot_dir = Path(lake), Path(snapshot_dir)
    code = str(district_code or "").strip()
    if not is_district_code(code):
        raise LakeError("city.lake.bad_code", value=code)
    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    sources = sorted(snapshot_dir.glob("*.parquet"))
    if not sources:
        raise LakeError("city.lake.no_snapshot", path=snapshot_dir)
    if manifest is None:
        manifest = json.loads((snapshot_dir / "manifest.json").read_text(encoding="utf-8"))
    commits = commit_dir(lake, code, day)
    commits.mkdir(parents=True, exist_ok=True)
    with _locked(commits):
        marker = commits / COMMIT_FILE
        previous = read_commit(marker, lake).version if marker.exists() else 0
        version = previous + 1  # a killed writer's uncommitted files of this version are replaced
        files, counts, dropped, renamed = {}, {}, {}, {}
        for source in sources:
            table = source.stem
            frame = pl.read_parquet(source)
            drop = [c for c in frame.columns if c in PERSONAL_COLUMNS]
            frame = frame.drop(drop)
            rename = {c: RENAMED_COLUMNS[c] for c in frame.columns if c in RENAMED_COLUMNS}
            frame = frame.rename(rename).with_columns(
                pl.col(c).cast(pl.String) for c, dtype in frame.schema.items() if dtype == pl.Null)
            target = partition_dir(lake, table, code, day) / part_name(version)
            _write_file(target, frame)
            files[table] = target.relative_to(lake).as_posix()
            counts[table] = frame.height
            if drop:
                dropped[table] = drop
            if rename:
                renamed[table] = rename
        commit = {
            "version": version,
            "district_code": code,
            "district_name": district_name,
            "as_of": day.isoformat(),
            "files": files,
            "manifest": _facts(manifest, counts, dropped, renamed),
            "written_at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
        }
        _replace_text(marker, json.dumps(commit, ensure_ascii=False, indent=2) + "\n")
        _collect(lake, code, day, version, keep_seconds)
    return read_commit(marker, lake)


def rules_hash(manifest: dict) -> str:
    """The rules a snapshot was scored under: sha256 of their values as canonical JSON."""
    values = (manifest.get("rules") or {}).get("values")
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _facts(manifest: dict, counts: dict, dropped: dict, renamed: dict) -> dict:
    rules = manifest.get("rules") or {}
    return {
        "rules_hash": rules_hash(manifest),
        "rules_sha256": rules.get("sha256"),
        "rules_values": rules.get("values"),
        "period": manifest.get("period"),
        "generated_at": manifest.get("generated_at"),
        "generator": manifest.get("generator"),
        "source_files": manifest.get("source_files", []),
        "row_counts": counts,
        "dropped_columns": dropped,
        "renamed_columns": renamed,
    }


def _write_file(target: Path, frame: pl.DataFrame) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        frame.write_parquet(tmp)
        fsync_path(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_path(target.parent)


def _replace_text(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_path(target.parent)


def _partition_dirs(lake: Path, code: str, day: dt.date) -> list[Path]:
    """This partition's folder in every table folder (the writer may list; readers never do)."""
    pattern = f"*/{DISTRICT_KEY}={code}/{AS_OF_KEY}={day.isoformat()}"
    return [p for p in lake.glob(pattern) if p.is_dir() and not p.parts[-3].startswith(COMMITS)]


def _collect(lake: Path, code: str, day: dt.date, version: int, keep_seconds: float) -> None:
    """Delete the part files of versions two commits old (or older) that were superseded more than
    keep_seconds ago (the next version's files are as old as that), and what a killed writer left
    (we hold the partition's lock: nothing is being written)."""
    parts = []
    for folder in _partition_dirs(lake, code, day):
        for path in folder.iterdir():
            if m := _PART.match(path.name):
                parts.append((int(m.group(1)), path))
            elif path.name.startswith(".part-"):
                path.unlink(missing_ok=True)
    written: dict[int, float] = {}
    for v, path in parts:
        written[v] = min(written.get(v, float("inf")), path.stat().st_mtime)
    now = time.time()
    for v, path in parts:
        superseded_long_ago = now - written.get(v + 1, 0.0) >= keep_seconds
        if v > version or (v <= version - KEEP_COMMITS and superseded_long_ago):  # > version: never visible
            path.unlink(missing_ok=True)
    for path in commit_dir(lake, code, day).glob(f".{COMMIT_FILE}.tmp-*"):
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
