-- town_scores(A, S, E): the evaluation (考核) of every town, one row per town, over the hazards
-- found in [S, E] (state as of A), with the weights and thresholds of the rules (SPEC §3
-- Evaluation v2): the rows of score_units('town', town_indicator_values(...)) side by side. For
-- each indicator (town_indicator_values lists them): its value, its 0–100 score (null when
-- 不适用), its weight after rescaling (0 when 不适用), whether it had data and its status
-- (有数据 / 不适用 / 未报送). score = Σ score × weight / Σ weight, rounded to rules.score_decimals,
-- null when no indicator applies; grade by rules.grades; ranked false (rank null) for a town
-- 不参与排名; rank 1 is best among the ranked, ties share a rank. Every town is ranked among all
-- towns under the other filters; `towns` then keeps rows. Order: rank (nulls last), code.
create or replace macro town_scores(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with scored as (
    select * from score_units('town', (select list(v) from town_indicator_values(
        a, s := s, e := e, school_types := school_types, categories := categories, depts := depts,
        rules := rules) v), rules)
),
units as (
    -- one row per unit: its indicators by name, i['indicator'] = {value, score, weight, has_data,
    -- status}. The same CTE as in 42_dept_scores.sql, on purpose: what follows is this tier's own
    -- wide columns (SPEC §5 names each indicator's value, score, weight and has_data per tier),
    -- and a table macro cannot return columns chosen by a parameter, so each tier pivots its own list.
    select unit_code, unit_name, any_value(total_score) as score, any_value(rank) as rank,
           any_value(grade) as grade, any_value(ranked) as ranked,
           any_value(schools) as schools, any_value(hazards) as hazards, any_value(overdue_open) as overdue_open,
           map_from_entries(list({'k': indicator, 'v': {'value': value, 'score': score, 'weight': weight,
                                                        'has_data': has_data, 'status': status}})) as i
    from scored
    group by unit_code, unit_name
),
wide as (
    select unit_code as town_code, unit_name as town_name,
           i['rectification_rate'].value as rectification_rate,
           i['on_time_rate'].value as on_time_rate,
           i['inspection_coverage'].value as inspection_coverage,
           i['meeting_compliance'].value as meeting_compliance,
           i['overdue_open_per_school'].value as overdue_open_per_school,
           i['reporting'].value as reporting,
           score, rank, grade, ranked, schools, hazards, overdue_open,
           i['rectification_rate'].score as rectification_rate_score,
           i['rectification_rate'].weight as rectification_rate_weight,
           i['rectification_rate'].has_data as rectification_rate_has_data,
           i['rectification_rate'].status as rectification_rate_status,
           i['on_time_rate'].score as on_time_rate_score,
           i['on_time_rate'].weight as on_time_rate_weight,
           i['on_time_rate'].has_data as on_time_rate_has_data,
           i['on_time_rate'].status as on_time_rate_status,
           i['inspection_coverage'].score as inspection_coverage_score,
           i['inspection_coverage'].weight as inspection_coverage_weight,
           i['inspection_coverage'].has_data as inspection_coverage_has_data,
           i['inspection_coverage'].status as inspection_coverage_status,
           i['meeting_compliance'].score as meeting_compliance_score,
           i['meeting_compliance'].weight as meeting_compliance_weight,
           i['meeting_compliance'].has_data as meeting_compliance_has_data,
           i['meeting_compliance'].status as meeting_compliance_status,
           i['overdue_open_per_school'].score as overdue_open_per_school_score,
           i['overdue_open_per_school'].weight as overdue_open_per_school_weight,
           i['overdue_open_per_school'].has_data as overdue_open_per_school_has_data,
           i['overdue_open_per_school'].status as overdue_open_per_school_status,
           i['reporting'].score as reporting_score,
           i['reporting'].weight as reporting_weight,
           i['reporting'].has_data as reporting_has_data,
           i['reporting'].status as reporting_status
    from units
)
select * from wide where in_list(towns, town_code) order by rank nulls last, town_code
