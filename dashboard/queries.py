"""Named listing queries over the marts (清单查询): every value reaches SQL as a bound parameter.

Numbers of record (rates, risk, scores, coverage) come from xiaoan.metrics, never from here:
these queries list rows — towns, schools, meetings, rejected rows — and group them for
display. Each takes the viewer's scope and binds its slice (xiaoan.scope.resolve: the towns
and member units it sees, what personal data it reads) in SQL, so a page cannot show a row
outside it; no query asks which kind of viewer is looking. Results are cached per published
version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import polars as pl
import streamlit as st

from dashboard import context, measures
from xiaoan.scope import resolve

_PARAM = re.compile(r"\$([a-z_]+)")


@st.cache_data(show_spinner=False, max_entries=1024, ttl=6 * 3600)
def _fetch(version: tuple, sql: str, params: tuple) -> pl.DataFrame:
    cur = context.reader().cursor()
    try:
        return cur.sql(sql, params={k: list(v) if isinstance(v, tuple) else v for k, v in params}).pl()
    finally:
        cur.close()


def run(sql: str, scope=None, own_rows: str | None = None, **values: object) -> pl.DataFrame:
    """Run a query of this module on the current version, binding only the parameters it names;
    the scope's slice as $scope_towns, $scope_depts, $sees_personal, $sees_principals, $sees_loads
    (`own_rows`: the rows are each a town's or a unit's own record, see xiaoan.scope.resolve)."""
    if scope is not None:
        cut = resolve(scope, own_rows=own_rows)
        values = {"scope_towns": cut.towns, "scope_depts": cut.depts, "sees_personal": cut.sees_personal,
                  "sees_principals": cut.sees_principals, "sees_loads": cut.sees_loads, **values}
    names = set(_PARAM.findall(sql))
    params = tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in values.items() if k in names))
    missing = names - {k for k, _ in params}
    if missing:
        raise TypeError(f"query needs parameters {sorted(missing)}")
    return _fetch(context.version(), sql, params)


# ---------------------------------------------------------------- registry (登记册)

DISTRICT = "select district_name, principal from district"

# Town and village principals-in-chief (总校长) are named to the district and to their own town
# (whose rows alone a town viewer gets); a department sees the towns and villages, unnamed.
TOWNS = """
select town_code, town_name, case when $sees_principals then principal end as principal from towns
where in_list($scope_towns, town_code)
order by town_code"""

VILLAGES = """
select v.village_code, v.village_name, v.town_code, t.town_name,
       case when $sees_principals then v.principal end as principal
from villages v left join towns t using (town_code)
where in_list($scope_towns, v.town_code)
order by v.town_code, v.village_code"""

# Names and phones of members and liaisons are personal data: district viewers only (like every
# person's name but the principals': xiaoan.scope.PERSONAL_COLUMNS).
DEPARTMENTS = """
select dept_code, dept_name,
       case when $sees_personal then member end as member,
       case when $sees_personal then liaison end as liaison,
       case when $sees_personal then phone end as phone
from departments
order by dept_code"""

SCHOOLS = """
select s.school_code, s.school_name, s.school_type, s.ownership, s.town_code, t.town_name,
       s.village_code, v.village_name, s.students, s.lat, s.lon
from schools s left join towns t using (town_code) left join villages v using (village_code)
where in_list($scope_towns, s.town_code)
  and (len($towns) = 0 or list_contains($towns, s.town_code))
  and (len($school_types) = 0 or list_contains($school_types, s.school_type))
order by s.town_code, s.school_code"""


def district() -> dict:
    """The district's name and principal-in-chief (an empty dict before the registry loads)."""
    rows = run(DISTRICT).to_dicts()
    return rows[0] if rows else {}


def towns(scope) -> pl.DataFrame:
    return run(TOWNS, scope)


def villages(scope) -> pl.DataFrame:
    return run(VILLAGES, scope)


def departments(scope) -> pl.DataFrame:
    return run(DEPARTMENTS, scope)


def schools(scope, towns: Sequence[str] = (), school_types: Sequence[str] = ()) -> pl.DataFrame:
    return run(SCHOOLS, scope, towns=towns, school_types=school_types)


def school(scope, school_code: str) -> dict | None:
    """One school of the registry, if the viewer may see it."""
    rows = schools(scope).filter(pl.col("school_code") == school_code).to_dicts()
    return rows[0] if rows else None


# ---------------------------------------------------------------- hazards (隐患)

