"""Memory of a load with stray far cells (issue 12): the registry, a good ledger and four small
ledgers each with one stray cell at row 1,048,576 (before: 10.9 GB and 61 s), against the same
load without the four files, in the same run; plus one .xls with a cell at IV65536 (before:
1.6 GB). Each load runs in a fresh process (peak memory from VmHWM). Target: the whole load
under 1 GiB.

    python -m benchmarks.far_rows [--runs N]
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks.common import CACHE, Result, machine, median, run_child, write_results

MAKE = """
from pathlib import Path
from tests import builders
from tests.builders import HAZARD_HEADERS, hazard
out = Path({out!r})
out.mkdir(parents=True, exist_ok=True)
builders.registry_workbook(out / "registry.xlsx")
builders.xlsx(out / "good.xlsx", HAZARD_HEADERS, [hazard(f"G{{i}}") for i in range(20)])
for k in range(4):
    builders.xlsx_with_cells(out / f"far{{k}}.xlsx", HAZARD_HEADERS, [hazard(f"F{{k}}-{{i}}") for i in range(20)],
                             [(1_048_575, 3 + k, "x", False)])
builders.xls_with_cells(out / "far.xls", HAZARD_HEADERS, [hazard(f"X{{i}}") for i in range(20)], [(65_535, 255, "x")])
RESULT = dict(far_bytes=(out / "far0.xlsx").stat().st_size)
"""

LOAD = """
import time
from pathlib import Path
from pipelines.publish import ingest
src = Path({src!r})
files = [src / name for name in {names!r}]
t = time.perf_counter()
r = ingest(files, Path({wh!r}))
RESULT = dict(seconds=time.perf_counter() - t, rows=sum(f.rows_in for f in r.files), loaded=sum(f.loaded for f in r.files),
              rejected_whole=sum(f.status == "rejected" for f in r.files))
"""

BASE = ["registry.xlsx", "good.xlsx"]
FAR = BASE + [f"far{k}.xlsx" for k in range(4)]
XLS = BASE + ["far.xls"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    src = CACHE / "far-rows"
    shutil.rmtree(src, ignore_errors=True)
    made = run_child(MAKE.format(out=str(src)))
    runs: dict[str, list[dict]] = {"base": [], "far": [], "xls": []}
    for i in range(args.runs):
        work = CACHE / "far-rows-run"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        order = list(runs) if i % 2 == 0 else list(reversed(runs))  # a noisy neighbour hurts every side alike
        for name in order:
            names = {"base": BASE, "far": FAR, "xls": XLS}[name]
            out = run_child(LOAD.format(src=str(src), names=names, wh=str(work / f"{name}.duckdb")))
            runs[name].append(out)
            print(f"run {i + 1} {name}: {out}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
    peak = {name: median([r["peak_rss_mib"] for r in rs]) for name, rs in runs.items()}
    secs = {name: median([r["seconds"] for r in rs]) for name, rs in runs.items()}
    far = runs["far"][0]
    results = [
        Result("peak memory, registry + good ledger + 4 far-row .xlsx", peak["far"], "MiB", "< 1024", peak["far"] < 1024,
               f"each far file {made['far_bytes']:,} bytes, a cell at row 1,048,576; {far['rows']:,} rows in, "
               f"{far['rejected_whole']} rejected whole (before: 10.9 GB, 61 s)", [r["peak_rss_mib"] for r in runs["far"]]),
        Result("peak memory, registry + good ledger (baseline)", peak["base"], "MiB", "baseline", None, "the same load without the far files",
               [r["peak_rss_mib"] for r in runs["base"]]),
        Result("ratio far / baseline, memory", peak["far"] / peak["base"], "×", "—", None, "medians of the same run"),
        Result("time, with the 4 far-row files", secs["far"], "s", "—", None, "", [r["seconds"] for r in runs["far"]]),
        Result("time, baseline", secs["base"], "s", "baseline", None, "", [r["seconds"] for r in runs["base"]]),
        Result("ratio far / baseline, time", secs["far"] / secs["base"], "×", "—", None, "medians of the same run"),
        Result("peak memory, registry + good ledger + .xls with a cell at IV65536", peak["xls"], "MiB", "< 1024", peak["xls"] < 1024,
               "before: 1.6 GB for the .xls alone", [r["peak_rss_mib"] for r in runs["xls"]]),
    ]
    write_results("far_rows", results, machine())
    shutil.rmtree(src, ignore_errors=True)


if __name__ == "__main__":
    main()
