"""Every query the dashboard's pages run, warm, p50 and p95 (issue 4 and 7), at the sample
district and at province scale (`--scale large`). Target: p95 < 200 ms per query at large scale.

Each page's metric calls are listed below with the arguments the page passes (a hazard list
asks for its first rows in SQL, a drill-down for one town, a school page for one school);
tests/test_benchmarks.py keeps the list equal to what dashboard/views/*.py calls. The listing
queries are the named SQL of dashboard/queries.py, run with bound parameters. Streamlit's
caches are bypassed: every timing is a real query on the warehouse.

    python -m benchmarks.dashboard_queries [--runs N] [--scales standard,large]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.common import CACHE, ROOT, Result, code_fingerprint, machine, sample, write_results

VIEWS = ROOT / "dashboard" / "views"
SHOWN = 1_000  # dashboard.lists.SHOWN_ROWS


def warehouse(scale: str) -> Path:
    """The sample of that scale, loaded once and kept under .bench/ while the code that builds a
    warehouse stays the same (benchmarks.common.code_fingerprint)."""
    import shutil

    from pipelines.publish import ingest

    path = CACHE / f"wh-{scale}" / "warehouse.duckdb"
    done, fingerprint = path.parent / ".complete", code_fingerprint()
    if not done.exists() or done.read_text() != fingerprint:
        shutil.rmtree(path.parent, ignore_errors=True)
        ingest([sample(scale, "csv")], path)
        done.write_text(fingerprint)
    return path


def page_calls(some: dict) -> dict[str, list[tuple[str, str, dict]]]:
    """page → [(label, Metrics method, how the page calls it)]. `some` names a town, school,
    department and hazard of the warehouse; "narrow" means the filters narrowed to that town.
    Every call is made for the district viewer with the period 1 January .. A."""
    from xiaoan.metrics import HazardPick
    from xiaoan.vocabulary import GRAVE_LEVEL

    grave_overdue = HazardPick(levels=(GRAVE_LEVEL,), overdue_only=True)
    return {
        "overview": [
            ("headline_change", "headline_change", {}), ("district_plenary", "district_plenary", {"no_scope": True}),
            ("overdue grave hazards", "hazards", {"pick": grave_overdue, "order": "overdue", "limit": SHOWN}),
            ("overdue grave count", "hazard_count", {"pick": grave_overdue}),
            ("town_scores", "town_scores", {}), ("dept_scores", "dept_scores", {}),
        ],
        "risk": [
            ("town_risk", "town_risk", {}), ("town_risk_per_school", "town_risk_per_school", {}),
            ("a town's schools", "school_summary", {"narrow": True}),
            ("a town's open hazards", "hazards", {"narrow": True, "pick": HazardPick(open_only=True), "order": "risk",
                                                  "limit": SHOWN}),
            ("a town's open hazard count", "hazard_count", {"narrow": True, "pick": HazardPick(open_only=True)}),
            ("repeat hazards by town and category", "repeat_hazard_counts", {}),
            ("a town's repeat hazards", "repeat_hazard_list", {"narrow": True}),
        ],
        "departments": [
            ("dept_closure", "dept_closure", {}), ("overdue_by_dept", "overdue_by_dept", {}),
            ("overdue_buckets (a town or unit viewer)", "overdue_buckets", {}),
            ("a unit's hazards", "hazards", {"found_in_period": True, "pick": HazardPick(dept_code=some["dept"]),
                                             "order": "open_first", "limit": SHOWN}),
            ("a unit's hazard count", "hazard_count", {"found_in_period": True, "pick": HazardPick(dept_code=some["dept"])}),
        ],
        "evaluation": [
            ("town_scores", "town_scores", {}), ("town_score_breakdown", "town_score_breakdown", {}),
            ("dept_scores", "dept_scores", {}), ("dept_score_breakdown", "dept_score_breakdown", {}),
            ("unit_indicators (a unit's scorecard)", "unit_indicators", {}),
            ("score_trend (towns)", "score_trend", {"tier": "town", "quarters": 4}),
            ("score_trend (units)", "score_trend", {"tier": "dept", "quarters": 4}),
        ],
        "supervision": [
            ("supervision (督办)", "supervision", {}), ("unit_closure", "unit_closure", {}),
            ("extended hazard count", "hazard_count", {"found_in_period": True, "pick": HazardPick(extended=True)}),
            ("reworked hazard count", "hazard_count", {"found_in_period": True, "pick": HazardPick(reworked=True)}),
            ("closed unverified count", "hazard_count", {"found_in_period": True,
                                                          "pick": HazardPick(closed_unverified=True)}),
        ],
        "meetings": [
            ("district_plenary", "district_plenary", {"no_scope": True}), ("meeting_months", "meeting_months", {}),
            ("meeting_compliance", "meeting_compliance", {}), ("dept_meeting_attendance", "dept_meeting_attendance", {}),
        ],
        "inspections": [
            ("inspection_coverage", "inspection_coverage", {}), ("inspection_months", "inspection_months", {}),
            ("latest inspections", "inspections", {"limit": SHOWN}), ("inspection_count", "inspection_count", {}),
            ("uninspected_schools", "uninspected_schools", {}),
        ],
        "hazards": [
            ("ledger count", "hazard_count", {"found_in_period": True}),
            ("ledger first rows", "hazards", {"found_in_period": True, "order": "priority", "limit": SHOWN}),
            ("ledger searched", "hazards", {"found_in_period": True, "order": "priority", "limit": SHOWN,
                                            "pick": HazardPick(search="消防")}),
            ("ledger searched count", "hazard_count", {"found_in_period": True, "pick": HazardPick(search="消防")}),
            ("ledger open, overdue", "hazards", {"found_in_period": True, "order": "priority", "limit": SHOWN,
                                                 "pick": HazardPick(open_only=True, overdue_only=True)}),
        ],
        "hazard": [
            ("one hazard's state", "hazards", {"pick": HazardPick(hazard_id=some["hazard"])}),
            ("one hazard's reports", "hazard_history", {"by_id": some["hazard"]}),
        ],
        "school": [
            ("the town's school summary", "school_summary", {"narrow": True}),
            ("a school's hazards", "hazards", {"narrow": True, "pick": HazardPick(school_code=some["school"]),
                                               "order": "open_risk", "limit": SHOWN}),
            ("a school's hazard count", "hazard_count", {"narrow": True, "pick": HazardPick(school_code=some["school"])}),
            ("a school's inspections", "inspections", {"narrow": True, "school_code": some["school"], "limit": SHOWN}),
            ("a school's inspection count", "inspection_count", {"narrow": True, "school_code": some["school"]}),
            ("a school's repeat hazards", "repeat_hazard_list", {"narrow": True, "school_code": some["school"]}),
            ("a school's legal education", "school_legal_education", {"narrow": True, "school_code": some["school"]}),
        ],
        "wall": [
            ("headline_change", "headline_change", {}), ("supervision (督办)", "supervision", {}),
            ("town_scores", "town_scores", {}), ("dept_scores", "dept_scores", {}),
            ("town_risk_per_school", "town_risk_per_school", {}),
        ],
    }


def call(metrics, name: str, how: dict, filters, narrow):
    """Metrics.<name> as a page calls it (`how`, from page_calls), for the district viewer."""
    from xiaoan.metrics import DISTRICT

    kwargs = dict(how)
    f = narrow if kwargs.pop("narrow", False) else filters
    method = getattr(metrics, name)
    if "by_id" in kwargs:  # a method of one record: its id, then the scope
        return method(kwargs.pop("by_id"), scope=DISTRICT)
    return method(f) if kwargs.pop("no_scope", False) else method(f, DISTRICT, **kwargs)


def called_names() -> dict[str, set[str]]:
    """page → the Metrics methods its view calls (measures.get/call, and lists.hazards /
    lists.inspections, which ask for a list and its count)."""
    found = {}
    for view in sorted(VIEWS.glob("*.py")):
        text = view.read_text(encoding="utf-8")
        names = set(re.findall(r'measures\.(?:get|call)\(\s*"([a-z_]+)"', text))
        if "lists.hazards(" in text:
            names |= {"hazards", "hazard_count"}
        if "lists.inspections(" in text:
            names |= {"inspections", "inspection_count"}
        if names:
            found[view.stem] = names
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
    from xiaoan.metrics import Filters, Metrics
    from xiaoan.rules import load_rules
    from xiaoan.warehouse import Reader

    path = warehouse(scale)
    reader = Reader(path)
    metrics = Metrics(cursor=reader.cursor, rules=load_rules())
    cur = reader.cursor()
    as_of = cur.sql("select max(report_date) from hazard_reports").fetchall()[0][0]
    # The town with the most hazards, its school with the most, the unit responsible for the
    # most: the heaviest drill-downs a viewer can ask for.
    some = dict(zip(("hazard", "town", "school", "dept"), cur.sql(
        "select (select min(hazard_id) from hazards), (select mode(town_code) from hazards), "
        "(select school_code from hazards where town_code = (select mode(town_code) from hazards) "
        " group by school_code order by count(*) desc, school_code limit 1), "
        "(select mode(responsible_dept_code) from hazards)").fetchall()[0]))
    cur.close()
    filters = Filters(as_of=as_of)
    narrow = replace(filters, towns=(some["town"],))
    out = []
    for page, calls in page_calls(some).items():
        for label, name, kwargs in calls:
            out.append((page, label, timed(lambda n=name, k=kwargs: call(metrics, n, k, filters, narrow), runs)))
    values = {"scope_towns": [], "scope_depts": [], "sees_personal": True, "sees_principals": True, "sees_loads": True,
              "start": dt.date(as_of.year, 1, 1), "end": as_of, "as_of": as_of,
              "towns": [], "school_types": [], "hazard_id": some["hazard"], "school_code": some["school"],
              "town_code": some["town"], "search": "",
              "n": 10}  # recent loads on the quality page (dashboard/views/quality.py RECENT_LOADS)
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
