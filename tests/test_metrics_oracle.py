"""Random hazard histories against a plain-Python reading of SPEC §3 and §2.2: the state as of A
(effective deadline, extensions, verification and rework, 未经验收销号) and the departments' closure
figures; and (Evaluation v2) random districts' indicators — reporting,
inspection coverage, meeting compliance, invited-only attendance, duty inspections, 法治副校长 by
semester — and their scoring: statuses, rescaled weights, totals, ranks among the ranked, grades. Rows go straight into the raw tables (ingestion has its own
tests), then the real models and metric macros are built over them: each example works on a copy
of one empty warehouse (raw tables, views, marts and macros built once per module), inserts its
rows and rebuilds every mart, as each load after a warehouse's first does (build_models keeps the
views and macros only when they were created from these very model files)."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
from pathlib import Path

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
    # SPEC §2.2: a ledger with a 验收结果 column (some reports verified, passing or not) or without;
    # any report may carry a 延期至 (never before the 整改时限).
    has_column = draw(st.booleans())
    reports, last = [], found
    for _ in range(draw(st.integers(1, 3))):
        last = last + draw(st.integers(0, 25))
        status = draw(st.sampled_from(["未整改", "整改中", "已整改", "已销号"]))
        rectified = closed = None
        if status in ("已整改", "已销号"):
            rectified = found + draw(st.integers(0, 60))
        if status == "已销号":
            closed = rectified + draw(st.integers(0, 10))
        extended = draw(st.one_of(st.none(), st.integers(0, 30).map(lambda k: day(deadline + k))))
        verification = draw(st.sampled_from([None, "通过", "不通过"])) if has_column else None
        verified_date = None if verification is None else day(max(found, last - draw(st.integers(0, 10))))
        reports.append({"report": day(last), "status": status,
                        "rectified": None if rectified is None else day(rectified),  # day 0 is a date too
                        "closed": None if closed is None else day(closed),
                        "extended": extended, "verification": verification, "verified_date": verified_date,
                        "column": has_column})
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


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory) -> Path:
    """A warehouse with no rows: the raw tables, then every model and metric macro built over them."""
    path = tmp_path_factory.mktemp("oracle-empty") / "w.duckdb"
    con = duckdb.connect(str(path))
    try:
        build.create_raw_tables(con)
        build.build_models(con)
    finally:
        con.close()
    return path


def connect_copy(empty_warehouse: Path, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """A connection to a fresh copy of the empty warehouse, for one example; like a load's working
    copy, it syncs nothing to the disk (build.no_sync): the copy is thrown away after the example."""
    path = tmp_path_factory.mktemp("oracle") / "w.duckdb"
    shutil.copyfile(empty_warehouse, path)
    con = duckdb.connect(str(path))
    build.no_sync(con)
    return con


def load(con: duckdb.DuckDBPyConnection, hazards: list[dict], names: dict[str, str] | None = None,
         activity=None) -> None:
    """The district's rows into the raw tables of an empty warehouse (connect_copy), then every
    mart rebuilt over them (the views and macros are the empty warehouse's, of the same files)."""
    con.execute("insert into raw_ingest_log values (1, 'b', 'f.xlsx', 'x', 'hazards', 'loaded', 0, 0, 0, 0, null, null,"
                " now(), now(), null, null, null, null, null)")
    con.execute("insert into raw_district values (1, 0, 2, '区', '王', null)")
    con.execute("insert into raw_towns values (1, 0, 2, 'T1', '一镇', null), (1, 0, 3, 'T2', '二镇', null)")
    for n, (school, town) in enumerate(SCHOOLS.items()):
        con.execute("insert into raw_schools values (1, 1, ?, ?, ?, '小学', '公办', ?, null, 100, null, null)",
                    [n + 2, school, school, town])
    for n, dept in enumerate(DEPTS):
        con.execute("insert into raw_departments values (1, 2, ?, ?, ?, null, null, null)",
                    [n + 2, dept, (names or {}).get(dept, dept)])
    row = 2
    for h in hazards:
        for r in h["reports"]:
            con.execute(
                "insert into raw_hazard_reports by name select 1 as ingest_id, 0 as sheet_index, 's' as sheet,"
                " ? as \"row\", ? as hazard_id, ? as school_code, ? as town_code, '消防安全' as category, ? as level,"
                " 'd' as description, ? as found_date, ? as responsible_dept_code, 'department' as responsible_kind,"
                " ? as responsible_code, ? as deadline, ? as status, ? as rectified_date, ? as closed_date,"
                " ? as report_date, ? as extended_deadline, ? as verification, ? as verified_date,"
                " ? as verification_column",
                [row, h["id"], h["school"], h["town"], h["level"], h["found"], h["dept"], h["dept"], h["deadline"],
                 r["status"], r["rectified"], r["closed"], r["report"], r["extended"], r["verification"],
                 r["verified_date"], r["column"]])
            row += 1
    if activity is not None:
        activity(con)
    with build.one_commit(con):  # as a load builds them
        build.build_models(con)


def expected_state(h: dict, a: dt.date) -> dict | None:
    """SPEC §3 and §2.2 read literally: the latest report with report_date ≤ A; found on or before A.
    The effective deadline is the greatest 延期至 among the reports ≤ A, else the 整改时限; a
    report whose 验收结果 is 不通过 leaves the hazard not rectified (整改中 again)."""
    known = sorted((r for r in h["reports"] if r["report"] <= a), key=lambda r: r["report"])
    if not known or h["found"] > a:
        return None
    r = known[-1]
    failed = r["verification"] == "不通过"
    rectified = (not failed and r["status"] in ("已整改", "已销号") and r["rectified"] is not None
                 and r["rectified"] <= a)
    closed = not failed and r["status"] == "已销号" and r["closed"] is not None and r["closed"] <= a
    effective, extensions = h["deadline"], 0
    for report in known:  # a raise of the effective deadline counts once, whichever report repeats it
        if report["extended"] is not None and report["extended"] > effective:
            effective, extensions = report["extended"], extensions + 1
    overdue = not rectified and effective < a
    risk = 0 if rectified else WEIGHT[h["level"]] * (2 if overdue else 1)
    verified = any(report["verification"] == "通过" for report in known)
    return {"status": "整改中" if failed else r["status"], "is_rectified": rectified, "is_closed": closed,
            "is_open": not rectified, "is_overdue": overdue, "risk": float(risk), "rectified_date": r["rectified"],
            "effective_deadline": effective, "extensions": extensions,
            "rework": len({x["verified_date"] for x in known if x["verification"] == "不通过"}),
            "verified": verified,
            "closed_unverified": closed and not verified and any(x["column"] for x in known),
            "days_open": None if rectified else (a - h["found"]).days}


@pytest.fixture(scope="module")
def rules():
    return load_rules(DEFAULT_RULES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(district())
def test_state_and_closure_match_a_plain_reading_of_the_spec(tmp_path_factory, empty_warehouse, rules, case):
    hazards, a, start = case
    con = connect_copy(empty_warehouse, tmp_path_factory)
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
            on_time = sum(s["rectified_date"] <= s["effective_deadline"] for h, s in rectified)
            assert row["on_time_rate"] == (pytest.approx(on_time / len(rectified)) if rectified else None)
            days = [(s["rectified_date"] - h["found"]).days for h, s in rectified]
            assert row["median_days_to_rectify"] == (pytest.approx(statistics.median(days)) if days else None)
    finally:
        con.close()


# ---- Evaluation v2 (SPEC §3): the indicators and the scoring, read from SPEC alone ----
#
# A second district: departments named so that the default duty lists (rules.toml) bind them —
# 区公安局 is on both (公安), 区教育局 on the duty-inspection list (教育局), 区民政局 on neither —
# random inspections (日常检查 / 法治教育 by a department), district meetings (全体成员单位会议 /
# 专题会议 with or without 应到单位), towns' 例会 and towns' zero reports (无隐患), besides the hazards.

NAMED_DEPTS = {"D1": "区公安局", "D2": "区教育局", "D3": "区民政局"}
TOWNS = sorted(set(SCHOOLS.values()))
LEGAL = "法治教育"


@st.composite
def activity(draw):
    inspections = [{"dept": draw(st.sampled_from(DEPTS)), "school": draw(st.sampled_from(sorted(SCHOOLS))),
                    "date": day(draw(st.integers(0, 150))), "type": draw(st.sampled_from(["日常检查", LEGAL]))}
                   for _ in range(draw(st.integers(0, 6)))]
    meetings = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["全体成员单位会议", "专题会议"]))
        attendees = draw(st.lists(st.sampled_from(DEPTS), unique=True, max_size=3))
        invited = draw(st.lists(st.sampled_from(DEPTS), unique=True, max_size=3)) if kind == "专题会议" else []
        meetings.append({"type": kind, "level": "区", "town": None, "date": day(draw(st.integers(0, 150))),
                         "attendees": attendees, "invited": invited})
    for _ in range(draw(st.integers(0, 4))):
        meetings.append({"type": "例会", "level": "镇", "town": draw(st.sampled_from(TOWNS)),
                         "date": day(draw(st.integers(0, 150))), "attendees": [], "invited": []})
    zero = [{"town": draw(st.sampled_from(TOWNS)), "month": day(draw(st.integers(0, 150))).replace(day=1)}
            for _ in range(draw(st.integers(0, 3)))]
    return inspections, meetings, zero


