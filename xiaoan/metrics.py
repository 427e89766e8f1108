"""The metrics of record (SPEC §3) as polars frames — the one Python API over the metric macros
(pipelines/models/metrics/*.sql) that the dashboard, the notebooks and the snapshot export call.

    from xiaoan.metrics import Filters, Metrics, Scope
    m = Metrics.open("data/warehouse.duckdb")                 # or Metrics(reader.cursor)
    f = Filters(as_of=date(2026, 6, 30), towns=("T01",))      # period: 1 Jan .. as_of
    m.dept_closure(f)                                         # polars DataFrame
    m.town_scores(f, Scope.town("T01"))                       # a town's own slice

Every number is computed by SQL in the warehouse; this module only binds parameters (never
formats values into SQL) and names the queries. `Filters` carry the as-of date A, the period
[S, E] and the list filters (empty = all); `Scope` is the viewer's slice: the district (all),
a town (its schools), or a department (the hazards it is responsible for, its inspections).
Scores rank every unit among all units under the other filters; the scope and the filter on
the scored unit itself then only choose rows (a town sees its own district-wide rank). A scope
holds rows of its own tier only: a town no member unit's scores or attendance, a department no
town's scores or 例会 (OWN_ROWS; xiaoan.scope.resolve; docs/security.md, Roles). What was
precomputed at publish is read through xiaoan.precomputed; this module decides when it applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from xiaoan import periods, precomputed
from xiaoan.precomputed import PRECOMPUTED_HEADLINE, score_fingerprint
from xiaoan.rules import Rules, load_rules
from xiaoan.vocabulary import RESPONSIBLE_KINDS
# Scope and DISTRICT: also imported from here (notebooks)
from xiaoan.scope import DISTRICT, Scope, Slice, resolve, without_names

# The arguments after A, S, E that every metric macro takes, bound by Metrics._filter_params.
FILTER_ARGS = "towns := $towns, school_types := $types, categories := $categories, depts := $depts, rules := $rules"


@dataclass(frozen=True)
class Tier:
    """The macros and key columns of one evaluated tier (towns, member units)."""

    scores: str      # one row per unit (town_scores, dept_scores)
    breakdown: str   # one row per unit × indicator (town_score_breakdown, dept_score_breakdown)
    code: str        # the unit's code column
    name: str        # the unit's name column


# The one table of tiers (xiaoan.rules.TIERS names them; the indicators are the rules file's):
# read by Metrics.score_trend, pipelines/publish/precompute.py and the evaluation page.
TIERS = {
    "town": Tier("town_scores", "town_score_breakdown", "town_code", "town_name"),
    "dept": Tier("dept_scores", "dept_score_breakdown", "dept_code", "dept_name"),
}
# Macros with one row per town (a town's own record: its scores, its 例会) and per member unit
# (a unit's own record: its scores, its attendance of district meetings). A viewer sees only
# its own tier's own row: a department no town's row, a town no unit's row (docs/security.md).
OWN_ROWS = {
    **dict.fromkeys(("town_scores", "town_score_breakdown", "town_meeting_months", "meeting_compliance"), "town"),
    **dict.fromkeys(("dept_scores", "dept_score_breakdown", "dept_meeting_attendance"), "dept"),
}


def _codes(values: Iterable[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)


@dataclass(frozen=True)
class Filters:
    """As-of date A, period [S, E] (None: 1 January of A's year .. A; E never passes A) and
    filters on towns (镇代码), school types (学校类型) and hazard categories (隐患类别)."""

    as_of: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    towns: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("towns", "school_types", "categories"):
            object.__setattr__(self, name, _codes(getattr(self, name)))
        for name in ("as_of", "start", "end"):
            value = getattr(self, name)
            if isinstance(value, dt.datetime):
                object.__setattr__(self, name, value.date())
            elif value is not None and not isinstance(value, dt.date):
                raise TypeError(f"{name} must be a date, got {value!r}")
        if self.as_of is None:
            raise TypeError("as_of is required")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")

    @property
    def period_start(self) -> dt.date:
        """S as the macros resolve it (period_start): the given start, else 1 January of A's year."""
        return periods.period_start(self.as_of, self.start)

    @property
    def period_end(self) -> dt.date:
        """E as the macros resolve it (period_end): the given end, else A; never after A."""
        return periods.period_end(self.as_of, self.end)


@dataclass(frozen=True)
class SchoolProfile:
    """One school (学校档案): its summary row, its hazards as of A, its inspections in [S, E]."""

    summary: pl.DataFrame
    hazards: pl.DataFrame
    inspections: pl.DataFrame


# The columns of a macro's result (macro, projection) → names, read once (Metrics._unnamed).
_RESULT_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {}

# The sorts a hazard list offers (fixed SQL text; a caller names one, never writes SQL).
HAZARD_ORDERS = {
    "hazard_id": "hazard_id",
    "priority": "is_overdue desc, risk desc, found_date desc, hazard_id",   # the ledger: overdue and risky first
    "overdue": "days_overdue desc nulls last, hazard_id",                 # the longest overdue first
    "open_first": "is_open desc, days_overdue desc nulls last, hazard_id",  # a unit's list: open, longest overdue first
    "open_risk": "is_open desc, risk desc, found_date desc, hazard_id",      # a school's list: open, riskiest first
    "risk": "risk desc, found_date desc, hazard_id",
    "attention": "risk desc, days_overdue desc nulls last, hazard_id",      # needs attention: riskiest first
}
# The text a hazard search looks in.
HAZARD_SEARCHED = ("hazard_id", "school_name", "school_code", "description", "measures", "dept_name", "town_name")


@dataclass(frozen=True)
class HazardPick:
    """Which hazards of hazards_as_of a list shows (every field empty = all): one hazard, one
    school, one responsible unit, statuses, levels, only open, only overdue, and a search (case-
    insensitive, literal) over the id, school, description, measures, unit and town names;
    `attention`: only those that need attention (open and overdue or 重大: needs_attention());
    `extended`, `reworked`, `closed_unverified`: only those with that closed-loop mark (SPEC §2.2)."""

    hazard_id: str | None = None
    school_code: str | None = None
    dept_code: str | None = None
    statuses: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    open_only: bool = False
    overdue_only: bool = False
    search: str = ""
    attention: bool = False
    extended: bool = False           # its deadline was extended (延期) at least once
    reworked: bool = False           # it failed a verification at least once (返工)
    closed_unverified: bool = False  # 销号 without a passing verification (未经验收销号)

    def __post_init__(self) -> None:
        for name in ("statuses", "levels"):
            object.__setattr__(self, name, _codes(getattr(self, name)))
        object.__setattr__(self, "search", (self.search or "").strip())


# HazardPick's yes/no choices and the condition each adds (SPEC §2.2's closed loop among them).
PICK_FLAGS = (("open_only", "is_open"), ("overdue_only", "is_overdue"),
              ("attention", "needs_attention(is_open, is_overdue, level)"), ("extended", "extensions > 0"),
              ("reworked", "rework > 0"), ("closed_unverified", "closed_unverified"))


def _hazard_where(found_in_period: bool, pick: HazardPick | None) -> tuple[str, dict[str, Any]]:
    """The where clause (fixed text, bound values) of a hazard list."""
    clauses, params = [], {}
    if found_in_period:
        clauses.append("found_date between period_start($a, $s) and period_end($a, $e)")
    if pick is not None:
        for column in ("hazard_id", "school_code"):
            if getattr(pick, column) is not None:
                clauses.append(f"{column} = ${column}")
                params[column] = getattr(pick, column)
        if pick.dept_code is not None:
            clauses.append("responsible_dept_code = $dept_code")
            params["dept_code"] = pick.dept_code
        if pick.statuses:
            clauses.append("list_contains($statuses, status)")
            params["statuses"] = list(pick.statuses)
        if pick.levels:
            clauses.append("list_contains($levels, level)")
            params["levels"] = list(pick.levels)
        clauses.extend(clause for flag, clause in PICK_FLAGS if getattr(pick, flag))
        if pick.search:
            clauses.append("(" + " or ".join(f"contains(lower(coalesce({c}, '')), $search)" for c in HAZARD_SEARCHED) + ")")
            params["search"] = pick.search.lower()
    return ("where " + " and ".join(clauses)) if clauses else "", params


@dataclass
class Metrics:
    """Named queries over the metric macros. `cursor` returns a fresh DuckDB cursor whose
    default database is the warehouse (e.g. a cached Reader's `cursor`; for an open connection
    use Metrics.from_connection); it is closed after each query. `rules` defaults to
    load_rules() (XIAOAN_RULES or the packaged rules.toml)."""

    cursor: Callable[[], duckdb.DuckDBPyConnection]
    rules: Rules = field(default_factory=load_rules)

    @classmethod
    def open(cls, warehouse: str | Path, rules: Rules | None = None) -> Metrics:
        """Metrics over a warehouse file, read-only, following new versions (a notebook's start)."""
        from xiaoan.warehouse import Reader

        return cls(Reader(Path(warehouse)).cursor, rules or load_rules())

    @classmethod
    def from_connection(cls, con: duckdb.DuckDBPyConnection, rules: Rules | None = None) -> Metrics:
        """Metrics over an open connection (e.g. open_read_only): each query gets its own cursor
        on the connection's current database."""
        database = con.sql("select current_database()").fetchall()[0][0]
        quoted = '"' + database.replace('"', '""') + '"'

        def cursor() -> duckdb.DuckDBPyConnection:
            cur = con.cursor()
            cur.execute(f"use {quoted}")
            return cur

        return cls(cursor, rules or load_rules())

    # ------------------------------------------------------------ running

    def sql(self, query: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
        """Run one bound query on a fresh cursor and return a polars frame."""
        cur = self.cursor()
        try:
            return cur.sql(query, params=params or None).pl()
        finally:
            cur.close()

    def table(self, macro: str, f: Filters, scope: Scope = DISTRICT, where: str = "",
              params: dict[str, Any] | None = None, columns: str = "*") -> pl.DataFrame:
        """`select <columns> from <macro>(A, S, E, filters…, rules) <where>`: macro, columns and
        where are fixed text of this module; every value is bound ($a, $s, $e and `params`)."""
        return self.sql(*self.query(macro, f, scope, where, params, columns))

    def query(self, macro: str, f: Filters, scope: Scope = DISTRICT, where: str = "",
              params: dict[str, Any] | None = None, columns: str = "*",
              own_rows: str | None = None) -> tuple[str, dict[str, Any]]:
        """The query `table` runs (fixed text) and its bound values. `own_rows` ("town" / "dept"):
        the rows are that tier's own record whatever the macro (OWN_ROWS otherwise)."""
        query = f"select {columns} from {macro}($a, s := $s, e := $e, {FILTER_ARGS}) {where}"
        params = {"a": f.as_of, "s": f.start, "e": f.end, **self._filter_params(f, scope, macro, own_rows),
                  **(params or {})}
        return self._unnamed(query, params, resolve(scope), (macro, columns)), params

    def _unnamed(self, query: str, params: dict[str, Any], cut: Slice, key: tuple[str, str]) -> str:
        """The query with the people's names `cut` may not read (xiaoan.scope.PEOPLE_COLUMNS: 责任人,
        验收人, 检查人员, …) null in SQL, whatever macro holds them (docs/security.md, People's
        names); the district's queries unchanged. A result's columns are read once per macro."""
        if not cut.hidden_columns:
            return query
        if key not in _RESULT_COLUMNS:
            _RESULT_COLUMNS[key] = tuple(self.sql("describe " + query, params)["column_name"])
        return without_names(query, _RESULT_COLUMNS[key], cut)

    def _filter_params(self, f: Filters, scope: Scope, macro: str = "", own_rows: str | None = None) -> dict[str, Any]:
        """The values of FILTER_ARGS for these filters, this scope (applied to `macro`'s rows) and the rules."""
        cut = resolve(scope, f.towns, own_rows or OWN_ROWS.get(macro))
        return {"towns": list(cut.towns), "types": list(f.school_types), "categories": list(f.categories),
                "depts": list(cut.depts), "rules": self.rules.as_sql()}

    # ------------------------------------------------------------ overview

    def headline(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """One row: open hazards, 重大 open, overdue open, open risk, hazards found in the period,
        rectification / closure / on-time rate, inspection coverage, meeting compliance,
        whether the district plenary was held (macro headline)."""
        return self.table("headline", f, scope)

    def headline_change(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """One row per headline figure: value, previous (end of the previous month), change.

        Under no filter the previous month's figures are read from `precomputed_headline`
        (written at publish by pipelines/publish/precompute.py with the headline macro) when its
        fingerprint matches these rules and macros; else both sides are computed."""
        if self._stored_headline_applies(f, scope) and self._stored_headline_exists(f.as_of):
            query, params = self.query(  # (the fingerprint bound here too: a scope without names describes it)
                "headline", f, scope, columns="headline_pairs(n, b)",
                where=f"n, {PRECOMPUTED_HEADLINE} b where b.as_of = previous_month_end($a) and b.fingerprint = $fingerprint",
                params={"fingerprint": score_fingerprint(self.rules)})
            frame = self.sql(f"select * from headline_rows(({query}), $a)", params)
            if not frame.is_empty():
                return frame
        return self.table("headline_change", f, scope)

    def _stored_headline_exists(self, as_of: dt.date) -> bool:
        """Whether precomputed_headline holds the end of the month before `as_of` for these rules."""
        return precomputed.headline_exists(self.sql, as_of, self.rules)

    @staticmethod
    def _stored_headline_applies(f: Filters, scope: Scope) -> bool:
        """Whether the previous side of headline_change may be the stored month end (no filter,
        the stored period): xiaoan.precomputed.headline_applies."""
        unfiltered = scope.kind == "district" and not (f.towns or f.school_types or f.categories)
        return precomputed.headline_applies(f.as_of, f.start, f.end, unfiltered)

    # ------------------------------------------------------------ hazards

    def hazards(self, f: Filters, scope: Scope = DISTRICT, found_in_period: bool = False, *,
                pick: HazardPick | None = None, order: str = "hazard_id", limit: int | None = None) -> pl.DataFrame:
        """The state of every hazard as of A (hazards_as_of), optionally only those found in [S, E]
        and those `pick` selects, sorted by one of HAZARD_ORDERS, at most `limit` rows. The
        selection, sort and limit run in the warehouse: a page showing 1,000 of a province's
        340,000 hazards never pulls the rest."""
        where, params = _hazard_where(found_in_period, pick)
        if order not in HAZARD_ORDERS:
            raise ValueError(f"order must be one of {', '.join(HAZARD_ORDERS)}, got {order!r}")
        tail = f"{where} order by {HAZARD_ORDERS[order]}"
        if limit is not None:
            tail += " limit $limit"
            params["limit"] = max(int(limit), 0)
        return self.table("hazards_as_of", f, scope, tail, params)

    def hazard_count(self, f: Filters, scope: Scope = DISTRICT, found_in_period: bool = False, *,
                     pick: HazardPick | None = None) -> int:
        """How many hazards `hazards` returns for the same arguments (without a limit)."""
        where, params = _hazard_where(found_in_period, pick)
        # hazard_states is the lean core; the searched names live in hazards_as_of only.
        macro = "hazards_as_of" if pick is not None and pick.search else "hazard_states"
        frame = self.table(macro, f, scope, where, params, columns="count(*) as n")
        return int(frame["n"][0])

    def needs_attention(self, f: Filters, scope: Scope = DISTRICT, limit: int | None = None) -> pl.DataFrame:
        """The hazards that need attention as of A (open, and overdue or 重大), riskiest first: the
        overview's list and the briefing's (report.html), at most `limit` rows."""
        return self.hazards(f, scope, pick=HazardPick(attention=True), order="attention", limit=limit)

    def hazard_history(self, hazard_id: str, as_of: dt.date | None = None, scope: Scope = DISTRICT) -> pl.DataFrame:
        """Every report of one hazard, oldest first (up to `as_of` when given), if the viewer may
        see it: a town the reports at its schools, a department those assigned to it."""
        cut = resolve(scope)
        query = ("select * from hazard_history($id) where ($a is null or report_date <= $a) "
                 "and in_list($towns, town_code) and in_list($depts, responsible_dept_code)")
        params = {"id": hazard_id, "a": as_of, "towns": list(cut.towns), "depts": list(cut.depts)}
        return self.sql(self._unnamed(query, params, cut, ("hazard_history", "*")), params)

    def overdue_buckets(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("overdue_buckets", f, scope)

    def overdue_by_dept(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """Overdue open hazards as of A per responsible unit and overdue bucket (1–3), in one pass:
        for each unit, the figures overdue_buckets gives for that unit's scope."""
        return self.table("overdue_by_dept", f, scope)

    def repeat_hazards(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """反复出现的隐患 (macro repeat_hazards): hazards found in [S, E] at a school that had rectified one
        of the same category within the rules' window, with the earlier hazard; its id only where
        the viewer may see that hazard (a department: when it was its own too; a town sees every
        hazard at its schools)."""
        return self.table("repeat_hazards", f, scope)

    def repeat_hazard_list(self, f: Filters, scope: Scope = DISTRICT, *,
                           school_code: str | None = None) -> pl.DataFrame:
        """repeat_hazards' rows for a viewer (of one school when given), the latest found first."""
        where, params = _school_where(school_code)
        return self.table("repeat_hazards", f, scope, where + " order by found_date desc, hazard_id", params)

    def repeat_hazard_counts(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """反复出现的隐患 per town × category (those with any; macro repeat_hazard_counts): `hazards` how
        many were found in [S, E] (repeat_hazards' rows), `open` how many of them are open as of A."""
        return self.table("repeat_hazard_counts", f, scope)

    # ------------------------------------------------------------ departments and towns

    def dept_closure(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """Per responsible department: totals, 整改率, 销号率, on-time rate, overdue open, median days."""
        return self.table("dept_closure", f, scope)

    def unit_closure(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """责任单位整改 (SPEC §2.2): dept_closure's figures for every responsible unit of every kind
        (member unit, town, village, school), one row per unit (macro unit_closure). A town viewer
        sees the units of its town (the town, its villages, its schools), a department its own row:
        a member unit's row is that unit's own record, any other unit's row its town's."""
        where = ("where case when responsible_kind = $department then in_list($own_depts, responsible_code) "
                 "else in_list($own_towns, town_code) end")
        params = {"department": RESPONSIBLE_KINDS[0], "own_depts": list(resolve(scope, f.towns, "dept").depts),
                  "own_towns": list(resolve(scope, f.towns, "town").towns)}
        order = " order by list_position($kinds, responsible_kind), responsible_code"
        return self.table("unit_closure", f, scope, where + order, {**params, "kinds": list(RESPONSIBLE_KINDS)})

    def supervision(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """督办 (SPEC §2.2): one row per open hazard due for 挂牌督办 (`due`: due and not in force,
        应挂未挂) or 挂牌 in force (`in_force`), with its notice number, days open and overdue —
        in force first, then the longest overdue (macro supervision_list). Scoped like hazards."""
        return self.table("supervision_list", f, scope,
                          "order by in_force desc, days_overdue desc nulls last, days_open desc nulls last, hazard_id")

    def unit_indicators(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """Every indicator of every evaluated unit (SPEC §3 v2), one row per tier × unit × indicator:
        value, score (null when 不适用), weight after rescaling, status 有数据 / 不适用 / 未报送, the
        rules' base weight and the points it adds (macro unit_indicators). Each tier is its own
        record: a town viewer gets its town's rows only, a department its own unit's rows — the
        rows of town_scores / dept_scores for the same scope."""
        frames = [self.sql(*self.query("unit_indicators", f, scope, "where tier = $tier", {"tier": tier},
                                       own_rows=tier))
                  for tier in TIERS]
        return pl.concat(frames, how="vertical_relaxed").sort("tier", "unit_code", "position",
                                                              descending=[True, False, False])

    def town_risk(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """The risk heatmap: one row per town × category with open hazards."""
        return self.table("town_risk", f, scope)

    def town_risk_per_school(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("town_risk_per_school", f, scope)

    def inspection_coverage(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("inspection_coverage", f, scope)

    def school_summary(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("school_summary", f, scope)

    def uninspected_schools(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("uninspected_schools", f, scope)

    def inspections(self, f: Filters, scope: Scope = DISTRICT, *, school_code: str | None = None,
                    limit: int | None = None) -> pl.DataFrame:
        """The inspections held in [S, E] (inspections_in_period), oldest first; of one school when
        `school_code` is given; with `limit`, the latest `limit` of them, latest first."""
        where, params = _school_where(school_code)
        if limit is not None:
            where += " order by inspection_date desc, school_code, inspection_id limit $limit"
            params["limit"] = max(int(limit), 0)
        return self.table("inspections_in_period", f, scope, where, params)

    def inspection_count(self, f: Filters, scope: Scope = DISTRICT, *, school_code: str | None = None) -> int:
        """How many inspections `inspections` returns for the same arguments (without a limit)."""
        where, params = _school_where(school_code)
        return int(self.table("inspections_in_period", f, scope, where, params, columns="count(*) as n")["n"][0])

    def inspection_months(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """Inspections held in [S, E] per inspecting unit and calendar month (YYYY-MM)."""
        return self.table("inspection_months", f, scope)

    def legal_education_coverage(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """法治教育 coverage: one row per town × semester touched by the period."""
        return self.table("legal_education_coverage", f, scope)

    def legal_education_semesters(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """法治教育 coverage of every school in view per semester touched by the period: the towns'
        rows of legal_education_coverage summed (schools, visited_schools) and their rate, the
        latest semester first (macro legal_education_by_semester)."""
        return self.table("legal_education_by_semester", f, scope)

    def school_legal_education(self, f: Filters, scope: Scope = DISTRICT, *, school_code: str | None = None,
                               semester_start: dt.date | None = None, uncovered_only: bool = False) -> pl.DataFrame:
        """法治教育 by school and semester: one row per school the viewer sees (of one school, of one
        semester when given) × school semester touched by [S, E] — the school_legal_education
        macro, on which legal_education_coverage builds (a visit is an inspection of type 法治教育
        dated in the semester, on or before A; a department counts its own visits): the visits
        (legal_education_visits), the units that made them (inspector_name, joined by 、) and the
        latest (last_inspection_date). A school with no visit has 0 and nulls: not covered (the
        only rows with `uncovered_only`)."""
        clauses, extra = [], {}
        if school_code is not None:
            clauses.append("school_code = $school_code")
            extra["school_code"] = school_code
        if semester_start is not None:
            clauses.append("semester_start = $semester_start")
            extra["semester_start"] = semester_start
        if uncovered_only:
            clauses.append("legal_education_visits = 0")
        where = "where " + " and ".join(clauses) if clauses else ""
        return self.table("school_legal_education", f, scope, f"{where} order by semester_start desc, town_code, "
                          "school_code", extra)

    def school_profile(self, school_code: str, f: Filters) -> SchoolProfile:
        """One school's summary, its hazards as of A and its inspections in [S, E]."""
        one = replace(f, towns=(), school_types=())
        where, params = "where school_code = $school", {"school": school_code}
        return SchoolProfile(
            summary=self.table("school_summary", one, where=where, params=params),
            hazards=self.table("hazards_as_of", one, where=where, params=params),
            inspections=self.table("inspections_in_period", one, where=where, params=params),
        )

    # ------------------------------------------------------------ meetings

    def meeting_months(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """The grid town × month: 例会 held that month and whether at least one."""
        return self.table("town_meeting_months", f, scope)

    def meeting_compliance(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("meeting_compliance", f, scope)

    def district_plenary(self, f: Filters) -> pl.DataFrame:
        return self.table("district_plenary", f)

    def dept_meeting_attendance(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("dept_meeting_attendance", f, scope)

    # ------------------------------------------------------------ scores

    def town_scores(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """考核得分 of the towns: indicator values, scores, weights, has_data, score, rank."""
        return self.table("town_scores", f, scope)

    def town_score_breakdown(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("town_score_breakdown", f, scope)

    def dept_scores(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        """考核得分 of the member units: indicator values, scores, weights, has_data, score, rank."""
        return self.table("dept_scores", f, scope)

    def dept_score_breakdown(self, f: Filters, scope: Scope = DISTRICT) -> pl.DataFrame:
        return self.table("dept_score_breakdown", f, scope)

    def score_trend(self, f: Filters, scope: Scope = DISTRICT, tier: str = "town",
                    quarters: int | None = None) -> pl.DataFrame:
        """Scores by calendar quarter: for each quarter, the score as of its last day (or A if
        sooner) over the hazards found in that quarter. Quarters: those touched by [S, E], or
        the last `quarters` up to A's. One row per quarter and unit.

        A completed quarter's scores under no school-type, category or cross-tier filter are
        read from `precomputed_scores` (written at publish by pipelines/publish/precompute.py with the
        same macros) when its fingerprint matches these rules and macros; the rest are computed
        here, a query a quarter (scores_by_quarter)."""
        code, name = TIERS[tier].code, TIERS[tier].name
        bounds = periods.quarters_as_of(f.as_of, f.start, f.end, quarters)
        labels = {q_start: periods.quarter_label(q_start) for q_start, _ in bounds}
        frames = []
        stored = self._stored_scores(f, scope, tier, bounds)
        if stored is not None and not stored.is_empty():
            frames.append(stored)
            have = set(stored.select("quarter_start", "as_of").unique().iter_rows())
            bounds = [b for b in bounds if b not in have]
        if bounds:
            frames.append(self.scores_by_quarter(f, scope, tier, bounds))
        if not frames:
            return pl.DataFrame(schema={"quarter": pl.String, "quarter_start": pl.Date, "as_of": pl.Date,
                                        code: pl.String, name: pl.String, "score": pl.Float64, "rank": pl.Int32})
        trend = pl.concat(frames).rename({"unit_code": code, "unit_name": name})
        label = pl.col("quarter_start").replace_strict(labels, return_dtype=pl.String)
        return (trend.with_columns(quarter=label)
                .select("quarter", "quarter_start", "as_of", code, name, "score", pl.col("rank").cast(pl.Int32))
                .sort("quarter_start", "rank", code, nulls_last=True))

    def scores_by_quarter(self, f: Filters, scope: Scope, tier: str,
                          bounds: list[tuple[dt.date, dt.date]]) -> pl.DataFrame:
        """The tier's scores for each (quarter start, as-of) in `bounds`, over the hazards found
        from the quarter's start to its as-of date. Columns quarter_start, as_of, unit_code,
        unit_name, score, rank. (One query a quarter: a lateral join over the quarters plans
        once but runs slower, measured.)"""
        frames = [self.sql(*self.quarter_scores_query(f, scope, tier, q_start, as_of)) for q_start, as_of in bounds]
        return pl.concat(frames) if frames else pl.DataFrame(schema={
            "quarter_start": pl.Date, "as_of": pl.Date, "unit_code": pl.String, "unit_name": pl.String,
            "score": pl.Float64, "rank": pl.Int32})

    def lateral_query(self, macro: str, f: Filters, scope: Scope, as_of: list[dt.date],
                      starts: list[dt.date] | None = None,
                      columns: str = "q.as_of, q.period_start, t.*") -> tuple[str, dict[str, Any]]:
        """One query calling `macro` for each as-of date (with its period start, if given; else
        the macro's default period): a lateral join, planned once. `columns` picks from q (as_of,
        period_start) and t (the macro's columns). For writing many periods at once
        (pipelines/publish/precompute.py): far faster than a query a period on small warehouses, and
        as fast on a province's."""
        starts = starts if starts is not None else [None] * len(as_of)
        query = (f"select {columns} "
                 "from (select unnest($as_of::date[]) as as_of, unnest($starts::date[]) as period_start) q, "
                 f"lateral {macro}(q.as_of, s := q.period_start, e := null, {FILTER_ARGS}) t")
        return query, {"as_of": list(as_of), "starts": list(starts), **self._filter_params(f, scope, macro)}

    def quarter_scores_query(self, f: Filters, scope: Scope, tier: str, q_start: dt.date,
                             as_of: dt.date) -> tuple[str, dict[str, Any]]:
        """The query of one quarter's scores (fixed text) and its bound values."""
        macro, code, name = TIERS[tier].scores, TIERS[tier].code, TIERS[tier].name
        columns = (f"$q_start::date as quarter_start, $a::date as as_of, {code} as unit_code, {name} as unit_name, "
                   "score, rank")
        return self.query(macro, replace(f, as_of=as_of, start=q_start, end=None), scope,
                          params={"q_start": q_start}, columns=columns)

    def _stored_scores(self, f: Filters, scope: Scope, tier: str,
                       bounds: list[tuple[dt.date, dt.date]]) -> pl.DataFrame | None:
        """The precomputed scores of those quarters, when the filters allow them (None if not)."""
        cut = resolve(scope, f.towns, OWN_ROWS[TIERS[tier].scores])
        own, other = (cut.towns, cut.depts) if tier == "town" else (cut.depts, cut.towns)
        if f.school_types or f.categories or other or not bounds:
            return None
        return precomputed.scores(self.sql, tier, self.rules, bounds, own)

    # ------------------------------------------------------------ load quality

    def rejected_rows(self) -> pl.DataFrame:
        """The rows and files ingestion rejected, with reasons (the rejected_rows mart)."""
        return self.sql("select * from rejected_rows order by ingest_id, file, sheet, \"row\" nulls first")


def _school_where(school_code: str | None) -> tuple[str, dict[str, Any]]:
    if school_code is None:
        return "", {}
    return "where school_code = $school_code", {"school_code": school_code}
