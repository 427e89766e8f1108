"""DuckDB's ROUND(double, d) for Spark (pipelines/city/dialect.py): a module with nothing to import
but the standard library, so that a Spark executor's Python worker loads it quickly."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def exact_round(value: float | None, decimals: int | None) -> float | None:
    """The double's exact decimal value rounded half away from zero to `decimals` places, as
    DuckDB 2.0 rounds (0.015 is really 0.01499…: 0.01; 0.125 is exact: 0.13)."""
    if value is None or decimals is None or not math.isfinite(value):
        return value
    return float(Decimal(value).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP))
