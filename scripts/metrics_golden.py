"""The golden compare of issue 13: every number the metrics API and a snapshot give, written
before a refactoring step and compared after it — columns, dtypes, row order and values, floats
exact.

    .venv/bin/python scripts/metrics_golden.py write DIR      # on the code before the step
    .venv/bin/python scripts/metrics_golden.py compare DIR    # on the code after it: exit 1 on any difference

Each run builds its warehouses afresh with the code of the working tree (the metric macros live
in the warehouse, so the macros under test are those of this checkout): the synthetic sample
district (`xiaoan sample --seed 2026`, ending 2026-10-31 so the run does not depend on today)
and the small hand-made district of tests/metrics_data.py. On each, every public `Metrics`
method is called over a grid: as-of dates × periods × filters (none, 2 towns, 1 school type,
2 categories) in the district scope, and unfiltered in a town's and a department's scope. Then `export_snapshot` of each district:
its Parquet tables, the cell values of report.xlsx, the text of report.html (the generation time
masked) and manifest.json (without times, paths and hashes). DIR/golden.pkl holds the results.

`--only small` runs the small district alone (seconds, not minutes); `write` and `compare` must
then both use it. A key written but not computed (a method removed) is a difference; a key
computed but not written (a method added) is listed, not a difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import itertools
import json
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from xiaoan.metrics import DISTRICT, Filters, HazardPick, Metrics, Scope  # noqa: E402
from xiaoan.periods import quarter_bounds  # noqa: E402
from xiaoan.warehouse import open_read_only  # noqa: E402

D = dt.date
SAMPLE_SEED = 2026
SAMPLE_END = D(2026, 10, 31)
GRIDS = {
    # district: (as-of dates, periods)
    "sample": ([D(2024, 3, 31), D(2025, 12, 31), D(2026, 6, 30), D(2026, 10, 31)],
               [(None, None), (D(2026, 1, 1), D(2026, 3, 31)), (D(2025, 7, 1), None)]),
    "small": ([D(2025, 12, 31), D(2026, 3, 31), D(2026, 4, 30)],
              [(None, None), (D(2026, 1, 1), D(2026, 3, 31)), (D(2025, 7, 1), None)]),
}
SNAPSHOT_AS_OF = {"sample": D(2026, 10, 31), "small": D(2026, 3, 31)}
# The per-(filters, scope) methods: name → how to call it.
PER_FILTER: dict[str, Callable[[Metrics, Filters, Scope], Any]] = {
    name: (lambda name: lambda m, f, s: getattr(m, name)(f, s))(name)
    for name in ("headline", "headline_change", "overdue_buckets", "overdue_by_dept", "repeat_hazards",
                 "dept_closure", "town_risk", "town_risk_per_school", "inspection_coverage", "school_summary",
                 "uninspected_schools", "inspections", "inspection_count", "inspection_months",
                 "legal_education_coverage", "meeting_months", "meeting_compliance", "dept_meeting_attendance",
                 "town_scores", "town_score_breakdown", "dept_scores", "dept_score_breakdown", "hazards",
                 "hazard_count", "needs_attention")
}
PER_FILTER.update({
    "score_trend[town]": lambda m, f, s: m.score_trend(f, s, tier="town"),
    "score_trend[dept]": lambda m, f, s: m.score_trend(f, s, tier="dept"),
    "score_trend[town,4q]": lambda m, f, s: m.score_trend(f, s, tier="town", quarters=4),
    "hazards[found,risk,20]": lambda m, f, s: m.hazards(f, s, found_in_period=True, order="risk", limit=20),
    "hazard_count[found]": lambda m, f, s: m.hazard_count(f, s, found_in_period=True),
    "hazards[open,overdue]": lambda m, f, s: m.hazards(f, s, pick=HazardPick(open_only=True, overdue_only=True),
                                                       order="overdue"),
    "hazard_count[open,overdue]": lambda m, f, s: m.hazard_count(f, s, pick=HazardPick(open_only=True,
                                                                                        overdue_only=True)),
    "hazards[priority,50]": lambda m, f, s: m.hazards(f, s, order="priority", limit=50),
    "hazards[open_first]": lambda m, f, s: m.hazards(f, s, order="open_first"),
    "hazards[open_risk]": lambda m, f, s: m.hazards(f, s, order="open_risk"),
    "inspections[limit 5]": lambda m, f, s: m.inspections(f, s, limit=5),
})
# Methods covered elsewhere in `run` (or not a metric): the check that nothing public is missed.
COVERED_ELSEWHERE = {"district_plenary", "hazard_history", "school_profile", "rejected_rows", "scores_by_quarter",
                     "lateral_query", "quarter_scores_query", "sql", "table", "query", "open", "from_connection"}


def build(kind: str, work: Path) -> Path:
    """A fresh warehouse of `kind` (sample or small) under `work`, built by this checkout's code."""
    if kind == "small":
        from tests.metrics_data import build_warehouse

        (work / "small").mkdir()
        return build_warehouse(work / "small")
    from pipelines.publish import ingest
    from pipelines.sample import write_sample

    files = work / "sample-files"
    write_sample(files, seed=SAMPLE_SEED, end=SAMPLE_END)
    warehouse = work / "sample" / "warehouse.duckdb"
    ingest([files], warehouse)
    return warehouse


