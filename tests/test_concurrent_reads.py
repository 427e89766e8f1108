"""Leaders look while the office loads: the dashboard's Reader queries in a loop, the dashboard
itself renders a page again and again, and a reader opens the snapshot folder, while another
process runs twenty ingests, each followed by an export. No read fails, and every read sees
exactly one published version (its row counts equal one version's, never a mix); every
snapshot read is whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.publish import ingest
from tests import builders, reliability
from tests.data_apptest import as_served  # noqa: F401 (autouse fixture: the app without Streamlit's component scan, as served)
from xiaoan.i18n import t
from xiaoan.warehouse import Reader

LOADS = 20  # ingests, each followed by an export (docs/reliability.md)
APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_readers_see_one_whole_version_while_twenty_loads_and_exports_run(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    out = tmp_path / "snapshots"
    ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
    files = reliability.ledger_series(tmp_path / "files", months=14)[:LOADS]
    assert len(files) == LOADS
    published = [reliability.counts(warehouse)]
    record = tmp_path / "versions.jsonl"

    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.concurrency_writer", str(warehouse), str(out), str(record), *map(str, files)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    stop = threading.Event()
    reads, errors, snapshot_reads = [], [], []

    def read_loop():  # the Reader the dashboard caches, as a page's query uses it
        reader = Reader(warehouse)
        while not stop.is_set():
            try:
                cur = reader.cursor()
                try:
                    reads.append(tuple(cur.sql(reliability.COUNTS_QUERY).fetchall()[0]))
                finally:
                    cur.close()
            except Exception as exc:
                errors.append(repr(exc))
            time.sleep(0.02)
        reader.close()

    def snapshot_loop():  # someone opening the newest snapshot while exports replace it
        while not stop.is_set():
            folder = out / "2026-12-31"
            if folder.exists():
                try:
                    snapshot_reads.append(reliability.check_snapshot(folder)["row_counts"]["hazards"])
                except FileNotFoundError:
                    pass  # replaced and removed while being read: the next reading sees the new one
                except Exception as exc:
                    errors.append(repr(exc))
            time.sleep(0.3)

    threads = [threading.Thread(target=read_loop), threading.Thread(target=snapshot_loop)]
    for thread in threads:
        thread.start()

    # The dashboard itself: the data-quality page, whose figures count one version's rows.
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(warehouse))
    for name in ("XIAOAN_SCOPE", "XIAOAN_RULES"):  # (XIAOAN_USERS: none, set by tests/conftest.py)
        monkeypatch.delenv(name, raising=False)
    shown = []
    try:
        while writer.poll() is None:
            at = AppTest.from_file(str(APP), default_timeout=60)
            at.switch_page("views/quality.py")
            at.run()
            if at.exception:
                errors.append([e.value for e in at.exception])
                continue
            figures = {m.label: m.value for m in at.metric}
            if t("dash.quality.files") in figures:  # the registry is loaded: the app is past its welcome page
                shown.append((int(figures[t("dash.quality.files")].replace(",", "")),
                              int(figures[t("dash.quality.rejected_rows")].replace(",", ""))))
            time.sleep(0.5)
    finally:
        _, stderr = writer.communicate(timeout=300)
        stop.set()
        for thread in threads:
            thread.join()
    assert writer.returncode == 0, stderr.decode(errors="replace")

    events = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    published += [tuple(e["counts"]) for e in events if e["event"] == "published"]
    assert len(published) == LOADS + 1 and sum(e["event"] == "exported" for e in events) == LOADS
    assert errors == []
    assert reads and set(reads) <= set(published), set(reads) - set(published)
    assert len(set(reads)) >= 3, "the reader followed the new versions"
    files_column, rejected_column = reliability.COUNT_TABLES.index("ingest_log"), reliability.COUNT_TABLES.index("rejected_rows")
    # Each figure is one query, so each equals that table's count in one version.
    assert shown and {f for f, _ in shown} <= {p[files_column] for p in published}, shown
    assert {r for _, r in shown} <= {p[rejected_column] for p in published}, shown
    assert snapshot_reads and set(snapshot_reads) <= {p[0] for p in published}
    print(f"\n{len(reads)} reader queries over {len(set(reads))} versions, {len(shown)} dashboard renders, "
          f"{len(snapshot_reads)} snapshot readings; {LOADS} loads and {LOADS} exports")
