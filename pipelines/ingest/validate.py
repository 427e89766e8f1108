"""The rules of SPEC §2, one function per record kind. Each takes a sheet's data rows and
returns them parsed into typed columns, with the checks that decide which rows are rejected."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines import contract as k
from pipelines.ingest import arrow
from pipelines.ingest import checks as ck
from pipelines.ingest.checks import Check
from pipelines.ingest.context import LoadContext
from pipelines.ingest.normalize import (deadline_days, identity_key, key, parse_date, parse_deadline, parse_joined_words,
                                        parse_number, parse_status, parse_vocabulary, parse_whole_number, per_value, per_values,
                                        value_map)
from pipelines.ingest.resolve import Registry, any_unit_lookup, resolve, resolve_school, resolve_unit, unique_lookup
from xiaoan import vocabulary
from xiaoan.rules import Derive

FREE_TEXT = ("description", "measures", "inspectors", "title", "chair", "attendees", "topics", "principal", "member", "liaison",
             "name", "responsible_person", "verifier")


@dataclass
class Rules:
    frame: pl.DataFrame  # the rows with typed columns added
    checks: list[Check]
    output: dict[str, pl.Expr]  # raw-table column → expression over `frame`


def parsed(frame: pl.DataFrame, specs: dict[str, tuple[str, pl.Expr]]) -> pl.DataFrame:
    """Add typed columns, each parsed from its source column once per distinct value (the
    columns side by side: per_values)."""
    return per_values(frame, [(source, {out: expr}) for out, (source, expr) in specs.items()])


def header(kind: k.Kind, field: str) -> str:
    """The contract's Chinese header of a field: what a rejection names as the column."""
    return kind.column(field).zh


def allowed(vocab: dict) -> str:
    return "、".join(vocab)


def vocab_check(kind: k.Kind, field: str, vocab: dict) -> Check:
    return ck.parsed(kind, field, f"v_{field}", "row.bad_value", allowed=allowed(vocab))


def date_check(kind: k.Kind, field: str) -> Check:
    return ck.parsed(kind, field, f"v_{field}", "row.bad_date", value=pl.col(field))


def _flag(field: str) -> pl.Expr:
    """True where the sheet has a table column for `field` (judge adds the flag per field)."""
    return pl.col(f"__col_{field}")


def absent(field: str) -> pl.Expr:
    """The sheet has no column for `field` and no line gave it a value: it is derived."""
    return ~_flag(field) & pl.col(field).is_null()


def empty_cell(kind: k.Kind, field: str) -> Check:
    """A derivable field whose column is there: an empty cell is still rejected (SPEC §2.1)."""
    zh = header(kind, field)
    return Check(zh, _flag(field) & pl.col(field).is_null(), ck.reason("row.required", column=zh))


def word_check(kind: k.Kind, field: str, vocab: dict) -> Check:
    """A cell that is not a word of the vocabulary (nor mapped): rejected with its value quoted."""
    zh = header(kind, field)
    return Check(zh, pl.col(field).is_not_null() & pl.col(f"v_{field}").is_null(),
                 ck.reason("row.bad_word", column=zh, value=pl.col(field), allowed=allowed(vocab)))


def office_values(ctx: LoadContext, field: str, kind: str = "hazards") -> dict[str, str]:
    """The office's value map for a field (mapping file [values.<field>] and [values.<kind>.<field>])."""
    values = ctx.mapping.values
    return {**values.get(field, {}), **values.get(f"{kind}.{field}", {})}


def category_of(description: pl.Expr, derive: Derive) -> pl.Expr:
    """The category the rules' keyword table gives a description: the first category (in the
    table's order) with a keyword anywhere in it, else the table's fallback (SPEC §2.1)."""
    text = description.fill_null("")
    out: pl.Expr | None = None
    chain = None
    for category, words in derive.category_keywords:
        hit = text.str.contains_any(list(words))
        chain = pl.when(hit).then(pl.lit(category)) if chain is None else chain.when(hit).then(pl.lit(category))
    out = chain.otherwise(pl.lit(derive.other_category)) if chain is not None else pl.lit(derive.other_category)
    return out


