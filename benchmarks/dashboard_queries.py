"""Every query the dashboard's pages run, warm, p50 and p95 (issue 4 and 7), at the sample
district and at province scale (`--scale large`). Target: p95 < 200 ms per query at large scale.

The metric calls are found by reading the pages (dashboard/views/*.py: measures.get("name")),
the listing queries are the named SQL of dashboard/queries.py, run with bound parameters.
Streamlit's caches are bypassed: every timing is a real query on the warehouse.

    python -m benchmarks.dashboard_queries [--runs N] [--scales standard,large]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import time
from pathlib import Path

from benchmarks.common import CACHE, ROOT, Result, machine, sample, write_results

VIEWS = ROOT / "dashboard" / "views"


def warehouse(scale: str) -> Path:
    """The sample of that scale, loaded once and kept under .bench/."""
    from pipelines.ingest.load import ingest

    path = CACHE / f"wh-{scale}" / "warehouse.duckdb"
    if not (path.parent / ".complete").exists():
        import shutil

        shutil.rmtree(path.parent, ignore_errors=True)
        ingest([sample(scale, "csv")], path)
        (path.parent / ".complete").write_text("ok")
    return path


def page_metrics() -> dict[str, list[str]]:
    """page → the metric names it asks for."""
    found = {}
    for view in sorted(VIEWS.glob("*.py")):
        names = re.findall(r'measures\.(?:get|call)\(\s*"([a-z_]+)"', view.read_text(encoding="utf-8"))
        if names:
            found[view.stem] = sorted(set(names))
    return found


def listing_queries() -> dict[str, str]:
    from dashboard import queries

    return {name.lower(): sql for name, sql in vars(queries).items()
            if name.isupper() and not name.startswith("_") and isinstance(sql, str) and "select" in sql.lower()}


def timed(fn, runs: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def measure(scale: str, runs: int) -> list[tuple[str, str, list[float]]]:
    from xiaoan.metrics import DISTRICT, Filters, Metrics
    from xiaoan.rules import load_rules
    from xiaoan.warehouse import Reader

    path = warehouse(scale)
    reader = Reader(path)
    metrics = Metrics(cursor=reader.cursor, rules=load_rules())
    cur = reader.cursor()
    as_of = cur.sql("select max(report_date) from hazard_reports").fetchall()[0][0]
    some = cur.sql("select (select min(hazard_id) from hazards), (select min(school_code) from schools), "
                   "(select min(town_code) from towns)").fetchall()[0]
    cur.close()
    filters = Filters(as_of=as_of)
    out = []
    for page, names in page_metrics().items():
        for name in names:
            method = getattr(metrics, name)
            call = (lambda m=method: m(filters)) if name == "district_plenary" else (lambda m=method: m(filters, DISTRICT))
            out.append((page, name, timed(call, runs)))
    values = {"scope_kind": "district", "scope_code": None, "start": dt.date(as_of.year, 1, 1), "end": as_of, "as_of": as_of,
              "towns": [], "school_types": [], "hazard_id": some[0], "school_code": some[1], "town_code": some[2], "search": ""}
    for name, sql in listing_queries().items():
        params = {k: v for k, v in values.items() if f"${k}" in sql}

        def run(sql=sql, params=params):
            c = reader.cursor()
            try:
                c.sql(sql, params=params).pl()
            finally:
                c.close()

        out.append(("listing", name, timed(run, runs)))
    reader.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scales", default="standard,large")
    args = parser.parse_args()
    results = []
    for scale in args.scales.split(","):
        for page, name, times in measure(scale, args.runs):
            worst = p95(times)
            target = "< 200 ms (p95)" if scale == "large" else "—"
            met = worst < 200 if scale == "large" else None
            results.append(Result(f"{scale} · {page} · {name}", statistics.median(times), "ms p50", target, met,
                                  f"p95 {worst:.0f} ms"))
    write_results("dashboard_queries", results, machine() + f"; {args.runs} warm runs per query")


if __name__ == "__main__":
    main()
