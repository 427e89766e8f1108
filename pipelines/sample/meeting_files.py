"""Meeting records (会议记录): one file per calendar year.

Standard, mixed: a workbook per year with a 区级会议 sheet and one sheet of 例会 per town
(one year as CSV). Attendee lists use the separators people type: 、 ， , ; ；.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample import styles
from pipelines.sample.lookups import Names
from pipelines.sample.registry import Registry
from pipelines.sample.render import Rendered, render
from pipelines.sample.sheets import write_csv, write_xlsx
from pipelines.sample.styles import FileStyle

HEADERS = {
    "meeting_id": "会议编号", "title": "会议名称", "type": "会议类型", "level": "层级",
    "town": "所属镇", "date": "召开日期", "chair": "主持人", "attendees": "参会单位",
    "topics": "议题", "decisions": "议定事项数",
}
# The standard district's meeting records also name the units invited to a 专题会议 (SPEC §3 v2).
INVITED = {"invited": "应到单位"}
NOTES = [
    "填表说明：",
    "1. 会议类型：全体成员单位会议、专题会议、例会；层级：区、镇。",
    "2. 各镇每月至少召开一次例会；全区每年至少召开一次全体成员单位会议。",
    "3. 参会单位之间用顿号分隔。",
]
SEPARATORS = ("、", "，", ";", "、", "；", ",")


def _rendered(rows: pl.DataFrame, look: Names, style: FileStyle, rng: np.random.Generator,
              separator: str, curated: bool) -> Rendered:
    clean = rows.select(
        "meeting_id", "title", "chair", "topics", "decisions",
        type=pl.col("meeting_type"), level=pl.col("level"), date=pl.col("meeting_date"),
        town=look.towns(rows["town_code"], style.town_by),
        attendees=pl.col("attendees").str.replace_all("、", separator, literal=True),
        invited=pl.col("invited").str.replace_all("、", separator, literal=True),
    )
    headers = {**HEADERS, **INVITED} if curated else HEADERS
    return render(clean, headers, style, rng, date_cols=("date",),
                  dirty_cols=("town", "type", "chair"), wide_cols=("meeting_id", "date"),
                  sum_cols=("decisions",))


def write_meeting_files(out: Path, meetings: pl.DataFrame, reg: Registry, curated: bool,
                        fmt: str, rng: np.random.Generator) -> int:
    """Write every meeting file under out/meetings; returns the number of files."""
    look = Names(reg)
    district = reg.district_name
    towns = reg.towns.select("town_code", "town_name").rows()
    years = meetings.with_columns(year=pl.col("meeting_date").dt.year()) \
        .partition_by("year", as_dict=True, maintain_order=True)
    csv_year = int(rng.integers(len(years)))
    files = 0
    for k, ((year,), rows) in enumerate(years.items()):
        title = f"{district}中小学幼儿园安全总校（园）长制会议记录（{year}年）"
        sep = SEPARATORS[k % len(SEPARATORS)]
        path = out / "meetings" / f"{year}年会议记录"
        if not curated or fmt == "csv" or k == csv_year:
            style = styles.bulk_csv(k) if not curated else styles.hand_csv(k + 2)
            table = _rendered(rows, look, style, rng, sep, curated).table("会议记录", rng, title)
            write_csv(path.with_suffix(".csv"), table, style.encoding,
                      "\r\n" if style.crlf else "\n")
            files += 1
            continue
        style = styles.workbook(k + 1, two_row_ok=False)
        rendered = _rendered(rows, look, style, rng, sep, curated)
        level = rows["level"].to_numpy()
        titles = rows["title"]
        tables = [rendered.table("区级会议", rng, title, rows=level == "区")]
        for _, town in towns:
            mine = (level == "镇") & titles.str.starts_with(town).to_numpy()
            if mine.any():
                tables.append(rendered.table(f"{town}例会", rng,
                                             f"{town}中小学幼儿园安全总校长例会记录（{year}年）",
                                             rows=mine))
        write_xlsx(path.with_suffix(".xlsx"), tables, NOTES, notes_first=True)
        files += 1
    return files
