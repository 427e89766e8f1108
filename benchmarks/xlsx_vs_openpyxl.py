"""Ingest of .xlsx ledgers against what an analyst's script would do: pandas + openpyxl
reading the same workbooks (every sheet), in the same run. Target: xiaoan's whole ingest
(read, check, load, publish) takes at most 0.2× the time pandas + openpyxl take just to read.

    python -m benchmarks.xlsx_vs_openpyxl [--runs N]
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks.common import CACHE, Result, machine, median, run_child, sample, write_results

OURS = """
import time
from pathlib import Path
from pipelines.ingest.load import ingest
files = sorted(Path({src!r}).rglob("*.xlsx"))
t = time.perf_counter()
r = ingest(files, Path({wh!r}))
RESULT = dict(seconds=time.perf_counter() - t, files=len(files), rows=sum(f.rows_in for f in r.files))
"""

PANDAS = """
import time
from pathlib import Path
import pandas as pd
files = sorted(Path({src!r}).rglob("*.xlsx"))
t = time.perf_counter()
rows = 0
for f in files:
    for frame in pd.read_excel(f, sheet_name=None, header=None, engine="openpyxl").values():
        rows += len(frame)
RESULT = dict(seconds=time.perf_counter() - t, files=len(files), rows=rows)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    src = sample("standard", "mixed")
    ours, base = [], []
    for i in range(args.runs):
        work = CACHE / "xlsx-run"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        pair = [(ours, OURS), (base, PANDAS)] if i % 2 == 0 else [(base, PANDAS), (ours, OURS)]
        for bucket, code in pair:
            bucket.append(run_child(code.format(src=str(src), wh=str(work / "w.duckdb"))))
        shutil.rmtree(work, ignore_errors=True)
    t_ours, t_base = median([o["seconds"] for o in ours]), median([b["seconds"] for b in base])
    results = [
        Result("xiaoan ingest of the .xlsx ledgers", t_ours, "s", "—", None, f"{ours[0]['files']} workbooks, {ours[0]['rows']:,} rows", [o["seconds"] for o in ours]),
        Result("pandas + openpyxl read of the same", t_base, "s", "baseline", None, f"{base[0]['rows']:,} rows read", [b["seconds"] for b in base]),
        Result("ratio xiaoan / pandas+openpyxl", t_ours / t_base, "×", "≤ 0.2", t_ours / t_base <= 0.2, "medians of the same run"),
        Result("peak memory of ingest", max(o["peak_rss_mib"] for o in ours), "MiB", "< 4096", max(o["peak_rss_mib"] for o in ours) < 4096, ""),
    ]
    write_results("xlsx_vs_openpyxl", results, machine())


if __name__ == "__main__":
    main()
