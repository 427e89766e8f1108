"""Resolve the schools, towns and member units a ledger names (by code or by name) to their
registry codes, with joins rather than a lookup per row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import polars as pl

from pipelines.contract import DISTRICT_PREFIX, DIVISION_SUFFIXES
from pipelines.ingest import arrow
from pipelines.ingest.normalize import key, per_value
from xiaoan import vocabulary


@dataclass
class Registry:
    """The registry as it stands in the warehouse being built (latest row per code)."""

    district_name: str | None
    towns: pl.DataFrame  # code, name
    villages: pl.DataFrame  # code, name, town_code
    schools: pl.DataFrame  # code, name, town_code
    departments: pl.DataFrame  # code, name
    # Lookups built from these frames, kept for the next sheet or kind checked against the same
    # registry (each costs a few polars calls, whatever the rows checked): see memo.
    _memo: dict[object, pl.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, name: object, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        """The lookup `name` built from this registry, built once (a registry's frames are not
        changed after it is loaded: a load reads a new Registry after loading registry rows)."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> "Registry":
        def frame(sql: str) -> pl.DataFrame:
            return arrow.to_polars(con.sql(sql))

        district = next(iter(con.sql("select district_name from int_district_latest").fetchall()), None)
        return cls(
            district_name=district[0] if district else None,
            towns=frame("select town_code as code, town_name as name from int_towns_latest"),
            villages=frame("select village_code as code, village_name as name, town_code from int_villages_latest"),
            schools=frame("select school_code as code, school_name as name, town_code from int_schools_latest"),
            departments=frame("select dept_code as code, dept_name as name from int_departments_latest"),
        )

    def unit_lookup(self, with_towns: bool = False) -> pl.DataFrame:
        """k → code for member units by code, full name, and the name without the district's
        own name in front (青溪公安分局 → 公安分局, 区教育局 → 教育局); towns too when asked."""
        return self.memo(("unit_lookup", with_towns), lambda: self._unit_lookup(with_towns))

    def _unit_lookup(self, with_towns: bool) -> pl.DataFrame:
        frames = [self.departments]
        if with_towns:
            frames.append(self.towns)
        units = pl.concat(frames) if frames else pl.DataFrame(schema={"code": pl.String, "name": pl.String})
        prefixes = [DISTRICT_PREFIX]
        if self.district_name:
            stem = self.district_name.rstrip(DIVISION_SUFFIXES)
            prefixes = [self.district_name, stem, DISTRICT_PREFIX] if stem else prefixes
        short = [units.select(pl.col("code"), pl.col("name").str.strip_prefix(p).alias("name")) for p in prefixes]
        return unique_lookup([units.select("code", pl.col("code").alias("name")), units, *short], priority=True)


def unique_lookup(frames: list[pl.DataFrame], priority: bool = False) -> pl.DataFrame:
    """(code, name) pairs → a table k → code keeping only keys that name exactly one code.
    With priority, a key found in an earlier frame wins over later frames."""
    parts = [f.select(k=key(pl.col("name")), code=pl.col("code"), rank=pl.lit(i)) for i, f in enumerate(frames)]
    allk = pl.concat(parts).filter(pl.col("k").is_not_null() & (pl.col("k") != "")).unique(["k", "code"], keep="first")
    if priority:
        allk = allk.filter(pl.col("rank") == pl.col("rank").min().over("k"))
    return allk.filter(pl.len().over("k") == 1).select("k", "code")


def resolve(frame: pl.DataFrame, value: str, lookup: pl.DataFrame, out: str) -> pl.DataFrame:
    """Add column `out`: the code that `value` names, null when it names none."""
    keyed = per_value(frame, value, {"__k": key(pl.col(value))})
    joined = keyed.join(lookup.rename({"k": "__k", "code": out}), on="__k", how="left", maintain_order="left")
    return joined.drop("__k")


def resolve_school(frame: pl.DataFrame, value: str, town_code: str, schools: pl.DataFrame) -> pl.DataFrame:
    """Add school_code, school_town_code and school_ambiguous. A name that two towns share is
    settled by the row's town; without one, the row is ambiguous."""
    by_code = schools.select(__k=key(pl.col("code")), __c1=pl.col("code"))
    named = schools.with_columns(__k=key(pl.col("name")))
    by_name = named.group_by("__k").agg(__n=pl.len(), __c2=pl.col("code").first())
    by_name_town = (
        named.group_by("__k", "town_code").agg(__m=pl.len(), __c3=pl.col("code").first()).filter(pl.col("__m") == 1).drop("__m")
    )
    keyed = per_value(frame, value, {"__k": key(pl.col(value))})
    joined = (
        keyed.join(by_code, on="__k", how="left", maintain_order="left")
        .join(by_name, on="__k", how="left", maintain_order="left")
        .join(by_name_town.rename({"town_code": town_code}), on=["__k", town_code], how="left", maintain_order="left", nulls_equal=False)
    )
    code = pl.coalesce("__c1", pl.when(pl.col("__n") == 1).then("__c2"), "__c3")
    joined = joined.with_columns(
        school_code=code,
        school_ambiguous=(code.is_null() & (pl.col("__n") > 1)).fill_null(False),
    )
    towns = schools.select(school_code="code", school_town_code="town_code")
    return joined.join(towns, on="school_code", how="left", maintain_order="left").drop("__k", "__c1", "__n", "__c2", "__c3")


# The kinds of unit a 责任单位 may name (SPEC §2.2), in the order ties are reported.
UNIT_KINDS = vocabulary.RESPONSIBLE_KINDS


def any_unit_lookup(reg: Registry) -> pl.DataFrame:
    """k → (kind, code, n_kinds) over member units, towns, villages and schools: by code or
    name (member units also by their short names). A key naming units of two kinds has
    n_kinds > 1 (ambiguous); within one kind only keys naming one unit are kept."""
    return reg.memo("any_unit_lookup", lambda: _any_unit_lookup(reg))


def _any_unit_lookup(reg: Registry) -> pl.DataFrame:
    towns = unique_lookup([reg.towns.select("code", pl.col("code").alias("name")), reg.towns], priority=True)
    villages = unique_lookup([reg.villages.select("code", pl.col("code").alias("name")), reg.villages.select("code", "name")],
                             priority=True)
    schools = unique_lookup([reg.schools.select("code", pl.col("code").alias("name")), reg.schools.select("code", "name")],
                            priority=True)
    frames = [reg.unit_lookup(), towns, villages, schools]
    every = pl.concat([f.with_columns(kind=pl.lit(name)) for name, f in zip(UNIT_KINDS, frames)])
    return every.group_by("k", maintain_order=True).agg(
        kind=pl.col("kind").first(), code=pl.col("code").first(), n_kinds=pl.col("kind").n_unique())


def resolve_unit(frame: pl.DataFrame, value: str, lookup: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """Add `<prefix>_kind`, `<prefix>_code` and `<prefix>_ambiguous` for the unit `value` names
    (any kind; an ambiguous name resolves to nothing)."""
    keyed = per_value(frame, value, {"__k": key(pl.col(value))})
    table = lookup.select(
        __k="k",
        **{f"{prefix}_kind": pl.when(pl.col("n_kinds") == 1).then("kind"),
           f"{prefix}_code": pl.when(pl.col("n_kinds") == 1).then("code"),
           f"{prefix}_ambiguous": pl.col("n_kinds") > 1})
    joined = keyed.join(table, on="__k", how="left", maintain_order="left").drop("__k")
    return joined.with_columns(pl.col(f"{prefix}_ambiguous").fill_null(False))
