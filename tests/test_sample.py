"""The synthetic district (`xiaoan sample`): reproducible, readable, and true to the contract.

The checks read the written files back the way a user's office sends them (title lines,
two-row headers, blank and 合计 rows, full-width characters, dates typed five ways) with a
small reader of their own, then test SPEC §2's rules and the patterns the dashboard shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import fastexcel
import numpy as np
import openpyxl
import pytest

from pipelines.sample import standard_map_text, write_sample
from pipelines.sample.generate import generate
from pipelines.sample.geometry import contains
from pipelines.sample.params import SCALES, scaled
from xiaoan.config import DEFAULT_MAP

END = dt.date(2026, 10, 31)
REPO = Path(__file__).resolve().parent.parent

HAZARD = {"hazard_id": "隐患编号", "school": "学校", "town": "所属镇", "category": "隐患类别",
          "level": "隐患等级", "description": "隐患描述", "found_date": "发现日期",
          "found_by": "发现单位", "responsible_dept": "责任单位", "deadline": "整改时限",
          "measures": "整改措施", "status": "整改状态", "rectified_date": "整改完成日期",
          "closed_date": "销号日期", "report_date": "填报日期", "responsible_person": "责任人",
          "supervision": "督办级别", "notice_no": "整改通知书编号", "extended_deadline": "延期至",
          "verifier": "验收人", "verified_date": "验收日期", "verification": "验收结果"}
# 复查情况 and its columns, as some offices head them (SPEC §2.1 aliases), read as 验收….
RECHECK = {"复查人": "验收人", "复查日期": "验收日期", "复查情况": "验收结果"}
RECHECK_WORDS = {"合格": "通过", "需二次整改": "不通过"}
INSPECTION = {"inspection_id": "检查编号", "date": "检查日期", "department": "检查单位",
              "school": "学校", "type": "检查类型", "category": "检查类别",
              "inspectors": "检查人员", "hazards_found": "发现隐患数", "score": "检查得分"}
MEETING = {"meeting_id": "会议编号", "title": "会议名称", "type": "会议类型", "level": "层级",
           "town": "所属镇", "date": "召开日期", "chair": "主持人", "attendees": "参会单位",
           "topics": "议题", "decisions": "议定事项数", "invited": "应到单位"}
REQUIRED = {"hazards": ("隐患编号", "学校", "隐患类别", "隐患等级", "发现日期", "责任单位",
                        "整改时限", "整改状态"),
            "inspections": ("检查日期", "检查单位", "学校", "检查类型"),
            "meetings": ("会议类型", "层级", "召开日期")}
ENGLISH = {"hazards": HAZARD, "inspections": INSPECTION, "meetings": MEETING}
KNOWN = {h for kind in ENGLISH.values() for pair in kind.items() for h in pair} | set(RECHECK)
CATEGORIES = {"消防安全", "校舍建筑", "交通安全", "食品卫生", "治安防范", "防溺水", "周边环境",
              "设施设备", "心理健康", "其他"}
STATUS = {"未整改": 0, "整改中": 1, "已整改": 2, "已销号": 3}
SYNONYMS = {"待整改": "未整改", "已完成": "已整改", "完成": "已整改", "销号": "已销号"}


# ---------------------------------------------------------------- a small ledger reader

def norm(value) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def parse_date(value) -> dt.date | None:
    text = norm(value)
    if text is None:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?( 00:00:00)?", text)
    if not m:
        raise ValueError(f"not a date: {value!r}")
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def records(grid: list[list], kind: str) -> list[dict[str, str | None]]:
    """Rows under the header as {Chinese header: text}; title, blank and 合计 rows skipped."""
    tops = [[norm(c) for c in row] for row in grid[:8]]
    i = next((i for i, cells in enumerate(tops) if sum(c in KNOWN for c in cells) >= 3), None)
    assert i is not None, "no header in the first rows"
    header, first = tops[i], i + 1
    if any(c in ("隐患情况", "整改情况") for c in header):
        below = [norm(c) for c in grid[i + 1]]
        header, first = [b or c for c, b in zip(header, below, strict=True)], i + 2
    header = [RECHECK.get(h, h) for h in (ENGLISH[kind].get(h, h) for h in header)]
    out = []
    for row in grid[first:]:
        cells = [norm(c) for c in row]
        if all(c is None for c in cells) or "合计" in cells:
            continue
        out.append(dict(zip(header, cells, strict=True)))
    return out


def decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gbk")


def sheets(path: Path) -> dict[str, list[list]]:
    """Every sheet (or the CSV) of a file as a grid of cells."""
    if path.suffix == ".csv":
        return {"": list(csv.reader(io.StringIO(decode(path))))}
    reader = fastexcel.read_excel(path)
    return {name: [list(r) for r in reader.load_sheet(name, header_row=None, dtypes="string")
                   .to_polars().rows()]
            for name in reader.sheet_names if name != "填表说明"}


def read_kind(root: Path, kind: str) -> list[dict]:
    return [dict(row, _file=p.name) for p in sorted((root / kind).rglob("*.*"))
            for grid in sheets(p).values() for row in records(grid, kind)]


def read_registry(root: Path) -> dict[str, list[dict]]:
    if (root / "registry" / "登记册.xlsx").exists():
        grids = sheets(root / "registry" / "登记册.xlsx")
    else:
        grids = {p.stem: sheets(p)[""] for p in (root / "registry").glob("*.csv")}
    out = {}
    for name, grid in grids.items():
        start = next(i for i, r in enumerate(grid) if sum(c is not None and c != "" for c in r) > 1)
        header = [norm(c) for c in grid[start]]
        out[name] = [dict(zip(header, [norm(c) for c in r], strict=True))
                     for r in grid[start + 1:]]
    return out


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def csv_sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("csv")
    return out, write_sample(out, seed=2026, fmt="csv", end=END)


@pytest.fixture(scope="module", autouse=True)
def mixed_again(tmp_path_factory):
    """The same mixed sample written by another process (another hash seed), started first
    so that it runs while this module's other tests do."""
    out = tmp_path_factory.mktemp("mixed-again")
    script = ("import datetime, json, sys; from pipelines.sample import write_sample; "
              "print(json.dumps(write_sample(sys.argv[1], seed=2026, fmt='mixed', "
              f"end=datetime.date.fromisoformat('{END}'))))")
    env = {**os.environ, "PYTHONHASHSEED": "12345",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, text=True)
    yield out, proc
    proc.kill()
    proc.wait()


