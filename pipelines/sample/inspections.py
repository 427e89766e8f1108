"""Inspections (检查记录): who inspected which school when, and how many hazards they found.

Every hazard of the sample is found by one of these inspections, so 发现隐患数 agrees with the
hazard ledgers. Generation is vectorised over schools, one step per month and kind of
inspection (and per semester for the police's 法治教育 visits).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pipelines.sample import names
from pipelines.sample.params import ScaleParams
from pipelines.sample.periods import Calendar, semester_of, working_days
from pipelines.sample.registry import Registry, person_names

# Campaigns of 专项检查: month -> (category, departments).
_CAMPAIGNS: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    1: (("消防安全", (names.FIRE,)),),
    3: (("食品卫生", (names.MARKET,)), ("交通安全", (names.TRAFFIC,))),
    4: (("治安防范", (names.POLICE,)),),
    5: (("防溺水", (names.EDUCATION, names.EMERGENCY)), ("周边环境", (names.MARKET, names.ECOLOGY))),
    6: (("防溺水", (names.EDUCATION, names.EMERGENCY)),),
    7: (("防溺水", (names.EMERGENCY,)),),
    9: (("食品卫生", (names.MARKET,)), ("交通安全", (names.TRAFFIC,))),
    10: (("治安防范", (names.POLICE,)),),
    11: (("消防安全", (names.FIRE,)), ("周边环境", (names.MARKET, names.ECOLOGY))),
    12: (("消防安全", (names.FIRE,)),),
}
# Holiday checks: month -> (first day, last day) of the window before the holiday.
_HOLIDAY_WINDOWS = {1: (8, 24), 4: (20, 30), 6: (18, 30), 9: (20, 30), 12: (18, 31)}
_JOINT_MONTHS = (3, 6, 10, 12)
_SUPERVISION_MONTHS = (4, 11)
_BUILDING_SURVEY_MONTH = 8
# Mean hazards found per inspection of each type, relative to the scale's mean.
_HAZARD_YIELD = {"日常检查": 1.0, "开学检查": 1.2, "节假日检查": 0.8, "专项检查": 1.1,
                 "联合检查": 1.4, "督导检查": 1.0, "校舍安全检测": 0.9, "法治教育": 0.08}
_INSPECTORS_PER_DEPT = 6


class _Batch:
    """Collects inspections as parallel arrays before they become one frame."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, schools: np.ndarray, dates: np.ndarray, kind: str, depts: np.ndarray,
            category: str | None = None) -> None:
        n = len(schools)
        if n:
            self.parts.append({"school_idx": schools, "inspection_date": dates,
                               "inspection_type": np.full(n, kind),
                               "dept_code": depts, "category": np.full(n, category or "")})

    def frame(self) -> pl.DataFrame:
        cols = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        return pl.DataFrame(cols).with_columns(
            pl.col("category").replace("", None),
            pl.col("inspection_date").cast(pl.Date))


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> np.ndarray:
    return rng.choice(np.asarray(options), size=n)


def _window(cal: Calendar, i: int, first_day: int, last_day: int) -> tuple:
    y, m = cal.months[i]
    lo = np.datetime64(dt.date(y, m, first_day), "D")
    hi = min(np.datetime64(dt.date(y, m, 1), "D") + np.timedelta64(last_day - 1, "D"),
             _month_hi(cal, i))
    return lo, max(lo, hi)


def _month_hi(cal: Calendar, i: int) -> np.datetime64:
    """The last day an inspection of month i may have (the final report day for the last)."""
    return cal.report[i] if i == cal.n_months - 1 else cal.month_last(i)


