"""The values the ledgers' dropdowns offer: the contract's vocabularies, and the towns, schools
and member units of the loaded registry, each written the way ingestion will resolve it.

A unit is offered by its name, unless the name would not name it alone (two schools of one
name in different towns, a name that is also another unit's code): then by its code, so that
any value picked from a dropdown loads (the loader accepts codes and names alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.normalize import key
from pipelines.ingest.resolve import Registry, unique_lookup
from xiaoan import vocabulary
from xiaoan.warehouse import open_read_only

# Vocabulary lists: list name → canonical words in the vocabulary's order.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "category": vocabulary.CATEGORIES,
    "level": vocabulary.LEVELS,
    "status": vocabulary.STATUSES,
    "school_type": vocabulary.SCHOOL_TYPES,
    "ownership": vocabulary.OWNERSHIPS,
    "inspection_type": vocabulary.INSPECTION_TYPES,
    "meeting_type": vocabulary.MEETING_TYPES,
    "meeting_level": vocabulary.MEETING_LEVELS,
}
REGISTRY_LISTS = ("town", "school", "department", "attendee")


@dataclass(frozen=True)
class Choices:
    """Every dropdown list by name (the registry lists empty when no registry is loaded) and
    the district's name."""

    lists: dict[str, tuple[str, ...]]
    district: str | None = None

    @property
    def has_registry(self) -> bool:
        return bool(self.lists.get("school"))


def vocabulary_choices() -> Choices:
    """The vocabularies alone (no warehouse, or a warehouse without a registry)."""
    return Choices({**VOCABULARIES, **{name: () for name in REGISTRY_LISTS}})


def load_choices(warehouse: Path | None) -> Choices:
    """The vocabularies and, when `warehouse` exists and holds a registry, its towns, schools
    and member units (read-only, the current version)."""
    if warehouse is None or not Path(warehouse).is_file():
        return vocabulary_choices()
    try:
        con = open_read_only(Path(warehouse))
    except duckdb.Error:  # not a warehouse: no registry to offer
        return vocabulary_choices()
    try:
        registry = Registry.load(con)
    except duckdb.Error:  # a warehouse without registry tables
        return vocabulary_choices()
    finally:
        con.close()
    return registry_choices(registry)


def registry_choices(reg: Registry) -> Choices:
    """Choices from a loaded registry."""
    towns, departments = reg.towns.sort("code"), reg.departments.sort("code")
    units = reg.unit_lookup(with_towns=True)  # 参会单位 may name towns too
    lists = {
        **VOCABULARIES,
        "town": _entries(towns, _names_that_resolve(towns, _code_and_name(towns))),
        "school": _entries(reg.schools.sort("town_code", "code"), _school_names_that_resolve(reg.schools)),
        "department": _entries(departments, _names_that_resolve(departments, reg.unit_lookup())),
        "attendee": _entries(departments, _names_that_resolve(departments, units))
                    + _entries(towns, _names_that_resolve(towns, units)),
    }
    return Choices(lists, reg.district_name)


def _code_and_name(units: pl.DataFrame) -> pl.DataFrame:
    return unique_lookup([units.select("code", pl.col("code").alias("name")), units], priority=True)


def _names_that_resolve(units: pl.DataFrame, lookup: pl.DataFrame) -> set[str]:
    """The codes whose full name the lookup (k → code) resolves back to that code."""
    keyed = units.with_columns(k=key(pl.col("name"))).join(lookup.rename({"code": "resolved"}), on="k", how="left")
    return set(keyed.filter(pl.col("resolved") == pl.col("code"))["code"])


def _school_names_that_resolve(schools: pl.DataFrame) -> set[str]:
    """Schools whose name alone finds them: one school of that name, and no code reads like it
    (ingestion matches codes first, then a name shared by no other school)."""
    keyed = schools.with_columns(k=key(pl.col("name")))
    codes = set(schools.select(key(pl.col("code")))["code"])
    unique = keyed.filter((pl.len().over("k") == 1) & ~pl.col("k").is_in(list(codes)))
    return set(unique["code"])


def _entries(units: pl.DataFrame, by_name: set[str]) -> tuple[str, ...]:
    """Each unit's dropdown entry: its name when the name resolves to it, else its code."""
    return tuple(name if code in by_name else code for code, name in zip(units["code"], units["name"]))
