"""The rules of SPEC §2 and §2.1 for inspections and meetings (hazards: validate.py)."""

from __future__ import annotations

import polars as pl

from pipelines import contract as k
from pipelines.ingest import checks as ck
from pipelines.ingest.checks import Check
from pipelines.ingest.context import LoadContext
from pipelines.ingest.normalize import parse_date, parse_number, parse_vocabulary, parse_whole_number
from pipelines.ingest.resolve import Registry, any_unit_lookup, resolve, resolve_school, resolve_unit
from pipelines.ingest.validate import Rules, absent, date_check, town_lookup, vocab_check, allowed, hazards, header, parsed
from xiaoan import vocabulary
from xiaoan.i18n import t

DEFAULT_INSPECTION_TYPE = "日常检查"  # SPEC §2.1: a checklist's type unless its title says otherwise
# The ends of a name that looks like a unit (an attendee not in the registry is then a warning).
UNIT_ENDINGS = ("局", "镇", "大队", "所", "委", "中心", "站", "院", "办", "队", "街道", "政府")


def inspections(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx: LoadContext) -> Rules:
    kind = k.INSPECTIONS
    f = parsed(f, {
        "v_date": ("date", parse_date(pl.col("date"))),
        "v_type": ("type", parse_vocabulary(pl.col("type"), k.INSPECTION_TYPES)),
        "v_category": ("category", parse_vocabulary(pl.col("category"), k.CATEGORIES)),
        "v_hazards_found": ("hazards_found", parse_whole_number(pl.col("hazards_found"))),
        "v_score": ("score", parse_number(pl.col("score"))),
    }).with_columns(__no_town=pl.lit(None, dtype=pl.String))
    f = resolve_unit(f, "department", any_unit_lookup(reg), "__ins")
    f = resolve_school(f, "school", "__no_town", reg.schools)
    # SPEC §2.1/§2.2: 检查单位 a member unit, town, village or school; none on a checklist = the
    # school itself (a self-check); no type = 日常检查; no date = the report date. Marked derived.
    self_check = absent("department") | ((pl.col("__ins_kind") == "school") & (pl.col("__ins_code") == pl.col("school_code")))
    f = f.with_columns(
        __self=self_check.fill_null(False),
        __date_derived=absent("date"),
        __type_derived=absent("type"),
    ).with_columns(
        __kind=pl.when(pl.col("__self")).then(pl.lit("school")).otherwise(pl.col("__ins_kind")),
        __code=pl.when(pl.col("__self")).then(pl.col("school_code")).otherwise(pl.col("__ins_code")),
        v_date=pl.when(pl.col("__date_derived")).then(report_date).otherwise(pl.col("v_date")),
        v_type=pl.when(pl.col("__type_derived")).then(pl.lit(DEFAULT_INSPECTION_TYPE)).otherwise(pl.col("v_type")),
    )
    derived = pl.concat_list([
        pl.when(absent("department")).then(pl.lit("department")),
        # no 检查类型 column: defaulted, or inferred from the title (专项, 督查, …)
        pl.when(~pl.col("__col_type")).then(pl.lit("type")),
        pl.when(pl.col("__date_derived")).then(pl.lit("date")),
        # the school named only by the title or the file's name (no column, no line): told, not typed
        pl.when(pl.col("__guessed_school")).then(pl.lit("school")),
        # a form's inspection: the category its title or 类别 line names, the hazards it yields,
        # the score its item scores make (forms.checklist_score) — no column of the sheet holds them
        *[pl.when(~pl.col(f"__col_{name}") & pl.col(name).is_not_null()).then(pl.lit(name))
          for name in ("category", "hazards_found", "score")],
    ]).list.drop_nulls()
    req = {name: ck.required(kind, name) for name in kind.required}
    given = ~absent("department")
    checks = [
        Check(header(kind, "date"), ~pl.col("__date_derived") & pl.col("date").is_null(), req["date"].reason), date_check(kind, "date"),
        Check(header(kind, "department"), given & pl.col("department").is_null(), req["department"].reason),
        Check(header(kind, "department"), pl.col("department").is_not_null() & pl.col("__ins_ambiguous"), ck.reason("row.ambiguous_unit", column=header(kind, "department"), value=pl.col("department"))),
        Check(header(kind, "department"), pl.col("department").is_not_null() & pl.col("__ins_code").is_null() & ~pl.col("__ins_ambiguous"), ck.reason("row.unknown_dept", column=header(kind, "department"), value=pl.col("department"))),
        req["school"],
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_ambiguous"), ck.reason("row.ambiguous_school", value=pl.col("school"))),
        Check(header(kind, "school"), pl.col("school").is_not_null() & pl.col("school_code").is_null() & ~pl.col("school_ambiguous"), ck.reason("row.unknown_school", value=pl.col("school"))),
        Check(header(kind, "type"), ~pl.col("__type_derived") & pl.col("type").is_null(), req["type"].reason), vocab_check(kind, "type", k.INSPECTION_TYPES),
        vocab_check(kind, "category", k.CATEGORIES),
        ck.parsed(kind, "hazards_found", "v_hazards_found", "row.bad_integer"),
        ck.parsed(kind, "score", "v_score", "row.bad_score"),
        Check(header(kind, "score"), ~pl.col("v_score").is_between(0, 100), ck.reason("row.bad_score", column=header(kind, "score"), value=pl.col("score"))),
    ]
    output = {
        "inspection_id": pl.col("inspection_id"),
        "inspection_date": pl.col("v_date"),
        "dept_code": pl.when(pl.col("__kind") == "department").then(pl.col("__code")),
        "school_code": pl.col("school_code"),
        "town_code": pl.col("school_town_code"),
        "inspection_type": pl.col("v_type"),
        "category": pl.col("v_category"),
        "inspectors": pl.col("inspectors"),
        "hazards_found": pl.col("v_hazards_found").cast(pl.Int32),
        "score": pl.col("v_score"),
        "inspector_kind": pl.col("__kind"),
        "inspector_code": pl.col("__code"),
        "self_check": pl.col("__self"),
        "derived": derived,
    }
    return Rules(f, checks, output)


