"""Helpers of the reliability tests (crashes, concurrent readers): a series of monthly ledgers
that change the warehouse at every load, a fingerprint of one warehouse version, and the
check that a snapshot folder is complete."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import sys
from pathlib import Path

from tests import builders
from tests.builders import HAZARD_HEADERS, INSPECTION_HEADERS, MEETING_HEADERS
from xiaoan.warehouse import open_read_only

D = dt.date
SCHOOLS = ("S01", "S02", "S03", "S04")
DEPTS = ("D01", "D02", "D03")
CATEGORIES = ("消防安全", "交通安全", "食品卫生", "防溺水", "校舍建筑")
STATUSES = ("未整改", "整改中", "已整改", "已销号")


def xiaoan_command() -> str:
    """The installed `xiaoan` command of this environment."""
    return str(Path(sys.executable).with_name("xiaoan"))


def ledger_series(folder: Path, months: int, seed: int = 6) -> list[Path]:
    """One file per month: a hazard ledger that reports earlier hazards again with a later
    status and finds new ones (one bad row each), every third month also inspections and
    meetings; formats rotate through .xlsx, .csv (GBK) and .xls."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files, known = [], {}
    for m in range(months):
        report = D(2026, 1, 1) + dt.timedelta(days=30 * m + 27)
        rows = []
        for hid, (found, status_index) in list(known.items()):
            status_index = min(status_index + rng.choice((0, 1)), 3)
            known[hid] = (found, status_index)
            rows.append(_hazard(rng, hid, found, status_index, report))
        for k in range(3):
            hid = f"H{m:02d}{k}"
            found = report - dt.timedelta(days=rng.randint(1, 20))
            known[hid] = (found, 0)
            rows.append(_hazard(rng, hid, found, 0, report))
        rows.append(builders.hazard(f"BAD{m}", school="S99", report=report))  # rejected: unknown school
        kind = ("xlsx", "csv", "xls")[m % 3]
        path = folder / f"隐患台账-{m:02d}.{kind}"
        if kind == "xlsx":
            builders.xlsx(path, HAZARD_HEADERS, rows, title=f"隐患台账（第{m + 1}期）")
        elif kind == "csv":
            builders.csv_file(path, HAZARD_HEADERS, rows, encoding="gbk")
        else:
            builders.xls(path, HAZARD_HEADERS, rows)
        files.append(path)
        if m % 3 == 2:
            files.append(_inspections(folder, rng, m, report))
            files.append(_meetings(folder, m, report))
    return files


def _hazard(rng: random.Random, hid: str, found: dt.date, status_index: int, report: dt.date) -> list[object]:
    status = STATUSES[status_index]
    rectified = min(found + dt.timedelta(days=5 + status_index), report) if status_index >= 2 else None
    closed = rectified if status_index == 3 else None
    seed = int(hashlib.sha256(hid.encode()).hexdigest(), 16)
    return builders.hazard(hid, school=SCHOOLS[seed % 4], category=CATEGORIES[seed % 5], level=("一般", "较大", "重大")[seed % 3],
                           found=found, dept=DEPTS[seed % 3], status=status, rectified=rectified, closed=closed, report=report,
                           description=f"隐患 {hid}")


def _inspections(folder: Path, rng: random.Random, m: int, day: dt.date) -> Path:
    rows = [[f"I{m:02d}{k}", day - dt.timedelta(days=k), DEPTS[k % 3], SCHOOLS[(m + k) % 4], "日常检查", "消防安全",
             "检查员", rng.randint(0, 3), rng.randint(60, 100)] for k in range(4)]
    return builders.xlsx(folder / f"检查记录-{m:02d}.xlsx", INSPECTION_HEADERS, rows)


def _meetings(folder: Path, m: int, day: dt.date) -> Path:
    rows = [[f"M{m:02d}{k}", f"{town}例会", "例会", "镇", town, day - dt.timedelta(days=k), "镇长", "D01、D02", "隐患整改", 2]
            for k, town in enumerate(("T01", "T02"))]
    return builders.csv_file(folder / f"会议记录-{m:02d}.csv", MEETING_HEADERS, rows, encoding="utf-8-sig")


# ---------------------------------------------------------------- one version of the warehouse

# What a version holds, without what differs between two runs of the same load (ids, clocks).
FINGERPRINT_QUERIES = (
    "select * exclude (ingest_id) from hazard_reports order by all",
    "select * exclude (ingest_id) from inspections order by all",
    "select * exclude (ingest_id) from meetings order by all",
    "select * exclude (ingest_id) from rejected_rows order by all",
    "select file, sha256, kind, status, rows_in, loaded, skipped, rejected, message from ingest_log order by all",
)
COUNT_TABLES = ("hazards", "hazard_reports", "inspections", "meetings", "rejected_rows", "ingest_log")
COUNTS_QUERY = "select " + ", ".join(f"(select count(*) from {t})" for t in COUNT_TABLES)


def fingerprint(warehouse: Path) -> str:
    """A digest of everything the published version holds (opening it is part of the test)."""
    con = open_read_only(warehouse)
    try:
        digest = hashlib.sha256()
        for query in FINGERPRINT_QUERIES:
            digest.update(repr(con.sql(query).fetchall()).encode("utf-8"))
        return digest.hexdigest()
    finally:
        con.close()


def counts(warehouse: Path) -> tuple[int, ...]:
    """The row counts of one version, all from one query."""
    con = open_read_only(warehouse)
    try:
        return tuple(con.sql(COUNTS_QUERY).fetchall()[0])
    finally:
        con.close()


# ---------------------------------------------------------------- snapshots


class HalfWritten(AssertionError):
    """A snapshot folder that does not hold exactly what its manifest lists."""


def check_snapshot(folder: Path) -> dict:
    """The manifest of a complete snapshot folder, read through one handle on the folder (a
    swap of the folder meanwhile cannot mix two snapshots into this reading). HalfWritten when
    a file is missing, extra or differs from its checksum; FileNotFoundError when the folder
    was replaced and removed while being read (then read it again)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return _check_at(fd, folder)
    except HalfWritten:
        if _replaced(fd, folder):  # the old snapshot, swapped out and being removed: not a half-written one
            raise FileNotFoundError(folder) from None
        raise
    finally:
        os.close(fd)


def _replaced(fd: int, folder: Path) -> bool:
    try:
        return os.stat(folder).st_ino != os.fstat(fd).st_ino
    except FileNotFoundError:
        return True


def _check_at(fd: int, folder: Path) -> dict:
    try:
        manifest = json.loads(_read_at(fd, "manifest.json"))
    except FileNotFoundError:
        if os.listdir(fd):
            raise HalfWritten(f"{folder} has files but no manifest") from None
        raise
    listed = set(manifest["files"]) | {"manifest.json"}
    present = set(os.listdir(fd))
    if present != listed:
        raise HalfWritten(f"{folder}: missing {sorted(listed - present)}, extra {sorted(present - listed)}")
    for name, meta in manifest["files"].items():
        try:
            data = _read_at(fd, name)
        except FileNotFoundError:
            raise HalfWritten(f"{folder}/{name} is missing") from None
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise HalfWritten(f"{folder}/{name} differs from its checksum")
    return manifest


def _read_at(dir_fd: int, name: str) -> bytes:
    fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def dated_folders(out: Path) -> list[Path]:
    """Every visible dated snapshot folder (hidden working folders are not snapshots)."""
    if not out.exists():
        return []
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                  and len(p.name) == 10 and p.name[4] == "-")