@st.composite
def evaluated_district(draw):
    hazards = [draw(hazard(f"H{i}")) for i in range(draw(st.integers(0, 10)))]
    as_of = day(draw(st.integers(0, 150)))
    start = day(draw(st.integers(0, (as_of - DAY0).days)))
    return hazards, draw(activity()), as_of, start


def load_activity(con: duckdb.DuckDBPyConnection, inspections, meetings, zero) -> None:
    for n, i in enumerate(inspections):
        con.execute("insert into raw_inspections by name select 1 as ingest_id, 0 as sheet_index, ? as \"row\","
                    " ? as inspection_id, ? as inspection_date, ? as dept_code, ? as school_code, ? as town_code,"
                    " ? as inspection_type, 'department' as inspector_kind, ? as inspector_code, false as self_check",
                    [n + 2, f"I{n}", i["date"], i["dept"], i["school"], SCHOOLS[i["school"]], i["type"], i["dept"]])
    for n, m in enumerate(meetings):
        con.execute("insert into raw_meetings by name select 1 as ingest_id, 0 as sheet_index, ? as \"row\","
                    " ? as meeting_id, 't' as title, ? as meeting_type, ? as level, ? as town_code, ? as meeting_date,"
                    " ? as attendees, ?::varchar[] as attendee_codes, ? as invited, ?::varchar[] as invited_codes",
                    [n + 2, f"M{n}", m["type"], m["level"], m["town"], m["date"], "、".join(m["attendees"]),
                     m["attendees"], "、".join(m["invited"]) or None, m["invited"]])
    for z in zero:
        con.execute("insert into raw_zero_reports by name select 1 as ingest_id, 0 as sheet_index, 'hazards' as kind,"
                    " 'town' as sender_kind, ? as sender_code, ? as report_month", [z["town"], z["month"]])


