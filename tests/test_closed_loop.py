"""SPEC §2.2, the closed loop as the office runs it: extensions (延期至) and the effective
deadline, failed verifications (验收 不通过) that reopen a hazard and count as rework, 销号
without verification (未经验收销号), towns, villages and schools as responsible units, and
挂牌督办 (due and in force). Every expected number is worked out by hand from the rows below.

The registry is tests/builders.SMALL_REGISTRY (T01: S01, S02; T02: S03, S04; villages V01–V03;
units D01–D03). A = 2026-03-31, the period 2026-01-01 .. A.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.publish import ingest
from tests import builders
from xiaoan import vocabulary
from xiaoan.rules import load_rules
from xiaoan.warehouse import open_read_only

D = dt.date
A = D(2026, 3, 31)
LOOP_HEADERS = builders.HAZARD_HEADERS + ["督办级别", "整改通知书编号", "延期至", "验收日期", "验收结果"]


def loop(row: list, supervision=None, notice=None, extended=None, verified=None, verification=None) -> list:
    """A hazard row of the ledger with the closed-loop columns."""
    return row + [supervision, notice, extended, verified, verification]


h = builders.hazard
# The ledger with 督办级别 … 验收结果 columns.
LOOP_ROWS = [
    # X1 S01 D01: deadline 03-10 extended to 04-15 — open, not overdue at A (it would be by 整改时限).
    loop(h("X1", "S01", found=D(2026, 3, 1), dept="D01", deadline=D(2026, 3, 10), status="整改中", report=D(2026, 3, 15)),
         extended=D(2026, 4, 15)),
    # X2 S01 D01: deadline 01-15 extended to 02-20, rectified 02-18: on time only thanks to the
    # extension; the 02-28 report repeats the 延期至 (one extension).
    loop(h("X2", "S01", found=D(2026, 1, 5), dept="D01", deadline=D(2026, 1, 15), report=D(2026, 1, 31)),
         extended=D(2026, 2, 20)),
    loop(h("X2", "S01", found=D(2026, 1, 5), dept="D01", deadline=D(2026, 1, 15), status="已整改",
           rectified=D(2026, 2, 18), report=D(2026, 2, 28)), extended=D(2026, 2, 20)),
    # X3 S02 D01: deadline 01-20; 延期至 02-15, 02-15 again, 03-20 (a raise), then 03-01 (lower:
    # no raise, no lowering): effective 03-20, 2 extensions, overdue 11 days at A (bucket 2).
    *[loop(h("X3", "S02", found=D(2026, 1, 10), dept="D01", deadline=D(2026, 1, 20), report=report), extended=ext)
      for report, ext in [(D(2026, 1, 31), D(2026, 2, 15)), (D(2026, 2, 28), D(2026, 2, 15)),
                          (D(2026, 3, 15), D(2026, 3, 20)), (D(2026, 3, 31), D(2026, 3, 1))]],
    # X4 S03 较大 D02: said 已整改 on 02-20 but failed its verification of 02-19 (整改中 again);
    # 02-28 repeats the same failed row (one rework); 03-31 fails again on 03-28 (rework 2).
    # Open at A, overdue 30 days (deadline 03-01): risk 3 × 2, bucket 2.
    *[loop(h("X4", "S03", level="较大", found=D(2026, 2, 1), dept="D02", deadline=D(2026, 3, 1), status="已整改",
             rectified=rect, report=report), verified=vdate, verification="不通过")
      for report, rect, vdate in [(D(2026, 2, 20), D(2026, 2, 18), D(2026, 2, 19)),
                                  (D(2026, 2, 28), D(2026, 2, 18), D(2026, 2, 19)),
                                  (D(2026, 3, 31), D(2026, 3, 25), D(2026, 3, 28))]],
    # X5 S04 D02: 销号 after a passing verification: verified, not flagged.
    loop(h("X5", "S04", found=D(2026, 2, 1), dept="D02", deadline=D(2026, 2, 20), status="已销号",
           rectified=D(2026, 2, 15), closed=D(2026, 2, 25), report=D(2026, 3, 31)),
         verified=D(2026, 2, 16), verification="通过"),
    # X6 S04 D01: 销号 with the 验收结果 cell empty, in a ledger that has the column: 未经验收销号.
    loop(h("X6", "S04", found=D(2026, 1, 5), dept="D01", deadline=D(2026, 1, 30), status="已销号",
           rectified=D(2026, 1, 20), closed=D(2026, 1, 25), report=D(2026, 1, 31))),
    # X11 S01 重大 D03: open, not overdue: due for 挂牌 (its level).
    loop(h("X11", "S01", level="重大", found=D(2026, 3, 20), dept="D03", deadline=D(2026, 4, 30), report=A)),
    # X12 S02 D03: open, overdue 49 days (> 30): due for 挂牌.
    loop(h("X12", "S02", found=D(2026, 1, 2), dept="D03", deadline=D(2026, 2, 10), report=A)),
    # X13 S03 D03: 区级挂牌 with its notice, open and overdue 49 days: in force, not due.
    loop(h("X13", "S03", found=D(2026, 1, 2), dept="D03", deadline=D(2026, 2, 10), report=A),
         supervision="区级挂牌", notice="青教督〔2026〕1号"),
    # X14 S04 D03: 镇级挂牌; failed its verification on 03-08, then 已整改 again with no verification:
    # rectified at A, and the 挂牌 stays in force (its latest verification failed).
    loop(h("X14", "S04", found=D(2026, 2, 1), dept="D03", deadline=D(2026, 2, 28), status="已整改",
           rectified=D(2026, 3, 5), report=D(2026, 3, 10)),
         supervision="镇级挂牌", notice="N2", verified=D(2026, 3, 8), verification="不通过"),
    loop(h("X14", "S04", found=D(2026, 2, 1), dept="D03", deadline=D(2026, 2, 28), status="已整改",
           rectified=D(2026, 3, 25), report=A), supervision="镇级挂牌", notice="N2"),
    # X15 S04 D03: 区级挂牌, rectified and passed: the 挂牌 has ended.
    loop(h("X15", "S04", found=D(2026, 2, 1), dept="D03", deadline=D(2026, 3, 31), status="已整改",
           rectified=D(2026, 3, 20), report=A), supervision="区级挂牌", notice="N3", verified=D(2026, 3, 25),
         verification="通过"),
]
# The ledger without verification columns (a plain HAZARD_HEADERS sheet).
PLAIN_ROWS = [
    # X7 S02 D01: 销号 with no verification, in a ledger with no 验收结果 column: not flagged.
    h("X7", "S02", found=D(2026, 1, 5), dept="D01", deadline=D(2026, 1, 30), status="已销号",
      rectified=D(2026, 1, 20), closed=D(2026, 1, 25), report=D(2026, 1, 31)),
    # X8 at S03 (town T02), the town 城关镇 (T01) responsible: open, overdue 11 days, risk 2.
    h("X8", "S03", found=D(2026, 3, 1), dept="城关镇", deadline=D(2026, 3, 20), report=A),
    # X9 at S01, the village 东村 (V01, T01) responsible: rectified in 9 days, on time.
    h("X9", "S01", found=D(2026, 3, 1), dept="东村", deadline=D(2026, 4, 30), status="已整改",
      rectified=D(2026, 3, 10), report=A),
    # X10 at S04, the school itself (河口镇初级中学) responsible: open, 较大, risk 3.
    h("X10", "S04", level="较大", found=D(2026, 3, 5), dept="河口镇初级中学", deadline=D(2026, 4, 5), report=A),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("closed_loop")
    warehouse = folder / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(folder / "登记册.xlsx")], warehouse)
    files = [builders.xlsx(folder / "闭环台账.xlsx", LOOP_HEADERS, LOOP_ROWS),
             builders.xlsx(folder / "隐患台账.xlsx", builders.HAZARD_HEADERS, PLAIN_ROWS)]
    result = ingest(files, warehouse)
    assert [(f.loaded, f.rejected) for f in result.files] == [(len(LOOP_ROWS), 0), (len(PLAIN_ROWS), 0)]
    con = open_read_only(warehouse)
    yield con
    con.close()


def states(con, a=A, rules=None, macro="hazard_states", **filters) -> dict[str, dict]:
    args = "".join(f", {k} := {v!r}" for k, v in filters.items())
    sql = f"select * from {macro}(?::date{args}, rules := {'?' if rules else 'default_rules()'})"
    cursor = con.execute(sql, [a, rules] if rules else [a])
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def rules_with(**supervision) -> dict:
    rules = load_rules().as_sql()
    rules["supervision"] = {**rules["supervision"], **supervision}
    return rules


def test_the_words_are_the_vocabulary_words(con):
    assert con.sql("select failed_verification(), in_progress_status()").fetchall() == [
        (vocabulary.FAILED, vocabulary.STATUSES[1])]
    assert con.sql("select is_failed_verification('不通过'), is_failed_verification('通过'), "
                   "is_failed_verification(null)").fetchall() == [(True, False, False)]


def test_an_extension_moves_overdue_and_on_time(con):
    s = states(con)
    # X1: 整改时限 03-10 < A, but extended to 04-15: open and not overdue; deadline stays typed.
    x1 = s["X1"]
    assert (x1["deadline"], x1["effective_deadline"], x1["extensions"]) == (D(2026, 3, 10), D(2026, 4, 15), 1)
    assert (x1["is_open"], x1["is_overdue"], x1["days_overdue"], x1["overdue_bucket"], x1["risk"]) == (
        True, False, None, 0, 1.0)
    assert x1["days_open"] == 30
    # X2: rectified 02-18 after its 整改时限 01-15, before its 延期至 02-20: on time.
    assert (s["X2"]["effective_deadline"], s["X2"]["extensions"], s["X2"]["days_open"]) == (D(2026, 2, 20), 1, None)
    d01 = {r[0]: r[1:] for r in con.sql(
        "select dept_code, total, rectified, on_time_rate, overdue_open from dept_closure('2026-03-31')").fetchall()}
    # D01: X1, X2, X3, X6, X7; rectified X2, X6, X7, all on time; overdue open X3 only (X1 extended).
    assert d01["D01"] == (5, 3, 1.0, 1)
    head = con.sql("select on_time_rate, overdue_open from headline('2026-03-31')").fetchall()[0]
    # rectified in the period: X2, X5, X6, X7, X9, X14, X15; late: X14 (03-25 > 02-28) → 6/7.
    # overdue open: X3, X4, X8, X12, X13.
    assert head == (pytest.approx(6 / 7), 5)


def test_extensions_count_distinct_raises(con):
    history = con.sql("select report_date, effective_deadline, extensions from hazard_reports "
                      "where hazard_id = 'X3' order by report_date").fetchall()
    assert history == [
        (D(2026, 1, 31), D(2026, 2, 15), 1),
        (D(2026, 2, 28), D(2026, 2, 15), 1),   # the same 延期至 repeated: no raise
        (D(2026, 3, 15), D(2026, 3, 20), 2),   # raised
        (D(2026, 3, 31), D(2026, 3, 20), 2),   # a lower 延期至 neither lowers nor counts
    ]
    x3 = states(con)["X3"]
    assert (x3["effective_deadline"], x3["extensions"], x3["is_overdue"], x3["days_overdue"], x3["overdue_bucket"],
            x3["risk"]) == (D(2026, 3, 20), 2, True, 11, 2, 2.0)
    # As of 02-28: the first extension only, overdue 13 days.
    early = states(con, D(2026, 2, 28))["X3"]
    assert (early["effective_deadline"], early["extensions"], early["days_overdue"]) == (D(2026, 2, 15), 1, 13)


def test_a_failed_verification_reopens_and_counts_as_rework(con):
    # As of 02-25: the 02-20 report says 已整改 with 验收 不通过 → 整改中, open, risk back (较大 3).
    x4 = states(con, D(2026, 2, 25))["X4"]
    assert (x4["status"], x4["is_rectified"], x4["is_closed"], x4["is_open"], x4["risk"], x4["rework"]) == (
        "整改中", False, False, True, 3.0, 1)
    # The 02-28 ledger repeats the same failed row: still one rework.
    assert states(con, D(2026, 2, 28))["X4"]["rework"] == 1
    # At A a second failure (03-28): rework 2; overdue 30 days (deadline 03-01): risk 3 × 2.
    x4 = states(con)["X4"]
    assert (x4["status"], x4["is_open"], x4["rework"], x4["days_overdue"], x4["overdue_bucket"], x4["risk"],
            x4["verified"]) == ("整改中", True, 2, 30, 2, 6.0, False)
    d02 = con.sql("select total, rectified, closed, overdue_open from dept_closure('2026-03-31') "
                  "where dept_code = 'D02'").fetchall()
    assert d02 == [(2, 1, 1, 1)]   # X4 (not rectified, overdue) and X5 (closed)


def test_closed_without_verification_is_flagged_only_where_the_ledger_has_the_column(con):
    s = states(con, macro="hazards_as_of")
    got = {k: (s[k]["is_closed"], s[k]["verified"], s[k]["closed_unverified"]) for k in ("X5", "X6", "X7")}
    assert got == {"X5": (True, True, False), "X6": (True, False, True), "X7": (True, False, False)}
    flags = dict(con.sql("select hazard_id, verification_column from hazard_reports "
                         "where hazard_id in ('X6', 'X7')").fetchall())
    assert flags == {"X6": True, "X7": False}


def test_towns_villages_and_schools_as_responsible_units(con):
    s = states(con)
    # Town metrics go by the school's town: X8 (at S03, T02) counts in T02 though 城关镇 (T01) is responsible.
    assert (s["X8"]["town_code"], s["X8"]["responsible_kind"], s["X8"]["responsible_code"],
            s["X8"]["responsible_dept_code"]) == ("T02", "town", "T01", None)
    per_school = {r[0]: r[1:] for r in con.sql(
        "select town_code, open_hazards, risk, risk_per_school from town_risk_per_school('2026-03-31')").fetchall()}
    # T01 open: X1 (1), X3 (2), X11 (10), X12 (2); T02 open: X4 (6), X8 (2), X10 (3), X13 (2).
    assert per_school == {"T01": (4, 15.0, 7.5), "T02": (4, 13.0, 6.5)}
    units = {(r[0], r[1]): r[2:] for r in con.sql(
        "select responsible_kind, responsible_code, name, town_code, total, rectified, on_time_rate, overdue_open, "
        "median_days_to_rectify, open, risk from unit_closure('2026-03-31')").fetchall()}
    assert units[("town", "T01")] == ("城关镇", "T01", 1, 0, None, 1, None, 1, 2.0)
    assert units[("village", "V01")] == ("东村", "T01", 1, 1, 1.0, 0, 9.0, 0, 0.0)
    assert units[("school", "S04")] == ("河口镇初级中学", "T02", 1, 0, None, 0, None, 1, 3.0)
    # Every member unit is listed; D03: X11–X15, rectified X14 (late, 52 days) and X15 (on time, 47).
    assert units[("department", "D03")] == ("消防救援大队", None, 5, 2, 0.5, 2, 49.5, 3, 14.0)
    assert [k for k in units if k[0] != "department"] == [("town", "T01"), ("village", "V01"), ("school", "S04")]
    # A town filter picks hazards by the school's town: under T02 the town 城关镇 keeps X8.
    t02 = con.sql("select responsible_kind, responsible_code, town_code, total from unit_closure('2026-03-31', "
                  "towns := ['T02']) where responsible_kind <> 'department'").fetchall()
    assert t02 == [("town", "T01", "T01", 1), ("school", "S04", "T02", 1)]
    # dept_closure stays member units only: D01–D03 hold X1–X7, X11–X15.
    assert con.sql("select sum(total) from dept_closure('2026-03-31')").fetchall() == [(12,)]


def test_supervision_due_and_in_force(con):
    listed = con.execute("select hazard_id, due, in_force, supervision, notice_no, days_open, days_overdue, status "
                         "from supervision_list(?::date)", [A]).fetchall()
    assert listed == [
        ("X12", True, False, None, None, 88, 49, "未整改"),                   # overdue 49 > 30 days
        ("X13", False, True, "区级挂牌", "青教督〔2026〕1号", 88, 49, "未整改"),  # 挂牌 in force
        ("X14", False, True, "镇级挂牌", "N2", None, 0, "已整改"),            # rectified, last verification failed
        ("X11", True, False, None, None, 11, 0, "未整改"),                    # 重大 and open
    ]
    s = states(con)
    # X15: rectified and passed — no longer in force; X4: 较大, overdue exactly 30 days — not due.
    assert (s["X15"]["supervision_in_force"], s["X15"]["supervision_due"]) == (False, False)
    assert (s["X4"]["supervision_due"], s["X3"]["supervision_due"]) == (False, False)
    # As of 03-15 X14's state is its failed report: open (整改中) and in force.
    x14 = states(con, D(2026, 3, 15))["X14"]
    assert (x14["status"], x14["is_open"], x14["supervision_in_force"], x14["days_open"]) == ("整改中", True, True, 42)
    # The rules' overdue_days: at 60, X12 (49 days) is no longer due; X11 still is (重大).
    later = states(con, rules=rules_with(overdue_days=60))
    assert (later["X12"]["supervision_due"], later["X11"]["supervision_due"]) == (False, True)
    # The rules' levels: with 较大 too, X4 and X10 become due.
    wider = states(con, rules=rules_with(levels=["重大", "较大"]))
    assert sorted(k for k, v in wider.items() if v["supervision_due"]) == ["X10", "X11", "X12", "X4"]


def test_town_on_time_uses_the_effective_deadline(con):
    # T01 (S01, S02) rectified in the period: X2 (02-18, 整改时限 01-15, 延期至 02-20), X7, X9 — all on
    # time once X2's extension counts (by 整改时限 alone it would be 2/3).
    rows = dict(con.sql("select unit_code, value from town_indicator_values('2026-03-31') "
                        "where indicator = 'on_time_rate'").fetchall())
    assert rows["T01"] == pytest.approx(1.0)


def test_a_standing_supervision_is_not_lifted_by_a_ledger_without_the_column(tmp_path):
    # Y1 is 区级挂牌 in the office's ledger of 02-28; the town's ledger of 03-31 has no 督办级别
    # column and still reports it open: the 挂牌 stands, with its notice number. Y2 was 挂牌 and is
    # rectified in the later plain ledger: the 挂牌 has ended (not in force), its words still shown.
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
    office = [loop(h("Y1", "S01", found=D(2026, 2, 1), dept="D01", deadline=D(2026, 2, 20), report=D(2026, 2, 28)),
                   supervision="区级挂牌", notice="青教督〔2026〕7号"),
              loop(h("Y2", "S02", found=D(2026, 2, 1), dept="D01", deadline=D(2026, 2, 20), report=D(2026, 2, 28)),
                   supervision="镇级挂牌", notice="N9")]
    town = [h("Y1", "S01", found=D(2026, 2, 1), dept="D01", deadline=D(2026, 2, 20), status="整改中", report=A),
            h("Y2", "S02", found=D(2026, 2, 1), dept="D01", deadline=D(2026, 2, 20), status="已整改",
              rectified=D(2026, 3, 20), report=A)]
    result = ingest([builders.xlsx(tmp_path / "督办台账.xlsx", LOOP_HEADERS, office),
                     builders.xlsx(tmp_path / "镇台账.xlsx", builders.HAZARD_HEADERS, town)], warehouse)
    assert [(f.loaded, f.rejected) for f in result.files] == [(2, 0), (2, 0)]
    con = open_read_only(warehouse)
    try:
        s = states(con)
        assert (s["Y1"]["supervision"], s["Y1"]["notice_no"], s["Y1"]["supervision_in_force"],
                s["Y1"]["supervision_due"]) == ("区级挂牌", "青教督〔2026〕7号", True, False)
        assert (s["Y2"]["supervision"], s["Y2"]["supervision_in_force"]) == ("镇级挂牌", False)
        # the history keeps what each ledger said: the town's report has no 督办级别 of its own
        assert con.sql("select report_date, supervision, standing_supervision from hazard_reports "
                       "where hazard_id = 'Y1' order by report_date").fetchall() == [
            (D(2026, 2, 28), "区级挂牌", "区级挂牌"), (A, None, "区级挂牌")]
        listed = con.execute("select hazard_id, in_force, notice_no, days_overdue from supervision_list(?::date)",
                             [A]).fetchall()
        assert listed == [("Y1", True, "青教督〔2026〕7号", 39)]
    finally:
        con.close()


def test_a_failed_row_repeated_without_a_verification_date_counts_once(tmp_path):
    # Z1's monthly ledgers repeat 不通过 with the 验收日期 cell empty (01-31, 02-28, 03-15): one
    # failure; it then passes (03-20) and fails again (A, no date): rework 2. Z2 fails on 02-10
    # (dated), and the next ledger repeats 不通过 without the date: still one failure.
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
    z1 = [loop(h("Z1", "S01", found=D(2026, 1, 5), dept="D01", deadline=D(2026, 4, 30), status="已整改",
                 rectified=D(2026, 1, 20), report=day), verification=result)
          for day, result in [(D(2026, 1, 31), "不通过"), (D(2026, 2, 28), "不通过"), (D(2026, 3, 15), "不通过"),
                              (D(2026, 3, 20), "通过"), (A, "不通过")]]
    z2 = [loop(h("Z2", "S02", found=D(2026, 1, 5), dept="D01", deadline=D(2026, 4, 30), status="已整改",
                 rectified=D(2026, 2, 1), report=day), verified=vdate, verification="不通过")
          for day, vdate in [(D(2026, 2, 10), D(2026, 2, 10)), (D(2026, 2, 28), None)]]
    result = ingest([builders.xlsx(tmp_path / "验收台账.xlsx", LOOP_HEADERS, z1 + z2)], warehouse)
    assert [(f.loaded, f.rejected) for f in result.files] == [(7, 0)]
    con = open_read_only(warehouse)
    try:
        assert con.sql("select report_date, rework from hazard_reports where hazard_id = 'Z1' "
                       "order by report_date").fetchall() == [
            (D(2026, 1, 31), 1), (D(2026, 2, 28), 1), (D(2026, 3, 15), 1), (D(2026, 3, 20), 1), (A, 2)]
        assert con.sql("select max(rework) from hazard_reports where hazard_id = 'Z2'").fetchall() == [(1,)]
    finally:
        con.close()
