"""Deliberately invalid rows, a validator's test: each breaks exactly one rule of SPEC §2.

Rows are spoiled in place (a typo in an otherwise real report), and counted.
"""

from __future__ import annotations

import numpy as np
import polars as pl

UNKNOWN_SCHOOL = -1
UNKNOWN_STATUS = "不详"
HAZARD_FLAWS = ("unknown_school", "deadline_before_found", "missing_level",
                "closed_without_date", "unknown_status")


def _labels(codes: np.ndarray, labels: tuple[str, ...]) -> pl.Series:
    """Flaw names from their indices (-1: not spoiled → null)."""
    return pl.Series("flaw", codes).replace_strict(dict(enumerate(labels)), default=None,
                                                   return_dtype=pl.String)


def _pick(rng: np.random.Generator, eligible: np.ndarray, k: int,
          taken: np.ndarray) -> np.ndarray:
    pool = np.flatnonzero(eligible & ~taken)
    return np.sort(rng.choice(pool, size=min(k, len(pool)), replace=False))


def spoil_hazard_reports(reports: pl.DataFrame, rate: float,
                         rng: np.random.Generator) -> pl.DataFrame:
    """Spoil about `rate` of the reports, the five flaws in equal shares; adds column `flaw`."""
    n = reports.height
    per_flaw = max(1, round(n * rate / len(HAZARD_FLAWS))) if n else 0
    taken = np.zeros(n, dtype=bool)
    flaw = np.full(n, -1)
    status = reports["status"].to_numpy()
    eligible = {"closed_without_date": status == "已销号"}
    for k, name in enumerate(HAZARD_FLAWS):
        rows = _pick(rng, eligible.get(name, np.ones(n, dtype=bool)), per_flaw, taken)
        taken[rows] = True
        flaw[rows] = k
    f = _labels(flaw, HAZARD_FLAWS)
    school = reports["school_idx"].to_numpy().copy()
    school[flaw == HAZARD_FLAWS.index("unknown_school")] = UNKNOWN_SCHOOL
    back = rng.integers(3, 20, n).astype("timedelta64[D]")
    deadline = reports["found_date"].to_numpy().astype("datetime64[D]") - back
    is_ = lambda name: pl.col("flaw") == name  # noqa: E731
    return reports.with_columns(f, school_idx=pl.Series(school)).with_columns(
        deadline=pl.when(is_("deadline_before_found")).then(pl.Series(deadline).cast(pl.Date))
        .otherwise("deadline"),
        level=pl.when(is_("missing_level")).then(None).otherwise("level"),
        closed_date=pl.when(is_("closed_without_date")).then(None).otherwise("closed_date"),
        status=pl.when(is_("unknown_status")).then(pl.lit(UNKNOWN_STATUS)).otherwise("status"),
    )


def spoil_inspections(inspections: pl.DataFrame, k: int,
                      rng: np.random.Generator) -> pl.DataFrame:
    """k inspections of a school the registry does not know; adds column `flaw`."""
    n = inspections.height
    rows = _pick(rng, np.ones(n, dtype=bool), k, np.zeros(n, dtype=bool))
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    school = np.where(mask, UNKNOWN_SCHOOL, inspections["school_idx"].to_numpy())
    return inspections.with_columns(
        school_idx=pl.Series(school),
        flaw=_labels(np.where(mask, 0, -1), ("unknown_school",)))


def spoil_meetings(meetings: pl.DataFrame, k: int, rng: np.random.Generator) -> pl.DataFrame:
    """k town meetings (层级 镇) whose 所属镇 was left empty; adds column `flaw`."""
    n = meetings.height
    rows = _pick(rng, (meetings["level"] == "镇").to_numpy(), k, np.zeros(n, dtype=bool))
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return meetings.with_columns(
        town_code=pl.when(pl.Series(mask)).then(None).otherwise("town_code"),
        flaw=_labels(np.where(mask, 0, -1), ("town_missing",)))