def _monthly(batch: _Batch, reg: Registry, cal: Calendar, params: ScaleParams,
             rng: np.random.Generator) -> None:
    n = reg.schools.height
    lagging = reg.schools["lagging"].to_numpy()
    # Some schools go uninspected for a whole quarter (more often in lagging towns).
    n_quarters = cal.n_months // 3 + 1
    skipped = rng.random((n, n_quarters)) < np.where(lagging, 0.18, 0.05)[:, None]
    share = params.campaign_share
    for i, (_, month) in enumerate(cal.months):
        active = ~skipped[:, i // 3]
        lo, hi = cal.first[i], _month_hi(cal, i)

        def visit(p: float | np.ndarray) -> np.ndarray:
            return np.flatnonzero(active & (rng.random(n) < p))

        summer = month in (7, 8)
        s = visit(params.routine_rate * (0.3 if summer else 1.0))
        depts = np.where(rng.random(len(s)) < 0.85, names.EDUCATION, names.EMERGENCY)
        batch.add(s, working_days(rng, lo, hi, len(s)), "日常检查", depts)
        if month in (2, 9):
            wlo, whi = _window(cal, i, 18 if month == 2 else 1, 28 if month == 2 else 20)
            s = visit(0.9)
            batch.add(s, working_days(rng, wlo, whi, len(s)), "开学检查",
                      np.full(len(s), names.EDUCATION))
        if month in _HOLIDAY_WINDOWS:
            wlo, whi = _window(cal, i, *_HOLIDAY_WINDOWS[month])
            s = visit(share)
            batch.add(s, working_days(rng, wlo, whi, len(s)), "节假日检查",
                      _pick(rng, (names.EDUCATION, names.EDUCATION, names.EMERGENCY,
                                  names.FIRE), len(s)))
        for category, depts_of in _CAMPAIGNS.get(month, ()):
            s = visit(share * 0.7)
            batch.add(s, working_days(rng, lo, hi, len(s)), "专项检查",
                      _pick(rng, depts_of, len(s)), category)
        if month in _JOINT_MONTHS:
            s = visit(share * 0.4)
            batch.add(s, working_days(rng, lo, hi, len(s)), "联合检查",
                      _pick(rng, (names.EDUCATION, names.POLITICS, names.POLICE), len(s)))
        if month in _SUPERVISION_MONTHS:
            s = visit(share * 0.5)
            batch.add(s, working_days(rng, lo, hi, len(s)), "督导检查",
                      _pick(rng, (names.EDUCATION, names.EDUCATION, names.POLITICS), len(s)))
        if month == _BUILDING_SURVEY_MONTH:
            s = visit(0.6)
            batch.add(s, working_days(rng, lo, hi, len(s)), "校舍安全检测",
                      np.full(len(s), names.CONSTRUCTION), "校舍建筑")


def _law_education(batch: _Batch, reg: Registry, cal: Calendar,
                   rng: np.random.Generator) -> None:
    """The police's 法治教育 visit: most schools once a semester, fewer in lagging towns."""
    n = reg.schools.height
    lagging = reg.schools["lagging"].to_numpy()
    # Besides lagging towns, one more town misses visits now and then.
    town_idx = reg.schools["town_idx"].to_numpy()
    patchy = town_idx == (reg.towns.height // 2)
    p_visit = np.where(lagging, 0.62, np.where(patchy, 0.8, 0.95))
    seen: set[str] = set()
    last = cal.report[-1]
    for y, m in cal.months:
        sem = semester_of(y, m)
        if sem is None or sem[0] in seen:
            continue
        seen.add(sem[0])
        lo = np.datetime64(max(sem[1], cal.start) + dt.timedelta(days=10), "D")
        hi = min(np.datetime64(sem[2], "D") - np.timedelta64(25, "D"), last)
        if hi < lo:
            continue
        s = np.flatnonzero(rng.random(n) < p_visit)
        batch.add(s, working_days(rng, lo, hi, len(s)), "法治教育",
                  np.full(len(s), names.POLICE), None)


def generate_inspections(reg: Registry, cal: Calendar, params: ScaleParams,
                         rng: np.random.Generator) -> pl.DataFrame:
    """One row per inspection: inspection_id, inspection_date, dept_code, school_idx,
    inspection_type, category, inspectors, hazards_found, score."""
    batch = _Batch()
    _monthly(batch, reg, cal, params, rng)
    _law_education(batch, reg, cal, rng)
    df = batch.frame().sort("inspection_date", "school_idx", "inspection_type", "dept_code")
    n = df.height
    lagging = reg.schools["lagging"].to_numpy()[df["school_idx"].to_numpy()]
    yield_ = df["inspection_type"].replace_strict(_HAZARD_YIELD).to_numpy()
    lam = params.hazards_per_inspection * yield_ * np.where(lagging, 1.3, 1.0)
    found = rng.poisson(lam)
    scored = df["inspection_type"].is_in(["法治教育", "校舍安全检测"]).not_().to_numpy()
    score = np.clip(np.round(93 - 3.5 * found - 5 * lagging + rng.normal(0, 4, n)), 52, 100)
    pool = person_names(rng, len(names.DEPARTMENTS) * _INSPECTORS_PER_DEPT).to_numpy()
    dept_i = df["dept_code"].str.slice(1).cast(pl.Int64).to_numpy() - 1
    a = rng.integers(0, _INSPECTORS_PER_DEPT, n)
    b = (a + rng.integers(1, _INSPECTORS_PER_DEPT, n)) % _INSPECTORS_PER_DEPT
    base = dept_i * _INSPECTORS_PER_DEPT
    return df.with_columns(
        inspectors=pl.Series(np.char.add(np.char.add(pool[base + a], "、"), pool[base + b])),
        hazards_found=pl.Series(found, dtype=pl.Int64),
        score=pl.Series(np.where(scored, score, np.nan)).fill_nan(None),
    ).with_columns(
        inspection_id=pl.format(
            "JC-{}-{}", pl.col("inspection_date").dt.year(),
            (pl.int_range(pl.len()).over(pl.col("inspection_date").dt.year()) + 1)
            .cast(pl.String).str.zfill(6)),
    ).select("inspection_id", "inspection_date", "dept_code", "school_idx", "inspection_type",
             "category", "inspectors", "hazards_found", "score")
