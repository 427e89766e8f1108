-- dept_indicator_values(A, S, E): what the evaluation (考核) of the member units measures, one
-- row per department and indicator: value, has_data (false: the unit has no data for it — SPEC
-- §3 v2 "no data means") and measurable (false: nobody can be measured in this period, 不适用
-- for all), plus the department's hazards and overdue_open; over the hazards it is responsible
-- for found in [S, E] (state as of A). score_units() scores these rows (SPEC §3):
--   rectification_rate        dept_closure()
--   on_time_rate              dept_closure()
--   overdue_open              dept_closure() (has_data: hazards found)
--   meeting_attendance        dept_meeting_attendance() (has_data: invited to a meeting)
--   median_days_to_rectify    dept_closure()
--   duty_inspection_coverage  dept_duty_inspections() (has_data: ≥ 1 inspection that counts;
--                             value 0 when none; measurable: the district has schools)
--   legal_education_coverage  dept_legal_education() (has_data: ≥ 1 法治教育 visit in the
--                             semesters; value 0 when none; measurable: a semester begins in [S, E])
-- Every department, whatever `depts` says: a unit is ranked among all (dept_scores filters after).
create or replace macro dept_indicator_values(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with closure as (
    select * from dept_closure(a, s := s, e := e, towns := towns, school_types := school_types,
                               categories := categories, rules := rules)
),
attendance as (
    select dept_code, meeting_attendance from dept_meeting_attendance(a, s := s, e := e)
),
duty as (
    select dept_code, inspections, duty_inspection_coverage
    from dept_duty_inspections(a, s := s, e := e, towns := towns, school_types := school_types,
                               categories := categories, rules := rules)
),
legal as (
    select dept_code, visits, legal_education_coverage, measurable
    from dept_legal_education(a, s := s, e := e, towns := towns, school_types := school_types,
                              categories := categories, rules := rules)
)
select c.dept_code as unit_code, c.dept_name as unit_name, c.total as hazards, c.overdue_open,
       unnest([
           {'indicator': 'rectification_rate', 'value': c.rectification_rate::double,
            'has_data': c.rectification_rate is not null, 'measurable': true},
           {'indicator': 'on_time_rate', 'value': c.on_time_rate::double, 'has_data': c.on_time_rate is not null,
            'measurable': true},
           {'indicator': 'overdue_open', 'value': c.overdue_open::double, 'has_data': c.total > 0,
            'measurable': true},
           {'indicator': 'meeting_attendance', 'value': att.meeting_attendance::double,
            'has_data': att.meeting_attendance is not null, 'measurable': true},
           {'indicator': 'median_days_to_rectify', 'value': c.median_days_to_rectify::double,
            'has_data': c.median_days_to_rectify is not null, 'measurable': true},
           {'indicator': 'duty_inspection_coverage', 'value': du.duty_inspection_coverage::double,
            'has_data': coalesce(du.inspections, 0) > 0, 'measurable': du.duty_inspection_coverage is not null},
           {'indicator': 'legal_education_coverage',
            'value': case when coalesce(lg.measurable, false) then lg.legal_education_coverage end::double,
            'has_data': coalesce(lg.measurable, false) and lg.visits > 0,
            'measurable': coalesce(lg.measurable, false)}
       ], recursive := true)
from closure c
left join attendance att using (dept_code)
left join duty du using (dept_code)
left join legal lg using (dept_code)