def picks(m: Metrics) -> dict[str, Any]:
    """Codes and words taken from the warehouse itself (the script holds no domain literal)."""
    def first(sql: str, n: int) -> list[str]:
        return m.sql(sql)[:, 0].to_list()[:n]

    return {
        "towns": first("select town_code from towns order by town_code", 2),
        "types": first("select distinct school_type from schools order by school_type", 1),
        "categories": first("select category, count(*) n from hazards group by all order by n desc, category", 2),
        "dept": first("select dept_code from departments order by dept_code", 1),
        "school": first("select school_code from schools order by school_code", 1),
        "hazards": first("select hazard_id from hazards order by hazard_id", 3),
        "levels": first("select distinct level from hazards order by level", 3),
        "statuses": first("select distinct status from hazards order by status", 2),
    }


def run(kind: str, warehouse: Path, out: Path) -> dict[str, Any]:
    """Every result of the grid and the snapshot, keyed by a readable call description."""
    results: dict[str, Any] = {}
    con = open_read_only(warehouse)
    try:
        m = Metrics.from_connection(con)
        p = picks(m)
        filter_sets = {"none": {}, "2 towns": {"towns": p["towns"]}, "1 type": {"school_types": p["types"]},
                       "2 categories": {"categories": p["categories"]}}
        scopes = {"district": DISTRICT, "town": Scope.town(p["towns"][0]), "dept": Scope.department(p["dept"][0])}
        as_ofs, periods = GRIDS[kind]
        results[f"{kind} rejected_rows"] = m.rejected_rows()
        for a in as_ofs:
            for hazard_id in p["hazards"]:
                results[f"{kind} hazard_history({hazard_id}, {a})"] = m.hazard_history(hazard_id, a)
            for level in p["levels"]:
                pick = HazardPick(levels=(level,), statuses=tuple(p["statuses"]))
                results[f"{kind} hazards[level {level}] {a}"] = m.hazards(Filters(a), pick=pick, order="open_risk")
        for hazard_id in p["hazards"]:
            results[f"{kind} hazard_history({hazard_id})"] = m.hazard_history(hazard_id)
        for a, (s, e), (fname, fargs) in itertools.product(as_ofs, periods, filter_sets.items()):
            f = Filters(a, s, e, **fargs)
            where = f"{kind} a={a} s={s} e={e} {fname}"
            results[f"{where} quarter_bounds"] = quarter_bounds(f.as_of, f.start, f.end)
            results[f"{where} district_plenary"] = m.district_plenary(f)
            profile = m.school_profile(p["school"][0], f)
            for part in ("summary", "hazards", "inspections"):
                # school_profile's hazards come in no defined order (hazards_as_of where school_code = …)
                frame = getattr(profile, part)
                results[f"{where} school_profile.{part}"] = frame.sort("hazard_id") if part == "hazards" else frame
            results[f"{where} inspections[school]"] = m.inspections(f, school_code=p["school"][0], limit=5)
            results[f"{where} hazards[search]"] = m.hazards(f, pick=HazardPick(search=p["hazards"][0][:3]))
            results[f"{where} scores_by_quarter[town]"] = m.scores_by_quarter(
                f, DISTRICT, "town", quarter_bounds(f.period_end, f.start, f.end, 2))
            # every filter set in the district scope; the unfiltered view in the other scopes
            for sname, scope in scopes.items():
                if sname != "district" and fname != "none":
                    continue
                for name, call in PER_FILTER.items():
                    results[f"{where} {sname} {name}"] = call(m, f, scope)
    finally:
        con.close()
    results.update(snapshot(kind, warehouse, out))
    return results


def snapshot(kind: str, warehouse: Path, out: Path) -> dict[str, Any]:
    """export_snapshot of the district, read back: tables, xlsx cells, html text, manifest."""
    from openpyxl import load_workbook

    from pipelines.export.snapshot import export_snapshot

    result = export_snapshot(warehouse, SNAPSHOT_AS_OF[kind], None, None, out / f"snapshots-{kind}")
    folder = result.path
    found: dict[str, Any] = {f"{kind} snapshot files": sorted(p.name for p in folder.iterdir())}
    for path in sorted(folder.glob("*.parquet")):
        found[f"{kind} snapshot {path.name}"] = pl.read_parquet(path)
    book = load_workbook(folder / "report.xlsx", read_only=True)
    for sheet in book.worksheets:
        found[f"{kind} snapshot report.xlsx[{sheet.title}]"] = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    html = (folder / "report.html").read_text(encoding="utf-8")
    found[f"{kind} snapshot report.html"] = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2})?",
                                                   "<time>", html)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for key in ("generated_at", "warehouse", "files", "generator"):
        manifest.pop(key, None)
    manifest["rules"].pop("path", None)
    for source in manifest["source_files"]:
        source.pop("loaded_at", None)
        source["file"] = Path(source["file"]).name
    found[f"{kind} snapshot manifest.json"] = manifest
    return found