def meetings(f: pl.DataFrame, reg: Registry, report_date: pl.Expr, ctx: LoadContext) -> Rules:
    kind = k.MEETINGS
    f = parsed(f, {
        "v_type_given": ("type", parse_vocabulary(pl.col("type"), k.MEETING_TYPES)),
        "v_level_given": ("level", parse_vocabulary(pl.col("level"), k.MEETING_LEVELS)),
        "v_decisions": ("decisions", parse_whole_number(pl.col("decisions"))),
    }).with_columns(v_date=_meeting_date(pl.col("date"), report_date))
    # SPEC §2.1: without 会议类型, 例会 when the title holds 例会, 全体成员单位会议 when it holds 全体
    # or 成员单位, else 专题会议; without 所属镇, the town the title names.
    title = pl.col("title").fill_null("")
    inferred_type = (pl.when(title.str.contains("例会")).then(pl.lit(vocabulary.TOWN_MEETING))
                     .when(title.str.contains("全体|成员单位")).then(pl.lit(vocabulary.PLENARY))
                     .otherwise(pl.lit(vocabulary.MEETING_TYPES[1])))
    f = f.with_columns(__type_derived=absent("type"), __title_town=_town_in(title, reg))
    f = f.with_columns(
        v_type=pl.when(pl.col("__type_derived")).then(inferred_type).otherwise(pl.col("v_type_given")),
        # (a 所属镇 column left empty stays empty: SPEC §2's rule for a column the sheet has)
        __town_text=pl.coalesce(pl.col("town"), pl.when(absent("town")).then(pl.col("__title_town"))),
    )
    f = resolve(f, "__town_text", town_lookup(reg), "v_town")
    # Level when not given: a 例会 or a meeting with a town is the town's, else the district's.
    inferred = (pl.when((pl.col("v_type") == vocabulary.TOWN_MEETING) | pl.col("__town_text").is_not_null())
                .then(pl.lit(vocabulary.TOWN_LEVEL)).otherwise(pl.lit(vocabulary.DISTRICT_LEVEL)))
    f = f.with_columns(v_level=pl.when(pl.col("level").is_null()).then(inferred).otherwise(pl.col("v_level_given")))
    f = _units_named(f, reg, "attendees", "__attendee_codes", "__unknown_attendees")
    f = _units_named(f, reg, "invited", "__invited_codes", "__unknown_invited")
    derived = pl.concat_list([pl.when(pl.col("__type_derived")).then(pl.lit("meeting_type")),
                              pl.when(pl.col("level").is_null()).then(pl.lit("level")),
                              # a month alone (2月份): the month's last day, not a day the clerk wrote
                              pl.when(_month_only(pl.col("date")) & pl.col("v_date").is_not_null()).then(pl.lit("date")),
                              # a day without its year (9月8日): the year is the report date's, not the clerk's
                              pl.when(_year_less(pl.col("date")) & pl.col("v_date").is_not_null()).then(pl.lit("date")),
                              ]).list.drop_nulls()
    req = {name: ck.required(kind, name) for name in kind.required}
    checks = [
        Check(header(kind, "type"), ~pl.col("__type_derived") & pl.col("type").is_null(), req["type"].reason),
        ck.parsed(kind, "type", "v_type_given", "row.bad_value", allowed=allowed(k.MEETING_TYPES)),
        Check(header(kind, "level"), pl.col("level").is_not_null() & pl.col("v_level_given").is_null(), ck.reason("row.bad_value", column=header(kind, "level"), allowed=allowed(k.MEETING_LEVELS), value=pl.col("level"))),
        Check(header(kind, "town"), (pl.col("v_level") == vocabulary.TOWN_LEVEL) & pl.col("__town_text").is_null(), ck.reason("row.town_required")),
        Check(header(kind, "town"), pl.col("town").is_not_null() & pl.col("v_town").is_null(), ck.reason("row.unknown_town", value=pl.col("town"))),
        req["date"], date_check(kind, "date"),
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
        "derived": derived,
        "invited": pl.col("invited"),
        "invited_codes": pl.col("__invited_codes"),
        "__warning:attendees": _unknown_unit_warning("__unknown_attendees", "forms.unknown_attendee"),
        "__warning:invited": _unknown_unit_warning("__unknown_invited", "forms.unknown_invited"),
    }
    return Rules(f, checks, output)


