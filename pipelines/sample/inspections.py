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
    5: (("防溺水", (names.EDUCATION, names.EMERGENCY)),
        ("周边环境", (names.MARKET, names.ECOLOGY))),
    6: (("防溺水", (names.EDUCATION, names.EMERGENCY)),),
    7: (("防溺水", (names.EMERGENCY,)),),
    9: (("食品卫生", (names.MARKET,)), ("交通安全", (names.TRAFFIC,))),
    10: (("治安防范", (names.POLICE,)),),
    11: (("消防安全", (names.FIRE,)), ("周边环境", (names.MARKET, names.ECOLOGY))),
    12: (("消防安全", (names.FIRE,)),),
}
# Term-start checks: month -> (first day, last day) of the window.
_TERM_START_WINDOWS = {2: (18, 28), 9: (1, 20)}
# Holiday checks: month -> (first day, last day) of the window before the holiday.
_HOLIDAY_WINDOWS = {1: (8, 24), 4: (20, 30), 6: (18, 30), 9: (20, 30), 12: (18, 31)}
_JOINT_MONTHS = (3, 6, 10, 12)
_SUPERVISION_MONTHS = (4, 11)
_BUILDING_SURVEY_MONTH = 8
# Mean hazards found per inspection of each type, relative to the scale's mean.
_HAZARD_YIELD = {"日常检查": 1.0, "开学检查": 1.2, "节假日检查": 0.8, "专项检查": 1.1,
                 "联合检查": 1.4, "督导检查": 1.0, "校舍安全检测": 0.9, "法治教育": 0.08}
_INSPECTORS_PER_DEPT = 6
TYPES = ("日常检查", "专项检查", "联合检查", "督导检查", "开学检查", "节假日检查",
         "校舍安全检测", "法治教育")
_DEPT_INDEX = {code: i for i, (code, _) in enumerate(names.DEPARTMENTS)}


class _Batch:
    """Collects inspections as parallel integer arrays before they become one frame."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, schools: np.ndarray, dates: np.ndarray, kind: str, depts: np.ndarray,
            category: str | None = None) -> None:
        n = len(schools)
        if n:
            self.parts.append({
                "school_idx": schools, "inspection_date": dates,
                "type_idx": np.full(n, TYPES.index(kind)), "dept_idx": depts,
                "category_idx": np.full(n, -1 if category is None
                                        else names.CATEGORIES.index(category))})

    def frame(self) -> pl.DataFrame:
        cols = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        df = pl.DataFrame(cols)
        return df.select(
            "school_idx", pl.col("inspection_date").cast(pl.Date),
            inspection_type=pl.Series(TYPES).gather(df["type_idx"]),
            dept_code=pl.Series(list(_DEPT_INDEX)).gather(df["dept_idx"]),
            category=pl.when(pl.col("category_idx") >= 0).then(
                pl.Series(names.CATEGORIES).gather(df["category_idx"].clip(0))),
        )


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> np.ndarray:
    """n department indices drawn from the given codes."""
    return rng.choice(np.array([_DEPT_INDEX[c] for c in options]), size=n)


def _all(code: str, n: int) -> np.ndarray:
    return np.full(n, _DEPT_INDEX[code])


def _window(cal: Calendar, i: int, first_day: int, last_day: int) -> tuple | None:
    """Days first_day..last_day of month i, cut at the sample's end (None if nothing left)."""
    y, m = cal.months[i]
    lo = np.datetime64(dt.date(y, m, first_day), "D")
    hi = min(np.datetime64(dt.date(y, m, 1), "D") + np.timedelta64(last_day - 1, "D"),
             _month_hi(cal, i))
    return (lo, hi) if lo <= hi else None


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

        def visit(p: float, active: np.ndarray = active) -> np.ndarray:
            return np.flatnonzero(active & (rng.random(n) < p))

        summer = month in (7, 8)
        s = visit(params.routine_rate * (0.3 if summer else 1.0))
        depts = np.where(rng.random(len(s)) < 0.85, _DEPT_INDEX[names.EDUCATION],
                         _DEPT_INDEX[names.EMERGENCY])
        batch.add(s, working_days(rng, lo, hi, len(s)), "日常检查", depts)
        if month in _TERM_START_WINDOWS and (term := _window(cal, i, *_TERM_START_WINDOWS[month])):
            s = visit(0.9)
            batch.add(s, working_days(rng, *term, len(s)), "开学检查",
                      _all(names.EDUCATION, len(s)))
        if month in _HOLIDAY_WINDOWS and (holiday := _window(cal, i, *_HOLIDAY_WINDOWS[month])):
            s = visit(share)
            batch.add(s, working_days(rng, *holiday, len(s)), "节假日检查",
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
                      _all(names.CONSTRUCTION, len(s)), "校舍建筑")


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
                  _all(names.POLICE, len(s)), None)


