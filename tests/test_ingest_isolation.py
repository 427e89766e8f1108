"""One bad file never takes a load down (issue 12). Each file class the fuzzing and the audits
found is offered together with the registry and a good ledger through the `xiaoan ingest`
command line: the command exits 0, the good ledger is loaded, the bad file ends with its
status and reason in the ingest log, and no traceback (nor a native panic's text) reaches
the terminal.

Each load is the command's entry point in a process of its own, its output and errors read
from the process's own file descriptors; `offer` forks it from an interpreter that has
imported the command already (tests/reliability_forks.py: the same run without Python's
second of start-up). The first load of the duplicate test, the rebuild and the memory-peak
load start the installed command afresh (`python -m xiaoan_cli`)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.ingest import limits
from pipelines.ingest import isolate
from pipelines.ingest import load as load_module
from pipelines.publish import ingest
from tests import builders
from tests.builders import HAZARD_HEADERS, hazard
from tests.reliability_forks import Forks
from xiaoan.warehouse import open_read_only

ROOT = Path(__file__).resolve().parent.parent
GOOD = "good.xlsx"


def xiaoan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xiaoan_cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def forks():
    with Forks() as server:
        yield server


@pytest.fixture
def offer(forks, tmp_path):
    """offer(*bad) → (the finished `xiaoan ingest` of the registry, a good ledger and the bad
    files, the ingest log by file)."""

    def _offer(*bad: Path) -> tuple[subprocess.CompletedProcess, dict[str, tuple]]:
        warehouse = tmp_path / "wh" / "w.duckdb"
        registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
        good = builders.xlsx(tmp_path / GOOD, HAZARD_HEADERS, [hazard("H1"), hazard("H2")])
        done = forks.run(["ingest", "--warehouse", str(warehouse), str(registry), str(good), *map(str, bad)], tmp_path)
        return done, ingest_log(warehouse)

    return _offer


def ingest_log(warehouse: Path) -> dict[str, tuple]:
    con = open_read_only(warehouse)
    try:
        rows = con.sql("select file, status, message, rows_in, loaded, skipped, rejected from raw_ingest_log").fetchall()
    finally:
        con.close()
    return {row[0]: row[1:] for row in rows}


def assert_calm(done: subprocess.CompletedProcess, log: dict[str, tuple]) -> None:
    """Exit 0, the registry and the good ledger loaded, nothing alarming on the terminal."""
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream and "panicked" not in stream and "RUST_BACKTRACE" not in stream, stream
    assert log["登记册.xlsx"][0] == "loaded"
    assert log[GOOD][:1] == ("loaded",) and log[GOOD][3] == 2


def assert_rejected(log: dict[str, tuple], name: str, words: str) -> None:
    status, message = log[name][:2]
    assert status == "rejected" and words in message, (name, status, message)


def test_an_xlsx_with_a_corrupt_deflate_stream_is_rejected_as_damaged(offer, tmp_path):
    bad = builders.with_corrupt_member(builders.xlsx(tmp_path / "corrupt.xlsx", HAZARD_HEADERS, [hazard("C1")]))
    done, log = offer(bad)
    assert_calm(done, log)
    assert_rejected(log, "corrupt.xlsx", "文件已损坏")


def test_a_csv_with_cr_only_line_ends_is_read_like_any_other(offer, tmp_path):
    old = builders.csv_variant(tmp_path / "old-export.csv", HAZARD_HEADERS, [hazard("R1"), hazard("R2"), hazard("R3")], line_end="\r")
    done, log = offer(old)
    assert_calm(done, log)
    assert log["old-export.csv"][:1] == ("loaded",) and log["old-export.csv"][2:] == (4, 3, 1, 0)


@pytest.mark.parametrize("value", [-1e20, -1e15, -1e308])
def test_a_number_far_below_zero_formatted_as_a_date_rejects_its_file_not_the_load(offer, value, tmp_path):
    bad = builders.xlsx_with_cells(tmp_path / "dates.xlsx", HAZARD_HEADERS, [hazard("D1")], [(1, 6, value, True)])
    done, log = offer(bad)
    assert_calm(done, log)
    assert_rejected(log, "dates.xlsx", "无法读取的内容")


def test_a_stray_cell_at_the_last_row_of_a_small_ledger_is_read_compacted(offer, tmp_path):
    far = builders.xlsx_with_cells(tmp_path / "far.xlsx", HAZARD_HEADERS, [hazard("F1"), hazard("F2")],
                                   [(1_048_575, 3, "x", False)])
    done, log = offer(far)
    assert_calm(done, log)
    # header, two hazards and the stray row: the 1,048,572 blank rows between are not read
    assert log["far.xlsx"][:1] == ("loaded",) and log["far.xlsx"][2:] == (4, 2, 1, 1)
    con = open_read_only(tmp_path / "wh" / "w.duckdb")
    try:
        assert con.sql("select \"row\" from raw_rejected_rows where file = 'far.xlsx'").fetchall() == [(1_048_576,)]
    finally:
        con.close()


def test_a_stray_cell_at_the_far_corner_of_an_old_xls_is_read_compacted(offer, tmp_path):
    """BIFF sheets reach 65,536 × 256: a cell at IV65536 made the reader take 1.6 GB."""
    far = builders.xls_with_cells(tmp_path / "far.xls", HAZARD_HEADERS, [hazard("X1")], [(65_535, 255, "x")])
    done, log = offer(far)
    assert_calm(done, log)
    assert log["far.xls"][:1] == ("loaded",) and log["far.xls"][2:] == (3, 1, 1, 1)
    con = open_read_only(tmp_path / "wh" / "w.duckdb")
    try:
        assert con.sql("select \"row\" from raw_rejected_rows where file = 'far.xls'").fetchall() == [(65_536,)]
    finally:
        con.close()


def _xls_with_a_cell_moved(path: Path, column: int) -> Path:
    """An .xls whose last cell record names another column (as a flipped byte does)."""
    import struct

    from pipelines.ingest import xls_guard

    data = bytearray(path.read_bytes())
    stream, place = xls_guard._workbook_stream(bytes(data))
    kind, body, size = next(r for r in reversed(xls_guard._sheets(stream)[0].records) if r[0] in xls_guard._CELL)
    moved = bytearray(stream)
    struct.pack_into("<H", moved, body + 2, column)
    for (start, end), at in place:
        data[at:at + end - start] = moved[start:end]
    path.write_bytes(bytes(data))
    return path


def test_an_xls_naming_a_column_far_beyond_the_limit_is_refused_before_the_reader_allocates_it(offer, tmp_path):
    """A byte flipped in an .xls named column 65,535: the reader would allocate 65,536 columns a row (a fuzz run took 23 GB)."""
    far = _xls_with_a_cell_moved(builders.xls(tmp_path / "wide.xls", HAZARD_HEADERS, [hazard("W1")]), 65_535)
    done, log = offer(far)
    assert_calm(done, log)
    assert_rejected(log, "wide.xls", "列数过多")


def test_an_xls_whose_sector_chain_loops_is_refused_as_damaged(offer, tmp_path):
    import struct

    looped = bytearray(builders.xls(tmp_path / "loop.xls", HAZARD_HEADERS, [hazard("L1")]).read_bytes())
    first_dir = struct.unpack_from("<I", looped, 0x30)[0]
    fat_sector = struct.unpack_from("<I", looped, 0x4C)[0]
    struct.pack_into("<I", looped, 512 * (fat_sector + 1) + 4 * first_dir, first_dir)  # the directory's sector points to itself
    (tmp_path / "loop.xls").write_bytes(bytes(looped))
    done, log = offer(tmp_path / "loop.xls")
    assert_calm(done, log)
    assert_rejected(log, "loop.xls", "文件已损坏")


def test_a_password_protected_xlsx_is_said_to_be_encrypted(offer, tmp_path):
    done, log = offer(builders.encrypted_workbook(tmp_path / "locked.xlsx"))
    assert_calm(done, log)
    assert_rejected(log, "locked.xlsx", "已加密")


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_a_csv_separated_by_semicolons_tabs_or_bars_is_read(offer, separator, tmp_path):
    ledger = builders.csv_variant(tmp_path / "sep.csv", HAZARD_HEADERS, [hazard("S1"), hazard("S2")], separator=separator)
    done, log = offer(ledger)
    assert_calm(done, log)
    assert log["sep.csv"][:1] == ("loaded",) and log["sep.csv"][3] == 2


def test_a_pipe_named_on_the_command_line_is_rejected_not_waited_for(offer, tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    done, log = offer(fifo)
    assert_calm(done, log)
    assert_rejected(log, "pipe.xlsx", "管道")


def test_in_a_folder_a_folder_a_broken_link_and_a_pipe_bearing_a_ledgers_name_each_get_a_reason(offer, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "x.xlsx").mkdir()
    (inbox / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    os.mkfifo(inbox / "pipe.csv")
    done, log = offer(inbox)
    assert_calm(done, log)
    assert_rejected(log, "x.xlsx", "文件夹")
    assert_rejected(log, "gone.xlsx", "目标文件不存在")
    assert_rejected(log, "pipe.csv", "管道")
    for name in ("x.xlsx", "gone.xlsx", "pipe.csv"):
        assert name in done.stdout


def test_a_duplicate_file_is_in_the_ingest_log_with_its_status(offer, tmp_path):
    warehouse = tmp_path / "wh" / "w.duckdb"
    first = builders.xlsx(tmp_path / "一月.xlsx", HAZARD_HEADERS, [hazard("J1")])
    assert xiaoan("ingest", "--warehouse", str(warehouse), str(first)).returncode == 0
    again = tmp_path / "一月(1).xlsx"
    again.write_bytes(first.read_bytes())
    done, log = offer(again)
    assert_calm(done, log)
    status, message = log["一月(1).xlsx"][:2]
    assert status == "duplicate" and "未重复导入" in message


def test_rebuild_removes_the_working_copy_a_killed_load_left(offer, tmp_path):
    done, _ = offer()
    warehouse = tmp_path / "wh" / "w.duckdb"
    left = [warehouse.with_name(f".{warehouse.name}.next-4242-deadbeef"), warehouse.with_name(f".{warehouse.name}.next-4242-deadbeef.wal")]
    for path in left:
        path.write_bytes(b"a killed load's copy")
    rebuilt = xiaoan("rebuild", "--warehouse", str(warehouse))
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr
    assert not [p for p in left if p.exists()]
    assert ingest_log(warehouse)[GOOD][3] == 2


def test_a_reader_still_busy_after_the_time_limit_is_abandoned_and_its_file_rejected(load, tmp_path, monkeypatch):
    real = isolate.read_sheets
    release = __import__("threading").Event()

    def stuck(path, data):
        if path.name == "slow.xlsx":
            release.wait(30)  # a reader stuck in native code: it never returns in time
        return real(path, data)

    monkeypatch.setattr(isolate, "read_sheets", stuck)
    monkeypatch.setattr(limits, "MAX_FILE_SECONDS", 1)
    slow = builders.xlsx(tmp_path / "slow.xlsx", HAZARD_HEADERS, [hazard("S1")])
    good = builders.xlsx(tmp_path / GOOD, HAZARD_HEADERS, [hazard("H1"), hazard("H2")])
    try:
        by_name = {Path(f.file).name: f for f in load(slow, good).files}
    finally:
        release.set()
    assert by_name["slow.xlsx"].status == "rejected" and "读取超时" in by_name["slow.xlsx"].message
    assert by_name[GOOD].loaded == 2


def test_a_file_whose_checking_fails_is_rejected_whole_and_the_others_of_its_group_load(load, query, tmp_path, monkeypatch):
    real = load_module.judge

    def failing(kind, items, *args):
        if any(item.sheet.name == "boom" for item in items):
            raise RuntimeError("a defect met by one file only")
        return real(kind, items, *args)

    monkeypatch.setattr(load_module, "judge", failing)
    boom = builders.xlsx(tmp_path / "boom.xlsx", HAZARD_HEADERS, [hazard("B1")], sheet="boom",
                         extra_sheets={"检查": (builders.INSPECTION_HEADERS, [["C1", dt.date(2026, 3, 2), "D01", "S01", "日常检查", None, "王", 0, 90]])})
    good = builders.xlsx(tmp_path / GOOD, HAZARD_HEADERS, [hazard("H1"), hazard("H2")])
    by_name = {Path(f.file).name: f for f in load(good, boom).files}
    assert by_name["boom.xlsx"].status == "rejected" and "检查该文件时出错" in by_name["boom.xlsx"].message
    assert (by_name["boom.xlsx"].loaded, by_name["boom.xlsx"].rejected) == (0, 0)
    assert by_name[GOOD].loaded == 2
    assert query("select count(*) from raw_hazard_reports where hazard_id = 'B1'") == [(0,)]
    assert query("select count(*) from raw_inspections") == [(0,)]  # its other sheet's rows taken out again


def test_files_past_the_memory_budget_are_loaded_in_groups_with_the_same_result(warehouse, tmp_path, monkeypatch):
    files = [builders.registry_workbook(tmp_path / "登记册.xlsx")]
    for m in range(1, 7):
        rows = [hazard(f"H{m}-{i}", level="?" if i == 3 else "一般") for i in range(5)]
        files.append(builders.xlsx(tmp_path / f"{m:02d}.xlsx", HAZARD_HEADERS, rows) if m % 2
                     else builders.csv_file(tmp_path / f"{m:02d}.csv", HAZARD_HEADERS, rows + [hazard(f"P{m}-{i}") for i in range(200)]))
    whole = ingest(files, warehouse)
    groups: list[int] = []
    real = load_module._load_records
    monkeypatch.setattr(load_module, "_load_records", lambda con, group, ctx: (groups.append(len(group)), real(con, group, ctx))[1])
    monkeypatch.setattr(limits, "MAX_HELD_CELLS", 150)  # one ledger at a time
    grouped = ingest(files, tmp_path / "grouped" / "w.duckdb")

    def counts(result):
        return [(Path(f.file).name, f.status, f.rows_in, f.loaded, f.skipped, f.rejected) for f in result.files]

    assert counts(grouped) == counts(whole)
    assert sum(f.loaded for f in grouped.files[1:]) == 6 * 4 + 3 * 200
    assert len(groups) >= 6 and max(groups) == 1  # the registry's group, then the ledgers one by one


PEAK = """
import sys
from xiaoan_cli.app import main
sys.argv = ["xiaoan", "ingest", "--warehouse", {warehouse!r}, *{files!r}]
try:
    main()
    status = 0
