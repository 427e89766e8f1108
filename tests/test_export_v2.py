"""The snapshot and the API for the closed loop (SPEC §2.2) and Evaluation v2 (§3), on a tiny
district built here: the new tables unit_indicators / unit_closure / supervision with SPEC §5's
columns first, hazards.parquet's new columns, report.xlsx's new sheets, and report.html's
scorecards and 督办 figures equal to what the dashboard reads (Metrics) for the same as-of.

The district (tests/builders.SMALL_REGISTRY plus D04 区委宣传部, on no duty list), A = 2026-03-31,
period 2026-01-01 .. A. Hazards, as of A:
  K1 S01 重大 D01, open, overdue 11 days, 区级挂牌 notice 青教督〔2026〕1号 (in force), 责任人 张三
  K2 S03 重大 D02, open, not overdue: due for 挂牌 (重大 and open), not 挂牌 — 应挂未挂
  K3 S04 一般 the town 河口镇 (T02) responsible, overdue 70 days (> 30): due, not 挂牌
  K4 S02 一般 D01, deadline 02-20 extended (延期至) to 03-31 on 02-25: not overdue, one extension
  K5 S01 较大 D03, 已销号 with the 验收结果 column empty: 未经验收销号 (closed_unverified)
  K6 S04 一般 D02, 验收 不通过 on 02-19 (rework 1), rectified again 03-15 and 通过 on 03-18
Inspections: D01 at S01 (日常), D02 at S03 (法治教育) and S04 (专项); D03 (消防, on the duty list
of 履职检查) none → 未报送. Meetings: the plenary (D01, D02, D04 attend; every unit invited) and
one 例会 in each town. D04's only applicable indicator is meeting attendance → 不参与排名.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.export import export_snapshot
from pipelines.export.html import NOT_APPLICABLE, NOT_REPORTED
from pipelines.export.tables import CONTRACT
from pipelines.export.xlsx import header_label
from pipelines.publish import ingest
from tests import builders
from tests.metrics_data import metrics_for  # noqa: F401 (fixture)
from xiaoan.i18n import t
from xiaoan.labels import table_label
from xiaoan.metrics import Filters, HazardPick, Scope
from xiaoan.rules import load_rules

D = dt.date
A = D(2026, 3, 31)
F = Filters(as_of=A)
NOTICE = "青教督〔2026〕1号"
LOOP_HEADERS = [*builders.HAZARD_HEADERS, "责任人", "督办级别", "整改通知书编号", "延期至", "验收日期", "验收结果"]
REGISTRY = {**builders.SMALL_REGISTRY,
            "成员单位": [*builders.SMALL_REGISTRY["成员单位"], ["D04", "区委宣传部", "何部长", "林联络", "0774-0000004"]]}


def loop(row: list, person=None, supervision=None, notice=None, extended=None, verified=None, verification=None):
    return [*row, person, supervision, notice, extended, verified, verification]


HAZARDS = [
    loop(builders.hazard("K1", "S01", "消防安全", "重大", D(2026, 3, 1), "D01", D(2026, 3, 20), report=D(2026, 3, 25)),
         person="张三", supervision="区级挂牌", notice=NOTICE),
    loop(builders.hazard("K2", "S03", "校舍建筑", "重大", D(2026, 3, 10), "D02", D(2026, 4, 30), report=D(2026, 3, 25))),
    loop(builders.hazard("K3", "S04", "周边环境", "一般", D(2026, 1, 5), "河口镇", D(2026, 1, 20), report=D(2026, 1, 31))),
    loop(builders.hazard("K4", "S02", "食品卫生", "一般", D(2026, 2, 1), "D01", D(2026, 2, 20), report=D(2026, 2, 10))),
    loop(builders.hazard("K4", "S02", "食品卫生", "一般", D(2026, 2, 1), "D01", D(2026, 2, 20), "整改中",
                         report=D(2026, 2, 25)), extended=D(2026, 3, 31)),
    loop(builders.hazard("K5", "S01", "消防安全", "较大", D(2026, 1, 10), "D03", D(2026, 2, 10), "已销号",
                         rectified=D(2026, 2, 5), closed=D(2026, 2, 8), report=D(2026, 2, 28))),
    loop(builders.hazard("K6", "S04", "治安防范", "一般", D(2026, 2, 1), "D02", D(2026, 3, 1), "已整改",
                         rectified=D(2026, 2, 18), report=D(2026, 2, 20)), verified=D(2026, 2, 19), verification="不通过"),
    loop(builders.hazard("K6", "S04", "治安防范", "一般", D(2026, 2, 1), "D02", D(2026, 3, 1), "已整改",
                         rectified=D(2026, 3, 15), report=D(2026, 3, 20)), verified=D(2026, 3, 18), verification="通过"),
]
INSPECTIONS = [
    ["J1", D(2026, 2, 3), "D01", "S01", "日常检查", None, "甲", 1, 90],
    ["J2", D(2026, 3, 3), "D02", "S03", "法治教育", None, "乙", 0, None],
    ["J3", D(2026, 3, 5), "D02", "S04", "专项检查", None, "丙", 0, None],
]
MEETINGS = [
    ["P1", "全体会议", "全体成员单位会议", "区", None, D(2026, 2, 5), "王总", "D01、D02、D04", "x", 3],
    ["L1", "一月例会", "例会", "镇", "T01", D(2026, 1, 10), "李镇长", "D01", "x", 1],
    ["L2", "二月例会", "例会", "镇", "T02", D(2026, 2, 10), "赵镇长", "D02", "x", 1],
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("loop")
    path = folder / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(folder / "登记册.xlsx", REGISTRY)], path)
    files = [builders.xlsx(folder / "隐患台账.xlsx", LOOP_HEADERS, HAZARDS),
             builders.xlsx(folder / "检查记录.xlsx", builders.INSPECTION_HEADERS, INSPECTIONS),
             builders.xlsx(folder / "会议记录.xlsx", builders.MEETING_HEADERS, MEETINGS)]
    result = ingest(files, path)
    assert [(f.loaded, f.rejected) for f in result.files] == [(len(HAZARDS), 0), (3, 0), (3, 0)], \
        [(f.file, f.message) for f in result.files]
    return path


@pytest.fixture(scope="module")
def snapshot(warehouse, tmp_path_factory) -> Path:
    return export_snapshot(warehouse, A, None, None, tmp_path_factory.mktemp("out")).path


@pytest.fixture
def m(warehouse, metrics_for):
    return metrics_for(warehouse)


def parquet(snapshot: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(snapshot / f"{name}.parquet")


def by(frame: pl.DataFrame, *keys: str) -> dict:
    return {row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys): row for row in frame.iter_rows(named=True)}


# ---------------------------------------------------------------- the tables


def test_the_new_tables_hold_spec_columns_first_in_contract_order(snapshot):
    for name in ("unit_indicators", "unit_closure", "supervision", "hazards", "town_scores", "dept_scores"):
        frame = parquet(snapshot, name)
        assert tuple(frame.columns[: len(CONTRACT[name])]) == CONTRACT[name], name
    assert CONTRACT["supervision"] == ("hazard_id", "responsible_kind", "responsible_code", "supervision",
                                       "notice_no", "due", "days_open", "days_overdue")
    assert CONTRACT["unit_indicators"] == ("tier", "unit_code", "indicator", "value", "score", "weight", "status")


def test_the_new_tables_are_the_api_s_rows(snapshot, m):
    for name, api in (("unit_indicators", m.unit_indicators(F)), ("unit_closure", m.unit_closure(F)),
                      ("supervision", m.supervision(F)), ("town_scores", m.town_scores(F)),
                      ("dept_scores", m.dept_scores(F))):
        assert parquet(snapshot, name).select(api.columns).equals(api), name


def test_hazards_carry_the_closed_loop(snapshot):
    hazards = by(parquet(snapshot, "hazards"), "hazard_id")
    k1, k3, k4, k5, k6 = (hazards[k] for k in ("K1", "K3", "K4", "K5", "K6"))
    assert (k1["supervision"], k1["notice_no"], k1["responsible_person"]) == ("区级挂牌", NOTICE, "张**")  # masked
    assert (k1["responsible_kind"], k1["responsible_code"]) == ("department", "D01")
    assert (k3["responsible_kind"], k3["responsible_code"], k3["responsible_dept_code"]) == ("town", "T02", None)
    assert (k4["deadline"], k4["effective_deadline"], k4["extensions"], k4["is_overdue"]) == (
        D(2026, 2, 20), D(2026, 3, 31), 1, False)
    assert k4["risk"] == 1  # 一般, not overdue against the extended deadline
    assert (k5["closed_unverified"], k1["closed_unverified"], k6["closed_unverified"]) == (True, False, False)
    assert (k6["rework"], k6["verification"], k6["is_open"]) == (1, "通过", False)
    assert k1["effective_deadline"] == D(2026, 3, 20) and k1["extensions"] == 0 and k1["is_overdue"]


def test_supervision_lists_the_due_and_the_in_force(snapshot):
    rows = by(parquet(snapshot, "supervision"), "hazard_id")
    assert set(rows) == {"K1", "K2", "K3"}
    assert {k: (r["due"], r["in_force"], r["notice_no"]) for k, r in rows.items()} == {
        "K1": (False, True, NOTICE), "K2": (True, False, None), "K3": (True, False, None)}
    assert {k: (r["days_open"], r["days_overdue"]) for k, r in rows.items()} == {
        "K1": (30, 11), "K2": (21, 0), "K3": (85, 70)}
    assert (rows["K3"]["responsible_kind"], rows["K3"]["responsible_code"]) == ("town", "T02")


def test_unit_closure_lists_every_kind_of_responsible_unit(snapshot):
    rows = by(parquet(snapshot, "unit_closure"), "responsible_kind", "responsible_code")
    town = rows[("town", "T02")]
    assert (town["name"], town["total"], town["rectified"], town["overdue_open"], town["town_code"]) == (
        "河口镇", 1, 0, 1, "T02")
    d02 = rows[("department", "D02")]  # K2 open, K6 rectified late (03-15 > 03-01)
    assert (d02["total"], d02["rectified"], d02["rectification_rate"], d02["on_time_rate"], d02["town_code"]) == (
        2, 1, 0.5, 0.0, None)
    d01 = rows[("department", "D01")]  # K1 open overdue, K4 open on its extended deadline
    assert (d01["total"], d01["rectified"], d01["overdue_open"]) == (2, 0, 1)


def test_scores_and_indicators_of_evaluation_v2(snapshot):
    depts = by(parquet(snapshot, "dept_scores"), "dept_code")
    d04 = depts["D04"]  # attended the one plenary it was invited to; nothing else applies
    assert (d04["score"], d04["rank"], d04["ranked"], d04["grade"]) == (100.0, None, False, "优秀")
    assert d04["meeting_attendance"] == 1.0 and d04["rectification_rate_status"] == NOT_APPLICABLE
    assert all(depts[c]["rank"] is not None for c in ("D01", "D02", "D03"))
    indicators = by(parquet(snapshot, "unit_indicators"), "tier", "unit_code", "indicator")
    assert {(r["status"], r["score"], r["weight"]) for k, r in indicators.items() if k[:2] == ("dept", "D04")} == {
        (NOT_APPLICABLE, None, 0.0), ("有数据", 100.0, 100.0)}
    duty = indicators[("dept", "D03", "duty_inspection_coverage")]  # 消防: on the duty list, no inspection
    assert (duty["status"], duty["score"], duty["value"]) == (NOT_REPORTED, 0.0, 0.0)
    legal = indicators[("dept", "D02", "legal_education_coverage")]  # 公安: 1 of 4 schools in spring 2026
    assert (legal["status"], legal["value"]) == ("有数据", 0.25)
    assert indicators[("dept", "D01", "legal_education_coverage")]["status"] == NOT_APPLICABLE  # not on its list
    for (tier, unit, _), row in indicators.items():  # rescaled weights sum to 100 for every scored unit
        weights = [r["weight"] for k, r in indicators.items() if k[:2] == (tier, unit)]
        assert sum(weights) == pytest.approx(100.0), (tier, unit)
    towns = by(parquet(snapshot, "town_scores"), "town_code")
    assert {c: towns[c]["reporting_status"] for c in towns} == {"T01": "有数据", "T02": "有数据"}
    assert towns["T01"]["grade"] is not None and towns["T01"]["rank"] in (1, 2)


def test_manifest_counts_the_new_tables(snapshot):
    import json
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    for name in ("unit_indicators", "unit_closure", "supervision"):
        assert manifest["row_counts"][name] == parquet(snapshot, name).height > 0, name
        assert f"{name}.parquet" in manifest["files"]
    assert manifest["row_counts"]["supervision"] == 3


# ---------------------------------------------------------------- scope


def test_a_town_sees_the_units_of_its_town_and_a_department_its_own_rows(m):
    town, dept = Scope.town("T02"), Scope.department("D02")
    closure = m.unit_closure(F, town)
    assert not closure.is_empty() and set(closure["town_code"]) == {"T02"}
    assert "department" not in set(closure["responsible_kind"])
    assert ("town", "T02") in set(closure.select("responsible_kind", "responsible_code").iter_rows())
    assert m.unit_closure(F, dept).select("responsible_kind", "responsible_code").rows() == [("department", "D02")]
    assert m.unit_closure(F, dept)["total"].to_list() == [2]
    assert set(m.supervision(F, town)["hazard_id"]) == {"K2", "K3"}
    assert set(m.supervision(F, Scope.town("T01"))["hazard_id"]) == {"K1"}
    assert set(m.supervision(F, dept)["hazard_id"]) == {"K2"}
    everyone = m.unit_indicators(F)
    for scope, tier, unit in ((town, "town", "T02"), (dept, "dept", "D02")):
        mine = m.unit_indicators(F, scope)
        assert set(mine.select("tier", "unit_code").iter_rows()) == {(tier, unit)}
        assert mine.equals(everyone.filter((pl.col("tier") == tier) & (pl.col("unit_code") == unit)))


# ---------------------------------------------------------------- report.xlsx and report.html


def test_the_workbook_has_the_supervision_closure_and_indicator_sheets(snapshot):
    book = openpyxl.load_workbook(snapshot / "report.xlsx", read_only=True)
    assert {"挂牌督办", "各责任单位整改情况", "考核指标计分表"} <= set(book.sheetnames)
    sheet = _sheet(book, "supervision")
    assert sheet["整改通知书编号"][sheet["隐患编号"].index("K1")] == NOTICE
    assert sheet["应挂牌未挂牌"][sheet["隐患编号"].index("K2")] == "是"
    assert sheet["未整改天数"][sheet["隐患编号"].index("K3")] == 85
    closure = _sheet(book, "unit_closure")
    assert set(closure["责任单位类别"]) >= {"成员单位", "镇"}
    scores = _sheet(book, "dept_scores")
    d04 = scores["单位代码"].index("D04")
    assert scores["排名情况"][d04] == "不参与排名" and scores["排名"][d04] is None
    assert scores["考核等级"][d04] == "优秀" and scores["法治教育覆盖率计分情况"][d04] == NOT_APPLICABLE
    indicators = _sheet(book, "unit_indicators")
    assert header_label("unit_indicators", "status") == "计分情况"
    assert set(indicators["计分情况"]) == {"已报送", "不适用", "未报送"}  # the data's 有数据, as a leader reads it
    assert set(indicators["考核对象"]) == {"镇", "成员单位"}
    book.close()


def test_report_html_shows_the_dashboard_s_scorecards(snapshot, m):
    """The numbers printed in report.html's scorecards are Metrics' (what the dashboard reads) for
    the same as-of and period: rank or 不参与排名, score, grade, and each indicator's status,
    value, score and rescaled weight."""
    cards = _scorecards((snapshot / "report.html").read_text(encoding="utf-8"))
    rules = load_rules()
    for tier, scores in (("town", m.town_scores(F)), ("dept", m.dept_scores(F))):
        assert [u for u in cards[tier]] == scores.sort("rank", f"{tier}_code", nulls_last=True)[f"{tier}_code"].to_list()
        for row in scores.iter_rows(named=True):
            card = cards[tier][row[f"{tier}_code"]]
            assert card["rank"] == (str(row["rank"]) if row["rank"] is not None
                                    else t("ranked.no") if row["score"] is not None else t("ranked.no_score"))
            assert card["score"] == ("—" if row["score"] is None else f"{row['score']:.2f}")
            assert card["grade"] == (row["grade"] or "—")
            for indicator in rules.indicators(tier):
                status, text = card["indicators"][indicator]
                assert status == (row[f"{indicator}_status"] or ""), (tier, row[f"{tier}_code"], indicator)
                if status != NOT_APPLICABLE:
                    assert t("report.indicator_detail", score=f"{row[f'{indicator}_score']:.2f}",
                             weight=f"{row[f'{indicator}_weight']:.2f}") in text
    assert cards["dept"]["D04"]["rank"] == "不参与排名" and cards["dept"]["D04"]["grade"] == "优秀"
    assert cards["dept"]["D03"]["indicators"]["duty_inspection_coverage"][0] == NOT_REPORTED


def test_report_html_shows_the_supervision_figures(snapshot, m):
    page = (snapshot / "report.html").read_text(encoding="utf-8")
    supervision = m.supervision(F)
    in_force, due = int(supervision["in_force"].sum()), int(supervision["due"].sum())
    # 未经验收销号 as the dashboard's 挂牌督办 page counts it: hazards found in the period
    unverified = m.hazard_count(F, found_in_period=True, pick=HazardPick(closed_unverified=True))
    assert (in_force, due, unverified) == (1, 2, 1)
    assert "重大隐患未整改" in page  # the rule names the levels of the rules file
    assert (f'data-in-force="{in_force}" data-due="{due}" data-closed-unverified="{unverified}"') in page
    assert t("report.supervision_counts", in_force=1, due=2, unverified=1) in page
    assert NOTICE in page and "挂牌督办" in page and "应挂牌未挂牌" in page and "未经验收销号" in page


# ---------------------------------------------------------------- helpers


def _sheet(book, table: str) -> dict[str, list]:
    """A sheet as {Chinese header: values}."""
    values = list(book[table_label(table)].iter_rows(values_only=True))
    return {h: [row[i] for row in values[1:]] for i, h in enumerate(values[0])}


class _Cards(HTMLParser):
    """report.html's scorecards: {tier: {unit: {rank, score, grade, indicators: {name: (status, text)}}}}."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, dict]] = {}
        self.tier = self.unit = self.cell = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-tier" in attrs:
            self.tier = attrs["data-tier"]
            self.cards[self.tier] = {}
        elif tag == "tr" and self.tier and "data-unit" in attrs:
            self.unit = attrs["data-unit"]
            self.cards[self.tier][self.unit] = {"indicators": {}}
        elif tag == "td" and self.unit:
            classes = (attrs.get("class") or "").split()
            self.cell = ("indicator", attrs["data-indicator"], attrs["data-status"]) if "data-indicator" in attrs \
                else next((c for c in ("rank", "score", "grade") if c in classes), None)
            self.text = []

    def handle_endtag(self, tag):
        if tag == "td" and self.unit and self.cell:
            text = " ".join("".join(self.text).split())
            card = self.cards[self.tier][self.unit]
            if isinstance(self.cell, tuple):
                card["indicators"][self.cell[1]] = (self.cell[2], text)
            else:
                card[self.cell] = text
            self.cell = None
        elif tag == "tr":
            self.unit = None
        elif tag == "table":
            self.tier = None

    def handle_data(self, data):
        if self.cell:
            self.text.append(data)


def _scorecards(page: str) -> dict:
    parser = _Cards()
    parser.feed(page)
    return parser.cards