# What the hazard page shows of each report (the hazard_history macro gives more).
HISTORY_COLUMNS = ("report_date", "report_seq", "status", "level", "category", "school_code", "description",
                   "measures", "deadline", "rectified_date", "closed_date", "responsible_kind", "responsible_code",
                   "responsible_name", "responsible_person", "extended_deadline", "supervision", "notice_no",
                   "verifier", "verified_date", "verification", "source_file", "sheet", "row", "derived")


def hazard_history(scope, hazard_id: str) -> pl.DataFrame:
    """Every report of one hazard the viewer may see, oldest first (its timeline): the metrics
    API's hazard_history, the page's columns (`derived`: the fields of each report that were
    derived, not typed — SPEC §2.1)."""
    return measures.call("hazard_history", hazard_id, scope=scope).select(HISTORY_COLUMNS)


# ---------------------------------------------------------------- inspections and meetings

# A meeting's 主持人 is a person's name: district viewers only (xiaoan.scope.PERSONAL_COLUMNS).
MEETINGS = """
select m.meeting_date, m.title, m.meeting_type, m.level as meeting_level, m.town_code, t.town_name,
       case when $sees_personal then m.chair end as chair,
       m.attendees, m.attendee_count, m.topics, m.decisions
from meetings m left join towns t using (town_code)
where m.meeting_date between $start and $end
  and (len($towns) = 0 or m.level = '区' or list_contains($towns, m.town_code))
  and (len($scope_towns) = 0 or list_contains($scope_towns, m.town_code))
  and (len($scope_depts) = 0
       or m.meeting_id in (select meeting_id from meeting_attendance where list_contains($scope_depts, unit_code)))
order by m.meeting_date desc"""

def meetings(scope, start: dt.date, end: dt.date, towns: Sequence[str] = ()) -> pl.DataFrame:
    return run(MEETINGS, scope, start=start, end=end, towns=towns)


# ---------------------------------------------------------------- loads and rejected rows (district only)

# The unit that sent a sheet: the one town (hazards, 例会) or department (inspections) its
# loaded rows name, else the one unit of its whole file; rows of several units came from the
# office ('several_units'); a sheet or file with no loaded row has no known unit (null).
_UNITS = """
loaded_units as (
    select ingest_id, sheet, unit_code from (
        select ingest_id, sheet, town_code as unit_code from hazard_reports
        union all select ingest_id, sheet, dept_code from inspections
        union all select ingest_id, sheet, coalesce(town_code, 'district') from meetings)
    group by all),
sheet_unit as (
    select ingest_id, sheet, case when count(*) = 1 then any_value(unit_code) else 'several_units' end as unit_code
    from loaded_units group by all),
file_unit as (
    select ingest_id, case when count(distinct unit_code) = 1 then any_value(unit_code) else 'several_units' end as unit_code
    from loaded_units group by all),
unit_names as (
    select town_code as unit_code, town_name as unit_name from towns
    union all select dept_code, dept_name from departments),
rejected as (
    select r.*, coalesce(un.unit_name, su.unit_code, un_file.unit_name, fu.unit_code) as unit_name
    from rejected_rows r
    left join sheet_unit su on su.ingest_id = r.ingest_id and su.sheet = r.sheet
    left join unit_names un on un.unit_code = su.unit_code
    left join file_unit fu on fu.ingest_id = r.ingest_id
    left join unit_names un_file on un_file.unit_code = fu.unit_code)"""

REJECTED_ROWS = "with" + _UNITS + """
select file, unit_name, sheet, "row", "column", reason, raw
from rejected
where $sees_loads
  and ($search = '' or contains(file, $search) or contains(reason, $search)
       or contains(coalesce(raw, ''), $search) or contains(coalesce(unit_name, ''), $search))
order by ingest_id, sheet, "row" """

REJECTED_BY_FILE = "with" + _UNITS + """
select file, unit_name, reason, count(*) as rows
from rejected
where $sees_loads
group by all order by file, rows desc, reason"""

REJECTED_BY_UNIT = "with" + _UNITS + """
select unit_name, count(*) as rows, count(distinct file) as files, mode(reason) as top_reason
from rejected
where $sees_loads
group by all order by rows desc, unit_name"""

# A sender (SPEC §2.1: the unit in the file's 填报单位 / 镇 line, its name, or the unit its rows
# are about) by its registry name, else as the file names it; the ingest log falls back on the
# unit its loaded rows name (_UNITS) for files logged before senders were.
_SENDERS = """
sender_names as (
    select 'town' as kind, town_code as code, town_name as name from towns
    union all select 'department', dept_code, dept_name from departments
    union all select 'village', village_code, village_name from villages
    union all select 'school', school_code, school_name from schools)"""

