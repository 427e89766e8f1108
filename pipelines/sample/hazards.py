"""Hazards (隐患) and their monthly reports (隐患台账), vectorised with numpy.

Each hazard is found by an inspection, gets a level, a responsible department and a deadline,
and then lives its life: work starts (整改中), it is rectified (已整改) and, after
verification, struck off (已销号) — or it stays open. A hazard appears in every monthly
ledger from the month it is found to the month it is struck off, with the status it had on
that ledger's report day.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.sample import closed_loop, names
from pipelines.sample.params import ScaleParams
from pipelines.sample.periods import Calendar, month_weights
from pipelines.sample.registry import Registry

_DEADLINE_DAYS = ((7, 30), (15, 45), (30, 90))  # by level: 一般, 较大, 重大
_NEVER = np.datetime64("NaT", "D")
_DEPT_CODES = tuple(code for code, _ in names.DEPARTMENTS)
# Category x department weights of responsibility.
_RESPONSIBILITY = np.array([
    [dict(names.CATEGORY_DEPARTMENTS[cat]).get(code, 0.0) for code in _DEPT_CODES]
    for cat in names.CATEGORIES])
_SLOWNESS = np.array([names.SLOW_DEPARTMENTS.get(code, 1.0) for code in _DEPT_CODES])
# All (description, measure) pairs in one list; each category owns a contiguous run.
_TEXTS = [pair for cat in names.CATEGORIES for pair in names.HAZARD_TEXTS[cat]]
_TEXT_COUNT = np.array([len(names.HAZARD_TEXTS[cat]) for cat in names.CATEGORIES])
_TEXT_START = np.cumsum(_TEXT_COUNT) - _TEXT_COUNT
# The standard district's responsible units by duty: text x unit (member units, then the
# hazard's own school, town and village), and each unit's slowness.
_UNIT_KINDS = (names.SCHOOL, names.TOWN, names.VILLAGE)
_UNITS = _DEPT_CODES + _UNIT_KINDS
_DUTY = np.array([[dict(names.RESPONSIBLE_BY_TEXT[d]).get(u, 0.0) for u in _UNITS]
                  for d, _ in _TEXTS])
_UNIT_SLOWNESS = np.concatenate([_SLOWNESS, [names.SLOW_KINDS[k] for k in _UNIT_KINDS]])


def _weighted_choice(rng: np.random.Generator, weights: np.ndarray,
                     u: np.ndarray | None = None) -> np.ndarray:
    """One column index per row of a matrix of (unnormalised) weights (u: the uniform draws,
    else drawn here)."""
    cum = np.cumsum(weights, axis=1)
    u = (rng.random(len(weights)) if u is None else u)[:, None] * cum[:, -1:]
    return np.minimum((u > cum).sum(axis=1), weights.shape[1] - 1)


def _responsible(unit: np.ndarray, school: np.ndarray, reg: Registry) -> tuple[pl.Series, pl.Series]:
    """(kind, code) of each hazard's responsible unit: a member unit, or its school, town or
    village (unit indexes _UNITS)."""
    n_dept = len(_DEPT_CODES)
    kind_idx = np.maximum(unit - n_dept + 1, 0)  # 0 department, 1 school, 2 town, 3 village
    kinds = ("department",) + _UNIT_KINDS
    dept = _pick(_DEPT_CODES, np.minimum(unit, n_dept - 1))
    own = {names.SCHOOL: reg.schools["school_code"].gather(school),
           names.TOWN: reg.schools["town_code"].gather(school),
           names.VILLAGE: reg.schools["village_code"].gather(school)}
    code = dept
    for k, kind in enumerate(_UNIT_KINDS, 1):
        code = pl.select(pl.when(pl.Series(kind_idx == k)).then(own[kind]).otherwise(code)) \
            .to_series()
    return _pick(kinds, kind_idx), code


def _categories(found: pl.DataFrame, cal: Calendar, rng: np.random.Generator) -> np.ndarray:
    """Category index: the campaign's most of the time, else drawn by the month's season."""
    months = cal.month_of(found["inspection_date"].to_numpy().astype("datetime64[D]"))
    seasonal = month_weights(cal.months, names.SEASONAL_WEIGHTS, names.CATEGORIES)
    drawn = _weighted_choice(rng, seasonal[months])
    campaign = found["category"].replace_strict(
        {c: i for i, c in enumerate(names.CATEGORIES)}, default=-1,
        return_dtype=pl.Int64).to_numpy()
    keep = (campaign >= 0) & (rng.random(len(drawn)) < 0.85)
    return np.where(keep, campaign, drawn)


def _days(x: np.ndarray) -> np.ndarray:
    return np.round(x).astype(np.int64).astype("timedelta64[D]")


def _pick(values: tuple | list, idx: np.ndarray) -> pl.Series:
    """values[idx] as a polars Series (a gather, no per-row Python)."""
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def generate_hazards(inspections: pl.DataFrame, reg: Registry, params: ScaleParams,
                     cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """One row per hazard with its whole life: the dates of start, rectification, closure.

    Dates after the sample's end have simply not happened yet as far as the ledgers know.
    """
    idx = np.repeat(np.arange(inspections.height), inspections["hazards_found"].to_numpy())
    found_rows = inspections[idx]
    n = len(idx)
    school = found_rows["school_idx"].to_numpy()
    found = found_rows["inspection_date"].to_numpy().astype("datetime64[D]")
    category = _categories(found_rows, cal, rng)
    level = rng.choice(3, size=n, p=names.LEVEL_SHARES)
    u = rng.random(n)
    text = _TEXT_START[category] + rng.integers(0, _TEXT_COUNT[category])
    if params.curated:  # by duty, per description (names.RESPONSIBLE_BY_TEXT)
        unit = _weighted_choice(rng, _DUTY[text], u)
        resp_kind, responsible = _responsible(unit, school, reg)
        slow = _UNIT_SLOWNESS[unit]
    else:  # by category, member units only (the province set keeps its shape)
        dept = _weighted_choice(rng, _RESPONSIBILITY[category], u)
        resp_kind, responsible = _pick(("department",), np.zeros(n, dtype=np.int64)), \
            _pick(_DEPT_CODES, dept)
        slow = _SLOWNESS[dept]

    lo = np.array([d[0] for d in _DEADLINE_DAYS])[level]
    hi = np.array([d[1] for d in _DEADLINE_DAYS])[level]
    allowed = lo + rng.random(n) * (hi - lo)
    lagging = reg.schools["lagging"].to_numpy()[school]
    drag = np.where(lagging, 1.9, 1.0) * slow

    start = found + _days(rng.exponential(2.5 * drag))
    to_fix = allowed * rng.lognormal(np.log(0.7), 0.55, n) * drag
    # A few hazards drag on for months; fewer still are never rectified.
    dragging = rng.random(n) < 0.03 + 0.06 * lagging + 0.04 * (slow > 1)
    to_fix = np.where(dragging, to_fix * rng.uniform(4, 12, n), to_fix)
    rectified = np.maximum(found + _days(to_fix), start)
    never = rng.random(n) < 0.004 + 0.02 * lagging + 0.01 * (slow > 1)
    rectified = np.where(never, _NEVER, rectified)
    verify = 3 + rng.exponential(14.0 * np.sqrt(drag))
    verify = np.where(rng.random(n) < 0.03 + 0.05 * lagging, verify * 6, verify)
    closed = rectified + _days(verify)
    closed = np.where(rng.random(n) < 0.008, _NEVER, closed)

    df = pl.DataFrame({
        "school_idx": school,
        "town_code": reg.schools["town_code"].gather(school),
        "found_date": found,
        "found_by": found_rows["dept_code"],
        "category": _pick(names.CATEGORIES, category),
        "level": _pick(names.LEVELS, level),
        "description": _pick([d for d, _ in _TEXTS], text),
        "resp_kind": resp_kind,
        "responsible": responsible,
        "deadline": found + _days(allowed),
        "measures": _pick([m for _, m in _TEXTS], text),
        "start_date": start, "rectified_date": rectified, "closed_date": closed,
    }).with_columns(pl.col("^.*_date$", "deadline").cast(pl.Date))
    df = df.sort("found_date", "school_idx", "category", "description", maintain_order=True)
    year = pl.col("found_date").dt.year()
    return df.with_columns(
        hazard_id=pl.format(f"{params.prefix}-{{}}-{{}}", year,
                            (pl.int_range(pl.len()).over(year) + 1).cast(pl.String)
                            .str.zfill(6)),
    )


def expand_reports(hazards: pl.DataFrame, cal: Calendar) -> pl.DataFrame:
    """One row per hazard per monthly report, with the status on that report's day.

    Columns: the hazard's own plus month_idx, report_date, status; rectified_date and
    closed_date are null in reports filed before they happened.
    """
    found = hazards["found_date"].to_numpy().astype("datetime64[D]")
    closed = hazards["closed_date"].to_numpy().astype("datetime64[D]")
    first = cal.report_month_of(found)
    last_month = cal.n_months - 1
    closed_month = np.where(np.isnat(closed), last_month,
                            cal.report_month_of(np.where(np.isnat(closed), found, closed)))
    last = np.minimum(closed_month, last_month)
    keep = first <= last_month
    hazards, first, last = hazards.filter(pl.Series(keep)), first[keep], last[keep]
    counts = last - first + 1
    row = np.repeat(np.arange(hazards.height), counts)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    month = first[row] + offset
    reports = hazards[row].with_columns(
        month_idx=pl.Series(month, dtype=pl.Int64),
        report_date=pl.Series(cal.report[month]).cast(pl.Date),
    )
    if "fail_date" in reports.columns:  # the standard district's closed loop
        return closed_loop.report_states(reports, cal)
    rd = pl.col("report_date")
    happened = lambda c: pl.col(c).is_not_null() & (pl.col(c) <= rd)  # noqa: E731
    return reports.with_columns(
        status=pl.when(happened("closed_date")).then(pl.lit("已销号"))
        .when(happened("rectified_date")).then(pl.lit("已整改"))
        .when(pl.col("start_date") <= rd).then(pl.lit("整改中"))
        .otherwise(pl.lit("未整改")),
        rectified_date=pl.when(happened("rectified_date")).then("rectified_date"),
        closed_date=pl.when(happened("closed_date")).then("closed_date"),
    ).drop("start_date")
