"""Generate a whole synthetic district and write it as the files users send."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample.bad_rows import spoil_hazard_reports, spoil_inspections, spoil_meetings
from pipelines.sample.closed_loop import add_closed_loop, missing_ledger
from pipelines.sample.hazard_files import write_hazard_files
from pipelines.sample.hazards import expand_reports, generate_hazards
from pipelines.sample.inspection_files import write_inspection_files
from pipelines.sample.inspections import generate_inspections
from pipelines.sample.meeting_files import write_meeting_files
from pipelines.sample.meetings import generate_meetings
from pipelines.sample.params import SCALES, ScaleParams
from pipelines.sample.periods import Calendar, default_end
from pipelines.sample.registry import build_registry
from pipelines.sample.registry_files import write_map, write_registry

FORMATS = ("mixed", "csv")
# Deliberately invalid inspections and meetings per 10,000 rows (at least one each).
_BAD_PER_10K = {"inspections": 4, "meetings": 40}


def _bad_count(rows: int, kind: str) -> int:
    return max(1, round(rows * _BAD_PER_10K[kind] / 10_000))


def generate(out: Path, seed: int, params: ScaleParams, fmt: str = "mixed",
             end: dt.date | None = None) -> dict[str, int]:
    """Write the district of `params` into `out`; returns the counts of what was written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out = Path(out)
    end = end or default_end()
    cal = Calendar.covering(end)
    # The seventh stream (the closed loop) is the standard district's alone: the first six
    # are what they were before it, so the province set is written as it was.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7)]
    rng_registry, rng_inspections, rng_hazards, rng_meetings, rng_bad, rng_files, rng_loop = \
        streams

    reg = build_registry(params, rng_registry)
    inspections = generate_inspections(reg, cal, params, rng_inspections)
    hazards = generate_hazards(inspections, reg, params, cal, rng_hazards)
    if params.curated:
        hazards = add_closed_loop(hazards, reg, cal, rng_loop)
    reports = expand_reports(hazards, cal)
    if params.curated and (gap := missing_ledger(reg, cal)):
        town, month = gap
        reports = reports.filter((pl.col("town_code") != town) | (pl.col("month_idx") != month))
    reports = spoil_hazard_reports(reports, params.bad_row_rate, rng_bad)
    inspections = spoil_inspections(inspections, _bad_count(inspections.height, "inspections"),
                                    rng_bad)
    meetings = generate_meetings(reg, cal, rng_meetings, list_towns=params.curated)
    meetings = spoil_meetings(meetings, _bad_count(meetings.height, "meetings"), rng_bad)

    curated = params.curated
    files = {
        "files_registry": write_registry(out, reg, curated, fmt),
        "files_map": write_map(out, reg),
        "files_hazards": write_hazard_files(out, reports, reg, cal, curated, fmt, rng_files),
        "files_inspections": write_inspection_files(out, inspections, reg, curated, fmt,
                                                    rng_files),
        "files_meetings": write_meeting_files(out, meetings, reg, curated, fmt, rng_files),
    }
    bad = {
        "bad_hazard_reports": int(reports["flaw"].is_not_null().sum()),
        "bad_inspections": int(inspections["flaw"].is_not_null().sum()),
        "bad_meetings": int(meetings["flaw"].is_not_null().sum()),
    }
    return {
        **files,
        "files": sum(files.values()),
        "towns": reg.towns.height,
        "villages": reg.villages.height,
        "schools": reg.schools.height,
        "departments": reg.departments.height,
        "hazards": int(reports["hazard_id"].n_unique()),
        "hazard_reports": reports.height,
        "inspections": inspections.height,
        "meetings": meetings.height,
        "deliberately_bad_rows": sum(bad.values()),
        **bad,
    }


def write_sample(out: Path, seed: int = 2026, scale: str = "standard", fmt: str = "mixed",
                 end: dt.date | None = None) -> dict[str, int]:
    """Write a synthetic district as the files users send (see the package docstring)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    return generate(Path(out), seed, SCALES[scale], fmt, end)


def write_city(out: Path, districts: int, seed: int = 2026, fmt: str = "mixed",
               end: dt.date | None = None) -> list[dict[str, object]]:
    """Write a sample city: `districts` small districts (names.CITY_DISTRICTS: different names,
    区代码 and sizes), each in out/<区代码>/ as the files its office sends, all from one seed
    (each district's own stream spawned from it). Returns, per district, its code, name,
    folder and write_sample's counts."""
    from pipelines.sample import names
    from pipelines.sample.params import city_district

    if not 1 <= districts <= len(names.CITY_DISTRICTS):
        raise ValueError(f"districts must be from 1 to {len(names.CITY_DISTRICTS)}, got {districts}")
    out, end = Path(out), end or default_end()
    seeds = np.random.SeedSequence(seed).spawn(districts)
    written = []
    for index, child in enumerate(seeds):
        params = city_district(index)
        folder = out / str(params.district_code)
        counts = generate(folder, int(child.generate_state(1)[0]), params, fmt, end)
        written.append({"code": params.district_code, "district": params.district, "folder": folder, **counts})
    return written
