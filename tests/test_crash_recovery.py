"""Power cuts and killed jobs: `xiaoan ingest`, `xiaoan export` and `xiaoan rebuild` killed with
SIGKILL at random moments. Afterwards the warehouse opens and equals the version before the
killed run or the one after it, the archive holds every file the warehouse loaded, a re-run
completes, no snapshot folder is ever half written, and `xiaoan rebuild` from the archive
gives the same warehouse (the same metrics) as the history of loads that built it.

Each run is a process of its own running the command's entry point; the runs that may be
killed are forked from an interpreter that has imported the command already
(tests/reliability_forks.py), so that every kill lands in the command's work and none in
Python's second of start-up. Some runs let finish are the installed `xiaoan` command itself:
the first ingest re-run that finds its file loaded, the exports let finish between rounds of
kills, and the rebuild that completes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pipelines.export.schedule import read_latest
from pipelines.publish import archive, ingest, rebuild
from tests import builders, reliability
from tests.builders import HAZARD_HEADERS, hazard
from tests.reliability_forks import Forks
from xiaoan import config
from xiaoan.metrics import Filters, Metrics
from xiaoan.warehouse import open_read_only

# How many processes each series kills (docs/reliability.md reports these numbers).
INGEST_MONTHS = 16  # up to 26 files (hazard ledgers, inspections, meetings), one `xiaoan ingest` each,
INGEST_KILLS = 30  # until this many were killed: at most INGEST_KILLS_PER_FILE a file before a run is let finish
INGEST_KILLS_PER_FILE = 6
EXPORT_KILLS = 20  # until this many were killed; a run is let finish after every EXPORT_KILLS_PER_ROUND kills
EXPORT_KILLS_PER_ROUND = 10
REBUILD_KILLS = 2
MIN_KILLS = 50
# A kill comes at a random moment of this share of a full run. A forked run starts its work at
# once; a fresh interpreter spent the first ~0.7 s importing, so kills drawn from 15–80 % of its
# run fell on 0–60 % of an ingest's work (0–75 % of an export's), the rest on the imports.
KILL_WINDOW = (0.0, 0.8)
DEBUG = os.environ.get("XIAOAN_KILL_DEBUG")  # print every kill and run
AS_OF = "2026-06-30"


def _metrics(warehouse: Path) -> dict[str, list]:
    """The metrics of record the dashboard and the snapshot show, as plain rows."""
    con = open_read_only(warehouse)
    try:
        m = Metrics.from_connection(con)
        f = Filters(as_of=dt.date(2026, 6, 30))
        return {name: getattr(m, name)(f).sort(pl_columns(getattr(m, name)(f))).rows()
                for name in ("hazards", "dept_closure", "town_risk", "town_scores", "dept_scores", "headline")}
    finally:
        con.close()


def pl_columns(frame) -> list[str]:
    return [c for c, dtype in frame.schema.items() if not dtype.is_nested()]


class Killer:
    """Runs a command and kills it with SIGKILL after a random delay; counts real kills."""

    def __init__(self, rng: random.Random, forks: Forks, stderr: Path):
        self.rng = rng
        self.forks, self.stderr = forks, stderr  # a forked run's standard error goes to this file
        self.kills: dict[str, int] = {}
        self.completed: dict[str, int] = {}
        self.duration: dict[str, float] = {}

    def run(self, name: str, args: list[str], kill: bool, timed: bool = True, installed: bool = False) -> bool:
        """`xiaoan ARGS…`: True when the process was killed, False when it completed (exit 0
        asserted). The kill comes at a random moment of KILL_WINDOW of a full run's duration:
        the shortest `timed` run seen (a run that finished before its kill shortens it).
        `installed`: the installed `xiaoan` command in a new interpreter (never killed, never
        timed) instead of a run forked from the warm one."""
        started = time.monotonic()
        if installed:
            assert not kill and not timed
            done = subprocess.run([reliability.xiaoan_command(), *args], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=300)
            assert done.returncode == 0, done.stderr.decode(errors="replace")
            self.completed[name] = self.completed.get(name, 0) + 1
            if DEBUG:
                print(f"{time.monotonic():.1f} {name} (installed) completed in {time.monotonic() - started:.1f}s", flush=True)
            return False
        proc = self.forks.start(args, self.stderr)
        if kill:
            full = self.duration.get(name, 2.0)
            try:
                proc.wait(timeout=self.rng.uniform(KILL_WINDOW[0] * full, KILL_WINDOW[1] * full))
            except subprocess.TimeoutExpired:
                if proc.kill() == -signal.SIGKILL:
                    self.kills[name] = self.kills.get(name, 0) + 1
                    if DEBUG:
                        print(f"{time.monotonic():.1f} {name} killed after {time.monotonic() - started:.1f}s", flush=True)
                    return True
                timed = False  # it ended as the signal was sent: not a measure of a full run
        returncode = proc.wait(timeout=120)
        assert returncode == 0, proc.stderr()
        if timed:
            took = time.monotonic() - started
            self.duration[name] = min(self.duration.get(name, took), took)
        self.completed[name] = self.completed.get(name, 0) + 1
        if DEBUG:
            print(f"{time.monotonic():.1f} {name} completed in {time.monotonic() - started:.1f}s", flush=True)
        return False


def _archive_holds_every_loaded_file(warehouse: Path) -> None:
    root = config.archive_dir(warehouse)
    stored = {e.sha256: e for e in archive.entries(warehouse)}
    con = open_read_only(warehouse)
    try:
        loaded = con.sql("select sha256, batch_id from raw_ingest_log").fetchall()
    finally:
        con.close()
    for sha, batch in loaded:
        assert sha in stored, f"{sha} is in the warehouse but not in the archive"
        assert stored[sha].batch_id == batch
        assert hashlib.sha256(stored[sha].blob(root).read_bytes()).hexdigest() == sha


def _no_half_snapshot(out: Path) -> None:
    for folder in reliability.dated_folders(out):
        reliability.check_snapshot(folder)
    latest = read_latest(out) if out.exists() else None
    if latest is not None:
        reliability.check_snapshot(latest)


def _ingest_series(killer: Killer, warehouse: Path, files: list[Path]) -> list[str]:
    """Each file is offered again after every kill — until a kill lands after the killed run
    published (then the file is in) or the file's share of kills is spent — then once more,
    and that run must complete. Returns the fingerprint of every version published."""
    history = [reliability.fingerprint(warehouse)]
    installed = False  # one re-run finding its file loaded is the installed command
    for i, path in enumerate(files):
        if killer.kills.get("ingest", 0) >= INGEST_KILLS and i >= 4:
            break
        args = ["ingest", "--warehouse", str(warehouse), str(path)]
        before, seen, loaded = history[-1], [], False
        kills = 0 if i == 0 else INGEST_KILLS_PER_FILE  # the first run measures how long one takes
        for _ in range(kills):
            if not killer.run("ingest", args, kill=True):
                loaded = True
                break  # it finished before its kill
            seen.append(reliability.fingerprint(warehouse))  # it opens …
            _archive_holds_every_loaded_file(warehouse)  # … and every file it loaded is archived
            if DEBUG:  # where the kill landed, by what it left
                pending = [e.name for e in archive.entries(warehouse) if e.state == archive.PENDING]
                print(f"  left: published={seen[-1] != before} working copies={len(list(warehouse.parent.glob('.*.next-*')))} "
                      f"pending in archive={pending}", flush=True)
            if seen[-1] != before:
                loaded = True
                break  # killed after publishing: a re-run finds the file loaded
        # The re-run completes; one that finds its file loaded is no measure of a full run.
        if loaded and not installed:
            installed = True
            killer.run("ingest", args, kill=False, timed=False, installed=True)
        else:
            killer.run("ingest", args, kill=False, timed=not loaded)
        after = reliability.fingerprint(warehouse)
        assert after != before, f"{path.name} changed nothing"
        assert set(seen) <= {before, after}, "a killed ingest left a version that is neither before nor after"
        history.append(after)
        _archive_holds_every_loaded_file(warehouse)
    return history


def _export_series(killer: Killer, warehouse: Path, out: Path) -> None:
    """Exports killed while they write (a load may publish meanwhile); after every few kills
    one is let finish (the installed command). The folder is whole after every kill."""
    args = ["export", "--warehouse", str(warehouse), "--as-of", AS_OF, "--out", str(out)]
    killer.run("export", args, kill=False)  # timed
    while killer.kills.get("export", 0) < EXPORT_KILLS:
        round_ends = min(killer.kills.get("export", 0) + EXPORT_KILLS_PER_ROUND, EXPORT_KILLS)
        while killer.kills.get("export", 0) < round_ends:  # (a run that ends before its kill is no kill)
            if killer.run("export", args, kill=True) and DEBUG:  # where the kill landed, by what it left
                print(f"  left: {sorted((p.name, len(list(p.iterdir()))) for p in out.glob('.*') if p.is_dir())}", flush=True)
            _no_half_snapshot(out)
        killer.run("export", args, kill=False, timed=False, installed=True)
        _no_half_snapshot(out)


def _rebuild_series(killer: Killer, warehouse: Path, history: list[str]) -> None:
    """Rebuilds from the archive after the history of loads: killed ones leave the live file
    alone; the one let finish (the installed command) gives the same metrics and rows."""
    expected = _metrics(warehouse)
    args = ["rebuild", "--warehouse", str(warehouse)]
    for _ in range(REBUILD_KILLS):
        if not killer.run("rebuild", args, kill=True):
            break  # it finished before its kill; the installed command rebuilds once more
        assert reliability.fingerprint(warehouse) == history[-1]
    killer.run("rebuild", args, kill=False, timed=False, installed=True)
    assert _metrics(warehouse) == expected
    assert reliability.fingerprint(warehouse) == history[-1]
    assert not list(warehouse.parent.glob(".rebuild-*"))


@pytest.mark.slow
def test_sigkill_at_random_moments_never_corrupts_the_warehouse_archive_or_snapshots(tmp_path):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    out = tmp_path / "snapshots"
    with Forks() as ingest_forks, Forks() as export_forks:  # (they import while the files are made)
        ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
        ingest([builders.xlsx(tmp_path / "0.xlsx", HAZARD_HEADERS, [hazard("H0")])], warehouse)
        files = reliability.ledger_series(tmp_path / "files", months=INGEST_MONTHS)
        ingests = Killer(random.Random(6), ingest_forks, tmp_path / "ingest.stderr")
        rebuilds = Killer(random.Random(7), ingest_forks, tmp_path / "rebuild.stderr")
        exports = Killer(random.Random(2026), export_forks, tmp_path / "export.stderr")

        def loads_then_rebuild() -> list[str]:
            history = _ingest_series(ingests, warehouse, files)
            assert not list(warehouse.parent.glob(".*.next-*")), "the last run removes what killed runs left"
            rebuilds.duration["rebuild"] = 2 * ingests.duration["ingest"]
            _rebuild_series(rebuilds, warehouse, history)
            return history

        # The loads and the exports run side by side, as a clerk's load and a scheduled export
        # would; the rebuild follows the loads (while the exports go on).
        results: dict[str, object] = {}

        def run(name, fn, *args):
            try:
                results[name] = fn(*args)
            except BaseException as exc:  # re-raised below
                results[name] = exc

        threads = [threading.Thread(target=run, args=("ingest", loads_then_rebuild)),
                   threading.Thread(target=run, args=("export", _export_series, exports, warehouse, out))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for value in results.values():
            if isinstance(value, BaseException):
                raise value
    manifest = reliability.check_snapshot(out / AS_OF)
    assert manifest["source_files"], "the snapshot names the files it was made from"
    assert [p.name for p in reliability.dated_folders(out)] == [AS_OF]
    assert not [p for p in out.iterdir() if p.name.startswith(f".{AS_OF}")], "working folders are cleaned up"

    kills = {**ingests.kills, **exports.kills, **rebuilds.kills}
    print(f"\nkilled {kills}; completed {ingests.completed | exports.completed | rebuilds.completed}")
    assert kills.get("ingest", 0) >= INGEST_KILLS and kills.get("export", 0) >= EXPORT_KILLS, kills
    assert kills["ingest"] + kills["export"] >= MIN_KILLS


def test_a_load_cut_off_after_archiving_is_not_replayed_by_rebuild(load, warehouse, tmp_path, monkeypatch):
    """A writer that dies after archiving a file but before publishing the version that loads
    it: the file is not in the warehouse, so `xiaoan rebuild` must not replay it either."""
    load(builders.xlsx(tmp_path / "a.xlsx", HAZARD_HEADERS, [hazard("H1")]))
    expected = _metrics(warehouse)

    def power_cut(*args, **kwargs):
        raise SystemExit("power cut")

    monkeypatch.setattr("pipelines.ingest.load._load_records", power_cut)  # after archiving, before publishing
    with pytest.raises(SystemExit):
        load(builders.xlsx(tmp_path / "b.xlsx", HAZARD_HEADERS, [hazard("H2"), hazard("H3")]))
    monkeypatch.undo()
    assert [e.state for e in archive.entries(warehouse)].count(archive.PENDING) == 1
    rebuild(warehouse)
    assert _metrics(warehouse) == expected
    assert all(e.state == archive.PUBLISHED for e in archive.entries(warehouse))
    assert {e.name for e in archive.entries(warehouse)} == {"登记册.xlsx", "a.xlsx"}


def test_a_load_cut_off_after_publishing_is_marked_published_by_the_next_writer(load, warehouse, tmp_path, monkeypatch):
    """A writer that dies between publishing and marking its files published: the next load
    finds the batch in the warehouse and keeps the files."""
    monkeypatch.setattr(archive, "mark_published", lambda *a, **k: None)
    load(builders.xlsx(tmp_path / "a.xlsx", HAZARD_HEADERS, [hazard("H1")]))
    monkeypatch.undo()
    assert archive.PENDING in {e.state for e in archive.entries(warehouse)}
    load(builders.xlsx(tmp_path / "b.xlsx", HAZARD_HEADERS, [hazard("H2")]))
    assert {e.name: e.state for e in archive.entries(warehouse)} == {
        "登记册.xlsx": archive.PUBLISHED, "a.xlsx": archive.PUBLISHED, "b.xlsx": archive.PUBLISHED}
    expected = _metrics(warehouse)
    rebuild(warehouse)
    assert _metrics(warehouse) == expected


def test_a_rebuild_holds_the_writer_lock_so_a_concurrent_load_is_never_lost(load, warehouse, tmp_path, monkeypatch):
    """A load that starts while a rebuild runs waits for it and lands on the rebuilt version."""
    import threading

    load(builders.xlsx(tmp_path / "a.xlsx", HAZARD_HEADERS, [hazard("H1")]))
    started = threading.Event()
    import importlib

    rebuild_module = importlib.import_module("pipelines.publish.rebuild")  # (pipelines.publish.rebuild is the function)
    original = rebuild_module.publish_batch

    def slow_batch(*args, **kwargs):
        started.set()
        time.sleep(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(rebuild_module, "publish_batch", slow_batch)
    thread = threading.Thread(target=rebuild, args=(warehouse,))
    thread.start()
    assert started.wait(10)
    load(builders.xlsx(tmp_path / "b.xlsx", HAZARD_HEADERS, [hazard("H2")]))
    thread.join()
    con = open_read_only(warehouse)
    try:
        assert con.sql("select hazard_id from hazards order by 1").fetchall() == [("H1",), ("H2",)]
    finally:
        con.close()


def test_an_old_snapshot_set_aside_by_a_killed_export_is_put_back_not_deleted(load, warehouse, tmp_path):
    """Where folders cannot be swapped in one step, an export renames the old snapshot aside,
    then the new one in. Killed between the two, the next export restores the old one."""
    from pipelines.export import export_snapshot

    load(builders.xlsx(tmp_path / "a.xlsx", HAZARD_HEADERS, [hazard("H1")]))
    out = tmp_path / "snapshots"
    export_snapshot(warehouse, "2026-03-31", None, None, out)
    (out / "2026-03-31").rename(out / ".2026-03-31.old-0badf00d")
    (out / ".2026-03-31.tmp-1-0badf00d").mkdir()  # the new one, cut off while being written
    export_snapshot(warehouse, "2026-04-30", None, None, out)
    assert [p.name for p in reliability.dated_folders(out)] == ["2026-03-31", "2026-04-30"]
    for folder in reliability.dated_folders(out):
        reliability.check_snapshot(folder)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".20")]
