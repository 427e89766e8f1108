"""The monthly hazard ledgers (隐患台账) as the towns send them.

Standard, mixed: most months one workbook with a sheet per town and a 填表说明 sheet; some
months one workbook per town; a few months as .xls; a few as one CSV. Otherwise one CSV per
month.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample import closed_loop, names, styles
from pipelines.sample.lookups import Names, choose
from pipelines.sample.periods import Calendar
from pipelines.sample.registry import Registry
from pipelines.sample.render import Rendered, render
from pipelines.sample.sheets import Table, write_csv, write_xls, write_xlsx
from pipelines.sample.styles import FileStyle

HEADERS = {
    "hazard_id": "隐患编号", "school": "学校", "town": "所属镇", "category": "隐患类别",
    "level": "隐患等级", "description": "隐患描述", "found_date": "发现日期",
    "found_by": "发现单位", "responsible_dept": "责任单位", "deadline": "整改时限",
    "measures": "整改措施", "status": "整改状态", "rectified_date": "整改完成日期",
    "closed_date": "销号日期", "report_date": "填报日期",
}
GROUPS = {**{c: "隐患情况" for c in ("category", "level", "description", "found_date",
                                     "found_by")},
          **{c: "整改情况" for c in ("responsible_dept", "deadline", "measures", "status",
                                     "rectified_date", "closed_date")}}
DATE_COLS = ("found_date", "deadline", "rectified_date", "closed_date", "report_date")
# The closed loop's columns (SPEC §2.2) of the standard district's ledgers: 责任人 in every
# ledger, the rest from the new template on (closed_loop.cutover).
PERSON = {"responsible_person": "责任人"}
LOOP = {"supervision": "督办级别", "notice_no": "整改通知书编号", "extended_deadline": "延期至",
        "verifier": "验收人", "verified_date": "验收日期", "verification": "验收结果"}
# Some offices keep a 复查情况 column (with 复查人, 复查日期) and write 合格 / 需二次整改 in it.
RECHECK = {"verifier": "复查人", "verified_date": "复查日期", "verification": "复查情况"}
RECHECK_WORDS = {closed_loop.PASS: "合格", closed_loop.FAIL: "需二次整改"}
LOOP_DATES = ("extended_deadline", "verified_date")
NOTES = [
    "填表说明：",
    "1. 本表按月填报，每月最后一个工作日前报区中小学幼儿园安全总校（园）长制办公室。",
    "2. 隐患编号一经生成不得更改，同一隐患在以后各月台账中继续填报，直至销号。",
    "3. 隐患等级分为一般、较大、重大；整改状态填写未整改、整改中、已整改、已销号。",
    "4. 已整改的须填写整改完成日期；已销号的须填写销号日期。",
    "5. 日期格式：2024-03-05。",
]
_MIXED_CSV_MONTHS, _MIXED_XLS_MONTHS, _MIXED_PER_TOWN_MONTHS = 4, 3, 3


def _clean_frame(reports: pl.DataFrame, look: Names, style: FileStyle,
                 rng: np.random.Generator) -> pl.DataFrame:
    """Contract columns, values written the way this file writes them (before untidiness)."""
    status = reports["status"]
    if style.synonyms:
        pick = rng.random(reports.height) < style.synonyms
        alt = rng.random(reports.height) < 0.3
        syn = choose(alt, status.replace(names.STATUS_SYNONYMS_ALT),
                     status.replace(names.STATUS_SYNONYMS))
        status = choose(pick, syn, status)
    found_by = look.departments(reports["found_by"], style.dept_by, rng)
    found_by = choose(rng.random(reports.height) >= 0.1, found_by)
    measures = pl.when(pl.col("status") == "未整改").then(pl.lit(names.MEASURE_PENDING)) \
        .otherwise(pl.col("measures"))
    loop = "person" in reports.columns
    if loop:
        responsible = look.units(reports["resp_kind"], reports["responsible"], style.dept_by, rng)
    else:
        responsible = look.departments(reports["responsible"], style.dept_by, rng)
    extra = {}
    if loop:
        extra = {"responsible_person": pl.col("person"),
                 **{c: pl.col(c) for c in LOOP if c != "verification"},
                 "verification": pl.col("verification").replace(RECHECK_WORDS)
                 if style.container == "csv" else pl.col("verification")}
    return reports.with_columns(measures).select(
        "hazard_id", "category", "level", "description", "found_date", "deadline",
        "measures", "rectified_date", "closed_date", "report_date",
        school=look.schools(reports["school_idx"].to_numpy(), style.school_by, rng),
        town=look.towns(reports["town_code"], style.town_by),
        found_by=found_by,
        responsible_dept=responsible,
        status=status,
        **extra,
    )


def _headers(reports: pl.DataFrame, style: FileStyle, new_template: bool) -> dict[str, str]:
    """The columns of one month's ledger: the contract's, and the closed loop's where kept."""
    if "person" not in reports.columns:
        return HEADERS
    if not new_template:
        return {**HEADERS, **PERSON}
    recheck = RECHECK if style.container == "csv" else {}
    return {**HEADERS, **PERSON, **LOOP, **recheck}


