"""Ingest of .xlsx ledgers against what an analyst's script would do: pandas + openpyxl
reading the same workbooks (every sheet), in the same run. Target: xiaoan's whole ingest
(read, check, load, publish) takes at most 0.2× the time pandas + openpyxl take just to read.

Two sets: the sample district's .xlsx workbooks (71 files, ~20k rows: a load's fixed cost —
copying, building and publishing the warehouse — weighs most there), and 5 % of the province
set written as .xlsx workbooks (every ledger of `--scale large` is CSV; here each is saved as
one .xlsx sheet of text cells, as offices type them: ~92k rows), where the rows weigh most.

A third set, `typed`, is what a new user tried (issue 14): the hazard ledgers of 10 % of the
province (103,434 rows) in 5 workbooks written by polars' `write_excel`, so that dates are real
date cells and numbers real numbers, with the registry's tables written the same way. The issue's
target is about the hazard rows, so the registry is loaded into the warehouse before the clock
starts (as an office's registry is there before its ledgers come) and both sides time the 5
hazard workbooks.

    python -m benchmarks.xlsx_vs_openpyxl [--runs N] [--sets standard,province5,typed]
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from benchmarks.common import CACHE, Result, machine, median, run_child, sample, write_results

OURS = """
import time
from pathlib import Path
from pipelines.publish import ingest
if {registry!r}:  # the office's registry, loaded before (not timed): the ledgers are what is measured
    ingest(sorted(Path({registry!r}).rglob("*.xlsx")), Path({wh!r}))
files = sorted(Path({src!r}).rglob("*.xlsx"))
t, cpu = time.perf_counter(), time.process_time()
r = ingest(files, Path({wh!r}))
RESULT = dict(seconds=time.perf_counter() - t, cpu=time.process_time() - cpu, files=len(files),
              rows=sum(f.rows_in for f in r.files), loaded=sum(f.loaded for f in r.files))
"""

PANDAS = """
import time
from pathlib import Path
import pandas as pd
files = sorted(Path({src!r}).rglob("*.xlsx"))
t, cpu = time.perf_counter(), time.process_time()
rows = 0
for f in files:
    for frame in pd.read_excel(f, sheet_name=None, header=None, engine="openpyxl").values():
        rows += len(frame)
