"""The rules of SPEC §2 and §2.1 for inspections and meetings (hazards: validate.py)."""

from __future__ import annotations

import polars as pl

from pipelines import contract as k
from pipelines.ingest import checks as ck
from pipelines.ingest.checks import Check
from pipelines.ingest.context import LoadContext
from pipelines.ingest.normalize import parse_date, parse_number, parse_vocabulary, parse_whole_number
from pipelines.ingest.resolve import Registry, resolve, resolve_school
from pipelines.ingest.validate import Rules, date_check, town_lookup, vocab_check, allowed, hazards, header, parsed
from xiaoan import vocabulary


def inspections(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx: LoadContext) -> Rules:
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
        req["date"], date_check(kind, "date"),
        req["department"],
        Check(header(kind, "department"), pl.col("department").is_not_null() & pl.col("v_department").is_null(), ck.reason("row.unknown_dept", column=header(kind, "department"))),
        req["school"],
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_ambiguous"), ck.reason("row.ambiguous_school")),
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_code").is_null() & ~pl.col("school_ambiguous"), ck.reason("row.unknown_school")),
        req["type"], vocab_check(kind, "type", k.INSPECTION_TYPES),
        vocab_check(kind, "category", k.CATEGORIES),
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


def meetings(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx: LoadContext) -> Rules:
    kind = k.MEETINGS
    f = parsed(f, {
        "v_type": ("type", parse_vocabulary(pl.col("type"), k.MEETING_TYPES)),
        "v_level_given": ("level", parse_vocabulary(pl.col("level"), k.MEETING_LEVELS)),
        "v_date": ("date", parse_date(pl.col("date"))),
        "v_decisions": ("decisions", parse_whole_number(pl.col("decisions"))),
    })
    f = resolve(f, "town", town_lookup(reg), "v_town")
    # Level when not given: a 例会 or a meeting with a town is the town's, else the district's.
    inferred = (pl.when((pl.col("v_type") == vocabulary.TOWN_MEETING) | pl.col("town").is_not_null())
                .then(pl.lit(vocabulary.TOWN_LEVEL)).otherwise(pl.lit(vocabulary.DISTRICT_LEVEL)))
    f = f.with_columns(v_level=pl.when(pl.col("level").is_null()).then(inferred).otherwise(pl.col("v_level_given")))
    f = _attendees(f, reg)
    req = {name: ck.required(kind, name) for name in kind.required}
    checks = [
        req["type"], vocab_check(kind, "type", k.MEETING_TYPES),
        Check(header(kind, "level"), pl.col("level").is_not_null() & pl.col("v_level_given").is_null(), ck.reason("row.bad_value", column=header(kind, "level"), allowed=allowed(k.MEETING_LEVELS))),
        Check(header(kind, "town"), (pl.col("v_level") == vocabulary.TOWN_LEVEL) & pl.col("town").is_null(), ck.reason("row.town_required")),
        Check(header(kind, "town"), pl.col("town").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town")),
        req["date"], date_check(kind, "date"),
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


RECORD_RULES = {"hazards": hazards, "inspections": inspections, "meetings": meetings}