def uncovered() -> list[str]:
    """Public Metrics methods that the grid does not call."""
    names = {n for n, _ in inspect.getmembers(Metrics, callable) if not n.startswith("_")}
    called = {k.split("[")[0] for k in PER_FILTER} | COVERED_ELSEWHERE
    return sorted(names - called)


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalise(key: str, value: Any) -> Any:
    """What differs from run to run without meaning: plotly's random element ids in the html, the
    bytes (zip timestamps) and hashes of the freshly written source workbooks."""
    if key.endswith("report.html"):
        return UUID.sub("<uuid>", value)
    if key.endswith("manifest.json"):
        return {**value, "source_files": [{k: v for k, v in f.items() if k != "sha256"} for f in value["source_files"]]}
    return value


def differences(want: Any, got: Any, new_columns_ok: bool = False) -> str | None:
    """None when equal (frames: same columns, dtypes, order and values, floats exact), else why not.
    With new_columns_ok, a frame that only gained columns is compared on the columns it had."""
    if isinstance(want, pl.DataFrame) or isinstance(got, pl.DataFrame):
        if not (isinstance(want, pl.DataFrame) and isinstance(got, pl.DataFrame)):
            return f"type {type(want).__name__} → {type(got).__name__}"
        if new_columns_ok and set(want.columns) < set(got.columns):
            got = got.select(want.columns)
        if want.columns != got.columns:
            return f"columns {want.columns} → {got.columns}"
        if want.dtypes != got.dtypes:
            changed = [(c, str(a), str(b)) for c, a, b in zip(want.columns, want.dtypes, got.dtypes) if a != b]
            return f"dtypes {changed}"
        if want.height != got.height:
            return f"rows {want.height} → {got.height}"
        if want.equals(got):
            return None
        for column in want.columns:
            a, b = want[column], got[column]
            if not a.equals(b):
                rows = [i for i, (x, y) in enumerate(zip(a.to_list(), b.to_list())) if x != y and x == x][:3]
                sorted_same = want.sort(want.columns, nulls_last=True).equals(got.sort(got.columns, nulls_last=True))
                return (f"column {column}: row {rows} {[a[i] for i in rows]} → {[b[i] for i in rows]}"
                        + (" (same rows in another order)" if sorted_same else ""))
        return "frames differ"
    if want == got:
        return None
    if isinstance(want, str) and isinstance(got, str):
        at = next((i for i, (x, y) in enumerate(zip(want, got)) if x != y), min(len(want), len(got)))
        return f"text from character {at}: {_short(want[max(at - 60, 0):at + 80])} → {_short(got[max(at - 60, 0):at + 80])}"
    if isinstance(want, dict) and isinstance(got, dict):
        keys = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
        return "; ".join(f"[{k}] {_short(want.get(k))} → {_short(got.get(k))}" for k in keys)
    return f"{_short(want)} → {_short(got)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "…"


def compute(only: str | None, work: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for kind in ("small", "sample"):
        if only and kind != only:
            continue
        began = time.perf_counter()
        warehouse = build(kind, work)
        built = time.perf_counter()
        results.update(run(kind, warehouse, work))
        print(f"{kind}: built in {built - began:.1f} s, {sum(k.startswith(kind) for k in results)} results "
              f"in {time.perf_counter() - built:.1f} s", file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("dir", type=Path, help="where golden.pkl is written / read")
    parser.add_argument("--only", choices=("small", "sample"), help="one district only")
    parser.add_argument("--new-columns-ok", action="store_true",
                        help="a table that only gained columns is compared on its old columns")
    args = parser.parse_args(argv)
    missing = uncovered()
    if missing:
        print(f"note: public Metrics methods not in the grid: {', '.join(missing)}", file=sys.stderr)
    golden = args.dir / "golden.pkl"
    with tempfile.TemporaryDirectory(prefix="metrics-golden-") as tmp:
        results = compute(args.only, Path(tmp))
    if args.action == "write":
        args.dir.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(pickle.dumps({"only": args.only, "results": results}))
        print(f"wrote {len(results)} results to {golden}")
        return 0
    stored = pickle.loads(golden.read_bytes())
    if stored["only"] != args.only:
        print(f"the golden was written with --only {stored['only']}; compare with the same", file=sys.stderr)
        return 2
    want = stored["results"]
    (args.dir / "current.pkl").write_bytes(pickle.dumps({"only": args.only, "results": results}))
    failed = 0
    for key, value in want.items():
        why = ("no longer computed" if key not in results
               else differences(normalise(key, value), normalise(key, results[key]), args.new_columns_ok))
        if why:
            failed += 1
            if failed <= 40:
                print(f"DIFF {key}: {why}")
    added = [k for k in results if k not in want]
    if added:
        print(f"{len(added)} results not in the golden (new calls), e.g. {added[:3]}")
    print(f"{len(want)} results compared: {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
