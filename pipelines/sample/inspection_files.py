"""Inspection records (检查记录) as the office files them.

Standard, mixed: one workbook per quarter with a sheet per month (one quarter as .xls, two as
CSV), and the police's 法治教育 visits in a workbook of their own per school year, schools by
code and without the optional score column. Otherwise one CSV per quarter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample import names, styles
from pipelines.sample.lookups import Names
from pipelines.sample.periods import school_year_of, semester_of
from pipelines.sample.registry import Registry
from pipelines.sample.render import Rendered, render
from pipelines.sample.sheets import Table, write_csv, write_xls, write_xlsx
from pipelines.sample.styles import FileStyle

HEADERS = {
    "inspection_id": "检查编号", "date": "检查日期", "department": "检查单位", "school": "学校",
    "type": "检查类型", "category": "检查类别", "inspectors": "检查人员",
    "hazards_found": "发现隐患数", "score": "检查得分",
}
NOTES = [
    "填表说明：",
    "1. 每次检查填写一行；联合检查由牵头单位填报。",
    "2. 检查类型：日常检查、专项检查、联合检查、督导检查、开学检查、节假日检查、"
    "校舍安全检测、法治教育。",
    "3. 发现隐患数须与隐患台账一致；检查得分为百分制。",
]
LAW_EDUCATION = "法治教育"


def _rendered(rows: pl.DataFrame, look: Names, style: FileStyle, rng: np.random.Generator,
              with_score: bool = True) -> Rendered:
    clean = rows.select(
        "inspection_id", "inspectors", "hazards_found", "score", "category",
        date=pl.col("inspection_date"),
        department=look.departments(rows["dept_code"], style.dept_by, rng),
        school=look.schools(rows["school_idx"].to_numpy(), style.school_by, rng,
                            needs_unique=True),
        type=pl.col("inspection_type"),
    )
    headers = dict(HEADERS) if with_score else {k: v for k, v in HEADERS.items() if k != "score"}
    return render(clean, headers, style, rng, date_cols=("date",),
                  dirty_cols=("school", "department", "type"),
                  wide_cols=("inspection_id", "date"), sum_cols=("hazards_found",))


def _quarter(d: pl.Expr) -> pl.Expr:
    return pl.format("{}年第{}季度", d.dt.year(), d.dt.quarter())


def _write(path: Path, tables: list[Table], style: FileStyle) -> None:
    if style.container == "csv":
        write_csv(path.with_suffix(".csv"), tables[0], style.encoding,
                  "\r\n" if style.crlf else "\n")
    elif style.container == "xls":
        write_xls(path.with_suffix(".xls"), tables, NOTES)
    else:
        write_xlsx(path.with_suffix(".xlsx"), tables, NOTES)


def write_inspection_files(out: Path, inspections: pl.DataFrame, reg: Registry,
                           curated: bool, fmt: str, rng: np.random.Generator) -> int:
    """Write every inspection file under out/inspections; returns the number of files."""
    look = Names(reg)
    district = reg.district_name
    hand = curated and fmt == "mixed"
    df = inspections.with_columns(quarter=_quarter(pl.col("inspection_date")))
    law = df.filter(pl.col("inspection_type") == LAW_EDUCATION) if hand else df.clear()
    rest = df.filter(pl.col("inspection_type") != LAW_EDUCATION) if hand else df
    quarters = rest.partition_by("quarter", as_dict=True, maintain_order=True)
    order = rng.permutation(len(quarters))
    files = 0
    for k, ((label,), rows) in enumerate(quarters.items()):
        if not curated:
            style = styles.bulk_csv(k)
        elif fmt == "csv":
            style = styles.hand_csv(k)
        elif k == order[0]:
            style = styles.workbook(k, "xls", two_row_ok=False)
        elif k in order[1:3]:
            style = styles.hand_csv(1 if k == order[1] else 2)
        else:
            style = styles.workbook(k, two_row_ok=False)
        title = f"{district}中小学幼儿园安全检查记录（{label}）"
        subtitle = "填报单位：区中小学幼儿园安全总校（园）长制办公室"
        rendered = _rendered(rows, look, style, rng)
        if style.container == "csv":
            tables = [rendered.table("检查记录", rng, title, subtitle)]
        else:
            dates = rows["inspection_date"]
            sheet_of_row = (dates.dt.year() * 100 + dates.dt.month()).to_numpy()
            tables = [rendered.table(f"{ym // 100}年{ym % 100}月", rng, title, subtitle,
                                     sheet_of_row == ym)
                      for ym in np.unique(sheet_of_row)]
        _write(out / "inspections" / f"{label}检查记录", tables, style)
        files += 1
    if law.height:
        files += _write_law_education(out, law, look, rng)
    return files


def _write_law_education(out: Path, law: pl.DataFrame, look: Names,
                         rng: np.random.Generator) -> int:
    """The police's 法治教育 visits: one workbook per school year, a sheet per semester."""
    dates = law["inspection_date"]
    keys = {d: (school_year_of(d.year, d.month), (semester_of(d.year, d.month) or ("",))[0])
            for d in dates.unique().sort().to_list()}
    law = law.with_columns(
        school_year=dates.replace_strict({d: v[0] for d, v in keys.items()},
                                         return_dtype=pl.String),
        semester=dates.replace_strict({d: v[1] for d, v in keys.items()},
                                      return_dtype=pl.String),
    )
    police = look.dept_names[names.POLICE]
    files = 0
    for k, ((year,), rows) in enumerate(law.partition_by("school_year", as_dict=True,
                                                         maintain_order=True).items()):
        style = FileStyle(title=True, school_by="code", date_style=("excel", "cn")[k % 2],
                          blank_rows=1, totals=k % 2 == 1, dirty=0.01)
        rendered = _rendered(rows, look, style, rng, with_score=False)
        semester_of_row = rows["semester"].to_numpy()
        tables = [rendered.table(semester, rng,
                                 f"{police}法治副校长到校开展法治教育情况登记表（{semester}）",
                                 f"填报单位：{police}", semester_of_row == semester)
                  for semester in dict.fromkeys(semester_of_row)]
        write_xlsx(out / "inspections" / f"{year}法治教育记录（{police}）.xlsx", tables, NOTES)
        files += 1
    return files