def _rendered(reports: pl.DataFrame, look: Names, style: FileStyle,
              rng: np.random.Generator, new_template: bool = False) -> Rendered:
    clean = _clean_frame(reports, look, style, rng)
    headers = _headers(reports, style, new_template)
    groups = {**GROUPS, **{c: "整改情况" for c in headers if c in PERSON or c in LOOP}}
    dates = DATE_COLS + tuple(c for c in LOOP_DATES if c in headers)
    return render(clean, headers, style, rng, date_cols=dates,
                  dirty_cols=("hazard_id", "school", "status", "responsible_dept", "level"),
                  wide_cols=("hazard_id", "school", "found_date", "deadline"), groups=groups)


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _month_layouts(cal: Calendar, curated: bool, fmt: str,
                   rng: np.random.Generator) -> list[tuple[str, FileStyle]]:
    """(layout, style) per month; layout is workbook, per_town, xls or csv."""
    n = cal.n_months
    if not curated:
        return [("csv", styles.bulk_csv(k)) for k in range(n)]
    if fmt == "csv":
        return [("csv", styles.hand_csv(k)) for k in range(n)]
    order = rng.permutation(n)
    kinds = ["workbook"] * n
    cuts = np.cumsum([_MIXED_CSV_MONTHS, _MIXED_XLS_MONTHS, _MIXED_PER_TOWN_MONTHS])
    for i in order[:cuts[0]]:
        kinds[i] = "csv"
    for i in order[cuts[0]:cuts[1]]:
        kinds[i] = "xls"
    for i in order[cuts[1]:cuts[2]]:
        kinds[i] = "per_town"
    seen: dict[str, int] = {}
    layouts = []
    for kind in kinds:
        k = seen[kind] = seen.get(kind, -1) + 1
        if kind == "csv":
            layouts.append((kind, styles.hand_csv(k)))
        else:
            layouts.append((kind, styles.workbook(k, "xls" if kind == "xls" else "xlsx")))
    return layouts


def write_hazard_files(out: Path, reports: pl.DataFrame, reg: Registry, cal: Calendar,
                       curated: bool, fmt: str, rng: np.random.Generator) -> int:
    """Write every monthly ledger under out/hazards; returns the number of files."""
    look = Names(reg)
    district = reg.district_name
    towns = reg.towns.select("town_code", "town_name").rows()
    by_month = reports.sort("month_idx", "town_code", "found_date", "hazard_id") \
        .partition_by("month_idx", as_dict=True, maintain_order=True)
    files = 0
    for i, (kind, style) in enumerate(_month_layouts(cal, curated, fmt, rng)):
        month = by_month.get((i,))
        if month is None:
            continue
        y, m = cal.months[i]
        stem = f"{y}-{m:02d}"
        report_day = _cn_date(cal.report[i].item())
        title = f"{district}中小学幼儿园安全隐患排查整改台账（{y}年{m}月）"
        rendered = _rendered(month, look, style, rng, i >= closed_loop.cutover(cal))
        if kind == "csv":
            table = rendered.table("隐患台账", rng, title, f"填报日期：{report_day}")
            write_csv(out / "hazards" / f"{stem}隐患台账.csv", table, style.encoding,
                      "\r\n" if style.crlf else "\n")
            files += 1
            continue
        town_of_row = month["town_code"].to_numpy()
        tables: list[tuple[int, str, Table]] = []
        for t, (code, town) in enumerate(towns):
            rows = town_of_row == code
            if rows.any():
                tables.append((t, town, rendered.table(
                    town if kind != "per_town" else "隐患台账", rng,
                    f"{district}中小学幼儿园安全隐患排查整改台账（{town}）",
                    f"填报单位：{town}（盖章）    填报日期：{report_day}", rows)))
        if kind == "per_town":
            for t, town, table in tables:
                write_xlsx(out / "hazards" / stem / f"{town}{y}年{m}月隐患台账.xlsx", [table],
                           NOTES if t % 2 == 0 else None)
                files += 1
            continue
        sheets = [table for _, _, table in tables]
        if kind == "xls":
            write_xls(out / "hazards" / f"{stem}隐患台账.xls", sheets, NOTES)
        else:
            write_xlsx(out / "hazards" / f"{stem}隐患台账.xlsx", sheets, NOTES,
                       notes_first=i % 2 == 0)
        files += 1
    return files