def months_touched(s: dt.date, e: dt.date) -> list[dt.date]:
    out, m = [], s.replace(day=1)
    while m <= e:
        out.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return out


def last_day(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def share(n: int, d: int) -> float | None:
    return n / d if d else None


def town_values(hazards, inspections, meetings, zero, states, a, s) -> dict[str, dict]:
    """SPEC §3: {town: {indicator: (value, has_data, measurable)}}."""
    out = {}
    for town in TOWNS:
        schools = [x for x, t in SCHOOLS.items() if t == town]
        found = [(h, states[h["id"]]) for h in hazards if h["town"] == town and h["id"] in states and s <= h["found"] <= a]
        rect = [(h, st_) for h, st_ in found if st_["is_rectified"]]
        overdue = sum(st_["is_overdue"] for _, st_ in found)
        inspected = {i["school"] for i in inspections if i["school"] in schools and s <= i["date"] <= a}
        months = months_touched(s, a)
        # a touched month is met when the town held a 例会 in it (on or before A), whatever day S is
        met = {m["date"].replace(day=1) for m in meetings if m["type"] == "例会" and m["town"] == town and m["date"] <= a}
        # reporting: months wholly inside [S, E] that end before A's month are due; reported when
        # a hazard report of the town's schools is dated in it, or the town sent a zero report.
        due = [m for m in months if m >= s and last_day(m) <= a and m < a.replace(day=1)]
        reported = {r["report"].replace(day=1) for h in hazards if h["town"] == town for r in h["reports"]}
        reported |= {z["month"] for z in zero if z["town"] == town}
        out[town] = {
            "rectification_rate": (share(len(rect), len(found)), bool(found), True),
            "on_time_rate": (share(sum(st_["rectified_date"] <= st_["effective_deadline"] for h, st_ in rect), len(rect)),
                             bool(rect), True),
            "inspection_coverage": (len(inspected) / len(schools), True, True),
            "meeting_compliance": (len(met & set(months)) / len(months), True, True),
            "overdue_open_per_school": (overdue / len(schools), bool(found), True),
            "reporting": (share(sum(m in reported for m in due), len(due)), bool(due), bool(due)),
        }
    return out


def dept_values(hazards, inspections, meetings, states, a, s, rules) -> dict[str, dict]:
    """SPEC §3: {dept: {indicator: (value, has_data, measurable)}}."""
    spring, autumn = (rules.get("semesters", "spring_start_month"), rules.get("semesters", "autumn_start_month"))
    semesters = []
    for year in range(s.year - 1, a.year + 1):
        for month, ends in ((spring, dt.date(year, autumn, 1)), (autumn, dt.date(year + 1, spring, 1))):
            begin = dt.date(year, month, 1)
            if s <= begin <= a:
                semesters.append((begin, min(ends - dt.timedelta(days=1), a)))
    district_meetings = [m for m in meetings if m["level"] == "区" and s <= m["date"] <= a]
    out = {}
    for dept in DEPTS:
        found = [(h, states[h["id"]]) for h in hazards if h["dept"] == dept and h["id"] in states and s <= h["found"] <= a]
        rect = [(h, st_) for h, st_ in found if st_["is_rectified"]]
        days = [(st_["rectified_date"] - h["found"]).days for h, st_ in rect]
        # invited: everyone to a plenary; to a 专题会议 its 应到单位, else those who attended
        invited = [m for m in district_meetings
                   if m["type"] == "全体成员单位会议" or dept in (m["invited"] or m["attendees"])]
        attended = [m for m in invited if dept in m["attendees"]]
        duty = {i["school"] for i in inspections if i["dept"] == dept and i["type"] != LEGAL and s <= i["date"] <= a}
        visits = [{i["school"] for i in inspections if i["dept"] == dept and i["type"] == LEGAL and b <= i["date"] <= w}
                  for b, w in semesters]
        out[dept] = {
            "rectification_rate": (share(len(rect), len(found)), bool(found), True),
            "on_time_rate": (share(sum(st_["rectified_date"] <= st_["effective_deadline"] for h, st_ in rect), len(rect)),
                             bool(rect), True),
            "overdue_open": (float(sum(st_["is_overdue"] for _, st_ in found)), bool(found), True),
            "meeting_attendance": (share(len(attended), len(invited)), bool(invited), True),
            "median_days_to_rectify": (statistics.median(days) if days else None, bool(days), True),
            "duty_inspection_coverage": (len(duty) / len(SCHOOLS), bool(duty), True),
            "legal_education_coverage": ((statistics.mean(len(v) / len(SCHOOLS) for v in visits) if semesters else None),
                                         any(visits), bool(semesters)),
        }
    return out


def on_duty(duty: list[str] | None, code: str, name: str) -> bool:
    return any(entry == code or entry in name for entry in duty or [])


def indicator_score(value: float, spec: dict) -> float:
    if spec.get("points_per_unit") is not None:
        return max(0.0, 100 - spec["points_per_unit"] * value)
    if spec.get("zero_at_days") is not None:
        full, zero = spec["full_at_days"], spec["zero_at_days"]
        return 100.0 if value <= full else 0.0 if value >= zero else 100 * (zero - value) / (zero - full)
    return 100 * value


def expected_scores(values: dict[str, dict], names: dict[str, str], tier: str, rules) -> dict[str, dict]:
    """SPEC §3 v2 on each unit's indicator values: status, rescaled weights, score, ranked."""
    specs = {s["indicator"]: s for s in rules.as_sql()["indicators"] if s["tier"] == tier}
    out = {}
    for code, indicators in values.items():
        rows = {}
        for ind, (value, has_data, measurable) in indicators.items():
            duty = specs[ind]["duty"]
            if not measurable or (duty is not None and not on_duty(duty, code, names[code])):
                status = "不适用"
            elif has_data:
                status = "有数据"
            else:
                status = "未报送" if duty is not None else "不适用"
            score = None if status == "不适用" else 0.0 if status == "未报送" else indicator_score(value, specs[ind])
            rows[ind] = {"value": value, "status": status, "score": score, "base": specs[ind]["weight"]}
        applicable = sum(r["base"] for r in rows.values() if r["status"] != "不适用")
        for r in rows.values():
            r["weight"] = 0.0 if r["status"] == "不适用" or not applicable else r["base"] * 100 / applicable
        total = (sum(r["score"] * r["weight"] for r in rows.values() if r["score"] is not None) / 100
                 if applicable else None)
        ranked = total is not None and any(r["status"] != "不适用" for i, r in rows.items() if i != "meeting_attendance")
        out[code] = {"indicators": rows, "total": total, "ranked": ranked}
    return out


def competition_ranks(scores: dict[str, float]) -> dict[str, int]:
    return {u: 1 + sum(other > mine for other in scores.values()) for u, mine in scores.items()}


def grade_of(total: float, rules) -> str:
    return next((name for name, low in rules.grades() if total >= low), rules.grade_below)


def check_tier(frame, code_col: str, expected: dict[str, dict], rules) -> None:
    got = {r[code_col]: r for r in frame.iter_rows(named=True)}
    assert set(got) == set(expected)
    for code, want in expected.items():
        row = got[code]
        for ind, r in want["indicators"].items():
            assert row[f"{ind}_status"] == r["status"], (code, ind)
            assert row[f"{ind}_weight"] == pytest.approx(r["weight"]), (code, ind)
            assert row[f"{ind}_score"] == (None if r["score"] is None else pytest.approx(r["score"])), (code, ind)
            if r["value"] is not None and ind in row:
                assert row[ind] == pytest.approx(r["value"]), (code, ind)
        if want["total"] is None:
            assert row["score"] is None and row["grade"] is None, code
        else:
            assert abs(row["score"] - want["total"]) <= 0.005 + 1e-9, code
            assert row["grade"] == grade_of(row["score"], rules), code  # the band of the rounded score
        assert row["ranked"] == want["ranked"], code
    # competition ranks among the ranked units, by the (rounded) scores the SQL gives
    ranked = {c: got[c]["score"] for c, w in expected.items() if w["ranked"]}
    assert {c: got[c]["rank"] for c in expected} == {c: competition_ranks(ranked).get(c) for c in expected}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(evaluated_district())
def test_evaluation_v2_matches_a_plain_reading_of_the_spec(tmp_path_factory, empty_warehouse, rules, case):
    hazards, (inspections, meetings, zero), a, start = case
    con = connect_copy(empty_warehouse, tmp_path_factory)
    try:
        load(con, hazards, names=NAMED_DEPTS, activity=lambda c: load_activity(c, inspections, meetings, zero))
        metrics = Metrics.from_connection(con, rules)
        f = Filters(a, start=start)
        states = {h["id"]: s for h in hazards if (s := expected_state(h, a)) is not None}
        towns = town_values(hazards, inspections, meetings, zero, states, a, start)
        town_names = {t: n for t, n in con.sql("select town_code, town_name from towns").fetchall()}
        check_tier(metrics.town_scores(f), "town_code", expected_scores(towns, town_names, "town", rules), rules)
        depts = dept_values(hazards, inspections, meetings, states, a, start, rules)
        check_tier(metrics.dept_scores(f), "dept_code", expected_scores(depts, NAMED_DEPTS, "dept", rules), rules)
    finally:
        con.close()