@pytest.fixture(scope="module")
def mixed_sample(tmp_path_factory, mixed_again):
    out = tmp_path_factory.mktemp("mixed")
    return out, write_sample(out, seed=2026, fmt="mixed", end=END)


@pytest.fixture(scope="module")
def ledger(csv_sample):
    """(valid reports, number of rows that break a rule) from the CSV sample."""
    root, _ = csv_sample
    reg = read_registry(root)
    schools = {s["学校代码"]: s for s in reg["学校"]}
    by_name = defaultdict(list)
    for s in reg["学校"]:
        by_name[s["学校名称"]].append(s)
    towns = {t["镇代码"]: t["镇名称"] for t in reg["镇"]}
    depts = {d["单位代码"] for d in reg["成员单位"]} | {d["单位名称"] for d in reg["成员单位"]}
    # 责任单位 may name a unit of any kind (SPEC §2.2), or the row's own school as 本校 / 本园.
    units = {**{k: "department" for k in depts},
             **{t[k]: "town" for t in reg["镇"] for k in ("镇代码", "镇名称")},
             **{v[k]: "village" for v in reg["村社区"] for k in ("村代码", "村名称")},
             **{s[k]: "school" for s in reg["学校"] for k in ("学校代码", "学校名称")},
             "本校": "school", "本园": "school"}
    valid, broken = [], 0
    for row in read_kind(root, "hazards"):
        town = row.get("所属镇")
        school = schools.get(row["学校"]) or next(
            (s for s in by_name.get(row["学校"], []) if town in (s["镇代码"], towns[s["镇代码"]])),
            None)
        status = SYNONYMS.get(row["整改状态"], row["整改状态"])
        found, deadline = parse_date(row["发现日期"]), parse_date(row["整改时限"])
        fixed, closed = parse_date(row["整改完成日期"]), parse_date(row["销号日期"])
        ok = (school is not None and row["隐患编号"] and row["隐患类别"] in CATEGORIES
              and row["隐患等级"] in ("一般", "较大", "重大") and found and deadline
              and deadline >= found and row["责任单位"] in units and status in STATUS
              and (status not in ("已整改", "已销号") or (fixed and fixed >= found))
              and (status != "已销号" or (closed and closed >= fixed)))
        if not ok:
            broken += 1
            continue
        verification = row.get("验收结果")
        valid.append({**row, "status": status, "found": found, "deadline": deadline,
                      "fixed": fixed, "closed": closed, "town_code": school["镇代码"],
                      "report": parse_date(row["填报日期"]), "kind": units[row["责任单位"]],
                      "school_code": school["学校代码"],
                      "extended": parse_date(row.get("延期至")),
                      "verified": parse_date(row.get("验收日期")),
                      "verification": RECHECK_WORDS.get(verification, verification),
                      "loop_columns": "验收结果" in row})
    return valid, broken


