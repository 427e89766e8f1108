-- dept_scores(A, S, E): the evaluation (考核) of every member unit, one row per department, over
-- the hazards it is responsible for found in [S, E] (state as of A), with the weights and
-- thresholds of the rules (SPEC §3): the rows of score_units('dept', dept_indicator_values(...))
-- side by side. For each indicator (dept_indicator_values lists them): value, 0–100 score,
-- weight, has_data; an indicator without data scores 100. score = Σ score × weight / Σ weight,
-- rounded to rules.score_decimals; rank 1 is best, ties share a rank. Every department is
-- ranked among all departments under the other filters; `depts` then keeps rows.
create or replace macro dept_scores(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with scored as (
    select * from score_units('dept', (select list(v) from dept_indicator_values(
        a, s := s, e := e, towns := towns, school_types := school_types, categories := categories,
        rules := rules) v), rules)
),
units as (
    -- one row per unit: its indicators by name, i['indicator'] = {value, score, weight, has_data}.
    -- The same CTE as in 40_town_scores.sql, on purpose: what follows is this tier's own wide columns
    -- (SPEC §5 names each indicator's value, score, weight and has_data per tier), and a table
    -- macro cannot return columns chosen by a parameter, so each tier pivots its own list.
    select unit_code, unit_name, any_value(total_score) as score, any_value(rank) as rank,
           any_value(hazards) as hazards, any_value(overdue_open) as overdue_open,
           map_from_entries(list({'k': indicator, 'v': {'value': value, 'score': score, 'weight': weight,
                                                        'has_data': has_data}})) as i
    from scored
    group by unit_code, unit_name
),
wide as (
    select unit_code as dept_code, unit_name as dept_name,
           i['rectification_rate'].value as rectification_rate,
           i['on_time_rate'].value as on_time_rate,
           overdue_open,
           i['meeting_attendance'].value as meeting_attendance,
           i['median_days_to_rectify'].value as median_days_to_rectify,
           score, rank, hazards,
           i['rectification_rate'].score as rectification_rate_score,
           i['rectification_rate'].weight as rectification_rate_weight,
           i['rectification_rate'].has_data as rectification_rate_has_data,
           i['on_time_rate'].score as on_time_rate_score,
           i['on_time_rate'].weight as on_time_rate_weight,
           i['on_time_rate'].has_data as on_time_rate_has_data,
           i['overdue_open'].score as overdue_open_score,
           i['overdue_open'].weight as overdue_open_weight,
           i['overdue_open'].has_data as overdue_open_has_data,
           i['meeting_attendance'].score as meeting_attendance_score,
           i['meeting_attendance'].weight as meeting_attendance_weight,
           i['meeting_attendance'].has_data as meeting_attendance_has_data,
           i['median_days_to_rectify'].score as median_days_to_rectify_score,
           i['median_days_to_rectify'].weight as median_days_to_rectify_weight,
           i['median_days_to_rectify'].has_data as median_days_to_rectify_has_data
    from units
)
select * from wide where in_list(depts, dept_code) order by rank, dept_code