INGEST_LOG = "with" + _UNITS + "," + _SENDERS + """
select l.finished_at, l.file, l.kind, l.status as load_status,
       coalesce(sn.name, l.sender_name, n.unit_name, f.unit_code) as unit_name,
       l.rows_in, l.loaded, l.skipped, l.rejected, l.message, l.report_date
from ingest_log l left join file_unit f using (ingest_id) left join unit_names n using (unit_code)
left join sender_names sn on sn.kind = l.sender_kind and sn.code = l.sender_code
where $sees_loads
order by l.ingest_id desc"""

RECENT_LOADS = """
select batch_id, max(finished_at) as finished_at, sum(rejected) as rejected
from ingest_log
where $sees_loads
group by batch_id order by finished_at desc limit $n"""

WARNINGS = "with" + _SENDERS + """
select w.file, coalesce(sn.name, w.sender_name) as sender, w.sheet, w."row", w."column", w.message,
       w.value as cell_value
from warnings w left join sender_names sn on sn.kind = w.sender_kind and sn.code = w.sender_code
where $sees_loads
order by w.ingest_id desc, w.sheet, w."row" """

ZERO_REPORTS = "with" + _SENDERS + """
select z.report_month, coalesce(sn.name, z.sender_name) as sender, z.kind as record_kind, z.file, z.sheet
from zero_reports z left join sender_names sn on sn.kind = z.sender_kind and sn.code = z.sender_code
where $sees_loads
order by z.report_month desc, sender"""

# The last `xiaoan ingest` run (one batch): when it finished, and what it loaded — the
# district's counts, for district viewers only (others learn how fresh the data is).
LAST_LOAD = """
select max(finished_at) as finished_at,
       case when $sees_loads then count(*) end as files,
       case when $sees_loads then sum(loaded) end as loaded,
       case when $sees_loads then sum(rejected) end as rejected
from ingest_log
where batch_id = (select batch_id from ingest_log order by finished_at desc limit 1)"""

TOWNS_WITHOUT_LEDGER = """
select t.town_code, t.town_name, max(r.report_date) as last_report_date
from towns t left join hazard_reports r on r.town_code = t.town_code and r.report_date <= $as_of
where in_list($scope_towns, t.town_code)
  and t.town_code not in (select town_code from town_month_reports($as_of::date, $as_of::date))
group by all
order by t.town_code"""


def rejected_rows(scope, search: str = "") -> pl.DataFrame:
    """Every rejected row with its file, submitting unit and reason (district viewers only),
    those whose file, unit, reason or cells contain `search` when given."""
    return run(REJECTED_ROWS, scope, search=search.strip())


def rejected_by_file(scope) -> pl.DataFrame:
    """Rejected rows counted per file, submitting unit and reason."""
    return run(REJECTED_BY_FILE, scope)


def rejected_by_unit(scope) -> pl.DataFrame:
    """Rejected rows counted per submitting unit, with its most frequent reason."""
    return run(REJECTED_BY_UNIT, scope)


def ingest_log(scope) -> pl.DataFrame:
    return run(INGEST_LOG, scope)


def recent_loads(scope, n: int = 10) -> pl.DataFrame:
    """The last `n` loads (batches): when each finished and how many rows it rejected (district only)."""
    return run(RECENT_LOADS, scope, n=n)


def warnings(scope) -> pl.DataFrame:
    """What was loaded but deserves a look (SPEC §2.1), newest load first, with its sender."""
    return run(WARNINGS, scope)


def zero_reports(scope) -> pl.DataFrame:
    """The zero reports (零报告): who said, for which month, that they had nothing to report."""
    return run(ZERO_REPORTS, scope)


def last_load(scope) -> dict:
    """When the last load finished, with the files, rows loaded and rejected in it (these three
    null outside the district view)."""
    rows = run(LAST_LOAD, scope).to_dicts()
    return rows[0] if rows and rows[0]["finished_at"] else {}


def towns_without_ledger(scope, as_of: dt.date) -> pl.DataFrame:
    """Towns that have not reported in the calendar month of `as_of` (up to as_of): no hazard
    report of their schools dated in it and no 零报告 for it (town_month_reports, the reading the
    信息报送 indicator uses)."""
    return run(TOWNS_WITHOUT_LEDGER, scope, own_rows="town", as_of=as_of)


DATA_YEARS = """
select distinct y from (
    select year(found_date) as y from hazards union all select year(report_date) from hazards
    union all select year(inspection_date) from inspections union all select year(meeting_date) from meetings)
where y is not null order by y"""



def data_years() -> list[int]:
    """The years the data covers (for the period selector)."""
    return run(DATA_YEARS)["y"].to_list()