# ---------------------------------------------------------------- reproducibility

def _contents(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(csv_sample, tmp_path):
    root, summary = csv_sample
    again = write_sample(tmp_path / "again", seed=2026, fmt="csv", end=END)
    write_sample(tmp_path / "other", seed=7, fmt="csv", end=END)
    assert again == summary
    assert _contents(tmp_path / "again") == _contents(root)
    theirs = _contents(tmp_path / "other")
    assert theirs["map/towns.geojson"] == _contents(root)["map/towns.geojson"]
    assert any(theirs.get(k) != v for k, v in _contents(root).items() if k.startswith("hazards"))


# ---------------------------------------------------------------- files and headers

@pytest.mark.parametrize("kind", ["hazards", "inspections", "meetings"])
def test_every_record_file_reads_with_its_headers(mixed_sample, kind):
    root, _ = mixed_sample
    files = sorted((root / kind).rglob("*.*"))
    assert files
    for path in files:
        for name, grid in sheets(path).items():
            rows = records(grid, kind)
            assert rows, (path.name, name)
            assert set(REQUIRED[kind]) <= set(rows[0]), (path.name, name)


def test_registry_has_every_table_and_the_fixed_towns(mixed_sample, csv_sample):
    for root, _ in (mixed_sample, csv_sample):
        reg = read_registry(root)
        assert {"区", "镇", "村社区", "学校", "成员单位"} <= set(reg)
        assert [t["镇代码"] for t in reg["镇"]] == [f"QX{i:02d}" for i in range(1, 9)]
        assert len(reg["村社区"]) == 40 and len(reg["成员单位"]) == 14
        assert 70 <= len(reg["学校"]) <= 95
        assert {s["学校类型"] for s in reg["学校"]} == {
            "幼儿园", "小学", "初中", "九年一贯制", "完全中学"}
        assert {s["办学性质"] for s in reg["学校"]} == {"公办", "民办"}
        assert "青溪公安分局" in {d["单位名称"] for d in reg["成员单位"]}
    assert set(fastexcel.read_excel(mixed_sample[0] / "registry" / "登记册.xlsx").sheet_names) \
        == {"填表说明", "区", "镇", "村社区", "学校", "成员单位"}


def test_file_count_stays_modest(mixed_sample):
    _, summary = mixed_sample
    assert summary["files"] <= 150
    assert summary["files"] == sum(v for k, v in summary.items() if k.startswith("files_"))


def test_the_mixed_set_carries_every_untidiness(mixed_sample):
    root, _ = mixed_sample
    assert {".xlsx", ".xls", ".csv"} <= {p.suffix for p in root.rglob("*.*")}
    raw_csv = [p.read_bytes() for p in root.rglob("*.csv")]
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw_csv)
    assert any(not b.startswith(b"\xef\xbb\xbf") and not _is_gbk(b) for b in raw_csv)
    assert any(_is_gbk(b) for b in raw_csv)
    grids = {(p.name, name): grid for p in root.rglob("*.*") if p.parent.name != "map"
             for name, grid in sheets(p).items()}
    cells = [c for g in grids.values() for r in g for c in r if c is not None]
    text = set(cells)
    for marker in ("合计", "隐患情况", "整改情况", "备注", "hazard_id", "inspection_id", "待整改",
                   "已完成", "完成", "销号"):
        assert marker in text, marker
    assert any(c.startswith("填报单位：") for c in text)
    assert any(c != c.strip() for c in cells)
    assert any(re.search("[０-９]", c) for c in cells)
    for pattern in (r"\d{4}/\d{1,2}/\d{1,2}", r"\d{4}\.\d{1,2}\.\d{1,2}",
                    r"\d{4}年\d{1,2}月\d{1,2}日", r"\d{4}-\d{2}-\d{2}",
                    r"\d{4}-\d{2}-\d{2} 00:00:00"):
        assert any(re.fullmatch(pattern, c) for c in text), pattern
    blank_inside = [k for k, g in grids.items()
                    if any(all(c is None for c in r) for r in g[3:-1])]
    assert blank_inside
    canonical = list(HAZARD.values())
    orders = [[h for h in (norm(c) for c in g[i]) if h in canonical]
              for g in grids.values() for i in range(min(4, len(g)))
              if sum(norm(c) in canonical for c in g[i]) >= 10]
    assert any(o != [h for h in canonical if h in o] for o in orders)  # shuffled columns
    hazards = read_kind(root, "hazards")
    assert any(re.fullmatch(r"QXS\d{3}", h["学校"] or "") for h in hazards)
    assert any((h["学校"] or "").endswith(("学校", "小学", "幼儿园", "中学")) for h in hazards)
    assert any(re.fullmatch(r"D\d\d", h["责任单位"] or "") for h in hazards)
    assert any("、" in m["参会单位"] for m in read_kind(root, "meetings"))
    book = openpyxl.load_workbook(next(root.glob("hazards/*.xlsx")))
    assert book.sheetnames[0] == "填表说明" or book.sheetnames[-1] == "填表说明"
    assert len(book.sheetnames) == 9  # one sheet per town
    merged = [str(r) for ws in book.worksheets for r in ws.merged_cells.ranges]
    assert any(r.startswith("A1:") for r in merged)  # the title across the table


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "隐患" in raw.decode("gbk") or "检查" in raw.decode("gbk")
    return False


