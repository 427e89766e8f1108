"""Ingest speed at province scale (issue 2 and 7): `xiaoan sample --scale large --format csv`
loaded into a fresh warehouse, against DuckDB's own read_csv of the same files into tables,
in the same run. Target: within 3× of DuckDB; peak memory under 4 GiB.

A second set (issue 14) is the same one with the 隐患编号, 隐患类别 and 责任单位 columns
removed from every hazard ledger, as many offices keep them: hazard identity, category and
responsible unit are then derived (SPEC §2.1). Target: within 4× of DuckDB's read_csv of those
same stripped files.

    python -m benchmarks.ingest_speed [--runs N] [--sets full,stripped]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

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


STRIPPED = ("隐患编号", "隐患类别", "责任单位")

# Where a hazard is: a ledger without 隐患编号 tells its hazards apart by the description, and real
# ones name the place ("3号教学楼2层东侧205室消防栓水压不足"). The generator writes 41 bare
# descriptions, so the stripped set prefixes each with a place taken from the hazard's serial number
# (the same place in every monthly report of the hazard, a different one for each hazard of a school).
BUILDINGS = ("1号教学楼", "2号教学楼", "3号教学楼", "实验楼", "综合楼", "食堂", "学生宿舍", "办公楼", "体育馆", "图书馆")
SIDES = ("东侧", "西侧", "南侧", "北侧", "走廊", "楼梯间")


def placed(description: "pl.Expr", hazard_id: "pl.Expr") -> "pl.Expr":
    """The description with a place derived from the hazard id's serial (mixed radix: 12,000 places)."""
    import polars as pl

    n = hazard_id.str.normalize("NFKC").str.extract(r"([0-9]+)\s*$", 1).cast(pl.Int64)
    floor = n // 10 % 5 + 1
    place = pl.concat_str([
        n.mod(10).replace_strict(list(range(10)), list(BUILDINGS), return_dtype=pl.String),
        floor.cast(pl.String), pl.lit("层"),
        (n // 50).mod(6).replace_strict(list(range(6)), list(SIDES), return_dtype=pl.String),
        (floor * 100 + (n // 300).mod(40) + 1).cast(pl.String), pl.lit("室"),
    ])
    return pl.when(n.is_not_null() & description.is_not_null()).then(place + description).otherwise(description)


def stripped() -> Path:
    """The province set with STRIPPED removed from every hazard ledger (other files as they are),
    each hazard's description prefixed with its place (see `placed`), kept under .bench/."""
    import polars as pl

    src = sample("large", "csv")
    out = CACHE / f"{src.name}-stripped-placed"
    if (out / ".complete").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(src, out, ignore=shutil.ignore_patterns(".complete"))
    for ledger in sorted((out / "hazards").glob("*.csv")):
        frame = pl.read_csv(ledger, infer_schema_length=0)
        frame = frame.with_columns(placed(pl.col("隐患描述"), pl.col("隐患编号")).alias("隐患描述"))
        frame.drop([c for c in STRIPPED if c in frame.columns]).write_csv(ledger)
    (out / ".complete").write_text("ok")
    return out


def measure(label: str, src: Path, runs: int, target: float) -> list[Result]:
    ours, base = [], []
    for i in range(runs):
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
    return [
        Result(f"{label}: xiaoan ingest", t_ours, "s", "—", None, f"{rows:,} rows in, {ours[0]['loaded']:,} loaded, {ours[0]['rejected']:,} rejected", [o["seconds"] for o in ours]),
        Result(f"{label}: rows per second", rows / t_ours, "rows/s", "—", None, "all rows of every file"),
        Result(f"{label}: DuckDB read_csv of the same files", t_base, "s", "baseline", None, f"{base[0]['rows']:,} rows, {base[0]['files']} files", [b["seconds"] for b in base]),
        Result(f"{label}: ratio xiaoan / DuckDB", t_ours / t_base, "×", f"≤ {target:g}", t_ours / t_base <= target, "medians of the same run"),
        Result(f"{label}: peak memory of ingest", peak, "MiB", "< 4096", peak < 4096, "largest of the runs"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sets", default="full,stripped")
    args = parser.parse_args()
    sets = {
        "full": ("large CSV set", lambda: sample("large", "csv"), 3.0),
        "stripped": ("large CSV set without 隐患编号/隐患类别/责任单位", stripped, 4.0),
    }
    results = []
    for name in args.sets.split(","):
        label, src, target = sets[name]
        results += measure(label, src(), args.runs, target)
    write_results("ingest_speed", results, machine())


if __name__ == "__main__":
    main()