RESULT = dict(seconds=time.perf_counter() - t, cpu=time.process_time() - cpu, files=len(files), rows=rows)
"""


def province_xlsx(fraction: float = 0.05) -> Path:
    """The province set at `fraction`, every CSV ledger (and the registry) as .xlsx, kept under .bench/."""
    import datetime as dt

    import polars as pl
    import xlsxwriter

    from benchmarks.common import END
    from pipelines.sample.generate import generate
    from pipelines.sample.params import SCALES, scaled

    out = CACHE / f"sample-large-xlsx-{fraction}-{END}"
    if (out / ".complete").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    csv = CACHE / f"sample-large-mixed-{fraction}-{END}"
    shutil.rmtree(csv, ignore_errors=True)
    generate(csv, 2026, scaled(SCALES["large"], fraction), "mixed", dt.date.fromisoformat(END))
    for source in sorted(csv.rglob("*")):
        target = out / source.relative_to(csv)
        if source.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix != ".csv":
            shutil.copyfile(source, target)
            continue
        frame = pl.read_csv(source, infer_schema_length=0, encoding="utf8-lossy")
        book = xlsxwriter.Workbook(str(target.with_suffix(".xlsx")), {"constant_memory": True, "strings_to_numbers": False})
        sheet = book.add_worksheet("台账")
        sheet.write_row(0, 0, frame.columns)
        for r, row in enumerate(frame.iter_rows(), start=1):
            sheet.write_row(r, 0, ["" if v is None else v for v in row])
        book.close()
    shutil.rmtree(csv, ignore_errors=True)
    (out / ".complete").write_text("ok")
    return out


def typed_xlsx(workbooks: int = 5) -> Path:
    """Every hazard ledger of 10 % of the province, as `workbooks` .xlsx files of typed cells
    (dates as date cells) written by polars, and the registry's tables likewise; kept under .bench/."""
    import polars as pl

    from benchmarks.scaling import dataset

    out = CACHE / f"typed-xlsx-{workbooks}"
    if (out / ".complete").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    src = dataset(0.1)
    (out / "hazards").mkdir(parents=True)
    (out / "registry").mkdir()
    for table in sorted((src / "registry").glob("*.csv")):  # numbers inferred: typed cells
        pl.read_csv(table).write_excel(out / "registry" / table.with_suffix(".xlsx").name, worksheet=table.stem)
    frame = pl.concat([pl.read_csv(f, infer_schema_length=0) for f in sorted((src / "hazards").glob("*.csv"))])
    dates = [c for c in frame.columns if c.endswith(("日期", "时限"))]
    # The generator writes dates in a clerk's many ways (2025/5/3, 2025年5月3日, 2025.5.3 …).
    as_date = [pl.col(c).str.replace_all(r"[年月./－]", "-").str.strip_chars("日").str.to_date("%Y-%m-%d", strict=False)
               for c in dates]
    frame = frame.with_columns(as_date)
    size = -(-frame.height // workbooks)
    for i in range(workbooks):
        frame.slice(i * size, size).write_excel(out / "hazards" / f"第{i + 1}批隐患台账.xlsx", worksheet="台账")
    (out / ".complete").write_text("ok")
    return out


def measure(label: str, src: Path, runs: int, registry: Path | None = None, target: bool = True) -> list[Result]:
    """Both sides `runs` times, alternating. `target`: whether the ratio is held to 0.2× (the
    issue's target is about ~100k hazard rows; the standard set's ~20k rows in 71 workbooks
    measure a load's fixed cost, and its ratio is reported without the target)."""
    ours, base = [], []
    for i in range(runs):
        work = CACHE / "xlsx-run"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        pair = [(ours, OURS), (base, PANDAS)] if i % 2 == 0 else [(base, PANDAS), (ours, OURS)]
        for bucket, code in pair:
            bucket.append(run_child(code.format(src=str(src), wh=str(work / "w.duckdb"), registry=str(registry or ""))))
        shutil.rmtree(work, ignore_errors=True)
    t_ours, t_base = median([o["seconds"] for o in ours]), median([b["seconds"] for b in base])
    c_ours, c_base = median([o["cpu"] for o in ours]), median([b["cpu"] for b in base])
    return [
        Result(f"{label}: xiaoan ingest of the .xlsx ledgers", t_ours, "s", "—", None,
               f"{ours[0]['files']} workbooks, {ours[0]['rows']:,} rows, {ours[0]['loaded']:,} loaded"
               + (" (registry loaded before, not timed)" if registry else ""), [o["seconds"] for o in ours]),
        Result(f"{label}: pandas + openpyxl read of the same", t_base, "s", "baseline", None,
               f"{base[0]['rows']:,} rows read", [b["seconds"] for b in base]),
        Result(f"{label}: ratio xiaoan / pandas+openpyxl", t_ours / t_base, "×", "≤ 0.2" if target else "—",
               t_ours / t_base <= 0.2 if target else None,
               "medians of the same run" + ("" if target else "; a load's fixed cost weighs most here: the 0.2× target is for ~100k rows")),
        # CPU seconds (every thread of each side's process): what the machine's other load
        # disturbs least. For reading only, not the target: the ingest's 2 cores share the work.
        Result(f"{label}: CPU seconds, xiaoan / pandas+openpyxl", c_ours / c_base, "×", "—", None,
               f"{c_ours:.2f} s / {c_base:.2f} s CPU (medians)", [o["cpu"] for o in ours]),
        Result(f"{label}: peak memory of ingest", max(o["peak_rss_mib"] for o in ours), "MiB", "< 4096",
               max(o["peak_rss_mib"] for o in ours) < 4096, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sets", default="standard,province5,typed")
    args = parser.parse_args()
    sets = {"standard": lambda: sample("standard", "mixed"), "province5": province_xlsx, "typed": typed_xlsx}
    header = machine()  # the load average before the runs, not after them
    results = []
    for name in args.sets.split(","):
        src = sets[name]()
        if name == "typed":  # 103k hazard rows: the ledgers timed, into a warehouse holding the registry
            results += measure("typed cells, 5 hazard workbooks", src / "hazards", args.runs, registry=src / "registry")
        else:
            results += measure(name, src, args.runs, target=name != "standard")
    write_results("xlsx_vs_openpyxl", results, f"{header}, {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