# ---------------------------------------------------------------- the contract's rules

def test_only_the_deliberately_bad_rows_break_a_rule(ledger, csv_sample):
    valid, broken = ledger
    _, summary = csv_sample
    assert broken == summary["bad_hazard_reports"] > 0
    assert 0.004 <= summary["deliberately_bad_rows"] / (
        summary["hazard_reports"] + summary["inspections"] + summary["meetings"]) <= 0.01
    assert len(valid) + broken == summary["hazard_reports"]
    assert 3000 <= summary["hazards"] <= 6500 and 15_000 <= summary["hazard_reports"] <= 30_000


def test_each_hazard_reports_every_month_until_struck_off(ledger):
    valid, broken = ledger
    history = defaultdict(list)
    for r in valid:
        history[r["隐患编号"]].append(r)
        assert r["report"].weekday() < 5
        for d in (r["fixed"], r["closed"], r["verified"]):
            assert d is None or d <= r["report"]
        assert r["extended"] is None or r["extended"] > r["deadline"]
    last_report = max(r["report"] for r in valid)
    missing = _missing_ledgers(valid)
    holes = 0
    for reports in history.values():
        reports.sort(key=lambda r: r["report"])
        # Status only moves forward, except back to 整改中 after a failed verification.
        # (A spoiled, rejected report may hide the failure: counted as a hole.)
        holes += any(STATUS[after["status"]] < STATUS[before["status"]] and not (
            after["status"] == "整改中" and before["verification"] == "不通过")
            for before, after in zip(reports, reports[1:], strict=False))
        assert "已销号" not in [r["status"] for r in reports[:-1]]
        months = [r["report"].year * 12 + r["report"].month for r in reports]
        town = reports[0]["town_code"]
        expected = [m for m in range(months[0], months[-1] + 1) if (town, m) not in missing]
        holes += months != expected
        holes += reports[-1]["status"] != "已销号" and reports[-1]["report"] != last_report \
            and (town, last_report.year * 12 + last_report.month) not in missing
    # Only a report spoiled on purpose (and so rejected) may leave a hole in a history.
    assert holes <= broken


