-- town_indicator_values(A, S, E): what the evaluation (考核) of the towns measures, one row per
-- town and indicator: value, has_data (false: the town has no data for it — SPEC §3 v2 "no data
-- means") and measurable (false: nobody can be measured in this period, 不适用 for all), plus
-- the town's schools, hazards and overdue_open; over the hazards found in [S, E] (state as of
-- A). score_units() scores these rows (SPEC §3):
--   rectification_rate      rectified / hazards found
--   on_time_rate            rectified by the effective deadline (SPEC §2.2) / rectified
--   inspection_coverage     inspection_coverage()
--   meeting_compliance      meeting_compliance()
--   overdue_open_per_school overdue open / schools (has_data: hazards found and schools)
--   reporting               town_reporting() (measurable and has_data: a month is due)
-- Every town, whatever `towns` says: a town is ranked among all towns (town_scores filters after).
create or replace macro town_indicator_values(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with found as (
    select town_code,
           count(*) as hazards,
           count(*) filter (where is_rectified) as rectified,
           count(*) filter (where on_time(is_rectified, rectified_date, effective_deadline)) as rectified_on_time,
           count(*) filter (where is_overdue) as overdue_open
    from hazard_states(a, school_types := school_types, categories := categories, depts := depts, rules := rules)
    where found_date between period_start(a, s) and period_end(a, e)
    group by town_code
),
coverage as (
    select town_code, schools, inspection_coverage
    from inspection_coverage(a, s := s, e := e, school_types := school_types, categories := categories, depts := depts)
),
compliance as (
    select town_code, meeting_compliance from meeting_compliance(a, s := s, e := e)
),
reporting as (
    select town_code, months_due, reporting from town_reporting(a, s := s, e := e)
),
measured as (
    select t.town_code, t.town_name,
           coalesce(c.schools, 0)::integer as schools,
           coalesce(f.hazards, 0)::integer as hazards,
           coalesce(f.overdue_open, 0)::integer as overdue_open,
           rate(f.rectified, f.hazards) as rectification_rate,
           rate(f.rectified_on_time, f.rectified) as on_time_rate,
           c.inspection_coverage,
           m.meeting_compliance,
           case when c.schools > 0 then coalesce(f.overdue_open, 0) / c.schools end as overdue_open_per_school,
           coalesce(f.hazards, 0) > 0 and coalesce(c.schools, 0) > 0 as overdue_has_data,
           r.reporting,
           coalesce(r.months_due, 0) > 0 as reporting_due
    from towns t
    left join found f using (town_code)
    left join coverage c using (town_code)
    left join compliance m using (town_code)
    left join reporting r using (town_code)
)
select town_code as unit_code, town_name as unit_name, schools, hazards, overdue_open,
       unnest([
           {'indicator': 'rectification_rate', 'value': rectification_rate::double,
            'has_data': rectification_rate is not null, 'measurable': true},
           {'indicator': 'on_time_rate', 'value': on_time_rate::double, 'has_data': on_time_rate is not null,
            'measurable': true},
           {'indicator': 'inspection_coverage', 'value': inspection_coverage::double,
            'has_data': inspection_coverage is not null, 'measurable': true},
           {'indicator': 'meeting_compliance', 'value': meeting_compliance::double,
            'has_data': meeting_compliance is not null, 'measurable': true},
           {'indicator': 'overdue_open_per_school', 'value': overdue_open_per_school::double,
            'has_data': overdue_has_data, 'measurable': true},
           {'indicator': 'reporting', 'value': reporting::double, 'has_data': reporting_due,
            'measurable': reporting_due}
       ], recursive := true)
from measured