def _unknown_unit_warning(column: str, key: str) -> pl.Expr:
    """A warning (loaded, deserves a look) naming the pieces of a unit list not in the registry."""
    return pl.when(pl.col(column).is_not_null()).then(pl.struct(
        message=pl.format(t(key, value="{}"), pl.col(column)), value=pl.col(column)))


def _units_named(f: pl.DataFrame, reg: Registry, column: str, codes_out: str, unknown_out: str) -> pl.DataFrame:
    """The registry units found in a unit-list text — 参会单位 (attendees) or 应到单位 (invited)
    (SPEC §2.1, every layout; §3 v2): member units by full or short name, towns and schools,
    anywhere in the text; the rest stays text. A piece of the rest that looks like a unit
    (…局, …镇, …大队) is listed, for a warning."""
    names = pl.concat([reg.departments.select("code", "name"), reg.towns.select("code", "name"), reg.schools.select("code", "name")])
    short = reg.unit_lookup(with_towns=True).filter(pl.col("k").str.len_chars() > 2).select("code", pl.col("k").alias("name"))
    table = pl.concat([names.with_columns(pl.col("name").str.normalize("NFKC")), short]).unique("name", keep="first")
    table = table.filter(pl.col("name").str.len_chars() > 1).sort(pl.col("name").str.len_chars(), descending=True)
    patterns = table.get_column("name").to_list()
    code_of = dict(table.select("name", "code").iter_rows())
    text = pl.col(column).str.normalize("NFKC")
    if patterns:
        found = text.str.extract_many(patterns, overlapping=False, ascii_case_insensitive=True)
        codes = found.list.eval(pl.element().replace_strict(code_of, default=None)).list.drop_nulls().list.unique(maintain_order=True)
        rest = text.str.replace_many(patterns, ["、"] * len(patterns))
    else:
        codes, rest = pl.lit([], dtype=pl.List(pl.String)), text
    exact = dict(reg.unit_lookup(with_towns=True).select("k", "code").iter_rows())  # a unit named by its code
    tokens = rest.str.replace_all(k.ATTENDEE_SEPARATORS, "、").str.split("、").list.eval(
        pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
    by_code = tokens.list.eval(pl.element().str.to_lowercase().replace_strict(exact, default=None)).list.drop_nulls()
    pieces = tokens.list.eval(pl.element().filter(
        pl.element().str.contains("(" + "|".join(UNIT_ENDINGS) + ")$")
        & pl.element().str.to_lowercase().replace_strict(exact, default=None).is_null()))
    return f.with_columns(
        **{codes_out: pl.concat_list(codes, by_code).list.unique(maintain_order=True).fill_null(pl.lit([], dtype=pl.List(pl.String))),
           unknown_out: pl.when(pieces.list.len() > 0).then(pieces.list.join("、"))},
    )


def _town_in(title: pl.Expr, reg: Registry) -> pl.Expr:
    """The registry town a meeting's title names (its full name), else null."""
    towns = [n for n in reg.towns.get_column("name").to_list() if n]
    if not towns:
        return pl.lit(None, dtype=pl.String)
    return title.str.extract_many(sorted(towns, key=len, reverse=True)).list.first()


MONTH_ONLY = r"^(\d{1,2})月份?$"  # 2月份, 10月: a meeting dated by its month alone


YEAR_LESS = r"^(\d{1,2})月(\d{1,2})日"  # 9月8日下午: a day without its year


def _month_only(text: pl.Expr) -> pl.Expr:
    return text.str.contains(MONTH_ONLY).fill_null(False)


def _year_less(text: pl.Expr) -> pl.Expr:
    return text.str.contains(YEAR_LESS).fill_null(False)


def _meeting_date(text: pl.Expr, report_date: pl.Expr) -> pl.Expr:
    """A meeting's date; a form's date without its year (9月8日下午) takes the report date's
    year, and a month alone (2月份) the month's last day (fixtures README gap 15)."""
    no_year = text.str.extract_groups(YEAR_LESS)
    month_only = text.str.extract(MONTH_ONLY, 1).cast(pl.Int32, strict=False)
    year = report_date.dt.year()
    day = pl.date(year, no_year.struct.field("1").cast(pl.Int32, strict=False), no_year.struct.field("2").cast(pl.Int32, strict=False))
    month_end = pl.date(year, month_only, 1).dt.month_end()
    return pl.coalesce(parse_date(text), day, month_end)


RECORD_RULES = {"hazards": hazards, "inspections": inspections, "meetings": meetings}