def derived_ids(frame: pl.DataFrame, key_column: str, school: str) -> pl.Series:
    """A derived hazard id per row: the school code, a dash and 12 hex digits of the SHA-1 of the
    identity key's UTF-8 bytes (stable across loads, rebuilds and library versions; null where the
    key is). DuckDB's sha1 is the standard one, computed over the rows on all cores in one pass:
    at a million rows it takes half the time of hashing the distinct keys in Python and joining
    them back. The rows keep their order (preserve_insertion_order, a plain projection). Rows
    that all have a 隐患编号 (no key) need no hashing: nulls, without asking DuckDB."""
    keys = frame.get_column(key_column)
    if keys.null_count() == frame.height:
        return pl.Series("__derived_id", [None] * frame.height, dtype=pl.String)
    con = _hashing().cursor()  # (a cursor of one in-memory database: opening a database costs ~30 ms)
    try:
        arrow.register(con, "hazard_keys", frame.select(pl.col(key_column).alias("k"), pl.col(school).alias("s")))
        out = arrow.to_polars(con.sql("select s || '-' || left(sha1(k), 12) as __derived_id from hazard_keys"))
    finally:
        con.close()
    return out.to_series().alias("__derived_id")


_HASHING: list[duckdb.DuckDBPyConnection] = []
_HASHING_LOCK = threading.Lock()


