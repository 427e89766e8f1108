"""The rules of SPEC §2, one function per record kind. Each takes a sheet's data rows and
returns them parsed into typed columns, with the checks that decide which rows are rejected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from pipelines import contract as k
from pipelines.ingest import checks as ck
from pipelines.ingest.checks import Check
from pipelines.ingest.normalize import parse_date, parse_number, parse_vocabulary, parse_whole_number, per_value
from pipelines.ingest.context import LoadContext
from pipelines.ingest.resolve import Registry, resolve, resolve_school, unique_lookup
from xiaoan import vocabulary

FREE_TEXT = ("description", "measures", "inspectors", "title", "chair", "attendees", "topics", "principal", "member", "liaison", "name")


@dataclass
class Rules:
    frame: pl.DataFrame  # the rows with typed columns added
    checks: list[Check]
    output: dict[str, pl.Expr]  # raw-table column → expression over `frame`


def parsed(frame: pl.DataFrame, specs: dict[str, tuple[str, pl.Expr]]) -> pl.DataFrame:
    """Add typed columns, each parsed from its source column once per distinct value."""
    for out, (source, expr) in specs.items():
        frame = per_value(frame, source, {out: expr})
    return frame


def header(kind: k.Kind, field: str) -> str:
    """The contract's Chinese header of a field: what a rejection names as the column."""
    return kind.column(field).zh


def allowed(vocab: dict) -> str:
    return "、".join(vocab)


def vocab_check(kind: k.Kind, field: str, vocab: dict) -> Check:
    return ck.parsed(kind, field, f"v_{field}", "row.bad_value", allowed=allowed(vocab))


def date_check(kind: k.Kind, field: str) -> Check:
    return ck.parsed(kind, field, f"v_{field}", "row.bad_date", value=pl.col(field))


def hazards(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx: LoadContext) -> Rules:
    kind = k.HAZARDS
    units = reg.unit_lookup()
    towns = town_lookup(reg)
    f = parsed(f, {
        "v_category": ("category", parse_vocabulary(pl.col("category"), k.CATEGORIES)),
        "v_level": ("level", parse_vocabulary(pl.col("level"), k.LEVELS)),
        "v_status": ("status", parse_vocabulary(pl.col("status"), k.STATUSES)),
        **{f"v_{d}": (d, parse_date(pl.col(d))) for d in ("found_date", "deadline", "rectified_date", "closed_date", "report_date")},
    })
    f = resolve(f, "town", towns, "v_town")
    f = resolve_school(f, "school", "v_town", reg.schools)
    f = resolve(f, "responsible_dept", units, "v_responsible_dept")
    f = resolve(f, "found_by", units, "v_found_by")
    rectified = pl.col("v_status").is_in(vocabulary.RECTIFIED_STATUSES)
    req = {name: ck.required(kind, name) for name in kind.required}
    checks = [
        req["hazard_id"],
        req["school"],
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_ambiguous"), ck.reason("row.ambiguous_school")),
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_code").is_null() & ~pl.col("school_ambiguous"), ck.reason("row.unknown_school")),
        Check(header(kind, "town"), pl.col("town").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town")),
        Check(header(kind, "town"), pl.col("v_town").is_not_null() & pl.col("school_town_code").is_not_null() & (pl.col("v_town") != pl.col("school_town_code")), ck.reason("row.town_mismatch")),
        req["category"], vocab_check(kind, "category", k.CATEGORIES),
        req["level"], vocab_check(kind, "level", k.LEVELS),
        req["found_date"], date_check(kind, "found_date"),
        Check(header(kind, "found_by"), pl.col("found_by").is_not_null() & pl.col("v_found_by").is_null(), ck.reason("row.unknown_dept", column=header(kind, "found_by"))),
        req["responsible_dept"],
        Check(header(kind, "responsible_dept"), pl.col("responsible_dept").is_not_null() & pl.col("v_responsible_dept").is_null(), ck.reason("row.unknown_dept", column=header(kind, "responsible_dept"))),
        req["deadline"], date_check(kind, "deadline"),
        Check(header(kind, "deadline"), pl.col("v_deadline") < pl.col("v_found_date"), ck.reason("row.deadline_before_found")),
        req["status"], vocab_check(kind, "status", k.STATUSES),
        date_check(kind, "rectified_date"),
        Check(header(kind, "rectified_date"), rectified & pl.col("rectified_date").is_null(), ck.reason("row.rectified_required", value=pl.col("v_status"))),
        Check(header(kind, "rectified_date"), pl.col("v_rectified_date") < pl.col("v_found_date"), ck.reason("row.rectified_before_found")),
        date_check(kind, "closed_date"),
        Check(header(kind, "closed_date"), (pl.col("v_status") == vocabulary.CLOSED_STATUS) & pl.col("closed_date").is_null(), ck.reason("row.closed_required")),
        Check(header(kind, "closed_date"), pl.col("v_closed_date") < pl.col("v_rectified_date"), ck.reason("row.closed_before_rectified")),
        date_check(kind, "report_date"),
    ]
    output = {
        "hazard_id": pl.col("hazard_id"),
        "school_code": pl.col("school_code"),
        "town_code": pl.col("school_town_code"),
        "category": pl.col("v_category"),
        "level": pl.col("v_level"),
        "description": pl.col("description"),
        "found_date": pl.col("v_found_date"),
        "found_by_code": pl.col("v_found_by"),
        "responsible_dept_code": pl.col("v_responsible_dept"),
        "deadline": pl.col("v_deadline"),
        "measures": pl.col("measures"),
        "status": pl.col("v_status"),
        "rectified_date": pl.col("v_rectified_date"),
        "closed_date": pl.col("v_closed_date"),
        "report_date": pl.coalesce(pl.col("v_report_date"), report_date),
    }
    return Rules(f, checks, output)

def town_lookup(reg: Registry) -> pl.DataFrame:
    return unique_lookup([reg.towns.select("code", pl.col("code").alias("name")), reg.towns], priority=True)
