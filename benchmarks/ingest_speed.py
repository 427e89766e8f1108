"""Ingest speed at province scale (issue 2 and 7): `xiaoan sample --scale large --format csv`
loaded into a fresh warehouse, against DuckDB's own read_csv of the same files into tables,
in the same run. Target: within 3× of DuckDB; peak memory under 4 GiB.

    python -m benchmarks.ingest_speed [--runs N]
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks.common import CACHE, Result, machine, median, run_child, sample, write_results

OURS = """
import time
from pathlib import Path
from pipelines.publish import ingest
t = time.perf_counter()
r = ingest([Path({src!r})], Path({wh!r}))
seconds = time.perf_counter() - t
RESULT = dict(seconds=seconds, rows=sum(f.rows_in for f in r.files), loaded=sum(f.loaded for f in r.files),
              rejected=sum(f.rejected for f in r.files), files=len(r.files))
"""

DUCKDB = """
import glob, time, duckdb
files = sorted(glob.glob({src!r} + "/**/*.csv", recursive=True))
t = time.perf_counter()
con = duckdb.connect({wh!r})
rows = 0
for i, f in enumerate(files):
    con.execute(f"create table t{{i}} as select * from read_csv('{{f}}')")
    rows += con.sql(f"select count(*) from t{{i}}").fetchall()[0][0]
con.execute("checkpoint")
con.close()
RESULT = dict(seconds=time.perf_counter() - t, rows=rows, files=len(files))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    src = sample("large", "csv")
    ours, base = [], []
    for i in range(args.runs):
        work = CACHE / "ingest-run"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        # Alternate the order so a noisy neighbour hurts both sides alike.
        pair = [("ours", OURS), ("duckdb", DUCKDB)] if i % 2 == 0 else [("duckdb", DUCKDB), ("ours", OURS)]
        for name, code in pair:
            out = run_child(code.format(src=str(src), wh=str(work / f"{name}.duckdb")))
            (ours if name == "ours" else base).append(out)
            print(f"run {i + 1} {name}: {out}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
    t_ours = median([o["seconds"] for o in ours])
    t_base = median([b["seconds"] for b in base])
    rows = ours[0]["rows"]
    peak = max(o["peak_rss_mib"] for o in ours)
    results = [
        Result("xiaoan ingest, large CSV set", t_ours, "s", "—", None, f"{rows:,} rows in, {ours[0]['loaded']:,} loaded, {ours[0]['rejected']:,} rejected", [o["seconds"] for o in ours]),
        Result("rows per second", rows / t_ours, "rows/s", "—", None, "all rows of every file"),
        Result("DuckDB read_csv of the same files", t_base, "s", "baseline", None, f"{base[0]['rows']:,} rows, {base[0]['files']} files", [b["seconds"] for b in base]),
        Result("ratio xiaoan / DuckDB", t_ours / t_base, "×", "≤ 3", t_ours / t_base <= 3, "medians of the same run"),
        Result("peak memory of ingest", peak, "MiB", "< 4096", peak < 4096, "largest of the runs"),
    ]
    write_results("ingest_speed", results, machine())


if __name__ == "__main__":
    main()
