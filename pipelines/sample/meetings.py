"""Meetings (会议记录): the towns' monthly 例会, the district's yearly plenary, topical meetings.

Lagging towns skip more monthly meetings; the plenary (全体成员单位会议) is skipped in one
calendar year so that the rule "at least once a year" can be seen failing; some departments
rarely attend district meetings.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pipelines.sample import names
from pipelines.sample.periods import Calendar, working_days
from pipelines.sample.registry import Registry, person_names

_COLUMNS = ("meeting_date", "title", "meeting_type", "level", "town_code", "chair",
            "invited", "attendees", "topics", "decisions")


def skipped_plenary_year(cal: Calendar) -> int:
    """The calendar year without a plenary: the first whole year of the sample."""
    return cal.start.year + 1


def _town_meetings(reg: Registry, cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    towns = reg.towns
    n = towns.height
    lagging = towns["lagging"].to_numpy()
    dept = dict(reg.departments.select("dept_code", "dept_name").rows())
    optional = (names.TRAFFIC, names.MARKET, names.FIRE, names.EMERGENCY)
    parts = []
    for i, (y, m) in enumerate(cal.months):
        held = np.flatnonzero(rng.random(n) < np.where(lagging, 0.72, 0.96))
        if not len(held):
            continue
        lo = cal.first[i] + np.timedelta64(4, "D")
        hi = min(cal.first[i] + np.timedelta64(24, "D"), cal.report[i])
        if hi < lo:
            continue
        k = len(held)
        parts.append(pl.DataFrame({
            "meeting_date": working_days(rng, lo, hi, k),
            "town_name": towns["town_name"].to_numpy()[held],
            "town_code": towns["town_code"].to_numpy()[held],
            "chair": towns["principal"].to_numpy()[held],
            "edu": np.full(k, dept[names.EDUCATION]),
            "police": np.full(k, dept[names.POLICE]),
            **{f"x_{code}": rng.random(k) < 0.35 for code in optional},
            "decisions": np.minimum(rng.poisson(3.0, k), 9),
            "month": np.full(k, m), "year": np.full(k, y),
        }))
    df = pl.concat(parts)
    return df.select(
        pl.col("meeting_date").cast(pl.Date),
        title=pl.format("{}{}年{}月中小学幼儿园安全总校长例会", "town_name", "year", "month"),
        meeting_type=pl.lit("例会"), level=pl.lit("镇"), town_code="town_code", chair="chair",
        attendees=pl.concat_str(
            ["town_name", "edu", "police",
             *[pl.when(f"x_{code}").then(pl.lit(dept[code])) for code in optional]],
            separator="、", ignore_nulls=True),
        topics=pl.col("month").replace_strict(names.MEETING_TOPICS, return_dtype=pl.String),
        decisions=pl.col("decisions").cast(pl.Int64),
        invited=pl.lit(None, dtype=pl.String),
    )


def _district_meetings(reg: Registry, cal: Calendar, rng: np.random.Generator,
                       list_towns: bool) -> pl.DataFrame:
    dept = dict(reg.departments.select("dept_code", "dept_name").rows())
    principal = reg.district["principal"][0]
    deputy = person_names(rng, 1)[0]
    rows = []
    last = cal.report[-1]
    for year in range(cal.start.year, cal.end.year + 1):
        if year != skipped_plenary_year(cal):
            month = 11 if year == cal.start.year else int(rng.integers(2, 5))
            day = working_days(rng, np.datetime64(dt.date(year, month, 5), "D"),
                               np.datetime64(dt.date(year, month, 25), "D"), 1)[0]
            if day <= last:
                # The office sits in the education bureau: it is always there.
                present = [name for code, name in dept.items()
                           if code == names.EDUCATION
                           or rng.random() > (0.5 if code in names.RARE_ATTENDERS else 0.04)]
                if list_towns:
                    present += reg.towns["town_name"].to_list()
                rows.append((day.item(), f"{year}年全区中小学幼儿园安全总校长全体成员单位会议",
                             "全体成员单位会议", principal, None, "、".join(present),
                             "总结年度校园安全工作；部署隐患排查整治；考核结果通报",
                             int(rng.integers(5, 11))))
        for _ in range(int(rng.integers(3, 6))):
            pick = int(rng.integers(len(names.TOPICAL_SUBJECTS)))
            subject, members = names.TOPICAL_SUBJECTS[pick]
            month = int(rng.integers(1, 13))
            if not (cal.start <= dt.date(year, month, 1) <= cal.end):
                continue
            day = working_days(rng, np.datetime64(dt.date(year, month, 3), "D"),
                               np.datetime64(dt.date(year, month, 26), "D"), 1)[0]
            if day > last:
                continue
            # The office (in the education bureau) invites the units the subject concerns
            # (应到单位); not all of them come.
            invited = [dept[names.EDUCATION]] + [dept[c] for c in members if c != names.EDUCATION]
            present = [dept[names.EDUCATION]] + [
                dept[c] for c in members
                if c != names.EDUCATION and rng.random() < names.RARE_ATTENDERS.get(c, 0.85)]
            rows.append((day.item(), f"{year}年{subject}", "专题会议", deputy, "、".join(invited),
                         "、".join(present),
                         subject.removesuffix("专题会议"), int(rng.integers(1, 6))))
    df = pl.DataFrame(rows, orient="row", schema={
        "meeting_date": pl.Date, "title": pl.String, "meeting_type": pl.String,
        "chair": pl.String, "invited": pl.String, "attendees": pl.String, "topics": pl.String,
        "decisions": pl.Int64})
    return df.with_columns(pl.col("meeting_date").cast(pl.Date), level=pl.lit("区"),
                           town_code=pl.lit(None, dtype=pl.String),
                           decisions=pl.col("decisions").cast(pl.Int64))


def generate_meetings(reg: Registry, cal: Calendar, rng: np.random.Generator,
                      list_towns: bool = True) -> pl.DataFrame:
    """One row per meeting: meeting_id, meeting_date, title, meeting_type, level, town_code,
    chair, invited (应到单位 of a 专题会议, names joined by 、), attendees (names joined by 、),
    topics, decisions."""
    df = pl.concat([_town_meetings(reg, cal, rng).select(_COLUMNS),
                    _district_meetings(reg, cal, rng, list_towns).select(_COLUMNS)])
    df = df.sort("meeting_date", "level", "town_code", "title", nulls_last=True)
    year = pl.col("meeting_date").dt.year()
    return df.with_columns(
        meeting_id=pl.format("HY-{}-{}", year, (pl.int_range(pl.len()).over(year) + 1)
                             .cast(pl.String).str.zfill(5)),
    ).select("meeting_id", *_COLUMNS)
