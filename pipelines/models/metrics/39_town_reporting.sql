-- town_month_reports(FIRST, LAST): one row per town and calendar month from FIRST's month to
-- LAST's in which the town reported (信息报送, SPEC §3 v2): hazard_reports = the reports (隐患台账
-- rows) of the town's schools dated in the month, up to LAST; zero_report = a 零报告 for the
-- month (an empty hazard ledger, or 无隐患 / 本月无新增) sent by the town, by one of its villages
-- or by one of its schools (a department's zero report names no town and does not count). The
-- one reading of "the town reported that month", for the reporting indicator and the quality
-- page's towns without a ledger this month.
create or replace macro town_month_reports(first, last) as table
with reports as (
    select town_code, date_trunc('month', report_date)::date as month, count(*) as hazard_reports
    from hazard_reports
    where report_date between date_trunc('month', first::date) and last::date
    group by all
),
zero_senders as (
    select z.report_month as month,
           case z.sender_kind when 'town' then z.sender_code
                              when 'village' then v.town_code
                              when 'school' then sc.town_code end as town_code
    from zero_reports z
    left join villages v on z.sender_kind = 'village' and v.village_code = z.sender_code
    left join schools sc on z.sender_kind = 'school' and sc.school_code = z.sender_code
    where z.kind = 'hazards' and z.report_month between date_trunc('month', first::date) and last::date
),
zero as (
    select distinct town_code, month from zero_senders where town_code is not null
)
select town_code, month, coalesce(r.hazard_reports, 0)::integer as hazard_reports, z.town_code is not null as zero_report
from reports r full join zero z using (town_code, month);

-- town_reporting_months(A, S, E): the 信息报送 (reporting) grid, one row per town and due month
-- (SPEC §3 v2): the calendar months lying wholly inside [S, E] and ending before A's month, with
-- town_month_reports' hazard_reports and zero_report; reported = either. Reporting is the
-- town's own act, like its 例会: the school type, category and department filters do not apply.
create or replace macro town_reporting_months(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with due as (
    select month
    from period_months(a, s, e)
    where month >= period_start(a, s)
      and last_day(month) <= period_end(a, e)
      and month < date_trunc('month', a::date)
),
reported as (
    select * from town_month_reports((select min(month) from due), (select last_day(max(month)) from due))
),
final as (
    select t.town_code, t.town_name, d.month,
           coalesce(r.hazard_reports, 0)::integer as hazard_reports,
           coalesce(r.zero_report, false) as zero_report,
           r.town_code is not null as reported
    from towns t
    cross join due d
    left join reported r on r.town_code = t.town_code and r.month = d.month
    where in_list(towns, t.town_code)
)
select * from final order by town_code, month;

-- town_reporting(A, S, E): one row per town: months_due, months_reported and reporting =
-- months_reported / months_due (信息报送率, SPEC §3 v2), from town_reporting_months; reporting is
-- null when no month is due (the period lies within A's month): then nobody can be measured.
create or replace macro town_reporting(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with grid as (
    select * from town_reporting_months(a, s := s, e := e, towns := towns)
),
per_town as (
    select town_code, count(*) as months_due, count(*) filter (where reported) as months_reported
    from grid
    group by town_code
),
final as (
    select t.town_code, t.town_name,
           coalesce(p.months_due, 0)::integer as months_due,
           coalesce(p.months_reported, 0)::integer as months_reported,
           rate(p.months_reported, p.months_due) as reporting
    from towns t
    left join per_town p using (town_code)
    where in_list(towns, t.town_code)
)
select * from final order by town_code