except SystemExit as exc:
    status = exc.code or 0
with open("/proc/self/status") as proc:  # VmHWM: this process's own peak (exec starts it afresh)
    peak = next(int(line.split()[1]) for line in proc if line.startswith("VmHWM"))
sys.stderr.write(f"peak_kib={{peak}}\\n")
sys.exit(status)
"""


def test_four_far_row_files_in_one_load_stay_under_a_gibibyte(tmp_path):
    """Before: one stray cell at row 1,048,576 of a 6 KB ledger took 2.8 GB; four in one load 10.9 GB."""
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    good = builders.xlsx(tmp_path / GOOD, HAZARD_HEADERS, [hazard("H1"), hazard("H2")])
    far = [builders.xlsx_with_cells(tmp_path / f"far{k}.xlsx", HAZARD_HEADERS, [hazard(f"F{k}")], [(1_048_575, 2 + k, "x", False)])
           for k in range(4)]
    warehouse = tmp_path / "wh" / "w.duckdb"
    code = PEAK.format(warehouse=str(warehouse), files=[str(p) for p in (registry, good, *far)])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    peak_mib = int(done.stderr.rsplit("peak_kib=", 1)[1].split()[0]) / 1024
    assert peak_mib < 1024, peak_mib
    log = ingest_log(warehouse)
    assert all(log[p.name][:1] == ("loaded",) and log[p.name][2:] == (3, 1, 1, 1) for p in far), log
