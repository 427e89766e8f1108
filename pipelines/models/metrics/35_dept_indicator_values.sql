-- dept_indicator_values(A, S, E): what the evaluation (考核) of the member units measures, one
-- row per department and indicator: value and has_data (false: nothing to measure, scores 100),
-- plus the department's hazards and overdue_open; over the hazards it is responsible for found
-- in [S, E] (state as of A). score_units() scores these rows (SPEC §3):
--   rectification_rate      dept_closure()
--   on_time_rate            dept_closure()
--   overdue_open            dept_closure() (has_data: hazards found)
--   meeting_attendance      dept_meeting_attendance()
--   median_days_to_rectify  dept_closure()
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
)
select c.dept_code as unit_code, c.dept_name as unit_name, c.total as hazards, c.overdue_open,
       unnest([
           {'indicator': 'rectification_rate', 'value': c.rectification_rate::double,
            'has_data': c.rectification_rate is not null},
           {'indicator': 'on_time_rate', 'value': c.on_time_rate::double, 'has_data': c.on_time_rate is not null},
           {'indicator': 'overdue_open', 'value': c.overdue_open::double, 'has_data': c.total > 0},
           {'indicator': 'meeting_attendance', 'value': att.meeting_attendance::double,
            'has_data': att.meeting_attendance is not null},
           {'indicator': 'median_days_to_rectify', 'value': c.median_days_to_rectify::double,
            'has_data': c.median_days_to_rectify is not null}
       ], recursive := true)
from closure c
left join attendance att using (dept_code)
