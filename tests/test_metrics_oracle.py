"""Random hazard histories against a plain-Python reading of SPEC §3: the state as of A and the
departments' closure figures. Rows go straight into the raw tables (ingestion has its own
tests), then the real models and metric macros are built over them."""

from __future__ import annotations

import datetime as dt
import statistics

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.publish import build
from xiaoan.config import DEFAULT_RULES
from xiaoan.metrics import Filters, Metrics
from xiaoan.rules import load_rules

DAY0 = dt.date(2026, 1, 1)
SCHOOLS = {"S1": "T1", "S2": "T1", "S3": "T2"}
DEPTS = ("D1", "D2", "D3")
WEIGHT = {"一般": 1, "较大": 3, "重大": 10}


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


@st.composite
def hazard(draw, hazard_id: str):
    found = draw(st.integers(0, 80))
    deadline = found + draw(st.integers(0, 40))
    reports, last = [], found
    for _ in range(draw(st.integers(1, 3))):
        last = last + draw(st.integers(0, 25))
        status = draw(st.sampled_from(["未整改", "整改中", "已整改", "已销号"]))
        rectified = closed = None
        if status in ("已整改", "已销号"):
            rectified = found + draw(st.integers(0, 60))
        if status == "已销号":
            closed = rectified + draw(st.integers(0, 10))
        reports.append({"report": day(last), "status": status,
                        "rectified": None if rectified is None else day(rectified),  # day 0 is a date too
                        "closed": None if closed is None else day(closed)})
        last += 1  # one report per day: a later report never shares a date
    school = draw(st.sampled_from(sorted(SCHOOLS)))
    return {"id": hazard_id, "school": school, "town": SCHOOLS[school], "found": day(found), "deadline": day(deadline),
            "level": draw(st.sampled_from(sorted(WEIGHT))), "dept": draw(st.sampled_from(DEPTS)), "reports": reports}


@st.composite
def district(draw):
    hazards = [draw(hazard(f"H{i}")) for i in range(draw(st.integers(1, 12)))]
    as_of = day(draw(st.integers(0, 150)))
    start = day(draw(st.integers(0, 60)))
    return hazards, as_of, start


def load(con: duckdb.DuckDBPyConnection, hazards: list[dict]) -> None:
    build.create_raw_tables(con)
    con.execute("insert into raw_ingest_log values (1, 'b', 'f.xlsx', 'x', 'hazards', 'loaded', 0, 0, 0, 0, null, null,"
                " now(), now(), null, null, null, null, null)")
    con.execute("insert into raw_district values (1, 0, 2, '区', '王')")
    con.execute("insert into raw_towns values (1, 0, 2, 'T1', '一镇', null), (1, 0, 3, 'T2', '二镇', null)")
    for n, (school, town) in enumerate(SCHOOLS.items()):
        con.execute("insert into raw_schools values (1, 1, ?, ?, ?, '小学', '公办', ?, null, 100, null, null)",
                    [n + 2, school, school, town])
    for n, dept in enumerate(DEPTS):
        con.execute("insert into raw_departments values (1, 2, ?, ?, ?, null, null, null)", [n + 2, dept, dept])
    row = 2
    for h in hazards:
        for r in h["reports"]:
            con.execute(
                "insert into raw_hazard_reports values (1, 0, 's', ?, ?, ?, ?, '消防安全', ?, 'd', ?, null, ?, ?, null,"
                " ?, ?, ?, ?, null, null, null, null, null, null, null, null, null, null)",
                [row, h["id"], h["school"], h["town"], h["level"], h["found"], h["dept"], h["deadline"], r["status"],
                 r["rectified"], r["closed"], r["report"]])
            row += 1
    build.build_models(con)


def expected_state(h: dict, a: dt.date) -> dict | None:
    """SPEC §3 read literally: the latest report with report_date ≤ A; found on or before A."""
    known = [r for r in h["reports"] if r["report"] <= a]
    if not known or h["found"] > a:
        return None
    r = max(known, key=lambda r: r["report"])
    rectified = r["status"] in ("已整改", "已销号") and r["rectified"] is not None and r["rectified"] <= a
    closed = r["status"] == "已销号" and r["closed"] is not None and r["closed"] <= a
    overdue = not rectified and h["deadline"] < a
    risk = 0 if rectified else WEIGHT[h["level"]] * (2 if overdue else 1)
    return {"status": r["status"], "is_rectified": rectified, "is_closed": closed, "is_open": not rectified,
            "is_overdue": overdue, "risk": float(risk), "rectified_date": r["rectified"]}


@pytest.fixture(scope="module")
def rules():
    return load_rules(DEFAULT_RULES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(district())
def test_state_and_closure_match_a_plain_reading_of_the_spec(tmp_path_factory, rules, case):
    hazards, a, start = case
    con = duckdb.connect(str(tmp_path_factory.mktemp("oracle") / "w.duckdb"))
    try:
        load(con, hazards)
        metrics = Metrics.from_connection(con, rules)
        f = Filters(a, start=start)
        got = {r["hazard_id"]: r for r in metrics.hazards(f).iter_rows(named=True)}
        want = {h["id"]: s for h in hazards if (s := expected_state(h, a)) is not None}
        assert set(got) == set(want)
        for hid, state in want.items():
            assert {k: got[hid][k] for k in state} == state, hid

        closure = {r["dept_code"]: r for r in metrics.dept_closure(f).iter_rows(named=True)}
        for dept in DEPTS:
            mine = [(h, want[h["id"]]) for h in hazards
                    if h["dept"] == dept and h["id"] in want and start <= h["found"] <= a]
            total = len(mine)
            rectified = [(h, s) for h, s in mine if s["is_rectified"]]
            row = closure[dept]
            assert row["total"] == total
            assert row["rectified"] == len(rectified)
            assert row["closed"] == sum(s["is_closed"] for _, s in mine)
            assert row["overdue_open"] == sum(s["is_overdue"] for _, s in mine)
            assert row["rectification_rate"] == (pytest.approx(len(rectified) / total) if total else None)
            on_time = sum(s["rectified_date"] <= h["deadline"] for h, s in rectified)
            assert row["on_time_rate"] == (pytest.approx(on_time / len(rectified)) if rectified else None)
            days = [(s["rectified_date"] - h["found"]).days for h, s in rectified]
            assert row["median_days_to_rectify"] == (pytest.approx(statistics.median(days)) if days else None)
    finally:
        con.close()
