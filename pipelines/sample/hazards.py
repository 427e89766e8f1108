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

from pipelines.sample import names
from pipelines.sample.params import ScaleParams
from pipelines.sample.periods import Calendar, month_weights
from pipelines.sample.registry import Registry

_DEADLINE_DAYS = {"一般": (7, 30), "较大": (15, 45), "重大": (30, 90)}
_NEVER = np.datetime64("NaT", "D")


def _weighted_choice(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One index per row of a row-stochastic matrix."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights))[:, None] * cum[:, -1:]
    return np.minimum((u > cum).sum(axis=1), weights.shape[1] - 1)


def _categories(inspections: pl.DataFrame, idx: np.ndarray, cal: Calendar,
                rng: np.random.Generator) -> np.ndarray:
    """A campaign's category most of the time, else drawn by the month's seasonal weights."""
    months = cal.month_of(inspections["inspection_date"].to_numpy()[idx].astype("datetime64[D]"))
    seasonal = month_weights(cal.months, names.SEASONAL_WEIGHTS, names.CATEGORIES)
    drawn = np.asarray(names.CATEGORIES)[_weighted_choice(rng, seasonal[months])]
    campaign = inspections["category"].fill_null("").to_numpy()[idx]
    keep = (campaign != "") & (rng.random(len(idx)) < 0.85)
    return np.where(keep, campaign, drawn)


def _responsible(categories: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.empty(len(categories), dtype=object)
    for cat, options in names.CATEGORY_DEPARTMENTS.items():
        mask = categories == cat
        codes = np.asarray([c for c, _ in options])
        w = np.asarray([w for _, w in options])
        out[mask] = rng.choice(codes, size=int(mask.sum()), p=w / w.sum())
    return out.astype(str)


def _texts(categories: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    desc = np.empty(len(categories), dtype=object)
    measure = np.empty(len(categories), dtype=object)
    for cat, pairs in names.HAZARD_TEXTS.items():
        mask = categories == cat
        k = rng.integers(0, len(pairs), int(mask.sum()))
        desc[mask] = np.asarray([d for d, _ in pairs])[k]
        measure[mask] = np.asarray([m for _, m in pairs])[k]
    return desc.astype(str), measure.astype(str)


def _days(x: np.ndarray) -> np.ndarray:
    return np.round(x).astype(np.int64).astype("timedelta64[D]")


def generate_hazards(inspections: pl.DataFrame, reg: Registry, params: ScaleParams,
                     cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """One row per hazard with its whole life: the dates of start, rectification, closure.

    Dates after the sample's end have simply not happened yet as far as the ledgers know.
    """
    found_n = inspections["hazards_found"].to_numpy()
    idx = np.repeat(np.arange(inspections.height), found_n)
    n = len(idx)
    school = inspections["school_idx"].to_numpy()[idx]
    found = inspections["inspection_date"].to_numpy()[idx].astype("datetime64[D]")
    found_by = inspections["dept_code"].to_numpy()[idx]
    category = _categories(inspections, idx, cal, rng)
    level = np.asarray(names.LEVELS)[rng.choice(3, size=n, p=names.LEVEL_SHARES)]
    dept = _responsible(category, rng)
    description, measures = _texts(category, rng)

    lo = np.select([level == lv for lv in names.LEVELS], [v[0] for v in _DEADLINE_DAYS.values()])
    hi = np.select([level == lv for lv in names.LEVELS], [v[1] for v in _DEADLINE_DAYS.values()])
    allowed = lo + rng.random(n) * (hi - lo)
    lagging = reg.schools["lagging"].to_numpy()[school]
    slow = np.ones(n)
    for code, factor in names.SLOW_DEPARTMENTS.items():
        slow[dept == code] = factor
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
        "school_idx": school, "found_date": found, "found_by": found_by,
        "category": category, "level": level, "description": description,
        "responsible": dept, "deadline": found + _days(allowed), "measures": measures,
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
