"""The rules of the registry (登记册) sheets: district, towns, villages, schools, member units."""

from __future__ import annotations

import polars as pl

from pipelines import contract as k
from pipelines.ingest import checks as ck
from pipelines.ingest.checks import Check
from pipelines.ingest.normalize import parse_number, parse_vocabulary, parse_whole_number
from pipelines.ingest.resolve import Registry, resolve, unique_lookup
from pipelines.ingest.validate import Rules, allowed, header


def _required(kind: k.Kind) -> list[Check]:
    return [ck.required(kind, name) for name in kind.required]


def district(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx=None) -> Rules:
    # 区代码: six digits (an Excel number may arrive as 330102.0); anything else is rejected.
    f = f.with_columns(v_code=pl.col("code").str.replace(r"^([0-9]{6})\.0+$", "${1}"))
    f = f.with_columns(v_code=pl.when(pl.col("v_code").str.contains(r"^[0-9]{6}$")).then(pl.col("v_code")))
    checks = _required(k.DISTRICT) + [ck.parsed(k.DISTRICT, "code", "v_code", "city.lake.bad_code_row")]
    output = {"district_name": pl.col("name"), "principal": pl.col("principal"), "district_code": pl.col("v_code")}
    return Rules(f, checks, output)


def towns(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx=None) -> Rules:
    output = {"town_code": pl.col("code"), "town_name": pl.col("name"), "principal": pl.col("principal")}
    return Rules(f, _required(k.TOWNS), output)


def departments(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx=None) -> Rules:
    output = {
        "dept_code": pl.col("code"),
        "dept_name": pl.col("name"),
        "member": pl.col("member"),
        "liaison": pl.col("liaison"),
        "phone": pl.col("phone"),
    }
    return Rules(f, _required(k.DEPARTMENTS), output)


def _town_codes(reg: Registry) -> pl.DataFrame:
    return unique_lookup([reg.towns.select("code", pl.col("code").alias("name")), reg.towns], priority=True)


def villages(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx=None) -> Rules:
    f = resolve(f, "town_code", _town_codes(reg), "v_town")
    checks = _required(k.VILLAGES) + [
        Check(header(k.VILLAGES, "town_code"), pl.col("town_code").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town", value=pl.col("town_code"))),
    ]
    output = {"village_code": pl.col("code"), "village_name": pl.col("name"), "town_code": pl.col("v_town"), "principal": pl.col("principal")}
    return Rules(f, checks, output)


def schools(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx=None) -> Rules:
    kind = k.SCHOOLS
    f = resolve(f, "town_code", _town_codes(reg), "v_town")
    villages_in_town = reg.villages.select(__vk=pl.col("code").str.to_lowercase(), v_town=pl.col("town_code"), v_village=pl.col("code"))
    f = f.with_columns(
        v_type=parse_vocabulary(pl.col("type"), k.SCHOOL_TYPES),
        v_ownership=parse_vocabulary(pl.col("ownership"), k.OWNERSHIPS),
        v_students=parse_whole_number(pl.col("students")),
        v_lat=parse_number(pl.col("lat")),
        v_lon=parse_number(pl.col("lon")),
        __vk=pl.col("village_code").str.replace_all(r"\s+", "").str.to_lowercase(),
    ).join(villages_in_town, on=["__vk", "v_town"], how="left", maintain_order="left")
    checks = _required(kind) + [
        ck.parsed(kind, "type", "v_type", "row.bad_value", allowed=allowed(k.SCHOOL_TYPES)),
        ck.parsed(kind, "ownership", "v_ownership", "row.bad_value", allowed=allowed(k.OWNERSHIPS)),
        Check(header(kind, "town_code"), pl.col("town_code").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town", value=pl.col("town_code"))),
        Check(header(kind, "village_code"), pl.col("village_code").is_not_null() & pl.col("v_village").is_null(), ck.reason("row.unknown_village")),
        ck.parsed(kind, "students", "v_students", "row.bad_integer"),
        ck.parsed(kind, "lat", "v_lat", "row.bad_number"),
        ck.parsed(kind, "lon", "v_lon", "row.bad_number"),
        Check(header(kind, "lat"), ~pl.col("v_lat").is_between(-90, 90), ck.reason("row.bad_coordinate", column=header(kind, "lat"), value=pl.col("lat"))),
        Check(header(kind, "lon"), ~pl.col("v_lon").is_between(-180, 180), ck.reason("row.bad_coordinate", column=header(kind, "lon"), value=pl.col("lon"))),
    ]
    output = {
        "school_code": pl.col("code"),
        "school_name": pl.col("name"),
        "school_type": pl.col("v_type"),
        "ownership": pl.col("v_ownership"),
        "town_code": pl.col("v_town"),
        "village_code": pl.col("v_village"),
        "students": pl.col("v_students").cast(pl.Int32),
        "lat": pl.col("v_lat"),
        "lon": pl.col("v_lon"),
    }
    return Rules(f, checks, output)


# Loaded in this order, so villages and schools can name towns from the same workbook.
REGISTRY_RULES = {"district": district, "towns": towns, "departments": departments, "villages": villages, "schools": schools}
# The key that identifies a registry row; a later row with the same key supersedes.
REGISTRY_KEYS = {"district": None, "towns": "town_code", "departments": "dept_code", "villages": "village_code", "schools": "school_code"}
