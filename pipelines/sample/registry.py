"""The registry (登记册) of a synthetic district: district, towns, villages, schools, departments.

Frames carry the registry's columns in English (renamed to the Chinese headers when written)
plus a few internal columns (town_idx, lagging) that the record generators use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.sample import geometry, names
from pipelines.sample.params import ScaleParams

# (type, ownership) -> range of enrolment
_STUDENTS = {"幼儿园": (60, 420), "小学": (150, 2200), "初中": (400, 2000),
             "九年一贯制": (700, 2600), "完全中学": (1500, 4200)}


@dataclass(frozen=True)
class Registry:
    district: pl.DataFrame     # district_name, principal, district_code (where the scale has one)
    towns: pl.DataFrame        # town_code, town_name, principal, lagging
    villages: pl.DataFrame     # village_code, village_name, town_code, principal
    schools: pl.DataFrame      # school_code, school_name, school_type, ownership, town_code,
                               # village_code, students, lat, lon, town_idx, lagging
    departments: pl.DataFrame  # dept_code, dept_name, member, liaison, phone
    polygons: list[np.ndarray]  # one ring per town, in towns order

    @property
    def district_name(self) -> str:
        return self.district["district_name"][0]


def person_names(rng: np.random.Generator, n: int) -> pl.Series:
    """n fictional Chinese personal names (surname + one or two characters)."""
    sur = np.asarray(names.SURNAMES)[rng.integers(0, len(names.SURNAMES), n)]
    given = np.asarray(names.GIVEN_CHARS)
    g1 = given[rng.integers(0, len(given), n)]
    g2 = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), n)], "")
    return pl.DataFrame({"a": sur, "b": g1, "c": g2}).select(
        pl.concat_str("a", "b", "c").alias("name"))["name"]


def departments(params: ScaleParams, rng: np.random.Generator) -> pl.DataFrame:
    short = params.district[:-1]
    n = len(names.DEPARTMENTS)
    phones = rng.choice(10_000, size=n, replace=False)
    return pl.DataFrame({
        "dept_code": [c for c, _ in names.DEPARTMENTS],
        "dept_name": [t.format(short=short) for _, t in names.DEPARTMENTS],
        "member": person_names(rng, n),
        "liaison": person_names(rng, n),
        "phone": [f"138-0000-{p:04d}" for p in phones],
    })


def _standard_places(rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    towns = pl.DataFrame({
        "town_code": [c for c, _ in names.STANDARD_TOWNS],
        "town_name": [t for _, t in names.STANDARD_TOWNS],
        "principal": person_names(rng, len(names.STANDARD_TOWNS)),
    }).with_columns(lagging=pl.col("town_code").is_in(sorted(names.STANDARD_LAGGING_TOWNS)))
    communities = [v for v in names.VILLAGE_NAMES if v.endswith("社区")]
    rural = [v for v in names.VILLAGE_NAMES if not v.endswith("社区")]
    rural = [rural[i] for i in rng.permutation(len(rural))]
    rows = []
    for t, (code, _) in enumerate(names.STANDARD_TOWNS):
        own = communities[:3] + rural[:2] if t == 0 else rural[2 + 5 * (t - 1): 7 + 5 * (t - 1)]
        rows += [(f"{code}{k + 1:02d}", v, code) for k, v in enumerate(own)]
    villages = pl.DataFrame(rows, schema=["village_code", "village_name", "town_code"],
                            orient="row")
    villages = villages.with_columns(principal=person_names(rng, villages.height))
    return towns, villages


def _standard_school_rows(rng: np.random.Generator, district: str,
                          villages: pl.DataFrame) -> list[tuple]:
    """(name, type, ownership, town_code, village_code) of the curated standard schools."""
    privates = [names.PRIVATE_KINDERGARTENS[i]
                for i in rng.permutation(len(names.PRIVATE_KINDERGARTENS))]
    rows: list[tuple] = []
    for t, (tc, town) in enumerate(names.STANDARD_TOWNS):
        vil = villages.filter(pl.col("town_code") == tc).rows()
        rural = [(vc, vn) for vc, vn, _, _ in vil if vn.endswith("村")]
        seat = vil[0][0]
        if t == 0:
            rows += [(f"{district}第一中学", "完全中学", "公办", tc, seat),
                     (f"{district}第二中学", "初中", "公办", tc, vil[1][0]),
                     (f"{district}实验小学", "小学", "公办", tc, seat),
                     (f"{district}{town}第一小学", "小学", "公办", tc, vil[1][0]),
                     (f"{district}{town}第二小学", "小学", "公办", tc, vil[2][0]),
                     (f"{district}实验学校", "九年一贯制", "公办", tc, vil[2][0]),
                     (f"{district}第一幼儿园", "幼儿园", "公办", tc, seat),
                     (f"{town}中心幼儿园", "幼儿园", "公办", tc, vil[1][0]),
                     (f"{district}育英学校", "九年一贯制", "民办", tc, vil[2][0]),
                     (privates.pop(), "幼儿园", "民办", tc, seat)]
            rows += [(f"{district}{town}{vn}小学", "小学", "公办", tc, vc) for vc, vn in rural]
            continue
        if t == 2:
            rows.append((f"{district}{town}九年一贯制学校", "九年一贯制", "公办", tc, seat))
        else:
            rows.append((f"{district}{town}中学", "初中", "公办", tc, seat))
        rows += [(f"{district}{town}中心小学", "小学", "公办", tc, seat),
                 (f"{town}中心幼儿园", "幼儿园", "公办", tc, seat)]
        n_primary = int(rng.integers(4, len(rural) + 1))
        rows += [(f"{town}{vn}小学", "小学", "公办", tc, vc) for vc, vn in rural[:n_primary]]
        for vc, vn in rural[:int(rng.integers(1, 4))]:
            rows.append((f"{town}{vn}幼儿园", "幼儿园", "公办", tc, vc))
        if t in (1, 4):
            rows.append((names.SHARED_SCHOOL_NAME, "幼儿园", "民办", tc, seat))
        elif rng.random() < 0.6 and privates:
            rows.append((privates.pop(), "幼儿园", "民办", tc, seat))
    return rows


def _standard(params: ScaleParams, rng: np.random.Generator) -> Registry:
    towns, villages = _standard_places(rng)
    rows = _standard_school_rows(rng, params.district, villages)
    schools = pl.DataFrame(rows, schema=["school_name", "school_type", "ownership",
                                         "town_code", "village_code"], orient="row")
    polygons = geometry.standard_town_polygons()
    town_idx = schools["town_code"].replace_strict(towns["town_code"], range(towns.height))
    coords = np.zeros((schools.height, 2))
    for t, poly in enumerate(polygons):
        mask = (town_idx == t).to_numpy()
        coords[mask] = geometry.points_in_polygon(poly, int(mask.sum()), rng)
    schools = _finish_schools(schools, town_idx.to_numpy(), coords, towns, params, rng, width=3)
    district = _district(params, person_names(rng, 1))
    return Registry(district, towns, villages, schools, departments(params, rng), polygons)


def _finish_schools(schools: pl.DataFrame, town_idx: np.ndarray, coords: np.ndarray,
                    towns: pl.DataFrame, params: ScaleParams, rng: np.random.Generator,
                    width: int) -> pl.DataFrame:
    """Add codes, enrolment, coordinates and the internal town columns."""
    n = schools.height
    lo = schools["school_type"].replace_strict({k: v[0] for k, v in _STUDENTS.items()})
    hi = schools["school_type"].replace_strict({k: v[1] for k, v in _STUDENTS.items()})
    students = (lo.to_numpy() + rng.random(n) * (hi - lo).to_numpy()).astype(np.int64)
    return schools.with_columns(
        school_code=pl.format(f"{params.prefix}S{{}}",
                              pl.int_range(1, n + 1).cast(pl.String).str.zfill(width)),
        students=pl.Series(students),
        lat=pl.Series(np.round(coords[:, 1], 5)),
        lon=pl.Series(np.round(coords[:, 0], 5)),
        town_idx=pl.Series(town_idx, dtype=pl.Int64),
        lagging=pl.Series(towns["lagging"].to_numpy()[town_idx]),
    ).select("school_code", "school_name", "school_type", "ownership", "town_code",
             "village_code", "students", "lat", "lon", "town_idx", "lagging")


def _large(params: ScaleParams, rng: np.random.Generator) -> Registry:
    n_towns, per = params.n_towns, params.villages_per_town
    first, second = np.asarray(names.PLACE_FIRST), np.asarray(names.PLACE_SECOND)
    combos = np.char.add(np.repeat(first, len(second)), np.tile(second, len(first)))
    town_stems = combos[rng.permutation(len(combos))[:n_towns]]
    suffix = rng.choice(np.array(["镇", "乡", "街道"]), size=n_towns, p=[0.8, 0.15, 0.05])
    towns = pl.DataFrame({
        "town_code": [f"{params.prefix}{i + 1:04d}" for i in range(n_towns)],
        "town_name": np.char.add(town_stems, suffix),
        "principal": person_names(rng, n_towns),
        "lagging": rng.random(n_towns) < params.lagging_share,
    })
    # Villages: distinct names within each town.
    picks = np.argsort(rng.random((n_towns, len(combos))), axis=1)[:, :per].ravel()
    kind = np.where(rng.random(n_towns * per) < 0.15, "社区", "村")
    village_town = np.repeat(np.arange(n_towns), per)
    villages = pl.DataFrame({
        "village_code": np.char.add(towns["town_code"].to_numpy()[village_town].astype(str),
                                    np.char.zfill(np.tile(np.arange(1, per + 1), n_towns)
                                                  .astype(str), 2)),
        "village_name": np.char.add(combos[picks], kind),
        "town_code": towns["town_code"].to_numpy()[village_town],
        "principal": person_names(rng, n_towns * per),
    })
    counts = rng.poisson(params.schools_per_town - 3, n_towns) + 3
    town_idx = np.repeat(np.arange(n_towns), counts)
    slot = np.arange(len(town_idx)) - np.repeat(np.cumsum(counts) - counts, counts)
    middle = rng.choice(np.array(["初中", "九年一贯制", "完全中学"]), size=len(slot),
                        p=[0.8, 0.12, 0.08])
    alt_kind = np.where(slot % 2 == 0, "小学", "幼儿园")
    school_type = np.select([slot == 0, slot == 1, slot == 2, slot < 3 + per],
                            ["小学", "幼儿园", middle, "小学"], alt_kind)
    private = (slot >= 3 + per) & (rng.random(len(slot)) < 0.3)
    vil_of = np.where((slot >= 3) & (slot < 3 + per), slot - 3, rng.integers(0, per, len(slot)))
    vil_row = town_idx * per + vil_of
    frame = pl.DataFrame({
        "town": towns["town_name"].to_numpy()[town_idx],
        "village": villages["village_name"].to_numpy()[vil_row],
        "slot": slot, "school_type": school_type,
    })
    suffix_expr = (
        pl.when(pl.col("slot") == 0).then(pl.lit("中心小学"))
        .when(pl.col("slot") == 1).then(pl.lit("中心幼儿园"))
        .when(pl.col("slot") == 2).then(
            pl.col("school_type").replace_strict({"初中": "中学", "九年一贯制": "九年一贯制学校",
                                                  "完全中学": "第一中学"}))
        .when(pl.col("slot") < 3 + per).then(pl.concat_str(pl.col("village"), pl.lit("小学")))
        .otherwise(pl.format("第{}{}", pl.col("slot") - 6, pl.col("school_type")))
    )
    schools = frame.select(
        school_name=pl.concat_str(pl.col("town"), suffix_expr),
        school_type=pl.col("school_type"),
        ownership=pl.Series(np.where(private, "民办", "公办")),
        town_code=pl.Series(towns["town_code"].to_numpy()[town_idx]),
        village_code=pl.Series(villages["village_code"].to_numpy()[vil_row]),
    )
    quads = geometry.grid_town_quads(n_towns, rng)
    coords = geometry.points_in_quads(quads, town_idx, rng)
    schools = _finish_schools(schools, town_idx, coords, towns, params, rng, width=5)
    district = _district(params, person_names(rng, 1))
    return Registry(district, towns, villages, schools, departments(params, rng), list(quads))


def _district(params: ScaleParams, principal: pl.Series) -> pl.DataFrame:
    """The 区 row: name, principal and, where the scale has one, the 区代码 (drawn from no stream)."""
    district = pl.DataFrame({"district_name": [params.district], "principal": principal})
    if params.district_code:
        district = district.with_columns(district_code=pl.lit(params.district_code))
    return district


def build_registry(params: ScaleParams, rng: np.random.Generator) -> Registry:
    """The registry of a district of the given scale."""
    return _standard(params, rng) if params.curated else _large(params, rng)
