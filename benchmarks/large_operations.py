"""At province scale: one new monthly ledger into the large warehouse (target < 5 s),
`xiaoan export` of the large warehouse (target < 30 s), with peak memory (< 4 GiB), and the
hazard ledger page's CSV and Excel downloads of every hazard (made when the button is pressed).

    python -m benchmarks.large_operations [--runs N]
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks.common import CACHE, Result, machine, median, run_child, write_results
from benchmarks.dashboard_queries import warehouse

NEW_MONTH = """
# One more month of a large district: the last monthly hazard ledger of a sample one month
# longer, which the warehouse has not seen (new reports of known and new hazards).
import time
from pathlib import Path
from pipelines.publish import ingest
t = time.perf_counter()
r = ingest([Path({ledger!r})], Path({wh!r}))
f = r.files[0]
RESULT = dict(seconds=time.perf_counter() - t, rows=f.rows_in, loaded=f.loaded, status=f.status)
"""

EXPORT = """
import time, datetime as dt
from pathlib import Path
from pipelines.export.snapshot import export_snapshot
t = time.perf_counter()
r = export_snapshot(Path({wh!r}), {as_of!r}, None, None, Path({out!r}))
RESULT = dict(seconds=time.perf_counter() - t, files=len(r.files), hazards=r.row_counts.get("hazards"))
"""

DOWNLOAD = """
# The hazard ledger page's download buttons, district scope, whole year: every hazard in the
# page's columns and order, in display form, as CSV and as Excel.
import datetime as dt, time
from dashboard.downloads import to_csv, to_xlsx
from xiaoan.labels import for_display
from xiaoan.metrics import Filters, Metrics, Scope
from xiaoan.rules import load_rules
from xiaoan.warehouse import Reader
COLUMNS = ["hazard_id", "school_name", "town_name", "category", "level", "status", "found_date", "deadline",
           "rectified_date", "closed_date", "days_overdue", "risk", "dept_name", "description", "measures", "report_date"]
reader = Reader({wh!r})
m = Metrics(cursor=reader.cursor, rules=load_rules())
t = time.perf_counter()
rows = for_display(m.hazards(Filters(as_of=dt.date(2026, 10, 31), start=dt.date(2026, 1, 1), end=dt.date(2026, 10, 31)),
                             Scope(), order="priority").select(COLUMNS), "zh")
fetched = time.perf_counter() - t
t = time.perf_counter(); csv = to_csv(rows); csv_s = time.perf_counter() - t
t = time.perf_counter(); xlsx = to_xlsx(rows, "hazards", "zh"); xlsx_s = time.perf_counter() - t
RESULT = dict(rows=rows.height, fetch=fetched, csv=csv_s, xlsx=xlsx_s, csv_mb=len(csv) / 2**20, xlsx_mb=len(xlsx) / 2**20)
"""


def next_month_ledger() -> str:
    """The hazard ledger of November 2026 from a large sample that runs one month longer."""
    import subprocess
    import sys

    from benchmarks.common import ROOT

    out = CACHE / "sample-large-csv-2026-2026-11-30"
    if not (out / ".complete").exists():
        subprocess.run([sys.executable, "-m", "xiaoan_cli", "sample", "--out", str(out), "--scale", "large", "--format", "csv",
                        "--end", "2026-11-30"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        (out / ".complete").write_text("ok")
    candidates = sorted(p for p in out.rglob("*.csv") if "2026-11" in p.name)
    return str(candidates[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = warehouse("large")
    ledger = next_month_ledger()
    incremental, exports, downloads = [], [], []
    for _ in range(args.runs):
        work = CACHE / "large-ops"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        wh = work / "warehouse.duckdb"
        shutil.copyfile(base, wh)
        incremental.append(run_child(NEW_MONTH.format(ledger=ledger, wh=str(wh))))
        exports.append(run_child(EXPORT.format(wh=str(base), as_of="2026-10-31", out=str(work / "snapshots"))))
        downloads.append(run_child(DOWNLOAD.format(wh=str(base))))
        shutil.rmtree(work, ignore_errors=True)
    inc, exp = median([r["seconds"] for r in incremental]), median([r["seconds"] for r in exports])
    results = [
        Result("one new monthly ledger into the large warehouse", inc, "s", "< 5 s", inc < 5,
               f"{incremental[0]['rows']:,} rows, {incremental[0]['status']}", [r["seconds"] for r in incremental]),
        Result("peak memory, incremental ingest", max(r["peak_rss_mib"] for r in incremental), "MiB", "< 4096",
               max(r["peak_rss_mib"] for r in incremental) < 4096, ""),
        Result("xiaoan export of the large warehouse", exp, "s", "< 30 s", exp < 30,
               f"{exports[0]['files']} files, {exports[0]['hazards']:,} hazards", [r["seconds"] for r in exports]),
        Result("peak memory, export", max(r["peak_rss_mib"] for r in exports), "MiB", "< 4096",
               max(r["peak_rss_mib"] for r in exports) < 4096, ""),
    ]
    for key, label in (("csv", "CSV"), ("xlsx", "Excel")):
        seconds = [d["fetch"] + d[key] for d in downloads]
        results.append(Result(f"hazard ledger download of every hazard as {label}", median(seconds), "s", "—", None,
                              f"{downloads[0]['rows']:,} rows, {downloads[0][key + '_mb']:.0f} MiB; "
                              f"query {median([d['fetch'] for d in downloads]):.1f} s", seconds))
    results.append(Result("peak memory, downloads", max(d["peak_rss_mib"] for d in downloads), "MiB", "< 4096",
                          max(d["peak_rss_mib"] for d in downloads) < 4096, ""))
    write_results("large_operations", results, machine())


if __name__ == "__main__":
    main()