def _missing_ledgers(valid: list[dict]) -> set[tuple[str, int]]:
    """(town code, year*12+month) of the monthly ledgers a town did not send."""
    sent = {(r["town_code"], r["report"].year * 12 + r["report"].month) for r in valid}
    towns = {t for t, _ in sent}
    months = {m for _, m in sent}
    return {(t, m) for t in towns for m in months} - sent


def test_levels_follow_the_planned_mix(ledger):
    valid, _ = ledger
    first = {r["隐患编号"]: r for r in valid}
    share = {lv: sum(r["隐患等级"] == lv for r in first.values()) / len(first)
             for lv in ("一般", "较大", "重大")}
    assert 0.70 < share["一般"] < 0.80
    assert 0.16 < share["较大"] < 0.24
    assert 0.03 < share["重大"] < 0.07


def test_drowning_hazards_come_in_summer_and_fire_hazards_in_winter(ledger):
    valid, _ = ledger
    first = {r["隐患编号"]: r for r in valid}.values()

    def share(category, months):
        rows = [r for r in first if r["found"].month in months]
        return sum(r["隐患类别"] == category for r in rows) / len(rows)

    assert share("防溺水", (6, 7, 8)) > 5 * share("防溺水", (12, 1, 2))
    assert share("消防安全", (11, 12, 1, 2)) > 1.5 * share("消防安全", (5, 6, 7, 8))


def test_lagging_towns_leave_more_hazards_overdue(ledger):
    valid, _ = ledger
    last = max(r["report"] for r in valid)
    overdue = defaultdict(int)
    for r in valid:
        if r["report"] == last and r["status"] in ("未整改", "整改中") and r["deadline"] < last:
            overdue[r["town_code"]] += 1
    assert overdue["QX06"] + overdue["QX08"] > sum(overdue.values()) / 4 * 1.5
    assert sum(overdue.values()) > 0


def test_the_building_bureau_is_slow(ledger):
    valid, _ = ledger
    days = defaultdict(list)
    for r in {r["隐患编号"]: r for r in valid}.values():
        if r["fixed"]:
            days[r["责任单位"]].append((r["fixed"] - r["found"]).days)
    slow = np.median(days["区建设局"] + days["D08"])
    fast = np.median(days["区市场监管局"] + days["D13"])
    assert slow > 1.5 * fast


def test_inspections_found_every_hazard_and_police_visit_most_schools(csv_sample):
    root, summary = csv_sample
    rows = read_kind(root, "inspections")
    assert len(rows) == summary["inspections"]
    assert sum(int(r["发现隐患数"]) for r in rows) == summary["hazards"]
    assert all(0 <= int(r["检查得分"]) <= 100 for r in rows if r["检查得分"])
    assert {r["检查类型"] for r in rows} == {"日常检查", "专项检查", "联合检查", "督导检查",
                                              "开学检查", "节假日检查", "校舍安全检测", "法治教育"}
    schools = read_registry(root)["学校"]
    code_of = {s["学校名称"]: s["学校代码"] for s in schools} | {s["学校代码"]: s["学校代码"]
                                                               for s in schools}
    visits = defaultdict(set)
    for r in rows:
        if r["检查类型"] == "法治教育" and r["学校"] in code_of:
            d = parse_date(r["检查日期"])
            visits[(d.year if d.month >= 9 else d.year - 1, d.month >= 9)].add(code_of[r["学校"]])
    shares = [len(s) / len(schools) for s in visits.values()]
    assert len(shares) >= 5 and all(0.6 < s < 1.0 for s in shares)


def test_towns_meet_monthly_and_the_district_skips_one_plenary(csv_sample):
    root, _ = csv_sample
    rows = read_kind(root, "meetings")
    plenary_years = {parse_date(r["召开日期"]).year
                     for r in rows if r["会议类型"] == "全体成员单位会议"}
    assert set(range(2023, 2027)) - plenary_years == {2024}
    town_name = {t["镇代码"]: t["镇名称"] for t in read_registry(root)["镇"]}
    held = defaultdict(set)
    for r in rows:
        if r["会议类型"] == "例会" and r["所属镇"]:
            d = parse_date(r["召开日期"])
            held[town_name.get(r["所属镇"], r["所属镇"])].add((d.year, d.month))
    assert set(held) == set(town_name.values())
    lagging = {"桂岭镇", "梅溪镇"}
    assert all(len(m) >= 0.85 * 38 for t, m in held.items() if t not in lagging)
    assert all(len(m) < 0.85 * 38 for t, m in held.items() if t in lagging)
    district = [re.split("[、，,;；]", r["参会单位"]) for r in rows if r["层级"] == "区"]
    assert sum("区教育局" in a for a in district) == len(district)
    assert sum("区财政局" in a for a in district) < len(district) / 2


