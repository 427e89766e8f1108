"""How cost grows with data: ingest time, rows per second, warehouse size and a few of the
heaviest dashboard queries at 1 %, 10 % and 100 % of the province-scale set.

    python -m benchmarks.scaling
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics

from benchmarks.common import CACHE, END, Result, machine, run_child, sample, write_results

FRACTIONS = (0.01, 0.1, 1.0)

INGEST_AND_QUERY = """
import time, statistics
from pathlib import Path
from pipelines.publish import ingest
from xiaoan.metrics import DISTRICT, Filters, Metrics
from xiaoan.warehouse import Reader
t = time.perf_counter()
r = ingest([Path({src!r})], Path({wh!r}))
seconds = time.perf_counter() - t
reader = Reader(Path({wh!r}))
m = Metrics(cursor=reader.cursor)
as_of = reader.cursor().sql("select max(report_date) from hazard_reports").fetchall()[0][0]
f = Filters(as_of=as_of)
query_ms = {{}}
for name in ("headline", "dept_closure", "town_risk", "town_scores", "dept_scores"):
    getattr(m, name)(f, DISTRICT)
    runs = []
    for _ in range(7):
        q = time.perf_counter(); getattr(m, name)(f, DISTRICT); runs.append((time.perf_counter() - q) * 1000)
    query_ms[name] = statistics.median(runs)
reports = reader.cursor().sql("select count(*) from hazard_reports").fetchall()[0][0]
RESULT = dict(seconds=seconds, rows=sum(x.rows_in for x in r.files), reports=reports, bytes=Path({wh!r}).stat().st_size, query_ms=query_ms)
"""


def dataset(fraction: float):
    if fraction == 1.0:
        return sample("large", "csv")
    from pipelines.sample.generate import generate
    from pipelines.sample.params import SCALES, scaled

    out = CACHE / f"sample-large-csv-{fraction}-{END}"
    if not (out / ".complete").exists():
        shutil.rmtree(out, ignore_errors=True)
        generate(out, 2026, scaled(SCALES["large"], fraction), "csv", dt.date.fromisoformat(END))
        (out / ".complete").write_text("ok")
    return out


def main() -> None:
    results = []
    for fraction in FRACTIONS:
        work = CACHE / "scaling-run"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        out = run_child(INGEST_AND_QUERY.format(src=str(dataset(fraction)), wh=str(work / "w.duckdb")))
        shutil.rmtree(work, ignore_errors=True)
        label = f"{fraction:.0%} of province ({out['reports']:,} hazard reports)"
        results.append(Result(f"{label}: ingest", out["seconds"], "s", "—", None,
                              f"{out['rows'] / out['seconds']:,.0f} rows/s, warehouse {out['bytes'] / 2**20:.0f} MiB, peak {out['peak_rss_mib']:.0f} MiB"))
        results.append(Result(f"{label}: heaviest metric query", max(out["query_ms"].values()), "ms p50", "—", None,
                              ", ".join(f"{k} {v:.0f}" for k, v in out["query_ms"].items())))
    write_results("scaling", results, machine())


if __name__ == "__main__":
    main()
