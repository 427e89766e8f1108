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


def _vocab_check(kind: k.Kind, field: str, vocab: dict) -> Check:
    return ck.parsed(kind, field, f"v_{field}", "row.bad_value", allowed=allowed(vocab))


def _date_check(kind: k.Kind, field: str) -> Check:
    return ck.parsed(kind, field, f"v_{field}", "row.bad_date", value=pl.col(field))


def hazards(f: pl.DataFrame, reg: Registry, report_date: pl.Expr) -> Rules:
    kind = k.HAZARDS
    units = reg.unit_lookup()
    towns = _town_lookup(reg)
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
        req["category"], _vocab_check(kind, "category", k.CATEGORIES),
        req["level"], _vocab_check(kind, "level", k.LEVELS),
        req["found_date"], _date_check(kind, "found_date"),
        Check(header(kind, "found_by"), pl.col("found_by").is_not_null() & pl.col("v_found_by").is_null(), ck.reason("row.unknown_dept", column=header(kind, "found_by"))),
        req["responsible_dept"],
        Check(header(kind, "responsible_dept"), pl.col("responsible_dept").is_not_null() & pl.col("v_responsible_dept").is_null(), ck.reason("row.unknown_dept", column=header(kind, "responsible_dept"))),
        req["deadline"], _date_check(kind, "deadline"),
        Check(header(kind, "deadline"), pl.col("v_deadline") < pl.col("v_found_date"), ck.reason("row.deadline_before_found")),
        req["status"], _vocab_check(kind, "status", k.STATUSES),
        _date_check(kind, "rectified_date"),
        Check(header(kind, "rectified_date"), rectified & pl.col("rectified_date").is_null(), ck.reason("row.rectified_required", value=pl.col("v_status"))),
        Check(header(kind, "rectified_date"), pl.col("v_rectified_date") < pl.col("v_found_date"), ck.reason("row.rectified_before_found")),
        _date_check(kind, "closed_date"),
        Check(header(kind, "closed_date"), (pl.col("v_status") == vocabulary.CLOSED_STATUS) & pl.col("closed_date").is_null(), ck.reason("row.closed_required")),
        Check(header(kind, "closed_date"), pl.col("v_closed_date") < pl.col("v_rectified_date"), ck.reason("row.closed_before_rectified")),
        _date_check(kind, "report_date"),
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


def inspections(f: pl.DataFrame, reg: Registry, report_date: pl.Expr) -> Rules:
    kind = k.INSPECTIONS
    f = parsed(f, {
        "v_date": ("date", parse_date(pl.col("date"))),
        "v_type": ("type", parse_vocabulary(pl.col("type"), k.INSPECTION_TYPES)),
        "v_category": ("category", parse_vocabulary(pl.col("category"), k.CATEGORIES)),
        "v_hazards_found": ("hazards_found", parse_whole_number(pl.col("hazards_found"))),
        "v_score": ("score", parse_number(pl.col("score"))),
    }).with_columns(__no_town=pl.lit(None, dtype=pl.String))
    f = resolve(f, "department", reg.unit_lookup(), "v_department")
    f = resolve_school(f, "school", "__no_town", reg.schools)
    req = {name: ck.required(kind, name) for name in kind.required}
    checks = [
        req["date"], _date_check(kind, "date"),
        req["department"],
        Check(header(kind, "department"), pl.col("department").is_not_null() & pl.col("v_department").is_null(), ck.reason("row.unknown_dept", column=header(kind, "department"))),
        req["school"],
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_ambiguous"), ck.reason("row.ambiguous_school")),
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_code").is_null() & ~pl.col("school_ambiguous"), ck.reason("row.unknown_school")),
        req["type"], _vocab_check(kind, "type", k.INSPECTION_TYPES),
        _vocab_check(kind, "category", k.CATEGORIES),
        ck.parsed(kind, "hazards_found", "v_hazards_found", "row.bad_integer"),
        ck.parsed(kind, "score", "v_score", "row.bad_score"),
        Check(header(kind, "score"), ~pl.col("v_score").is_between(0, 100), ck.reason("row.bad_score", column=header(kind, "score"))),
    ]
    output = {
        "inspection_id": pl.col("inspection_id"),
        "inspection_date": pl.col("v_date"),
        "dept_code": pl.col("v_department"),
        "school_code": pl.col("school_code"),
        "town_code": pl.col("school_town_code"),
        "inspection_type": pl.col("v_type"),
        "category": pl.col("v_category"),
        "inspectors": pl.col("inspectors"),
        "hazards_found": pl.col("v_hazards_found").cast(pl.Int32),
        "score": pl.col("v_score"),
    }
    return Rules(f, checks, output)