# ---------------------------------------------------------------- the closed loop (issue 15)

NO_DUTY = {"区委宣传部", "区委政法委", "区财政局", "D01", "D02", "D06"}


def _first_reports(valid: list[dict]) -> list[dict]:
    return list({r["隐患编号"]: r for r in reversed(valid)}.values())


def test_responsible_units_follow_their_duties(ledger, csv_sample):
    valid, _ = ledger
    root, _ = csv_sample
    code_of = {d["单位名称"]: d["单位代码"] for d in read_registry(root)["成员单位"]}
    hazards = _first_reports(valid)
    assert not [r for r in valid if r["责任单位"] in NO_DUTY]
    by_category = defaultdict(lambda: defaultdict(int))
    for r in hazards:
        unit = code_of.get(r["责任单位"], r["责任单位"]) if r["kind"] == "department" else r["kind"]
        by_category[r["隐患类别"]][unit] += 1

    def top(category: str) -> str:
        counts = by_category[category]
        return max(counts, key=counts.get)

    def departments(category: str) -> set[str]:
        return {u for u in by_category[category] if u.startswith("D")}

    fire = {u: n for u, n in by_category["消防安全"].items() if u.startswith("D")}
    assert max(fire, key=fire.get) == "D14"  # 消防救援大队
    food = {u: n for u, n in by_category["食品卫生"].items() if u.startswith("D")}
    assert max(food, key=food.get) == "D13"  # 市场监管局
    assert departments("交通安全") == {"D05", "D09"}  # 交警大队, 交通运输局
    assert top("治安防范") == "D04"  # 公安分局
    assert departments("校舍建筑") == {"D08", "D03"}  # 建设局, 教育局
    around = by_category["周边环境"]
    assert around["town"] + around["village"] > 0.3 * sum(around.values())
    assert top("设施设备") == top("其他") == "school"  # small items: the school itself
    kinds = defaultdict(int)
    for r in hazards:
        kinds[r["kind"]] += 1
    assert set(kinds) == {"department", "school", "town", "village"}
    assert 0.2 < kinds["school"] / len(hazards) < 0.5
    assert {r["责任单位"] for r in valid} & {"本校", "本园"}


def test_duty_units_inspect_at_different_rates(csv_sample):
    root, _ = csv_sample
    reg = read_registry(root)
    name_of = {d["单位代码"]: d["单位名称"] for d in reg["成员单位"]}
    school_of = {s["学校名称"]: s["学校代码"] for s in reg["学校"]} | {
        s["学校代码"]: s["学校代码"] for s in reg["学校"]}
    seen = defaultdict(set)
    for r in read_kind(root, "inspections"):
        d = parse_date(r["检查日期"])
        if d.year == END.year and r["检查类型"] != "法治教育" and r["学校"] in school_of:
            seen[name_of.get(r["检查单位"], r["检查单位"])].add(school_of[r["学校"]])
    coverage = {unit: len(s) / len(reg["学校"]) for unit, s in seen.items()}
    duty = ("区教育局", "青溪公安分局", "青溪交警大队", "青溪消防救援大队", "区市场监管局",
            "区卫生健康局", "区建设局", "区应急局", "区交通运输局")
    assert all(0 < coverage.get(u, 0) for u in duty), coverage
    assert coverage["区教育局"] > 0.95
    assert coverage["青溪消防救援大队"] > coverage["区卫生健康局"] > coverage["区交通运输局"]
    assert max(coverage[u] for u in duty) - min(coverage[u] for u in duty) > 0.5
    assert not {"区委宣传部", "区财政局"} & set(coverage)


