"""A synthetic lake for the roll-up's tests and the scaling benchmark: districts' snapshot tables
generated directly (not by ingesting ledgers) and written through the lake's own writer
(pipelines.lake.write.write_partition: one file per table and partition, commit markers).

    from pipelines.city.synthetic import write_lake
    write_lake(Path("lake"), districts=100, as_ofs=["2026-03-31", "2026-06-30", "2026-09-30"])

Each district has its own size, towns, schools and member units; its hazards are generated once
(found through the year, levels, deadlines, some extended, most rectified after a while, some
closed) and each as-of date sees their state on that day, as a real monthly snapshot would:
hazards (the columns of SPEC §5 and the state flags), inspection_coverage, meeting_compliance,
town_scores (reporting), dept_closure, town_risk, departments. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.lake.write import write_partition

LEVELS = ("一般", "较大", "重大")
LEVEL_P = (0.7, 0.25, 0.05)
LEVEL_DAYS = {"一般": 30, "较大": 15, "重大": 7}
LEVEL_RISK = {"一般": 1.0, "较大": 3.0, "重大": 10.0}
CATEGORIES = ("消防安全", "校舍安全", "食品安全", "交通安全", "用电安全", "周边治安", "实验室安全", "其他")
DEPARTMENTS = ("区教育局", "区公安分局", "区交警大队", "区消防救援大队", "区市场监管局", "区卫生健康局",
               "区住房城乡建设局", "区应急管理局", "区交通运输局", "区城管局", "区自然资源局", "区民政局",
               "区司法局", "区文广旅体局")
TOWN_WORDS = ("城关", "河口", "龙湾", "石桥", "白沙", "桂岭", "新圩", "梅溪", "东山", "西湖", "南岗", "北塘")
NAME_WORDS = ("青", "溪", "云", "山", "江", "河", "平", "安", "新", "华", "东", "西", "南", "北", "临", "永")


def district_codes(count: int, first: int = 990101) -> list[str]:
    """`count` six-digit codes."""
    return [f"{first + i:06d}" for i in range(count)]


def district_name(i: int) -> str:
    a, b = divmod(i, len(NAME_WORDS))
    suffix = str(i // 256) if i >= 256 else ""
    return NAME_WORDS[a % len(NAME_WORDS)] + NAME_WORDS[b] + ("区" if i % 3 else "县") + suffix


def write_lake(lake: Path, districts: int | Iterable[tuple[str, str]], as_ofs: Iterable[str | dt.date],
               hazards_per_district: int = 600, seed: int = 7, weights: dict[str, float] | None = None) -> list:
    """Generate and commit one partition per district × as-of into `lake`; returns the committed
    Partitions. districts: a count, or (code, name) pairs. hazards_per_district: the mean number of
    hazards found over the year (each district between 0.5× and 1.5× of it). weights: the district
    rules' town weights recorded in the manifest (the roll-up ignores them)."""
    lake = Path(lake)
    pairs = ([(c, district_name(i)) for i, c in enumerate(district_codes(districts))]
             if isinstance(districts, int) else list(districts))
    days = sorted(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in as_ofs)
    committed = []
    with tempfile.TemporaryDirectory(prefix="xiaoan-lake-") as scratch:
        for index, (code, name) in enumerate(pairs):
            rng = np.random.default_rng([seed, index])
            world = _district(rng, code, hazards_per_district, days[-1])
            for day in days:
                folder = Path(scratch) / f"{code}-{day.isoformat()}"
                folder.mkdir()
                tables = snapshot_tables(world, day)
                for table, frame in tables.items():
                    frame.write_parquet(folder / f"{table}.parquet")
                manifest = {"as_of": day.isoformat(),
                            "period": {"start": dt.date(day.year, 1, 1).isoformat(), "end": day.isoformat()},
                            "generator": "xiaoan synthetic lake",
                            "rules": {"values": {"town": weights or {}}},
                            "source_files": [], "row_counts": {t: f.height for t, f in tables.items()}}
                (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
                committed.append(write_partition(lake, folder, code, name, day, manifest))
                shutil.rmtree(folder)
    return committed


def _district(rng: np.random.Generator, code: str, mean_hazards: int, last: dt.date) -> dict:
    """One district's registry and the whole year's hazards (dates as day numbers)."""
    towns = int(rng.integers(6, 13))
    town_codes = [f"{code}{t + 1:03d}" for t in range(towns)]
    town_names = [TOWN_WORDS[t % len(TOWN_WORDS)] + ("镇" if t % 4 else "街道") for t in range(towns)]
    schools_per_town = rng.integers(6, 14, size=towns)
    school_town = np.repeat(np.arange(towns), schools_per_town)
    schools = len(school_town)
    depts = [f"D{d + 1:02d}" for d in range(len(DEPARTMENTS))]
    n = max(1, int(mean_hazards * rng.uniform(0.5, 1.5)))
    year_start = dt.date(last.year, 1, 1)
    span = (last - year_start).days + 1
    skill = rng.uniform(0.6, 0.97)  # the district's rectification habit
    found = rng.integers(0, span, size=n)
    level = rng.choice(len(LEVELS), size=n, p=LEVEL_P)
    deadline = found + np.array([LEVEL_DAYS[x] for x in LEVELS])[level]
    extended = rng.random(n) < 0.1
    effective = deadline + np.where(extended, 15, 0)
    delay = np.ceil(rng.exponential(12 / skill, size=n)).astype(int) + 1
    never = rng.random(n) > skill
    rectified = np.where(never, 10 ** 6, found + delay)
    closed = np.where(rng.random(n) < 0.7, rectified + rng.integers(1, 15, size=n), 10 ** 6)
    kind = rng.choice(3, size=n, p=(0.55, 0.2, 0.25))
    school = rng.integers(0, schools, size=n)
    return {
        "code": code, "year_start": year_start, "towns": towns, "town_codes": town_codes, "town_names": town_names,
        "schools_per_town": schools_per_town, "school_town": school_town, "depts": depts, "n": n,
        "found": found, "level": level, "deadline": deadline, "effective": effective, "rectified": rectified,
        "closed": closed, "kind": kind, "school": school,
        "dept": rng.integers(0, len(depts), size=n), "category": rng.integers(0, len(CATEGORIES), size=n),
        "skill": skill, "meeting_habit": rng.uniform(0.5, 1.0, size=towns),
        "inspection_habit": rng.uniform(0.7, 1.0, size=towns), "reporting_habit": rng.uniform(0.6, 1.0, size=towns),
    }


def snapshot_tables(w: dict, day: dt.date) -> dict[str, pl.DataFrame]:
    """The snapshot tables the roll-up reads (and a few more), as of `day`."""
    a = (day - w["year_start"]).days
    known = w["found"] <= a
    idx = np.nonzero(known)[0]
    found, level = w["found"][idx], w["level"][idx]
    rectified_day, closed_day = w["rectified"][idx], w["closed"][idx]
    is_rectified = rectified_day <= a
    is_closed = is_rectified & (closed_day <= a)
    effective = w["effective"][idx]
    is_open = ~is_rectified
    is_overdue = is_open & (effective < a)
    risk = np.where(is_open, np.array([LEVEL_RISK[x] for x in LEVELS])[level] * np.where(is_overdue, 2.0, 1.0), 0.0)
    school = w["school"][idx]
    town = w["school_town"][school]
    kind = w["kind"][idx]
    kinds = np.array(["department", "town", "school"])[kind]
    school_codes = np.array([f"{w['code']}S{s + 1:04d}" for s in range(len(w["school_town"]))])
    town_codes = np.array(w["town_codes"])
    dept_codes = np.array(w["depts"])
    responsible = np.where(kind == 0, dept_codes[w["dept"][idx]],
                           np.where(kind == 1, town_codes[town], school_codes[school]))
    start = w["year_start"]

    def dates(days: np.ndarray, keep: np.ndarray | None = None) -> pl.Series:
        values = pl.Series(days.astype("int64")).cast(pl.Int64)
        out = pl.lit(start) + pl.duration(days=values)
        frame = pl.select(out.alias("d"))["d"].cast(pl.Date)
        if keep is not None:
            frame = frame.zip_with(pl.Series(keep), pl.Series([None] * len(keep), dtype=pl.Date))
        return frame

    status = np.where(is_closed, "已销号", np.where(is_rectified, "已整改", "整改中"))
    hazards = pl.DataFrame({
        "hazard_id": [f"{w['code']}-{i:06d}" for i in idx],
        "school_code": school_codes[school],
        "town_code": town_codes[town],
        "category": np.array(CATEGORIES)[w["category"][idx]],
        "level": np.array(LEVELS)[level],
        "description": ["检查发现" + CATEGORIES[c] + "隐患，需按期整改" for c in w["category"][idx]],
        "responsible_dept_code": dept_codes[w["dept"][idx]],
        "found_date": dates(found),
        "deadline": dates(w["deadline"][idx]),
        "status": status,
        "rectified_date": dates(rectified_day, is_rectified),
        "closed_date": dates(closed_day, is_closed),
        "report_date": dates(np.minimum(np.maximum(found, np.where(is_rectified, rectified_day, found)), a)),
        "is_open": is_open, "is_overdue": is_overdue, "risk": risk,
        "responsible_kind": kinds, "responsible_code": responsible,
        "effective_deadline": dates(effective),
        "extensions": (effective != w["deadline"][idx]).astype("int32"),
        "is_rectified": is_rectified, "is_closed": is_closed,
        "days_overdue": np.where(is_overdue, a - effective, 0),
    })
    months = day.month
    per_town = w["schools_per_town"]
    inspected = np.minimum(per_town, np.round(per_town * w["inspection_habit"] * min(1.0, months / 6 + 0.3)))
    met = np.minimum(months, np.round(months * w["meeting_habit"]))
    due = months - 1
    reported = np.minimum(due, np.round(due * w["reporting_habit"]))
    towns = pl.DataFrame({"town_code": w["town_codes"], "town_name": w["town_names"]})
    inspection = towns.with_columns(
        schools=pl.Series(per_town.astype("int32")), inspected_schools=pl.Series(inspected.astype("int32")),
    ).with_columns(inspection_coverage=pl.col("inspected_schools") / pl.col("schools"),
                   inspections=(pl.col("inspected_schools") * 3).cast(pl.Int32))
    meetings = towns.with_columns(months=pl.lit(months, pl.Int32), months_met=pl.Series(met.astype("int32"))
                                  ).with_columns(meeting_compliance=pl.col("months_met") / pl.col("months"),
                                                 meetings=pl.col("months_met"))
    town_scores = towns.with_columns(
        reporting=pl.Series(reported / due if due > 0 else [None] * w["towns"], dtype=pl.Float64),
        reporting_has_data=pl.lit(due > 0), score=pl.lit(None, pl.Float64), rank=pl.lit(None, pl.Int32))
    h = hazards.filter(pl.col("found_date") >= start)
    per_dept = (h.filter(pl.col("responsible_kind") == "department")
                .group_by(pl.col("responsible_code").alias("dept_code"))
                .agg(total=pl.len().cast(pl.Int32), rectified=pl.col("is_rectified").sum().cast(pl.Int32),
                     overdue_open=pl.col("is_overdue").sum().cast(pl.Int32)))
    dept_closure = (pl.DataFrame({"dept_code": w["depts"], "dept_name": list(DEPARTMENTS)})
                    .join(per_dept, on="dept_code", how="left")
                    .with_columns(pl.col("total", "rectified", "overdue_open").fill_null(0))
                    .with_columns(rectification_rate=pl.col("rectified") / pl.when(pl.col("total") > 0)
                                  .then(pl.col("total"))))
    town_risk = (hazards.filter(pl.col("is_open")).group_by("town_code", "category").agg(risk=pl.col("risk").sum())
                 .join(towns, on="town_code").sort("town_code", "category"))
    departments = pl.DataFrame({"dept_code": w["depts"], "dept_name": list(DEPARTMENTS),
                                "member": ["张**"] * len(DEPARTMENTS)})
    return {"hazards": hazards, "inspection_coverage": inspection, "meeting_compliance": meetings,
            "town_scores": town_scores, "dept_closure": dept_closure, "town_risk": town_risk,
            "departments": departments}