def _hashing() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB for derived ids (each caller works on a cursor of its own)."""
    with _HASHING_LOCK:
        if not _HASHING:
            _HASHING.append(duckdb.connect(config={"preserve_insertion_order": True}))
        return _HASHING[0]


# The order a hazard's `derived` list names its fields.
DERIVED_FIELDS = ("hazard_id", "category", "level", "found_date", "deadline", "responsible", "status",
                  "rectified_date", "closed_date")


def hazards(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx: LoadContext) -> Rules:
    kind = k.HAZARDS
    derive = ctx.rules.derive
    units = reg.unit_lookup()
    towns = town_lookup(reg)
    words = {"category": k.CATEGORIES, "level": k.LEVELS, "status": k.STATUSES, "supervision": k.SUPERVISIONS,
             "verification": k.VERIFICATIONS}
    mapped = {name: value_map(pl.col(name), office_values(ctx, name)) for name in words}
    f = parsed(f, {
        "v_category": ("category", parse_vocabulary(mapped["category"], k.CATEGORIES)),
        "v_level": ("level", parse_vocabulary(mapped["level"], k.LEVELS)),
        "v_status": ("status", parse_status(mapped["status"])),
        "v_supervision": ("supervision", parse_vocabulary(mapped["supervision"], k.SUPERVISIONS)),
        "v_verification": ("verification", parse_joined_words(mapped["verification"], k.VERIFICATIONS)),
        "v_deadline": ("deadline", parse_deadline(pl.col("deadline"))),
        "v_deadline_days": ("deadline", deadline_days(pl.col("deadline"))),
        **{f"v_{d}": (d, parse_date(pl.col(d)))
           for d in ("found_date", "rectified_date", "closed_date", "report_date", "extended_deadline", "verified_date")},
    })
    f = resolve(f, "town", towns, "v_town")
    f = per_value(f, "school", {"__school": value_map(pl.col("school"), ctx.mapping.schools)})
    f = resolve_school(f, "__school", "v_town", reg.schools)
    f = resolve_unit(f, "responsible_dept", any_unit_lookup(reg), "__resp")
    f = resolve(f, "found_by", units, "v_found_by")
    # A description's identity key and keyword category, once per distinct description of the
    # rows that derive either (a ledger repeats each hazard's description month after month).
    f = per_value(f, "description", {"__desc_key": identity_key(pl.col("description")),
                                     "__kw_category": category_of(pl.col("description"), derive)},
                  where=absent("hazard_id") | absent("category"))

    report = pl.coalesce(pl.col("v_report_date"), report_date)
    own_school = key(pl.col("responsible_dept")).is_in(list(k.OWN_SCHOOL_WORDS))
    passed = pl.col("v_verification") == vocabulary.PASSED
    f = f.with_columns(
        __report=report,
        __level=pl.when(absent("level")).then(pl.lit(derive.default_level)).otherwise(pl.col("v_level")),
        # A row without a description: no keyword, the fallback category (category_of of "").
        __category=pl.when(absent("category")).then(pl.col("__kw_category").fill_null(pl.lit(derive.other_category)))
        .otherwise(pl.col("v_category")),
        __status=pl.when(absent("status")).then(
            pl.when(pl.col("v_rectified_date").is_not_null() | passed.fill_null(False))
            .then(pl.lit(vocabulary.RECTIFIED_STATUSES[0])).otherwise(pl.lit(vocabulary.STATUSES[0]))
        ).otherwise(pl.col("v_status")),
        # A found date typed nowhere: the earliest of the report's date and the dates it types.
        __found=pl.when(absent("found_date")).then(
            pl.min_horizontal(report, "v_deadline", "v_rectified_date", "v_closed_date")).otherwise(pl.col("v_found_date")),
        __resp_kind=pl.when(absent("responsible_dept") | own_school).then(pl.lit("school")).otherwise(pl.col("__resp_kind")),
        __resp_code=pl.when(absent("responsible_dept") | own_school).then(pl.col("school_code")).otherwise(pl.col("__resp_code")),
    )
    days = pl.col("__level").replace_strict(derive.deadline_days, default=None, return_dtype=pl.Int32)
    rectified = pl.col("__status").is_in(vocabulary.RECTIFIED_STATUSES)
    closed = pl.col("__status") == vocabulary.CLOSED_STATUS
    f = f.with_columns(
        __deadline=pl.when(absent("deadline")).then(pl.col("__found") + pl.duration(days=days))
        .when(pl.col("v_deadline").is_null() & pl.col("v_deadline_days").is_not_null())
        .then(pl.col("__found") + pl.duration(days=pl.col("v_deadline_days")))
        .otherwise(pl.col("v_deadline")),
        # 已整改 / 已销号 with no date column: the report's date (the hazard's first report that
        # says so is settled across reports in SQL), kept within the other dates' order.
        __rectified_derived=rectified & ~_flag("rectified_date") & pl.col("v_rectified_date").is_null(),
    )
    f = f.with_columns(
        __rectified=pl.when(pl.col("__rectified_derived")).then(
            pl.min_horizontal(pl.max_horizontal("__report", "__found"), "v_closed_date")).otherwise(pl.col("v_rectified_date")),
        __closed_derived=closed & ~_flag("closed_date") & pl.col("v_closed_date").is_null(),
    )
    f = f.with_columns(
        __closed=pl.when(pl.col("__closed_derived")).then(pl.max_horizontal("__report", "__rectified"))
        .otherwise(pl.col("v_closed_date")),
        # No 隐患编号 column: the identity is (school, normalised description[, typed found date]).
        __idkey=pl.when(absent("hazard_id") & pl.col("school_code").is_not_null() & pl.col("description").is_not_null())
        .then(pl.concat_str([
            pl.col("school_code"), pl.col("__desc_key"),
            pl.when(_flag("found_date")).then(pl.col("v_found_date").cast(pl.String)).otherwise(pl.lit("")),
        ], separator="\x1f")),
    )
    f = f.with_columns(derived_ids(f, "__idkey", "school_code"))
    marks = {
        "hazard_id": absent("hazard_id"), "category": absent("category"), "level": absent("level"),
        "found_date": ~_flag("found_date"),
        # a relative 整改时限 (7日内) counts from the found date: derived when that date is (and then
        # kept at its distance from the hazard's earliest found date across reports, stg_hazard_reports)
        "deadline": absent("deadline") | (~_flag("found_date") & pl.col("v_deadline").is_null()
                                          & pl.col("v_deadline_days").is_not_null()), "responsible": absent("responsible_dept"),
        "status": absent("status"), "rectified_date": pl.col("__rectified_derived"),
        "closed_date": pl.col("__closed_derived"),
    }
    derived = pl.concat_list([pl.when(marks[name]).then(pl.lit(name)) for name in DERIVED_FIELDS]).list.drop_nulls()

    resp = header(kind, "responsible_dept")
    checks = [
        empty_cell(kind, "hazard_id"),
        Check(header(kind, "description"), absent("hazard_id") & pl.col("description").is_null(),
              ck.reason("row.required", column=header(kind, "description"))),
        ck.required(kind, "school"),
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_ambiguous"), ck.reason("row.ambiguous_school", value=pl.col("school"))),
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_code").is_null() & ~pl.col("school_ambiguous"), ck.reason("row.unknown_school", value=pl.col("school"))),
        Check(header(kind, "town"), pl.col("town").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town", value=pl.col("town"))),
        Check(header(kind, "town"), pl.col("v_town").is_not_null() & pl.col("school_town_code").is_not_null() & (pl.col("v_town") != pl.col("school_town_code")), ck.reason("row.town_mismatch", value=pl.col("town"))),
        empty_cell(kind, "category"), word_check(kind, "category", k.CATEGORIES),
        empty_cell(kind, "level"), word_check(kind, "level", k.LEVELS),
        empty_cell(kind, "found_date"), date_check(kind, "found_date"),
        Check(header(kind, "found_by"), pl.col("found_by").is_not_null() & pl.col("v_found_by").is_null(), ck.reason("row.unknown_dept", column=header(kind, "found_by"), value=pl.col("found_by"))),
        empty_cell(kind, "responsible_dept"),
        Check(resp, pl.col("responsible_dept").is_not_null() & ~own_school & pl.col("__resp_ambiguous"),
              ck.reason("row.ambiguous_unit", column=resp, value=pl.col("responsible_dept"))),
        Check(resp, pl.col("responsible_dept").is_not_null() & ~own_school & ~pl.col("__resp_ambiguous") & pl.col("__resp_code").is_null(),
              ck.reason("row.unknown_unit", column=resp, value=pl.col("responsible_dept"))),
        empty_cell(kind, "deadline"),
        Check(header(kind, "deadline"), pl.col("deadline").is_not_null() & pl.col("v_deadline").is_null() & pl.col("v_deadline_days").is_null(),
              ck.reason("row.bad_date", column=header(kind, "deadline"), value=pl.col("deadline"))),
        Check(header(kind, "deadline"), pl.col("__deadline") < pl.col("__found"), ck.reason("row.deadline_before_found")),
        empty_cell(kind, "status"), word_check(kind, "status", k.STATUSES),
        date_check(kind, "rectified_date"),
        Check(header(kind, "rectified_date"), rectified & ~pl.col("__rectified_derived") & pl.col("rectified_date").is_null(),
              ck.reason("row.rectified_required", value=pl.col("__status"))),
        Check(header(kind, "rectified_date"), pl.col("__rectified") < pl.col("__found"), ck.reason("row.rectified_before_found")),
        date_check(kind, "closed_date"),
        Check(header(kind, "closed_date"), closed & ~pl.col("__closed_derived") & pl.col("closed_date").is_null(), ck.reason("row.closed_required")),
        Check(header(kind, "closed_date"), pl.col("__closed") < pl.col("__rectified"), ck.reason("row.closed_before_rectified")),
        date_check(kind, "report_date"),
        word_check(kind, "supervision", k.SUPERVISIONS),
        date_check(kind, "extended_deadline"),
        Check(header(kind, "extended_deadline"), pl.col("v_extended_deadline") < pl.col("__deadline"), ck.reason("row.extended_before_deadline")),
        date_check(kind, "verified_date"),
        word_check(kind, "verification", k.VERIFICATIONS),
    ]
    is_dept = pl.col("__resp_kind") == "department"
    output = {
        "hazard_id": pl.when(absent("hazard_id")).then(pl.col("__derived_id")).otherwise(pl.col("hazard_id")),
        "school_code": pl.col("school_code"),
        "town_code": pl.col("school_town_code"),
        "category": pl.col("__category"),
        "level": pl.col("__level"),
        "description": pl.col("description"),
        "found_date": pl.col("__found"),
        "found_by_code": pl.col("v_found_by"),
        "responsible_dept_code": pl.when(is_dept).then(pl.col("__resp_code")),
        "deadline": pl.col("__deadline"),
        "measures": pl.col("measures"),
        "status": pl.col("__status"),
        "rectified_date": pl.col("__rectified"),
        "closed_date": pl.col("__closed"),
        "report_date": pl.col("__report"),
        "responsible_kind": pl.col("__resp_kind"),
        "responsible_code": pl.col("__resp_code"),
        "responsible_person": pl.col("responsible_person"),
        "supervision": pl.col("v_supervision"),
        "notice_no": pl.col("notice_no"),
        "extended_deadline": pl.col("v_extended_deadline"),
        "verifier": pl.col("verifier"),
        "verified_date": pl.col("v_verified_date"),
        "verification": pl.col("v_verification"),
        "derived": derived,
        # SPEC §2.2: the sheet has a 验收结果 column (an unverified 销号 is flagged only then).
        "verification_column": _flag("verification"),
    }
    return Rules(f, checks, output)

def town_lookup(reg: Registry) -> pl.DataFrame:
    return reg.memo("town_lookup", lambda: _town_lookup(reg))


def _town_lookup(reg: Registry) -> pl.DataFrame:
    return unique_lookup([reg.towns.select("code", pl.col("code").alias("name")), reg.towns], priority=True)