def test_police_legal_education_covers_some_schools_but_not_all(csv_sample):
    root, _ = csv_sample
    reg = read_registry(root)
    school_of = {s["学校名称"]: s["学校代码"] for s in reg["学校"]} | {
        s["学校代码"]: s["学校代码"] for s in reg["学校"]}
    town_of = {s["学校代码"]: s["镇代码"] for s in reg["学校"]}
    visits = defaultdict(set)
    for r in read_kind(root, "inspections"):
        if r["检查类型"] == "法治教育" and r["学校"] in school_of:
            d = parse_date(r["检查日期"])
            visits[(d.year, d.month >= 8)].add(school_of[r["学校"]])
    assert all(0 < len(v) < len(reg["学校"]) for v in visits.values())
    unvisited = [town_of[s] for s in town_of if s not in visits[(END.year, False)]]
    lagging = sum(t in ("QX06", "QX08") for t in unvisited)
    assert lagging > len(unvisited) / 4  # 2 of 8 towns, more than their share


def test_topical_meetings_name_their_invited_units(csv_sample):
    root, _ = csv_sample
    rows = read_kind(root, "meetings")
    split = lambda text: set(re.split("[、，,;；]", text)) if text else set()  # noqa: E731
    topical = [r for r in rows if r["会议类型"] == "专题会议"]
    assert topical and all(r["应到单位"] for r in topical)
    assert all(split(r["参会单位"]) <= split(r["应到单位"]) for r in topical)
    assert any(split(r["参会单位"]) < split(r["应到单位"]) for r in topical)
    assert not any(r["应到单位"] for r in rows if r["会议类型"] != "专题会议")


def test_extensions_and_failed_verifications_come_back_in_later_ledgers(ledger):
    valid, _ = ledger
    history = defaultdict(list)
    for r in valid:
        history[r["隐患编号"]].append(r)
    extended = {h: {r["extended"] for r in rs if r["extended"]} for h, rs in history.items()}
    assert sum(bool(e) for e in extended.values()) > 50
    assert any(len(e) >= 2 for e in extended.values())  # extended twice
    came_back = 0
    for reports in history.values():
        reports.sort(key=lambda r: r["report"])
        failed = [i for i, r in enumerate(reports) if r["verification"] == "不通过"]
        if not failed:
            continue
        later = reports[failed[0] + 1:]
        came_back += (any(r["status"] == "整改中" for r in later)
                      and any(r["status"] in ("已整改", "已销号") and r["verification"] == "通过"
                              for r in later))
    assert came_back >= 5


def test_listed_hazards_carry_notice_numbers(ledger):
    valid, _ = ledger
    notices = defaultdict(set)
    for r in valid:
        level = r.get("督办级别")
        assert (level is None) == (r.get("整改通知书编号") is None)
        if level:
            assert level in ("区级挂牌", "镇级挂牌")
            assert re.fullmatch(r"\S+〔\d{4}〕第\d+号", r["整改通知书编号"]), r["整改通知书编号"]
            notices[r["隐患编号"]].add((level, r["整改通知书编号"]))
    assert all(len(n) == 1 for n in notices.values())  # one notice per hazard, every month
    levels = defaultdict(int)
    for (level, _), in notices.values():
        levels[level] += 1
    assert levels["区级挂牌"] > 20 and levels["镇级挂牌"] > 20
    numbers = [n for ns in notices.values() for _, n in ns]
    assert len(numbers) == len(set(numbers))


def test_a_few_are_struck_off_unverified_where_the_ledger_has_the_column(ledger):
    valid, _ = ledger
    closing = {r["隐患编号"]: r for r in valid if r["status"] == "已销号"}.values()
    with_column = [r for r in closing if r["loop_columns"]]
    unverified = [r for r in with_column if r["verification"] != "通过"]
    assert 0 < len(unverified) < 0.05 * len(with_column)
    # Ledgers of the first school year predate the new template: no verification column.
    assert any(not r["loop_columns"] for r in valid) and any(r["loop_columns"] for r in valid)


def test_a_town_misses_one_months_ledger(ledger):
    valid, _ = ledger
    missing = _missing_ledgers(valid)
    assert len(missing) == 1
    (town, month), = missing
    assert town in ("QX06", "QX08") and month // 12 == END.year - (month % 12 == 0)