# Duty checks of the member units the seed plan gives a school-safety duty, standard district
# (履职检查): month -> (category, unit, which schools, chance per school). Rates differ so that
# 履职检查 coverage differs: canteens twice a year, fire safety in spring, health in spring and
# autumn, school buses and roads once a year.
_DUTY_CHECKS: dict[int, tuple[tuple[str, str, str, float], ...]] = {
    3: (("食品卫生", names.MARKET, "canteen", 0.7),),
    4: (("消防安全", names.FIRE, "all", 0.45), ("食品卫生", names.HEALTH, "all", 0.3)),
    9: (("食品卫生", names.MARKET, "canteen", 0.6), ("交通安全", names.TRANSPORT, "bus", 0.35)),
    10: (("食品卫生", names.HEALTH, "all", 0.15),),
}


def _duty_checks(batch: _Batch, reg: Registry, cal: Calendar,
                 rng: np.random.Generator) -> None:
    """The standard district's duty checks (_DUTY_CHECKS)."""
    schools = reg.schools
    kind = schools["school_type"]
    which = {
        "all": np.ones(schools.height, dtype=bool),
        # Schools with a canteen: all but the village primaries.
        "canteen": ((kind != "小学") | schools["school_name"].str.contains("中心|实验|第")).to_numpy(),
        # Schools with pupils on school buses or on busy roads: middle and village schools.
        "bus": ((kind != "幼儿园") & ((kind != "小学") | schools["school_name"].str.contains("村")))
        .to_numpy(),
    }
    for i, (_, month) in enumerate(cal.months):
        for category, dept, group, p in _DUTY_CHECKS.get(month, ()):
            s = np.flatnonzero(which[group] & (rng.random(schools.height) < p))
            batch.add(s, working_days(rng, cal.first[i], _month_hi(cal, i), len(s)), "专项检查",
                      _all(dept, len(s)), category)


def generate_inspections(reg: Registry, cal: Calendar, params: ScaleParams,
                         rng: np.random.Generator) -> pl.DataFrame:
    """One row per inspection: inspection_id, inspection_date, dept_code, school_idx,
    inspection_type, category, inspectors, hazards_found, score."""
    batch = _Batch()
    _monthly(batch, reg, cal, params, rng)
    _law_education(batch, reg, cal, rng)
    if params.curated:
        _duty_checks(batch, reg, cal, rng)
    df = batch.frame().sort("inspection_date", "school_idx", "inspection_type", "dept_code")
    n = df.height
    lagging = reg.schools["lagging"].to_numpy()[df["school_idx"].to_numpy()]
    yield_ = df["inspection_type"].replace_strict(_HAZARD_YIELD).to_numpy()
    lam = params.hazards_per_inspection * yield_ * np.where(lagging, 1.3, 1.0)
    found = rng.poisson(lam)
    scored = df["inspection_type"].is_in(["法治教育", "校舍安全检测"]).not_().to_numpy()
    score = np.clip(np.round(93 - 3.5 * found - 5 * lagging + rng.normal(0, 4, n)), 52, 100)
    pool = person_names(rng, len(names.DEPARTMENTS) * _INSPECTORS_PER_DEPT)
    dept_i = df["dept_code"].replace_strict(_DEPT_INDEX, return_dtype=pl.Int64).to_numpy()
    a = rng.integers(0, _INSPECTORS_PER_DEPT, n)
    b = (a + rng.integers(1, _INSPECTORS_PER_DEPT, n)) % _INSPECTORS_PER_DEPT
    base = dept_i * _INSPECTORS_PER_DEPT
    return df.with_columns(
        inspectors=pl.concat_str(pool.gather(base + a), pl.lit("、"), pool.gather(base + b)),
        hazards_found=pl.Series(found, dtype=pl.Int64),
        score=pl.when(pl.Series(scored)).then(pl.Series(score.astype(np.int64))),
    ).with_columns(
        inspection_id=pl.format(
            "JC-{}-{}", pl.col("inspection_date").dt.year(),
            (pl.int_range(pl.len()).over(pl.col("inspection_date").dt.year()) + 1)
            .cast(pl.String).str.zfill(6)),
    ).select("inspection_id", "inspection_date", "dept_code", "school_idx", "inspection_type",
             "category", "inspectors", "hazards_found", "score")