def meetings(f: pl.DataFrame, reg: Registry, report_date: pl.Expr) -> Rules:
    kind = k.MEETINGS
    f = parsed(f, {
        "v_type": ("type", parse_vocabulary(pl.col("type"), k.MEETING_TYPES)),
        "v_level_given": ("level", parse_vocabulary(pl.col("level"), k.MEETING_LEVELS)),
        "v_date": ("date", parse_date(pl.col("date"))),
        "v_decisions": ("decisions", parse_whole_number(pl.col("decisions"))),
    })
    f = resolve(f, "town", _town_lookup(reg), "v_town")
    # Level when not given: a 例会 or a meeting with a town is the town's, else the district's.
    inferred = (pl.when((pl.col("v_type") == vocabulary.TOWN_MEETING) | pl.col("town").is_not_null())
                .then(pl.lit(vocabulary.TOWN_LEVEL)).otherwise(pl.lit(vocabulary.DISTRICT_LEVEL)))
    f = f.with_columns(v_level=pl.when(pl.col("level").is_null()).then(inferred).otherwise(pl.col("v_level_given")))
    f = _attendees(f, reg)
    req = {name: ck.required(kind, name) for name in kind.required}
    checks = [
        req["type"], _vocab_check(kind, "type", k.MEETING_TYPES),
        Check(header(kind, "level"), pl.col("level").is_not_null() & pl.col("v_level_given").is_null(), ck.reason("row.bad_value", column=header(kind, "level"), allowed=allowed(k.MEETING_LEVELS))),
        Check(header(kind, "town"), (pl.col("v_level") == vocabulary.TOWN_LEVEL) & pl.col("town").is_null(), ck.reason("row.town_required")),
        Check(header(kind, "town"), pl.col("town").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town")),
        req["date"], _date_check(kind, "date"),
        Check(header(kind, "attendees"), pl.col("__unknown_attendees").is_not_null(), ck.reason("row.unknown_attendee", value=pl.col("__unknown_attendees"))),
        ck.parsed(kind, "decisions", "v_decisions", "row.bad_integer"),
    ]
    output = {
        "meeting_id": pl.col("meeting_id"),
        "title": pl.col("title"),
        "meeting_type": pl.col("v_type"),
        "level": pl.col("v_level"),
        "town_code": pl.col("v_town"),
        "meeting_date": pl.col("v_date"),
        "chair": pl.col("chair"),
        "attendees": pl.col("attendees"),
        "attendee_codes": pl.col("__attendee_codes"),
        "topics": pl.col("topics"),
        "decisions": pl.col("v_decisions").cast(pl.Int32),
    }
    return Rules(f, checks, output)


def _attendees(f: pl.DataFrame, reg: Registry) -> pl.DataFrame:
    """Split 参会单位 on 、,，;； and resolve each name; collect codes and unknown names."""
    f = f.with_row_index("__i")
    names = (
        f.select("__i", __name=pl.col("attendees").str.normalize("NFKC").str.replace_all(k.ATTENDEE_SEPARATORS, "、").str.split("、"))
        .explode("__name")
        .with_columns(pl.col("__name").str.strip_chars())
        .filter(pl.col("__name").is_not_null() & (pl.col("__name") != ""))
    )
    names = resolve(names, "__name", reg.unit_lookup(with_towns=True), "__code")
    per_row = names.group_by("__i").agg(
        __attendee_codes=pl.col("__code").drop_nulls().unique(maintain_order=True),
        __unknown=pl.col("__name").filter(pl.col("__code").is_null()),
    )
    f = f.join(per_row, on="__i", how="left", maintain_order="left")
    return f.with_columns(
        __unknown_attendees=pl.when(pl.col("__unknown").list.len() > 0).then(pl.col("__unknown").list.join("、")),
        __attendee_codes=pl.col("__attendee_codes").fill_null(pl.lit([], dtype=pl.List(pl.String))),
    ).drop("__i", "__unknown")


def _town_lookup(reg: Registry) -> pl.DataFrame:
    return unique_lookup([reg.towns.select("code", pl.col("code").alias("name")), reg.towns], priority=True)


RECORD_RULES = {"hazards": hazards, "inspections": inspections, "meetings": meetings}