def test_the_loaded_sample_names_every_kind_of_unit_and_its_closed_loop(csv_sample, tmp_path):
    from pipelines.publish import ingest
    from xiaoan.warehouse import open_read_only

    root, summary = csv_sample
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = ingest([root], warehouse)
    assert sum(f.rejected for f in result.files) == summary["deliberately_bad_rows"]
    con = open_read_only(warehouse)
    try:
        kinds = dict(con.sql("select responsible_kind, count(distinct hazard_id) "
                             "from raw_hazard_reports group by 1").fetchall())
        loop = con.sql("""select count(distinct hazard_id) filter (where extended_deadline is not null),
                                 count(distinct hazard_id) filter (where verification = '不通过'),
                                 count(distinct hazard_id) filter (where supervision is not null),
                                 bool_or(verification_column), bool_and(verification_column)
                          from raw_hazard_reports""").fetchall()[0]
        no_duty = con.sql("""select count(*) from raw_hazard_reports h join departments d
                             on d.dept_code = h.responsible_code and h.responsible_kind = 'department'
                             where d.dept_name in ('区委宣传部', '区委政法委', '区财政局')""").fetchall()[0][0]
    finally:
        con.close()
    assert set(kinds) == {"department", "school", "town", "village"}
    assert loop[0] > 50 and loop[1] >= 5 and loop[2] > 40 and loop[3] and not loop[4]
    assert no_duty == 0


# ---------------------------------------------------------------- the map

def test_committed_map_is_what_the_generator_writes(mixed_sample):
    root, _ = mixed_sample
    assert DEFAULT_MAP.read_text(encoding="utf-8") == standard_map_text()
    assert (root / "map" / "towns.geojson").read_text(encoding="utf-8") == standard_map_text()
    assert DEFAULT_MAP.stat().st_size < 50_000


def test_towns_do_not_overlap_and_hold_their_schools(mixed_sample):
    root, _ = mixed_sample
    features = json.loads((root / "map" / "towns.geojson").read_text(encoding="utf-8"))["features"]
    rings = {f["properties"]["town_code"]: np.array(f["geometry"]["coordinates"][0])
             for f in features}
    probe = np.random.default_rng(0).uniform([110.9, 23.25], [111.6, 23.85], (20_000, 2))
    assert max(sum(contains(r, probe).astype(int) for r in rings.values())) == 1
    for s in read_registry(root)["学校"]:
        point = np.array([[float(s["经度"]), float(s["纬度"])]])
        assert contains(rings[s["镇代码"]], point)[0], s["学校名称"]


# ---------------------------------------------------------------- the large scale

def test_large_scale_is_province_sized_and_all_csv(tmp_path):
    fraction = 0.03
    summary = generate(tmp_path, 11, scaled(SCALES["large"], fraction), "csv", END)
    assert summary["towns"] == 45
    assert abs(summary["schools"] - 20_000 * fraction) < 0.1 * 20_000 * fraction
    assert abs(summary["hazard_reports"] - 1_000_000 * fraction) < 0.25 * 1_000_000 * fraction
    files = sorted((tmp_path / "hazards").glob("*.csv"))
    assert len(files) == 38
    rows = sum(len(records(sheets(p)[""], "hazards")) for p in files)
    assert rows == summary["hazard_reports"]
    assert {p.suffix for p in tmp_path.rglob("*.*")} == {".csv", ".geojson"}


def test_unknown_scale_or_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        write_sample(tmp_path, scale="huge")
    with pytest.raises(ValueError, match="format"):
        write_sample(tmp_path, fmt="parquet")


# ---------------------------------------------------------------- last: the other process

def test_same_seed_writes_the_same_workbooks_in_another_process(mixed_sample, mixed_again):
    root, summary = mixed_sample
    again_root, proc = mixed_again
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert json.loads(stdout) == summary
    mine, again = _contents(root), _contents(again_root)
    assert mine.keys() == again.keys()
    assert any(name.endswith(".xls") for name in mine)
    for name in mine:
        # Workbooks are even byte-identical; were they not, equal cells would still do.
        if mine[name] != again[name]:
            assert name.endswith((".xlsx", ".xls")), name
            assert sheets(root / name) == sheets(again_root / name), name
