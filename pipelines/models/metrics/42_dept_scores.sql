-- dept_scores(A, S, E): the evaluation (考核) of every member unit, one row per department, over
-- the hazards it is responsible for found in [S, E] (state as of A), with the weights and
-- thresholds of the rules (SPEC §3 Evaluation v2): the rows of score_units('dept',
-- dept_indicator_values(...)) side by side. For each indicator (dept_indicator_values lists them):
-- value, 0–100 score (null when 不适用), weight after rescaling (0 when 不适用), has_data and
-- status (有数据 / 不适用 / 未报送). score = Σ score × weight / Σ weight, rounded to
-- rules.score_decimals, null when no indicator applies; grade by rules.grades; ranked false (rank
-- null) for a unit 不参与排名 (no score, or meeting attendance its only applicable indicator);
-- rank 1 is best among the ranked, ties share a rank. Every department is ranked among all
-- departments under the other filters; `depts` then keeps rows. Order: rank (nulls last), code.
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
    -- one row per unit: its indicators by name, i['indicator'] = {value, score, weight, has_data,
    -- status}. The same CTE as in 40_town_scores.sql, on purpose: what follows is this tier's own
    -- wide columns (SPEC §5 names each indicator's value, score, weight and has_data per tier),
    -- and a table macro cannot return columns chosen by a parameter, so each tier pivots its own list.
    select unit_code, unit_name, any_value(total_score) as score, any_value(rank) as rank,
           any_value(grade) as grade, any_value(ranked) as ranked,
           any_value(hazards) as hazards, any_value(overdue_open) as overdue_open,
           map_from_entries(list({'k': indicator, 'v': {'value': value, 'score': score, 'weight': weight,
                                                        'has_data': has_data, 'status': status}})) as i
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
           i['duty_inspection_coverage'].value as duty_inspection_coverage,
           i['legal_education_coverage'].value as legal_education_coverage,
           score, rank, grade, ranked, hazards,
           i['rectification_rate'].score as rectification_rate_score,
           i['rectification_rate'].weight as rectification_rate_weight,
           i['rectification_rate'].has_data as rectification_rate_has_data,
           i['rectification_rate'].status as rectification_rate_status,
           i['on_time_rate'].score as on_time_rate_score,
           i['on_time_rate'].weight as on_time_rate_weight,
           i['on_time_rate'].has_data as on_time_rate_has_data,
           i['on_time_rate'].status as on_time_rate_status,
           i['overdue_open'].score as overdue_open_score,
           i['overdue_open'].weight as overdue_open_weight,
           i['overdue_open'].has_data as overdue_open_has_data,
           i['overdue_open'].status as overdue_open_status,
           i['meeting_attendance'].score as meeting_attendance_score,
           i['meeting_attendance'].weight as meeting_attendance_weight,
           i['meeting_attendance'].has_data as meeting_attendance_has_data,
           i['meeting_attendance'].status as meeting_attendance_status,
           i['median_days_to_rectify'].score as median_days_to_rectify_score,
           i['median_days_to_rectify'].weight as median_days_to_rectify_weight,
           i['median_days_to_rectify'].has_data as median_days_to_rectify_has_data,
           i['median_days_to_rectify'].status as median_days_to_rectify_status,
           i['duty_inspection_coverage'].score as duty_inspection_coverage_score,
           i['duty_inspection_coverage'].weight as duty_inspection_coverage_weight,
           i['duty_inspection_coverage'].has_data as duty_inspection_coverage_has_data,
           i['duty_inspection_coverage'].status as duty_inspection_coverage_status,
           i['legal_education_coverage'].score as legal_education_coverage_score,
           i['legal_education_coverage'].weight as legal_education_coverage_weight,
           i['legal_education_coverage'].has_data as legal_education_coverage_has_data,
           i['legal_education_coverage'].status as legal_education_coverage_status
    from units
)
select * from wide where in_list(depts, dept_code) order by rank nulls last, dept_code
