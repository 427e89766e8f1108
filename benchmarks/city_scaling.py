"""How the city roll-up scales (issue 17): lakes of 10, 100 and 1,000 districts, roll-up time and
peak memory on DuckDB and on Spark local, and how cost grows per ×10 districts.

    .venv/bin/python -m benchmarks.city_scaling [--sizes 10 100 1000] [--hazards 2500]

Run by hand, once (not by `make test` / `make bench`: the 1,000-district lake alone takes many
minutes to write). Each lake is generated directly at realistic sizes (pipelines/city/synthetic.py:
snapshot tables, not ledgers; one file per table and partition through the lake's own writer;
3 as-of dates, March, June and September; ~`hazards` hazards found per district over the year,
each district between 0.5× and 1.5× of it) and kept under .bench/city-lake-<N>/. Each roll-up is
the command a city runs, `xiaoan city rollup --engine E`, in a fresh process; peak memory is the
largest sum of RSS over that process and its children (the JVM for Spark), polled every 0.1 s.
Spark's figures include starting its JVM and session (measured alone, too: "spark start").
Writes benchmarks/results/city_scaling.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from benchmarks.common import CACHE, RESULTS, ROOT, machine

AS_OFS = ["2026-03-31", "2026-06-30", "2026-09-30"]
D = AS_OFS[-1]


def lake(n: int, hazards: int) -> tuple[Path, float]:
    """The lake of n districts (written once, kept); seconds it took to write (0 when kept)."""
    from pipelines.city.synthetic import write_lake

    path = CACHE / f"city-lake-{n}-{hazards}"
    if (path / ".complete").exists():
        return path / "lake", 0.0
    began = time.perf_counter()
    if path.exists():
        subprocess.run(["rm", "-rf", str(path)], check=True)
    write_lake(path / "lake", n, AS_OFS, hazards_per_district=hazards, seed=2026)
    (path / ".complete").write_text("ok")
    return path / "lake", time.perf_counter() - began


def measure(argv: list[str], env: dict | None = None) -> dict:
    """Wall seconds and peak RSS (MiB, the process and its children summed) of a command."""
    began = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{err[-3000:]}")
    return {"seconds": time.perf_counter() - began, "peak_mib": peak / 2**20}


def rollup(path: Path, engine: str, out: Path) -> dict:
    argv = [sys.executable, "-m", "xiaoan_cli.app", "city", "rollup", "--lake", str(path), "--as-of", D,
            "--out", str(out), "--engine", engine]
    return measure(argv, {"XIAOAN_SPARK_DRIVER_MEMORY": "4g"})


def spark_start() -> dict:
    code = ("from pipelines.city.rollup import spark_session; s = spark_session(); "
            "s.sql('select 1').collect(); s.stop()")
    return measure([sys.executable, "-c", code], {"XIAOAN_SPARK_DRIVER_MEMORY": "4g"})


def lake_facts(path: Path) -> dict:
    from pipelines.lake.read import committed

    parts = committed(path)
    rows = sum(p.row_counts.get("hazards", 0) for p in parts)
    size = sum(f.stat().st_size for p in parts for f in p.files.values())
    return {"partitions": len(parts), "files": sum(len(p.files) for p in parts), "hazard_rows": rows,
            "mib": size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--hazards", type=int, default=2500)
    parser.add_argument("--engines", nargs="+", default=["duckdb", "spark"])
    args = parser.parse_args()
    env = machine()
    rows = []
    start = spark_start() if "spark" in args.engines else None
    for n in args.sizes:
        path, wrote = lake(n, args.hazards)
        facts = lake_facts(path)
        row = {"districts": n, **facts, "write_seconds": wrote}
        for engine in args.engines:
            out = CACHE / f"city-rollup-{n}-{engine}"
            row[engine] = rollup(path, engine, out)
            print(n, engine, row[engine], flush=True)
        rows.append(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "city_scaling.json").write_text(json.dumps({"machine": env, "spark_start": start, "rows": rows},
                                                          indent=2) + "\n")
    (RESULTS / "city_scaling.md").write_text(report(env, start, rows, args.engines))
    print(report(env, start, rows, args.engines))


def report(env: str, start: dict | None, rows: list[dict], engines: list[str]) -> str:
    lines = ["# City roll-up scaling (benchmarks/city_scaling.py)", "", f"Machine: {env}.", "",
             "| districts | partitions | files | hazard rows | lake MiB | "
             + " | ".join(f"{e} s | {e} peak MiB" for e in engines) + " |",
             "|---:|---:|---:|---:|---:|" + "---:|---:|" * len(engines)]
    for r in rows:
        lines.append(f"| {r['districts']:,} | {r['partitions']:,} | {r['files']:,} | {r['hazard_rows']:,} | "
                     f"{r['mib']:.0f} | " + " | ".join(f"{r[e]['seconds']:.1f} | {r[e]['peak_mib']:.0f}"
                                                      for e in engines) + " |")
    lines += ["", "Growth per ×10 districts (time ratio, memory ratio):", ""]
    for a, b in zip(rows, rows[1:]):
        parts = [f"{e}: time ×{b[e]['seconds'] / a[e]['seconds']:.1f}, "
                 f"memory ×{b[e]['peak_mib'] / a[e]['peak_mib']:.1f}" for e in engines]
        lines.append(f"- {a['districts']:,} → {b['districts']:,}: " + "; ".join(parts))
    if start:
        lines += ["", f"Spark start alone (JVM, session, one trivial query, stop): {start['seconds']:.1f} s, "
                      f"peak {start['peak_mib']:.0f} MiB."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
